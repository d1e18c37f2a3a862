"""Shared fixtures: a deterministic fake embedder for fast unit tests, temp stores, a tiny corpus, and the real
default corpus ingested once per session with the real packaged model."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.config import PROJECT_ROOT, Settings, apply_offline_env
from assistant.text import index_tokens

apply_offline_env()
CORPUS = PROJECT_ROOT / "corpus"
OUTPUT = PROJECT_ROOT / "test-output"


class FakeEmbeddings:
    """Hashed bag-of-words vectors: deterministic, instant, and similar texts get similar vectors."""

    dims = 384

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dims, dtype="float32")
        for tok in index_tokens(text):
            h = int.from_bytes(hashlib.md5(tok.encode()).digest()[:4], "little")
            vec[h % self.dims] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec + 1.0 / np.sqrt(self.dims)

    def encode(self, texts, show_progress=False):
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dims), "float32")

    def embed_documents(self, texts):
        return self.encode(list(texts)).tolist()

    def embed_query(self, text):
        return self._vector(text).tolist()


@pytest.fixture
def fake_embedder():
    return FakeEmbeddings()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env(store_path=tmp_path / "store", upload_dir=tmp_path / "uploads", chroma_url="")


@pytest.fixture
def fake_assistant(settings, fake_embedder):
    """An Assistant on a real temp Chroma store with the fake embedder."""
    from assistant.core import Assistant

    return Assistant(settings=settings, embedder=fake_embedder)


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cloud-notes.md").write_text(
        "# Cloud notes\n\nZephyr Cloud revenue grew 42% to $9.9 billion in fiscal 2031. "
        "The growth came from storage products.\n\n## Outlook\n\nManagement expects capital spending of "
        "$3.3 billion next year.\n\n![chart](http://example.invalid/chart.png)\n",
        encoding="utf-8",
    )
    (folder / "plain.txt").write_text(
        "Quarterly memo\n\nThe Orion data centre opened in Lisbon in March 2030 with 120 megawatts of capacity.\n",
        encoding="utf-8",
    )
    (folder / "filing.htm").write_text(
        "<html><head><title>Acme 10-K</title></head><body><div style='display:none'><ix:header>HIDDEN XBRL "
        "dei:EntityCentralIndexKey 0000000001</ix:header></div><h2>Item 7. Management's Discussion</h2>"
        "<p>Acme net sales were $512 million in 2030.</p><table><tr><th></th><th>2029</th><th>2030</th></tr>"
        "<tr><td>Net sales</td><td>$</td><td>480</td><td>$</td><td>512</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory):
    """The default corpus ingested once, with the real packaged model, into a temp embedded store."""
    from assistant.core import Assistant

    store = tmp_path_factory.mktemp("real") / "store"
    qa = Assistant(store_path=store, chroma_url="")
    report = qa.ingest([CORPUS])
    assert not report.problems, report.problems
    qa.ingest_report = report
    return qa


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


def copy_corpus(dest: Path) -> Path:
    shutil.copytree(CORPUS, dest)
    return dest


def pytest_configure(config):
    os.environ.setdefault("QA_STORE_PATH", str(Path(config.rootpath) / "test-output" / "default-store"))
