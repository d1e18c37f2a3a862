"""Question analysis into a typed Query: company and segment, metric, period, intent, follow-ups."""

import pytest

from assistant.finance.entities import Entity, EntityMatcher
from assistant.query.analyze import analyze, focus_of

ACME, ZETA = "Acme Corp.", "Zeta Holdings Ltd."


@pytest.fixture(scope="module")
def names() -> EntityMatcher:
    matcher = EntityMatcher()
    matcher.add_company(ACME, ["Acme"], ["Springfield"])
    matcher.add_segment(ACME, "Cloud Services", ["ACS"], ["cloud"])
    matcher.add_segment(ACME, "International")
    matcher.add_company(ZETA, ["Zeta"])
    matcher.add_segment(ZETA, "Zeta Logistics Group", [], ["logistics"])
    return matcher


def test_lookup_reads_company_segment_metric_and_period(names):
    q = analyze("What was Acme's Cloud Services segment operating income in Q2 2025?", names)
    assert q.entities == [Entity(ACME, "Cloud Services")] and q.concept.key == "operating_income"
    assert [(p.months, p.quarter, p.fiscal_year) for p in q.periods] == [(3, 2, 2025)]
    assert (q.intent, q.operation, q.answer_type) == ("lookup", "value", "amount")


def test_synonyms_and_descriptors_name_the_same_things(names):
    q = analyze("What was the top line at Acme's cloud business in 2024?", names)
    assert q.entities == [Entity(ACME, "Cloud Services")] and q.concept.key == "revenue"
    assert analyze("How much did the Springfield company earn in 2024?", names).entities == [Entity(ACME)]
    assert analyze("What adjusted EBITA did Zeta's logistics arm post?", names).entities == [
        Entity(ZETA, "Zeta Logistics Group")
    ]
    assert analyze("What was Logistics Group revenue?", names).entities == [Entity(ZETA, "Zeta Logistics Group")]


def test_another_companys_product_is_not_a_descriptor(names):
    q = analyze("What was Google Cloud's revenue in 2025?", names)
    assert q.entities == [] and q.unknown == ["Google", "Cloud"] and not q.asks_figure
    camel = analyze("What was eBay's gross merchandise volume in 2025?", names)
    assert camel.unknown == ["eBay"] and not camel.asks_figure  # a name may start in lower case


def test_compute_compare_and_share_intents(names):
    assert analyze("What was Acme's operating margin in 2024?", names).intent == "compute"
    growth = analyze("How fast did Acme's sales grow in 2024?", names)
    assert (growth.intent, growth.operation, growth.answer_type) == ("compute", "growth", "percent")
    compare = analyze("Which grew faster in 2025, Cloud Services or International?", names)
    assert compare.intent == "compare" and compare.concept.key == "revenue" and len(compare.entities) == 2
    share = analyze("What share of Acme's 2024 net sales came from Cloud Services?", names)
    assert share.operation == "share"
    inline = analyze("What were Acme's operating expenses as a percentage of net sales in 2024?", names)
    assert inline.concept.formula == "operating_expenses / revenue" and inline.concept.unit == "percent"


def test_narrowing_words_guidance_and_named_sources(names):
    assert analyze("What were Acme's subscription net sales in 2024?", names).qualifiers == ["subscription"]
    assert analyze("What net sales guidance did Acme give for Q1 2026?", names).forward
    q = analyze("What does the 2024 10-K say about Acme's net sales?", names)
    assert q.sources == ["10-K"] and q.periods == []  # the year names the document, not a period asked about


def test_the_asking_part_of_a_long_message_is_analysed():
    message = "I read the annual report last night. It was long. What was Acme's net income in 2024?"
    assert focus_of(message) == "What was Acme's net income in 2024?"


def test_follow_ups_keep_what_they_do_not_change(names):
    first = analyze("What was Cloud Services operating income in Q4 2025?", names)
    full_year = analyze("And for the full year?", names, first)
    assert full_year.entities == first.entities and full_year.concept.key == "operating_income"
    assert [(p.months, p.fiscal_year) for p in full_year.periods] == [(12, 2025)]
    other = analyze("What about International?", names, full_year)
    assert other.entities == [Entity(ACME, "International")] and other.periods == full_year.periods
    earlier = analyze("And a year earlier?", names, other)
    assert [p.fiscal_year for p in earlier.periods] == [2024] and earlier.entities == other.entities
    margin = analyze(
        "And its operating margin?", names, analyze("Compare Cloud Services and International revenue in 2024.", names)
    )
    assert margin.concept.key == "operating_margin" and len(margin.entities) == 2


