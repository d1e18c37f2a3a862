"""The chat UI in a real headless Chromium against a real `qa serve` subprocess, at desktop (1440x900) and phone
(390x844) sizes: streamed answers, clickable citations that open the cited PDF page with the quote highlighted
where pdfium puts its characters and enlarged readably (or the section of a text document, its tables laid out),
zoom centred on the quote, page turning, computed answers, charts kept in their replies, Copy and Markdown export,
the conversation kept over a reload, example and follow-up questions, the question counter, refusals, the
document filter, upload and a confirmed delete, a confirmed clear, toasts that go away, the empty store, phone
width, and the chat's evidence under an API token. A screenshot of every step goes to test-output/screenshots/."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from assistant.contract import phrases
from server_utils import serving_copy, start_server

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
FINISHED = "#chat .reply:not(.streaming):not(.thinking)"
INJECTION = '<img src="x" onerror="window.__injected = 1">'
NOTE = (
    "Quokka Labs field notes\n\nThe Quokka Labs widget factory in Tallinn produced 7,345 widgets in "
    f"March 2031, a record for the plant.\nMarkup in documents is shown as text: {INJECTION}\n"
)
# Remembers whether a partial (still streaming) answer, and a 'searching' reply, were ever put on the page.
WATCH_STREAMING = """
window.__sawStreaming = false;
window.__sawSearching = false;
new MutationObserver(records => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1) continue;
    if (node.matches('.reply.streaming') || node.querySelector('.reply.streaming')) window.__sawStreaming = true;
    if (node.matches('.reply.thinking') || node.querySelector('.reply.thinking')) window.__sawSearching = true;
  }
}).observe(document, {childList: true, subtree: true});
"""
# Where highlight boxes sit on the page image, as fractions of the image: [left, top, right, bottom].
HIGHLIGHT_BOXES = """viewer => {
  const img = viewer.querySelector('img.page-image').getBoundingClientRect();
  return [...viewer.querySelectorAll('.page-frame .hl')].map(el => {
    const r = el.getBoundingClientRect();
    return [(r.left - img.left) / img.width, (r.top - img.top) / img.height,
            (r.right - img.left) / img.width, (r.bottom - img.top) / img.height];
  });
}"""
# Whether an element lies inside its scrolling panel's visible area.
SHOWN_IN_PANEL = """(el, panel) => {
  const r = el.getBoundingClientRect(), p = document.querySelector(panel).getBoundingClientRect();
  return r.top >= p.top - 1 && r.bottom <= p.bottom + 1;
}"""
# Figures in a cell that the browser broke over two lines ('$387,49' / '7 million', 'FY2' / '024').
BROKEN_FIGURES = """root => {
  const broken = [];
  for (const cell of root.querySelectorAll('table.computation td, table.points td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[-$(]*[A-Z]{0,2}\\d[\\d,.]*%?\\)?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
# The middle of the highlight boxes and the middle of the visible part of the page, in screen pixels.
CENTRES = """viewer => {
  const scroller = viewer.querySelector('.page-scroll').getBoundingClientRect();
  const boxes = [...viewer.querySelectorAll('.page-frame .hl')].map(el => el.getBoundingClientRect());
  const left = Math.min(...boxes.map(b => b.left)), right = Math.max(...boxes.map(b => b.right));
  const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
  return [(left + right) / 2, (top + bottom) / 2, scroller.left + scroller.width / 2,
          scroller.top + scroller.height / 2, scroller.width, scroller.height];
}"""
PDF_QUESTION = "What was AWS operating income in 2024?"
CHART_QUESTION = "How did AWS operating income change from 2023 to 2025?"
SERIES_QUESTION = "How did AWS net sales change from 2022 to 2024?"


@pytest.fixture(scope="module")
def server(real_assistant, tmp_path_factory):
    with serving_copy(real_assistant.settings.store.path, tmp_path_factory.mktemp("ui-server")) as server:
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
    """A fresh page (own context: empty browser storage, clipboard allowed) on the app; the second value collects
    every request that left the loopback host."""
    page = browser.new_context(
        viewport=viewport, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
    ).new_page()
    page.set_default_timeout(30_000)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).hostname != "127.0.0.1"
            else None
        ),
    )
    page.add_init_script(WATCH_STREAMING)
    page.goto(url)
    expect(page.locator("#question textarea")).to_be_visible()
    expect(page.locator("#docs-table")).not_to_be_empty()
    return page, outside


