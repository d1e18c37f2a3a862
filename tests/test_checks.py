"""Sanity checks a solved figure passes before it is shown (invented facts)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from assistant.answer.calculator import Input, Outcome
from assistant.answer.checks import check
from assistant.answer.solve import Side, Solution
from assistant.contract.types import Fact
from assistant.finance.entities import Entity
from assistant.finance.periods import Period
from assistant.finance.vocabulary import vocabulary
from assistant.store.facts import DocumentFacts, FactIndex

YEAR = Period(date(2023, 12, 31), 12)
ACME = Entity("Acme Corp.")


def _fact(
    concept: str, value: float, doc: str = "acme-10-k", segment: str = "", source: str = "table", scale: float = 1e6
) -> Fact:
    return Fact(
        concept=concept,
        label=concept.replace("_", " "),
        period=YEAR.key(),
        value=value,
        unit="USD",
        quote="",
        company="Acme Corp.",
        segment=segment,
        source=source,
        scale=scale,
        doc_id=doc,
        primary=source == "table",
    )


def _computed(concept: str, value: float, *inputs: Fact, operation: str = "value", entity: Entity = ACME) -> Side:
    concepts = vocabulary().concepts
    outcome = Outcome(
        value,
        "percent",
        concepts[concept].formula,
        [
            Input(
                concepts[f.concept] if f.concept in concepts else concepts["revenue"],
                YEAR,
                f,
                f.value,
                "whole" if i else "part",
            )
            for i, f in enumerate(inputs)
        ],
    )
    return Side(entity, concepts[concept], YEAR, operation, outcome=outcome)


def test_a_margin_beyond_a_hundred_percent_is_not_shown():
    side = _computed("operating_margin", 972.4, _fact("operating_income", 32e9), _fact("revenue", 3.3e9))
    assert [f.check for f in check(Solution(sides=[side]), FactIndex())] == ["bounds"]
    fine = _computed("operating_margin", 9.7, _fact("operating_income", 3.2e9), _fact("revenue", 33e9))
    assert check(Solution(sides=[fine]), FactIndex()) == []


def test_a_share_of_a_whole_lies_between_nothing_and_all_of_it():
    cloud = Entity("Acme Corp.", "Cloud")
    side = _computed(
        "revenue",
        149.9,
        _fact("revenue", 5e9, segment="Cloud"),
        _fact("revenue", 3.3e9),
        operation="share",
        entity=cloud,
    )
    assert [f.check for f in check(Solution(sides=[side]), FactIndex())] == ["bounds"]


def test_operands_from_a_sentence_of_another_filing_or_in_other_scales_fail():
    mixed = _computed(
        "operating_margin",
        10.0,
        _fact("operating_income", 1e9),
        _fact("revenue", 10e9, doc="acme-q4-release", source="sentence"),
    )
    assert "one filing" in [f.check for f in check(Solution(sides=[mixed]), FactIndex())]
    scales = _computed(
        "operating_margin", 10.0, _fact("operating_income", 1e9, scale=1e6), _fact("revenue", 3335.0, scale=1.0)
    )
    assert "one scale" in [f.check for f in check(Solution(sides=[scales]), FactIndex())]


def test_a_segments_figure_never_stands_for_the_companys():
    side = _computed("operating_margin", 30.0, _fact("operating_income", 3e9, segment="Cloud"), _fact("revenue", 10e9))
    assert [f.check for f in check(Solution(sides=[side]), FactIndex())] == ["as asked"]


def test_a_company_total_smaller_than_one_of_its_segments_was_misread():
    total = _fact("revenue", 3.3e9)
    segment = _fact("revenue", 5e9, segment="Cloud")
    index = FactIndex().with_document("acme-10k", DocumentFacts(by_concept={"revenue": [total, segment]}))
    side = Side(ACME, vocabulary().concepts["revenue"], YEAR, fact=total)
    assert [f.check for f in check(Solution(sides=[side]), index)] == ["identity"]
    ratio = _computed("operating_margin", 30.0, _fact("operating_income", 1e9), total)  # revenue as an operand
    assert [f.check for f in check(Solution(sides=[ratio]), index)] == ["identity"]


def test_no_period_is_set_against_itself():
    fact = _fact("revenue", 5e9)
    side = Side(ACME, vocabulary().concepts["revenue"], YEAR, fact=fact)
    assert [f.check for f in check(Solution(sides=[side, side]), FactIndex())] == ["same period"]
    named_by_its_end = replace(side, period=Period(YEAR.end + timedelta(days=1), YEAR.months))  # a 52-week year
    assert [f.check for f in check(Solution(sides=[side, named_by_its_end]), FactIndex())] == ["same period"]
    last_year = replace(side, period=YEAR.shifted(-1))
    assert check(Solution(sides=[side, last_year]), FactIndex()) == []


def test_an_amount_printed_without_a_scale_is_not_shown_but_a_counted_figure_is():
    small = _fact("operating_income", -1896.0, scale=1.0)
    side = Side(ACME, vocabulary().concepts["operating_income"], YEAR, fact=small)
    assert [f.check for f in check(Solution(sides=[side]), FactIndex())] == ["scale"]
    scaled = _fact("operating_income", -1896e6, scale=1e6)
    assert (
        check(Solution(sides=[Side(ACME, vocabulary().concepts["operating_income"], YEAR, fact=scaled)]), FactIndex())
        == []
    )


def test_a_looked_up_margin_beyond_a_hundred_percent_is_not_shown():
    odd = Fact(
        concept="gross_margin",
        label="Gross margin",
        period=YEAR.key(),
        value=1080.0,
        unit="percent",
        quote="",
        company="Acme Corp.",
        source="table",
        doc_id="acme-10-k",
        primary=True,
    )
    side = Side(ACME, vocabulary().concepts["gross_margin"], YEAR, fact=odd)
    assert [f.check for f in check(Solution(sides=[side]), FactIndex())] == ["bounds"]


@pytest.mark.parametrize("nine_months, failed", [(1e6, ["identity"]), (300e6, []), (80e6, [])])
def test_revenue_for_part_of_a_year_is_not_a_sliver_of_the_years(nine_months, failed):
    nine = Period(date(2023, 9, 30), 9)
    year = _fact("revenue", 400e6)
    part = replace(_fact("revenue", nine_months, source="table"), period=nine.key(), primary=False)
    index = FactIndex().with_document("acme-10k", DocumentFacts(by_concept={"revenue": [year, part]}))
    quarter = Outcome(400e6 - nine_months, "money", "revenue - revenue")
    quarter.inputs = [Input(vocabulary().concepts["revenue"], YEAR, year, year.value, "whole")]
    quarter.inputs.append(Input(vocabulary().concepts["revenue"], nine, part, part.value, "part"))
    side = Side(ACME, vocabulary().concepts["revenue"], Period(date(2023, 12, 31), 3), outcome=quarter)
    assert [f.check for f in check(Solution(sides=[side]), index)] == failed


def test_another_filings_figure_is_a_restatement_only_of_the_same_line_and_noted_once():
    from assistant.answer.solve import _disagreeing

    first = replace(_fact("net_income", -412e6), label="Net loss attributable to Acme")
    restated = replace(_fact("net_income", -420e6, doc="acme-10-k-next"), label="Net loss attributable to Acme")
    with_minority = replace(_fact("net_income", -530e6, doc="acme-10-k-next"), label="Net loss")
    again = replace(restated, chunk_id="another-page")
    assert _disagreeing([first, restated, with_minority, again]) == [restated]
