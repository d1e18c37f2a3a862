"""FinanceBench (Patronus AI, arXiv:2311.11944) run the way the paper ran it: a public development benchmark
nobody here wrote, asked over the full filings.

Every filing in the benchmark's `pdfs/` folder is ingested through the product's own path (`qa ingest <folder>`:
the same loaders, described from its own cover page) into one store, built once and cached. Each question is
asked twice through `Assistant.ask`: **per-document**, with the product's document filter set to the question's
filing, and **shared store**, with no filter (the company and year in the question must find the filing). A
question whose filing has no PDF is asked over a second, small store of its evidence pages (one document per
filing, pages numbered as in the filing) and reported apart, since that is close to an oracle.

Scoring keeps the benchmark's gold formats: a figure is correct within 1% in the gold's unit (0.1 point for a
percentage), a yes/no by its polarity. An answer that states a figure or a verdict that does not match is
incorrect. A text gold is never counted correct: it is shown apart, with the answer beside it.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from assistant.config import PROJECT_ROOT, Settings
from assistant.evaluation.metrics import percentile, ratio, recall_at
from assistant.finance.figures import Figure, quantities
from ingest.catalog import DocMeta, company_profile, doc_id_for
from ingest.loaders import LoadedFile, Section
from ingest.loaders.vertical_tables import relayout
from ingest.pipeline import Source, index, pipeline_version, version_hash

SETTINGS = ("per-document", "shared")
WORK = PROJECT_ROOT / "data"  # where the cached stores live: financebench-store/, financebench-pages-store/
INGEST_RECORD = "financebench-ingest.json"  # written beside the chunks when this runner built the store
# GPT-4-Turbo in the paper's result files (the table): correct and incorrect shares, correct per type.
PAPER = {
    "per-document": {
        "correct": 0.500,
        "incorrect": 0.113,
        "metrics-generated": 23,
        "domain-relevant": 24,
        "novel-generated": 28,
    },
    "shared": {
        "correct": 0.193,
        "incorrect": 0.133,
        "metrics-generated": 6,
        "domain-relevant": 11,
        "novel-generated": 12,
    },
    "oracle page": {"correct": 0.853, "metrics-generated": 45, "domain-relevant": 42, "novel-generated": 41},
}


@dataclass(frozen=True)
class Item:
    """One question: its filing, type, gold answer and the (document id, 1-based page) pairs of its evidence."""

    id: str
    doc_name: str
    question_type: str
    question: str
    answer: str
    pages: frozenset[tuple[str, int]]
    page_texts: tuple[tuple[int, str], ...] = ()  # the benchmark's evidence page texts, for a filing with no PDF


def doc_id(doc_name: str) -> str:
    """The document id `qa ingest` gives the filing's PDF ('ACME_2031_10K.pdf' -> 'acme-2031-10k')."""
    return doc_id_for(Path(f"{doc_name}.pdf"))


def read_items(path: Path) -> list[Item]:
    """Questions in the benchmark's format (zero-based `evidence_page_num`) or in a development set's own format
    (`id`, one-based `page`)."""
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        evidence = row.get("evidence", [])
        pages = frozenset(
            (doc_id(e["doc_name"]), int(e["page"]) if "page" in e else int(e["evidence_page_num"]) + 1)
            for e in evidence
        )
        texts = tuple(
            (int(e["evidence_page_num"]) + 1, e["evidence_text_full_page"])
            for e in evidence
            if e.get("evidence_text_full_page")
        )
        items.append(
            Item(
                str(row.get("id") or row["financebench_id"]),
                row["doc_name"],
                row["question_type"],
                row["question"],
                row["answer"],
                pages,
                texts,
            )
        )
    return items


def read_document_info(folder: Path) -> dict[str, dict]:
    rows = [
        json.loads(line)
        for line in (Path(folder) / "financebench_document_information.jsonl").read_text().splitlines()
        if line.strip()
    ]
    return {row["doc_name"]: row for row in rows}


# -- stores ---------------------------------------------------------------------------------------------------


class IncompleteStore(Exception):
    """The filings store cannot be used: a reused store lacks filings, or a filing failed to ingest."""


@dataclass
class StoreInfo:
    path: str
    documents: int
    chunks: int
    ingest_seconds: float | None  # None when the store was reused and no build of it was recorded
    stale: int = 0  # filings a reused store holds from another file version or another parser version


