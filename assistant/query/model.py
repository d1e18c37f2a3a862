"""The typed form of a question: `Query`, with what it asks (`Intent`) and what is computed (`Operation`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from assistant.contract import phrases
from assistant.finance.entities import Entity
from assistant.finance.periods import FiscalCalendar, PeriodSpec
from assistant.finance.vocabulary import Concept
from assistant.query.grammar import grammar


class Intent(StrEnum):
    """What kind of answer is asked for. A str: `query.intent == "explain"` holds as before."""

    LOOKUP = "lookup"  # a stated figure
    COMPUTE = "compute"  # a figure worked out from stated ones
    COMPARE = "compare"  # two sides set against each other
    EXPLAIN = "explain"  # a reason or a description, in sentences
    LIST = "list"  # the members of a set ('which segments ...')
    YESNO = "yesno"


class Operation(StrEnum):
    """What is done with the figures found."""

    VALUE = "value"
    GROWTH = "growth"  # percent change against the period before (or the earlier period named)
    CHANGE = "change"  # amount (or points) of change between two periods
    DIFFERENCE = "difference"  # one side minus the other ('how much more did A earn than B')
    SHARE = "share"  # a part over its whole
    CAGR = "cagr"
    AVERAGE = "average"
    SUM = "sum"  # two or more figures added ('combined net sales for 2023 and 2024')


@dataclass
class Query:
    """A question as the assistant understands it."""

    text: str  # the question, resolved against earlier turns
    focus: str  # its asking part (instructions and context sentences left out)
    entities: list[Entity] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    periods: list[PeriodSpec] = field(default_factory=list)
    intent: Intent = Intent.LOOKUP
    operation: Operation = Operation.VALUE
    answer_type: str = "amount"  # amount | percent | ratio | days | count | per_share | text
    scale: float | None = None  # 'in millions'
    decimals: int | None = None  # 'round to two decimal places'
    comparative: str = ""  # 'larger' | 'smaller' for which-is-bigger questions
    relative: str = ""  # 'previous' when a period is named relative to the previous turn's
    qualifiers: list[str] = field(default_factory=list)  # words narrowing the metric that no fact carries
    unknown: list[str] = field(default_factory=list)  # proper names no document's company or segment has
    profit: bool = False  # asks whether it made a profit
    said: dict[str, str] = field(default_factory=dict)  # concept key -> the question's words for it ('net sales')
    metric_phrase: str = ""  # the question's own words for what it asks the amount of ('shipping costs')
    sources: list[str] = field(default_factory=list)  # kinds of document the question names ('article', '10-Q')
    forward: bool = False  # asks for guidance or plans, not reported results
    currency: str = ""  # a currency the question asks figures in ('in US dollars')
    also: list[str] = field(default_factory=list)  # further parts asked with 'and': 'growth', or concept keys
    follow_up: bool = False
    series: str = ""  # 'periods' for a figure over a run of periods, 'segments' for each segment's figure
    each_segment: bool = False  # asked for every segment of the company ('by segment', 'each segment's')
    why: str = ""  # the '... and why did it fall?' part of a question that also asks for a figure
    carried: bool = False  # a follow-up that names no company or segment and keeps the previous turn's
    paired: list[PeriodSpec] = field(default_factory=list)  # one period per entity: 'Acme in 2025 or Zeta in FY2025'
    own_concepts: list[str] = field(
        default_factory=list
    )  # one metric per entity: "A's capex ... B's purchases of PP&E"
    superlative: str = ""  # 'max' | 'min': which segment had the highest (lowest) figure
    spanned: bool = False  # two periods asked as one span: 'from 2023 to 2025', 'Q2 2025 compared with Q2 2024'

    @property
    def concept(self) -> Concept | None:
        return self.concepts[0] if self.concepts else None

    @property
    def asks_figure(self) -> bool:
        """A figure the facts can answer: a known metric of a known company, nothing narrowing it that facts do
        not carry, and no guidance."""
        return (
            self.concept is not None
            and self.intent not in (Intent.EXPLAIN, Intent.LIST)
            and not self.qualifiers
            and not self.forward
            and not self.unknown
        )

    @property
    def wants_number(self) -> bool:
        """Only a figure answers it: a look-up, computation or comparison of a named metric, or an amount asked
        in words ('how much ...', 'what dollar figure ...'), whether or not the facts can give it."""
        if grammar().pattern("amount_asked").search(self.focus):
            return self.intent != Intent.YESNO
        if self.concept is None:  # a figure named in words no vocabulary knows ('the hotel occupancy rate')
            return self.intent == Intent.LOOKUP and self.answer_type in ("amount", "percent")
        return self.intent in (Intent.LOOKUP, Intent.COMPUTE, Intent.COMPARE)

    def companies(self) -> list[str]:
        return list(dict.fromkeys(e.company for e in self.entities))

    def _periods(self, calendars: dict[str, FiscalCalendar] | None) -> list[tuple[str, bool]]:
        """Each period as its label ('FY2025', 'Q2 2025', 'December 31, 2024') and whether it is a date."""
        cal = (calendars or {}).get(self.entities[0].company) if self.entities else None
        stock = bool(self.concept and self.concept.kind == "stock")
        out = []
        for spec in self.periods:
            period = spec.resolve(cal or FiscalCalendar(), stock=stock)
            out.append((period.label(cal), period.instant) if period else (spec.text, False))
        return out

    def describe(self, calendars: dict[str, FiscalCalendar] | None = None) -> str:
        """The query as search words ('Cloud operating income FY2025?'): names, metric and periods."""
        parts = [" and ".join(e.name() for e in self.entities)] if self.entities else []
        if self.concept:
            words = grammar().tables["operation_search_words"].get(self.operation, "")
            parts.append(f"{self.concept.label} {words}".strip())
        elif self.metric_phrase:
            parts.append(self.metric_phrase)
        text = " ".join(p for p in parts + [label for label, _ in self._periods(calendars)] if p)
        return (text[:1].upper() + text[1:] + "?") if text else self.text

    def sentence(
        self, calendars: dict[str, FiscalCalendar] | None = None, display: dict[str, str] | None = None
    ) -> str:
        """The query as a question a reader would ask ("What was Acme's operating income in FY2023?")."""
        names = [e.segment or (display or {}).get(e.company, e.company) for e in self.entities] or self.unknown
        metric = self.concept.label if self.concept else self.metric_phrase
        periods = self._periods(calendars)
        spans = (
            self.spanned
            or self.series == "periods"
            or self.operation in (Operation.CHANGE, Operation.CAGR, Operation.AVERAGE)
        )
        when = ""
        if len(periods) >= 2 and spans:
            when = phrases.RESOLVED_SPAN.format(first=periods[0][0], last=periods[-1][0])
        elif periods:
            labels = " and ".join(
                label if label[:1].isupper() or label.startswith("the ") else f"the {label}" for label, _ in periods
            )
            when = (phrases.RESOLVED_AT if all(i for _, i in periods) else phrases.RESOLVED_IN).format(period=labels)
        if not metric:
            return phrases.RESOLVED_ABOUT.format(subject=" and ".join(names) or self.text, when=when).strip()
        form = (
            "explain"
            if self.intent == Intent.EXPLAIN
            else "compare"
            if len(names) >= 2 and self.operation == Operation.VALUE
            else str(self.operation)
        )
        whose = " and ".join(
            phrases.RESOLVED_OWNER.format(name=n) if not n.endswith("s") else phrases.RESOLVED_OWNER_S.format(name=n)
            for n in names
        )
        template = phrases.RESOLVED_FORMS.get(form, phrases.RESOLVED_FORMS["value"])
        text = template.format(whose=whose, metric=metric, when=when, names=" and ".join(names))
        return " ".join(text.split()).replace(" ?", "?")
