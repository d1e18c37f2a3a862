"""Scoring an answer the way a reader would check it.

The direct answer (its one line) must state every key fact, with its sign, as the answer: in its own words or as
an operand of the computation it reports; it must state no figure of the asked kind that matches no key fact and
none of the question's listed `wrong` figures. A citation supports a sentence only when the quoted span (or, for
a table row, the row's column and group headers) holds the sentence's figures, names and periods. These rules are
the evaluation's own: the verifier's `check` is what is being measured, so it is not used here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from collections.abc import Sequence

from assistant.answer.support import GENERIC_CAPS, answer_sentences, specifics
from assistant.config import AnsweringSettings
from assistant.contract.types import Answer, Citation
from assistant.finance.figures import Figure, parse_figures, quantities, same_figure, scale_note
from assistant.text import STOPWORDS, content_terms, index_tokens, is_year

Fact = str | Sequence[str]
MIN_WORDS = AnsweringSettings().min_support  # share of a figure-free sentence's terms its spans must hold


@lru_cache(maxsize=1)
def _signs() -> dict:
    return json.loads((Path(__file__).resolve().parent / "data" / "signs.json").read_text(encoding="utf-8"))


# -- figures with their signs -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", re.sub(r"\([^()\d]*\)", " ", text.lower()))  # '(loss)' is a label


def _negated_before(before: str) -> bool:
    """A sign word in the last few words before a figure: a loss noun always, a decrease word unless a level
    word ('to', 'from') stands between it and the figure."""
    signs = _signs()
    clause = re.split(r"[;.!?]\s|,\s(?=[a-z]+\s)", before)[-1]
    words = _words(clause)[-signs["window_words"] :]
    for i in range(len(words) - 1, -1, -1):
        if words[i] in signs["negative_nouns"]:
            return True
        if words[i] in signs["decrease_words"]:
            return not any(w in signs["level_words"] for w in words[i + 1 :])
    return False


def _negated_after(after: str) -> bool:
    """'a $2.7 billion loss', 'a 5% decline': a sign noun right after the figure (one word may stand between)."""
    nouns = "|".join(_signs()["trailing_nouns"])
    return bool(re.match(rf"\s+(?:[a-z-]+\s+)?(?:{nouns})\b", after.lower()))


def signed_quantities(text: str) -> list[Figure]:
    """The quantities of a text, each negative when the text says so: a minus or brackets, a loss or decrease
    word before it or a loss word after it, or in brackets right after a negative figure ('a loss of RMB15.1
    billion (US$2.1 billion)')."""
    out: list[Figure] = []
    previous_end = 0
    for figure in quantities(text):
        before, after = text[previous_end : figure.start], text[figure.end : figure.end + 40]
        negative = (
            figure.value < 0
            or _negated_before(before)
            or _negated_after(after)
            or bool(out and out[-1].value < 0 and re.fullmatch(r"\s*\(\s*", before))
        )
        out.append(replace(figure, value=-abs(figure.value) if negative else abs(figure.value)))
        previous_end = figure.end
    return out


def _directed(text: str) -> list[Figure]:
    """The figures a text states with their direction in words ('an outflow of $226 million'): their size is
    what they state, whichever sign a key fact writes it with."""
    signs = _signs()
    words = "|".join(signs.get("direction_words", []))
    if not words:
        return []
    lead = re.compile(rf"\b(?:{words})\b(?:\s+[a-z]+){{0,2}}\s*$", re.IGNORECASE)
    return [f for f in quantities(text) if lead.search(text[max(0, f.start - 40) : f.start])]


def same_signed(expected: Figure, actual: Figure) -> bool:
    """The same figure with the same sign (a loss stated as a profit is not the loss)."""
    return same_figure(expected, actual) and (expected.value < 0) == (actual.value < 0)


ROUNDED_DIGITS = 3  # a figure the answer rounds must keep this many significant digits to state a key fact


def rounds_to(stated: Figure, key: Figure) -> bool:
    """`stated` is `key` rounded at its own precision, with at least ROUNDED_DIGITS significant digits
    ('$4.23 billion' for '$4,225 million'; not '$4 billion')."""
    digits = len(re.sub(r"\D", "", stated.text).lstrip("0"))
    return digits >= ROUNDED_DIGITS and same_signed(stated, key)


def as_figure(fact: str) -> Figure | None:
    """The signed figure a fact string is, when the whole string is one figure, maybe with its sign in words
    ('$45.6 billion', '19%', '-$2,656 million', 'a loss of RMB15,137 million')."""
    figures = signed_quantities(fact)
    if len(figures) != 1 or len([f for f in parse_figures(fact) if f.is_quantity]) != 1:
        return None
    rest = fact.replace(figures[0].text, " ")
    signs = _signs()
    allowed = set(signs["negative_nouns"]) | set(signs["decrease_words"]) | set(signs["filler_words"])
    if re.sub(r"[\s.,~+()-]", "", rest) and not set(re.findall(r"[a-z]+", rest.lower())) <= allowed:
        return None
    return figures[0]


def options(fact: Fact) -> list[str]:
    return [fact] if isinstance(fact, str) else list(fact)


def phrase_in(phrase: str, text: str) -> bool:
    """A phrase as whole words, case and spacing ignored ('ACS' is not in 'racks')."""
    words = re.findall(r"\w+", phrase.lower())
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)"
    return bool(re.search(pattern, _plain(text).lower()))


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def states(fact: Fact, text: str, extra: Sequence[Figure] = ()) -> bool:
    """A key fact, or any of its alternatives, is stated in the text (a figure with its sign), or is one of
    `extra` (the operands of the computation the answer reports)."""
    stated = signed_quantities(text) + list(extra)
    directed = _directed(text)
    for option in options(fact):
        figure = as_figure(option)
        if figure is not None:
            if any(same_signed(figure, f) or rounds_to(f, figure) for f in stated):
                return True
            if any(same_figure(figure, f) for f in directed):
                return True
        elif phrase_in(option, text):
            return True
    return False


