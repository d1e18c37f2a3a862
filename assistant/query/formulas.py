"""Formulas written in words: a metric a question defines itself ('Asset turnover is defined as: net sales / average
total assets'), one asked with its formula in brackets, one made of two named metrics ('operating expenses as a
percentage of net sales'), and a company's own definition read from its document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.finance.vocabulary import LOSS_OR, Concept, Mention, vocabulary
from assistant.query.grammar import grammar
from assistant.text import STOPWORDS

_OPERATORS = (("formula_divide", "/"), ("formula_add", "+"), ("formula_subtract", "-"), ("formula_multiply", "*"))


def definition(question: str):
    """The question's own definition of a metric ('X is defined as ...', 'What was X's Y in 2020, computed as
    ...?'), if it gives one."""
    g = grammar()
    return g.pattern("definition").search(question) or g.pattern("definition_after").search(question)


def defined_formula(question: str) -> Concept | None:
    """A metric the question defines itself: its formula over known line items, in the unit the question asks
    for. None when a term is not a known line item."""
    m = definition(question)
    formula = _formula_of(m.group("expr")) if m else None
    if formula is None:
        return None
    g, name = grammar(), m.group("name").strip()
    unit = (
        "percent"
        if g.pattern("percent_asked").search(question) or formula.endswith("/ revenue")
        else "days"
        if g.pattern("days_named").search(name)
        else "ratio"
        if "/" in formula
        else "money"
    )
    return Concept(
        key=f"defined:{formula}",
        label=name[:1].lower() + name[1:] if not name.isupper() else name,
        names=(),
        kind="flow",
        unit=unit,
        formula=formula,
    )


def parenthetical_formula(text: str, mentions: list[Mention]) -> Concept | None:
    """A metric asked with its formula in brackets ('free cash flow (operating cash flow minus purchases of
    property and equipment)'): that formula, under the name of the metric named outside the brackets."""
    m = grammar().pattern("parenthesis_formula").search(text)
    if not m:
        return None
    outside = [x for x in mentions if not m.start() <= x.start < m.end()]
    target = next((x.concept for x in outside if x.concept.derived), outside[0].concept if outside else None)
    formula = _formula_of(m.group(1)) if target is not None else None
    if target is None or formula is None or not grammar().pattern("operator_spaced").search(f" {formula} "):
        return None
    return Concept(
        key=f"defined:{formula}", label=target.label, names=(), kind=target.kind, unit=target.unit, formula=formula
    )


def company_formula(sentence: str, concept: Concept) -> Concept | None:
    """A company's own definition of a metric, read from its document ('Free cash flow is cash flow from
    operations reduced by "Purchases of property and equipment"'), as a formula over known line items; None when
    a term is not one."""
    g = grammar()
    names = [n for n in {concept.label, *concept.names} if n]
    m = g.pattern("company_definition", names=names).search(sentence)
    if not m:
        return None
    expr = g.pattern("quotes").sub("", m.group("expr")).strip()
    formula = _formula_of(g.pattern("sentence_end").split(expr)[0])
    if formula is None or formula == concept.key or not g.pattern("operator_spaced").search(f" {formula} "):
        return None
    return Concept(
        key=f"own:{concept.key}", label=concept.label, names=(), kind=concept.kind, unit=concept.unit, formula=formula
    )


def inline_formula(text: str, mentions: list[Mention], periods: Sequence[tuple[int, int]] = ()) -> Concept | None:
    """A metric the question defines from two named ones: 'A divided by B', 'A as a percentage of B', 'ratio of
    A to B', 'A relative to B', 'A minus B', 'what percentage of B ... as A'. A period named between the two ('A
    in 2022 as a percentage of B') does not part them."""
    g = grammar()
    for a, b in zip(mentions, mentions[1:]):
        between = _without(text, a.end, b.start, periods).lower().strip()
        before = text[max(0, a.start - 30) : a.start].lower()
        if (
            g.pattern("division_between").fullmatch(between)
            or g.pattern("percent_of_between").fullmatch(between)
            or g.pattern("to_between").fullmatch(between)
            and g.pattern("ratio_of_before").search(before)
        ):
            unit = "percent" if g.has(text, "ratio_words") or b.concept.key == "revenue" else "ratio"
            return _inline(a.concept, b.concept, "/", unit)
        if g.pattern("minus_between").fullmatch(between):
            return _inline(a.concept, b.concept, "-", a.concept.unit)
        if g.pattern("percent_of_before").search(before) and g.pattern("as_between").search(between):
            return _inline(b.concept, a.concept, "/", "percent")  # 'what percentage of its net sales ... as X'
    return None


