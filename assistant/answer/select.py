"""Answers quoted from the passages, for questions a figure does not answer (why, how, which, what does the
article say) and for figures no fact holds: pick the sentences or table rows that best answer the Query, cite
each, and refuse when no sentence carries what the Query names (its company or segment, metric and period).

A candidate is scored on the question's terms it holds (idf-weighted, reading the passage's title, period and
section with it), on its meaning (the cosine of its sentence vector, computed once at ingest, to the question's),
and on its passage's retrieval score. Every sentence of the reply is a verbatim quote: a whole sentence, or a
table row with its caption and column header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.answer.kinds import (
    Ask,
    asked_affected,
    asked_nouns,
    asked_organisation,
    asked_verb,
    asks,
    holds,
    in_words,
    is_list,
    names,
    noun_kind,
    other_forms,
    strength,
)
from assistant.answer.reading import further_passages
from assistant.answer.compose import Writer, negative_said
from assistant.answer.narrow import narrowed
from assistant.finance.periods import Period
from assistant.finance.figures import quantities
from assistant.finance.periods import find_periods
from assistant.finance.statements import concept_for
from assistant.finance.vocabulary import vocabulary
from assistant.search.lexical import LexicalIndex
from assistant.query.analyze import SECOND_ASK, Query
from assistant.query.registry import Registry
from assistant.text import STOPWORDS, content_terms, index_tokens, is_table_row, raw_tokens
from assistant.contract.types import Answer, Citation, ScoredChunk
from assistant.search.units import chunk_unit_vectors, list_items, units

W_COVER, W_MEANING, W_PASSAGE = 1.0, 0.6, 0.25
W_KIND, W_LIST = 0.3, 0.1  # holding the kind of answer asked; a list when several things are asked
W_NEGATION = 0.15  # a negative sentence for a negative question (twice, when it denies the same verb)
W_NOUN = 0.15  # a sentence naming what a 'which ...' question asks about ('which customer')
LIST_SENTENCES = 4  # sentences read after one that leads into a list ('The authors point out several limitations:')
MEANING_MIN = 0.3  # a sentence covering a quarter of the terms asked answers only this close in meaning
TYPED_SUPPORT = 0.15  # the terms a sentence holding every kind a two-part question asks must cover
RUNNER_UP = 0.8  # a runner-up within this share of the best score joins it
SAME_TEXT = 0.7  # share of words two sentences share to be one statement repeated in two documents


FOOTNOTE_MARK = re.compile(r"(?:\s*\((?:[a-z]|\d{1,2})\))+$|(?<=[a-z])\d{1,2}$")  # 'Total net revenue(a)'


@dataclass
class Candidate:
    """A sentence or table row that might answer the question."""

    passage: int  # index into the retrieved passages
    text: str  # as it reads in the answer (a table row carries its caption and column header)
    score: float
    quote: str = ""  # verbatim span of the passage
    meaning: float = 0.0  # cosine of its vector to the question's
    holds: tuple[bool, ...] = ()  # for each thing the question asks (`kinds.asks`), whether it holds an answer
    place: int = 0  # its order in its passage
    whole: bool = True  # a whole unit, not one item of a list written into it
    shown: str = ""  # the whole sentence a piece of it stands for, as the answer shows it

    @property
    def says(self) -> str:
        return self.shown or self.text


class SentenceSelector:
    """Selects supporting sentences; every sentence in the answer is a verbatim quote of a cited passage."""

    def __init__(
        self,
        max_sentences: int = 3,
        min_support: float = 0.5,
        with_vectors: Callable[[list[ScoredChunk]], list[ScoredChunk]] | None = None,
    ):
        self.max_sentences = max_sentences
        self.min_support = min_support
        self.with_vectors = with_vectors  # passages read on in the documents get their sentences' stored vectors

    def candidates(
        self, query: Query, passages: list[ScoredChunk], index: LexicalIndex, q_vec: np.ndarray | None = None
    ) -> list[Candidate]:
        """Every sentence or row of the passages, scored on the question's terms, its meaning and its passage's
        score; for a question in words (`words`) also on holding the kind of answer asked (`_Kinds`), a list
        read item by item. A piece of a sentence too long to read as one is quoted whole."""
        terms = _terms(query)
        weights = {t: index.idf(t) for t in terms}
        kinds = _Kinds(query) if words(query) else None
        out = []
        for p_i, hit in enumerate(passages):
            out.extend(_passage_candidates(p_i, hit, weights, kinds, q_vec))
        out.sort(key=lambda c: c.score, reverse=True)
        return out

    def select(
        self,
        query: Query,
        passages: list[ScoredChunk],
        index: LexicalIndex,
        registry: Registry,
        q_vec: np.ndarray | None = None,
    ) -> list[Candidate]:
        """The best candidates that carry the Query's specifics: the top one plus close runners-up that add
        something new. A question about two or more companies (named or not) takes the best candidate for each,
        and answers only when every side has one. A question in words (see `words`) is answered by a sentence
        that holds the kind of answer it asks for, and each further part it asks by the best sentence for that."""
        candidates = self.candidates(query, passages, index, q_vec)
        sides = split_sides(query)
        if len(sides) > 1 and not in_words(query):
            chosen = []
            for side in sides:
                best = next(
                    (
                        c
                        for c in candidates
                        if c not in chosen
                        and self.coverage(query, c, passages[c.passage], index) >= self.min_support / 2
                        and carries(side, c.text, passages[c.passage], registry)
                    ),
                    None,
                )
                if best is None:
                    return []
                chosen.append(best)
            return chosen
        if words(query):
            return self._in_words(query, candidates, passages, index, registry)
        ranked = [
            c
            for c in candidates
            if self.coverage(query, c, passages[c.passage], index) >= self.min_support
            and carries(query, c.text, passages[c.passage], registry)
        ]
        return self._with_runners_up(ranked)

    def _with_runners_up(self, ranked: list[Candidate], chosen: list[Candidate] | None = None) -> list[Candidate]:
        if not ranked:
            return chosen or []
        best = ranked[0].score
        chosen = list(chosen or [])
        for cand in ranked:
            if len(chosen) >= self.max_sentences or cand.score < RUNNER_UP * best:
                break
            if any(_overlap(cand.text, c.text) > 0.6 for c in chosen):
                continue
            chosen.append(cand)
        return chosen

    def _in_words(
        self,
        query: Query,
        candidates: list[Candidate],
        passages: list[ScoredChunk],
        index: LexicalIndex,
        registry: Registry,
    ) -> list[Candidate]:
        """A sentence that is about the question (`_about`) and holds the kind of answer its main part asks, the
        one answering it most fully of those as close to it (`_fullest`); then the best sentence for each further
        part not yet answered, the sentence right after one that leads into it (a reason, a list after a colon),
        and close runners-up."""
        asked = asks(query.focus)
        relevant = [
            c
            for c in candidates
            if self._about(query, asked, c, passages[c.passage], index)
            and carries(query, c.text, passages[c.passage], registry)
        ]
        ranked = [c for c in relevant if _answers(c, asked, candidates)]
        if not ranked:
            return []
        lead = ranked[0] if query.periods else _latest(ranked[0], ranked, passages)
        named = _naming_topic(lead, ranked, query.focus)
        chosen = [_fullest(named or lead, ranked, asked[0], query.focus)]
        chosen += _further_parts(asked, query.text, chosen[0], relevant, passages)
        follower = _next_in_passage(chosen[0], candidates)
        if follower is not None and follower not in chosen and _leads_in(chosen[0], follower, asked):
            chosen.insert(1, follower)
        leader = _previous_in_passage(chosen[0], candidates)
        hit = passages[chosen[0].passage]
        if (
            asked[0].kind == "reason"
            and leader is not None
            and leader not in chosen
            and not leader.holds[0]
            and self.coverage(query, leader, hit, index, alone=True)
            > self.coverage(query, chosen[0], hit, index, alone=True)
        ):
            chosen.insert(0, leader)  # the reason explains what the sentence before it says
        if asked[0].many and re.search(r":\s+\S", chosen[0].text) and not list_items(chosen[0].text):
            chosen[1:1] = _items_after(chosen[0], candidates, LIST_SENTENCES)  # 'several limitations: ...'
            return chosen
        if named is not None:  # 'what costs ...': each sentence listed names costs
            ranked = [c for c in ranked if _share(_asked_topic(query.focus), c.text)]
        return self._with_runners_up(ranked, chosen) if asked[0].many else chosen[: self.max_sentences]

    def _about(self, query: Query, asked: list[Ask], cand: Candidate, hit: ScoredChunk, index: LexicalIndex) -> bool:
        """A sentence about the question: its terms; half of them with its meaning; fewer still when it holds
        every kind a question of several parts asks."""
        cover = self.coverage(query, cand, hit, index)
        typed = [i for i, a in enumerate(asked) if a.kind]
        return (
            cover >= self.min_support
            or (cover >= self.min_support / 2 and cand.meaning >= MEANING_MIN)
            or (len(typed) > 1 and all(cand.holds[i] for i in typed) and cover >= TYPED_SUPPORT)
        )

    def coverage(
        self, query: Query, cand: Candidate, hit: ScoredChunk, index: LexicalIndex, alone: bool = False
    ) -> float:
        """Share of the question's terms (idf-weighted) in the sentence, reading its document's title, period and
        section along with it, and for a reason asked (unless `alone`) the sentence before it."""
        terms = _terms(query)
        if not terms:
            return 0.0
        meta = f"{hit.chunk.title} {hit.chunk.company} {hit.chunk.period} {hit.chunk.section}"
        explain = query.intent == "explain" and not alone
        text = with_previous(hit, cand.text) if explain else cand.text  # a reason follows its figure
        tokens = set(index_tokens(f"{meta} {text}"))
        if words(query):
            tokens |= _metric_terms(_metrics_named(query.text), text) | other_forms(
                set(index_tokens(query.text)), tokens
            )
        weights = {t: index.idf(t) for t in terms}
        said = tokens | set(re.findall(r"[a-z]+", cand.text.lower()))
        return sum(w for t, w in weights.items() if _has_term(t, tokens, said)) / (sum(weights.values()) or 1.0)

    def answer(
        self,
        query: Query,
        passages: list[ScoredChunk],
        index: LexicalIndex,
        registry: Registry,
        q_vec: np.ndarray | None = None,
    ) -> Answer | None:
        if words(query):  # read on in the documents found: the sentence that says it may share few words
            further = further_passages(passages, index, q_vec)
            passages = passages + (self.with_vectors(further) if self.with_vectors and further else further)
        chosen = self.select(query, passages, index, registry, q_vec)
        if not chosen:
            return None
        chosen = list({(c.passage, c.quote): c for c in reversed(chosen)}.values())[::-1]  # pieces of one sentence
        numbers: dict[int, int] = {}
        for cand in chosen:
            numbers.setdefault(cand.passage, len(numbers) + 1)
        parts = [f"{_full_stop(c.says)} [{numbers[c.passage]}]" for c in chosen]
        citations = []
        for p_i, n in numbers.items():
            quote = "\n".join(c.quote for c in chosen if c.passage == p_i)
            citations.append(make_citation(n, passages[p_i], quote))
        sides = split_sides(query)
        if words(query):  # every chosen sentence; a figure asked, narrowed to the periods asked
            asked = asks(query.focus)
            figure = asked[0].kind in ("quantity", "") and len(asked) == 1  # '..., and how fast': keep the change
            direct = " ".join(
                f"{_full_stop(_for_asked_period(c.says, query, passages[c.passage], registry))} [{numbers[c.passage]}]"
                if figure
                else parts[i]
                for i, c in enumerate(chosen)
            )
        elif len(sides) > 1:
            direct = " ".join(
                f"{_full_stop(_for_asked_period(c.says, side, passages[c.passage], registry))} [{numbers[c.passage]}]"
                for c, side in zip(chosen, sides)
            )
        else:
            lead = chosen[0]
            if _row_unpinned(lead, query, passages[lead.passage], registry):
                from assistant.contract import phrases

                notice = phrases.ROW_NOT_ONE_FIGURE.format(row=" ".join(lead.quote.split()))
                return refusal(query.text, [passages[lead.passage], *passages], notice)
            direct = " ".join(
                f"{_full_stop(_row_stated(c, query, passages[c.passage], registry) or _for_asked_period(c.says, query, passages[c.passage], registry))} [{numbers[c.passage]}]"
                for c in chosen[: 2 if SECOND_ASK.search(query.focus) else 1]
            )
        return Answer(
            question=query.text, text="\n".join(parts), citations=citations, refused=False, timings={}, direct=direct
        )


@lru_cache(maxsize=1)
def _equivalent_terms() -> dict[str, set[str]]:
    """Question words a passage says otherwise ('range' in guidance is 'between ... and ...'): the question's index
    token to the passage words (and their tokens) that stand for it."""
    out: dict[str, set[str]] = {}
    for word, others in vocabulary().term_equivalents.items():
        for key in index_tokens(word):
            out.setdefault(key, set()).update(o.lower() for o in others)
            out[key].update(t for other in others for t in index_tokens(other))
    return out


def _passage_candidates(
    p_i: int, hit: ScoredChunk, weights: dict[str, float], kinds: _Kinds | None, q_vec: np.ndarray | None
) -> list[Candidate]:
    """The candidates of one passage: each sentence or row, and for a question in words each item of a list in
    one (a heading answers nothing; a reason is read with the sentence before it)."""
    out = []
    where = base = set(index_tokens(f"{hit.chunk.title} {hit.chunk.section} {hit.chunk.period}"))
    found = units(hit.chunk.text, hit.chunk.kind)
    vectors = chunk_unit_vectors(hit.chunk) if q_vec is not None else None
    if vectors is not None and len(vectors) != len(found):
        vectors = None  # stored for another reading of the passage: words only
    for u_i, found_unit in enumerate(found):
        meaning = float(vectors[u_i] @ q_vec) if vectors is not None else 0.0
        quote = found_unit.whole or found_unit.quote
        unit = found_unit.whole or found_unit.text if kinds is not None else found_unit.text
        readings = [(unit, quote, True)]  # a figure question scores the piece and shows the whole
        if kinds is not None:
            if unit.strip().rstrip(".") in (hit.chunk.title, hit.chunk.section):
                continue  # a heading names what the text is about; it answers nothing
            if kinds.reason:  # a reason follows the figure it explains: read with the sentence before
                where = base | set(index_tokens(with_previous(hit, unit)))
            readings += [(item, item, False) for item in list_items(unit)]  # a list, item by item
        for text, quote, whole in readings:
            score, held = _scored(text, where, weights, kinds, meaning, hit.score)
            out.append(
                Candidate(
                    p_i,
                    text,
                    round(score, 4),
                    quote,
                    meaning,
                    held,
                    u_i,
                    whole,
                    found_unit.whole if whole and kinds is None else "",
                )
            )
    return out


def _scored(
    text: str,
    where: set[str],
    weights: dict[str, float],
    kinds: _Kinds | None,
    meaning: float,
    passage_score: float,
) -> tuple[float, tuple[bool, ...]]:
    """A reading's score (the question's terms it holds, fewer for those only where it sits; its meaning; its
    passage's score) and, for a question in words, which kinds of answer it holds."""
    total = sum(weights.values()) or 1.0
    tokens = set(index_tokens(text))
    if kinds is None:
        cover = sum(w * (1.0 if t in tokens else 0.6 if t in where else 0.0) for t, w in weights.items()) / total
    else:
        tokens |= _metric_terms(kinds.metrics, text) | other_forms(kinds.question_tokens, tokens)
        said = tokens | set(re.findall(r"[a-z]+", text.lower()))
        cover = (
            sum(w * (1.0 if _has_term(t, tokens, said) else 0.6 if t in where else 0.0) for t, w in weights.items())
            / total
        )
    score = W_COVER * cover + W_MEANING * meaning + W_PASSAGE * passage_score
    if len(text) < 25:
        score -= 0.2
    held = kinds.held(text) if kinds is not None else ()
    if kinds is not None:
        score += kinds.bonus(text, tokens, held)
    return score, held


