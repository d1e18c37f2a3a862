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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from assistant.config import Settings
from assistant.core import Assistant
from assistant.evaluation.metrics import mrr, percentile, ratio, recall_at
from assistant.finance.figures import Figure, quantities
from ingest.catalog import DocMeta, company_profile
from ingest.loaders import LoadedFile, Section
from ingest.loaders.vertical_tables import relayout
from ingest.pipeline import Source, index, pipeline_version

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
            if ev.get("evidence_text_full_page"):
                pages[ev["doc_name"]][int(ev["evidence_page_num"]) + 1] = ev["evidence_text_full_page"]
    return pages


def page_sources(folder: Path, questions: list[dict], info: dict[str, dict], chunk_chars: int) -> list[Source]:
    """One document per filing (its pages numbered as in the PDF), described the way a user's own filing is:
    the company from the benchmark's document list, its fiscal year end read from the pages themselves."""
    sources = []
    for name, pages in sorted(build_pages(folder, questions).items()):
        row = info.get(name, {})
        sections = [Section(text=relayout(text), page=page) for page, text in sorted(pages.items())]
        version = hashlib.sha256("\x00".join([pipeline_version(chunk_chars), *(s.text for s in sections)])
                                 .encode()).hexdigest()  # the pages and what shapes their chunks

        def load(name=name, row=row, sections=sections) -> tuple[LoadedFile, DocMeta]:
            loaded = LoadedFile(sections=sections, title=name.replace("_", " "))
            return loaded, describe_filing(name, row, loaded)

        sources.append(Source(doc_id=doc_id(name), version=version, load=load))
    return sources


def describe_filing(name: str, row: dict, loaded: LoadedFile) -> DocMeta:
    company = str(row.get("company", ""))
    form = str(row.get("doc_type", "")).upper().replace("10K", "10-K").replace("10Q", "10-Q")
    profile = company_profile(company, loaded)
    return DocMeta(doc_id=doc_id(name), title=name.replace("_", " "), company=company, doc_type=form,
                   period=str(row.get("doc_period", "")), companies=[profile] if company else [])


def build_store(folder: Path, settings: Settings, questions: list[dict], info: dict[str, dict],
                progress: Callable[[int, int], None] | None = None):
    """Ingest the benchmark pages into their own collection through the one ingest entry point (an unchanged
    build is skipped; a filing no longer listed is removed)."""
    qa = Assistant(settings=settings)
    index(page_sources(folder, questions, info, settings.ingest.chunk_chars), qa.store, qa.embedder, settings,
          cleanup="full", progress=progress, show_progress=progress is None)
    return qa


