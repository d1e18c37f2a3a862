"""Tables read by where their words sit: each figure in the column its right edge lines up with, each column's
heading from the text above it, blank cells kept blank; and what the facts make of such tables."""

from datetime import date

import pytest

from assistant.contract.types import Chunk, Fact, Table, TableRow
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period, column_period
from assistant.finance.statements import FactContext
from assistant.store.facts import FactIndex
from ingest.facts import statement_of, table_facts
from ingest.loaders.pdf_layout import Word, read_tables
from ingest.tables import TableContext, layout_runs, parse_table
from tests.conftest import CORPUS


def _line(y: float, *items: tuple[str, float]) -> list[Word]:
    """Words on one printed line: (text, right edge); each word is 6 points a character wide, ending there."""
    return [Word(text, right - 6 * len(text), right, y + 8, y) for text, right in items]


QUARTERLY = [
    *_line(700, ("Three", 260), ("Months", 302), ("Ended", 338), ("Six", 452), ("Months", 494), ("Ended", 530)),
    *_line(
        688,
        ("July", 230),
        ("1,", 242),
        ("2023", 272),
        ("July", 330),
        ("2,", 342),
        ("2022", 372),
        ("July", 430),
        ("1,", 442),
        ("2023", 472),
        ("July", 530),
        ("2,", 542),
        ("2022", 572),
    ),
    *_line(
        676,
        ("Net", 30),
        ("sales", 66),
        ("$", 210),
        ("81,797", 272),
        ("$", 310),
        ("82,959", 372),
        ("$", 410),
        ("282,996", 472),
        ("$", 510),
        ("304,182", 572),
    ),
    *_line(664, ("Restructuring", 90), ("1,200", 272), ("950", 472)),  # blank in the prior-year columns
    *_line(652, ("Net", 30), ("income", 72), ("19,881", 272), ("19,442", 372), ("74,039", 472), ("79,082", 572)),
]


def test_figures_land_in_the_columns_they_stand_under_and_blanks_stay_blank():
    [table] = read_tables(QUARTERLY)
    assert table.headings == [
        "Three Months Ended July 1, 2023",
        "Three Months Ended July 2, 2022",
        "Six Months Ended July 1, 2023",
        "Six Months Ended July 2, 2022",
    ]
    assert [(r.label, r.cells) for r in table.rows] == [
        ("Net sales", ["81,797", "82,959", "282,996", "304,182"]),
        ("Restructuring", ["1,200", None, "950", None]),
        ("Net income", ["19,881", "19,442", "74,039", "79,082"]),
    ]


def test_a_text_row_takes_its_columns_and_periods_from_the_page():
    text = [
        "Three Months Ended Six Months Ended",
        "July 1, 2023 July 2, 2022 July 1, 2023 July 2, 2022",
        "Net sales $ 81,797 $ 82,959 $ 282,996 $ 304,182",
        "Restructuring 1,200 950",
        "Net income 19,881 19,442 74,039 79,082",
    ]
    table = parse_table(
        ["CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"],
        text,
        TableContext(FiscalCalendar(9, 30), annual=False),
        read_tables(QUARTERLY),
    )
    assert table.columns == ["3M@2023-07-01", "3M@2022-07-02", "6M@2023-07-01", "6M@2022-07-02"]
    assert [r.values for r in table.rows][1] == [1200.0, None, 950.0, None]
    without_layout = parse_table(
        ["CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"], text, TableContext(FiscalCalendar(9, 30), annual=False)
    )
    assert "Restructuring" not in [r.label for r in without_layout.rows] or [
        r.values for r in without_layout.rows if r.label == "Restructuring"
    ][0] != [1200.0, None, 950.0, None]


def test_a_heading_over_a_group_of_columns_reaches_each_of_them():
    words = [
        *_line(700, ("Net", 222), ("Sales", 256), ("Operating", 474), ("Income", 514)),
        *_line(688, ("2023", 150), ("2022", 230), ("2021", 310), ("2023", 390), ("2022", 470), ("2021", 550)),
        *_line(676, ("Cloud", 60), ("500", 150), ("400", 230), ("300", 310), ("50", 390), ("40", 470), ("30", 550)),
        *_line(664, ("Devices", 60), ("200", 150), ("210", 230), ("220", 310), ("(5)", 390), ("2", 470), ("4", 550)),
    ]
    [table] = read_tables(words)
    assert table.headings == [
        "Net Sales 2023",
        "Net Sales 2022",
        "Net Sales 2021",
        "Operating Income 2023",
        "Operating Income 2022",
        "Operating Income 2021",
    ]


