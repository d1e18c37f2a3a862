"""Figures for metrics the vocabulary does not know ('shipping costs', 'unearned revenue from cloud contracts'),
read at question time from the retrieved sentences with the question's own words for the metric, by the same
sentence grammar ingest uses: the figure whose period is the one asked, never its neighbour in the sentence."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.solve import Side, Solution
from assistant.finance.entities import Entity
from assistant.finance.periods import Period, find_periods
from assistant.finance.statements import FactContext, read_sentence
from assistant.finance.vocabulary import Concept
from assistant.query.analyze import Query, resolve_period
from assistant.query.registry import Registry
from assistant.text import split_sentences
from assistant.contract.types import Fact, ScoredChunk

_AMOUNT_QUESTION = re.compile(r"^\s*(?:how (?:much|many|large|big|high)|what (?:was|were|is|are)|what amount)\b", re.I)
FILINGS = ("10-K", "10-Q", "20-F", "annual report", "earnings release")


def asks_amount(query: Query) -> bool:
    return bool(
        query.periods
        and query.metric_phrase
        and (_AMOUNT_QUESTION.match(query.focus) or query.concept or query.follow_up or _two_periods(query))
    )


def _two_periods(query: Query) -> bool:
    """One line item of one company compared across two periods ('How did X in 2022 compare with 2021?')."""
    return query.intent == "compare" and len(query.periods) == 2 and len(query.entities) <= 1


def read_figure(query: Query, passages: list[ScoredChunk], registry: Registry) -> Solution | None:
    """The asked figure from the first retrieved sentence that states it for the asked company and period."""
    if not asks_amount(query):
        return None
    metric = Concept(
        key="phrase:" + re.sub(r"\W+", "_", query.metric_phrase.lower()),
        label=query.metric_phrase,
        names=(query.metric_phrase,),
    )
    unscaled: Solution | None = None  # a row under no printed scale: shown only if nothing better is found,
    for hit in passages:  # and then refused by the checks with what the documents give
        if hit.chunk.kind != "prose":
            found = _from_table(query, hit, registry, metric)
            read = found.sides[0].fact if found is not None else None
            if read is not None and read.scale == 1.0 and read.unit != "percent":
                unscaled = unscaled or found
            elif found is not None:
                return found
            continue
        if _two_periods(query):
            continue  # both periods are read from one table row, never pieced together from sentences
        company = hit.chunk.company.split(";")[0].strip()
        entity = query.entities[0] if query.entities else Entity(company)
        if entity.company != company:
            continue
        target = resolve_period(query.periods[0], registry.calendar(company), None)
        if target is None:
            continue
        context = FactContext(
            company=company,
            calendar=registry.calendar(company),
            annual=False,
            currency=registry.currencies.get(company, "USD"),
            default_period=None,
            entities=registry.matcher,
            companies=[company],
        )
        heading = find_periods(hit.chunk.section)
        for start, end in split_sentences(hit.chunk.text):
            sentence = hit.chunk.text[start:end]
            for fact in read_sentence(sentence, context, heading, metric):
                if fact.segment == entity.segment and fact.measure == "value" and _period(fact).matches(target):
                    fact = replace(fact, chunk_id=hit.chunk.id, doc_id=hit.chunk.doc_id)
                    named = replace(metric, label=printed_name(sentence, query.metric_phrase))
                    return Solution(sides=[Side(entity, named, target, fact=fact)])
    return unscaled


GENERIC_ITEM_WORDS = {"expense", "cost", "amount", "figure", "line", "item"}  # words that add nothing to a name
EXTRA_LABEL_WORDS = 3  # a row label may say this many words more than the question's name for the line item


def _from_table(query: Query, hit: ScoredChunk, registry: Registry, metric: Concept) -> Solution | None:
    """The asked figure from a table row whose label is the question's own name for the line item ('Widget Club
    rewards'), in the column of the asked period."""
    table = hit.chunk.table
    company = hit.chunk.company.split(";")[0].strip()
    phrase = query.metric_phrase.lower().split()
    if table is None or query.concept is not None or not query.entities:
        return None  # only a line item no vocabulary names, of a company the question names
    if any(name.lower() not in phrase for name in query.unknown):
        return None  # a name no document has, outside the line item's own ('Widget Club rewards')
    entity = query.entities[0]
    if entity.company != company or entity.segment:
        return None
    calendar = registry.calendar(company)
    resolved = [resolve_period(spec, calendar, None) for spec in query.periods[: 2 if _two_periods(query) else 1]]
    targets = [t for t in resolved if t is not None]
    wanted = _words(query.metric_phrase) - GENERIC_ITEM_WORDS  # 'rewards expense' is the 'Widget Club rewards' row
    if len(targets) < len(resolved) or not wanted:
        return None
    found = [
        next((k for k, key in enumerate(table.columns) if key and _holds(Period.from_key(key), t)), None)
        for t in targets
    ]
    columns = [k for k in found if k is not None]
    if len(columns) < len(found):
        return None
    for row in table.rows:
        label = _words(row.label)
        head = _ordered_words(row.label)[: len(wanted)]
        if not wanted <= label or set(head) != wanted or len(label) > len(wanted) + EXTRA_LABEL_WORDS:
            continue  # the row is named by the question's words, first ('Unearned revenue' is no revenue)
        facts = [f for k, target in zip(columns, targets) if (f := _cell_fact(hit, row, k, target, metric))]
        if len(facts) < len(targets):
            continue
        named = replace(metric, label=row.label.lower())
        return Solution(sides=[Side(entity, named, t, fact=f) for f, t in zip(facts, targets)])
    return None


