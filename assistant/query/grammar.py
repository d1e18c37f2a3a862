"""The question grammar (`data/grammar.json`) loaded once: word lists, matched whole-word and case-insensitively,
and patterns, in which `@name` stands for the words of a list. Readers ask for a list or a pattern by name and
keep no words of their own."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "grammar.json"
_PLACEHOLDER = re.compile(r"@([a-z_]+)")


def alternation(words) -> str:
    """Words as one regular-expression alternation, longest first, any run of spaces between words."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) if w.strip() else re.escape(w) for w in ordered)


class Grammar:
    """Named word lists and patterns of the question grammar."""

    def __init__(self, data: dict):
        self.words: dict[str, list[str]] = {k: v for k, v in data["words"].items() if not k.startswith("_")}
        self.patterns: dict[str, str] = {k: v for k, v in data["patterns"].items() if not k.startswith("_")}
        self.forms: dict[str, str] = data["forms"]
        self.tables: dict[str, dict] = data["tables"]
        self.case_sensitive = set(data.get("case_sensitive", []))
        self._compiled: dict[str, re.Pattern] = {}

    def pattern(self, name: str, **lists) -> re.Pattern:
        """The named pattern, its `@list` placeholders filled from the grammar's lists (or from `lists`)."""
        if name in self._compiled and not lists:
            return self._compiled[name]
        source = _PLACEHOLDER.sub(
            lambda m: f"(?:{alternation(lists.get(m.group(1)) or self.words[m.group(1)])})", self.patterns[name]
        )
        compiled = re.compile(source, 0 if name in self.case_sensitive else re.IGNORECASE)
        if not lists:
            self._compiled[name] = compiled
        return compiled

    def _edged(self, name: str, form: str) -> re.Pattern:
        key = f"{form}:{name}"
        if key not in self._compiled:
            self._compiled[key] = re.compile(self.forms[form].format(alternation(self.words[name])), re.IGNORECASE)
        return self._compiled[key]

    def find(self, text: str, name: str) -> re.Match | None:
        """The first word of the list in the text, whole-word."""
        return self._edged(name, "anywhere").search(text)

    def has(self, text: str, name: str) -> bool:
        return self.find(text, name) is not None

    def finditer(self, text: str, name: str):
        return self._edged(name, "anywhere").finditer(text)

    def starts(self, text: str, name: str) -> re.Match | None:
        """A word of the list opening the text."""
        return self._edged(name, "opening").match(text)

    def ends(self, text: str, name: str) -> re.Match | None:
        """A word of the list closing the text (spaces after it allowed)."""
        return self._edged(name, "closing").search(text)

    def is_one(self, text: str, name: str) -> bool:
        """The text is one of the list's words (spaces around it allowed)."""
        return self._edged(name, "whole").match(text) is not None


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar(json.loads(DATA.read_text(encoding="utf-8")))
