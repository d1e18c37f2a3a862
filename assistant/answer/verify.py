"""Citation verification for any answerer: every sentence must cite retrieved passages that support it by the
rules of `assistant/answer/support.py` (the same rules the evaluation scores citations with). Unsupported
sentences are removed; what is left is renumbered and cited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.contract import phrases
from assistant.answer.select import make_citation
from assistant.answer.support import Evidence, answer_sentences, check, evidence_from_passage
from assistant.config import AnsweringSettings
from assistant.text import index_tokens, split_sentences
from assistant.contract.types import Answer, ScoredChunk

DEFAULT_MIN_SUPPORT = AnsweringSettings().min_support
_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions|prompt|rules|above)\b|"
    r"\b(system prompt|you are now|new instructions|reply with|respond only with)\b",
    re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """Text that talks to the model ('ignore previous instructions...') rather than informing the reader."""
    return bool(_INJECTION.search(text))


@dataclass
class SentenceCheck:
    """One answer sentence, the passages it cites and whether they support it."""

    text: str
    cites: list[int]
    supported: bool
    reasons: list[str] = field(default_factory=list)


def passage_evidence(hit: ScoredChunk) -> Evidence:
    """A whole retrieved passage as evidence (a generated sentence may draw on any of it)."""
    c = hit.chunk
    return evidence_from_passage(c.text, c.text, " ".join(x for x in (c.title, c.company, c.period, c.section) if x))


def check_sentence(
    sentence: str, cites: list[int], passages: list[ScoredChunk], min_support: float = DEFAULT_MIN_SUPPORT
) -> SentenceCheck:
    """Supported when it cites something and the cited passages support it (figures, names, words)."""
    if not cites:
        return SentenceCheck(sentence, cites, False, ["cites no retrieved passage"])
    if all(looks_like_injection(passages[n - 1].chunk.text) for n in cites):
        return SentenceCheck(sentence, cites, False, ["cites only passages that contain instructions to the model"])
    result = check(sentence, [passage_evidence(passages[n - 1]) for n in cites], min_support=min_support)
    return SentenceCheck(sentence, cites, result.supported, result.reasons)


def verify(
    question: str, text: str, passages: list[ScoredChunk], answerer: str, min_support: float = DEFAULT_MIN_SUPPORT
) -> Answer:
    """Check a generated answer; keep supported sentences with renumbered markers. `refused` if nothing survives
    or the model declined; the caller decides what to fall back to."""
    if phrases.CANNOT_ANSWER.lower().rstrip(".") in text.lower():
        return Answer(
            question=question, text=phrases.CANNOT_ANSWER, citations=[], refused=True, timings={}, answerer=answerer
        )
    checks = []
    for sentence, cites in answer_sentences(text.strip(), carry=False):
        valid = [n for n in cites if 1 <= n <= len(passages)]
        invalid = [n for n in cites if n not in valid]
        check_ = check_sentence(sentence, valid, passages, min_support)
        if invalid:
            check_.supported = False
            check_.reasons.append(f"marker(s) {invalid} point to no retrieved passage")
        checks.append(check_)
    kept = [c for c in checks if c.supported]
    numbering: dict[int, int] = {}
    parts = []
    for check_ in kept:
        new = [numbering.setdefault(n, len(numbering) + 1) for n in check_.cites]
        parts.append(check_.text + " " + "".join(f"[{n}]" for n in new))
    citations = []
    for old, number in numbering.items():
        quotes = [c.text for c in kept if old in c.cites]
        citations.append(
            make_citation(number, passages[old - 1], "\n".join(_best_quote(passages[old - 1], q) for q in quotes))
        )
    answer = Answer(
        question=question,
        text=" ".join(parts),
        citations=citations,
        refused=not kept,
        timings={},
        direct=parts[0] if parts else "",
        answerer=answerer,
        verified=len(kept) == len(checks),
    )
    answer.notice = "; ".join(f"removed: {c.text[:80]!r} ({'; '.join(c.reasons)})" for c in checks if not c.supported)
    return answer


def _best_quote(hit: ScoredChunk, claim: str) -> str:
    """The passage sentence that shares most terms with the claim (a verbatim span for highlighting)."""
    text = hit.chunk.text
    if hit.chunk.kind == "table":
        units = [line.strip() for line in text.split("\n") if line.strip()]
    else:
        units = [text[start:end] for start, end in split_sentences(text)]
    claim_terms = set(index_tokens(claim))
    return max(units, key=lambda u: len(claim_terms & set(index_tokens(u))), default="")
