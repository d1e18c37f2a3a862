"""Judgement questions ('Is Acme capital-intensive?', 'How is Zeta's liquidity?') answered from the figure that
decides them, computed and cited like any other, with the rule that makes the verdict (`data/judgements.json`)."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.checks import check
from assistant.answer.compose import write
from assistant.answer.context import AnswerContext
from assistant.answer.refusals import Refusal, RefusalReason
from assistant.contract import phrases
from assistant.contract.types import Answer
from assistant.finance.judgements import asked_judgement
from assistant.answer.solve import Solution
from assistant.finance.periods import PeriodSpec
from assistant.finance.vocabulary import vocabulary
from assistant.query.analyze import Intent, Operation, Query


class JudgementAnswerer:
    name = "judgement"

    def answer(self, query: Query, context: AnswerContext) -> Answer | Refusal | None:
        asked = asked_judgement(query.focus or query.text)
        if asked is None or query.forward or query.unknown:
            return None
        measure = vocabulary().concepts[asked.judgement.measure]
        figure = replace(
            query,
            concepts=[measure],
            intent=Intent.COMPUTE,
            operation=Operation.VALUE,
            qualifiers=[],
            also=[],
            series="",
            superlative="",
            comparative="",
            profit=False,
            paired=[],
            own_concepts=[],
        )
        solution, figure = _solved(figure, context)
        if not solution.ok:
            context.missing.extend(solution.missing)
            return None
        failures = check(solution, context.index.facts)
        if failures:
            return Refusal(RefusalReason.FAILED_CHECK, failures=failures, solution=solution)
        side = solution.sides[0]
        found = asked.judgement.verdict(side.value) if side.value is not None else None
        if found is None:
            return None
        base = write(solution, figure, context.registry, context.chunks, context.passages)
        reply = phrases.YES if found == asked.verdict else phrases.NO
        direct = phrases.JUDGEMENT.format(
            reply=reply if asked.yes_no else "",
            who=context.registry.name(side.entity.company, side.entity.segment),
            verdict=found.text,
            figure=base.direct,
            rule=asked.judgement.rule,
            source=asked.judgement.source,
        ).strip()
        return replace(base, direct=direct, text=base.text.replace(base.direct, direct, 1))


TRIES = 6  # latest periods tried when the question names none


def _solved(figure: Query, context: AnswerContext) -> tuple[Solution, Query]:
    """The measure for the asked period; with none asked, for the latest fiscal year (or year end) whose inputs the
    documents all state, else for the latest period they do."""
    solution = context.solver.solve(figure)
    concept = figure.concept
    if figure.periods or concept is None:
        return solution, figure
    entities = figure.entities or context.solver.default_entities(concept, figure)
    if not entities:
        return solution, figure
    first = context.solver.lookup_concept(concept)
    periods = context.index.facts.periods(first.key, entities[0].company, entities[0].segment)
    for period in [p for p in periods if p.months in (0, 12)][:TRIES]:
        dated = replace(
            figure,
            entities=entities[:1],
            periods=[PeriodSpec(period.label(), 0, 0, months=period.months, end_date=period.end)],
        )
        again = context.solver.solve(dated)
        if again.ok:
            return again, dated
    return solution, figure
