"""Hybrid retrieval: dense (Chroma) + BM25 fused by reciprocal rank, then reranked on query-passage evidence.

`HybridSearch` does the work and returns typed `ScoredChunk`s; `HybridRetriever` exposes it as a LangChain
`BaseRetriever` so it composes with any LangChain chain.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.search.lexical import LexicalCache, LexicalIndex
from assistant.text import content_terms, index_tokens, is_year, numbers_in
from assistant.contract.types import ScoredChunk

RRF_K = 60
TOKEN_CACHE_SIZE = 20_000  # chunks whose tokens stay cached between searches
# Rerank weights: semantic closeness, share of the question's (idf-weighted) terms present, lexical score, figures,
# and whether the document's own period (e.g. 'FY2024', 'Q2 2025') is the one the question asks about.
W_DENSE, W_COVER, W_BM25, W_NUMBERS, W_PERIOD = 0.45, 0.35, 0.10, 0.05, 0.10


class HybridSearch:
    """Dense + lexical candidates, fused and reranked."""

    def __init__(self, store, embedder, lexical: LexicalCache, fetch_k: int = 40):
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.fetch_k = fetch_k
        self._token_cache: OrderedDict[tuple[str, int], frozenset[str]] = OrderedDict()
        self._token_lock = threading.Lock()

    def _tokens(self, index: LexicalIndex, row: int) -> frozenset[str]:
        """The index tokens of a chunk, kept for the chunks that recent searches reranked."""
        key = (index.signature, row)
        with self._token_lock:  # searches run in several server threads at once
            tokens = self._token_cache.get(key)
            if tokens is not None:
                self._token_cache.move_to_end(key)
                return tokens
        tokens = frozenset(index_tokens(index.chunks[row].search_text()))
        with self._token_lock:
            self._token_cache[key] = tokens
            if len(self._token_cache) > TOKEN_CACHE_SIZE:
                self._token_cache.popitem(last=False)
        return tokens

    def index(self, docs=None) -> LexicalIndex:
        return self.lexical.get(self.store, docs)

    def latest_index(self) -> LexicalIndex:
        """The index the search just used (for idf weights when answering), with no second store read."""
        return self.lexical.latest(self.store)

    def search(self, query: str, k: int, doc_ids: list[str] | None = None,
               sides: list[str] | tuple[str, ...] = ()) -> list[ScoredChunk]:
        """The k best passages; with `sides` (one search text per company, segment or period a question sets
        against another), the best for the whole question and for each side, taken in turn, so that every
        side's evidence makes the cut."""
        if not sides:
            return self._search(query, k, doc_ids)
        rankings = [self._search(query, k, doc_ids)] + [self._search(side, k, doc_ids) for side in sides]
        return interleave(rankings, k)

    def _search(self, query: str, k: int, doc_ids: list[str] | None = None) -> list[ScoredChunk]:
        docs = self.store.documents()  # read once per search: the commit records decide what is served
        index = self.index(docs)
        allowed = set(doc_ids) if doc_ids is not None else None
        q_vec = np.asarray(self.embedder.embed_query(query), dtype="float32")
        dense = self.store.query(q_vec.tolist(), self.fetch_k, doc_ids, docs)
        lexical = index.search(query, self.fetch_k, allowed)

        fused: dict[int, float] = {}
        for rank, (chunk, _sim, _emb) in enumerate(dense):
            row = index.rows.get(chunk.id)
            if row is not None:
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        bm25 = dict(lexical)
        for rank, (row, _score) in enumerate(lexical):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        if not fused:
            return []
        return self._rerank(query, q_vec, index, fused, bm25)[:k]

    def _rerank(self, query: str, q_vec: np.ndarray, index: LexicalIndex, fused: dict[int, float],
                bm25: dict[int, float]) -> list[ScoredChunk]:
        rows = list(fused)
        terms = content_terms(query)
        weights = {t: index.idf(t) for t in terms}
        total_w = sum(weights.values()) or 1.0
        q_numbers = numbers_in(query)
        q_periods = question_periods(query)
        max_bm25 = max(bm25.values(), default=0.0) or 1.0
        dense_sims = index.embeddings[rows] @ q_vec if len(index.embeddings) else np.zeros(len(rows))
        out = []
        for row, dense_sim in zip(rows, dense_sims):
            chunk = index.chunks[row]
            tokens = self._tokens(index, row)
            cover = sum(w for t, w in weights.items() if t in tokens) / total_w
            numbers = (len(q_numbers & numbers_in(chunk.search_text())) / len(q_numbers)) if q_numbers else 0.0
            period = period_match(q_periods, chunk.period) if q_periods else 0.0
            signals = {"dense": float(dense_sim), "coverage": cover, "bm25": bm25.get(row, 0.0) / max_bm25,
                       "numbers": numbers, "period": period, "rrf": fused[row]}
            score = (W_DENSE * signals["dense"] + W_COVER * cover + W_BM25 * signals["bm25"]
                     + W_NUMBERS * numbers + W_PERIOD * period)
            out.append(ScoredChunk(chunk=chunk, score=round(score, 4), signals=signals))
        out.sort(key=lambda s: s.score, reverse=True)
        return out


class HybridRetriever(BaseRetriever):
    """LangChain retriever over `HybridSearch`; documents carry the chunk metadata plus `score` and `chunk_id`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: Any
    k: int = 5
    doc_ids: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.search.search(query, self.k, self.doc_ids)
        return [Document(page_content=h.chunk.text, id=h.chunk.id,
                         metadata=dict(h.chunk.metadata(), chunk_id=h.chunk.id, score=h.score)) for h in hits]


def interleave(rankings: list[list[ScoredChunk]], k: int) -> list[ScoredChunk]:
    """Round-robin over several rankings, each passage once, until k are taken."""
    out: dict[str, ScoredChunk] = {}
    for rank in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking) and len(out) < k:
                out.setdefault(ranking[rank].chunk.id, ranking[rank])
    return list(out.values())


def question_periods(question: str) -> set[str]:
    """The periods a question names: years and quarter/fiscal-year tokens ('q4', '2025', 'fy2025')."""
    tokens = set(index_tokens(question))
    return {t for t in tokens if is_year(t) or re.fullmatch(r"q[1-4]|fy(19|20)\d\d", t)}


def period_match(periods: set[str], doc_period: str) -> float:
    """Share of the question's periods that the document's period label names (1.0 = the asked-for filing)."""
    label = set(index_tokens(doc_period)) | set(re.findall(r"(?:19|20)\d\d", doc_period))
    label |= {"q" + q for q in re.findall(r"\bq([1-4])\b", doc_period.lower())}
    return len(periods & label) / len(periods)