def split_sides(query: Query) -> list[Query]:
    """One Query per company or segment a comparison names (known entities, or names no catalog has)."""
    from dataclasses import replace

    if query.intent != "compare" and not (query.operation in ("change", "growth") and len(query.periods) == 2):
        return [query]
    if len(query.entities) > 1:
        return [replace(query, entities=[e]) for e in query.entities]
    if len(query.unknown) > 1:
        return [replace(query, unknown=[n]) for n in query.unknown]
    if len(query.periods) == 2 and len(query.entities) <= 1:  # 'how did X change between A and B'
        return [replace(query, periods=[p]) for p in query.periods]
    return [query]


_QUANTITY = re.compile(r"\bhow (?:much|many)\b", re.IGNORECASE)
GUIDANCE = vocabulary().forward_figures  # 'expects to', 'outlook': a figure that is guidance, not a result


def carries(query: Query, sentence: str, hit: ScoredChunk, registry: Registry) -> bool:
    """A sentence can answer only if it (or where it sits) names every company or segment the Query names, every
    name no document's company has, the metric it asks about and its period; a question asking how much or how
    many needs a figure that is not a year; a question about results is not answered by guidance."""
    if words(query):
        return _carries_in_words(query, sentence, hit, registry)
    context = f"{hit.chunk.title} {hit.chunk.company} {hit.chunk.section}"
    near, unit = with_previous(hit, sentence), sentence
    if any(
        not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", f"{near} {hit.chunk.title}", re.IGNORECASE)
        for name in query.unknown
    ):
        return False  # a name no company has, said in the sentence (or the one before) or the document's title
    wants_figure = (
        (query.concept is not None and query.intent not in ("explain", "list"))
        or bool(_QUANTITY.search(query.focus))
        or bool(_asked_kind(query.focus))
    )
    if wants_figure and not any(
        f.is_quantity and f.kind in _KINDS_ASKED.get(_asked_kind(query.focus), (f.kind,)) for f in quantities(sentence)
    ):
        return False  # 'how many members' needs a count, 'what share' a percentage
    if not query.forward and wants_figure and GUIDANCE.search(f"{sentence} {hit.chunk.section}"):
        return False
    if query.intent == "explain":
        sentence = near  # 'The sales growth primarily reflects ...' explains the figure the sentence before gives
    if not _names_entities(query, sentence, unit, context, wants_figure, registry):
        return False
    if not _names_asked_metric(query, sentence, unit, near):
        return False
    return all(
        _names_period(spec, f"{sentence} {hit.chunk.period} {hit.chunk.section}", query, registry)
        for spec in query.periods
    )


