"""What a document says about itself: company names in any case or quotes, tickers, forms, the period reported and
the company's fiscal calendar (invented documents, one per layout the pool of real filings shows)."""

from datetime import date

import pytest

from assistant.finance.periods import FiscalCalendar, Period
from assistant.finance.names import cased_name, short_names
from ingest.identity import read_identity
from ingest.loaders.base import LoadedFile, Section

COVER_10K = """UNITED STATES SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 10-K
ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the fiscal year ended January 28, 2023
Commission file number 1-2345
ACME’S CORPORATION
(Exact name of registrant as specified in its charter)
Title of each class Trading Symbol Name of each exchange on which registered
Common Stock, $0.10 par value ACMS New York Stock Exchange
"""
BODY_10K = (
    "Acme’s Corporation (“Acme’s” or the “Company”) sells tools. Our fiscal year ended January 28, 2023 "
    "(“fiscal 2022”) had 52 weeks.\nFiscal 2022 ended January 28, 2023 and fiscal 2021 ended January 29, 2022."
)

COVER_10Q = """FORM 10-Q
QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the quarterly period ended July 1, 2023
Commission File Number 000-1111
QUILL SYSTEMS, INC.
(Exact name of registrant as specified in its charter)
"""
BODY_10Q = (
    "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS\nThree Months Ended Nine Months Ended\n"
    "July 1, 2023 June 25, 2022 July 1, 2023 June 25, 2022\nNet sales 81,797 82,959 282,996 304,182\n"
    "Quill Systems, Inc. designs computers."
)

WORD_PER_LINE = "\n".join(
    [
        "FORM",
        "10-K",
        "For",
        "the",
        "fiscal",
        "year",
        "ended",
        "December",
        "31,",
        "2016",
        "Commission",
        "File",
        "Number",
        "001-37622",
        "BOREAL,",
        "INC.",
        "(Exact",
        "name",
        "of",
        "registrant",
        "as",
        "specified",
        "in",
        "its",
        "charter)",
    ]
)

SMALL_CAPS = (
    "FORM 10-K\nFor the fiscal year ended December 31, 2018\nCommission File No. 001-10362\nZET\nR\n"
    "ESORTS I\nNTERNATIONAL\n(Exact name of Registrant as specified in its charter)\n"
)
SMALL_CAPS_BODY = "Zet Resorts International and its subsidiaries operate resorts."

RELEASE = (
    "Exhibit 99.1\nZETA HOLDINGS REPORTS FOURTH QUARTER AND FULL YEAR 2022 RESULTS\n"
    "Springfield, Ohio, February 8, 2023 – Zeta Holdings Ltd. (NYSE: ZETA) today reported financial results "
    "for the quarter and year ended December 31, 2022."
)

RELEASE_NO_DATE = (
    "Borealis Reports Second-Quarter 2023 Results\nPURCHASE, N.Y. - July 20, 2023 - Borealis, Inc. "
    "(NASDAQ: BORL) today reported results for the second quarter 2023."
)

RETAIL_RELEASE = (
    "March 9, 2023\nNorthwind Announces Fourth Quarter Fiscal 2022 Results\nNet Sales of $3.2 "
    "Billion\nCHICAGO--(BUSINESS WIRE)-- Northwind Stores, Inc. (NASDAQ: NWND) today announced "
    "financial results for the thirteen-week period (“fourth quarter”) and fifty-two-week period "
    "(“fiscal year”) ended January 28, 2023 compared to the same periods ended January 29, 2022."
)

EIGHT_K = (
    "FORM 8-K\nCURRENT REPORT\nDate of Report (Date of earliest event reported): May 5, 2023\n"
    "Acme Corp.\n(Exact name of registrant as specified in its charter)\nItem 5.02 Departure of Directors."
)


def _doc(*texts: str) -> LoadedFile:
    return LoadedFile(sections=[Section(text=t, page=i + 1) for i, t in enumerate(texts)])


