"""Figures read out of a sentence of a financial document: which concept each figure is a value of, whose it is
(company or segment), which period it covers, and whether it is a value or a stated growth rate. One grammar for
ingest (facts from prose) and for answering (a metric the vocabulary does not know, read from the quoted sentence
with the question's own words for it).

The concept is the one named before a figure (or right after it, '$1.95 per diluted share'); the company or
segment is the one the clause is about; the period is named nearest the figure within its clause ('..., compared
with $9.3 billion in fourth quarter 2024'), or a list of periods pairs with a list of figures ('$97 million and
$199 million for Q2 2024 and Q2 2025', '..., respectively'), else the section's period ('Full Year 2025'), else
the document's. Forward-looking sentences (guidance) and figures that explain a change ('driven by 4% growth in
...') give no facts: a fact is something the company reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.finance.entities import EntityMatcher
from assistant.finance.figures import Figure, parse_figures
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec, find_periods
from assistant.finance.vocabulary import Concept, Mention, vocabulary
from assistant.text import collapse_ws, split_sentences
from assistant.contract.types import Fact

FORWARD = vocabulary().forward_in_documents  # guidance words: 'expects', 'outlook', 'will'
_ADJUSTED_FIGURE = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,2}(?:excluding|ex-|on a constant currency|in constant currency)", re.IGNORECASE
)
_EXPLAINS = re.compile(
    r"\b(driven by|due to|primarily|partially offset|partly offset|offset by|as a result of|"
    r"reflecting|because|including|includes|included|of which)\b",
    re.IGNORECASE,
)
_CHANGE_BY = re.compile(
    r"\b(?:reduced|increased|decreased|raised|lowered|impacted|affected|changed)\b[^.;$]{0,60}\bby\s*$|"
    r"\b(?:increased|decreased|rose|fell|grew|declined|was up|was down|up|down)\s*$",
    re.IGNORECASE,
)
_GROWTH_VERB = re.compile(
    r"\b(increased|increase|increases|grew|grow|growing|growth|rose|up|decreased|decrease|"
    r"declined|decline|fell|down|dropped)\b[^.;]{0,25}$",
    re.IGNORECASE,
)
_IMPLIED_GROWTH = re.compile(
    r"(?=\b(?:\d+(?:\.\d+)?%\s+)?(?:year-over-year\s+)?(?:growth|grew|grows)\b)", re.IGNORECASE
)  # a business that grew, with no metric named, grew its revenue
_DOWN = re.compile(r"\b(decreased|decrease|declined|decline|fell|down|dropped)\b", re.IGNORECASE)
COMPARE = re.compile(r",?\s*(?:compared (?:with|to)|as compared|versus|vs\.)", re.IGNORECASE)
_LOSS_OF = re.compile(r"\b(?:a )?loss(?:es)? of\s*$", re.IGNORECASE)
_PER_SHARE = re.compile(r"per (?:diluted |basic )?share", re.IGNORECASE)


@dataclass
class FactContext:
    """What a document tells about itself: its company (or companies), calendar, currency, default period and the
    names of the companies and segments it speaks of."""

    company: str
    calendar: FiscalCalendar
    annual: bool
    currency: str
    default_period: Period | None
    entities: EntityMatcher
    companies: list[str] = field(default_factory=list)

    def segment_company(self, name: str) -> tuple[str, str] | None:
        """(company, segment) for a segment name or alias, None for anything else."""
        for mention in self.entities.mentions(name, self.companies):
            if mention.kind == "segment" and mention.start == 0 and mention.end >= len(name.strip()) - 1:
                return mention.entity.company, mention.entity.segment
        return None


def sentence_facts(text: str, context: FactContext, heading: str = "") -> list[Fact]:
    """Facts stated by the sentences of a prose passage."""
    out = []
    heading_periods = find_periods(heading)
    for paragraph in re.split(r"\n\s*\n|\n(?=\(?[ivx]+\)|[A-Z][^.\n]{0,60}\n)", text):
        for start, end in split_sentences(paragraph):
            out.extend(read_sentence(collapse_ws(paragraph[start:end]), context, heading_periods))
    return out


def stated_figures(sentence: str) -> list[Figure]:
    """The figures a sentence states as amounts or rates (not years, dates or small bare numbers)."""
    return [
        f
        for f in parse_figures(sentence)
        if f.kind in ("money", "percent") or (f.kind == "number" and (f.scale > 1 or f.value >= 1000))
    ]


def read_sentence(
    sentence: str, context: FactContext, heading_periods: list[PeriodSpec], metric: Concept | None = None
) -> list[Fact]:
    """The facts one sentence states; with `metric`, only figures of that metric, found by its own names (a
    metric the vocabulary does not know, named in a question: 'shipping costs')."""
    figures = stated_figures(sentence)
    forward = FORWARD.search(sentence)
    if not figures or "?" in sentence or (forward and forward.start() < figures[-1].start):
        return []  # guidance: a forward-looking word before its figures ('are expected to be between $...')
    vocab = vocabulary()
    if metric is not None:
        mentions = [
            Mention(metric, m.start(), m.end(), m.group(0))
            for name in metric.names
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.IGNORECASE)
        ]
        mentions.sort(key=lambda m: m.start)
    else:
        mentions = [
            m
            for m in vocab.mentions(sentence, prose=True)
            if not _ratio_base(sentence, m) and not _other_kind(sentence, m)
        ]
    entities = context.entities.mentions(sentence, context.companies)
    if not mentions and entities:
        growth = _IMPLIED_GROWTH.search(sentence)
        if growth and growth.start() > entities[0].start:  # 'X's 38% year-over-year growth to 41.6 billion yuan'
            mentions = [
                Mention(vocab.concepts[vocab.default_growth_concept], growth.start(), growth.start(), growth.group(0))
            ]
    periods = find_periods(sentence)
    explains = _EXPLAINS.search(sentence)
    compare = COMPARE.search(sentence)
    out: list[Fact] = []
    periods_of: dict[int, Period] = {}
    adjusted_from = len(sentence) if not re.match(r"\s*(?:excluding|without)\b", sentence, re.IGNORECASE) else 0
    for i, figure in enumerate(figures):
        if explains and figure.start > explains.start() or figure.start >= adjusted_from:
            break
        if _ADJUSTED_FIGURE.match(sentence[figure.end :]):
            continue
        mention = concept_for(figure, mentions, sentence)
        if mention is None:
            continue
        concept = mention.concept
        between = sentence[figure.end : figures[i + 1].start] if i + 1 < len(figures) else ""
        grows_to = figure.kind == "percent" and re.search(r"\bto\s*$", between) and not COMPARE.search(between)
        if i > 0 and i - 1 in periods_of and _translation_of(figures[i - 1], figure, sentence):
            period = periods_of[i - 1]
        elif grows_to:  # '38% year-over-year growth to 41.6 billion yuan in Q1 2026': the period of the value
            period = _period_for(
                sentence, figures[i + 1], i + 1, figures, periods, compare, heading_periods, context, concept
            )
        else:
            period = _period_for(sentence, figure, i, figures, periods, compare, heading_periods, context, concept)
        if period is None:
            continue
        periods_of[i] = period
        company, segment = _entity_for(figure, mention, entities, mentions, sentence, context)
        if segment is None:
            continue
        before = sentence[max(0, figure.start - 40) : figure.start]
        if _CHANGE_BY.search(sentence[max(0, figure.start - 90) : figure.start]) and figure.kind != "percent":
            continue  # 'reduced International net sales by $1.8 billion' states a change, not the value
        measure, value, unit, scale = "value", figure.value, figure.currency or context.currency, figure.scale
        if figure.kind == "percent":
            if concept.unit == "percent":
                unit = "percent"
            elif _GROWTH_VERB.search(before) or re.match(
                r"\s*(?:year-over-year|y/y)?\s*growth", sentence[figure.end :]
            ):
                measure, unit = "growth", "percent"
                if _DOWN.search(before[-30:]):
                    value = -abs(value)
            else:
                continue
        elif concept.unit == "percent" or concept.unit == "count" and figure.kind == "money":
            continue  # 'capital employed of $5 billion' is not a headcount
        elif figure.kind == "number":
            if concept.unit != "count" and figure.scale <= 1 or concept.unit == "money":
                continue  # an amount of money printed without its currency is a misprint, not a count
            unit = "count"
        elif _PER_SHARE.match(sentence[figure.end :].strip()) or concept.unit == "per_share":
            unit, scale = f"{figure.currency or context.currency}/share", 1.0
        if _LOSS_OF.search(before) and measure == "value":
            value = -abs(value)
        if (
            out
            and out[-1].text == figures[i - 1].text
            and _translation_of(figures[i - 1], figure, sentence)
            and out[-1].value < 0
        ):
            value = -abs(value)  # 'a loss of RMB3,689 million (US$508 million)': the translation is a loss too
        out.append(
            Fact(
                concept=concept.key,
                label=concept.label,
                period=period.key(),
                value=value,
                unit=unit,
                quote=sentence.strip(),
                text=figure.text,
                scale=scale,
                company=company,
                segment=segment,
                measure=measure,
                source="sentence",
            )
        )
    return out


def concept_for(figure: Figure, mentions, sentence: str):
    """The concept mention a figure is a value of: named right after it ('$1.95 per diluted share'); else named
    just before it with only a linking phrase between ('net service sales were $99.5 billion'); else the
    sentence's subject concept (the first named before the figure)."""
    after = [m for m in mentions if 0 <= m.start - figure.end <= 3]
    if after and after[0].concept.unit in ("per_share", "percent", "count"):
        return after[0]  # '$1.95 per diluted share', '1,556,000 full-time and part-time employees'
    before = [m for m in mentions if m.end <= figure.start and m.concept.unit != "count"]
    if not before:
        counted = [
            m
            for m in mentions
            if m.end <= figure.start
            and m.concept.unit == "count"
            and re.fullmatch(
                r"\s*(?:approximately|about|around|roughly|over|nearly)?\s*", sentence[m.end : figure.start]
            )
        ]
        return counted[-1] if counted else None  # 'we employed 12,345 people'

    nearest = before[-1]
    gap = sentence[nearest.end : figure.start]
    if len(gap) <= 40 and not re.search(r"\d|\bcompared\b|\bversus\b|\bfrom\b", gap, re.IGNORECASE):
        return nearest
    return before[0]


