"""Answerers beyond look-ups: judgement questions (which rule a question asks for, table-driven with invented
names, and the verdict answered from cited figures on the real default corpus) and combined figures."""

import pytest

from assistant.finance.judgements import asked_judgement

CASES = [
    ("Is Acme capital-intensive?", "capital_intensity", "is capital-intensive", True),
    ("Would you call Zeta an asset-light business?", "capital_intensity", "is not capital-intensive", True),
    (
        "How is Acme's liquidity at the end of 2024?",
        "liquidity",
        "has enough current assets to cover its current liabilities",
        False,
    ),
    ("Does Borealis have a working capital deficit?", "working_capital", "has negative working capital", True),
    (
        "Does Quill have positive working capital based on fiscal 2023 data?",
        "working_capital",
        "has positive working capital",
        True,
    ),
    ("Is Zeta highly leveraged?", "leverage", "is highly leveraged", True),
    ("Assess whether Acme is conservatively financed.", "leverage", "is not highly leveraged", False),
]


@pytest.mark.parametrize("question, key, verdict, yes_no", CASES, ids=[c[0] for c in CASES])
def test_the_rule_a_question_asks_for(question, key, verdict, yes_no):
    asked = asked_judgement(question)
    assert (asked.judgement.key, asked.verdict.text, asked.yes_no) == (key, verdict, yes_no)


@pytest.mark.parametrize(
    "question",
    [
        "What are the main risks to Acme's liquidity?",
        "What was Acme's capital expenditure in 2024?",
        "Why did working capital fall?",
    ],
)
def test_questions_that_ask_for_something_else_are_not_judgements(question):
    assert asked_judgement(question) is None


def test_a_judgement_is_answered_from_cited_figures_with_its_rule(real_assistant):
    answer = real_assistant.ask("Is Amazon capital-intensive?")
    assert answer.direct.startswith(("Yes.", "No.")) and "rule of thumb" in answer.direct
    assert answer.computations and len(answer.computations[0].operands) == 2
    assert all(o.citation in {c.n for c in answer.citations} for o in answer.computations[0].operands)
    value = answer.computations[0].result
    assert answer.direct.startswith("Yes.") == (value >= 10.0)


def test_a_combined_figure_adds_the_stated_figures_each_cited(real_assistant):
    answer = real_assistant.ask("What were the combined net sales of AWS and North America in 2024?")
    [work] = answer.computations
    assert len(work.operands) == 2 and abs(work.result - sum(o.value for o in work.operands)) < 1.0
    assert "combined" in answer.direct and all(f"[{o.citation}]" in answer.direct for o in work.operands)
