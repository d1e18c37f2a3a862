"""The served index: every committed chunk with its vector, BM25 postings and facts, kept per document version.

An upload or a delete changes the index by that one document's entries: `with_documents` appends its rows and
postings, `without` masks its rows and takes out its term counts and facts. Each change makes a new snapshot beside the old one, so a
search holds one consistent snapshot from start to end. `LexicalCache` follows the store's signature (so processes
sharing one Chroma server stay in step) and keeps each document's entries on disk by version, so a new process
loads them instead of reading and tokenising the store again.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import pickle
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.contract.types import Chunk, DocumentInfo
from assistant.store.facts import DocumentFacts, FactIndex
from assistant.text import index_tokens

_VERSIONS = itertools.count(1)
K1, B = 1.2, 0.75  # BM25 (Lucene variant, as bm25s computes it)
MERGE_PIECES = 8  # a term's postings arrive one piece per document; this many pieces are merged into one
PER_DOCUMENT_READS = 20  # more missing documents than this are read in one pass over the store instead


@dataclass(frozen=True, eq=False)
class DocumentEntries:
    """One committed document version's part of the index: its chunks, their vectors, and each chunk's tokens
    (a local vocabulary, then per chunk its term ids and counts, CSR style) and its facts. Built once per version.
    Chunks are kept without their unit vectors (answering fetches those for the passages it reads), and once in
    an index a part's vectors live only in the index's row storage."""

    doc_id: str
    file_hash: str
    chunks: tuple[Chunk, ...]
    embeddings: np.ndarray  # (chunks, dimensions); empty once the part is in an index
    vocab: tuple[str, ...]
    indptr: np.ndarray  # chunk i's terms are term_ids[indptr[i]:indptr[i + 1]]
    term_ids: np.ndarray
    counts: np.ndarray  # float32 term frequencies
    lengths: np.ndarray  # tokens per chunk
    facts: DocumentFacts
    info: DocumentInfo | None = None

    @classmethod
    def build(
        cls, doc_id: str, file_hash: str, chunks: list[Chunk], embeddings: np.ndarray, info: DocumentInfo | None = None
    ) -> DocumentEntries:
        vocab: dict[str, int] = {}
        indptr, ids, counts, lengths = [0], [], [], []
        chunks = [_compact(c) for c in chunks]
        for chunk in chunks:
            tokens = index_tokens(chunk.search_text()) or ["_"]
            tally = Counter(tokens)
            ids.extend(vocab.setdefault(t, len(vocab)) for t in tally)
            counts.extend(tally.values())
            indptr.append(len(ids))
            lengths.append(len(tokens))
        dims = embeddings.shape[1] if embeddings.ndim == 2 else 0
        return cls(
            doc_id,
            file_hash,
            tuple(chunks),
            np.asarray(embeddings, dtype="float32").reshape(len(chunks), dims),
            tuple(vocab),
            np.asarray(indptr, dtype=np.int64),
            np.asarray(ids, dtype=np.int32),
            np.asarray(counts, dtype=np.float32),
            np.asarray(lengths, dtype=np.int64),
            DocumentFacts.build(chunks),
            info,
        )

    def tokens(self, i: int) -> frozenset[str]:
        """The distinct index tokens of chunk i (no re-tokenising)."""
        return frozenset(self.vocab[t] for t in self.term_ids[self.indptr[i] : self.indptr[i + 1]])


def _compact(chunk: Chunk) -> Chunk:
    """A chunk as the index keeps it: no unit vectors, and the labels every chunk of a document repeats shared."""
    return replace(
        chunk,
        vectors="",
        title=sys.intern(chunk.title),
        company=sys.intern(chunk.company),
        doc_type=sys.intern(chunk.doc_type),
        period=sys.intern(chunk.period),
        section=sys.intern(chunk.section),
    )


class _Vocabulary:
    """Term -> global id, shared by every snapshot and only ever appended to (a snapshot ignores ids past its
    own postings)."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, terms: tuple[str, ...]) -> np.ndarray:
        with self._lock:
            return np.fromiter((self.ids.setdefault(t, len(self.ids)) for t in terms), np.int64, len(terms))


