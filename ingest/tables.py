"""Tables parsed once at ingest: caption, the period of each column, the scale of the figures, and labelled rows
grouped under their row-group labels. PDF text rows ('Net income (loss) $ (2,722) $ 30,425 $ 59,248'), Markdown
pipe rows and rows laid out from glued web copies all read the same way."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.finance.figures import scale_note
from assistant.finance.periods import (
    FiscalCalendar,
    Period,
    column_period,
    column_periods,
    find_periods,
    ordinal_quarter,
)
from assistant.text import is_column_header
from assistant.contract.types import Table, TableRow

_CELL = re.compile(r"^\(?-?\$?\(?\d(?:[\d,]*\d)?(?:\.\d+)?\)?%?\)?$|^[—–-]$|^(?:N/A|n/a|NM)$")
_SKIP = {"$", "%", ")", "(", "US$", "RMB"}
_FOOTNOTE = re.compile(r"^\(\d{1,2}\)$")  # 'Online stores (1) $ 220,004 ...': a note marker, not a figure
_MARKER_BEFORE_DOLLAR = re.compile(r"(\d\.\d+|\d,\d{3})\s+[1-9]\s+(?=\$)")  # a note marker between two cells
_DANGLING = re.compile(r"\b(?:to|of|and|for|from|by|in|on|per|the)$", re.IGNORECASE)  # a label line cut mid-phrase
_PERIOD_WORDS = re.compile(
    r"\b(months|year|quarter|ended|as of|december|march|june|september|fiscal|q[1-4]|fy)\b|"
    r"(?:19|20)\d\d",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TableContext:
    """What a table cannot say about itself: the company's fiscal calendar, whether the document covers a year
    (bare year columns are then fiscal years) and the currency its figures are in."""

    calendar: FiscalCalendar = FiscalCalendar()
    annual: bool = True
    currency: str = "USD"


_NOTE_REFERENCE = re.compile(r"\(\s*notes?\s+\d+[a-z]?(?:\s*(?:,|and|&)\s*\d+[a-z]?)*\s*\)", re.IGNORECASE)


def split_row(line: str) -> tuple[str, list[str]]:
    """(label, cells): the trailing figures of a row ('$', '%' and ')' tokens dropped) and the words before."""
    if line.strip().startswith("|"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        label = cells[0] if cells and not _CELL.match(cells[0].replace(" ", "")) else ""
        rest = [c.replace(" ", "") for c in (cells[1:] if label or not cells else cells) if c]
        return label, [c for c in rest if c not in _SKIP and _CELL.match(c)]
    line = _NOTE_REFERENCE.sub(" ", line)  # 'Inventories (Notes 1 and 3) 12,483 10,387': the notes are not cells
    line = _MARKER_BEFORE_DOLLAR.sub(r"\1 ", line)  # '$ 0.41 2 $ 1.07': the '2' is a footnote marker
    tokens = _merge_split_cells(line.split())
    cells: list[str] = []
    while tokens and (_CELL.match(tokens[-1]) or tokens[-1] in _SKIP):
        token = tokens.pop()
        if token not in _SKIP:
            cells.insert(0, token)
    while tokens and tokens[-1] in _SKIP:
        tokens.pop()
    return " ".join(tokens), cells


def _group_total(rows: list[TableRow], group: str, cells: list[str], line: str) -> TableRow | None:
    """A row of figures printed with no label under a group's rows ('Revenues:' / 'Rooms 2,410' ... / '5,230'):
    the group's total when, in every column, it is the sum of the group's rows since its last total."""
    if not group or not cells or not rows or rows[-1].group != group:
        return None
    items = []
    for row in reversed(rows):
        if row.group != group or row.label.lower().startswith("total"):
            break
        items.append(row)
    values = [cell_value(c) if c else None for c in cells]
    if len(items) < 2 or any(len(r.values) != len(values) for r in items):
        return None
    for k, value in enumerate(values):
        parts = [r.values[k] for r in items if r.values[k] is not None]
        if value is None or not parts or abs(sum(parts) - value) > max(1.0, 0.001 * abs(value)):
            return None
    return TableRow(label=f"Total {group.lower()}", values=values, line=line.strip(), group=group, cells=cells)


def _merge_split_cells(tokens: list[str]) -> list[str]:
    """Join cells that PDF text splits: '$ (0.27)' stays two tokens, '( 2,722 )' becomes '(2,722)', '10 %' -> '10%'."""
    out: list[str] = []
    for token in tokens:
        if out and token in (")", "%", ")%") and re.search(r"\d$", out[-1]):
            out[-1] += token
        elif out and out[-1] == "(" and re.match(r"\d", token):
            out[-1] = "(" + token
        else:
            out.append(token)
    return out


def cell_value(cell: str) -> float | None:
    """'(2,722)' -> -2722.0, '$1.95' -> 1.95, '20%' -> 20.0, '—' -> None."""
    clean = cell.replace("$", "").replace(",", "").replace("%", "")
    negative = clean.startswith("(") or clean.startswith("-")
    clean = clean.strip("()-")
    try:
        value = float(clean)
    except ValueError:
        return None
    return -value if negative else value


def parse_table(
    caption: list[str], lines: list[str], context: TableContext, layout: list | None = None
) -> Table | None:
    """The table of a block of lines (caption above it, then header and rows); None when no row holds figures.
    `layout`: the tables a PDF page's word positions show (`LayoutTable`); a row found there takes its cells'
    columns and the column headings from it."""
    split = [(line, *split_row(line)) for line in lines]
    data = [
        (label, cells)
        for line, label, cells in split
        if cells and label and not is_column_header(line) and not _all_years(cells)
    ]
    plain = [cells for label, cells in data if not _FOOTNOTE.match(cells[0])]
    counts = Counter(len(cells) for cells in (plain or [c for _, c in data]))
    if not counts:
        return None
    columns = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    placed, headings = _placed(split, layout or [])
    if placed:
        columns = len(headings)
    split = [
        (line, f"{label} {cells[0]}", cells[1:])
        if len(cells) == columns + 1 and _FOOTNOTE.match(cells[0])
        else (line, label, cells)
        for line, label, cells in split
    ]
    header = [c for c in caption if _PERIOD_WORDS.search(c) and _header_like(c)]
    rows: list[TableRow] = []
    group = ""
    pending = ""  # a label line that a wrapped row label continues on the next line
    for line, label, cells in split:
        if not rows and (
            is_column_header(line)
            or _all_years(cells)
            or (not cells or not label)
            and (_PERIOD_WORDS.search(line) or _CHANGE_HEADING.search(line) or scale_note(line))
            and len(line) < 120
        ):
            header.append(line)
            continue
        if cells and not label:
            printed = placed.get(id(line)) if placed else (cells[-columns:] if len(cells) >= columns else None)
            total = _group_total(rows, group, [c or "" for c in printed] if printed else [], line)
            if total is not None:
                rows.append(total)
            continue
        if not cells or not label:
            if label and not re.search(r"\d{2}", re.sub(r"\b(?:19|20)\d\d\b|\([^)]*\)", "", label)):
                if pending and not pending.endswith(":") and (label[:1].islower() or _DANGLING.search(pending)):
                    pending = f"{pending} {label}"  # a group label wrapped onto a second line ('... exchange / rates:')
                    continue
                if pending and not label.endswith(":"):
                    group = pending.rstrip(":").strip()
                pending = label
            continue
        if pending and (label[:1].islower() or _DANGLING.search(pending)):  # 'Depreciation and ... lease' / 'assets'
            label, line = f"{pending} {label}", f"{pending}\n{line}"
        elif pending:
            group = pending.rstrip(":").strip()
        pending = ""
        printed = placed.get(id(line)) if placed else None
        if printed is None and placed and len(cells) != columns:
            continue  # the page shows columns this row's figures cannot be put in by their order alone
        printed = printed or (cells[-columns:] if len(cells) >= columns else None)
        if printed is None:
            continue
        values = [cell_value(c) if c else None for c in printed]
        rows.append(
            TableRow(
                label=label.rstrip(":").strip(),
                values=values,
                line=line.strip(),
                group=group,
                cells=[c or "" for c in printed],
            )
        )
    if not rows:
        return None
    header_text = "\n".join(header)
    periods = _heading_periods(headings, context) if placed else None
    if periods is None and not (placed and any(headings)):  # headings the page shows but that name no period
        periods = column_periods(header_text, context.calendar, columns, context.annual)  # are not guessed at
    caption_text = "\n".join(caption + header)
    if periods is None and placed and any(headings):
        periods = _caption_period(caption_text, headings, context)
    periods = periods or []
    return Table(
        caption=" ".join(c.strip() for c in caption if c.strip()),
        columns=[p.key() if p else "" for p in periods] or [""] * columns,
        rows=rows,
        scale=scale_note(caption_text) or 1.0,
        currency=_currency(caption_text, context.currency),
        headings=list(headings) if placed else [],
    )


def _placed(split: list[tuple[str, str, list[str]]], layout: list) -> tuple[dict[int, list[str | None]], list[str]]:
    """The cells of each text row as the page places them (None in a column where the row has no figure), keyed by
    the row line's id, and the headings of the page table most rows are found in; ({}, []) when none is."""
    best: tuple[dict[int, list[str | None]], list[str]] = ({}, [])
    for table in layout:
        free = list(table.rows)
        found: dict[int, list[str | None]] = {}
        for line, _label, cells in split:
            if not cells:
                continue
            for k in range(len(cells)):  # leading cells may be figures of the label ('Notes due 2026 500 500')
                key = sorted(_normal(c) for c in cells[k:])
                match = next((r for r in free if sorted(_normal(c) for c in r.cells if c) == key), None)
                if match is not None:
                    free.remove(match)
                    found[id(line)] = match.cells
                    break
        if len(found) > len(best[0]):
            best = (found, table.headings)
    data_rows = sum(1 for _, label, cells in split if cells and label)
    return best if best[0] and len(best[0]) * 2 >= data_rows else ({}, [])


