"""What the front ends draw from an `Answer`, on hand-built answers: the computation table, charts drawn in the
reply and their table of cited points, refusals grouped by document, table rows laid out as tables, the Copy
text and the Markdown export, the evidence viewer's HTML (signed links under a token, the enlarged quote), and the
computation and series lines of `qa ask`."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from assistant.interfaces import cli
from assistant.contract import phrases
from assistant.links import LinkSigner
from assistant.pages import Box, Focus, Highlight, RenderedPage, SectionView
from assistant.contract.types import Answer, Citation, Computation, Operand, Series, SeriesPoint
from ui.charts import chart_html, chart_of, points_table, ticks
from ui.evidence import Evidence, section_body
from ui.export import conversation_markdown, turn_text, write_export
from ui.render import examples_html, reply_html, source_html, sources_html

TEN_K = "Amazon.com, Inc. Form 10-K, fiscal year 2024"
RELEASE = "Amazon.com Announces Fourth Quarter Results"


def citation(
    n: int,
    title: str = TEN_K,
    page: int | None = 27,
    section: str = "Item 7",
    quote: str = "",
    text: str = "",
    doc_id: str = "amazon-10-k-2024",
    supported: bool = True,
) -> Citation:
    return Citation(
        n=n,
        doc_id=doc_id,
        title=title,
        page=page,
        section=section,
        text=text or f"Passage {n}. {quote}",
        quote=quote,
        score=0.5,
        supported=supported,
    )


def computed_answer() -> Answer:
    return Answer(
        question="How did AWS operating income change from 2023 to 2025?",
        text="AWS operating income rose by $20,975 million [2] against [1].\n“AWS 24,631 39,834” [1]",
        citations=[
            citation(1, quote="AWS 24,631 39,834"),
            citation(2, RELEASE, None, "Segment Information", "Operating income $10,632 $12,465", doc_id="release"),
        ],
        refused=False,
        timings={"total": 12.0},
        computations=[
            Computation(
                "operating income FY2025 - operating income FY2023",
                [
                    Operand("operating income", "FY2023", 24.631e9, "$24,631 million", 1),
                    Operand("operating income", "FY2025", 45.606e9, "$45,606 million", 2),
                ],
                20.975e9,
                "$20,975 million",
                "USD",
            )
        ],
    )


def series_answer(x_labels=("FY2023", "FY2024", "FY2025"), several: bool = False) -> Answer:
    answer = computed_answer()
    values = [24.631e9, 39.834e9, 45.606e9]
    answer.series = [
        Series(
            "AWS operating income",
            "USD",
            [
                SeriesPoint(x, v, f"${v / 1e6:,.0f} million", 1 + (i == 2))
                for i, (x, v) in enumerate(zip(x_labels, values))
            ],
        )
    ]
    if several:
        answer.series.append(
            Series(
                "North America operating income",
                "USD",
                [SeriesPoint(x, v / 2, f"${v / 2e6:,.0f} million", 1) for x, v in zip(x_labels, values)],
            )
        )
    return answer


def turn(answer: Answer | None, error: str = "", scope=(), suggestions=()) -> dict:
    return {
        "question": answer.question if answer else "What?",
        "answer": answer.to_dict() if answer else None,
        "error": error,
        "scope": list(scope),
        "suggestions": list(suggestions),
    }


# -- the chat reply ----------------------------------------------------------------------------------------------
def test_a_computed_answer_shows_its_formula_operands_and_result():
    html = reply_html(turn(computed_answer()), 3)
    table = re.search(r'<table class="computation">.*?</table>', html).group(0)
    assert "operating income FY2025 - operating income FY2023" in table
    rows = re.findall(
        r"<tr><td>(.*?)</td><td class=\"period\">(.*?)</td><td class=\"num\">(.*?)</td><td>(.*?)</td>"
        r"</tr>",
        table,
    )
    assert [(label, period, value) for label, period, value, _ in rows] == [
        ("operating income", "FY2023", "$24,631 million"),
        ("operating income", "FY2025", "$45,606 million"),
    ]
    assert 'href="#cite-3-1"' in rows[0][3] and 'href="#cite-3-2"' in rows[1][3]
    assert re.search(rf'class="result".*{re.escape(phrases.UI_RESULT)}.*\$20,975 million', table)


def test_a_reply_says_when_the_search_was_limited_and_offers_follow_ups_on_the_latest_answer():
    t = turn(computed_answer(), scope=[TEN_K], suggestions=["What was AWS's operating income in FY2024?"])
    latest = reply_html(t, 1, latest=True)
    assert phrases.UI_SCOPED.format(titles=TEN_K) in latest
    assert '<button class="suggestion" type="button">What was AWS&#x27;s operating income in FY2024?</button>' in latest
    assert "suggestion" not in reply_html(t, 1, latest=False)


def test_the_reply_is_one_html_block_whatever_the_text():
    """A chat message is Markdown: a blank line inside the reply would end its HTML block and show raw tags."""
    answer = computed_answer()
    answer.text = "First line.\n\nSecond <b>line</b> [1]."
    html = reply_html(turn(answer), 1, latest=True)
    assert "\n" not in html and "<b>line</b>" not in html and "&lt;b&gt;line&lt;/b&gt;" in html


def test_a_refusal_says_what_the_documents_give_and_lists_each_document_once_in_order():
    note = "The documents give AWS's net sales for FY2022 to FY2025, not for FY2019."
    answer = Answer(
        "What was AWS revenue in 2019?",
        f"{phrases.CANNOT_ANSWER} {note}",
        [
            citation(1, page=27, section="Item 7", supported=False),
            citation(2, page=66, section="Item 8", supported=False),
            citation(3, "Article", None, "AI + Cloud", doc_id="a", supported=False),
        ],
        True,
        {"total": 5.0},
        notice=note,
    )
    html = reply_html(turn(answer), 1)
    assert html.count(f'<span class="doc-title">{TEN_K}</span>') == 1
    assert "p. 27 · Item 7" in html and "p. 66 · Item 8" in html and "AI + Cloud" in html
    shown = [int(n) for n in re.findall(r'href="#cite-1-(\d+)"', html)]
    assert shown == [1, 2, 3]  # numbered in the order they are listed
    assert (
        html.index(esc_text(phrases.CANNOT_ANSWER)) < html.index(esc_text(note)) < html.index(phrases.CLOSEST_PASSAGES)
    )
    assert turn_text(turn(answer)).startswith(f"{phrases.CANNOT_ANSWER} {note}")  # Copy keeps what the documents give
    assert note in conversation_markdown([turn(answer)])


def esc_text(text: str) -> str:
    return text.replace("'", "&#x27;")


def test_the_timing_line_is_folded_away():
    html = reply_html(turn(computed_answer()), 1)
    assert re.search(rf'<details class="timings"><summary>{phrases.UI_TIMING}</summary>12 ms</details>', html)


def test_an_error_turn_and_document_text_are_escaped():
    assert "error-box" in reply_html(turn(None, error="Run `qa ingest` first."), 1)
    answer = computed_answer()
    answer.citations[0].title = '<img src=x onerror="alert(1)">'
    html = sources_html([turn(answer)])
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert 'data-doc="amazon-10-k-2024" data-page="27"' in html and 'data-page=""' in html


# -- Copy and export ---------------------------------------------------------------------------------------------
def test_copy_gives_the_answer_with_numbered_sources_as_plain_text():
    text = turn_text(turn(computed_answer()))
    assert not re.search(r"<[a-z/]", text)  # no HTML
    assert text.startswith("AWS operating income rose by $20,975 million [2] against [1].")
    assert f"{phrases.HOW_COMPUTED}: operating income FY2025 - operating income FY2023" in text
    assert "  operating income (FY2023): $24,631 million [1]" in text
    assert f"[1] {TEN_K}, p. 27, Item 7\n    “AWS 24,631 39,834”" in text
    assert f"[2] {RELEASE}, Segment Information" in text


def test_the_export_is_markdown_with_every_turn_and_its_sources(tmp_path):
    turns = [
        turn(computed_answer(), scope=[TEN_K]),
        turn(None, error="The question is too long."),
        turn(series_answer()),
    ]
    md = conversation_markdown(turns, datetime(2026, 2, 5, 14, 30))
    assert md.startswith(f"# {phrases.UI_EXPORT_TITLE}\n\n") and "2026-02-05 14:30" in md
    assert md.count("## How did AWS operating income change from 2023 to 2025?") == 2
    assert "> The question is too long." in md
    assert "| operating income | FY2023 | $24,631 million | [1] |" in md
    assert f"| **{phrases.UI_RESULT}** | | **$20,975 million** | |" in md
    assert f"1. **{TEN_K}**, p. 27, Item 7\n   > AWS 24,631 39,834" in md
    assert "| FY2025 | $45,606 million | [2] |" in md
    path = write_export(turns)
    assert path.suffix == ".md" and path.read_text(encoding="utf-8").count("## ") == 3


# -- charts ------------------------------------------------------------------------------------------------------
def test_a_figure_over_periods_is_a_line_in_billions():
    chart = chart_of(series_answer(several=True))
    assert chart.kind == "line" and chart.order == ["FY2023", "FY2024", "FY2025"]
    assert chart.x_title == phrases.UI_PERIOD and chart.unit == "USD billions"
    assert [chart.values[("AWS operating income", x)] for x in chart.order] == [24.631, 39.834, 45.606]


def test_the_value_axis_starts_at_zero_and_reaches_past_the_largest_figure():
    assert ticks(80.1, 107.6) == [0, 50, 100, 150]
    assert ticks(-2.8, 29.6)[0] < 0 < ticks(-2.8, 29.6)[-1] and 0 in ticks(-2.8, 29.6)
    assert ticks(6.5, 6.9) == [0, 2, 4, 6, 8]


def test_the_chart_is_drawn_in_the_reply_with_a_tooltip_for_every_point():
    answer = series_answer()
    html = reply_html(turn(answer), 2)
    svg = re.search(r'<svg class="chart-plot".*?</svg>', html).group(0)
    assert "viewBox" not in svg  # the chat's sanitizer drops it: positions are percentages
    zero = re.search(r'<line [^>]*y1="([\d.]+)%"[^>]*stroke="#64748b"', svg)  # the zero line
    bottom = max(float(y) for y in re.findall(r'<line [^>]*y1="([\d.]+)%"', svg))
    assert zero and float(zero.group(1)) == bottom  # nothing is drawn below zero: the axis starts there
    tips = re.findall(r"<circle [^>]*><title>(.*?)</title></circle>", svg)
    assert tips == [
        phrases.UI_CHART_POINT.format(series="AWS operating income", x=p.x, text=p.text, n=p.citation)
        for p in answer.series[0].points
    ]
    assert "USD billions" in html and 'href="#cite-2-2"' in html  # its table links each point
    assert chart_html(computed_answer(), 1) == ""


def test_a_figure_across_segments_is_bars_and_no_series_is_no_chart():
    chart = chart_of(series_answer(x_labels=("North America", "International", "AWS")))
    assert chart.kind == "bar" and chart.x_title == phrases.UI_SEGMENT
    assert chart_of(computed_answer()) is None


def test_the_table_beside_a_chart_links_every_point_to_its_citation():
    answer = series_answer(several=True)
    html = points_table(answer, 4, chart_of(answer))
    rows = re.findall(r"<tr><td>(FY\d{4})</td>(.*?)</tr>", html)
    assert [r[0] for r in rows] == ["FY2023", "FY2024", "FY2025"]
    assert "$45,606 million" in rows[2][1] and 'href="#cite-4-2"' in rows[2][1]
    assert html.count('class="cite"') == 6


# -- table rows as tables ----------------------------------------------------------------------------------------
RELEASE_ROWS = (
    "Segment Information\n(in millions)\nThree Months Ended December 31, Twelve Months Ended December 31, "
    "2024 2025 2024 2025\nAWS\nNet sales $28,786 $35,579 $107,556 $128,725\n"
    "Operating income $10,632 $12,465 $39,834 $45,606\nTotal non-operating income 1,1461,6282117,336\n"
    "Net income $20,004 $21,192 $59,248 $77,670"
)


def test_table_rows_are_laid_out_under_their_column_headings_and_the_quoted_row_is_marked():
    quote = "Operating income $10,632 $12,465 $39,834 $45,606"
    start = RELEASE_ROWS.index(quote)
    html = source_html(RELEASE_ROWS, [(start, start + len(quote))], ["Q4 2024", "Q4 2025", "FY2024", "FY2025"])
    assert "<thead><tr><th></th><th>Q4 2024</th><th>Q4 2025</th><th>FY2024</th><th>FY2025</th></tr></thead>" in html
    assert '<tr class="group"><th colspan="5">AWS</th></tr>' in html
    assert (
        '<tr class="marked"><th scope="row">Operating income</th><td class="num">$10,632</td><td class="num">'
        '$12,465</td><td class="num">$39,834</td><td class="num">$45,606</td></tr>'
    ) in html
    glued = re.search(
        r'<th scope="row">Total non-operating income</th><td class="num glued" colspan="4" '
        r'title="([^"]+)">1,1461,6282117,336</td>',
        html,
    )  # never split by a guess
    assert glued and glued.group(1) == phrases.UI_CELLS_RUN_TOGETHER.replace("'", "&#x27;")
    assert '<div class="src-text">Segment Information\n(in millions)' in html  # the caption stays text


def test_the_sources_panel_shows_a_cited_table_with_its_headings():
    answer = computed_answer()
    answer.citations[1].text = RELEASE_ROWS
    answer.citations[1].quote = "Operating income $10,632 $12,465 $39,834 $45,606"
    answer.citations[1].columns = ["Q4 2024", "Q4 2025", "FY2024", "FY2025"]
    html = sources_html([turn(answer)])
    assert "<th>FY2025</th>" in html and '<tr class="marked"><th scope="row">Operating income</th>' in html
    assert 'data-columns="[&quot;Q4 2024&quot;, &quot;Q4 2025&quot;, &quot;FY2024&quot;, &quot;FY2025&quot;]"' in html


def test_example_questions_are_buttons_showing_the_whole_question():
    question = "How did North America's net sales change from FY2022 to FY2025?"
    assert f'<button class="example" type="button">{esc_text(question)}</button>' in examples_html([question])
    assert examples_html([]) == ""


# -- the evidence viewer -----------------------------------------------------------------------------------------
HEAD = {
    "doc": "amazon-10-k-2024",
    "cited": 27,
    "quote": "AWS 24,631 39,834",
    "section": "Item 7",
    "n": "1",
    "title": TEN_K,
    "columns": "",
}


def rendered(n: int) -> RenderedPage:
    return RenderedPage(png=b"\x89PNG fake", width=1224, height=1584, page=n, pages=89, text="", boxes=[])


def page_html(head, page, mark, token: str = "") -> str:
    return Evidence(None, links=LinkSigner(token, 600)).page_html(head, page, mark)


def section_html(head, view) -> str:
    return Evidence(None).frame_html(head, "", section_body(head, view), "")


def test_the_page_view_lays_the_highlight_over_the_image_in_percent():
    html = page_html(HEAD, rendered(27), Highlight([Box(0.05, 0.32, 0.96, 0.335)], lines=1, found=1))
    assert 'src="api/documents/amazon-10-k-2024/pages/27"' in html  # the image by its link: the browser caches it
    assert '<span class="hl" style="left:5.000%;top:32.000%;width:91.000%;height:1.500%"></span>' in html
    assert phrases.UI_PAGE_OF.format(page=27, pages=89) in html and phrases.UI_CITED_PAGE in html
    assert 'href="api/documents/amazon-10-k-2024/file#page=27"' in html
    assert 'data-go="26"' in html and 'data-go="28"' in html and "viewer-note" not in html


def test_under_a_token_the_viewer_opens_the_page_and_the_original_by_signed_links():
    html = page_html(HEAD, rendered(27), None, token="s3cret")
    image = re.search(r'<img class="page-image" src="([^"]+)"', html).group(1).replace("&amp;", "&")
    original = re.search(r'class="viewer-open" href="([^"#]+)#page=27"', html).group(1).replace("&amp;", "&")
    signer = LinkSigner("s3cret", 600)
    for link, path in ((image, "/documents/amazon-10-k-2024/pages/27"), (original, "/documents/amazon-10-k-2024/file")):
        params = dict(p.split("=") for p in link.split("?")[1].split("&"))
        assert link.startswith("api" + path + "?")
        assert signer.valid(path, params["expires"], params["signature"])
        assert not signer.valid("/documents/other/file", params["expires"], params["signature"])
        assert not LinkSigner("guess", 600).valid(path, params["expires"], params["signature"])
        assert not signer.valid(path, params["expires"], params["signature"], now=int(params["expires"]) + 1)
    assert "s3cret" not in html


def test_the_quoted_lines_are_enlarged_without_the_blank_between_a_label_and_its_figures():
    focus = Focus(top=0.30, bottom=0.36, slices=((0.05, 0.25), (0.55, 0.97)), text_height=0.008)
    mark = Highlight([Box(0.06, 0.32, 0.96, 0.335)], lines=1, found=1, focus=focus)
    html = page_html(HEAD, rendered(27), mark)
    slices = re.findall(
        r'<div class="focus-slice" style="width:calc\(\(100% - 6px\) \* ([\d.]+)\);aspect-ratio:'
        r'([\d.]+) / ([\d.]+)"><img src="api/documents/amazon-10-k-2024/pages/27"',
        html,
    )
    assert [float(w) for w, _, _ in slices] == [0.3226, 0.6774]  # each as wide as the stretch of page it shows
    assert all(float(h) == pytest.approx(0.06 * 1584, abs=0.1) for _, _, h in slices)
    assert html.count('class="hl"') == 3  # the row's box on the page, and its two parts in the enlarged view
    readable = float(re.search(r"min-width:(\d+)px", html).group(1))
    assert readable == pytest.approx(0.62 * 15 / (0.008 * 1584 / 1224) + 6, abs=1)


def test_a_quote_not_located_gives_a_note_and_no_highlight():
    html = page_html(HEAD, rendered(27), Highlight([], lines=1, found=0))
    assert phrases.UI_QUOTE_NOT_LOCATED in html and 'class="hl"' not in html
    partial = page_html(HEAD, rendered(27), Highlight([Box(0.1, 0.1, 0.2, 0.12)], lines=2, found=1))
    assert phrases.UI_QUOTE_PARTLY_LOCATED in partial


def test_the_first_and_last_pages_cannot_be_turned_past():
    assert re.search(r'data-go="0" disabled', page_html(HEAD, rendered(1), None))
    assert re.search(r'data-go="90" disabled', page_html(HEAD, rendered(89), None))
    assert phrases.UI_CITED_PAGE not in page_html(HEAD, rendered(28), None)


def test_the_section_view_marks_the_quote_or_says_the_original_changed():
    html = section_html(
        dict(HEAD, doc="notes", cited=None),
        SectionView("Results", "Revenue grew <38%> this year.\nCosts fell.", [(0, 29)], clipped_after=True),
    )
    assert "<mark>Revenue grew &lt;38%&gt; this year.</mark>" in html and phrases.UI_SECTION_CLIPPED in html
    assert 'href="api/documents/notes/file"' in html
    assert phrases.UI_PASSAGE_NOT_IN_ORIGINAL in section_html(HEAD, None)


# -- qa ask ------------------------------------------------------------------------------------------------------
class StubAssistant:
    def __init__(self, answer: Answer):
        self.answer = answer

    def ask(self, question, k=None, doc_ids=None):
        return self.answer


def test_qa_ask_prints_the_computation_and_the_series(monkeypatch, capsys):
    monkeypatch.setattr(cli, "_assistant", lambda args: StubAssistant(series_answer()))
    assert cli.main(["ask", "How did AWS operating income change from 2023 to 2025?"]) == 0
    out = capsys.readouterr().out
    assert f"{phrases.HOW_COMPUTED}: operating income FY2025 - operating income FY2023" in out
    assert re.search(r"^  operating income \(FY2023\)\s+\$24,631 million  \[1\]$", out, re.M)
    assert re.search(r"^  =\s+\$20,975 million$", out, re.M)
    assert re.search(r"^AWS operating income:\n  FY2023\s+\$24,631 million  \[1\]$", out, re.M)
    assert re.search(r"^  FY2025\s+\$45,606 million  \[2\]$", out, re.M)


@pytest.mark.parametrize("refused", [False, True])
def test_the_sources_panel_groups_passages_by_answer(refused):
    answer = computed_answer()
    answer.refused = refused
    html = sources_html([turn(answer), turn(answer)])
    assert html.count("<details") == 2 and html.count(" open>") == 1
    assert html.index('id="cite-2-1"') < html.index('id="cite-1-1"')


@pytest.mark.slow
def test_follow_up_suggestions_come_from_the_query_and_the_facts_held(real_assistant):
    from ui.suggestions import follow_ups

    answer = real_assistant.ask("What was AWS operating income in 2024?")
    suggestions = follow_ups(real_assistant, answer)
    assert 2 <= len(suggestions) <= 3 and len(set(suggestions)) == len(suggestions)
    assert (
        phrases.SUGGEST_TREND.format(who="AWS's", metric="operating income", first="FY2022", last="FY2025")
        in suggestions
    )  # the documents state it for FY2022 to FY2025
    assert any("FY2024" not in s and "FY2025" in s for s in suggestions)  # another period than the one asked
    assert follow_ups(real_assistant, real_assistant.ask("What was Google Cloud's revenue?")) == []
