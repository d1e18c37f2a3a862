"""`Assistant`: the one Python API that the CLI, the HTTP API, the UI and the evaluation all call."""

from __future__ import annotations

import logging
import re
import threading
import time
from functools import cached_property
from dataclasses import replace
from pathlib import Path
from collections.abc import Iterable, Iterator

from assistant.contract import phrases
from assistant.config import Settings, apply_offline_env
from assistant.contract.errors import LoadError, StoreEmpty, UnknownDocument
from assistant.contract.types import Answer, Chunk, DocumentInfo, Fact, IngestReport

log = logging.getLogger("assistant")


class Assistant:
    """Ask questions over the ingested documents; ingest, list and delete documents."""

    def __init__(
        self,
        store_path: str | Path | None = None,
        settings: Settings | None = None,
        *,
        embedder=None,
        generator=None,
        **overrides,
    ):
        """Parts may be handed in (`embedder`: any object with encode/embed_query; `generator`: a
        `GenerativeAnswerer`); otherwise the settings decide."""
        apply_offline_env()
        from assistant.answer.engine import AnswerEngine
        from assistant.answer.select import SentenceSelector
        from assistant.search.embeddings import PackagedEmbeddings
        from assistant.search.lexical import LexicalCache
        from assistant.query.registry import Registry
        from assistant.search.retrieval import HybridSearch
        from assistant.store.chunks import ChunkStore

        if store_path is not None:
            overrides["store_path"] = Path(store_path)
        self.settings = settings or Settings.from_env(**overrides)
        self.store = ChunkStore(self.settings)
        self.embedder = embedder or PackagedEmbeddings(
            batch_size=self.settings.embedding.batch,
            backend=self.settings.embedding.backend,
            cache_dir=self.settings.embedding.model_cache,
        )
        cache_dir = None if self.settings.uses_server else self.settings.store.path / "cache"
        self.search = HybridSearch(self.store, self.embedder, LexicalCache(cache_dir), self.settings.retrieval.fetch_k)
        self.engine = AnswerEngine(
            SentenceSelector(
                self.settings.answering.sentences,
                self.settings.answering.min_support,
                with_vectors=self.search.with_unit_vectors,
            )
        )
        self._ingest_lock = threading.Lock()
        self._registry = Registry(version=-1)
        self._registry_update = threading.Lock()
        self._generator = generator

    # -- asking ---------------------------------------------------------------------------------------------
    @property
    def chain(self):
        """The whole answer chain as one LangChain Runnable (a `Turn` in, the finished `Turn` out)."""
        from assistant.chain import as_runnable

        return as_runnable(self._stages())

    @property
    def front_chain(self):
        """validate | understand | retrieve, the front half of `chain` (streaming runs it, then generates)."""
        from assistant.chain import as_runnable

        return as_runnable(self._front_stages())

    def _front_stages(self):
        from assistant.chain import front_stages

        return front_stages(self.settings, self._understand, self._retrieve)

    def _stages(self):
        return self._front_stages() + [("answer", self._answer_stage)]

    @property
    def generator(self):
        """The generative answerer the settings ask for, or None for the extractive default."""
        if self._generator is None and self.settings.answering.answerer != "extractive":
            from assistant.llm.generative import GenerativeAnswerer, make_chat_model

            llm = self.settings.llm
            context = llm.llamacpp_context if self.settings.answering.answerer == "llamacpp" else llm.context
            self._generator = GenerativeAnswerer(
                make_chat_model(self.settings), context=context, max_tokens=llm.max_tokens
            )
        return self._generator

    def retriever(self, k: int | None = None, doc_ids: list[str] | None = None):
        """A LangChain `BaseRetriever` over the hybrid search (each query understood and planned as `ask` does),
        for use in any chain."""
        from assistant.search.retriever import HybridRetriever

        return HybridRetriever(passages=self._planned_passages, k=k or self.settings.retrieval.k, doc_ids=doc_ids)

    def registry(self, index=None, wait: bool = False):
        """The companies and segments of the served documents: changed by the documents that changed since the
        index it was made for (never rebuilt), one thread at a time while the others keep the previous one (a
        writer, `wait`, waits for its turn)."""
        from assistant.query.registry import NameEntries

        index = index if index is not None else self.search.latest_index()
        current = self._registry
        if current.version == index.version or not self._registry_update.acquire(blocking=wait):
            return current
        try:
            current = self._registry
            if current.version != index.version:
                parts = index.parts
                stale = [d for d, e in current.documents.items() if d not in parts or parts[d].file_hash != e.file_hash]
                kept = current.without(stale)
                added = {
                    d: NameEntries.of(p.info, p.facts, p.file_hash) for d, p in parts.items() if d not in kept.documents
                }
                updated = kept.with_documents(added)
                updated.version = index.version
                index.facts.same_company = updated.canonical  # look-ups find a company under any of its names
                self._registry = current = updated
            return current
        finally:
            self._registry_update.release()

    def understand(self, question: str, history: list[tuple[str, str]] | None = None):
        """The Query a question (with its conversation) asks."""
        return self._analyze(question, history, self.registry(self.search.index()))

    def _analyze(self, question: str, history, registry):
        from assistant.query.analyze import analyze

        matcher = registry.matcher
        previous = None
        for asked, _reply in history or []:
            previous = analyze(asked, matcher, previous, self._by_meaning.match)
        return analyze(question, matcher, previous, self._by_meaning.match)

    @cached_property
    def _by_meaning(self):
        from assistant.query.meaning import ConceptByMeaning

        return ConceptByMeaning(
            self.embedder, self.settings.embedding.model_cache, self.settings.answering.meaning_threshold
        )

    def ask(
        self,
        question: str,
        k: int | None = None,
        doc_ids: list[str] | None = None,
        history: list[tuple[str, str]] | list[list[str]] | None = None,
    ) -> Answer:
        """Answer a question with citations, or refuse with the closest passages."""
        from assistant.chain import run_stages

        started = time.perf_counter()
        turn = run_stages(self._stages(), self._start(question, k, doc_ids, history))
        return self._finish(turn, started)

    def answerable(self, question: str) -> bool:
        """Whether the documents answer a question, judged by the extractive answerer alone: cheap checks (example
        questions, warm-up) never take a language model's time from a user's question."""
        from assistant.chain import run_stages

        turn = run_stages(self._front_stages(), self._start(question, None, None, None))
        return _unreadable(turn.question) is None and not self._extractive(turn).refused

    def stream(
        self, question: str, k: int | None = None, doc_ids: list[str] | None = None, history: list | None = None
    ) -> Iterator[tuple[str, object]]:
        """Yield ('delta', text) pieces as the answer is composed, then ('answer', Answer).

        With a generative answerer the deltas are the model's raw tokens; the final Answer is the verified text,
        which may differ (unsupported sentences removed), so front ends replace the streamed text with it."""
        started = time.perf_counter()
        if self.generator is None:
            answer = self.ask(question, k=k, doc_ids=doc_ids, history=history)
            for piece in re.split(r"(?<=\])(?=\s)", answer.text):
                yield "delta", piece
            yield "answer", answer
            return
        from assistant.chain import run_stages

        turn = run_stages(self._front_stages(), self._start(question, k, doc_ids, history))
        early = _unreadable(turn.question)
        if early is not None:
            turn.answer = early
            yield "answer", self._finish(turn, started)
            return
        gen_start = time.perf_counter()
        pieces: list[str] = []
        try:
            for piece in self.generator.stream(turn.query.text, turn.passages):
                pieces.append(piece)
                yield "delta", piece
            turn.answer = self._checked("".join(pieces), turn)
        except Exception as exc:  # server down, timeout, bad response: never a hang or a traceback
            log.warning("language model failed while streaming: %s", exc, exc_info=True)
            turn.answer = self._fallback(turn, phrases.LLM_UNAVAILABLE.format(detail=_describe(exc)))
        turn.timings["answer"] = round((time.perf_counter() - gen_start) * 1000, 2)
        yield "answer", self._finish(turn, started)

    def _start(self, question, k, doc_ids, history):
        from assistant.chain import Turn

        known = self.store.documents()
        if doc_ids is not None:
            missing = [d for d in doc_ids if d not in known]
            if missing:
                raise UnknownDocument(phrases.UNKNOWN_DOCUMENT.format(doc_id=missing[0]))
        if not known:
            raise StoreEmpty(phrases.STORE_EMPTY)
        return Turn(
            question=question,
            k=self.settings.retrieval.k if k is None else k,
            doc_ids=doc_ids,
            history=list(history or []),
            documents=known,
        )

    def _finish(self, turn, started: float) -> Answer:
        answer: Answer = turn.answer
        answer.question = turn.question
        registry = self.registry(turn.index)
        resolved = turn.query.sentence(registry.calendars, registry.display) if turn.query.follow_up else ""
        answer.resolved_question = resolved
        self._label_columns(answer, turn)
        answer.timings = dict(turn.timings, total=round((time.perf_counter() - started) * 1000, 2))
        return answer

    def _label_columns(self, answer: Answer, turn) -> None:
        """Each cited table's columns as the periods they are ('Q4 2024', 'FY2025'), by its company's calendar."""
        from assistant.finance.periods import Period

        passages = {p.chunk.id: p.chunk for p in turn.passages or []}
        registry = self.registry(turn.index)
        for citation in answer.citations:
            chunk = passages.get(citation.chunk_id) or turn.index.facts.chunks.get(citation.chunk_id)
            if chunk is None or chunk.table is None:
                continue
            company = next((f.company for f in chunk.facts if f.company), chunk.company.split(";")[0].strip())
            calendar = registry.calendar(company)
            citation.columns = [Period.from_key(k).label(calendar) if k else "" for k in chunk.table.columns]

    def _understand(self, turn):
        index = self.search.index(turn.documents)
        return replace(turn, index=index, query=self._analyze(turn.question, turn.history, self.registry(index)))

    def _retrieve(self, turn):
        """Search as the planner lays out from the Query: its words, each side of a comparison, and the named
        company's filings for the named periods first."""
        from assistant.answer.kinds import in_words
        from assistant.query.plan import plan_search

        plan = plan_search(
            turn.query,
            self.registry(turn.index).calendars,
            turn.documents,
            turn.doc_ids,
            scoped=self.settings.retrieval.scoped,
            in_words=in_words(turn.query),
        )
        passages = self.search.run(plan, turn.k, turn.documents, turn.index)
        return replace(turn, passages=passages, doc_ids=plan.doc_ids)

    def _answer_stage(self, turn):
        early = _unreadable(turn.question)
        if early is not None:
            return replace(turn, answer=early)
        if self.generator is None:
            return replace(turn, answer=_in_english(turn.question, self._extractive(turn)))
        try:
            text = self.generator.generate(turn.query.text, turn.passages)
        except Exception as exc:  # server down, timeout, bad response: never a hang or a traceback
            log.warning("language model failed: %s", exc, exc_info=True)
            return replace(turn, answer=self._fallback(turn, phrases.LLM_UNAVAILABLE.format(detail=_describe(exc))))
        return replace(turn, answer=self._checked(text, turn))

    def _extractive(self, turn) -> Answer:
        import numpy as np

        q_vec = np.asarray(self.embedder.embed_query(turn.query.focus), dtype="float32")
        return self.engine.answer(turn.query, turn.passages, turn.index, self.registry(turn.index), turn.doc_ids, q_vec)

    def _checked(self, text: str, turn) -> Answer:
        """Verify a generated answer; if no sentence survives, the extractive answer, marked as a fallback."""
        from assistant.answer.verify import verify

        answer = verify(
            turn.query.text,
            text,
            turn.passages,
            answerer=self.settings.answering.answerer,
            min_support=self.settings.answering.min_support,
        )
        if answer.refused:
            return self._fallback(turn, phrases.LLM_UNSUPPORTED)
        return answer

    def _fallback(self, turn, notice: str) -> Answer:
        answer = self._extractive(turn)
        answer.fallback, answer.notice, answer.answerer = True, notice, "extractive"
        return answer

    def _require_documents(self) -> None:
        if not self.store.documents():
            raise StoreEmpty(phrases.STORE_EMPTY)

    # -- documents ------------------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return sorted(self.store.documents().values(), key=lambda d: d.doc_id)

    def facts(self, doc_id: str | None = None, company: str | None = None, concept: str | None = None) -> list[Fact]:
        """The facts read from the documents at ingest, filtered by document, company (any of its names) and
        concept key or label; ordered by document, company, segment, concept and period."""
        self._require_documents()
        if doc_id is not None and doc_id not in self.store.documents():
            raise UnknownDocument(phrases.UNKNOWN_DOCUMENT.format(doc_id=doc_id))
        index = self.search.index()
        companies = segments = None
        if company:  # a company or a segment, by any of its names
            named = [m.entity for m in self.registry(index).matcher.mentions(company)]
            companies = {e.company for e in named} or {company}
            segments = {e.segment for e in named if e.segment} or None
        wanted = concept.lower().replace(" ", "_") if concept else None
        out = [
            f
            for f in index.facts.all()
            if (doc_id is None or f.doc_id == doc_id)
            and (companies is None or f.company in companies)
            and (segments is None or f.segment in segments)
            and (wanted is None or f.concept == wanted or f.label.lower().replace(" ", "_") == wanted)
        ]
        return sorted(out, key=lambda f: (f.doc_id, f.company, f.segment, f.concept, f.period, f.measure))

    def ingest(
        self, paths: Iterable[str | Path] | None = None, prune: bool = False, progress=None, show_progress: bool = False
    ) -> IngestReport:
        from ingest.pipeline import Ingestor

        with self._ingest_lock:
            self.store.create = True
            ingestor = Ingestor(self.settings, store=self.store, embedder=self.embedder)
            report = ingestor.run(
                [Path(p) for p in paths] if paths else None, prune=prune, progress=progress, show_progress=show_progress
            )
            self._refresh()
            return report

    def ingest_upload(self, filename: str, data: bytes, progress=None) -> IngestReport:
        """Save an uploaded file under the upload folder (name sanitised, type checked by content) and ingest it."""
        from ingest.uploads import save_upload

        path = save_upload(self.settings.store.upload_dir, filename, data, self.settings.limits.max_upload_mb)
        report = self.ingest([path], progress=progress)
        if report.problems and not report.added_chunks and not report.unchanged_documents:
            path.unlink(missing_ok=True)
            raise LoadError(report.problems[0].error)
        return report

    def ingested_document(self, report: IngestReport) -> DocumentInfo | None:
        """The stored document an upload's report is about (None if it was not stored)."""
        known = self.store.documents()
        return next((known[i] for i in report.doc_ids if i in known), None)

    def chunk_count(self) -> int:
        return self.store.count()

    def original_path(self, doc_id: str) -> Path:
        """The original file of a stored document, only from the corpus or upload folder (404 otherwise)."""
        from assistant.pages import original_file

        return original_file(self.store.documents(), doc_id, self.settings)

    def passages(self, question: str, k: int, doc_ids: list[str] | None = None) -> list[Chunk]:
        """The k passages a question's search ranks first, planned as `ask` plans it (no answering)."""
        return [hit.chunk for hit in self._planned_passages(question, k, doc_ids)]

    def _planned_passages(self, question: str, k: int, doc_ids: list[str] | None = None):
        from assistant.chain import run_stages

        return run_stages(self._front_stages(), self._start(question, k, doc_ids, [])).passages

    def delete_document(self, doc_id: str) -> int:
        if doc_id not in self.store.documents():
            raise UnknownDocument(phrases.UNKNOWN_DOCUMENT.format(doc_id=doc_id))
        with self._ingest_lock:
            removed = self.store.delete_document(doc_id)
            self._refresh()
            return removed

    def _refresh(self) -> None:
        """After a write: bring the index (if one is kept) and the registry up to date by the documents that
        changed, here, so the next question finds the index current."""
        if self.search.lexical.current is not None and self.store.exists():
            self.registry(self.search.index(wait=True), wait=True)


def _describe(exc: Exception) -> str:
    """A short, path-free description of a model failure."""
    name = type(exc).__name__
    return "timed out" if "Timeout" in name else "connection failed" if "Connection" in name else name


def _unreadable(question: str) -> Answer | None:
    """The refusal for a question that cannot be looked up (a bare number, no words to look for), or None."""
    from assistant.answer.select import refusal
    from assistant.answer.unreadable import unreadable

    why = unreadable(question)
    return refusal(question, [], why) if why else None


def _in_english(question: str, answer: Answer) -> Answer:
    """A refused question that reads as another language says so."""
    from assistant.answer.unreadable import other_language

    if not answer.refused or not other_language(question):
        return answer
    notice = f"{phrases.OTHER_LANGUAGE} {answer.notice}".strip()
    return replace(answer, text=f"{phrases.CANNOT_ANSWER} {notice}", notice=notice)
