"""Reporting periods: the grammar people and filings use, fiscal calendars, and table column headers."""

from datetime import date

import pytest

from assistant.finance.periods import FiscalCalendar, Period, column_periods, find_periods

DECEMBER, MARCH = FiscalCalendar(), FiscalCalendar.parse("03-31")


def _one(text: str, cal: FiscalCalendar = DECEMBER, stock: bool = False) -> Period:
    specs = find_periods(text)
    assert len(specs) == 1, specs
    return specs[0].resolve(cal, stock=stock)


@pytest.mark.parametrize(
    "text,months,end",
    [
        ("in 2025", 12, date(2025, 12, 31)),
        ("in Q2 2025", 3, date(2025, 6, 30)),
        ("2Q25", 3, date(2025, 6, 30)),
        ("in the fourth quarter of 2024", 3, date(2024, 12, 31)),
        ("for the first half of 2025", 6, date(2025, 6, 30)),
        ("over the first six months of 2025", 6, date(2025, 6, 30)),
        ("FY24", 12, date(2024, 12, 31)),
        ("for the three months ended June 30, 2024", 3, date(2024, 6, 30)),
        ("trailing twelve months ended December 31, 2024", 12, date(2024, 12, 31)),
        ("nine months ended September 30, 2024", 9, date(2024, 9, 30)),
        ("for the 12 weeks ended March 25, 2023", 3, date(2023, 3, 25)),
        ("in the thirty-six weeks ended May 7, 2023", 9, date(2023, 5, 7)),
        ("for the twelve months to March 2025", 12, date(2025, 3, 31)),
    ],
)
def test_periods_named_in_questions(text, months, end):
    assert _one(text) == Period(end, months)


def test_a_company_calendar_turns_fiscal_names_into_dates():
    assert _one("fiscal 2025", MARCH) == Period(date(2025, 3, 31), 12)
    assert _one("Q1 2026", MARCH) == Period(date(2025, 6, 30), 3)
    assert Period(date(2025, 6, 30), 3).label(MARCH) == "Q1 2026"
    assert Period(date(2025, 3, 31), 12).label(MARCH) == "FY2025"


def test_a_balance_asked_for_a_year_is_its_last_day():
    assert _one("cash at the end of 2024", stock=True) == Period(date(2024, 12, 31), 0)
    assert _one("inventory in 2024", stock=True) == Period(date(2024, 12, 31), 0)
    assert _one("as of June 30, 2025") == Period(date(2025, 6, 30), 0)
    assert _one("at mid-year 2025", stock=True) == Period(date(2025, 6, 30), 0)


def test_lists_of_years_and_two_spans_in_one_phrase():
    assert [s.fiscal_year for s in find_periods("In fiscal years 2023, 2024 and 2025, capex totaled")] == [
        2023,
        2024,
        2025,
    ]
    spans = [s.resolve(DECEMBER) for s in find_periods("for the three and six months ended June 30, 2025")]
    assert spans == [Period(date(2025, 6, 30), 3), Period(date(2025, 6, 30), 6)]


def test_amounts_are_not_years():
    assert [s.fiscal_year for s in find_periods("net sales of $2,024 million in 2024")] == [2024]


@pytest.mark.parametrize(
    "header,columns,annual,expected",
    [
        (
            "Three Months Ended\nJune 30,\nSix Months Ended\nJune 30,\n2024 2025 2024 2025",
            4,
            False,
            [(3, date(2024, 6, 30)), (3, date(2025, 6, 30)), (6, date(2024, 6, 30)), (6, date(2025, 6, 30))],
        ),
        (
            "Year Ended December 31,\n2022 2023 2024",
            3,
            True,
            [(12, date(2022, 12, 31)), (12, date(2023, 12, 31)), (12, date(2024, 12, 31))],
        ),
        ("December 31,\n2023 2024", 2, True, [(0, date(2023, 12, 31)), (0, date(2024, 12, 31))]),
        ("December 31, 2024 June 30, 2025", 2, False, [(0, date(2024, 12, 31)), (0, date(2025, 6, 30))]),
        (
            "Q3 2024 Q4 2024 Q1 2025 Y/Y % Change",
            4,
            False,
            [(3, date(2024, 9, 30)), (3, date(2024, 12, 31)), (3, date(2025, 3, 31)), None],
        ),
        (
            "12 Weeks Ended\n3/25/2023 3/19/2022",
            2,
            False,
            [(3, date(2023, 3, 25)), (3, date(2022, 3, 19))],
        ),
        ("16 Weeks Ended 40 Weeks Ended\nMay 20, 2023 May 21, 2022 May 20, 2023 May 21, 2022", 4, False, None),
        (
            "Years Ended December 31, Change Change\n2024 2023 2022 2024 vs. 2023 2023 vs. 2022",
            7,
            True,
            [(12, date(2024, 12, 31)), (12, date(2023, 12, 31)), (12, date(2022, 12, 31)), None, None, None, None],
        ),
    ],
)
def test_table_headers_give_one_period_per_column(header, columns, annual, expected):
    got = column_periods(header, DECEMBER, columns, annual)
    assert (got if got is None else [(p.months, p.end) if p else None for p in got]) == expected


def test_a_header_that_does_not_fit_the_columns_gives_nothing():
    assert column_periods("Year Ended December 31,\n2023 2024", DECEMBER, 3, True) is None


def test_a_range_of_months_is_the_period_it_spans():
    (spec,) = find_periods("over April through June 2025")
    assert (spec.months, spec.end_date) == (3, date(2025, 6, 30))
    (spec,) = find_periods("from July to December 2024")
    assert (spec.months, spec.end_date) == (6, date(2024, 12, 31))
    assert find_periods("in April and June 2025")[0].months is None  # two months named, not a span


def test_trailing_twelve_months_at_a_date_is_one_period():
    (spec,) = find_periods("trailing-twelve-month free cash flow at the end of 2025")
    assert spec.resolve(FiscalCalendar()) == Period(date(2025, 12, 31), 12)


def test_an_iso_date_is_not_a_fiscal_year():
    assert find_periods("released 2026-02-05") == []


@pytest.mark.parametrize(
    "heading, calendar, period",
    [
        ("Year Ended December 31, 2030 (1) First Quarter", DECEMBER, Period(date(2030, 3, 31), 3)),
        ("Year Ended December 31, 2030 Fourth Quarter", DECEMBER, Period(date(2030, 12, 31), 3)),
        ("Fiscal Year Ended May 31, 2031 Second Quarter", FiscalCalendar(5, 31), Period(date(2030, 11, 30), 3)),
        ("Year Ended December 31, 2030", DECEMBER, Period(date(2030, 12, 31), 12)),
        ("Three Months Ended March 31, 2030", DECEMBER, Period(date(2030, 3, 31), 3)),
    ],
)
def test_a_quarter_column_under_its_years_heading_is_that_years_quarter(heading, calendar, period):
    from assistant.finance.periods import column_period

    assert column_period(heading, calendar, True) == period
