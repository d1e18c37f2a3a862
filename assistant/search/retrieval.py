"""Hybrid retrieval: dense (Chroma) + BM25 fused by reciprocal rank, then reranked on query-passage evidence.

`HybridSearch` runs a search plan and returns typed `ScoredChunk`s (`assistant/search/retriever.py` exposes the
same search as a LangChain `BaseRetriever`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import replace
from functools import lru_cache

import numpy as np

from assistant.search.lexical import LexicalCache, LexicalIndex
from assistant.search.plan import SearchPart, SearchPlan
from assistant.text import content_terms, index_tokens, numbers_in
from assistant.contract.types import ScoredChunk

RRF_K = 60
TOKEN_CACHE_SIZE = 20_000  # chunks whose tokens and numbers stay cached between searches
STATED_SHARE = 0.5  # of the k passages, at most this share are the ones the facts index says state the figures
UNIT_CACHE_SIZE = 4_096  # chunks whose unit vectors stay cached (the index keeps chunks without them)
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
        self._token_cache: OrderedDict[str, tuple[frozenset[str], frozenset[str]]] = OrderedDict()
        self._token_lock = threading.Lock()
        self._unit_cache: OrderedDict[str, str] = OrderedDict()

    def _tokens(self, index: LexicalIndex, row: int) -> tuple[frozenset[str], frozenset[str]]:
        """The index tokens and the numbers of a chunk, kept for the chunks that recent searches reranked (by chunk
        id: a chunk's text, and so its tokens, never change)."""
        key = index.chunks[row].id
        with self._token_lock:  # searches run in several server threads at once
            found = self._token_cache.get(key)
            if found is not None:
                self._token_cache.move_to_end(key)
                return found
        found = (index.tokens(row), frozenset(numbers_in(index.chunks[row].search_text())))
        with self._token_lock:
            self._token_cache[key] = found
            if len(self._token_cache) > TOKEN_CACHE_SIZE:
                self._token_cache.popitem(last=False)
        return found

    def index(self, docs=None, wait: bool = False) -> LexicalIndex:
        return self.lexical.get(self.store, docs, wait)

    def latest_index(self) -> LexicalIndex:
        """The index last brought up to date, with no store read."""
        return self.lexical.latest(self.store)

    def run(self, plan: SearchPlan, k: int, docs=None, index: LexicalIndex | None = None) -> list[ScoredChunk]:
        """The k best passages for a plan: first the passages stating the figures it asks for (when it names them),
        then the searched ones. Each side's search is taken in turn with the whole question's, so that every side's
        evidence makes the cut."""
        docs = self.store.documents() if docs is None else docs  # read once: the commit records decide what is served
        index = index if index is not None else self.index(docs)
        hits = self._stated(plan, k, index)
        seen = {h.chunk.id for h in hits}
        hits += [h for h in self._parts(plan, k, plan.doc_ids, index) if h.chunk.id not in seen][: k - len(hits)]
        return self.with_unit_vectors(hits)

    def _stated(self, plan: SearchPlan, k: int, index: LexicalIndex) -> list[ScoredChunk]:
        """The passages that state the figures a question asks for, by the facts index (a statement's row before a
        sentence, the scoped filings' own statements first); at most STATED_SHARE of the k."""
        if not plan.figures:
            return []
        allowed = set(plan.doc_ids) if plan.doc_ids is not None else None
        scope = set(plan.scope or ())
        rows: dict[int, None] = {}
        for figure in plan.figures:
            found = index.facts.find(figure.concept, figure.company, figure.segment, figure.period, doc_ids=allowed)
            found.sort(key=lambda f: f.doc_id not in scope)  # stable: trust order within each
            row = next((r for r in (index.row_of_id(f.chunk_id) for f in found) if r is not None), None)
            if row is not None:
                rows.setdefault(row)
        cap = max(1, round(k * STATED_SHARE))
        if not rows:
            return []
        scored = {
            s.chunk.id: s
            for s in self._rerank(plan.parts[0], self._query_vector(plan.parts[0]), index, {r: 0.0 for r in rows}, {})
        }
        return [scored[index.chunks[r].id] for r in list(rows)[:cap]]

    def with_unit_vectors(self, hits: list[ScoredChunk]) -> list[ScoredChunk]:
        """The hits' chunks with their unit vectors (answering scores sentences by them), fetched for these few
        chunks and kept for the chunks recently returned (a chunk id's vectors never change)."""
        with self._token_lock:
            known = {h.chunk.id: self._unit_cache[h.chunk.id] for h in hits if h.chunk.id in self._unit_cache}
        missing = [h.chunk.id for h in hits if h.chunk.id not in known]
        if missing:
            fetched = self.store.unit_vectors(missing)
            known.update(fetched)
            with self._token_lock:
                self._unit_cache.update(fetched)
                while len(self._unit_cache) > UNIT_CACHE_SIZE:
                    self._unit_cache.popitem(last=False)
        return [replace(h, chunk=replace(h.chunk, vectors=known.get(h.chunk.id, ""))) for h in hits]

    def search(self, text: str, k: int, doc_ids: list[str] | None = None) -> list[ScoredChunk]:
        """The k best passages for a text searched as it is (no question analysis, no period signal)."""
        return self.run(SearchPlan((SearchPart(text),), doc_ids), k)

    def _parts(self, plan: SearchPlan, k: int, doc_ids: list[str] | None, index) -> list[ScoredChunk]:
        rankings = [self._search(part, k, doc_ids, index) for part in plan.parts]
        return rankings[0] if len(rankings) == 1 else interleave(rankings, k)

    def _search(self, part: SearchPart, k: int, doc_ids: list[str] | None, index: LexicalIndex) -> list[ScoredChunk]:
        allowed = set(doc_ids) if doc_ids is not None else None
        q_vec = self._query_vector(part)
        dense = self.store.nearest(q_vec.tolist(), self.fetch_k, doc_ids)
        lexical = index.search(part.text, self.fetch_k, allowed)

        fused: dict[int, float] = {}
        rank = 0
        for chunk_id, _sim in dense:
            row = index.row_of_id(chunk_id)
            if row is not None and (allowed is None or index.chunks[row].doc_id in allowed):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
                rank += 1
        bm25 = dict(lexical)
        for rank, (row, _score) in enumerate(lexical):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        if not fused:
            return []
        return self._rerank(part, q_vec, index, fused, bm25)[:k]

    def _query_vector(self, part: SearchPart) -> np.ndarray:
        return np.asarray(self.embedder.embed_query(part.text), dtype="float32")

    def _rerank(
        self, part: SearchPart, q_vec: np.ndarray, index: LexicalIndex, fused: dict[int, float], bm25: dict[int, float]
    ) -> list[ScoredChunk]:
        rows = list(fused)
        terms = content_terms(part.text)
        weights = {t: index.idf(t) for t in terms}
        total_w = sum(weights.values()) or 1.0
        q_numbers = numbers_in(part.text)
        max_bm25 = max(bm25.values(), default=0.0) or 1.0
        dense_sims = index.embeddings[rows] @ q_vec if len(index.embeddings) else np.zeros(len(rows))
        out = []
        for row, dense_sim in zip(rows, dense_sims):
            chunk = index.chunks[row]
            tokens, figures = self._tokens(index, row)
            cover = sum(w for t, w in weights.items() if t in tokens) / total_w
            numbers = (len(q_numbers & figures) / len(q_numbers)) if q_numbers else 0.0
            period = period_match(part.periods, chunk.period) if part.periods else 0.0
            signals = {
                "dense": float(dense_sim),
                "coverage": cover,
                "bm25": bm25.get(row, 0.0) / max_bm25,
                "numbers": numbers,
                "period": period,
                "rrf": fused[row],
            }
            score = (
                W_DENSE * signals["dense"]
                + W_COVER * cover
                + W_BM25 * signals["bm25"]
                + W_NUMBERS * numbers
                + W_PERIOD * period
            )
            out.append(ScoredChunk(chunk=chunk, score=round(score, 4), signals=signals))
        out.sort(key=lambda s: s.score, reverse=True)
        return out


def interleave(rankings: list[list[ScoredChunk]], k: int) -> list[ScoredChunk]:
    """Round-robin over several rankings, each passage once, until k are taken."""
    out: dict[str, ScoredChunk] = {}
    for rank in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking) and len(out) < k:
                out.setdefault(ranking[rank].chunk.id, ranking[rank])
    return list(out.values())


@lru_cache(maxsize=4096)
def _label_terms(doc_period: str) -> frozenset[str]:
    label = set(index_tokens(doc_period)) | set(re.findall(r"(?:19|20)\d\d", doc_period))
    return frozenset(label | {"q" + q for q in re.findall(r"\bq([1-4])\b", doc_period.lower())})


def period_match(periods: frozenset[str], doc_period: str) -> float:
    """Share of the question's periods that the document's period label names (1.0 = the asked-for filing)."""
    return len(periods & _label_terms(doc_period)) / len(periods)
