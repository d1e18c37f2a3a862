"""Citation verification for any answerer: every sentence must cite a retrieved passage that carries its figures,
names and most of its words. Unsupported sentences are removed; what is left is renumbered and cited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import phrases
from assistant.answering import make_citation
from assistant.text import content_terms, index_tokens, numbers_in, split_sentences
from assistant.types import Answer, ScoredChunk

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z0-9&.-]*[a-zA-Z0-9]|[A-Z]{2,})\b")
MIN_TERM_SUPPORT = 0.5
_INJECTION = re.compile(r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions|prompt|rules|above)\b|"
                        r"\b(system prompt|you are now|new instructions|reply with|respond only with)\b",
                        re.IGNORECASE)


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


def parse_markers(sentence: str, passage_count: int) -> tuple[str, list[int], list[int]]:
    """The sentence without markers, the valid passage numbers it cites, and the invalid ones it named."""
    valid, invalid = [], []
    for group in _MARKER.findall(sentence):
        for raw in group.split(","):
            n = int(raw)
            (valid if 1 <= n <= passage_count else invalid).append(n)
    bare = _MARKER.sub("", sentence).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", bare), list(dict.fromkeys(valid)), invalid


def check_sentence(sentence: str, cites: list[int], passages: list[ScoredChunk]) -> SentenceCheck:
    """Supported when it cites something and the cited text holds its numbers, names and most of its terms."""
    reasons = []
    if not cites:
        return SentenceCheck(sentence, cites, False, ["cites no retrieved passage"])
    if all(looks_like_injection(passages[n - 1].chunk.text) for n in cites):
        return SentenceCheck(sentence, cites, False, ["cites only passages that contain instructions to the model"])
    cited = " ".join(passages[n - 1].chunk.search_text() for n in cites)
    cited_lower = cited.lower()
    missing_numbers = sorted(numbers_in(sentence) - numbers_in(cited) - {str(n) for n in cites})
    if missing_numbers:
        reasons.append(f"numbers not in the cited passage: {', '.join(missing_numbers)}")
    names = {m.group(1) for m in _NAME.finditer(sentence)}
    missing_names = sorted(n for n in names if n.lower() not in cited_lower)
    if missing_names:
        reasons.append(f"names not in the cited passage: {', '.join(missing_names)}")
    terms = content_terms(sentence)
    if terms:
        cited_tokens = set(index_tokens(cited))
        share = sum(t in cited_tokens for t in terms) / len(terms)
        if share < MIN_TERM_SUPPORT:
            reasons.append(f"only {share:.0%} of its words are in the cited passage")
    return SentenceCheck(sentence, cites, not reasons, reasons)


def verify(question: str, text: str, passages: list[ScoredChunk], answerer: str) -> Answer:
    """Check a generated answer; keep supported sentences with renumbered markers. `refused` if nothing survives
    or the model declined; the caller decides what to fall back to."""
    if phrases.CANNOT_ANSWER.lower().rstrip(".") in text.lower():
        return Answer(question=question, text=phrases.CANNOT_ANSWER, citations=[], refused=True, timings={},
                      answerer=answerer)
    checks = []
    for start, end in split_sentences(text.strip()):
        sentence, cites, invalid = parse_markers(text[start:end], len(passages))
        if not sentence:
            continue
        check = check_sentence(sentence, cites, passages)
        if invalid:
            check.reasons.append(f"marker(s) {invalid} point to no retrieved passage")
        checks.append(check)
    kept = [c for c in checks if c.supported]
    numbering: dict[int, int] = {}
    parts = []
    for check in kept:
        new = [numbering.setdefault(n, len(numbering) + 1) for n in check.cites]
        parts.append(check.text + " " + "".join(f"[{n}]" for n in new))
    citations = []
    for old, new in numbering.items():
        quotes = [c.text for c in kept if old in c.cites]
        citations.append(make_citation(new, passages[old - 1], "\n".join(_best_quote(passages[old - 1], q)
                                                                          for q in quotes)))
    answer = Answer(question=question, text=" ".join(parts), citations=citations, refused=not kept, timings={},
                    answerer=answerer, verified=len(kept) == len(checks))
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
