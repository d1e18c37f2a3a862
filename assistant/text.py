"""Text primitives shared by chunking, lexical search and answer selection: tokens, sentences, numbers."""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "tell",
        "give",
        "show",
        "please",
        "much",
        "many",
        "according",
        "much",
        "whats",
    ]
)

# Words that say what kind of answer is wanted but not what it is about.
QUESTION_WORDS = frozenset(
    [
        "what",
        "how",
        "which",
        "who",
        "when",
        "where",
        "why",
        "much",
        "many",
        "did",
        "does",
        "do",
        "was",
        "were",
        "is",
        "are",
    ]
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]|\d+(?:[.,]\d+)*%?|[a-z][a-z0-9]*(?:['’][a-z]+)?", re.IGNORECASE)
_NUMBER_RE = re.compile(
    r"\(?-?\$?\s?\d[\d,]*(?:\.\d+)?\)?\s?(?:%|percent|billion|million|thousand|bn|b\b|m\b)?", re.IGNORECASE
)
_CJK_RE = re.compile(rf"[{_CJK}]")
_NUM_TOKEN = re.compile(r"^\(?[-$]?\d[\d,]*(?:\.\d+)?\)?%?$|^[$%)(—–-]$|^(?:N/A|n/a|NM)$")
_ENDS_WITH_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+(?:19|20)\d\d\s*$"
)
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def normalize_number(token: str) -> str:
    """'128,725' -> '128725', '19%' -> '19', '1.50' -> '1.5'."""
    token = token.replace(",", "").rstrip("%")
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    return token


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A light English stemmer: enough to match plural/singular and common verb forms ('increased' ~ 'increase')."""
    if len(word) <= 3 or word[0].isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word.endswith(("ses", "xes", "zes", "ches", "shes")):
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: len(word) - len(suffix)] + repl
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def raw_tokens(text: str) -> list[str]:
    """Lower-cased word, number and CJK-character tokens, in order."""
    out = []
    for tok in _TOKEN_RE.findall(text):
        tok = tok.lower().replace("’", "'")
        if tok[0].isdigit():
            out.append(normalize_number(tok))
        elif tok.endswith("'s"):
            out.append(tok[:-2])
        else:
            out.append(tok)
    return out


_ORDINAL_QUARTER = re.compile(r"\b(first|second|third|fourth)\s+quarter\b", re.IGNORECASE)
_FISCAL_YEAR = re.compile(r"\b(?:fiscal\s+(?:year\s+)?|fy\s?)((?:19|20)\d\d)\b", re.IGNORECASE)
_QUARTER_NUMBER = {"first": "q1", "second": "q2", "third": "q3", "fourth": "q4"}


def period_tokens(text: str) -> list[str]:
    """Canonical period tokens, so 'fourth quarter' matches 'Q4' and 'fiscal year 2025' matches 'FY2025'."""
    out = [_QUARTER_NUMBER[m.group(1).lower()] for m in _ORDINAL_QUARTER.finditer(text)]
    for match in _FISCAL_YEAR.finditer(text):
        out += ["fy" + match.group(1), match.group(1)]
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens for lexical search: stemmed words without stopwords, numbers, canonical period tokens, and CJK
    unigrams plus bigrams."""
    toks = [stem(t) for t in raw_tokens(text) if t not in STOPWORDS]
    toks.extend(period_tokens(text))
    cjk = _CJK_RE.findall(text)
    toks.extend(a + b for a, b in zip(cjk, cjk[1:]))
    return toks


def content_terms(text: str) -> list[str]:
    """The distinct stemmed content terms of a question, in order."""
    seen: dict[str, None] = {}
    for tok in index_tokens(text):
        if tok not in QUESTION_WORDS:
            seen.setdefault(tok, None)
    return list(seen)


def numbers_in(text: str) -> set[str]:
    """Normalised numbers mentioned in a text ('$128.7 billion' -> '128.7')."""
    found = set()
    for match in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        value = normalize_number(match.group())
        if value:
            found.add(value)
    return found


_SENT_SPLIT_LIMIT = 400


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, trimmed of surrounding whitespace; long run-ons are cut at word breaks."""
    return [piece for start, end in whole_sentences(text) for piece in sentence_pieces(text, start, end)]


def whole_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, trimmed of surrounding whitespace, however long."""
    import nupunkt

    spans: list[tuple[int, int]] = []
    for start, end in nupunkt.sent_spans(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentence_pieces(text: str, start: int, end: int, limit: int = _SENT_SPLIT_LIMIT) -> list[tuple[int, int]]:
    """A sentence span cut into pieces of at most `limit` characters at whitespace (or hard, when there is none)."""
    out = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut <= start:
            cut = start + limit
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def collapse_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_PROSE_FIGURE = re.compile(r"\d\s*(?:billion|million|thousand)\b", re.IGNORECASE)


def is_table_row(line: str) -> bool:
    """A Markdown pipe row, or a line ending in two or more figures (a PDF table row)."""
    if _PIPE_ROW.match(line):
        return True
    tokens = line.split()
    if len(tokens) < 2 or len(line) > 220:
        return False
    numeric = sum(bool(_NUM_TOKEN.match(t)) for t in tokens)
    if _ENDS_WITH_DATE.search(line):
        return False  # a line of prose broken after a date ('... for the six months ended June 30, 2024')
    if line.rstrip().endswith(",") or _PROSE_FIGURE.search(line):
        return False  # prose broken after a list of periods, or figures written out ('$31.4 billion')
    return numeric >= 2 and bool(_NUM_TOKEN.match(tokens[-1])) and not line.rstrip().endswith(".")


def is_column_header(line: str) -> bool:
    """A table line naming columns by period ('2023 2024', 'Three Months Ended June 30,')."""
    words = re.findall(r"[A-Za-z]{3,}", line)
    return (
        bool(re.search(r"(19|20)\d\d|ended|months|quarter", line, re.IGNORECASE))
        and len(words) <= 6
        and not re.search(r"\d[\d,]{3,}", re.sub(r"\b(19|20)\d\d\b", "", line))
    )


def is_year(term: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", term))
