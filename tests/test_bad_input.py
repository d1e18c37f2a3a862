"""Questions that cannot be read as asked (a bare number, only stop words, another language) get a refusal that
says why, through the Python API, never an error; a question in English is not taken for another language."""

from __future__ import annotations

import pytest

from assistant.answer.unreadable import other_language, unreadable
from assistant.contract import phrases


@pytest.mark.parametrize(
    "question, why",
    [
        ("42", phrases.NUMBER_ONLY),
        ("$1,234.5", phrases.NUMBER_ONLY),
        ("19%", phrases.NUMBER_ONLY),
        ("the", phrases.NO_WORDS_TO_FIND),
        ("what is the of and to", phrases.NO_WORDS_TO_FIND),
        ("???", phrases.NO_WORDS_TO_FIND),
        ("What was AWS operating income in 2024?", ""),
        ("Amazon", ""),
        ("$45.6 billion", ""),
    ],
)
def test_a_question_with_nothing_to_look_up_is_named(question, why):
    assert unreadable(question) == why


@pytest.mark.parametrize(
    "question, foreign",
    [
        ("¿Cuáles fueron las ventas netas de Amazon en 2024?", True),
        ("Wie hoch war der Umsatz von AWS im Jahr 2024?", True),
        ("Qual foi a receita da Amazon em 2024?", True),
        ("阿里云2025财年的收入是多少？", True),
        ("Why did Zephyr choose Monterrey for its second assembly plant?", False),
        ("What was revnue in 2024?", False),  # one typo is not another language
        ("AWS operating income 2024", False),
    ],
)
def test_another_language_is_told_from_english(question, foreign):
    assert other_language(question) is foreign


@pytest.mark.slow
@pytest.mark.parametrize(
    "question, notice",
    [
        ("Wie hoch war der Umsatz von AWS im Jahr 2024?", phrases.OTHER_LANGUAGE),
        ("阿里云2025财年的收入是多少？", phrases.OTHER_LANGUAGE),
        ("of the and what", phrases.NO_WORDS_TO_FIND),
        ("39834", phrases.NUMBER_ONLY),
    ],
)
def test_the_python_api_refuses_them_and_says_why(real_assistant, question, notice):
    answer = real_assistant.ask(question)
    assert answer.refused and answer.text.startswith(phrases.CANNOT_ANSWER) and notice in answer.notice
    assert answer.direct == ""
