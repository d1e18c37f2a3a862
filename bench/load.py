"""Load test against a running `qa serve` on loopback: N concurrent clients ask for a fixed time while documents
are uploaded and deleted. Prints errors, throughput and latency percentiles. Bounded in time and loopback only.

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
from pathlib import Path
from urllib.parse import urlparse

import httpx

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "corpus" / "questions.jsonl").read_text().splitlines()
             if line.strip() and '"history"' not in line]


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
    """Upload, ask about, and delete a document in a loop while the askers run."""
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
            answer = client.post("/api/ask", json={"question": f"How many jobs per second did Kestrel-{n} process?"})
            found = answer.status_code == 200 and str(1000 + n) in answer.json()["text"]
            log.append((time.perf_counter() - start, found))
            client.delete(f"/api/documents/{doc_id}")
            n += 1


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
    proc = subprocess.Popen([sys.executable, "-m", "assistant.interfaces.cli", "serve", "--port", str(port), "--ingest-if-empty"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
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
        latencies: list[float] = []
        errors: list[str] = []
        uploads: list[tuple[float, bool]] = []
        stop_at = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=client_loop, args=(args.url, stop_at, latencies, errors, i, args.token))
                   for i in range(args.clients)]
        threads.append(threading.Thread(target=uploader, args=(args.url, stop_at, uploads, errors, args.token)))
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=30)
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0  # noqa: E731
    print(f"clients: {args.clients}, duration: {wall:.1f} s, requests: {len(latencies)}, errors: {len(errors)}")
    print(f"throughput: {len(latencies) / wall:.1f} req/s, latency p50 {p(0.50):.0f} ms, p95 {p(0.95):.0f} ms, "
          f"max {p(1.0):.0f} ms, mean {statistics.mean(latencies) * 1000 if latencies else 0:.0f} ms")
    print(f"uploads during load: {len(uploads)}, found by the next question: {sum(f for _, f in uploads)}, "
          f"upload+ask median {statistics.median([s for s, _ in uploads]) if uploads else 0:.1f} s")
    for e in errors[:10]:
        print("error:", e)
    return 1 if errors or (uploads and not all(f for _, f in uploads)) else 0


if __name__ == "__main__":
    sys.exit(main())
