"""The Yes or No that leads the answer to a yes/no figure question: the figure against a threshold the question
names ('above 30%', '$10 billion or more'), or its sign or direction ('positive working capital?', 'did it
fall?'); none where the figure alone cannot settle what is asked (a claim about another measure)."""

from __future__ import annotations

from assistant.answer.solve import Side
from assistant.contract import phrases
from assistant.finance.figures import parse_figures
from assistant.finance.vocabulary import vocabulary
from assistant.query.analyze import Query
from assistant.query.grammar import grammar


def yes_no(side: Side, query: Query) -> str:
    """'Yes.', 'No.', or '' when the question asks something the figure does not decide."""
    g = grammar()
    value = side.value
    if value is None:
        return ""
    threshold = g.pattern("threshold").search(query.text)
    if threshold is not None:
        return _against(side, value, threshold)
    if g.has(query.text, "claim_words"):
        return ""  # 'Does its operating income support that claim?': a figure is no verdict on a claim
    if side.fact is not None and side.concept.key in vocabulary().magnitudes:  # 'paid dividends?': any outflow
        value = abs(value)
    if g.has(query.focus, "down_words"):
        return phrases.YES if value < 0 else phrases.NO
    return phrases.YES if value > 0 else phrases.NO


def _against(side: Side, value: float, threshold) -> str:
    """The figure set against the threshold, when both are of one kind (a percentage against a percentage, an
    amount against an amount); '' otherwise."""
    figures = [f for f in parse_figures(threshold.group("figure") or threshold.group("floor")) if f.is_quantity]
    if not figures:
        return ""
    limit = figures[0]
    percent = side.unit == "percent"
    if (limit.kind == "percent") != percent or limit.kind not in ("percent", "money"):
        return ""
    op = (threshold.group("op") or "").lower()
    if op and grammar().is_one(op, "below_words"):
        held = value <= limit.value if op == "at most" else value < limit.value
    else:  # 'more than', 'at least', or a floor written '30%+' or '30% or more'
        held = value >= limit.value if op == "at least" or not op else value > limit.value
    return phrases.YES if held else phrases.NO
