"""`Assistant`: the one Python API that the CLI, the HTTP API, the UI and the evaluation all call."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Iterable, Iterator

from assistant import phrases
from assistant.config import Settings, apply_offline_env
from assistant.errors import LoadError, StoreEmpty, UnknownDocument
from assistant.types import Answer, DocumentInfo, IngestReport


class Assistant:
    """Ask questions over the ingested documents; ingest, list and delete documents."""

    def __init__(self, store_path: str | Path | None = None, settings: Settings | None = None, **overrides):
        apply_offline_env()
        from assistant.answering import ExtractiveAnswerer
        from assistant.embeddings import PackagedEmbeddings
        from assistant.lexical import LexicalCache
        from assistant.retrieval import HybridSearch
        from assistant.store import ChunkStore

        if store_path is not None:
            overrides["store_path"] = Path(store_path)
        self.settings = settings or Settings.from_env(**overrides)
        self.store = ChunkStore(self.settings)
        self.embedder = PackagedEmbeddings(batch_size=self.settings.embed_batch, backend=self.settings.embed_backend)
        cache_dir = None if self.settings.uses_server else self.settings.store_path / "cache"
        self.search = HybridSearch(self.store, self.embedder, LexicalCache(cache_dir), self.settings.fetch_k)
        self.extractive = ExtractiveAnswerer(self.settings.answer_sentences, self.settings.min_support)
        self._ingest_lock = threading.Lock()
        self._chain = None
        self._retrieval_chain = None
        self._generator = None

    # -- asking ---------------------------------------------------------------------------------------------
    @property
    def chain(self):
        """The whole answer chain as one LangChain Runnable (dict state in, dict state out)."""
        if self._chain is None:
            from assistant.chain import timed

            self._chain = self.retrieval_chain | timed("answer", self._answer_stage)
        return self._chain

    @property
    def retrieval_chain(self):
        """validate | condense | retrieve, the front half of `chain` (streaming runs it, then generates)."""
        if self._retrieval_chain is None:
            from assistant.chain import build_retrieval_chain

            self._retrieval_chain = build_retrieval_chain(self.settings, self.retriever, self._condense)
        return self._retrieval_chain

    @property
    def generator(self):
        """The generative answerer the settings ask for, or None for the extractive default."""
        if self._generator is None and self.settings.answerer != "extractive":
            from assistant.generative import GenerativeAnswerer, make_chat_model

            self._generator = GenerativeAnswerer(make_chat_model(self.settings))
        return self._generator

    def retriever(self, k: int | None = None, doc_ids: list[str] | None = None):
        """A LangChain `BaseRetriever` over the hybrid search, for use in any chain."""
        from assistant.retrieval import HybridRetriever

        return HybridRetriever(search=self.search, k=k or self.settings.k, doc_ids=doc_ids)

    def ask(self, question: str, k: int | None = None, doc_ids: list[str] | None = None,
            history: list[tuple[str, str]] | list[list[str]] | None = None) -> Answer:
        """Answer a question with citations, or refuse with the closest passages."""
        started = time.perf_counter()
        out = self.chain.invoke(self._start(question, k, doc_ids, history))
        return self._finish(out, started)

    def stream(self, question: str, k: int | None = None, doc_ids: list[str] | None = None,
               history: list | None = None) -> Iterator[tuple[str, object]]:
        """Yield ('delta', text) pieces as the answer is composed, then ('answer', Answer).

        With a generative answerer the deltas are the model's raw tokens; the final Answer is the verified text,
        which may differ (unsupported sentences removed), so front ends replace the streamed text with it."""
        started = time.perf_counter()
        if self.generator is None:
            answer = self.ask(question, k=k, doc_ids=doc_ids, history=history)
            for piece in re.split(r"(?<=\]) ", answer.text):
                yield "delta", piece + " "
            yield "answer", answer
            return
        state = self.retrieval_chain.invoke(self._start(question, k, doc_ids, history))
        gen_start = time.perf_counter()
        pieces: list[str] = []
        try:
            for piece in self.generator.stream(state["resolved"], state["passages"]):
                pieces.append(piece)
                yield "delta", piece
            state["answer"] = self._checked("".join(pieces), state)
        except Exception as exc:  # server down, timeout, bad response: never a hang or a traceback
            state["answer"] = self._fallback(state, phrases.LLM_UNAVAILABLE.format(detail=_describe(exc)))
        state["timings"]["answer"] = round((time.perf_counter() - gen_start) * 1000, 2)
        yield "answer", self._finish(state, started)

    def _start(self, question, k, doc_ids, history) -> dict:
        if doc_ids is not None:
            known = self.store.documents()
            missing = [d for d in doc_ids if d not in known]
            if missing:
                raise UnknownDocument(phrases.UNKNOWN_DOCUMENT.format(doc_id=missing[0]))
        self._require_documents()
        return {"question": question, "k": self.settings.k if k is None else k, "doc_ids": doc_ids,
                "history": history or []}

    def _finish(self, out: dict, started: float) -> Answer:
        answer: Answer = out["answer"]
        answer.question = out["question"]
        answer.resolved_question = out["resolved"] if out["resolved"] != out["question"] else ""
        answer.timings = dict(out["timings"], total=round((time.perf_counter() - started) * 1000, 2))
        return answer

    def _condense(self, question: str, history: list) -> str:
        from assistant.condense import condense, needs_context

        if history and self.generator is not None and needs_context(question):
            try:
                return self.generator.condense(question, history)
            except Exception:  # the heuristic below still resolves the question without the model
                pass
        return condense(question, history)

    def _answer_stage(self, state: dict) -> dict:
        if self.generator is None:
            return dict(state, answer=self.extractive.answer(state["resolved"], state["passages"],
                                                             self.search.latest_index()))
        try:
            text = self.generator.generate(state["resolved"], state["passages"])
        except Exception as exc:  # server down, timeout, bad response: never a hang or a traceback
            return dict(state, answer=self._fallback(state, phrases.LLM_UNAVAILABLE.format(detail=_describe(exc))))
        return dict(state, answer=self._checked(text, state))

    def _checked(self, text: str, state: dict) -> Answer:
        """Verify a generated answer; if no sentence survives, the extractive answer, marked as a fallback."""
        from assistant.verify import verify

        answer = verify(state["resolved"], text, state["passages"], answerer=self.settings.answerer)
        if answer.refused:
            return self._fallback(state, phrases.LLM_UNSUPPORTED)
        return answer

    def _fallback(self, state: dict, notice: str) -> Answer:
        answer = self.extractive.answer(state["resolved"], state["passages"], self.search.latest_index())
        answer.fallback, answer.notice, answer.answerer = True, notice, "extractive"
        return answer

    def _require_documents(self) -> None:
        if not self.store.documents():
            raise StoreEmpty(phrases.STORE_EMPTY)

    # -- documents ------------------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return sorted(self.store.documents().values(), key=lambda d: d.doc_id)

    def ingest(self, paths: Iterable[str | Path] | None = None, prune: bool = False, progress=None,
               show_progress: bool = False) -> IngestReport:
        from ingest.pipeline import Ingestor

        with self._ingest_lock:
            self.store.create = True
            ingestor = Ingestor(self.settings, store=self.store, embedder=self.embedder)
            return ingestor.run([Path(p) for p in paths] if paths else None, prune=prune, progress=progress,
                                show_progress=show_progress)

    def ingest_upload(self, filename: str, data: bytes, progress=None) -> IngestReport:
        """Save an uploaded file under the upload folder (name sanitised, type checked by content) and ingest it."""
        from ingest.uploads import save_upload

        path = save_upload(self.settings.upload_dir, filename, data, self.settings.max_upload_mb)
        report = self.ingest([path], progress=progress)
        if report.problems and not report.added_chunks and not report.unchanged_documents:
            path.unlink(missing_ok=True)
            raise LoadError(report.problems[0].error)
        return report

    def delete_document(self, doc_id: str) -> int:
        if doc_id not in self.store.documents():
            raise UnknownDocument(phrases.UNKNOWN_DOCUMENT.format(doc_id=doc_id))
        with self._ingest_lock:
            return self.store.delete_document(doc_id)


def _describe(exc: Exception) -> str:
    """A short, path-free description of a model failure."""
    name = type(exc).__name__
    return "timed out" if "Timeout" in name else "connection failed" if "Connection" in name else name
