"""The Chroma store behind one class: embedded PersistentClient by default, a Chroma server when `chroma_url` is set.

Two collections hold everything, so several app processes can share one server:
- `<collection>`: the chunks (text, embedding, metadata with `doc_id` and the `file_hash` of the version they belong to);
- `<collection>_docs`: one record per document, written only once all its chunks are in (the commit point).
Readers serve a chunk only if its `file_hash` matches its document's committed record.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from typing import Any, TypeVar
from collections.abc import Callable, Iterable

from assistant.contract import phrases
from assistant.config import Settings
from assistant.contract.errors import StoreEmpty, StoreUnavailable
from assistant.contract.types import Chunk, DocumentInfo

T = TypeVar("T")
_PAGE = 5000  # rows per Chroma get()
# A record in the documents collection whose value changes with every commit or delete, so readers can keep the
# commit records cached and re-read them only when some process (this one or another) has changed them.
GENERATION_ID = "__generation__"
RACE_RETRIES = 5  # reads that collide with a concurrent delete inside Chroma are retried this often


class ChunkStore:
    """Typed access to the chunk and document collections."""

    def __init__(self, settings: Settings, create: bool = False):
        self.settings = settings
        self.create = create  # readers never create an embedded store; ingest does
        self._client = None
        self._chunks = None
        self._docs = None
        self._lock = threading.Lock()
        self._cached_docs: tuple[str, dict[str, DocumentInfo]] | None = None  # (generation, records)

    # -- connection -----------------------------------------------------------------------------------------
    def _connect(self) -> None:
        import chromadb

        chroma_settings = chromadb.Settings(anonymized_telemetry=False, allow_reset=False)
        if self.settings.store.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(self.settings.store.chroma_url)
            headers = (
                {"Authorization": f"Bearer {self.settings.store.chroma_token}"}
                if self.settings.store.chroma_token
                else None
            )
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                headers=headers,
                settings=chroma_settings,
            )
        else:
            if not self.exists():
                raise StoreEmpty(phrases.STORE_EMPTY)
            self.settings.store.path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(self.settings.store.path), settings=chroma_settings)
        space = {"hnsw:space": "cosine"}
        self._chunks = client.get_or_create_collection(
            self.settings.store.collection, embedding_function=None, metadata=space
        )
        self._docs = client.get_or_create_collection(self.settings.store.collection + "_docs", embedding_function=None)
        self._client = client

    def _call(self, fn: Callable[[], T]) -> T:
        """Run a store operation; a connection failure becomes StoreUnavailable and the next call reconnects.
        A read that races a concurrent delete ('Error finding id') is retried."""
        for attempt in range(RACE_RETRIES + 1):
            try:
                with self._lock:
                    if self._client is None:
                        self._connect()
                return fn()
            except (StoreUnavailable, StoreEmpty):
                raise
            except Exception as exc:  # chromadb raises many types for a server that is down or restarting
                if _is_connection_error(exc):
                    self._client = self._chunks = self._docs = self._cached_docs = None
                    raise StoreUnavailable(phrases.STORE_UNAVAILABLE.format(detail=type(exc).__name__)) from exc
                if "error finding id" not in str(exc).lower() or attempt == RACE_RETRIES:
                    raise
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")

    # -- documents ------------------------------------------------------------------------------------------
    def exists(self) -> bool:
        """False only for an embedded store that has never been written (a server store always exists)."""
        return (
            bool(self.settings.store.chroma_url)
            or self.create
            or (self.settings.store.path / "chroma.sqlite3").exists()
        )

    def documents(self) -> dict[str, DocumentInfo]:
        """The committed documents, by id (none for a store that does not exist yet). Cached while the store's
        generation record is unchanged; a store written by older code (no generation) is read every time."""
        if not self.exists():
            return {}

        def run():
            generation = self._generation()
            cached = self._cached_docs
            if generation and cached and cached[0] == generation:
                return dict(cached[1])
            rows = self._docs.get(include=["metadatas"])
            docs = {i: _doc_from_meta(i, m) for i, m in zip(rows["ids"], rows["metadatas"]) if i != GENERATION_ID}
            self._cached_docs = (generation, docs) if generation else None
            return dict(docs)

        return self._call(run)

    def _generation(self) -> str:
        rows = self._docs.get(ids=[GENERATION_ID], include=["metadatas"])
        return str(rows["metadatas"][0].get("value", "")) if rows["ids"] else ""

    def commit_documents(self, infos: list[DocumentInfo]) -> None:
        """Commit document records, and a new generation with them, in one write."""
        if not infos:
            return
        ids = [i.doc_id for i in infos] + [GENERATION_ID]
        metas = [
            {
                "title": i.title,
                "doc_type": i.doc_type,
                "company": i.company,
                "period": i.period,
                "chunks": i.chunks,
                "source": i.source,
                "file_hash": i.file_hash,
                "profiles": i.profiles,
            }
            for i in infos
        ]
        metas.append({"value": uuid.uuid4().hex})
        self._call(
            lambda: self._docs.upsert(
                ids=ids, embeddings=[[1.0]] * len(ids), documents=[i.title for i in infos] + [""], metadatas=metas
            )
        )

    def delete_document(self, doc_id: str) -> int:
        """Remove a document record and all its chunks; returns the number of chunks removed."""
        ids = self.chunk_ids(doc_id)
        self._call(lambda: self._docs.delete(ids=[doc_id]))
        self._call(
            lambda: self._docs.upsert(
                ids=[GENERATION_ID], embeddings=[[1.0]], documents=[""], metadatas=[{"value": uuid.uuid4().hex}]
            )
        )
        self.delete_chunks(ids)
        return len(ids)

    def signature(self, docs: dict[str, DocumentInfo] | None = None) -> str:
        """A short hash of what is committed; it changes whenever any document is added, changed or removed."""
        docs = self.documents() if docs is None else docs
        raw = "|".join(f"{d}:{docs[d].file_hash}" for d in sorted(docs))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    # -- chunks ---------------------------------------------------------------------------------------------
    def count(self) -> int:
        return self._call(lambda: self._chunks.count()) if self.exists() else 0

    def chunk_hashes(self, doc_id: str) -> dict[str, str]:
        """Chunk id -> file_hash of every chunk stored for a document (committed or not)."""

        def run():
            rows = self._chunks.get(where={"doc_id": doc_id}, include=["metadatas"])
            return {i: str(m.get("file_hash", "")) for i, m in zip(rows["ids"], rows["metadatas"])}

        return self._call(run)

    def chunk_ids(self, doc_id: str) -> list[str]:
        return list(self.chunk_hashes(doc_id))

    def add_chunks(
        self, chunks: list[Chunk], embeddings, file_hashes: list[str], vector_keys: list[str] | None = None
    ) -> None:
        """Write chunks with their embeddings, each tagged with the file version (`file_hash`) it belongs to and
        the key of the text its vector was computed from (`vector_key`), so a later ingest can reuse it."""
        metas = [dict(c.metadata(), file_hash=h) for c, h in zip(chunks, file_hashes)]
        for meta, key in zip(metas, vector_keys or []):
            meta["vector_key"] = key
        self._call(
            lambda: self._chunks.upsert(
                ids=[c.id for c in chunks], embeddings=embeddings, documents=[c.text for c in chunks], metadatas=metas
            )
        )

    def vectors_for(self, keys: list[str]) -> dict[str, tuple[Any, str]]:
        """(vector, packed unit vectors) already stored for these text keys (from any document version):
        re-parsing a file whose passages did not change re-uses them instead of encoding again."""
        found: dict[str, tuple[Any, str]] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            rows = self._call(
                lambda: self._chunks.get(where={"vector_key": {"$in": batch}}, include=["embeddings", "metadatas"])
            )
            for meta, vector in zip(rows["metadatas"], rows["embeddings"]):
                found.setdefault(meta["vector_key"], (vector, str(meta.get("unit_vectors", ""))))
        return found

    def delete_chunks(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), _PAGE):
            batch = ids[i : i + _PAGE]
            self._call(lambda: self._chunks.delete(ids=batch))

    def all_chunks(self, with_embeddings: bool = False) -> Iterable[tuple[Chunk, Any]]:
        """Every served chunk (committed version only), paged; with its embedding when asked."""
        committed = {d: info.file_hash for d, info in self.documents().items()}
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        total = self.count()
        for offset in range(0, total, _PAGE):
            rows = self._call(lambda: self._chunks.get(include=include, limit=_PAGE, offset=offset))
            embs = rows["embeddings"] if with_embeddings else [None] * len(rows["ids"])
            for cid, text, meta, emb in zip(rows["ids"], rows["documents"], rows["metadatas"], embs):
                if committed.get(meta.get("doc_id")) == meta.get("file_hash"):
                    yield Chunk.from_record(cid, text, meta), emb

    def document_chunks(self, doc_id: str, file_hash: str) -> list[tuple[Chunk, Any]]:
        """One document version's chunks with their embeddings, in stored order."""

        def run():
            rows = self._chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas", "embeddings"])
            return [
                (Chunk.from_record(cid, text, meta), emb)
                for cid, text, meta, emb in zip(rows["ids"], rows["documents"], rows["metadatas"], rows["embeddings"])
                if meta.get("file_hash") == file_hash
            ]

        return self._call(run)

    def unit_vectors(self, ids: list[str]) -> dict[str, str]:
        """Chunk id -> its packed unit vectors, for these chunks."""

        def run():
            rows = self._chunks.get(ids=ids, include=["metadatas"])
            return {i: str(m.get("unit_vectors", "")) for i, m in zip(rows["ids"], rows["metadatas"])}

        return self._call(run) if ids else {}

    def nearest(self, embedding: list[float], n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Ids of the nearest stored chunks with their cosine similarity, best first (only ids and distances travel:
        the caller serves the chunks it knows, from its index of the committed versions)."""
        where = {"doc_id": {"$in": sorted(set(doc_ids))}} if doc_ids is not None else None
        if doc_ids is not None and not doc_ids:
            return []
        rows = self._call(
            lambda: self._chunks.query(
                query_embeddings=[embedding], n_results=max(1, n), where=where, include=["distances"]
            )
        )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(rows["ids"][0], rows["distances"][0])]


def _doc_from_meta(doc_id: str, meta: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        doc_id=doc_id,
        title=str(meta.get("title", doc_id)),
        doc_type=str(meta.get("doc_type", "")),
        company=str(meta.get("company", "")),
        period=str(meta.get("period", "")),
        chunks=int(meta.get("chunks", 0)),
        source=str(meta.get("source", "")),
        file_hash=str(meta.get("file_hash", "")),
        profiles=str(meta.get("profiles", "")),
    )


def _is_connection_error(exc: Exception) -> bool:
    names = {type(e).__name__ for e in _causes(exc)}
    text = " ".join(str(e) for e in _causes(exc)).lower()
    return (
        bool(
            names
            & {
                "ConnectError",
                "ConnectionError",
                "ConnectTimeout",
                "ReadTimeout",
                "RemoteProtocolError",
                "ConnectionRefusedError",
                "ReadError",
                "WriteError",
                "PoolTimeout",
            }
        )
        or "could not connect" in text
        or "connection refused" in text
    )


def _causes(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__
