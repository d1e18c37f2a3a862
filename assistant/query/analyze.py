"""What a question asks, read once into a typed `Query`: the companies and segments, the metric, the periods,
the intent (look up, compute, compare, explain, list, yes/no), the operation (the value, growth, a change, a
share ...), the answer type and any unit or rounding the question asks for. Follow-ups are resolved against the
previous turn's Query: what the follow-up names replaces, what it leaves out is kept.

Every later step reads this one object: retrieval (its search text), answer selection and the calculator, the
verifier, refusals and the evaluation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from assistant.finance.entities import Entity, EntityMatcher, EntityMention
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec, find_periods
from assistant.finance.vocabulary import LOSS_OR, Concept, vocabulary
from assistant.text import QUESTION_WORDS, STOPWORDS, split_sentences

_DECIMALS = re.compile(r"(?:round(?:ed)?\s+(?:your\s+answer\s+|the\s+answer\s+|it\s+)?|\b)to\s+(\w+)\s+decimal", re.I)
_WORD_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "0": 0, "1": 1, "2": 2, "3": 3, "4": 4}
_SCALE_ASKED = re.compile(r"\b(?:in|as)\s+(?:usd|us\$|\$|rmb|dollars?)?\s*(thousands|millions|billions)\b", re.I)
_DEFINITION = re.compile(r"\b(?P<name>[A-Za-z][\w&/()' -]{1,60}?)\s+(?:is|are)\s+(?:defined|calculated|computed|measured)"
                         r"\s+as:?\s*(?P<expr>.+?)(?=\.\s+[A-Z]|\.?\s*$|\?)", re.I | re.S)
_FOLLOW_UP_START = re.compile(r"^\s*(?:and|also|then|ok(?:ay)?|so|what about|how about|same for|and what about|"
                              r"and how about|and for|for)\b", re.I)
_PRONOUN = re.compile(r"\b(its|it|their|they|them|that|this|those|these|the same|same)\b", re.I)
_YES_NO_START = re.compile(r"^\s*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", re.I)
_HOW_FAST = re.compile(r"\bhow fast\b|\bgrowth rate\b|\bpercent(?:age)? (?:increase|decrease|change|growth)\b|"
                       r"\bin percent\b|\bby what percent(?:age)?\b|\b(?:y/y|yoy|year[- ]over[- ]year)\b", re.I)
_WHICH = re.compile(r"^\s*(?:which|who)\b", re.I)


@dataclass
class Query:
    """A question as the assistant understands it."""

    text: str  # the question, resolved against earlier turns
    focus: str  # its asking part (instructions and context sentences left out)
    entities: list[Entity] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    periods: list[PeriodSpec] = field(default_factory=list)
    intent: str = "lookup"  # lookup | compute | compare | explain | list | yesno
    operation: str = "value"  # value | growth | change | share | cagr | average | sum
    answer_type: str = "amount"  # amount | percent | ratio | days | count | per_share | text
    scale: float | None = None  # 'in millions'
    decimals: int | None = None  # 'round to two decimal places'
    comparative: str = ""  # 'larger' | 'smaller' for which-is-bigger questions
    relative: str = ""  # 'previous' when a period is named relative to the previous turn's
    qualifiers: list[str] = field(default_factory=list)  # words narrowing the metric that no fact carries
    unknown: list[str] = field(default_factory=list)  # proper names no document's company or segment has
    profit: bool = False  # asks whether it made a profit
    metric_phrase: str = ""  # the question's own words for what it asks the amount of ('shipping costs')
    sources: list[str] = field(default_factory=list)  # kinds of document the question names ('article', '10-Q')
    forward: bool = False  # asks for guidance or plans, not reported results
    currency: str = ""  # a currency the question asks figures in ('in US dollars')
    also: list[str] = field(default_factory=list)  # further parts asked with 'and': 'growth', or concept keys
    follow_up: bool = False
    series: str = ""  # 'periods' for a figure over a run of periods, 'segments' for each segment's figure
    each_segment: bool = False  # asked for every segment of the company ('by segment', 'each segment's')
    why: str = ""  # the '... and why did it fall?' part of a question that also asks for a figure
    carried: bool = False  # a follow-up that names no company or segment and keeps the previous turn's
    paired: list[PeriodSpec] = field(default_factory=list)  # one period per entity: 'Acme in 2025 or Zeta in FY2025'
    own_concepts: list[str] = field(default_factory=list)  # one metric per entity: "A's capex ... B's purchases of PP&E"
    superlative: str = ""  # 'max' | 'min': which segment had the highest (lowest) figure
    spanned: bool = False  # two periods asked as one span: 'from 2023 to 2025', 'Q2 2025 compared with Q2 2024'

    @property
    def concept(self) -> Concept | None:
        return self.concepts[0] if self.concepts else None

    @property
    def asks_figure(self) -> bool:
        """A figure the facts can answer: a known metric of a known company, nothing narrowing it that facts do
        not carry, and no guidance."""
        return self.concept is not None and self.intent not in ("explain", "list") and not self.qualifiers \
            and not self.forward and not self.unknown

    def companies(self) -> list[str]:
        return list(dict.fromkeys(e.company for e in self.entities))

    def describe(self, calendars: dict[str, FiscalCalendar] | None = None) -> str:
        """The query as a standalone question ('Cloud operating income in FY2025?')."""
        parts = [" and ".join(e.name() for e in self.entities)] if self.entities else []
        if self.concept:
            op = {"growth": " growth", "change": " change", "share": " share of total", "cagr": " CAGR"}
            parts.append(self.concept.label + op.get(self.operation, ""))
        elif self.metric_phrase:
            parts.append(self.metric_phrase)
        cal = (calendars or {}).get(self.entities[0].company) if self.entities else None
        for spec in self.periods:
            period = spec.resolve(cal or FiscalCalendar(), stock=bool(self.concept and self.concept.kind == "stock"))
            parts.append(period.label(cal) if period else spec.text)
        text = " ".join(p for p in parts if p)
        return (text[:1].upper() + text[1:] + "?") if text else self.text


def focus_of(question: str) -> str:
    """The asking part of a message: its questions, or its last sentence when none ends with '?'. A long message
    that gives context and then asks is answered for what it asks."""
    spans = split_sentences(question)
    if len(spans) < 2:
        return question.strip()
    sentences = [question[s:e].strip() for s, e in spans]
    asked = [s for s in sentences if s.endswith("?")]
    if asked:
        return " ".join(asked)
    imperative = [s for s in sentences if re.match(r"^(what|how|which|who|when|where|why|is|are|was|were|did|does|"
                                                   r"do|calculate|compute|give|tell|list|name|find)\b", s, re.I)]
    return imperative[0] if imperative else sentences[-1]


def analyze(question: str, entities: EntityMatcher, previous: Query | None = None,
            by_meaning: Callable[[str], Concept | None] | None = None) -> Query:
    """Read a question (and, for a follow-up, the previous turn's Query) into a Query. `by_meaning` finds the
    metric a phrase names in other words, for questions that name none word for word."""
    vocab = vocabulary()
    focus = vocab.spelled_out(focus_of(question))
    sources, references = _sources(focus)
    named = _entities(focus, entities, references)
    mentions = _concept_mentions(focus, named)
    periods = [p for p in find_periods(focus) if not any(p.start <= r < p.end + 3 for r in references)]
    concepts = list(dict.fromkeys(m.concept for m in mentions))
    concepts.sort(key=lambda c: not c.derived)  # a margin or ratio named with its inputs is what is asked
    dated = [p for p in periods if p.fiscal_year or p.end_date or p.relative]
    periods = dated or periods  # 'in its latest full fiscal year ... 2025': the dated naming is the period
    query = Query(text=question.strip(), focus=focus, entities=[m.entity for m in named],
                  concepts=concepts, periods=_distinct(periods), sources=sources, paired=_paired(named, periods),
                  own_concepts=_own_concepts(named, mentions))
    primary = next((m for m in mentions if concepts and m.concept == concepts[0]), None)
    every_name = entities.mentions(focus)
    query.qualifiers = _qualifiers(focus, primary, named + every_name, periods) \
        if primary and not primary.concept.derived else []
    query.unknown = _unknown_names(focus, every_name, mentions, periods, references) + \
        _unnamed_units(focus, named) + _excluded_names(focus, every_name)
    definition = _DEFINITION.search(question)
    defined = defined_formula(question) or _parenthetical_formula(focus, mentions)
    if definition is not None and defined is None:  # a definition it cannot follow: never answer by another one
        query.unknown.append(" ".join(definition.group("expr").split())[:80])
    inline = defined or (None if any(c.derived for c in concepts) else inline_formula(focus, mentions))
    if inline is not None:
        query.concepts = [inline] + [c for c in query.concepts if c != inline]
        query.qualifiers = []
    query.metric_phrase = _metric_phrase(focus, named, periods)
    query.forward = vocab.has_any(focus, vocab.forward_words)
    query.profit = vocab.has_any(focus, vocab.profit_words)
    if query.profit and not query.concepts:
        query.concepts = [vocab.concepts[vocab.profit_concepts[0]]]
    if by_meaning is not None and query.entities and not query.unknown and _FIGURE_QUESTION.match(focus):
        _by_meaning(query, mentions, by_meaning)
    if not query.concepts and query.entities and _AMOUNT.match(focus) and vocab.has_any(focus, vocab.revenue_verbs):
        query.concepts = [vocab.concepts["revenue"]]  # 'How much did the cloud arm bring in ...' asks for its sales
    query.currency = _currency_asked(question)
    lowered = f" {focus.lower()} "
    query.relative = "previous" if vocab.has_any(focus, vocab.periods["relative"]["previous"]) else ""
    why = _WHY_TAIL.search(focus) or _second_ask(focus, query, mentions)
    head = focus[:why.start()] if why and query.concepts else focus  # 'What was X, and why did it fall?'
    query.operation = _operation(head, query)
    if query.operation == "change" and len(query.periods) == 1 and _asks_direction(head, query):
        query.periods.append(_year_earlier(query.periods[0]))  # the year before is the other side of the change
    query.also = _also_asked(head, query, mentions) + (["explain"] if head != focus else [])
    query.why = focus[len(head):].strip(" ,") if head != focus else ""
    if "growth" in query.also:
        query.operation = "value"
    if query.operation == "growth" and not query.concepts and query.entities and \
            re.search(r"\b(?:grow|grew|growth|growing|expand|expanded)\b", focus, re.I):
        query.concepts = [vocab.concepts[vocab.default_growth_concept]]
    query.spanned = _spanned(focus, query.periods)
    query.each_segment = bool(_EACH_SEGMENT.search(focus))
    superlative = _WHICH_PART.search(focus)
    if superlative and query.concept is not None and len(query.periods) <= 1:
        query.each_segment = True  # 'Which segment had the highest operating income in 2024?'
        query.superlative = "min" if re.match(r"(?:low|small|least|slow|weak)", superlative.group(1), re.I) else "max"
        query.qualifiers = [q for q in query.qualifiers if q.lower() not in (superlative.group(1).lower(), "segment",
                                                                              "segments")]
    query.series = _series_asked(focus, query)
    query.intent = _intent(head, query)
    query.answer_type = _answer_type(query)
    scale = _SCALE_ASKED.search(question)
    if scale:
        query.scale = vocab.scale_words[scale.group(1).lower()]
    decimals = _DECIMALS.search(question)
    if decimals and decimals.group(1).lower() in _WORD_NUMBERS:
        query.decimals = _WORD_NUMBERS[decimals.group(1).lower()]
    if re.search(r"\b(larger|bigger|higher|greater|more|faster|exceed|outpace)", lowered):
        query.comparative = "larger"
    elif re.search(r"\b(smaller|lower|less|slower|fewer|lag)", lowered):
        query.comparative = "smaller"
    if previous is not None and _is_follow_up(focus, query):
        query = _resolve(query, previous)
    return query


def _entities(text: str, matcher: EntityMatcher, references: list[int] = ()) -> list[EntityMention]:
    """Companies and segments named, in order. A company named with one of its segments ('Acme's Cloud
    segment', 'Zeta Logistics Group') stands for that segment."""
    found: list[EntityMention] = []
    for mention in _outside_references(text, matcher.mentions(text), references):
        if not any(m.entity == mention.entity for m in found):
            found.append(mention)
    companies = {m.entity.company for m in found if m.kind in ("company", "ticker", "company_descriptor")}
    if companies:  # 'Adobe's Digital Media subscription revenue': names of other companies' segments do not count
        found = [m for m in found if m.entity.company in companies or not _owned_by_another(text, m, found)]
    found = [m for m in found if not _EXCLUDED.search(text[:m.start])]  # 'outside Europe' is not Europe
    with_segments = {m.entity.company for m in found if m.entity.segment}
    return [m for m in found if m.entity.segment or m.entity.company not in with_segments]


_EXCLUDED = re.compile(r"\b(?:outside(?: of)?|excluding|other than|except(?: for)?|apart from|beyond|non-?)\s*(?:the\s+)?$",
                       re.I)


def _excluded_names(text: str, every_name: list[EntityMention]) -> list[str]:
    """Parts of a business asked about by what they are not ('stores outside Europe'): the documents'
    names do not say which segment that is, so the question names something unknown."""
    return [f"{_EXCLUDED.search(text[:m.start]).group(0).strip()} {m.text}" for m in every_name
            if m.entity.segment and _EXCLUDED.search(text[:m.start])]


def _paired(named: list[EntityMention], periods: list[PeriodSpec]) -> list[PeriodSpec]:
    """Each entity's own period when every one is followed by one ('Cloud in 2025 or Zeta's Logistics
    Group in fiscal 2025'), else nothing."""
    if len(named) < 2 or len(periods) < len(named):
        return []
    out = []
    for i, mention in enumerate(named):
        until = named[i + 1].start if i + 1 < len(named) else 10 ** 6
        spec = next((p for p in periods if mention.end <= p.start < until), None)
        if spec is None:
            return []
        out.append(spec)
    return out


def _own_concepts(named: list[EntityMention], mentions) -> list[str]:
    """Each entity's own metric when each names a different one after it ("Acme's purchases of property and
    equipment were how many times Zeta's capital expenditures"), else nothing."""
    if len(named) < 2:
        return []
    out = []
    for i, entity in enumerate(named):
        until = named[i + 1].start if i + 1 < len(named) else 10 ** 6
        own = next((m.concept.key for m in mentions if entity.end <= m.start < until), None)
        if own is None:
            return []
        out.append(own)
    return out if len(set(out)) > 1 else []


def _owned_by_another(text: str, mention: EntityMention, found: list[EntityMention]) -> bool:
    """A segment word right after another company's name, or a descriptive word, while companies are named."""
    if mention.kind == "descriptor":
        return True
    return any(o.kind in ("company", "ticker", "company_descriptor") and o.entity.company != mention.entity.company and
               o.end <= mention.start and re.fullmatch(r"(?:['’]s)?\s*", text[o.end:mention.start]) for o in found)


def _outside_references(text: str, named: list[EntityMention], references: list[int]) -> list[EntityMention]:
    """Names that are part of a document's name ('the Acme vs Zeta article') are not what is asked about,
    as long as the question names something else."""
    spans = []
    for ref in references:
        start = re.search(r"\bthe\s+[^,.;:?!]{0,60}$", text[:ref], re.I)
        if start:
            spans.append((start.start(), ref))
    outside = [m for m in named if not any(s <= m.start < e for s, e in spans)]
    return outside if outside else named


_DIRECTION = re.compile(r"\b(?:increas|ris|rose|improv|decreas|declin|fall|fell|drop|shrink|shrank|deteriorat|"
                        r"worsen|expand|contract)\w*\b", re.I)
_CHANGE_VERB = re.compile(r"(?:increase|decrease|rise|fall|grow|decline|drop|shrink|change|improve)[sd]?|rose|fell|"
                          r"grew|shrank", re.I)


def _concept_mentions(text: str, named: list[EntityMention]) -> list:
    """Metrics named, in order, not counting words inside a company or segment name. Of two names side by side
    the second is the metric ('cash capital expenditures'); a general word that modifies a following noun is not
    a metric ('equity investment', 'cash transfer')."""
    vocab = vocabulary()
    found = [m for m in vocab.mentions(text) if not any(e.start <= m.start < e.end for e in named)]
    out = []
    for i, mention in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        if following is not None and following.start - mention.end <= 1:
            continue
        key = " ".join(mention.text.lower().split())
        after = re.match(r"\s*([A-Za-z-]+)", text[mention.end:])
        if key in vocab.question_only and after and after.group(1).lower() not in STOPWORDS and \
                after.group(1).lower() not in vocab.metric_fillers and not _CHANGE_VERB.fullmatch(after.group(1)):
            continue  # 'equity investment', 'cash transfer': the general word modifies another noun
        out.append(mention)
    return out


def _sources(text: str) -> tuple[list[str], list[int]]:
    """Kinds of document the question names, and where (a period right before such a name is the document's
    name, not a period asked about: 'the 2024 10-K')."""
    vocab = vocabulary()
    kinds, places = [], []
    for kind, words in vocab.sources.items():
        for word in words:
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE):
                kinds.append(kind)
                places.append(m.start())
    return list(dict.fromkeys(kinds)), places


_REASON_CORE = r"why|what (?:\w+ly )?(?:drove|caused)"  # 'why', 'what drove', 'what primarily caused'
REASON_WORDS = _REASON_CORE + r"|what (?:\w+ly )?explains?"  # every reader of a reason asked shares these
_WHY_TAIL = re.compile(rf"\s*,?\s+and\s+(?:{REASON_WORDS}|how (?:come|so)|what (?:were|was|are|is) "
                       r"the (?:main |primary )?(?:drivers?|reasons?|factors?|causes?))\b.*$", re.I)
_WHICH_PART = re.compile(r"^\s*which\s+(?:of\s+(?:\w+['’]s\s+|its\s+|the\s+)?|[A-Z][\w.&-]*(?:['’]s)?\s+)?(?:segments?|business(?:es)?|units?|divisions?|"
                         r"reportable\s+segments?)\b.*?\b(highest|largest|most|biggest|greatest|strongest|fastest|"
                         r"lowest|smallest|least|slowest|weakest)\b", re.I)
SECOND_ASK = re.compile(r"\s*,?\s+and\s+(?:what|how|when|by when|which|who|where)\b.*$", re.I)
_HOW_AFFECTED = re.compile(r"^\s*(?:how|in what way)\s+(?:did|does|do|has|have|will|would|could)\b.*\b(?:affect|"
                           r"impact|influence|hurt|help|contribute|weigh)", re.I)
_WHAT_INCLUDED = re.compile(r"^\s*what\b.{0,60}\b(?:were|was|are|is)\s+(?:included|recorded|recognized|reflected)\s+"
                            r"in\b", re.I)


def _second_ask(focus: str, query: Query, mentions):
    """A second question about something other than a figure ('..., and what was their weighted average
    remaining life?', '... and what was the effect on share count?'): answered by a quoted sentence after the
    figure."""
    tail = SECOND_ASK.search(focus)
    if tail is None:
        return None
    named = {m.concept.key for m in mentions if m.start >= tail.start()}
    return tail if not named - {c.key for c in query.concepts[:1]} else None


_AMOUNT = re.compile(r"^\s*(?:how much|what (?:was|were|is|are) (?:the )?(?:amount|total))\b", re.I)
_PHRASE_END = re.compile(r"\s+(?:in|for|during|over|as of|at|on|from|between|by|since|through|of)\b|[?,.]|$", re.I)
_PHRASE_START = re.compile(r"^\s*(?:what|how much|how many|which)\s+(?:was|were|is|are|did|does|do)?\s*(?:the\s+)?", re.I)


def _metric_phrase(text: str, named: list[EntityMention], periods: list[PeriodSpec]) -> str:
    """The noun phrase the question asks the amount of: after the company's name (or the question words),
    before the period ('What were Acme's shipping costs in Q2 2025?' -> 'shipping costs')."""
    anchors = [e.end for e in named] + [m.end() for m in re.finditer(r"['’]s\b", text)]
    start = min(anchors) if anchors else (_PHRASE_START.match(text).end() if _PHRASE_START.match(text) else 0)
    rest = re.sub(r"^['’]s\b", "", text[start:]).lstrip()
    fillers = vocabulary().metric_fillers
    lead = re.match(r"(?:([A-Za-z-]+)\s+)+?(?:on|for|from|in\s+(?=[a-z]))\s+", rest)
    if lead and all(w.lower() in fillers or w.lower() in STOPWORDS for w in lead.group(0).split()[:-1]):
        rest = rest[lead.end():]  # 'spend on shipping' asks about shipping
    end = _PHRASE_END.search(rest)
    phrase = rest[:end.start()] if end else rest
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z&-]*", phrase)
             if w.lower() not in QUESTION_WORDS and w.lower() not in STOPWORDS]
    return " ".join(words[:6])


