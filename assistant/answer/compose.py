"""Answers written from solved figures: a one-line direct answer naming whose figure, which metric, which period
and the value, each figure followed by its citation; a computed figure shows its formula and every operand with
its own citation; then the verbatim quotes (a sentence, or a labelled table row) the figures were read from.

The one-line answer states amounts the way the company's own sentences do ('$45.6 billion'); the work shown
(`computations`, `series`) and the quotes keep each figure exactly as printed ('$45,606 million')."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.contract import phrases
from assistant.answer.calculator import Outcome
from assistant.answer.solve import Side, Solution
from assistant.answer.yes_no import yes_no
from assistant.finance.figures import format_amount
from assistant.finance.periods import Period
from assistant.finance.vocabulary import vocabulary
from assistant.query.analyze import Query
from assistant.query.registry import Registry
from assistant.contract.types import (
    Answer,
    Chunk,
    Citation,
    Computation,
    Fact,
    Operand,
    ScoredChunk,
    Series,
    SeriesPoint,
)

SYMBOLS = {"USD": "$", "CNY": "RMB", "EUR": "€", "GBP": "£", "HKD": "HK$"}
CURRENCY_NAMES = {"USD": "US dollar", "CNY": "renminbi", "EUR": "euro", "GBP": "sterling", "HKD": "Hong Kong dollar"}


@dataclass
class Writer:
    """Numbers citations in order of use and writes figures the way the question and the documents want."""

    query: Query
    registry: Registry
    chunks: dict[str, Chunk]
    scores: dict[str, float]
    citations: list[Citation] = field(default_factory=list)
    quotes: dict[int, list[str]] = field(default_factory=dict)
    explained: set[str] = field(default_factory=set)  # fiscal years whose end date the answer has stated
    exact: bool = False  # every figure as printed: rounding would make two different figures read alike

    # -- citations --------------------------------------------------------------------------------------------
    def cite(self, fact: Fact) -> int:
        """The [n] of the chunk a fact was read from, its quote added to that citation."""
        for c in self.citations:
            if c.chunk_id == fact.chunk_id:
                if fact.quote not in self.quotes[c.n]:
                    self.quotes[c.n].append(fact.quote)
                    c.quote = "\n".join(self.quotes[c.n])
                return c.n
        chunk = self.chunks[fact.chunk_id]
        n = len(self.citations) + 1
        self.citations.append(
            Citation(
                n=n,
                doc_id=chunk.doc_id,
                title=chunk.title,
                page=chunk.page,
                section=chunk.section,
                text=chunk.text,
                quote=fact.quote,
                score=self.scores.get(chunk.id, 0.0),
                doc_type=chunk.doc_type,
                period=chunk.period,
                chunk_id=chunk.id,
            )
        )
        self.quotes[n] = [fact.quote]
        return n

    # -- figures ----------------------------------------------------------------------------------------------
    def amount(
        self,
        value: float,
        unit: str,
        scale_hint: float | None = None,
        decimals_hint: int | None = None,
        printed: bool = False,
    ) -> str:
        """A figure with its unit: '$45.6 billion', 'RMB118,028 million', '24%', '$1.95 per share', '1.06'. The
        precision a question asks for applies to results, not to a `printed` figure read from a document."""
        q = replace(self.query, decimals=None) if printed else self.query
        if unit == "percent":
            return f"{value:.{q.decimals if q.decimals is not None else 1}f}%"
        if unit == "points":
            return f"{value:.{q.decimals if q.decimals is not None else 1}f} percentage points"
        if unit in ("ratio", "count_ratio"):
            return f"{value:.{q.decimals if q.decimals is not None else 2}f}"
        if unit == "days":
            return f"{value:.{q.decimals if q.decimals is not None else 1}f} days"
        if unit.endswith("/share"):
            return f"{SYMBOLS.get(unit.split('/')[0], '')}{value:.2f} per share"
        if unit == "count":
            return f"{value:,.0f}"
        scale = q.scale or scale_hint
        decimals = q.decimals if q.decimals is not None else decimals_hint
        if q.decimals is None and q.scale and scale_hint and q.scale > scale_hint and decimals is not None:
            decimals += round(math.log10(q.scale / scale_hint))  # $17,606 million asked in billions: $17.606 billion
        if decimals is None and scale:
            decimals = 0 if scale <= 1e6 else 1
        return format_amount(value, unit, scale, decimals)

    def readable(self, value: float, unit: str, company: str, exact: str) -> str:
        """A figure for the one-line answer: in billions when the company's own sentences write amounts of that
        size in billions ('$45.6 billion'; two decimals under ten billion, so it stays within 0.5% of the exact
        figure), else `exact`, the figure as printed. A scale or precision the question asks for wins."""
        if (
            self.exact
            or self.query.scale
            or self.query.decimals is not None
            or abs(value) < 1e9
            or self.registry.prose_scale(company, unit) != 1e9
        ):
            return exact
        return format_amount(value, unit, 1e9, _billion_decimals(value))

    def stated(self, fact: Fact, value: float | None = None) -> str:
        """A stated figure for the one-line answer (see `readable`)."""
        return self.readable(
            fact.value if value is None else value, fact.unit, fact.company, self.fact_text(fact, value)
        )

    def fact_text(self, fact: Fact, value: float | None = None) -> str:
        """A stated figure as its document prints it (its scale and precision), or as the question asks;
        `value` shows it as a formula used it (an outflow printed '(131,819)' by its size)."""
        printed = fact.text.replace("$", "").replace("(", "").replace(")", "").replace(",", "").replace("%", "")
        digits = printed.split()[0] if printed.split() else ""
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        value = fact.value if value is None else value
        if fact.unit == "percent":
            return f"{abs(value) if fact.measure == 'growth' else value:.{decimals}f}%"
        return self.amount(value, fact.unit, fact.scale if fact.scale > 1 else None, decimals, printed=True)

    def period(self, company: str, period: Period) -> str:
        calendar = self.registry.calendar(company)
        label = period.label(calendar)
        if period.instant:
            return f"as of {label}"
        if label.startswith("FY") and (period.end.month, period.end.day) != (12, 31) and label not in self.explained:
            self.explained.add(label)  # a fiscal year that is not the calendar year says when it ended, once
            label += f" (ended {period.end.strftime('%B')} {period.end.day}, {period.end.year})"
        return f"in {label}"

    def subject(self, side: Side) -> str:
        entity = side.entity
        name = self.registry.name(entity.company, entity.segment)
        label = _printed_label(side, self.query.text) or side.concept.label
        if entity.segment and not self.registry.is_segment(entity.company, entity.segment):
            sentence_case = name[1:] == name[1:].lower()  # 'Advertising services', not 'Digital Media'
            member = name[0].lower() + name[1:] if sentence_case and " " in name else name
            return f"{self.registry.name(entity.company)}'s {member} {label}"  # a product line: 'advertising services'
        if entity.segment and side.concept.statement in ("income", "") and not side.concept.derived:
            return f"{name} segment {label}"
        return f"{name}'s {label}" if not entity.segment else f"{name} {label}"


def _printed_label(side: Side, asked: str = "") -> str | None:
    """The statement line a stated figure was read from, when it is one of the metric's own names or the
    narrower line the question asked by name ('total revenues', 'net sales', 'net income applicable to common
    stockholders'), so the answer names what it states; None for anything else."""
    fact = side.fact
    if fact is None or not fact.primary or fact.segment:
        return None
    label = " ".join(fact.label.split())
    words = set(re.findall(r"[a-z]+", label.lower()))
    in_full = len(words) > 2 and words <= set(re.findall(r"[a-z]+", asked.lower()))
    if fact.concept != side.concept.key or in_full or vocabulary().names_exactly(label, side.concept.key):
        return " ".join(map(_in_sentence_case, label.split()))
    return None


def _in_sentence_case(word: str) -> str:
    """A printed label's word as it reads in a sentence: 'Income' and 'INCOME' -> 'income'; a name keeps its
    capitals ('AcmeCo', 'U.S.', 'GAAP'). A word in capitals is lowered when the vocabulary's line items use it."""
    if word.isupper() and word.lower() in _line_item_words():
        return word.lower()
    return word if any(c.isupper() for c in word[1:]) else word.lower()


@lru_cache(maxsize=1)
def _line_item_words() -> frozenset[str]:
    """The words of every line item the vocabulary names ('net', 'income', 'total', 'sales' ...), initialisms
    left out."""
    vocab = vocabulary()
    return (
        frozenset(w for c in vocab.concepts.values() for name in c.names for w in re.findall(r"[a-z]+", name))
        - vocab.initialisms
    )


def write(
    solution: Solution, query: Query, registry: Registry, chunks: dict[str, Chunk], passages: list[ScoredChunk]
) -> Answer:
    """The Answer for a solved question: direct line, computations, quotes, citations."""
    writer = Writer(query, registry, chunks, {p.chunk.id: p.score for p in passages})
    writer.exact = read_alike([s.value for s in solution.sides if s.value is not None])
    clauses = [_clause(writer, side, alone=len(solution.sides) == 1) for side in solution.sides]
    computations = [_computation(writer, side) for side in solution.sides if side.outcome is not None]
    direct = _direct(writer, solution.sides, clauses, query)
    quotes = []
    for citation in writer.citations:
        for quote in writer.quotes[citation.n]:
            quotes.append(f"“{quote}”{_where(writer, citation, quote)} [{citation.n}]")
    text = "\n".join([direct] + quotes)
    return Answer(
        question=query.text,
        text=text,
        citations=writer.citations,
        refused=False,
        timings={},
        direct=direct,
        computations=computations,
    )


def write_series(
    solution: Solution, query: Query, registry: Registry, chunks: dict[str, Chunk], passages: list[ScoredChunk]
) -> Answer:
    """The Answer for a figure over periods or across segments: one cited line per entity, the series as data,
    and for a change over the run, first to last with its work."""
    writer = Writer(query, registry, chunks, {p.chunk.id: p.score for p in passages})
    series, company_of = _series(solution, registry, writer)
    writer.exact = read_alike([p.value for one in series for p in one.points])

    def said(one: Series, point: SeriesPoint) -> str:
        """A point as the one-line answer states it (the series keeps it as printed)."""
        return writer.readable(point.value, one.unit, company_of.get(one.label, ""), point.text)

    lines, computations = [], []
    for one in series:
        label = f"{one.label[:1].upper()}{one.label[1:]}"
        points = ", ".join(f"{p.x} {said(one, p)} [{p.citation}]" for p in one.points)
        line = f"{label}: {points}"
        if query.operation == "change" and query.series == "periods":
            moved, computation = _change_over_run(writer, solution.sides, one, said, company_of.get(one.label, ""))
            line = f"{label} {moved}: {points}"
            computations.append(computation)
        lines.append(line)
    direct = _sentence("; ".join(lines))
    if query.superlative and len(series) == 1 and len(series[0].points) >= 2 and not solution.missing:
        first = solution.sides[0]
        direct = _extreme(
            query.superlative, series[0], first.period.label(registry.calendar(first.entity.company)), said
        )
    absent = [registry.name(m.entity.company, m.entity.segment) for m in solution.missing if m.entity is not None]
    if absent:
        direct += " " + phrases.SERIES_MISSING.format(metric=solution.sides[0].concept.label, names=", ".join(absent))
    quotes = [f"“{quote}”{_where(writer, c, quote)} [{c.n}]" for c in writer.citations for quote in writer.quotes[c.n]]
    return Answer(
        question=query.text,
        text="\n".join([direct] + quotes),
        citations=writer.citations,
        refused=False,
        timings={},
        direct=direct,
        computations=computations,
        series=series,
    )


def _series(solution: Solution, registry: Registry, writer: Writer) -> tuple[list[Series], dict[str, str]]:
    """The solution's figures as series (an outflow charted by its size, as written), and the company each
    series' label speaks of."""
    from assistant.answer.series import series_of

    def label_of(side: Side, short: bool = False) -> str:
        name = registry.name(side.entity.company, side.entity.segment)
        return name if short else writer.subject(side)

    def period_label(side: Side) -> str:
        return side.period.label(registry.calendar(side.entity.company))

    def text_of(side: Side) -> str:
        fact = side.stated
        value = abs(fact.value) if side.concept.key in vocabulary().magnitudes else fact.value
        return writer.fact_text(fact, value)

    series = series_of(solution.sides, label_of, period_label, text_of, lambda s: writer.cite(s.fact))
    if solution.sides[0].concept.key in vocabulary().magnitudes:  # an outflow is charted by its size, as written
        for point in (p for one in series for p in one.points):
            point.value = abs(point.value)
    company_of = {label_of(s): s.entity.company for s in solution.sides}
    company_of.setdefault(solution.sides[0].concept.label, solution.sides[0].entity.company)
    return series, company_of


def _change_over_run(
    writer: Writer, sides: list[Side], one: Series, said: Callable[[Series, SeriesPoint], str], company: str
) -> tuple[str, Computation]:
    """How a series moved from its first point to its last ('rose from A in X to B in Y, up C'), and the work."""
    first, last = one.points[0], one.points[-1]
    old, new = first.value, last.value
    unit = one.unit if one.unit != "percent" else "points"
    exact = writer.amount(abs(new - old), unit, *_scale_like(sides, first))
    outcome = Outcome(new - old, unit, "", ends=(old, new))
    percent = _percent_change(writer, outcome)
    size = writer.readable(abs(new - old), unit, company, exact) + percent
    verb, way = ("rose", "up") if new > old else ("fell", "down") if new < old else ("was unchanged", "")
    moved = f"from {said(one, first)} in {first.x} to {said(one, last)} in {last.x}"
    computation = Computation(
        formula=f"{one.label} {last.x} - {one.label} {first.x}",
        operands=[
            Operand(label=one.label, period=p.x, value=p.value, text=p.text, citation=p.citation) for p in (last, first)
        ],
        result=new - old,
        result_text=exact + percent,
        unit=unit,
    )
    return f"{verb} {moved}" + (f", {way} {size}" if way else ""), computation


def _extreme(superlative: str, one: Series, period: str, said: Callable[[Series, SeriesPoint], str]) -> str:
    """Which point of a series is highest or lowest, with the others after it."""
    pick = (max if superlative == "max" else min)(one.points, key=lambda p: p.value)
    word = "highest" if superlative == "max" else "lowest"
    others = ", ".join(f"{p.x} {said(one, p)} [{p.citation}]" for p in one.points if p is not pick)
    return _sentence(f"{pick.x} had the {word} {one.label} in {period}: {said(one, pick)} [{pick.citation}] ({others})")


def _scale_like(sides: list[Side], point) -> tuple[float | None, int | None]:
    """The scale and precision a series' figures were printed in, for its change."""
    fact = next((s.fact for s in sides if s.fact is not None and abs(s.fact.value) == abs(point.value)), None)
    return (fact.scale if fact is not None and fact.scale > 1 else None), None


def verb_be(concept, label: str | None = None) -> str:
    """'were' for a plural line item ('net sales', 'shipping costs'), else 'was'; `label` is the line as
    printed when the answer names it so."""
    if concept.derived or concept.unit not in ("money", "count"):
        return "was"
    head = re.split(r",| of | to | provided | used ", label or concept.label)[
        0
    ].split()  # 'purchases of property': 'purchases'
    last = head[-1].lower() if head else ""
    return "were" if re.search(r"[^su]s$", last) else "was"


def _stated_clause(writer: Writer, side: Side, subject: str, when: str, alone: bool) -> str:
    """A side whose figure the documents state, with any disagreeing statement, its currency and (alone) the
    change the document states with it."""
    assert side.fact is not None
    n = writer.cite(side.fact)
    value = writer.stated(side.fact)
    if side.concept.key in vocabulary().magnitudes:  # an outflow printed '(131,819)' is asked by its size
        value = writer.stated(side.fact, abs(side.fact.value))
    extra = "".join(
        f" ({_doc_name(writer, f)} states {writer.fact_text(f)} [{writer.cite(f)}])" for f in side.disagreeing
    )
    reporting = writer.registry.currencies.get(side.entity.company, side.fact.unit)
    if side.fact.unit in CURRENCY_NAMES and reporting in CURRENCY_NAMES and side.fact.unit != reporting:
        extra += phrases.TRANSLATED.format(currency=CURRENCY_NAMES[side.fact.unit])
    if side.operation == "growth":
        verb = "declined" if side.fact.value < 0 else "grew"
        return f"{subject} {verb} {value} year over year {when} [{n}]{extra}"
    if side.fact.value < 0:
        value = negative_said(side.concept, writer.stated(side.fact, abs(side.fact.value))) or value
    if alone and side.growth is not None:  # the change the document states with it, for context
        g = side.growth.value
        extra += (
            f", {'up' if g >= 0 else 'down'} {writer.fact_text(side.growth, abs(g))} year over year "
            f"[{writer.cite(side.growth)}]"
        )
    return f"{subject} {when} {verb_be(side.concept, _printed_label(side, writer.query.text))} {value} [{n}]{extra}"


def _clause(writer: Writer, side: Side, alone: bool = False) -> str:
    """One side as a clause: 'Cloud segment operating income in FY2025 was $4.5 billion [1]'. A stated figure
    is dated as its document dates it (a 52-53 week year ends on its own day, not the calendar's guess)."""
    when = writer.period(side.entity.company, _printed_period(side))
    subject = writer.subject(side)
    if side.fact is not None:
        return _stated_clause(writer, side, subject, when, alone)
    outcome = side.computed
    result = writer.readable(
        outcome.result,
        outcome.shown_unit,
        side.entity.company,
        writer.amount(outcome.result, outcome.shown_unit, *_scale_of(outcome)),
    )
    if side.operation == "change":
        return _change_clause(writer, side, subject, when)
    work = _work(writer, side, outcome)
    if side.operation == "growth":
        verb = "declined" if outcome.result < 0 else "grew"
        if side.earlier is not None and side.earlier != side.period.shifted(-1):  # growth over a span
            earlier = _bare(writer.period(side.entity.company, side.earlier))
            when = f"from {earlier} to {_bare(when)}"
        return f"{subject} {verb} {abs(outcome.result):.{_dec(writer, 1)}f}% {when}: {work}"
    if side.operation in ("cagr", "average") and side.earlier is not None:
        earlier = _bare(writer.period(side.entity.company, side.earlier))
        span = f"from {earlier} to {_bare(when)}"
        if side.operation == "cagr":
            return f"{subject} grew at a compound annual rate of {result} {span}: {work}"
        return f"{subject} averaged {result} a year {span}: {work}"
    if side.operation == "sum":
        return _sum_clause(writer, side, result)
    if side.operation == "share":
        whole = writer.registry.name(side.entity.company)
        return (
            f"{writer.registry.name(side.entity.company, side.entity.segment)} accounted for {result} of "
            f"{whole}'s {side.concept.label} {when}: {work}"
        )
    if outcome.result < 0 and outcome.shown_unit not in ("percent", "ratio"):
        size = writer.readable(
            abs(outcome.result),
            outcome.shown_unit,
            side.entity.company,
            writer.amount(abs(outcome.result), outcome.shown_unit, *_scale_of(outcome)),
        )
        result = negative_said(side.concept, size) or result
    return f"{subject} {when} {verb_be(side.concept)} {result}: {work}"


def negative_said(concept, size: str) -> str | None:
    """A negative figure of the concept in words ('a loss of $660 million', 'a deficit of $412 million'), from
    the vocabulary's `negative_words`; a metric read from a question's own words ('phrase:...') that names a
    profit is said as a loss. None when the metric keeps its minus sign."""
    vocab = vocabulary()
    named = next((c.key for c in vocab.concepts.values() if c.label == concept.label), concept.key)
    phrase = vocab.negative_words.get(concept.key) or vocab.negative_words.get(named)  # a formula the question gave
    if phrase is None and concept.key.startswith("phrase:") and concept.unit in ("money", "per_share"):
        last = concept.label.lower().split()[-1:] or [""]
        phrase = vocab.negative_words.get(vocab.profit_concepts[0]) if last[0] in vocab.profit_label_words else None
    return phrase.format(value=size) if phrase else None


def _sum_clause(writer: Writer, side: Side, result: str) -> str:
    """'Cloud Services and International net sales in FY2024 came to $12.3 billion combined: Cloud Services
    $8.1 billion [1], International $4.2 billion [1]'; over periods: '... in FY2023 and FY2024 came to ...'."""
    company = side.entity.company
    whos = list(dict.fromkeys(writer.registry.name(i.fact.company, i.fact.segment) for i in side.computed.inputs))
    whens = list(dict.fromkeys(_bare(writer.period(company, i.period)) for i in side.computed.inputs))
    parts = [
        " ".join(
            x
            for x in (
                writer.registry.name(i.fact.company, i.fact.segment) if len(whos) > 1 else "",
                _bare(writer.period(company, i.period)) if len(whens) > 1 else "",
                f"{writer.stated(i.fact, i.value)} [{writer.cite(i.fact)}]",
            )
            if x
        )
        for i in side.computed.inputs
    ]
    subject = f"{' and '.join(whos)} {side.concept.label}" if len(whos) > 1 else writer.subject(side)
    when = "in " + " and ".join(whens)
    return f"{subject} {when} came to {result} combined: {', '.join(parts)}"


def _change_clause(writer: Writer, side: Side, subject: str, when: str) -> str:
    """A change between two periods with both ends: 'AWS segment net sales rose from $80.1 billion in FY2022 [1]
    to $107.6 billion in FY2024 [1], up $27.5 billion (+34.3%)'; a ratio's ends are computed, so its work follows
    ('... rose from -0.9% in FY2022 to 6.9% in FY2025, up 7.8 percentage points: operating income ...')."""
    outcome, company = side.computed, side.entity.company
    unit = outcome.shown_unit
    ends = {i.role: i for i in outcome.inputs if i.role in ("from", "to")}
    stated_ends = len(outcome.inputs) == 2 and len(ends) == 2
    if stated_ends:
        old, new = (
            f"{writer.stated(ends[r].fact, ends[r].value)} {writer.period(company, ends[r].period)} "
            f"[{writer.cite(ends[r].fact)}]"
            for r in ("from", "to")
        )
    else:
        earlier = side.earlier or side.period.shifted(-1)
        old, new = (
            f"{_end_text(writer, side, value)} {writer.period(company, period)}"
            for value, period in zip(outcome.ends or (), (earlier, side.period))
        )
    size = writer.readable(
        abs(outcome.result), unit, company, writer.amount(abs(outcome.result), unit, *_scale_of(outcome))
    )
    if side.growth is not None and unit != "points":  # the percent change the document states with it
        size += f", or {writer.fact_text(side.growth, abs(side.growth.value))} [{writer.cite(side.growth)}]"
    else:
        size += _percent_change(writer, outcome)
    moved = f"from {old} to {new}, {'up' if outcome.result >= 0 else 'down'} {size}"
    if outcome.result == 0:
        moved = f"was unchanged, {old} and {new}"
    else:
        moved = f"{'rose' if outcome.result > 0 else 'fell'} {moved}"
    return f"{subject} {moved}" + ("" if stated_ends else f": {_work(writer, side, outcome)}")


def _end_text(writer: Writer, side: Side, value: float) -> str:
    """One end of a computed change: '6.9%' for a ratio in percent, else the amount or ratio."""
    unit = side.computed.shown_unit
    if unit == "points":
        return f"{value:.{_dec(writer, 1)}f}%"
    return writer.readable(value, unit, side.entity.company, writer.amount(value, unit, *_scale_of(side.computed)))


def _percent_change(writer: Writer, outcome: Outcome) -> str:
    """' (+34.3%)' for a change of an amount from a positive base; '' for a ratio (its change is in points)."""
    if outcome.unit == "points" or not outcome.ends or outcome.ends[0] <= 0:
        return ""
    return f" ({outcome.result / outcome.ends[0] * 100:+.{_dec(writer, 1)}f}%)"


def _bare(when: str) -> str:
    """'in FY2024' or 'as of December 31, 2024' without its preposition, to follow 'from' or 'to'."""
    return re.sub(r"^(?:in|as of)\s+", "", when)


def _work(writer: Writer, side: Side, outcome: Outcome) -> str:
    """The operands in words with their citations: 'operating income $29,619 million [1] / net sales ...'."""
    parts = []
    for item in outcome.inputs:
        n = writer.cite(item.fact)
        label = item.concept.label
        if item.role or side.operation in ("growth", "change"):
            label += " " + writer.period(side.entity.company, item.period)
        parts.append(f"{label} {writer.stated(item.fact, item.value)} [{n}]")
    two_sides = side.operation in ("growth", "change") and len(parts) == 2  # a figure against its earlier self
    joiner = " against " if two_sides else " of " if side.operation == "share" else ", "
    if two_sides:
        parts = parts[::-1]
    return joiner.join(parts) + (f" ({readable(outcome.formula)})" if side.operation in ("value",) else "")


def readable(formula: str) -> str:
    """A formula with line items by name: 'operating income / net sales', 'average(total assets)'."""
    concepts = vocabulary().concepts
    text = re.sub(
        r"\b(avg|change|prev)\(\s*([a-z_]+)\s*\)",
        lambda m: (
            f"{ {'avg': 'average', 'change': 'change in', 'prev': 'prior'}[m.group(1)] } "
            f"{concepts[m.group(2)].label if m.group(2) in concepts else m.group(2)}"
        ),
        formula,
    )
    text = re.sub(
        r"\b[a-z][a-z_]+\b", lambda m: concepts[m.group(0)].label if m.group(0) in concepts else m.group(0), text
    )
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))


