"""The evaluation's definitions, each shown on an invented question and answer: a wrong answer the rule rejects and
a right one it accepts. Where an earlier scorer accepted the wrong one, the test says so (the strict scorer's four
spots: unlisted wrong answers, signs, operands, citation support from the quoted span)."""

import pytest

from assistant.contract.errors import StoreUnavailable
from assistant.contract.types import Answer, Citation, Computation, Operand
from assistant.evaluation.financebench import judge, parse_gold
from assistant.evaluation.runner import Question, evaluate, run_question, score_answer, summarize
from assistant.evaluation.scoring import phrase_in, score_citations, signed_quantities, states, wrong_figures


def _answer(
    direct: str,
    quotes: str = "",
    citations: list[Citation] | None = None,
    computations: list[Computation] | None = None,
) -> Answer:
    return Answer(
        question="q",
        text=f"{direct}\n{quotes}".strip(),
        citations=citations or [],
        refused=False,
        timings={},
        direct=direct,
        computations=computations or [],
    )


def _citation(n: int, quote: str, text: str | None = None, title: str = "Zeta Corp Form 10-K"):
    return Citation(
        n=n, doc_id="zeta-10-k", title=title, page=1, section="", text=text or quote, quote=quote, score=1.0
    )


def _question(key_facts, wrong=(), answer="", question="q") -> Question:
    return Question(
        id="x",
        question=question,
        category="t",
        answerable=True,
        key_facts=list(key_facts),
        wrong=list(wrong),
        answer=answer,
    )


class _Scripted:
    """Answers every question with the same Answer (an evaluation run without a store)."""

    def __init__(self, answer: Answer):
        self.answer = answer

    def ask(self, *args, **kwargs):
        return self.answer

    def passages(self, *args, **kwargs):
        return []


# -- the direct answer ----------------------------------------------------------------------------------------


def test_key_fact_must_be_in_the_direct_answer_not_anywhere_in_a_row_dump():
    row = "Total revenue 41,210 45,877 83,004 90,112"
    question = _question([["$41,210 million", "$41.2 billion"]], wrong=["$45,877 million"])
    wrong = _answer("Zeta's revenue in Q2 2030 was $83,004 million [1].", f"“{row}” [1]")
    assert not score_answer(question, wrong, None).direct_ok
    right = _answer("Zeta's revenue in Q2 2030 was $41,210 million [1].", f"“{row}” [1]")
    assert score_answer(question, right, None).direct_ok


def test_an_answer_given_but_not_right_is_wrong_whether_or_not_its_figure_is_listed():
    """Spot 1: the old scorer counted only answers stating a listed `wrong` figure (it had no wrong-answer count)."""
    question = _question(["$7.4 billion"], question="What was Zeta's operating income in 2030?")
    answer = _answer("Zeta's operating income in 2030 was $6.1 billion [1].")
    refused = Answer(
        question="q", text="I couldn't find this in the documents.", citations=[], refused=True, timings={}
    )
    results = [score_answer(question, answer, None), score_answer(question, refused, None)]
    metrics = summarize(results)
    assert metrics["wrong_answers"] == 1 and metrics["false_refusals"] == 1
    assert metrics["wrong_answer_rate"] == 0.5
    report = evaluate(_Scripted(answer), [question])
    listed = report["wrong_answers"]
    assert [w["question"] for w in listed] == [question.question]
    assert listed[0]["direct"] == answer.direct and "$7.4 billion" in listed[0]["reason"]


def test_a_figure_of_the_asked_kind_that_matches_no_key_fact_makes_the_answer_wrong():
    question = _question(["$7.4 billion"], answer="Operating income was $7.4 billion, up from $6.9 billion.")
    hedged = _answer("Zeta's operating income in 2030 was $7.4 billion or $8.2 billion [1].")
    result = score_answer(question, hedged, None)
    assert not result.direct_ok and result.unmatched == ["$8.2 billion"]
    # a figure of another kind, the reference answer's own context, or a comparison's gap is not a wrong figure
    for direct in (
        "Zeta's operating income in 2030 was $7.4 billion, 21% of revenue [1].",
        "Zeta's operating income in 2030 was $7.4 billion, up from $6.9 billion [1].",
    ):
        assert score_answer(question, _answer(direct), None).direct_ok, direct
    both = _question(["$7.4 billion", "$6.9 billion"])
    gap = _answer("2030 was larger, by $0.5 billion: $7.4 billion in 2030 [1]; $6.9 billion in 2029 [1].")
    assert score_answer(both, gap, None).direct_ok
    same = _answer("2030 was larger, by $0.0 billion: $7.4 billion in 2030 [1]; $7.4 billion in 2030 [1].")
    assert not score_answer(_question(["$7.4 billion"]), same, None).direct_ok  # a gap between one fact and itself


