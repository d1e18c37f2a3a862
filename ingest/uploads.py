"""Uploaded files: size-limited, type checked by content, saved under a sanitised name in the upload folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from assistant.contract import phrases
from assistant.contract.errors import FileTooLarge, LoadError
from ingest.loaders import detect_format
from ingest.loaders.formats import FORMATS


def safe_filename(name: str) -> str:
    """Only the last path component, ASCII letters, digits, dot, dash and underscore; never hidden or empty."""
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    name = re.split(r"[\\\\/]", name)[-1]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return name[:120] or "upload"


def save_upload(folder: Path, filename: str, data: bytes, max_mb: int) -> Path:
    """Check and store an upload; returns the saved path. Raises FileTooLarge, UnsupportedFile or LoadError."""
    name = safe_filename(filename)
    if len(data) > max_mb * 1024 * 1024:
        raise FileTooLarge(phrases.FILE_TOO_LARGE.format(name=name, size_mb=len(data) / 2**20, limit_mb=max_mb))
    if not data:
        raise LoadError(phrases.EMPTY_FILE.format(name=name))
    fmt = detect_format(name, data[:8192])
    stem = Path(name).stem or "upload"
    path = Path(folder) / (stem + FORMATS[fmt].saved_as)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