def _ratio_base(sentence: str, mention) -> bool:
    """A concept named as the base of a ratio ('12% of revenue', 'as a percentage of revenue') is not a subject."""
    return bool(
        re.search(r"(?:%|percent|percentage)\s*\)?\s*of\s+(?:total\s+)?$", sentence[: mention.start], re.IGNORECASE)
    )


def _other_kind(sentence: str, mention) -> bool:
    """A word before a metric's name that makes it another thing than the company's own figure: 'a global minimum
    tax rate of 12%', 'the statutory tax rate', 'a target operating margin'."""
    before = re.search(r"([A-Za-z-]+)\s+$", sentence[: mention.start])
    return bool(before) and before.group(1).lower() in vocabulary().other_kind_words


def period_spec_for(
    sentence: str, figure: Figure, index: int, figures: list[Figure], periods: list[PeriodSpec], compare=None
) -> PeriodSpec | None:
    """The period the sentence names for a figure: a list of figures next to as many periods pairs up in order
    ('$97 million and $199 million for Q2 2024 and Q2 2025'; 'in 2022, 2023, and 2024 ... of A, B, and C'),
    else the period named nearest after the figure in its clause, else nearest before it; None when none is."""
    run = figure_run(figures, index)
    later = [
        p
        for p in periods
        if p.start >= figure.end and (compare is None or figure.start >= compare.start() or p.start < compare.start())
    ]
    growth_from = figure.kind == "percent" and re.match(
        r"\W{0,2}\s*(?:year-over-year\s+)?from\b", sentence[figure.end : figure.end + 30]
    )
    earlier_listed = [p for p in periods if p.end <= figures[run[0]].start]
    if growth_from and len(later) >= 2:
        spec = later[1]  # 'increased by 6% from A in 2024 to B in 2025': the growth is 2025's
    elif (
        len(run) > 1
        and len(earlier_listed) >= len(run)
        and (re.search(r"\brespectively\b", sentence) or not later and _listed(earlier_listed[-len(run) :], sentence))
    ):
        spec = earlier_listed[-len(run) :][run.index(index)]  # 'for 2023, 2024 and 2025, ... A, B and C, respectively'
    elif len(run) > 1 and len(later) >= len(run):
        spec = later[run.index(index)]
    else:
        nxt = figures[index + 1].start if index + 1 < len(figures) else None
        clause = [p for p in later if nxt is None or p.start < nxt or _same_clause(figure, p, figures, index, sentence)]
        earlier = [
            p
            for p in periods
            if p.end <= figure.start
            and (compare is None or figure.start < compare.start() or p.start >= compare.start())
        ]
        spec = clause[0] if clause else (earlier[-1] if earlier else None)
    return spec


