"""The metric reader: the line item or derived metric asked about (named, defined by the question, or said with a
plain verb: 'earn' is net income, 'bring in' is revenue), the words that narrow it ('subscription', 'diluted',
'from continuing operations'), each company's own metric, and how the figure is to be shown (currency, scale,
decimals)."""

from __future__ import annotations

from assistant.finance.vocabulary import Concept, Mention, vocabulary
from assistant.query.formulas import defined_formula, definition, inline_formula, margin_of, parenthetical_formula
from assistant.query.grammar import grammar
from assistant.query.model import Query
from assistant.query.reading import Reading
from assistant.text import QUESTION_WORDS, STOPWORDS


def read_metric(reading: Reading, query: Query) -> None:
    vocab, g, focus = vocabulary(), grammar(), reading.focus
    mentions = reading.mentions
    concepts = list(dict.fromkeys(m.concept for m in mentions))
    concepts.sort(key=lambda c: not c.derived)  # a margin or ratio named with its inputs is what is asked
    query.concepts = concepts
    query.said = {m.concept.key: " ".join(m.text.lower().split()) for m in reversed(mentions)}
    query.own_concepts = _own_concepts(reading)
    primary = next((m for m in mentions if concepts and m.concept == concepts[0]), None)
    query.qualifiers = _qualifiers(reading, primary) if primary else []  # 'subscription gross margin' too
    _read_formula(reading, query)
    _read_claim(reading, query)
    query.metric_phrase = _metric_phrase(reading)
    query.profit = g.has(focus, "profit_words")
    if query.profit and not query.concepts:
        query.concepts = [vocab.concepts[vocab.profit_concepts[0]]]
    if not query.concepts and not mentions and query.entities:
        query.concepts = _said_with_a_verb(focus)  # a plain verb says it before any phrase like it does
    if (
        reading.by_meaning is not None
        and query.entities
        and not query.unknown
        and g.pattern("figure_question").match(focus)
    ):
        _by_meaning(reading, query)
    if not query.concepts and (query.entities or reading.previous is not None):
        query.concepts = _said_with_a_verb(focus)
    if not query.concepts and query.entities and g.has(focus, "growth_verbs") and not g.has(focus, "cagr_words"):
        query.concepts = [vocab.concepts[vocab.default_growth_concept]]  # 'Which segment grew faster?'
    _read_presentation(reading, query)


def _read_formula(reading: Reading, query: Query) -> None:
    """A formula the question gives: its own definition, a formula in brackets, or two metrics joined ('A as a
    percentage of B'). A definition it cannot follow is never answered by another one."""
    focus, mentions = reading.focus, reading.mentions
    given = definition(reading.question)
    defined = defined_formula(reading.question) or parenthetical_formula(focus, mentions)
    if given is not None and defined is None:
        query.unknown.append(" ".join(given.group("expr").split())[:80])
    ratio_named = any(c.derived and c.unit in grammar().tables["ratio_units"] for c in query.concepts)
    spans = [(p.start, p.end) for p in reading.periods]
    inline = defined or (None if ratio_named else inline_formula(focus, mentions, spans) or margin_of(focus, mentions))
    if inline is not None:
        query.concepts = [inline] + [c for c in query.concepts if c != inline]
        query.qualifiers = []


def _read_claim(reading: Reading, query: Query) -> None:
    """A claim stated before the question and asked about ('A broker says Acme earns 30%+ operating margins. Does
    its operating income support that?'): the claim's own ratio, whose numerator is the figure named, is what
    settles it, and is asked first."""
    focus, question = reading.focus, reading.question
    if not query.concepts or not grammar().has(focus, "claim_words"):
        return
    context = question.replace(focus, " ")
    asked = query.concepts[0]
    for mention in vocabulary().mentions(context):
        ratio = mention.concept
        if ratio.derived and ratio.unit == "percent" and ratio.formula.split("/")[0].strip() == asked.key:
            query.concepts = [ratio] + [c for c in query.concepts if c != ratio]
            return


def _said_with_a_verb(focus: str) -> list[Concept]:
    """An amount asked with a plain verb and no metric: 'bring in', 'sell' and 'make from ...' ask for revenue,
    'earn', 'make' and 'lose' for net income ('earn before taxes' for pre-tax income)."""
    vocab, g = vocabulary(), grammar()
    if (
        not g.pattern("amount_question").match(focus)
        and not g.pattern("figure_question").match(focus)
        and not g.starts(focus, "follow_up_openers")
    ):
        return []
    earning = g.find(focus, "earning_verbs")
    if g.has(focus, "revenue_verbs") or earning and g.starts(focus[earning.end() :], "source_words"):
        return [vocab.concepts[vocab.verb_concepts["revenue"]]]
    losing = g.find(focus, "losing_verbs")
    if losing and not earning and not g.starts(focus[losing.end() :], "loss_objects"):
        earning = losing  # 'How much did Acme lose in 2022?': its net loss ('lose on its stake' is another loss)
    if not earning:
        return []
    return [vocab.concepts[vocab.verb_concepts["earn_before_tax" if g.pattern("before_tax").search(focus) else "earn"]]]