def _computation(writer: Writer, side: Side) -> Computation:
    outcome = side.computed
    operands = [
        Operand(
            label=item.concept.label,
            period=item.period.label(writer.registry.calendar(side.entity.company)),
            value=item.value,
            text=writer.fact_text(item.fact, item.value),
            citation=writer.cite(item.fact),
        )
        for item in outcome.inputs
    ]
    result = (
        f"{abs(outcome.result):.{_dec(writer, 1)}f}%"
        if side.operation == "growth"
        else writer.amount(
            abs(outcome.result) if side.operation == "change" else outcome.result,
            outcome.shown_unit,
            *_scale_of(outcome),
        )
    )
    if side.operation == "change" and outcome.unit == "points" and outcome.ends:
        result += f" (from {_end_text(writer, side, outcome.ends[0])} to {_end_text(writer, side, outcome.ends[1])})"
    elif side.operation == "change":
        result += _percent_change(writer, outcome)
    return Computation(
        formula=readable(outcome.formula),
        operands=operands,
        result=outcome.result,
        result_text=result,
        unit=outcome.shown_unit,
    )


def _direct(writer: Writer, sides: list[Side], clauses: list[str], query: Query) -> str:
    """The one-line answer: the clause, or for two sides both clauses and which is larger by how much."""
    if len(sides) == 1:
        line = clauses[0]
        verdict = yes_no(sides[0], query) if query.intent == "yesno" else ""
        if verdict:
            line = f"{verdict} {line[0].upper()}{line[1:]}"
        return _sentence(line)
    body = "; ".join(clauses)
    if len({(s.concept.key, s.operation) for s in sides}) > 1 and not (
        (query.intent == "compare" or query.own_concepts) and len(sides) == 2
    ):
        return _sentence(body)  # different things asked together: each stated, nothing set against another
    verdict = _verdict(writer, sides, query)
    return _sentence(f"{verdict}: {body}" if verdict else body)