def test_segment_rows_under_line_item_headings_give_each_column_its_line_item():
    entities = EntityMatcher()
    entities.add_company("Acme Corp.", ["Acme"])
    entities.add_segment("Acme Corp.", "Cloud")
    context = FactContext("Acme Corp.", FiscalCalendar(), True, "USD", None, entities, ["Acme Corp."])
    table = Table(
        caption="Segment information",
        columns=["12M@2023-12-31", "12M@2022-12-31"] * 2,
        rows=[TableRow("Cloud", [500.0, 400.0, 50.0, 40.0], "Cloud 500 400 50 40")],
        scale=1e6,
        currency="USD",
        headings=["Net Sales 2023", "Net Sales 2022", "Operating Income 2023", "Operating Income 2022"],
    )
    facts = {(f.concept, f.period): f.value for f in table_facts(table, context)}
    assert facts == {
        ("revenue", "12M@2023-12-31"): 500e6,
        ("revenue", "12M@2022-12-31"): 400e6,
        ("operating_income", "12M@2023-12-31"): 50e6,
        ("operating_income", "12M@2022-12-31"): 40e6,
    }


def test_rows_of_a_table_by_division_are_members_even_when_no_segment_is_known_yet():
    entities = EntityMatcher()
    entities.add_company("Acme Corp.", ["Acme"])
    context = FactContext("Acme Corp.", FiscalCalendar(), True, "USD", None, entities, ["Acme Corp."])
    rows = [
        TableRow("North Region", [500.0, 400.0, 50.0, -40.0], "North Region 500 400 50 (40)"),
        TableRow("Corporate unallocated expenses", [None, None, -9.0, -8.0], "Corporate unallocated expenses (9) (8)"),
        TableRow("Contribution profit", [90.0, 80.0, 9.0, 8.0], "Contribution profit 90 80 9 8"),
        TableRow("Total", [500.0, 400.0, 41.0, -48.0], "Total 500 400 41 (48)"),
    ]
    headings = ["Net Revenue 2023", "Net Revenue 2022", "Operating Profit 2023", "Operating Profit 2022"]
    table = Table(
        caption="Net revenue and operating profit of each division are as follows:",
        columns=["12M@2023-12-31", "12M@2022-12-31"] * 2,
        rows=rows,
        scale=1e6,
        currency="USD",
        headings=headings,
    )
    facts = {(f.concept, f.segment, f.period): f.value for f in table_facts(table, context)}
    assert facts[("operating_income", "North Region", "12M@2022-12-31")] == -40e6
    assert facts[("revenue", "", "12M@2023-12-31")] == 500e6
    assert {segment for _, segment, _ in facts} == {"North Region", ""}  # line items and totals are no members
    plain = Table(**{**table.__dict__, "caption": "Segment results"})
    assert {f.segment for f in table_facts(plain, context)} == {""}  # not a table of each division: no member guessed


@pytest.mark.parametrize(
    "heading, annual, expected",
    [
        ("Three Months Ended July 2, 2023", False, Period(date(2023, 7, 2), 3)),
        ("Six Months Ended July 3, 2022", False, Period(date(2022, 7, 3), 6)),
        ("13 Weeks Ended January 28, 2023", False, Period(date(2023, 1, 28), 3)),
        ("52 Weeks Ended January 28, 2023", False, Period(date(2023, 1, 28), 12)),
        ("12 Weeks Ended 3/25/2023", False, Period(date(2023, 3, 25), 3)),
        ("Thirty-Six Weeks Ended May 7, 2023", False, Period(date(2023, 5, 7), 9)),
        ("Twenty-Four Weeks Ended 6/17/2023", False, Period(date(2023, 6, 17), 6)),
        ("16 Weeks Ended May 20, 2023", False, None),
        ("As of 25/03/2023", False, Period(date(2023, 3, 25), 0)),
        ("Year Ended December 31, 2018", True, Period(date(2018, 12, 31), 12)),
        ("December 31, 2022", True, Period(date(2022, 12, 31), 0)),
        ("Fiscal 2023", False, Period(date(2023, 12, 31), 12)),
        ("Q3 2024", False, Period(date(2024, 9, 30), 3)),
        ("2023", True, Period(date(2023, 12, 31), 12)),
        ("2023", False, None),
        ("Percent Change Operations", False, None),
        ("June 30, 2023 2022", False, None),
    ],
)
def test_one_columns_heading_names_its_period(heading, annual, expected):
    assert column_period(heading, FiscalCalendar(), annual) == expected


@pytest.mark.parametrize(
    "title, kind",
    [
        ("CONSOLIDATED STATEMENTS OF OPERATIONS", "income"),
        ("Consolidated Statements of Comprehensive Income", "comprehensive"),
        ("CONDENSED CONSOLIDATED BALANCE SHEETS", "balance"),
        ("Consolidated Statements of Cash Flows", "cash_flow"),
        ("Consolidated Statements of Shareholders' Equity", "equity"),
        ("INCOME STATEMENTS", "income"),
        ("Information on reportable segments", "segment"),
        ("Selected Financial Data", ""),
    ],
)
def test_statements_are_known_by_their_titles(title, kind):
    assert statement_of(title) == kind


def _fact(
    concept: str,
    label: str,
    value: float,
    period: str = "12M@2023-12-31",
    primary: bool = True,
    source: str = "table",
    statement: str = "income",
) -> Fact:
    return Fact(
        concept=concept,
        label=label,
        period=period,
        value=value,
        unit="USD",
        quote=label,
        company="Acme",
        primary=primary,
        source=source,
        statement=statement,
        doc_id="acme-10-k",
        chunk_id="c",
    )