def _cell_fact(hit: ScoredChunk, row, k: int, target: Period, metric: Concept) -> Fact | None:
    """The fact one table cell states for the asked period, in the table's scale (a percentage unscaled)."""
    table = hit.chunk.table
    value = row.values[k] if k < len(row.values) else None
    cell = row.cells[k] if row.cells else ""
    if value is None or table is None:
        return None
    percent = "%" in cell
    scale = 1.0 if percent else _amount_scale(hit, table)
    return Fact(
        concept=metric.key,
        label=row.label,
        period=target.key(),
        value=value * scale,
        unit="percent" if percent else table.currency,
        quote=row.line,
        text=cell or str(value),
        scale=scale,
        company=hit.chunk.company.split(";")[0].strip(),
        source="table",
        chunk_id=hit.chunk.id,
        doc_id=hit.chunk.doc_id,
    )


def _amount_scale(hit: ScoredChunk, table) -> float:
    """The scale of the table's money amounts: the one ingest read for its other rows (a statement continued from
    a page that printed '(in millions)'), else the table's own."""
    return next(
        (f.scale for f in hit.chunk.facts if f.source == "table" and f.unit == table.currency and f.scale > 1),
        table.scale,
    )


def _holds(column: Period, target: Period) -> bool:
    """A column holds the asked period's figure: the same period, or, for a balance asked at a date, a column
    dated that day ('2022' in an annual report's table of balances at December 31)."""
    if target.instant:
        return Period(column.end, 0).matches(target)
    return column.matches(target)


def _words(text: str) -> set[str]:
    """Content words, singular: 'Widget Club rewards' -> {'widget', 'club', 'reward'}."""
    return set(_ordered_words(text))


def _ordered_words(text: str) -> list[str]:
    return [w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in ("total", "the", "and", "net")]


def printed_name(sentence: str, phrase: str) -> str:
    """The line item as the sentence names it: 'shipping' asked, 'shipping costs' printed."""
    m = re.search(
        rf"\b{re.escape(phrase)}((?:\s+[a-z][a-z-]*){{0,2}}?)(?=\s+(?:were|was|are|is|increased|decreased|"
        rf"rose|fell|grew|declined|totaled|totalled|of|in|for|during)\b)",
        sentence,
        re.IGNORECASE,
    )
    return (phrase + m.group(1)).lower() if m else phrase


def _period(fact):
    from assistant.finance.periods import Period

    return Period.from_key(fact.period)
