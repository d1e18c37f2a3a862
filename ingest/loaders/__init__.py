"""Pick a loader by file type, checked against the file's content, and turn any file into sections."""

from __future__ import annotations

from pathlib import Path

from assistant.contract import phrases
from assistant.contract.errors import FileTooLarge, LoadError, UnsupportedFile
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.formats import PDF_MAGIC, SUFFIXES, format_named, format_names
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown, load_text
from ingest.loaders.pdf import load_pdf

TEXT_LOADERS = {"markdown": load_markdown, "text": load_text, "html": load_html}  # the PDF loader reads the file

__all__ = ["LoadedFile", "Section", "SUFFIXES", "detect_format", "load_file", "decode_text"]


def detect_format(name: str, head: bytes) -> str:
    """The format of a file from its name, confirmed by its first bytes; raises for anything else."""
    suffix = Path(name).suffix.lower()
    declared = format_named(suffix)
    if head.startswith(PDF_MAGIC):
        if declared is not None and declared.key != "pdf":
            raise UnsupportedFile(phrases.PDF_MISNAMED.format(name=name, suffix=suffix))
        return "pdf"
    if declared is None:
        raise UnsupportedFile(phrases.UNSUPPORTED_FILE.format(name=name, formats=format_names()))
    if declared.binary:
        raise LoadError(phrases.NOT_A_PDF_FILE.format(name=name))
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(phrases.BINARY_FILE.format(name=name, format=declared.name))
    if declared.key == "text" and head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return declared.key


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
        raise LoadError(phrases.UNREADABLE_TEXT.format(name=name))
    return text


def load_file(path: Path, max_mb: int = 100) -> tuple[LoadedFile, str]:
    """Load any supported file; returns the sections and the detected format. Raises a QAError subclass on failure."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise FileTooLarge(phrases.FILE_TOO_LARGE.format(name=path.name, size_mb=size / 2**20, limit_mb=max_mb))
        if size == 0:
            raise LoadError(phrases.EMPTY_FILE.format(name=path.name))
        with path.open("rb") as fh:
            head = fh.read(8192)
        fmt = detect_format(path.name, head)
        if fmt == "pdf":
            loaded = load_pdf(path)
        else:
            text = decode_text(path.read_bytes(), path.name)
            loaded = TEXT_LOADERS[fmt](text)
    except OSError as exc:
        raise LoadError(phrases.CANNOT_READ_FILE.format(name=path.name, reason=exc.strerror or exc)) from exc
    except RecursionError as exc:
        raise LoadError(phrases.NESTED_TOO_DEEP.format(name=path.name)) from exc
    if not loaded.sections or loaded.text_length < 20:
        raise LoadError((phrases.NO_TEXT_IN_PDF if fmt == "pdf" else phrases.NO_TEXT).format(name=path.name))
    return loaded, fmt
