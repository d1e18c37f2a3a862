"""The answer step: a figure question is answered from facts (looked up, computed or compared); anything else,
or a figure no fact holds, from quoted sentences that carry what the Query names; otherwise a refusal that says
what the documents do have."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from assistant.contract import phrases
from assistant.answer.adhoc import read_figure
from assistant.answer.compose import write, write_series
from assistant.answer.select import SentenceSelector, refusal
from assistant.answer.series import solve_series
from assistant.answer.solve import Missing, Solution, Solver
from assistant.search.lexical import LexicalIndex
from assistant.query.analyze import Query
from assistant.query.registry import Registry
from assistant.contract.types import Answer, ScoredChunk


class AnswerEngine:
    """Chooses how to answer a Query and writes the Answer."""

    def __init__(self, selector: SentenceSelector):
        self.selector = selector

    def answer(self, query: Query, passages: list[ScoredChunk], index: LexicalIndex, registry: Registry,
               doc_ids: list[str] | None = None, q_vec: np.ndarray | None = None) -> Answer:
        solution = Solution()
        chunks = {**index.facts.chunks, **{p.chunk.id: p.chunk for p in passages}}
        if query.asks_figure:
            preferred = list(dict.fromkeys(c for p in passages for c in _companies(p, registry)))
            solver = Solver(index.facts, registry.calendars, set(doc_ids) if doc_ids else None, preferred,
                            registry.currencies)
            if query.series:
                points = solve_series(solver, query, registry.segments_of)
                if points is not None:
                    return write_series(points, query, registry, chunks, passages)
                if query.superlative:  # never the company's total for 'which segment had the highest ...'
                    return refusal(query.text, passages,
                                   phrases.NO_SEGMENT_FIGURES.format(metric=query.concept.label))
            solution = solver.solve(query)
            if solution.ok:
                answer = write(solution, query, registry, chunks, passages)
                if "explain" in query.also:  # 'What was X, and why did it fall?': the figure, then the reason
                    reason = self.selector.answer(replace(query, intent="explain", also=[], focus=query.why),
                                                  passages, index, registry, q_vec)
                    answer = with_reason(answer, reason) if reason is not None else answer
                return answer
        defined = [m for m in solution.missing if m.reason == "definition"]
        if defined:
            return refusal(query.text, passages, own_definition(defined[0], index, registry))
        if query.asks_figure and solution.missing and any(m.available for m in solution.missing):
            return refusal(query.text, passages, availability(solution.missing, registry))
        if not query.forward and (not query.asks_figure or not solution.missing):
            read = read_figure(query, passages, registry)
            if read is not None:
                return write(read, query, registry, chunks, passages)
        quoted = self.selector.answer(query, passages, index, registry, q_vec)
        if quoted is not None:
            return quoted
        return refusal(query.text, passages, availability(solution.missing, registry) if solution.missing else "")


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


def availability(missing: list[Missing], registry: Registry) -> str:
    """'The documents give Cloud segment operating income for FY2024 and FY2025, not for FY2026.'"""
    notes = []
    for m in missing:
        if m.concept is None or m.entity is None:
            continue
        who = registry.name(m.entity.company, m.entity.segment)
        cal = registry.calendar(m.entity.company)
        have = [p.label(cal) for p in m.available[:6]]
        asked = m.period.label(cal) if m.period else ""
        stated = m.period is not None and any(p.matches(m.period) for p in m.available)
        if have and asked and not stated and not m.concept.derived:
            notes.append(phrases.AVAILABLE_NOT_ASKED.format(metric=m.concept.label, who=who,
                                                            have=_join(have), asked=asked))
        elif have and not asked:
            notes.append(phrases.AVAILABLE_ONLY.format(metric=m.concept.label, who=who, have=_join(have)))
        elif m.reason.startswith("inputs") and ":" in m.reason:
            notes.append(phrases.MISSING_INPUTS.format(metric=m.concept.label, who=who,
                                                       inputs=m.reason.split(":", 1)[1].strip()))
    return " ".join(dict.fromkeys(notes))


def own_definition(missing: Missing, index: LexicalIndex, registry: Registry) -> str:
    """'Zeta defines free cash flow its own way ("..."); the documents do not state the figure.'"""
    _chunk_id, sentence = index.facts.definitions[(missing.entity.company, missing.concept.key)]
    return phrases.OWN_DEFINITION.format(who=registry.name(missing.entity.company), metric=missing.concept.label,
                                         definition=sentence[:240])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _companies(passage: ScoredChunk, registry: Registry) -> list[str]:
    return [c.strip() for c in passage.chunk.company.split(";") if c.strip()]
