"""The JSON API of a real `qa serve` subprocess on a copy of the real store: answers, streaming, uploads, errors,
limits and the optional token. Every response body is checked for tracebacks and server paths."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from assistant.contract import phrases
from assistant.evaluation.scoring import states
from server_utils import copy_store, start_server

pytestmark = pytest.mark.server

TOKEN = "test-token-4f1c9a"
ALIBABA_QUESTION = "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?"
NOTE_NAME = "quokka-labs-notes.md"
NOTE = (
    b"# Quokka Labs field notes\n\nThe Quokka Labs widget factory in Tallinn produced 7,345 widgets in "
    b"March 2031, a record for the plant.\n\nThe plant runs two shifts.\n"
)
NOTE_QUESTION = "How many widgets did the Quokka Labs factory in Tallinn produce in March 2031?"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def clean_bodies(*hidden: str):
    """An httpx response hook failing on any body that leaks a traceback or a server path."""

    def check(response: httpx.Response) -> None:
        body = response.read().decode("utf-8", errors="replace")
        for secret in ("Traceback", "/work/", *hidden):
            where = f"{response.request.method} {response.request.url}"
            assert secret not in body, f"{where} leaked {secret!r}: {body[:500]}"

    return check


def running(real_assistant, tmp_path_factory, name: str, **env: str):
    folder = tmp_path_factory.mktemp(name)
    server = start_server(copy_store(real_assistant.settings.store.path, folder), folder, **env)
    return server, folder


@pytest.fixture(scope="module")
def server(real_assistant, tmp_path_factory):
    server, _ = running(real_assistant, tmp_path_factory, "api-server")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(
        base_url=server.api(""), timeout=60, event_hooks={"response": [clean_bodies(str(server.store.parent))]}
    ) as client:
        yield client


@pytest.fixture(scope="module")
def guarded(real_assistant, tmp_path_factory):
    """A second server with an API token and a 1 MB upload limit."""
    server, _ = running(real_assistant, tmp_path_factory, "guarded-server", QA_API_TOKEN=TOKEN, QA_MAX_UPLOAD_MB="1")
    with httpx.Client(
        base_url=server.url, timeout=60, event_hooks={"response": [clean_bodies(str(server.store.parent), TOKEN)]}
    ) as client:
        yield client
    server.stop()


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in filter(None, text.strip().split("\n\n")):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def upload(api: httpx.Client, name: str, data: bytes, mime: str = "application/octet-stream") -> httpx.Response:
    return api.post("/documents", files={"file": (name, data, mime)})


# -- asking ---------------------------------------------------------------------------------------------------
def test_health_reports_the_store(api):
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["documents"] == 5 and response.json()["chunks"] > 100


def test_ask_answers_with_a_citation(api):
    response = api.post("/ask", json={"question": ALIBABA_QUESTION})
    assert response.status_code == 200
    answer = response.json()
    assert not answer["refused"] and "38%" in answer["text"]
    cited = {c["n"]: c for c in answer["citations"]}
    assert any(c["doc_id"] == "alibaba-cloud-vs-aws-2026" for c in cited.values())
    assert all(f"[{n}]" in answer["text"] for n, c in cited.items() if c["supported"])
    assert answer["timings"]["total"] > 0


def test_unanswerable_question_is_refused(api):
    answer = api.post("/ask", json={"question": "What was Google Cloud's revenue?"}).json()
    assert answer["refused"] and answer["text"] == phrases.CANNOT_ANSWER
    assert answer["citations"] == []  # no passage is about a company the documents never name

    answer = api.post("/ask", json={"question": "What was Amazon's revenue in 2027?"}).json()
    assert answer["refused"] and answer["text"].startswith(
        phrases.CANNOT_ANSWER + " The documents give Amazon's net sales for FY2022 to FY2025"
    )
    assert [c["n"] for c in answer["citations"]] == list(range(1, len(answer["citations"]) + 1))
    assert answer["citations"] and not any(c["supported"] for c in answer["citations"])


def test_follow_up_is_resolved_from_history(api):
    answer = api.post(
        "/ask",
        json={
            "question": "And what was its operating income?",
            "history": [["What were AWS segment sales in the fourth quarter of 2025?", "AWS segment sales were ..."]],
        },
    ).json()
    assert "AWS" in answer["resolved_question"]
    assert states("$12.5 billion", answer["direct"])  # printed as the release's table has it: $12,465 million


def test_stream_sends_deltas_then_the_answer(api):
    with api.stream("POST", "/ask", json={"question": ALIBABA_QUESTION, "stream": True}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response.read().decode())
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"delta"} and len(kinds) >= 2
    answer = events[-1][1]
    assert "".join(data["text"] for _, data in events[:-1]).strip() == answer["text"].strip()
    assert "38%" in answer["text"] and answer["citations"]


def test_stream_with_a_bad_question_fails_before_streaming(api):
    response = api.post("/ask", json={"question": "  ", "stream": True})
    assert response.status_code == 422
    assert response.json() == {"error": phrases.EMPTY_QUESTION}


@pytest.mark.parametrize(
    "question, notice",
    [
        ("¿Cuáles fueron las ventas netas de Amazon en 2024?", phrases.OTHER_LANGUAGE),
        ("what is the of and to", phrases.NO_WORDS_TO_FIND),
        ("2024", phrases.NUMBER_ONLY),
    ],
)
def test_a_question_in_another_language_of_stop_words_or_a_bare_number_is_refused_clearly(api, question, notice):
    for stream in (False, True):
        response = api.post("/ask", json={"question": question, "stream": stream})
        assert response.status_code == 200
        answer = sse_events(response.text)[-1][1] if stream else response.json()
        assert answer["refused"] and answer["text"].startswith(phrases.CANNOT_ANSWER) and notice in answer["text"]


@pytest.mark.parametrize(
    "body,status",
    [
        ({"question": ""}, 422),
        ({"question": "revenue " * 125_000}, 413),
        ({"question": "What was revenue?", "k": 0}, 422),
        ({"question": "What was revenue?", "k": 1000}, 422),
        ({"question": "What was revenue?", "k": "many"}, 422),
        ({"k": 3}, 422),
        ({"question": "What was revenue?", "history": [["only one side"]]}, 422),
        ({"question": "What was revenue?", "documents": ["no-such-doc"]}, 404),
    ],
)
def test_bad_questions_get_json_errors(api, body, status):
    response = api.post("/ask", json=body)
    assert response.status_code == status
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_malformed_json_is_a_400(api):
    response = api.post("/ask", content=b'{"question": "What was', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": phrases.API_MALFORMED_JSON}


def test_unknown_route_is_a_json_404(api):
    response = api.get("/no-such-route")
    assert response.status_code == 404 and "error" in response.json()


def test_openapi_schema_lists_every_route(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/ask", "/documents", "/documents/{doc_id}", "/health", "/facts"} <= set(paths)


def test_interactive_docs_load_their_assets_from_the_app_itself(api):
    page = api.get("/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assets = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", page.text)
    assert assets and all(a.startswith("/api/") for a in assets), assets  # nothing from a CDN
    for asset in assets:
        response = api.get(asset.removeprefix("/api"))
        assert response.status_code == 200 and len(response.content) > 100, asset
    assert "openapi.json" in page.text


# -- facts ----------------------------------------------------------------------------------------------------
def test_facts_are_listed_with_their_source_and_filtered(api):
    facts = api.get("/facts", params={"company": "AWS", "concept": "operating_income"}).json()
    assert facts and all(f["segment"] == "AWS" and f["concept"] == "operating_income" for f in facts)
    fy2025 = [f for f in facts if f["period"] == "12M@2025-12-31" and f["source"] == "table"]
    assert fy2025 and fy2025[0]["value"] == 45_606e6 and "45,606" in fy2025[0]["quote"]
    assert fy2025[0]["doc_id"] == "amazon-q4-2025-earnings-release-2026-02-05"
    only_10k = api.get("/facts", params={"doc": "amazon-10-k-2024", "concept": "revenue"}).json()
    assert only_10k and {f["doc_id"] for f in only_10k} == {"amazon-10-k-2024"}
    missing = api.get("/facts", params={"doc": "no-such-doc"})
    assert missing.status_code == 404 and "no-such-doc" in missing.json()["error"]


# -- documents ------------------------------------------------------------------------------------------------
def test_list_documents(api):
    docs = api.get("/documents").json()
    assert len(docs) == 5
    assert set(docs[0]) == {"doc_id", "title", "doc_type", "company", "period", "chunks"}
    assert "alibaba-cloud-vs-aws-2026" in {d["doc_id"] for d in docs}


def test_upload_ask_and_delete_a_document(api):
    response = upload(api, NOTE_NAME, NOTE, "text/markdown")
    assert response.status_code == 200, response.text
    document = response.json()["document"]
    assert document["doc_id"] == "quokka-labs-notes" and document["chunks"] >= 1
    assert response.json()["report"]["added_chunks"] >= 1
    assert "quokka-labs-notes" in {d["doc_id"] for d in api.get("/documents").json()}

    answer = api.post("/ask", json={"question": NOTE_QUESTION}).json()
    assert "7,345" in answer["text"]
    assert "quokka-labs-notes" in {c["doc_id"] for c in answer["citations"] if c["supported"]}

    deleted = api.delete("/documents/quokka-labs-notes")
    assert deleted.status_code == 200 and deleted.json() == {
        "deleted": "quokka-labs-notes",
        "chunks": document["chunks"],
    }
    assert "quokka-labs-notes" not in {d["doc_id"] for d in api.get("/documents").json()}
    after = api.post("/ask", json={"question": NOTE_QUESTION}).json()
    assert "quokka-labs-notes" not in {c["doc_id"] for c in after["citations"]} and "7,345" not in after["text"]
    assert api.delete("/documents/quokka-labs-notes").status_code == 404


def test_upload_name_with_dot_dot_is_saved_inside_the_upload_folder(api, server):
    response = upload(api, "../../escape-notes.md", NOTE.replace(b"Quokka", b"Wombat"), "text/markdown")
    assert response.status_code == 200, response.text
    assert response.json()["document"]["doc_id"] == "escape-notes"
    saved = [p for p in server.store.parent.rglob("escape-notes*") if p.is_file()]
    assert saved == [server.upload_dir / "escape-notes.md"]
    assert not list(server.store.parent.parent.glob("escape-notes*"))
    assert api.delete("/documents/escape-notes").status_code == 200


@pytest.mark.parametrize(
    "name,data,status",
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", 415),
        ("picture.png", PNG, 415),
        ("report.pdf", b"This is not a PDF at all.\n", 422),
        ("empty.md", b"", 422),
    ],
)
def test_bad_uploads_get_json_errors(api, name, data, status):
    response = upload(api, name, data)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert name not in {d["doc_id"] for d in api.get("/documents").json()}


def test_upload_without_a_file_is_a_422(api):
    response = api.post("/documents", data={"other": "field"})
    assert response.status_code == 422 and "file" in response.json()["error"]


def test_deleting_an_unknown_document_is_a_404(api):
    response = api.delete("/documents/no-such-document")
    assert response.status_code == 404
    assert response.json() == {"error": phrases.UNKNOWN_DOCUMENT.format(doc_id="no-such-document")}


# -- token and upload limit -----------------------------------------------------------------------------------
def test_health_needs_no_token(guarded):
    assert guarded.get("/api/health").status_code == 200


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"X-API-Token": "wrong"}, {"Authorization": TOKEN}]
)
def test_missing_or_wrong_token_is_a_401(guarded, headers):
    for method, path in (("POST", "/api/ask"), ("GET", "/api/documents"), ("DELETE", "/api/documents/x")):
        response = guarded.request(method, path, headers=headers, json={"question": ALIBABA_QUESTION})
        assert response.status_code == 401
        assert response.json() == {"error": phrases.API_UNAUTHORIZED}


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {TOKEN}"}, {"X-API-Token": TOKEN}])
def test_right_token_is_accepted(guarded, headers):
    response = guarded.post("/api/ask", headers=headers, json={"question": ALIBABA_QUESTION})
    assert response.status_code == 200 and "38%" in response.json()["text"]
    assert guarded.get("/api/documents", headers=headers).status_code == 200


def test_chat_needs_the_token_as_password(guarded):
    assert guarded.get("/config").status_code == 401
    assert guarded.post("/login", data={"username": "anyone", "password": "wrong"}).status_code == 400
    assert guarded.post("/login", data={"username": "anyone", "password": TOKEN}).status_code == 200
    assert guarded.get("/config").status_code == 200


@pytest.mark.parametrize(
    "size_mb,message",
    [
        (1.5, "the limit is 1 MB"),  # read size over the limit
        (3, phrases.API_BODY_TOO_LARGE.format(limit_mb=1)),  # refused from Content-Length before reading
    ],
)
def test_oversize_upload_is_a_413(guarded, size_mb, message):
    data = b"# Big\n\n" + b"Lorem ipsum dolor sit amet. " * int(size_mb * 2**20 / 28)
    response = guarded.post(
        "/api/documents", headers={"X-API-Token": TOKEN}, files={"file": ("big.md", data, "text/markdown")}
    )
    assert response.status_code == 413
    assert message in response.json()["error"]
