"""Facts at ingest: every figure a table or a sentence states, with whose it is (company, segment), what it is
(concept, line item), when (period), how much (value, unit, scale) and where it was read (row or sentence).

Tables give their facts through their parsed structure (row label or row-group label -> concept and segment or
other breakdown such as a product line or country, column -> period). Sentences are read by the grammar in
`assistant/finance/statements.py`.
"""

from __future__ import annotations

import re

from assistant.finance.entities import EntityMatcher, discover_segments
from assistant.finance.periods import Period, find_periods
from assistant.finance.statements import FactContext, sentence_facts
from assistant.finance.vocabulary import Concept, vocabulary
from assistant.contract.types import Fact, Table
from ingest.catalog import DocMeta

__all__ = ["context_for", "sentence_facts", "table_facts"]

PRIMARY_CAPTION = re.compile(r"statements? of (operations|income|earnings|cash flows|comprehensive income)|"
                             r"\bincome statements?\b|\bcash flows? statements?\b|"
                             r"balance sheets?|statements? of financial position|segment information|"
                             r"information on reportable segments|by segment", re.IGNORECASE)
_SHARE_WORDS = re.compile(r"\bmix\b|% of\b|as a percentage of|percent of", re.IGNORECASE)
_GROWTH_WORDS = re.compile(r"\bgrowth\b|\by/y\b|year-over-year|percentage (?:growth|change)", re.IGNORECASE)
_ADJUSTED = re.compile(r"excluding|ex-|adjusted for|constant currency", re.IGNORECASE)
BREAKDOWN = re.compile(r"\bby (?:segment|reportable segment|geograph|region|countr|product|service|type|category|"
                       r"groups? of similar)|\bdisaggregat|\bsegment (?:information|results|revenue|sales)|"
                       r"\b(?:net sales|revenues?|sales) (?:by|from)\b|\battributed to\b", re.IGNORECASE)
_GENERIC_MEMBER = re.compile(r"^(?:other|others|total|all other|corporate|eliminations?|unallocated|"
                             r"intersegment)\b", re.IGNORECASE)
_MEMBER = re.compile(r"^[A-Z][A-Za-z&.,'’-]*(?: [A-Za-z&.,'’-]+){0,5}$")
_TOTAL_SEGMENT = re.compile(r"^(consolidated|total|total company|company total)$", re.IGNORECASE)
_TTM = re.compile(r"\bTTM\b|trailing twelve months", re.IGNORECASE)
_PER_SHARE = re.compile(r"per (?:diluted |basic )?share", re.IGNORECASE)


def context_for(meta: DocMeta, full_text: str) -> FactContext:
    """The fact context of a document: catalog profiles plus the segments the document itself names."""
    entities = EntityMatcher()
    for profile in meta.companies:  # names and aliases only: descriptive words ('cloud') are how people ask
        entities.add_company(profile.name, profile.aliases)
        for segment, spec in profile.segments.items():
            entities.add_segment(profile.name, segment, spec.get("aliases", []))
    main = meta.companies[0].name if meta.companies else meta.company
    if main and len(meta.companies) <= 1:
        known = {s.lower() for s in entities.segments_of(main)}
        for name in discover_segments(full_text):
            if name.lower() not in known and not entities.mentions(name):
                entities.add_segment(main, name)
    resolved = {spec.resolve(meta.calendar) for spec in find_periods(meta.period)} if meta.filing else set()
    default = resolved.pop() if len(resolved) == 1 else None
    return FactContext(company=main, calendar=meta.calendar, annual=meta.annual, currency=meta.currency,
                       default_period=default, entities=entities,
                       companies=[p.name for p in meta.companies] or ([main] if main else []))


# -- tables ---------------------------------------------------------------------------------------------------
_CHANGES = re.compile(r"\bchanges?\b|\bincrease\b|\bdecrease\b|cash flows?", re.IGNORECASE)