def test_a_shared_descriptor_means_the_segment_of_the_company_named(names):
    names_two = EntityMatcher()
    names_two.add_company(ACME, ["Acme"])
    names_two.add_segment(ACME, "Cloud Services", [], ["cloud"])
    names_two.add_company(ZETA, ["Zeta"])
    names_two.add_segment(ZETA, "Zeta Cloud Group", [], ["cloud"])
    assert analyze("What was revenue at Zeta's cloud unit in 2024?", names_two).entities == [
        Entity(ZETA, "Zeta Cloud Group")
    ]
    assert analyze("What was revenue at Acme's cloud unit in 2024?", names_two).entities == [
        Entity(ACME, "Cloud Services")
    ]


def test_a_part_of_a_company_described_but_not_named_is_not_the_whole_company(names):
    q = analyze("How much money did Acme's rent-a-robot arm bring in during 2025?", names)
    assert q.unknown == ["rent-a-robot arm"] and not q.asks_figure
    assert analyze("How much did Acme make from International in 2025?", names).concept.key == "revenue"


def test_names_inside_a_document_title_are_not_what_is_asked(names):
    q = analyze("According to the Acme vs Zeta article, how much did Zeta Logistics Group grow in 2025?", names)
    assert q.entities == [Entity(ZETA, "Zeta Logistics Group")] and q.sources == ["article"]


def test_each_side_of_a_comparison_keeps_its_own_period(names):
    q = analyze("Which grew faster: Acme in 2025 or Zeta in fiscal 2025?", names)
    assert q.entities == [Entity(ACME), Entity(ZETA)] and [p.text for p in q.paired] == ["2025", "fiscal 2025"]


def test_growth_between_two_named_periods_is_one_span(names):
    q = analyze("By what percentage did Acme's net income rise in Q2 2025 compared with Q2 2024?", names)
    assert q.operation == "growth" and q.spanned
    assert not analyze("What was Acme's net income in Q2 2025 and Q2 2024?", names).spanned


def test_a_formula_in_brackets_defines_the_metric_asked(names):
    q = analyze(
        "Using Acme's own definition (operating cash flow minus purchases of property and equipment), "
        "what was its free cash flow in 2025?",
        names,
    )
    assert q.concept.formula == "operating_cash_flow - ppe_purchases" and q.concept.label == "free cash flow"


def test_a_figure_and_its_reason_are_both_asked(names):
    q = analyze("By how much did Acme's net sales grow in 2024, and what drove the growth?", names)
    assert q.operation == "growth" and "explain" in q.also and q.why.startswith("and what drove")
    assert q.asks_figure


def test_verbs_and_repeated_names_do_not_narrow_the_metric(names):
    assert analyze("How much did Acme spend on R&D in 2024?", names).qualifiers == []
    assert analyze("What was the bottom-line profit of Acme in 2024?", names).qualifiers == []
    assert analyze("What was Acme's subscription revenue in 2024?", names).qualifiers == ["subscription"]


def test_a_metric_named_in_other_words_is_found_by_meaning_only_when_none_is_named(names):
    from assistant.finance.vocabulary import vocabulary

    asked = []

    def by_meaning(phrase):
        asked.append(phrase)
        return vocabulary().concepts["share_repurchases"] if "retiring" in phrase else None

    q = analyze("How much did Acme spend retiring its own stock in 2024?", names, by_meaning=by_meaning)
    assert q.concept.key == "share_repurchases" and q.asks_figure and asked == ["spend retiring stock"]
    asked.clear()
    assert (
        analyze("What was Acme's operating income in 2024?", names, by_meaning=by_meaning).concept.key
        == "operating_income"
        and asked == []
    )  # named word for word: meaning is not asked
    assert analyze("How many Prime members does Acme have?", names, by_meaning=by_meaning).concept is None


def test_concept_by_meaning_keeps_the_threshold_and_caches_the_name_vectors(tmp_path):
    import numpy as np

    from assistant.query.meaning import ConceptByMeaning

    class Embedder:  # 'buyback' words point one way, everything else another
        calls = 0

        def encode(self, texts):
            Embedder.calls += 1
            return np.array([[1.0, 0.0] if "repurchase" in t or "buyback" in t else [0.0, 1.0] for t in texts])

        def embed_query(self, text):
            return [0.8, 0.6] if "buying back" in text else [0.6, 0.8]

    matcher = ConceptByMeaning(Embedder(), tmp_path, threshold=0.75)
    assert matcher.match("buying back its own stock").key == "share_repurchases"
    assert matcher.match("rent-a-server arm").key != "share_repurchases"  # nearer the other names
    strict = ConceptByMeaning(Embedder(), tmp_path, threshold=0.85)
    calls = Embedder.calls
    assert strict.match("buying back its own stock") is None and Embedder.calls == calls  # vectors read from disk


