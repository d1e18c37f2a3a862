"""Run `qa serve` as a real subprocess on a free loopback port for the server, browser and client tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator

import httpx

from assistant.config import PROJECT_ROOT
from tests.ports import free_port

STARTUP_SECONDS = 120
INHERITED_SETTINGS_IGNORED = {"QA_API_TOKEN", "QA_MAX_UPLOAD_MB", "QA_CHROMA_URL", "QA_ANSWERER"}


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen
    store: Path
    upload_dir: Path
    log: Path

    def api(self, path: str) -> str:
        return f"{self.url}/api{path}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def copy_store(source: Path, folder: Path) -> Path:
    """A private copy of a store, so two processes never write one embedded Chroma store."""
    return Path(shutil.copytree(source, folder / "store"))


def start_server(store: Path, folder: Path, **env: str) -> RunningServer:
    """Start `python -m assistant.interfaces.cli --store STORE serve --port N` and wait until /api/health answers."""
    port = free_port()
    upload_dir = folder / "uploads"
    log = folder / "server.log"
    environment = {k: v for k, v in os.environ.items() if k not in INHERITED_SETTINGS_IGNORED}
    environment.update(
        QA_UPLOAD_DIR=str(upload_dir), QA_HOST="127.0.0.1", HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", **env
    )
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.interfaces.cli", "--store", str(store), "serve", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = RunningServer(f"http://127.0.0.1:{port}", process, store, upload_dir, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(server.api("/health"), timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"server did not start in {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')}")


@contextmanager
def serving_copy(store: Path, folder: Path, **env: str) -> Iterator[RunningServer]:
    """A server on a private copy of `store`, stopped on exit."""
    server = start_server(copy_store(store, folder), folder, **env)
    try:
        yield server
    finally:
        server.stop()