def _listed(specs: list[PeriodSpec], sentence: str) -> bool:
    """Periods written as one list ('2022, 2023, and 2024'), not named in separate clauses."""
    return all(re.fullmatch(r"\s*(?:,\s*)?(?:and\s+)?", sentence[a.end : b.start]) for a, b in zip(specs, specs[1:]))


def _period_for(
    sentence: str,
    figure: Figure,
    index: int,
    figures: list[Figure],
    periods: list[PeriodSpec],
    compare,
    heading: list[PeriodSpec],
    context: FactContext,
    concept: Concept,
) -> Period | None:
    """The period a figure is for: the one the sentence names for it (`period_spec_for`); else the section
    heading's, else the document's."""
    stock = concept.kind == "stock"
    spec = period_spec_for(sentence, figure, index, figures, periods, compare)
    default_year = _heading_year(heading) or (context.default_period.end.year if context.default_period else None)
    if spec is not None:
        resolved = spec.resolve(context.calendar, stock=stock, default_year=_fiscal_default(spec, heading, context))
        if resolved is not None:
            return resolved
    for h in heading:
        resolved = h.resolve(context.calendar, stock=stock, default_year=default_year)
        if resolved is not None:
            return resolved
    if context.default_period is not None:
        period = context.default_period
        return Period(period.end, 0) if stock else period
    return None