class _Rows:
    """Growable row storage shared by successive snapshots: a snapshot reads only its first `size` rows, and a
    new snapshot appends past them (rows are never rewritten), so appending copies nothing already there."""

    def __init__(self, dims: int, capacity: int = 1024):
        self.vectors = np.zeros((capacity, dims), dtype="float32")
        self.lengths = np.zeros(capacity, dtype=np.int64)

    def append(self, size: int, vectors: np.ndarray, lengths: np.ndarray) -> _Rows:
        """Write rows at `size`; returns the storage to use from now on (a larger copy when full)."""
        rows, need = self, size + len(lengths)
        if need > len(self.lengths):
            rows = _Rows(self.vectors.shape[1], max(need, 2 * len(self.lengths)))
            rows.vectors[:size], rows.lengths[:size] = self.vectors[:size], self.lengths[:size]
        if len(vectors):
            rows.vectors[size:need] = vectors
        rows.lengths[size:need] = lengths
        return rows


@dataclass
class LexicalIndex:
    """One snapshot of the served index. Row i is chunks[i]; rows of removed documents stay in place, masked."""

    signature: str
    parts: dict[str, DocumentEntries] = field(default_factory=dict)  # doc id -> entries, in row order
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # doc id -> its rows [start, stop)
    chunks: list[Chunk] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # chunk id -> row (a chunk id names one document version)
    live: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    live_rows: int = 0
    postings: list[tuple[tuple[np.ndarray, np.ndarray], ...]] = field(default_factory=list)  # by term id
    doc_freq: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # by term id, live rows
    total_length: int = 0  # tokens in live rows
    facts: FactIndex = field(default_factory=FactIndex)
    vocabulary: _Vocabulary = field(default_factory=_Vocabulary)
    rows_store: _Rows | None = None
    version: int = field(default_factory=lambda: next(_VERSIONS))  # a new number for every change of content

    # -- reading ----------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.chunks)

    @property
    def embeddings(self) -> np.ndarray:
        """Row i = the vector of chunks[i]."""
        if self.rows_store is None:
            return np.zeros((0, 0), dtype="float32")
        return self.rows_store.vectors[: self.size]

    def row_of_id(self, chunk_id: str) -> int | None:
        """The row of a chunk id, when this snapshot serves it."""
        row = self.ids.get(chunk_id)
        return row if row is not None and self.live[row] else None

    def tokens(self, row: int) -> frozenset[str]:
        chunk = self.chunks[row]
        return self.parts[chunk.doc_id].tokens(row - self.spans[chunk.doc_id][0])

    def _term(self, term: str) -> int | None:
        tid = self.vocabulary.ids.get(term)
        return tid if tid is not None and tid < len(self.doc_freq) and self.doc_freq[tid] > 0 else None

    def idf(self, term: str) -> float:
        n = max(1, self.live_rows)
        tid = self._term(term)
        df = int(self.doc_freq[tid]) if tid is not None else 0
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        return self._term(term) is not None

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[int, float]]:
        """(row, bm25 score) best first, restricted to the allowed document ids when given."""
        if not self.live_rows:
            return []
        terms = [tid for tid in map(self._term, index_tokens(query)) if tid is not None]
        if not terms:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        lengths = self.rows_store.lengths
        average = np.float64(self.total_length) / self.live_rows
        for tid in terms:  # each occurrence of a query term counts, as in bm25s
            df = int(self.doc_freq[tid])
            idf = np.float32(math.log(1 + (self.live_rows - df + 0.5) / (df + 0.5)))
            for rows, tf in self.postings[tid]:
                scores[rows] += (idf * (tf / (K1 * ((1 - B) + B * lengths[rows] / average) + tf))).astype(np.float32)
        mask = self.live if allowed is None else self.live & self._mask(allowed)
        scores = np.where(mask, scores, 0.0)
        top = np.argpartition(-scores, n)[:n] if len(scores) > n else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _mask(self, allowed: set[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for doc_id in allowed:
            if doc_id in self.spans:
                start, stop = self.spans[doc_id]
                mask[start:stop] = True
        return mask

    # -- changing: each returns a new snapshot and leaves this one as it was ----------------------------------
    def with_documents(self, parts: list[DocumentEntries], signature: str | None = None) -> LexicalIndex:
        """This index plus some document versions, appended in order (an older version of one, if served, is
        removed first). Only the postings of the new documents' terms change."""
        base = self.without([p.doc_id for p in parts if p.doc_id in self.parts])
        if not parts:
            return replace(base, signature=signature or base.signature)
        start = base.size
        spans, stop, ids, rows, counts, lengths, vectors = dict(base.spans), start, [], [], [], [], []
        for part in parts:
            spans[part.doc_id] = (stop, stop + len(part.chunks))
            ids.append(base.vocabulary.add(part.vocab)[part.term_ids])
            rows.append(np.repeat(np.arange(stop, stop + len(part.chunks), dtype=np.int32), np.diff(part.indptr)))
            counts.append(part.counts)
            lengths.append(part.lengths)
            vectors.append(part.embeddings)
            stop += len(part.chunks)
        postings = list(base.postings) + [()] * (len(base.vocabulary.ids) - len(base.postings))
        doc_freq = np.zeros(len(postings), dtype=np.int64)
        doc_freq[: len(base.doc_freq)] = base.doc_freq
        for tid, piece in _pieces(np.concatenate(ids), np.concatenate(rows), np.concatenate(counts)):
            pieces = postings[tid] + (piece,)
            if len(pieces) > MERGE_PIECES:
                pieces = ((np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])),)
            postings[tid] = pieces
            doc_freq[tid] += len(piece[0])
        dims = (
            base.rows_store.vectors.shape[1]
            if base.rows_store
            else max((v.shape[1] for v in vectors if v.size), default=0)
        )
        vectors = [
            v if v.shape == (n, dims) else np.zeros((n, dims), dtype="float32")
            for v, n in zip(vectors, (len(p.chunks) for p in parts))
        ]
        store = (base.rows_store or _Rows(dims)).append(start, np.concatenate(vectors), np.concatenate(lengths))
        facts = base.facts
        for part in parts:
            facts = facts.with_document(part.doc_id, part.facts)
        added = stop - start
        kept = {p.doc_id: replace(p, embeddings=np.zeros((0, dims), dtype="float32")) for p in parts}
        return replace(
            base,
            version=next(_VERSIONS),
            signature=signature or base.signature,
            parts={**base.parts, **kept},
            spans=spans,
            chunks=base.chunks + [c for p in parts for c in p.chunks],
            ids={**base.ids, **{c.id: spans[p.doc_id][0] + i for p in parts for i, c in enumerate(p.chunks)}},
            live=np.concatenate([base.live, np.ones(added, dtype=bool)]),
            live_rows=base.live_rows + added,
            postings=postings,
            doc_freq=doc_freq,
            total_length=base.total_length + int(sum(int(x.sum()) for x in lengths)),
            facts=facts,
            rows_store=store,
        )

    def without(self, doc_ids, signature: str | None = None) -> LexicalIndex:
        """This index without some documents: their rows masked, their terms' counts and their facts taken out."""
        gone = [d for d in dict.fromkeys(doc_ids) if d in self.parts]
        if not gone:
            return replace(self, signature=signature or self.signature)
        live, doc_freq, total, removed = self.live.copy(), self.doc_freq.copy(), self.total_length, 0
        facts = self.facts
        for doc_id in gone:
            part, (start, stop) = self.parts[doc_id], self.spans[doc_id]
            live[start:stop] = False
            np.subtract.at(doc_freq, self.vocabulary.add(part.vocab)[part.term_ids], 1)
            total -= int(part.lengths.sum())
            removed += stop - start
            facts = facts.without(doc_id)
        return replace(
            self,
            version=next(_VERSIONS),
            signature=signature or self.signature,
            parts={d: p for d, p in self.parts.items() if d not in gone},
            spans={d: s for d, s in self.spans.items() if d not in gone},
            live=live,
            live_rows=self.live_rows - removed,
            doc_freq=doc_freq,
            total_length=total,
            facts=facts,
        )

    def dead_rows(self) -> int:
        return self.size - self.live_rows

    def compacted(self) -> LexicalIndex:
        """The same documents laid out afresh, without the rows of removed ones."""
        parts = [
            replace(part, embeddings=self.rows_store.vectors[slice(*self.spans[d])].copy())
            for d, part in self.parts.items()
        ]
        return LexicalIndex.assemble(self.signature, parts)

    def restricted(self, docs: dict[str, DocumentInfo]) -> LexicalIndex:
        """This snapshot without what is no longer committed (deleted documents, replaced versions): what a search
        serves while another thread brings the index up to date."""
        stale = [d for d, part in self.parts.items() if d not in docs or docs[d].file_hash != part.file_hash]
        return self.without(stale) if stale else self

    @classmethod
    def assemble(cls, signature: str, parts: list[DocumentEntries]) -> LexicalIndex:
        """A fresh index of these document versions, rows in this order (no dead rows)."""
        return cls(signature).with_documents(parts)

    @classmethod
    def build(cls, signature: str, chunks: list[Chunk], embeddings: np.ndarray) -> LexicalIndex:
        """An index of loose chunks, one part per document in order of first appearance."""
        groups: dict[str, list[int]] = {}
        for i, chunk in enumerate(chunks):
            groups.setdefault(chunk.doc_id, []).append(i)
        embeddings = np.asarray(embeddings, dtype="float32").reshape(len(chunks), -1)
        return cls.assemble(
            signature,
            [DocumentEntries.build(d, "", [chunks[i] for i in rows], embeddings[rows]) for d, rows in groups.items()],
        )


