"""A figure over a run of periods ('cloud segment operating income from 2022 to 2025') or across a company's segments ('each
segment's operating income in 2025'): every point looked up from the facts and cited, written as one line per
entity and returned as `Series` for a chart and its table."""

from __future__ import annotations

from typing import Callable

from assistant.answer.solve import Missing, Side, Solution, Solver, month_end_after
from assistant.finance.entities import Entity
from assistant.finance.periods import Period
from assistant.query.analyze import Query
from assistant.contract.types import Series, SeriesPoint

MAX_POINTS = 12  # a run longer than this is not a chart anyone asked for


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period of the same length from `first` to `last`: fiscal years a year apart, quarters three months
    apart (balances at each year end or quarter end)."""
    step = 12 if first.months in (0, 12) else first.months or 12
    out, current = [], last
    while current.end >= first.end and len(out) < MAX_POINTS:
        out.append(current)
        current = _months_back(current, step)
    return list(reversed(out))


def _months_back(period: Period, months: int) -> Period:
    if months % 12 == 0:
        return period.shifted(-months // 12)
    return Period(month_end_after(period.end, -months), period.months)


def solve_series(solver: Solver, query: Query, segments_of: Callable[[str], list[str]]) -> Solution | None:
    """Sides for every (entity, period) point the documents state, and as missing the entities with none; None
    when fewer than two points are found."""
    concept = query.concept
    entities = query.entities or solver.default_entities(concept, query)
    if query.each_segment:
        entities = [Entity(e.company, s) for e in entities for s in segments_of(e.company)] or entities
    solution = Solution()
    for entity in entities:
        resolved = [solver.period_of(spec, entity, concept) for spec in query.periods] or \
            [solver.latest(entity, concept)]
        resolved = [p for p in resolved if p is not None]
        if not resolved:
            continue
        if query.series == "periods":
            ends = sorted(resolved, key=lambda p: p.end)
            wanted = periods_between(ends[0], ends[-1]) if len(resolved) == 2 else ends
        else:
            wanted = resolved[:1]
        found_any = False
        for period in wanted:
            found = solver.find(entity, concept, period)
            if found:
                solution.sides.append(Side(entity, concept, period, fact=found[0]))
                found_any = True
        if not found_any:
            solution.missing.append(Missing(entity, concept, wanted[-1] if wanted else None, reason="period"))
    return solution if len(solution.sides) >= 2 else None


def series_of(sides: list[Side], label_of, period_label, text_of, cite) -> list[Series]:
    """One Series per entity over periods, or one across entities for a single period."""
    by_entity: dict[tuple[str, str], list[Side]] = {}
    for side in sides:
        by_entity.setdefault((side.entity.company, side.entity.segment), []).append(side)
    over_periods = any(len(group) > 1 for group in by_entity.values())
    if over_periods:
        return [Series(label=label_of(group[0]), unit=group[0].fact.unit,
                       points=[SeriesPoint(x=period_label(s), value=s.fact.value, text=text_of(s), citation=cite(s))
                               for s in group])
                for group in by_entity.values()]
    first = sides[0]
    return [Series(label=first.concept.label, unit=first.fact.unit,
                   points=[SeriesPoint(x=label_of(s, short=True), value=s.fact.value, text=text_of(s),
                                       citation=cite(s)) for s in sides])]
