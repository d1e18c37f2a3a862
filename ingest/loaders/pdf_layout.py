"""Tables read by where their words sit on a PDF page: each figure belongs to the column its right edge lines up
with, and each column's heading is the text printed above it ('Three Months Ended' over two columns, 'July 2,
2023' over one). A blank cell stays blank instead of shifting the figures after it one column left, and headings
spread over several lines or shared by a group of columns reach every column they stand over.

Only pages whose text has table rows are measured (pdfium's character boxes, a few milliseconds a page)."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

_NUMBER = re.compile(r"^\(?-?\$?\(?\d(?:[\d,]*\d)?(?:\.\d+)?\)?%?\)?$|^[—–-]$")
_GLUE = {"$", "(", ")", "%", ")%", "US$"}
GAP = 6.0  # points between two words of one cell or label; a wider gap separates cells
ALIGN = 7.0  # points within which two figures' right edges stand in one column
MAX_HEADER_LINES = 6
MAX_LABEL_LINES = 3  # group labels between two rows of one table ('Earnings per share:' / 'Basic')
MIN_ROWS = 2


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float  # PDF points, y grows upwards
    bottom: float

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Segment:
    """Words of one line printed close together: a label, a heading or a cell."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def numeric(self) -> bool:
        return bool(_NUMBER.match(cell_text(self.text)))


@dataclass
class LayoutRow:
    label: str
    cells: list[str | None]  # one per column, None where the row has no figure in that column


@dataclass
class LayoutTable:
    headings: list[str]  # the text standing above each column, top line first
    rows: list[LayoutRow] = field(default_factory=list)
    continues: bool = False  # the previous table of the page goes on here (same columns, no headings of its own)


def cell_text(text: str) -> str:
    """'$ 1,234' -> '1,234', '( 2,722 )' -> '(2,722)', '10 %' -> '10%'."""
    return re.sub(r"\s+", "", text.replace("US$", "").replace("$", ""))


def page_words(textpage) -> list[Word]:
    """The words of a page with their boxes, from pdfium's characters."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    words: list[Word] = []
    current: list[tuple[str, float, float, float, float]] = []

    def flush() -> None:
        if current:
            words.append(
                Word(
                    "".join(c[0] for c in current),
                    min(c[1] for c in current),
                    max(c[2] for c in current),
                    max(c[4] for c in current),
                    min(c[3] for c in current),
                )
            )
            current.clear()

    for i, char in enumerate(text[:count]):
        if char.isspace() or char in "\ufffe\x02":
            flush()
            continue
        pdfium_c.FPDFText_GetCharBox(textpage, i, left, right, bottom, top)
        if right.value <= left.value and top.value <= bottom.value:
            flush()
            continue
        if current and left.value - current[-1][2] > GAP / 2:  # a gap inside pdfium's word: two words
            flush()
        current.append((char, left.value, right.value, bottom.value, top.value))
    flush()
    return words


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (top to bottom), each line left to right. A word joins a line when its
    middle lies within half a line height of the line's (a superscript note marker stays on its line)."""
    lines: list[tuple[list[Word], float, float]] = []  # words, middle of the line's tallest word, its height
    for word in sorted(words, key=lambda w: (-w.mid_y, w.x0)):
        height = max(word.top - word.bottom, 1.0)
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            members, middle, tallest = lines[k]
            if abs(middle - word.mid_y) <= max(tallest, height) * 0.5:
                members.append(word)
                if height > tallest:
                    lines[k] = (members, word.mid_y, height)
                break
        else:
            lines.append(([word], word.mid_y, height))
    return [sorted(members, key=lambda w: w.x0) for members, _, _ in sorted(lines, key=lambda t: -t[1])]


def segments_of(line: list[Word]) -> list[Segment]:
    """A line cut where the gap between words is wider than a space; '$', '(' and ')' join their figure."""
    out: list[Segment] = []
    for word in line:
        glue = out and (
            word.text in (")", "%", ")%")
            or out[-1].text in ("$", "(", "US$", "($")
            or (word.x0 - out[-1].x1) <= GAP
            and not (_NUMBER.match(word.text) and out[-1].numeric)
        )
        if glue:
            out[-1].words.append(word)
        else:
            out.append(Segment([word]))
    return out


