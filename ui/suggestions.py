"""Two or three follow-up questions under an answer, built from what the question asked (its Query) and the facts the
documents hold: the figure's trend over the periods the documents cover, the same figure for another period, and
the figure for each reportable segment."""

from __future__ import annotations

import logging
import re

from assistant.contract import phrases
from assistant.contract.types import Answer

log = logging.getLogger("assistant.ui")
MAX_SUGGESTIONS = 3


def follow_ups(assistant, answer: Answer) -> list[str]:
    """Follow-up questions for an answer (none for a refusal or a question that names no figure of a company)."""
    if answer.refused:
        return []
    try:
        query = assistant.understand(answer.resolved_question or answer.question)
        return suggest(query, assistant.search.latest_index().facts, assistant.registry(), answer.question)
    except Exception:  # a suggestion is a convenience: never let it fail an answer
        log.exception("follow-up suggestions failed")
        return []


def suggest(query, facts, registry, asked: str) -> list[str]:
    """The suggestions for a Query, given the fact index and the registry of companies and segments."""
    from assistant.answer.compose import verb_be
    from assistant.finance.vocabulary import vocabulary

    concept = query.concept
    if concept is None or not query.entities or query.unknown or query.forward:
        return []
    entity = query.entities[0]
    calendar = registry.calendar(entity.company)
    stock = concept.kind == "stock"
    keys = [k for k in re.findall(r"[a-z_]+", concept.formula) if k in vocabulary().concepts] or [concept.key]

    def periods(segment: str) -> list:
        """Periods every input of the concept is stated for, latest first."""
        found = [set(facts.periods(k, entity.company, segment)) for k in keys]
        return sorted(set.intersection(*found), key=lambda p: (p.end, p.months), reverse=True) if found else []

    asked_periods = [p for p in (spec.resolve(calendar, stock) for spec in query.periods) if p is not None]
    months = asked_periods[0].months if asked_periods else (0 if stock else 12)
    same_length = [p for p in periods(entity.segment) if p.months == months]
    who = possessive(registry.name(entity.company, entity.segment))
    label = lambda p: p.label(calendar)
    out = []
    if query.operation == "value" and not query.spanned and len(same_length) >= 3:
        out.append(
            phrases.SUGGEST_TREND.format(
                who=who, metric=concept.label, first=label(same_length[-1]), last=label(same_length[0])
            )
        )
    other = [p for p in same_length if not any(p.matches(a) for a in asked_periods)]
    if other:
        template = phrases.SUGGEST_PERIOD_AT if stock else phrases.SUGGEST_PERIOD
        out.append(template.format(who=who, metric=concept.label, period=label(other[0]), be=verb_be(concept)))
    period = asked_periods[0] if asked_periods else (same_length[0] if same_length else None)
    segments = sorted(s for c, s in registry.segments if c == entity.company)
    covered = [s for s in segments if period and any(p.matches(period) for p in periods(s))]
    if len(covered) >= 2 and not stock:
        out.append(
            phrases.SUGGEST_SEGMENTS.format(
                company=registry.name(entity.company), metric=concept.label, period=label(period), be=verb_be(concept)
            )
        )
    return [q for q in dict.fromkeys(out) if q.lower() != asked.strip().lower()][:MAX_SUGGESTIONS]


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"
