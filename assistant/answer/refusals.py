"""Refusals as typed results: why a question is not answered (a reason from a fixed set, with what is missing)
and the reply that says so, listing what the documents do have and the passages about what was asked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from assistant.answer.checks import Failure
from assistant.answer.context import AnswerContext
from assistant.answer.select import refusal
from assistant.answer.solve import Missing, MissingReason, Solution
from assistant.contract import phrases
from assistant.contract.types import Answer, ScoredChunk
from assistant.finance.periods import FiscalCalendar, Period, month_end_after
from assistant.query.analyze import Query
from assistant.query.registry import Registry
from assistant.search.lexical import LexicalIndex


class RefusalReason(StrEnum):
    NOT_FOUND = "not found"  # nothing in the documents answers it
    NOT_FOR_PERIOD = "not for the period"  # the figure is stated, not for what was asked
    OWN_DEFINITION = "own definition"  # the company defines the metric its own way and does not state it
    NO_SEGMENT_FIGURES = "no segment figures"  # 'which segment had the highest ...' without per-segment figures
    FAILED_CHECK = "failed check"  # a figure was found but fails a sanity check


@dataclass
class Refusal:
    """Why an answerer declines to answer, with what it could not find or the checks a figure failed."""

    reason: RefusalReason
    missing: list[Missing] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    solution: Solution | None = None


def refuse(declined: Refusal, context: AnswerContext) -> Answer:
    """The refusal reply: the reason in words and the passages about what was asked."""
    query, passages, registry = context.query, context.passages, context.registry
    near = about(query, passages)
    if declined.reason is RefusalReason.NO_SEGMENT_FIGURES:
        notice = phrases.NO_SEGMENT_FIGURES.format(metric=query.concept.label if query.concept else "the figure")
    elif declined.reason is RefusalReason.FAILED_CHECK:
        notice = unchecked(declined.failures, declined.solution or Solution(), registry)
    elif declined.reason is RefusalReason.OWN_DEFINITION:
        notice = own_definition(declined.missing[0], context.index, registry)
    elif declined.reason is RefusalReason.NOT_FOR_PERIOD:
        near = (stated_in(declined.missing, context.index) + near)[: len(passages)]
        notice = availability(declined.missing, registry)
    else:
        notice = availability(declined.missing, registry) if declined.missing else ""
    return refusal(query.text, near, notice)


def unchecked(failures: list[Failure], solution: Solution, registry: Registry) -> str:
    """'The figure is not shown: operating margin would be 972.4%, outside what it can be. The documents give
    ...'"""
    reasons = "; ".join(dict.fromkeys(f.detail for f in failures))
    stated = []
    for side in solution.sides:
        for fact in [side.fact] if side.fact else [i.fact for i in side.outcome.inputs] if side.outcome else []:
            stated.append(
                f"{fact.label} {fact.text} ({Period.from_key(fact.period).label(registry.calendar(fact.company))})"
            )
    have = phrases.FIGURES_READ.format(figures="; ".join(dict.fromkeys(stated))) if stated else ""
    return f"{phrases.FAILED_CHECK.format(reasons=reasons)} {have}".strip()


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
            notes.append(
                phrases.AVAILABLE_NOT_ASKED.format(metric=m.concept.label, who=who, have=_join(have), asked=asked)
            )
        elif have and not asked:
            notes.append(phrases.AVAILABLE_ONLY.format(metric=m.concept.label, who=who, have=_join(have)))
        elif m.reason is MissingReason.INPUTS and m.inputs:
            notes.append(phrases.MISSING_INPUTS.format(metric=m.concept.label, who=who, inputs="; ".join(m.inputs)))
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
        return [
            p
            for p in passages
            if any(f.concept in keys and (not asked or (f.company, f.segment) in asked) for f in p.chunk.facts)
        ]
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
    if missing.entity is None or missing.concept is None:
        return ""
    _chunk_id, sentence = index.facts.definitions[(missing.entity.company, missing.concept.key)]
    return phrases.OWN_DEFINITION.format(
        who=registry.name(missing.entity.company), metric=missing.concept.label, definition=sentence[:240]
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
