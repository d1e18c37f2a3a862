"""The calculator: formulas over cited facts, growth and changes between periods, quarters by subtraction, and
never a quarter mixed with a year or two currencies in one formula."""

from dataclasses import replace
from datetime import date

import pytest

from assistant.answer.calculator import Calculator
from assistant.answer.solve import Solver
from assistant.store.facts import FactIndex
from assistant.finance.entities import Entity, EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period
from assistant.finance.vocabulary import vocabulary
from assistant.query.analyze import analyze
from assistant.contract.types import Chunk, Fact

FY24, FY25 = Period(date(2024, 12, 31), 12), Period(date(2025, 12, 31), 12)
V = vocabulary().concepts


def _fact(concept, period, value, unit="USD", segment=""):
    return Fact(
        concept=concept,
        label=concept,
        period=period.key(),
        value=value,
        unit=unit,
        quote=f"{concept} {value}",
        text=f"{value:,.0f}",
        scale=1e6,
        company="Acme",
        segment=segment,
        source="table",
        primary=True,
        chunk_id="c",
        doc_id="d",
    )


def _calculator(facts):
    def lookup(concept, period):
        return next((f for f in facts if f.concept == concept.key and Period.from_key(f.period).matches(period)), None)

    return Calculator(lookup)


def test_a_formula_uses_every_operand_once_with_its_fact():
    facts = [_fact("operating_income", FY24, 29_619e6), _fact("revenue", FY24, 426_305e6)]
    outcome = _calculator(facts).formula(V["operating_margin"], FY24)
    assert outcome.ok and round(outcome.value, 1) == 6.9 and [i.fact for i in outcome.inputs] == facts


def test_outflows_printed_in_parentheses_are_used_by_their_size():
    facts = [_fact("operating_cash_flow", FY24, 115_877e6), _fact("ppe_purchases", FY24, -82_999e6)]
    outcome = _calculator(facts).formula(V["free_cash_flow"], FY24)
    assert outcome.ok and outcome.value == 115_877e6 - 82_999e6


def test_averages_use_the_balances_at_both_ends_of_the_year():
    facts = [
        _fact("revenue", FY24, 100e6),
        _fact("ppe_net", Period(date(2023, 12, 31), 0), 40e6),
        _fact("ppe_net", Period(date(2024, 12, 31), 0), 60e6),
    ]
    outcome = _calculator(facts).formula(V["fixed_asset_turnover"], FY24)
    assert outcome.ok and outcome.value == 2.0 and len(outcome.inputs) == 3


def test_a_missing_operand_is_named_and_nothing_is_computed():
    outcome = _calculator([_fact("operating_income", FY24, 1e6)]).formula(V["operating_margin"], FY24)
    assert not outcome.ok and outcome.value is None and any("net sales" in m for m in outcome.missing)


def test_two_currencies_are_never_mixed():
    facts = [_fact("net_income", FY24, 10e9, "CNY"), _fact("revenue", FY24, 100e9, "USD")]
    assert not _calculator(facts).formula(V["net_margin"], FY24).ok


def test_growth_and_changes_between_periods():
    facts = [_fact("revenue", FY24, 100e6), _fact("revenue", FY25, 112e6)]
    calc = _calculator(facts)
    assert round(calc.growth(V["revenue"], FY25).value, 6) == 12.0
    assert calc.change(V["revenue"], FY25, FY24).value == 12e6


def _solver(facts):
    chunk = Chunk(id="c", doc_id="d", text="t", company="Acme", facts=facts)
    return Solver(FactIndex.build([chunk]), {"Acme": FiscalCalendar()})


def test_a_quarter_no_document_states_is_computed_from_the_periods_around_it():
    q4 = Period(date(2025, 12, 31), 3)
    h1 = Period(date(2025, 6, 30), 6)
    facts = [
        _fact("operating_income", FY25, 45_606e6, segment="Cloud"),
        _fact("operating_income", q4, 12_465e6, segment="Cloud"),
        _fact("operating_income", h1, 21_707e6, segment="Cloud"),
    ]
    solver = _solver(facts)
    side = solver._value(Entity("Acme", "Cloud"), V["operating_income"], Period(date(2025, 9, 30), 3))
    assert side.outcome is not None and side.outcome.value == 11_434e6 and len(side.outcome.inputs) == 3


