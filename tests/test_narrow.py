"""A quoted sentence that lists figures for several periods, narrowed to the period asked."""

from datetime import date

from assistant.answer.narrow import narrowed
from assistant.finance.periods import FiscalCalendar, Period

CAL = FiscalCalendar()
BALANCES = (
    "Our cash and marketable securities balances were $101.2 billion and $93.2 billion as of December 31, "
    "2024 and June 30, 2025."
)


def test_a_list_of_figures_keeps_the_asked_periods_figure():
    assert (
        narrowed(BALANCES, [Period(date(2025, 6, 30), 0)], CAL)
        == "Our cash and marketable securities balances were $93.2 billion as of June 30, 2025."
    )
    assert (
        narrowed(BALANCES, [Period(date(2024, 12, 31), 0)], CAL)
        == "Our cash and marketable securities balances were $101.2 billion as of December 31, 2024."
    )


def test_periods_listed_before_the_figures_pair_in_order():
    s = (
        "Included in other income in 2022, 2023, and 2024 is a valuation gain (loss) of $(12.7) billion, $797 "
        "million, and $(1.6) billion from our investment."
    )
    assert (
        narrowed(s, [Period(date(2024, 12, 31), 12)], CAL)
        == "Included in other income in 2024 is a valuation gain (loss) of $(1.6) billion from our investment."
    )


def test_a_clause_of_another_period_is_dropped_and_its_subject_kept():
    s = (
        "To return value, we distributed US$4 billion in dividends for fiscal year 2024 and have announced US$4.6 "
        "billion for fiscal year 2025."
    )
    assert (
        narrowed(s, [Period(date(2025, 12, 31), 12)], CAL)
        == "To return value, we have announced US$4.6 billion for fiscal year 2025."
    )
    bare = "We distributed US$4 billion for fiscal year 2024 and have announced US$4.6 billion for fiscal year 2025."
    assert narrowed(bare, [Period(date(2025, 12, 31), 12)], CAL) == "FY2025: US$4.6 billion"  # no clean cut
    quarter = "Operating income was $12.5 billion in Q4 2025, compared with $10.6 billion in Q4 2024."
    assert narrowed(quarter, [Period(date(2025, 12, 31), 3)], CAL) == "Operating income was $12.5 billion in Q4 2025."
    assert narrowed(quarter, [Period(date(2024, 12, 31), 3)], CAL) == "Q4 2024: $10.6 billion"


def test_nothing_to_narrow():
    assert narrowed("Net sales were $167.7 billion in Q2 2025.", [Period(date(2025, 6, 30), 3)], CAL) is None
    assert narrowed(BALANCES, [Period(date(2023, 12, 31), 0)], CAL) is None  # neither period is the one asked


def test_a_figure_whose_sign_is_said_in_words_is_not_cut_from_them():
    s = "Zeta's adjusted EBITDAR loss was $48 million in 2030 compared to adjusted EBITDAR of $310 million in 2029."
    assert narrowed(s, [Period(date(2030, 12, 31), 12)], CAL) == "Zeta's adjusted EBITDAR loss was $48 million in 2030."
    assert narrowed(s, [Period(date(2029, 12, 31), 12)], CAL) == "FY2029: $310 million"
    fell = "Zeta's cash fell by $12 million in 2030 and by $40 million in 2029, as it paid down debt."
    assert narrowed(fell, [Period(date(2030, 12, 31), 12)], CAL) != "FY2030: $12 million"
