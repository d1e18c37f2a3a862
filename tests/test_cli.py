"""The `qa` console script in a subprocess: the JSON contract, errors, and no network use at all."""

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import fields

import pytest

from assistant.contract.types import Answer, Citation
from tests.conftest import CORPUS, PROJECT_ROOT

pytestmark = pytest.mark.slow


def qa(*args, env=None, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env or os.environ.copy(),
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def cli_store(real_assistant):
    return str(real_assistant.settings.store.path)


def test_ask_json_prints_exactly_the_answer_contract(cli_store):
    out = qa(
        "--store",
        cli_store,
        "ask",
        "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?",
        "--json",
        "-k",
        "4",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {f.name for f in fields(Answer)}
    assert data["refused"] is False and "38%" in data["text"]
    for citation in data["citations"]:
        assert set(citation) == {f.name for f in fields(Citation)}
    assert Answer.from_dict(data).citations[0].doc_id == "alibaba-cloud-vs-aws-2026"


@pytest.mark.parametrize(
    "question", ["What was AWS segment operating income in 2025?", "What was Amazon's revenue in 2027?"]
)
def test_ask_json_carries_the_wording_the_chat_shows(cli_store, real_assistant, question):
    out = qa("--store", cli_store, "ask", question, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    answer = real_assistant.ask(question)  # what the chat and the API draw from
    assert (data["text"], data["direct"], data["refused"]) == (answer.text, answer.direct, answer.refused)
    assert "$45.6 billion" in data["direct"] or "The documents give Amazon's net sales for FY2022" in data["text"]


def test_ask_errors_are_messages_not_tracebacks(cli_store, tmp_path):
    empty = qa("--store", cli_store, "ask", "   ")
    assert empty.returncode == 2 and "Please type a question" in empty.stderr and "Traceback" not in empty.stderr
    missing = qa("--store", str(tmp_path / "none"), "ask", "What was revenue?")
    assert missing.returncode == 2 and "qa ingest" in missing.stderr


def test_eval_runs_one_split_and_refuses_a_store_without_the_cited_documents(cli_store, tmp_path):
    asked = {
        "category": "lookup",
        "answerable": True,
        "answer": "AWS sales grew 19% in 2024.",
        "key_facts": ["19%"],
        "doc_ids": ["amazon-10-k-2024"],
    }
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(dict(asked, id=f"q{i}", split=split, question="How fast did AWS sales grow in 2024?"))
            for i, split in enumerate(["dev", "holdout", "dev"])
        )
        + "\n"
    )
    out = qa("--store", cli_store, "eval", str(questions), "--split", "dev", "--out", str(tmp_path / "report"))
    assert out.returncode == 0, out.stderr
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert [r["id"] for r in report["results"]] == ["q0", "q2"] and report["metrics"]["accuracy"] == 1.0
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_text(json.dumps(dict(asked, id="q9", question="Who makes it?", doc_ids=["not-ingested-manual"])))
    out = qa("--store", cli_store, "eval", str(elsewhere), "--out", str(tmp_path / "none"))
    assert out.returncode == 2 and "not-ingested-manual" in out.stderr and "Traceback" not in out.stderr


def test_docs_lists_documents_with_chunk_counts(cli_store):
    out = qa("--store", cli_store, "docs", "--json")
    docs = {d["doc_id"]: d["chunks"] for d in json.loads(out.stdout)}
    assert len(docs) == 5 and all(n > 0 for n in docs.values())


def test_facts_lists_what_the_documents_state(cli_store):
    out = qa("--store", cli_store, "facts", "--company", "AWS", "--concept", "operating income")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any("AWS" in line and "FY2025" in line and "$45,606 million" in line for line in lines)
    assert lines[-1].endswith("facts") and all("North America" not in line for line in lines)
    data = json.loads(qa("--store", cli_store, "facts", "--doc", "amazon-10-k-2024", "--json").stdout)
    assert data and {f["doc_id"] for f in data} == {"amazon-10-k-2024"}
    bad = qa("--store", cli_store, "facts", "--doc", "no-such-doc")
    assert bad.returncode == 2 and "no-such-doc" in bad.stderr and "Traceback" not in bad.stderr


GUARD = textwrap.dedent("""
    import socket, sys, json, os
    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(repr(args)[:200])
        raise OSError("network blocked by test")
    socket.socket.connect = lambda self, addr: refuse(addr)
    socket.socket.connect_ex = lambda self, addr: refuse(addr)
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    import atexit
    atexit.register(lambda: open(os.environ["GUARD_LOG"], "w").write(json.dumps(attempts)))
""")


def test_ingest_and_ask_make_no_network_connection(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "attempts.json"
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}:{PROJECT_ROOT}", GUARD_LOG=str(log))
    for key in list(env):
        if key in ("ANONYMIZED_TELEMETRY", "HF_HUB_OFFLINE", "GRADIO_ANALYTICS_ENABLED"):
            del env[key]  # the product must switch these off itself
    store = str(tmp_path / "store")
    ingest = qa("--store", store, "ingest", str(CORPUS / "alibaba-cloud-vs-aws-2026.md"), env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(log.read_text()) == []
    ask = qa("--store", store, "ask", "How fast did Alibaba Cloud grow in Q1 2026?", env=env)
    assert ask.returncode == 0, ask.stderr
    assert "38%" in ask.stdout
    assert json.loads(log.read_text()) == []


def test_query_process_answers_without_importing_torch(cli_store):
    """Ingest made the checked ONNX export; a process that only asks then never loads torch (fast cold start)."""
    code = (
        "import sys; from assistant.core import Assistant; "
        f"a = Assistant(store_path={cli_store!r}, embed_backend='auto'); "
        "ans = a.ask('How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?'); "
        "print('38%' in ans.text, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]


def test_onnx_query_vectors_match_sentence_transformers():
    from assistant.search.embeddings import PackagedEmbeddings

    text = "AWS segment operating income was $45.6 billion in 2025."
    auto = PackagedEmbeddings(backend="auto")
    a = auto.encode([text])[0]
    b = PackagedEmbeddings(backend="torch").encode([text])[0]
    assert float(a @ b) > 0.999
    assert auto._onnx is not None
