"""The entities reader: which companies and segments a question asks about, and the names it uses that no
document's company or segment has ('Google' in 'Google Cloud's revenue', 'outside International')."""

from __future__ import annotations

from assistant.finance.vocabulary import vocabulary
from assistant.query.grammar import grammar
from assistant.query.model import Query
from assistant.query.reading import Reading, excluded_before
from assistant.text import QUESTION_WORDS, STOPWORDS


def read_entities(reading: Reading, query: Query) -> None:
    query.entities = [m.entity for m in reading.named]
    names = _unknown_names(reading)
    units = [u for u in _unnamed_units(reading) if not any(n.lower() in u.lower().split() for n in names)]
    query.unknown = names + units + _excluded_names(reading)  # 'Acme's Robotics segment': Robotics, once


def _unknown_names(reading: Reading) -> list[str]:
    """Capitalised names that are not a known company or segment, a metric, a period or a kind of document: the
    documents' facts cannot be about them."""
    text, vocab, g = reading.focus, vocabulary(), grammar()
    covered = (
        [(e.start, reading.name_end(e)) for e in reading.every_name]
        + [(m.start, m.end) for m in reading.mentions]
        + [(p.start, p.end) for p in reading.all_periods]
        + [(r, r + 12) for r in reading.references]
    )
    months = set(vocab.periods["months"]) | set(vocab.periods["month_abbreviations"])
    for m in g.pattern("spelled_out_name").finditer(text):
        if any(s <= m.start("short") < e for s, e in covered):  # 'Acme Cloud Services (ACS)': a known name
            covered.append((m.start(), m.end()))
    out = []
    for m in g.pattern("capitalised").finditer(text):
        word = m.group(0).lower().rstrip(".")
        if (
            m.start() == 0
            or any(s <= m.start() < e for s, e in covered)
            or word in vocab.generic_caps
            or word in months
            or word in QUESTION_WORDS
            or word in STOPWORDS
            or word in vocab.periods["ordinals"]
            or g.pattern("period_token").match(word)
        ):
            continue
        out.append(m.group(0))
    return out


def _unnamed_units(reading: Reading) -> list[str]:
    """A part of a company described but not named ('Acme's rent-a-server arm'): no segment the documents name
    answers for it, and the whole company must not."""
    vocab, out = vocabulary(), []
    for mention in reading.named:
        if mention.entity.segment:
            continue
        m = grammar().pattern("unnamed_unit").match(reading.focus[mention.end :])
        if m and not any(mention.end <= e.start < mention.end + m.end() for e in reading.named):
            words = m.group(1).lower().split()
            if not all(w in vocab.metric_fillers or w in STOPWORDS for w in words[:-1]):
                out.append(m.group(1))
    return out


def _excluded_names(reading: Reading) -> list[str]:
    """Parts of a business asked about by what they are not ('stores outside Europe'): the documents' names do
    not say which segment that is, so the question names something unknown."""
    out = []
    for m in reading.every_name:
        before = excluded_before(reading.focus, m.start)
        if m.entity.segment and before:
            out.append(f"{before.group(0).strip()} {m.text}")
    return out
