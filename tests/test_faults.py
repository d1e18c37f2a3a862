"""Faults: ingest killed with SIGKILL at random moments never leaves a half document served, and the next run
ends with exactly the chunk count of a clean ingest; corrupt inputs never cost what the store already holds."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from assistant.config import Settings
from assistant.store.chunks import ChunkStore
from tests.conftest import CORPUS, PROJECT_ROOT

pytestmark = pytest.mark.slow
TRIALS = 10


def _ingest_cmd(store, folder):
    return [sys.executable, "-m", "assistant.interfaces.cli", "--store", str(store), "ingest", str(folder)]


def _served_consistently(store_path) -> tuple[int, int]:
    """Check every committed document is served whole; returns (served chunks, stored chunks)."""
    store = ChunkStore(Settings.from_env(store_path=store_path, chroma_url=""))
    try:
        docs = store.documents()
    except Exception:
        return 0, 0
    served = 0
    for doc_id, info in docs.items():
        versions = store.chunk_hashes(doc_id)
        current = sum(1 for h in versions.values() if h == info.file_hash)
        assert current == info.chunks, f"{doc_id}: {current} of {info.chunks} chunks of the committed version"
        served += current
    return served, store.count()


def test_sigkill_during_ingest_never_serves_half_a_document(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name in (
        "alibaba-cloud-vs-aws-2026.md",
        "alibaba_FY2025_annual_report_extract.md",
        "amazon_Q4-2025_earnings_release_2026-02-05.md",
    ):
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copy(CORPUS / "catalog.json", corpus / "catalog.json")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))

    start = time.perf_counter()
    subprocess.run(_ingest_cmd(tmp_path / "clean", corpus), check=True, env=env, capture_output=True, timeout=600)
    full_run = time.perf_counter() - start
    clean_count = _served_consistently(tmp_path / "clean")[1]
    assert clean_count > 100

    rng = random.Random(20261126)
    store = tmp_path / "crashy"
    for trial in range(TRIALS):
        if trial % 3 == 2:  # sometimes crash while a changed file is being replaced
            text = (corpus / "alibaba-cloud-vs-aws-2026.md").read_text()
            (corpus / "alibaba-cloud-vs-aws-2026.md").write_text(text + f"\nEdit number {trial} of this article.\n")
        proc = subprocess.Popen(
            _ingest_cmd(store, corpus), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, full_run * 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _served_consistently(store)

    # restore the original article, finish the job, and compare with a clean ingest
    shutil.copy(CORPUS / "alibaba-cloud-vs-aws-2026.md", corpus / "alibaba-cloud-vs-aws-2026.md")
    subprocess.run(_ingest_cmd(store, corpus), check=True, env=env, capture_output=True, timeout=600)
    served, stored = _served_consistently(store)
    assert served == stored == clean_count


def test_corrupt_inputs_are_reported_and_nothing_stored_is_lost(fake_assistant, tiny_corpus, tmp_path):
    fake_assistant.ingest([tiny_corpus])
    before = {d.doc_id: d.chunks for d in fake_assistant.documents()}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.pdf").write_bytes(os.urandom(4096))
    pdf = (CORPUS / "amazon_10-q_q2_2025.pdf").read_bytes()
    (bad / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (bad / "latin1.txt").write_bytes("Le chiffre d'affaires a progress\xe9 de 7% \xe0 Lyon en 2031.".encode("latin-1"))
    (bad / "deep.html").write_text("<div>" * 200_000 + "Nested revenue of 9 units in 2031." + "</div>" * 200_000)
    with (bad / "huge.txt").open("wb") as fh:  # 200 MB, over the size limit
        fh.truncate(200 * 1024 * 1024)
    (bad / "good.md").write_text("# Good\nThe Vega cluster reached 64 racks in 2031.")
    climbing = bad / ".." / "bad" / ".." / "bad" / "good.md"  # a path with ../ parts names the same file once
    report = fake_assistant.ingest([bad, climbing])
    problems = {os.path.basename(p.path): p.error for p in report.problems}
    assert set(problems) == {"empty.txt", "binary.pdf", "truncated.pdf", "huge.txt", "deep.html"}, problems
    assert "too large" in problems["huge.txt"] and "empty" in problems["empty.txt"]
    assert "nested" in problems["deep.html"]
    docs = {d.doc_id: d.chunks for d in fake_assistant.documents()}
    assert {"good", "latin1"} <= set(docs)
    assert report.doc_ids.count("good") == 1
    assert all(docs[d] == n for d, n in before.items()), "documents already stored are untouched"
