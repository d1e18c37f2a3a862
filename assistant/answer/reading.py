"""More of the documents the search found: a question in words is often answered by a sentence whose passage
shares few of its words ('Who was the lead researcher?' -> 'The study was led by ...'), so the answer step reads,
besides the retrieved passages, the passages of the same documents closest in meaning to the question (their
stored vectors, no second model call). Documents the search did not return are never read, so a chosen set of
documents stays the scope."""

from __future__ import annotations

import threading

import numpy as np

from assistant.contract.types import ScoredChunk
from assistant.search.lexical import LexicalIndex

FURTHER_PASSAGES = 5  # read besides the retrieved ones
FURTHER_WEIGHT = 0.8  # a further passage's score: its closeness in meaning, discounted (it was not retrieved)

_rows_lock = threading.Lock()
_rows: dict[str, dict[str, np.ndarray]] = {}  # index signature -> document id -> rows of its chunks


def further_passages(
    passages: list[ScoredChunk], index: LexicalIndex, q_vec: np.ndarray | None, n: int = FURTHER_PASSAGES
) -> list[ScoredChunk]:
    """The n passages of the retrieved documents closest in meaning to the question that were not retrieved."""
    if q_vec is None or not passages or not len(index.embeddings):
        return []
    by_doc = _doc_rows(index)
    docs = dict.fromkeys(p.chunk.doc_id for p in passages)
    rows = np.concatenate([by_doc[d] for d in docs if d in by_doc] or [np.zeros(0, dtype=int)])
    seen = {p.chunk.id for p in passages}
    rows = np.array([r for r in rows if index.chunks[r].id not in seen], dtype=int)
    if not len(rows):
        return []
    similarity = index.embeddings[rows] @ q_vec
    best = np.argsort(-similarity, kind="stable")[:n]
    return [ScoredChunk(index.chunks[rows[i]], round(float(similarity[i]) * FURTHER_WEIGHT, 4)) for i in best]


def _doc_rows(index: LexicalIndex) -> dict[str, np.ndarray]:
    with _rows_lock:
        cached = _rows.get(index.signature)
        if cached is None:
            grouped: dict[str, list[int]] = {}
            for row, chunk in enumerate(index.chunks):
                grouped.setdefault(chunk.doc_id, []).append(row)
            cached = {doc: np.array(rows, dtype=int) for doc, rows in grouped.items()}
            _rows.clear()  # one index is served at a time
            _rows[index.signature] = cached
        return cached