def layout_runs(lines: list[str], layout: list) -> list[tuple[int, int]]:
    """A block of table lines cut where its rows move from one page table to another (two tables printed one
    under the other, with different columns), as (start, end) line ranges; the whole block when the page shows
    one table or none."""
    if len(layout) < 2:
        return [(0, len(lines))]
    parent = []  # a table that continues the one before it on the page is the same table
    for k, table in enumerate(layout):
        parent.append(parent[k - 1] if k and getattr(table, "continues", False) else k)
    owners: list[int | None] = []
    for line in lines:
        _label, cells = split_row(line)
        key = sorted(_normal(c) for c in cells)
        owners.append(
            next(
                (
                    parent[k]
                    for k, table in enumerate(layout)
                    for r in table.rows
                    if key and sorted(_normal(c) for c in r.cells if c) == key
                ),
                None,
            )
        )
    cuts, current = [0], None
    for i, owner in enumerate(owners):
        if owner is not None and current is not None and owner != current:
            start = i  # the heading lines just above the first row of the next table go with it
            while start > cuts[-1] + 1 and owners[start - 1] is None:
                start -= 1
            cuts.append(start)
        if owner is not None:
            current = owner
    cuts.append(len(lines))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _normal(cell: str) -> str:
    cell = cell.replace("$", "").replace(" ", "")
    return "—" if cell in ("—", "–", "-") else cell


