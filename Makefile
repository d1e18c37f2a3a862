# Two commands for a newcomer:  `make run` (set up, ingest the corpus, open the chat)  and  `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1

.PHONY: run test lint setup browser llm ingest serve bench load eval clean

run: setup ## set up, ingest the default corpus, start the chat + API at http://127.0.0.1:7860
	$(BIN)/qa ingest
	$(BIN)/qa serve

test: setup browser llm lint ## lint, then the whole test suite (unit, end-to-end, HTTP, browser, model server)
	$(BIN)/python -m pytest

lint: setup ## ruff (lint and format check) and mypy on the typed core
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned to the CPU build in pyproject.toml; installing it first keeps pip from pulling CUDA wheels
	$(BIN)/pip install --quiet torch==2.13.0
	# (an editable install makes setuptools print a notice about same-named folders: expected here, so silenced)
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

browser: ## Debian chromium for the browser tests (Playwright drives it; no browser download)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

llm: setup ## llama.cpp server + tiny GGUF for the generative-answer tests (built once, then cached)
	bash .ci/llm-server-setup.sh $(VENV)

ingest: setup
	$(BIN)/qa ingest

serve: setup
	$(BIN)/qa serve

bench: setup
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m bench.run

load: setup
	$(BIN)/python -m bench.load --start --clients 20 --seconds 60

eval: setup
	$(BIN)/qa eval corpus/questions.jsonl --out eval-out

clean:
	rm -rf data test-output eval-out .pytest_cache
