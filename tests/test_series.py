"""Figures over a run of periods or across segments: which questions ask for them, which points are found (every
one cited, none invented), and the series the Answer carries for a chart."""

from datetime import date

import pytest

from assistant.answer.compose import write_series
from assistant.answer.series import solve_series
from assistant.finance.periods import periods_between
from assistant.answer.solve import Solver
from assistant.store.facts import FactIndex
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period
from assistant.query.analyze import analyze
from assistant.query.registry import Registry
from assistant.contract.types import Chunk, Fact


def _fact(period: Period, value: float, segment: str = "", concept: str = "operating_income") -> Fact:
    return Fact(
        concept=concept,
        label=concept,
        period=period.key(),
        value=value,
        unit="USD",
        quote=f"{segment or 'Total'} operating income {value / 1e6:,.0f}",
        text=f"{value / 1e6:,.0f}",
        scale=1e6,
        company="Acme Corp",
        segment=segment,
        source="table",
        primary=True,
        chunk_id="c1",
        doc_id="d1",
    )


def _year(y: int) -> Period:
    return Period(date(y, 12, 31), 12)


def _setup(facts: list[Fact]):
    matcher = EntityMatcher()
    matcher.add_company("Acme Corp", ["Acme"])
    for segment in ("Retail", "Cloud"):
        matcher.add_segment("Acme Corp", segment)
    registry = Registry(
        matcher=matcher,
        calendars={"Acme Corp": FiscalCalendar()},
        display={"Acme Corp": "Acme"},
        currencies={"Acme Corp": "USD"},
        segments={("Acme Corp", "Retail"): None, ("Acme Corp", "Cloud"): None},
    )
    chunk = Chunk(
        id="c1",
        doc_id="d1",
        text="\n".join(f.quote for f in facts),
        title="Acme 10-K",
        company="Acme Corp",
        facts=facts,
    )
    solver = Solver(FactIndex.build([chunk]), registry.calendars, currencies=registry.currencies)
    return registry, solver, {"c1": chunk}


def test_periods_between_steps_by_year_and_by_quarter():
    assert periods_between(_year(2022), _year(2025)) == [_year(y) for y in (2022, 2023, 2024, 2025)]
    quarters = periods_between(Period(date(2024, 6, 30), 3), Period(date(2025, 3, 31), 3))
    assert [p.end for p in quarters] == [date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31)]


def test_which_questions_ask_for_a_series():
    registry, _, _ = _setup([])
    ask = lambda q: analyze(q, registry.matcher)
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
    facts = [
        _fact(_year(2022), 10e6, "Retail"),
        _fact(_year(2025), 40e6, "Retail"),
        _fact(_year(2022), 50e6, "Cloud"),
        _fact(_year(2025), 30e6, "Cloud"),
    ]
    registry, solver, chunks = _setup(facts)
    query = analyze("How did each segment's operating income at Acme change from 2022 to 2025?", registry.matcher)
    answer = write_series(solve_series(solver, query, registry.segments_of), query, registry, chunks, [])
    assert [s.label for s in answer.series] == ["Retail segment operating income", "Cloud segment operating income"]
    assert [c.result for c in answer.computations] == [30e6, -20e6]
    assert (
        "Retail segment operating income rose from $10 million in FY2022 to $40 million in FY2025, up $30 million "
        "(+300.0%)" in answer.direct
    )
    assert "fell from $50 million in FY2022 to $30 million in FY2025, down $20 million (-40.0%)" in answer.direct
    assert [c.result_text for c in answer.computations] == ["$30 million (+300.0%)", "$20 million (-40.0%)"]


