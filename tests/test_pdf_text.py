"""Words pdfium reads apart are mended: ligatures that read as 'f' and a space, and line-end hyphens that read as
U+FFFE. Unit tests on the mender with the real word list, then real pages: the default corpus's 10-K (line-end
hyphens) and, where the shared pool of filings is present, a 10-K page whose 'ff' ligatures pdfium splits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.pages import PageRenderer
from ingest.loaders import load_file
from ingest.loaders.pdf_text import ligature_gaps, mend
from tests.conftest import CORPUS

POOL_PAGE = (
    Path(__file__).resolve().parents[2] / "shared" / "sources" / "financebench" / "pdfs" / "3M_2022_10K.pdf",
    11,
)


@pytest.mark.parametrize(
    "read, meant",
    [
        ("grow ef iciently", "grow efficiently"),
        ("new of erings", "new offerings"),
        ("rates may af ect the", "rates may affect the"),
        ("Chief Financial Of icer", "Chief Financial Officer"),
        ("Ef ects of exchange rates", "Effects of exchange rates"),
    ],
)
def test_a_ligature_gap_inside_a_word_is_closed(read, meant):
    assert mend(read) == meant


@pytest.mark.parametrize("text", ["tens of tens of millions", "a tariff on imports", "half of it", "of set"])
def test_two_words_after_an_f_stay_apart(text):
    assert mend(text) == text and ligature_gaps(text) == []


@pytest.mark.parametrize(
    "read, meant",
    [
        ("the second\ufffequarter results", "the second-quarter results"),  # both halves are words
        ("to run effi\ufffeciently", "to run efficiently"),  # a word cut at the line end
        ("non\ufffeGAAP measures", "non-GAAP measures"),  # together not a word: the hyphen stays
        ("a soft hy\u00adphen", "a soft hyphen"),
    ],
)
def test_a_line_end_hyphen_is_restored_or_removed(read, meant):
    assert mend(read) == meant


def test_the_10k_reads_its_line_end_hyphens_as_hyphens():
    loaded, _fmt = load_file(CORPUS / "amazon_10-k_2024.pdf")
    pages = {s.page: s.text for s in loaded.sections}
    assert "e-commerce" in pages[15] and "third-party sellers" in pages[24]
    assert not any("\ufffe" in text for text in pages.values())


@pytest.mark.skipif(not POOL_PAGE[0].exists(), reason="the shared pool of filings is not on this machine")
def test_a_filing_page_with_ff_ligatures_reads_whole_words_and_its_quote_is_highlighted():
    path, n = POOL_PAGE
    loaded, _fmt = load_file(path)
    text = next(s.text for s in loaded.sections if s.page == n)
    quote = next(line for line in text.split("\n") if "may affect the" in line)
    assert "af ect" not in text and "rates may affect the" in quote
    renderer = PageRenderer()
    mark = renderer.highlight(renderer.page(path, n), quote)
    assert mark.state == "found" and mark.boxes
