"""The operation reader: what is done with the figures (the value, growth, a change, a difference, a share, a
CAGR, an average or a sum), further parts asked with 'and' ('and how much did it grow', 'and why'), which way a
comparison points, and whether the figure is asked across segments or over a run of periods."""

from __future__ import annotations

from dataclasses import replace

from assistant.finance.periods import PeriodSpec
from assistant.query.grammar import grammar
from assistant.query.model import Operation, Query
from assistant.query.reading import Reading


def read_operation(reading: Reading, query: Query) -> None:
    g, focus = grammar(), reading.focus
    why = g.pattern("why_tail").search(focus) or _second_ask(reading, query)
    head = focus[: why.start()] if why and query.concepts else focus  # 'What was X, and why did it fall?'
    query.operation = operation_of(head, query)
    if (
        query.operation == Operation.CHANGE
        and len(query.periods) == 1
        and asks_direction(head, query)
        and not query.forward
    ):
        query.periods.append(year_earlier(query.periods[0]))  # the year before is the other side of the change
    elif (
        query.operation == Operation.VALUE
        and len(query.periods) == 1
        and query.relative == "previous"
        and query.entities
        and g.has(head, "compare_words")
    ):  # '... for the first six months of fiscal 2024 compare with the same six months a year earlier?'
        query.periods.append(year_earlier(query.periods[0]))
        query.relative = ""
    query.also = _also_asked(head, reading, query) + (["explain"] if head != focus else [])
    query.why = focus[len(head) :].strip(" ,") if head != focus else ""
    if "growth" in query.also:
        query.operation = Operation.VALUE
    if query.operation == Operation.SUM:  # 'combined net sales for 2023 and 2024': the sum, not a narrower line
        query.qualifiers = [q for q in query.qualifiers if not grammar().is_one(q, "sum_words")]
    query.comparative = "larger" if g.has(focus, "larger_words") else "smaller" if g.has(focus, "smaller_words") else ""
    _read_scope(reading, query)


def operation_of(focus: str, query: Query) -> Operation:
    g = grammar()
    if g.has(focus, "cagr_words"):
        return Operation.CAGR
    two_periods = len(query.periods) >= 2
    concept = query.concept
    if concept is not None and concept.derived and concept.unit in g.tables["ratio_units"]:
        if asks_direction(focus, query) or two_periods and g.has(focus, "ratio_change_words"):
            return Operation.CHANGE  # 'an improving margin as of FY2022?': against the year before, in points
        return Operation.AVERAGE if g.has(focus, "average_words") and two_periods else Operation.VALUE
    if g.has(focus, "share_words") and g.pattern("share_of").search(focus):
        return Operation.SHARE
    if g.has(focus, "growth_words") or asks_direction(focus, query):
        return Operation.GROWTH  # 'Did X's operating income increase in 2022?': its change on the year
    if g.pattern("how_much_more").search(focus):
        return Operation.DIFFERENCE if len(query.entities) >= 2 else Operation.CHANGE
    if g.has(focus, "change_words") and (two_periods or query.relative or g.has(focus, "by_how_much")):
        return Operation.CHANGE
    if g.has(focus, "average_words") and two_periods:
        return Operation.AVERAGE
    if g.has(focus, "sum_words") and (two_periods or len(query.entities) >= 2):
        return Operation.SUM
    return Operation.VALUE


def asks_direction(focus: str, query: Query) -> bool:
    """A yes/no question about which way one figure moved ('Did X increase in 2022?', 'an improving margin?')."""
    g = grammar()
    return bool(
        g.starts(focus, "yes_no_openers")
        and len(query.periods) <= 1
        and len(query.entities) <= 1
        and g.pattern("direction").search(focus)
    )


def year_earlier(spec: PeriodSpec, years: int = 1) -> PeriodSpec:
    return replace(
        spec,
        fiscal_year=spec.fiscal_year - years if spec.fiscal_year else None,
        end_date=spec.end_date.replace(year=spec.end_date.year - years) if spec.end_date else None,
        text=f"{spec.text} (a year earlier)" if years == 1 else f"{spec.text} ({years} years earlier)",
    )


def _second_ask(reading: Reading, query: Query):
    """A second question about something other than a figure ('..., and what was the effect on share count?'):
    answered by a quoted sentence after the figure."""
    tail = grammar().pattern("second_ask").search(reading.focus)
    if tail is None:
        return None
    named = {m.concept.key for m in reading.mentions if m.start >= tail.start()}
    return tail if not named - {c.key for c in query.concepts[:1]} else None


def _also_asked(focus: str, reading: Reading, query: Query) -> list[str]:
    """More parts asked in one question: 'net sales ... and how much did they grow' (the value and its growth),
    'net income and diluted EPS' (two line items side by side)."""
    g, mentions, out = grammar(), reading.mentions, []
    if query.concept is not None and not query.concept.derived and g.pattern("and_growth").search(focus):
        out.append("growth")
    if (
        query.operation == Operation.GROWTH
        and query.concept is not None
        and any(m.concept == query.concept and g.pattern("and_value").search(focus[: m.start]) for m in mentions)
    ):
        out.append("value")  # 'how much did it grow, and to what revenue?'
    if query.own_concepts:
        return out  # each company's own metric, not two line items of each
    for a, b in zip(mentions, mentions[1:]):
        if (
            a.concept == query.concept
            and not b.concept.derived
            and b.concept != a.concept
            and g.pattern("joined").fullmatch(focus[a.end : b.start])
        ):
            out.append(b.concept.key)
    return out


def _read_scope(reading: Reading, query: Query) -> None:
    """Each segment's figure ('by segment', 'which segment had the highest ...') or a run of periods."""
    g, focus = grammar(), reading.focus
    query.each_segment = bool(g.pattern("each_segment").search(focus))
    superlative = g.pattern("which_part").search(focus)
    if superlative and query.concept is not None and len(query.periods) <= 1:
        query.each_segment = True  # 'Which segment had the highest operating income in 2024?'
        query.superlative = "min" if g.is_one(superlative.group(1), "low_superlatives") else "max"
        query.qualifiers = [
            q
            for q in query.qualifiers
            if not g.is_one(q, "segment_words") and q.lower() != superlative.group(1).lower()
        ]
    query.series = _series_asked(focus, query)


def _series_asked(text: str, query: Query) -> str:
    """'periods' when a figure is asked over a run of periods ('from 2022 to 2025', 'each year', three periods
    listed), 'segments' for every segment's figure, else ''."""
    concept = query.concept
    if concept is None or concept.derived and concept.key.startswith(("inline:", "defined:")):
        return ""
    years = sorted({p.fiscal_year or (p.end_date.year if p.end_date else 0) for p in query.periods})
    run = (
        len(query.periods) >= 3
        or len(query.periods) == 2
        and (
            grammar().has(text, "each_period_words")
            or query.spanned
            and years[-1] - years[0] >= 2
            and query.operation in (Operation.VALUE, Operation.CHANGE)
        )
    )
    if run:
        return "periods"
    return "segments" if query.each_segment else ""
