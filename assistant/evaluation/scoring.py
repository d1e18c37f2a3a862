"""Scoring an answer: key facts in its direct answer (figures as numbers with scale, words as whole words), wrong
figures kept out of it, and citations scored by support (ALCE precision and recall) with the verifier's rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.answer.support import Evidence, answer_sentences, check, citation_precision, evidence_from_passage
from assistant.finance.figures import Figure, parse_figures, quantities, same_figure
from assistant.contract.types import Answer, Citation

Fact = str | Sequence[str]


def as_figure(fact: str) -> Figure | None:
    """The figure a fact string is, when the whole string is one figure ('$45.6 billion', '19%')."""
    figures = [f for f in parse_figures(fact) if f.is_quantity]
    if len(figures) == 1 and not re.sub(re.escape(figures[0].text), "", fact).strip(" .,~+"):
        return figures[0]
    return None


def phrase_in(phrase: str, text: str) -> bool:
    """A phrase as whole words, case and spacing ignored ('ACS' is not in 'racks')."""
    words = re.findall(r"\w+", phrase.lower())
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)"
    return bool(re.search(pattern, _plain(text).lower()))


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def states(fact: Fact, text: str, relative: float = 0.0) -> bool:
    """A key fact, or any of its alternatives, is stated in the text."""
    for option in ([fact] if isinstance(fact, str) else list(fact)):
        figure = as_figure(option)
        if figure is not None:
            if any(same_figure(figure, f, relative) for f in quantities(text)):
                return True
        elif phrase_in(option, text):
            return True
    return False


def states_all(facts: Sequence[Fact], text: str) -> bool:
    return bool(facts) and all(states(f, text) for f in facts)


def wrong_figures(wrong: Sequence[str], text: str) -> list[str]:
    """The `wrong` figures a text states."""
    return [w for w in wrong if states(w, text)]


@dataclass
class CitationScore:
    """ALCE-style citation scores of one answer."""

    sentences: int = 0  # answer sentences
    supported: int = 0  # sentences that their citations support
    citations: int = 0  # (sentence, citation) pairs
    precise: int = 0  # of those, citations that support the sentence alone or are needed for it


def citation_evidence(citation: Citation) -> Evidence:
    context = " ".join(x for x in (citation.title, citation.period, citation.section) if x)
    return evidence_from_passage(citation.quote or citation.text, citation.text, context)


def score_citations(answer: Answer) -> CitationScore:
    """Every sentence of the reply is checked against the citations it carries, by the verifier's rules; a figure
    the answer computed (its `computation`) counts as supported when its operands are."""
    score = CitationScore()
    if answer.refused:
        return score
    by_n = {c.n: citation_evidence(c) for c in answer.citations}
    computed = [f for c in answer.computations for f in quantities(c.result_text)]
    for bare, cites in answer_sentences(answer.text):
        score.sentences += 1
        evidence = [by_n[n] for n in cites if n in by_n]
        if not evidence:
            continue
        if check(bare, evidence, computed).supported:
            score.supported += 1
        flags = citation_precision(bare, evidence, computed)
        score.citations += len(flags)
        score.precise += sum(flags)
    return score
