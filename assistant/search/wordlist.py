"""English words, as the embedding model's vocabulary knows them (its whole-word pieces, about 20,000), read with
the same light stemmer the index uses so inflected forms count ('offerings', 'affected'). PDF text mending and the
reading of a question's language use it; nothing is downloaded."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.text import stem


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """The model's whole words, and their stems."""
    from assistant.search.embeddings import packaged_model_path

    lines = (Path(packaged_model_path()) / "vocab.txt").read_text(encoding="utf-8").split()
    words = frozenset(w for w in lines if w.isalpha() and w.islower())
    return words, frozenset(stem(w) for w in words)


def is_word(token: str) -> bool:
    """A word of the list, or an inflection of one."""
    words, stems = _vocabulary()
    token = token.lower()
    return token in words or stem(token) in stems


def listed(token: str) -> bool:
    """A word of the list exactly as written (no inflection)."""
    return token.lower() in _vocabulary()[0]
