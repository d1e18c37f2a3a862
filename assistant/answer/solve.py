"""From a Query to figures: look a fact up, compute one from cited facts, or set two sides against each other;
when the asked metric, company or period is not in the documents, say exactly what is missing and what the
documents do have. Never a neighbouring period or metric in place of the one asked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from collections.abc import Callable

from assistant.answer.calculator import Calculator, Input, Outcome, share, used_value
from assistant.store.facts import FactIndex, agree
from assistant.finance.entities import Entity
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec, month_end_after, periods_between
from assistant.finance.vocabulary import Concept, company_share, line_item_key, vocabulary
from assistant.query.grammar import grammar
from assistant.text import STOPWORDS
from assistant.query.analyze import Operation, Query, company_formula, resolve_period
from assistant.contract.types import Fact


@dataclass
class Side:
    """One answered figure: whose, what, when, and either the fact it was read from or the computation."""

    entity: Entity
    concept: Concept
    period: Period
    operation: str = "value"
    fact: Fact | None = None  # a looked-up figure
    outcome: Outcome | None = None  # a computed one
    earlier: Period | None = None  # the base period of a growth or change
    disagreeing: list[Fact] = field(default_factory=list)  # other documents that state a different figure
    growth: Fact | None = None  # the stated year-over-year growth of a looked-up flow, for context

    @property
    def value(self) -> float | None:
        if self.fact is not None:
            return self.fact.value
        return self.outcome.value if self.outcome else None

    @property
    def unit(self) -> str:
        """The unit its figure is in: the fact's ('USD', 'percent') or the computation's ('' with neither)."""
        if self.fact is not None:
            return self.fact.unit
        return self.outcome.shown_unit if self.outcome is not None else ""

    @property
    def stated(self) -> Fact:
        """The fact a looked-up side was read from (a computed side has none)."""
        if self.fact is None:
            raise ValueError("a computed side was not read from one fact")
        return self.fact

    @property
    def computed(self) -> Outcome:
        """The computation of a computed side (a side read from a fact has none)."""
        if self.outcome is None:
            raise ValueError("a side read from a fact has no computation")
        return self.outcome


class MissingReason(StrEnum):
    """Why a figure could not be given."""

    NO_COMPANY = "no company"  # no company named and none the documents state the metric for
    PERIOD = "period"  # the metric is stated, not for the asked period
    METRIC = "metric"  # the metric is not stated for this company or segment
    INPUTS = "inputs"  # a computed figure's inputs are not all stated
    DEFINITION = "definition"  # the company defines the metric its own way and does not state it


@dataclass
class Missing:
    """What could not be answered: the entity, concept and period asked, the periods the documents have, why, and
    for a computation the inputs the documents do not state."""

    entity: Entity | None
    concept: Concept | None
    period: Period | None
    available: list[Period] = field(default_factory=list)
    reason: MissingReason = MissingReason.METRIC
    inputs: list[str] = field(default_factory=list)


@dataclass
class Solution:
    sides: list[Side] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.sides) and not self.missing


class Solver:
    """Answers figure questions from the fact index."""

    def __init__(
        self,
        facts: FactIndex,
        calendars: dict[str, FiscalCalendar],
        doc_ids: set[str] | None = None,
        preferred_companies: list[str] | None = None,
        currencies: dict[str, str] | None = None,
    ):
        self.facts = facts
        self.calendars = calendars
        self.doc_ids = doc_ids
        self.preferred = preferred_companies or []
        self.currencies = currencies or {}  # each company's reporting currency
        self.currency = ""  # the currency the question asks for
        self.decimals: int | None = None  # the precision the question asks for
        self.said: dict[str, str] = {}  # concept key -> the question's own words for it ('net sales')
        self.asked_words: set[str] = set()  # the question's words, for a line item it names in full
        self.share_asked = False  # the question asks the company's own share ('attributable to shareholders')

    # -- entry point ------------------------------------------------------------------------------------------
    def solve(self, query: Query) -> Solution:
        concept = query.concept
        if concept is None:
            return Solution()
        self.currency = query.currency
        self.decimals = query.decimals
        self.said = query.said
        self.asked_words = _asked_words(query.text)
        self.share_asked = company_share(query.text)
        entities = query.entities or self.default_entities(concept, query)
        if not entities:
            return Solution(missing=[Missing(None, concept, None, reason=MissingReason.NO_COMPANY)])
        if query.profit and not concept.derived:  # 'how profitable, measured as ...' names its own measure
            concept = self._profit_measure(entities[0], concept, query.periods[0] if query.periods else None)
        if query.carried:  # a follow-up about a line the carried product line does not report: the company's
            entities = [
                e
                if not e.segment or self.facts.find(self.lookup_concept(concept).key, e.company, e.segment)
                else Entity(e.company)
                for e in entities
            ]
        solution = Solution()
        periods_asked = query.periods
        if query.operation == "share" and any(e.segment for e in entities):
            entities = [e for e in entities if e.segment]  # the company named with it is the whole
        spanned_growth = query.operation == "growth" and query.spanned
        if (
            (query.operation in ("change", "cagr", "average") or spanned_growth)
            and len(periods_asked) >= 2
            and len(entities) == 1
        ):
            side = self._over_periods(query, entities[0], concept)
            self._add(solution, side)
            return solution
        if query.operation == "sum" and (len(entities) > 1 or len(periods_asked) > 1):
            self._add(solution, self._sum(query, entities, concept))
            return solution
        for entity in entities:
            specs: list[PeriodSpec | None] = list(periods_asked) or [None]
            if len(query.paired) == len(entities) == len(query.entities):
                specs = [query.paired[entities.index(entity)]]
            elif len(entities) > 1 and len(specs) > 1 and len(specs) == len(entities):
                specs = [specs[entities.index(entity)]]
            own = concept
            if len(query.own_concepts) == len(entities) == len(query.entities):
                own = vocabulary().concepts[query.own_concepts[entities.index(entity)]]
            resolved: list = []
            for spec in specs:
                period = self.period_of(spec, entity, own) if spec is not None else None
                if period is not None and any(r is not None and period.matches(r) for r in resolved):
                    continue  # 'fiscal 2019, the year ended September 1, 2019' names one period twice
                resolved.append(period)
                self._add(solution, self._side(query, entity, own, spec))
                for part in query.also:  # 'and how much did they grow', 'and diluted EPS'
                    if part == "explain":
                        continue  # '... and why': the quoted explanation comes with the figure
                    if part in ("growth", "value"):
                        self._add(
                            solution, self._side(replace(query, operation=Operation(part)), entity, concept, spec)
                        )
                    else:
                        self._add(solution, self._side(query, entity, vocabulary().concepts[part], spec))
        return self._in_one_currency(query, solution)

    def _in_one_currency(self, query: Query, solution: Solution) -> Solution:
        """Sides in different currencies are compared in the first side's, when the documents state the other
        sides' figures in it too (a report's convenience translation); never converted at a guessed rate."""
        money = [
            s.fact
            for s in solution.sides
            if s.fact is not None and s.fact.unit not in ("percent", "count") and "/" not in s.fact.unit
        ]
        units = {f.unit for f in money}
        if query.currency or len(money) < 2 or len(units) < 2:
            return solution
        again = self.solve(replace(query, currency=money[0].unit))
        same = all(s.fact is not None and s.fact.unit == money[0].unit for s in again.sides)
        return again if same and len(again.sides) == len(solution.sides) else solution

    @staticmethod
    def _add(solution: Solution, side: Side | Missing) -> None:
        if isinstance(side, Missing):
            solution.missing.append(side)
        else:
            solution.sides.append(side)

    def default_entities(self, concept: Concept, query: Query) -> list[Entity]:
        """No company named: the one company the documents state this for, else the one the search favours."""
        companies = {f.company for f in self.facts.find(self.lookup_concept(concept).key, doc_ids=self.doc_ids)}
        if len(companies) == 1:
            return [Entity(companies.pop())]
        for company in self.preferred:
            if company in companies or not companies:
                return [Entity(company)]
        return [Entity(c) for c in sorted(companies)][:1]

    def _profit_measure(self, entity: Entity, default: Concept, spec=None) -> Concept:
        """'Was it profitable?': the first profit measure the documents state for this company or segment, for
        the asked period when one is named."""
        from assistant.finance.vocabulary import vocabulary

        vocab = vocabulary()
        stated = [
            vocab.concepts[key]
            for key in vocab.profit_concepts
            if self.facts.find(key, entity.company, entity.segment, doc_ids=self.doc_ids)
        ]
        for concept in stated:
            period = self.period_of(spec, entity, concept)
            if period is not None and self.find(entity, concept, period):
                return concept
        return stated[0] if stated else default

    @staticmethod
    def lookup_concept(concept: Concept) -> Concept:
        from assistant.finance.vocabulary import vocabulary

        if concept.derived:
            first = next(
                (n for n in concept.formula.replace("(", " ").replace(")", " ").split() if n in vocabulary().concepts),
                None,
            )
            return vocabulary().concepts[first] if first else concept
        return concept

    # -- one side ---------------------------------------------------------------------------------------------
    def period_of(self, spec, entity: Entity, concept: Concept) -> Period | None:
        cal = self.calendars.get(entity.company, FiscalCalendar())
        if spec is None:
            return None
        return resolve_period(spec, cal, concept, self.latest(entity, concept))

    def latest(self, entity: Entity, concept: Concept) -> Period | None:
        periods = self.facts.periods(
            self.lookup_concept(concept).key, entity.company, entity.segment, doc_ids=self.doc_ids
        )
        if not periods:
            return None
        end = periods[0].end
        same_end = [p for p in periods if p.end == end]
        return max(same_end, key=lambda p: p.months)  # a year over its last quarter ending the same day

    def _side(self, query: Query, entity: Entity, concept: Concept, spec) -> Side | Missing:
        period = self.period_of(spec, entity, concept) if spec is not None else self.latest(entity, concept)
        if period is None and spec is not None:
            return self._missing(entity, concept, None, "period")
        if period is None:
            return self._missing(entity, concept, None, "metric")
        operation = query.operation
        if operation == "difference":
            operation = Operation.VALUE  # each side's value; the comparison states the difference
        if operation == "share":
            return self._share(entity, concept, period)
        if operation == "growth":
            return self._growth(entity, concept, period)
        if operation == "change":  # 'by how much did it increase in 2025': against the year before
            return self._change(entity, concept, period, period.shifted(-1))
        return self._value(entity, concept, period)

    def find(self, entity: Entity, concept: Concept, period: Period, measure: str = "value") -> list[Fact]:
        """Matching facts, those in the asked currency (else the company's reporting currency) first."""
        found = self.facts.find(concept.key, entity.company, entity.segment, period, measure, self.doc_ids)
        said = line_item_key(self.said.get(concept.key, ""))
        totals = bool(found) and found[0].label.lower().startswith("total")
        if said != concept.key and measure == "value" and totals:  # 'net sales' asked, printed above its total
            named = self.facts.find(said, entity.company, entity.segment, period, measure, self.doc_ids)
            found = [f for f in named if f.primary] + found
        if measure == "value":  # a narrower line the question names in full: 'net income applicable to common ...'
            narrower = [
                f
                for key in self.facts.by_concept
                if key.startswith(f"{concept.key}_")
                for f in self.facts.find(key, entity.company, entity.segment, period, measure, self.doc_ids)
            ]
            named_in_full = [f for f in narrower + found if self._names_in_full(f.label, concept)]
            if self.share_asked:  # 'attributable to the company's shareholders': that line over the whole
                named_in_full += [f for f in found if company_share(f.label) and f not in named_in_full]
            found = named_in_full + [f for f in found if f not in named_in_full]
        if concept.unit == "money" and measure == "value":  # an amount misread without its currency is no amount
            found = [f for f in found if f.unit not in ("percent", "count")]
        wanted = self.currency or self.currencies.get(entity.company, "")
        return sorted(found, key=lambda f: f.unit.split("/")[0] not in (wanted, "percent", "count"))

    def _names_in_full(self, label: str, concept: Concept) -> bool:
        """The question says every word of a line's label beyond the metric's name ('net income applicable to
        common stockholders' asked in those words), so that line is the one asked; a label that names another
        metric ('long-term debt maturing within one year' is current debt) never is."""
        other = vocabulary().concept_of(label)
        if other is not None and other.key != concept.key:
            return False
        name = {w for n in (concept.label, *concept.names) for w in re.findall(r"[a-z]+", n.lower())}
        extra = set(re.findall(r"[a-z]+", label.lower())) - name - STOPWORDS
        return bool(extra) and extra <= self.asked_words

    def _growth_agrees(self, entity: Entity, concept: Concept, period: Period, fact: Fact, growth: Fact) -> bool:
        """A stated change shown beside a figure must be the change from the year before's figure, where the
        documents give that figure: a percent read from another context ('down 0%') is left out."""
        before = self.find(entity, concept, period.shifted(-1))
        if not before or before[0].value == 0:
            return True
        change = 100 * (fact.value - before[0].value) / abs(before[0].value)
        return abs(change - growth.value) <= max(1.0, 0.1 * abs(change))

    def _value(self, entity: Entity, concept: Concept, period: Period) -> Side | Missing:
        found = self.find(entity, concept, period)
        if found:
            growth = self.find(entity, concept, period, "growth") if concept.kind == "flow" else []
            growth = [g for g in growth if self._growth_agrees(entity, concept, period, found[0], g)]
            return Side(
                entity,
                concept,
                period,
                fact=found[0],
                disagreeing=_disagreeing(found),
                growth=growth[0] if growth else None,
            )
        if concept.derived and (entity.company, concept.key) in self.facts.definitions and not entity.segment:
            own = company_formula(self.facts.definitions[(entity.company, concept.key)][1], concept)
            if own is None:
                return self._missing(entity, concept, period, "definition")
            concept = own  # the company's own formula, read from where its document defines the metric
        if concept.derived:
            outcome = self._computed(entity, lambda calc: calc.formula(concept, period))
            if outcome.ok:
                return Side(entity, concept, period, outcome=outcome)
            return self._missing(entity, concept, period, "inputs", outcome.missing)
        if period.months in (3, 6, 9) and concept.kind == "flow":
            derived = self._by_subtraction(entity, concept, period)
            if derived is not None:
                return Side(entity, concept, period, outcome=derived)
        return self._missing(entity, concept, period, "period")

    def _by_subtraction(self, entity: Entity, concept: Concept, period: Period) -> Outcome | None:
        """A quarter no document states, from longer periods around it: Q2 = first half - Q1, Q3 = nine months -
        first half, Q4 = year - nine months, Q3 = year - Q4 - first half, Q4 = year - Q3 - first half."""
        if period.months != 3:
            return None
        plans = [
            [(6, 0, 1), (3, -3, -1)],
            [(9, 0, 1), (6, -3, -1)],
            [(12, 0, 1), (9, -3, -1)],
            [(12, 3, 1), (3, 3, -1), (6, -3, -1)],
            [(12, 0, 1), (3, -3, -1), (6, -6, -1)],
        ]
        cal = self.calendars.get(entity.company)
        for plan in plans:
            outcome = Outcome(None, "money", "")
            calc = self._calculator(entity)
            total, parts = 0.0, []
            for months, offset, sign in plan:
                piece = Period(month_end_after(period.end, offset), months)
                value = calc.operand(concept, piece, outcome)
                if value is None:
                    break
                total += sign * value
                parts.append(f"{'- ' if sign < 0 else ''}{concept.label} {piece.label(cal)}")
            else:
                outcome.value, outcome.missing = total, []
                outcome.formula = " ".join(parts)
                return outcome
        return None

    def _growth(self, entity: Entity, concept: Concept, period: Period) -> Side | Missing:
        stated = [
            f
            for f in self.find(entity, concept, period, "growth")
            if self.decimals is None or _decimals(f.text) >= self.decimals
        ]  # '17%' cannot give 17.5%
        if stated:
            return Side(entity, concept, period, "growth", fact=stated[0], earlier=period.shifted(-1))
        outcome = self._computed(entity, lambda calc: calc.growth(concept, period))
        if outcome.ok:
            return Side(entity, concept, period, "growth", outcome=outcome, earlier=period.shifted(-1))
        return self._missing(entity, concept, period, "inputs", outcome.missing)

    def _change(self, entity: Entity, concept: Concept, period: Period, earlier: Period) -> Side | Missing:
        outcome = self._computed(entity, lambda calc: calc.change(concept, period, earlier))
        if outcome.ok:
            stated = self.find(entity, concept, period, "growth") if earlier == period.shifted(-1) else []
            return Side(
                entity,
                concept,
                period,
                "change",
                outcome=outcome,
                earlier=earlier,
                growth=stated[0] if stated else None,
            )
        return self._missing(entity, concept, period, "inputs", outcome.missing)

    def _share(self, entity: Entity, concept: Concept, period: Period) -> Side | Missing:
        part = self.find(entity, concept, period)
        whole = self.find(Entity(entity.company), concept, period)
        if not entity.segment or not part or not whole:
            return self._missing(entity, concept, period, "inputs")
        return Side(entity, concept, period, "share", outcome=share(part[0], whole[0], concept))

    def _over_periods(self, query: Query, entity: Entity, concept: Concept) -> Side | Missing:
        found = [self.period_of(s, entity, concept) for s in query.periods[:2]]
        periods = [p for p in found if p is not None]
        if len(periods) < len(found):
            return self._missing(entity, concept, None, "period")
        earlier, later = sorted(periods, key=lambda p: p.end)

        def compute(calc: Calculator) -> Outcome:
            if query.operation == "average":
                return calc.average(concept, periods_between(earlier, later))
            if query.operation == "cagr":
                return calc.cagr(concept, later, earlier)
            if query.operation == "growth":
                return calc.growth(concept, later, earlier)
            return calc.change(concept, later, earlier)

        outcome = self._computed(entity, compute)
        if outcome.ok:
            return Side(entity, concept, later, query.operation, outcome=outcome, earlier=earlier)
        return self._missing(entity, concept, later, "inputs", outcome.missing)

    def _computed(self, entity: Entity, compute: Callable[[Calculator], Outcome]) -> Outcome:
        """A computation with its operands from one filing where any filing states them all (the latest first):
        a change over a half year from the 10-Q's two balance-sheet columns, not one column from each filing."""
        outcome = compute(self._calculator(entity))
        documents = list(dict.fromkeys(i.fact.doc_id for i in outcome.inputs))
        if outcome.ok and len(documents) > 1:
            for document in reversed(documents):
                again = compute(self._calculator(entity, document))
                if again.ok and len({i.fact.doc_id for i in again.inputs}) == 1:
                    return again
        return outcome

    def _sum(self, query: Query, entities: list[Entity], concept: Concept) -> Side | Missing:
        """Two or more stated figures added up: two segments' ('the combined revenue of A and B'), or two
        periods' ('in 2023 and 2024 together'), each cited; never figures in different currencies."""
        outcome = Outcome(None, concept.unit, "")
        value_query = replace(query, operation=Operation.VALUE)
        for entity in entities:
            specs: list[PeriodSpec | None] = list(query.periods) or [None]
            for spec in specs:
                side = self._side(value_query, entity, concept, spec)
                if isinstance(side, Missing):
                    return side
                if side.fact is None:
                    return self._missing(entity, concept, side.period, "inputs", [f"{concept.label} as stated"])
                outcome.inputs.append(
                    Input(concept, side.period, side.fact, used_value(concept, side.fact), role=entity.name())
                )
        if len({i.fact.unit for i in outcome.inputs}) > 1:
            return self._missing(entities[0], concept, None, "inputs", [f"{concept.label} in one currency"])
        outcome.value = sum(i.value for i in outcome.inputs)
        outcome.formula = " + ".join(f"{i.role} {i.concept.label} {i.period.label()}" for i in outcome.inputs)
        periods = sorted({i.period for i in outcome.inputs}, key=lambda p: p.end)
        whole = entities[0] if len(entities) == 1 else Entity(entities[0].company)
        return Side(
            whole, concept, periods[-1], "sum", outcome=outcome, earlier=periods[0] if len(periods) > 1 else None
        )

    def _calculator(self, entity: Entity, document: str | None = None) -> Calculator:
        """A calculator whose operands come from `document`, or else the filing its first operand was read from,
        wherever that filing states them (a growth rate from one 10-K's two columns, not from two documents)."""
        used: list[str] = [document] if document else []

        def lookup(concept: Concept, period: Period) -> Fact | None:
            found = self.find(entity, concept, period)
            if not found:
                return None
            chosen = next((f for f in found if f.doc_id in used[:1]), found[0])
            used.append(chosen.doc_id)
            return chosen

        return Calculator(lookup)

    def _missing(
        self, entity: Entity, concept: Concept, period: Period | None, reason: str, inputs: list[str] | None = None
    ) -> Missing:
        available = self.facts.periods(
            self.lookup_concept(concept).key, entity.company, entity.segment, doc_ids=self.doc_ids
        )
        return Missing(entity, concept, period, available, MissingReason(reason), list(inputs or []))


RESTATED = 0.5  # another filing's figure within this share of the first is a restatement; further off, a misreading


def _disagreeing(found: list[Fact]) -> list[Fact]:
    """Statement figures of other filings that differ from the first by a restatement's margin (a figure many
    times larger or smaller was read from another line, and is not offered as a disagreement)."""
    first = found[0]
    kind = _line_kind(first.label)
    out: dict[tuple[str, float], Fact] = {}
    for f in found[1:]:
        if (
            f.source == "table"
            and f.primary
            and f.doc_id != first.doc_id
            and f.unit == first.unit
            and _line_kind(f.label) == kind
            and not agree(f.value, first.value)
            and abs(f.value - first.value) <= RESTATED * abs(first.value)
        ):
            out.setdefault((f.doc_id, f.value), f)  # one note a filing and figure
    return list(out.values())


def _line_kind(label: str) -> frozenset[str]:
    """The words that make one line another ('attributable', 'continuing'): a net loss attributable to the
    company and the net loss with its noncontrolling interests are two lines, not a restatement of one."""
    return frozenset(re.findall(r"[a-z-]+", label.lower())) & vocabulary().line_distinctions


def _decimals(printed: str) -> int:
    digits = re.sub(r"[^\d.]", "", printed)
    return len(digits.split(".")[1]) if "." in digits else 0


def _asked_words(question: str) -> set[str]:
    """The words a question asks with, leaving out the few it excludes ('excluding the noncontrolling
    interest'): a line named by excluded words is not the line asked."""
    exclusions = "|".join(re.escape(w) for w in grammar().words["exclusions"] if w.strip("-").isalpha())
    kept = re.sub(rf"\b(?:{exclusions})\b(?:\s+\w+){{1,4}}", " ", question.lower())
    return set(re.findall(r"[a-z]+", kept))