QUESTION_SCALE = re.compile(r"\b(?:in\s+)?(?:usd|us\$|\$)?\s*(thousands|millions|billions)\b", re.IGNORECASE)
_SCALE_WORDS = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}
_YES_NO = re.compile(r"^\W*(yes|no)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Gold:
    """A FinanceBench gold answer read as what it asserts: a figure, a yes/no, or text."""

    kind: str  # number | yesno | text
    text: str
    figure: Figure | None = None
    polarity: bool | None = None


def parse_gold(answer: str, question: str) -> Gold:
    """'Yes. ...' / 'No, ...' -> yes/no; a first sentence holding exactly one figure -> that figure, in the scale
    the question asks for ('in USD millions') when the gold writes a bare number; anything else -> text."""
    answer = answer.strip()
    yes_no = _YES_NO.match(answer)
    if yes_no:
        return Gold("yesno", answer, polarity=yes_no.group(1).lower() == "yes")
    first = re.split(r"(?<=[^\d])\.\s|\n", answer, maxsplit=1)[0]
    asked = QUESTION_SCALE.search(question)
    scale = _SCALE_WORDS[asked.group(1).lower()] if asked else None
    figures = quantities(first, default_scale=scale)
    if len(figures) == 1:
        return Gold("number", answer, figure=figures[0])
    return Gold("text", answer)


def number_matches(gold: Figure, stated: Figure) -> bool:
    """Within 1% relative of the gold value, or 0.1 percentage point for percentages, in the same unit."""
    if (gold.kind == "percent") != (stated.kind == "percent"):
        return False
    if gold.currency and stated.currency and gold.currency != stated.currency:
        return False
    difference = abs(abs(gold.value) - abs(stated.value))
    if gold.kind == "percent":
        return difference <= 0.1 + 1e-9
    return difference <= max(abs(gold.value) * 0.01, gold.precision) + 1e-9


def text_overlap(gold: str, text: str) -> float:
    """Share of the gold's content words (four letters or more) that the text uses."""
    words = set(re.findall(r"[a-z]{4,}", gold.lower()))
    have = set(re.findall(r"[a-z]{4,}", text.lower()))
    return len(words & have) / len(words) if words else 0.0


def judge(gold: Gold, direct: str, refused: bool) -> dict[str, Any]:
    """Score a direct answer against a gold: `correct` for figures and yes/no, `wrong_number` when the answer
    states figures but none is the gold one, `overlap` for text golds (reported apart, not as accuracy)."""
    if refused:
        return {"correct": False, "wrong_number": False, "overlap": 0.0}
    if gold.kind == "number":
        stated = quantities(direct)
        right = any(number_matches(gold.figure, f) for f in stated)
        return {"correct": right, "wrong_number": bool(stated) and not right, "overlap": 0.0}
    if gold.kind == "yesno":
        said = _YES_NO.match(direct.strip())
        right = bool(said) and (said.group(1).lower() == "yes") == gold.polarity
        return {"correct": right, "wrong_number": False, "overlap": 0.0}
    return {"correct": False, "wrong_number": False, "overlap": round(text_overlap(gold.text, direct), 3)}


def split_of(question_id: str, ordered_ids: list[str]) -> str:
    """'dev' for the first half of the benchmark in financebench_id order (tuned on), 'check' for the rest."""
    return "dev" if ordered_ids.index(question_id) < len(ordered_ids) // 2 else "check"


def run_financebench(folder: Path, settings: Settings, k: int = 5, limit: int | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     questions_file: Path | None = None) -> dict[str, Any]:
    """Ask the benchmark's questions (or another file in its format) and score the direct answers."""
    bench_settings = settings.updated(collection=COLLECTION,
                                      store_path=Path(settings.store.path).parent / "financebench-store")
    questions, info = load(folder)
    qa = build_store(folder, bench_settings, questions, info)
    if questions_file:
        questions = [json.loads(line) for line in Path(questions_file).read_text().splitlines() if line.strip()]
    ordered = sorted(q["financebench_id"] for q in questions)
    if limit:
        questions = questions[:limit]
    results = []
    for i, q in enumerate(questions, start=1):
        gold_pages = {(doc_id(e["doc_name"]), int(e["evidence_page_num"]) + 1) for e in q["evidence"]}
        gold = parse_gold(q["answer"], q["question"])
        row = {"id": q["financebench_id"],
               "split": "extra" if questions_file else split_of(q["financebench_id"], ordered),
               "category": q["question_type"], "question": q["question"], "expected": q["answer"],
               "gold_kind": gold.kind}
        try:
            answer = qa.ask(q["question"], k=k)
            ranked = qa.passages(q["question"], 10)
        except Exception as exc:  # an error is a failure, never a refusal
            results.append(dict(row, error=f"{type(exc).__name__}: {exc}", answer="", direct="", refused=False,
                                rank=None, correct=False, wrong_number=False, overlap=0.0, contained=False,
                                timings={}, citations=[], answerer=""))
            continue
        cited = " ".join(c.quote for c in answer.citations) if not answer.refused else ""
        results.append(dict(
            row, error="", answer=answer.text, direct=answer.direct, refused=answer.refused,
            rank=next((r for r, c in enumerate(ranked, start=1) if (c.doc_id, c.page) in gold_pages), None),
            contained=gold.kind == "number" and not answer.refused and any(
                number_matches(gold.figure, f) for f in quantities(f"{answer.text} {cited}")),
            timings=answer.timings, answerer=answer.answerer + (" (fallback)" if answer.fallback else ""),
            citations=[{"n": c.n, "doc_id": c.doc_id, "page": c.page, "quote": c.quote[:300]}
                       for c in answer.citations],
            **judge(gold, answer.direct, answer.refused)))
        if progress:
            progress(i, len(questions))
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups[f"{r['split']} / {r['category']}"].append(r)
        groups[f"{r['split']} / all"].append(r)
    totals = [r["timings"].get("total", 0.0) for r in results if r["timings"]]
    return {
        "metrics": _summary(results),
        "store": STORE_NOTE,
        "latency_ms": {"total": {"p50": round(percentile(totals, 50), 2), "p95": round(percentile(totals, 95), 2)}},
        "categories": {name: _summary(rs) for name, rs in sorted(groups.items())},
        "errors": [dict(r, reason=f"error: {r['error']}") for r in results if r["error"]],
        "failures": [dict(r, reason=_reason(r)) for r in results if not r["correct"] and not r["error"]],
        "results": results,
    }


STORE_NOTE = ("The store holds every gold evidence page of the 150 questions (one document per filing) plus every "
              "page of the 12 10-K PDFs shipped with the benchmark as distractors. That is easier than the paper's "
              "shared-store setting, where every page of all 361 filings competes.")


def _reason(r: dict) -> str:
    if r["refused"]:
        return "refused"
    if r["gold_kind"] == "text":
        return f"text gold (overlap {r['overlap']:.2f}; not scored as accuracy)"
    return "a different figure" if r["wrong_number"] else "the direct answer does not state the gold"


def _summary(results: list[dict]) -> dict[str, Any]:
    ranks = [r["rank"] for r in results]
    scored = [r for r in results if r["gold_kind"] != "text"]
    numeric = [r for r in results if r["gold_kind"] == "number"]
    texts = [r for r in results if r["gold_kind"] == "text"]
    return {"questions": len(results), "errors": sum(bool(r["error"]) for r in results),
            "evidence_recall@1": recall_at(ranks, 1), "evidence_recall@5": recall_at(ranks, 5),
            "evidence_recall@10": recall_at(ranks, 10), "evidence_mrr": mrr(ranks),
            "accuracy": ratio(sum(r["correct"] for r in results), len(results)),
            "numeric_accuracy": ratio(sum(r["correct"] for r in numeric), len(numeric)),
            "yes_no_accuracy": ratio(sum(r["correct"] for r in scored if r["gold_kind"] == "yesno"),
                                     sum(r["gold_kind"] == "yesno" for r in scored)),
            "wrong_numbers": ratio(sum(r["wrong_number"] for r in numeric), len(numeric)),
            "text_overlap": round(sum(r["overlap"] for r in texts) / len(texts), 3) if texts else 0.0,
            "answer_containment": ratio(sum(r["contained"] for r in numeric), len(numeric)),
            "refusal_rate": ratio(sum(r["refused"] for r in results), len(results))}

