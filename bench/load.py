"""Load test against a running `qa serve` on loopback: N concurrent clients ask for a fixed time, first alone, then
while one more client uploads and deletes documents. Prints errors, throughput and latency percentiles of each
phase and the throughput with uploads relative to without. Bounded in time and loopback only.

    python -m bench.load --url http://127.0.0.1:7860 --clients 20 --seconds 60
    python -m bench.load --start            # starts its own server on a copy-free temp store first
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "corpus" / "questions.jsonl").read_text().splitlines()
    if line.strip() and '"history"' not in line
]


def client_loop(url: str, stop_at: float, out: list, errors: list, seed: int, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=url, timeout=60, headers=headers) as client:
        i = seed
        while time.perf_counter() < stop_at:
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 7
            start = time.perf_counter()
            try:
                response = client.post("/api/ask", json={"question": question})
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                else:
                    out.append(elapsed)
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")


def uploader(url: str, stop_at: float, log: list, errors: list, token: str) -> None:
    """Upload, ask about, delete, and ask again about a document in a loop while the askers run; logs (seconds to
    upload and answer, found by the next question, still served after its delete)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=url, timeout=300, headers=headers) as client:
        n = 0
        while time.perf_counter() < stop_at - 5:
            name = f"load-note-{n}.md"
            body = f"# Load note {n}\n\nThe Kestrel-{n} cluster processed {1000 + n} jobs per second in 2031.\n"
            start = time.perf_counter()
            response = client.post("/api/documents", files={"file": (name, body.encode(), "text/markdown")})
            if response.status_code != 200:
                errors.append(f"upload {response.status_code}: {response.text[:200]}")
                return
            doc_id = response.json()["document"]["doc_id"]
            question = {"question": f"How many jobs per second did Kestrel-{n} process?"}
            answer = client.post("/api/ask", json=question)
            found = answer.status_code == 200 and str(1000 + n) in answer.json()["text"]
            seconds = time.perf_counter() - start
            client.delete(f"/api/documents/{doc_id}")
            after = client.post("/api/ask", json=question)
            leaked = (
                after.status_code != 200
                or str(1000 + n) in after.json()["text"]
                or any(c["doc_id"] == doc_id for c in after.json()["citations"])
            )
            miss = (
                ""
                if found and not leaked
                else f"Kestrel-{n} "
                + (f"not found: {_said(answer)}" if not found else f"served after its delete: {_said(after)}")
            )
            log.append((seconds, found, leaked, miss[:300]))
            n += 1


def _said(response: httpx.Response) -> str:
    return response.json().get("text", "") if response.status_code == 200 else response.text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, store: Path | None = None) -> tuple[subprocess.Popen, str, Path]:
    """Start `qa serve` on loopback (on `store`, or on a new temp store it ingests) and wait until it is healthy;
    returns the process, its URL and its work folder (log, uploads)."""
    work = Path(tempfile.mkdtemp(prefix="qa-load-"))
    env = dict(os.environ, QA_STORE_PATH=str(store or work / "store"), QA_UPLOAD_DIR=str(work / "uploads"))
    log = open(work / "server.log", "wb")  # noqa: SIM115 - the server writes to it until it stops
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli", "serve", "--port", str(port), "--ingest-if-empty"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    print(f"server log: {work / 'server.log'}", flush=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 900
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return proc, url, work
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("server exited during start-up")
        time.sleep(1)
    raise RuntimeError("server did not start")


@dataclass
class Phase:
    """One timed phase: answer latencies, errors, and the uploads made during it."""

    name: str
    wall: float
    latencies: list[float]
    errors: list[str]
    uploads: list[tuple[float, bool, bool, str]]  # seconds to upload and answer, found, leaked, what went wrong

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def report(self, clients: int) -> None:
        ordered = sorted(self.latencies)
        p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0
        mean = statistics.mean(ordered) * 1000 if ordered else 0.0
        print(
            f"[{self.name}] clients: {clients}, duration: {self.wall:.1f} s, requests: {len(ordered)}, "
            f"errors: {len(self.errors)}"
        )
        print(
            f"[{self.name}] throughput: {self.throughput:.1f} req/s, latency p50 {p(0.50):.0f} ms, "
            f"p95 {p(0.95):.0f} ms, max {p(1.0):.0f} ms, mean {mean:.0f} ms"
        )
        if self.uploads:
            median = statistics.median([s for s, _, _, _ in self.uploads])
            print(
                f"[{self.name}] uploads during load: {len(self.uploads)}, found by the next question: "
                f"{sum(f for _, f, _, _ in self.uploads)}, served after their delete: "
                f"{sum(g for _, _, g, _ in self.uploads)}, upload+ask median {median:.1f} s"
            )
            for *_, miss in self.uploads:
                if miss:
                    print(f"[{self.name}] {miss}")
        for e in self.errors[:10]:
            print(f"[{self.name}] error:", e)


def run_phase(name: str, url: str, clients: int, seconds: float, token: str, upload: bool) -> Phase:
    latencies: list[float] = []
    errors: list[str] = []
    uploads: list[tuple[float, bool, bool, str]] = []
    stop_at = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(url, stop_at, latencies, errors, i, token)) for i in range(clients)
    ]
    if upload:
        threads.append(threading.Thread(target=uploader, args=(url, stop_at, uploads, errors, token)))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Phase(name, time.perf_counter() - started, latencies, errors, uploads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--start", action="store_true", help="start a server of our own on --port")
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--token", default=Settings.from_env().server.api_token)
    args = parser.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1") and not args.start:
        parser.error("load tests only target this machine (127.0.0.1 / localhost)")
    proc = None
    if args.start:
        proc, args.url, _store = start_server(args.port)
    try:
        alone = run_phase("without uploads", args.url, args.clients, args.seconds, args.token, upload=False)
        loaded = run_phase("with uploads", args.url, args.clients, args.seconds, args.token, upload=True)
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=30)
    for phase in (alone, loaded):
        phase.report(args.clients)
    ratio = loaded.throughput / alone.throughput if alone.throughput else 0.0
    print(f"throughput with uploads / without: {ratio:.2f}")
    failed = alone.errors or loaded.errors or not loaded.uploads or any(miss for *_, miss in loaded.uploads)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