def read_tables(words: list[Word]) -> list[LayoutTable]:
    """Every table on a page: runs of lines whose figures line up in columns, with the headings above them. A
    table with no headings of its own whose columns stand where the previous one's do continues it (a statement
    broken by a group label such as 'Earnings per share:')."""
    lines = [segments_of(line) for line in lines_of(words)]
    tables: list[tuple[LayoutTable, list[tuple[float, float]]]] = []
    i = 0
    while i < len(lines):
        if not _is_row(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines):
            if _is_row(lines[j]):
                j += 1
                continue
            gap = next(
                (k for k in range(j, min(j + MAX_LABEL_LINES + 1, len(lines))) if not _is_label_only(lines[k])),
                len(lines),
            )
            if gap > j and gap < len(lines) and _is_row(lines[gap]):
                j = gap
                continue
            break
        rows = [ln for ln in lines[i:j] if _is_row(ln)]
        if len(rows) >= MIN_ROWS:
            made = _table(lines[max(0, i - MAX_HEADER_LINES) : i], rows)
            if made is not None:
                table, columns = made
                if tables and not any(table.headings) and _same_columns(tables[-1][1], columns):
                    table.headings, table.continues = list(tables[-1][0].headings), True
                tables.append((table, columns))
        i = max(j, i + 1)
    return [t for t, _ in tables]


def _same_columns(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return len(a) == len(b) and all(abs(x[1] - y[1]) <= ALIGN for x, y in zip(a, b))


_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _is_row(segments: list[Segment]) -> bool:
    """A label (or none) followed by one or more figure cells, nothing but figures after the first (a line of
    years heads columns)."""
    figures = [s for s in segments if s.numeric]
    if not figures or all(_YEAR.match(cell_text(s.text)) for s in figures):
        return False
    first = segments.index(figures[0])
    return all(s.numeric for s in segments[first:]) and (first > 0 or len(figures) >= 2)


def _is_label_only(segments: list[Segment]) -> bool:
    return len(segments) == 1 and not segments[0].numeric and len(segments[0].text) <= 100


def _table(
    above: list[list[Segment]], rows: list[list[Segment]]
) -> tuple[LayoutTable, list[tuple[float, float]]] | None:
    columns = _columns([s for row in rows for s in row if s.numeric])
    if not columns:
        return None
    label_edge = min(c[0] for c in columns)
    table = LayoutTable(headings=_headings(above, columns, label_edge))
    for row in rows:
        cells: list[str | None] = [None] * len(columns)
        label = " ".join(s.text for s in row if not s.numeric or s.x1 < label_edge - ALIGN)
        for s in row:
            if not s.numeric or s.x1 < label_edge - ALIGN:
                continue
            k = _column_of(s, columns)
            if k is None or cells[k] is not None:
                return None  # two figures in one column: not a table this reader understands
            cells[k] = cell_text(s.text)
        table.rows.append(LayoutRow(label=label.strip(), cells=cells))
    return table, columns


def _columns(cells: list[Segment]) -> list[tuple[float, float]]:
    """(left, right) of each column: figures whose right edges line up, in at least two rows."""
    edges = sorted(cells, key=lambda s: s.x1)
    groups: list[list[Segment]] = []
    for s in edges:
        if groups and s.x1 - groups[-1][-1].x1 <= ALIGN:
            groups[-1].append(s)
        else:
            groups.append([s])
    kept = [g for g in groups if len(g) >= 2] or groups
    return [(min(s.x0 for s in g), max(s.x1 for s in g)) for g in kept]


def _column_of(segment: Segment, columns: list[tuple[float, float]]) -> int | None:
    best = min(range(len(columns)), key=lambda k: abs(columns[k][1] - segment.x1))
    return best if abs(columns[best][1] - segment.x1) <= ALIGN * 2 else None


def _headings(above: list[list[Segment]], columns: list[tuple[float, float]], label_edge: float) -> list[str]:
    """For each column, the heading text standing above it: a heading over several columns (centred over a
    group) reaches each of them; lines above a prose line or another table are not headings."""
    start = 0
    for k, line in enumerate(above):
        if _is_row(line) or any(len(s.text) > 100 or s.x0 < label_edge - ALIGN < s.x1 for s in line):
            start = k + 1  # a row of another table, a prose line or a title across the page: above the headings
    parts: list[list[str]] = [[] for _ in columns]
    centres = [(x0 + x1) / 2 for x0, x1 in columns]
    middle, width = (columns[0][0] + columns[-1][1]) / 2, columns[-1][1] - columns[0][0]
    for line in above[start:]:
        heads = [s for s in line if s.x1 >= label_edge - ALIGN]  # the row-label column holds a scale note
        for k, centre in enumerate(centres):
            if len(heads) > 1:  # headings side by side share the columns out: each takes those nearest it
                nearest = min(heads, key=lambda s: max(s.x0 - centre, centre - s.x1, 0.0))
                parts[k].append(nearest.text)
            elif heads and (
                heads[0].x0 - 2 * ALIGN <= centre <= heads[0].x1 + 2 * ALIGN
                or abs((heads[0].x0 + heads[0].x1) / 2 - middle) <= 0.15 * width
            ):
                parts[k].append(heads[0].text)  # a lone heading: the columns under it, or all when centred
    return [" ".join(p) for p in parts]
