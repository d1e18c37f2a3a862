"""The answer chain over one typed `Turn`: validate -> understand -> retrieve -> answer, each stage timed. `ask()`
runs the stages in turn; `stream()` runs the first three, then streams the answer. `as_runnable` gives the same
stages as one LangChain Runnable (LangChain is imported only then, so a cold `qa ask` does not load it)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from collections.abc import Callable

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


def timed(name: str, fn: Stage) -> Stage:
    """A stage that records its wall time in ms under turn.timings[name]."""

    def run(turn: Turn) -> Turn:
        start = time.perf_counter()
        out = fn(turn)
        out.timings[name] = round((time.perf_counter() - start) * 1000, 2)
        return out

    return run


def run_stages(stages: list[tuple[str, Stage]], turn: Turn) -> Turn:
    for name, fn in stages:
        turn = timed(name, fn)(turn)
    return turn


def as_runnable(stages: list[tuple[str, Stage]]):
    """The stages as one LangChain Runnable (a `Turn` in, the finished `Turn` out), each a timed RunnableLambda."""
    from langchain_core.runnables import RunnableLambda

    runnable = None
    for name, fn in stages:
        step = RunnableLambda(timed(name, fn), name=name)
        runnable = step if runnable is None else runnable | step
    return runnable


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


def front_stages(settings, understand: Stage, retrieve: Stage) -> list[tuple[str, Stage]]:
    """validate, understand, retrieve."""
    return [
        ("validate", validate(settings.limits.max_question_chars, settings.retrieval.max_k)),
        ("understand", understand),
        ("retrieve", retrieve),
    ]
