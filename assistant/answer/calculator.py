"""A calculator whose every operand is a cited fact: formulas from `data/formulas.json` over concepts, plus
growth, change, share of total and CAGR. Operands come from one company (segment) and matching periods; a formula
never mixes a quarter with a year or two currencies. The verifier re-reads each operand from its cited span and
recomputes the result with `evaluate` (see `recompute`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from collections.abc import Callable

from assistant.finance.periods import Period
from assistant.finance.vocabulary import Concept, vocabulary
from assistant.contract.types import Fact

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[a-z_]+)|(?P<op>[-+*/()]))")


@dataclass
class Input:
    """An operand: the fact it was read from, the period it covers and the value the formula uses."""

    concept: Concept
    period: Period
    fact: Fact
    value: float  # the value the formula uses (a printed outflow '(131,819)' is used as its size)
    role: str = ""  # 'avg start', 'change end', ... for averages and changes


@dataclass
class Outcome:
    """A computed figure and everything it was computed from; `missing` names what could not be found."""

    value: float | None
    unit: str  # percent | ratio | days | money | per_share | count
    formula: str
    inputs: list[Input] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    currency: str = ""
    ends: tuple[float, float] | None = None  # a change's two values, earlier then later (percent for a ratio)

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.missing

    @property
    def shown_unit(self) -> str:
        """The unit the result is shown in: money in its currency ('USD'), else 'percent', 'ratio', 'days' ..."""
        return (self.currency or "USD") if self.unit == "money" else self.unit

    @property
    def result(self) -> float:
        """The computed value of an outcome that is `ok`."""
        if self.value is None:
            raise ValueError(f"nothing computed: {'; '.join(self.missing) or self.formula}")
        return self.value


Lookup = Callable[[Concept, Period], Fact | None]


def used_value(concept: Concept, fact: Fact) -> float:
    return abs(fact.value) if concept.key in vocabulary().magnitudes else fact.value


class Calculator:
    """Evaluates formulas for one company (segment) and period, reading operands through `lookup`."""

    def __init__(self, lookup: Lookup):
        self.lookup = lookup

    def operand(
        self, concept: Concept, period: Period, outcome: Outcome, role: str = "", depth: int = 0
    ) -> float | None:
        """A stated fact for the concept and period, else (for a derived concept) its own formula."""
        fact = self.lookup(concept, period)
        if fact is not None:
            if (
                outcome.currency
                and fact.unit not in (outcome.currency, "percent", "count")
                and not fact.unit.endswith("/share")
            ):
                outcome.missing.append(f"{concept.label} in {outcome.currency}")
                return None
            if fact.unit not in ("percent", "count") and not fact.unit.endswith("/share"):
                outcome.currency = outcome.currency or fact.unit
            value = used_value(concept, fact)
            outcome.inputs.append(Input(concept, period, fact, value, role))
            return value / 100 if concept.unit == "percent" else value
        if concept.derived and depth < 2:
            for formula in (concept.formula, *concept.alternatives):
                trial = Outcome(None, concept.unit, formula, currency=outcome.currency)
                trial.value = self.evaluate(formula, period, trial, depth + 1)
                if trial.ok and trial.value is not None:
                    value = trial.value
                    outcome.inputs.extend(trial.inputs)
                    outcome.currency = outcome.currency or trial.currency
                    return value / 100 if concept.unit == "percent" else value
        outcome.missing.append(f"{concept.label} for {period.label()}")
        return None

    def evaluate(self, formula: str, period: Period, outcome: Outcome, depth: int = 0) -> float | None:
        """Evaluate a formula; percent results are in percent (0.069 -> 6.9)."""
        tokens = [m.groupdict() for m in _TOKEN.finditer(formula)]
        parser = _Parser(tokens, lambda name, fn: self._name(name, fn, period, outcome, depth))
        value = parser.expression()
        if value is None or outcome.missing:
            return None
        unit = outcome.unit
        return value * 100 if unit == "percent" else value

    def _name(self, name: str, fn: str, period: Period, outcome: Outcome, depth: int) -> float | None:
        concept = vocabulary().concepts.get(name)
        if concept is None:
            outcome.missing.append(name)
            return None
        if fn == "":
            target = Period(period.end, 0) if concept.kind == "stock" else period
            return self.operand(concept, target, outcome, depth=depth)
        start, end = period.start_instant(), Period(period.end, 0)
        if concept.kind != "stock":
            end, start = period, period.shifted(-1)
        if fn == "prev":
            return self.operand(concept, start, outcome, "prior", depth)
        a = self.operand(concept, start, outcome, f"{fn} start", depth)
        b = self.operand(concept, end, outcome, f"{fn} end", depth)
        if a is None or b is None:
            return None
        return (a + b) / 2 if fn == "avg" else b - a

    # -- operations over periods and entities ----------------------------------------------------------------
    def formula(self, concept: Concept, period: Period) -> Outcome:
        outcome = Outcome(None, concept.unit, concept.formula)
        for formula in (concept.formula, *concept.alternatives):
            outcome = Outcome(None, concept.unit, formula)
            outcome.value = self.evaluate(formula, period, outcome)
            if outcome.ok:
                break
        return outcome

    def growth(self, concept: Concept, period: Period, earlier: Period | None = None) -> Outcome:
        """Percent change from `earlier` (the same span a year before, by default) to `period`."""
        earlier = earlier or period.shifted(-1)
        outcome = Outcome(
            None, "percent", f"({concept.label} {period.label()} / {concept.label} {earlier.label()}) - 1"
        )
        old = self.operand(concept, earlier, outcome, "from")
        new = self.operand(concept, period, outcome, "to")
        if old is not None and new is not None and old != 0:
            outcome.value = (new / old - 1) * 100 * (1 if old > 0 else -1)
        return outcome

    def change(self, concept: Concept, period: Period, earlier: Period) -> Outcome:
        """The difference between two periods; for a percentage (a margin) in percentage points."""
        points = concept.unit == "percent"
        outcome = Outcome(
            None,
            "points" if points else concept.unit,
            f"{concept.label} {period.label()} - {concept.label} {earlier.label()}",
        )
        old = self.operand(concept, earlier, outcome, "from")
        new = self.operand(concept, period, outcome, "to")
        if old is not None and new is not None:
            outcome.value = (new - old) * (100 if points else 1)
            outcome.ends = (old * (100 if points else 1), new * (100 if points else 1))
        return outcome

    def cagr(self, concept: Concept, period: Period, earlier: Period) -> Outcome:
        years = round((period.end - earlier.end).days / 365.25)
        outcome = Outcome(
            None, "percent", f"({concept.label} {period.label()} / {concept.label} {earlier.label()}) ^ (1/{years}) - 1"
        )
        old = self.operand(concept, earlier, outcome, "from")
        new = self.operand(concept, period, outcome, "to")
        if old and new and old > 0 and new > 0 and years > 0:
            outcome.value = (math.pow(new / old, 1 / years) - 1) * 100
        return outcome

    def average(self, concept: Concept, periods: list[Period]) -> Outcome:
        """The mean over every period of a span ('from 2022 to 2024': 2022, 2023 and 2024), each cited."""
        labels = ", ".join(p.label() for p in periods)
        outcome = Outcome(None, concept.unit, f"average of {concept.label} for {labels}")
        read = [self.operand(concept, p, outcome, p.label()) for p in periods]
        values = [v for v in read if v is not None]
        if values and len(values) == len(read):
            mean = sum(values) / len(values)
            outcome.value = mean * 100 if concept.unit == "percent" else mean
        return outcome


def share(part: Fact, whole: Fact, concept: Concept) -> Outcome:
    """A segment's share of the company total."""
    value = used_value(concept, part) / used_value(concept, whole) * 100 if whole.value else None
    period = Period.from_key(part.period)
    return Outcome(
        value,
        "percent",
        f"{concept.label} of the segment / {concept.label} of the company",
        [
            Input(concept, period, part, used_value(concept, part), "part"),
            Input(concept, period, whole, used_value(concept, whole), "whole"),
        ],
    )