def _names_entities(
    query: Query, sentence: str, unit: str, context: str, wants_figure: bool, registry: Registry
) -> bool:
    """Every company or segment the Query names is named in the sentence or where it sits; a figure asked for a
    whole company is not one its sentence gives as a segment's."""
    for entity in query.entities:
        names = [m.entity for m in registry.matcher.mentions(f"{sentence} {context}")]
        if entity not in names and not (not entity.segment and any(n.company == entity.company for n in names)):
            return False
        figures = quantities(unit)
        subject = unit[: figures[0].start] if figures else unit  # whose figure it is: named before it
        own = [m.entity for m in registry.matcher.mentions(subject)]
        if (
            wants_figure
            and not entity.segment
            and not query.qualifiers
            and own
            and all(
                n.segment and n.company == entity.company and n.segment.lower() not in query.focus.lower() for n in own
            )
        ):
            return False  # a segment's figure does not answer for the whole company
    return True


def _names_asked_metric(query: Query, sentence: str, unit: str, near: str) -> bool:
    """The sentence names the metric asked (in the question's own words when no concept is), gives a figure of
    it, and a reason is said about the metric (or a part of its formula)."""
    if (
        query.concept is None
        and query.metric_phrase
        and _FIGURE_ASKED.match(query.focus)
        and not _names_metric(content_terms(query.metric_phrase), unit, near)
    ):
        return False  # 'stock price' asked: a sentence that names no price is not its answer
    if (
        query.concept is not None
        and query.intent not in ("explain", "list")
        and not query.concept.key.startswith("inline:")
    ):
        mentioned = {m.concept.key for m in vocabulary().mentions(sentence)}
        if query.concept.key not in mentioned:
            return False
        if not query.concept.derived and not _figure_of({c.key for c in query.concepts}, unit):
            return False  # a segment's net income asked: a sentence giving its operating income does not answer
    if query.concept is not None and query.intent == "explain" and not query.concept.key.startswith("inline:"):
        about = {query.concept.key, *re.findall(r"[a-z_]+", query.concept.formula)}  # a margin's reason names its parts
        if not about & {m.concept.key for m in vocabulary().mentions(near)}:
            return False  # what drove inventories is said about inventories
    return True


