"""Run a question set through `Assistant.ask` (the path users hit) and score retrieval, the direct answer,
citations by support, refusals and latency, overall and per category. A question that raises is an error:
a failure in every metric, listed apart."""

from __future__ import annotations

import json
import time
import traceback
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from assistant.evaluation.metrics import first_hit_rank, mrr, percentile, ratio, recall_at
from assistant.evaluation.scoring import check_direct, score_citations, states_all
from assistant.contract.types import Answer

RETRIEVAL_DEPTH = 10


@dataclass
class Question:
    id: str
    question: str
    category: str
    answerable: bool
    answer: str = ""
    key_facts: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    history: list = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)  # the documents the question is about (all must be ingested)
    split: str = ""  # 'dev' or 'holdout' where a set keeps some questions back


@dataclass
class Result:
    """One question's outcome."""

    id: str
    category: str
    question: str
    answerable: bool
    expected: str
    answer: str = ""
    direct: str = ""
    refused: bool = False
    rank: int | None = None
    facts_in_reply: bool = False  # every key fact stated somewhere in the reply
    missing_facts: list[str] = field(default_factory=list)  # key facts the direct answer does not state
    wrong_in_direct: list[str] = field(default_factory=list)  # listed wrong figures it states
    unmatched: list[str] = field(default_factory=list)  # figures of the asked kind that match no key fact
    sentences: int = 0
    supported_sentences: int = 0
    unsupported_sentences: list[str] = field(default_factory=list)
    citations_scored: int = 0
    citations_precise: int = 0
    citations: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    resolved_question: str = ""
    answerer: str = ""
    error: str = ""

    @property
    def direct_ok(self) -> bool:
        return (
            not self.error and not self.refused and not (self.missing_facts or self.wrong_in_direct or self.unmatched)
        )

    @property
    def wrong(self) -> bool:
        """Answered (not refused, no error) and not right: an answer a reader would take for true."""
        return not self.error and not self.refused and not self.correct

    @property
    def correct(self) -> bool:
        if self.error:
            return False
        return self.direct_ok if self.answerable else self.refused


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


def missing_documents(questions: list[Question], served: set[str]) -> list[str]:
    """The documents the questions cite that the store does not serve, in order."""
    return list(dict.fromkeys(d for q in questions for d in q.doc_ids if d not in served))


def table_headers(assistant, answer: Answer) -> dict[int, str]:
    """Citation number -> the headers of the table its quote is a row of, as ingest read the table: caption,
    the row's group, each column's period (by the company's fiscal calendar, and as its end date) and scale.
    A row cut off from its table's header in its chunk is still checked against the periods it sits under."""
    from assistant.finance.periods import Period

    if not answer.citations:
        return {}
    index = assistant.search.latest_index()
    out = {}
    for citation in answer.citations:
        row = index.row_of_id(citation.chunk_id)
        table = index.chunks[row].table if row is not None else None
        if table is None:
            continue
        calendar = assistant.registry().calendar(index.chunks[row].company)
        periods = [Period.from_key(k) for k in table.columns if k]
        groups = {r.group for r in table.rows if r.line and r.line in citation.quote}
        scale = {1e3: "in thousands", 1e6: "in millions", 1e9: "in billions"}.get(table.scale, "")
        out[citation.n] = "\n".join(
            [
                table.caption,
                *sorted(groups),
                ", ".join(p.label(calendar) for p in periods),
                ", ".join(p.label() for p in periods if p.instant or p.months == 12),
                ", ".join(f"{p.end:%B} {p.end.day}, {p.end.year}" for p in periods),
                f"({scale})",
            ]
        )
    return out


def score_answer(q: Question, answer: Answer, rank: int | None, tables: dict[int, str] | None = None) -> Result:
    """Score one answer against its question (`tables`: see `table_headers`)."""
    cites = score_citations(answer, tables)
    direct = check_direct(q.key_facts, q.wrong, answer, q.answer)
    return Result(
        id=q.id,
        category=q.category,
        question=q.question,
        answerable=q.answerable,
        expected=q.answer,
        answer=answer.text,
        direct=answer.direct,
        refused=answer.refused,
        rank=rank,
        facts_in_reply=not answer.refused and states_all(q.key_facts, answer.text),
        missing_facts=[] if answer.refused else direct.missing,
        wrong_in_direct=[] if answer.refused else direct.wrong,
        unmatched=[] if answer.refused else direct.unmatched,
        sentences=cites.sentences,
        supported_sentences=cites.supported,
        unsupported_sentences=cites.unsupported,
        citations_scored=cites.citations,
        citations_precise=cites.precise,
        citations=[{"n": c.n, "doc_id": c.doc_id, "page": c.page, "quote": c.quote[:400]} for c in answer.citations],
        timings=dict(answer.timings),
        resolved_question=answer.resolved_question,
        answerer=answer.answerer + (" (fallback)" if answer.fallback else ""),
    )


