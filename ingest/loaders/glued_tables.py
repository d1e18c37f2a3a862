"""Tables whose cells a web copy ran together into one line ('2024202520242025Net product sales$82,226$89,992...'),
laid out again as one row per line. The header's run of periods says how many columns there are; each row is a
label followed by exactly that many figures. A row whose figures split more than one way keeps its cells glued
(it is then not read as a table row), so no figure is ever guessed."""

from __future__ import annotations

import re
from functools import cache

MIN_CHARS = 200
MIN_ROWS = 3
_YEAR = r"(?:19|20)\d\d"
_MONTH_DATE = r"[A-Z][a-z]+\.? \d{1,2}, " + _YEAR
_HEADERS = (
    re.compile(rf"^(?P<head>.*?(?P<run>(?:{_YEAR}){{2,}}))(?=\D)"),  # '...December 31,2024202520242025'
    re.compile(rf"^(?P<head>(?P<run>(?:{_MONTH_DATE}){{2,}}))"),  # 'December 31, 2024December 31, 2025'
    re.compile(rf"^(?P<head>(?P<run>(?:(?:Q[1-4] |FY ?){_YEAR}){{2,}})(?P<extra>Y/Y % Change)?)"),  # 'Q3 2024Q4 2024'
)
_CELL = re.compile(
    r"\s?(?:\$\s?)?(?:\((?:\$\s?)?(?:0|[1-9]\d{0,2}(?:,\d{3})*)(?:\.\d+)?\)|"
    r"(?:0|[1-9]\d{0,2}(?:,\d{3})*)(?:\.\d+)?)%?|\s?N/A|\s?—"
)


def reflow(line: str) -> str:
    """The line as a table with one row per line, or the line unchanged when it is not a glued table."""
    if len(line) < MIN_CHARS:
        return line
    for pattern in _HEADERS:
        m = pattern.match(line)
        if m:
            columns = _count_columns(m)
            rows = _rows(line[m.end() :], columns)
            if rows is not None and sum(1 for r in rows if r[1]) >= MIN_ROWS:
                header = _spaced(m.group("head"))
                return "\n".join(
                    [header] + [f"{label} {' '.join(cells)}".strip() if cells else label for label, cells in rows]
                )
    return line


def _count_columns(m: re.Match) -> int:
    run = m.group("run")
    count = len(re.findall(_YEAR, run))
    return count + (1 if m.groupdict().get("extra") else 0)


def _spaced(header: str) -> str:
    """'Three Months Ended December 31,Twelve Months ...,2024202520242025' -> words and years spaced out."""
    header = re.sub(rf"(?<=\d)(?={_YEAR})|(?<=,)(?=\S)|(?<=[0-9])(?=[A-Z])|(?<=\d)(?=Q[1-4] |FY)", " ", header)
    return re.sub(r"\s+", " ", header).strip()


def _rows(body: str, columns: int) -> list[tuple[str, list[str]]] | None:
    """[(label, cells)]: labels (row-group labels have no cells) and exactly `columns` cells per row."""
    out: list[tuple[str, list[str]]] = []
    pos = 0
    while pos < len(body):
        found = _next_row(body, pos, columns)
        if found is None:
            rest = body[pos:].strip()
            if rest:
                out.extend((label, []) for label in _labels(rest))
            break
        start, end, cells = found
        labels = _labels(body[pos:start])
        if not labels:
            return None
        out.extend((label, []) for label in labels[:-1])
        out.append((labels[-1], cells))
        pos = end
    return out


def _next_row(body: str, pos: int, columns: int) -> tuple[int, int, list[str]] | None:
    """The first place after `pos` where exactly `columns` cells start and end before a letter (the next label)
    or the end: (cells start, cells end, cells). Cells that split several ways are returned glued as one."""
    for i in range(pos + 1, len(body)):
        if not (body[i].isdigit() or body[i] in "$(—N") or not re.search(r"[A-Za-z]", body[pos:i]):
            continue
        if body[i - 1].isdigit():
            continue
        splits = _splits(body, i, columns)
        if splits:
            end = splits[0][0]
            cells = splits[0][1] if len(splits) == 1 else [body[i:end].strip()]
            return i, end, [c.strip() for c in cells]
    return None


def _splits(body: str, start: int, columns: int) -> list[tuple[int, list[str]]]:
    """Every way to read exactly `columns` cells from `start` that ends at a label or the end of the text."""

    @cache
    def walk(i: int, left: int) -> tuple[tuple[int, tuple[str, ...]], ...]:
        if left == 0:
            ok = i == len(body) or body[i].isalpha() or body[i] in " \"'"
            return ((i, ()),) if ok else ()
        out = []
        for m in _cell_matches(body, i):
            for end, rest in walk(m.end(), left - 1):
                out.append((end, (m.group(0),) + rest))
        return tuple(out)

    splits = [(end, list(cells)) for end, cells in walk(start, columns)][:8]
    clean = [sp for sp in splits if not _runs_into_digit(sp[1])]
    return clean if len(clean) == 1 else splits  # '57%36%' reads '57%' '36%', not '5' '7%'


def _runs_into_digit(cells: list[str]) -> bool:
    """A short bare number glued to a following digit: the reading a web copy makes least likely."""
    return any(re.fullmatch(r"\s?\d{1,3}", a) and b.strip()[:1].isdigit() for a, b in zip(cells, cells[1:]))


def _cell_matches(body: str, i: int) -> list[re.Match]:
    """Every prefix of body[i:] that is one cell ('$1,257', '(3,511)', '20%', 'N/A')."""
    out = []
    for j in range(i + 1, min(len(body), i + 24) + 1):
        m = _CELL.fullmatch(body, i, j)
        if m:
            out.append(m)
    return out


def _labels(text: str) -> list[str]:
    """A run of label text split into its labels: at colons and where a new capitalised label starts right
    after a lowercase letter or an all-capitals word ('North AmericaNet sales', 'ASSETSCurrent assets:')."""
    parts = re.split(r"(?<=:)|(?<=[a-z)])(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z])", text)
    return [p.strip() for p in parts if p and p.strip()]