def _carries_in_words(query: Query, sentence: str, hit: ScoredChunk, registry: Registry) -> bool:
    """What a sentence must carry to answer a question in words: every name the question gives, in the sentence,
    its passage or its document's title; the question's company where the sentence sits (`_owned_as_asked`); its
    period in the sentence (or the one before), the passage's period or section, or, but for a reason, the
    passage; a reason for a metric the vocabulary knows names that metric or its parts; and a question asking how
    much, a figure of the kind asked (`_figure_as_asked`)."""
    context = f"{hit.chunk.title} {hit.chunk.company} {hit.chunk.section}"
    near = with_previous(hit, sentence)
    around = f"{near} {context} {hit.chunk.text}"
    if any(
        not _names(name, around) and not _modifier(name, query.text) and not _initials_named(name, query.text, around)
        for name in query.unknown
    ):
        return False
    if not _owned_as_asked(query, near, hit, registry):
        return False
    main = asks(query.focus)[0]
    if main.kind == "quantity" and not _figure_as_asked(query, sentence, near, hit):
        return False
    if not _says_what_is_asked(main, sentence, near):
        return False
    if (
        main.kind == "reason"
        and query.concept is not None
        and not query.concept.key.startswith("inline:")
        and query.concept.key in {m.concept.key for m in vocabulary().mentions(query.text)}
    ):
        about = {query.concept.key, *re.findall(r"[a-z_]+", query.concept.formula)}
        if not about & _explained(sentence, near):
            return False  # what drove inventories is said about inventories (when the question names them)
    where = f"{near} {hit.chunk.period} {hit.chunk.section}" + ("" if main.kind == "reason" else f" {hit.chunk.text}")
    return all(_names_period(spec, where, query, registry) for spec in query.periods)


