"""A figure question answered from the facts: looked up, computed or compared, every figure checked before it
is shown; a figure the documents state only for other periods, or define their own way, is a typed refusal."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.checks import check
from assistant.answer.compose import write
from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal, RefusalReason
from assistant.answer.select import SentenceSelector
from assistant.answer.solve import MissingReason
from assistant.contract.types import Answer
from assistant.query.analyze import Intent, Query


class FactsAnswerer:
    name = "facts"

    def __init__(self, selector: SentenceSelector):
        self.selector = selector  # for the reason asked with a figure: 'What was X, and why did it fall?'

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None:
        if not query.asks_figure:
            return None
        solution = context.solution
        if solution.ok:
            failures = check(solution, context.index.facts)
            if failures:  # a figure that fails a sanity check is never shown
                return Refusal(RefusalReason.FAILED_CHECK, failures=failures, solution=solution)
            answer = write(solution, query, context.registry, context.chunks, context.passages)
            if "explain" in query.also:
                reason = self.selector.answer(
                    replace(query, intent=Intent.EXPLAIN, also=[], focus=query.why),
                    context.passages,
                    context.index,
                    context.registry,
                    context.q_vec,
                )
                answer = with_reason(answer, reason) if reason is not None else answer
            return answer
        defined = [m for m in solution.missing if m.reason is MissingReason.DEFINITION]
        if defined:
            return Refusal(RefusalReason.OWN_DEFINITION, missing=defined)
        if solution.missing and any(m.available for m in solution.missing):
            return Refusal(RefusalReason.NOT_FOR_PERIOD, missing=solution.missing)
        return None


def with_reason(answer: Answer, reason: Answer) -> Answer:
    """A figure's answer followed by the quoted sentence that explains it, citations numbered on from the
    figure's (a passage cited by both keeps its number)."""
    citations = list(answer.citations)
    renumber: dict[int, int] = {}
    for c in reason.citations:
        same = next((a for a in citations if a.chunk_id == c.chunk_id), None)
        if same is None:
            same = replace(c, n=len(citations) + 1)
            citations.append(same)
        elif c.quote and c.quote not in same.quote:
            citations[citations.index(same)] = same = replace(same, quote=f"{same.quote}\n{c.quote}".strip())
        renumber[c.n] = same.n

    def moved(text: str) -> str:
        return re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]", text)

    direct = f"{answer.direct} {moved(reason.direct)}".strip()
    text = answer.text.replace(answer.direct, direct, 1) + "\n" + moved(reason.text)
    return replace(answer, text=text, direct=direct, citations=citations)