_OPERATORS = [(r"\bdivided by\b|/|\bover\b", "/"), (r"\bplus\b|\+", "+"),
              (r"\bminus\b|\bless\b|\breduced by\b|(?<=\s)-(?=\s)|–", "-"),
              (r"\btimes\b|\*|(?<=\d)\s*x\s*(?=\()|×", "*")]


def defined_formula(question: str) -> Concept | None:
    """A metric the question defines itself ('Asset turnover is defined as: FY2031 net sales / average total
    assets between FY2030 and FY2031'): its formula over known line items, in the unit the question asks for.
    None when a term is not a known line item."""
    m = _DEFINITION.search(question)
    if not m:
        return None
    formula = _formula_of(m.group("expr"))
    if formula is None:
        return None
    name = m.group("name").strip()
    lowered = question.lower()
    unit = "percent" if re.search(r"percent|percentage|%", lowered) else \
        "days" if re.search(r"\bdays\b|\bd[psi]o\b", name.lower()) else "ratio" if "/" in formula else "money"
    return Concept(key=f"defined:{formula}", label=name[:1].lower() + name[1:] if not name.isupper() else name,
                   names=(), kind="flow", unit=unit, formula=formula)


_PARENTHESIS = re.compile(r"\(([^()]*\b(?:minus|less|plus|divided by|reduced by|net of)\b[^()]*)\)", re.I)