def test_a_listed_wrong_figure_in_the_direct_answer_fails_it():
    direct = "Zeta Cloud operating income in 2030 was $12.1 billion, up from $9.8 billion [1]."
    assert wrong_figures(["$9.8 billion", "$3.3 billion"], direct) == ["$9.8 billion"]
    assert not score_answer(_question(["$12.1 billion"], wrong=["$9.8 billion"]), _answer(direct), None).direct_ok


@pytest.mark.parametrize(
    "text,signs",
    [
        ("a loss of $2.7 billion", [-1]),
        ("-$2.7 billion", [-1]),
        ("$(2.7) billion", [-1]),
        ("Operating loss was (2,656)", [-1]),
        ("a $2.7 billion loss", [-1]),
        ("revenue declined 5% to $9.1 billion", [-1, 1]),
        ("cash fell from $78.8 billion to $57.7 billion", [1, 1]),
        ("decreased by $21,038 million", [-1]),
        ("Net income (loss) was $59,248 million", [1]),
        ("a loss of RMB15,137 million (US$2,086 million)", [-1, -1]),
        ("operating income of $3.8 billion, compared with a loss of $2.7 billion", [1, -1]),
        ("a deficit of $412 million", [-1]),
    ],
)
def test_signs_are_read_from_minus_brackets_and_words(text, signs):
    assert [(-1 if f.value < 0 else 1) for f in signed_quantities(text)] == signs


def test_a_loss_stated_as_a_profit_is_wrong():
    """Spot 2: the old scorer compared magnitudes, so '$2.7 billion of operating income' stated the loss."""
    question = _question([["-$2.7 billion", "a loss of $2,656 million"]])
    profit = _answer("Zeta's International segment operating income in 2029 was $2.7 billion [1].")
    assert not score_answer(question, profit, None).direct_ok
    for direct in (
        "Zeta's International segment had an operating loss of $2,656 million in 2029 [1].",
        "Zeta's International segment operating income in 2029 was -$2.7 billion [1].",
        "International segment operating income (loss) in 2029: $(2,656) million [1].",
    ):
        assert score_answer(question, _answer(direct), None).direct_ok, direct
    decline = _question([["a decline of $21,038 million", "-$21.0 billion"]])
    assert score_answer(decline, _answer("Cash fell by $21,038 million in the half [1]."), None).direct_ok
    assert not score_answer(decline, _answer("Cash rose by $21,038 million in the half [1]."), None).direct_ok


def _margin(result: str, income: str, sales: str) -> Computation:
    return Computation(
        formula="operating income / net sales",
        result=0.0,
        result_text=result,
        unit="percent",
        operands=[Operand("operating income", "FY2030", 0.0, income, 1), Operand("net sales", "FY2030", 0.0, sales, 2)],
    )


def test_a_key_fact_counts_only_as_the_result_or_an_operand_of_the_computation_asked_for():
    """Spot 3: the old scorer found key facts anywhere in the direct answer, an operand of any computation too."""
    asked_income = _question(["$7.4 billion"], question="What was Zeta's operating income in 2030?")
    margin = _answer(
        "Zeta's operating margin in 2030 was 21.0%: operating income $7.4 billion [1], net sales "
        "$35.2 billion [2] (operating income / net sales).",
        computations=[_margin("21.0%", "$7.4 billion", "$35.2 billion")],
    )
    assert not score_answer(asked_income, margin, None).direct_ok  # it answered another question
    asked_margin = _question(["21.0%"], wrong=["$7.4 billion", "$35.2 billion"])
    assert score_answer(asked_margin, margin, None).direct_ok  # the asked computation's inputs are not claims
    asked_both = _question(["21.0%", "$7.4 billion"])
    assert score_answer(asked_both, margin, None).direct_ok


