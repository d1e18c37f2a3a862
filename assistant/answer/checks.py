"""Sanity checks every solved figure passes before it is shown; a figure that fails one is refused, never shown.

- a computation's operands come from one filing (or, when no filing states them all, each from a table of the
  filing that states it), one scale, and are the company's or the segment's as asked;
- a margin or a share lies within +-100%, a share of a whole within 0-100%;
- a company's revenue (or total assets) is not smaller than one of its own segments' in the same filing and period;
- a company's revenue for part of a year is not a sliver of its revenue for the fiscal year that holds it;
- no period is set against itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from assistant.answer.solve import Side, Solution
from assistant.finance.periods import Period
from assistant.store.facts import FactIndex

BOUNDED = ("margin", "ratio_to_revenue")  # formula results that are a part over its whole
WHOLES = ("revenue", "total_assets")  # line items no segment of the company can exceed
SCALE_GAP = 1e3  # operands whose printed scales differ by this much were not read at one scale


@dataclass(frozen=True)
class Failure:
    """Why a solved figure is not shown: the check it failed, said in words for the reader."""

    check: str
    detail: str


def check(solution: Solution, facts: FactIndex) -> list[Failure]:
    """Every failure of the solution's figures (empty when all pass)."""
    failures: list[Failure] = []
    seen: list[Side] = []
    for side in solution.sides:
        if len(solution.sides) > 1 and any(_same_figure(side, other) for other in seen):
            failures.append(Failure("same period", f"{side.period.label()} set against itself"))
        seen.append(side)
        failures.extend(_operands(side))
        failures.extend(_bounds(side))
        failures.extend(_whole(side, facts))
        failures.extend(_part_of_year(side, facts))
        failures.extend(_printed_scale(side))
    return failures


def _operands(side: Side) -> list[Failure]:
    if side.outcome is None or not side.outcome.inputs:
        return []
    inputs = side.outcome.inputs
    out = []
    documents = {i.fact.doc_id for i in inputs if i.fact.doc_id}
    if len(documents) > 1 and any(i.fact.source != "table" for i in inputs):
        out.append(Failure("one filing", "its operands come from different filings, one of them from a sentence"))
    scales = [
        i.fact.scale
        for i in inputs
        if i.fact.unit not in ("percent", "count") and "/" not in i.fact.unit and i.fact.source == "table"
    ]
    if scales and max(scales) / max(min(scales), 1.0) >= SCALE_GAP:
        out.append(Failure("one scale", "its operands are printed in different scales"))
    whole = side.operation == "share"
    if side.operation == "sum":  # each addend is its own segment's or period's figure, as asked
        return out
    for i in inputs:
        if i.fact.segment != side.entity.segment and not (whole and i.role == "whole" and not i.fact.segment):
            out.append(Failure("as asked", f"{i.fact.label} is not {side.entity.name()}'s own figure"))
            break
    return out


UNSCALED = 1e6  # a company's amount in a filing's table, printed with no scale, below this was read without it


def _printed_scale(side: Side) -> list[Failure]:
    """An amount read from a table that declares no scale, too small to be a filer's figure in dollars ('1,896'
    under a heading the reader did not see, '(In thousands)'), is not shown."""
    facts = [side.fact] if side.fact is not None else [i.fact for i in side.outcome.inputs] if side.outcome else []
    for fact in facts:
        if (
            fact.source == "table"
            and fact.scale == 1.0
            and fact.unit not in ("percent", "count")
            and "/" not in fact.unit
            and 0 < abs(fact.value) < UNSCALED
            and side.concept.unit != "count"
        ):
            return [Failure("scale", f"{fact.label} is printed without a scale the answer can trust")]
    return []


def _bounds(side: Side) -> list[Failure]:
    value = side.value
    if (
        value is not None
        and side.fact is not None
        and side.fact.unit == "percent"
        and side.concept.key.endswith(BOUNDED)
        and not -100.0 <= value <= 100.0
    ):
        return [Failure("bounds", f"{side.concept.label} would be {value:.1f}%, outside what it can be")]
    if value is None or side.outcome is None or side.outcome.unit != "percent":
        return []
    bounded = side.operation == "share" or side.concept.key.endswith(BOUNDED) or _part_of_revenue(side)
    if not bounded:
        return []
    low = 0.0 if side.operation == "share" else -100.0
    if not low <= value <= 100.0:
        return [Failure("bounds", f"{side.concept.label} would be {value:.1f}%, outside what it can be")]
    return []


def _part_of_revenue(side: Side) -> bool:
    formula = side.concept.formula.replace(" ", "")
    return side.operation == "value" and formula.endswith("/revenue") and "-" not in formula.split("/")[0]


def _whole(side: Side, facts: FactIndex) -> list[Failure]:
    """A company's revenue smaller than one of its segments' in the same filing and period was misread, whether
    it is the answer or an operand of it (each year of an average, the whole of a share)."""
    if side.entity.segment:
        return []
    wholes = [side.fact] if side.fact is not None and side.concept.key in WHOLES and side.operation == "value" else []
    if side.outcome is not None:
        wholes += [i.fact for i in side.outcome.inputs if i.concept.key in WHOLES and not i.fact.segment]
    for fact in wholes:
        for part in facts.of_concept(fact.concept):
            if (
                part.segment
                and part.company == fact.company
                and part.doc_id == fact.doc_id
                and part.period == fact.period
                and part.unit == fact.unit
                and part.primary
                and abs(part.value) > abs(fact.value) * 1.005
            ):
                return [Failure("identity", f"{fact.label} is smaller than the {part.segment} segment's figure")]
    return []


SLIVER = 0.1  # a part of a year's revenue below this share of its months' due was read from another table


def _part_of_year(side: Side, facts: FactIndex) -> list[Failure]:
    """A company's revenue for a quarter or nine months (asked, or an operand: a fourth quarter is the year less
    nine months) far below its months' share of the fiscal year's revenue in the statements was misread ('$1
    million' from a note's table)."""
    if side.entity.segment:
        return []
    parts = [side.fact] if side.fact is not None else [i.fact for i in side.outcome.inputs] if side.outcome else []
    for part in parts:
        if part.concept != "revenue" or part.segment:
            continue
        period = Period.from_key(part.period)
        if period.months in (0, 12):
            continue
        for year in facts.of_concept("revenue"):
            whole = Period.from_key(year.period)
            if (
                whole.months == 12
                and year.primary
                and not year.segment
                and year.company == part.company
                and year.unit == part.unit
                and _within(period, whole)
                and abs(part.value) < SLIVER * abs(year.value) * period.months / 12
            ):
                return [Failure("identity", f"{part.label} for {period.label()} is a sliver of the year's")]
    return []


def _within(part: Period, whole: Period) -> bool:
    slack = timedelta(days=10)
    return whole.start_instant().end - slack <= part.start_instant().end and part.end <= whole.end + slack


def _same_figure(one: Side, other: Side) -> bool:
    """Two sides ask the same figure: one company or segment, line item and operation, and one period under two
    names ('fiscal 2019' and 'the year ended September 1, 2019')."""
    same = (one.entity, one.concept.key, one.operation) == (other.entity, other.concept.key, other.operation)
    if not same or one.period is None or other.period is None:
        return same and one.period == other.period
    return one.period.matches(other.period)
