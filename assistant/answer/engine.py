"""The answer step: the answerers are tried in their declared order (`assistant/answer/components/`); the first
that answers, or declines with a typed refusal, decides the reply. When none does, the refusal says what the
documents do have."""

from __future__ import annotations

import numpy as np

from assistant.answer.components import Answerer, default_answerers
from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal, RefusalReason, refuse
from assistant.answer.select import SentenceSelector
from assistant.contract.types import Answer, ScoredChunk
from assistant.query.analyze import Query
from assistant.query.registry import Registry
from assistant.search.lexical import LexicalIndex


class AnswerEngine:
    """Chooses how to answer a Query and writes the Answer."""

    def __init__(self, selector: SentenceSelector, answerers: list[Answerer] | None = None):
        self.answerers = answerers if answerers is not None else default_answerers(selector)

    def answer(
        self,
        query: Query,
        passages: list[ScoredChunk],
        index: LexicalIndex,
        registry: Registry,
        doc_ids: list[str] | None = None,
        q_vec: np.ndarray | None = None,
    ) -> Answer:
        context = AnswerContext(query, passages, index, registry, doc_ids, q_vec)
        for answerer in self.answerers:
            result = answerer.answer(query, context)
            if isinstance(result, Refusal):
                return refuse(result, context)
            if result is not None:
                return result
        return refuse(Refusal(RefusalReason.NOT_FOUND, missing=context.missing), context)
