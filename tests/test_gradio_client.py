"""Gradio's own API keeps working: `gradio_client` calls `/ask` on a real `qa serve` subprocess, and every
connection it makes stays on the loopback host."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant.contract import phrases
from server_utils import serving_copy

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(real_assistant, tmp_path_factory):
    with serving_copy(real_assistant.settings.store.path, tmp_path_factory.mktemp("client-server")) as server:
        yield server


@pytest.fixture
def loopback_only(monkeypatch):
    """Fail any connection or name lookup that would leave this machine; returns the attempts."""
    attempts: list[str] = []
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def is_local(host) -> bool:
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"

    def guarded_connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            attempts.append(str(address))
            raise ConnectionRefusedError(f"test forbids leaving the machine: {address}")
        return connect(sock, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host is not None and not is_local(host if isinstance(host, str) else host.decode()):
            attempts.append(str(host))
            raise socket.gaierror(f"test forbids looking up {host}")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


@pytest.fixture
def client(server, loopback_only):
    client = Client(server.url + "/", verbose=False, analytics_enabled=False, download_files=False)
    yield client
    client.close()
    assert not loopback_only, f"gradio_client tried to reach: {loopback_only}"


def test_predict_returns_answer_text_and_citations(client):
    text, citations = client.predict(
        "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?", api_name="/ask"
    )
    assert "38%" in text and "[1]" in text
    assert any(c["doc_id"] == "alibaba-cloud-vs-aws-2026" and c["n"] == 1 for c in citations)


def test_predict_takes_k_and_refuses_unanswerable_questions(client):
    text, citations = client.predict(question="What was Google Cloud's revenue?", k=2, api_name="/ask")
    assert text == phrases.CANNOT_ANSWER and citations == []  # no passage is about it
    text, citations = client.predict(question="What was Amazon's revenue in 2027?", k=2, api_name="/ask")
    assert text.startswith(phrases.CANNOT_ANSWER) and "not for FY2027" in text
    assert 1 <= len(citations) <= 2 and not any(c["supported"] for c in citations)


def test_predict_reports_bad_questions_as_messages(client):
    with pytest.raises(AppError) as info:
        client.predict("   ", api_name="/ask")
    assert phrases.EMPTY_QUESTION in str(info.value)
    assert "Traceback" not in str(info.value)


def test_only_ask_is_listed_in_the_api(client):
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/ask"}