def _heading_periods(headings: list[str], context: TableContext) -> list[Period | None] | None:
    """Each column's period from its own heading, when every column headed by a year gets one."""
    periods = [column_period(h, context.calendar, context.annual) for h in headings]
    dated = [bool(re.search(r"(?:19|20)\d\d", h)) and not _CHANGE_COLUMN.search(h) for h in headings]
    if not any(periods) or any(d and p is None for d, p in zip(dated, periods)):
        return None
    return periods


# a column of changes between periods ('Increase / (decrease) 2019 v 2018'), which names years but no one period
def _caption_period(caption: str, headings: list[str], context: TableContext) -> list[Period | None] | None:
    """Every column's period when no heading is dated but the caption names exactly one period ('segment
    information for the year ended December 31, 2017' over 'Domestic', 'International', 'Consolidated'); columns
    headed 'First Quarter' ... 'Fourth Quarter' under a fiscal year are that year's quarters."""
    if any(re.search(r"(?:19|20)\d\d", h) for h in headings):
        return None
    found = {spec.resolve(context.calendar) for spec in find_periods(caption)} - {None}
    if len(found) != 1:
        return None
    year = found.pop()
    quarters = [ordinal_quarter(h) for h in headings]
    if not any(quarters):
        return [year] * len(headings)
    if year.months != 12:
        return None  # quarters under a caption that names no fiscal year
    fiscal_year = context.calendar.fiscal_year_of(year.end)
    return [  # 'First Quarter' ... 'Fourth Quarter' under 'Year Ended December 31, 2016'; a 'Year' column is the year
        Period(context.calendar.quarter_end(fiscal_year, q), 3)
        if q
        else year
        if _YEAR_HEADING.fullmatch(h.strip())
        else None
        for h, q in zip(headings, quarters)
    ]


_YEAR_HEADING = re.compile(r"(?:full\s+)?(?:fiscal\s+)?year|total", re.IGNORECASE)


_CHANGE_COLUMN = re.compile(
    r"\b(?:increase|decrease|change|variance)\b|\b(?:19|20)\d\d\s*(?:v|vs\.?|versus|compared (?:to|with))\s*(?:19|20)\d\d",
    re.IGNORECASE,
)
_CHANGE_HEADING = re.compile(r"^\s*(?:%|percent(?:age)?)?\s*(?:change|variance|increase|decrease)\b", re.IGNORECASE)


def _header_like(line: str) -> bool:
    """A caption line that heads columns ('Year Ended December 31,', '(in millions) 2024 2023'), not a sentence
    that happens to name years ('Revenue for fiscal 2021 benefited from an extra week ...')."""
    line = line.strip()
    words = re.findall(r"[A-Za-z]+", line)
    return (
        len(line) <= 80
        and not line.endswith(".")
        or bool(re.search(r"\b(?:ended|ending|as of)\b", line, re.I))
        and len(words) <= 14
    )


def _all_years(cells: list[str]) -> bool:
    return bool(cells) and all(re.fullmatch(r"(?:19|20)\d\d", c) for c in cells)


def _currency(text: str, default: str) -> str:
    if re.search(r"\bRMB\b|\brenminbi\b", text, re.IGNORECASE):
        return "CNY"
    if re.search(r"US\$|\bU\.S\. dollars\b|\bUSD\b", text):
        return "USD"
    return default
