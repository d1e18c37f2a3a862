"""Figures over a run of periods or across segments: which questions ask for them, which points are found (every
one cited, none invented), and the series the Answer carries for a chart."""

from datetime import date

from assistant.answer.compose import write_series
from assistant.answer.series import periods_between, solve_series
from assistant.answer.solve import Solver
from assistant.store.facts import FactIndex
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period
from assistant.query.analyze import analyze
from assistant.query.registry import Registry
from assistant.contract.types import Chunk, Fact


def _fact(period: Period, value: float, segment: str = "", concept: str = "operating_income") -> Fact:
    return Fact(concept=concept, label=concept, period=period.key(), value=value, unit="USD",
                quote=f"{segment or 'Total'} operating income {value / 1e6:,.0f}", text=f"{value / 1e6:,.0f}",
                scale=1e6, company="Acme Corp", segment=segment, source="table", primary=True, chunk_id="c1",
                doc_id="d1")


def _year(y: int) -> Period:
    return Period(date(y, 12, 31), 12)


def _setup(facts: list[Fact]):
    matcher = EntityMatcher()
    matcher.add_company("Acme Corp", ["Acme"])
    for segment in ("Retail", "Cloud"):
        matcher.add_segment("Acme Corp", segment)
    registry = Registry(matcher=matcher, calendars={"Acme Corp": FiscalCalendar()}, display={"Acme Corp": "Acme"},
                        currencies={"Acme Corp": "USD"},
                        segments={("Acme Corp", "Retail"): None, ("Acme Corp", "Cloud"): None})
    chunk = Chunk(id="c1", doc_id="d1", text="\n".join(f.quote for f in facts), title="Acme 10-K",
                  company="Acme Corp", facts=facts)
    solver = Solver(FactIndex.build([chunk]), registry.calendars, currencies=registry.currencies)
    return registry, solver, {"c1": chunk}


def test_periods_between_steps_by_year_and_by_quarter():
    assert periods_between(_year(2022), _year(2025)) == [_year(y) for y in (2022, 2023, 2024, 2025)]
    quarters = periods_between(Period(date(2024, 6, 30), 3), Period(date(2025, 3, 31), 3))
    assert [p.end for p in quarters] == [date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31)]


def test_which_questions_ask_for_a_series():
    registry, _, _ = _setup([])
    ask = lambda q: analyze(q, registry.matcher)  # noqa: E731
    assert ask("What was Cloud operating income in each year from 2022 to 2025?").series == "periods"
    assert ask("How did Acme's operating income change from 2022 to 2025?").series == "periods"
    assert ask("What was each segment's operating income in 2025?").series == "segments"
    assert ask("How did Acme's operating income change from 2024 to 2025?").series == ""  # one change, two points
    assert ask("What was Acme's operating income in 2025?").series == ""


def test_a_run_of_years_lists_every_stated_point_with_its_citation_and_skips_none():
    facts = [_fact(_year(y), v * 1e6, "Cloud") for y, v in ((2022, 100), (2023, 120), (2025, 180))]
    registry, solver, chunks = _setup(facts)
    query = analyze("What was Cloud operating income in each year from 2022 to 2025?", registry.matcher)
    solution = solve_series(solver, query, registry.segments_of)
    answer = write_series(solution, query, registry, chunks, [])
    (series,) = answer.series
    assert [p.x for p in series.points] == ["FY2022", "FY2023", "FY2025"]  # FY2024 is not stated: not invented
    assert [p.value for p in series.points] == [100e6, 120e6, 180e6]
    assert all(p.citation == 1 for p in series.points) and answer.citations[0].chunk_id == "c1"


def test_each_segment_and_a_change_over_the_run_shows_its_work():
    facts = [_fact(_year(2022), 10e6, "Retail"), _fact(_year(2025), 40e6, "Retail"),
             _fact(_year(2022), 50e6, "Cloud"), _fact(_year(2025), 30e6, "Cloud")]
    registry, solver, chunks = _setup(facts)
    query = analyze("How did each segment's operating income at Acme change from 2022 to 2025?", registry.matcher)
    answer = write_series(solve_series(solver, query, registry.segments_of), query, registry, chunks, [])
    assert [s.label for s in answer.series] == ["Retail segment operating income", "Cloud segment operating income"]
    assert [c.result for c in answer.computations] == [30e6, -20e6]
    assert "down $20 million from FY2022 to FY2025" in answer.direct


def test_a_single_point_is_not_a_series():
    registry, solver, _ = _setup([_fact(_year(2025), 5e6, "Cloud")])
    query = analyze("What was Cloud operating income in each year from 2022 to 2025?", registry.matcher)
    assert solve_series(solver, query, registry.segments_of) is None
