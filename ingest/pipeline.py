"""Files -> chunks -> embeddings -> Chroma, incrementally.

Per file: hash the bytes; skip it untouched when the store already holds that exact version, complete. Otherwise
parse, chunk and give each chunk a content-hash id. Then, in groups of whole documents: embed only the chunks the
store does not hold, write them, commit the group's document records, delete the chunks of the old versions. A run
killed at any point leaves the previous version of every document served; the next run completes the work.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Callable, Iterable

import numpy as np

from assistant.config import Settings
from assistant.contract.errors import QAError
from assistant.contract.types import Chunk, DocumentInfo, IngestProblem, IngestReport, Table
from assistant.search.units import pack_vectors, units
from ingest.catalog import DocMeta, describe, doc_id_for, read_catalog
from ingest.chunker import chunk_section
from ingest.facts import STATEMENT_TITLES, context_for, sentence_facts, statement_of, table_facts
from ingest.tables import TableContext
from ingest.loaders import SUFFIXES, LoadedFile, load_file

log = logging.getLogger("ingest")
IGNORE_FILE = ".qaignore"
WRITE_BATCH = 5000  # new chunks per write group (one large write costs far less per chunk than one per file)
PROGRESS_SLICE = 256  # distinct texts per encode call: progress moves, and slices stay torch-sized under 'auto'
EMBED_SECTION_WORDS = 8  # section title words kept in the text the embedding model reads

Progress = Callable[[int, int], None]


@dataclass
class PreparedDocument:
    """A parsed document whose new chunks still need embedding and writing."""

    path: Path | None
    meta: DocMeta
    file_hash: str
    chunks: list[Chunk]
    stale_ids: list[str]
    new_chunks: list[Chunk]


def write_groups(pending: list[PreparedDocument], size: int) -> Iterable[list[PreparedDocument]]:
    """Consecutive documents in groups holding at least `size` new chunks (the last group may hold fewer)."""
    group, count = [], 0
    for item in pending:
        group.append(item)
        count += len(item.new_chunks)
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[IngestProblem]]:
    """Expand folders into supported files (honouring `.qaignore`); report paths that do not exist."""
    found, problems = [], []
    for raw in paths:
        path = Path(raw).resolve()
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.suffix.lower() in SUFFIXES and not _ignored(file, path):
                    found.append(file)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(IngestProblem(str(path), "no such file or folder"))
    return list(dict.fromkeys(found)), problems


def _ignored(file: Path, root: Path) -> bool:
    if file.name.startswith("."):
        return True
    for folder in [file.parent, *file.parent.parents]:
        ignore = folder / IGNORE_FILE
        if ignore.is_file():
            patterns = [ln.strip() for ln in ignore.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
            if any(fnmatch.fnmatch(file.name, p) for p in patterns):
                return True
        if folder == root:
            break
    return False


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Bump when a change to loading, chunking, table parsing or fact extraction changes what ingest produces: every
# document is then parsed and embedded again. tests/test_parser_version.py fails when the output changes without it.
PARSER_VERSION = 70


def pipeline_version(chunk_chars: int) -> str:
    """What shapes a document's chunks and vectors: the parser version, the chunk size and the embedding model."""
    from assistant.search.embeddings import MODEL_NAME

    raw = f"{PARSER_VERSION}:{chunk_chars}:{MODEL_NAME}:{EMBED_SECTION_WORDS}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def version_hash(path: Path, chunk_chars: int) -> str:
    """The identity of one version of a file as ingested: its bytes plus the pipeline that parsed them."""
    return hashlib.sha256(f"{file_sha256(path)}:{pipeline_version(chunk_chars)}".encode()).hexdigest()


def chunk_id(doc_id: str, file_hash: str, text: str, occurrence: int) -> str:
    """Content-hash id: the same text in the same version of the same document always gets the same id."""
    raw = f"{doc_id}\x00{file_hash}\x00{occurrence}\x00{text}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


_LEGAL_SUFFIX = re.compile(
    r"(\.com)?(,?\s+(inc|corp|corporation|company|co|ltd|limited|holdings?|group|plc|llc|"
    r"n\.v|s\.a|ag|se)\.?)*$",
    re.IGNORECASE,
)


