"""The evaluation's definitions, each shown on a wrong answer that the old definition (reproduced here as a few
lines, for comparison) accepted and the current one rejects, and on a right answer both accept."""

import re

import pytest

from assistant.contract.errors import StoreUnavailable
from assistant.evaluation.financebench import judge, parse_gold
from assistant.evaluation.runner import Question, run_question, score_answer, summarize
from assistant.evaluation.scoring import phrase_in, score_citations, states, wrong_figures
from assistant.contract.types import Answer, Citation


def _old_fact_present(fact: str, text: str) -> bool:
    """The old rule: a lower-cased substring, figures only guarded against running into other digits."""
    needle, text = fact.lower().replace("$", ""), text.lower().replace("$", "").replace(",", "")
    if re.match(r"[\d.]", needle):
        return bool(re.search(r"(?<![\d.])" + re.escape(needle.replace(",", "")) + r"(?![\d])", text))
    return needle in text


def _answer(direct: str, quotes: str = "", citations: list[Citation] | None = None) -> Answer:
    return Answer(question="q", text=f"{direct}\n{quotes}".strip(), citations=citations or [], refused=False,
                  timings={}, direct=direct)


def _citation(n: int, quote: str, text: str | None = None, title: str = "Amazon 10-Q", period: str = "Q2 2025"):
    return Citation(n=n, doc_id="d", title=title, page=1, section="", text=text or quote, quote=quote, score=1.0,
                    period=period)


def test_key_fact_must_be_in_the_direct_answer_not_anywhere_in_a_row_dump():
    row = "Total net sales 147,977 167,702 291,290 323,369"
    wrong = _answer("Amazon's net sales in Q2 2025 were $291,290 million [1].", f"“{row}” [1]")
    assert _old_fact_present("147,977", wrong.text)  # the old rule found the Q2 2024 figure in the quoted row
    question = Question(id="x", question="Net sales in Q2 2024?", category="t", answerable=True,
                        key_facts=[["$147,977 million", "$148.0 billion"]], wrong=["$167,702 million"])
    assert not score_answer(question, wrong, None).direct_ok
    right = _answer("Amazon's net sales in Q2 2024 were $147,977 million [1].", f"“{row}” [1]")
    assert score_answer(question, right, None).direct_ok


def test_a_wrong_figure_in_the_direct_answer_fails_it():
    direct = "AWS segment operating income in FY2025 was $45.6 billion, up from $12.5 billion [1]."
    assert _old_fact_present("45.6 billion", direct)
    assert wrong_figures(["$12.5 billion", "$39.8 billion"], direct) == ["$12.5 billion"]
    question = Question(id="x", question="q", category="t", answerable=True, key_facts=["$45.6 billion"],
                        wrong=["$12.5 billion"])
    assert not score_answer(question, _answer(direct), None).direct_ok


def test_figures_are_compared_with_their_scale_and_unit():
    assert _old_fact_present("34", "revenue was $34.0 billion")
    assert not states("34", "revenue was $34.0 billion")
    assert states("$1,577 million", "capital spending of $1.577 billion")
    assert states("$45.6 billion", "operating income of $45,606 million")
    assert not states("$45.6 billion", "operating income of $46 billion")  # less precise than the fact
    assert not states("19%", "sales grew 19 times")
    assert not states("RMB118,028 million", "revenue of $118,028 million")  # another currency
    assert states(["$45.6 billion", "$45,606 million"], "was $45,606 million")


def test_words_are_matched_as_whole_words():
    assert _old_fact_present("AWS", "the laws of physics")
    assert not phrase_in("AWS", "the laws of physics")
    assert phrase_in("Asia Pacific's largest", "Alibaba Cloud is Asia Pacific’s largest provider")


def test_a_citation_supports_its_sentence_only_when_its_span_states_the_sentence_figures():
    passage = "North America segment operating income was $11.5 billion. AWS segment operating income was $12.5 billion."
    cited = _citation(1, "North America segment operating income was $11.5 billion.", passage)
    claim = _answer("AWS segment operating income in Q4 2025 was $12.5 billion [1].", citations=[cited])
    assert _old_fact_present("12.5 billion", cited.text)  # the old rule: the key fact is somewhere in the passage
    score = score_citations(claim)
    assert score.sentences == 1 and score.supported == 0 and score.precise == 0
    good = _answer("AWS segment operating income in Q4 2025 was $12.5 billion [1].",
                   citations=[_citation(1, "AWS segment operating income was $12.5 billion.", passage,
                                        period="Q4 2025")])
    assert score_citations(good).supported == 1 and score_citations(good).precise == 1


