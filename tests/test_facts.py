"""Facts at ingest, checked against a hand-written list read from the default corpus's statements of operations,
segment tables, balance sheets, cash flow statements and sentences (tests/data/expected_facts.json)."""

import json
from datetime import date
from functools import cache

import pytest

from assistant.finance.periods import Period
from ingest.catalog import describe, read_catalog
from ingest.loaders import load_file
from ingest.pipeline import build_chunks
from tests.conftest import CORPUS, PROJECT_ROOT

EXPECTED = json.loads((PROJECT_ROOT / "tests" / "data" / "expected_facts.json").read_text())
FILES = {
    "amazon-10-k-2024": "amazon_10-k_2024.pdf",
    "amazon-10-q-q2-2025": "amazon_10-q_q2_2025.pdf",
    "amazon-q4-2025-earnings-release-2026-02-05": "amazon_Q4-2025_earnings_release_2026-02-05.md",
    "alibaba-fy2025-annual-report-extract": "alibaba_FY2025_annual_report_extract.md",
}
# 'capital expenditures' is computed from the cash flow statement's line, which is its own concept
SAME_CONCEPT = {"capex": {"capex", "ppe_purchases"}}


@cache
def _chunks(doc_id: str):
    path = CORPUS / FILES[doc_id]
    loaded, _ = load_file(path)
    return build_chunks(loaded, describe(path, loaded, read_catalog(path.parent)), "test", 900)


def _period(spec: dict) -> Period:
    if "instant" in spec:
        return Period(date.fromisoformat(spec["instant"]), 0)
    return Period(date.fromisoformat(spec["end"]), spec["months"])


def _found(expected: dict) -> bool:
    want = expected["value"] * expected["scale"]
    concepts = SAME_CONCEPT.get(expected["concept"], {expected["concept"]})
    return any(
        f.concept in concepts
        and f.segment == (expected.get("segment") or "")
        and Period.from_key(f.period).matches(_period(expected["period"]))
        and abs(abs(f.value) - abs(want)) <= max(1.0, abs(want) * 1e-9)
        for chunk in _chunks(expected["doc_id"])
        for f in chunk.facts
    )


def test_the_hand_written_list_is_large_enough():
    assert len(EXPECTED) >= 40 and {e["doc_id"] for e in EXPECTED} == set(FILES)


@pytest.mark.parametrize("doc_id", sorted(FILES))
def test_every_hand_written_fact_is_extracted(doc_id):
    missing = [
        (e["line_item"], e["segment"], e["period"], e["value"])
        for e in EXPECTED
        if e["doc_id"] == doc_id and not _found(e)
    ]
    assert not missing, f"{len(missing)} facts not extracted: {missing[:5]}"


def test_a_fact_keeps_the_row_it_was_read_from_and_the_table_its_columns():
    chunk = next(
        c
        for c in _chunks("amazon-10-q-q2-2025")
        if any(f.concept == "operating_income" and f.segment == "AWS" for f in c.facts)
    )
    fact = next(f for f in chunk.facts if f.concept == "operating_income" and f.segment == "AWS")
    assert fact.quote in chunk.text and fact.source == "table" and fact.primary
    assert chunk.table is not None and fact.period in chunk.table.columns
    row = next(r for r in chunk.table.rows if r.line == fact.quote)
    assert row.values[chunk.table.columns.index(fact.period)] * chunk.table.scale == fact.value


def test_a_sentence_fact_takes_the_period_named_in_its_clause():
    facts = [
        f
        for c in _chunks("amazon-q4-2025-earnings-release-2026-02-05")
        for f in c.facts
        if f.source == "sentence" and f.concept == "operating_income" and f.segment == "AWS"
    ]
    by_period = {Period.from_key(f.period).label(): f.value for f in facts}
    assert by_period["FY2025"] == 45.6e9 and by_period["FY2024"] == 39.8e9
    assert by_period["Q4 2025"] == 12.5e9 and by_period["Q4 2024"] == 10.6e9


