"""The companies and segments the served documents speak of: names, aliases, fiscal calendars, reporting
currencies and short display names, from each document's company profiles (catalog or cover page) and from the
segments its facts name; the names one company goes by across filings; and the scale each company's own sentences
write large amounts in. Kept per document: adding or removing a document changes what it gave."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from assistant.store.facts import DocumentFacts, FactIndex
from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar, Period
from assistant.finance.vocabulary import add_company_metrics, vocabulary
from assistant.contract.types import DocumentInfo


@dataclass(frozen=True)
class NameEntries:
    """What one document version tells the registry: its company profiles, the segments its facts name, the
    members with an operating income of their own, and the year ends of its twelve-month figures."""

    profiles: tuple[dict, ...] = ()
    fact_segments: tuple[tuple[str, str], ...] = ()  # (company, segment)
    profit_segments: tuple[tuple[str, str], ...] = ()
    year_ends: dict[str, Counter] = field(default_factory=dict)  # company -> 'MM-DD' of its annual figures
    # (company, currency) -> how often its sentences write an amount of a billion or more in each scale
    prose_scales: dict[tuple[str, str], Counter] = field(default_factory=dict)
    file_hash: str = ""  # the document version they come from

    @classmethod
    def of(cls, info: DocumentInfo | None, facts: DocumentFacts, file_hash: str = "") -> NameEntries:
        profiles: list[dict] = []
        if info is not None:
            try:
                profiles = json.loads(info.profiles) if info.profiles else []
            except json.JSONDecodeError:
                profiles = []
            if not profiles and info.company:
                profiles = [{"name": name.strip()} for name in info.company.split(";") if name.strip()]
        year_ends: dict[str, Counter] = {}
        scales: dict[tuple[str, str], Counter] = {}
        for found in facts.by_concept.values():
            for fact in found:
                period = Period.from_key(fact.period)
                if period.months == 12:
                    year_ends.setdefault(fact.company, Counter())[f"{period.end.month:02d}-{period.end.day:02d}"] += 1
                if fact.source == "sentence" and fact.unit.isalpha() and fact.unit.isupper() and abs(fact.value) >= 1e9:
                    scales.setdefault((fact.company, fact.unit), Counter())[fact.scale] += 1
        return cls(
            tuple(profiles),
            tuple((c, s) for c, names in facts.segments.items() for s in names),
            tuple(
                dict.fromkeys((f.company, f.segment) for f in facts.by_concept.get("operating_income", []) if f.segment)
            ),
            year_ends,
            scales,
            file_hash,
        )


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

    def prose_scale(self, company: str, currency: str) -> float | None:
        return self.prose_scales.get((company, currency))

    # -- changing: each returns a new registry and leaves this one as it was ----------------------------------
    def _copy(self) -> Registry:
        return Registry(
            self.matcher.copy(),
            dict(self.calendars),
            dict(self.display),
            dict(self.currencies),
            dict(self.segments),
            dict(self.canonical),
            dict(self.prose_scales),
            dict(self.documents),
            {k: set(v) for k, v in self.segment_sources.items()},
            self.version,
        )

    def with_documents(self, added: dict[str, NameEntries]) -> Registry:
        """Plus some documents: first every profile they give (in order), then the segments their facts name. A
        profile's own metrics join the vocabulary questions are read with."""
        out = self._copy()
        out.documents.update(added)
        for doc_id, entries in added.items():
            for profile in entries.profiles:
                add_company_metrics(profile.get("metrics", {}))
                name, aliases = profile["name"], profile.get("aliases", [])
                hq = [profile["headquarters"]] if profile.get("headquarters") else []
                out.matcher.add_company(name, aliases, hq, ticker=profile.get("ticker", ""), source=doc_id)
                for segment, spec in profile.get("segments", {}).items():
                    out.matcher.add_segment(
                        name, segment, spec.get("aliases", []), spec.get("descriptors", []), source=doc_id
                    )
                    out._add_segment((name, segment), doc_id)
        for doc_id, entries in added.items():
            for company, segment in entries.fact_segments:
                if not names_a_line_item(segment):
                    out.matcher.add_segment(company, segment, source=doc_id)
        for doc_id, entries in added.items():  # a member with its own profit is a segment
            for key in entries.profit_segments:
                if not names_a_line_item(key[1]):
                    out._add_segment(key, doc_id)
        out._settle(
            {p["name"] for e in added.values() for p in e.profiles}
            | set(out.calendars) & {c for e in added.values() for c in e.year_ends},
            {k for e in added.values() for k in e.prose_scales},
        )
        out.matcher.ready()
        return out

    def without(self, doc_ids) -> Registry:
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
        out._settle(
            {p["name"] for e in gone.values() for p in e.profiles}
            | set(out.calendars) & {c for e in gone.values() for c in e.year_ends},
            {k for e in gone.values() for k in e.prose_scales},
        )
        out.matcher.ready()
        return out

    def _add_segment(self, key: tuple[str, str], doc_id: str) -> None:
        self.segments.setdefault(key)
        self.segment_sources.setdefault(key, set()).add(doc_id)

    def _settle(self, companies: set[str], scales: set[tuple[str, str]]) -> None:
        """Each named company's calendar, currency and display name from the documents that profile it: the
        first document's currency and name, the year end most of them give, else the one its annual figures end
        on; the prose scale of each named (company, currency); and which names are one company (a pass over the
        documents' profiles, a few hundred at most)."""
        for key in scales:
            counts: Counter[float] = Counter()
            for entries in self.documents.values():
                counts.update(entries.prose_scales.get(key, Counter()))
            if counts:
                self.prose_scales[key] = counts.most_common(1)[0][0]
            else:
                self.prose_scales.pop(key, None)
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
                ends: Counter[str] = Counter()
                for entries in self.documents.values():
                    ends.update(entries.year_ends.get(company, Counter()))
                known = list(ends.elements())
            self.calendars[company] = FiscalCalendar.parse(Counter(known).most_common(1)[0][0] if known else "")
        self.canonical = same_companies([p for e in self.documents.values() for p in e.profiles], self.calendars)


def build_registry(documents: dict[str, DocumentInfo], facts: FactIndex) -> Registry:
    """The registry of these documents and their facts."""
    return Registry().with_documents(
        {
            d: NameEntries.of(info, facts.documents.get(d, DocumentFacts()), info.file_hash)
            for d, info in documents.items()
        }
    )


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


def _same(
    a: str, one: tuple[str, set[str]], b: str, two: tuple[str, set[str]], calendars: dict[str, FiscalCalendar]
) -> bool:
    if one[0] and two[0]:
        return one[0] == two[0]
    if abs(calendars.get(a, FiscalCalendar()).month - calendars.get(b, FiscalCalendar()).month) % 11 > 1:
        return False
    pairs = [(x.split(), y.split()) for x in one[1] for y in two[1]]
    return any(
        len(" ".join(short)) >= 4 and long[: len(short)] == short
        for x, y in pairs
        for short, long in ((x, y), (y, x))
        if len(short) <= len(long)
    )


def names_a_line_item(name: str) -> bool:
    """A member a table seemed to name that is a line item ('EARNINGS BEFORE INTEREST AND TAXES' read from a
    heading): no segment of a company."""
    return vocabulary().concept_of(" ".join(name.lower().split())) is not None
