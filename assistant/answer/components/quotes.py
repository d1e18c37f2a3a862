"""Answers in the documents' own sentences: quoted, whole and cited (`assistant/answer/select.py`)."""

from __future__ import annotations

import re

from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal, RefusalReason
from assistant.answer.select import SentenceSelector
from assistant.contract.types import Answer
from assistant.finance.figures import parse_figures
from assistant.finance.vocabulary import vocabulary
from assistant.query.analyze import Query
from assistant.query.grammar import grammar


class QuotesAnswerer:
    """Any question but a why-question: the sentences that carry what it asks."""

    name = "quotes"
    explains = False

    def __init__(self, selector: SentenceSelector):
        self.selector = selector

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None:
        if (query.intent == "explain") != self.explains:
            return None
        passages = context.passages
        if query.asks_figure or self.explains:  # a figure the facts do not give, or a reason, is quoted from
            passages = [p for p in passages if p.chunk.kind != "table"]  # prose, never from a table's text
        answer = self.selector.answer(query, passages, context.index, context.registry, context.q_vec)
        if (
            answer is not None
            and query.wants_number
            and not answer.refused
            and (
                not states_a_figure(answer)
                or not states_asked_kind(answer, query)
                or of_other_years(answer, asked_years(query, context.registry))
                or not says_qualifiers(answer, query.qualifiers)
                or not names_its_subject(answer, query.unknown)
                or query.forward
                and not states_a_forecast(answer)
                or not names_its_dated_things(answer, query.text)
            )
        ):  # no figure, one of another kind or year, or the figure of something larger than what is asked
            return Refusal(RefusalReason.NOT_FOUND, missing=context.missing)
        return answer


def states_a_figure(answer: Answer) -> bool:
    """The answer's direct sentence states an amount, a rate or a count (a year or a date is not one)."""
    text = _NOT_FIGURES.sub(" ", answer.direct or answer.text)
    return answer.refused or any(f.kind not in ("date", "year") for f in parse_figures(text))


def states_asked_kind(answer: Answer, query: Query) -> bool:
    """The quote states a figure of the kind asked: an amount or quantity for 'how much' or a line item (a
    percentage alone does not answer it), a percentage for a share or a margin, an amount for a per-share figure."""
    kind = _asked_kind(query)
    text = _NOT_FIGURES.sub(" ", answer.direct or answer.text)
    figures = [f for f in parse_figures(text) if f.is_quantity]
    if kind == "percent":  # a share or a margin, not the change a figure went through ('an increase of 87%')
        change = grammar().pattern("direction")
        return any(f.kind == "percent" and not change.search(text[max(0, f.start - 25) : f.start]) for f in figures)
    if kind == "amount":  # money, or a quantity in its own unit ('40 megawatts', '20 litres')
        return any(f.kind in ("money", "number") for f in figures)
    if kind == "per_share":  # '$4.15 a share' or '52 to 58 cents', never a count of shares
        cents = grammar().pattern("in_cents")
        return any(f.kind == "money" or f.scale == 1.0 and cents.match(text, f.end) for f in figures)
    return True


def _asked_kind(query: Query) -> str:
    """'percent', 'amount', 'per_share', or '' where the kind is not checked (a change, a count, a ratio, or a question that
    does not open by asking for the figure: 'How does Acme rank by revenue?')."""
    g = grammar()
    if query.operation == "share" or g.pattern("points_asked").match(query.focus):
        return "percent"  # a share, or 'how many basis points higher ...'
    if query.operation != "value":
        return ""
    if query.answer_type == "per_share":
        return "per_share"
    if g.pattern("money_asked").search(query.focus):
        return "amount"
    if query.concept is None and query.intent == "lookup" or g.pattern("figure_question").match(query.focus):
        return query.answer_type if query.answer_type in ("amount", "percent") else ""
    return ""


def names_its_dated_things(answer: Answer, question: str) -> bool:
    """Notes, bonds or loans the question names by a year ('the notes due 2027', '2028 notes') are the quote's
    too: a coupon of the notes due 2031 is no answer about those due 2034."""
    years = {m.group("year") or m.group("before") for m in grammar().pattern("year_named_thing").finditer(question)}
    text = answer.direct or answer.text
    return all(re.search(rf"\b{year}\b", text) for year in years)


