"""A question only a figure answers is never answered by a quote that states none: it is refused instead, with
what the documents have."""

import pytest

from assistant.answer.components.quotes import states_a_figure
from assistant.contract.types import Answer
from assistant.finance.entities import EntityMatcher
from assistant.query.analyze import analyze

ACME = "Acme Corp."


@pytest.fixture(scope="module")
def names() -> EntityMatcher:
    matcher = EntityMatcher()
    matcher.add_company(ACME, ["Acme"])
    matcher.add_segment(ACME, "Gadgets")
    return matcher


@pytest.mark.parametrize(
    "question, wants",
    [
        ("What was Acme's revenue in 2022?", True),
        ("How large were Acme's customer deposits at December 31, 2022?", True),
        ("How much did Acme's Gadgets offering bring in during fiscal 2022?", True),
        ("What dollar figure did Acme guide to for 2023 sales?", True),
        ("How many stores did Acme operate at the end of 2022?", True),
        ("Why did Acme's revenue fall in 2022?", False),
        ("Who is Acme's chief executive?", False),
        ("Did Acme pay a dividend in 2022?", False),
        ("Which segments does Acme report?", False),
        ("What was Acme's store occupancy rate in 2022?", True),
        ("What Adjusted Property EBITDAR did Acme's Gadgets unit generate in 2022?", True),
        ("What is Acme's dividend policy?", False),
        ("What was the main reason Acme's costs rose in 2022?", False),
    ],
)
def test_which_questions_only_a_figure_answers(names, question, wants):
    assert analyze(question, names).wants_number is wants


def _answer(direct: str) -> Answer:
    return Answer(question="q", text=direct, citations=[], refused=False, timings={}, direct=direct)


@pytest.mark.parametrize(
    "direct, states",
    [
        ("Revenue by major offerings in our Gadgets segment for fiscal 2022. [1]", False),
        ("Year ended December 31, 2017. [1]", False),
        ("(d) Presented as a component of customer deposits on the balance sheets. [1]", False),
        ("(1) Pharmacy includes sales within other retail stores, see Note 12. [1]", False),
        ("Gadgets accounted for approximately 24% of net sales in 2022. [1]", True),
        ("Customer deposits were $110.2 billion at December 31, 2022. [1]", True),
        ("Acme operated 412 stores at year end. [1]", True),
        ("Net sales 32,765 31,657 [1]", True),
    ],
)
def test_a_quote_states_a_figure_only_when_it_gives_an_amount_rate_or_count(direct, states):
    assert states_a_figure(_answer(direct)) is states


class _Selector:
    """Hands back one fixed quote, as the sentence selector would."""

    def __init__(self, direct: str):
        self.direct = direct

    def answer(self, query, passages, index, registry, q_vec):
        return _answer(self.direct)


@pytest.mark.parametrize(
    "question, direct, refused",
    [
        ("What was Acme's revenue in 2022?", "Revenue by major offerings for fiscal 2022. [1]", True),
        ("What was Acme's revenue in 2022?", "Revenue was $4.2 billion in 2022. [1]", False),
        ("What does Acme sell?", "Acme sells gadgets to retailers. [1]", False),
    ],
)
def test_the_quotes_answerer_refuses_a_figureless_quote_for_a_figure_question(names, question, direct, refused):
    from types import SimpleNamespace

    from assistant.answer.components.quotes import ExplanationAnswerer, QuotesAnswerer
    from assistant.answer.refusals import Refusal

    query = analyze(question, names)
    context = SimpleNamespace(passages=[], index=None, registry=None, q_vec=None, missing=[])
    answerer = (ExplanationAnswerer if query.intent == "explain" else QuotesAnswerer)(_Selector(direct))
    result = answerer.answer(query, context)
    assert isinstance(result, Refusal) is refused


@pytest.mark.parametrize(
    "question, direct, other",
    [
        (
            "What revenue did Acme's Gadgets unit bring in during 2022?",
            "Gadgets revenue was about $5.3 billion for 2021. [1]",
            True,
        ),
        (
            "What revenue did Acme's Gadgets unit bring in during 2022?",
            "Gadgets revenue was $5.9 billion in 2022, up from 2021. [1]",
            False,
        ),
        ("What revenue did Acme's Gadgets unit bring in during 2022?", "Gadgets revenue was $5.9 billion. [1]", False),
        ("What was Acme's revenue in the previous year?", "Revenue was $5.3 billion for 2021. [1]", False),
    ],
)
def test_a_quote_about_another_year_is_not_the_asked_years_figure(names, question, direct, other):
    from assistant.answer.components.quotes import asked_years, of_other_years

    assert of_other_years(_answer(direct), asked_years(analyze(question, names), None)) is other


@pytest.mark.parametrize(
    "direct, qualifiers, says",
    [
        ("Diluted earnings per share in FY2016: $2.56 per share. [1]", ["from continuing operations"], False),
        ("Diluted EPS from continuing operations was $2.30 in FY2016. [1]", ["from continuing operations"], True),
        ("Non-GAAP operating income was $1.2 billion. [1]", ["non-GAAP"], True),
        ("Operating income was $1.2 billion. [1]", ["non-GAAP"], False),
        ("Operating income was $1.2 billion. [1]", [], True),
        ("Dividends paid in FY2022: $732 million. [1]", ["hand", "shareholders"], True),
    ],
)
def test_a_quote_for_a_qualified_metric_must_say_the_qualifier(direct, qualifiers, says):
    from assistant.answer.components.quotes import says_qualifiers

    assert says_qualifiers(_answer(direct), qualifiers) is says


