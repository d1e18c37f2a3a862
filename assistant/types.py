"""The typed contract shared by ingest, retrieval, the answerers, the CLI, the HTTP API, the UI and evaluation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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

    def metadata(self) -> dict[str, Any]:
        """Chroma-safe metadata (no None values)."""
        return {"doc_id": self.doc_id, "title": self.title, "company": self.company, "doc_type": self.doc_type,
                "period": self.period, "page": self.page if self.page is not None else -1, "section": self.section,
                "start": self.start, "end": self.end, "kind": self.kind}

    @classmethod
    def from_record(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> "Chunk":
        page = meta.get("page", -1)
        return cls(
            id=chunk_id, text=text, doc_id=str(meta.get("doc_id", "")), title=str(meta.get("title", "")),
            company=str(meta.get("company", "")), doc_type=str(meta.get("doc_type", "")),
            period=str(meta.get("period", "")), page=None if page in (-1, None) else int(page),
            section=str(meta.get("section", "")), start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
            kind=str(meta.get("kind", "prose")),
        )

    def search_text(self) -> str:
        """What embedding and lexical search see: where the passage sits, then the passage."""
        context = " ".join(x for x in (self.company, self.doc_type, self.period) if x)
        if self.section:
            context += f" | {self.section}"
        return f"{context}\n{self.text}" if context else self.text

    def label(self) -> str:
        """A short human source label, e.g. 'Amazon 10-K FY2024, p. 25, Item 7'."""
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


@dataclass
class Answer:
    """What every front end shows: answer text with [n] markers, its citations, and how it was produced."""

    question: str
    text: str
    citations: list[Citation]
    refused: bool
    timings: dict[str, float]
    resolved_question: str = ""
    answerer: str = "extractive"
    verified: bool = True
    fallback: bool = False
    notice: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Answer":
        data = dict(data)
        data["citations"] = [Citation(**c) for c in data.get("citations", [])]
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
