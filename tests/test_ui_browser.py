"""The chat UI in a real headless Chromium against a real `qa serve` subprocess: streamed answers, clickable
citations, follow-ups, refusals, the document filter, upload and delete, the empty store, and phone width.
A screenshot of every step goes to test-output/screenshots/."""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from assistant import phrases
from server_utils import serving_copy, start_server

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
FINISHED = "#chat .reply:not(.streaming):not(.thinking)"
INJECTION = '<img src="x" onerror="window.__injected = 1">'
NOTE = ("Quokka Labs field notes\n\nThe Quokka Labs widget factory in Tallinn produced 7,345 widgets in "
        f"March 2031, a record for the plant.\nMarkup in documents is shown as text: {INJECTION}\n")
# Remembers whether a partial (still streaming) answer was ever put on the page.
WATCH_STREAMING = """
window.__sawStreaming = false;
new MutationObserver(records => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType === 1 && (node.matches('.reply.streaming') || node.querySelector('.reply.streaming'))) {
      window.__sawStreaming = true;
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture(scope="module")
def server(real_assistant, tmp_path_factory):
    with serving_copy(real_assistant.settings.store_path, tmp_path_factory.mktemp("ui-server")) as server:
        yield server


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ui-empty-server")
    server = start_server(folder / "store", folder)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    executable = "/usr/bin/chromium" if shutil.which("/usr/bin/chromium") else shutil.which("chromium")
    assert executable, "Chromium is not installed (apt-get install -y chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(output_dir):
    folder = output_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, url: str, viewport: dict) -> tuple[Page, list[str]]:
    """A fresh page on the app; the second value collects every request that left the loopback host."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(30_000)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).hostname != "127.0.0.1" else None)
    page.add_init_script(WATCH_STREAMING)
    page.goto(url)
    expect(page.locator("#question textarea")).to_be_visible()
    expect(page.locator("#docs-table")).not_to_be_empty()
    return page, outside


@pytest.fixture
def desktop(browser, server):
    page, outside = open_page(browser, server.url, DESKTOP)
    yield page
    page.close()
    assert not outside, f"the page loaded resources from outside the server: {outside}"


def ask(page: Page, question: str):
    """Type a question, send it, and return the finished reply once the stream is over."""
    before = page.locator(FINISHED).count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    expect(page.locator(FINISHED)).to_have_count(before + 1, timeout=60_000)
    return page.locator(FINISHED).last


def pick(page: Page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option).first.click()
    page.keyboard.press("Escape")


def test_answer_streams_in_with_clickable_citations(desktop, shots):
    desktop.screenshot(path=shots / "01-loaded.png")
    expect(desktop.locator("#docs-table tbody tr")).to_have_count(5)

    reply = ask(desktop, "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?")
    assert desktop.evaluate("window.__sawStreaming"), "no partial answer was shown while streaming"
    expect(reply).to_contain_text("38%")
    expect(reply.locator(".timings")).to_contain_text("ms")
    marker = reply.locator("a.cite").first
    expect(marker).to_have_text("[1]")
    assert "38%" in marker.get_attribute("title")
    desktop.screenshot(path=shots / "02-answer.png")

    marker.click()
    passage = desktop.locator("#cite-1-1")
    expect(passage).to_have_class("passage supported active")
    expect(passage.locator("mark").first).to_be_in_viewport(ratio=1)
    expect(passage.locator("mark").first).to_contain_text("38%")
    expect(passage).to_contain_text("Alibaba Cloud vs AWS")
    desktop.screenshot(path=shots / "03-citation-clicked.png")


def test_follow_up_shows_the_resolved_question(desktop, shots):
    ask(desktop, "What were AWS segment sales in the fourth quarter of 2025?")
    reply = ask(desktop, "And what was its operating income?")
    expect(reply).to_contain_text("12.5 billion")
    resolved = reply.locator(".resolved")
    expect(resolved).to_contain_text(phrases.RESOLVED_QUESTION.format(question="").strip())
    expect(resolved).to_contain_text("AWS")
    expect(desktop.locator("#sources details[open]")).to_have_count(1)
    expect(desktop.locator("#sources details")).to_have_count(2)
    desktop.screenshot(path=shots / "04-follow-up.png")

    reply.locator("a.cite").first.click()  # a marker of the newest answer opens its passage
    expect(desktop.locator("#cite-2-1")).to_be_in_viewport()


