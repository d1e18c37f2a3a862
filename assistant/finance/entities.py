"""Companies and segments named in text: names and aliases come from the catalog (company profiles) and from the
documents (segments they name), never from code. One matcher serves ingest (whose figure is this?) and question
analysis (which company and segment is asked about?)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_GENERIC_SEGMENT_WORDS = re.compile(
    r"^(the|our|each|this|that|these|its|their|a|an|reportable|operating|business|"
    r"other|all|one|two|three|four|five|new|same|such|any|which|single|total|consolidated|each)$",
    re.I,
)
SEGMENT_NAME = re.compile(r"\b((?:[A-Z][A-Za-z&.'-]*\s+(?:(?:and|&)\s+)?){0,3}[A-Z][A-Za-z&.'-]*)\s+segment\b")
UNIT_WORDS = (
    "business",
    "businesses",
    "unit",
    "units",
    "division",
    "divisions",
    "arm",
    "segment",
    "group",
    "operations",
    "services",
    "computing",
    "platform",
    "side",
    "retailer",
    "company",
    "firm",
    "giant",
    "conglomerate",
    "based",
    "-based",
    "operator",
    "provider",
)
COMPANY_KINDS = ("company", "ticker", "company_descriptor")  # mention kinds that name a whole company
_DESCRIBED = rf"\s*-?(?:[a-z-]+\s+)?(?:{'|'.join(UNIT_WORDS)})\b"  # '-based group', ' e-commerce group'


@dataclass(frozen=True)
class Entity:
    """A company, or a segment of one ('' segment = the whole company)."""

    company: str
    segment: str = ""

    def name(self) -> str:
        return self.segment or self.company


@dataclass(frozen=True)
class EntityMention:
    entity: Entity
    start: int
    end: int
    text: str
    kind: str  # company | ticker | segment | descriptor | company_descriptor


@dataclass
class EntityMatcher:
    """Finds company and segment names (and descriptive phrases such as 'cloud business') in text."""

    names: list[tuple[str, Entity, str]] = field(default_factory=list)  # (name, entity, kind)
    sources: dict[tuple[str, Entity, str], set[str]] = field(default_factory=dict)  # name -> documents giving it
    _pattern: re.Pattern | None = None
    _by_name: dict[str, list[tuple[str, Entity, str]]] | None = None  # normalised name -> entries, kinds in order

    def copy(self) -> EntityMatcher:
        return EntityMatcher(
            list(self.names), {k: set(v) for k, v in self.sources.items()}, self._pattern, self._by_name
        )

    def add_company(
        self, name: str, aliases: list[str] = (), descriptors: list[str] = (), ticker: str = "", source: str = ""
    ) -> None:
        for alias in [name, *aliases]:
            self._add(alias, Entity(name), "company", source)
        for initials in [ticker, *_ampersand_initials([name, *aliases])]:
            if initials:  # matched as printed, in capitals, like a ticker
                self._add(initials, Entity(name), "ticker", source)
        for word in descriptors:  # 'Seattle' in 'the Seattle retailer', 'Hangzhou-based group'
            self._add(word, Entity(name), "company_descriptor", source)

    def add_segment(
        self, company: str, segment: str, aliases: list[str] = (), descriptors: list[str] = (), source: str = ""
    ) -> None:
        from assistant.finance.vocabulary import vocabulary

        short = []
        for name, entity, kind in list(self.names):  # 'Acme International Commerce Group' is also
            if kind == "company" and entity.company == company and segment.lower().startswith(name.lower() + " "):
                short.append(segment[len(name) + 1 :])  # asked as 'International Digital Commerce Group'
        bare = re.sub(r",?\s+(?:limited|ltd\.?|inc\.?|llc|corp\.?|corporation|plc)$", "", segment, flags=re.I)
        if bare != segment:
            short.append(bare)  # 'Zeta Smart Logistics Network Limited' is asked without 'Limited'
        for variant in [segment, *short]:
            words = variant.split()
            if len(words) >= 2 and words[-1].lower() in vocabulary().unit_suffixes and len(" ".join(words[:-1])) >= 4:
                short.append(" ".join(words[:-1]))  # 'Advertising services' is also asked as 'advertising'
        for alias in [segment, *aliases, *short]:
            self._add(alias, Entity(company, segment), "segment", source)
        for word in descriptors:
            self._add(word, Entity(company, segment), "descriptor", source)

    def _add(self, name: str, entity: Entity, kind: str, source: str = "") -> None:
        if not name or len(name) < 2:
            return
        key = (name, entity, kind)
        if key not in self.sources:
            self.names.append(key)
            self.sources[key] = set()
            self._pattern = self._by_name = None
        self.sources[key].add(source)

    def without_source(self, source: str) -> None:
        """Forget the names only `source` (a document) gave."""
        removed = False
        for key in [k for k, given in self.sources.items() if source in given]:
            self.sources[key].discard(source)
            if not self.sources[key]:
                del self.sources[key]
                removed = True
        if removed:
            self.names = [k for k in self.names if k in self.sources]
            self._pattern = self._by_name = None

    def ready(self) -> None:
        """Compile the name pattern now, so the first question after a change does not wait for it."""
        self._compiled()
        self._names_by_key()

    @property
    def companies(self) -> list[str]:
        return list(dict.fromkeys(e.company for _, e, _ in self.names))

    def segments_of(self, company: str) -> list[str]:
        return list(dict.fromkeys(e.segment for _, e, k in self.names if e.company == company and e.segment))

    def _compiled(self) -> re.Pattern:
        if self._pattern is None:
            ordered = sorted({n for n, _, _ in self.names}, key=len, reverse=True)
            alternation = "|".join(r"\s+".join(map(re.escape, n.split())) for n in ordered) or "(?!x)x"
            self._pattern = re.compile(rf"(?<![\w&])(?:{alternation})(?:['’]s)?(?![\w&])", re.IGNORECASE)
        return self._pattern

    def mentions(self, text: str, companies: list[str] | None = None) -> list[EntityMention]:
        """Every name in the text, longest first, left to right. A segment named by an everyday word
        ('International') counts only when capitalised or followed by 'segment'; a descriptor ('cloud') only
        next to a unit word ('cloud business', 'cloud arm'). `companies` limits matches to those companies."""
        out = []
        matches = [(m, re.sub(r"['’]s$", "", m.group(0))) for m in self._compiled().finditer(text)]
        named = {e.company for _, raw in matches for _, e, k in self._lookup(raw) if k in ("company", "ticker")}
        for m, raw in matches:
            found = [
                (name, entity, kind)
                for name, entity, kind in self._lookup(raw)
                if (companies is None or entity.company in companies)
                and self._counts(text, m, raw, name, kind)
                and not _a_word_of_another(raw, name, kind, entity, named)
                and not _inside_another_name(text, m, kind, entity, named)
            ]
            # a word several companies' segments share ('cloud') means the one of the company the text names
            found.sort(key=lambda t: t[2] not in ("company", "ticker") and t[1].company not in named)
            if found:
                end = m.start() + len(raw)
                described = re.match(_DESCRIBED, text[end:], re.IGNORECASE)
                if found[0][2] == "company_descriptor" and described:
                    end += described.end()  # 'the Hangzhou e-commerce group': the description is the name
                out.append(EntityMention(found[0][1], m.start(), end, text[m.start() : end], found[0][2]))
        return out

    def _lookup(self, raw: str) -> list[tuple[str, Entity, str]]:
        return self._names_by_key().get(" ".join(raw.lower().split()), [])

    def _names_by_key(self) -> dict[str, list[tuple[str, Entity, str]]]:
        """Every name by its lower-cased, space-normalised form; companies first, then tickers, segments,
        descriptors."""
        if self._by_name is None:
            kinds = ("company", "ticker", "segment", "descriptor", "company_descriptor")
            by_name: dict[str, list[tuple[str, Entity, str]]] = {}
            for entry in self.names:
                by_name.setdefault(" ".join(entry[0].lower().split()), []).append(entry)
            self._by_name = {key: sorted(found, key=lambda t: kinds.index(t[2])) for key, found in by_name.items()}
        return self._by_name

    def _counts(self, text: str, m: re.Match, raw: str, name: str, kind: str) -> bool:
        if kind == "ticker":
            return raw == name  # a ticker counts as printed ('ACME'), never as a word ('acme', 'Cost')
        after = text[m.end() : m.end() + 30].lower()
        if kind in ("descriptor", "company_descriptor") or (kind == "segment" and " " not in raw.strip()):
            previous = re.search(r"([A-Za-z][\w.&-]*?)(?:['’]s)?\s*$", text[: m.start()])
            opening_verb = (
                previous is not None
                and previous.group(1).lower().endswith("ing")
                and (
                    not text[: previous.start(1)].strip(" \"'“(")
                    or re.search(r"[.?!:;]\s*$", text[: previous.start(1)])
                )
            )
            if (
                previous
                and previous.group(1)[0].isupper()
                and not opening_verb
                and not self._lookup(previous.group(1))
                and not re.match(
                    r"(?:The|A|An|Its|Their|Our|And|Or|What|How|Which|Was|Were|Is|Did|Does|In|For|Of|Compute|"
                    r"Calculate|Give|Tell|Show|List|Find|Estimate|Determine|Explain|Compare|Describe|Summarize)$",
                    previous.group(1),
                )
            ):
                return False  # 'Google Cloud', 'Microsoft's Intelligent Cloud': another company's name
        if kind == "descriptor":
            if re.match(rf"\s*-?(?:[a-z-]+\s+)?(?:{'|'.join(UNIT_WORDS)})\b", after):
                return True
            from assistant.finance.vocabulary import vocabulary

            concepts = vocabulary().mentions(text[m.end() : m.end() + 40].lstrip())
            return bool(concepts) and concepts[0].start == 0  # 'cloud revenue', 'cloud operating income'
        if kind == "company_descriptor":
            return bool(re.match(_DESCRIBED, after))
        if kind == "segment" and " " not in name and not name.isupper():
            from assistant.finance.vocabulary import vocabulary

            if name.lower() in vocabulary().everyday_segment_words:
                return raw[:1].isupper() or after.lstrip().startswith("segment")
        return True


def _a_word_of_another(raw: str, name: str, kind: str, entity: Entity, named: set[str]) -> bool:
    """'net cash from operations' in a question about Acme: a lower-case word that is only another company's
    segment name ('Operations') is the word, not that segment."""
    return (
        kind == "segment"
        and bool(named)
        and entity.company not in named
        and " " not in name
        and raw[:1].islower()
        and name[:1].isupper()
    )


def _inside_another_name(text: str, m: re.Match, kind: str, entity: Entity, named: set[str]) -> bool:
    """'North America' in 'Zeta Beverages North America', in a question that names Zeta and not the company
    whose segment 'North America' is: a part of the named company's own longer name."""
    if kind != "segment" or not named or entity.company in named:
        return False
    before = re.search(r"([A-Z][a-z]+)\s+$", text[: m.start()])
    after = re.match(r"\s+([A-Z][a-z]+)\b", text[m.end() :])
    return bool(before and before.start(1) > 0 or after)


def discover_segments(text: str) -> list[str]:
    """Segment names a document uses: capitalised names followed by 'segment' ('the North America segment')."""
    found = []
    for m in SEGMENT_NAME.finditer(text):
        words = m.group(1).split()
        while words and _GENERIC_SEGMENT_WORDS.match(words[0]):
            words = words[1:]
        name = " ".join(words)
        if name and not _GENERIC_SEGMENT_WORDS.match(name) and len(name) > 1:
            found.append(name)
    return list(dict.fromkeys(found))


def _ampersand_initials(names: list[str]) -> list[str]:
    """'Smith & Jones' is also written by its initials, 'S&J', as printed in capitals."""
    out = []
    for name in names:
        m = re.fullmatch(
            r"(?:The\s+)?([A-Z])[a-z]+\s*&\s*([A-Z])[a-z]+(?:,?\s+(?:Inc\.?|Co\.?|Company|Corp\.?))?", name
        )
        if m:
            out.append(f"{m.group(1)}&{m.group(2)}")
    return out