class _Parser:
    """Recursive descent over + - * / ( ) numbers, concept names and avg(x) / change(x) / prev(x)."""

    def __init__(self, tokens: list[dict], resolve: Callable[[str, str], float | None]):
        self.tokens = tokens
        self.i = 0
        self.resolve = resolve

    def _peek(self, kind: str, value: str | None = None) -> bool:
        if self.i >= len(self.tokens) or self.tokens[self.i][kind] is None:
            return False
        return value is None or self.tokens[self.i][kind] == value

    def expression(self) -> float | None:
        value = self.term()
        while self._peek("op", "+") or self._peek("op", "-"):
            op = self.tokens[self.i]["op"]
            self.i += 1
            right = self.term()
            value = None if value is None or right is None else value + right if op == "+" else value - right
        return value

    def term(self) -> float | None:
        value = self.factor()
        while self._peek("op", "*") or self._peek("op", "/"):
            op = self.tokens[self.i]["op"]
            self.i += 1
            right = self.factor()
            if value is None or right is None:
                value = None
            elif op == "*":
                value = value * right
            else:
                value = value / right if right else None
        return value

    def factor(self) -> float | None:
        if self._peek("num"):
            self.i += 1
            return float(self.tokens[self.i - 1]["num"])
        if self._peek("op", "("):
            self.i += 1
            value = self.expression()
            self.i += 1  # ')'
            return value
        if self._peek("name"):
            name = self.tokens[self.i]["name"]
            self.i += 1
            if name in ("avg", "change", "prev") and self._peek("op", "("):
                self.i += 1
                inner = self.tokens[self.i]["name"]
                self.i += 2  # name ')'
                return self.resolve(inner, name)
            return self.resolve(name, "")
        self.i += 1
        return None
