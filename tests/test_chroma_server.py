"""Scale-out on Chroma's own server: separate app processes share one store, see each other's ingests,
and survive the server going down and coming back."""

import json
import os
import subprocess
import sys

import pytest

from assistant.core import Assistant
from assistant.evaluation.scoring import states
from assistant.contract.errors import StoreUnavailable
from tests.chroma_server import ChromaServer
from tests.conftest import CORPUS, PROJECT_ROOT

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-data")).start()
    yield server
    server.stop()


def _cli(chroma_url, *args):
    env = dict(os.environ, QA_CHROMA_URL=chroma_url, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=600,
    )


def test_processes_share_one_chroma_server(chroma, tmp_path):
    ingest = _cli(
        chroma.url,
        "ingest",
        str(CORPUS / "alibaba-cloud-vs-aws-2026.md"),
        str(CORPUS / "amazon_Q4-2025_earnings_release_2026-02-05.md"),
        "--json",
    )
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["added_chunks"] > 20

    reader = Assistant(chroma_url=chroma.url)  # a long-lived app process of its own
    question = "What was AWS segment operating income for full year 2025?"
    here = reader.ask(question)
    there = json.loads(_cli(chroma.url, "ask", question, "--json").stdout)
    assert not here.refused and states("$45.6 billion", here.direct)
    assert there["text"] == here.text and [c["chunk_id"] for c in there["citations"]] == [
        c.chunk_id for c in here.citations
    ]

    # a document ingested through another process is found here, lexical index included
    note = tmp_path / "orion-note.md"
    note.write_text("# Orion\n\nThe Orion data centre in Lisbon reached 120 megawatts of capacity in March 2030.\n")
    assert _cli(chroma.url, "ingest", str(note)).returncode == 0
    found = reader.ask("How much capacity did the Orion data centre in Lisbon reach?")
    assert not found.refused and found.citations[0].doc_id == "orion-note" and "120 megawatts" in found.text


def test_server_down_is_a_clear_error_and_recovers_without_restart(chroma):
    app = Assistant(chroma_url=chroma.url)
    question = "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?"
    assert "38%" in app.ask(question).text
    chroma.stop()
    try:
        with pytest.raises(StoreUnavailable) as info:
            app.ask(question)
        assert info.value.status == 503 and "Chroma server" in info.value.message
    finally:
        chroma.start()
    assert "38%" in app.ask(question).text


def test_two_app_servers_share_one_chroma_server(chroma, tmp_path):
    """Two `qa serve` processes on one Chroma server answer alike; an upload through one is found by the other."""
    import httpx

    from tests.server_utils import start_server

    ingest = _cli(chroma.url, "ingest", str(CORPUS / "alibaba-cloud-vs-aws-2026.md"))
    assert ingest.returncode == 0, ingest.stderr
    folders = [tmp_path / f"app-{i}" for i in range(2)]
    for folder in folders:
        folder.mkdir()
    servers = [start_server(folder / "unused-store", folder, QA_CHROMA_URL=chroma.url) for folder in folders]
    try:
        question = {"question": "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?"}
        answers = [httpx.post(s.api("/ask"), json=question, timeout=60).json() for s in servers]
        assert answers[0]["text"] == answers[1]["text"] and "38%" in answers[0]["text"]
        upload = httpx.post(
            servers[0].api("/documents"),
            timeout=120,
            files={
                "file": ("kestrel.md", b"# Kestrel\n\nThe Kestrel cluster processed 4,096 jobs per second in 2031.\n")
            },
        )
        assert upload.status_code == 200, upload.text
        other = httpx.post(
            servers[1].api("/ask"),
            timeout=60,
            json={"question": "How many jobs per second did the Kestrel cluster process?"},
        ).json()
        assert not other["refused"] and "4,096" in other["text"]
        assert other["citations"][0]["doc_id"] == "kestrel"
    finally:
        for s in servers:
            s.stop()
