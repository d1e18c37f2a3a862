"""A figure over a run of periods ('cloud segment operating income from 2022 to 2025') or across a company's segments ('each
segment's operating income in 2025'): every point looked up from the facts and cited, written as one line per
entity and returned as `Series` for a chart and its table."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer.solve import Missing, MissingReason, Side, Solution, Solver
from assistant.finance.entities import Entity
from assistant.finance.periods import periods_between
from assistant.query.analyze import Query
from assistant.contract.types import Series, SeriesPoint

MAX_POINTS = 12  # a run longer than this is not a chart anyone asked for


def solve_series(solver: Solver, query: Query, segments_of: Callable[[str], list[str]]) -> Solution | None:
    """Sides for every (entity, period) point the documents state, and as missing the entities with none; None
    when fewer than two points are found."""
    concept = query.concept
    if concept is None:
        return None
    entities = query.entities or solver.default_entities(concept, query)
    if query.each_segment:
        entities = [Entity(e.company, s) for e in entities for s in segments_of(e.company)] or entities
    solution = Solution()
    for entity in entities:
        named = [solver.period_of(spec, entity, concept) for spec in query.periods] or [solver.latest(entity, concept)]
        resolved = [p for p in named if p is not None]
        if not resolved:
            continue
        if query.series == "periods":
            ends = sorted(resolved, key=lambda p: p.end)
            wanted = periods_between(ends[0], ends[-1], MAX_POINTS) if len(resolved) == 2 else ends
        else:
            wanted = resolved[:1]
        found_any = False
        for period in wanted:
            found = solver.find(entity, concept, period)
            if found:
                solution.sides.append(Side(entity, concept, period, fact=found[0]))
                found_any = True
        if not found_any:
            solution.missing.append(
                Missing(entity, concept, wanted[-1] if wanted else None, reason=MissingReason.PERIOD)
            )
    return solution if len(solution.sides) >= 2 else None


def series_of(sides: list[Side], label_of, period_label, text_of, cite) -> list[Series]:
    """One Series per entity over periods, or one across entities for a single period."""
    by_entity: dict[tuple[str, str], list[Side]] = {}
    for side in sides:
        by_entity.setdefault((side.entity.company, side.entity.segment), []).append(side)
    over_periods = any(len(group) > 1 for group in by_entity.values())
    if over_periods:
        return [
            Series(
                label=label_of(group[0]),
                unit=group[0].stated.unit,
                points=[
                    SeriesPoint(x=period_label(s), value=s.stated.value, text=text_of(s), citation=cite(s))
                    for s in group
                ],
            )
            for group in by_entity.values()
        ]
    first = sides[0]
    return [
        Series(
            label=first.concept.label,
            unit=first.stated.unit,
            points=[
                SeriesPoint(x=label_of(s, short=True), value=s.stated.value, text=text_of(s), citation=cite(s))
                for s in sides
            ],
        )
    ]
