"""Tables whose columns are segments of one period, tables that are one segment's, and which row is the company's
line item: each figure is read as the segment's or the company's it is, or not at all."""

from datetime import date

import pytest

from assistant.contract.types import Table, TableRow
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period
from assistant.finance.statements import FactContext
from ingest.facts import caption_segment, column_members, table_facts
from ingest.tables import TableContext, _heading_periods

COMPANY = "Orion Widgets, Inc."
Y2019, Y2018 = "12M@2019-12-31", "12M@2018-12-31"


def _context(*segments: str) -> FactContext:
    entities = EntityMatcher()
    entities.add_company(COMPANY, ["Orion"])
    for segment in segments:
        entities.add_segment(COMPANY, segment)
    return FactContext(COMPANY, FiscalCalendar(), True, "USD", None, entities, [COMPANY])


def _row(label: str, *values: float | None, group: str = "") -> TableRow:
    return TableRow(label, list(values), f"{label} " + " ".join(str(v) for v in values if v is not None), group)


def _segment_table(headings: list[str], columns: list[str], caption: str = "Segment information") -> Table:
    return Table(
        caption=caption,
        columns=columns,
        rows=[
            _row("Segment net revenues", 2200.0, 1700.0, 2000.0, 5900.0),
            _row("Segment operating income", 850.0, 460.0, 740.0, 2050.0),
        ],
        scale=1e6,
        currency="USD",
        headings=headings,
    )


def _facts(table: Table, context: FactContext) -> dict[tuple[str, str, str], float]:
    return {(f.concept, f.segment, f.period): f.value for f in table_facts(table, context)}


@pytest.mark.parametrize("known", [("Gears", "Springs", "Levers"), ()])
def test_columns_that_are_segments_of_one_year_give_each_segment_its_figure(known):
    """Whether or not the document's text named the segments before, a name printed only over a column of a
    repeated period is that column's segment; the total column is left to the statements."""
    headings = [f"For the Year Ended December 31, 2019 {name}" for name in ("Gears", "Springs", "Levers", "Total")]
    facts = _facts(_segment_table(headings, [Y2019] * 4), _context(*known))
    assert facts == {
        ("revenue", "Gears", Y2019): 2200e6,
        ("revenue", "Springs", Y2019): 1700e6,
        ("revenue", "Levers", Y2019): 2000e6,
        ("operating_income", "Gears", Y2019): 850e6,
        ("operating_income", "Springs", Y2019): 460e6,
        ("operating_income", "Levers", Y2019): 740e6,
    }


@pytest.mark.parametrize(
    "names, expected",
    [
        (
            ["Gears", "Springs", "Levers", "Consolidated"],
            [(COMPANY, "Gears"), (COMPANY, "Springs"), (COMPANY, "Levers"), None],
        ),
        (["Amount", "Percent", "Amount", "Percent"], None),  # measures, not members: no figure is anyone's
        (["Carrying Value", "Fair Value", "Carrying Value", "Fair Value"], None),
        (["Cost of services", "Cost of equipment", "Cost of services", "Cost of equipment"], None),
        (["Dollars", "Units", "Dollars", "Units"], None),
        (
            ["Gears (in millions)", "Springs (in millions)", "Other", "Total"],
            [(COMPANY, "Gears"), (COMPANY, "Springs"), None, None],
        ),
    ],
)
def test_column_members_are_names_not_measures(names, expected):
    table = _segment_table([f"December 31, 2019 {n}" for n in names], [Y2019] * 4)
    members = column_members(table, _context())
    if expected is None:
        assert members and not any(members)
        assert _facts(table, _context()) == {}  # four figures of one period and no one's: none is read
    else:
        assert members == expected


def test_columns_of_a_table_not_about_segments_are_only_known_segments():
    table = _segment_table(
        [f"December 31, 2019 {n}" for n in ("Pulleys", "Ratchets", "Gears", "Springs")],
        [Y2019] * 4,
        caption="Investments by type",
    )
    table.rows = [_row("Inventories", 10.0, 20.0, 30.0, 40.0)]
    assert column_members(table, _context("Gears")) == [None, None, (COMPANY, "Gears"), None]


def test_columns_headed_by_line_items_are_not_members():
    table = _segment_table(
        [f"{n} 2019" for n in ("Net Sales", "Operating Income", "Net Sales", "Operating Income")], [Y2019] * 4
    )
    assert column_members(table, _context()) == []


def test_columns_that_are_periods_have_no_members():
    table = _segment_table(["2019", "2018", "2017", "% Change"], [Y2019, Y2018, "12M@2017-12-31", ""])
    assert column_members(table, _context()) == []


def test_change_columns_beside_segment_columns_do_not_hide_the_periods():
    """'Increase / (decrease) 2019 v 2018' names two years and no period: a column without one, while the other
    columns keep theirs."""
    headings = [f"For the Year Ended December 31, 2019 {n}" for n in ("Gears", "Springs")] + [
        f"Increase / (decrease) 2019 v 2018 {n}" for n in ("Gears", "Springs")
    ]
    periods = _heading_periods(headings, TableContext(calendar=FiscalCalendar(), annual=True, currency="USD"))
    assert periods == [Period(date(2019, 12, 31), 12)] * 2 + [None, None]


def test_a_table_captioned_as_one_segments_gives_that_segments_figures():
    context = _context("Springs", "Gears")
    table = Table(
        caption="Springs Segment As of / Year Ended December 31,",
        columns=[Y2019, Y2018],
        rows=[_row("Revenues", 5089.0, 3211.0), _row("Cost of revenues", 4137.0, 2911.0)],
        scale=1e6,
        currency="USD",
    )
    assert caption_segment(table.caption, context) == (COMPANY, "Springs")
    assert {(c, s) for c, s, _ in _facts(table, context)} == {("revenue", "Springs"), ("cost_of_revenue", "Springs")}


@pytest.mark.parametrize(
    "caption",
    [
        "Revenues by segment: Springs and Gears",
        "Consolidated results, including Springs",
        "Results of operations",
        "Total revenues and long-lived assets, Springs and other countries",
    ],
)
def test_a_table_about_more_than_one_segment_is_no_ones_segment(caption):
    assert caption_segment(caption, _context("Springs", "Gears")) is None


def test_the_consolidated_row_is_the_companys_line_item_over_the_sum_of_segments():
    table = Table(
        caption="Reconciliation to consolidated operating income",
        columns=[Y2019, Y2018],
        rows=[
            _row("Segment operating income", 2054.0, 2446.0),
            _row("Amortization of intangible assets", -203.0, -370.0),
            _row("Consolidated operating income", 1607.0, 1988.0),
        ],
        scale=1e6,
        currency="USD",
    )
    facts = _facts(table, _context())
    assert facts[("operating_income", "", Y2019)] == 1607e6
    assert facts[("operating_income", "", Y2018)] == 1988e6


@pytest.mark.parametrize(
    "question, segment",
    [
        ("Is Orion a capital intensive business based on 2022 data?", None),
        ("What revenue did Orion's Business segment report in 2022?", "Business"),
    ],
)
def test_a_segment_named_by_an_everyday_word_is_that_segment_only_when_named_as_one(question, segment):
    """A segment a table's columns name ('Consumer', 'Business') is not the everyday word in a question."""
    found = [m.entity.segment for m in _context("Business").entities.mentions(question) if m.kind == "segment"]
    assert found == ([segment] if segment else [])
