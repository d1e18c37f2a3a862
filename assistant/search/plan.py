"""The search a question asks for, as data: the words and periods of each search, and the figures whose stating
passages come first (`assistant/query/plan.py` plans it from a Query; retrieval runs it)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.finance.periods import Period


@dataclass(frozen=True)
class SearchPart:
    """One search: the words to search with and the periods it is about ('2025', 'fy2025', 'q2')."""

    text: str
    periods: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Figure:
    """A figure a question asks for: a line item of a company (or segment) for a period."""

    concept: str
    company: str
    segment: str
    period: Period


@dataclass(frozen=True)
class SearchPlan:
    """The whole question's search, then one per side; `figures` are the figures whose stating passages (by the
    facts index) come before any searched passage, those in `scope` (the named company's filings for the named
    periods) first."""

    parts: tuple[SearchPart, ...]
    doc_ids: list[str] | None = None
    scope: list[str] | None = None
    figures: tuple[Figure, ...] = ()
