"""Example questions for the chat, written from what the ingested documents state (their facts), so they fit
whatever is ingested: how a segment's (or the company's) most reported figure changed over the years, a margin
computed from two figures, each segment's figure for the latest year, and another company's figure. Each is
asked once, and only the answered ones are offered; they are worked out again when the documents change."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter

from assistant.contract import phrases
from assistant.finance.periods import Period

log = logging.getLogger("assistant.ui")
MAX_EXAMPLES = 4


class Examples:
    """The example questions for one Assistant, kept until its documents change."""

    def __init__(self, assistant):
        self.assistant = assistant
        self._kept: tuple[str, list[str]] | None = None
        self._lock = threading.Lock()

    def questions(self) -> list[str]:
        try:
            index = self.assistant.search.latest_index()
        except Exception:  # an empty or unavailable store has no examples
            return []
        with self._lock:
            if self._kept is None or self._kept[0] != index.signature:
                self._kept = (index.signature, self._answered(candidates(index.facts, self.assistant.registry())))
            return self._kept[1]

    def _answered(self, questions: list[str]) -> list[str]:
        out = []
        for question in questions:
            try:
                if self.assistant.answerable(question):
                    out.append(question)
            except Exception:  # an example is a convenience: never let it fail the page
                log.exception("example question failed: %s", question)
            if len(out) == MAX_EXAMPLES:
                break
        return out


def candidates(facts, registry) -> list[str]:
    """Questions about the companies with the most annual figures, most reported first."""
    from assistant.answer.compose import verb_be
    from assistant.finance.vocabulary import vocabulary
    from ui.suggestions import possessive

    concepts = vocabulary().concepts
    annual: dict[tuple[str, str, str], set[Period]] = {}
    for fact in facts.all():
        concept = concepts.get(fact.concept)
        period = Period.from_key(fact.period)
        if (
            concept is None
            or concept.derived
            or concept.unit != "money"
            or fact.measure != "value"
            or period.months != 12
            or not fact.company
        ):
            continue
        annual.setdefault((fact.company, fact.segment, fact.concept), set()).add(period)
    weight = Counter()
    for (company, _segment, _concept), periods in annual.items():
        weight[company] += len(periods)
    out = []
    for rank, (company, _) in enumerate(weight.most_common(2)):
        calendar = registry.calendar(company)
        mine = {key: sorted(periods, key=lambda p: p.end) for key, periods in annual.items() if key[0] == company}
        segments = [s for c, s in registry.segments if c == company]
        best = max(mine, key=lambda k: (bool(k[1]) and k[1] in segments, len(mine[k]), not k[1]))
        _, segment, key = best
        concept, periods = concepts[key], mine[best]
        who = possessive(registry.name(company, segment))
        latest = periods[-1].label(calendar)
        if rank == 0 and len(periods) >= 3:
            out.append(
                phrases.SUGGEST_TREND.format(
                    who=who, metric=concept.label, first=periods[0].label(calendar), last=latest
                )
            )
        else:
            out.append(phrases.SUGGEST_PERIOD.format(who=who, metric=concept.label, period=latest, be=verb_be(concept)))
        for margin in concepts.values():  # a margin: a figure over revenue, both stated for that year
            parts = re.fullmatch(r"([a-z_]+) / revenue", margin.formula)
            if parts and all(periods[-1] in mine.get((company, segment, k), ()) for k in (parts.group(1), "revenue")):
                out.append(
                    phrases.SUGGEST_PERIOD.format(who=who, metric=margin.label, period=latest, be=verb_be(margin))
                )
                break
        covered = [s for s in segments if periods[-1] in mine.get((company, s, key), [])]
        if rank == 0 and len(covered) >= 2:
            out.append(
                phrases.SUGGEST_SEGMENTS.format(
                    company=registry.name(company), metric=concept.label, period=latest, be=verb_be(concept)
                )
            )
    return list(dict.fromkeys(out))
