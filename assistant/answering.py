"""The offline extractive answerer: pick the sentences (or table rows) that best answer the question from the
retrieved passages, cite each one, and refuse when the passages do not carry the question's specifics."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import phrases
from assistant.lexical import LexicalIndex
from assistant.question import asks_quantity, focus, is_comparison, strict_terms
from assistant.retrieval import quarter_aliases
from assistant.text import collapse_ws, content_terms, index_tokens, is_column_header, is_table_row, is_year, \
    looks_numeric_question, numbers_in, raw_tokens, split_sentences, stem
from assistant.types import Answer, Citation, ScoredChunk

# Ways of naming the same company or business; a question naming one is supported by text naming another.
ALIASES = {
    "amazon web services": "aws",
    "alibaba cloud": "cloud intelligence group",
    "amazon": "amazon.com",
}


CAPTION_CHARS = 200  # text before a table longer than this is prose with a caption at its end, not all caption


@dataclass
class Candidate:
    """A sentence or table row that might answer the question."""

    passage: int  # index into the retrieved passages
    text: str  # as it reads in the answer (a table row carries its caption and column header)
    score: float
    quote: str = ""  # verbatim span of the passage


class ExtractiveAnswerer:
    """Selects supporting sentences; every sentence in the answer is a verbatim quote of a cited passage."""

    def __init__(self, max_sentences: int = 3, min_support: float = 0.5):
        self.max_sentences = max_sentences
        self.min_support = min_support

    # -- selection ------------------------------------------------------------------------------------------
    def candidates(self, question: str, passages: list[ScoredChunk], index: LexicalIndex) -> list[Candidate]:
        terms = content_terms(question)
        weights = {t: index.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        numeric = looks_numeric_question(question)
        q_numbers = numbers_in(question)
        out = []
        for p_i, hit in enumerate(passages):
            where = set(index_tokens(f"{hit.chunk.section} {hit.chunk.period}"))
            for unit, quote in _units(hit):
                tokens = set(index_tokens(unit))
                cover = sum(w * (1.0 if t in tokens else 0.6 if t in where else 0.0)
                            for t, w in weights.items()) / total
                score = cover + 0.25 * hit.score
                unit_numbers = numbers_in(unit) - q_numbers
                if numeric and unit_numbers:
                    score += 0.1
                if len(unit) < 25:
                    score -= 0.2
                out.append(Candidate(p_i, unit, round(score, 4), quote))
        out.sort(key=lambda c: c.score, reverse=True)
        return out

    def select(self, question: str, passages: list[ScoredChunk], index: LexicalIndex) -> list[Candidate]:
        """The best supported sentences: the top one plus close runners-up that add something new. For a
        comparison, sentences that each name one side, together covering every side the question names."""
        ranked = self.candidates(question, passages, index)
        names = strict_terms(question)
        if is_comparison(question) and len(names) >= 2:
            return self._select_comparison(question, ranked, passages, index, names)
        ranked = [c for c in ranked if self.coverage(question, c, passages[c.passage], index) >= self.min_support
                  and not self.missing_terms(question, passages[c.passage], names)
                  and answers_quantity(question, c.text)]
        if not ranked:
            return []
        best = ranked[0].score
        chosen: list[Candidate] = []
        for cand in ranked:
            if len(chosen) >= self.max_sentences or cand.score < 0.8 * best:
                break
            if any(_overlap(cand.text, c.text) > 0.6 for c in chosen):
                continue
            chosen.append(cand)
        return chosen

    def _select_comparison(self, question: str, ranked: list[Candidate], passages: list[ScoredChunk],
                           index: LexicalIndex, names: list[str]) -> list[Candidate]:
        uncovered = set(names)
        chosen: list[Candidate] = []
        for cand in ranked:
            if len(chosen) > self.max_sentences or not uncovered:
                break
            covered = set(names) - self.missing_terms(question, passages[cand.passage], names)
            if not (covered & uncovered) or \
                    self.coverage(question, cand, passages[cand.passage], index) < self.min_support / 2:
                continue
            chosen.append(cand)
            uncovered -= covered
        return chosen if not uncovered else []

    # -- support --------------------------------------------------------------------------------------------
    def coverage(self, question: str, cand: Candidate, hit: ScoredChunk, index: LexicalIndex) -> float:
        """Share of the question's terms (idf-weighted) in the sentence, reading its document's title, period and
        section along with it."""
        terms = content_terms(question)
        if not terms:
            return 0.0
        meta = f"{hit.chunk.title} {hit.chunk.company} {hit.chunk.period} {hit.chunk.section}"
        tokens = _with_aliases(set(index_tokens(f"{meta} {cand.text}")), f"{meta} {hit.chunk.text}".lower())
        weights = {t: index.idf(t) for t in terms}
        return sum(w for t, w in weights.items() if t in tokens) / (sum(weights.values()) or 1.0)

    def missing_terms(self, question: str, hit: ScoredChunk, names: list[str]) -> set[str]:
        """The specifics the question names (year, quarter, company, product) that the passage does not."""
        context = f"{hit.chunk.title} {hit.chunk.company} {hit.chunk.period} {hit.chunk.section} {hit.chunk.text}"
        context = context.lower()
        tokens = _with_aliases(set(index_tokens(context)), context)
        missing = set()
        for term in names:
            if re.fullmatch(r"q[1-4]", term):
                found = term in tokens or any(alias in context for alias in quarter_aliases(term))
            elif is_year(term):
                found = term in context
            else:
                found = stem(term) in tokens or term in context or _alias_present(term, question, context)
            if not found:
                missing.add(term)
        return missing

    # -- answer ---------------------------------------------------------------------------------------------
    def answer(self, question: str, passages: list[ScoredChunk], index: LexicalIndex) -> Answer:
        chosen = self.select(focus(question), passages, index)
        if not chosen:
            return refusal(question, passages)
        numbers: dict[int, int] = {}
        parts = []
        for cand in sorted(chosen, key=lambda c: (c.passage, -c.score)):
            n = numbers.setdefault(cand.passage, len(numbers) + 1)
            sentence = cand.text if cand.text.endswith((".", "!", "?")) else cand.text + "."
            parts.append(f"{sentence} [{n}]")
        citations = []
        for p_i, n in numbers.items():
            quote = "\n".join(c.quote for c in chosen if c.passage == p_i)
            citations.append(make_citation(n, passages[p_i], quote))
        return Answer(question=question, text=" ".join(parts), citations=citations, refused=False, timings={})


def answers_quantity(question: str, sentence: str) -> bool:
    """A 'how much' / 'how many' question is answered only by a sentence with a figure that is not a year."""
    return not asks_quantity(question) or any(not is_year(n) for n in numbers_in(sentence))


def refusal(question: str, passages: list[ScoredChunk], notice: str = "") -> Answer:
    """The cannot-answer reply, with the closest passages still listed."""
    nearest = [make_citation(i + 1, p, "", supported=False) for i, p in enumerate(passages[:3])]
    return Answer(question=question, text=phrases.CANNOT_ANSWER, citations=nearest, refused=True, timings={},
                  notice=notice)


def make_citation(n: int, hit: ScoredChunk, quote: str, supported: bool = True) -> Citation:
    c = hit.chunk
    return Citation(n=n, doc_id=c.doc_id, title=c.title, page=c.page, section=c.section, text=c.text, quote=quote,
                    score=hit.score, doc_type=c.doc_type, period=c.period, chunk_id=c.id, supported=supported)


def _units(hit: ScoredChunk) -> list[tuple[str, str]]:
    """(answer text, verbatim quote) pairs: the sentences of a prose passage; the rows of a table, whose answer
    text carries the table's caption, column header and row-group label so that a row reads on its own."""
    text = hit.chunk.text
    if hit.chunk.kind != "table":
        return [(text[s:e], text[s:e]) for s, e in split_sentences(text)]
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    head: list[str] = []
    while len(head) < len(lines) and (not is_table_row(lines[len(head)]) or is_column_header(lines[len(head)])):
        head.append(lines[len(head)])
    units: list[tuple[str, str]] = []
    prose = " ".join(h for h in head if not is_column_header(h))
    sentences = [prose[s:e] for s, e in split_sentences(prose)]
    if len(prose) > CAPTION_CHARS and len(sentences) > 1:
        # a paragraph before the table: its sentences answer on their own; only the last one captions the rows
        units += [(sent, _verbatim(sent, text)) for sent in sentences[:-1]]
        head = [sentences[-1]] + [h for h in head if is_column_header(h)]
    prefix = " ".join(head).rstrip(":")
    label = ""
    for line in lines[len(head):]:
        if is_table_row(line) and not is_column_header(line):
            shown = f"{prefix}: {label + ' ' if label else ''}{line}" if prefix else f"{label} {line}".strip()
            units.append((shown, line))
        else:
            label = line.rstrip(":")
    return units or [(collapse_ws(text), text)]


def _verbatim(sentence: str, text: str) -> str:
    """The span of `text` that reads as `sentence` up to whitespace (line breaks inside a paragraph)."""
    match = re.search(r"\s+".join(map(re.escape, sentence.split())), text)
    return match.group(0) if match else sentence


def _with_aliases(tokens: set[str], context: str) -> set[str]:
    """Add the tokens of every alias whose target the context mentions ('aws' -> 'amazon web services')."""
    for alias, target in ALIASES.items():
        if target in context:
            tokens.update(index_tokens(alias))
    return tokens


def _alias_present(term: str, question: str, context: str) -> bool:
    """True when the question names the term inside a phrase whose alias the context uses."""
    q = question.lower()
    return any(term in alias and alias in q and target in context for alias, target in ALIASES.items())


def _overlap(a: str, b: str) -> float:
    ta, tb = set(raw_tokens(a)), set(raw_tokens(b))
    return len(ta & tb) / (min(len(ta), len(tb)) or 1)