def _own_concepts(reading: Reading) -> list[str]:
    """Each entity's own metric when each names a different one after it ("Acme's purchases of property and
    equipment were how many times Zeta's capital expenditures"), else nothing."""
    named = reading.named
    if len(named) < 2:
        return []
    out = []
    for i, entity in enumerate(named):
        until = named[i + 1].start if i + 1 < len(named) else len(reading.focus) + 1
        own = next((m.concept.key for m in reading.mentions if entity.end <= m.start < until), None)
        if own is None:
            return []
        out.append(own)
    return out if len(set(out)) > 1 else []


def _qualifiers(reading: Reading, primary: Mention) -> list[str]:
    """Words that narrow the metric and that no company, segment or period accounts for: before it
    ('subscription' in 'subscription net sales', 'diluted', 'non-GAAP') or after it ('from continuing
    operations'). The answer finds that narrowed line item or refuses; it never gives the company-wide figure."""
    vocab, g, text = vocabulary(), grammar(), reading.focus
    named = reading.named + reading.every_name
    start = max(
        [reading.name_end(e) for e in named if e.end <= primary.start]
        + [p.end for p in reading.periods if p.end <= primary.start]
        + [0]
    )
    before = g.pattern("qualifier_break").split(text[start : primary.start])[-1]
    offset = primary.start - len(before)
    for same in vocab.mentions(before):  # 'bottom-line' in 'bottom-line profit' names the same metric again
        if same.concept.key == primary.concept.key:
            before = before[: same.start] + " " * (same.end - same.start) + before[same.end :]
    inside = [(p.start, p.end) for p in reading.all_periods]  # 'trailing-twelve-month free cash flow'
    found = [
        m.group(0)
        for m in g.pattern("qualifier_word").finditer(before)
        if not any(s <= offset + m.start() < e for s, e in inside)
    ]
    words = [
        w
        for w in found
        if w.lower() not in vocab.metric_fillers
        and w.lower() not in QUESTION_WORDS
        and w.lower() not in STOPWORDS
        and not g.pattern("direction").fullmatch(w)
    ]
    after = g.pattern("narrowing_after").match(text[primary.end :])
    return words + ([" ".join(after.group(0).split())] if after else [])


def _metric_phrase(reading: Reading) -> str:
    """The noun phrase the question asks the amount of: after the company's name (or the question words),
    before the period ('What were Acme's shipping costs in Q2 2025?' -> 'shipping costs')."""
    g, text = grammar(), reading.focus
    anchors = [e.end for e in reading.named] + [m.end() for m in g.pattern("possessive").finditer(text)]
    opening = g.pattern("phrase_start").match(text)
    start = min(anchors) if anchors else (opening.end() if opening else 0)
    owner = g.pattern("possessive").match(text, start)
    rest = text[owner.end() if owner else start :].lstrip()
    fillers = vocabulary().metric_fillers
    lead = g.pattern("spending_lead").match(rest)
    if lead and all(w.lower() in fillers or w.lower() in STOPWORDS for w in lead.group(0).split()[:-1]):
        rest = rest[lead.end() :]  # 'spend on shipping' asks about shipping
    end = g.pattern("phrase_end").search(rest)
    phrase = rest[: end.start()] if end else rest
    words = [
        w for w in g.pattern("word").findall(phrase) if w.lower() not in QUESTION_WORDS and w.lower() not in STOPWORDS
    ]
    return " ".join(words[:6])


def _by_meaning(reading: Reading, query: Query) -> None:
    """No metric named word for word, or only a word too general to be a line item ('cash' in 'how much cash did
    its operations throw off'): the metric closest in meaning to the question's own phrase, if one is close."""
    vocab = vocabulary()
    general = [m for m in reading.mentions if " ".join(m.text.lower().split()) in vocab.question_only]
    if query.concepts and not (len(reading.mentions) == 1 and general):
        return
    phrase = f"{general[0].text} {query.metric_phrase}" if general else query.metric_phrase
    found = reading.by_meaning(phrase) if phrase.strip() and reading.by_meaning is not None else None
    if found is None or (general and found == general[0].concept):
        return
    if general and not any(
        w in found.label.lower() or any(w in n for n in found.names) for w in general[0].text.lower().split()
    ):
        return  # a more specific metric must still be the general word's ('cash' -> 'cash from operations')
    query.concepts = [found]
    query.qualifiers = []


def _read_presentation(reading: Reading, query: Query) -> None:
    """The currency, scale and number of decimals the question asks its figures in."""
    g, question = grammar(), reading.question
    query.currency = next(
        (code for code, name in (("USD", "usd_asked"), ("CNY", "cny_asked")) if g.pattern(name).search(question)), ""
    )
    scale = g.pattern("scale_asked").search(question)
    if scale:
        query.scale = vocabulary().scale_words[scale.group(1).lower()]
    decimals = g.pattern("decimals").search(question)
    values = g.tables["number_values"]
    if decimals and decimals.group(1).lower() in values:
        query.decimals = values[decimals.group(1).lower()]