def _fiscal_default(spec: PeriodSpec, heading: list[PeriodSpec], context: FactContext) -> int | None:
    """The year for a period named without one ('in the fourth quarter'): the heading's, else the document's."""
    if spec.fiscal_year or spec.end_date:
        return None
    year = _heading_year(heading)
    if year:
        return year
    return context.calendar.fiscal_year_of(context.default_period.end) if context.default_period else None


def _heading_year(heading: list[PeriodSpec]) -> int | None:
    for h in heading:
        if h.fiscal_year:
            return h.fiscal_year
        if h.end_date:
            return h.end_date.year
    return None


def _translation_of(a: Figure, b: Figure, sentence: str) -> bool:
    """`b` restates `a` in another currency, in brackets right after it."""
    return b.currency != a.currency and bool(re.fullmatch(r"\s*\(\s*", sentence[a.end : b.start]))


def figure_run(figures: list[Figure], index: int) -> list[int]:
    """The figures listed together with this one ('$97 million and $199 million')."""
    run = [index]
    i = index
    while i > 0 and _joined(figures[i - 1], figures[i]):
        i -= 1
        run.insert(0, i)
    i = index
    while i + 1 < len(figures) and _joined(figures[i], figures[i + 1]):
        i += 1
        run.append(i)
    return run


