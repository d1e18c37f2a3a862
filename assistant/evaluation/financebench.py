"""FinanceBench (Patronus AI, arXiv:2311.11944) on this product: a public question set nobody here wrote.

A separate collection holds (a) every gold evidence page of the 150 questions, one document per filing with its
pages numbered as in the PDF, and (b) every page of the 10-K PDFs shipped with the benchmark, as distractors.
Each question is asked through the same `Assistant.ask` path; a retrieval hit is a chunk from the gold filing and
page (`evidence_page_num` is zero-based, our pages are one-based).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from assistant.config import Settings
from assistant.core import Assistant
from assistant.evaluation.metrics import mrr, normalize, percentile, ratio, recall_at
from assistant.types import IngestReport
from ingest.catalog import DocMeta
from ingest.loaders import LoadedFile, Section
from ingest.pipeline import Ingestor, PreparedDocument, build_chunks, pipeline_version

COLLECTION = "financebench"


def doc_id(doc_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", doc_name.lower()).strip("-")


def load(folder: Path) -> tuple[list[dict], dict[str, dict]]:
    folder = Path(folder)
    questions = [json.loads(line) for line in (folder / "financebench_open_source.jsonl").read_text().splitlines()
                 if line.strip()]
    info = {}
    for line in (folder / "financebench_document_information.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            info[row["doc_name"]] = row
    return questions, info


def build_pages(folder: Path, questions: list[dict]) -> dict[str, dict[int, str]]:
    """doc_name -> {1-based page: text}: gold pages from the benchmark, every page of each shipped PDF."""
    import pypdfium2 as pdfium

    pages: dict[str, dict[int, str]] = defaultdict(dict)
    for pdf in sorted((Path(folder) / "pdfs").glob("*.pdf")):
        try:
            document = pdfium.PdfDocument(str(pdf))
        except pdfium.PdfiumError:
            continue
        for i in range(len(document)):
            text = document[i].get_textpage().get_text_range().replace("\r\n", "\n")
            if text.strip():
                pages[pdf.stem][i + 1] = text
        document.close()
    for q in questions:
        for ev in q["evidence"]:
            pages[ev["doc_name"]][int(ev["evidence_page_num"]) + 1] = ev["evidence_text_full_page"]
    return pages


def build_store(folder: Path, settings: Settings, questions: list[dict], info: dict[str, dict],
                progress: Callable[[int, int], None] | None = None):
    """Ingest the benchmark pages into their own collection (incremental: an unchanged build is skipped)."""
    qa = Assistant(settings=settings)
    qa.store.create = True
    ingestor = Ingestor(settings, store=qa.store, embedder=qa.embedder)
    committed = qa.store.documents()
    pending = []
    for name, pages in sorted(build_pages(folder, questions).items()):
        meta_row = info.get(name, {})
        meta = DocMeta(doc_id=doc_id(name), title=name.replace("_", " "), company=meta_row.get("company", ""),
                       doc_type=str(meta_row.get("doc_type", "")).upper().replace("10K", "10-K").replace("10Q", "10-Q"),
                       period=str(meta_row.get("doc_period", "")))
        sections = [Section(text=text, page=page) for page, text in sorted(pages.items())]
        version = hashlib.sha256("\x00".join([pipeline_version(settings.chunk_chars), *(s.text for s in sections)])
                                 .encode()).hexdigest()  # the pages and the code that chunks and embeds them
        if meta.doc_id in committed and committed[meta.doc_id].file_hash == version:
            continue
        chunks = build_chunks(LoadedFile(sections=sections, title=meta.title), meta, version, settings.chunk_chars)
        stale = list(qa.store.chunk_hashes(meta.doc_id))
        pending.append(PreparedDocument(path=Path(folder) / "pdfs" / f"{name}.pdf", meta=meta, file_hash=version,
                                chunks=chunks, stale_ids=[c for c in stale if c not in {x.id for x in chunks}],
                                new_chunks=chunks))
    ingestor.write(pending, IngestReport(), progress, show_progress=progress is None)
    return qa


def gold_numbers(answer: str) -> list[str]:
    """The figures of a gold answer, normalised ('$1577.00' -> '1577')."""
    out = []
    for match in re.findall(r"-?\d[\d,]*(?:\.\d+)?", answer):
        value = match.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.append(value)
    return out


def contains_answer(gold: str, text: str) -> bool:
    """Numeric gold: its first figure appears (as a whole number); text gold: most of its content words appear."""
    norm = normalize(text)
    numbers = gold_numbers(gold)
    if numbers:
        figures = {n.rstrip("0").rstrip(".") if "." in n else n for n in re.findall(r"-?\d+(?:\.\d+)?", norm)}
        return numbers[0] in figures
    words = [w for w in re.findall(r"[a-z]{4,}", normalize(gold))]
    return bool(words) and sum(w in norm for w in words) / len(words) >= 0.6


def run_financebench(folder: Path, settings: Settings, k: int = 5, limit: int | None = None,
                     progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    bench_settings = replace(settings, collection=COLLECTION,
                             store_path=Path(settings.store_path).parent / "financebench-store")
    questions, info = load(folder)
    if limit:
        questions = questions[:limit]
    qa = build_store(folder, bench_settings, questions, info)
    results = []
    for i, q in enumerate(questions, start=1):
        answer = qa.ask(q["question"], k=k)
        ranked = [h.chunk for h in qa.search.search(q["question"], 10)]
        gold = {(doc_id(e["doc_name"]), int(e["evidence_page_num"]) + 1) for e in q["evidence"]}
        rank = next((r for r, c in enumerate(ranked, start=1) if (c.doc_id, c.page) in gold), None)
        cited_text = " ".join(c.text for c in answer.citations) if not answer.refused else ""
        results.append({
            "id": q["financebench_id"], "category": q["question_type"], "question": q["question"],
            "expected": q["answer"], "answer": answer.text, "refused": answer.refused, "rank": rank,
            "contained": (not answer.refused) and contains_answer(q["answer"], answer.text + " " + cited_text),
            "timings": answer.timings,
            "citations": [{"n": c.n, "doc_id": c.doc_id, "page": c.page, "quote": c.quote[:300]}
                          for c in answer.citations]})
        if progress:
            progress(i, len(questions))
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_type[r["category"]].append(r)
    totals = [r["timings"].get("total", 0.0) for r in results]
    return {
        "metrics": _summary(results),
        "latency_ms": {"total": {"p50": round(percentile(totals, 50), 2), "p95": round(percentile(totals, 95), 2)}},
        "categories": {t: _summary(rs) for t, rs in sorted(by_type.items())},
        "failures": [dict(r, reason="gold figure not in answer or cited passages") for r in results
                     if not r["contained"]],
        "results": results,
    }


def _summary(results: list[dict]) -> dict[str, Any]:
    ranks = [r["rank"] for r in results]
    return {"questions": len(results), "evidence_recall@1": recall_at(ranks, 1),
            "evidence_recall@5": recall_at(ranks, 5), "evidence_recall@10": recall_at(ranks, 10),
            "evidence_mrr": mrr(ranks), "answer_containment": ratio(sum(r["contained"] for r in results), len(results)),
            "refusal_rate": ratio(sum(r["refused"] for r in results), len(results))}