def test_guidance_and_figures_that_explain_a_change_give_no_facts():
    quotes = {f.quote for c in _chunks("amazon-q4-2025-earnings-release-2026-02-05") for f in c.facts}
    assert not any("expected to be between" in q for q in quotes)
    assert not any("run rate" in q for q in quotes)


def _read(sentence: str) -> list[tuple[str, str, float, str]]:
    from assistant.finance.entities import EntityMatcher
    from assistant.finance.periods import FiscalCalendar
    from assistant.finance.statements import FactContext, read_sentence

    names = EntityMatcher()
    names.add_company("Zeta Holdings", ["Zeta"])
    names.add_segment("Zeta Holdings", "Local Services Group")
    context = FactContext(
        company="Zeta Holdings",
        calendar=FiscalCalendar.parse("03-31"),
        annual=True,
        currency="CNY",
        default_period=Period(date(2025, 3, 31), 12),
        entities=names,
        companies=["Zeta Holdings"],
    )
    return [
        (f.concept, Period.from_key(f.period).label(context.calendar), f.value, f.measure)
        for f in read_sentence(sentence, context, [])
    ]


def test_growth_to_a_figure_is_that_figures_period():
    facts = _read(
        "Our net income increased by 9% from RMB65,573 million in fiscal year 2023 to RMB71,332 million in "
        "fiscal year 2024, and further increased by 77% to RMB125,976 million in fiscal year 2025."
    )
    growth = {period: value for concept, period, value, measure in facts if measure == "growth"}
    assert growth == {"FY2024": 9.0, "FY2025": 77.0}


def test_we_is_the_company_and_a_sentence_without_a_period_is_the_documents():
    assert _read("In addition, we repurchased US$11.9 billion of our shares.") == [
        ("share_repurchases", "FY2025", 11.9e9, "value")
    ]


def test_a_translated_loss_is_a_loss_in_both_currencies():
    facts = _read(
        "Local Services Group adjusted EBITA was a loss of RMB3,689 million (US$508 million) in fiscal year 2025."
    )
    assert [value for _, _, value, _ in facts] == [-3_689e6, -508e6]


def test_growth_compared_to_an_earlier_figure_is_the_later_periods():
    facts = _read(
        "Revenue from Local Services Group was RMB118,028 million in fiscal year 2025, increased by 11% "
        "compared to RMB106,374 million in fiscal year 2024."
    )
    assert ("revenue", "FY2025", 11.0, "growth") in facts and ("revenue", "FY2024", 106_374e6, "value") in facts


def _table_facts(caption: str, lines: list[str]):
    return {(f.concept, Period.from_key(f.period).label()): f.value for f in _read_table(caption, lines)}


def _read_table(caption: str, lines: list[str]):
    """The facts of an invented company's table."""
    from assistant.finance.entities import EntityMatcher
    from assistant.finance.periods import FiscalCalendar
    from assistant.finance.statements import FactContext
    from ingest.facts import table_facts
    from ingest.tables import TableContext, parse_table

    table = parse_table([caption], lines, TableContext())
    context = FactContext(
        company="Zeta Holdings",
        calendar=FiscalCalendar(),
        annual=True,
        currency="USD",
        default_period=None,
        entities=EntityMatcher(),
        companies=["Zeta Holdings"],
    )
    return table_facts(table, context)


def test_a_balance_under_a_year_heading_is_the_year_end_balance_and_a_change_in_it_is_not():
    balances = _table_facts(
        "Selected data (in millions)",
        ["Twelve Months Ended December 31, 2023 2024", "Total net sales 100 120", "Inventories 40 45"],
    )
    assert balances[("inventory", "December 31, 2024")] == 45e6 and balances[("revenue", "FY2024")] == 120e6
    changes = _table_facts(
        "Statements of cash flows (in millions)",
        ["Twelve Months Ended December 31, 2023 2024", "Changes in operating assets:", "Inventories (3) (5)"],
    )
    assert ("inventory", "December 31, 2024") not in changes


def test_a_years_figure_in_a_column_dated_its_last_day_is_the_years():
    facts = _table_facts(
        "Income statement (in millions)", ["December 31, 2022 December 31, 2021", "Total net sales 120 100"]
    )
    assert facts[("revenue", "FY2022")] == 120e6


