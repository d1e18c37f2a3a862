"""The hand-written question-grammar tables (tests/data/grammar_cases.jsonl, tests/data/followup_cases.jsonl) and
the invented companies they assume, read and compared field by field against what `analyze` makes of each
question. Shared by the table tests and by `bench/grammar.py`, which prints the pass rate of each reader."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.finance.entities import EntityMatcher
from assistant.finance.periods import FiscalCalendar
from assistant.query.analyze import Query, analyze

DATA = Path(__file__).resolve().parent / "data"
ACME, ZETA, BOREALIS, QUILL = "Acme Corp.", "Zeta Holdings Ltd.", "Borealis Retail Inc.", "Quill Systems, Inc."
CALENDARS = {
    ACME: FiscalCalendar(12, 31),
    ZETA: FiscalCalendar(3, 31),
    BOREALIS: FiscalCalendar(1, 31, named_by_start=True),
    QUILL: FiscalCalendar(9, 30),
}

# which reader fills each field the tables check
READER_OF = {
    "companies": "entities",
    "segments": "entities",
    "unknown": "entities",
    "metric": "metric",
    "qualifiers": "metric",
    "periods": "periods",
    "operation": "operation",
    "intent": "intent",
    "answer_type": "intent",
    "forward": "intent",
    "follow_up": "follow_up",
}


def fixture() -> EntityMatcher:
    """The four invented companies, their aliases, ticker and segments."""
    names = EntityMatcher()
    names.add_company(ACME, ["Acme"], ticker="ACME")
    names.add_segment(ACME, "Cloud Services", ["ACS"], ["cloud"])
    names.add_segment(ACME, "International")
    names.add_segment(ACME, "North America")
    names.add_company(ZETA, ["Zeta"])
    names.add_segment(ZETA, "Zeta Logistics Group", [], ["logistics"])
    names.add_company(BOREALIS, ["Borealis"])
    names.add_segment(BOREALIS, "Domestic")
    names.add_segment(BOREALIS, "International")
    names.add_company(QUILL, ["Quill"])
    names.add_segment(QUILL, "Products")
    names.add_segment(QUILL, "Services")
    return names


def cases(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _periods(query: Query) -> list[dict]:
    cal = CALENDARS.get(query.entities[0].company, FiscalCalendar()) if query.entities else FiscalCalendar()
    stock = bool(query.concept and query.concept.kind == "stock")
    out = []
    for spec in query.periods:
        period = spec.resolve(cal, stock=stock)
        out.append(
            {
                "months": period.months if period else spec.months,
                "fiscal_year": spec.fiscal_year,
                "quarter": spec.quarter,
                "end_date": spec.end_date.isoformat() if spec.end_date else None,
            }
        )
    return out


def _fields(query: Query) -> dict:
    return {
        "companies": query.companies(),
        "metric": query.concept.key if query.concept else None,
        "segments": [[e.company, e.segment] for e in query.entities if e.segment],
        "periods": _periods(query),
        "intent": str(query.intent),
        "operation": str(query.operation),
        "answer_type": query.answer_type,
        "forward": query.forward,
        "follow_up": query.follow_up,
        "qualifiers": sorted(q.lower() for q in query.qualifiers),
        "unknown": sorted(u.lower() for u in query.unknown),
    }


def _same(key: str, expected, got) -> bool:
    if key in ("qualifiers", "unknown"):
        return sorted(e.lower() for e in expected) == got
    if key == "periods":
        return len(expected) == len(got) and all(all(g[k] == v for k, v in e.items()) for e, g in zip(expected, got))
    return expected == got


def mismatches(expected: dict, query: Query) -> dict[str, list[str]]:
    """Each reader's fields that differ from the expectation ('metric: expected revenue, got None')."""
    got = _fields(query)
    out: dict[str, list[str]] = {}
    for key, want in expected.items():
        if key not in READER_OF or key == "periods" and want is None:  # periods null: not checked
            continue
        if not _same(key, want, got[key]):
            out.setdefault(READER_OF[key], []).append(f"{key}: expected {want!r}, got {got[key]!r}")
    return out


def grammar_result(case: dict, names: EntityMatcher, by_meaning=None) -> dict[str, list[str]]:
    return mismatches(case, analyze(case["question"], names, None, by_meaning))


def followup_result(case: dict, names: EntityMatcher) -> dict[str, list[str]]:
    previous = None
    for asked, _reply in case["history"]:
        previous = analyze(asked, names, previous)
    query = analyze(case["question"], names, previous)
    out = mismatches({"follow_up": case["follow_up"]}, query)
    for reader, found in mismatches(case["resolved"], query).items():
        out.setdefault(reader, []).extend(found)
    return out


def rates(results: list[tuple[dict, dict[str, list[str]]]]) -> dict[str, tuple[int, int]]:
    """Per reader: (cases whose fields it fills that pass, cases that check its fields)."""
    out: dict[str, list[int]] = {}
    for case, wrong in results:
        fields = set(case) | set(case.get("resolved", {}))
        for reader in {READER_OF[k] for k in fields if k in READER_OF}:
            counts = out.setdefault(reader, [0, 0])
            counts[0] += reader not in wrong
            counts[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}
