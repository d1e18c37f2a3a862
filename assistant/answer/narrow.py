"""A quoted sentence narrowed to the periods asked. A sentence that lists figures for several periods ('$10.1
billion and $9.3 billion as of December 31, 2023 and June 30, 2024') answers with the asked period's figure
only, so the direct answer never states a neighbouring period's figure; the quote keeps the whole sentence."""

from __future__ import annotations

import re

from assistant.finance.figures import Figure, parse_figures
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec, find_periods
from assistant.finance.statements import COMPARE, figure_run, period_spec_for, stated_figures
from assistant.query.grammar import grammar

_SEPARATOR = re.compile(r"(?:,\s*and\s+|;\s*|,\s+(?=[a-z])|\s+and\s+)$")


def narrowed(sentence: str, asked: list[Period], calendar: FiscalCalendar) -> str | None:
    """The sentence keeping only the figures of the asked periods ('FY2024: $4.5 billion' when the sentence
    cannot be cut cleanly), or None when it states no figure of another period (nothing to take out) or none of
    the asked one."""
    figures = stated_figures(sentence)
    if len(figures) < 2 or not asked:
        return None
    periods = find_periods(sentence)
    compare = COMPARE.search(sentence)
    specs = [period_spec_for(sentence, f, i, figures, periods, compare) for i, f in enumerate(figures)]
    fits = [_fits(spec, asked, calendar) for spec in specs]
    if True not in fits or False not in fits:
        return None
    edits: list[tuple[int, int, str]] = []
    done: set[int] = set()
    for i in range(len(figures)):
        if i in done:
            continue
        run = figure_run(figures, i)
        done.update(run)
        run_specs = [specs[j] for j in run]
        if len(run) > 1 and None not in run_specs and len({id(s) for s in run_specs}) == len(run):
            edit = _narrow_run(
                sentence,
                [figures[j] for j in run],
                [s for s in run_specs if s is not None],
                [fits[j] for j in run],
                asked[0],
                calendar,
            )
        elif fits[i] is False and len(run) == 1:
            edit = _drop_clause(sentence, figures[i], specs[i])
        else:
            continue
        if edit is None:
            return _stated(sentence, figures, fits, asked[0], calendar)
        edits.extend(edit)
    text = sentence
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    text = re.sub(r"\s*,?\s*respectively(?=\W*$)", "", text)
    text = re.sub(r"\s+,", ",", re.sub(r",\s*,", ",", re.sub(r"\s{2,}", " ", text))).strip()
    dropped = {f.text for f, fit in zip(figures, fits) if fit is False}
    kept = {f.text for f, fit in zip(figures, fits) if fit}
    if any(f.text in dropped and f.text not in kept for f in parse_figures(text)):
        return _stated(sentence, figures, fits, asked[0], calendar)
    return text


def _stated(
    sentence: str, figures: list[Figure], fits: list[bool | None], period: Period, calendar: FiscalCalendar
) -> str | None:
    """'FY2024: $4.5 billion', the asked figures alone; None when a word before one gives its sign or direction
    ('a loss of $48 million', 'fell by $2 million'), which the short form would drop: then the sentence up to
    its comparison with another period, if the asked figures all come before it."""
    kept = [f for f, fit in zip(figures, fits) if fit]
    if any(grammar().has(sentence[max(0, f.start - 40) : f.start], "down_words") for f in kept):
        compare = COMPARE.search(sentence)  # '... loss was $48 million in 2030 compared to ...': cut there
        cut = compare is not None and all(f.end <= compare.start() for f in kept)
        return sentence[: compare.start()].rstrip(" ,;") + "." if compare is not None and cut else None
    return f"{period.label(calendar)}: " + " and ".join(f.text for f in kept)


def _fits(spec: PeriodSpec | None, asked: list[Period], calendar: FiscalCalendar) -> bool | None:
    """Whether the period named for a figure is one asked; None when the sentence names none for it."""
    if spec is None:
        return None
    resolved = [p for p in (spec.resolve(calendar, stock=stock) for stock in (False, True)) if p is not None]
    if not resolved:
        return None
    return any(p.matches(a) for p in resolved for a in asked)


def _narrow_run(
    sentence: str,
    figures: list[Figure],
    specs: list[PeriodSpec],
    fits: list[bool | None],
    period: Period,
    calendar: FiscalCalendar,
) -> list[tuple[int, int, str]] | None:
    """'A and B for P1 and P2' -> 'B for P2'; a list with no asked period loses its clause."""
    kept = [(f.text, s) for f, s, fit in zip(figures, specs, fits) if fit]
    ordered = sorted(specs, key=lambda s: s.start)
    first = min(figures[0].start, ordered[0].start)
    last = max(figures[-1].end, ordered[-1].end)
    if not kept:
        sep = _SEPARATOR.search(sentence[:first])
        if sep:
            return [(sep.start(), last, "")]
        after = re.match(r"\s*(?:,\s*and|;|,)\s+", sentence[last:])
        return [(first, last + after.end(), "")] if after else None
    lead = re.match(r"(?:(?:as of|as at|at|for|during|in|the|fiscal)\s+)*", ordered[0].text, re.IGNORECASE)[0]  # type: ignore[index]
    own = kept[0][1]
    alone = own.resolve(calendar, stock=period.instant)
    shared = any(s is not own and s.start == own.start for s in specs)
    label = (
        own.text
        if len(kept) == 1 and not shared and alone is not None and alone.matches(period)
        else period.label(calendar)
    )
    label = label[len(lead) :] if label.lower().startswith(lead.lower()) else label
    if label.startswith("the ") and (lead + sentence[: ordered[0].start]).rstrip().lower().endswith("the"):
        label = label[4:]
    return [
        (figures[0].start, figures[-1].end, " and ".join(t for t, _ in kept)),
        (ordered[0].start, ordered[-1].end, lead + label),
    ]


def _drop_clause(sentence: str, figure: Figure, spec: PeriodSpec | None) -> list[tuple[int, int, str]] | None:
    """A single figure of another period loses the clause that states it, up to its period; the clause's subject
    ('we', 'it') stays."""
    end = max(figure.end, spec.end if spec is not None and spec.start > figure.end else figure.end)
    head = sentence[: figure.start]
    boundary = max(head.rfind(", "), head.rfind("; "))
    if boundary < 0:
        return None
    if not sentence[end:].strip(" .;"):
        return [(boundary, end, "")]  # '..., compared with $10.6 billion in Q4 2024.'
    start = boundary + 2
    subject = re.match(r"(?:we|it|they|the company)\s+", sentence[start:], re.IGNORECASE)
    start += subject.end() if subject else 0
    tail = re.match(r"\s*(?:,\s*)?(?:and\s+)?", sentence[end:])
    return [(start, end + (tail.end() if tail else 0), "")]
