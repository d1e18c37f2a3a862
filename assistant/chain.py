"""The answer chain as LangChain Runnables: validate -> condense -> retrieve -> answer, timing every stage.

The state passed along is a plain dict. `retrieval_chain` is the shared front half; the `answer` stage is the
extractive answerer or a generative one (generate -> verify), so streaming can run the front half and then
stream the generation itself.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from langchain_core.runnables import Runnable, RunnableLambda

from assistant import phrases
from assistant.condense import condense
from assistant.errors import InvalidQuestion, QuestionTooLong
from assistant.types import Chunk, ScoredChunk

State = dict[str, Any]


def timed(name: str, fn: Callable[[State], State]) -> Runnable:
    """A chain stage that records its wall time in ms under state['timings'][name]."""
    def run(state: State) -> State:
        start = time.perf_counter()
        out = fn(state)
        out.setdefault("timings", {})[name] = round((time.perf_counter() - start) * 1000, 2)
        return out
    return RunnableLambda(run, name=name)


def validate(max_chars: int, max_k: int) -> Callable[[State], State]:
    def run(state: State) -> State:
        question = (state.get("question") or "").strip()
        if not question:
            raise InvalidQuestion(phrases.EMPTY_QUESTION)
        if len(question) > max_chars:
            raise QuestionTooLong(phrases.QUESTION_TOO_LONG.format(length=len(question), limit=max_chars))
        k = state.get("k")
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= max_k:
            raise InvalidQuestion(phrases.BAD_K.format(limit=max_k))
        return dict(state, question=question)
    return run


def condense_stage(condenser: Callable[[str, list], str] = condense) -> Callable[[State], State]:
    def run(state: State) -> State:
        history = [tuple(turn) for turn in (state.get("history") or []) if len(turn) == 2]
        return dict(state, resolved=condenser(state["question"], history))
    return run


def retrieve_stage(make_retriever: Callable[[int, list[str] | None], Any]) -> Callable[[State], State]:
    """Run the LangChain retriever and turn its Documents back into typed ScoredChunks."""
    def run(state: State) -> State:
        retriever = make_retriever(state["k"], state.get("doc_ids"))
        docs = retriever.invoke(state["resolved"])
        passages = [ScoredChunk(chunk=Chunk.from_record(d.metadata["chunk_id"], d.page_content, d.metadata),
                                score=float(d.metadata["score"])) for d in docs]
        return dict(state, passages=passages)
    return run


def build_retrieval_chain(settings, make_retriever, condenser: Callable[[str, list], str] = condense) -> Runnable:
    """validate | condense | retrieve, each timed."""
    return (timed("validate", validate(settings.max_question_chars, settings.max_k))
            | timed("condense", condense_stage(condenser))
            | timed("retrieve", retrieve_stage(make_retriever)))

