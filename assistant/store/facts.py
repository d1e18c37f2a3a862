"""Every fact of the served chunks, indexed by concept for look-ups by company, segment and period. Kept with the
lexical index, document by document (so it changes exactly when the store does, by the documents that changed)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.finance.periods import Period
from assistant.finance.vocabulary import company_share, vocabulary
from assistant.contract.types import Chunk, Fact

# Where a figure comes from, most trusted first: a financial statement or segment table, another table, a sentence.
SOURCE_RANK = {(True, "table"): 0, (False, "table"): 1, (False, "sentence"): 2, (True, "sentence"): 2}
DISAGREE = 0.005  # two statements of one figure disagree when they differ by more than this share


@dataclass(frozen=True)
class DocumentFacts:
    """One document's facts by concept, the chunks that hold them, the segments they name and the metrics the
    document defines its own way. Built once per document version."""

    by_concept: dict[str, list[Fact]] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)
    segments: dict[str, set[str]] = field(default_factory=dict)
    definitions: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (document, company, statement kind) -> the periods of that statement's columns
    statement_columns: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # (document, company, statement kind) -> the line items (concept keys) that statement prints
    statement_lines: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, chunks: list[Chunk]) -> DocumentFacts:
        by_concept: dict[str, list[Fact]] = defaultdict(list)
        segments: dict[str, set[str]] = defaultdict(set)
        columns: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        lines: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        holders = {}
        for chunk in chunks:
            for fact in chunk.facts:
                by_concept[fact.concept].append(fact)
                holders[chunk.id] = chunk
                if fact.segment:
                    segments[fact.company].add(fact.segment)
                elif fact.primary and fact.statement:
                    columns[(fact.doc_id, fact.company, fact.statement)].add(fact.period)
                    lines[(fact.doc_id, fact.company, fact.statement)].add(fact.concept)
        return cls(dict(by_concept), holders, dict(segments), _definitions(chunks), dict(columns), dict(lines))


@dataclass
class FactIndex:
    """Facts by concept, then by document (in the order the documents were added); each fact keeps the id of the
    chunk it was read from. Adding or removing a document touches only that document's entries."""

    by_concept: dict[str, dict[str, list[Fact]]] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)
    documents: dict[str, DocumentFacts] = field(default_factory=dict)
    # (company, derived concept) -> (chunk id, sentence) where a document defines the metric its own way
    definitions: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (document, company, statement kind) -> the periods of that statement's columns
    statement_columns: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # (document, company, statement kind) -> the line items (concept keys) that statement prints
    statement_lines: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # a company's name in one filing -> the name it goes by across filings ('Acme Systems Inc.' -> 'Acme Inc.'),
    # set from the registry of names; a name not listed is its own
    same_company: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, chunks: list[Chunk]) -> FactIndex:
        index = cls()
        groups: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            groups.setdefault(chunk.doc_id, []).append(chunk)
        for doc_id, members in groups.items():
            index = index.with_document(doc_id, DocumentFacts.build(members))
        return index

    def with_document(self, doc_id: str, facts: DocumentFacts) -> FactIndex:
        """A new index with one more document (replacing an earlier version of it)."""
        base = self.without(doc_id) if doc_id in self.documents else self
        by_concept = dict(base.by_concept)
        for concept, found in facts.by_concept.items():
            by_concept[concept] = {**by_concept.get(concept, {}), doc_id: found}
        definitions = dict(base.definitions)
        for key, value in facts.definitions.items():
            definitions.setdefault(key, value)
        return FactIndex(
            by_concept,
            {**base.chunks, **facts.chunks},
            {**base.documents, doc_id: facts},
            definitions,
            {**base.statement_columns, **facts.statement_columns},
            {**base.statement_lines, **facts.statement_lines},
            base.same_company,
        )

    def without(self, doc_id: str) -> FactIndex:
        """A new index without one document's facts."""
        gone = self.documents.get(doc_id)
        if gone is None:
            return self
        by_concept = dict(self.by_concept)
        for concept in gone.by_concept:
            by_concept[concept] = {d: f for d, f in by_concept[concept].items() if d != doc_id}
        documents = {d: f for d, f in self.documents.items() if d != doc_id}
        definitions = dict(self.definitions)
        for key in gone.definitions:  # the first remaining document that defines it, as if it had never been added
            del definitions[key]
            earlier = next((f.definitions[key] for f in documents.values() if key in f.definitions), None)
            if earlier is not None:
                definitions[key] = earlier
        chunks = {c: chunk for c, chunk in self.chunks.items() if c not in gone.chunks}
        return FactIndex(
            by_concept,
            chunks,
            documents,
            definitions,
            {k: v for k, v in self.statement_columns.items() if k not in gone.statement_columns},
            {k: v for k, v in self.statement_lines.items() if k not in gone.statement_lines},
            self.same_company,
        )

    @property
    def segments(self) -> dict[str, set[str]]:
        """company -> the segment names its facts use."""
        out: dict[str, set[str]] = defaultdict(set)
        for facts in self.documents.values():
            for company, names in facts.segments.items():
                out[company] |= names
        return dict(out)

    def of_concept(self, concept: str):
        """Every fact of a concept, document by document."""
        for found in self.by_concept.get(concept, {}).values():
            yield from found

    def __len__(self) -> int:
        return sum(len(v) for docs in self.by_concept.values() for v in docs.values())

    def find(
        self,
        concept: str,
        company: str | None = None,
        segment: str | None = None,
        period: Period | None = None,
        measure: str = "value",
        doc_ids: set[str] | None = None,
    ) -> list[Fact]:
        """Facts matching every given field, most trusted first (statement tables, then other tables, then
        sentences; a figure in a sentence that a statement contradicts is dropped as a misreading)."""
        wanted = self.same_company.get(company, company) if company is not None else None
        out = []
        for fact in self.of_concept(concept):
            if fact.measure != measure or (
                company is not None and self.same_company.get(fact.company, fact.company) != wanted
            ):
                continue
            if segment is not None and fact.segment != segment:
                continue
            if doc_ids is not None and fact.doc_id not in doc_ids:
                continue
            if period is not None and not Period.from_key(fact.period).matches(period):
                continue
            out.append(fact)
        vocab = vocabulary()
        known = vocab.concepts.get(concept)
        own = (known.statement or "").replace("cashflow", "cash_flow") if known else ""
        if measure == "value":
            out = _from_statements(out, own, concept, self.statement_columns, self.statement_lines)
        label = set(re.findall(r"[a-z]+", known.label)) if known else set()
        out.sort(
            key=lambda f: (
                SOURCE_RANK[(f.primary, f.source)],
                bool(own) and f.statement != own,  # revenue from the income statement first
                concept == "net_income" and not company_share(f.label),  # the company's share
                not vocab.names_exactly(f.label, concept),  # 'Revenue', not a line that starts so
                len(label - set(re.findall(r"[a-z]+", f.label.lower()))),  # '..., net' for net PP&E
                not f.label.lower().startswith("total"),  # 'Total revenues' before a part of them
                -abs(f.scale),
            )
        )
        return _consistent(out)

    def periods(
        self,
        concept: str,
        company: str | None = None,
        segment: str | None = None,
        measure: str = "value",
        doc_ids: set[str] | None = None,
    ) -> list[Period]:
        """The periods the documents state a concept for, latest first."""
        found = {Period.from_key(f.period) for f in self.find(concept, company, segment, None, measure, doc_ids)}
        return sorted(found, key=lambda p: (p.end, p.months), reverse=True)

    def all(self) -> list[Fact]:
        return [f for docs in self.by_concept.values() for facts in docs.values() for f in facts]