def _owned_as_asked(query: Query, near: str, hit: ScoredChunk, registry: Registry) -> bool:
    """The sentence sits in a document of the question's company and names it (or its segment) there: a
    possessive name no catalog has is answered from its own documents; a segment of another company read from a
    word of the question ('China', a lowercase 'cloud') is no company asked."""
    owned = f"{hit.chunk.company} {hit.chunk.title}"
    if (
        hit.chunk.company
        and not query.entities
        and any(
            re.search(rf"(?<!\w){re.escape(n)}['’]s?\s", query.text) and not any(_names(w, owned) for w in n.split())
            for n in query.unknown
        )
    ):
        return False  # 'Zeta's head office': from Zeta's documents, not another company's that names Zeta
    owners = [c.strip() for c in hit.chunk.company.split(";") if c.strip()]
    mentions = registry.matcher.mentions(query.text)
    named = {m.entity.company for m in mentions if not m.entity.segment}
    worded = {m.entity for m in mentions if m.entity.segment and m.text.islower()}  # 'cloud', not 'Cloud Unit'
    asked = []
    for entity in query.entities:
        if entity.segment and entity.company not in named and owners and entity.company not in owners:
            if named or entity in worded or re.search(rf"(?<!\w){re.escape(entity.segment)}(?!\w)", near, re.I):
                continue  # a segment read from a word of the question ('China', 'cloud business')
            return False
        asked.append(entity)
    if owners and asked and not any(e.company in owners for e in asked):
        return False  # what Zeta says of its rivals is in Zeta's documents, not in a rival's that names Zeta
    context = f"{hit.chunk.title} {hit.chunk.company} {hit.chunk.section}"
    for entity in asked:
        names = [m.entity for m in registry.matcher.mentions(f"{near} {context}")]
        if entity not in names and not (not entity.segment and any(n.company == entity.company for n in names)):
            return False
    return True


def _says_what_is_asked(ask: Ask, sentence: str, near: str) -> bool:
    """A 'who' question's verb, in any of its forms ('who makes it': 'Manufactured by ...'), and the kind of
    organisation a 'which ...' question asks for ('which journal'), said in the sentence or the one before, and
    most of what it asks the effect on, in the sentence: a sentence that does not say what is asked is no answer."""
    verb, kind, affected = asked_verb(ask), asked_organisation(ask), content_terms(asked_affected(ask))
    return (
        (not verb or _share(index_tokens(verb), near) > 0)
        and (not kind or _share(index_tokens(" ".join(kind)), near) > 0)
        and (not affected or _share(affected, sentence) >= 0.5)
    )


def _figure_as_asked(query: Query, sentence: str, near: str, hit: ScoredChunk) -> bool:
    """A figure of the kind asked (not guidance, unless asked), of the metric the question names in its own
    words ('how many Prime members': a sentence naming no members is not its answer)."""
    wanted = _KINDS_ASKED.get(_asked_kind(query.focus))
    if not any(f.is_quantity and (wanted is None or f.kind in wanted) for f in quantities(sentence)):
        return False
    if query.periods and not query.forward and GUIDANCE.search(f"{sentence} {hit.chunk.section}"):
        return False
    return not (
        query.concept is None
        and query.metric_phrase
        and _FIGURE_ASKED.match(query.focus)
        and not _names_metric(content_terms(query.metric_phrase), sentence, near)
    )


def _latest(best: Candidate, ranked: list[Candidate], passages: list[ScoredChunk]) -> Candidate:
    """With no period asked, the same sentence from the company's latest document ('Where are the plants?' from
    this year's annual report, not an older one's)."""

    def year(c: Candidate) -> int:
        return max(map(int, re.findall(r"(?:19|20)\d\d", passages[c.passage].chunk.period)), default=0)

    owner = passages[best.passage].chunk.company
    same = [c for c in ranked if passages[c.passage].chunk.company == owner and _overlap(c.text, best.text) > SAME_TEXT]
    return max(same, key=year) if same else best


def _answers(cand: Candidate, asked: list[Ask], candidates: list[Candidate]) -> bool:
    """The sentence holds the kind of answer the main part asks, or, for a reason, the sentence after it does."""
    follower = _next_in_passage(cand, candidates) if asked[0].kind == "reason" else None
    return not cand.holds or cand.holds[0] or (follower is not None and follower.holds[0])


def _asked_topic(focus: str) -> list[str]:
    """The tokens of the noun a 'what ...' or 'which ...' question asks about when no kind of answer names it
    ('costs' in 'what costs is the outlook carrying'), or none."""
    return [t for n in asked_nouns(focus)[:1] if not noun_kind(n) for t in index_tokens(n)]


def _naming_topic(lead: Candidate, ranked: list[Candidate], focus: str) -> Candidate | None:
    """For a lead that neither names what the question asks about nor lists anything, the best sentence scoring
    close to it that names it ('This guidance includes ... costs' over 'Operating income is expected to be ...'
    for 'what costs'); None when the lead will do."""
    topic = _asked_topic(focus)
    if not topic or _share(topic, lead.text) or is_list(lead.text):
        return None
    return next((c for c in ranked if c.score >= RUNNER_UP * lead.score and _share(topic, c.text)), None)


def _fullest(lead: Candidate, ranked: list[Candidate], ask: Ask, focus: str) -> Candidate:
    """Of the sentences scoring close to the lead and saying what it says of the question, the one that answers
    it most fully ('On July 26, 2022, ... announced' over 'In July 2022, ... announced' for 'when')."""
    near = [
        c
        for c in ranked
        if c.score >= RUNNER_UP * lead.score and c.holds[:1] == lead.holds[:1] and _overlap(c.text, lead.text) >= 0.5
    ]
    return max(near, key=lambda c: (strength(ask, c.text, focus), c is lead), default=lead)


def _further_parts(
    asked: list[Ask], question: str, first: Candidate, relevant: list[Candidate], passages: list[ScoredChunk]
) -> list[Candidate]:
    """For each further part of the question the first sentence does not answer, the best sentence of the same
    document holding it: the one sharing most of that part's own words ('and since when?' of the person named)."""
    chosen = [first]
    given = [t for n in names(first.text, question) for t in index_tokens(n)]  # 'since when' of whom
    for i in range(1, len(asked)):
        own = [t for t in content_terms(asked[i].text) if t not in content_terms(asked[0].text)] or given
        if any(c.holds[i] and _share(own, c.text) > 0 for c in chosen) or (not own and not asked[i].kind):
            continue
        doc = passages[first.passage].chunk.doc_id
        same_doc = [c for c in relevant if c not in chosen and c.holds[i] and passages[c.passage].chunk.doc_id == doc]
        extra = max(same_doc, key=lambda c: (_share(own, c.text), c.score), default=None)
        if extra is not None and (_share(own, extra.text) > 0 or extra.score >= RUNNER_UP * first.score):
            chosen.append(extra)
    return chosen[1:]


