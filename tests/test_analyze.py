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
    assert analyze("What adjusted EBITA did Zeta's logistics arm post?", names).entities == \
        [Entity(ZETA, "Zeta Logistics Group")]
    assert analyze("What was Logistics Group revenue?", names).entities == [Entity(ZETA, "Zeta Logistics Group")]


def test_another_companys_product_is_not_a_descriptor(names):
    q = analyze("What was Google Cloud's revenue in 2025?", names)
    assert q.entities == [] and q.unknown == ["Google", "Cloud"] and not q.asks_figure


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
    margin = analyze("And its operating margin?", names, analyze("Compare Cloud Services and International "
                                                                "revenue in 2024.", names))
    assert margin.concept.key == "operating_margin" and len(margin.entities) == 2
