"""Whether cited spans support an answer sentence: one definition for the verifier and for the evaluation.

A sentence is supported by its evidence when every figure it states is stated in a cited span (compared as
numbers with scale, the span's table caption giving the scale of bare figures), every specific it names (company,
product, year, quarter) appears in a cited span or in where that span sits (document, period, section), and, for a
sentence without figures, most of its words are in the spans. Figures the answer computed are checked by
recomputation instead (see `assistant/answer/calculator.py`), so they are passed in as `computed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Iterable

from assistant.finance.figures import Figure, quantities, same_figure, scale_note
from assistant.finance.vocabulary import vocabulary
from assistant.config import AnsweringSettings
from assistant.text import content_terms, index_tokens, is_year, split_sentences

# Capitalised words that name a metric, unit, form or period word rather than a company, product or place
# (the vocabulary's generic_capitalised_words).
GENERIC_CAPS = vocabulary().generic_caps


@dataclass(frozen=True)
class Evidence:
    """A cited span and where it sits."""

    quote: str
    context: str = ""  # document title, company, period, section, table caption and column header
    scale: float | None = None  # the scale of the span's bare figures ('in millions' -> 1e6)


@dataclass
class Support:
    supported: bool
    reasons: list[str] = field(default_factory=list)


_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d+(?:\s*,\s*\d+)*\])+")


def answer_sentences(text: str, carry: bool = True) -> list[tuple[str, list[int]]]:
    """The sentences of an answer with the passage numbers each cites. A marker written after the full stop
    ('... billion. [1]') belongs to the sentence before it. With `carry`, a sentence without a marker is covered
    by the next marker in the answer (a quote the splitter cut in two, or a claim cited once at the end of its
    paragraph); without it, such a sentence cites nothing."""
    pieces = [text[s:e] for s, e in split_sentences(text)]
    merged: list[str] = []
    for piece in pieces:
        lead = _LEADING_MARKERS.match(piece)
        if lead and merged:
            merged[-1] += " " + lead.group(0).strip()
            piece = piece[lead.end() :].strip()
        if piece:
            merged.append(piece)
    out: list[tuple[str, list[int]]] = []
    carried: list[int] = []
    for sentence in reversed(merged):
        cites = [int(n) for group in _MARKER.findall(sentence) for n in group.split(",")]
        carried = list(dict.fromkeys(cites)) or (carried if carry else [])
        bare = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub("", sentence)).strip()
        if re.search(r"\w", bare):
            out.append((bare, carried))
    return out[::-1]


def evidence_from_passage(quote: str, passage_text: str, context: str) -> Evidence:
    """Evidence for a span of a passage: the scale its table caption declares applies to the span's bare
    figures, and the passage itself (caption, column header, row-group labels) is where the span sits."""
    return Evidence(quote=quote, context=f"{context}\n{passage_text}", scale=scale_note(passage_text))


def check(
    sentence: str,
    evidence: Iterable[Evidence],
    computed: Iterable[Figure] = (),
    min_support: float = AnsweringSettings().min_support,
) -> Support:
    """Does the evidence, taken together, support the sentence? A sentence without figures needs `min_support`
    of its content terms in the cited spans."""
    evidence = [e for e in evidence if e.quote.strip()]
    if not evidence:
        return Support(False, ["cites no passage"])
    computed = list(computed)
    reasons = []
    figures = [f for f in quantities(sentence, scale_note(sentence)) if not any(same_figure(f, c) for c in computed)]
    missing = [
        f.text for f in figures if not any(same_figure(f, g) for e in evidence for g in quantities(e.quote, e.scale))
    ]
    if missing:
        reasons.append(f"figures not in the cited span: {', '.join(missing)}")
    where = " ".join(f"{e.quote}\n{e.context}" for e in evidence)
    absent = [t for t in specifics(sentence) if not _named(t, where)]
    if absent:
        reasons.append(f"not named where it is cited: {', '.join(absent)}")
    if not figures and not computed:
        terms = content_terms(sentence)
        tokens = set(index_tokens(" ".join(e.quote for e in evidence)))
        share = sum(t in tokens for t in terms) / len(terms) if terms else 0.0
        if share < min_support:
            reasons.append(f"only {share:.0%} of its words are in the cited span")
    return Support(not reasons, reasons)


def specifics(sentence: str) -> list[str]:
    """What a sentence must find where it is cited: years (FY2018 and FY18 count as 2018), quarters, and proper
    names (capitalised words past the first that are not generic finance or period words)."""
    vocab = vocabulary()
    months = set(vocab.periods["months"]) | set(vocab.periods["month_abbreviations"])
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9.&'’-]*", sentence)
    out = []
    for i, word in enumerate(words):
        clean = re.sub(r"['’]s$", "", word.strip(".'’")).lower()
        fiscal = re.fullmatch(r"fy\s?((?:19|20)?\d\d)", clean)
        if fiscal:
            year = fiscal.group(1)
            out.append(year if len(year) == 4 else "20" + year)
        elif is_year(clean) or re.fullmatch(r"q[1-4]", clean):
            out.append(clean)
        elif re.fullmatch(r"(?:rmb|us|hk|usd|cny)\$?[\d.,]+", clean):
            continue  # 'RMB41.6' is a figure with its currency, checked as a figure, not a name
        elif (
            (i > 0 or (word.isupper() and len(word) > 1))
            and word[0].isupper()
            and clean not in GENERIC_CAPS
            and clean not in months
            and not clean.isdigit()
            and clean not in vocab.periods["ordinals"]
        ):
            out.append(clean)
    return list(dict.fromkeys(out))


def _named(term: str, text: str) -> bool:
    """A specific of the sentence appears in the text: a year as itself, a quarter as 'Q3', '3Q' or 'third
    quarter', a name as a whole word."""
    lowered = text.lower()
    if is_year(term):
        return bool(re.search(rf"(?<!\d){term}(?!\d)", lowered))
    if re.fullmatch(r"q[1-4]", term):
        ordinal = [w for w, n in vocabulary().periods["ordinals"].items() if n == int(term[1]) and w.isalpha()]
        return bool(re.search(rf"\b{term}\b|\b{term[1]}q\b|\b{ordinal[0]}[- ]quarter\b", lowered))
    return bool(re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", lowered))


def citation_precision(sentence: str, evidence: list[Evidence], computed: Iterable[Figure] = ()) -> list[bool]:
    """ALCE citation precision for one sentence: a citation is precise when it supports the sentence alone, or
    when the citations together support it and dropping this one breaks that."""
    computed = list(computed)
    together = check(sentence, evidence, computed).supported
    out = []
    for i, item in enumerate(evidence):
        alone = check(sentence, [item], computed).supported
        needed = together and not check(sentence, evidence[:i] + evidence[i + 1 :], computed).supported
        out.append(alone or needed)
    return out