def states_all(facts: Sequence[Fact], text: str) -> bool:
    return bool(facts) and all(states(f, text) for f in facts)


def wrong_figures(wrong: Sequence[str], text: str) -> list[str]:
    """The listed `wrong` figures a text states, with either sign: a neighbour's figure is wrong however it is
    signed."""
    stated = quantities(text)
    out = []
    for w in wrong:
        figure = as_figure(w)
        if figure is not None and any(same_figure(figure, f) for f in stated) or figure is None and phrase_in(w, text):
            out.append(w)
    return out


# -- the direct answer ----------------------------------------------------------------------------------------

_MARKERS = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")


def _close(x: Figure, value: float, slack: float) -> bool:
    return abs(abs(x.value) - abs(value)) <= x.precision + slack + 1e-9 * max(1.0, abs(value))


def derived(x: Figure, facts: Sequence[Sequence[Figure]]) -> bool:
    """`x` is arithmetic on two different key facts: their difference or sum (the gap a comparison states),
    their ratio, or a percentage change or share. A reader checks such a figure from the key facts themselves."""
    for i, one in enumerate(facts):
        for other in facts[i + 1 :]:
            for a in one:
                for b in other:
                    if _arithmetic(x, a, b):
                        return True
    return False


def _arithmetic(x: Figure, a: Figure, b: Figure) -> bool:
    if (a.kind == "percent") != (b.kind == "percent"):
        return False
    slack = a.precision + b.precision
    if (x.kind == "percent") == (a.kind == "percent") and any(
        _close(x, v, slack) for v in (a.value - b.value, a.value + b.value)
    ):
        return True
    if not (a.value and b.value):
        return False
    for num, den in ((a, b), (b, a)):
        ratio = num.value / den.value
        relative = abs(ratio) * (num.precision / abs(num.value) + den.precision / abs(den.value))
        if x.kind == "percent" and any(_close(x, 100 * v, 100 * relative) for v in (ratio, ratio - 1)):
            return True
        if x.kind == "number" and _close(x, ratio, relative):
            return True
    return False


@dataclass
class Claim:
    """What the direct answer claims. `text`: without any computation's operands (a key fact must be stated
    there or be an operand of the computation the question asks for); `stated`: without only the asked
    computation's operands (every other figure is a claim, right or wrong); `operands`: the asked inputs."""

    text: str
    stated: str
    operands: list[Figure] = field(default_factory=list)


def _asked(result: Figure | None, facts: Sequence[Sequence[Figure]]) -> bool:
    """The computation the question asks for: its result is a key fact (its sign is checked where the answer
    states it), or follows from two key facts."""
    return result is not None and (
        any(same_figure(k, result) for fact in facts for k in fact) or derived(result, facts)
    )


def _taken_out(text: str, operand: str) -> str:
    """The text without an operand, however the answer writes it ('$45.6 billion' for one printed '$45,606
    million')."""
    text = text.replace(operand, " ")
    printed = quantities(operand)[:1]
    for figure in reversed(quantities(text) if printed else []):
        if same_figure(figure, printed[0]):
            text = text[: figure.start] + " " + text[figure.end :]
    return text


