"""The periods reader: the periods asked about, each named once; one per entity when each side of a comparison
names its own ('Acme in 2025 or Zeta in fiscal 2025'); two periods asked as the ends of one span ('from 2023 to
2025'); and a period named relative to the previous turn's ('a year earlier'). A document's own date ('the 8-K
dated March 3, 2031') is no period asked."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from assistant.finance.periods import PeriodSpec, week_span
from assistant.finance.vocabulary import vocabulary
from assistant.query.grammar import grammar
from assistant.query.model import Query
from assistant.query.reading import Reading


def read_periods(reading: Reading, query: Query) -> None:
    named = [p for p in reading.periods if not grammar().ends(reading.focus[: p.start], "document_date_words")]
    periods = [_in_weeks(reading.focus, p) for p in _appositions(reading.focus, named)]
    query.periods = [_instant(reading.focus, _calendar(reading.focus, p)) for p in _distinct(periods)]
    query.paired = _paired(reading)
    query.spanned = _spanned(reading.focus, query.periods)
    query.relative = (
        "previous"
        if vocabulary().has_any(reading.focus, vocabulary().periods["relative"]["previous"])
        or grammar().has(reading.focus, "years_back")
        else ""
    )
    query.forward = _forward(reading.focus)


def _forward(focus: str) -> bool:
    """Asks about the future (guidance, plans), not reported results; 'expected credit losses' is a line item."""
    g = grammar()
    text = g.pattern("not_forward").sub(" ", focus)
    return vocabulary().has_any(text, vocabulary().forward_words)


def _instant(text: str, spec: PeriodSpec) -> PeriodSpec:
    """A date asked 'at' ('at December 31, 2024') is a point in time, whatever the metric."""
    if spec.end_date and spec.months is None and grammar().ends(text[: spec.start], "instant_words"):
        return replace(spec, months=0)
    return spec


def _calendar(text: str, spec: PeriodSpec) -> PeriodSpec:
    """'The calendar third quarter of 2023' is the quarter ended September 30, 2023, whatever the company's fiscal
    calendar."""
    if not (spec.quarter and spec.fiscal_year and grammar().ends(text[: spec.start], "calendar_words")):
        return spec
    month = 3 * spec.quarter
    end = date(spec.fiscal_year, month, calendar.monthrange(spec.fiscal_year, month)[1])
    return replace(spec, end_date=end, fiscal_year=None, quarter=None)


def _appositions(text: str, periods: list[PeriodSpec]) -> list[PeriodSpec]:
    """A period restated in brackets right after it ('fiscal 2022 (year ended June 30, 2022)', 'the fourth quarter
    of fiscal 2022 (13 weeks ended January 28, 2023)') is one period: the dated naming pins its end and, where it
    says one, its length. Two dates that differ, or a date outside the named fiscal year, stay two periods."""
    out: list[PeriodSpec] = []
    for spec in periods:
        last = out[-1] if out else None
        if last is None or not _restates(text, last, spec):
            out.append(spec)
            continue
        dated, named = (spec, last) if spec.end_date else (last, spec)
        months = dated.months if dated.months is not None else week_span(text[last.end : spec.start])
        if months is None and named is last:  # 'fiscal 2021 (August 29, 2021)': the year's length
            months = named.months
        out[-1] = replace(last, end=spec.end, months=months, end_date=dated.end_date)
    return out


_OPENS = re.compile(r"\s*\((?:\s*\d{1,2}\s+weeks\s+(?:ended|ending|to)\s*)?$", re.IGNORECASE)
_WEEKS_LEAD = re.compile(r"\b\d{1,2}\s+weeks\s+(?:ended|ending|to)\s*$", re.IGNORECASE)


def _in_weeks(text: str, spec: PeriodSpec) -> PeriodSpec:
    """A date led by a length in weeks ('the 52 weeks ended August 30, 2020') ends a period of that length."""
    if spec.end_date is None or spec.months is not None:
        return spec
    lead = _WEEKS_LEAD.search(text[max(0, spec.start - 30) : spec.start])
    return replace(spec, months=week_span(lead.group(0))) if lead else spec


def _restates(text: str, first: PeriodSpec, second: PeriodSpec) -> bool:
    """The second period stands alone in brackets right after the first, and one of the two gives an end date
    that falls within (or just after) the other's fiscal year."""
    if not (_OPENS.match(text[first.end : second.start]) and text[second.end :].lstrip().startswith(")")):
        return False
    dates = [p.end_date for p in (first, second) if p.end_date]
    if len(dates) != 1:
        return False
    year = first.fiscal_year or second.fiscal_year
    return year is None or dates[0].year in (year - 1, year, year + 1)


def _distinct(periods: list[PeriodSpec]) -> list[PeriodSpec]:
    """Periods named twice ('2025 ... the full year 2025') count once; the more specific naming is kept."""
    out: list[PeriodSpec] = []
    for spec in periods:
        same = next(
            (
                o
                for o in out
                if (o.fiscal_year, o.quarter, o.end_date) == (spec.fiscal_year, spec.quarter, spec.end_date)
                and (o.months is None or spec.months is None or o.months == spec.months)
            ),
            None,
        )
        if same is None:
            out.append(spec)
        elif same.months is None and spec.months is not None:
            out[out.index(same)] = spec
    return out


def _paired(reading: Reading) -> list[PeriodSpec]:
    """Each entity's own period when every one is followed by one, else nothing."""
    named, periods = reading.named, reading.periods
    if len(named) < 2 or len(periods) < len(named):
        return []
    out = []
    for i, mention in enumerate(named):
        until = named[i + 1].start if i + 1 < len(named) else len(reading.focus) + 1
        spec = next((p for p in periods if mention.end <= p.start < until), None)
        if spec is None:
            return []
        out.append(spec)
    return out


def _spanned(text: str, periods: list[PeriodSpec]) -> bool:
    """Two periods joined as the ends of one span ('from 2023 to 2025', 'Q2 2025 versus Q2 2024'); 'between ...
    and' and 'from ... to' count, a bare 'and' does not."""
    if len(periods) != 2:
        return False
    g = grammar()
    first, second = periods
    between = text[first.end : second.start]
    if not g.pattern("span_between").match(between):
        return False
    if g.pattern("and_between").match(between):
        return bool(g.pattern("between_tail").search(text[: first.start]))
    return True
