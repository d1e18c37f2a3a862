"""Figures for metrics the vocabulary does not know ('shipping costs', 'unearned revenue from cloud contracts'),
read at question time from the retrieved sentences with the question's own words for the metric, by the same
sentence grammar ingest uses: the figure whose period is the one asked, never its neighbour in the sentence."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.solve import Side, Solution
from assistant.finance.entities import Entity
from assistant.finance.periods import find_periods
from assistant.finance.statements import FactContext, read_sentence
from assistant.finance.vocabulary import Concept
from assistant.query.analyze import Query, resolve_period
from assistant.query.registry import Registry
from assistant.text import split_sentences
from assistant.contract.types import ScoredChunk

_AMOUNT_QUESTION = re.compile(r"^\s*(?:how (?:much|many)|what (?:was|were|is|are)|what amount)\b", re.I)
FILINGS = ("10-K", "10-Q", "20-F", "annual report", "earnings release")


def asks_amount(query: Query) -> bool:
    return bool(query.periods and query.metric_phrase and (_AMOUNT_QUESTION.match(query.focus) or query.concept
                                                           or query.follow_up))


def read_figure(query: Query, passages: list[ScoredChunk], registry: Registry) -> Solution | None:
    """The asked figure from the first retrieved sentence that states it for the asked company and period."""
    if not asks_amount(query):
        return None
    metric = Concept(key="phrase:" + re.sub(r"\W+", "_", query.metric_phrase.lower()), label=query.metric_phrase,
                     names=(query.metric_phrase,))
    for hit in passages:
        if hit.chunk.kind != "prose":
            continue
        company = hit.chunk.company.split(";")[0].strip()
        entity = query.entities[0] if query.entities else Entity(company)
        if entity.company != company:
            continue
        target = resolve_period(query.periods[0], registry.calendar(company), None)
        if target is None:
            continue
        context = FactContext(company=company, calendar=registry.calendar(company), annual=False,
                              currency=registry.currencies.get(company, "USD"), default_period=None,
                              entities=registry.matcher, companies=[company])
        heading = find_periods(hit.chunk.section)
        for start, end in split_sentences(hit.chunk.text):
            sentence = hit.chunk.text[start:end]
            for fact in read_sentence(sentence, context, heading, metric):
                if fact.segment == entity.segment and fact.measure == "value" and \
                        _period(fact).matches(target):
                    fact = replace(fact, chunk_id=hit.chunk.id, doc_id=hit.chunk.doc_id)
                    named = replace(metric, label=printed_name(sentence, query.metric_phrase))
                    return Solution(sides=[Side(entity, named, target, fact=fact)])
    return None


def printed_name(sentence: str, phrase: str) -> str:
    """The line item as the sentence names it: 'shipping' asked, 'shipping costs' printed."""
    m = re.search(rf"\b{re.escape(phrase)}((?:\s+[a-z][a-z-]*){{0,2}}?)(?=\s+(?:were|was|are|is|increased|decreased|"
                  rf"rose|fell|grew|declined|totaled|totalled|of|in|for|during)\b)", sentence, re.IGNORECASE)
    return (phrase + m.group(1)).lower() if m else phrase


def _period(fact):
    from assistant.finance.periods import Period

    return Period.from_key(fact.period)