def claim_of(answer: Answer, facts: Sequence[Sequence[Figure]]) -> Claim:
    """The direct answer's claim, its citation markers and shown work taken out (see `Claim`)."""
    direct = _MARKERS.sub(" ", answer.direct)
    text = stated = direct
    operands: list[Figure] = []
    for computation in answer.computations:
        results = signed_quantities(computation.result_text)
        asked = _asked(results[0] if results else None, facts)
        for operand in computation.operands:
            text = _taken_out(text, operand.text)
            if asked:
                stated = _taken_out(stated, operand.text)
                operands += [
                    replace(f, value=-abs(f.value) if operand.value < 0 else abs(f.value))
                    for f in quantities(operand.text)[:1]
                ]
    return Claim(text, stated, operands)


@dataclass
class DirectCheck:
    """Why a direct answer is not right: key facts it misses, listed wrong figures it states, and figures of the
    asked kind it states that match no key fact (nor the reference answer, nor arithmetic on the key facts), a
    figure rounded in the answer ("$39.8 billion") matching the exact one it rounds ("$39,834 million")."""

    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong or self.unmatched)


def check_direct(key_facts: Sequence[Fact], wrong: Sequence[str], answer: Answer, reference: str = "") -> DirectCheck:
    """Score a direct answer against a question's key facts, its listed wrong figures and its reference answer."""
    if not key_facts:
        return DirectCheck(missing=["(the question lists no key fact)"])
    facts = [[g for g in map(as_figure, options(f)) if g is not None] for f in key_facts]
    keys = [g for fact in facts for g in fact]
    claim = claim_of(answer, facts)
    missing = [" or ".join(options(f)) for f in key_facts if not states(f, claim.text, extra=claim.operands)]
    kinds = {k.kind for k in keys}
    allowed = keys + signed_quantities(reference)
    listed = wrong_figures(wrong, claim.stated)
    directed = {(f.start, f.end) for f in _directed(claim.stated)}  # 'an outflow of $X': either sign is X
    unmatched = [
        f.text
        for f in signed_quantities(claim.stated)
        if f.kind in kinds
        and not any(same_signed(g, f) or same_signed(f, g) for g in allowed)
        and not ((f.start, f.end) in directed and any(same_figure(g, f) for g in allowed))
        and not derived(f, facts)
        and not wrong_figures(listed, f.text)
    ]
    return DirectCheck(missing=missing, wrong=listed, unmatched=unmatched)


