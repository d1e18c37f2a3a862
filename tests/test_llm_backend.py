"""The `openai` answerer against a REAL OpenAI-compatible server: llama.cpp serving the tiny base Gemma-3-270M
GGUF on loopback (installed by .ci/llm-server-setup.sh). That model is not smart; these tests check that whatever
it writes is verified sentence by sentence, that unsupported text never reaches the user as verified, that the
fallback works, and that tokens stream through the Python API and the HTTP API."""

import json
import re

import httpx
import pytest

from assistant import phrases
from assistant.core import Assistant
from assistant.verify import check_sentence, parse_markers
from tests.llm_server import llama_server_available, start_llama_server, stop
from tests.server_utils import copy_store, start_server

pytestmark = [pytest.mark.server, pytest.mark.slow]
QUESTION = "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?"


@pytest.fixture(scope="module")
def llama():
    assert llama_server_available(), "run .ci/llm-server-setup.sh (make test does) to install the model server"
    process, base_url = start_llama_server()
    yield base_url
    stop(process)


@pytest.fixture(scope="module")
def llm_assistant(real_assistant, llama):
    return Assistant(store_path=real_assistant.settings.store_path, chroma_url="", answerer="openai",
                     openai_base_url=llama + "/v1", openai_model="gemma", llm_timeout=120, llm_max_tokens=120)


def _assert_every_sentence_supported(answer):
    passages_by_n = {c.n: c for c in answer.citations}
    for sentence in re.split(r"(?<=\])\s+", answer.text.strip()):
        bare, cites, invalid = parse_markers(sentence, len(passages_by_n))
        assert cites and not invalid, f"sentence without a valid marker: {sentence!r}"
    assert all(c.quote for c in answer.citations)


def test_generated_answer_is_verified_or_falls_back(llm_assistant):
    answer = llm_assistant.ask(QUESTION)
    if answer.fallback:
        assert answer.answerer == "extractive" and answer.notice == phrases.LLM_UNSUPPORTED
        assert "38%" in answer.text
    else:
        assert answer.answerer == "openai" and not answer.refused
        _assert_every_sentence_supported(answer)
    assert answer.timings["answer"] > 0


def test_unsupported_sentences_from_the_model_are_removed(llm_assistant):
    """Ask for something the passages cannot support: nothing the model invents may survive verification."""
    answer = llm_assistant.ask("What is Alibaba Cloud's favourite colour, and its revenue in Q1 2026?")
    if not answer.refused and answer.answerer == "openai":
        _assert_every_sentence_supported(answer)
        for c in answer.citations:
            assert check_sentence(c.quote, [1], [_hit(c)]).supported


def _hit(citation):
    from assistant.types import Chunk, ScoredChunk

    return ScoredChunk(Chunk(id=citation.chunk_id, doc_id=citation.doc_id, text=citation.text), citation.score)


def test_tokens_stream_then_the_verified_answer(llm_assistant):
    # the product's own chat client streams token by token (a short free prompt, so the base model writes text
    # instead of echoing the passages, which llama.cpp then releases in one piece while matching stop strings)
    pieces = list(llm_assistant.generator.model.stream([("human", "Write one sentence about clouds.")]))
    assert len([p for p in pieces if p.content]) >= 2, "the model's tokens arrive one by one"
    events = list(llm_assistant.stream(QUESTION))
    deltas = [e for kind, e in events if kind == "delta"]
    final = events[-1][1]
    assert events[-1][0] == "answer" and deltas and "".join(deltas).strip()
    assert final.fallback or final.answerer == "openai"


def test_model_server_down_falls_back_with_a_notice(real_assistant):
    from tests.llm_server import free_port

    dead = Assistant(store_path=real_assistant.settings.store_path, chroma_url="", answerer="openai",
                     openai_base_url=f"http://127.0.0.1:{free_port()}/v1", openai_model="gemma", llm_timeout=5)
    answer = dead.ask(QUESTION)
    assert answer.fallback and "could not be reached" in answer.notice and "38%" in answer.text


def test_http_api_streams_generated_tokens(real_assistant, llama, tmp_path):
    server = start_server(copy_store(real_assistant.settings.store_path, tmp_path), tmp_path, QA_ANSWERER="openai",
                          QA_OPENAI_BASE_URL=llama + "/v1", QA_OPENAI_MODEL="gemma", QA_LLM_TIMEOUT="120",
                          QA_LLM_MAX_TOKENS="80")
    try:
        with httpx.stream("POST", server.api("/ask"), json={"question": QUESTION, "stream": True},
                          timeout=300) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            events = [line[len("event: "):] for line in response.iter_lines() if line.startswith("event: ")]
        assert events.count("delta") >= 1 and events[-1] == "answer"
        plain = httpx.post(server.api("/ask"), json={"question": QUESTION}, timeout=300).json()
        assert plain["answerer"] in ("openai", "extractive") and json.dumps(plain)
    finally:
        server.stop()