def _explained(sentence: str, near: str) -> set[str]:
    """The metrics a reason sentence explains: those it names before its reason ('The increase in operating income
    ... is primarily due to increased sales' explains operating income), else those it or the sentence before
    names."""
    causes = "|".join(map(re.escape, vocabulary().causal_words))
    cause = re.search(rf"\b(?:{causes})\b", sentence, re.IGNORECASE)
    named = {m.concept.key for m in vocabulary().mentions(sentence[: cause.start()])} if cause else set()
    return named or {m.concept.key for m in vocabulary().mentions(near)}


def _initials_named(name: str, question: str, text: str) -> bool:
    """A word of a longer name the text gives by its initials ('Rotary' of 'Rotary and Mission Systems', 'RMS')."""
    for match in re.finditer(r"[A-Z][\w-]*(?:\s+(?:and|of|&)?\s*[A-Z][\w-]*)+", question):
        words = [w for w in match.group(0).split() if w[0].isupper()]
        if name in words and len(words) > 1:
            initials = "".join(w[0] for w in words)
            return bool(re.search(rf"(?<!\w){initials}(?!\w)", text))
    return False


def _modifier(name: str, question: str) -> bool:
    """A one-word name that only qualifies the noun after it ('Danish municipalities', 'the CO2 display'): what
    the question is about is that noun, which a passage may describe without the name."""
    if " " in name:
        return False
    after = re.search(rf"(?<!\w){re.escape(name)}\s+([a-z][a-z-]*)", question)
    return (
        after is not None and after.group(1) not in STOPWORDS and not re.search(rf"{re.escape(name)}['’]s\b", question)
    )


def _names(name: str, text: str) -> bool:
    """The text names it: as a whole word, by a word that begins as it does ('Moroccan' for 'Morocco', 'European'
    for 'Europe'), or, a name of several words, by most of them."""
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
        return True
    parts = name.split()
    if len(parts) > 1:  # 'new China e-commerce business': most of its words
        return sum(_names(p, text) for p in parts) * 3 >= len(parts) * 2
    return len(name) > NAME_STEM and bool(re.search(rf"(?<!\w){re.escape(name[:NAME_STEM])}", text, re.IGNORECASE))


NAME_STEM = 5  # letters two forms of one name share ('Morocco', 'Moroccan')
_FIGURE_ASKED = re.compile(r"^\s*(?:how much|how many|what (?:was|were|is|are)(?: the)?)\b", re.IGNORECASE)


def _figure_of(concepts: set[str], unit: str) -> bool:
    """The sentence's first figure is a value of an asked concept (read by the facts grammar), or it names no
    figure."""
    first = next(iter(quantities(unit)), None)
    if first is None:
        return True
    mention = concept_for(first, vocabulary().mentions(unit), unit)
    return mention is None or mention.concept.key in concepts


def _names_metric(terms: list[str], unit: str, near: str) -> bool:
    """The sentence speaks of the metric the question names in its own words: its head word, or most of its
    words ('Alpha and Beta' for 'Alpha and Beta chips'); or, naming none of them, the sentence
    before names the head ('... performance obligations ... Those commitments were $12 billion')."""
    if not terms:
        return True
    head = terms[-1]
    in_unit = [t for t in terms if t in set(index_tokens(unit)) | _equivalents_in(t, unit)]
    if head in in_unit or len(in_unit) * 2 > len(terms):
        return True
    return not in_unit and head in set(index_tokens(near))


def _equivalents_in(term: str, text: str) -> set[str]:
    words = set(re.findall(r"[a-z]+", text.lower()))
    return {term} if set(_equivalent_terms().get(term, set())) & words else set()


_KINDS_ASKED = {"count": ("number",), "percent": ("percent",)}
_HOW_MANY = re.compile(r"\bhow many\b(?!\s+(?:dollars|times|billion|million|yuan|rmb))", re.IGNORECASE)
_WHAT_SHARE = re.compile(
    r"\b(?:what|which)\s+(?:share|percentage|percent|portion|proportion|fraction)\b", re.IGNORECASE
)


def _asked_kind(focus: str) -> str:
    """The kind of figure a question's wording asks for: a count, a percentage, or any."""
    if _HOW_MANY.search(focus):
        return "count"
    return "percent" if _WHAT_SHARE.search(focus) else ""


def with_previous(hit: ScoredChunk, sentence: str) -> str:
    """The sentence with the text just before it in its passage."""
    at = hit.chunk.text.find(sentence[:40])
    return hit.chunk.text[max(0, at - 250) : at] + " " + sentence if at > 0 else sentence


def _names_period(spec, text: str, query: Query, registry: Registry) -> bool:
    """The text names the period: the same period under any of its names, or the same year for a year asked."""
    companies = query.companies() or [""]
    cal = registry.calendar(companies[0])
    stock = bool(query.concept and query.concept.kind == "stock")
    wanted = spec.resolve(cal, stock=stock)
    for found in find_periods(text):
        if found.text.lower() == spec.text.lower():
            return True
        if wanted is not None:
            got = found.resolve(cal, stock=stock, default_year=wanted.end.year)
            if got is not None and got.matches(wanted):
                return True
    year = spec.fiscal_year or (spec.end_date.year if spec.end_date else None)
    if spec.quarter is not None or spec.months is not None or year is None:
        return False
    # a bare year asked: the text names that year, and not only as part of a quarter or half of it
    named = [f for f in find_periods(text) if (f.fiscal_year or (f.end_date.year if f.end_date else None)) == year]
    return bool(named) and any(f.quarter is None and f.months in (None, 12) for f in named)