def _from_statements(
    found: list[Fact],
    own: str,
    concept: str,
    columns: dict[tuple[str, str, str], set[str]],
    printed: dict[tuple[str, str, str], set[str]],
) -> list[Fact]:
    """A figure for a period that the company's own statement of that kind has a column for, of a line item that
    statement prints, comes from that statement only: another table or a sentence that mentions the line item is
    never its stand-in (a deferred-revenue sentence for revenue, a segment's table for the company's figure).
    Periods no statement shows (a quarter in an annual report's quarterly note), and line items the statement
    does not print under that name, may still come from other tables and sentences."""
    if not own:
        return found
    return [
        f
        for f in found
        if f.primary
        or f.segment
        or concept not in printed.get((f.doc_id, f.company, own), ())
        or not any(
            Period.from_key(f.period).matches(Period.from_key(key))
            for key in columns.get((f.doc_id, f.company, own), ())
        )
    ]


def _consistent(facts: list[Fact]) -> list[Fact]:
    """Drop sentence facts that a table fact for the same period contradicts (a sentence misread), keeping every
    table fact: tables from two documents that disagree are reported as such by the answer."""
    tables = [f for f in facts if f.source == "table"]
    out = []
    for fact in facts:
        if fact.source == "sentence" and any(
            t.period == fact.period and t.unit == fact.unit and not agree(t.value, fact.value, fact.scale)
            for t in tables
        ):
            continue
        out.append(fact)
    return out


def agree(a: float, b: float, rounding: float = 0.0) -> bool:
    """Two statements of a figure agree within rounding ($45.6 billion vs $45,606 million) or DISAGREE."""
    tolerance = max(abs(a), abs(b)) * DISAGREE + rounding * 0.05
    return abs(abs(a) - abs(b)) <= tolerance


def _definitions(chunks: list[Chunk]) -> dict[tuple[str, str], tuple[str, str]]:
    """Sentences in which a document defines a derived metric its own way ('Free cash flow represents net cash
    provided by operating activities ... less ...'): the standard formula is then not the company's figure."""
    found = _definition_pattern()
    if found is None:
        return {}
    pattern, names = found
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for chunk in chunks:
        for m in pattern.finditer(chunk.text):
            company = chunk.company.split(";")[0].strip()
            out.setdefault((company, names[m.group(1).lower()]), (chunk.id, m.group(0).strip()))
    return out


@lru_cache(maxsize=1)
def _definition_pattern() -> tuple[re.Pattern, dict[str, str]] | None:
    """The pattern of a sentence defining a derived money metric, and metric name -> concept key."""
    derived = [c for c in vocabulary().concepts.values() if c.derived and c.unit == "money"]
    if not derived:
        return None
    names = {n.lower(): c.key for c in derived for n in (c.label, *c.names)}
    pattern = re.compile(
        r"(?:^|(?<=[.\n(]\s)|(?<=\)\s))("
        + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        + r")\s+(?:represents|is defined as|means|is calculated as|is)\b"
        r"[^.]{0,300}?\b(?:less|minus|reduced by|plus|excluding|adjusted)\b[^.]*\.",
        re.IGNORECASE,
    )
    return pattern, names
