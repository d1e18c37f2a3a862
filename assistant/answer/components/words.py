"""Questions in words (who, where, when, why, which ...): answered by the sentences that say it, never a figure
(`assistant/answer/kinds.py` reads the kind of answer asked)."""

from __future__ import annotations

from assistant.answer.context import AnswerContext
from assistant.answer.kinds import in_words
from assistant.answer.refusals import Refusal, RefusalReason
from assistant.answer.select import SentenceSelector
from assistant.contract.types import Answer
from assistant.query.analyze import Query


class WordsAnswerer:
    """A question asking for a reason, a time, a place, a person or a list: the sentences that hold it, or a
    refusal (no figure answerer is tried after it)."""

    name = "words"

    def __init__(self, selector: SentenceSelector):
        self.selector = selector

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None:
        if not in_words(query):
            return None
        found = self.selector.answer(query, context.passages, context.index, context.registry, context.q_vec)
        return found if found is not None else Refusal(RefusalReason.NOT_FOUND)