def test_a_second_ask_that_is_not_a_figure_is_answered_after_it(names):
    q = analyze("What were Acme's share repurchases in 2024 and what was the effect on share count?", names)
    assert q.concept.key == "share_repurchases" and q.asks_figure and q.why == "and what was the effect on share count?"
    both = analyze("What was Acme's net sales in 2024, and what was its operating income?", names)
    assert both.why == "" and {c.key for c in both.concepts} >= {"revenue", "operating_income"}


def test_how_a_factor_affected_a_figure_asks_for_an_explanation(names):
    assert analyze("How did foreign exchange affect Acme's operating income in Q2 2025?", names).intent == "explain"
    assert analyze("What special charges were included in Acme's Q4 2025 operating income?", names).intent == "explain"
    assert analyze("What was Acme's operating income in Q4 2025?", names).intent == "lookup"


def test_each_company_may_name_its_own_metric(names):
    q = analyze(
        "Acme's 2024 purchases of property and equipment were how many times Zeta's 2024 capital expenditures?", names
    )
    assert q.own_concepts == ["ppe_purchases", "capex"] and q.also == []
    same = analyze("Was Acme's 2024 net income larger than Zeta's 2024 net income?", names)
    assert same.own_concepts == []


def test_another_companys_segment_inside_the_named_companys_longer_name_is_not_that_segment(names):
    q = analyze("What share of Zeta's 2025 revenue came from Zeta Beverages Cloud Services?", names)
    assert Entity(ACME, "Cloud Services") not in q.entities and q.entities[0].company == ZETA
    q = analyze("Compare Zeta's 2025 revenue with Acme's Cloud Services revenue", names)
    assert Entity(ACME, "Cloud Services") in q.entities  # named with its own company: that segment


def test_a_segment_named_by_what_it_is_not_is_not_that_segment(names):
    q = analyze("What were net sales at Acme's stores outside International in 2025?", names)
    assert q.entities == [Entity(ACME)] and q.unknown == ["outside International"] and not q.asks_figure


def test_an_opening_verb_is_not_part_of_a_name_but_an_opening_company_name_is(names):
    q = analyze("Comparing ACS's 2025 net sales with Zeta Logistics Group's 2025 revenue, what is the ratio?", names)
    assert q.entities == [Entity(ACME, "Cloud Services"), Entity(ZETA, "Zeta Logistics Group")]
    assert q.intent == "compare"
    assert analyze("Google Cloud revenue in 2025?", names).entities == []


def test_current_and_long_term_debt_are_different_line_items(names):
    q = analyze(
        "What is Acme's total debt at the end of FY2022? Total debt is defined as: current portion of "
        "long-term debt + long-term debt.",
        names,
    )
    assert q.concept.formula.replace(" ", "") == "current_debt+long_term_debt"
    assert analyze("What was Acme's total debt in 2022?", names).concept.key == "total_debt"


def test_a_definition_is_followed_or_the_question_is_not_answered_by_another(names):
    q = analyze(
        "What is Acme's total debt at the end of FY2023? Total debt is defined as: current portion of "
        "long-term debt + short-term debt + long-term debt (less current portion).",
        names,
    )
    assert q.concept.formula == "current_debt + short_term_debt + long_term_debt"
    odd = analyze(
        "What is Acme's total debt at the end of FY2023? Total debt is defined as: current portion of "
        "long-term debt + frobnicated liabilities.",
        names,
    )
    assert odd.unknown and not odd.asks_figure


def test_statement_labels_with_loss_spelled_in_name_the_line_item():
    from assistant.finance.vocabulary import vocabulary

    vocab = vocabulary()
    assert [
        vocab.concept_of(label).key
        for label in ("(Loss)/earnings from operations", "Net earnings/(loss)", "Sales of products", "Total revenues")
    ] == ["operating_income", "net_income", "product_revenue", "revenue"]


def test_a_line_items_other_sign_in_its_label_still_names_it():
    from assistant.finance.vocabulary import vocabulary

    vocab = vocabulary()
    assert [
        vocab.concept_of(label).key
        for label in (
            "Cash provided (used) by operations",
            "Provision/(benefit) for taxes on income",
            "Income from continuing operations before provision/(benefit) for taxes on income",
            "Other income (expense), net",
        )
    ] == ["operating_cash_flow", "income_tax", "pretax_income", "other_income"]


def test_which_segment_had_the_highest_figure_asks_across_segments(names):
    q = analyze("Which of Acme's segments had the highest operating income in 2024?", names)
    assert (q.superlative, q.series, q.asks_figure) == ("max", "segments", True)
    assert analyze("Which Acme segment had the lowest net sales in Q2 2025?", names).superlative == "min"
    assert analyze("What was Acme's highest-margin product?", names).superlative == ""


