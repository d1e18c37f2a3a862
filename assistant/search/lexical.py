"""BM25 over the served chunks, rebuilt from the store whenever its signature changes (so processes sharing one
Chroma server stay in step), and cached on disk by signature so a new process loads it instead of rebuilding."""

from __future__ import annotations

import math
import pickle
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.store.facts import FactIndex
from assistant.text import index_tokens
from assistant.contract.types import Chunk


@dataclass
class LexicalIndex:
    """A BM25 index plus the chunks it covers and their document frequencies."""

    signature: str
    chunks: list[Chunk]
    embeddings: np.ndarray  # row i = embedding of chunks[i]
    retriever: object = None  # bm25s.BM25
    doc_freq: Counter = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)  # chunk id -> row
    facts: FactIndex = field(default_factory=FactIndex)

    @classmethod
    def build(cls, signature: str, chunks: list[Chunk], embeddings: np.ndarray) -> "LexicalIndex":
        import bm25s

        corpus = [index_tokens(c.search_text()) or ["_"] for c in chunks]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(tok, len(vocab)) for tok in doc] for doc in corpus]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        if chunks:
            retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        doc_freq = Counter(tok for doc in corpus for tok in set(doc))
        return cls(signature, chunks, embeddings, retriever, doc_freq, {c.id: i for i, c in enumerate(chunks)},
                   FactIndex.build(chunks))

    def idf(self, term: str) -> float:
        n = max(1, len(self.chunks))
        df = self.doc_freq.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        return term in self.doc_freq

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[int, float]]:
        """(row, bm25 score) best first, restricted to the allowed document ids when given."""
        if not self.chunks:
            return []
        tokens = [t for t in index_tokens(query) if t in self.retriever.vocab_dict]
        if not tokens:
            return []
        scores = self.retriever.get_scores(tokens)
        if allowed is not None:
            mask = np.fromiter((c.doc_id in allowed for c in self.chunks), bool, len(self.chunks))
            scores = np.where(mask, scores, 0.0)
        top = np.argpartition(-scores, n)[:n] if len(scores) > n else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def _code_version() -> str:
    """A hash of the tokenizer and index code: a cache written by other code is never loaded."""
    import hashlib

    from assistant import text
    from assistant.contract import types
    from assistant.store import facts

    digest = hashlib.sha256()
    for module_file in (text.__file__, types.__file__, facts.__file__, __file__):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:8]


_CODE_VERSION = _code_version()


class LexicalCache:
    """Holds the current index for a store; rebuilds on signature change; persists by signature under `folder`."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()

    def latest(self, store) -> LexicalIndex:
        """The index the last search used, without re-reading the store's signature (built if there is none)."""
        return self._index if self._index is not None else self.get(store)

    def get(self, store, docs=None) -> LexicalIndex:
        signature = store.signature(docs)
        with self._lock:
            if self._index is not None and self._index.signature == signature:
                return self._index
            index = self._load(signature)
            if index is None:
                pairs = list(store.all_chunks(with_embeddings=True))
                chunks = [c for c, _ in pairs]
                embs = np.asarray([e for _, e in pairs], dtype="float32").reshape(len(pairs), -1)
                index = LexicalIndex.build(signature, chunks, embs)
                self._save(index)
            self._index = index
            return index

    def _path(self, signature: str) -> Path | None:
        return self.folder / f"lexical-{signature}-{_CODE_VERSION}.pkl" if self.folder else None

    def _load(self, signature: str) -> LexicalIndex | None:
        path = self._path(signature)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)
            return index if isinstance(index, LexicalIndex) and index.signature == signature else None
        except Exception:  # a stale or partial cache file is rebuilt, never trusted
            return None

    def _save(self, index: LexicalIndex) -> None:
        path = self._path(index.signature)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("lexical-*.pkl"):
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk just means rebuilding next time
