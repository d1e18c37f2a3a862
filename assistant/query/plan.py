"""The search a Query asks for, planned from its typed fields: the words to search with, the periods each search
is about (for the rerank's period signal), one search per side of a comparison, and, scoped by the Query, the
figures it asks for (line item, company or segment, period), whose stating passages the facts index finds first,
the named company's filings for the named periods before its other documents. Nothing here reads the question's
text again."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache

from assistant.contract.types import DocumentInfo
from assistant.finance.entities import Entity
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec, find_periods
from assistant.finance.vocabulary import vocabulary
from assistant.query.model import Query
from assistant.search.plan import Figure, SearchPart, SearchPlan


def plan_search(
    query: Query,
    calendars: dict[str, FiscalCalendar],
    documents: dict[str, DocumentInfo],
    doc_ids: list[str] | None = None,
    scoped: bool = True,
    in_words: bool = False,
) -> SearchPlan:
    """Search with the question's own words (a follow-up: with what it resolves to); a question about two
    companies, segments or periods also searches each side, so both sides' evidence is retrieved. The documents a
    question names by kind ('per the article', 'in the 10-Q') restrict the search; with `scoped`, the passages
    stating the figures it asks for come first, from the named company's filings for the named periods when they
    state them. A question `in_words` (not for a figure) is not scoped to a named kind of document that is only
    about other companies than the ones it names."""
    text = query.describe(calendars) + " " + query.focus if query.follow_up else query.focus
    parts = [SearchPart(text, period_terms(query.periods))]
    if len(query.entities) > 1 or len(query.periods) > 1:
        entities: list[Entity | None] = list(query.entities) or [None]
        specs: list[PeriodSpec | None] = list(query.periods) or [None]
        for entity in entities:
            for spec in specs:
                side = replace(query, entities=[entity] if entity else [], periods=[spec] if spec else [])
                parts.append(SearchPart(side.describe(calendars) + " " + query.focus, period_terms(side.periods)))
    elif query.intent == "compare" and len(query.unknown) > 1:  # companies no catalog names
        label = query.concept.label if query.concept else query.metric_phrase
        periods = " ".join(p.text for p in query.periods)
        parts += [SearchPart(f"{name} {label} {periods}", period_terms(query.periods)) for name in query.unknown]
    doc_ids = _named_kinds(query, documents, doc_ids, in_words)
    if not scoped:
        return SearchPlan(tuple(parts), doc_ids)
    return SearchPlan(
        tuple(parts), doc_ids, filings_for(query, calendars, documents, doc_ids), figures_asked(query, calendars)
    )


def figures_asked(query: Query, calendars: dict[str, FiscalCalendar]) -> tuple[Figure, ...]:
    """The line items a figure question needs (a derived metric: its formula's inputs) for each company or segment
    and period it names, each period read by that company's calendar. Words the facts do not carry, or a name no
    document has, keep a figure from being answered from facts, not its statement row from being read."""
    if (
        not query.concepts
        or not query.entities
        or not query.periods
        or query.forward
        or query.intent in ("explain", "list")
    ):
        return ()
    out: dict[Figure, None] = {}
    for concept in query.concepts:
        for item in line_items(concept):
            for entity in query.entities:
                cal = calendars.get(entity.company, FiscalCalendar())
                for spec in query.periods:
                    period = spec.resolve(cal, stock=item.kind == "stock")
                    if period is not None:
                        out[Figure(item.key, entity.company, entity.segment, period)] = None
    return tuple(out)


def line_items(concept) -> list:
    """The stated line items behind a concept: itself, or the inputs of its formula (and theirs)."""
    from assistant.finance.vocabulary import vocabulary

    if not concept.derived:
        return [concept]
    known = vocabulary().concepts
    out = []
    for name in dict.fromkeys(re.findall(r"[a-z_]+", concept.formula)):
        if name in known and known[name] != concept:
            out += [c for c in line_items(known[name]) if c not in out]
    return out


def period_terms(specs: list[PeriodSpec]) -> frozenset[str]:
    """The period tokens of the periods asked: each year, 'qN' for a quarter, 'fyYYYY' for a fiscal year named
    as one ('FY2025', 'fiscal 2025')."""
    out: set[str] = set()
    for spec in specs:
        year = spec.fiscal_year or (spec.end_date.year if spec.end_date else None)
        if year:
            out.add(str(year))
            if spec.months == 12 and spec.end_date is None and spec.quarter is None:
                out.add(f"fy{year}")
        if spec.quarter and spec.months == 3:
            out.add(f"q{spec.quarter}")
    return frozenset(out)


def _named_kinds(
    query: Query, documents: dict[str, DocumentInfo], doc_ids: list[str] | None, in_words: bool = False
) -> list[str] | None:
    """The documents a question names by kind ('per the article', 'in the 10-Q'), within any chosen ones."""
    if not query.sources:
        return doc_ids
    also = vocabulary().source_kinds_also
    kinds = {k.lower() for s in query.sources for k in [s, *also.get(s, [])]}
    named = [d for d, info in documents.items() if info.doc_type.lower() in kinds and (doc_ids is None or d in doc_ids)]
    companies = {e.company for e in query.entities if not e.segment}
    if (
        in_words
        and companies
        and not any(companies & {c.strip() for c in documents[d].company.split(";")} for d in named)
    ):
        return doc_ids  # 'Who is X's CFO per its annual report?' when only another company's is called one
    return named or doc_ids


def filings_for(
    query: Query,
    calendars: dict[str, FiscalCalendar],
    documents: dict[str, DocumentInfo],
    doc_ids: list[str] | None = None,
) -> list[str] | None:
    """The documents of the companies a question names whose own period is one it asks about (the FY2024 10-K
    for 'in fiscal 2024'); None when it names no company or no period, or no such filing is served."""
    companies = set(query.companies())
    if not companies or not query.periods:
        return None
    stock = bool(query.concept and query.concept.kind == "stock")
    out = []
    for doc_id, info in documents.items():
        if doc_ids is not None and doc_id not in doc_ids:
            continue
        names = [n.strip() for n in info.company.split(";") if n.strip()]
        for company in companies & set(names):
            cal = calendars.get(company, FiscalCalendar())
            asked = [p for p in (s.resolve(cal, stock) for s in query.periods) if p is not None]
            if any(covers(own, p) for own in document_periods(info.period, cal) for p in asked):
                out.append(doc_id)
                break
    return out or None


def covers(own: Period, asked: Period) -> bool:
    """A filing for period `own` is the filing for `asked`: the same span, or the balance-sheet date it ends on."""
    return own.matches(asked) or (asked.instant and abs((own.end - asked.end).days) <= 10)


@lru_cache(maxsize=4096)
def document_periods(label: str, cal: FiscalCalendar) -> tuple[Period, ...]:
    """The periods a document's own period label names ('FY2024 (year ended 2024-12-31)', 'quarter ended
    2025-06-30', 'Q4 2025 and FY2025'), by its company's calendar; document metadata, read once per label."""
    out = [
        Period(date.fromisoformat(day), 3 if kind.lower() == "quarter" else 12) for kind, day in _ENDED.findall(label)
    ]
    if not out:  # a bare year ('2026') dates an article; it names no reporting period
        out = [p for p in (spec.resolve(cal) for spec in find_periods(label) if spec.months) if p is not None]
    return tuple(out)


_ENDED = re.compile(r"\b(year|quarter) ended (\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
