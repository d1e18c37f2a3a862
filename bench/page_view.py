"""Time from a click on a [n] marker to the cited PDF page shown in the chat: `python -m bench.page_view URL [URL ...]`.

For each running chat (`qa serve`) given, in a real headless Chromium (Debian chromium): asks questions from
corpus/questions.jsonl until `--questions` of them cite a PDF page, clicks the first such marker and measures, in
the page, the milliseconds until the page image is decoded and on screen; then the same click again (the page now
cached on the server and in the browser). Prints each chat's median and max, first and second click, so two builds
of the chat can be compared in one invocation.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINISHED = "#chat .reply:not(.streaming):not(.thinking)"
# Click the marker in the page and resolve with the ms until the viewer's page image is decoded.
CLICK_AND_WAIT = """async marker => {
  const start = performance.now();
  marker.click();
  while (true) {
    await new Promise(done => requestAnimationFrame(done));
    const img = document.querySelector('#viewer .viewer img.page-image');
    if (img && img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().height > 0) {
      if (img.decode) await img.decode();
      return performance.now() - start;
    }
    if (performance.now() - start > 20000) return -1;
  }
}"""


def measure(browser, url: str, questions: list[str], wanted: int) -> tuple[list[float], list[float]]:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.wait_for_selector("#question textarea")
    first, again = [], []
    for question in questions:
        if len(first) == wanted:
            break
        before = page.locator(FINISHED).count()
        page.locator("#question textarea").fill(question)
        page.locator("#question textarea").press("Enter")
        page.wait_for_function(f"document.querySelectorAll({json.dumps(FINISHED)}).length > {before}", timeout=60_000)
        reply = page.locator(FINISHED).nth(before)
        marker = next(
            (
                m
                for m in reply.locator("a.cite").all()
                if page.locator(m.get_attribute("href")).get_attribute("data-page")
            ),
            None,
        )
        if marker is None:
            continue
        page.evaluate("() => { const v = document.querySelector('#viewer .viewer-close'); if (v) v.click(); }")
        page.wait_for_timeout(300)
        first.append(marker.evaluate(CLICK_AND_WAIT))
        page.evaluate("() => document.querySelector('#viewer .viewer-close').click()")
        page.wait_for_timeout(300)
        again.append(marker.evaluate(CLICK_AND_WAIT))
    page.close()
    return first, again


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--questions", type=int, default=8, help="questions whose answer cites a PDF page")
    args = parser.parse_args(argv)
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "corpus" / "questions.jsonl").open()
        if json.loads(line).get("answerable") and "history" not in json.loads(line)
    ]
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        for url in args.urls:
            first, again = measure(browser, url, questions, args.questions)
            print(
                f"{url}: {len(first)} cited pages;  first click median {statistics.median(first):.0f} ms, max "
                f"{max(first):.0f} ms;  again median {statistics.median(again):.0f} ms, max {max(again):.0f} ms"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
