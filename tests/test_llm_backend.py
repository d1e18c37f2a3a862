"""The `openai` answerer against a REAL OpenAI-compatible server: llama.cpp serving the tiny base Gemma-3-270M
GGUF on loopback (installed by .ci/llm-server-setup.sh).

That model cannot be relied on to write a supported sentence by itself, so each content test drives one branch
of the generative path with a grammar the server applies while the real model decodes (llama.cpp's `grammar`
field): one forces a sentence the passages support (the verifier keeps it), one a sentence they do not (the
verifier removes it and the extractive answer is returned with the stated notice). Each answer is then scored by
the evaluation's own rules (not the verifier's), so a wrong answer fails. Free generation, which this model cannot
do usefully, is only run as a smoke test: the path completes and returns an answer."""

import json

import httpx
import pytest
from langchain_openai import ChatOpenAI

from assistant.contract import phrases
from assistant.core import Assistant
from assistant.evaluation.scoring import check_direct, score_citations
from assistant.llm.generative import GenerativeAnswerer
from tests.llm_server import llama_server_available, start_llama_server, stop
from tests.server_utils import copy_store, free_port, start_server

pytestmark = [pytest.mark.server, pytest.mark.slow]
QUESTION = "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?"
SUPPORTED = "Alibaba Cloud Intelligence Group revenue grew 38% year over year to 41.6 billion yuan in Q1 2026"
UNSUPPORTED = "Alibaba Cloud Intelligence Group revenue grew 999% in Q1 2026"


@pytest.fixture(scope="module")
def llama():
    assert llama_server_available(), "run .ci/llm-server-setup.sh (make test does) to install the model server"
    process, base_url = start_llama_server()
    yield base_url
    stop(process)


def _constrained(base_url: str, text: str) -> GenerativeAnswerer:
    """The real model, decoding under a grammar that admits exactly `text`."""
    grammar = 'root ::= "' + text.replace('"', '\\"') + '"'
    return GenerativeAnswerer(
        ChatOpenAI(
            base_url=base_url + "/v1",
            model="gemma",
            api_key="none",
            temperature=0,
            timeout=120,
            max_retries=0,
            max_tokens=80,
            extra_body={"grammar": grammar, "max_tokens": 80},
        )
    )


def _assistant(real_assistant, generator) -> Assistant:
    return Assistant(
        store_path=real_assistant.settings.store.path,
        chroma_url="",
        answerer="openai",
        openai_base_url="http://unused.invalid/v1",
        generator=generator,
    )


def _marker_of_article(assistant) -> int:
    turn = assistant.front_chain.invoke(assistant._start(QUESTION, 5, None, []))
    return next(i for i, p in enumerate(turn.passages, start=1) if "41.6 billion yuan" in p.chunk.text)


def _scored_right(answer, key_facts, wrong=()) -> None:
    """The evaluation's rules: the direct answer states the key facts and no wrong figure, and every claim
    sentence is supported by the span it cites."""
    direct = check_direct(key_facts, wrong, answer)
    assert direct.ok, (answer.direct, direct)
    cites = score_citations(answer)
    assert cites.sentences and cites.supported == cites.sentences, cites.unsupported


def test_a_supported_generated_sentence_is_kept_verified_and_cited(real_assistant, llama):
    probe = _assistant(real_assistant, None)
    n = _marker_of_article(probe)
    qa = _assistant(real_assistant, _constrained(llama, f"{SUPPORTED} [{n}]."))
    answer = qa.ask(QUESTION)
    assert answer.answerer == "openai" and not answer.fallback and answer.verified and not answer.notice
    assert answer.text == f"{SUPPORTED}. [1]" and answer.direct == answer.text
    assert [c.doc_id for c in answer.citations] == ["alibaba-cloud-vs-aws-2026"]
    assert "41.6 billion yuan" in answer.citations[0].quote
    assert answer.timings["answer"] > 0
    _scored_right(answer, ["38%", "41.6 billion yuan"])


def test_an_unsupported_generated_sentence_is_removed_and_the_extractive_answer_returned(real_assistant, llama):
    probe = _assistant(real_assistant, None)
    n = _marker_of_article(probe)
    qa = _assistant(real_assistant, _constrained(llama, f"{UNSUPPORTED} [{n}]."))
    answer = qa.ask(QUESTION)
    assert answer.fallback and answer.answerer == "extractive" and answer.notice == phrases.LLM_UNSUPPORTED
    assert "999%" not in answer.text
    _scored_right(answer, ["38%"], wrong=["999%"])


def test_generated_tokens_stream_then_the_verified_answer(real_assistant, llama):
    probe = _assistant(real_assistant, None)
    n = _marker_of_article(probe)
    qa = _assistant(real_assistant, _constrained(llama, f"{SUPPORTED} [{n}]."))
    events = list(qa.stream(QUESTION))
    deltas = [payload for kind, payload in events if kind == "delta"]
    final = events[-1][1]
    assert events[-1][0] == "answer" and len(deltas) >= 2, "the model's tokens arrive one by one"
    assert "".join(deltas) == f"{SUPPORTED} [{n}]."
    assert final.answerer == "openai" and final.text == f"{SUPPORTED}. [1]"


def test_smoke_free_generation_completes(real_assistant, llama):
    """Smoke test: the base model writes free text; the path must complete with an answer (verified, or the
    extractive fallback with its notice), whatever the model wrote."""
    qa = Assistant(
        store_path=real_assistant.settings.store.path,
        chroma_url="",
        answerer="openai",
        openai_base_url=llama + "/v1",
        openai_model="gemma",
        llm_timeout=120,
        llm_max_tokens=120,
        llm_context=2048,
    )
    answer = qa.ask(QUESTION)
    assert answer.timings["answer"] > 0 and answer.text
    assert answer.answerer == "openai" or (answer.fallback and answer.notice)


def test_model_server_down_falls_back_with_a_notice(real_assistant):
    dead = Assistant(
        store_path=real_assistant.settings.store.path,
        chroma_url="",
        answerer="openai",
        openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
        openai_model="gemma",
        llm_timeout=5,
    )
    answer = dead.ask(QUESTION)
    assert answer.fallback and "could not be reached" in answer.notice and "38%" in answer.direct


def test_smoke_http_api_streams_generated_tokens(real_assistant, llama, tmp_path):
    """Smoke test: free generation over HTTP streams deltas, then one final answer event."""
    server = start_server(
        copy_store(real_assistant.settings.store.path, tmp_path),
        tmp_path,
        QA_ANSWERER="openai",
        QA_OPENAI_BASE_URL=llama + "/v1",
        QA_OPENAI_MODEL="gemma",
        QA_LLM_TIMEOUT="120",
        QA_LLM_MAX_TOKENS="80",
        QA_LLM_CONTEXT="2048",
    )
    try:
        with httpx.stream(
            "POST", server.api("/ask"), json={"question": QUESTION, "stream": True}, timeout=300
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = list(response.iter_lines())
        events = [line[len("event: ") :] for line in lines if line.startswith("event: ")]
        assert events.count("delta") >= 1 and events[-1] == "answer"
        final = json.loads([line for line in lines if line.startswith("data: ")][-1][len("data: ") :])
        assert final["text"] and final["question"] == QUESTION
    finally:
        server.stop()