def test_a_wrong_figure_in_another_computation_counts():
    """Spot 3, the wrong-figure side: the old scorer removed every computation's operands before looking for
    listed wrong figures; only the asked computation's inputs are exempt now."""
    question = _question(["21.0%"], wrong=["$6.1 billion"])
    answer = _answer(
        "Zeta's operating margin in 2030 was 21.0%: operating income $7.4 billion [1], net sales "
        "$35.2 billion [2]; in 2029, 19.6%: operating income $6.1 billion [1], net sales $31.1 billion "
        "[2].",
        computations=[
            _margin("21.0%", "$7.4 billion", "$35.2 billion"),
            _margin("19.6%", "$6.1 billion", "$31.1 billion"),
        ],
    )
    result = score_answer(question, answer, None)
    assert result.wrong_in_direct == ["$6.1 billion"] and "19.6%" in result.unmatched and not result.direct_ok


def test_a_figure_rounded_the_way_the_company_writes_it_is_the_exact_figure_it_rounds():
    """The one-line answer says '$7.4 billion' where the table prints 7,412 (in millions): an operand so written
    is still the computation's input, and a side stated so matches the reference answer's exact figure."""
    margin = _answer(
        "Zeta's operating margin in 2030 was 21.0%: operating income $7.4 billion [1], net sales "
        "$35.2 billion [2] (operating income / net sales).",
        computations=[_margin("21.0%", "$7,412 million", "$35,210 million")],
    )
    assert score_answer(_question(["21.0%"], wrong=["$7,412 million"]), margin, None).direct_ok
    sides = _answer(
        "Cloud was larger, by $1.4 billion: Cloud operating income was $7.4 billion [1]; Retail "
        "operating income was $6.0 billion [1]."
    )
    question = _question(
        [["$1,412 million", "$1.4 billion"]], answer="$7,412 million against $6,000 million: $1,412 million more"
    )
    assert score_answer(question, sides, None).direct_ok
    wrong = _answer("Cloud was larger, by $1.4 billion: Cloud operating income was $7.9 billion [1].")
    assert "$7.9 billion" in score_answer(question, wrong, None).unmatched  # a rounding of nothing stated


def test_a_rounded_result_and_its_percent_change_are_supported_by_the_operands_they_come_from():
    row = _citation(1, "Operating income 6,000 7,412", "Segment results (in millions)\nOperating income 6,000 7,412")
    change = Computation(
        "operating income 2030 - operating income 2029",
        [
            Operand("operating income", "FY2030", 7.412e9, "$7,412 million", 1),
            Operand("operating income", "FY2029", 6.0e9, "$6,000 million", 1),
        ],
        1.412e9,
        "$1,412 million (+23.5%)",
    )
    answer = _answer(
        "Zeta Cloud operating income rose from $6.0 billion in FY2029 [1] to $7.41 billion in FY2030 "
        "[1], up $1.41 billion (+23.5%).",
        citations=[row],
        computations=[change],
    )
    headers = {1: "Zeta Cloud segment results\nFY2029, FY2030\n(in millions)"}
    assert score_citations(answer, headers).supported == 1
    change.result_text = "$1,412 million"  # without the percent among its results, +23.5% is in no span
    assert score_citations(answer, headers).supported == 0


# -- citations ------------------------------------------------------------------------------------------------


def test_a_citation_supports_its_sentence_only_when_its_span_states_the_sentence_figures():
    passage = "North America operating income was $11.5 billion. Zeta Cloud operating income was $12.5 billion."
    cited = _citation(1, "North America operating income was $11.5 billion.", passage)
    score = score_citations(_answer("Zeta Cloud operating income was $12.5 billion [1].", citations=[cited]))
    assert score.sentences == 1 and score.supported == 0 and score.precise == 0
    good = _citation(1, "Zeta Cloud operating income was $12.5 billion.", passage)
    score = score_citations(_answer("Zeta Cloud operating income was $12.5 billion [1].", citations=[good]))
    assert score.supported == 1 and score.precise == 1


def _supported(sentence: str, citation: Citation) -> int:
    return score_citations(_answer(sentence, citations=[citation])).supported


def test_periods_and_names_must_be_in_the_quoted_span_not_only_in_its_passage_or_title():
    """Spot 4: the old scorer took years and names from the whole passage and the document title."""
    passage = "Fiscal 2031 highlights. Zeta Cloud revenue was $9.9 billion. Orion revenue was $2.2 billion."
    cited = _citation(1, "Zeta Cloud revenue was $9.9 billion.", passage, title="Zeta Corp Form 10-K, FY2031")
    claim = "Zeta Cloud revenue in 2031 was $9.9 billion [1]."
    assert _supported(claim, cited) == 0
    named = _citation(1, "In 2031, Zeta Cloud revenue was $9.9 billion.", passage)
    assert _supported(claim, named) == 1
    assert _supported("Orion revenue in 2031 was $9.9 billion [1].", named) == 0  # in the passage, not the span