def _verdict(writer: Writer, sides: list[Side], query: Query) -> str:
    """'Cloud grew faster (20% against 11%, 9.0 percentage points more)' for two comparable sides."""
    a, b = sides[0], sides[1]
    if a.value is None or b.value is None:
        return ""
    if a.period is not None and b.period is not None and a.period.months != b.period.months:
        return phrases.PERIODS_DIFFER.format(  # a quarter's growth is not set against a year's
            first=a.period.label(writer.registry.calendar(a.entity.company)),
            second=b.period.label(writer.registry.calendar(b.entity.company)),
        )
    unit_a = a.unit
    if unit_a != b.unit:
        return ""
    mixed = (_comparable(a) < 0) != (_comparable(b) < 0)  # a loss against a profit: compared as signed figures
    size = (lambda side: _comparable(side)) if mixed else (lambda side: abs(_comparable(side)))
    bigger, smaller = (a, b) if size(a) >= size(b) else (b, a)
    if query.comparative == "smaller":
        bigger, smaller = smaller, bigger
    name = _side_name(writer, bigger, sides)
    diff = abs(_comparable(bigger) - _comparable(smaller))
    if unit_a == "percent":
        gap = f"{diff:.1f} percentage points"
        word = "faster" if a.operation == "growth" else "higher"
        if query.comparative == "smaller":
            word = "slower" if a.operation == "growth" else "lower"
        return f"{name} {'grew' if a.operation == 'growth' else 'was'} {word}, by {gap}"
    ratio = abs(_comparable(bigger)) / abs(_comparable(smaller)) if _comparable(smaller) else None
    word = "smaller" if query.comparative == "smaller" else "larger"
    gap = writer.readable(diff, unit_a, bigger.entity.company, writer.amount(diff, unit_a, _fact_scale(bigger)))
    times = f", {ratio:.2f} times as much" if ratio and word == "larger" and not mixed else ""
    if _comparable(a) < 0 and _comparable(b) < 0:  # two losses: the larger one is the one that lost more
        return f"{name} lost {'less' if word == 'smaller' else 'more'}, by {gap}{times}"
    return f"{name} was {word}, by {gap}{times}"