def table_facts(table: Table, context: FactContext, section: str = "") -> list[Fact]:
    """One fact per labelled cell whose column has a period."""
    vocab = vocabulary()
    caption = f"{section} {table.caption}"
    primary = bool(PRIMARY_CAPTION.search(caption))
    caption_concept = _last_concept(caption)
    out = []
    for row in table.rows:
        concept, segment, company = _row_meaning(row.label, row.group, caption_concept, context,
                                                 bool(BREAKDOWN.search(f"{caption} {row.group}")))
        if concept is None or _ADJUSTED.search(f"{row.group} {row.label}"):
            continue
        if concept.key == "long_term_debt" and re.search(r"\bcurrent liabilities\b", row.group, re.IGNORECASE) \
                and not re.search(r"long-term|non-?current", f"{row.group} {row.label}", re.IGNORECASE):
            concept = vocab.concepts["current_debt"]  # 'Debt' under 'Current liabilities:' is the current portion
        context_words = f"{caption} {row.group} {row.label}"
        measure = "value"
        if concept.unit == "percent":
            pass
        elif _SHARE_WORDS.search(f"{row.group} {row.label}"):
            measure = "share"
        elif _GROWTH_WORDS.search(f"{row.group} {row.label}"):
            measure = "growth"
        for column, (key, value) in enumerate(zip(table.columns, row.values)):
            if value is None or not key:
                continue
            period = Period.from_key(key)
            if _TTM.search(row.label) and period.months:
                period = Period(period.end, 12)
            if concept.kind == "stock" and measure == "value" and period.months and not _CHANGES.search(context_words):
                period = Period(period.end, 0)  # a balance under a 'twelve months ended' heading is the year-end one
            elif concept.kind != "stock" and period.instant and context.annual:
                period = Period(period.end, 12)  # a year's figure in an annual report's column dated its last day
            cell = _cell_text(row.line, column, len(table.columns))
            percent = "%" in cell or measure in ("growth", "share") or concept.unit == "percent"
            per_share = concept.unit == "per_share" or bool(_PER_SHARE.search(row.label))
            if percent:
                unit, scale = "percent", 1.0
            elif per_share:
                unit, scale = f"{table.currency}/share", 1.0
            elif concept.unit == "count" or "shares" in context_words.lower() and concept.unit != "money":
                unit, scale = "count", table.scale
            else:
                unit, scale = table.currency, table.scale
            out.append(Fact(
                concept=concept.key, label=row.label, period=period.key(), value=value * scale, unit=unit,
                quote=row.line, text=cell, scale=scale, company=company, segment=segment, measure=measure,
                source="table", primary=primary and measure == "value"))
    return out


def _row_meaning(label: str, group: str, caption_concept: Concept | None, context: FactContext,
                 breakdown: bool = False) -> tuple[Concept | None, str, str]:
    """(concept, segment, company) of a row: a line item under a segment label ('North America' / 'Net sales'),
    a segment under a line-item label ('Operating income:' / 'Cloud'), or a line item alone."""
    vocab = vocabulary()
    label_concept = vocab.concept_of(label)
    group_concept = vocab.concept_of(group) if group else None
    label_segment = context.segment_company(re.sub(r"\s*\(\d{1,2}\)$", "", label.strip()))  # 'Cloud (2)': a note
    group_segment = context.segment_company(group) if group else None
    company = context.company
    if label_concept and not label_segment:
        if group_segment:
            return label_concept, group_segment[1], group_segment[0]
        return label_concept, "", company
    if label_segment:
        concept = group_concept or caption_concept
        return concept, label_segment[1], label_segment[0]
    if _TOTAL_SEGMENT.match(label.strip()) and (group_concept or caption_concept):
        return group_concept or caption_concept, "", company
    member = re.sub(r"\s*\(\d{1,2}\)$", "", label.strip())  # without its note marker
    if (group_concept or caption_concept) and _MEMBER.match(member) and not _GENERIC_MEMBER.match(member) \
            and breakdown:
        # a breakdown the document reports the line item by: a product line, a country ('Advertising services')
        return group_concept or caption_concept, member, company
    return None, "", company


def _last_concept(text: str) -> Concept | None:
    mentions = vocabulary().mentions(text)
    return mentions[-1].concept if mentions else None


def _cell_text(line: str, column: int, columns: int) -> str:
    """The printed cell of a column: the row's trailing figure tokens, '$ 1.95' read as one."""
    from ingest.tables import split_row

    _, cells = split_row(line)
    cells = cells[-columns:]
    return cells[column] if column < len(cells) else ""