def states_a_forecast(answer: Answer) -> bool:
    """For guidance asked: some figure of the quote is in a clause that looks ahead ('expects adjusted EPS of
    $7.40 to $7.60'); a quarter's reported results beside the word 'guidance' are not guidance."""
    text = _NOT_FIGURES.sub(" ", answer.direct or answer.text)
    vocab = vocabulary()
    return any(
        f.is_quantity and vocab.has_any(text[_clause_start(text, f.start) : f.start], vocab.forward_words)
        for f in parse_figures(text)
    )


def names_its_subject(answer: Answer, names: list[str]) -> bool:
    """No name the question narrows to that no company or segment in the store has ('Widget') is named in the
    quote only in a list of what a larger total includes ('Online revenue, which includes Widget, Tools and other
    services, was $9.9 billion' is no figure of Widget's). A quote that does not repeat the name may still be
    about it: the passage around it names it."""
    text = answer.direct or answer.text
    lead = grammar().pattern("inclusion_lead")
    for name in names:
        spots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)]
        if spots and all(lead.search(text[_clause_start(text, at) : at]) for at in spots):
            return False
    return True


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position `at` starts: after the last figure, semicolon or sentence end before it."""
    marks = [m.end() for m in re.finditer(r"[;.!?](?:\s|$)|\$\s?\d[\d,.]*|\d%", text[:at])]
    return marks[-1] if marks else 0


def asked_years(query: Query, registry) -> set[int]:
    """Every year a question's periods can be named by: the fiscal year and the calendar year it ends in."""
    calendar = registry.calendar(query.entities[0].company) if query.entities and registry is not None else None
    years: set[int] = set()
    for spec in query.periods:
        if spec.relative:
            return set()  # named against another period: its year is not in the question
        years.update(y for y in (spec.fiscal_year, spec.end_date.year if spec.end_date else None) if y)
        period = spec.resolve(calendar) if calendar is not None else None
        if period is not None:
            years.add(period.end.year)
    return years


def of_other_years(answer: Answer, years: set[int]) -> bool:
    """The quote names years, and none of them is asked: a figure of another period ('... for 2021' for 2022)."""
    named = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", answer.direct or answer.text)}
    return bool(years and named and not named & years)


def says_qualifiers(answer: Answer, qualifiers: list[str]) -> bool:
    """Every phrase that narrows the asked metric ('from continuing operations', 'non-GAAP') is in the quoted
    answer; single loose words the analysis keeps ('shareholders') are not checked."""
    text = (answer.direct or answer.text).lower()
    for qualifier in qualifiers:
        words = [w for w in re.findall(r"[a-z][a-z-]+", qualifier.lower()) if w not in _QUALIFIER_FILLERS]
        if len(words) < 2 and "gaap" not in qualifier.lower():
            continue  # a single loose word ('shareholders') narrows nothing a quote must repeat
        if any(not re.search(rf"\b{re.escape(w[:6])}", text) for w in words):
            return False
    return True


_QUALIFIER_FILLERS = {"from", "the", "of", "and", "in", "on", "for", "its", "their", "excluding", "including"}


# numbers that are names, not figures: a note marker '(1)', 'fiscal 2022', 'Note 12', 'Q2', 'Exhibit 10.2', 'File No.
# 333-1234', a list's '4.3 Form of ...'
_NOT_FIGURES = re.compile(
    r"\(\d{1,2}\)|\[\d{1,3}\]|\b(?:fiscal|FY|Q[1-4]|notes?|items?|pages?|parts?|tables?|exhibits?)\s*\d+(?:\.\d+)?\b"
    r"|\b(?:file|registration|commission)\s+no\.?\s*[\d-]+|^\s*\d{1,2}(?:\.\d{1,2})?\s+(?-i:(?=[A-Z]))",
    re.IGNORECASE,
)


class ExplanationAnswerer(QuotesAnswerer):
    """A why-question: the sentences that give the reason."""

    name = "explanation"
    explains = True
