"""Sections -> chunks: whole sentences packed up to a size, tables kept whole or split by rows under their header."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.text import collapse_ws, is_column_header, is_table_row, split_sentences
from assistant.contract.types import Table
from ingest.loaders import Section
from ingest.tables import TableContext, layout_runs, parse_table

_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass
class Piece:
    """A chunk before it gets an id: text plus where it sits in its section."""

    text: str
    start: int
    end: int
    page: int | None
    section: str
    kind: str
    table: Table | None = None


@dataclass
class _Line:
    text: str
    start: int
    end: int
    is_row: bool


def _is_label(line: str) -> bool:
    """A short line inside a table: a row group label such as 'Operating Expenses:' or 'Year Ended December 31,'."""
    stripped = line.strip()
    return 0 < len(stripped) <= 140 and not stripped.endswith(".")


def chunk_section(section: Section, max_chars: int = 900, tables: TableContext | None = None) -> list[Piece]:
    """Split one section into pieces of at most about `max_chars` characters; each table is parsed once (with
    `tables` telling its calendar and currency) and every piece of it carries its own rows."""
    lines = _lines(section.text)
    pieces: list[Piece] = []
    prose: list[_Line] = []
    previous: Table | None = None  # a table that continues after a long line keeps its header's periods
    i = 0
    while i < len(lines):
        if lines[i].is_row:
            j = i
            while j < len(lines) and (lines[j].is_row or (_is_label(lines[j].text) and _row_follows(lines, j))):
                j += 1
            caption = _take_caption(prose)
            pieces.extend(_pack_prose(prose, section, max_chars))
            prose = []
            block = lines[i:j]
            for a, b in layout_runs([ln.text.strip() for ln in block], section.layout):
                found = _table_pieces(
                    caption if a == 0 else [], block[a:b], section, max_chars, tables or TableContext(), previous
                )
                pieces.extend(found)
                previous = next((p.table for p in reversed(found) if p.table is not None), previous)
            i = j
        else:
            prose.append(lines[i])
            i += 1
    pieces.extend(_pack_prose(prose, section, max_chars))
    return pieces


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if raw.strip() and not _PIPE_RULE.match(raw):
            out.append(_Line(raw, start, end, is_table_row(raw)))
    return out


def _row_follows(lines: list[_Line], j: int, window: int = 4) -> bool:
    return any(line.is_row for line in lines[j + 1 : j + 1 + window])


def _take_caption(prose: list[_Line]) -> list[_Line]:
    """Pull the table's caption (short lines just above it, up to the end of the previous sentence) out of the
    running prose: title, units and the column headings that PDF text puts on lines of their own."""
    caption: list[_Line] = []
    while prose and len(caption) < 10:
        line = prose[-1].text.strip()
        if len(line) > 160 or line.endswith("."):
            break
        caption.insert(0, prose.pop())
    return caption


def _pack_prose(lines: list[_Line], section: Section, max_chars: int) -> list[Piece]:
    """Greedy packing of whole sentences; a sentence longer than the limit is cut at word breaks by the splitter."""
    if not lines:
        return []
    base = lines[0].start
    block = section.text[base : lines[-1].end]
    pieces: list[Piece] = []
    cur_start = cur_end = None
    for s_start, s_end in split_sentences(block):
        if cur_start is not None and (s_end - cur_start) > max_chars:
            pieces.append(_piece(section, base + cur_start, base + cur_end, "prose"))
            cur_start = None
        if cur_start is None:
            cur_start = s_start
        cur_end = s_end
    if cur_start is not None:
        pieces.append(_piece(section, base + cur_start, base + cur_end, "prose"))
    return [p for p in pieces if len(p.text) >= 3]


def _table_pieces(
    caption: list[_Line],
    rows: list[_Line],
    section: Section,
    max_chars: int,
    context: TableContext,
    previous: Table | None = None,
) -> list[Piece]:
    """One piece for a table that fits (with caption); otherwise row groups, each repeating caption and header.
    A block with no header of its own, as many columns as the table before it on the page and no caption
    naming other columns, continues that table (a balance sheet broken by a long line of share data)."""
    header_lines = caption + _header_rows(rows)
    all_lines = caption + rows
    table = parse_table([ln.text.strip() for ln in caption], [ln.text.strip() for ln in rows], context, section.layout)
    if table is not None and previous is not None and len(table.columns) == len(previous.columns):
        if not any(table.columns):
            table = replace(table, columns=previous.columns, scale=previous.scale, currency=previous.currency)
        elif table.scale == 1.0 and table.columns == previous.columns:
            table = replace(table, scale=previous.scale)
    text = "\n".join(ln.text.strip() for ln in all_lines)
    if len(text) <= max_chars * 1.5:
        return [Piece(text, all_lines[0].start, all_lines[-1].end, section.page, section.heading, "table", table)]
    header = "\n".join(ln.text.strip() for ln in header_lines)
    body = rows[len(header_lines) - len(caption) :]
    pieces, group = [], []
    budget = max(200, max_chars - len(header))
    for row in body:
        if group and sum(len(r.text) + 1 for r in group) + len(row.text) > budget:
            pieces.append(_table_group(header, group, section, table))
            group = []
        group.append(row)
    if group:
        pieces.append(_table_group(header, group, section, table))
    return pieces


def _header_rows(rows: list[_Line]) -> list[_Line]:
    """Leading rows that name columns (years, periods) rather than carry a labelled value."""
    header = []
    for row in rows[:3]:
        if is_column_header(row.text) or (not row.is_row and _is_label(row.text)):
            header.append(row)
        else:
            break
    return header


def _table_group(header: str, group: list[_Line], section: Section, table: Table | None) -> Piece:
    text = (
        header + "\n" + "\n".join(r.text.strip() for r in group) if header else "\n".join(r.text.strip() for r in group)
    )
    part = None
    if table is not None:
        lines = {r.text.strip() for r in group}
        part = replace(table, rows=[row for row in table.rows if row.line.split("\n")[-1] in lines])
    return Piece(text, group[0].start, group[-1].end, section.page, section.heading, "table", part)


def _piece(section: Section, start: int, end: int, kind: str) -> Piece:
    return Piece(collapse_ws(section.text[start:end]), start, end, section.page, section.heading, kind)
