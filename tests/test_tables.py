"""Tables parsed at ingest: PDF rows, footnote markers, wrapped labels, and tables a web copy ran into one line."""

from ingest.loaders.glued_tables import reflow
from ingest.tables import TableContext, cell_value, parse_table, split_row


def test_pdf_rows_split_into_label_and_cells():
    assert split_row("Net income (loss) $ (2,722) $ 30,425 $ 59,248") == (
        "Net income (loss)",
        ["(2,722)", "30,425", "59,248"],
    )
    assert [cell_value(c) for c in ("(2,722)", "$1.95", "20%", "—")] == [-2722.0, 1.95, 20.0, None]


def test_segment_table_rows_carry_their_group_and_column_periods():
    table = parse_table(
        ["Information on reportable segments (in millions):"],
        [
            "Three Months Ended",
            "June 30,",
            "2024 2025",
            "North America",
            "Net sales $ 90,033 $ 100,068",
            "Operating income $ 5,065 $ 7,517",
            "AWS",
            "Operating income $ 9,334 $ 10,160",
        ],
        TableContext(annual=False),
    )
    assert table.columns == ["3M@2024-06-30", "3M@2025-06-30"] and table.scale == 1e6
    assert [(r.group, r.label, r.values) for r in table.rows][-1] == ("AWS", "Operating income", [9334.0, 10160.0])


def test_note_markers_are_not_figures_and_wrapped_labels_are_joined():
    table = parse_table(
        ["Net sales (in millions):", "Year Ended December 31,", "2023 2024"],
        [
            "Online stores (1) $ 231,872 $ 247,029",
            "AWS 90,757 107,556",
            "Depreciation and amortization of property and equipment and capitalized content costs",
            "and other 48,663 52,795",
        ],
        TableContext(),
    )
    assert [r.values for r in table.rows] == [[231872.0, 247029.0], [90757.0, 107556.0], [48663.0, 52795.0]]
    assert table.rows[-1].label.startswith("Depreciation and amortization") and "\n" in table.rows[-1].line


def test_a_glued_table_is_laid_out_one_row_per_line_and_ambiguous_cells_stay_glued():
    line = (
        "Three Months Ended December 31,Twelve Months Ended December 31,2024202520242025Net product sales$82,226"
        "$89,992$272,311$296,266Net service sales105,566123,394365,648420,658Other operating expense (income), "
        "net1761,2577634,639Operating income21,20324,97768,59379,975"
    )
    rows = reflow(line).split("\n")
    assert rows[0] == "Three Months Ended December 31, Twelve Months Ended December 31, 2024 2025 2024 2025"
    assert "Net service sales 105,566 123,394 365,648 420,658" in rows
    assert "Operating income 21,203 24,977 68,593 79,975" in rows
    assert "Other operating expense (income), net 1761,2577634,639" in rows  # several readings: not guessed
    assert reflow("A short ordinary line of text.") == "A short ordinary line of text."


def test_a_group_label_wrapped_onto_two_lines_is_one_group():
    table = parse_table(
        ["Net sales information (in millions):", "Year Ended December 31,", "2023 2024"],
        [
            "Net Sales:",
            "AWS $ 90,757 $ 107,556",
            "Year-over-year Percentage Growth:",
            "AWS 13 % 19 %",
            "Year-over-year Percentage Growth, excluding the effect of foreign exchange",
            "rates:",
            "AWS 13 19",
        ],
        TableContext(),
    )
    assert [r.group for r in table.rows] == [
        "Net Sales",
        "Year-over-year Percentage Growth",
        "Year-over-year Percentage Growth, excluding the effect of foreign exchange rates",
    ]


def test_a_unit_line_in_a_statement_heading_gives_the_scale():
    from assistant.finance.figures import scale_note

    assert [
        scale_note(t)
        for t in (
            "(Millions)",
            "(Dollars in millions)",
            "($ in thousands)",
            "In millions of US dollars",
            "millions of customers",
        )
    ] == [1e6, 1e6, 1e3, 1e6, None]


def test_note_references_in_a_label_are_not_cells():
    assert split_row("Inventories (Notes 1 and 3) 12,483 10,387") == ("Inventories", ["12,483", "10,387"])
    assert split_row("Long-term debt (Note 7) 26,888 29,985") == ("Long-term debt", ["26,888", "29,985"])


def test_a_52_53_week_years_dated_columns_win_over_its_year_labels():
    from datetime import date

    from assistant.finance.periods import FiscalCalendar, Period, column_periods

    calendar = FiscalCalendar.parse("01-01")
    assert column_periods(
        "At January 1, 2023 and January 2, 2022 (Dollars in Millions) 2022 2021", calendar, 2, True
    ) == [Period(date(2023, 1, 1), 0), Period(date(2022, 1, 2), 0)]
    assert (
        calendar.fiscal_year_of(date(2023, 1, 1)) == 2022 and Period(date(2023, 1, 1), 12).label(calendar) == "FY2022"
    )


def test_a_label_cut_after_a_joining_word_continues_on_the_next_line_in_any_case():
    table = parse_table(
        ["Statements of income (in millions)", "Year Ended December 31,", "2023 2022"],
        [
            "CONSOLIDATED NET INCOME 1,420 5,870",
            "NET INCOME ATTRIBUTABLE TO SHAREOWNERS OF",
            "ZETA HOLDINGS $ 1,391 $ 5,842",
            "NET INCOME PER SHARE ATTRIBUTABLE TO",
            "ZETA:",
            "Basic $ 0.41 $ 1.07",
        ],
        TableContext(),
    )
    assert [r.label for r in table.rows] == [
        "CONSOLIDATED NET INCOME",
        "NET INCOME ATTRIBUTABLE TO SHAREOWNERS OF ZETA HOLDINGS",
        "Basic",
    ]
    assert table.rows[-1].group == "NET INCOME PER SHARE ATTRIBUTABLE TO ZETA"


def test_a_note_marker_between_two_dollar_cells_is_not_a_cell():
    assert split_row("BASIC NET INCOME PER SHARE $ 0.41 2 $ 1.07 $ 1.22") == (
        "BASIC NET INCOME PER SHARE",
        ["0.41", "1.07", "1.22"],
    )
    assert split_row("Stores opened 3 $ 1,510") == ("Stores opened", ["3", "1,510"])  # not after a figure's decimals


def test_a_figures_row_with_no_label_that_sums_its_groups_rows_is_the_groups_total():
    table = parse_table(
        ["Statements of operations (in thousands)", "Three Months Ended June 30,", "2025 2024"],
        [
            "Revenues",
            "Casino 1,840,215 1,402,663",
            "Rooms 790,440 702,118",
            "2,630,655 2,104,781",
            "Expenses",
            "Casino 1,006,310 640,205",
            "Rooms 241,870 229,004",
            "999 999",  # not their sum: no row at all
        ],
        TableContext(),
    )
    assert [(r.group, r.label) for r in table.rows][2] == ("Revenues", "Total revenues")
    assert table.rows[2].values == [2_630_655.0, 2_104_781.0]
    assert len(table.rows) == 5
