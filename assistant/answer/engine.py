"""The answer step: a figure question is answered from facts (looked up, computed or compared); anything else,
or a figure no fact holds, from quoted sentences that carry what the Query names; otherwise a refusal that says
what the documents do have."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from assistant.contract import phrases
from assistant.answer.adhoc import read_figure
from assistant.answer.checks import Failure, check
from assistant.answer.compose import write, write_series
from assistant.answer.kinds import in_words
from assistant.answer.select import SentenceSelector, refusal
from assistant.answer.series import solve_series
from assistant.answer.solve import Missing, Solution, Solver, month_end_after
from assistant.finance.periods import FiscalCalendar, Period
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
        if in_words(query):  # who, where, when, why ...: answered by the sentences that say it, never a figure
            return self.selector.answer(query, passages, index, registry, q_vec) or \
                refusal(query.text, about(query, passages))
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
                    return refusal(query.text, about(query, passages),
                                   phrases.NO_SEGMENT_FIGURES.format(metric=query.concept.label))
            solution = solver.solve(query)
            failures = check(solution, index.facts) if solution.ok else []
            if failures:  # a figure that fails a sanity check is never shown
                return refusal(query.text, about(query, passages), unchecked(failures, solution, registry))
            if solution.ok:
                answer = write(solution, query, registry, chunks, passages)
                if "explain" in query.also:  # 'What was X, and why did it fall?': the figure, then the reason
                    reason = self.selector.answer(replace(query, intent="explain", also=[], focus=query.why),
                                                  passages, index, registry, q_vec)
                    answer = with_reason(answer, reason) if reason is not None else answer
                return answer
        defined = [m for m in solution.missing if m.reason == "definition"]
        if defined:
            return refusal(query.text, about(query, passages), own_definition(defined[0], index, registry))
        if query.asks_figure and solution.missing and any(m.available for m in solution.missing):
            return refusal(query.text, (stated_in(solution.missing, index) + about(query, passages))[:len(passages)],
                           availability(solution.missing, registry))
        if not query.forward and (not query.asks_figure or not solution.missing):
            read = read_figure(query, passages, registry)
            if read is not None:
                return write(read, query, registry, chunks, passages)
        quoted = self.selector.answer(query, passages, index, registry, q_vec)
        if quoted is not None:
            return quoted
        return refusal(query.text, about(query, passages),
                       availability(solution.missing, registry) if solution.missing else "")


def unchecked(failures: list[Failure], solution: Solution, registry: Registry) -> str:
    """'The figure is not shown: operating margin would be 972.4%, outside what it can be. The documents give
    ...'"""
    reasons = "; ".join(dict.fromkeys(f.detail for f in failures))
    stated = []
    for side in solution.sides:
        for fact in ([side.fact] if side.fact else [i.fact for i in side.outcome.inputs] if side.outcome else []):
            stated.append(f"{fact.label} {fact.text} ({Period.from_key(fact.period).label(registry.calendar(fact.company))})")
    have = phrases.FIGURES_READ.format(figures="; ".join(dict.fromkeys(stated))) if stated else ""
    return f"{phrases.FAILED_CHECK.format(reasons=reasons)} {have}".strip()


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
        have = periods_listed(m.available, cal)
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


def periods_listed(periods: list[Period], cal: FiscalCalendar) -> list[str]:
    """Every period, years first, each kind oldest first; three or more consecutive years or quarters as one run
    ('FY2022 to FY2025', 'Q3 2024 to Q4 2025')."""
    kinds: dict[tuple, list[Period]] = {}
    for p in sorted(set(periods), key=lambda p: p.end):
        kinds.setdefault((p.months,) if p.months == 3 else (p.months, p.end.month, p.end.day), []).append(p)
    years = max((k for k in kinds if k[0] == 12), key=lambda k: len(kinds[k]), default=None)  # the fiscal years
    out = []
    for kind in sorted(kinds, key=lambda k: (k[0] == 0, k != years, k != (3,), k[0], -len(kinds[k]))):
        step = 3 if kind == (3,) else 12
        runs: list[list[Period]] = []
        for p in kinds[kind]:
            if runs and month_end_after(runs[-1][-1].end, step) == month_end_after(p.end, 0):
                runs[-1].append(p)
            else:
                runs.append([p])
        for run in runs:
            labels = [p.label(cal) for p in run]
            out += [f"{labels[0]} to {labels[-1]}"] if len(run) >= 3 else labels
    return out


def about(query: Query, passages: list[ScoredChunk]) -> list[ScoredChunk]:
    """The passages about what a refused question asks: a figure of the asked metric for the asked company or
    segment, the asked company for a question without a metric, or every name no document's company has in the
    passage's own words. All passages when the question names none of these."""
    if query.unknown:
        names = [re.compile(rf"(?<!\w){re.escape(n)}(?!\w)", re.I) for n in query.unknown]
        return [p for p in passages if all(n.search(p.chunk.text) for n in names)]
    asked = {(e.company, e.segment) for e in query.entities}
    if query.concept is not None:
        keys = {query.concept.key, *re.findall(r"[a-z_]+", query.concept.formula)}
        return [p for p in passages if any(f.concept in keys and (not asked or (f.company, f.segment) in asked)
                                           for f in p.chunk.facts)]
    if asked:
        companies = {company for company, _ in asked}
        return [p for p in passages if companies & {c.strip() for c in p.chunk.company.split(";")}]
    return passages


def stated_in(missing: list[Missing], index: LexicalIndex) -> list[ScoredChunk]:
    """Where the documents state the asked metric for the periods they do have: each document's most trusted
    passage for it."""
    out: dict[str, ScoredChunk] = {}
    for m in missing:
        if m.concept is None or m.entity is None or not m.available:
            continue
        for fact in index.facts.find(m.concept.key, m.entity.company, m.entity.segment):
            chunk = index.facts.chunks.get(fact.chunk_id)
            if chunk is not None and chunk.doc_id not in out:
                out[chunk.doc_id] = ScoredChunk(chunk, 0.0)
    return list(out.values())


def own_definition(missing: Missing, index: LexicalIndex, registry: Registry) -> str:
    """'Zeta defines free cash flow its own way ("..."); the documents do not state the figure.'"""
    _chunk_id, sentence = index.facts.definitions[(missing.entity.company, missing.concept.key)]
    return phrases.OWN_DEFINITION.format(who=registry.name(missing.entity.company), metric=missing.concept.label,
                                         definition=sentence[:240])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _companies(passage: ScoredChunk, registry: Registry) -> list[str]:
    return [c.strip() for c in passage.chunk.company.split(";") if c.strip()]