def test_a_table_row_is_checked_against_its_column_and_group_headers():
    table = (
        "Segment results (in millions)\nYear Ended December 31,\n2030 2031\nZeta Cloud\nNet sales 8,110 9,904\n"
        "Orion\nNet sales 1,977 2,204"
    )
    row = _citation(1, "Net sales 8,110 9,904", table)
    assert _supported("Zeta Cloud net sales in 2031 were $9,904 million [1].", row) == 1
    assert _supported("Zeta Cloud net sales in 2029 were $9,904 million [1].", row) == 0
    assert _supported("Orion net sales in 2031 were $9,904 million [1].", row) == 0
    cut = _citation(1, "Net sales 8,110 9,904", "Net sales 8,110 9,904\nOperating income 1,210 1,498")
    headers = {1: "Segment results\nZeta Cloud\nFY2030, FY2031\n(in millions)"}  # the table as read at ingest
    assert (
        score_citations(
            _answer("Zeta Cloud net sales in 2031 were $9,904 million [1].", citations=[cut]), headers
        ).supported
        == 1
    )


def test_quote_lines_are_evidence_not_claims_and_computations_do_not_skip_the_word_check():
    """Spot 4: the old scorer counted each verbatim quote line as a supported sentence, and skipped the word check
    for every sentence of an answer that carried a computation."""
    span = _citation(1, "Zeta Cloud revenue was $9.9 billion in 2031.")
    quoted = _answer(
        "Zeta Cloud revenue in 2031 was $9.9 billion [1].",
        "“Zeta Cloud revenue was $9.9 billion in 2031.” [1]",
        citations=[span],
    )
    assert score_citations(quoted).sentences == 1
    claim = _answer(
        "Zeta Cloud grew because of strong demand for storage [1]. Its margin was 21.0% [1].",
        citations=[_citation(1, "Zeta Cloud revenue was $9.9 billion in 2031, operating income $2.1 billion.")],
        computations=[_margin("21.0%", "$2.1 billion", "$9.9 billion")],
    )
    score = score_citations(claim)
    assert (score.sentences, score.supported) == (2, 1)
    assert score.unsupported == ["Zeta Cloud grew because of strong demand for storage."]


def test_citation_precision_counts_an_unneeded_citation_against_the_answer():
    needed = _citation(1, "Zeta Cloud operating income was $12.5 billion in Q4 2031.")
    padding = _citation(2, "Zeta announced new agreements with several customers in Q4 2031.")
    answer = _answer("Zeta Cloud operating income in Q4 2031 was $12.5 billion [1][2].", citations=[needed, padding])
    score = score_citations(answer)
    assert (score.citations, score.precise, score.supported) == (2, 1, 1)


# -- figures, words, errors -----------------------------------------------------------------------------------


def test_figures_are_compared_with_their_scale_and_unit():
    assert not states("34", "revenue was $34.0 billion")
    assert states("$1,577 million", "capital spending of $1.577 billion")
    assert states("$45.6 billion", "operating income of $45,606 million")
    assert not states("$45.6 billion", "operating income of $46 billion")  # less precise than the fact
    assert not states("19%", "sales grew 19 times")
    assert not states("RMB118,028 million", "revenue of $118,028 million")  # another currency
    assert states(["$45.6 billion", "$45,606 million"], "was $45,606 million")


def test_words_are_matched_as_whole_words():
    assert not phrase_in("Zeta", "the zetabyte era")
    assert phrase_in("Asia Pacific's largest", "Zeta Cloud is Asia Pacific’s largest provider")


class _Broken:
    def ask(self, *args, **kwargs):
        raise StoreUnavailable("store down")


def test_an_error_is_a_failure_in_every_metric_never_a_refusal():
    unanswerable = Question(id="n", question="What was Orion's revenue?", category="u", answerable=False)
    answerable = Question(id="a", question="What was Zeta revenue?", category="u", answerable=True, key_facts=["1"])
    results = [run_question(_Broken(), q, 5) for q in (unanswerable, answerable)]
    assert all(r.error and not r.refused and not r.correct and not r.wrong for r in results)
    metrics = summarize(results)
    assert metrics["errors"] == 2 and metrics["refusal_recall"] == 0.0 and metrics["accuracy"] == 0.0
    assert metrics["refusal_precision"] == 0.0 and metrics["false_refusals"] == 0


