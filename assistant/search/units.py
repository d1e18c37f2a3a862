"""The units a passage answers with: its sentences, or for a table each row read with its caption, column header
and row-group label. Ingest stores one vector per unit (pooled from the passage's own token vectors, so a unit
keeps the meaning its passage gives it); answering scores the same units by words and by those vectors."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import numpy as np

from assistant.text import (
    collapse_ws,
    is_column_header,
    is_table_row,
    sentence_pieces,
    split_sentences,
    whole_sentences,
)

CAPTION_CHARS = 200  # a paragraph before a table longer than this answers on its own, sentence by sentence


@dataclass(frozen=True)
class Unit:
    text: str  # what is scored and shown in the answer: a sentence, or a row with its caption
    quote: str  # the verbatim span of the passage it stands for
    start: int  # the quote's place in the passage text
    end: int
    whole: str = ""  # the whole sentence, when the unit is a piece of a sentence too long to read as one


def units(text: str, kind: str) -> list[Unit]:
    """The answer units of a passage's text (`kind` 'table' or 'prose')."""
    if kind != "table":
        out = []
        for a, b in whole_sentences(text):
            pieces = sentence_pieces(text, a, b)
            out += [Unit(text[s:e], text[s:e], s, e, text[a:b] if len(pieces) > 1 else "") for s, e in pieces]
        return out
    lines = [(m.group(0).strip(), m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
    head: list[str] = []
    while len(head) < len(lines) and (not is_table_row(lines[len(head)][0]) or is_column_header(lines[len(head)][0])):
        head.append(lines[len(head)][0])
    out: list[Unit] = []
    prose = " ".join(h for h in head if not is_column_header(h))
    sentences = [prose[s:e] for s, e in split_sentences(prose)]
    if len(prose) > CAPTION_CHARS and len(sentences) > 1:
        # a paragraph before the table: its sentences answer on their own; only its last sentence captions the rows
        for sentence in sentences[:-1]:
            quote, start, end = _verbatim(sentence, text)
            out.append(Unit(sentence, quote, start, end))
        head = [sentences[-1]] + [h for h in head if is_column_header(h)]
    prefix = " ".join(head).rstrip(":")
    label = ""
    for line, start, end in lines[len(head) :]:
        if is_table_row(line) and not is_column_header(line):
            shown = f"{prefix}: {label + ' ' if label else ''}{line}" if prefix else f"{label} {line}".strip()
            out.append(Unit(shown, line, start, end))
        else:
            label = line.rstrip(":")
    return out or [Unit(collapse_ws(text), text, 0, len(text))]


_BULLET = re.compile(r"(?:^|\s)[-•]\s+(?=\S)")


def list_items(text: str) -> list[str]:
    """The items of a list written into one unit ('The following are not covered: - fines ... - upgrades ...'),
    each as it reads in the text; none when the text holds fewer than two."""
    marks = list(_BULLET.finditer(text))
    if len(marks) < 2 or text[: marks[0].start()].strip() and not text[: marks[0].start()].rstrip().endswith(":"):
        return []  # a list starts the unit or follows a colon; dashes inside a sentence are not one
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [text[m.end() : end].strip() for m, end in zip(marks, ends) if text[m.end() : end].strip()]


def _verbatim(sentence: str, text: str) -> tuple[str, int, int]:
    """The span of `text` that reads as `sentence` up to whitespace (line breaks inside a paragraph)."""
    match = re.search(r"\s+".join(map(re.escape, sentence.split())), text)
    return (match.group(0), match.start(), match.end()) if match else (sentence, 0, 0)


def pack_vectors(vectors: np.ndarray) -> str:
    """Unit vectors as compact text for a chunk's metadata (float16, base64)."""
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def unpack_vectors(packed: str, dimensions: int) -> np.ndarray | None:
    """The unit vectors a chunk's metadata holds (a zero row is a unit the model did not read), or None."""
    if not packed:
        return None
    flat = np.frombuffer(base64.b64decode(packed), dtype=np.float16).astype(np.float32)
    return flat.reshape(-1, dimensions) if flat.size % dimensions == 0 else None


def chunk_unit_vectors(chunk):
    """The unit vectors stored with a chunk as a matrix (numpy), or None when none were stored."""
    from assistant.search.embeddings import DIMENSIONS

    return unpack_vectors(chunk.vectors, DIMENSIONS)