def embedding_text(chunk: Chunk) -> str:
    """What the embedding model reads: a compact context line, then the passage. Encoding time grows with every
    word piece, so the line keeps only what tells passages apart ('Acme 10-K FY2024 | Item 7. Management's
    Discussion ...'); BM25 and the reranker still see the full `Chunk.search_text()`."""
    company = _LEGAL_SUFFIX.sub("", chunk.company.strip())  # 'Acme.com, Inc.' -> 'Acme'
    period = re.sub(r"\s*\(.*?\)", "", chunk.period)  # 'FY2024 (year ended 2024-12-31)' -> 'FY2024'
    section = " ".join(re.sub(r"^Part [IV]+\W*", "", chunk.section).split()[:EMBED_SECTION_WORDS])
    context = " ".join(x for x in (company, chunk.doc_type, period) if x)
    if section:
        context += f" | {section}"
    return f"{context}\n{chunk.text}" if context else chunk.text


UNIT_VECTORS = "units-1"  # how unit vectors are pooled: vectors stored another way are not re-used


def vector_key(text: str) -> str:
    """The key of a vector: the model, the way its unit vectors were pooled, and the exact text it encoded."""
    from assistant.search.embeddings import MODEL_NAME

    return hashlib.sha256(f"{MODEL_NAME}\x00{UNIT_VECTORS}\x00{text}".encode()).hexdigest()[:32]


def unit_spans(chunk: Chunk, text: str) -> list[tuple[int, int]]:
    """Where each answer unit of the chunk sits in the text the model reads (the passage ends that text)."""
    offset = len(text) - len(chunk.text)
    return [(offset + u.start, offset + u.end) for u in units(chunk.text, chunk.kind)]


def distinct_embedding_texts(chunks: list[Chunk]) -> list[str]:
    """The texts the model must encode for these chunks, each once, longest first (the order ingest encodes them:
    neighbours in a batch have similar lengths, so little padding)."""
    return sorted(dict.fromkeys(embedding_text(c) for c in chunks), key=len, reverse=True)


def build_chunks(loaded: LoadedFile, meta: DocMeta, file_hash: str, max_chars: int) -> list[Chunk]:
    """Chunk a loaded file into Chunks carrying the document's metadata, each table parsed once and the facts
    its rows or sentences state. A statement table whose own caption gives no scale takes the scale the
    document's other statements declare ('(in millions)' printed once above a statement that runs over pages)."""
    facts = context_for(meta, "\n".join(s.text for s in loaded.sections))
    tables = TableContext(meta.calendar, meta.annual, meta.currency)
    pieces = [
        (section, piece, page_title(section.text))
        for section in loaded.sections
        for piece in chunk_section(section, max_chars, tables)
    ]
    scale = statement_scale(
        [(p.table, f"{s.heading} {p.table.caption} {title}") for s, p, title in pieces if p.table is not None]
    )
    chunks, seen = [], {}
    carried = ("", None, [])  # the last statement table: (kind, page, columns), which a title-less page continues
    for section, piece, title in pieces:
        occurrence = seen.get(piece.text, 0)
        seen[piece.text] = occurrence + 1
        if piece.table is not None:
            table = piece.table
            kind = statement_of(f"{section.heading} {table.caption} {title}")
            if (
                not kind
                and carried[0]
                and carried[1] in (section.page, (section.page or 0) - 1)
                and table.columns == carried[2]
                and any(table.columns)
            ):
                kind, title = carried[0], f"{title} {STATEMENT_TITLES[carried[0]]}"  # a statement's next page
            if kind:
                carried = (kind, section.page, table.columns)
            if table.scale == 1.0 and scale and kind:
                table = replace(table, scale=scale)
            amounts = scale if table.scale == 1.0 and scale and _bare_amounts(table) else table.scale
            stated = table_facts(table, facts, section.heading, title, amounts)  # amounts as the statements print
        elif piece.kind == "prose":
            stated = sentence_facts(section.text[piece.start : piece.end], facts, section.heading)
        else:
            stated = []
        chunks.append(
            Chunk(
                id=chunk_id(meta.doc_id, file_hash, piece.text, occurrence),
                doc_id=meta.doc_id,
                text=piece.text,
                title=meta.title,
                company=meta.company,
                doc_type=meta.doc_type,
                period=meta.period,
                page=piece.page,
                section=piece.section,
                start=piece.start,
                end=piece.end,
                kind=piece.kind,
                table=piece.table,
                facts=stated,
            )
        )
    return chunks