def refusal(question: str, passages: list[ScoredChunk], notice: str = "") -> Answer:
    """The cannot-answer reply, with the closest passages still listed (at most three places), a document's
    passages together and numbered in the order they are listed."""
    from assistant.contract import phrases

    chosen: list[ScoredChunk] = []
    seen: set[tuple] = set()
    for p in passages:
        key = (p.chunk.doc_id, p.chunk.page, p.chunk.section)
        if key not in seen and len(chosen) < 3:
            seen.add(key)
            chosen.append(p)
    order = list(dict.fromkeys(p.chunk.doc_id for p in chosen))
    chosen.sort(key=lambda p: order.index(p.chunk.doc_id))
    nearest = [make_citation(n, p, "", supported=False) for n, p in enumerate(chosen, start=1)]
    text = phrases.CANNOT_ANSWER + (f" {notice}" if notice else "")
    return Answer(question=question, text=text, citations=nearest, refused=True, timings={}, notice=notice)


def make_citation(n: int, hit: ScoredChunk, quote: str, supported: bool = True) -> Citation:
    c = hit.chunk
    return Citation(
        n=n,
        doc_id=c.doc_id,
        title=c.title,
        page=c.page,
        section=c.section,
        text=c.text,
        quote=quote,
        score=hit.score,
        doc_type=c.doc_type,
        period=c.period,
        chunk_id=c.id,
        supported=supported,
    )


_VERB = re.compile(
    r"\b(?:is|are|was|were|due|reflect(?:s|ed|ing)?|driven|primarily|increased|decreased|rose|fell|"
    r"grew|declined)\b",
    re.IGNORECASE,
)
_COMPARED_TAIL = re.compile(
    r",?\s+(?:compared (?:with|to)|as compared (?:with|to)|versus|up from|down from)\b.*$", re.IGNORECASE | re.DOTALL
)


def _for_asked_period(sentence: str, query: Query, hit: ScoredChunk, registry: Registry) -> str:
    """The lead sentence as the direct answer: only the asked period's figures when it lists several periods'
    ('$10.1 billion and $9.3 billion as of December 31, 2023 and June 30, 2024'), without a trailing comparison
    with another period."""
    if "growth" in query.also:
        return sentence  # '..., and how fast did it grow?': the change against the year before is asked too
    calendar = registry.calendar(hit.chunk.company.split(";")[0].strip())
    asked = [
        p
        for spec in query.periods
        if spec.relative != "latest"
        for p in (spec.resolve(calendar), spec.resolve(calendar, stock=True))
        if p is not None
    ]
    return narrowed(sentence, asked, calendar) or _main_clause(sentence)


def _row_stated(cand: Candidate, query: Query, hit: ScoredChunk, registry: Registry) -> str | None:
    """A table row asked for a figure, as the figure the document's facts read from it: its column's period, the
    table's scale and the sign ('Net income attributable to common shareholders in FY2022: $854 million'). None
    when the row's facts do not give exactly one figure of the asked period."""
    if query.answer_type == "text" or not is_table_row(cand.quote):
        return None
    calendar = registry.calendar(hit.chunk.company.split(";")[0].strip())
    asked = [  # a balance row answers a period only when the question does not name a length ('in 2022')
        p
        for spec in query.periods
        for p in (spec.resolve(calendar), spec.resolve(calendar, stock=spec.months is None))
        if p
    ]
    row = " ".join(cand.quote.split())
    facts = [f for f in hit.chunk.facts if " ".join(f.quote.split()) == row and f.measure == "value"]
    facts = [f for f in facts if any(Period.from_key(f.period).matches(p) for p in asked)] if asked else facts
    if len({(f.value, f.unit) for f in facts}) != 1:
        return None
    fact, writer, vocab = facts[0], Writer(query, registry, {}, {}), vocabulary()
    value = writer.fact_text(fact)
    concept = vocab.concepts.get(fact.concept)
    if fact.value < 0 and concept is not None:
        size = writer.fact_text(fact, abs(fact.value))
        value = size if concept.key in vocab.magnitudes else negative_said(concept, size) or value
    period = Period.from_key(fact.period)
    when = f"as of {period.label(calendar)}" if period.instant else f"in {period.label(calendar)}"
    label = FOOTNOTE_MARK.sub("", fact.label).strip()
    return f"{label} {when}: {value}"


def _row_unpinned(cand: Candidate, query: Query, hit: ScoredChunk, registry: Registry) -> bool:
    """A table row offered for one figure when neither its facts nor its columns single out the figure of the
    period asked: several figures would be shown, and which is the answer would be a guess."""
    if query.answer_type == "text" or not is_table_row(cand.quote) or _row_stated(cand, query, hit, registry):
        return False
    shown = _for_asked_period(cand.says, query, hit, registry).rsplit(": ", 1)[-1]  # the row, not its header
    marks = [f for f in quantities(shown) if f.kind == "number" and re.fullmatch(r"\d{1,2}", f.text.strip())]
    return len(quantities(shown)) - len(marks) > 1  # '... operations 1 $ 0.27': a footnote mark is no figure


def _main_clause(sentence: str) -> str:
    """The sentence without its trailing comparison with another period ('..., compared with $9.3 billion in
    fourth quarter 2024'): the direct answer states what was asked, the quote keeps the rest."""
    tail = _COMPARED_TAIL.search(sentence)
    if tail is None or _VERB.search(tail.group(0)):  # 'compared to the prior year, is primarily due to ...'
        return sentence
    return sentence[: tail.start()].rstrip(" ,;")


def _full_stop(text: str) -> str:
    text = text.rstrip(" ,;:")
    return text if text.endswith((".", "!", "?")) else text + "."


