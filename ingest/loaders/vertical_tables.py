"""Tables whose text extraction put every cell on a line of its own ('Total revenue' / '17,606' / '15,785' /
'12,868'), laid out again as one row per line ('Total revenue 17,606 15,785 12,868'). Text with few such lines
is returned unchanged, so prose is never touched."""

from __future__ import annotations

import re

_CELL = re.compile(r"^\s*(?:\$\s*)?(?:\(?-?[\d,]*\d(?:\.\d+)?\)?\s*%?|—|–|-)\s*(?:\$)?\s*$")
_BLANK = re.compile(r"^\s*\$?\s*$")
MIN_SHARE = 0.25  # of the non-blank lines that must be single cells before a text is laid out again


def relayout(text: str) -> str:
    """The text with each label line and the single-cell lines after it joined into one row."""
    lines = text.split("\n")
    solid = [ln for ln in lines if not _BLANK.match(ln)]
    if not solid or sum(bool(_CELL.match(ln)) for ln in solid) / len(solid) < MIN_SHARE:
        return text
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _BLANK.match(line):
            i += 1
            continue
        cells = []
        j = i + 1
        while j < len(lines) and (_CELL.match(lines[j]) or _BLANK.match(lines[j])):
            if _CELL.match(lines[j]):
                cells.append(_clean(lines[j]))
            j += 1
        if _CELL.match(line) or not cells:
            out.append(line.strip())
            i += 1
            continue
        out.append(f"{line.strip()} {' '.join(cells)}")
        i = j
    return "\n".join(out)


def _clean(cell: str) -> str:
    """'16,388 $ ' -> '16,388': the currency mark of the next cell is dropped."""
    return re.sub(r"\s*\$\s*$", "", cell.strip())