_FIGURE_QUESTION = re.compile(r"^\s*(?:how (?:much|many)|what (?:was|were|is|are)|what amount)\b", re.I)


def _by_meaning(query: Query, mentions, by_meaning: Callable[[str], Concept | None]) -> None:
    """No metric named word for word, or only a word too general to be a line item ('cash' in 'how much cash did
    its operations throw off'): the metric closest in meaning to the question's own phrase, if one is close."""
    vocab = vocabulary()
    general = [m for m in mentions if " ".join(m.text.lower().split()) in vocab.question_only]
    if query.concepts and not (len(mentions) == 1 and general):
        return
    phrase = f"{general[0].text} {query.metric_phrase}" if general else query.metric_phrase
    found = by_meaning(phrase) if phrase.strip() else None
    if found is None or (general and found == general[0].concept):
        return
    if general and not any(w in found.label.lower() or any(w in n for n in found.names)
                           for w in general[0].text.lower().split()):
        return  # a more specific metric must still be the general word's ('cash' -> 'cash from operations')
    query.concepts = [found]
    query.qualifiers = []


def _parenthetical_formula(text: str, mentions) -> Concept | None:
    """A metric asked with its formula in brackets ('free cash flow (operating cash flow minus purchases of property
    and equipment net of proceeds)'): that formula, under the name of the metric named outside the brackets."""
    m = _PARENTHESIS.search(text)
    if not m:
        return None
    outside = [x for x in mentions if not m.start() <= x.start < m.end()]
    target = next((x.concept for x in outside if x.concept.derived), outside[0].concept if outside else None)
    formula = _formula_of(m.group(1)) if target is not None else None
    if formula is None or not re.search(r"\s[-+*/]\s", f" {formula} "):
        return None
    return Concept(key=f"defined:{formula}", label=target.label, names=(), kind=target.kind, unit=target.unit,
                   formula=formula)


