"""Run a question set through `Assistant.ask` (the path users hit) and score retrieval, answers, citations,
refusals and latency, overall and per category."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from assistant.errors import QAError
from assistant.types import Chunk
from assistant.evaluation.metrics import (all_facts_present, evidence_matches, fact_present, first_hit_rank, mrr,
                                          percentile, ratio, recall_at)

RETRIEVAL_DEPTH = 10
HEADLINE = ("recall@1", "recall@5", "recall@10", "mrr", "key_fact_accuracy", "citation_precision",
            "citation_recall", "refusal_precision", "refusal_recall", "answered_rate")


@dataclass
class Question:
    id: str
    question: str
    category: str
    answerable: bool
    answer: str = ""
    key_facts: list = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    history: list = field(default_factory=list)


@dataclass
class Result:
    """One question's outcome."""

    id: str
    category: str
    question: str
    answerable: bool
    expected: str
    answer: str
    refused: bool
    rank: int | None
    facts_ok: bool
    cited_evidence: bool
    citations_with_support: int
    citations: list[dict]
    timings: dict[str, float]
    resolved_question: str = ""
    error: str = ""

    @property
    def correct(self) -> bool:
        return (not self.refused and self.facts_ok) if self.answerable else self.refused


def load_questions(path: Path) -> list[Question]:
    """Read a JSONL question set, one object per line; reports the line of a malformed entry."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            out.append(Question(**{k: v for k, v in data.items() if k in Question.__dataclass_fields__}))
        except (json.JSONDecodeError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a valid question ({exc})") from exc
    return out


def run_question(assistant, q: Question, k: int) -> Result:
    """Ask one question the way a user would, then rank the gold evidence in a deeper retrieval of the same query."""
    try:
        answer = assistant.ask(q.question, k=k, history=q.history or None)
    except QAError as exc:
        return Result(q.id, q.category, q.question, q.answerable, q.answer, "", True, None, False, False, 0, [], {},
                      error=exc.message)
    query = answer.resolved_question or answer.question
    start = time.perf_counter()
    ranked = [hit.chunk for hit in assistant.search.search(query, RETRIEVAL_DEPTH)]
    deep_ms = (time.perf_counter() - start) * 1000
    rank = first_hit_rank(q.evidence, ranked) if q.evidence else None
    cited = answer.citations if not answer.refused else []
    facts_ok = all_facts_present(q.key_facts, answer.text) if q.answerable else False
    cited_chunks = [Chunk(id=c.chunk_id, doc_id=c.doc_id, text=c.text, page=c.page) for c in cited]

    def supports(chunk: Chunk) -> bool:
        return any(evidence_matches(e, chunk) for e in q.evidence) or \
            any(fact_present(f, chunk.text) for f in q.key_facts)

    cited_evidence = any(evidence_matches(e, c) for c in cited_chunks for e in q.evidence)
    return Result(
        id=q.id, category=q.category, question=q.question, answerable=q.answerable, expected=q.answer,
        answer=answer.text, refused=answer.refused, rank=rank, facts_ok=facts_ok, cited_evidence=cited_evidence,
        citations_with_support=sum(supports(c) for c in cited_chunks),
        citations=[{"n": c.n, "doc_id": c.doc_id, "page": c.page, "quote": c.quote[:400]} for c in answer.citations],
        timings=dict(answer.timings, deep_retrieval=round(deep_ms, 2)), resolved_question=answer.resolved_question)


def summarize(results: list[Result]) -> dict[str, Any]:
    """Headline metrics over a list of results."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    ranks = [r.rank for r in answerable]
    answered = [r for r in answerable if not r.refused]
    refused = [r for r in results if r.refused]
    n_citations = sum(len(r.citations) for r in answered)
    return {
        "questions": len(results), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "recall@1": recall_at(ranks, 1), "recall@5": recall_at(ranks, 5), "recall@10": recall_at(ranks, 10),
        "mrr": mrr(ranks),
        "key_fact_accuracy": ratio(sum(r.facts_ok for r in answerable), len(answerable)),
        "answered_rate": ratio(len(answered), len(answerable)),
        "citation_precision": ratio(sum(r.citations_with_support for r in answered), n_citations),
        "citation_recall": ratio(sum(r.cited_evidence for r in answered), len(answered)),
        "refusal_precision": ratio(sum(not r.answerable for r in refused), len(refused)),
        "refusal_recall": ratio(sum(r.refused for r in unanswerable), len(unanswerable)),
        "false_refusals": sum(r.refused for r in answerable),
        "accuracy": ratio(sum(r.correct for r in results), len(results)),
    }


def latency(results: list[Result]) -> dict[str, dict[str, float]]:
    stages: dict[str, list[float]] = defaultdict(list)
    for r in results:
        for stage, ms in r.timings.items():
            stages[stage].append(ms)
    return {s: {"p50": round(percentile(v, 50), 2), "p95": round(percentile(v, 95), 2)} for s, v in stages.items()}


def failure_reason(r: Result) -> str:
    if r.error:
        return f"error: {r.error}"
    if not r.answerable:
        return "answered a question the documents do not answer"
    if r.refused:
        return "refused an answerable question"
    if not r.facts_ok:
        return "answer lacks a key fact" + ("" if r.rank else " (evidence not retrieved in top 10)")
    return ""


def evaluate(assistant, questions: list[Question], k: int = 5,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Everything the reports show, as one JSON-able dict."""
    results = []
    for i, q in enumerate(questions, start=1):
        results.append(run_question(assistant, q, k))
        if progress:
            progress(i, len(questions))
    by_category: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_category[r.category].append(r)
    return {
        "k": k,
        "metrics": summarize(results),
        "latency_ms": latency(results),
        "categories": {c: summarize(rs) for c, rs in sorted(by_category.items())},
        "failures": [dict(asdict(r), reason=failure_reason(r)) for r in results if not r.correct],
        "results": [asdict(r) for r in results],
    }


def check_thresholds(metrics: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """Messages for every metric below its committed minimum (or above its maximum for *_max keys)."""
    problems = []
    for name, bound in thresholds.items():
        if name.startswith("_"):
            continue
        if name.endswith("_max"):
            value = metrics.get(name[:-4])
            if value is None or value > bound:
                problems.append(f"{name[:-4]} = {value} is above the maximum {bound}")
        else:
            value = metrics.get(name)
            if value is None or value < bound:
                problems.append(f"{name} = {value} is below the threshold {bound}")
    return problems