def test_among_one_statements_rows_for_a_line_item_the_closest_label_and_the_total_come_first():
    from assistant.contract.types import Fact
    from assistant.store.facts import DocumentFacts, FactIndex

    def fact(concept, label, value):
        return Fact(
            concept=concept,
            label=label,
            period=Period(date(2022, 12, 31), 0).key(),
            value=value,
            unit="USD",
            quote=label,
            text=str(value),
            scale=1e6,
            company="Acme",
            segment="",
            measure="value",
            source="table",
            primary=True,
        )

    index = FactIndex().with_document(
        "acme-10k",
        DocumentFacts(
            by_concept={
                "ppe_net": [
                    fact("ppe_net", "Property, plant and equipment", 25_998),
                    fact("ppe_net", "Property, plant and equipment net", 9_178),
                ],
                "revenue": [fact("revenue", "Revenues", 55_893), fact("revenue", "Total revenues", 66_608)],
            }
        ),
    )
    assert index.find("ppe_net", "Acme")[0].value == 9_178
    assert index.find("revenue", "Acme")[0].value == 66_608


def test_debt_under_current_liabilities_is_the_current_portion():
    facts = _table_facts(
        "Balance sheet (in millions)",
        [
            "December 2, 2022 December 3, 2021",
            "Current liabilities:",
            "Debt 500 —",
            "Total current liabilities 8,128 6,932",
            "Long-term liabilities:",
            "Debt 3,629 4,123",
        ],
    )
    assert facts[("current_debt", "December 2, 2022")] == 500e6
    assert facts[("long_term_debt", "December 2, 2022")] == 3_629e6


@pytest.mark.parametrize(
    "label, own_share",
    [
        ("Net income attributable to Acme Corp.", True),
        ("Net loss attributable to common stockholders", True),
        ("Net income attributable to shareowners of Acme", True),
        ("Net income attributable to noncontrolling interests", False),
        ("Net income including noncontrolling interests", False),
        ("Net income applicable to common stockholders", False),  # after preferred dividends, for EPS
        ("Net income available to common shareholders", False),
    ],
)
def test_the_company_share_of_net_income_is_told_from_what_common_holders_get_after_preferred(label, own_share):
    from assistant.finance.vocabulary import company_share

    assert company_share(label) is own_share


def test_a_breakdown_names_its_members_but_a_cost_row_under_it_is_no_member():
    facts = _read_table(
        "Revenues by segment (in millions)",
        [
            "Year Ended December 31, 2023 2022",
            "Revenues:",
            "Advertising services 900 800",
            "Cost of services 300 250",
            "Expenses related to hardware 40 30",
        ],
    )
    segments = {f.segment for f in facts}
    assert "Advertising services" in segments
    assert not {"Cost of services", "Expenses related to hardware"} & segments


@pytest.mark.parametrize(
    "heading",
    [
        "Earnings per share:",
        "Net income per share attributable to Zeta:",
        "NET INCOME PER COMMON SHARE ATTRIBUTABLE TO\nZETA:",  # a heading wrapped onto a second line
    ],
)
def test_basic_and_diluted_rows_under_a_per_share_heading_are_those_figures_and_share_counts_are_not(heading):
    facts = _table_facts(
        "Consolidated Statements of Income (in millions, except per share data)",
        [
            "Year Ended December 31, 2023 2022",
            "Net income 500 400",
            *heading.split("\n"),
            "Basic $ 2.10 $ 1.60",
            "Diluted $ 2.05 $ 1.58",
            "Shares used in computation (000's):",
            "Basic 240,100 250,300",
            "Diluted 243,900 253,000",
        ],
    )
    assert facts[("eps_basic", "FY2023")] == 2.10 and facts[("eps_diluted", "FY2022")] == 1.58
    assert sorted(k for k in facts if k[0].startswith("eps")) == [
        ("eps_basic", "FY2022"),
        ("eps_basic", "FY2023"),
        ("eps_diluted", "FY2022"),
        ("eps_diluted", "FY2023"),
    ]