def company_formula(sentence: str, concept: Concept) -> Concept | None:
    """A company's own definition of a metric, read from its document ('Free cash flow is cash flow from
    operations reduced by "Purchases of property and equipment, net of proceeds from sales and incentives."'),
    as a formula over known line items; None when a term is not one."""
    names = "|".join(re.escape(n) for n in sorted({concept.label, *concept.names}, key=len, reverse=True) if n)
    m = re.search(rf"\b(?:{names})\s+(?:is|represents|means|is defined as|is calculated as)\s+(?P<expr>.+)", sentence,
                  re.I | re.S)
    if not m:
        return None
    expr = re.sub(r"[“”\"]", "", m.group("expr")).strip()
    expr = re.split(r"\.\s|\.$", expr)[0]
    formula = _formula_of(expr)
    if formula is None or formula == concept.key or not re.search(r"\s[-+*/]\s", f" {formula} "):
        return None
    return Concept(key=f"own:{concept.key}", label=concept.label, names=(), kind=concept.kind, unit=concept.unit,
                   formula=formula)


def _formula_of(expr: str) -> str | None:
    """An arithmetic expression in words over line items, as a formula of concept keys."""
    expr = re.split(r",\s*(?:with|where|using|taken|based|as reported)\b|;", expr)[0].strip().rstrip(".")
    expr = re.sub(r"\s*\((?:less|net of|excluding|excl\.|net|from|as reported|as shown|per|in)\b[^()\d]*\)", "", expr,
                  flags=re.I)  # '(less current portion)', '(from the cash flow statement)'
    expr = LOSS_OR.sub("", expr)  # '(loss)/earnings from operations'
    expr = re.sub(r"\b(?:average|avg\.?)\s+(?:of\s+)?(?P<x>[^()+*/]+?)\s+between\s+\S+\s+and\s+\S+?(?=\)|\s*$|\s+[-+*/])",
                  lambda g: f"avg[{g.group('x')}]", expr, flags=re.I)
    expr = re.sub(r"\bchange in\s+(?P<x>[^()+*/]+?)\s+between\s+\S+\s+and\s+\S+?(?=\)|\s*$|\s+[-+*/])",
                  lambda g: f"change[{g.group('x')}]", expr, flags=re.I)
    for pattern, op in _OPERATORS:
        expr = re.sub(pattern, f" {op} ", expr, flags=re.I)
    out = []
    for token in re.split(r"(\s[-+*/]\s|[()])", expr):
        token = token.strip()
        if not token:
            continue
        if token in "+-*/()":
            out.append(token)
            continue
        wrapped = re.fullmatch(r"(avg|change)\[(.+)\]", token)
        fn, term = (wrapped.group(1), wrapped.group(2)) if wrapped else ("", token)
        term = re.sub(r"\b(?:FY\s?\d{2,4}|fiscal(?: year)?\s*\d{4}|(?:19|20)\d\d|year[- ]end)\b|^\s*(?:the|total)\s", " ", term,
                      flags=re.I)
        if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", term):
            out.append(term.strip())
            continue
        concept = vocabulary().concept_of(" ".join(term.split())) or next(
            (mm.concept for mm in vocabulary().mentions(term, prose=True)), None)
        if concept is None:
            return None
        out.append(f"{fn}({concept.key})" if fn else concept.key)
    return " ".join(out)


