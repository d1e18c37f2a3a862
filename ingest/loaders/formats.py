"""The one registry of supported file formats: the suffixes that name each, how its content is recognised, the
suffix an upload is saved with, how an original is served back, and the name users read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str  # 'pdf'
    name: str  # what users read: 'PDF'
    suffixes: tuple[str, ...]  # the file names it is recognised by, lower case
    saved_as: str  # the suffix an upload of this format is stored with
    media_type: str  # how the original is served back (text formats as inert plain text)
    binary: bool = False


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("markdown", "Markdown", (".md", ".markdown"), ".md", "text/plain; charset=utf-8"),
        Format("text", "text", (".txt", ".text"), ".txt", "text/plain; charset=utf-8"),
        Format("html", "HTML", (".html", ".htm", ".xhtml"), ".html", "text/plain; charset=utf-8"),
        Format("pdf", "PDF", (".pdf",), ".pdf", "application/pdf", binary=True),
    )
}
SUFFIXES: dict[str, str] = {suffix: f.key for f in FORMATS.values() for suffix in f.suffixes}
PDF_MAGIC = b"%PDF-"


def format_named(suffix: str) -> Format | None:
    """The format a file suffix names ('.PDF' -> PDF), or None."""
    key = SUFFIXES.get(suffix.lower())
    return FORMATS[key] if key else None


def upload_suffixes() -> list[str]:
    """Every suffix a file picker should accept."""
    return sorted(SUFFIXES)


def format_names() -> str:
    """'Markdown, text, HTML or PDF'."""
    names = [f.name for f in FORMATS.values()]
    return ", ".join(names[:-1]) + " or " + names[-1]
