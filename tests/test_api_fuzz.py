"""Fuzz the HTTP API from its own OpenAPI schema with schemathesis: no 5xx, every response matches the schema.
Also: the server makes no outbound connection while it ingests, answers and serves."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import httpx
import pytest

from tests.server_utils import copy_store, serving_copy, start_server

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def fuzz_server(real_assistant, tmp_path_factory):
    with serving_copy(
        real_assistant.settings.store.path, tmp_path_factory.mktemp("fuzz"), QA_MAX_UPLOAD_MB="1"
    ) as server:
        yield server


def test_schemathesis_finds_no_server_errors_or_schema_violations(fuzz_server, output_dir):
    st = shutil.which("schemathesis", path=os.path.dirname(sys.executable)) or "schemathesis"
    report = output_dir / "schemathesis.txt"
    run = subprocess.run(
        [
            st,
            "run",
            fuzz_server.api("/openapi.json"),
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "40",
            "--request-timeout",
            "60",
            "--generation-deterministic",
            "--phases",
            "examples,coverage,fuzzing",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report.write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "passed" in run.stdout.lower()


GUARD = textwrap.dedent("""
    import json, os, socket
    attempts = []
    def save():
        with open(os.environ["GUARD_LOG"], "w") as fh:
            json.dump(attempts, fh)
    save()  # the file's existence proves the guard was loaded
    _connect = socket.socket.connect
    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(repr(address))
            save()
            raise OSError("outbound network blocked by test")
        return _connect(self, address)
    socket.socket.connect = guarded
""")


def test_serve_with_outbound_network_blocked(real_assistant, tmp_path):
    """Ingest, ask and serve in one process whose non-loopback connections are refused and logged."""
    (tmp_path / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "attempts.json"
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", "GUARD_LOG": str(log)}
    server = start_server(copy_store(real_assistant.settings.store.path, tmp_path), tmp_path, **env)
    try:
        upload = httpx.post(
            server.api("/documents"),
            timeout=120,
            files={"file": ("vega.md", b"# Vega\n\nThe Vega cluster reached 64 racks in 2031.\n")},
        )
        assert upload.status_code == 200
        answer = httpx.post(
            server.api("/ask"), json={"question": "How many racks did the Vega cluster reach?"}, timeout=60
        ).json()
        assert "64 racks" in answer["text"]
        assert httpx.get(server.url + "/", timeout=30).status_code == 200
    finally:
        server.stop()
    assert json.loads(log.read_text()) == []