def test_unanswerable_question_is_shown_as_a_refusal(desktop, shots):
    reply = ask(desktop, "What was Google Cloud's revenue?")
    expect(reply).to_have_class("reply refusal")
    expect(reply.locator(".refusal-title")).to_have_text(phrases.CANNOT_ANSWER)
    expect(reply).to_contain_text(phrases.CLOSEST_PASSAGES)
    assert reply.locator("li").count() >= 1
    assert reply.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    expect(desktop.locator("#sources .passage.closest").first).to_be_visible()
    desktop.screenshot(path=shots / "05-refusal.png")


def test_document_filter_restricts_the_search(desktop, shots):
    pick(desktop, "#doc-filter", "Amazon.com, Inc. Form 10-K, fiscal year 2024")
    ask(desktop, "What were total net sales in 2024?")
    titles = desktop.locator("#sources details[open] .passage-head").all_inner_texts()
    assert titles and all("Form 10-K, fiscal year 2024" in t for t in titles), titles
    desktop.screenshot(path=shots / "06-filtered.png")


def test_empty_store_then_upload_ask_and_delete(browser, empty_server, shots, tmp_path):
    page, outside = open_page(browser, empty_server.url, DESKTOP)
    store_empty = phrases.STORE_EMPTY.replace("`", "")  # the command shows as code
    expect(page.locator("#store-notice")).to_contain_text(store_empty)
    reply = ask(page, "What did the factory produce?")
    expect(reply).to_have_class("reply error-box")
    expect(reply).to_contain_text(store_empty)
    page.screenshot(path=shots / "07-empty-store.png")

    note = tmp_path / "quokka-labs-notes.txt"
    note.write_text(NOTE, encoding="utf-8")
    page.locator("#upload input[type=file]").set_input_files(note)
    expect(page.locator("#doc-status")).to_contain_text("Ingested", timeout=60_000)
    expect(page.locator("#docs-table")).to_contain_text("quokka-labs-notes")
    expect(page.locator("#store-notice")).to_be_hidden()
    page.screenshot(path=shots / "08-uploaded.png")

    reply = ask(page, "How many widgets did the Quokka Labs factory in Tallinn produce in March 2031?")
    expect(reply).to_contain_text("7,345")
    passage = page.locator("#sources details[open] .passage").first
    expect(passage).to_contain_text("Quokka Labs field notes")
    expect(passage).to_contain_text(INJECTION)  # document text is escaped, never run
    assert page.evaluate("window.__injected") is None
    page.screenshot(path=shots / "09-asked-upload.png")

    pick(page, "#delete-doc", "Quokka Labs field notes")
    page.locator("#delete-button").click()
    expect(page.locator("#doc-status")).to_contain_text("Deleted")
    expect(page.locator("#docs-table")).not_to_contain_text("quokka-labs-notes")
    page.screenshot(path=shots / "10-deleted.png")
    page.close()
    assert not outside, outside


def test_phone_width_stacks_the_panels(browser, server, shots):
    page, outside = open_page(browser, server.url, PHONE)
    page.screenshot(path=shots / "11-phone-loaded.png", full_page=True)
    reply = ask(page, "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?")
    expect(reply).to_contain_text("38%")
    chat, sources = page.locator("#chat").bounding_box(), page.locator("#sources").bounding_box()
    assert sources["y"] >= chat["y"] + chat["height"], "the sources panel should sit below the chat"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    page.screenshot(path=shots / "12-phone-answer.png", full_page=True)

    reply.locator("a.cite").first.click()
    expect(page.locator("#cite-1-1 mark").first).to_be_in_viewport(ratio=1)
    page.screenshot(path=shots / "13-phone-citation.png")
    page.close()
    assert not outside, outside


def test_api_docs_render_without_leaving_the_server(browser, server, shots):
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).hostname != "127.0.0.1" else None)
    page.goto(server.url + "/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Document QA API", timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/ask").first).to_be_visible()
    page.screenshot(path=str(shots / "14-api-docs.png"))
    assert not outside, f"the docs loaded resources from outside the server: {outside}"
    page.close()