@pytest.fixture
def desktop(browser, server):
    page, outside = open_page(browser, server.url, DESKTOP)
    yield page
    page.context.close()
    assert not outside, f"the page loaded resources from outside the server: {outside}"


def ask(page: Page, question: str):
    """Type a question, send it, and return the finished reply once the stream is over."""
    before = page.locator(FINISHED).count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    expect(page.locator(FINISHED)).to_have_count(before + 1, timeout=60_000)
    return page.locator(FINISHED).nth(before)


def pdf_marker(reply):
    """The first [n] of a reply whose passage is on a PDF page."""
    for marker in reply.locator("a.cite").all():
        passage = reply.page.locator(marker.get_attribute("href"))
        if passage.get_attribute("data-page"):
            return marker, passage
    raise AssertionError("the answer cites no PDF page")


def pdfium_tokens(pdf: bytes, n: int, tokens: list[str]) -> dict[str, list[tuple[float, float]]]:
    """Centres of every occurrence of each token on page n, by pdfium's own text search, as page fractions."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    page = doc[n - 1]
    width, height = page.get_size()
    text = page.get_textpage()
    found = {}
    for token in tokens:
        searcher, found[token] = text.search(token, match_case=True), []
        while (hit := searcher.get_next()) is not None:
            boxes = [text.get_charbox(i) for i in range(hit[0], hit[0] + hit[1])]
            x = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2 / width
            y = 1 - (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2 / height
            found[token].append((x, y))
        searcher.close()
    text.close()
    page.close()
    doc.close()
    return found


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
    expect(passage.locator("mark").first).to_contain_text("38%")
    expect(passage).to_contain_text("Alibaba Cloud vs AWS")
    # the article is Markdown: the viewer shows the section around the passage, the quote marked and in view
    viewer = desktop.locator("#viewer .viewer")
    expect(viewer.locator(".section-text mark").first).to_contain_text("38%")
    expect(viewer.locator(".section-text mark").first).to_be_in_viewport()
    expect(viewer.locator(".viewer-title")).to_contain_text("Alibaba Cloud vs AWS")
    assert passage.locator("mark").first.evaluate(SHOWN_IN_PANEL, "#sources")
    desktop.screenshot(path=shots / "03-citation-clicked.png")


def test_follow_up_shows_the_resolved_question(desktop, shots):
    ask(desktop, "What were AWS segment sales in the fourth quarter of 2025?")
    reply = ask(desktop, "And what was its operating income?")
    expect(reply).to_contain_text(re.compile(r"12\.5 billion|12,465 million"))
    resolved = reply.locator(".resolved")
    expect(resolved).to_contain_text(phrases.RESOLVED_QUESTION.format(question="").strip())
    expect(resolved).to_contain_text("AWS")
    expect(desktop.locator("#sources details[open]")).to_have_count(1)
    expect(desktop.locator("#sources details")).to_have_count(2)
    desktop.screenshot(path=shots / "04-follow-up.png")

    reply.locator("a.cite").first.click()  # a marker of the newest answer opens its passage
    expect(desktop.locator("#cite-2-1")).to_have_class("passage supported active")
    assert desktop.locator("#cite-2-1 tr.marked").first.evaluate(SHOWN_IN_PANEL, "#sources")

    scrolled = desktop.evaluate("window.scrollY")
    desktop.locator("#chat .reply").first.locator("a.cite").first.click()  # a marker of the older answer
    older = desktop.locator("#cite-1-1")
    expect(older).to_have_class("passage supported active")
    expect(desktop.locator("#sources details").nth(1)).to_have_attribute("open", "")
    expect(desktop.locator("#viewer .viewer-num")).to_have_text("[1]")
    desktop.wait_for_timeout(300)  # the panel scrolls itself, the page does not move
    assert older.locator("mark, tr.marked").first.evaluate(SHOWN_IN_PANEL, "#sources")
    assert desktop.evaluate("window.scrollY") == scrolled
    desktop.screenshot(path=shots / "04b-older-citation.png")


def test_a_refusal_says_what_the_documents_give_and_offers_only_passages_about_what_was_asked(desktop, shots):
    reply = ask(desktop, "What was Amazon's revenue in 2027?")
    expect(reply).to_have_class("reply refusal")
    expect(reply.locator(".refusal-title")).to_have_text(phrases.CANNOT_ANSWER)
    expect(reply.locator(".refusal-note")).to_contain_text("The documents give Amazon's net sales for FY2022 to FY2025")
    expect(reply.locator(".refusal-note")).to_contain_text("not for FY2027")
    expect(reply).to_contain_text(phrases.CLOSEST_PASSAGES)
    titles = reply.locator(".doc-title").all_inner_texts()
    assert titles and len(titles) == len(set(titles)), titles  # each document once, its passages under it
    shown = [int(m.inner_text().strip("[]")) for m in reply.locator("a.cite").all()]
    assert shown == list(range(1, len(shown) + 1)), shown  # numbered in the order they are listed
    assert reply.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    passages = desktop.locator("#sources details[open] .passage.closest")
    expect(passages.first).to_be_visible()
    for text in passages.all_inner_texts():  # about the asked metric: each one states net sales
        assert "net sales" in text.lower(), text[:200]
    desktop.screenshot(path=shots / "05-refusal.png")

    reply = ask(desktop, "What was Google Cloud's revenue?")  # no passage is about it: none is offered
    expect(reply.locator(".refusal-title")).to_have_text(phrases.CANNOT_ANSWER)
    expect(reply).not_to_contain_text(phrases.CLOSEST_PASSAGES)
    expect(reply.locator("a.cite")).to_have_count(0)
    desktop.screenshot(path=shots / "05b-refusal-nothing-close.png")


def test_document_filter_restricts_the_search(desktop, shots):
    pick(desktop, "#doc-filter", "Amazon.com, Inc. Form 10-K, fiscal year 2024")
    reply = ask(desktop, "What were total net sales in 2024?")
    expect(reply.locator(".scope")).to_have_text(
        phrases.UI_SCOPED.format(titles="Amazon.com, Inc. Form 10-K, fiscal year 2024")
    )
    titles = desktop.locator("#sources details[open] .passage-head").all_inner_texts()
    assert titles and all("Form 10-K, fiscal year 2024" in t for t in titles), titles
    desktop.screenshot(path=shots / "06-filtered.png")


def test_empty_store_then_upload_ask_and_delete(browser, empty_server, shots, tmp_path):
    page, outside = open_page(browser, empty_server.url, DESKTOP)
    store_empty = phrases.STORE_EMPTY.replace("`", "")  # the command shows as code
    expect(page.locator("#store-notice")).to_contain_text(store_empty)
    expect(page.locator("#examples button.example")).to_have_count(0)  # no documents, no examples
    reply = ask(page, "What did the factory produce?")
    expect(reply).to_have_class("reply error-box")
    expect(reply).to_contain_text(store_empty)
    page.screenshot(path=shots / "07-empty-store.png")

    note = tmp_path / "quokka-labs-notes.txt"
    note.write_text(NOTE, encoding="utf-8")
    page.locator("#upload input[type=file]").set_input_files(note)
    expect(page.locator("#doc-status")).to_contain_text("Ingested", timeout=60_000)
    expect(page.locator("#doc-status")).to_be_in_viewport()
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
    page.locator("#delete-button").click()  # asks first
    expect(page.locator("#delete-confirm")).to_contain_text(
        phrases.UI_CONFIRM_DELETE.format(title="Quokka Labs field notes").replace("**", "")
    )
    page.screenshot(path=shots / "10a-delete-asks.png")
    page.locator("#delete-no").click()
    expect(page.locator("#delete-confirm")).to_be_hidden()
    expect(page.locator("#docs-table")).to_contain_text("quokka-labs-notes")
    page.locator("#delete-button").click()
    page.locator("#delete-yes").click()
    expect(page.locator("#doc-status")).to_contain_text(
        phrases.UI_DELETED.format(title="Quokka Labs field notes", chunks=1).replace("**", "").split(" (")[0]
    )
    expect(page.locator("#docs-table")).not_to_contain_text("quokka-labs-notes")
    page.screenshot(path=shots / "10-deleted.png")
    page.context.close()
    assert not outside, outside


def test_phone_width_stacks_the_panels(browser, server, shots):
    page, outside = open_page(browser, server.url, PHONE)
    assert page.locator("#title").bounding_box()["height"] <= PHONE["height"] * 0.1  # a compact header
    expect(page.locator("#title p")).to_be_hidden()
    page.screenshot(path=shots / "11-phone-loaded.png", full_page=True)
    reply = ask(page, "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?")
    expect(reply).to_contain_text("38%")
    chat, sources = page.locator("#chat").bounding_box(), page.locator("#sources").bounding_box()
    assert sources["y"] >= chat["y"] + chat["height"], "the sources panel should sit below the chat"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    page.screenshot(path=shots / "12-phone-answer.png", full_page=True)

    reply.locator("a.cite").first.click()  # the evidence is far below the answer: jump there, with a way back
    expect(page.locator("#viewer .section-text mark").first).to_be_in_viewport()
    expect(page.locator("#back-to-answer")).to_be_visible()
    page.screenshot(path=shots / "13-phone-citation.png")
    page.locator("#back-to-answer").click()
    expect(reply.locator("a.cite").first).to_be_in_viewport()
    expect(page.locator("#back-to-answer")).to_be_hidden()
    page.screenshot(path=shots / "13b-phone-back.png")
    page.context.close()
    assert not outside, outside


def test_on_a_phone_figures_stay_whole_and_the_cited_page_is_readable(browser, server, shots):
    page, outside = open_page(browser, server.url, PHONE)
    reply = ask(page, "How did North America's operating margin change from FY2022 to FY2025?")
    table = reply.locator("table.computation")
    expect(table).to_be_visible()
    assert reply.evaluate(BROKEN_FIGURES) == []  # no '$387,49' / '7 million', no 'FY2' / '024'
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    table.scroll_into_view_if_needed()
    page.screenshot(path=shots / "23-phone-steps.png")

    reply = ask(page, SERIES_QUESTION)
    assert reply.evaluate(BROKEN_FIGURES) == []
    expect(reply.locator("figure.chart svg.chart-plot")).to_be_visible()
    reply.locator("figure.chart").scroll_into_view_if_needed()
    page.screenshot(path=shots / "24-phone-chart.png")

    reply = ask(page, PDF_QUESTION)
    pdf_marker(reply)[0].click()
    focus = page.locator("#viewer .page-focus")
    expect(focus).to_be_in_viewport()
    lines = [b.bounding_box()["height"] for b in focus.locator(".hl").all()]
    assert lines and min(lines) >= 14, lines  # the quoted lines readable on the phone (the strip scrolls sideways)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    page.screenshot(path=shots / "25-phone-page.png")
    page.context.close()
    assert not outside, outside


def test_api_docs_render_without_leaving_the_server(browser, server, shots):
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).hostname != "127.0.0.1"
            else None
        ),
    )
    page.goto(server.url + "/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Document QA API", timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/ask").first).to_be_visible()
    page.screenshot(path=str(shots / "14-api-docs.png"))
    assert not outside, f"the docs loaded resources from outside the server: {outside}"
    page.close()


def test_a_pdf_citation_shows_the_page_with_the_quote_highlighted(desktop, server, shots):
    reply = ask(desktop, PDF_QUESTION)
    marker, passage = pdf_marker(reply)
    doc_id, cited, quote = (passage.get_attribute(a) for a in ("data-doc", "data-page", "data-quote"))
    marker.click()
    viewer = desktop.locator("#viewer .viewer")
    image = viewer.locator("img.page-image")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 1000")
    pages = httpx.get(server.api(f"/documents/{doc_id}/pages/1")).headers["x-page-count"]
    expect(viewer.locator(".viewer-where")).to_contain_text(phrases.UI_PAGE_OF.format(page=cited, pages=pages))
    expect(viewer.locator(".viewer-note")).to_have_count(0)
    expect(viewer.locator(".hl").first).to_be_in_viewport()
    desktop.screenshot(path=shots / "15-pdf-page.png")

    # every highlight box lies on the quoted text, where pdfium's own search finds it on the original
    boxes = viewer.evaluate(HIGHLIGHT_BOXES)
    pdf = httpx.get(server.api(f"/documents/{doc_id}/file")).content
    tokens = sorted({t for t in quote.split() if len(t) >= 4}, key=len, reverse=True)[:6]
    found = pdfium_tokens(pdf, int(cited), tokens)
    tolerance = 0.004

    def covered(point):
        return any(
            b[0] - tolerance <= point[0] <= b[2] + tolerance and b[1] - tolerance <= point[1] <= b[3] + tolerance
            for b in boxes
        )

    assert boxes
    for token in tokens:
        assert any(covered(p) for p in found[token]), f"{token!r} is not under the highlight {boxes}"
    for box in boxes:
        assert any(
            box[0] - tolerance <= x <= box[2] + tolerance and box[1] - tolerance <= y <= box[3] + tolerance
            for points in found.values()
            for x, y in points
        ), f"highlight {box} covers none of the quote"

    # page through: the next page has no highlight (and no note), the cited page has it again
    viewer.locator(f'.viewer-go[data-go="{int(cited) + 1}"]').click()
    expect(viewer.locator(".viewer-where")).to_contain_text(phrases.UI_PAGE_OF.format(page=int(cited) + 1, pages=pages))
    expect(viewer.locator(".hl")).to_have_count(0)
    expect(viewer.locator(".viewer-note")).to_have_count(0)
    desktop.screenshot(path=shots / "16-next-page.png")
    viewer.locator(f'.viewer-go[data-go="{cited}"]').click()
    expect(viewer.locator(".viewer-where")).to_contain_text(phrases.UI_CITED_PAGE)
    expect(viewer.locator(".hl").first).to_be_visible()

    # the original opens at that page
    link = viewer.locator("a.viewer-open")
    assert link.get_attribute("href") == f"api/documents/{doc_id}/file#page={cited}"
    assert link.get_attribute("target") == "_blank"
    original = desktop.request.get(server.url + "/" + link.get_attribute("href").split("#")[0])
    assert original.ok and original.headers["content-type"] == "application/pdf" and original.body() == pdf

    # zoomed in, the view is centred on the highlight, not on the row labels at the left of the page
    viewer.locator(".viewer-zoom").click()
    expect(viewer.locator(".page-frame.zoomed")).to_have_count(1)
    desktop.wait_for_timeout(300)
    x, y, middle_x, middle_y, width, height = viewer.evaluate(CENTRES)
    assert abs(x - middle_x) <= width * 0.1 and abs(y - middle_y) <= height * 0.1, (x, y, middle_x, middle_y)
    desktop.screenshot(path=shots / "17-zoomed.png")


def test_at_normal_size_the_cited_figures_are_readable_beside_the_whole_page(desktop, shots):
    reply = ask(desktop, PDF_QUESTION)
    marker, _ = pdf_marker(reply)
    marker.click()
    viewer = desktop.locator("#viewer .viewer")
    focus = viewer.locator(".page-focus")
    expect(focus).to_be_visible()
    expect(focus).to_be_in_viewport()
    expect(viewer.locator("img.page-image")).to_be_visible()  # the whole page stays, under the enlarged lines
    lines = [box["height"] for box in (b.bounding_box() for b in focus.locator(".hl").all())]
    page_lines = [box["height"] for box in (b.bounding_box() for b in viewer.locator(".page-frame .hl").all())]
    assert lines and min(lines) >= 14, lines  # a line of the quote at least 14 px tall: readable without zooming
    assert max(page_lines) < min(lines) / 1.5  # the whole page alone would not be
    assert focus.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # at desktop width it fits: no sideways scroll
    desktop.screenshot(path=shots / "17b-quote-enlarged.png")
    focus.screenshot(path=shots / "17c-quote-enlarged-close.png")


def test_a_computed_answer_shows_its_work(desktop, shots):
    reply = ask(desktop, CHART_QUESTION)
    table = reply.locator("table.computation")
    expect(table.locator("caption")).to_contain_text(phrases.HOW_COMPUTED)
    expect(table.locator("tr.result")).to_contain_text(phrases.UI_RESULT)
    assert table.locator("tbody tr").count() >= 3  # two operands or more, and the result
    table.locator("a.cite").first.click()
    expect(desktop.locator("#viewer .viewer")).to_be_visible()
    desktop.screenshot(path=shots / "18-computed.png")


def test_a_change_over_years_states_both_ends_and_its_chart_stays_with_its_answer(desktop, server, shots):
    answer = httpx.post(server.api("/ask"), json={"question": SERIES_QUESTION}, timeout=60).json()
    reply = ask(desktop, SERIES_QUESTION)
    direct = reply.locator("p").first.inner_text()
    assert direct.startswith(answer["direct"].split(" [")[0][:60])  # the chat and the API say the same
    assert re.search(
        r"rose from \$[\d.]+ billion in FY2022 to \$[\d.]+ billion in FY2024, up \$[\d.]+ billion "
        r"\(\+\d+\.\d%\)",
        direct,
    ), direct  # both ends, the change and the change in percent
    chart = reply.locator("figure.chart")
    expect(chart.locator("svg.chart-plot")).to_be_visible()
    points = sum(len(s["points"]) for s in answer["series"])
    expect(chart.locator("svg circle")).to_have_count(points)
    expect(chart.locator("table.points a.cite")).to_have_count(points)
    # the value axis starts at zero: its lowest gridline is labelled 0 and every point sits above it
    labels = [t.text_content() for t in chart.locator("svg text[text-anchor=end]").all()]
    assert labels[0] == "0", labels
    zero = chart.locator("svg text[text-anchor=end]").first.bounding_box()["y"]
    assert all(c.bounding_box()["y"] < zero for c in chart.locator("svg circle").all())
    tip = chart.locator("svg circle title").first.text_content()
    assert tip.startswith(answer["series"][0]["label"]) and answer["series"][0]["points"][0]["text"] in tip
    chart.scroll_into_view_if_needed()
    desktop.screenshot(path=shots / "19-chart.png")

    follow = ask(desktop, "And its operating income?")  # keeps every year, the wording and gets its own chart
    follow_text = follow.locator("p").first.inner_text()
    assert re.search(
        r"operating income rose from \$[\d.]+ billion in FY2022 to \$[\d.]+ billion in FY2024", follow_text
    )
    assert "FY2023" in follow_text
    expect(follow.locator("figure.chart svg circle")).to_have_count(3)
    expect(chart.locator("svg.chart-plot")).to_be_visible()  # the earlier chart is still there
    expect(desktop.locator("#chat figure.chart")).to_have_count(2)
    follow.locator("figure.chart").scroll_into_view_if_needed()
    desktop.screenshot(path=shots / "19b-follow-up-chart.png")
    follow.locator("table.points a.cite").first.click()
    expect(desktop.locator("#viewer .viewer")).to_be_visible()


def test_a_ratio_change_states_both_ends_in_percent_and_the_change_in_points(desktop, shots):
    reply = ask(desktop, "How did North America's operating margin change from FY2022 to FY2025?")
    expect(reply.locator("p").first).to_contain_text(
        re.compile(r"rose from -?\d+\.\d% in FY2022 to \d+\.\d% in FY2025, up \d+\.\d percentage points")
    )
    expect(reply.locator("table.computation tr.result")).to_contain_text("percentage points")
    desktop.screenshot(path=shots / "19c-ratio-change.png")


def test_a_one_line_answer_reads_in_billions_and_the_quote_keeps_the_exact_figure(desktop, shots):
    reply = ask(desktop, "What was AWS segment operating income in 2025?")
    direct = reply.locator("p").first.inner_text().split("\n")[0]
    assert "$45.6 billion" in direct and "45,606" not in direct, direct
    expect(reply).to_contain_text("$45,606")  # the quote, as printed
    expect(reply).to_contain_text("in millions")
    reply = ask(desktop, "What was North America's operating margin in 2025?")
    expect(reply.locator("table.computation")).to_contain_text("$29,619 million")  # the work stays exact
    desktop.screenshot(path=shots / "19d-billions.png")


def test_copy_export_and_reload_keep_the_answer_with_its_sources(desktop, shots, tmp_path):
    first = ask(desktop, PDF_QUESTION)
    refusal = ask(desktop, "What was Amazon's revenue in 2027?")
    first.locator("button.copy-answer").click()
    expect(first.locator("button.copy-answer")).to_have_text(phrases.UI_COPIED)
    copied = desktop.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(first.locator("p").first.inner_text().split("\n")[0][:30])
    assert "<" not in copied
    assert f"{phrases.UI_SOURCES}:\n[1] Amazon.com, Inc. Form 10-K, fiscal year 2024, p. " in copied

    with desktop.expect_download() as download:
        desktop.locator("#export-button").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    exported = path.read_text(encoding="utf-8")
    assert path.suffix == ".md" and exported.startswith(f"# {phrases.UI_EXPORT_TITLE}")
    assert f"## {PDF_QUESTION}" in exported and "## What was Amazon's revenue in 2027?" in exported
    assert "1. **Amazon.com, Inc. Form 10-K, fiscal year 2024**, p. " in exported and "\n   > " in exported
    documents_give = refusal.locator(".refusal-note").inner_text()
    assert f"{phrases.CANNOT_ANSWER} {documents_give}" in exported  # the refusal keeps what the documents give
    refusal.locator("button.copy-answer").click()
    expect(refusal.locator("button.copy-answer")).to_have_text(phrases.UI_COPIED)
    assert desktop.evaluate("navigator.clipboard.readText()").startswith(f"{phrases.CANNOT_ANSWER} {documents_give}")

    desktop.reload()  # the conversation is kept in the browser
    expect(desktop.locator(FINISHED)).to_have_count(2)
    expect(desktop.locator("#sources details")).to_have_count(2)
    expect(desktop.locator(FINISHED).first).to_contain_text("39,834")
    expect(desktop.locator(FINISHED).nth(1).locator(".refusal-note")).to_have_text(documents_give)
    desktop.locator(FINISHED).first.locator("a.cite").first.click()
    expect(desktop.locator("#viewer img.page-image")).to_be_visible()
    desktop.screenshot(path=shots / "20-after-reload.png")


def test_searching_shows_only_while_it_lasts_and_suggestions_ask_the_next_question(desktop, shots):
    reply = ask(desktop, PDF_QUESTION)
    assert desktop.evaluate("window.__sawSearching"), "no 'searching' state was shown"
    expect(desktop.locator("#chat .thinking")).to_have_count(0)
    suggestions = reply.locator("button.suggestion")
    expect(suggestions.first).to_be_visible()
    assert 2 <= suggestions.count() <= 3
    follow_up = suggestions.first.inner_text()
    suggestions.first.click()
    expect(desktop.locator(FINISHED)).to_have_count(2, timeout=60_000)
    expect(desktop.locator("#chat .ask").last).to_have_text(follow_up)
    expect(reply.locator("button.suggestion")).to_have_count(0)  # only under the newest answer
    desktop.screenshot(path=shots / "21-suggestion-asked.png")


def test_an_overlong_question_is_counted_not_cut(desktop, shots, server):
    limit = 2000
    question = "How did AWS revenue change? " * 80
    box = desktop.locator("#question textarea")
    box.fill(question)
    counter = desktop.locator("#question-counter [data-limit]")
    expect(counter).to_have_text(
        phrases.UI_QUESTION_COUNTER.format(count=f"{len(question.strip()):,}", limit=f"{limit:,}")
    )
    expect(counter).to_have_class("over")
    box.press("Enter")
    expect(desktop.locator(".toast-body").first).to_contain_text(phrases.QUESTION_TOO_LONG.split("(")[0].strip())
    assert box.input_value() == question  # nothing was cut
    expect(desktop.locator(FINISHED)).to_have_count(0)
    counter.scroll_into_view_if_needed()
    desktop.screenshot(path=shots / "22-too-long.png")


def test_the_page_says_what_it_is_for_and_offers_whole_example_questions_from_the_documents(desktop, shots):
    assert desktop.title() == phrases.UI_TITLE
    expect(desktop.locator("#title h1")).to_have_text(phrases.UI_TITLE)
    examples = desktop.locator("#examples button.example")
    expect(examples.first).to_be_visible()
    assert 2 <= examples.count() <= 4
    for example in examples.all():
        expect(example).to_be_in_viewport()  # above the fold at 1440x900
        assert example.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
        assert not example.inner_text().endswith("…")  # shown whole
    desktop.screenshot(path=shots / "26-examples.png")
    asked = examples.first.inner_text()
    examples.first.click()  # an example is a question the documents answer
    expect(desktop.locator(FINISHED)).to_have_count(1, timeout=60_000)
    expect(desktop.locator("#chat .ask")).to_have_text(asked)
    expect(desktop.locator(FINISHED).first).not_to_have_class(re.compile("refusal"))


def test_the_timing_line_is_behind_a_toggle(desktop, shots):
    reply = ask(desktop, PDF_QUESTION)
    timing = reply.locator("details.timings")
    expect(timing.locator("summary")).to_have_text(phrases.UI_TIMING)
    assert not timing.evaluate("e => e.open")
    assert "ms" not in reply.inner_text()  # folded away
    timing.locator("summary").click()
    expect(timing).to_contain_text(re.compile(r"\d+ ms"))
    desktop.screenshot(path=shots / "27-timing-open.png")


def test_clearing_the_conversation_asks_first_and_nothing_covers_the_first_question(desktop, shots):
    ask(desktop, PDF_QUESTION)
    first = desktop.locator("#chat .ask").first.bounding_box()
    covering = desktop.evaluate("""() => [...document.querySelectorAll('#chat button, #chat svg')]
        .filter(e => e.closest('.reply') === null && e.offsetParent !== null)
        .map(e => e.getBoundingClientRect()).map(r => [r.left, r.top, r.right, r.bottom])""")
    for left, top, right, bottom in covering:  # no icon of the chat box lies over the question
        assert (
            right <= first["x"]
            or left >= first["x"] + first["width"]
            or bottom <= first["y"]
            or top >= first["y"] + first["height"]
        ), (left, top, right, bottom, first)
    desktop.locator("#clear-button").click()
    expect(desktop.locator("#clear-confirm")).to_contain_text(phrases.UI_CONFIRM_CLEAR.format(count=1))
    expect(desktop.locator("#clear-yes")).to_be_in_viewport()
    desktop.screenshot(path=shots / "28-clear-asks.png")
    desktop.locator("#clear-no").click()
    expect(desktop.locator("#clear-confirm")).to_be_hidden()
    expect(desktop.locator(FINISHED)).to_have_count(1)
    desktop.locator("#clear-button").click()
    desktop.locator("#clear-yes").click()
    expect(desktop.locator(FINISHED)).to_have_count(0)
    expect(desktop.locator("#sources")).to_contain_text(phrases.UI_SOURCES_EMPTY)
    desktop.reload()  # cleared in the browser's storage too
    expect(desktop.locator("#docs-table")).not_to_be_empty()
    desktop.wait_for_timeout(1000)
    expect(desktop.locator(FINISHED)).to_have_count(0)
    desktop.screenshot(path=shots / "29-cleared.png")


def test_a_notice_goes_away_by_itself(desktop, shots):
    desktop.locator("#question textarea").press("Enter")  # nothing typed
    toast = desktop.locator(".toast-body")
    expect(toast.first).to_contain_text(phrases.EMPTY_QUESTION)
    desktop.screenshot(path=shots / "30-toast.png")
    expect(toast).to_have_count(0, timeout=12_000)


def test_under_an_api_token_the_chat_opens_its_own_evidence_and_nobody_else_can(
    browser, real_assistant, shots, tmp_path_factory
):
    token = "ui-token-5e2a"
    with serving_copy(
        real_assistant.settings.store.path, tmp_path_factory.mktemp("ui-token-server"), QA_API_TOKEN=token
    ) as server:
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.set_default_timeout(30_000)
        assert page.request.post(server.url + "/login", form={"username": "analyst", "password": token}).ok
        page.goto(server.url)  # signed in as the chat's login asks: the token as password
        expect(page.locator("#question textarea")).to_be_visible()
        reply = ask(page, PDF_QUESTION)
        pdf_marker(reply)[0].click()
        viewer = page.locator("#viewer .viewer")
        image = viewer.locator("img.page-image")
        expect(image).to_be_visible()
        page.wait_for_function("() => document.querySelector('#viewer img.page-image').naturalWidth > 1000")
        expect(viewer.locator(".page-focus")).to_be_visible()
        page.screenshot(path=shots / "31-token-page.png")
        link = viewer.locator("a.viewer-open").get_attribute("href")
        assert "signature=" in link and token not in link
        with page.context.expect_page() as opened:  # the original opens in a new tab
            viewer.locator("a.viewer-open").click()
        tab = opened.value
        response = tab.request.get(server.url + "/" + link.split("#")[0])
        assert response.ok and response.headers["content-type"] == "application/pdf"
        tab.close()
        bare = link.split("?")[0]
        assert httpx.get(f"{server.url}/{bare}").status_code == 401  # the path without the signature: refused
        assert httpx.get(f"{server.url}/{link.split('#')[0]}").status_code == 200  # the link itself works anywhere
        other = link.split("#")[0].replace("amazon-10-k-2024", "amazon-10-q-q2-2025")
        assert httpx.get(f"{server.url}/{other}").status_code == 401  # for its own document only
        signed_query = link.split("?")[1].split("#")[0]
        assert httpx.get(f"{server.url}/api/documents?{signed_query}").status_code == 401
        assert httpx.post(f"{server.url}/api/ask?{signed_query}", json={"question": PDF_QUESTION}).status_code == 401
        page.context.close()
