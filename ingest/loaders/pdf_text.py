"""Words pdfium reads apart, put back together.

- A ligature glyph ('ff', 'fi', 'fl', 'ffi', 'ffl') that the font maps to a lone 'f' comes out as 'f' and a
  space: 'ef iciently', 'of erings', 'af ect'. The letters it lost are put back when that makes a word of two
  pieces that are not both words ('of tens' stays).
- A hyphen at a line end comes out as U+FFFE with the line break gone: 'second\ufffequarter',
  'effi\ufffeciently'. It becomes a hyphen when both halves are words and together they are not, and is dropped
  when together they make a word ('efficiently'). A soft hyphen (U+00AD) only marks where a word may break: it is
  dropped.

The word list is the embedding model's vocabulary (`assistant/search/wordlist.py`).
"""

from __future__ import annotations

import re

from assistant.search.wordlist import is_word, listed

LOST_AFTER_F = ("f", "fi", "fl", "i", "l")  # what a ligature that reads as 'f' lost: ff, ffi, ffl, fi, fl
_GAP = re.compile(r"\b([A-Za-z]*f) ([a-z]+)\b")
_BREAK = re.compile(r"([A-Za-z]+)\ufffe\s*([A-Za-z]+)")


def mend(text: str) -> str:
    """The text with ligature gaps closed and line-end hyphens restored or removed (see the module)."""
    for at, letters in reversed(ligature_gaps(text)):
        text = text[:at] + letters + text[at + 1 :]
    if "\ufffe" in text:
        text = _BREAK.sub(_joined, text).replace("\ufffe", "-")
    return text.replace("\u00ad", "")


def ligature_gaps(text: str) -> list[tuple[int, str]]:
    """Where a ligature left a space in a word: (the space's index, the letters it stands for)."""
    out = []
    for match in _GAP.finditer(text) if "f " in text else ():
        head, tail = match.groups()
        if listed(head) and listed(tail):
            continue
        lost = next((x for x in LOST_AFTER_F if is_word(head + x + tail)), None)
        if lost is not None:
            out.append((match.end(1), lost))
    return out


def _joined(match: re.Match) -> str:
    head, tail = match.groups()
    if is_word(head + tail) and not (listed(head) and listed(tail)):
        return head + tail
    return f"{head}-{tail}"