def test_the_one_line_answer_reads_in_billions_when_the_company_writes_so_and_the_work_stays_exact():
    facts = [_fact(_year(2022), 80_096e6), _fact(_year(2023), 90_757e6), _fact(_year(2024), 107_556e6)]
    registry, solver, chunks = _setup(facts)
    query = analyze("How did Acme's operating income change from 2022 to 2024?", registry.matcher)
    solution = solve_series(solver, query, registry.segments_of)
    as_printed = write_series(solution, query, registry, chunks, [])
    assert "FY2022 $80,096 million [1]" in as_printed.direct  # its sentences never said how they write billions
    registry.prose_scales[("Acme Corp", "USD")] = 1e9
    answer = write_series(solution, query, registry, chunks, [])
    assert answer.direct.startswith(
        "Acme's operating income rose from $80.1 billion in FY2022 to $107.6 billion in "
        "FY2024, up $27.5 billion (+34.3%): FY2022 $80.1 billion [1], FY2023 $90.8 billion"
    )
    assert [p.text for p in answer.series[0].points] == ["$80,096 million", "$90,757 million", "$107,556 million"]
    assert answer.computations[0].result_text == "$27,460 million (+34.3%)"
    registry.prose_scales[("Acme Corp", "USD")] = 1e6  # a company that writes 'RMB118,028 million' keeps millions
    assert "$80,096 million" in write_series(solution, query, registry, chunks, []).direct


def test_figures_that_would_read_alike_in_billions_are_stated_as_printed():
    facts = [_fact(_year(2024), 21_187e6), _fact(_year(2025), 21_192e6)]
    registry, solver, chunks = _setup(facts)
    registry.prose_scales[("Acme Corp", "USD")] = 1e9
    query = analyze("What was Acme's operating income in each year from 2024 to 2025?", registry.matcher)
    answer = write_series(solve_series(solver, query, registry.segments_of), query, registry, chunks, [])
    assert "FY2024 $21,187 million [1], FY2025 $21,192 million [1]" in answer.direct


def test_a_follow_up_naming_another_metric_keeps_the_run_of_years():
    registry, _, _ = _setup([])
    first = analyze("How did Acme's net sales change from 2022 to 2024?", registry.matcher)
    follow = analyze("And its operating income?", registry.matcher, previous=first)
    assert (follow.series, follow.operation, follow.concept.key) == ("periods", "change", "operating_income")
    assert len(follow.periods) == 2
    each = analyze("What was each segment's operating income in 2025?", registry.matcher)
    assert analyze("And net sales?", registry.matcher, previous=each).series == "segments"
    assert analyze("And in 2024?", registry.matcher, previous=first).series == ""  # a period of its own


def test_a_single_point_is_not_a_series():
    registry, solver, _ = _setup([_fact(_year(2025), 5e6, "Cloud")])
    query = analyze("What was Cloud operating income in each year from 2022 to 2025?", registry.matcher)
    assert solve_series(solver, query, registry.segments_of) is None


def test_a_ratio_change_states_both_ends_and_the_change_in_points():
    from assistant.answer.compose import write

    facts = [
        _fact(_year(2024), -9e6),
        _fact(_year(2025), 69e6),
        _fact(_year(2024), 1000e6, concept="revenue"),
        _fact(_year(2025), 1000e6, concept="revenue"),
    ]
    registry, solver, chunks = _setup(facts)
    query = analyze("How did Acme's operating margin change from 2024 to 2025?", registry.matcher)
    answer = write(solver.solve(query), query, registry, chunks, [])
    assert answer.direct.startswith(
        "Acme's operating margin rose from -0.9% in FY2024 to 6.9% in FY2025, up 7.8 percentage points: "
    )
    assert answer.computations[0].result_text == "7.8 percentage points (from -0.9% to 6.9%)"


def test_the_highest_of_the_segments_leads_with_the_others_after_it():
    facts = [_fact(_year(2025), 40e6, "Retail"), _fact(_year(2025), 30e6, "Cloud")]
    registry, solver, chunks = _setup(facts)
    query = analyze("Which Acme segment had the highest operating income in 2025?", registry.matcher)
    answer = write_series(solve_series(solver, query, registry.segments_of), query, registry, chunks, [])
    assert (
        answer.direct == "Retail had the highest operating income in FY2025: $40 million [1] (Cloud $30 million [1])."
    )


def test_one_year_named_twice_by_two_names_is_asked_once():
    registry, solver, _ = _setup([_fact(_year(2024), 7e9)])
    query = analyze(
        "What was Acme's operating income in fiscal 2024, the year ended January 1, 2025?", registry.matcher
    )
    assert len(query.periods) == 2
    solution = solver.solve(query)
    assert [s.fact.value for s in solution.sides] == [7e9] and not solution.missing


