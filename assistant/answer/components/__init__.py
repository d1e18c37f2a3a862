"""The answerers, tried in a declared order: each takes the Query and its context and returns an Answer, a typed
Refusal, or None (not its kind of question, or nothing found: the next one is tried)."""

from __future__ import annotations

from typing import Protocol

from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal
from assistant.contract.types import Answer
from assistant.query.analyze import Query


class Answerer(Protocol):
    name: str

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None: ...


def default_answerers(selector) -> list[Answerer]:
    """fiscal dates, words, series, judgement, facts, sentence figure, quotes, explanation: the order they are tried in (a
    question in words never gets a figure; a judgement before the facts, so that 'Is Acme capital-intensive?' gets
    its verdict, not only the figure)."""
    from assistant.answer.components.facts import FactsAnswerer
    from assistant.answer.components.fiscal_dates import FiscalDateAnswerer
    from assistant.answer.components.judgement import JudgementAnswerer
    from assistant.answer.components.quotes import ExplanationAnswerer, QuotesAnswerer
    from assistant.answer.components.sentence_figure import SentenceFigureAnswerer
    from assistant.answer.components.series import SeriesAnswerer
    from assistant.answer.components.words import WordsAnswerer

    return [
        FiscalDateAnswerer(),
        WordsAnswerer(selector),
        SeriesAnswerer(),
        JudgementAnswerer(),
        FactsAnswerer(selector),
        SentenceFigureAnswerer(),
        QuotesAnswerer(selector),
        ExplanationAnswerer(selector),
    ]
