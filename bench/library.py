"""Library scale: a store of many full filings (the FinanceBench pool of 81 10-K/10-Q PDFs). Prints ingest
chunks/s against the encode floor (on a few of the filings, ingested afresh), the store's size, the index's load
time and memory (BM25, the facts index, vectors, chunks), ask() p50/p95, evidence recall@5/@10 with and without
scoped retrieval, and the resident memory of `qa serve` on the store.

    python -m bench.library --store data/pool-store --financebench ../shared/sources/financebench

The questions are FinanceBench's own, read at run time from --financebench (only those whose filing is in the
store); they are asked of the whole store, with no document filter.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings, apply_offline_env  # noqa: E402

apply_offline_env()


def deep_size(root, skip: tuple[type, ...] = ()) -> int:
    """Bytes of every object reachable from `root` (each counted once), not following objects of `skip` types."""
    import types

    seen: set[int] = set()
    stack, total = [root], 0
    stop = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, *skip)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, stop):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):  # a view's memory is its base's: count the base once
            if obj.base is None:
                total += obj.nbytes
            else:
                stack.append(obj.base)
            continue
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


def index_memory(index) -> dict[str, float]:
    """MB held by the index's parts: BM25 (postings, term ids and counts, document frequencies, vocabularies), the
    facts index (facts, their lookups and statement maps; the chunks they point to counted under chunks), the
    vectors, and the chunks themselves."""
    from assistant.contract.types import Chunk

    bm25 = deep_size(
        (
            index.postings,
            index.doc_freq,
            index.vocabulary.ids,
            [(p.vocab, p.indptr, p.term_ids, p.counts, p.lengths) for p in index.parts.values()],
        )
    )
    facts = deep_size(index.facts, skip=(Chunk,))
    chunks = deep_size(index.chunks) - deep_size([f for c in index.chunks for f in c.facts])
    return {
        "BM25": bm25 / 1e6,
        "facts index": facts / 1e6,
        "vectors": index.embeddings.nbytes / 1e6,
        "chunks (text, tables, metadata)": chunks / 1e6,
    }


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def ingest_rate(pdfs: list[Path], work: Path) -> tuple[float, int, float]:
    """(seconds, chunks) of a fresh ingest of these filings, and the encode floor: the same embedder encoding
    exactly the texts that ingest embedded, warm."""
    from assistant.search.embeddings import PackagedEmbeddings
    from ingest.catalog import describe, read_catalog
    from ingest.loaders import load_file
    from ingest.pipeline import Ingestor, build_chunks, distinct_embedding_texts

    folder = work / "filings"
    folder.mkdir()
    for pdf in pdfs:
        shutil.copy(pdf, folder / pdf.name)
    settings = Settings.from_env(store_path=work / "ingest-store", chroma_url="")
    start = time.perf_counter()
    report = Ingestor(settings).run([folder])
    seconds = time.perf_counter() - start
    chunks = []
    for pdf in sorted(folder.glob("*.pdf")):
        loaded, _ = load_file(pdf)
        chunks += build_chunks(loaded, describe(pdf, loaded, read_catalog(folder)), "x", settings.ingest.chunk_chars)
    embedder = PackagedEmbeddings(
        batch_size=settings.embedding.batch,
        backend=settings.embedding.backend,
        cache_dir=settings.embedding.model_cache,
    )
    embedder.encode(["warm up"])
    texts = distinct_embedding_texts(chunks)
    floor_start = time.perf_counter()
    embedder.encode(texts)
    return seconds, report.added_chunks, time.perf_counter() - floor_start


def questions_in(store_docs: set[str], financebench: Path):
    from assistant.evaluation.financebench import doc_id, read_items

    items = read_items(financebench / "financebench_open_source.jsonl")
    return [i for i in items if doc_id(i.doc_name) in store_docs]


def recall(store: Path, items, scoped: bool) -> tuple[float, float]:
    from assistant.core import Assistant

    qa = Assistant(settings=Settings.from_env(store_path=store, chroma_url="", scoped_search=scoped))
    ranks = []
    for item in items:
        ranked = qa.passages(item.question, 10)
        ranks.append(next((r for r, c in enumerate(ranked, 1) if (c.doc_id, c.page) in item.pages), None))
    return (sum(1 for r in ranks if r and r <= 5) / len(ranks), sum(1 for r in ranks if r) / len(ranks))


def server_memory(store: Path, items) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB of `qa serve` on the store after start-up and three questions over HTTP."""
    import httpx

    from bench.load import free_port, start_server

    proc, url, work = start_server(free_port(), store)
    try:
        for item in items[:3]:
            httpx.post(f"{url}/api/ask", json={"question": item.question}, timeout=300).raise_for_status()
        status = Path(f"/proc/{proc.pid}/status").read_text()
        value = lambda key: int(re.search(rf"{key}:\s+(\d+)", status).group(1)) / 1024
        return value("VmRSS"), value("VmHWM")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "pool-store")
    parser.add_argument("--financebench", type=Path, default=ROOT.parent / "shared" / "sources" / "financebench")
    parser.add_argument("--ingest-filings", type=int, default=6, help="filings ingested afresh for the rate (0: skip)")
    args = parser.parse_args()

    from assistant.core import Assistant
    from assistant.evaluation.metrics import percentile

    rows: list[tuple[str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="qa-library-"))
    try:
        if args.ingest_filings:
            pdfs = sorted((args.financebench / "pdfs").glob("*.pdf"))
            chosen = pdfs[:: max(1, len(pdfs) // args.ingest_filings)][: args.ingest_filings]
            seconds, chunks, floor = ingest_rate(chosen, work)
            rows += [
                (
                    f"ingest of {len(chosen)} pool filings afresh",
                    f"{seconds:.1f} s, {chunks} chunks ({chunks / seconds:.1f} chunks/s)",
                ),
                ("pure encode of the same texts (floor)", f"{floor:.1f} s ({chunks / floor:.1f} chunks/s)"),
                ("ingest / encode (target <= 1.05)", f"{seconds / floor:.2f}"),
            ]

        qa = Assistant(settings=Settings.from_env(store_path=args.store, chroma_url=""))
        docs = qa.store.documents()
        cache = folder_mb(args.store / "cache") if (args.store / "cache").is_dir() else 0.0
        rows.append(
            (
                "store",
                f"{len(docs)} documents, {qa.chunk_count()} chunks, {folder_mb(args.store) - cache:.0f} "
                f"MB on disk (Chroma), plus {cache:.0f} MB of per-document index entries",
            )
        )
        cached = (args.store / "cache" / "entries").is_dir()
        start = time.perf_counter()
        index = qa.search.index(docs)
        rows.append(
            (
                "index load in a new process",
                f"{time.perf_counter() - start:.1f} s "
                f"({'from the per-document cache' if cached else 'from the store'})",
            )
        )
        for name, mb in index_memory(index).items():
            rows.append((f"memory: {name}", f"{mb:.0f} MB"))

        items = questions_in(set(docs), args.financebench)
        for item in items[:5]:  # warm: model, index, registry
            qa.ask(item.question)
        totals = []
        for item in items:
            qa.embedder.clear_cache()
            totals.append(qa.ask(item.question).timings["total"])
        rows.append(
            (
                f"ask() p50 / p95, {len(items)} FinanceBench questions, shared store (targets 100 / 250 ms)",
                f"{percentile(totals, 50):.0f} / {percentile(totals, 95):.0f} ms",
            )
        )
        for scoped in (False, True):
            at5, at10 = recall(args.store, items, scoped)
            rows.append(
                (
                    f"evidence recall@5 / @10, {'scoped' if scoped else 'not scoped'} (target @5 >= 0.80)",
                    f"{at5:.3f} / {at10:.3f}",
                )
            )
        rss, peak = server_memory(args.store, items)
        rows.append(
            (
                "`qa serve` RSS after start-up and three questions (target <= 1.5 GB)",
                f"{rss:.0f} MB (peak {peak:.0f} MB)",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"command: python -m bench.library --store {args.store} --ingest-filings {args.ingest_filings}\n")
    print("| measure | value |\n|---|---|")
    for key, value in rows:
        print(f"| {key} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