def test_a_line_item_read_from_a_table_with_no_printed_scale_fails_the_scale_check():
    from assistant.answer.adhoc import read_figure
    from assistant.answer.checks import check
    from assistant.contract.types import ScoredChunk
    from ingest.tables import TableContext, parse_table

    registry, _, _ = _setup([])
    table = parse_table(
        ["Selected operating data"],
        ["Year Ended December 31, 2029 2030", "Subscriber fees 7,100 9,400"],
        TableContext(),
    )
    chunk = Chunk(
        id="t1", doc_id="d1", text=table.caption, title="Acme 10-K", company="Acme Corp", kind="table", table=table
    )
    query = analyze("What were Acme's subscriber fees in 2030?", registry.matcher)
    solution = read_figure(query, [ScoredChunk(chunk, 1.0)], registry)
    assert solution.sides[0].fact.value == 9_400
    assert [f.check for f in check(solution, FactIndex())] == ["scale"]


def test_a_line_item_no_vocabulary_names_is_compared_across_two_years_from_one_table_row():
    from assistant.answer.adhoc import read_figure
    from assistant.answer.checks import check
    from assistant.answer.compose import write
    from assistant.contract.types import ScoredChunk
    from ingest.tables import TableContext, parse_table

    registry, _, _ = _setup([])
    table = parse_table(
        ["Expenses summary (Millions)"],
        ["Years Ended December 31, 2030 2029 2028", "Member rewards $ 1,400 $ 1,100 $ 800", "Other 60 50 40"],
        TableContext(),
    )
    chunk = Chunk(
        id="t1", doc_id="d1", text=table.caption, title="Acme 10-K", company="Acme Corp", kind="table", table=table
    )
    query = analyze("How did Acme's member rewards expense in 2030 compare with 2029?", registry.matcher)
    solution = read_figure(query, [ScoredChunk(chunk, 1.0)], registry)
    assert [s.fact.value for s in solution.sides] == [1_400e6, 1_100e6] and not check(solution, FactIndex())
    answer = write(solution, query, registry, {"t1": chunk}, [ScoredChunk(chunk, 1.0)])
    assert "in FY2030 were $1,400 million [1]" in answer.direct and "in FY2029 were $1,100 million [1]" in answer.direct
    one_year = analyze("How did Acme's member rewards expense in 2030 compare with 2027?", registry.matcher)
    assert read_figure(one_year, [ScoredChunk(chunk, 1.0)], registry) is None  # 2027 is not in the row


def test_a_narrower_line_whose_label_names_another_metric_never_stands_in_for_the_asked_one():
    from dataclasses import replace as with_

    from assistant.finance.vocabulary import vocabulary

    at = Period(date(2030, 12, 31), 0)
    debt = _fact(at, 140e9, concept="long_term_debt")
    current = with_(
        _fact(at, 9e9, concept="long_term_debt_maturing_within_one_year"),
        label="Long-term debt maturing within one year",
    )
    registry, solver, _ = _setup([debt, current])
    query = analyze(
        "What was Acme's long-term debt plus debt maturing within one year at the end of 2030?", registry.matcher
    )
    solver.solve(query)  # the question says every word of the narrower line's label
    assert [f.value for f in solver.find(query.entities[0], vocabulary().concepts["long_term_debt"], at)] == [140e9]


@pytest.mark.parametrize(
    "word, said",
    [
        ("Income", "income"),
        ("AcmeCo", "AcmeCo"),
        ("U.S.", "U.S."),
        ("GAAP", "GAAP"),
        ("INCOME", "income"),
        ("NET", "net"),
        ("EBITDA", "EBITDA"),
        ("ZETA", "ZETA"),
    ],
)
def test_a_title_case_labels_words_read_in_a_sentence_keep_only_names_capitals(word, said):
    from assistant.answer.compose import _in_sentence_case

    assert _in_sentence_case(word) == said
