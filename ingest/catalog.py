"""Document metadata: a `catalog.json` beside the files when there is one, else inferred from the file itself."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import LoadedFile

CATALOG_NAME = "catalog.json"


@dataclass
class DocMeta:
    doc_id: str
    title: str
    company: str
    doc_type: str
    period: str


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name: 'amazon_10-k_2024.pdf' -> 'amazon-10-k-2024'."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")
    return slug[:80] or "document"


def read_catalog(folder: Path) -> dict[str, dict]:
    path = Path(folder) / CATALOG_NAME
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def describe(path: Path, loaded: LoadedFile, catalog: dict[str, dict] | None = None) -> DocMeta:
    """Catalog entry first; otherwise the document type and period from the file's own words."""
    entry = (catalog or {}).get(Path(path).name, {})
    subject = loaded.properties.get("Subject", "")
    return DocMeta(
        doc_id=entry.get("doc_id") or doc_id_for(path),
        title=entry.get("title") or _title(path, loaded),
        company=entry.get("company", ""),
        doc_type=entry.get("doc_type") or _doc_type(path.name + " " + subject),
        period=entry.get("period") or _period(subject),
    )


def _title(path: Path, loaded: LoadedFile) -> str:
    title = loaded.title.strip()
    if not title or re.fullmatch(r"[\d-]+", title):  # EDGAR PDFs carry the accession number as title
        title = Path(path).stem.replace("_", " ").replace("-", " ")
    return title[:160]


def _doc_type(text: str) -> str:
    lowered = text.lower()
    for pattern, name in ((r"10-?k", "10-K"), (r"10-?q", "10-Q"), (r"20-?f", "20-F"), (r"8-?k", "8-K"),
                          (r"earnings|results|release", "earnings release"), (r"annual.report", "annual report")):
        if re.search(pattern, lowered):
            return name
    return "document"


def _period(subject: str) -> str:
    match = re.search(r"period ending (\d{4}-\d{2}-\d{2})", subject)
    return f"period ending {match.group(1)}" if match else ""