def _joined(a: Figure, b: Figure) -> bool:
    """Listed together ('A, B and C'), not a translation in brackets ('RMB118,028 million (US$16,265 million)')."""
    return a.kind == b.kind and a.currency == b.currency and b.start - a.end <= 6


def _same_clause(figure: Figure, period: PeriodSpec, figures: list[Figure], index: int, sentence: str) -> bool:
    """A period after the next figure still belongs to this one when every figure between is a companion of it:
    its per-share figure or its translation ('$21.2 billion, or $1.95 per diluted share, in fourth quarter 2024';
    'RMB118,028 million (US$16,265 million) in fiscal year 2025')."""
    between = [f for f in figures[index + 1 :] if f.start < period.start]
    return all(_companion(figure, f, sentence) for f in between)


def _companion(figure: Figure, other: Figure, sentence: str) -> bool:
    """`other` is said in passing about `figure`'s own clause: its per-share figure, its translation in brackets,
    or a ratio aside ('(12%) of revenue')."""
    if other.kind == "percent":
        return bool(re.match(r"\s*\)?\s*of\b", sentence[other.end : other.end + 8]))
    if "(" in sentence[max(figure.end, other.start - 6) : other.start]:
        return True
    return other.kind == figure.kind and (other.scale < figure.scale or other.currency != figure.currency)


def _entity_for(
    figure: Figure, mention, entities, mentions, sentence: str, context: FactContext
) -> tuple[str, str | None]:
    """(company, segment) of a figure: the company or segment named between its concept and the figure ('Revenue
    from Cloud Intelligence Group was ...'), else the one named last before the concept in the same clause
    ('overall Acme revenue'); '' segment for the whole company. None when the subject names a part of the
    business that is not a known segment ('Customer management revenue')."""
    between = [e for e in entities if mention.end <= e.start and e.end <= figure.start]
    clause_start = sentence.rfind(",", 0, mention.start) + 1
    leading = [e for e in entities if clause_start <= e.start and e.end <= mention.start]
    first = next((m for m in mentions if m.concept == mention.concept), mention)
    subject = [e for e in entities if e.end <= first.start and sentence.rfind(",", 0, first.start) < e.start]
    named = between[0] if between else leading[-1] if leading else subject[-1] if subject else None
    if named is not None:
        return named.entity.company, named.entity.segment
    subject = _subject_words(sentence, mentions, figure)
    if subject:
        return context.company, None
    return context.company, ""


_FILLER = {
    "we",
    "our",
    "the",
    "total",
    "consolidated",
    "worldwide",
    "ww",
    "net",
    "its",
    "company",
    "overall",
    "group",
    "and",
    "of",
    "from",
    "in",
    "for",
    "fiscal",
    "year",
    "quarter",
    "a",
    "an",
}


def _subject_words(sentence: str, mentions, figure: Figure) -> list[str]:
    """Qualifying words around the concept that a sentence's figure belongs to ('Customer management' in
    'Customer management revenue increased...'): a part of the business the fact does not cover whole."""
    before = [m for m in mentions if m.end <= figure.start]
    if not before:
        return []
    first = before[0]
    head = sentence[: first.start]
    tail = re.match(
        r"\s+(?:from|of|in)\s+(?:our\s+)?((?:[A-Za-z&-]+\s+){0,5}?)(?:business|segment|group)\b", sentence[first.end :]
    )
    words = re.findall(r"[A-Za-z][A-Za-z&-]*", head.split(",")[-1]) + (tail.group(1).split() if tail else [])
    words = [w for w in words if w.lower() not in _FILLER and not find_periods(w)]
    return words if len(head) < 60 or tail else []