_RATIO_WORDS = re.compile(r"\b(percent|percentage|%|margin|share|proportion|fraction)\b", re.I)


def inline_formula(text: str, mentions) -> Concept | None:
    """A metric the question defines from two named ones: 'A divided by B', 'A as a percentage of B', 'ratio of
    A to B', 'A relative to B', 'A minus B', 'what percentage of B ... as A'."""
    for a, b in zip(mentions, mentions[1:]):
        between = text[a.end:b.start].lower().strip()
        before = text[max(0, a.start - 30):a.start].lower()
        if re.fullmatch(r"(?:divided by|/|over|per)(?: (?:total|its|the))?", between) or \
                (re.fullmatch(r"to(?: (?:total|its|the))?", between) and "ratio of" in before) or \
                re.fullmatch(r"(?:as a|as an|as)? ?(?:percentage|percent|share|proportion|fraction|%) of(?: (?:total|its|"
                             r"the))?|relative to(?: (?:total|its|the))?", between):
            unit = "percent" if _RATIO_WORDS.search(text) or b.concept.key == "revenue" else "ratio"
            return _inline(a.concept, b.concept, "/", unit)
        if re.fullmatch(r"(?:minus|less)(?: (?:total|its|the))?", between):
            return _inline(a.concept, b.concept, "-", a.concept.unit)
        if re.search(r"\b(?:percentage|percent|share|proportion|fraction) of\s+(?:[\w']+\s+){0,3}$", before) and \
                re.search(r"\b(?:as|into)\b", between):
            return _inline(b.concept, a.concept, "/", "percent")  # 'what percentage of its net sales ... as net income'
    return None


