"""Scoring primitives: evidence matching, rank metrics and percentiles."""

from __future__ import annotations

import math
import re

from assistant.contract.types import Chunk

_UNIT = {
    "b": "billion",
    "bn": "billion",
    "billion": "billion",
    "m": "million",
    "mm": "million",
    "mn": "million",
    "million": "million",
    "k": "thousand",
    "thousand": "thousand",
    "t": "trillion",
    "trillion": "trillion",
}


def normalize(text: str) -> str:
    """Lower-case, straight quotes, no currency signs or thousands separators, units spelled out, one space.

    '$128.7 billion', '128.7B' and 'US$128.7 bn' all become '128.7 billion'."""
    t = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = re.sub(r"\\([$%])", r"\1", t)
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)
    t = re.sub(r"(us\$|hk\$|rmb|\$|€|£|¥)\s*(?=[\d(])", "", t)
    t = re.sub(
        r"(\d(?:\.\d+)?)\s*(bn|b|mm|mn|m|k|t|billion|million|thousand|trillion)\b",
        lambda m: f"{m.group(1)} {_UNIT[m.group(2)]}",
        t,
    )
    t = re.sub(r"(\d)\s*(%|percent\b)", r"\1%", t)
    t = re.sub(r"\s+", " ", t)
    return t.strip()


def evidence_matches(evidence: dict, chunk: Chunk) -> bool:
    """A retrieved chunk matches gold evidence: same document and (its quote is in the chunk, most of the quote's
    words are, or, for PDFs, the same page)."""
    if evidence.get("doc_id") != chunk.doc_id:
        return False
    page = evidence.get("page")
    if page is not None and chunk.page is not None and int(page) == chunk.page:
        return True
    quote = normalize(evidence.get("quote", ""))
    if not quote:
        return page is None
    text = normalize(chunk.text)
    if quote in text:
        return True
    words = re.findall(r"\w+", quote)
    present = set(re.findall(r"\w+", text))
    return len(words) >= 5 and sum(w in present for w in words) / len(words) >= 0.8


def first_hit_rank(evidence: list[dict], chunks: list[Chunk]) -> int | None:
    """1-based rank of the first chunk matching any gold evidence, or None."""
    for rank, chunk in enumerate(chunks, start=1):
        if any(evidence_matches(e, chunk) for e in evidence):
            return rank
    return None


def recall_at(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mrr(ranks: list[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else 0.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0
