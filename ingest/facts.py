"""Facts at ingest: every figure a table or a sentence states, with whose it is (company, segment), what it is
(concept, line item), when (period), how much (value, unit, scale) and where it was read (row or sentence).

Tables give their facts through their parsed structure (row label or row-group label -> concept and segment or
other breakdown such as a product line or country, column -> period). Sentences are read by the grammar in
`assistant/finance/statements.py`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.finance.entities import EntityMatcher, discover_segments
from assistant.finance.periods import Period, find_periods
from assistant.finance.statements import FactContext, sentence_facts
from assistant.finance.vocabulary import Concept, add_company_metrics, company_share, line_item_key, vocabulary
from assistant.contract.types import Fact, Table
from ingest.catalog import DocMeta

__all__ = ["context_for", "sentence_facts", "table_facts"]

# Which statement a table is, from its caption or its page's title (first match wins: 'comprehensive income'
# before 'income'); every kind but the statement of equity is a primary source of its line items.
STATEMENTS = [
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("cash_flow", r"statements? of (?:consolidated )?cash flows?|\bcash flows? statements?\b"),
        ("balance", r"balance sheets?|statements? of (?:consolidated )?financial (?:position|condition)"),
        (
            "equity",
            r"statements? of (?:changes in )?(?:stockholders|shareholders|shareowners|owners)['’]? "
            r"(?:equity|investment|deficit)|statements? of (?:changes in )?equity",
        ),
        ("comprehensive", r"statements? of (?:consolidated )?comprehensive (?:income|loss|earnings)"),
        (
            "income",
            r"statements? of (?:consolidated )?(?:operations|income|earnings|(?:net )?loss)|"
            r"\bincome statements?\b(?!\s+(?:and\s+other\s+)?data)",  # 'selected income statement data' is a summary
        ),
        (
            "segment",
            r"segment information|information (?:on|by|about) (?:reportable |operating )?segments?|"
            r"\bby (?:reportable |operating )?segments?\b|segment results",
        ),
    )
]
PRIMARY_STATEMENTS = {"cash_flow", "balance", "comprehensive", "income", "segment"}
STATEMENT_TITLES = {
    "cash_flow": "statement of cash flows",
    "balance": "balance sheet",
    "equity": "statement of equity",
    "comprehensive": "statement of comprehensive income",
    "income": "income statement",
    "segment": "segment information",
}  # a name `statement_of` reads as each kind
_SHARE_WORDS = re.compile(r"\bmix\b|% of\b|as a percentage of|percent of", re.IGNORECASE)
_GROWTH_WORDS = re.compile(r"\bgrowth\b|\by/y\b|year-over-year|percentage (?:growth|change)", re.IGNORECASE)
_ADJUSTED = re.compile(r"excluding|ex-|adjusted for|constant currency", re.IGNORECASE)
BREAKDOWN = re.compile(
    r"\bby (?:segment|reportable segment|geograph|region|countr|product|service|type|category|"
    r"groups? of similar)|\bdisaggregat|\bsegment (?:information|results|revenue|sales)|"
    r"\b(?:net sales|revenues?|sales) (?:by|from)\b|\battributed to\b",
    re.IGNORECASE,
)
_EACH_DIVISION = re.compile(
    r"\b(?:by|of|for) (?:each |its )?(?:divisions?|operating segments?|reportable segments?)\b", re.I
)
_GENERIC_MEMBER = re.compile(
    r"^(?:other|others|total|all other|corporate|eliminations?|unallocated|"
    r"intersegment)\b",
    re.IGNORECASE,
)
_MEMBER = re.compile(r"^[A-Z][A-Za-z&.,'’-]*(?: [A-Za-z&.,'’-]+){0,5}$")
# a column of a measure, not of a member: 'Amount', 'Carrying Value', 'As Reported', 'Diluted'
_MEASURE_COLUMN = re.compile(
    r"\b(?:amounts?|percent(?:age)?|reported|adjusted|gaap|actual|fair|carrying|book|basic|diluted|"
    r"pro forma|estimated|notional|gross|net|weighted|average|level|change|increase|decrease|variance|"
    r"dollars?|units?|shares|world)\b",
    re.IGNORECASE,
)
_TOTAL_SEGMENT = re.compile(r"^(consolidated|total|total company|company total)$", re.IGNORECASE)
_SHARE_COLUMN = re.compile(r"(?:percent|%)\s+(?:to|of)\s+(?:total\s+)?[a-z]+$", re.IGNORECASE)
_CHANGE_COLUMN = re.compile(r"(?:percent|%)?\s*(?:change|increase|decrease|\(decrease\))\)?$", re.IGNORECASE)
_CENTS = re.compile(r"\bcents\b", re.IGNORECASE)
_TTM = re.compile(r"\bTTM\b|trailing twelve months", re.IGNORECASE)
_PER_SHARE = re.compile(r"per (?:diluted |basic )?share", re.IGNORECASE)
_PERCENT_CONTEXT = re.compile(r"%|\bpercent|\bas a percentage\b|\brate\b", re.IGNORECASE)


def context_for(meta: DocMeta, full_text: str) -> FactContext:
    """The fact context of a document: catalog profiles plus the segments the document itself names. A profile's
    own metrics join the vocabulary its rows are read with."""
    entities = EntityMatcher()
    for profile in meta.companies:  # names and aliases only: descriptive words ('cloud') are how people ask
        add_company_metrics(profile.metrics)
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
    return FactContext(
        company=main,
        calendar=meta.calendar,
        annual=meta.annual,
        currency=meta.currency,
        default_period=default,
        entities=entities,
        companies=[p.name for p in meta.companies] or ([main] if main else []),
    )


# -- tables ---------------------------------------------------------------------------------------------------
_CHANGES = re.compile(r"\bchanges?\b|\bincrease\b|\bdecrease\b|cash flows?", re.IGNORECASE)


def statement_of(text: str) -> str:
    """'income', 'balance', 'cash_flow', 'comprehensive', 'equity', 'segment', or '' for any other table."""
    return next((kind for kind, pattern in STATEMENTS if pattern.search(text)), "")


def table_facts(
    table: Table, context: FactContext, section: str = "", title: str = "", amount_scale: float | None = None
) -> list[Fact]:
    """One fact per labelled cell whose column has a period. `title`: the page's own title lines, which name the
    statement a table is when its caption does not; `amount_scale` the scale of its money amounts when the table
    names none but the document's statements do (counts and per-share figures keep the table's). Where the column
    headings name line items (segments down the side, 'Net Sales' and 'Operating Income' across the top), each
    column's line item is its heading's."""
    caption = f"{section} {table.caption}"
    if vocabulary().subgroup_statements.search(f"{table.caption}\n{title}"):
        return []  # 'Balance Sheet for Obligor Group': a part of the company, not its figures
    statement = statement_of(caption) or statement_of(title)
    caption_concept = _last_concept(caption)
    headed = [_heading_concept(h) for h in table.headings] if any(table.headings) else []
    members = column_members(table, context)
    scope = caption_segment(table.caption, context)
    readings: dict[tuple[str, str], set[tuple]] = {}
    for row in table.rows:
        readings.setdefault((row.group, row.label.lower()), set()).add(tuple(row.values))
    out: list[Fact] = []
    for row in table.rows:
        if len(readings[(row.group, row.label.lower())]) > 1:
            continue  # 'U.S.' printed again under each product line the table does not name: which one is unknown
        if members:
            out.extend(_member_columns_facts(table, row, members, caption, context, statement, amount_scale))
            continue
        concept, segment, company = _row_meaning(
            row.label, row.group, caption_concept, context, bool(BREAKDOWN.search(f"{caption} {row.group}"))
        )
        if not segment and scope is not None:
            company, segment = scope
        columns = list(range(len(table.columns)))
        if any(headed):
            member = _member(row.label, context) or _division_member(row, context, _EACH_DIVISION.search(caption))
            if member is not None:  # a segment's (or the total's) row: each column's line item is its heading's
                for heading_concept in dict.fromkeys(c for c in headed if c is not None):
                    out.extend(
                        _row_facts(
                            table,
                            row,
                            heading_concept,
                            member[1],
                            member[0],
                            caption,
                            context,
                            statement,
                            [k for k in columns if headed[k] is heading_concept],
                            amount_scale,
                        )
                    )
                continue
            if concept is None or any(c is not None and c is not concept for c in headed):
                continue  # a line item's row under columns headed by other line items: which one is unclear
        if concept is None or _ADJUSTED.search(f"{row.group} {row.label}"):
            continue
        out.extend(
            _row_facts(table, row, concept, segment, company, caption, context, statement, columns, amount_scale)
        )
    return _preferred_rows(out)


def caption_segment(caption: str, context: FactContext) -> tuple[str, str] | None:
    """(company, segment) of a table its caption says is one segment's ('International Streaming Segment ...'):
    exactly one segment named as a segment, and no breakdown across segments. None for any other table."""
    if BREAKDOWN.search(caption) or re.search(r"\bsegments\b|\bconsolidated\b", caption, re.IGNORECASE):
        return None
    named = {
        (m.entity.company, m.entity.segment)
        for m in context.entities.mentions(caption, context.companies)
        if m.kind == "segment"
        and re.match(r"\s*(?:reportable |operating |business )?segment\b", caption[m.end :], re.I)
    }
    return named.pop() if len(named) == 1 else None


_HEADING_PERIOD = re.compile(
    r"\b(?:for )?(?:the )?(?:(?:three|six|nine|twelve) months|(?:fiscal )?years?|quarters?|(?:12|13|24|26|36|39|52|53) weeks)"
    r"(?: ended| ending)?\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},?|"
    r"\b(?:as of|at)\b|\b(?:FY|Q[1-4])?\s?(?:19|20)\d\d\b|[,()]",
    re.IGNORECASE,
)


def column_members(table: Table, context: FactContext) -> list[tuple[str, str] | None]:
    """Where a table's columns are segments of one period ('Year Ended December 31, 2019' over 'Activision',
    'Blizzard', 'King', 'Total'), the (company, segment) of each column: a known segment, or a name printed only
    there; the total and generic columns ('Total', 'Corporate and other') give None, as does a column without a
    period. Empty when no period repeats across named columns (columns that are periods)."""
    if not table.headings or len(table.headings) != len(table.columns) or any(map(_heading_concept, table.headings)):
        return []  # no headings, or headings that name line items ('Net Sales 2023', 'Operating Income 2023')
    names = [" ".join(_HEADING_PERIOD.sub(" ", re.sub(r"\([^)]*\)", " ", h)).split()) for h in table.headings]
    keyed = [(key, name) for key, name in zip(table.columns, names) if key and name]
    by_period: dict[str, set[str]] = {}
    for key, name in keyed:
        by_period.setdefault(key, set()).add(name.lower())
    if not any(len(named) > 1 for named in by_period.values()):
        return []
    about_segments = bool(re.search(r"\bsegments?\b", " ".join([table.caption, *(r.label for r in table.rows)]), re.I))
    out: list[tuple[str, str] | None] = []
    for key, name in zip(table.columns, names):
        if re.search(r"\b(?:total|consolidated|worldwide|combined)\b", name, re.IGNORECASE):
            out.append(None)  # the total column: the company's figure, which its statements give
            continue
        known = context.segment_company(name) if key and name else None
        if known is None and key and about_segments and _new_member(name):
            known = (context.company, name)
        out.append(known)
    return out


def _new_member(name: str) -> bool:
    """A column name a segment table prints that may be a segment the text never named: a short proper name, not
    a measure ('Carrying Value'), a line item ('Cash and Cash Equivalents') or words about segments."""
    return (
        bool(_MEMBER.match(name))
        and not _GENERIC_MEMBER.match(name)
        and not _MEASURE_COLUMN.search(name)
        and not re.search(r"\bsegments?\b|reportable|^(?:first|second|third|fourth)\b", name, re.IGNORECASE)
        and all(w[0].isupper() for w in re.findall(r"[A-Za-z][\w'’-]{3,}", name))  # a name, not 'Cost of services'
        and vocabulary().concept_of(name) is None
    )


def _member_columns_facts(
    table: Table,
    row,
    members: list[tuple[str, str] | None],
    caption: str,
    context: FactContext,
    statement: str,
    amount_scale: float | None,
) -> list[Fact]:
    """A line item's row of a table whose columns are segments: each named column's cell is that segment's figure
    for the column's period. A row that itself names a segment or no line item gives nothing (whose it is would be
    unclear)."""
    concept = vocabulary().concept_of(row.label)
    if concept is None or _ADJUSTED.search(f"{row.group} {row.label}") or _member(row.label, context) is not None:
        return []
    out: list[Fact] = []
    for member in dict.fromkeys(m for m in members if m is not None):
        columns = [k for k, m in enumerate(members) if m == member]
        out.extend(
            _row_facts(table, row, concept, member[1], member[0], caption, context, statement, columns, amount_scale)
        )
    return out


def _member(label: str, context: FactContext) -> tuple[str, str] | None:
    """(company, segment) a row label names: a segment, or the total ('Consolidated', 'Total')."""
    clean = _without_note(label)
    if _TOTAL_SEGMENT.match(clean):
        return context.company, ""
    return context.segment_company(clean)


def _division_member(row, context: FactContext, by_division) -> tuple[str, str] | None:
    """(company, member) for an ungrouped row of a table of each division's or segment's line items ('Net revenue
    and operating profit of each division'), when its label is a name ('Europe'), not a line item."""
    member = _without_note(row.label)
    if (
        not by_division
        or row.group
        or vocabulary().concept_of(member) is not None
        or not _may_name_a_member(member)
        or member.split()[-1].lower() in vocabulary().line_item_tails
    ):
        return None
    return context.company, member


def _without_note(label: str) -> str:
    """A row label without its trailing note marker ('Cloud (2)' -> 'Cloud')."""
    return re.sub(r"\s*\(\d{1,2}\)$", "", label.strip())


def _may_name_a_member(label: str) -> bool:
    """A label that can be a breakdown's member: a short capitalised name, not a total, other or corporate row, and
    not opening with a cost word ('Cost of services')."""
    return bool(
        _MEMBER.match(label)
        and not _GENERIC_MEMBER.match(label)
        and label.split()[0].lower() not in vocabulary().line_item_heads
    )


def _row_facts(
    table: Table,
    row,
    concept: Concept,
    segment: str,
    company: str,
    caption: str,
    context: FactContext,
    statement: str,
    columns: list[int],
    amount_scale: float | None = None,
) -> list[Fact]:
    """The facts of one row's cells in `columns`, as values of `concept`."""
    vocab = vocabulary()
    if (
        concept.key == "long_term_debt"
        and re.search(r"\bcurrent liabilities\b", row.group, re.IGNORECASE)
        and not re.search(r"long-term|non-?current", f"{row.group} {row.label}", re.IGNORECASE)
    ):
        concept = vocab.concepts["current_debt"]  # 'Debt' under 'Current liabilities:' is the current portion
    context_words = f"{caption} {row.group} {row.label}"
    measure = "value"
    if concept.unit == "percent":
        pass
    elif _SHARE_WORDS.search(f"{row.group} {row.label}"):
        measure = "share"
    elif _GROWTH_WORDS.search(f"{row.group} {row.label}"):
        measure = "growth"
    out = []
    for column in columns:
        key, value = table.columns[column], row.values[column] if column < len(row.values) else None
        if value is None or not key:
            continue
        period = Period.from_key(key)
        if _TTM.search(row.label) and period.months:
            period = Period(period.end, 12)
        if concept.kind == "stock" and measure == "value" and period.months and not _CHANGES.search(context_words):
            period = Period(period.end, 0)  # a balance under a 'twelve months ended' heading is the year-end one
        elif concept.kind != "stock" and period.instant and context.annual:
            period = Period(period.end, 12)  # a year's figure in an annual report's column dated its last day
        cell = row.cells[column] if row.cells else _cell_text(row.line, column, len(table.columns))
        if concept.unit == "percent" and "%" not in cell and not _PERCENT_CONTEXT.search(context_words):
            continue  # an amount on a row named like a ratio ('Gross margin 1,080'): not the ratio
        heading = table.headings[column] if column < len(table.headings) else ""
        column_measure = _column_measure(heading) if concept.unit != "percent" else None
        cell_measure = column_measure or measure
        percent = "%" in cell or cell_measure in ("growth", "share") or concept.unit == "percent"
        per_share = concept.unit == "per_share" or bool(_PER_SHARE.search(row.label))
        if percent:
            unit, scale = "percent", 1.0
        elif per_share:  # 'EPS (diluted US cents) 64.2' is $0.642
            unit, scale = f"{table.currency}/share", 0.01 if _CENTS.search(f"{row.group} {row.label}") else 1.0
        elif concept.unit == "count" or "shares" in context_words.lower() and concept.unit != "money":
            unit, scale = "count", table.scale
        else:
            unit, scale = table.currency, amount_scale or table.scale
        out.append(
            Fact(
                concept=concept.key,
                label=row.label,
                period=period.key(),
                value=value * scale,
                unit=unit,
                quote=row.line,
                text=cell,
                scale=scale,
                company=company,
                segment=segment,
                measure=cell_measure,
                source="table",
                primary=statement in PRIMARY_STATEMENTS and cell_measure == "value",
                statement=statement,
            )
        )
    return out


def _heading_concept(heading: str) -> Concept | None:
    """The line item a column heading names ('Operating Income 2023' -> operating income), else None."""
    words = re.sub(
        r"\b(?:19|20)\d\d\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},?", " ", heading
    )
    mentions = vocabulary().mentions(words, prose=True)
    return mentions[0].concept if len(mentions) == 1 else None


def _preferred_rows(facts: list[Fact]) -> list[Fact]:
    """Where one table gives a line item in two rows for the same period, the row that is the line item: a
    'Total ...' row over its parts ('Net sales' above 'Total revenues'), the company's share of net income over
    the figure including non-controlling interests. The other rows keep their own label as their concept."""
    groups: dict[tuple, list[Fact]] = {}
    for fact in facts:
        groups.setdefault((fact.concept, fact.company, fact.segment, fact.period, fact.measure, fact.unit), []).append(
            fact
        )
    out = []
    for same in groups.values():
        labels = {f.label for f in same}
        if len(labels) < 2:
            out.extend(same)
            continue
        best = _best_label(same)
        for fact in same:
            if fact.label == best:
                out.append(fact)
            else:
                out.append(replace(fact, concept=line_item_key(fact.label)))
    return out


def _best_label(same: list[Fact]) -> str:
    """The company's own share of a figure; else the consolidated line over the sum of segments; else the total
    over its parts; else the largest (net income keeps its first line)."""
    for preferred in (
        lambda f: company_share(f.label),
        lambda f: f.label.lower().startswith("consolidated"),
        lambda f: f.label.lower().startswith("total"),
    ):
        labels = {f.label for f in same if preferred(f)}
        if len(labels) == 1:
            return labels.pop()
    return max(same, key=lambda f: abs(f.value)).label if same[0].concept != "net_income" else same[0].label


def _row_meaning(
    label: str, group: str, caption_concept: Concept | None, context: FactContext, breakdown: bool = False
) -> tuple[Concept | None, str, str]:
    """(concept, segment, company) of a row: a line item under a segment label ('North America' / 'Net sales'),
    a segment under a line-item label ('Operating income:' / 'Cloud'), or a line item alone."""
    vocab = vocabulary()
    label_concept = vocab.concept_of(label)
    group_concept = vocab.concept_of(group) if group else None
    label_segment = context.segment_company(_without_note(label))  # 'Cloud (2)': a note
    group_segment = context.segment_company(group) if group else None
    company = context.company
    per_share_row = vocab.per_share_rows.get(_norm_label(label))
    if per_share_row and group_concept and group_concept.unit == "per_share":
        return vocab.concepts[per_share_row], "", company  # 'Earnings per share:' / 'Diluted'
    if label_concept and group_concept and label_concept.kind == "stock" and group_concept.kind != "stock":
        return None, "", company  # 'Interest expense:' / 'Long-term debt and other': the expense on it, no balance
    if label_concept and not label_segment:
        if group_segment:
            return label_concept, group_segment[1], group_segment[0]
        return label_concept, "", company
    if label_segment:
        concept = group_concept or caption_concept
        return concept, label_segment[1], label_segment[0]
    if _TOTAL_SEGMENT.match(label.strip()) and (group_concept or caption_concept):
        return group_concept or caption_concept, "", company
    member = _without_note(label)
    if breakdown and (group_concept or caption_concept) and _may_name_a_member(member):
        # a breakdown the document reports the line item by: a product line, a country ('Advertising services')
        return group_concept or caption_concept, member, company
    return None, "", company


def _column_measure(heading: str) -> str | None:
    """What a column's heading says its figures are when not amounts: a share ('... Percent to Sales', '% of
    revenue') or a change ('... Percent Increase (Decrease)'); None for a column of amounts."""
    if _SHARE_COLUMN.search(heading):
        return "share"
    if _CHANGE_COLUMN.search(heading):
        return "growth"
    return None


def _last_concept(text: str) -> Concept | None:
    mentions = vocabulary().mentions(text)
    return mentions[-1].concept if mentions else None


def _cell_text(line: str, column: int, columns: int) -> str:
    """The printed cell of a column: the row's trailing figure tokens, '$ 1.95' read as one."""
    from ingest.tables import split_row

    _, cells = split_row(line)
    cells = cells[-columns:]
    return cells[column] if column < len(cells) else ""


def _norm_label(label: str) -> str:
    """A row label lower-cased, without its note marker and closing colon: 'Diluted (1):' -> 'diluted'."""
    return re.sub(r"\s*\(\d{1,2}\)|[:\s]+$", "", label.strip()).lower()