def test_a_sentence_never_stands_in_for_a_line_item_the_statement_prints_for_that_year():
    chunk = Chunk(
        id="c",
        doc_id="acme-10-k",
        text="",
        company="Acme",
        facts=[
            _fact("revenue", "Total revenues", 900.0, "12M@2022-12-31"),
            _fact("revenue", "deferred revenue", 3.3, "12M@2023-12-31", primary=False, source="sentence", statement=""),
            _fact("net_income", "Net income", 120.0, "12M@2023-12-31"),
            _fact("revenue", "revenue", 210.0, "3M@2023-03-31", primary=False, statement=""),
        ],
    )
    index = FactIndex.build([chunk])
    assert index.find("revenue", "Acme", "", Period(date(2023, 12, 31), 12)) == []  # the statement's year
    assert [f.value for f in index.find("revenue", "Acme", "", Period(date(2023, 3, 31), 3))] == [210.0]


def test_a_tables_total_and_the_companys_share_of_net_income_are_the_line_items():
    entities = EntityMatcher()
    entities.add_company("Acme Corp.", ["Acme"])
    context = FactContext("Acme Corp.", FiscalCalendar(), True, "USD", None, entities, ["Acme Corp."])
    rows = [
        ("Net sales", 500.0),
        ("Membership fees", 20.0),
        ("Total revenues", 520.0),
        ("Net income", 60.0),
        ("Less: net income attributable to noncontrolling interests", 5.0),
        ("Net income attributable to Acme", 55.0),
    ]
    table = Table(
        caption="Consolidated Statements of Income",
        columns=["12M@2023-12-31"],
        scale=1e6,
        currency="USD",
        rows=[TableRow(label, [value], f"{label} {value}") for label, value in rows],
    )
    chosen = {f.concept: f.value for f in table_facts(table, context)}
    assert chosen["revenue"] == 520e6 and chosen["net_income"] == 55e6


def test_a_statement_broken_by_a_long_line_stays_one_table_and_keeps_its_headings():
    import pypdfium2 as pdfium

    from ingest.loaders.pdf_layout import page_words

    document = pdfium.PdfDocument(str(CORPUS / "amazon_10-k_2024.pdf"))
    try:
        tables = read_tables(page_words(document[38].get_textpage()))  # the balance sheet, page 39
    finally:
        document.close()
    assert tables[0].headings == ["December 31, 2023", "December 31, 2024"]
    assert all(t.headings == tables[0].headings for t in tables)
    lines = ["Total assets $ 527,854 $ 624,894", "Long-term debt 58,314 52,623", "Retained earnings 113,618 172,866"]
    assert layout_runs(lines, tables) == [(0, 3)]


def test_bare_amounts_take_the_statements_scale_but_dollars_and_counts_do_not():
    from ingest.pipeline import _bare_amounts

    def table(*cells: str) -> Table:
        return Table(
            caption="",
            columns=["12M@2023-12-31"],
            rows=[
                TableRow(f"Row {i}", [float(c.replace(",", ""))], f"Row {i} {c}", cells=[c])
                for i, c in enumerate(cells)
            ],
        )

    assert _bare_amounts(table("2,427", "1,250"))
    assert not _bare_amounts(table("1,250,000", "980,000"))  # a table in dollars
    assert not _bare_amounts(table("2.41", "3.07"))  # per-share figures
    quarterly = table("41,806", "2,317")
    quarterly.rows.append(TableRow("Diluted earnings per share", [1.25], "Diluted earnings per share 1.25", ["1.25"]))
    assert _bare_amounts(quarterly)  # a quarterly results table: its per-share row keeps its own scale


def test_quarters_headed_by_ordinal_under_a_fiscal_year_caption_are_that_years_quarters():
    sales, income = ("100,100", "110,100", "120,100", "170,100"), ("10,100", "(3,100)", "12,100", "19,100")
    words = [
        *_line(700, ("First", 242), ("Second", 342), ("Third", 442), ("Fourth", 542)),
        *_line(690, ("Quarter", 242), ("Quarter", 342), ("Quarter", 442), ("Quarter", 542)),
        *_line(676, ("Net", 30), ("sales", 66), *zip(sales, (242, 342, 442, 542))),
        *_line(664, ("Net", 30), ("income", 72), *zip(income, (242, 342, 442, 542))),
    ]
    text = ["First Second Third Fourth", "Quarter Quarter Quarter Quarter", "Net sales " + " ".join(sales)]
    text.append("Net income " + " ".join(income))
    caption = ["Quarterly results (unaudited), in thousands", "Year Ended June 30, 2031"]
    table = parse_table(caption, text, TableContext(FiscalCalendar(6, 30), annual=True), read_tables(words))
    assert table.columns == ["3M@2030-09-30", "3M@2030-12-31", "3M@2031-03-31", "3M@2031-06-30"]
    plain = parse_table(["Segment results", "Year Ended June 30, 2031"], text[2:], TableContext(FiscalCalendar(6, 30)))
    assert plain is None or "3M@2031-06-30" not in plain.columns
