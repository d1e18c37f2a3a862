"""The follow-up reader: whether a turn leans on the previous one, and if so the question it stands for.

A turn is a follow-up only when it refers back: it opens like one ('and ...?', 'what about', 'same for'), names a
period relative to the previous one ('the year before'), points at the previous figure ('of that', 'the
decline', 'that quarter'), uses a pronoun for a subject it does not name, is a bare 'Why?', or is an ellipsis
(nothing but the names of a metric, period or company). Any other turn is a new question, answered or refused on
its own terms, even when its company or metric is one no document knows. A follow-up keeps from the previous
Query what it does not change and replaces what it names."""

from __future__ import annotations

from dataclasses import replace

from assistant.finance.periods import PeriodSpec
from assistant.finance.vocabulary import Concept, vocabulary
from assistant.query.grammar import grammar
from assistant.query.model import Intent, Operation, Query
from assistant.query.reading import Reading
from assistant.query.readers.intent import answer_type, intent_of
from assistant.query.readers.operation import year_earlier
from assistant.text import QUESTION_WORDS, STOPWORDS


def read_follow_up(reading: Reading, query: Query) -> Query | None:
    """For a follow-up, the previous Query with what this turn changes; nothing for a new question."""
    if reading.previous is None or not refers_back(reading, query):
        return None
    return _resolve(reading, query, reading.previous)


def refers_back(reading: Reading, query: Query) -> bool:
    g, focus = grammar(), reading.focus
    own_subject = bool(query.entities or query.unknown)
    if g.starts(focus, "follow_up_openers") or query.relative or g.is_one(focus.rstrip("?.! "), "bare_follow_ups"):
        return True
    if g.has(focus, "figure_references") or g.has(focus, "change_references"):
        return True
    if g.has(focus, "back_references") and not own_subject:
        return True
    return _ellipsis(reading) and not query.unknown


def _ellipsis(reading: Reading) -> bool:
    """A fragment made only of what fills a question's slots ('Q3?', 'Operating income?', 'Over the trailing twelve
    months?'): no words of its own beyond names of metrics, periods, companies and fillers."""
    text = reading.focus
    spans = (
        [(m.start, m.end) for m in reading.mentions]
        + [(p.start, p.end) for p in reading.all_periods]
        + [(e.start, e.end) for e in reading.every_name]
    )
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    vocab = vocabulary()
    left = [w.lower() for w in grammar().pattern("word").findall(text)]
    return not any(
        w not in STOPWORDS and w not in vocab.metric_fillers and w not in QUESTION_WORDS for w in left
    ) and not grammar().starts(reading.focus, "asking_openers")


def _resolve(reading: Reading, query: Query, previous: Query) -> Query:
    """Keep from the previous Query what the follow-up does not change; replace what it names."""
    g, focus = grammar(), reading.focus
    entities = _entities(reading, query, previous)
    concepts = query.concepts or _margin_of(focus, previous.concepts) or previous.concepts
    periods = query.periods or previous.periods
    if query.relative == "previous" and not query.periods and previous.periods:
        back = g.find(focus, "years_back")
        years = g.tables["number_values"].get(back.group(0).split()[0].lower(), 1) if back else 1
        periods = [year_earlier(p, years) for p in previous.periods]
    run = previous.series == "periods" and not query.periods  # 'And its operating income?' after a run of years
    each = previous.each_segment and not query.entities  # 'And net sales?' after each segment's figure
    operation = query.operation
    if operation == Operation.VALUE and (not query.concepts or run) and previous.operation != Operation.VALUE:
        operation = previous.operation
    keep_metric = not query.concepts and not query.profit
    resolved = replace(
        query,
        entities=entities,
        concepts=list(concepts),
        periods=[_with_year(spec, previous.periods) for spec in periods],
        operation=operation,
        follow_up=True,
        carried=not query.entities and not query.unknown,
        metric_phrase=query.metric_phrase if not keep_metric or not previous.metric_phrase else previous.metric_phrase,
        qualifiers=query.qualifiers or (previous.qualifiers if keep_metric else []),
        sources=query.sources or previous.sources,
        forward=query.forward or previous.forward,
        profit=query.profit or (previous.profit and not query.concepts),
        unknown=query.unknown if query.entities or query.unknown else previous.unknown,
        series=query.series or (previous.series if run or each and previous.series == "segments" else ""),
        spanned=query.spanned or run and previous.spanned,
        each_segment=query.each_segment or each,
    )
    resolved.intent = _intent(reading, query, resolved, previous)
    resolved.answer_type = answer_type(resolved)
    return resolved


def _entities(reading: Reading, query: Query, previous: Query) -> list:
    """The follow-up's own companies and segments (a segment name several companies share is the previous
    company's); with a comparison ('Is that higher than Zeta's?') the previous ones and the new; none when it
    names only a company no document knows ('What about Initech?')."""
    if not query.entities:
        return [] if query.unknown and not grammar().has(reading.focus, "back_references") else list(previous.entities)
    companies = previous.companies()
    own = []
    for entity in query.entities:
        shared = next(
            (
                c
                for c in companies
                if entity.segment and c != entity.company and entity.segment in reading.matcher.segments_of(c)
            ),
            None,
        )
        own.append(replace(entity, company=shared) if shared else entity)
    compared = grammar().has(reading.focus, "compare_words") or query.comparative
    if compared and not {e.company for e in own} & set(companies):
        return list(previous.entities) + own
    return own


def _intent(reading: Reading, query: Query, resolved: Query, previous: Query) -> Intent:
    g = grammar()
    if g.pattern("reason_asked").match(reading.focus) or g.is_one(reading.focus.rstrip("?.! "), "bare_follow_ups"):
        return Intent.EXPLAIN  # 'Why did it rise?' asks for the reason behind the previous figure
    if query.concepts or query.entities:
        intent = intent_of(resolved.focus, resolved)
    else:
        intent = previous.intent if previous.intent != Intent.COMPARE or len(resolved.entities) >= 2 else Intent.LOOKUP
    if intent == Intent.EXPLAIN and resolved.concept is not None and previous.intent != Intent.EXPLAIN:
        return Intent.COMPUTE if resolved.concept.derived or resolved.operation != Operation.VALUE else Intent.LOOKUP
    return intent


def _margin_of(focus: str, previous: list[Concept]) -> list[Concept]:
    """'And its margin?' after a profit figure: that profit over net sales, the margin the formula table defines
    for it ('operating income' -> operating margin, 'gross profit' -> gross margin)."""
    if not previous or not grammar().has(focus, "margin_words"):
        return []
    wanted = f"{previous[0].key}/revenue"
    return [
        c
        for c in vocabulary().concepts.values()
        if any(f.replace(" ", "") == wanted for f in (c.formula, *c.alternatives))
    ][:1]


def _with_year(spec: PeriodSpec, previous: list[PeriodSpec]) -> PeriodSpec:
    """A period named without its year ('the full year', 'Q2') takes the year of the period the conversation
    was about; a trailing or latest period keeps none."""
    if spec.fiscal_year or spec.end_date or spec.relative or not previous:
        return spec
    before = previous[0]
    year = before.fiscal_year or (before.end_date.year if before.end_date else None)
    return replace(spec, fiscal_year=year) if year else spec
