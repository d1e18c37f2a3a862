"""PDF: one section per page (1-based page numbers), SEC 'Item N.' headings carried across pages; words that
pdfium reads apart (ligatures, line-end hyphens) mended (`ingest/loaders/pdf_text.py`)."""

from __future__ import annotations

import re

from assistant.contract.errors import LoadError
from ingest.loaders.pdfium_lock import PDFIUM_LOCK
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.pdf_layout import LayoutTable, lines_of, page_words, read_tables
from ingest.loaders.pdf_text import mend
from ingest.loaders.vertical_tables import relayout
from assistant.text import is_table_row

_ITEM = re.compile(r"^(Item\s+\d+[A-C]?\.)\s*(.{3,90})$", re.IGNORECASE)
_PART = re.compile(r"^PART\s+(I{1,3}|IV)\b", re.IGNORECASE)
_FURNITURE = re.compile(r"^(Table of Contents|\d{1,3})$")
MIN_TABLE_ROWS = 2  # table rows a page's text must have before its words are measured for columns


WORD_PER_LINE = 1.6  # average words a line below which a page's text lost its lines


def _word_per_line(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return len(lines) >= 40 and sum(len(ln.split()) for ln in lines) / len(lines) < WORD_PER_LINE


def load_pdf(path) -> LoadedFile:
    """Extract page texts with pdfium; owner-encrypted PDFs open, password-protected ones are reported."""
    with PDFIUM_LOCK:
        return _load_pdf(path)


def _load_pdf(path) -> LoadedFile:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise LoadError(f"{path.name}: not a readable PDF ({exc})") from exc
    try:
        props = {k: v for k, v in doc.get_metadata_dict().items() if v}
        sections, heading, part = [], "", ""
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            words = None
            if _word_per_line(text):  # a page whose text gives one word a line: its lines as printed instead
                words = page_words(textpage)
                text = "\n".join(" ".join(w.text for w in line) for line in lines_of(words))
            text = relayout(mend(text))
            lines = [ln.strip() for ln in text.split("\n")]
            kept = []
            for line in lines:
                if _FURNITURE.match(line):
                    continue
                if _PART.match(line):
                    part = line.split()[0].title() + " " + line.split()[1].upper()
                item = _ITEM.match(line)
                if item and not line.endswith(tuple("0123456789")):
                    heading = f"{part + ', ' if part else ''}{item.group(1).title()} {item.group(2).strip()}"
                kept.append(line)
            body = "\n".join(kept).strip()
            if body:
                rows = sum(is_table_row(line) for line in kept)
                layout = (
                    [_mended(t) for t in read_tables(words or page_words(textpage))] if rows >= MIN_TABLE_ROWS else []
                )
                sections.append(Section(text=body, page=index + 1, heading=heading, layout=layout))
    finally:
        doc.close()
    return LoadedFile(sections=sections, title=props.get("Title", ""), properties=props)


def _mended(table: LayoutTable) -> LayoutTable:
    """A page table with its headings and row labels mended like the page text."""
    table.headings = [mend(h) for h in table.headings]
    for row in table.rows:
        row.label = mend(row.label)
    return table
