"""The page renderer on the real 10-K PDF: a quote is found by its characters and highlighted where pdfium's own
text search puts it, pages are rendered one at a time within the size limit, the cache stays bounded, and
originals are served only from the documents' own folders."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from assistant.contract import phrases
from assistant.config import Settings
from assistant.contract.errors import UnknownDocument
from assistant.pages import (
    FOCUS_MIN_WIDTH,
    MAX_PNG_BYTES,
    Box,
    PageNotFound,
    PageRenderer,
    SectionReader,
    focus_of,
    line_boxes,
    locate,
    original_file,
)
from assistant.contract.types import DocumentInfo
from conftest import CORPUS

TEN_K = (CORPUS / "amazon_10-k_2024.pdf").resolve()
ROW = "AWS 24,631 39,834"  # page 27: the segment operating income row, as the chunker lays it out
PROSE = (
    "Other operating expense (income), net was $767 million and $763 million during 2023 and 2024, and was "
    "primarily related to asset impairments and the amortization of intangible assets."
)


@pytest.fixture(scope="module")
def renderer():
    return PageRenderer()


def pdfium_boxes(n: int, token: str) -> list[tuple[float, float, float, float]]:
    """Every occurrence of `token` on page n, found by pdfium's text search, as (left, top, right, bottom) fractions
    of the page (computed from the page size, independently of the renderer)."""
    import pypdfium2 as pdfium

    from ingest.loaders.pdfium_lock import PDFIUM_LOCK

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(TEN_K))
        page = doc[n - 1]
        width, height = page.get_size()
        text = page.get_textpage()
        found, searcher = [], text.search(token, match_case=True)
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [text.get_charbox(i) for i in range(start, start + count)]
            left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
            right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
            found.append((left / width, 1 - top / height, right / width, 1 - bottom / height))
        searcher.close()
        text.close()
        page.close()
        doc.close()
    return found


def inside(box: tuple[float, float, float, float], boxes: list[Box]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(b.left <= cx <= b.right and b.top <= cy <= b.bottom for b in boxes)


# -- finding a quote ---------------------------------------------------------------------------------------------
def test_locate_compares_characters_without_spaces_and_reports_each_line():
    text = "Operating Income (Loss)\r\nAWS\r\n24,631\r\n$ 39,834\r\nConsolidated"
    spans, lines, found = locate(text, "AWS 24,631 39,834\nnot on this page at all")
    assert (lines, found) == (2, 1)
    assert [text[a:b] for a, b in spans] == ["AWS\r\n24,631\r\n$ 39,834"]
    assert locate(text, "AW\n \n") == ([], 0, 0)  # too short to place anywhere: nothing searched
    assert locate("third\x02party and third-party", "third\ufffeparty")[2] == 1  # pdfium's hyphen marks


def test_locate_finds_every_occurrence():
    spans, lines, found = locate("net sales 10 ... net sales 10", "net sales 10")
    assert (len(spans), lines, found) == (2, 1, 1)


def test_character_boxes_merge_into_one_box_per_line():
    chars = [
        (0.10, 0.20, 0.12, 0.22),
        None,
        (0.13, 0.20, 0.15, 0.22),  # first line
        (0.05, 0.23, 0.07, 0.25),
        (0.08, 0.23, 0.1, 0.25),
    ]  # the next line, starting further left
    assert line_boxes(chars) == [Box(0.10, 0.20, 0.15, 0.22), Box(0.05, 0.23, 0.10, 0.25)]


# -- rendering ---------------------------------------------------------------------------------------------------
def test_a_page_is_a_small_png(renderer):
    page = renderer.page(TEN_K, 27)
    image = Image.open(io.BytesIO(page.png))
    assert image.format == "PNG" and image.size == (page.width, page.height)
    assert max(image.size) <= 1600 and len(page.png) <= MAX_PNG_BYTES
    assert (page.page, page.pages) == (27, 89)
    assert "Operating Income (Loss)" in page.text and len(page.boxes) == len(page.text)


@pytest.mark.parametrize("quote, tokens", [(ROW, ["24,631", "39,834"]), (PROSE, ["$767", "impairments"])])
def test_the_highlight_lies_on_the_quoted_characters(renderer, quote, tokens):
    page = renderer.page(TEN_K, 27)
    mark = renderer.highlight(page, quote)
    assert mark.state == "found" and mark.boxes
    for token in tokens:
        hits = pdfium_boxes(27, token)
        assert hits and any(inside(hit, mark.boxes) for hit in hits), token
    # every highlight box covers some of the quote, none sits elsewhere
    quoted = [hit for token in quote.split() for hit in pdfium_boxes(27, token)]
    for box in mark.boxes:
        assert any(inside(hit, [box]) for hit in quoted), box


def test_the_enlarged_view_holds_the_quoted_row_without_the_blank_between_its_label_and_figures(renderer):
    page = renderer.page(TEN_K, 27)
    mark = renderer.highlight(page, ROW)
    focus = mark.focus
    label, figure = pdfium_boxes(27, "AWS"), pdfium_boxes(27, "39,834")
    row = mark.boxes
    assert focus.top < min(b.top for b in row) and focus.bottom > max(b.bottom for b in row)  # lines of context
    assert focus.bottom - focus.top < 0.1  # a band of the page, not the page

    def shown(box) -> bool:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return focus.top <= cy <= focus.bottom and any(a <= cx <= b for a, b in focus.slices)

    assert any(shown(b) and inside(b, row) for b in label) and any(shown(b) and inside(b, row) for b in figure)
    assert len(focus.slices) >= 2  # the blank between the row's label and its figures is left out
    assert sum(b - a for a, b in focus.slices) < (focus.slices[-1][1] - focus.slices[0][0])


def test_a_short_quote_is_enlarged_with_some_of_the_line_around_it():
    focus = focus_of([(0.50, 0.40, 0.52, 0.41), (0.52, 0.40, 0.54, 0.41)])
    ((left, right),) = focus.slices
    assert right - left == pytest.approx(FOCUS_MIN_WIDTH, abs=0.03) and left < 0.5 and right > 0.54
    assert focus_of([]) is None


def test_the_png_route_draws_the_highlight_and_leaves_other_pixels(renderer):
    plain, page, _ = renderer.png(TEN_K, 27)
    drawn, _, mark = renderer.png(TEN_K, 27, ROW)
    assert drawn != plain
    box = mark.boxes[0]
    spot = (int(box.left * page.width) + 2, int((box.top + box.bottom) / 2 * page.height))
    before = Image.open(io.BytesIO(plain)).convert("RGB").getpixel(spot)
    after = Image.open(io.BytesIO(drawn)).convert("RGB").getpixel(spot)
    assert after[2] < before[2] - 40 and after[0] > 180  # yellow where it was white or light
    corner = (5, 5)
    assert Image.open(io.BytesIO(drawn)).convert("RGB").getpixel(corner) == Image.open(io.BytesIO(plain)).convert(
        "RGB"
    ).getpixel(corner)


def test_a_quote_that_is_not_on_the_page_is_not_highlighted(renderer):
    png, page, mark = renderer.png(TEN_K, 28, ROW)
    assert mark.state == "missing" and not mark.boxes
    assert png == page.png


def test_pages_render_one_at_a_time_and_the_cache_is_bounded():
    renderer = PageRenderer(cache_size=3)
    first = renderer.page(TEN_K, 5)
    assert renderer.page(TEN_K, 5) is first  # from the cache
    assert len(renderer.cache) == 2  # the page count and that one page, not the whole file
    for n in range(6, 12):
        renderer.page(TEN_K, n)
    assert len(renderer.cache) == 3
    assert renderer.page(TEN_K, 5) is not first  # evicted, rendered again


@pytest.mark.parametrize("n", [0, -1, 90, 10_000])
def test_a_page_out_of_range_is_a_404(renderer, n):
    with pytest.raises(PageNotFound) as info:
        renderer.page(TEN_K, n)
    assert info.value.status == 404
    assert info.value.message == phrases.PAGE_OUT_OF_RANGE.format(page=n, pages=89)


# -- which files may be shown ------------------------------------------------------------------------------------
@pytest.fixture
def folders(tmp_path):
    settings = Settings.from_env(
        store_path=tmp_path / "store", upload_dir=tmp_path / "uploads", corpus_dir=tmp_path / "corpus", chroma_url=""
    )
    for folder in (settings.store.upload_dir, settings.store.corpus_dir):
        folder.mkdir()
    (settings.store.upload_dir / "notes.md").write_text("# Notes\n\nHello.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not a document", encoding="utf-8")
    return settings


def docs_with(**sources: str) -> dict[str, DocumentInfo]:
    return {doc_id: DocumentInfo(doc_id, doc_id, "", "", "", 1, source=source) for doc_id, source in sources.items()}


def test_an_uploaded_or_bundled_original_is_served(folders):
    path = original_file(docs_with(notes=str(folders.store.upload_dir / "notes.md")), "notes", folders)
    assert path == (folders.store.upload_dir / "notes.md").resolve()


@pytest.mark.parametrize(
    "source", ["{tmp}/secret.txt", "{uploads}/../secret.txt", "/etc/passwd", "", "{uploads}/gone.md", "{uploads}"]
)
def test_no_file_outside_the_document_folders_is_served(folders, source):
    tmp, uploads = folders.store.upload_dir.parent, folders.store.upload_dir
    docs = docs_with(doc=source.format(tmp=tmp, uploads=uploads))
    with pytest.raises(PageNotFound) as info:
        original_file(docs, "doc", folders)
    assert info.value.status == 404 and info.value.message == phrases.ORIGINAL_UNAVAILABLE.format(doc_id="doc")


def test_a_link_out_of_the_upload_folder_is_refused(folders):
    link = folders.store.upload_dir / "link.txt"
    os.symlink(folders.store.upload_dir.parent / "secret.txt", link)
    with pytest.raises(PageNotFound):
        original_file(docs_with(doc=str(link)), "doc", folders)


def test_an_unknown_document_is_a_404(folders):
    with pytest.raises(UnknownDocument) as info:
        original_file({}, "nope", folders)
    assert info.value.status == 404 and info.value.message == phrases.UNKNOWN_DOCUMENT.format(doc_id="nope")


# -- text documents ----------------------------------------------------------------------------------------------
def test_the_section_around_a_markdown_quote(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Notes\n\nIntro text.\n\n## Results\n\nRevenue grew 38% to $9.9 billion.\nCosts fell.\n\n"
        "## Outlook\n\nMore next year.\n",
        encoding="utf-8",
    )
    view = SectionReader().around(path, "Results", "Revenue grew 38% to\n$9.9 billion.")
    assert "Results" in view.heading and "Costs fell." in view.text and "More next year" not in view.text
    assert [view.text[a:b] for a, b in view.spans] == ["Revenue grew 38% to", "$9.9 billion."]
    assert SectionReader().around(path, "Results", "A sentence this file never had.") is None


def test_a_long_section_is_clipped_around_the_quote(tmp_path):
    filler = "".join(f"Line {i} of the long section goes on for a while.\n" for i in range(400))
    path = tmp_path / "long.txt"
    path.write_text(f"Long report\n\n{filler}The quoted sentence sits here.\n{filler}", encoding="utf-8")
    view = SectionReader().around(path, "", "The quoted sentence sits here.")
    assert view.clipped_before and view.clipped_after and len(view.text) < 6000
    assert [view.text[a:b] for a, b in view.spans] == ["The quoted sentence sits here."]