@pytest.mark.parametrize(
    "label, concept",
    [
        ("Earnings per share attributable to Zeta common shareholders — basic", "eps_basic"),
        ("Earnings per share attributable to Zeta common shareholders – diluted", "eps_diluted"),
        ("Net income per share, basic", "eps_basic"),
        ("Net loss per share, basic and diluted", "eps_diluted"),
        ("Earnings per share", "eps_diluted"),
    ],
)
def test_a_per_share_label_ending_in_basic_or_diluted_is_that_figure(label, concept):
    from assistant.finance.vocabulary import vocabulary

    assert vocabulary().concept_of(label).key == concept


@pytest.mark.parametrize(
    "caption, expected",
    [
        ("Consolidated Balance Sheets (in millions)", {"total_current_assets", "total_current_liabilities"}),
        ("Balance Sheets for Obligor Group (in millions)", set()),
        ("Condensed Consolidating Balance Sheet — Guarantor Subsidiaries (in millions)", set()),
        ("Parent Company Only Balance Sheets (in millions)", set()),
    ],
)
def test_a_statement_of_only_part_of_the_company_gives_none_of_its_figures(caption, expected):
    facts = _table_facts(
        caption,
        [
            "December 31, 2023 December 31, 2022",
            "Total current assets 874 1,215",
            "Total current liabilities 1,402 1,918",
            "Total current liabilities held for sale 65 70",
        ],
    )
    assert {concept for concept, _ in facts} == expected


def test_a_column_headed_as_a_percent_of_sales_is_a_share_not_an_amount():
    from ingest.facts import _column_measure

    assert _column_measure("FOURTH QUARTER 2022 Percent to Sales") == "share"
    assert _column_measure("2022 % of revenue") == "share"
    assert _column_measure("Percent Increase (Decrease)") == "growth"
    assert _column_measure("FOURTH QUARTER 2022 Percent Amount") is None
    assert _column_measure("2022") is None


def test_a_per_share_figure_printed_in_cents_is_read_in_dollars():
    facts = _table_facts(
        "Results (in millions)",
        ["Year Ended December 31, 2023 2022", "Net sales 12,480 11,930", "EPS (diluted US cents) 64.2 58.7"],
    )
    assert facts[("eps_diluted", "FY2023")] == pytest.approx(0.642)
    assert facts[("revenue", "FY2023")] == 12_480e6


@pytest.mark.parametrize(
    "sentence, concepts",
    [
        ("Countries agreed to a global minimum tax rate of 15% in fiscal 2024.", []),
        ("The statutory tax rate of 21% applied in fiscal 2024.", []),
        ("Our effective tax rate was 16.1% in fiscal 2024.", ["effective_tax_rate"]),
    ],
)
def test_a_rate_of_another_kind_than_the_companys_own_is_no_fact(sentence, concepts):
    assert [concept for concept, *_ in _read(sentence)] == concepts


def test_a_selected_income_statement_summary_is_not_the_statement():
    from ingest.facts import statement_of

    assert statement_of("Consolidated statements of income") == "income"
    assert statement_of("Selected income statement data (in millions)") == ""


@pytest.mark.parametrize(
    "lines, kept, dropped",
    [
        (  # the same label again with other figures and no heading that tells the two apart
            ["Total net sales 9,000 8,000", "Inventories 700 650", "Inventories 120 110"],
            ("revenue", 9_000e6),
            "inventory",
        ),
        (  # a balance's name under an expense heading: the expense on it
            ["Interest expense:", "Long-term debt and other 1,140 910", "Total interest expense 2,615 1,370"],
            ("interest_expense", 2_615e6),
            "long_term_debt",
        ),
    ],
)
def test_rows_that_do_not_say_which_figure_they_are_give_no_facts(lines, kept, dropped):
    facts = _table_facts("Statements of income (in millions)", ["Year Ended December 31, 2023 2022", *lines])
    assert facts[(kept[0], "FY2023")] == kept[1]
    assert not any(concept == dropped for concept, _ in facts)
