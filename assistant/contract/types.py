"""The typed contract shared by ingest, retrieval, the answerers, the CLI, the HTTP API, the UI and evaluation."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class TableRow:
    """One labelled row of a table: its label, the row-group label above it, and one value per column."""

    label: str
    values: list[float | None]  # in the table's printed scale; None for an empty or dash cell
    line: str  # the row as it reads in the chunk text
    group: str = ""
    cells: list[str] = field(default_factory=list)  # each column's figure as printed ('' where blank)


@dataclass
class Table:
    """A table parsed once at ingest: its caption, the scale and currency of its figures, the period of each
    column (a `Period.key()`, or '' when the header does not say), and its rows."""

    caption: str
    columns: list[str]
    rows: list[TableRow]
    scale: float = 1.0
    currency: str = ""
    headings: list[str] = field(default_factory=list)  # the text above each column, where the page shows it

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls(**dict(data, rows=[TableRow(**r) for r in data.get("rows", [])]))


@dataclass
class Fact:
    """A figure a document states: whose (company, segment), what (concept, line item), when (period), how much
    (value in base units, unit, scale as printed), and where (chunk, the row or sentence quoted)."""

    concept: str  # a vocabulary key ('operating_income') or the line item's own slug
    label: str  # the line item as printed
    period: str  # Period.key(): '12M@2025-12-31', '0M@2024-12-31'
    value: float  # signed, in base units (dollars, not millions); percent points for percentages
    unit: str  # 'USD', 'CNY', 'percent', 'count', 'USD/share', ...
    quote: str  # the row or sentence, verbatim
    text: str = ""  # the figure as printed: '$45.6 billion', '(2,722)'
    scale: float = 1.0
    company: str = ""
    segment: str = ""  # '' for the whole company
    measure: str = "value"  # 'value', or 'growth' for a stated percent change against the prior period
    source: str = "table"  # 'table' | 'sentence'
    primary: bool = False  # from a financial statement or segment table
    statement: str = ""  # which: 'income', 'balance', 'cash_flow', 'comprehensive', 'equity', 'segment' ('' none)
    chunk_id: str = ""
    doc_id: str = ""


@dataclass
class Chunk:
    """A passage of a document as stored: its text plus where it came from."""

    id: str
    doc_id: str
    text: str
    title: str = ""
    company: str = ""
    doc_type: str = ""
    period: str = ""
    page: int | None = None
    section: str = ""
    start: int = 0
    end: int = 0
    kind: str = "prose"  # prose | table
    table: Table | None = None
    facts: list[Fact] = field(default_factory=list)
    vectors: str = ""  # one vector per answer unit (assistant/units.py), packed; '' when none were stored

    def metadata(self) -> dict[str, Any]:
        """Chroma-safe metadata (no None values); the parsed table and the facts travel as compact JSON."""
        meta = {
            "doc_id": self.doc_id,
            "title": self.title,
            "company": self.company,
            "doc_type": self.doc_type,
            "period": self.period,
            "page": self.page if self.page is not None else -1,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
        }
        if self.table is not None:
            meta["table"] = json.dumps(asdict(self.table), separators=(",", ":"))
        if self.facts:
            meta["facts"] = json.dumps([_compact_fact(f) for f in self.facts], separators=(",", ":"))
        if self.vectors:
            meta["unit_vectors"] = self.vectors
        return meta

    @classmethod
    def from_record(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        page = meta.get("page", -1)
        chunk = cls(
            id=chunk_id,
            text=text,
            doc_id=str(meta.get("doc_id", "")),
            title=str(meta.get("title", "")),
            company=str(meta.get("company", "")),
            doc_type=str(meta.get("doc_type", "")),
            period=str(meta.get("period", "")),
            page=None if page in (-1, None) else int(page),
            section=str(meta.get("section", "")),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            kind=str(meta.get("kind", "prose")),
            vectors=str(meta.get("unit_vectors", "")),
        )
        if meta.get("table"):
            chunk.table = Table.from_dict(json.loads(meta["table"]))
        if meta.get("facts"):
            chunk.facts = [Fact(**f, chunk_id=chunk_id, doc_id=chunk.doc_id) for f in json.loads(meta["facts"])]
        return chunk

    def search_text(self) -> str:
        """What embedding and lexical search see: where the passage sits, then the passage."""
        context = " ".join(x for x in (self.company, self.doc_type, self.period) if x)
        if self.section:
            context += f" | {self.section}"
        return f"{context}\n{self.text}" if context else self.text

    def label(self) -> str:
        """A short human source label, e.g. 'Acme 10-K FY2024, p. 25, Item 7'."""
        parts = [self.title or self.doc_id]
        if self.page is not None:
            parts.append(f"p. {self.page}")
        if self.section:
            parts.append(self.section[:80])
        return ", ".join(parts)


@dataclass
class ScoredChunk:
    """A retrieved chunk with its final score and the per-signal scores that produced it."""

    chunk: Chunk
    score: float
    signals: dict[str, float] = field(default_factory=dict)


@dataclass
class Citation:
    """One numbered source of an answer: the passage and the sentence(s) in it that back the claim."""

    n: int
    doc_id: str
    title: str
    page: int | None
    section: str
    text: str
    quote: str
    score: float
    doc_type: str = ""
    period: str = ""
    chunk_id: str = ""
    supported: bool = True
    columns: list[str] = field(default_factory=list)  # a cited table's columns as periods: 'Q4 2025', 'FY2025'


@dataclass
class Operand:
    """One input of a computed answer: what it is, for which period, its value and the citation it was read from."""

    label: str  # 'North America segment operating income'
    period: str  # 'FY2025'
    value: float  # in base units (dollars, not millions)
    text: str  # as shown to the reader: '$29.6 billion'
    citation: int  # the [n] it was read from


@dataclass
class Computation:
    """A figure the answer computed: the formula, every operand with its citation, and the result."""

    formula: str  # 'operating income / net sales'
    operands: list[Operand]
    result: float
    result_text: str  # '6.9%'
    unit: str = ""  # 'percent', 'ratio', 'USD', ...

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Computation:
        return cls(**dict(data, operands=[Operand(**o) for o in data.get("operands", [])]))


@dataclass
class SeriesPoint:
    """One cited value of a series: the period (or segment) it belongs to and the citation it was read from."""

    x: str  # the period or member label on the chart's axis: 'FY2023', 'Cloud'
    value: float  # in base units
    text: str  # as printed: '$24.6 billion'
    citation: int


@dataclass
class Series:
    """A figure over several periods or across segments, for a chart and the table of cited facts beside it."""

    label: str  # 'Cloud segment operating income'
    unit: str  # 'USD', 'percent', ...
    points: list[SeriesPoint]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Series:
        return cls(**dict(data, points=[SeriesPoint(**p) for p in data.get("points", [])]))


@dataclass
class Answer:
    """What every front end shows: answer text with [n] markers, its citations, and how it was produced.

    `direct` is the one-line answer that leads `text` (empty for a refusal); the rest of `text` is the verbatim,
    cited support. `computations` show the work behind any computed figure;
    `series` hold a figure over periods or across segments for a chart."""

    question: str
    text: str
    citations: list[Citation]
    refused: bool
    timings: dict[str, float]
    direct: str = ""
    computations: list[Computation] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    resolved_question: str = ""
    answerer: str = "extractive"
    verified: bool = True
    fallback: bool = False
    notice: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        data = dict(data)
        data["citations"] = [Citation(**c) for c in data.get("citations", [])]
        data["computations"] = [Computation.from_dict(c) for c in data.get("computations", [])]
        data["series"] = [Series.from_dict(s) for s in data.get("series", [])]
        return cls(**data)


@dataclass
class DocumentInfo:
    """One ingested document as listed to users."""

    doc_id: str
    title: str
    doc_type: str
    company: str
    period: str
    chunks: int
    source: str = ""
    file_hash: str = ""
    profiles: str = ""  # JSON: the companies the document is about (aliases, fiscal year end, currency, segments)


@dataclass
class IngestProblem:
    """A file that could not be ingested and why."""

    path: str
    error: str


@dataclass
class IngestReport:
    """What one ingest run did."""

    documents: int = 0
    added_chunks: int = 0
    removed_chunks: int = 0
    unchanged_documents: int = 0
    pruned_documents: list[str] = field(default_factory=list)
    chunks_before: int = 0
    chunks_after: int = 0
    seconds: float = 0.0
    problems: list[IngestProblem] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)

    @property
    def chunks_per_second(self) -> float:
        return self.added_chunks / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["chunks_per_second"] = round(self.chunks_per_second, 1)
        return data


_FACT_DEFAULTS = {f.name: f.default for f in fields(Fact) if f.name not in ("chunk_id", "doc_id")}


def _compact_fact(fact: Fact) -> dict[str, Any]:
    """A fact without the fields its chunk already carries or that hold their default."""
    return {
        k: v
        for k, v in asdict(fact).items()
        if k not in ("chunk_id", "doc_id")
        and (k not in _FACT_DEFAULTS or v != _FACT_DEFAULTS[k] or k in ("concept", "period", "value", "unit"))
    }
