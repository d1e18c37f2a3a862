"""Judgement rules (`data/judgements.json`): which figure decides a judgement a question asks for, the verdicts
with their thresholds, and the words that ask for each verdict."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.finance.vocabulary import DATA


@dataclass(frozen=True)
class Verdict:
    text: str  # 'capital-intensive'
    asks: tuple[str, ...]
    at_least: float | None = None
    above: float | None = None
    below: float | None = None
    at_most: float | None = None

    def holds(self, value: float) -> bool:
        return (
            (self.at_least is None or value >= self.at_least)
            and (self.above is None or value > self.above)
            and (self.below is None or value < self.below)
            and (self.at_most is None or value <= self.at_most)
        )


@dataclass(frozen=True)
class Judgement:
    key: str
    measure: str  # a concept or formula key
    rule: str
    source: str
    verdicts: tuple[Verdict, ...]

    def verdict(self, value: float) -> Verdict | None:
        return next((v for v in self.verdicts if v.holds(value)), None)


@dataclass(frozen=True)
class Asked:
    """A judgement a question asks for, and the verdict its words ask about."""

    judgement: Judgement
    verdict: Verdict
    yes_no: bool


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[Judgement, ...], tuple[str, ...]]:
    data = json.loads((DATA / "judgements.json").read_text(encoding="utf-8"))
    rules = tuple(
        Judgement(
            key,
            spec["measure"],
            spec["rule"],
            spec["source"],
            tuple(
                Verdict(
                    v["verdict"], tuple(v["asks"]), v.get("at_least"), v.get("above"), v.get("below"), v.get("at_most")
                )
                for v in spec["verdicts"]
            ),
        )
        for key, spec in data["judgements"].items()
    )
    return rules, tuple(data["triggers"])


def asked_judgement(question: str) -> Asked | None:
    """The judgement a question asks for ('Is Acme capital-intensive?'), by the longest words that ask for a
    verdict, when the question opens as a judgement does; None for anything else."""
    rules, triggers = _rules()
    lowered = " ".join(question.lower().replace("’", "'").split())
    opening = next(
        (
            t
            for t in sorted(triggers, key=len, reverse=True)
            if re.match(rf"\W*{re.escape(t)}\b", lowered) or re.search(rf"\b{re.escape(t)}\b", lowered) and " " in t
        ),
        None,
    )
    if opening is None:
        return None
    found = [
        (len(word), judgement, verdict)
        for judgement in rules
        for verdict in judgement.verdicts
        for word in verdict.asks
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered)
    ]
    if not found:
        return None
    _, judgement, verdict = max(found, key=lambda f: f[0])
    yes_no = bool(re.match(r"\W*(?:is|are|was|were|does|do|did|has|have|can|could|would)\b", lowered))
    return Asked(judgement, verdict, yes_no)