def _inline(a: Concept, b: Concept, op: str, unit: str) -> Concept:
    label = f"{a.label} {'to' if op == '/' else 'minus'} {b.label}" if unit != "percent" else \
        f"{a.label} as a percentage of {b.label}"
    return Concept(key=f"inline:{a.key}{op}{b.key}", label=label, names=(), kind=a.kind if a.kind == b.kind else "flow",
                   unit=unit, formula=f"{a.key} {op} {b.key}")


def _qualifiers(text: str, primary, named: list[EntityMention], periods: list[PeriodSpec]) -> list[str]:
    """Words right before the metric that narrow it and that no company, segment or period accounts for
    ('subscription' in 'subscription net sales' narrows net sales to a product line the documents may not break
    out as a fact)."""
    vocab = vocabulary()
    start = max([e.end for e in named if e.end <= primary.start] + [p.end for p in periods if p.end <= primary.start]
                + [0])
    before = re.split(r"['’]s\b|\?|,|:|;", text[start:primary.start])[-1]
    for same in vocab.mentions(before):  # 'bottom-line' in 'bottom-line profit' names the same metric again
        if same.concept.key == primary.concept.key:
            before = before[:same.start] + " " * (same.end - same.start) + before[same.end:]
    words = re.findall(r"[A-Za-z][A-Za-z&/-]*", before)
    return [w for w in words if w.lower() not in vocab.metric_fillers and w.lower() not in QUESTION_WORDS
            and w.lower() not in STOPWORDS and not _DIRECTION.fullmatch(w)]


def _unknown_names(text: str, named: list[EntityMention], mentions, periods: list[PeriodSpec],
                   references: list[int]) -> list[str]:
    """Capitalised names the question uses that are not a known company or segment, a metric, a period or a
    kind of document ('Google' in 'Google Cloud's revenue'): the documents' facts cannot be about them."""
    from assistant.answer.support import GENERIC_CAPS

    vocab = vocabulary()
    covered = [(e.start, e.end) for e in named] + [(m.start, m.end) for m in mentions] + \
        [(p.start, p.end) for p in periods] + [(r, r + 12) for r in references]
    months = set(vocab.periods["months"]) | set(vocab.periods["month_abbreviations"])
    for m in re.finditer(r"((?:[A-Z][\w&.-]*\s+){1,4})\((?P<short>[A-Z][\w&.]+)\)", text):
        if any(s <= m.start("short") < e for s, e in covered):  # 'Acme Cloud Services (ACS)': a known name, spelled out
            covered.append((m.start(), m.end()))
    out = []
    for m in re.finditer(r"\b[A-Z][A-Za-z0-9&.-]*[A-Za-z0-9]\b", text):
        word = m.group(0).lower().rstrip(".")
        if m.start() == 0 or any(s <= m.start() < e for s, e in covered) or word in GENERIC_CAPS or \
                word in months or word in QUESTION_WORDS or word in STOPWORDS or word in vocab.periods["ordinals"]:
            continue
        if re.match(r"(?:q[1-4]|h[12]|fy\d*|\d+q)$", word):
            continue
        out.append(m.group(0))
    return out


_SPAN_WORDS = re.compile(r"^\s*(?:,\s*)?(?:to|and|through|until|compared\s+(?:with|to)|versus|vs\.?|relative\s+to|"
                         r"against|over|from)\s*$", re.I)


_EACH_SEGMENT = re.compile(r"\b(?:each|every|all)\s+(?:of\s+)?(?:(?:its|the|their|[\w.&-]+['’]s)\s+)?(?:\w+\s+)?segments?"
                           r"(?:['’]s?)?|\bby\s+segment\b|"
                           r"\bsegment\s+(?:by\s+segment|breakdown)\b", re.I)
_EACH_PERIOD = re.compile(r"\b(?:each|every|per)\s+(?:year|quarter)\b|\btrend\b|\bover\s+time\b|\byear\s+by\s+year\b|"
                          r"\bannually\b|\bover\s+the\s+(?:years|quarters)\b", re.I)


def _series_asked(text: str, query: Query) -> str:
    """'periods' when a figure is asked over a run of periods ('from 2022 to 2025', 'each year', three periods
    listed), 'segments' for every segment's figure ('each segment's operating income in 2025'), else ''."""
    if query.concept is None or query.concept.derived and query.concept.key.startswith(("inline:", "defined:")):
        return ""
    years = sorted({p.fiscal_year or (p.end_date.year if p.end_date else 0) for p in query.periods})
    run = len(query.periods) >= 3 or len(query.periods) == 2 and (
        _EACH_PERIOD.search(text) is not None or query.spanned and years[-1] - years[0] >= 2 and
        query.operation in ("value", "change"))
    if run:
        return "periods"
    return "segments" if query.each_segment else ""


def _spanned(text: str, periods: list[PeriodSpec]) -> bool:
    """Two periods joined as the ends of one span ('from 2023 to 2025', 'Q2 2025 versus Q2 2024'); 'between ...
    and' and 'from ... to' count, a bare 'and' does not."""
    if len(periods) != 2:
        return False
    first, second = periods
    between = text[first.end:second.start]
    if not _SPAN_WORDS.match(between):
        return False
    if re.match(r"\s*(?:,\s*)?and\s*$", between, re.I):
        return bool(re.search(r"\bbetween\s+(?:the\s+)?$", text[:first.start], re.I))
    return True


def _unnamed_units(text: str, named: list[EntityMention]) -> list[str]:
    """A part of a company described but not named ('Acme's rent-a-server arm'): no segment the documents name
    answers for it, and the whole company must not."""
    from assistant.finance.entities import UNIT_WORDS

    out = []
    for mention in named:
        if mention.entity.segment:
            continue
        m = re.match(rf"['’]s\s+((?:[\w-]+\s+){{1,3}}?(?:{'|'.join(UNIT_WORDS[:9])}))\b", text[mention.end:], re.I)
        if m and not any(e.start >= mention.end and e.start < mention.end + m.end() for e in named):
            words = m.group(1).lower().split()
            if not all(w in vocabulary().metric_fillers or w in STOPWORDS for w in words[:-1]):
                out.append(m.group(1))
    return out