def _side_name(writer: Writer, side: Side, sides: list[Side]) -> str:
    entities = {(s.entity.company, s.entity.segment) for s in sides}
    if len({s.concept.key for s in sides}) > 1 and len(entities) == 1:
        return side.concept.label[:1].upper() + side.concept.label[1:]
    if len(entities) > 1:
        return writer.registry.name(side.entity.company, side.entity.segment)
    label = _printed_period(side).label(writer.registry.calendar(side.entity.company))
    return label[:1].upper() + label[1:]


def _printed_period(side: Side) -> Period:
    """The period a side's stated figure is dated by in its document, else the period asked."""
    printed = Period.from_key(side.fact.period) if side.fact is not None else side.period
    return printed if printed.months == side.period.months else side.period


def _comparable(side: Side) -> float:
    """The side's value as compared: an outflow printed '(1,234)' by its size."""
    if side.value is None:
        return 0.0
    return abs(side.value) if side.concept.key in vocabulary().magnitudes else side.value


def _fact_scale(side: Side) -> float | None:
    if side.fact is not None and side.fact.scale > 1:
        return side.fact.scale
    return None


def _scale_of(outcome: Outcome) -> tuple[float | None, int | None]:
    scales = [i.fact.scale for i in outcome.inputs if i.fact.scale > 1]
    return (max(scales), None) if scales else (None, None)


