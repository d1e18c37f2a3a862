"""The answer chain as LangChain Runnables over one typed `Turn`: validate -> understand -> retrieve -> answer,
each stage timed. `ask()` runs the whole chain; `stream()` runs the first three, then streams the answer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.contract import phrases
from assistant.contract.errors import InvalidQuestion, QuestionTooLong
from assistant.query.analyze import Query
from assistant.search.lexical import LexicalIndex
from assistant.contract.types import Answer, DocumentInfo, ScoredChunk


@dataclass
class Turn:
    """One question on its way through the chain."""

    question: str
    k: int
    doc_ids: list[str] | None = None
    history: list[tuple[str, str]] = field(default_factory=list)
    documents: dict[str, DocumentInfo] = field(default_factory=dict)  # the committed documents, read once
    index: LexicalIndex | None = None  # the index snapshot every stage of this turn reads
    query: Query | None = None
    passages: list[ScoredChunk] = field(default_factory=list)
    answer: Answer | None = None
    timings: dict[str, float] = field(default_factory=dict)


Stage = Callable[[Turn], Turn]


def timed(name: str, fn: Stage) -> Runnable:
    """A chain stage that records its wall time in ms under turn.timings[name]."""
    def run(turn: Turn) -> Turn:
        start = time.perf_counter()
        out = fn(turn)
        out.timings[name] = round((time.perf_counter() - start) * 1000, 2)
        return out
    return RunnableLambda(run, name=name)


def validate(max_chars: int, max_k: int) -> Stage:
    def run(turn: Turn) -> Turn:
        question = (turn.question or "").strip()
        if not question:
            raise InvalidQuestion(phrases.EMPTY_QUESTION)
        if len(question) > max_chars:
            raise QuestionTooLong(phrases.QUESTION_TOO_LONG.format(length=len(question), limit=max_chars))
        k = turn.k
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= max_k:
            raise InvalidQuestion(phrases.BAD_K.format(limit=max_k))
        history = [(str(t[0]), str(t[1])) for t in turn.history or [] if len(t) == 2 and str(t[0]).strip()]
        return replace(turn, question=question, history=history)
    return run


def build_front_chain(settings, understand: Stage, retrieve: Stage) -> Runnable:
    """validate | understand | retrieve, each timed."""
    return (timed("validate", validate(settings.limits.max_question_chars, settings.retrieval.max_k))
            | timed("understand", understand)
            | timed("retrieve", retrieve))