BARE_AMOUNT = 1e6  # a whole number below this, in a table with no scale note, is an amount in the document's scale


_PER_SHARE_ROW = re.compile(r"\bper\s+(?:\w+\s+){0,2}share|\beps\b|\bdividends?\b", re.IGNORECASE)


def _bare_amounts(table: Table) -> bool:
    """A table whose figures are all whole numbers under a million and that names no scale of its own (a segment
    note printed below its '(in millions)' heading on an earlier page): its amounts are in the document's
    statement scale. A table of dollars ('Salary 1,250,000') or with decimals is not; its per-share rows, which
    keep their own scale, are not counted ('Diluted earnings per share 1.25' in a quarterly results table)."""
    rows = [row for row in table.rows if not _PER_SHARE_ROW.search(f"{row.group} {row.label}")]
    cells = [c for row in rows for c in row.cells if c] or [str(v) for row in rows for v in row.values if v is not None]
    return (
        bool(cells)
        and all("." not in c and "%" not in c for c in cells)
        and all(abs(v) < BARE_AMOUNT for row in rows for v in row.values if v is not None)
        and not re.search(r"\bin (?:dollars|units)\b|\$ in ones", table.caption, re.IGNORECASE)
    )


def page_title(text: str, lines: int = 12) -> str:
    """The short lines that open a page before its first table row: its running title ('CONSOLIDATED
    STATEMENTS OF INCOME'), never a sentence."""
    from assistant.text import is_table_row

    out = []
    for line in text.split("\n")[:lines]:
        line = line.strip()
        if is_table_row(line):
            break
        if line and len(line) <= 90 and not line.endswith(".") and not re.search(r"\bnotes? to\b", line, re.I):
            out.append(line)
    return " ".join(out)


def statement_scale(tables: list[tuple[Table, str]]) -> float | None:
    """The scale most of a document's statement tables declare, or None."""
    declared = Counter(t.scale for t, where in tables if t.scale != 1.0 and statement_of(where))
    return declared.most_common(1)[0][0] if declared else None


@dataclass
class Source:
    """One document to index: its id, the identity of this version (unchanged versions are skipped before they
    are parsed), and how to read it: a file on disk, or text made elsewhere (the FinanceBench pages)."""

    doc_id: str
    version: str
    load: Callable[[], tuple[LoadedFile, DocMeta]]
    path: Path | None = None


def file_source(path: Path, settings: Settings) -> Source:
    """A file as a Source: its catalog entry (if any) names it, its bytes and the parser version identify it."""
    catalog = read_catalog(path.parent)
    doc_id = catalog.entry(path.name).get("doc_id") or doc_id_for(path)

    def load() -> tuple[LoadedFile, DocMeta]:
        loaded, _fmt = load_file(path, max_mb=settings.limits.max_file_mb)
        return loaded, describe(path, loaded, catalog)

    return Source(doc_id=doc_id, version=version_hash(path, settings.ingest.chunk_chars), load=load, path=path)


CLEANUP_MODES = (None, "missing", "full")


def index(
    sources: Iterable[Source],
    store,
    embedder,
    settings: Settings,
    cleanup: str | None = None,
    progress: Progress | None = None,
    show_progress: bool = False,
) -> IngestReport:
    """Bring the store in line with `sources`: each new or changed document is parsed, embedded (re-using the
    vectors of passages the store already has) and committed whole; unchanged ones are skipped. `cleanup`:
    None keeps every other document, 'missing' removes documents whose source file is gone, 'full' removes every
    document not among `sources`. Returns what was done."""
    if cleanup not in CLEANUP_MODES:
        raise ValueError(f"cleanup must be one of {CLEANUP_MODES}")
    return Ingestor(settings, store=store, embedder=embedder).index(sources, cleanup, progress, show_progress)