@pytest.mark.parametrize(
    "question, direct, fits",
    [
        (
            "How much revenue did Acme's Gadgets unit bring in during 2022?",
            "Gadgets made up 47% of revenue. [1]",
            False,
        ),
        (
            "How much revenue did Acme's Gadgets unit bring in during 2022?",
            "Gadgets revenue was $5.9 billion. [1]",
            True,
        ),
        ("What was Acme's revenue in 2022?", "Revenue grew 12% in 2022. [1]", False),
        ("How much capacity did Acme's plant reach in 2022?", "The plant reached 40 megawatts in 2022. [1]", True),
        ("What was Acme's gross margin in 2022?", "Gross margin was 41.2% in 2022. [1]", True),
        ("What was Acme's gross margin in 2022?", "Gross profit was $4.1 billion in 2022. [1]", False),
        ("What share of Acme's 2022 revenue came from Gadgets?", "Gadgets revenue was $2.1 billion. [1]", False),
        ("What share of Acme's 2022 revenue came from Gadgets?", "Gadgets revenue rose 87% in 2022. [1]", False),
        ("What share of Acme's 2022 revenue came from Gadgets?", "Gadgets made up 31% of revenue. [1]", True),
        ("By how much did Acme's revenue grow in 2022?", "Revenue rose by $0.6 billion in 2022. [1]", True),
        ("What was Acme's store occupancy rate in 2022?", "Occupancy was 91.5% in 2022. [1]", True),
        ("What was Acme's store occupancy rate in 2022?", "Rooms revenue was $1.2 billion. [1]", False),
        ("What Widget EBITDAR did Acme generate in 2022?", "FY2022: 37.4%. [1]", False),
        ("What was Acme's diluted EPS in 2022?", "Diluted shares were 61.2 million in 2022. [1]", False),
        ("What was Acme's diluted EPS in 2022?", "Diluted EPS was $4.15 in 2022. [1]", True),
        ("What was Acme's diluted EPS in 2022?", "Diluted EPS was 71 cents in 2022. [1]", True),
    ],
)
def test_a_quote_must_state_the_kind_of_figure_asked(names, question, direct, fits):
    from assistant.answer.components.quotes import states_asked_kind

    assert states_asked_kind(_answer(direct), analyze(question, names)) is fits


@pytest.mark.parametrize(
    "direct, subject",
    [
        ("Widget revenue increased $1.3 billion or 10%. [1]", True),
        ("Online revenue, which includes Widget, Tools and other services, was $9.9 billion. [1]", False),
        ("Services revenue was $9.9 billion, including Widget and Tools. [1]", False),
        ("Total revenue was $9.9 billion; Widget revenue was $1.1 billion. [1]", True),
        ("In 2022, we invested $9.9 billion in its second note. [1]", True),
    ],
)
def test_a_name_no_company_has_must_be_the_quoted_figures_subject(direct, subject):
    from assistant.answer.components.quotes import names_its_subject

    assert names_its_subject(_answer(direct), ["Widget"]) is subject


@pytest.mark.parametrize(
    "direct, forecast",
    [
        ("For 2031 the company expects adjusted EPS of 52 to 58 cents per share. [1]", True),
        ("Guidance: net sales are expected to be between $17.3 billion and $17.8 billion. [1]", True),
        ("EPS of $3.12 increasing 6.4%; the company is raising its full-year guidance midpoints. [1]", False),
    ],
)
def test_guidance_asked_is_answered_by_a_figure_that_looks_ahead(direct, forecast):
    from assistant.answer.components.quotes import states_a_forecast

    assert states_a_forecast(_answer(direct)) is forecast


@pytest.mark.parametrize(
    "question, direct, fits",
    [
        ("What rate do Acme's notes maturing in 2031 pay?", "Interest on the 2029 Notes is 0.375% a year. [1]", False),
        (
            "What rate do Acme's notes maturing in 2031 pay?",
            "The 2.375% notes due 2031 trade on the exchange. [1]",
            True,
        ),
        ("Which pays more, Acme's 2031 notes or its notes due 2033?", "The notes due 2033 pay 5.25%. [1]", False),
        ("What was Acme's revenue in 2031?", "Revenue was $9.9 billion. [1]", True),
    ],
)
def test_notes_named_by_a_year_are_the_quotes_too(question, direct, fits):
    from assistant.answer.components.quotes import names_its_dated_things

    assert names_its_dated_things(_answer(direct), question) is fits


@pytest.mark.parametrize(
    "direct, figure",
    [
        (
            "4.3 Form of Guaranteed Senior Notes (incorporated by reference to Exhibit 4.8, File No. 333-230217). [1]",
            False,
        ),
        ("The notes were issued under Exhibit 10.2 of the indenture. [1]", False),
        ("4.3 billion units were shipped. [1]", True),
        ("Acme issued $600 million of notes under Exhibit 4.1. [1]", True),
    ],
)
def test_exhibit_list_and_file_numbers_are_no_figures(direct, figure):
    from assistant.answer.components.quotes import states_a_figure

    assert states_a_figure(_answer(direct)) is figure
