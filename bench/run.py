"""The benchmark suite: `python -m bench.run` (or `make bench`). Prints a table and writes bench/RESULTS-latest.md.

Runs, in one invocation on the same corpus:
- the peer baseline from the LangChain tutorials (PyPDFLoader/TextLoader -> RecursiveCharacterTextSplitter(1000,
  200) -> HuggingFaceEmbeddings(same packaged model) -> Chroma.from_documents -> similarity_search(k=5));
- our cold ingest, the pure encode time of exactly our chunks (the physical floor), unchanged re-ingest;
- recall@5 of both on corpus/questions.jsonl; warm ask() latency per stage; `qa ask` cold-process time;
- a scale run on a synthetic store (1k vs N chunks ingest per chunk, ask latency at N).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings, apply_offline_env  # noqa: E402

apply_offline_env()
CORPUS = ROOT / "corpus"
QUESTIONS = CORPUS / "questions.jsonl"


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def corpus_files() -> list[Path]:
    from ingest.pipeline import discover

    return discover([CORPUS])[0]


# -- the peer baseline ------------------------------------------------------------------------------------------
def baseline_ingest(store: Path):
    from langchain_chroma import Chroma
    from langchain_community.document_loaders import PyPDFLoader, TextLoader
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.search.embeddings import packaged_model_path

    docs = []
    for path in corpus_files():
        loader = PyPDFLoader(str(path)) if path.suffix == ".pdf" else TextLoader(str(path), encoding="utf-8")
        docs.extend(loader.load())
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    embeddings = HuggingFaceEmbeddings(model_name=packaged_model_path(), model_kwargs={"device": "cpu"})
    import chromadb

    client = chromadb.PersistentClient(path=str(store), settings=chromadb.Settings(anonymized_telemetry=False))
    return Chroma.from_documents(splits, embeddings, client=client, collection_name="baseline"), len(splits)


def baseline_recall(vectorstore, questions) -> float:
    from assistant.evaluation.metrics import first_hit_rank, recall_at
    from assistant.contract.types import Chunk
    from ingest.catalog import doc_id_for

    ranks = []
    for q in questions:
        if not q.answerable:
            continue
        hits = vectorstore.similarity_search(q.question, k=5)
        chunks = [
            Chunk(
                id=str(i),
                doc_id=doc_id_for(Path(h.metadata["source"])),
                text=h.page_content,
                page=h.metadata["page"] + 1 if "page" in h.metadata else None,
            )
            for i, h in enumerate(hits)
        ]
        ranks.append(first_hit_rank(q.evidence, chunks))
    return recall_at(ranks, 5)


# -- ours -------------------------------------------------------------------------------------------------------
def our_ingest(settings: Settings):
    from ingest.pipeline import Ingestor

    return Ingestor(settings).run([CORPUS])


def our_recall(assistant, questions) -> float:
    from assistant.evaluation.metrics import first_hit_rank, recall_at

    ranks = [first_hit_rank(q.evidence, assistant.passages(q.question, 5)) for q in questions if q.answerable]
    return recall_at(ranks, 5)


def encode_floor(settings: Settings):
    """A timer of the model-encode time of exactly the texts our ingest embeds (same texts, same embedder and batch
    size, warm), and the number of chunks; timed after each ingest run, so that both meet the same load."""
    from assistant.search.embeddings import PackagedEmbeddings
    from ingest.catalog import describe, read_catalog
    from ingest.loaders import load_file
    from ingest.pipeline import build_chunks, distinct_embedding_texts

    chunks = []
    for path in corpus_files():
        loaded, _ = load_file(path)
        chunks += build_chunks(
            loaded, describe(path, loaded, read_catalog(path.parent)), "x", settings.ingest.chunk_chars
        )
    embedder = PackagedEmbeddings(
        batch_size=settings.embedding.batch,
        backend=settings.embedding.backend,
        cache_dir=settings.embedding.model_cache,
    )
    embedder.encode(["warm up"])
    texts = distinct_embedding_texts(chunks)
    return (lambda: timed(lambda: embedder.encode(texts))[0]), len(chunks)


def ask_latency(assistant, questions, runs: int) -> dict[str, dict[str, float]]:
    from assistant.evaluation.metrics import percentile

    for q in questions:  # warm: model, index, caches of the code path (not of answers: each run re-asks)
        assistant.ask(q.question, history=q.history or None)
    stages: dict[str, list[float]] = {}
    for _ in range(runs):
        for q in questions:
            assistant.embedder.clear_cache()
            answer = assistant.ask(q.question, history=q.history or None)
            for stage, ms in answer.timings.items():
                stages.setdefault(stage, []).append(ms)
    return {s: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for s, v in stages.items()}


def cold_ask(store: Path, backend: str, runs: int) -> float:
    env = dict(os.environ, QA_STORE_PATH=str(store), QA_EMBED_BACKEND=backend)
    times = []
    for _ in range(runs):
        seconds, proc = timed(
            lambda: subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "assistant.interfaces.cli",
                    "ask",
                    "What was AWS segment operating income in 2025?",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
        )
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr)
        times.append(seconds)
    return statistics.median(times)


def server_rss(store: Path, questions) -> float:
    """Resident memory (MB) of `qa serve` on the bench store after start-up and three questions over HTTP."""
    import httpx

    from bench.load import free_port, start_server

    proc, url, work = start_server(free_port(), store)
    try:
        for q in questions[:3]:
            httpx.post(f"{url}/api/ask", json={"question": q.question}, timeout=120).raise_for_status()
        status = Path(f"/proc/{proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


# -- scale ------------------------------------------------------------------------------------------------------
class HashEmbeddings:
    """Instant stand-in vectors for the scale run, which measures the pipeline, not the model."""

    def encode(self, texts, show_progress=False):
        rng = np.random.default_rng(abs(hash(texts[0])) % 2**32 if texts else 0)
        v = rng.standard_normal((len(texts), 384)).astype("float32")
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def synthetic_corpus(folder: Path, rounds: int) -> None:
    """`rounds` copies of the Markdown corpus files, every paragraph marked with its copy number so no chunk text
    repeats across copies."""
    folder.mkdir(parents=True, exist_ok=True)
    for r in range(rounds):
        for p in (p for p in corpus_files() if p.suffix == ".md"):
            text = p.read_text(encoding="utf-8").replace("\n\n", f" (copy {r})\n\n")
            (folder / f"{p.stem}-copy{r:05d}.md").write_text(text, encoding="utf-8")


def scale_run(base: Settings, workdir: Path, sizes: list[int]) -> dict[int, tuple[float, float, int]]:
    """Ingest synthetic stores of about each size; returns {size: (seconds, seconds inside Chroma writes, chunks)}."""
    from ingest.pipeline import Ingestor

    probe = workdir / "synthetic-probe"
    synthetic_corpus(probe, 1)
    per_round = (
        Ingestor(base.updated(store_path=workdir / "probe-store"), embedder=HashEmbeddings()).run([probe]).chunks_after
    )
    results = {}
    for size in sizes:
        folder = workdir / f"synthetic-{size}"
        synthetic_corpus(folder, max(1, round(size / per_round)))
        ingestor = Ingestor(base.updated(store_path=workdir / f"scale-store-{size}"), embedder=HashEmbeddings())
        writes = [0.0]
        add = ingestor.store.add_chunks

        def timed_add(*args, _add=add, _writes=writes):
            seconds, _ = timed(lambda: _add(*args))
            _writes[0] += seconds

        ingestor.store.add_chunks = timed_add
        seconds, report = timed(lambda: ingestor.run([folder]))
        results[size] = (seconds, writes[0], report.chunks_after)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="repetitions for medians (ingest and cold start)")
    parser.add_argument("--scale", type=int, default=100_000, help="chunks in the scale run (0 to skip)")
    parser.add_argument("--backend", default=Settings.from_env().embedding.backend)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-latest.md")
    args = parser.parse_args()

    from assistant.core import Assistant
    from assistant.evaluation.runner import load_questions

    questions = load_questions(QUESTIONS)
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    rows: list[tuple[str, str]] = []
    try:
        base = Settings.from_env(store_path=work / "ours", chroma_url="", embed_backend=args.backend)

        base_times, ours_times, floor_times, vectorstore, n_base = [], [], [], None, 0
        floor_timer, n_floor = encode_floor(base)
        for run in range(args.runs):  # a fresh folder per run: Chroma keeps one client per path in a process
            seconds, (vectorstore, n_base) = timed(lambda: baseline_ingest(work / f"baseline-{run}"))
            base_times.append(seconds)
            base = base.updated(store_path=work / f"ours-{run}")
            seconds, report = timed(lambda: our_ingest(base))
            ours_times.append(seconds)
            floor_times.append(floor_timer())
        n_ours = report.chunks_after
        floor = statistics.median(floor_times)
        ratio = statistics.median(o / f for o, f in zip(ours_times, floor_times))
        reingest, again = timed(lambda: our_ingest(base))
        qa = Assistant(settings=base)
        recall_ours = our_recall(qa, questions)
        recall_base = baseline_recall(vectorstore, questions)
        latency = ask_latency(qa, questions, runs=1)
        cold = cold_ask(base.store.path, args.backend, args.runs)

        b, o = statistics.median(base_times), statistics.median(ours_times)
        rows += [
            ("baseline ingest (LangChain tutorial pipeline)", f"{b:.1f} s, {n_base} chunks"),
            ("our cold ingest", f"{o:.1f} s, {n_ours} chunks ({n_ours / o:.1f} chunks/s)"),
            ("speed-up vs baseline (target >= 2.5x)", f"{b / o:.2f}x"),
            ("pure encode of our chunks (floor)", f"{floor:.1f} s ({n_floor} chunks)"),
            (
                "ingest / encode, median of the runs' ratios (target <= 1.05)",
                f"{ratio:.2f} (runs: "
                + ", ".join(f"{o_:.1f}/{f_:.1f} s" for o_, f_ in zip(ours_times, floor_times))
                + ")",
            ),
            ("unchanged re-ingest (target < 2 s)", f"{reingest:.2f} s, +{again.added_chunks} chunks"),
            ("recall@5 baseline", f"{recall_base:.3f}"),
            ("recall@5 ours (target >= baseline)", f"{recall_ours:.3f}"),
            (
                "warm ask() total p50 / p95 (targets 50 / 150 ms)",
                f"{latency['total']['p50']:.1f} / {latency['total']['p95']:.1f} ms",
            ),
        ]
        rows += [
            (f"  stage {s} p50 / p95", f"{v['p50']:.1f} / {v['p95']:.1f} ms")
            for s, v in latency.items()
            if s != "total"
        ]
        rows.append((f"`qa ask` cold process, median of {args.runs} (target <= 1.5 s)", f"{cold:.2f} s"))

        rss = server_rss(base.store.path, questions)
        rows.append(("`qa serve` RSS after warm-up and three questions (target < 1 GB)", f"{rss:.0f} MB"))

        if args.scale:
            sizes = sorted({1000, max(1000, args.scale // 10), args.scale})
            results = scale_run(base, work, sizes)
            per_chunk = {size: s / n for size, (s, _w, n) in results.items()}
            small, big = per_chunk[sizes[0]], per_chunk[sizes[-1]]
            for size in sizes:
                s, w, n = results[size]
                rows.append(
                    (
                        f"scale ingest at {n} chunks (stand-in vectors)",
                        f"{1000 * s / n:.2f} ms/chunk (Chroma writes {1000 * w / n:.2f}, rest "
                        f"{1000 * (s - w) / n:.2f})",
                    )
                )
            rows.append(
                (
                    f"scale per-chunk ratio {results[sizes[-1]][2]} vs {results[sizes[0]][2]} chunks (target <= 1.3)",
                    f"{big / small:.2f}x",
                )
            )
            encode = floor / n_floor  # the real model's cost per chunk, measured above
            rows.append(
                (
                    "same ratio with the measured model encode per chunk added",
                    f"{(encode + big) / (encode + small):.2f}x ({1000 * (encode + small):.1f} vs "
                    f"{1000 * (encode + big):.1f} ms/chunk)",
                )
            )
            big_qa = Assistant(settings=base.updated(store_path=work / f"scale-store-{args.scale}"))
            big_latency = ask_latency(big_qa, [q for q in questions if not q.history][:40], runs=1)
            rows.append(
                (
                    f"ask() at {results[sizes[-1]][2]} chunks p50 / p95 (target p50 < 150 ms)",
                    f"{big_latency['total']['p50']:.1f} / {big_latency['total']['p95']:.1f} ms",
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    header = (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"embedding backend: {args.backend}\ncommand: python -m bench.run --runs {args.runs} "
        f"--scale {args.scale} --backend {args.backend}\n"
    )
    table = "| measure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows) + "\n"
    print(header)
    print(table)
    args.out.write_text(f"# Benchmark run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n{header}\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