_CURRENCY_ASKED = {"USD": re.compile(r"\b(?:in|into|to)\s+(?:u\.?s\.?\s+dollars|us\$|usd|dollars|dollar terms)\b|"
                                    r"\bmeasured in (?:u\.?s\.?\s+)?dollars\b", re.I),
                   "CNY": re.compile(r"\b(?:in|into)\s+(?:rmb|renminbi|yuan|cny)\b", re.I)}


def _currency_asked(text: str) -> str:
    return next((code for code, pattern in _CURRENCY_ASKED.items() if pattern.search(text)), "")


def _distinct(periods: list[PeriodSpec]) -> list[PeriodSpec]:
    """Periods named twice ('2025 ... the full year 2025') count once; the more specific naming is kept."""
    out: list[PeriodSpec] = []
    for spec in periods:
        same = next((o for o in out if (o.fiscal_year, o.quarter, o.end_date) == (spec.fiscal_year, spec.quarter,
                                                                                  spec.end_date)
                     and (o.months is None or spec.months is None or o.months == spec.months)), None)
        if same is None:
            out.append(spec)
        elif same.months is None and spec.months is not None:
            out[out.index(same)] = spec
    return out


def _asks_direction(focus: str, query: Query) -> bool:
    """A yes/no question about which way one figure moved ('Did X increase in 2022?', 'an improving margin?')."""
    return bool(_YES_NO_START.match(focus) and len(query.periods) <= 1 and len(query.entities) <= 1 and
                _DIRECTION.search(focus))


def _operation(focus: str, query: Query) -> str:
    vocab = vocabulary()
    ops = vocab.operations
    if vocab.has_any(focus, ops["cagr"]):
        return "cagr"
    concept = query.concept
    if concept is not None and concept.derived and concept.unit in ("percent", "ratio", "days"):
        if _asks_direction(focus, query):
            return "change"  # 'an improving margin as of FY2022?': against the year before, in points
        if len(query.periods) >= 2 and re.search(r"\b(change|changed|improve|improved|decline|declined|"
                                                 r"increase|increased|decrease|decreased)\b", focus, re.I):
            return "change"
        if vocab.has_any(focus, ops["average"]) and len(query.periods) >= 2:
            return "average"  # 'average operating margin from 2022 to 2024'
        return "value"  # a margin or ratio is asked for its value
    if vocab.has_any(focus, ops["share"]) and re.search(r"\b(share|percentage|percent|proportion|portion|fraction)"
                                                        r"\s+of\b|% of", focus, re.I):
        return "share"
    if _HOW_FAST.search(focus) or re.search(r"\b(grow|grew|growth)\b", focus, re.I):
        return "growth"
    if _asks_direction(focus, query):
        return "growth"  # 'Did X's operating income increase in 2022?' is answered by its change on the year
    if re.search(r"\bhow much (?:more|less|larger|bigger|higher|lower|smaller)\b|\bby how (?:many|much)\b.*\b"
                 r"(?:exceed|more|less|larger|higher)\b", focus, re.I):
        return "difference" if len(query.entities) >= 2 else "change"
    if re.search(r"\b(change|changed|difference|increase|increased|decrease|decreased|decline|declined|rise|rose|"
                 r"fall|fell|drop|dropped)\b", focus, re.I) and (len(query.periods) >= 2 or query.relative or
                                                                   re.search(r"\bby how much\b", focus, re.I)):
        return "change"
    if vocab.has_any(focus, ops["average"]) and len(query.periods) >= 2:
        return "average"
    return "value"


_AND_GROWTH = re.compile(r"\band\b[^.?]{0,40}\b(?:how much|how fast|by how much|by what percent(?:age)?)\b[^.?]{0,30}"
                         r"\b(?:grow|grew|growth|increase|rise|rose|change)\b|\band (?:its|their|the) (?:growth|"
                         r"increase)\b", re.I)


def _also_asked(focus: str, query: Query, mentions) -> list[str]:
    """More parts asked in one question: 'net sales ... and how much did they grow' (the value and its growth),
    'net income and diluted EPS' (two line items side by side)."""
    out = []
    if query.concept is not None and not query.concept.derived and _AND_GROWTH.search(focus):
        out.append("growth")
    if query.operation == "growth" and query.concept is not None and any(
            m.concept == query.concept and re.search(r"\band\s+(?:to\s+)?(?:what|how much)\b[^?]*$", focus[:m.start], re.I)
            for m in mentions):
        out.append("value")  # 'how much did it grow, and to what revenue?'
    for a, b in zip(mentions, mentions[1:]):
        if query.own_concepts:
            break  # each company's own metric, not two line items of each
        if a.concept == query.concept and not b.concept.derived and b.concept != a.concept and \
                re.fullmatch(r"\s*(?:,|and|,\s*and|as well as|plus|or|versus|vs\.?)\s*", focus[a.end:b.start], re.I):
            out.append(b.concept.key)
    return out