def filings_store(
    folder: Path,
    settings: Settings,
    store: Path | None,
    work: Path = WORK,
    embedder=None,
    progress: Callable[[int, int], None] | None = None,
):
    """The store of every filing in `folder/pdfs`. A store named with `store` is reused as it is: it must hold
    every filing, and nothing is ingested into it (asking writes only the search cache any `qa ask` writes).
    Otherwise `work/financebench-store` is built or brought up to date by `qa ingest`'s own path, and its build
    time recorded beside its chunks."""
    from assistant.core import Assistant

    pdfs = sorted((Path(folder) / "pdfs").glob("*.pdf"))
    qa = Assistant(
        settings=settings.updated(store_path=Path(store or Path(work) / "financebench-store")), embedder=embedder
    )
    record = Path(qa.settings.store.path) / INGEST_RECORD
    if store is not None:
        known = qa.store.documents() if qa.store.exists() else {}
        missing = [p.name for p in pdfs if doc_id_for(p) not in known]
        if missing:
            raise IncompleteStore(
                f"{store} lacks {len(missing)} of the {len(pdfs)} filings (first: {missing[0]}); "
                f"build it with: qa --store {store} ingest {Path(folder) / 'pdfs'}"
            )
        chunk_chars = qa.settings.ingest.chunk_chars
        stale = sum(known[doc_id_for(p)].file_hash != version_hash(p, chunk_chars) for p in pdfs)
    else:
        stale = 0
        report = qa.ingest([Path(folder) / "pdfs"], progress=progress, show_progress=progress is None)
        if report.problems:
            raise IncompleteStore(f"ingest failed for {report.problems[0].path}: {report.problems[0].error}")
        if report.added_chunks or not record.exists():
            previous = json.loads(record.read_text())["seconds"] if record.exists() else 0.0
            record.write_text(json.dumps({"seconds": round(previous + report.seconds, 1)}))
    seconds = json.loads(record.read_text())["seconds"] if record.exists() else None
    return qa, StoreInfo(str(qa.settings.store.path), len(qa.store.documents()), qa.chunk_count(), seconds, stale)


def pages_store(items: list[Item], info: dict[str, dict], settings: Settings, work: Path = WORK, embedder=None):
    """A small store of the evidence pages of the filings that have no PDF: one document per filing, its pages
    numbered as in the filing, described from the benchmark's document list (their cover pages are missing)."""
    from assistant.core import Assistant

    pages: dict[str, dict[int, str]] = defaultdict(dict)
    for item in items:
        for page, text in item.page_texts:
            pages[item.doc_name][page] = text
    qa = Assistant(settings=settings.updated(store_path=Path(work) / "financebench-pages-store"), embedder=embedder)
    sources = []
    for name, texts in sorted(pages.items()):
        sections = [Section(text=relayout(text), page=page) for page, text in sorted(texts.items())]
        version = hashlib.sha256(
            "\x00".join([pipeline_version(settings.ingest.chunk_chars), *(s.text for s in sections)]).encode()
        ).hexdigest()

        def load(name=name, sections=sections) -> tuple[LoadedFile, DocMeta]:
            loaded = LoadedFile(sections=sections, title=name.replace("_", " "))
            return loaded, describe_pages(name, info.get(name, {}), loaded)

        sources.append(Source(doc_id=doc_id(name), version=version, load=load))
    index(sources, qa.store, qa.embedder, qa.settings, cleanup="full", show_progress=False)
    return qa


def describe_pages(name: str, row: dict, loaded: LoadedFile) -> DocMeta:
    company = str(row.get("company", ""))
    form = str(row.get("doc_type", "")).upper().replace("10K", "10-K").replace("10Q", "10-Q")
    return DocMeta(
        doc_id=doc_id(name),
        title=name.replace("_", " "),
        company=company,
        doc_type=form,
        period=str(row.get("doc_period", "")),
        companies=[company_profile(company, loaded)] if company else [],
    )


# -- scoring --------------------------------------------------------------------------------------------------