CASES = [
    # (id, pages, company, aliases that must be among the short names, ticker, form, period, calendar)
    (
        "caps-apostrophe",
        (COVER_10K, BODY_10K),
        "Acme's Corporation",
        ["Acme's"],
        "ACMS",
        "10-K",
        Period(date(2023, 1, 28), 12),
        FiscalCalendar(1, 28, named_by_start=True),
    ),
    (
        "quarter-of-a-september-year",
        (COVER_10Q, BODY_10Q),
        "Quill Systems, Inc.",
        ["Quill Systems"],
        "",
        "10-Q",
        Period(date(2023, 7, 1), 3),
        FiscalCalendar(9, 30),
    ),
    (
        "one-word-a-line",
        (WORD_PER_LINE,),
        "Boreal, Inc.",
        ["Boreal"],
        "",
        "10-K",
        Period(date(2016, 12, 31), 12),
        FiscalCalendar(12, 31),
    ),
    (
        "small-capitals",
        (SMALL_CAPS, SMALL_CAPS_BODY),
        "Zet Resorts International",
        [],
        "",
        "10-K",
        Period(date(2018, 12, 31), 12),
        FiscalCalendar(12, 31),
    ),
    (
        "release-with-date",
        (RELEASE,),
        "Zeta Holdings Ltd.",
        ["Zeta"],
        "ZETA",
        "earnings release",
        Period(date(2022, 12, 31), 3),
        FiscalCalendar(12, 31),
    ),
    (
        "release-named-quarter",
        (RELEASE_NO_DATE,),
        "Borealis, Inc.",
        ["Borealis"],
        "BORL",
        "earnings release",
        Period(date(2023, 6, 30), 3),
        None,
    ),
    (
        "retailer-release",
        (RETAIL_RELEASE,),
        "Northwind Stores, Inc.",
        ["Northwind Stores"],
        "NWND",
        "earnings release",
        Period(date(2023, 1, 28), 3),
        FiscalCalendar(1, 31, named_by_start=True),
    ),
    ("eight-k", (EIGHT_K,), "Acme Corp.", ["Acme"], "", "8-K", None, None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_identity_is_read_from_the_document(case):
    _id, pages, company, aliases, ticker, form, period, calendar = case
    identity = read_identity(_doc(*pages))
    assert identity.company == company
    assert set(aliases) <= set(identity.aliases)
    assert (identity.ticker, identity.form, identity.period) == (ticker, form, period)
    if calendar is not None:
        assert identity.calendar == calendar


def test_period_labels_name_the_fiscal_year_and_state_the_dates():
    assert read_identity(_doc(COVER_10Q, BODY_10Q)).period_label() == "Q3 FY2023 (three months ended July 1, 2023)"
    assert read_identity(_doc(COVER_10K, BODY_10K)).period_label() == "FY2022 (year ended January 28, 2023)"
    assert read_identity(_doc(EIGHT_K)).event_date == date(2023, 5, 5)


@pytest.mark.parametrize(
    "raw, body, expected",
    [
        ("ACME HOLDINGS, INC.", "Acme Holdings, Inc. makes things.", "Acme Holdings, Inc."),
        ("ACME, INC.", "ACME, Inc. and ACME brands lead the market.", "ACME, Inc."),
        ("3M COMPANY", "", "3M Company"),
        ("Zeta  Holdings Ltd .", "", "Zeta Holdings Ltd."),
    ],
)
def test_names_are_cased_as_the_document_writes_them(raw, body, expected):
    assert cased_name(raw, body) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("The Acme Company", ["Acme"]),
        ("Acme.com, Inc.", ["Acme.com", "Acme"]),
        ("Zeta Chase & Co.", ["Zeta Chase"]),
        ("Quill Systems Incorporated", ["Quill Systems"]),
    ],
)
def test_short_names_drop_legal_suffixes(name, expected):
    assert short_names(name) == expected


def test_defined_terms_made_of_the_names_own_words_or_initials_are_aliases():
    body = (
        "Advanced Widget Devices, Inc. (“AWD,” “we” or “us”) designs chips. The Distribution Agreement "
        "(the “Agreement”) and Advanced Widget Devices, Inc. (the “Company”) are described below."
    )
    assert short_names("Advanced Widget Devices, Inc.", body) == ["Advanced Widget Devices", "AWD"]


def test_an_initialism_in_brackets_after_the_name_is_a_short_name():
    body = "Advanced Widget Devices, Inc. (AWD) was incorporated in 1969. AWD designs chips."
    assert "AWD" in short_names("Advanced Widget Devices, Inc.", body)


def test_a_term_defined_without_quotes_after_the_group_is_a_short_name():
    body = (
        "Zephyr Wholesale Corporation and its subsidiaries (Zephyr or the Company) began operations in 1983. "
        "Zephyr Wholesale Corporation (Northwind or the Company) is not its own name."
    )
    assert short_names("Zephyr Wholesale Corporation", body) == ["Zephyr Wholesale", "Zephyr"]


def test_a_ticker_is_read_past_the_dash_of_a_class_that_has_none():
    cover = COVER_10K.replace(
        "Common Stock, $0.10 par value ACMS New York Stock Exchange",
        "Common Stock, $0.10 par value\n2.5% Notes due 2030\nACMS\n—\nNew York Stock Exchange\nNew York Stock Exchange",
    )
    assert read_identity(_doc(cover, BODY_10K)).ticker == "ACMS"