def _intent(focus: str, query: Query) -> str:
    vocab = vocabulary()
    two_sides = len(query.entities) >= 2 or len(query.unknown) >= 2 or len(query.also) == 1 and \
        query.also[0] in vocab.concepts and re.search(r"\bor\b", focus) is not None or \
        (len(query.periods) >= 2 and query.operation == "value")
    if _HOW_AFFECTED.match(focus) or _WHAT_INCLUDED.match(focus):
        return "explain"  # 'How did foreign exchange affect X?', 'What charges were included in X?'
    if vocab.has_any(focus, vocab.intents["explain"]) and not (query.concept and re.match(
            r"^\s*(what|how much|how many)\b", focus, re.I) and not re.match(rf"^\s*(?:{_REASON_CORE})\b", focus, re.I)):
        if re.match(rf"^\s*({_REASON_CORE}|what factors|explain|describe)", focus, re.I) or \
                not query.concept:
            return "explain"
    if two_sides and (vocab.has_any(focus, vocab.intents["compare"]) or query.comparative or
                      re.search(r"\bor\b", focus)):
        return "compare"
    if _YES_NO_START.match(focus) and not re.match(r"^\s*(?:is|are|was|were)\s+there\b", focus, re.I):
        return "yesno"
    if _WHICH.match(focus) and not query.concept:
        return "list"
    if query.concept is None:
        return "explain"
    if query.concept.derived or query.operation != "value":
        return "compute"
    return "lookup"


def _answer_type(query: Query) -> str:
    if query.concept is None or query.intent in ("explain", "list"):
        return "text"
    if query.operation in ("growth", "share", "cagr"):
        return "percent"
    unit = query.concept.unit
    return {"money": "amount", "percent": "percent", "ratio": "ratio", "days": "days", "count": "count",
            "per_share": "per_share"}.get(unit, "amount")


def _is_follow_up(focus: str, query: Query) -> bool:
    """A question that leans on the previous turn: it starts like a follow-up, uses a pronoun for what was named
    before, or leaves out the company, the metric or the period."""
    if _FOLLOW_UP_START.match(focus) or query.relative:
        return True
    missing = (not query.entities) + (not query.concepts) + (not query.periods)
    return missing >= 1 and (len(focus.split()) <= 8 or bool(_PRONOUN.search(focus)))


def _resolve(query: Query, previous: Query) -> Query:
    """Keep from the previous Query what the follow-up does not change; replace what it names."""
    entities = query.entities or previous.entities
    concepts = query.concepts or _margin_of(query.focus, previous.concepts) or previous.concepts
    periods = query.periods or previous.periods
    if query.relative == "previous" and not query.periods and previous.periods:
        periods = [_year_earlier(p) for p in previous.periods]
    run = previous.series == "periods" and not query.periods  # 'And its operating income?' after a run of years
    each = previous.each_segment and not query.entities  # 'And net sales?' after each segment's figure
    operation = query.operation
    if operation == "value" and (not query.concepts or run) and previous.operation != "value":
        operation = previous.operation
    periods = [_with_year(spec, previous.periods) for spec in periods]
    keep_metric = not query.concepts and not query.profit
    resolved = replace(query, entities=list(entities), concepts=list(concepts), periods=list(periods),
                       operation=operation, follow_up=True, carried=not query.entities,
                       metric_phrase=query.metric_phrase if not keep_metric or not previous.metric_phrase
                       else previous.metric_phrase,
                       qualifiers=query.qualifiers or (previous.qualifiers if keep_metric else []),
                       sources=query.sources or previous.sources,
                       forward=query.forward or previous.forward,
                       profit=query.profit or (previous.profit and not query.concepts),
                       unknown=query.unknown if query.entities or query.unknown else previous.unknown,
                       series=query.series or (previous.series if run or each and previous.series == "segments"
                                               else ""),
                       spanned=query.spanned or run and previous.spanned, each_segment=query.each_segment or each)
    resolved.intent = _intent(resolved.focus, resolved) if query.concepts or query.entities else (
        previous.intent if previous.intent != "compare" or len(entities) >= 2 else "lookup")
    if _REASON_ASKED.match(query.focus):
        resolved.intent = "explain"  # 'Why did it rise?' asks for the reason behind the previous figure
    elif resolved.intent == "explain" and resolved.concept is not None and previous.intent != "explain":
        resolved.intent = "compute" if resolved.concept.derived or operation != "value" else "lookup"
    resolved.answer_type = _answer_type(resolved)
    return resolved


_REASON_ASKED = re.compile(rf"^\s*(?:and\s+)?(?:{REASON_WORDS}|how come)\b", re.I)


def _margin_of(focus: str, previous: list[Concept]) -> list[Concept]:
    """'And its margin?' after a profit figure: that profit over net sales ('operating income' -> operating
    margin), the margin the formula table defines for it."""
    if not previous or not re.search(r"\bmargins?\b", focus, re.I):
        return []
    wanted = f"{previous[0].key} / revenue"
    return [c for c in vocabulary().concepts.values() if c.formula.replace(" ", "") == wanted.replace(" ", "")][:1]


def _with_year(spec: PeriodSpec, previous: list[PeriodSpec]) -> PeriodSpec:
    """A period named without its year ('the full year', 'the first six months') takes the year of the period
    the conversation was about."""
    if spec.fiscal_year or spec.end_date or not previous:
        return spec
    before = previous[0]
    year = before.fiscal_year or (before.end_date.year if before.end_date else None)
    return replace(spec, fiscal_year=year) if year else spec


def _year_earlier(spec: PeriodSpec) -> PeriodSpec:
    return replace(spec, fiscal_year=spec.fiscal_year - 1 if spec.fiscal_year else None,
                   end_date=spec.end_date.replace(year=spec.end_date.year - 1) if spec.end_date else None,
                   text=f"{spec.text} (a year earlier)")


def resolve_period(spec: PeriodSpec, cal: FiscalCalendar, concept: Concept | None,
                   latest: Period | None = None) -> Period | None:
    """A period named in a question as dates, for a concept (a balance on its date, a flow over its span). A
    year alone is the fiscal year; 'TTM' or 'latest' is the latest period the documents have."""
    if spec.relative == "latest" and spec.end_date is None:
        return latest
    stock = bool(concept and concept.kind == "stock")
    if concept is not None and not stock and spec.months == 0 and spec.end_date is None:
        spec = replace(spec, months=None)  # 'operating margin as of FY2022' is the margin for FY2022
    return spec.resolve(cal, stock=stock)
