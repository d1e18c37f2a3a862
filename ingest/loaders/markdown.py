"""Markdown and plain text: split on headings, drop images and HTML comments, keep link text."""

from __future__ import annotations

import re

from assistant.text import is_column_header, is_table_row
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.glued_tables import reflow as reflow_glued_table
from ingest.loaders.vertical_tables import relayout

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)(]|\([^)]*\))*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PAGE_MARKER = re.compile(r"^\s*\*\*Page:?\*\*:?\s*(\d+)\s*$", re.IGNORECASE)


def unglue_table_line(line: str) -> str:
    """Put spaces back into table rows whose cells were run together by a web copy
    ('AWSNet sales$28,786$35,579' -> 'AWSNet sales $28,786 $35,579'); ordinary lines are left alone."""
    if len(line) < 200 or line.count(" ") / len(line) > 0.12:
        return line
    line = re.sub(r"(?<=[0-9%)])(?=[$(]|[A-Z][a-z])", " ", line)
    line = re.sub(r"(?<=[a-z:)])(?=[$(0-9]|[A-Z])", " ", line)
    return line


def clean_markdown(text: str) -> str:
    """Remove images and comments, turn links into their text, unescape Markdown escapes."""
    text = _COMMENT.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"\\([_*\[\]()#.!-])", r"\1", text)
    text = re.sub(r"\$\s*([\d.,]+\s*\\?%)\s*\$", r"\1", text)  # PDF-converter math like $27%$
    text = text.replace("\\%", "%")
    return "\n".join(_relaid(line) for line in text.split("\n"))


def _relaid(line: str) -> str:
    """A table run together into one line, laid out one row per line; else cells re-spaced."""
    table = reflow_glued_table(line)
    return table if table != line else unglue_table_line(line)


def load_markdown(raw: str) -> LoadedFile:
    """Sections per heading; the first heading (or first line) becomes the title."""
    text = clean_markdown(raw)
    sections: list[Section] = []
    heading, buf, title, page = "", [], "", None

    def flush():
        body = "\n".join(buf).strip()
        if body:
            sections.append(Section(text=body, page=page, heading=heading))
        buf.clear()

    in_table = False  # the last text line was a table row or column header: a short line is a row label
    for line in text.splitlines():
        marker = _PAGE_MARKER.match(line)
        if marker:
            flush()
            page = int(marker.group(1))
            continue
        match = _HEADING.match(line)
        plain = not in_table and (sections or any(b.strip() for b in buf)) and is_plain_heading(line)
        in_table = bool(line.strip()) and (
            is_table_row(line) or is_column_header(line) or (in_table and len(line.strip()) < 90)
        )
        if match or plain:
            flush()
            heading = (match.group(2) if match else line).strip().strip("*").strip()
            if match and not sections and not any(b.strip() for b in buf):
                title = title or heading
            continue
        buf.append(line)
    flush()
    if not title:
        title = _first_line(text)
    return LoadedFile(sections=sections, title=title)


def is_plain_heading(line: str) -> bool:
    """A short Title Case line with no closing punctuation, such as 'Full Year 2025' in a press release."""
    stripped = line.strip()
    words = stripped.split()
    if not 0 < len(words) <= 8 or len(stripped) > 60 or not stripped[0].isupper():
        return False
    if stripped[-1] in ".,;:!?)" or "$" in stripped or "%" in stripped or "|" in stripped:
        return False
    if is_table_row(stripped) or re.search(r"\d{3}", re.sub(r"\b(19|20)\d\d\b", "", stripped)):
        return False
    if len(re.findall(r"\b(?:19|20)\d\d\b", stripped)) >= 2:  # 'December 31, 2024 December 31, 2025' heads columns
        return False
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words)
    return capitalised / len(words) >= 0.6


def load_text(raw: str) -> LoadedFile:
    """Plain text is one section (tables with one cell per line laid out as rows); its first short line is the
    title."""
    body = relayout(raw.strip())
    return LoadedFile(sections=[Section(text=body)] if body else [], title=_first_line(body))


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return ""
