"""Loaders: every format to sections with page/heading metadata; bad files give clear errors."""

import pytest

from assistant.contract.errors import FileTooLarge, LoadError, UnsupportedFile
from ingest.loaders import load_file
from tests.conftest import CORPUS


def test_markdown_sections_follow_headings_and_drop_images(tiny_corpus):
    loaded, fmt = load_file(tiny_corpus / "cloud-notes.md")
    assert fmt == "markdown"
    assert loaded.title == "Cloud notes"
    assert [s.heading for s in loaded.sections] == ["Cloud notes", "Outlook"]
    assert "example.invalid" not in " ".join(s.text for s in loaded.sections)


def test_article_drops_trailing_related_post_image():
    loaded, _ = load_file(CORPUS / "alibaba-cloud-vs-aws-2026.md")
    text = " ".join(s.text for s in loaded.sections)
    assert "38% year-over-year growth" in text
    assert "wp.com" not in text and "![" not in text


def test_html_filing_drops_hidden_xbrl_and_keeps_heading_and_table(tiny_corpus):
    loaded, fmt = load_file(tiny_corpus / "filing.htm")
    text = "\n".join(s.text for s in loaded.sections)
    assert fmt == "html"
    assert "HIDDEN XBRL" not in text
    assert loaded.title == "Acme 10-K"
    assert any(s.heading.startswith("Item 7.") for s in loaded.sections)
    assert "| Net sales | 480 | 512 |" in text


def test_encrypted_10k_pdf_opens_with_page_numbers():
    loaded, fmt = load_file(CORPUS / "amazon_10-k_2024.pdf")
    assert fmt == "pdf"
    pages = {s.page: s for s in loaded.sections}
    assert len(loaded.sections) >= 85 and min(pages) == 1
    assert "AWS sales increased 19% in 2024" in pages[25].text
    assert "Management’s Discussion" in pages[25].heading or "Management's Discussion" in pages[25].heading
    assert loaded.properties["Subject"].startswith("Form 10-K")


@pytest.mark.parametrize(
    "name,content,error",
    [
        ("empty.md", b"", LoadError),
        ("fake.pdf", b"this is not a pdf at all", LoadError),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n", LoadError),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, LoadError),
        ("slides.pptx", b"PK\x03\x04 zip data", UnsupportedFile),
        ("note.exe", b"MZ\x90\x00", UnsupportedFile),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as info:
        load_file(path)
    assert name in info.value.message


def test_non_utf8_text_is_decoded(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 revenue rose 12% in the year to the end of March.".encode("cp1252"))
    loaded, _ = load_file(path)
    assert "Café revenue rose 12%" in loaded.sections[0].text


def test_file_over_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (2 * 1024 * 1024))
    with pytest.raises(FileTooLarge):
        load_file(path, max_mb=1)


def test_moderately_nested_html_is_parsed(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text(
        "<html><body>" + "<div>" * 500 + "Deep text about revenue growth of 5%." + "</div>" * 500 + "</body></html>"
    )
    loaded, _ = load_file(path)
    assert "Deep text about revenue growth" in " ".join(s.text for s in loaded.sections)


def test_html_bomb_nesting_is_refused_quickly(tmp_path):
    import time

    path = tmp_path / "bomb.html"
    path.write_text("<div>" * 200_000 + "x" + "</div>" * 200_000)
    start = time.perf_counter()
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert "nested more than" in info.value.message
    assert time.perf_counter() - start < 5


def test_a_page_whose_text_lost_its_lines_is_detected():
    from ingest.loaders.pdf import _word_per_line

    assert _word_per_line(
        "\n".join(["UNITED", "STATES", "SECURITIES", "AND", "EXCHANGE", "COMMISSION", "Washington", "D.C."] * 6)
    )
    assert not _word_per_line("\n".join(["Net sales rose 12% to $4.2 billion in the year."] * 60))