def test_a_period_the_documents_lack_is_refused_with_the_periods_they_have():
    from assistant.finance.entities import EntityMatcher

    names = EntityMatcher()
    names.add_company("Acme")
    solution = _solver([_fact("revenue", FY24, 1e6), _fact("revenue", FY25, 2e6)]).solve(
        analyze("What was Acme's revenue in 2026?", names)
    )
    assert not solution.ok and solution.missing[0].available == [FY25, FY24]


def test_a_company_definition_is_read_into_its_own_formula():
    from assistant.query.analyze import company_formula

    sentence = (
        "Free cash flow is cash flow from operations reduced by “Purchases of property and equipment, net of "
        "proceeds from sales and incentives.”"
    )
    own = company_formula(sentence, V["free_cash_flow"])
    assert own.formula == "operating_cash_flow - net_capex" and own.label == "free cash flow"
    assert company_formula("Free cash flow is an important measure of our liquidity.", V["free_cash_flow"]) is None


def test_sides_in_two_currencies_are_compared_in_a_translation_the_document_states():
    facts = [
        _fact("net_income", FY25, 77_670e6),
        replace(_fact("net_income", FY25, 125_976e6, "CNY"), company="Zeta", chunk_id="z"),
        replace(
            _fact("net_income", FY25, 17_360e6, "USD"), company="Zeta", source="sentence", primary=False, chunk_id="z"
        ),
    ]
    chunks = [
        Chunk(id="c", doc_id="d", text="t", company="Acme", facts=facts[:1]),
        Chunk(id="z", doc_id="e", text="t", company="Zeta", facts=facts[1:]),
    ]
    solver = Solver(
        FactIndex.build(chunks),
        {"Acme": FiscalCalendar(), "Zeta": FiscalCalendar()},
        currencies={"Acme": "USD", "Zeta": "CNY"},
    )
    from assistant.finance.entities import EntityMatcher

    names = EntityMatcher()
    names.add_company("Acme")
    names.add_company("Zeta")
    solution = solver.solve(analyze("Whose net income was bigger in 2025, Acme's or Zeta's?", names))
    assert [s.fact.unit for s in solution.sides] == ["USD", "USD"]
    assert [s.fact.value for s in solution.sides] == [77_670e6, 17_360e6]


def test_an_average_over_a_span_uses_every_year_in_it():
    fy23 = Period(date(2023, 12, 31), 12)
    facts = [
        _fact("net_income", FY24, 59_248e6),
        _fact("net_income", fy23, 30_425e6),
        _fact("net_income", Period(date(2022, 12, 31), 12), -2_722e6),
    ]
    matcher = EntityMatcher()
    matcher.add_company("Acme")
    query = analyze("What was Acme's average net income from 2022 to 2024?", matcher)
    assert query.operation == "average"
    side = _solver(facts).solve(query).sides[0]
    assert round(side.outcome.value / 1e6) == 28_984 and len(side.outcome.inputs) == 3
    margin = analyze("What was Acme's average operating margin from 2022 to 2024?", matcher)
    assert margin.operation == "average"


@pytest.mark.parametrize(
    "definition, formula",
    [
        (
            "operating cash flow minus capital spending plus sales of property, plant and equipment",
            "operating_cash_flow - capex + ppe_proceeds",
        ),
        ("operating cash flow minus gains on sales of equipment", None),
        ("operating cash flow minus the reported capital spending", "operating_cash_flow - capex"),
    ],
)
def test_a_defined_term_is_the_line_item_it_is_headed_by_or_none(definition, formula):
    from assistant.query.analyze import defined_formula

    found = defined_formula(f"What was Acme's free cash flow in 2030, defined as {definition}?")
    assert (found.formula if found is not None else None) == formula