def margin_of(text: str, mentions: list[Mention]) -> Concept | None:
    """An amount asked as a margin ('EBITDA % margin', 'D&A margin'): that amount over revenue, in percent."""
    g, vocab = grammar(), vocabulary()
    revenue = vocab.concepts[vocab.default_growth_concept]
    for m in mentions:
        if m.concept.unit == "money" and m.concept != revenue and g.pattern("margin_after").match(text[m.end :]):
            margin = _inline(m.concept, revenue, "/", "percent")
            return Concept(
                key=margin.key, label=f"{m.concept.label} margin", names=(), unit="percent", formula=margin.formula
            )
    return None


def _without(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """The text between two positions with the given spans (and the word that leads into each) left out."""
    kept, at = [], start
    for s, e in sorted(spans):
        if start <= s and e <= end:
            kept.append(grammar().pattern("period_lead").sub("", text[at:s]))
            at = e
    kept.append(text[at:end])
    return " ".join(" ".join(kept).split())


def _inline(a: Concept, b: Concept, op: str, unit: str) -> Concept:
    label = (
        f"{a.label} {'to' if op == '/' else 'minus'} {b.label}"
        if unit != "percent"
        else f"{a.label} as a percentage of {b.label}"
    )
    return Concept(
        key=f"inline:{a.key}{op}{b.key}",
        label=label,
        names=(),
        kind=a.kind if a.kind == b.kind else "flow",
        unit=unit,
        formula=f"{a.key} {op} {b.key}",
    )


def _formula_of(expr: str) -> str | None:
    """An arithmetic expression in words over line items, as a formula of concept keys."""
    g = grammar()
    expr = g.pattern("formula_clause_end").split(expr)[0].strip().rstrip(".")
    expr = g.pattern("formula_aside").sub("", expr)  # '(less current portion)', '(from the cash flow statement)'
    expr = LOSS_OR.sub("", expr)  # '(loss)/earnings from operations'
    expr = g.pattern("formula_average").sub(lambda x: f"avg[{x.group('x')}]", expr)
    expr = g.pattern("formula_change").sub(lambda x: f"change[{x.group('x')}]", expr)
    for name, op in _OPERATORS:
        expr = g.pattern(name).sub(f" {op} ", expr)
    out = []
    for token in g.pattern("formula_token").split(expr):
        token = token.strip()
        if token:
            term = token if token in "+-*/()" else _term(token)
            if term is None:
                return None
            out.append(term)
    return " ".join(_spoken_grouping(out))


def _spoken_grouping(tokens: list[str]) -> list[str]:
    """A formula said in words divides everything said before 'divided by': 'net sales minus cost of sales,
    divided by net sales' is (net sales - cost of sales) / net sales. Written brackets are kept as they are."""
    if "(" in tokens or tokens.count("/") != 1:
        return tokens
    at = tokens.index("/")
    if not any(t in ("+", "-") for t in tokens[:at]):
        return tokens
    return ["(", *tokens[:at], ")", *tokens[at:]]


def _term(token: str) -> str | None:
    """One operand: a number, or a line item (optionally averaged or changed over a year) as its concept key."""
    g, vocab = grammar(), vocabulary()
    wrapped = g.pattern("formula_wrapped").fullmatch(token)
    fn, term = (wrapped.group(1), wrapped.group(2)) if wrapped else ("", token)
    term = g.pattern("formula_term_dates").sub(" ", term)
    if g.pattern("formula_number").fullmatch(term):
        return term.strip()
    concept = vocab.concept_of(" ".join(term.split()))
    if concept is None:
        named = max(vocab.mentions(term, prose=True), key=lambda m: m.end - m.start, default=None)
        if named is None or not _only_fillers(term[: named.start]):
            return None  # the words before a line item are its head: 'sales of property, plant and equipment'
        concept = named.concept
    return f"{fn}({concept.key})" if fn else concept.key


def _only_fillers(text: str) -> bool:
    """Nothing but words that name nothing of their own ('the', 'total', 'reported', 'its')."""
    fillers = vocabulary().metric_fillers
    return all(w in fillers or w in STOPWORDS for w in re.findall(r"[a-z]+", text.lower()))
