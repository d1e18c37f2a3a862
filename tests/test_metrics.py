"""Evaluation metrics on hand-made cases: each one can fail if the scoring is wrong."""

from assistant.evaluation.financebench import contains_answer, gold_numbers
from assistant.evaluation.metrics import (evidence_matches, fact_present, first_hit_rank, mrr, normalize,
                                          percentile, recall_at)
from assistant.evaluation.runner import check_thresholds
from assistant.types import Chunk


def test_normalize_makes_currency_and_units_comparable():
    assert normalize("$128.7 billion") == normalize("128.7B") == normalize("US$128.7 bn") == "128.7 billion"
    assert normalize("RMB118,028 million") == "118028 million"
    assert normalize("38 percent") == normalize("38%")


def test_fact_present_respects_number_boundaries_and_alternatives():
    assert fact_present("12.5 billion", "income was $12.5 billion")
    assert not fact_present("12.5", "income was $112.5 billion")
    assert not fact_present("12.5", "a ratio of 12.55")
    assert fact_present(["41.6 billion", "6.1 billion"], "about $6.1 billion USD")
    assert not fact_present(["41.6 billion"], "41.7 billion")


def test_evidence_matches_by_quote_or_pdf_page():
    chunk = Chunk(id="c", doc_id="d", text="AWS sales increased 19% in 2024, compared to the prior year.", page=25)
    assert evidence_matches({"doc_id": "d", "quote": "AWS sales increased 19% in 2024"}, chunk)
    assert evidence_matches({"doc_id": "d", "page": 25, "quote": "something else entirely"}, chunk)
    assert not evidence_matches({"doc_id": "other", "page": 25, "quote": "AWS sales increased"}, chunk)
    assert not evidence_matches({"doc_id": "d", "page": 26, "quote": "Net income was $59.2 billion in 2024"}, chunk)


def test_rank_metrics():
    chunks = [Chunk(id=str(i), doc_id=f"d{i}", text="x") for i in range(4)]
    assert first_hit_rank([{"doc_id": "d2"}], chunks) == 3
    ranks = [1, 3, None, 2]
    assert recall_at(ranks, 1) == 0.25 and recall_at(ranks, 3) == 0.75
    assert abs(mrr(ranks) - (1 + 1 / 3 + 1 / 2) / 4) < 1e-9
    assert percentile([5, 1, 4, 2, 3], 50) == 3 and percentile([1, 2, 3, 4, 100], 95) == 100


def test_threshold_check_reports_regressions_only():
    metrics = {"recall@5": 0.9, "key_fact_accuracy": 0.5, "false_refusals": 20}
    problems = check_thresholds(metrics, {"recall@5": 0.85, "key_fact_accuracy": 0.6, "false_refusals_max": 10,
                                          "_comment": "ignored"})
    assert len(problems) == 2 and "key_fact_accuracy" in problems[0] and "false_refusals" in problems[1]


def test_financebench_containment():
    assert gold_numbers("$1577.00") == ["1577"]
    assert contains_answer("$1577.00", "Purchases of PP&E were $1,577 million in 2018")
    assert not contains_answer("$1577.00", "Purchases were $15,770 million")
    assert contains_answer("Yes, positive working capital", "the company had positive working capital")