def _pieces(term_ids: np.ndarray, rows: np.ndarray, counts: np.ndarray):
    """(term id, (rows, counts)) for every distinct term, grouped with one sort."""
    order = np.argsort(term_ids, kind="stable")
    term_ids, rows, counts = term_ids[order], rows[order], counts[order]
    cuts = np.flatnonzero(np.diff(term_ids)) + 1
    bounds = zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(term_ids)]]))
    for lo, hi in bounds:
        if hi > lo:
            yield int(term_ids[lo]), (rows[lo:hi], counts[lo:hi])


def _code_version() -> str:
    """A hash of the tokenizer and index code: entries written by other code are never loaded."""
    from assistant import text
    from assistant.contract import types
    from assistant.store import facts

    digest = hashlib.sha256()
    for module_file in (text.__file__, types.__file__, facts.__file__, __file__):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:8]


_CODE_VERSION = _code_version()


class LexicalCache:
    """The current index of a store. When the store's signature changes (here or in another process), one thread
    applies the difference, document by document, and swaps the new snapshot in; meanwhile other threads go on
    with the previous snapshot, less anything no longer committed. Entries are kept on disk under `folder`."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self._index: LexicalIndex | None = None
        self._update = threading.Lock()
        self._restricted: LexicalIndex | None = None
        self._swept = False  # files of earlier code removed

    @property
    def current(self) -> LexicalIndex | None:
        """The index last brought up to date, if any has been made."""
        return self._index

    def latest(self, store) -> LexicalIndex:
        """The index last brought up to date, without re-reading the store's signature (built if there is none)."""
        return self._index if self._index is not None else self.get(store)

    def get(self, store, docs: dict[str, DocumentInfo] | None = None, wait: bool = False) -> LexicalIndex:
        """The index of what `docs` (read now if not given) commit. A reader never waits for another thread's
        update (it gets the previous snapshot less what is gone); a writer (`wait`) does, so that when its upload
        or delete returns the index already serves the change."""
        docs = store.documents() if docs is None else docs
        signature = store.signature(docs)
        index = self._index
        if index is not None and index.signature == signature:
            return index
        if not self._update.acquire(blocking=wait or index is None):
            return self._serving(index, docs, signature)
        try:
            docs = store.documents()  # what is committed now: the caller's read may be older, and never go back
            signature = store.signature(docs)
            index = self._index
            if index is None or index.signature != signature:
                index = self._index = self._brought_up_to_date(index, store, docs, signature)
            return index
        finally:
            self._update.release()

    def _serving(self, index: LexicalIndex, docs: dict[str, DocumentInfo], signature: str) -> LexicalIndex:
        """The previous snapshot restricted to the committed documents (kept for the readers of one signature)."""
        cached = self._restricted
        if cached is not None and cached.signature == signature:
            return cached
        view = index.restricted(docs)
        view = replace(view, signature=signature) if view is not index else view
        self._restricted = view
        return view

    def _brought_up_to_date(
        self, index: LexicalIndex | None, store, docs: dict[str, DocumentInfo], signature: str
    ) -> LexicalIndex:
        """The index changed by exactly the documents committed, replaced or removed since it was made."""
        index = index or LexicalIndex(signature)
        stale = [index.parts[d] for d in index.parts if d not in docs or docs[d].file_hash != index.parts[d].file_hash]
        index = index.without([p.doc_id for p in stale])
        for part in stale:
            self._forget(part)
        wanted = [d for d in docs if d not in index.parts]
        parts = {d: self._load(d, docs[d].file_hash) for d in wanted}
        missing = [d for d, part in parts.items() if part is None]
        for part in self._read(store, missing, docs) if missing else []:
            parts[part.doc_id] = part
            self._save(part)
        index = index.with_documents([replace(parts[d], info=docs[d]) for d in wanted if parts.get(d) is not None])
        if index.dead_rows() > index.live_rows:  # mostly replaced documents: lay the rows out afresh
            index = index.compacted()
        return replace(index, signature=signature)

    @staticmethod
    def _read(store, doc_ids: list[str], docs: dict[str, DocumentInfo]) -> list[DocumentEntries]:
        """Entries of documents the disk does not hold, from the store: each document's chunks, or one pass over
        the whole store when many are missing (a new process on a store without a cache)."""
        wanted = set(doc_ids)
        grouped: dict[str, list[tuple[Chunk, np.ndarray]]] = {d: [] for d in doc_ids}
        if len(doc_ids) > PER_DOCUMENT_READS:
            pairs = ((c, v) for c, v in store.all_chunks(with_embeddings=True) if c.doc_id in wanted)
        else:
            pairs = (pair for doc_id in doc_ids for pair in store.document_chunks(doc_id, docs[doc_id].file_hash))
        for chunk, vector in pairs:  # compacted as read: a whole store's unit vectors never sit in memory at once
            grouped[chunk.doc_id].append((_compact(chunk), np.asarray(vector, dtype="float32")))
        out = []
        for doc_id, pairs in grouped.items():
            vectors = np.asarray([v for _, v in pairs], dtype="float32").reshape(len(pairs), -1)
            out.append(
                DocumentEntries.build(doc_id, docs[doc_id].file_hash, [c for c, _ in pairs], vectors, docs[doc_id])
            )
        return out

    # -- entries on disk ------------------------------------------------------------------------------------------
    def _path(self, doc_id: str, file_hash: str) -> Path | None:
        if self.folder is None:
            return None
        key = hashlib.sha256(f"{doc_id}\x00{file_hash}".encode()).hexdigest()[:24]
        return self.folder / "entries" / f"{key}-{_CODE_VERSION}.pkl"

    def _load(self, doc_id: str, file_hash: str) -> DocumentEntries | None:
        path = self._path(doc_id, file_hash)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                part = pickle.load(fh)
            ok = isinstance(part, DocumentEntries) and part.doc_id == doc_id and part.file_hash == file_hash
            return part if ok else None
        except Exception:  # a stale or partial file is rebuilt, never trusted
            return None

    def _save(self, part: DocumentEntries) -> None:
        path = self._path(part.doc_id, part.file_hash)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not self._swept:  # files written by other code are never loaded again
                self._swept = True
                for old in [*self.folder.glob("lexical-*.pkl"), *path.parent.glob("*.pkl")]:
                    if not old.name.endswith(f"-{_CODE_VERSION}.pkl"):
                        old.unlink(missing_ok=True)
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(replace(part, info=None), fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk just means reading the store next time

    def _forget(self, part: DocumentEntries) -> None:
        """Drop a removed document version's file."""
        path = self._path(part.doc_id, part.file_hash)
        if path is not None:
            path.unlink(missing_ok=True)