def _dec(writer: Writer, default: int) -> int:
    return writer.query.decimals if writer.query.decimals is not None else default


def _doc_name(writer: Writer, fact: Fact) -> str:
    chunk = writer.chunks.get(fact.chunk_id)
    return f"the {chunk.doc_type}" if chunk and chunk.doc_type else "another document"


def _where(writer: Writer, citation: Citation, quote: str) -> str:
    """For a table row, what its columns are: '(Q4 2024, Q4 2025, FY2024, FY2025; in millions)'."""
    chunk = writer.chunks.get(citation.chunk_id)
    if chunk is None or chunk.table is None:
        return ""
    table = chunk.table
    row = next((r for r in table.rows if r.line == quote), None)
    if row is None:
        return ""
    company = next((f.company for f in chunk.facts if f.quote == quote), "")
    cal = writer.registry.calendar(company)
    columns = [Period.from_key(k).label(cal) if k else "change" for k in table.columns]
    scale = {1e3: "in thousands", 1e6: "in millions", 1e9: "in billions"}.get(table.scale, "")
    group = f"{row.group}; " if row.group else ""
    return f" ({group}columns: {', '.join(columns)}{'; ' + scale if scale else ''})"


def _billion_decimals(value: float) -> int:
    return 1 if abs(value) >= 1e10 else 2


def read_alike(values: list[float]) -> bool:
    """Whether two different figures of a billion or more would read the same in billions ('$21.2 billion' for
    both $21,187 million and $21,192 million): the answer then states them as printed."""
    large = {abs(v) for v in values if abs(v) >= 1e9}
    return len({round(v / 1e9, _billion_decimals(v)) for v in large}) < len(large)


def _sentence(text: str) -> str:
    text = text.strip()
    if text.endswith("]"):
        return text + "."
    return text if text.endswith((".", "!", "?")) else text + "."
