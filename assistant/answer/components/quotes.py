"""Answers in the documents' own sentences: quoted, whole and cited (`assistant/answer/select.py`)."""

from __future__ import annotations

from assistant.answer.context import AnswerContext
from assistant.answer.select import SentenceSelector
from assistant.contract.types import Answer
from assistant.query.analyze import Query


class QuotesAnswerer:
    """Any question but a why-question: the sentences that carry what it asks."""

    name = "quotes"
    explains = False

    def __init__(self, selector: SentenceSelector):
        self.selector = selector

    def answer(self, query: Query, context: AnswerContext) -> Answer | None:
        if (query.intent == "explain") != self.explains:
            return None
        passages = context.passages
        if query.asks_figure or self.explains:  # a figure the facts do not give, or a reason, is quoted from
            passages = [p for p in passages if p.chunk.kind != "table"]  # prose, never from a table's text
        return self.selector.answer(query, passages, context.index, context.registry, context.q_vec)


class ExplanationAnswerer(QuotesAnswerer):
    """A why-question: the sentences that give the reason."""

    name = "explanation"
    explains = True
