"""The companies and segments the served documents speak of: names, aliases, fiscal calendars, reporting
currencies and short display names, from each document's company profiles (catalog or cover page) and from the
segments its facts name. Kept per document: adding or removing a document changes only what it gave."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from assistant.store.facts import DocumentFacts, FactIndex
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period
from assistant.contract.types import DocumentInfo


@dataclass(frozen=True)
class NameEntries:
    """What one document version tells the registry: its company profiles, the segments its facts name, the
    members with an operating income of their own, and the year ends of its twelve-month figures."""

    profiles: tuple[dict, ...] = ()
    fact_segments: tuple[tuple[str, str], ...] = ()  # (company, segment)
    profit_segments: tuple[tuple[str, str], ...] = ()
    year_ends: dict[str, Counter] = field(default_factory=dict)  # company -> 'MM-DD' of its annual figures
    file_hash: str = ""  # the document version they come from

    @classmethod
    def of(cls, info: DocumentInfo | None, facts: DocumentFacts, file_hash: str = "") -> "NameEntries":
        profiles: list[dict] = []
        if info is not None:
            try:
                profiles = json.loads(info.profiles) if info.profiles else []
            except json.JSONDecodeError:
                profiles = []
            if not profiles and info.company:
                profiles = [{"name": name.strip()} for name in info.company.split(";") if name.strip()]
        year_ends: dict[str, Counter] = {}
        for found in facts.by_concept.values():
            for fact in found:
                period = Period.from_key(fact.period)
                if period.months == 12:
                    year_ends.setdefault(fact.company, Counter())[f"{period.end.month:02d}-{period.end.day:02d}"] += 1
        return cls(tuple(profiles),
                   tuple((c, s) for c, names in facts.segments.items() for s in names),
                   tuple(dict.fromkeys((f.company, f.segment) for f in facts.by_concept.get("operating_income", [])
                                       if f.segment)),
                   year_ends, file_hash)


@dataclass
class Registry:
    matcher: EntityMatcher = field(default_factory=EntityMatcher)
    calendars: dict[str, FiscalCalendar] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # company -> the short name a reader uses
    currencies: dict[str, str] = field(default_factory=dict)
    # (company, segment) the company reports as segments, in the order its documents give them
    segments: dict[tuple[str, str], None] = field(default_factory=dict)
    documents: dict[str, NameEntries] = field(default_factory=dict)  # doc id -> what it gave, in order added
    segment_sources: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    version: int = 0  # the version of the index it describes

    def is_segment(self, company: str, segment: str) -> bool:
        """A reportable segment, not a product line or other breakdown member its tables list."""
        return (company, segment) in self.segments

    def segments_of(self, company: str) -> list[str]:
        return [s for c, s in self.segments if c == company]

    def name(self, company: str, segment: str = "") -> str:
        return segment or self.display.get(company, company)

    def calendar(self, company: str) -> FiscalCalendar:
        return self.calendars.get(company, FiscalCalendar())

    # -- changing: each returns a new registry and leaves this one as it was ----------------------------------
    def _copy(self) -> "Registry":
        return Registry(self.matcher.copy(), dict(self.calendars), dict(self.display), dict(self.currencies),
                        dict(self.segments), dict(self.documents),
                        {k: set(v) for k, v in self.segment_sources.items()}, self.version)

    def with_documents(self, added: dict[str, NameEntries]) -> "Registry":
        """Plus some documents: first every profile they give (in order), then the segments their facts name."""
        out = self._copy()
        out.documents.update(added)
        for doc_id, entries in added.items():
            for profile in entries.profiles:
                name, aliases = profile["name"], profile.get("aliases", [])
                hq = [profile["headquarters"]] if profile.get("headquarters") else []
                out.matcher.add_company(name, aliases, hq, ticker=profile.get("ticker", ""), source=doc_id)
                for segment, spec in profile.get("segments", {}).items():
                    out.matcher.add_segment(name, segment, spec.get("aliases", []), spec.get("descriptors", []),
                                            source=doc_id)
                    out._add_segment((name, segment), doc_id)
        for doc_id, entries in added.items():
            for company, segment in entries.fact_segments:
                out.matcher.add_segment(company, segment, source=doc_id)
        for doc_id, entries in added.items():  # a member with its own profit is a segment
            for key in entries.profit_segments:
                out._add_segment(key, doc_id)
        out._settle({p["name"] for e in added.values() for p in e.profiles} | set(out.calendars) & {
            c for e in added.values() for c in e.year_ends})
        out.matcher.ready()
        return out

    def without(self, doc_ids) -> "Registry":
        """Less some documents: the names, segments, calendars and currencies only they gave."""
        gone = {d: self.documents[d] for d in doc_ids if d in self.documents}
        if not gone:
            return self
        out = self._copy()
        for doc_id in gone:
            del out.documents[doc_id]
            out.matcher.without_source(doc_id)
            for key in [k for k, given in out.segment_sources.items() if doc_id in given]:
                out.segment_sources[key].discard(doc_id)
                if not out.segment_sources[key]:
                    del out.segment_sources[key], out.segments[key]
        out._settle({p["name"] for e in gone.values() for p in e.profiles} | set(out.calendars) & {
            c for e in gone.values() for c in e.year_ends})
        out.matcher.ready()
        return out

    def _add_segment(self, key: tuple[str, str], doc_id: str) -> None:
        self.segments.setdefault(key)
        self.segment_sources.setdefault(key, set()).add(doc_id)

    def _settle(self, companies: set[str]) -> None:
        """Each named company's calendar, currency and display name from the documents that profile it: the
        first document's currency and name, the year end most of them give, else the one its annual figures end
        on."""
        for company in companies:
            profiles = [p for e in self.documents.values() for p in e.profiles if p["name"] == company]
            if not profiles:
                for table in (self.calendars, self.currencies, self.display):
                    table.pop(company, None)
                continue
            self.currencies[company] = profiles[0].get("currency", "USD")
            aliases = profiles[0].get("aliases", [])
            self.display[company] = aliases[0] if aliases else company
            known = [p.get("fiscal_year_end", "") for p in profiles if p.get("fiscal_year_end", "")]
            if not known:
                ends = Counter()
                for entries in self.documents.values():
                    ends.update(entries.year_ends.get(company, Counter()))
                known = list(ends.elements())
            self.calendars[company] = FiscalCalendar.parse(Counter(known).most_common(1)[0][0] if known else "")


def build_registry(documents: dict[str, DocumentInfo], facts: FactIndex) -> Registry:
    """The registry of these documents and their facts."""
    return Registry().with_documents({d: NameEntries.of(info, facts.documents.get(d, DocumentFacts()), info.file_hash)
                                      for d, info in documents.items()})