def test_follow_ups_for_a_margin_and_for_a_reason(names):
    first = analyze("What was Acme's operating income in 2024?", names)
    margin = analyze("What about its margin?", names, previous=first)
    assert margin.concept.key == "operating_margin" and margin.entities == [Entity(ACME)]
    why = analyze("Why did it rise?", names, previous=first)
    assert why.intent == "explain" and why.concept.key == "operating_income"


def test_did_it_increase_asks_for_the_change_on_the_year(names):
    q = analyze("Did Acme's cash decrease in 2022?", names)
    assert (q.concept.key, q.operation, q.intent) == ("cash", "growth", "yesno")
    assert analyze("Did Acme decline in 2022?", names).concepts == []  # no metric named: not net sales by default


def test_an_improving_margin_is_its_change_on_the_year(names):
    q = analyze("Is Acme's operating margin improving as of FY2022?", names)
    assert (q.operation, q.intent, len(q.periods)) == ("change", "yesno", 2)
    debt = analyze("Did Acme increase the debt on its balance sheet from FY2022 to the FY2023 period?", names)
    assert debt.operation == "change" and debt.qualifiers == [] and debt.asks_figure


def test_plain_verbs_name_the_metric_an_analyst_would(names):
    assert analyze("How much did Acme earn in 2024?", names).concept.key == "net_income"
    assert analyze("How much money did Acme make in 2024?", names).concept.key == "net_income"
    assert analyze("How much did Acme make from International in 2025?", names).concept.key == "revenue"
    assert analyze("How much did Acme bring in during 2024?", names).concept.key == "revenue"


def test_a_narrowed_metric_keeps_what_narrows_it(names):
    for question, narrowing in (
        ("What was Acme's subscription and support gross margin in 2024?", "support"),
        ("What was Acme's net income from continuing operations in 2024?", "from continuing operations"),
        ("What was Acme's non-GAAP operating income in 2024?", "non-GAAP"),
        ("What was Acme's diluted net income in 2024?", "diluted"),
    ):
        q = analyze(question, names)
        assert narrowing in q.qualifiers and not q.asks_figure, question
    assert analyze("What was Acme's gross margin in 2024?", names).qualifiers == []


def test_a_new_question_is_not_taken_for_a_follow_up(names):
    first = analyze("What was Acme's net sales in 2024?", names)
    for question in (
        "What was Microsoft's revenue in 2024?",
        "Why do people like Monterrey?",
        "Where will Zephyr open its second plant?",
        "What is a good current ratio?",
    ):
        q = analyze(question, names, first)
        assert not q.follow_up and q.entities == [], question
    assert analyze("Why?", names, first).follow_up and analyze("Operating income?", names, first).follow_up


def test_a_follow_up_reads_as_a_question(names):
    from assistant.finance.periods import FiscalCalendar

    first = analyze("What was Acme's operating income in 2024?", names)
    q = analyze("And 2023?", names, first)
    assert q.sentence({ACME: FiscalCalendar()}, {ACME: "Acme"}) == "What was Acme's operating income in FY2023?"
    assert q.describe({ACME: FiscalCalendar()}) == "Acme Corp. operating income FY2023?"  # what search is given
    why = analyze("Why did it fall?", names, first)
    assert why.sentence({ACME: FiscalCalendar()}, {ACME: "Acme"}) == "Why did Acme's operating income change in FY2024?"


@pytest.mark.parametrize(
    "question",
    [
        "How much did Acme pay its shareholders in dividends in 2024?",
        "How much cash did Acme hand back to stockholders as dividends in 2024?",
        "How much did Acme return to shareowners through dividends in 2024?",
    ],
)
def test_who_is_paid_and_the_verb_of_paying_do_not_narrow_a_payout(names, question):
    q = analyze(question, names)
    assert q.concept.key == "dividends_paid" and q.qualifiers == [], question


def test_a_company_named_with_an_ampersand_is_also_asked_by_its_initials():
    matcher = EntityMatcher()
    matcher.add_company("Smith & Jones", ["Smith & Jones Company"])
    assert analyze("What were S&J's net earnings in 2024?", matcher).entities == [Entity("Smith & Jones")]
    assert analyze("What were s&j's net earnings in 2024?", matcher).entities == []


@pytest.mark.parametrize(
    "label, concept",
    [
        ("Total revenues net of interest expense", "revenue"),
        ("Accounts receivable, net of allowance for doubtful accounts", "accounts_receivable"),
        ("Total revenues net of interest expense after provisions for credit losses", None),
        ("Total liabilities and stockholders' equity", None),
    ],
)
def test_what_a_line_item_is_net_of_is_not_the_line_item(label, concept):
    from assistant.finance.vocabulary import vocabulary

    found = vocabulary().concept_of(label)
    assert (found.key if found else None) == concept
