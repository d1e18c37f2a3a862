"""A figure no fact holds, read from a retrieved sentence that names the asked metric in the question's words."""

from __future__ import annotations

from assistant.answer.adhoc import read_figure
from assistant.answer.checks import check
from assistant.answer.compose import write
from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal, RefusalReason
from assistant.contract.types import Answer
from assistant.query.analyze import Query


class SentenceFigureAnswerer:
    name = "sentence figure"

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None:
        if query.forward or (query.asks_figure and context.solution.missing):
            return None
        read = read_figure(query, context.passages, context.registry)
        if read is None:
            return None
        failures = check(read, context.index.facts)
        if failures:  # the same sanity checks as a figure from the facts: never shown when one fails
            return Refusal(RefusalReason.FAILED_CHECK, failures=failures, solution=read)
        return write(read, query, context.registry, context.chunks, context.passages)
