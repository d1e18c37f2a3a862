"""Pick a loader by file type, checked against the file's content, and turn any file into sections."""

from __future__ import annotations

from pathlib import Path

from assistant import phrases
from assistant.errors import FileTooLarge, LoadError, UnsupportedFile
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown, load_text
from ingest.loaders.pdf import load_pdf

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
            ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}

__all__ = ["LoadedFile", "Section", "SUFFIXES", "detect_format", "load_file", "decode_text"]


def detect_format(name: str, head: bytes) -> str:
    """The format of a file from its name, confirmed by its first bytes; raises for anything else."""
    suffix = Path(name).suffix.lower()
    declared = SUFFIXES.get(suffix)
    if head.startswith(b"%PDF-"):
        if declared not in (None, "pdf"):
            raise UnsupportedFile(f"{name!r} is a PDF but is named {suffix!r}.")
        return "pdf"
    if declared is None:
        raise UnsupportedFile(phrases.UNSUPPORTED_FILE.format(name=name))
    if declared == "pdf":
        raise LoadError(f"{name!r} has a .pdf name but is not a PDF (it does not start with %PDF-).")
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(f"{name!r} is a binary file, not {declared} text.")
    if declared == "text" and head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return declared


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise LoadError(f"{name!r} is not readable text (not UTF-8 and not Windows-1252).")
    return text


def load_file(path: Path, max_mb: int = 100) -> tuple[LoadedFile, str]:
    """Load any supported file; returns the sections and the detected format. Raises a QAError subclass on failure."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise FileTooLarge(phrases.FILE_TOO_LARGE.format(name=path.name, size_mb=size / 2**20, limit_mb=max_mb))
        if size == 0:
            raise LoadError(f"{path.name!r} is empty.")
        with path.open("rb") as fh:
            head = fh.read(8192)
        fmt = detect_format(path.name, head)
        if fmt == "pdf":
            loaded = load_pdf(path)
        else:
            text = decode_text(path.read_bytes(), path.name)
            loaded = {"markdown": load_markdown, "text": load_text, "html": load_html}[fmt](text)
    except OSError as exc:
        raise LoadError(f"{path.name!r} cannot be read ({exc.strerror or exc}).") from exc
    except RecursionError as exc:
        raise LoadError(f"{path.name!r} is nested too deeply to parse.") from exc
    if not loaded.sections or loaded.text_length < 20:
        raise LoadError(f"{path.name!r} has no extractable text (a scanned PDF needs OCR first).")
    return loaded, fmt
