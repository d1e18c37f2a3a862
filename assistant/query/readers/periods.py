"""The periods reader: the periods asked about, each named once; one per entity when each side of a comparison
names its own ('Acme in 2025 or Zeta in fiscal 2025'); two periods asked as the ends of one span ('from 2023 to
2025'); and a period named relative to the previous turn's ('a year earlier')."""

from __future__ import annotations

from assistant.finance.periods import PeriodSpec
from assistant.finance.vocabulary import vocabulary
from assistant.query.grammar import grammar
from assistant.query.model import Query
from assistant.query.reading import Reading


def read_periods(reading: Reading, query: Query) -> None:
    query.periods = _distinct(reading.periods)
    query.paired = _paired(reading)
    query.spanned = _spanned(reading.focus, query.periods)
    query.relative = "previous" if vocabulary().has_any(reading.focus, vocabulary().periods["relative"]["previous"]) \
        or grammar().has(reading.focus, "years_back") else ""


def _distinct(periods: list[PeriodSpec]) -> list[PeriodSpec]:
    """Periods named twice ('2025 ... the full year 2025') count once; the more specific naming is kept."""
    out: list[PeriodSpec] = []
    for spec in periods:
        same = next((o for o in out if (o.fiscal_year, o.quarter, o.end_date) == (spec.fiscal_year, spec.quarter,
                                                                                  spec.end_date)
                     and (o.months is None or spec.months is None or o.months == spec.months)), None)
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
    between = text[first.end:second.start]
    if not g.pattern("span_between").match(between):
        return False
    if g.pattern("and_between").match(between):
        return bool(g.pattern("between_tail").search(text[:first.start]))
    return True
