"""The intent reader: whether a question asks to look a figure up, compute one, compare two sides, explain, list
or answer yes or no; the kind of answer that fits (an amount, a percent, text ...); and whether it asks for
guidance or plans rather than reported results."""

from __future__ import annotations

from assistant.finance.vocabulary import vocabulary
from assistant.query.grammar import grammar
from assistant.query.model import Intent, Operation, Query
from assistant.query.reading import Reading
from assistant.text import STOPWORDS


def read_intent(reading: Reading, query: Query) -> None:
    focus = reading.focus
    head = focus[: len(focus) - len(query.why)].rstrip(" ,") if query.why else focus
    query.intent = intent_of(head, query)
    unread = _unread_side(reading, query)
    if unread:  # 'How did Acme's U.S. sales compare with its overseas sales?': a side no reader understood
        query.intent = Intent.COMPARE
        query.unknown.append(unread)
    query.answer_type = answer_type(query)


def _unread_side(reading: Reading, query: Query) -> str:
    """The other side of a comparison, when the question sets its figure against something no reader took in
    (no company, segment, other metric or period is named there): kept as a name the answer must find, never answered
    as a look-up of the first side alone."""
    if len(query.entities) != 1 or len(query.periods) > 1 or query.also or query.relative:
        return ""
    found = grammar().pattern("compared_with").search(reading.focus)
    if found is None:
        return ""
    start, end = found.span("side") if found.group("side") else found.span("after")
    inside = [  # the same metric again ('... with its overseas sales') names no other side
        *(m.start for m in reading.mentions if m.concept != query.concept),
        *(e.start for e in reading.every_name),
        *(p.start for p in reading.all_periods),
    ]
    if any(start <= at < end for at in inside):
        return ""
    side = reading.focus[start:end]
    for m in sorted(reading.mentions, key=lambda m: -m.start):  # the metric again is no part of the side's name
        if start <= m.start < end:
            side = side[: m.start - start] + side[m.end - start :]
    return " ".join(w for w in side.split() if w.lower() not in STOPWORDS)


def intent_of(focus: str, query: Query) -> Intent:
    g = grammar()
    if g.pattern("how_affected").match(focus) or g.pattern("what_included").match(focus):
        return Intent.EXPLAIN  # 'How did foreign exchange affect X?', 'What charges were included in X?'
    if _asks_reason(focus, query):
        return Intent.EXPLAIN
    if _two_sides(focus, query) and (
        g.has(focus, "compare_words") or query.comparative or g.has(focus, "alternatives")
    ):
        return Intent.COMPARE
    if g.starts(focus, "yes_no_openers") and not g.starts(focus, "existential_openers"):
        return Intent.YESNO
    if (g.starts(focus, "which_openers") or _asks_list(focus)) and not query.concept:
        return Intent.LIST
    if query.concept is None:
        return Intent.LOOKUP if unnamed_figure(focus, query) else Intent.EXPLAIN
    if query.concept.derived or query.operation != Operation.VALUE:
        return Intent.COMPUTE
    return Intent.LOOKUP


def _asks_reason(focus: str, query: Query) -> bool:
    """'Why ...', 'what drove ...', 'what were the main reasons for ...': a figure named in a question that opens
    with 'what' or 'how much' is still asked for unless the question opens by asking for a reason."""
    g = grammar()
    if not g.has(focus, "explain_words") or g.starts(focus, "which_openers") and query.concept is None:
        return False  # 'Which risks does X describe?' asks for a list
    opens_with_reason = g.pattern("reason_opening").match(focus)
    if query.concept is not None and g.starts(focus, "figure_openers") and not opens_with_reason:
        return False
    return bool(opens_with_reason) or query.concept is None


def _asks_list(focus: str) -> bool:
    """'List ...', 'Name the ...', 'What are the segments of ...': a set of names is asked for."""
    g = grammar()
    return bool(
        g.starts(focus, "list_openers") or g.pattern("what_are_the").match(focus) and g.has(focus, "list_words")
    )


def _two_sides(focus: str, query: Query) -> bool:
    also_one = len(query.also) == 1 and query.also[0] in vocabulary().concepts and grammar().has(focus, "alternatives")
    return (
        len(query.entities) + len(query.unknown) >= 2
        or also_one
        or (len(query.periods) >= 2 and query.operation == Operation.VALUE)
    )


def unnamed_figure(focus: str, query: Query) -> str:
    """'percent' or 'amount' for a figure asked by a name no vocabulary knows ('What was the hotel occupancy
    rate ...', 'What adjusted property EBITDAR did ... generate'): its head noun is a figure's, or the question asks
    how much was spent, paid or invested; else ''."""
    g = grammar()
    if g.pattern("money_verb_asked").match(focus) or g.pattern("amount_named").match(focus):
        return "amount"  # 'How much did Acme spend getting parcels to buyers ...?', 'What principal amount ...?'
    named_first = g.pattern("figure_named_first").match(focus)
    if named_first:
        phrase = named_first.group("phrase")
    elif g.pattern("figure_question").match(focus):
        phrase = query.metric_phrase
    else:
        return ""
    head = phrase.split()[-1].lower() if phrase.split() else ""
    if not g.has(head, "figure_nouns"):
        return ""
    return "percent" if g.has(head, "percent_nouns") else "amount"


def answer_type(query: Query) -> str:
    if query.concept is None and query.intent == Intent.LOOKUP:
        return unnamed_figure(query.focus, query) or "text"
    if query.concept is None or query.intent in (Intent.EXPLAIN, Intent.LIST):
        return "text"
    if query.operation in grammar().tables["percent_operations"]:
        return "percent"
    return grammar().tables["answer_types"].get(query.concept.unit, "amount")