class Ingestor:
    """Runs ingest against one store with one embedder."""

    def __init__(self, settings: Settings, store=None, embedder=None):
        from assistant.search.embeddings import PackagedEmbeddings
        from assistant.store.chunks import ChunkStore

        self.settings = settings
        self.store = store or ChunkStore(settings)
        self.store.create = True
        self.embedder = embedder or PackagedEmbeddings(
            batch_size=settings.embedding.batch,
            backend=settings.embedding.backend,
            cache_dir=settings.embedding.model_cache,
        )

    def run(
        self,
        paths: Iterable[Path] | None = None,
        prune: bool = False,
        progress: Progress | None = None,
        show_progress: bool = False,
    ) -> IngestReport:
        """Ingest files and folders (the bundled corpus by default)."""
        files, problems = discover(paths or [self.settings.store.corpus_dir])
        sources = []
        for path in files:
            try:
                sources.append(file_source(path, self.settings))
            except OSError as exc:
                problems.append(IngestProblem(str(path), f"cannot be read ({exc.strerror or exc})"))
        report = self.index(sources, "missing" if prune else None, progress, show_progress)
        report.problems = problems + report.problems
        return report

    def index(
        self,
        sources: Iterable[Source],
        cleanup: str | None = None,
        progress: Progress | None = None,
        show_progress: bool = False,
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport(chunks_before=self.store.count())
        committed = self.store.documents()
        pending: list[PreparedDocument] = []
        seen: list[str] = []
        for source in sources:
            seen.append(source.doc_id)
            try:
                item = self._prepare(source, committed, report)
            except QAError as exc:
                log.warning("not ingested: %s (%s)", source.path or source.doc_id, exc.message)
                report.problems.append(IngestProblem(str(source.path or source.doc_id), exc.message))
                continue
            except Exception as exc:  # a parser bug must not sink the batch
                log.exception("could not parse %s", source.path or source.doc_id)
                report.problems.append(
                    IngestProblem(
                        str(source.path or source.doc_id), f"could not be parsed ({type(exc).__name__}: {exc})"
                    )
                )
                continue
            if item is not None:
                pending.append(item)
        self.write(pending, report, progress, show_progress)
        if cleanup == "missing":
            report.pruned_documents = self._prune(
                report, lambda info: bool(info.source) and not Path(info.source).exists()
            )
        elif cleanup == "full":
            report.pruned_documents = self._prune(report, lambda info: info.doc_id not in seen)
        report.chunks_after = self.store.count()
        report.seconds = time.perf_counter() - started
        return report

    # -- steps ----------------------------------------------------------------------------------------------
    def _prepare(
        self, source: Source, committed: dict[str, DocumentInfo], report: IngestReport
    ) -> PreparedDocument | None:
        """Decide what a document needs; returns None when the store already holds it complete."""
        record = committed.get(source.doc_id)
        stored = self.store.chunk_hashes(source.doc_id)
        report.documents += 1
        report.doc_ids.append(source.doc_id)
        if (
            record
            and record.file_hash == source.version
            and len(stored) == record.chunks
            and all(h == source.version for h in stored.values())
        ):
            report.unchanged_documents += 1
            return None
        loaded, meta = source.load()
        chunks = build_chunks(loaded, meta, source.version, self.settings.ingest.chunk_chars)
        new_ids = {c.id for c in chunks}
        have = {cid for cid, h in stored.items() if h == source.version}
        return PreparedDocument(
            path=source.path,
            meta=meta,
            file_hash=source.version,
            chunks=chunks,
            stale_ids=[cid for cid in stored if cid not in new_ids],
            new_chunks=[c for c in chunks if c.id not in have],
        )

    def write(
        self,
        pending: list[PreparedDocument],
        report: IngestReport,
        progress: Progress | None = None,
        show_progress: bool = False,
    ) -> None:
        """Embed and store in groups of whole documents holding about WRITE_BATCH new chunks: embed the group's
        chunks (length-sorted), write them, commit the group's records in one write, then delete the chunks of the
        versions they replace. A few large writes cost far less per chunk than one write per file."""
        total = sum(len(p.new_chunks) for p in pending)
        bar = None
        if show_progress and total:
            from tqdm import tqdm

            bar = tqdm(total=total, desc="embedding", unit="chunk")
        done = 0

        def embedded(count: int) -> None:
            nonlocal done
            done += count
            if bar is not None:
                bar.update(count)
            if progress is not None:
                progress(done, total)

        for group in write_groups(pending, WRITE_BATCH):
            rows = [(c, item.file_hash) for item in group for c in item.new_chunks]
            vectors = self._embed([c for c, _ in rows], embedded)
            for i in range(0, len(rows), WRITE_BATCH):
                batch = rows[i : i + WRITE_BATCH]
                self.store.add_chunks(
                    [c for c, _ in batch],
                    np.stack([vectors[c.id][0] for c, _ in batch]),
                    [h for _, h in batch],
                    [vectors[c.id][1] for c, _ in batch],
                )
            self.store.commit_documents(
                [
                    DocumentInfo(
                        doc_id=item.meta.doc_id,
                        title=item.meta.title,
                        doc_type=item.meta.doc_type,
                        company=item.meta.company,
                        period=item.meta.period,
                        chunks=len(item.chunks),
                        source=str(item.path.resolve()) if item.path else "",
                        file_hash=item.file_hash,
                        profiles=item.meta.profiles_json(),
                    )
                    for item in group
                ]
            )
            self.store.delete_chunks([cid for item in group for cid in item.stale_ids])
            report.added_chunks += len(rows)
            report.removed_chunks += sum(len(item.stale_ids) for item in group)
        if bar is not None:
            bar.close()

    def _embed(self, chunks: list[Chunk], embedded: Callable[[int], None]) -> dict[str, tuple[np.ndarray, str]]:
        """Chunk id -> (vector, key of the text it encodes), each chunk also given its answer units' vectors
        (`Chunk.vectors`) when the embedder can pool them from the same pass. Each distinct text is made, keyed and
        embedded once, a text stored before is not embedded again, and progress is reported every PROGRESS_SLICE
        texts."""
        texts = [embedding_text(c) for c in chunks]
        uses = Counter(texts)
        distinct = sorted(uses, key=len, reverse=True)  # as distinct_embedding_texts orders them
        keys = {t: vector_key(t) for t in distinct}
        spans = {t: unit_spans(c, t) for c, t in zip(chunks, texts)}
        stored = self.store.vectors_for(list(keys.values())) if distinct else {}
        by_text: dict[str, tuple[np.ndarray, str]] = {
            t: (np.asarray(stored[keys[t]][0], dtype="float32"), stored[keys[t]][1])
            for t in distinct
            if keys[t] in stored
        }
        embedded(sum(uses[t] for t in by_text))
        missing = [t for t in distinct if t not in by_text]
        late = hasattr(self.embedder, "encode_units")
        for i in range(0, len(missing), PROGRESS_SLICE):
            piece = missing[i : i + PROGRESS_SLICE]
            if late:
                vectors, units = self.embedder.encode_units(piece, [spans[t] for t in piece])
                by_text.update((t, (v, pack_vectors(u))) for t, v, u in zip(piece, vectors, units))
            else:
                by_text.update(
                    (t, (v, "")) for t, v in zip(piece, np.asarray(self.embedder.encode(piece), dtype="float32"))
                )
            embedded(sum(uses[t] for t in piece))
        for chunk, text in zip(chunks, texts):
            chunk.vectors = by_text[text][1]
        return {c.id: (by_text[t][0], keys[t]) for c, t in zip(chunks, texts)}

    def _prune(self, report: IngestReport, doomed: Callable[[DocumentInfo], bool]) -> list[str]:
        """Remove the documents `doomed` picks."""
        removed = []
        for doc_id, info in self.store.documents().items():
            if doomed(info):
                report.removed_chunks += self.store.delete_document(doc_id)
                removed.append(doc_id)
        return removed