def run_question(assistant, q: Question, k: int) -> Result:
    """Ask one question the way a user would, then rank the gold evidence in a deeper retrieval of the same query.
    Any exception is recorded as an error, never as a refusal."""
    try:
        answer = assistant.ask(q.question, k=k, history=q.history or None)
        query = answer.resolved_question or answer.question
        start = time.perf_counter()
        ranked = assistant.passages(query, RETRIEVAL_DEPTH)
        deep_ms = (time.perf_counter() - start) * 1000
    except Exception as exc:  # an error is a failure in every metric, and reported as such
        detail = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return Result(
            q.id, q.category, q.question, q.answerable, q.answer, error=detail, answer=traceback.format_exc(limit=3)
        )
    result = score_answer(
        q, answer, first_hit_rank(q.evidence, ranked) if q.evidence else None, table_headers(assistant, answer)
    )
    result.timings["deep_retrieval"] = round(deep_ms, 2)
    return result


def summarize(results: list[Result]) -> dict[str, Any]:
    """Headline metrics over a list of results. Errors count against every metric."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    ranks = [r.rank for r in answerable]
    answered = [r for r in results if not r.refused and not r.error]
    refused = [r for r in results if r.refused and not r.error]
    errors = [r for r in results if r.error]
    sentences = sum(r.sentences for r in answered) + sum(1 for r in errors if r.answerable)
    cited = sum(r.citations_scored for r in answered) + len(errors)
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "errors": len(errors),
        "recall@1": recall_at(ranks, 1),
        "recall@5": recall_at(ranks, 5),
        "recall@10": recall_at(ranks, 10),
        "mrr": mrr(ranks),
        "accuracy": ratio(sum(r.correct for r in results), len(results)),
        "direct_accuracy": ratio(sum(r.direct_ok for r in answerable), len(answerable)),
        "key_fact_accuracy": ratio(sum(r.facts_in_reply and not r.error for r in answerable), len(answerable)),
        "answered_rate": ratio(sum(not r.refused and not r.error for r in answerable), len(answerable)),
        "citation_precision": ratio(sum(r.citations_precise for r in answered), cited),
        "citation_recall": ratio(sum(r.supported_sentences for r in answered), sentences),
        "refusal_precision": ratio(sum(not r.answerable for r in refused), len(refused) + len(errors)),
        "refusal_recall": ratio(sum(r.refused and not r.error for r in unanswerable), len(unanswerable)),
        "false_refusals": sum(r.refused and not r.error for r in answerable),
        "wrong_answers": sum(r.wrong for r in results),
        "wrong_answer_rate": ratio(sum(r.wrong for r in results), len(results)),
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
    reasons = []
    if r.wrong_in_direct:
        reasons.append(f"states a listed wrong figure: {', '.join(r.wrong_in_direct)}")
    if r.unmatched:
        reasons.append(f"states a figure that matches no key fact: {', '.join(r.unmatched)}")
    if r.missing_facts:
        where = " (it is elsewhere in the reply)" if r.facts_in_reply else ""
        retrieved = "" if r.rank else " (evidence not retrieved in top 10)"
        reasons.append(f"misses {'; '.join(r.missing_facts)}{where}{retrieved}")
    return "; ".join(reasons)


def evaluate(
    assistant, questions: list[Question], k: int = 5, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
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
        "errors": [dict(asdict(r), reason=failure_reason(r)) for r in results if r.error],
        "wrong_answers": [dict(asdict(r), reason=failure_reason(r)) for r in results if r.wrong],
        "failures": [dict(asdict(r), reason=failure_reason(r)) for r in results if not r.correct and not r.error],
        "results": [dict(asdict(r), correct=r.correct) for r in results],
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
