"""A figure over a run of periods or across segments, every point cited, for a chart."""

from __future__ import annotations

from assistant.answer.compose import write_series
from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal, RefusalReason
from assistant.answer.series import solve_series
from assistant.contract.types import Answer
from assistant.query.analyze import Query


class SeriesAnswerer:
    name = "series"

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None:
        if not (query.asks_figure and query.series):
            return None
        points = solve_series(context.solver, query, context.registry.segments_of)
        if points is not None:
            return write_series(points, query, context.registry, context.chunks, context.passages)
        if query.superlative:  # never the company's total for 'which segment had the highest ...'
            return Refusal(RefusalReason.NO_SEGMENT_FIGURES)
        return None
