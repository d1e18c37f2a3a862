"""What every reader of a question looks at, found once: its asking part, the kinds of document it names, the
companies, segments, metrics and periods named in it and where. Readers fill the Query from these; none of them
changes another reader's spans."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from collections.abc import Callable

from assistant.finance.entities import COMPANY_KINDS, EntityMatcher, EntityMention
from assistant.finance.periods import PeriodSpec, find_periods
from assistant.finance.vocabulary import Concept, Mention, vocabulary
from assistant.query.grammar import grammar
from assistant.query.model import Query
from assistant.text import STOPWORDS, split_sentences


@dataclass
class Reading:
    """One question being read: the text, the names it can mean, and the previous turn's Query, if any."""

    question: str
    matcher: EntityMatcher
    previous: Query | None = None
    by_meaning: Callable[[str], Concept | None] | None = None

    @cached_property
    def focus(self) -> str:
        return vocabulary().spelled_out(focus_of(self.question))

    @cached_property
    def sources(self) -> list[tuple[str, int]]:
        """(kind of document, where) for each document the question names ('the 2024 10-K')."""
        out = []
        for kind, words in vocabulary().sources.items():
            for word in words:
                out += [(kind, m.start()) for m in _find_word(self.focus, word)]
        return out

    @cached_property
    def references(self) -> list[int]:
        return [place for _, place in self.sources]

    @cached_property
    def every_name(self) -> list[EntityMention]:
        return self.matcher.mentions(self.focus)

    @cached_property
    def named(self) -> list[EntityMention]:
        """Companies and segments asked about, in order. A company named with one of its segments ('Acme's Cloud
        segment', 'Zeta Logistics Group') stands for that segment."""
        text = self.focus
        found: list[EntityMention] = []
        for mention in self._outside_references(self.every_name):
            if not any(m.entity == mention.entity for m in found):
                found.append(mention)
        companies = {m.entity.company for m in found if m.kind in COMPANY_KINDS}
        if companies:  # another company's segment word after a company's name does not count
            found = [m for m in found if m.entity.company in companies or not self._owned_by_another(m, found)]
        found = [m for m in found if not excluded_before(text, m.start)]  # 'outside Europe' is not Europe
        with_segments = {m.entity.company for m in found if m.entity.segment}
        return [m for m in found if m.entity.segment or m.entity.company not in with_segments]

    def _outside_references(self, named: list[EntityMention]) -> list[EntityMention]:
        """Names inside a document's name ('the Acme vs Zeta article') are not asked about, as long as the question
        names something else."""
        spans = []
        for ref in self.references:
            start = grammar().pattern("document_name_start").search(self.focus[:ref])
            if start:
                spans.append((start.start(), ref))
        outside = [m for m in named if not any(s <= m.start < e for s, e in spans)]
        return outside or named

    def _owned_by_another(self, mention: EntityMention, found: list[EntityMention]) -> bool:
        """A segment word right after another company's name, or a descriptive word, while companies are named."""
        if mention.kind == "descriptor":
            return True
        gap = grammar().pattern("possessive_gap")
        return any(
            o.kind in COMPANY_KINDS
            and o.entity.company != mention.entity.company
            and o.end <= mention.start
            and gap.fullmatch(self.focus[o.end : mention.start])
            for o in found
        )

    def name_end(self, mention: EntityMention) -> int:
        """Where a company's name ends when the question writes more of its full name than the alias it matched
        ('BOREALIS RETAIL' for Borealis Retail Inc., "Zeta Holdings'")."""
        own = {w.lower().strip(".,") for w in mention.entity.company.split()}
        end = mention.end
        for m in grammar().pattern("word").finditer(self.focus, end):
            if self.focus[end : m.start()].strip(" '’") or m.group(0).lower() not in own:
                break
            end = m.end()
        return end

    @cached_property
    def mentions(self) -> list[Mention]:
        """Metrics named, in order, not counting words inside a company or segment name. Of two names side by
        side the second is the metric ('cash capital expenditures'); a general word that modifies a following noun
        is not a metric ('equity investment', 'cash transfer'); a word that only says the figure is money ('How much
        cash did X pay in dividends') gives way to the metric named after it."""
        vocab, text = vocabulary(), self.focus
        masked = text
        for e in self.named:  # 'Cloud Services revenue': 'Services' belongs to the name, 'revenue' is the metric
            masked = masked[: e.start] + " " * (e.end - e.start) + masked[e.end :]
        found = vocab.mentions(masked)
        out = []
        for i, mention in enumerate(found):
            following = found[i + 1] if i + 1 < len(found) else None
            if following is not None and following.start - mention.end <= 1:
                continue
            after = grammar().pattern("next_word").match(text[mention.end :])
            word = after.group(1).lower() if after else ""
            if (
                " ".join(mention.text.lower().split()) in vocab.question_only
                and word
                and word not in STOPWORDS
                and word not in vocab.metric_fillers
                and not grammar().pattern("change_verb").fullmatch(word)
            ):
                continue  # 'equity investment', 'cash transfer': the general word modifies another noun
            out.append(mention)
        return [m for m in out if not self._only_an_amount(m, out)]

    def _only_an_amount(self, mention: Mention, mentions: list[Mention]) -> bool:
        """'How much cash did X pay as dividends': 'cash' says the dividends are money, it is not the metric."""
        return (
            " ".join(mention.text.lower().split()) in vocabulary().amount_words
            and bool(grammar().pattern("how_much_tail").search(self.focus[: mention.start]))
            and any(o.start > mention.end and o.concept != mention.concept for o in mentions)
        )

    @cached_property
    def all_periods(self) -> list[PeriodSpec]:
        """Periods named, leaving out a year that names a document ('the 2024 10-K')."""
        found = find_periods(self.focus)
        naming = list(self.references)  # where a document's name starts: a period just before it is part of it
        in_name = set()
        for p in reversed(found):  # 'the fiscal 2023 fourth-quarter release': both periods name the document
            if any(p.start <= r < p.end + 3 for r in naming):
                naming.append(p.start)
                in_name.add(p.start)
        return [p for p in found if p.start not in in_name]

    @cached_property
    def periods(self) -> list[PeriodSpec]:
        """The periods asked about: the dated namings when a question names a period twice ('its latest full fiscal
        year ... 2025')."""
        dated = [p for p in self.all_periods if p.fiscal_year or p.end_date or p.relative]
        return dated or self.all_periods


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
    imperative = [s for s in sentences if grammar().starts(s, "asking_openers")]
    return imperative[0] if imperative else sentences[-1]


def excluded_before(text: str, start: int):
    """'outside', 'excluding', 'other than' right before a name: the name is what is left out."""
    return grammar().pattern("excluded_before").search(text[:start])


def _find_word(text: str, word: str):
    return grammar().pattern("exact_word", word=[word]).finditer(text)
