"""What every answerer reads: the Query, the retrieved passages, the fact index, the registry of names, the chosen
documents, and the solver and its solution, made once per question and shared."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from assistant.answer.solve import Missing, Solution, Solver
from assistant.contract.types import Chunk, ScoredChunk
from assistant.query.analyze import Query
from assistant.query.registry import Registry
from assistant.search.lexical import LexicalIndex


@dataclass
class AnswerContext:
    """One question's answering state. `missing` collects what the answerers could not find, for the refusal."""

    query: Query
    passages: list[ScoredChunk]
    index: LexicalIndex
    registry: Registry
    doc_ids: list[str] | None = None
    q_vec: np.ndarray | None = None
    missing: list[Missing] = field(default_factory=list)

    @cached_property
    def chunks(self) -> dict[str, Chunk]:
        """Every chunk an answer may cite: those holding facts and those retrieved."""
        return {**self.index.facts.chunks, **{p.chunk.id: p.chunk for p in self.passages}}

    @cached_property
    def solver(self) -> Solver:
        preferred = list(
            dict.fromkeys(c.strip() for p in self.passages for c in p.chunk.company.split(";") if c.strip())
        )
        return Solver(
            self.index.facts,
            self.registry.calendars,
            set(self.doc_ids) if self.doc_ids else None,
            preferred,
            self.registry.currencies,
        )

    @cached_property
    def solution(self) -> Solution:
        """The question's figures solved once (look-up, computation or comparison)."""
        solution = self.solver.solve(self.query)
        self.missing.extend(solution.missing)
        return solution