def _overlap(a: str, b: str) -> float:
    ta, tb = set(raw_tokens(a)), set(raw_tokens(b))
    return len(ta & tb) / (min(len(ta), len(tb)) or 1)


class _Kinds:
    """What a question in words asks, read once, and the bonus a sentence earns for holding it: the kind of
    answer asked (by how fully it answers, `kinds.strength`), a list when several things are asked, a negative
    sentence for a negative question (more when it denies the same verb), and the noun a 'which ...' question
    asks about."""

    def __init__(self, query: Query):
        self.focus = query.focus
        self.asked = asks(query.focus)
        self.typed = [a for a in self.asked if a.kind]
        self.many = any(a.many for a in self.asked)
        self.reason = self.asked[0].kind == "reason"
        self.negated = bool(_NEGATION.search(query.focus))
        self.negated_words = [
            m.group(1) for m in re.finditer(rf"(?:{_NEGATION.pattern})\W+(?:\w+\W+)?(\w{{3,}})", query.focus, re.I)
        ]
        self.nouns = {
            t
            for noun in asked_nouns(query.focus)
            if noun_kind(noun) not in ("time", "place", "quantity")
            for t in index_tokens(noun)
        }  # 'which customer'; 'which date' names the kind, not the topic
        self.metrics = _metrics_named(query.text)
        self.question_tokens = set(index_tokens(query.text))

    def held(self, text: str) -> tuple[bool, ...]:
        return tuple(holds(a, text, self.focus) for a in self.asked)

    def bonus(self, text: str, tokens: set[str], held: tuple[bool, ...]) -> float:
        out = 0.0
        if self.typed:
            out += (
                W_KIND
                * sum(strength(a, text, self.focus) for a, h in zip(self.asked, held) if a.kind and h)
                / len(self.typed)
            )
        if self.many and is_list(text):
            out += W_LIST
        if self.negated and _NEGATION.search(text):
            out += W_NEGATION
            if any(
                re.search(rf"(?:{_NEGATION.pattern})\W+(?:\w+\W+)?{re.escape(w)}", text, re.I)
                for w in self.negated_words
            ):
                out += W_NEGATION
        if self.nouns & tokens:
            out += W_NOUN
        return out


def words(query: Query) -> bool:
    """Answered from sentences by the kind of answer asked: a question in words (`kinds.in_words`), or one that
    names no metric the vocabulary knows, no period and no quantity ('how much', 'what were its shipping costs in
    2024' are figures: read by `adhoc.read_figure` or quoted as one)."""
    if in_words(query):
        return True
    return query.concept is None and not query.periods and asks(query.focus)[0].kind != "quantity"


def _has_term(term: str, tokens: set[str], words: set[str]) -> bool:
    """The text has the question's term, or a word a passage says it with ('drove' -> 'driven'); other forms of
    the question's words ('run by' for 'boss') are added to `tokens` by `kinds.other_forms`."""
    return term in tokens or bool(_equivalent_terms().get(term, set()) & words)


_NEGATION = re.compile(r"\b(?:not|no|never|cannot|without|except|excluding)\b|n['’]t\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def _metrics_named(question: str) -> dict[str, frozenset[str]]:
    """The metrics a question names, each with the question's tokens for it."""
    out: dict[str, set[str]] = {}
    for mention in vocabulary().mentions(question):
        out.setdefault(mention.concept.key, set()).update(index_tokens(mention.text))
    return {key: frozenset(tokens) for key, tokens in out.items()}


def _metric_terms(metrics: dict[str, frozenset[str]], text: str) -> set[str]:
    """The question's tokens for a metric the text names in its own words ('revenue' for 'sales')."""
    if not metrics:
        return set()
    return {t for m in vocabulary().mentions(text) for t in metrics.get(m.concept.key, ())}


def _share(terms: list[str], text: str) -> float:
    """The share of the terms a text has (or says in another form)."""
    if not terms:
        return 0.0
    tokens = set(index_tokens(text))
    tokens |= other_forms(set(terms), tokens)
    words = tokens | set(re.findall(r"[a-z]+", text.lower()))
    return sum(_has_term(t, tokens, words) for t in terms) / len(terms)


def _terms(query: Query) -> list[str]:
    """The question's terms: of its asking part, or of all of it for a question in words (whose other sentences
    say what it is about: 'I've just unpacked my Kestrel K2. Why ...?')."""
    return content_terms(query.text if words(query) else query.focus)


def _previous_in_passage(cand: Candidate, candidates: list[Candidate]) -> Candidate | None:
    return next((c for c in candidates if c.passage == cand.passage and c.place == cand.place - 1 and c.whole), None)


def _next_in_passage(cand: Candidate, candidates: list[Candidate]) -> Candidate | None:
    return next((c for c in candidates if c.passage == cand.passage and c.place == cand.place + 1 and c.whole), None)


def _items_after(lead: Candidate, candidates: list[Candidate], n: int) -> list[Candidate]:
    """The sentences that follow a sentence leading into a list, in order, up to n."""
    out: list[Candidate] = []
    current = lead
    while len(out) < n:
        following = _next_in_passage(current, candidates)
        if following is None:
            break
        out.append(following)
        current = following
    return out


def _leads_in(first: Candidate, follower: Candidate, asked) -> bool:
    """The sentence after the chosen one finishes what it starts: a reason asked that only the next sentence
    gives, or a colon leading into a list."""
    if first.text.rstrip().endswith(":"):
        return True
    if asked[0].kind == "reason" and _ANAPHOR.match(follower.text):
        return True  # 'This reduction included ...' goes on with the reason given
    return asked[0].kind == "reason" and not first.holds[0] and follower.holds[0]


_ANAPHOR = re.compile(r"^\s*(?:this|these|that|those|such|it|they)\b", re.IGNORECASE)