# -- FinanceBench's gold formats (invented golds) -------------------------------------------------------------


@pytest.mark.parametrize(
    "gold,question,direct,right",
    [
        (
            "$2,318.00",
            "What is Zeta's FY2031 capex (in USD millions)?",
            "Zeta's capital expenditures were $2,318 million.",
            True,
        ),
        (
            "$2,318.00",
            "What is Zeta's FY2031 capex (in USD millions)?",
            "Zeta's capital expenditures were $23.18 billion.",
            False,
        ),
        ("0.74", "What is Zeta's quick ratio?", "The quick ratio was 0.74.", True),
        ("6.3%", "What is the margin?", "The margin was 6.35%.", True),
        ("6.3%", "What is the margin?", "The margin was 6.6%.", False),
        (
            "No, Zeta had negative working capital of -$412M at the end of FY2031.",
            "Positive working capital?",
            "Yes. Working capital was $412 million.",
            False,
        ),
        (
            "No, Zeta had negative working capital of -$412M at the end of FY2031.",
            "Positive working capital?",
            "No. Working capital was -$412 million.",
            True,
        ),
    ],
)
def test_financebench_direct_answers_are_judged_by_value_unit_and_polarity(gold, question, direct, right):
    assert judge(parse_gold(gold, question), direct, refused=False)["correct"] is right


def test_financebench_first_number_of_a_gold_is_not_taken_for_the_answer():
    gold = parse_gold(
        "Yes. Zeta ended FY2031 with working capital of $977 million.",
        "Is Zeta's working capital positive at the end of FY2031?",
    )
    assert gold.kind == "yesno" and gold.polarity is True
    assert not judge(gold, "No. Zeta's working capital was $977 million.", refused=False)["correct"]
    text_gold = parse_gold("Zeta lends money, so a gross margin tells little about it.", "q")
    assert text_gold.kind == "text"
    assert not judge(text_gold, "Gross margin tells little about a lender.", False)["correct"]


def test_rank_metrics_and_thresholds():
    from assistant.contract.types import Chunk
    from assistant.evaluation.metrics import first_hit_rank, mrr, percentile, recall_at
    from assistant.evaluation.runner import check_thresholds

    chunks = [Chunk(id=str(i), doc_id=f"d{i}", text="x") for i in range(4)]
    assert first_hit_rank([{"doc_id": "d2"}], chunks) == 3
    ranks = [1, 3, None, 2]
    assert recall_at(ranks, 1) == 0.25 and recall_at(ranks, 3) == 0.75
    assert abs(mrr(ranks) - (1 + 1 / 3 + 1 / 2) / 4) < 1e-9
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    problems = check_thresholds(
        {"recall@5": 0.9, "accuracy": 0.5, "false_refusals": 20},
        {"recall@5": 0.85, "accuracy": 0.6, "false_refusals_max": 10, "_comment": "x"},
    )
    assert len(problems) == 2 and "accuracy" in problems[0] and "false_refusals" in problems[1]


def test_a_key_fact_rounded_to_three_significant_digits_is_stated_but_not_coarser():
    from assistant.evaluation.scoring import states

    assert states("$4,225 million", "Orion held cash of $4.23 billion [1].")
    assert not states("$4,225 million", "Orion held cash of $4.2 billion [1].")
    assert not states("$4,225 million", "Orion held cash of $4.29 billion [1].")


@pytest.mark.parametrize("key", ["-$226 million", "$226 million"])
def test_a_figure_with_its_direction_in_words_states_its_size_with_either_sign(key):
    assert states(key, "Operating activities were an outflow of $226 million [1].")
    assert not states(key, "Operating activities were an outflow of $262 million [1].")


def test_a_loss_in_words_is_still_not_a_profit():
    assert not states("$226 million", "Operating income was a loss of $226 million [1].")


@pytest.mark.parametrize(
    "direct, correct",
    [
        ("Orion's free cash flow in FY2022 was an outflow of $16.9 billion [1].", True),
        ("Orion's free cash flow in FY2022 was $16.9 billion [1].", False),  # a positive figure stated as such
        ("Orion's free cash flow in FY2022 was an outflow of $19.6 billion [1].", False),
    ],
)
def test_a_direct_answer_with_its_direction_in_words_is_not_an_unmatched_figure(direct, correct):
    from assistant.evaluation.scoring import check_direct

    check = check_direct([["-$16,893 million", "-$16.9 billion"]], [], _answer(direct))
    assert check.ok is correct
