"""What every loader returns: the text of a file as sections with their page and heading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    """A run of text from one page (PDF) or under one heading (Markdown, HTML); a PDF page also carries the tables
    read from where its words sit (`ingest/loaders/pdf_layout.py`), which fix each figure's column."""

    text: str
    page: int | None = None
    heading: str = ""
    layout: list[Any] = field(default_factory=list)  # LayoutTable


@dataclass
class LoadedFile:
    """A parsed file: its sections plus any title and metadata the file itself states."""

    sections: list[Section]
    title: str = ""
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def text_length(self) -> int:
        return sum(len(s.text) for s in self.sections)