QUESTION_SCALE = re.compile(r"\b(?:in\s+)?(?:usd|us\$|\$)?\s*(thousands|millions|billions)\b", re.IGNORECASE)
_SCALE_WORDS = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}
_YES_NO = re.compile(r"^\W*(yes|no)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Gold:
    """A gold answer read as what it asserts: a figure, a yes/no, or text."""

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
    """The verdict on a direct answer: `text gold` for a gold that is neither a figure nor a yes/no (never scored,
    shown apart with the share of its words the answer uses); `refused`; `correct`; `incorrect` (it states a
    figure, or a yes/no, that does not match); `no figure` or `no verdict` (it answers without stating one)."""
    overlap = 0.0
    if gold.kind == "text":
        verdict, overlap = "text gold", 0.0 if refused else round(text_overlap(gold.text, direct), 3)
    elif refused:
        verdict = "refused"
    elif gold.kind == "number":
        stated = quantities(direct)
        verdict = (
            "correct" if any(number_matches(gold.figure, f) for f in stated) else "incorrect" if stated else "no figure"
        )
    else:
        said = _YES_NO.match(direct.strip())
        verdict = (
            "no verdict"
            if not said
            else "correct"
            if (said.group(1).lower() == "yes") == gold.polarity
            else "incorrect"
        )
    return {"verdict": verdict, "correct": verdict == "correct", "overlap": overlap}


# -- the run --------------------------------------------------------------------------------------------------


def ask(qa, item: Item, setting: str, k: int) -> dict[str, Any]:
    """Ask one question in one setting; score it and rank its evidence pages."""
    gold = parse_gold(item.answer, item.question)
    doc_ids = [doc_id(item.doc_name)] if setting == "per-document" else None
    row = {
        "id": item.id,
        "setting": setting,
        "category": item.question_type,
        "question": item.question,
        "expected": item.answer,
        "gold_kind": gold.kind,
        "document": doc_id(item.doc_name),
    }
    try:
        start = time.perf_counter()
        answer = qa.ask(item.question, k=k, doc_ids=doc_ids)
        ms = (time.perf_counter() - start) * 1000
        ranked = qa.passages(item.question, 10, doc_ids)
    except Exception as exc:  # an error is a failure, never a refusal
        return dict(
            row,
            error=f"{type(exc).__name__}: {exc}",
            answer="",
            direct="",
            refused=False,
            rank=None,
            verdict="error",
            correct=False,
            overlap=0.0,
            ms=None,
            citations=[],
            answerer="",
        )
    return dict(
        row,
        error="",
        answer=answer.text,
        direct=answer.direct,
        refused=answer.refused,
        ms=round(ms, 1),
        rank=next((r for r, c in enumerate(ranked, start=1) if (c.doc_id, c.page) in item.pages), None),
        answerer=answer.answerer + (" (fallback)" if answer.fallback else ""),
        citations=[{"n": c.n, "doc_id": c.doc_id, "page": c.page, "quote": c.quote[:300]} for c in answer.citations],
        **judge(gold, answer.direct, answer.refused),
    )


def run_financebench(
    folder: Path,
    settings: Settings,
    k: int = 5,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    questions_file: Path | None = None,
    store: Path | None = None,
    work: Path = WORK,
    embedder=None,
) -> dict[str, Any]:
    """Ask the benchmark's questions (or a development set in either format) in both settings; score them.
    `store`: an existing store of every filing, reused as it is; `work`: where the cached stores are kept."""
    folder = Path(folder)
    items = read_items(questions_file or folder / "financebench_open_source.jsonl")[: limit or None]
    filings, store_info = filings_store(folder, settings, store, work, embedder)
    have = set(filings.store.documents())
    on_pages = [i for i in items if doc_id(i.doc_name) not in have and i.page_texts]
    asked = [i for i in items if doc_id(i.doc_name) in have or i.page_texts]
    pages = pages_store(on_pages, read_document_info(folder), settings, work, embedder) if on_pages else None
    for qa in filter(None, (filings, pages) if asked else ()):  # untimed: loading the index is not ask() time
        qa.ask(asked[0].question, k=k)
    results = []
    for item in asked:
        on_pdf = doc_id(item.doc_name) in have
        for setting in SETTINGS:
            results.append(
                dict(ask(filings if on_pdf else pages, item, setting, k), filing="pdf" if on_pdf else "pages")
            )
            if progress:
                progress(len(results), len(asked) * len(SETTINGS))
    return report(results, store_info, len(on_pages), len(items) - len(asked))


def report(results: list[dict], store: StoreInfo, on_pages: int, not_in_store: int) -> dict[str, Any]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        part = "full filings" if r["filing"] == "pdf" else "evidence pages only"
        for name in (
            f"{part} / all",
            f"{part} / {r['category']}",
            "all questions / all",
            f"all questions / {r['category']}",
        ):
            groups[f"{r['setting']} / {name}"].append(r)
    metrics: dict[str, Any] = {
        "questions": len(results) // len(SETTINGS),
        "on_evidence_pages_only": on_pages,
        "skipped_filing_not_in_store": not_in_store,
        "store_documents": store.documents,
        "store_chunks": store.chunks,
        "store_stale_filings": store.stale,
        "ingest_seconds": store.ingest_seconds,
    }
    for setting in SETTINGS:
        rows = [r for r in results if r["setting"] == setting and r["filing"] == "pdf"]
        summary = _summary(rows)
        for name in ("correct", "incorrect", "refused", "evidence_recall@5", "ask_p50_ms", "ask_p95_ms"):
            metrics[f"{setting} {name}"] = summary[name]
    categories = {name: _summary(rs) for name, rs in sorted(groups.items())}
    return {
        "metrics": metrics,
        "store": store_note(store, on_pages),
        "definitions": DEFINITIONS,
        "comparison": comparison(categories) if any(r["category"] in TYPES for r in results) else [],
        "categories": categories,
        "errors": [dict(r, reason=f"error: {r['error']}") for r in results if r["error"]],
        "wrong_answers": [
            dict(r, id=f"{r['id']} ({r['setting']})", reason=_reason(r)) for r in results if r["verdict"] == "incorrect"
        ],
        "text_golds": [
            dict(r, id=f"{r['id']} ({r['setting']})", reason=_reason(r)) for r in results if r["verdict"] == "text gold"
        ],
        "failures": [
            dict(r, id=f"{r['id']} ({r['setting']})", reason=_reason(r))
            for r in results
            if not r["correct"] and r["verdict"] not in ("text gold", "error")
        ],
        "results": results,
    }


DEFINITIONS = (
    "FinanceBench is a development benchmark here: all 150 questions have been read. correct: the direct "
    "answer states the gold figure (within 1% in its unit, 0.1 point for a percentage) or the gold's "
    "yes/no. incorrect: it states a figure, or a yes/no, that does not match. refused: it says the "
    "documents do not hold the answer. The rest answer without a figure or verdict, or have a text gold, "
    "which is never counted correct (listed apart with the answer beside it). Shares are of all "
    "questions in the group. evidence_recall@5: a gold evidence page (filing and page) among the first "
    "five passages retrieved for the question in that setting."
)


TYPES = ("metrics-generated", "domain-relevant", "novel-generated")


def comparison(categories: dict[str, dict]) -> list[str]:
    """A Markdown table of this run beside GPT-4-Turbo's figures in the paper."""
    lines = [
        "| setting | questions | correct | incorrect | correct per type (metrics / domain / novel) |",
        "|---|---|---|---|---|",
    ]
    for setting in SETTINGS:
        for part in ("full filings", "all questions"):
            group = categories.get(f"{setting} / {part} / all")
            if not group:
                continue
            per_type = " / ".join(
                f"{categories.get(f'{setting} / {part} / {t}', {}).get('correct_count', 0)} of "
                f"{categories.get(f'{setting} / {part} / {t}', {}).get('questions', 0)}"
                for t in TYPES
            )
            lines.append(
                f"| {setting}, this product ({part}) | {group['questions']} | {group['correct']:.1%} | "
                f"{group['incorrect']:.1%} | {per_type} |"
            )
        paper = PAPER[setting]
        lines.append(
            f"| {setting}, GPT-4-Turbo (paper) | 150 | {paper['correct']:.1%} | {paper['incorrect']:.1%} | "
            + " / ".join(f"{paper[t]} of 50" for t in TYPES)
            + " |"
        )
    oracle = PAPER["oracle page"]
    lines.append(
        f"| oracle page, GPT-4-Turbo (paper) | 150 | {oracle['correct']:.1%} | - | "
        + " / ".join(f"{oracle[t]} of 50" for t in TYPES)
        + " |"
    )
    return lines


def store_note(store: StoreInfo, on_pages: int) -> str:
    built = (
        f"{store.ingest_seconds:.0f} s to ingest"
        if store.ingest_seconds is not None
        else "reused (its ingest time was not recorded by this runner)"
    )
    stale = f" {store.stale} of them were ingested from another file or parser version." if store.stale else ""
    return (
        f"Filings store {store.path}: {store.documents} filings from the benchmark's PDFs, {store.chunks} "
        f"chunks, {built}; ingested by `qa ingest`, each filing described from its own cover page.{stale} "
        f"per-document: the question's filing chosen as the document filter; shared: no filter. "
        f"{on_pages} questions are on filings with no PDF: asked over a separate store of those filings' "
        f"evidence pages only (close to an oracle) and reported apart."
    )


def _reason(r: dict) -> str:
    if r["verdict"] == "text gold":
        return f"text gold (not scored; overlap {r['overlap']:.2f})"
    return {
        "refused": "refused",
        "incorrect": "states a figure or verdict that does not match the gold",
        "no figure": "answers without a figure",
        "no verdict": "answers without a yes/no",
    }.get(r["verdict"], "")


def _summary(results: list[dict]) -> dict[str, Any]:
    n = len(results)
    times = [r["ms"] for r in results if r.get("ms") is not None]
    count = Counter(r["verdict"] for r in results)
    return {
        "questions": n,
        "errors": count["error"],
        "correct": ratio(count["correct"], n),
        "incorrect": ratio(count["incorrect"], n),
        "refused": ratio(count["refused"], n),
        "no figure or verdict": ratio(count["no figure"] + count["no verdict"], n),
        "text golds": count["text gold"],
        "correct_count": count["correct"],
        "incorrect_count": count["incorrect"],
        "evidence_recall@5": recall_at([r["rank"] for r in results], 5),
        "ask_p50_ms": round(percentile(times, 50), 1),
        "ask_p95_ms": round(percentile(times, 95), 1),
    }
