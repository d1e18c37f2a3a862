"""What every loader returns: the text of a file as sections with their page and heading."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    """A run of text from one page (PDF) or under one heading (Markdown, HTML)."""

    text: str
    page: int | None = None
    heading: str = ""


@dataclass
class LoadedFile:
    """A parsed file: its sections plus any title and metadata the file itself states."""

    sections: list[Section]
    title: str = ""
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def text_length(self) -> int:
        return sum(len(s.text) for s in self.sections)
