"""What a question asks, read once into a typed `Query` by small readers run in a declared order: the kinds of
document it names, the companies and segments, the periods, the metric, the operation and the intent; then, given
the previous turn, whether it is a follow-up and what it stands for. Each reader fills its own fields from the
spans `Reading` finds; the words and patterns they use live in `data/grammar.json` and the financial vocabulary.

Every later step reads this one object: retrieval, answer selection and the calculator, the verifier, refusals
and the evaluation.
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Callable

from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec
from assistant.finance.vocabulary import Concept
from assistant.query.formulas import company_formula, defined_formula, inline_formula
from assistant.query.grammar import grammar
from assistant.query.model import Intent, Operation, Query
from assistant.query.readers.entities import read_entities
from assistant.query.readers.followup import read_follow_up
from assistant.query.readers.intent import read_intent
from assistant.query.readers.metric import read_metric
from assistant.query.readers.operation import read_operation
from assistant.query.readers.periods import read_periods
from assistant.query.reading import Reading, focus_of

__all__ = [
    "Intent",
    "Operation",
    "Query",
    "READERS",
    "REASON_WORDS",
    "SECOND_ASK",
    "analyze",
    "company_formula",
    "defined_formula",
    "focus_of",
    "inline_formula",
    "resolve_period",
]


def _read_sources(reading: Reading, query: Query) -> None:
    query.sources = list(dict.fromkeys(kind for kind, _ in reading.sources))


# The readers, in the order they run: each reads the question's spans and the fields filled before it. The last
# one, given the previous turn, may return the Query the turn stands for.
READERS: tuple[Callable[[Reading, Query], Query | None], ...] = (
    _read_sources,
    read_entities,
    read_periods,
    read_metric,
    read_operation,
    read_intent,
    read_follow_up,
)

REASON_WORDS = grammar().patterns["reason"]  # every reader of a reason asked shares these
SECOND_ASK = grammar().pattern("second_ask")


def analyze(
    question: str,
    entities: EntityMatcher,
    previous: Query | None = None,
    by_meaning: Callable[[str], Concept | None] | None = None,
) -> Query:
    """Read a question (and, for a follow-up, the previous turn's Query) into a Query. `by_meaning` finds the
    metric a phrase names in other words, for questions that name none word for word."""
    reading = Reading(question, entities, previous, by_meaning)
    query = Query(text=question.strip(), focus=reading.focus)
    for reader in READERS:
        query = reader(reading, query) or query
    return query


def resolve_period(
    spec: PeriodSpec, cal: FiscalCalendar, concept: Concept | None, latest: Period | None = None
) -> Period | None:
    """A period named in a question as dates, for a concept (a balance on its date, a flow over its span). A
    year alone is the fiscal year; 'TTM' or 'latest' is the latest period the documents have."""
    if spec.relative == "latest" and spec.end_date is None:
        return latest
    stock = bool(concept and concept.kind == "stock")
    if concept is not None and not stock and spec.months == 0 and spec.end_date is None:
        spec = replace(spec, months=None)  # 'operating margin as of FY2022' is the margin for FY2022
    return spec.resolve(cal, stock=stock)
