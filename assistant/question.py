"""What a question asks about: the specifics an answer must match, whether it compares, and the sides of a
comparison (each side is searched on its own)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import is_year, split_sentences

# Capitalised words that name a metric, unit or form rather than a company, product or place.
GENERIC_CAPS = frozenset("""usd us u.s eur rmb gaap non-gaap eps cogs dpo dso dio ebit ebitda ebita adjusted capex opex
    p&l d&a pp&e ppne sg&a r&d fcf ttm yoy roa roe roic ceo cfo cto fy i ok form item part""".split())


def strict_terms(question: str) -> list[str]:
    """Specifics the answer must match: years (FY2018 and FY18 count as 2018), quarters, and proper names
    (capitalised words past the first that are not generic finance terms)."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9.&'’-]*", question)
    out = []
    for i, word in enumerate(words):
        clean = re.sub(r"['’]s$", "", word.strip(".'’")).lower()
        fiscal = re.fullmatch(r"fy\s?((?:19|20)?\d\d)", clean)
        if fiscal:
            year = fiscal.group(1)
            out.append(year if len(year) == 4 else "20" + year)
        elif is_year(clean) or re.fullmatch(r"q[1-4]", clean):
            out.append(clean)
        elif i > 0 and word[0].isupper() and clean not in GENERIC_CAPS and not clean.isdigit():
            out.append(clean)
    return list(dict.fromkeys(out))


_QUANTITY = re.compile(r"\bhow (?:much|many)\b", re.IGNORECASE)


def asks_quantity(question: str) -> bool:
    """Whether the question asks 'how much' or 'how many'."""
    return bool(_QUANTITY.search(question))


def focus(question: str) -> str:
    """The asking part of a question that also carries instructions ('What is X? Answer using the cash flow
    statement.' -> 'What is X?'), so that support is judged on what is asked, not on how to answer."""
    spans = split_sentences(question)
    if len(spans) < 2:
        return question
    asked = [question[s:e] for s, e in spans if question[s:e].rstrip().endswith("?")]
    return " ".join(asked) if asked else question


_COMPARISON = re.compile(r"\b(compare[sd]?|comparison|versus|vs\.?|differ|difference|than|both|whereas)\b|"
                         r"\bbetween\b.+\band\b", re.IGNORECASE)


def is_comparison(question: str) -> bool:
    return bool(_COMPARISON.search(question))


# Where a two-sided question splits: 'between A and B', 'from A to B', 'A compared with B', 'A versus B', 'A or B'.
_SIDE_SPLITS = (
    re.compile(r"\bbetween\b(?P<left>.+?)\band\b(?P<right>.+)", re.IGNORECASE),
    re.compile(r"\bfrom\b(?P<left>.+?)\bto\b(?P<right>.+)", re.IGNORECASE),
    re.compile(r"(?P<left>.+?)\b(?:compared? (?:with|to)|versus|vs\.?)(?P<right>.+)", re.IGNORECASE),
    re.compile(r"\bcompare\b(?P<left>.+?)\bwith\b(?P<right>.+)", re.IGNORECASE),
    re.compile(r"(?P<left>.+?)\bor\b(?P<right>.+)", re.IGNORECASE),
)


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _is_period(term: str) -> bool:
    return is_year(term) or term in _MONTHS or bool(re.fullmatch(r"q[1-4]", term))


def _named_in(term: str, text: str) -> bool:
    year = re.fullmatch(r"(?:19|20)(\d\d)", term)
    pattern = rf"\b(?:fy\s?)?{year.group(1)}\b|\b{term}\b" if year else rf"\b{re.escape(term)}"
    return bool(re.search(pattern, text, re.IGNORECASE))


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the question asked about that side alone, and the specifics only it names."""

    question: str
    own: frozenset[str]

    def named_in(self, text: str) -> bool:
        """True when the text names every specific of this side."""
        return all(_named_in(term, text) for term in self.own)


def comparison_sides(question: str) -> list[Side]:
    """For a question that sets two periods or two named things against each other, one question per side: the
    question with the specifics that only the other side names taken out ('... in Q2 2025 compare with its growth
    in Q4 2025?' -> '... in Q2 2025 compare with its growth in 2025?' and '... in 2025 compare with its growth in
    Q4 2025?'). Empty when the question does not split into two distinguishable sides."""
    if not (is_comparison(question) or re.search(r"\bwhich\b.+\bor\b|\bfrom\b.+\bto\b", question, re.IGNORECASE)):
        return []
    terms = strict_terms(question)
    for pattern in _SIDE_SPLITS:
        match = pattern.search(question)
        if not match:
            continue
        left = {t for t in terms if _named_in(t, question[:match.end("left")])}
        right = {t for t in terms if _named_in(t, match.group("right"))}
        texts = [_without(question, right - left, left), _without(question, left - right, right)]
        if all(texts) and texts[0] != texts[1] and question not in texts:
            return [Side(texts[0], frozenset(left - right)), Side(texts[1], frozenset(right - left))]
    return []


def _without(question: str, other_only: set[str], own: set[str]) -> str:
    """The question minus the other side's own specifics of each kind (periods, names) this side also has."""
    drop = {t for t in other_only if any(_is_period(o) == _is_period(t) for o in own)}
    if not drop:
        return ""
    out = question
    for term in drop:
        year = re.fullmatch(r"(?:19|20)(\d\d)", term)
        pattern = rf"\b(?:fy\s?)?(?:19|20)?{year.group(1)}\b" if year else rf"\b{re.escape(term)}(?:['’]s)?\b"
        out = re.sub(pattern, "", out, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", out).strip()