# -- citations ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A quoted span, the headers a table row sits under (caption, column periods, group label, scale), and
    the title of its document."""

    quote: str
    headers: str = ""
    document: str = ""  # names the filer; never a period

    @property
    def scale(self) -> float | None:
        return scale_note(self.headers)

    @property
    def percent_table(self) -> bool:
        return bool(re.search(r"percent|%", self.headers, re.IGNORECASE))


def text_headers(citation: Citation) -> str:
    """For a quote made of table rows of its passage: the figure-free lines that open the passage (caption,
    column periods) and the nearest figure-free line above the first row (its group label). Empty for prose."""
    lines = [" ".join(line.split()) for line in citation.text.splitlines()]
    quote = [" ".join(q.split()) for q in citation.quote.splitlines() if q.strip()]
    rows = [
        i
        for i, line in enumerate(lines)
        if quantities(line) and any(q in line and len(q) >= 0.8 * len(line) for q in quote)
    ]
    if not quote or len(rows) < len(quote):
        return ""
    first = rows[0]
    short = [len(line) <= 120 and not quantities(line) for line in lines[:first]]
    top = next((i for i, s in enumerate(short) if not s), first)
    group = next((lines[i] for i in range(first - 1, top - 1, -1) if short[i]), "")
    return "\n".join(lines[:top] + ([group] if group else []))


def span_of(citation: Citation, table: str = "") -> Span:
    """The span a citation quotes; `table`: the headers of the table it is a row of, as read at ingest."""
    return Span(citation.quote, "\n".join(x for x in (text_headers(citation), table) if x), citation.title)


def _named(term: str, text: str) -> bool:
    lowered = _plain(text).lower()
    if is_year(term):
        return bool(re.search(rf"(?<!\d){term}(?!\d)", lowered))
    if re.fullmatch(r"q[1-4]", term):
        ordinal = ("first", "second", "third", "fourth")[int(term[1]) - 1]
        return bool(re.search(rf"\b{term}\b|\b{term[1]}q\b|\b{ordinal}[- ]quarter\b", lowered))
    return bool(re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", lowered))


def _specifics(sentence: str) -> list[str]:
    """The years, quarters and names a sentence must find where it is cited, its first word too when that is a
    name ('Orion revenue was ...'), not a common word that opens the sentence."""
    out = specifics(sentence)
    first = re.match(r"\W*([A-Z][A-Za-z0-9.&'’-]*)", sentence)
    word = re.sub(r"['’]s$", "", first.group(1)).strip(".").lower() if first else ""
    if word and word not in STOPWORDS and word not in GENERIC_CAPS and not re.search(r"\d", word):
        out.append(word)
    return list(dict.fromkeys(out))


def _in_span(figure: Figure, span: Span) -> bool:
    """A figure is in a span as written there, in the scale its table declares, or as a percentage in a table
    of percentages ('AWS 13 19' under 'Year-over-year Percentage Growth')."""
    for g in quantities(span.quote) + quantities(span.quote, span.scale):
        if same_figure(figure, g):
            return True
        if (
            span.percent_table
            and figure.kind == "percent"
            and g.kind == "number"
            and g.scale == 1
            and abs(abs(figure.value) - abs(g.value)) <= figure.precision + 1e-9
        ):
            return True
    return False


def span_supports(sentence: str, spans: Sequence[Span], computed: Sequence[tuple[Figure, list[Figure]]] = ()) -> bool:
    """Every figure of the sentence is in a span or is the result of one of the answer's computations whose
    operands all are (a gap or ratio the answer works out without showing it as a computation is not); every
    year and quarter is in a span or its headers; every other name is there or in the span's document title;
    and a sentence without figures has most of its words in the spans."""
    spans = [s for s in spans if s.quote.strip()]
    if not spans:
        return False
    figures = quantities(sentence)
    for figure in figures:
        if any(_in_span(figure, s) for s in spans):
            continue
        # the result as the answer writes it, maybe rounded ('$16.0 billion' for $15,990 million)
        inputs = next((ops for result, ops in computed if same_figure(figure, result)), None)
        if not inputs or not all(any(_in_span(o, s) for s in spans) for o in inputs):
            return False
    where = "\n".join(f"{s.quote}\n{s.headers}" for s in spans)
    titles = "\n".join(s.document for s in spans)
    for term in _specifics(sentence):
        period = is_year(term) or re.fullmatch(r"q[1-4]", term)
        if not (_named(term, where) or not period and _named(term, titles)):
            return False
    if not figures:
        terms = content_terms(sentence)
        tokens = set(index_tokens(" ".join(s.quote for s in spans)))
        return sum(t in tokens for t in terms) / len(terms) >= MIN_WORDS
    return True


@dataclass
class CitationScore:
    """ALCE-style citation scores of one answer."""

    sentences: int = 0  # claim sentences (quote lines are the evidence, not claims)
    supported: int = 0  # sentences that their citations support
    citations: int = 0  # (sentence, citation) pairs
    precise: int = 0  # of those, citations that support the sentence alone or are needed for it
    unsupported: list[str] = field(default_factory=list)


_VERDICT = re.compile(r"\W*(?:yes|no)\W*", re.IGNORECASE)


def claim_lines(text: str) -> str:
    """The reply without its quote lines (a line that opens with a quotation mark is the cited evidence)."""
    return "\n".join(line for line in text.splitlines() if not re.match(r"\s*[“\"]", line))


def score_citations(answer: Answer, tables: dict[int, str] | None = None) -> CitationScore:
    """Every claim sentence of the reply is checked against the spans it cites (a bare verdict such as 'Yes.'
    states nothing a span could hold, and is not scored). `tables`: citation number -> the headers of the
    table its quote is a row of."""
    score = CitationScore()
    if answer.refused:
        return score
    by_n = {c.n: span_of(c, (tables or {}).get(c.n, "")) for c in answer.citations}
    computed = [
        (r, [f for o in c.operands for f in quantities(o.text)[:1]])  # a result and its percent change
        for c in answer.computations
        for r in quantities(c.result_text)
    ]
    for bare, cites in answer_sentences(claim_lines(answer.text)):
        if _VERDICT.fullmatch(bare) or not quantities(bare) and not content_terms(bare):
            continue
        score.sentences += 1
        spans = [by_n[n] for n in cites if n in by_n]
        together = span_supports(bare, spans, computed)
        if together:
            score.supported += 1
        else:
            score.unsupported.append(bare)
        for i, span in enumerate(spans):
            alone = span_supports(bare, [span], computed)
            needed = together and not span_supports(bare, spans[:i] + spans[i + 1 :], computed)
            score.citations += 1
            score.precise += alone or needed
    return score
