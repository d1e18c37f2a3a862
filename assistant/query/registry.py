"""The companies and segments the served documents speak of: names, aliases, fiscal calendars, reporting
currencies and short display names, from each document's company profiles (catalog or cover page) and from the
segments its facts name; and the scale each company's own sentences write large amounts in. Rebuilt whenever the
store's content changes."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from assistant.store.facts import FactIndex
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar
from assistant.contract.types import DocumentInfo


@dataclass
class Registry:
    matcher: EntityMatcher = field(default_factory=EntityMatcher)
    calendars: dict[str, FiscalCalendar] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # company -> the short name a reader uses
    currencies: dict[str, str] = field(default_factory=dict)
    # (company, segment) the company reports as segments, in the order its documents give them
    segments: dict[tuple[str, str], None] = field(default_factory=dict)
    # each company's name -> the name it goes by across filings (renamed with the same ticker or a longer form of
    # the same name: 'Acme Systems Incorporated' in older filings, 'Acme Inc.' in newer ones)
    canonical: dict[str, str] = field(default_factory=dict)
    # (company, currency) -> the scale its documents' sentences write amounts of a billion or more in (1e9 when
    # they say '$45.6 billion', 1e6 when they say 'RMB118,028 million')
    prose_scales: dict[tuple[str, str], float] = field(default_factory=dict)

    def is_segment(self, company: str, segment: str) -> bool:
        """A reportable segment, not a product line or other breakdown member its tables list."""
        return (company, segment) in self.segments

    def segments_of(self, company: str) -> list[str]:
        return [s for c, s in self.segments if c == company]

    def name(self, company: str, segment: str = "") -> str:
        return segment or self.display.get(company, company)

    def calendar(self, company: str) -> FiscalCalendar:
        return self.calendars.get(company, FiscalCalendar())

    def prose_scale(self, company: str, currency: str) -> float | None:
        return self.prose_scales.get((company, currency))


def build_registry(documents: dict[str, DocumentInfo], facts: FactIndex) -> Registry:
    registry = Registry()
    year_ends: dict[str, list[str]] = defaultdict(list)
    for info in documents.values():
        try:
            profiles = json.loads(info.profiles) if info.profiles else []
        except json.JSONDecodeError:
            profiles = []
        if not profiles and info.company:
            profiles = [{"name": name.strip()} for name in info.company.split(";") if name.strip()]
        for profile in profiles:
            name = profile["name"]
            aliases = profile.get("aliases", [])
            registry.matcher.add_company(name, aliases, [profile["headquarters"]] if profile.get("headquarters") else [],
                                         ticker=profile.get("ticker", ""))
            year_ends[name].append(profile.get("fiscal_year_end", ""))
            registry.currencies.setdefault(name, profile.get("currency", "USD"))
            registry.display.setdefault(name, aliases[0] if aliases else name)
            for segment, spec in profile.get("segments", {}).items():
                registry.matcher.add_segment(name, segment, spec.get("aliases", []), spec.get("descriptors", []))
                registry.segments[(name, segment)] = None
    for company, ends in year_ends.items():  # the year end most of the company's documents give, else the
        known = [e for e in ends if e] or _year_ends_of_facts(facts, company)  # one its annual figures end on
        registry.calendars[company] = FiscalCalendar.parse(Counter(known).most_common(1)[0][0] if known else "")
    for company, segments in facts.segments.items():
        for segment in segments:
            registry.matcher.add_segment(company, segment)
    for fact in facts.by_concept.get("operating_income", []):  # a member with its own profit is a segment
        if fact.segment:
            registry.segments.setdefault((fact.company, fact.segment))
    registry.prose_scales = _prose_scales(facts)
    registry.canonical = same_companies(profiles_of(documents), registry.calendars)
    return registry


def profiles_of(documents: dict[str, DocumentInfo]) -> list[dict]:
    out = []
    for info in documents.values():
        try:
            out.extend(json.loads(info.profiles) if info.profiles else [])
        except json.JSONDecodeError:
            continue
    return out


def same_companies(profiles: list[dict], calendars: dict[str, FiscalCalendar]) -> dict[str, str]:
    """Names of one company across filings, each mapped to one of them (the first seen): the same ticker, or one
    name's short form a word-for-word start of the other's ('Acme' and 'Acme Systems') with the same fiscal year
    end month."""
    from assistant.finance.names import short_names

    names: dict[str, tuple[str, set[str]]] = {}
    for profile in profiles:
        name = profile["name"]
        ticker, bare = profile.get("ticker", ""), {n.lower() for n in [name, *short_names(name)]}
        known = names.get(name)
        names[name] = ((known[0] if known else "") or ticker, (known[1] if known else set()) | bare)
    canonical: dict[str, str] = {}
    ordered = list(names)
    for i, name in enumerate(ordered):
        for other in ordered[:i]:
            if _same(name, names[name], other, names[other], calendars):
                canonical[name] = canonical.get(other, other)
                break
    return canonical


def _same(a: str, one: tuple[str, set[str]], b: str, two: tuple[str, set[str]],
          calendars: dict[str, FiscalCalendar]) -> bool:
    if one[0] and two[0]:
        return one[0] == two[0]
    if abs(calendars.get(a, FiscalCalendar()).month - calendars.get(b, FiscalCalendar()).month) % 11 > 1:
        return False
    pairs = [(x.split(), y.split()) for x in one[1] for y in two[1]]
    return any(len(" ".join(short)) >= 4 and long[:len(short)] == short
               for x, y in pairs for short, long in ((x, y), (y, x)) if len(short) <= len(long))


def _prose_scales(facts: FactIndex) -> dict[tuple[str, str], float]:
    """The scale most of each company's sentence figures of a billion or more are written in, per currency."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for fact in facts.all():
        if fact.source == "sentence" and fact.unit.isalpha() and fact.unit.isupper() and abs(fact.value) >= 1e9:
            counts[(fact.company, fact.unit)][fact.scale] += 1
    return {key: scales.most_common(1)[0][0] for key, scales in counts.items()}


def _year_ends_of_facts(facts: FactIndex, company: str) -> list[str]:
    """'06-30' for every twelve-month figure of the company that ends on June 30."""
    from assistant.finance.periods import Period

    ends = []
    for found in facts.by_concept.values():
        for fact in found:
            if fact.company == company:
                period = Period.from_key(fact.period)
                if period.months == 12:
                    ends.append(f"{period.end.month:02d}-{period.end.day:02d}")
    return ends
