"""The page and original-file routes of a real `qa serve` subprocess on a copy of the real store: a PDF page as
PNG with a citation's quote highlighted, the original file (and nothing outside the documents' folders), clear
404s, and the API token (and the chat's signed links under it). No body leaks a traceback or a server path."""

from __future__ import annotations

import io
import json
import time
import urllib.parse

import httpx
import pytest
from PIL import Image

from assistant.contract import phrases
from assistant.links import LinkSigner
from assistant.pages import MAX_PNG_BYTES
from conftest import CORPUS
from server_utils import copy_store, start_server

pytestmark = pytest.mark.server

TOKEN = "pages-token-93b1"
PAGE = "/documents/amazon-10-k-2024/pages/27"
ROW = "AWS 24,631 39,834"


def no_leaks(*hidden: str):
    def check(response: httpx.Response) -> None:
        body = response.read()
        if response.headers.get("content-type", "").startswith("application/json"):
            for secret in ("Traceback", "/work/", "/tmp/", *hidden):
                assert secret.encode() not in body, f"{response.request.url} leaked {secret!r}: {body[:300]!r}"

    return check


@pytest.fixture(scope="module")
def server(real_assistant, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages-server")
    server = start_server(copy_store(real_assistant.settings.store.path, folder), folder)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=server.api(""), timeout=60, event_hooks={"response": [no_leaks()]}) as client:
        yield client


def test_a_page_is_a_png_under_the_size_limit(api):
    response = api.get(PAGE)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["x-page-count"] == "89" and "x-highlight" not in response.headers
    assert len(response.content) <= MAX_PNG_BYTES
    assert Image.open(io.BytesIO(response.content)).size == (1224, 1584)


def test_a_quote_is_highlighted_and_its_boxes_reported(api):
    plain = api.get(PAGE).content
    response = api.get(PAGE, params={"highlight": ROW})
    assert response.status_code == 200 and response.headers["x-highlight"] == "found"
    boxes = json.loads(response.headers["x-highlight-boxes"])
    assert len(boxes) == 1
    left, top, right, bottom = boxes[0]
    assert 0 < left < right <= 1 and 0.3 < top < bottom < 0.35  # the AWS row, a third of the way down
    assert response.content != plain


def test_a_quote_not_on_the_page_is_reported_missing(api):
    response = api.get("/documents/amazon-10-k-2024/pages/28", params={"highlight": ROW})
    assert response.status_code == 200
    assert response.headers["x-highlight"] == "missing" and json.loads(response.headers["x-highlight-boxes"]) == []


@pytest.mark.parametrize(
    "path, message",
    [
        ("/documents/no-such-doc/pages/1", phrases.UNKNOWN_DOCUMENT.format(doc_id="no-such-doc")),
        ("/documents/amazon-10-k-2024/pages/0", phrases.PAGE_OUT_OF_RANGE.format(page=0, pages=89)),
        ("/documents/amazon-10-k-2024/pages/90", phrases.PAGE_OUT_OF_RANGE.format(page=90, pages=89)),
        ("/documents/alibaba-cloud-vs-aws-2026/pages/1", phrases.NOT_A_PDF.format(doc_id="alibaba-cloud-vs-aws-2026")),
        ("/documents/no-such-doc/file", phrases.UNKNOWN_DOCUMENT.format(doc_id="no-such-doc")),
    ],
)
def test_unknown_documents_and_pages_are_clear_404s(api, path, message):
    response = api.get(path)
    assert response.status_code == 404 and response.json() == {"error": message}


@pytest.mark.parametrize(
    "path",
    [
        "/documents/..%2F..%2Fetc%2Fpasswd/file",
        "/documents/%2E%2E/file",
        "/documents/amazon-10-k-2024/../../../etc/passwd",
        "/documents/amazon-10-k-2024/pages/27/../../../../../../etc/passwd",
    ],
)
def test_paths_that_climb_out_are_404s(api, path):
    response = api.get(path)
    assert response.status_code == 404 and "root:" not in response.text


def test_a_page_number_must_be_a_number(api):
    assert api.get("/documents/amazon-10-k-2024/pages/two").status_code == 422


def test_the_original_pdf_is_served_as_is(api):
    response = api.get("/documents/amazon-10-k-2024/file")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == (CORPUS / "amazon_10-k_2024.pdf").read_bytes()
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("inline")


def test_a_text_original_is_served_as_inert_text(api):
    response = api.get("/documents/alibaba-cloud-vs-aws-2026/file")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.content == (CORPUS / "alibaba-cloud-vs-aws-2026.md").read_bytes()


def test_an_upload_is_served_from_the_upload_folder(api):
    note = b"# Bilby notes\n\nThe Bilby plant in Perth made 4,112 crates in May 2031.\n"
    uploaded = api.post("/documents", files={"file": ("bilby-notes.md", note, "text/markdown")})
    assert uploaded.status_code == 200, uploaded.text
    doc_id = uploaded.json()["document"]["doc_id"]
    response = api.get(f"/documents/{doc_id}/file")
    assert response.status_code == 200 and response.content == note
    assert api.delete(f"/documents/{doc_id}").status_code == 200
    assert api.get(f"/documents/{doc_id}/file").status_code == 404


def test_the_routes_are_in_the_schema(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/documents/{doc_id}/pages/{n}", "/documents/{doc_id}/file"} <= set(paths)


def test_the_routes_need_the_token_when_one_is_set(real_assistant, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages-guarded")
    server = start_server(copy_store(real_assistant.settings.store.path, folder), folder, QA_API_TOKEN=TOKEN)
    try:
        with httpx.Client(base_url=server.api(""), timeout=60, event_hooks={"response": [no_leaks(TOKEN)]}) as client:
            for path in (PAGE, "/documents/amazon-10-k-2024/file"):
                assert client.get(path).status_code == 401
                assert client.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
            signed_links_open_their_own_path_only(client)
    finally:
        server.stop()


def signed_links_open_their_own_path_only(client: httpx.Client) -> None:
    """The chat's short-lived signed links: made with the server's token, each opens its one path until it
    expires; nothing else, and nothing for a link signed with another token."""
    signer = LinkSigner(TOKEN, 600)

    def params(link: str) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))

    page, original = signer.link("amazon-10-k-2024", "pages/27"), signer.link("amazon-10-k-2024", "file")
    assert page.startswith("api" + PAGE + "?") and TOKEN not in page + original
    response = client.get(PAGE, params=params(page))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert client.get(PAGE, params={**params(page), "highlight": ROW}).headers["x-highlight"] == "found"
    response = client.get("/documents/amazon-10-k-2024/file", params=params(original))
    assert response.status_code == 200 and response.content == (CORPUS / "amazon_10-k_2024.pdf").read_bytes()
    for path in ("/documents/amazon-10-k-2024/pages/28", "/documents/amazon-10-q-q2-2025/file", "/documents", "/facts"):
        assert client.get(path, params=params(page)).status_code == 401, path  # another path: not opened
    assert client.post("/ask", params=params(page), json={"question": ROW}).status_code == 401
    expired = LinkSigner(TOKEN, 600).link("amazon-10-k-2024", "pages/27", now=time.time() - 3600)
    assert client.get(PAGE, params=params(expired)).status_code == 401
    forged = LinkSigner("a-guessed-token", 600).link("amazon-10-k-2024", "pages/27")
    assert client.get(PAGE, params=params(forged)).status_code == 401
    assert (
        client.get(PAGE, params={**params(page), "expires": str(int(params(page)["expires"]) + 86400)}).status_code
        == 401
    )  # a signature holds for its own expiry only