def test_citation_precision_counts_an_unneeded_citation_against_the_answer():
    needed = _citation(1, "AWS segment operating income was $12.5 billion in Q4 2025.")
    padding = _citation(2, "Amazon announced new agreements with several customers in Q4 2025.")
    answer = _answer("AWS segment operating income in Q4 2025 was $12.5 billion [1][2].",
                     citations=[needed, padding])
    score = score_citations(answer)
    assert (score.citations, score.precise, score.supported) == (2, 1, 1)


class _Broken:
    def ask(self, *args, **kwargs):
        raise StoreUnavailable("store down")


def test_an_error_is_a_failure_in_every_metric_never_a_refusal():
    unanswerable = Question(id="n", question="What was Tencent's revenue?", category="u", answerable=False)
    answerable = Question(id="a", question="What was AWS revenue?", category="u", answerable=True, key_facts=["1"])
    results = [run_question(_Broken(), q, 5) for q in (unanswerable, answerable)]
    assert all(r.error and not r.refused and not r.correct for r in results)
    metrics = summarize(results)
    assert metrics["errors"] == 2 and metrics["refusal_recall"] == 0.0 and metrics["accuracy"] == 0.0
    assert metrics["refusal_precision"] == 0.0


@pytest.mark.parametrize("gold,question,direct,right", [
    ("$1577.00", "What is 3M's FY2018 capex (in USD millions)?", "3M's capital expenditures were $1,577 million.", True),
    ("$1577.00", "What is 3M's FY2018 capex (in USD millions)?", "3M's capital expenditures were $15.77 billion.", False),
    ("0.66", "What is the quick ratio?", "The quick ratio was 0.66.", True),
    ("4.2%", "What is the margin?", "The margin was 4.25%.", True),
    ("4.2%", "What is the margin?", "The margin was 4.4%.", False),
    ("No, American Water Works had negative working capital of -$1561M in FY 2022.", "Positive working capital?",
     "Yes. Working capital was $1,561 million.", False),
    ("No, American Water Works had negative working capital of -$1561M in FY 2022.", "Positive working capital?",
     "No. Working capital was -$1,561 million.", True),
])
def test_financebench_direct_answers_are_judged_by_value_unit_and_polarity(gold, question, direct, right):
    assert judge(parse_gold(gold, question), direct, refused=False)["correct"] is right


def test_financebench_first_number_of_a_gold_is_not_taken_for_the_answer():
    gold = parse_gold("Yes. Corning had a positive working capital amount of $831 million by FY 2022 close.",
                      "Does Corning have positive working capital based on FY2022 data?")
    assert gold.kind == "yesno" and gold.polarity is True
    assert not judge(gold, "No. Corning's working capital was $831 million.", refused=False)["correct"]
    text_gold = parse_gold("Since JPM is a financial institution, gross margin is not a relevant metric.", "q")
    assert text_gold.kind == "text"
    assert not judge(text_gold, "Gross margin is not relevant for a financial institution.", False)["correct"]


def test_rank_metrics_and_thresholds():
    from assistant.evaluation.metrics import first_hit_rank, mrr, percentile, recall_at
    from assistant.evaluation.runner import check_thresholds
    from assistant.contract.types import Chunk

    chunks = [Chunk(id=str(i), doc_id=f"d{i}", text="x") for i in range(4)]
    assert first_hit_rank([{"doc_id": "d2"}], chunks) == 3
    ranks = [1, 3, None, 2]
    assert recall_at(ranks, 1) == 0.25 and recall_at(ranks, 3) == 0.75
    assert abs(mrr(ranks) - (1 + 1 / 3 + 1 / 2) / 4) < 1e-9
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    problems = check_thresholds({"recall@5": 0.9, "accuracy": 0.5, "false_refusals": 20},
                                {"recall@5": 0.85, "accuracy": 0.6, "false_refusals_max": 10, "_comment": "x"})
    assert len(problems) == 2 and "accuracy" in problems[0] and "false_refusals" in problems[1]
