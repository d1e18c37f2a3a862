"""The pool check: what ingest reads from a pool of real filings, measured without any gold where possible.

    python -m bench.pool_check [--pdfs ../shared/sources/financebench/pdfs] [--facts bench/pool-facts.jsonl]
                               [--out eval-pool] [--only NAME] [--workers 2]

Every PDF is parsed the way ingest parses it (loader, identity, chunks, tables, facts; no embedding), then:
- identity: company (its name or a short name matches the document list's), form and fiscal year, checked against
  `financebench_document_information.jsonl`;
- statements: an income statement, balance sheet and cash-flow statement whose columns carry the report's own
  period (for a 10-Q: the quarter and the balance-sheet date), and the segment note where there is one;
- identities that need no gold: assets = liabilities + equity, revenue - cost of revenue = gross profit, the income
  statement's net income = the cash-flow statement's, segments summing to the consolidated figure;
- the hand-checked sample (`bench/pool-facts.jsonl`): precision and recall of the facts read.
Prints a summary and writes per-filing details to OUT/pool-check.json.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from assistant.config import PROJECT_ROOT

POOL = PROJECT_ROOT.parent / "shared" / "sources" / "financebench" / "pdfs"
FORMS = {"10k": "10-K", "10q": "10-Q", "8k": "8-K", "earnings": "earnings release"}
TOLERANCE = 0.005  # two figures agree within half a percent (rounding in the statements)


def parse(path: Path, gold: list[dict] | None = None) -> dict:
    """Parse one PDF the way ingest does; the facts, what its identity says, and for each gold fact of this
    document the figure an answer would use (the first the fact index ranks for its key)."""
    from ingest.catalog import describe
    from ingest.identity import read_identity
    from ingest.loaders import load_file
    from ingest.pipeline import build_chunks

    started = time.perf_counter()
    loaded, _fmt = load_file(path)
    meta = describe(path, loaded)
    identity = read_identity(loaded)
    chunks = build_chunks(loaded, meta, "pool", 900)
    facts = [
        dict(
            concept=f.concept,
            label=f.label,
            period=f.period,
            value=f.value,
            unit=f.unit,
            segment=f.segment,
            primary=f.primary,
            source=f.source,
            page=c.page,
            measure=f.measure,
            caption=(c.table.caption if c.table else "")[:80],
            chunk=i,
        )
        for i, c in enumerate(chunks)
        for f in c.facts
    ]
    top = [_answered(g, chunks, meta.company) for g in gold or []]
    return {
        "doc_id": meta.doc_id,
        "company": meta.company,
        "top": top,
        "aliases": meta.companies[0].aliases if meta.companies else [],
        "ticker": identity.ticker,
        "form": meta.doc_type,
        "period": meta.period,
        "period_key": identity.period.key() if identity.period else "",
        "fiscal_year_end": identity.fiscal_year_end,
        "fiscal_year": _fiscal_year(identity),
        "title": meta.title,
        "pages": len(loaded.sections),
        "chunks": len(chunks),
        "facts": facts,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _fiscal_year(identity) -> int | None:
    if identity.period is None:
        return None
    from assistant.finance.periods import FiscalCalendar

    return (identity.calendar or FiscalCalendar()).fiscal_year_of(identity.period.end)


def _answered(gold: dict, chunks, company: str) -> float | None:
    """The value the fact index gives first for a gold fact's concept, segment and period (None: no fact)."""
    from assistant.finance.periods import Period
    from assistant.store.facts import FactIndex

    index = _index_cache.get(id(chunks))
    if index is None:
        index = _index_cache.setdefault(id(chunks), FactIndex.build(chunks))
    if not gold.get("concept"):
        return None
    period = Period.from_key(f"{gold['months']}M@{gold['end']}")
    segments = (
        [""]
        if not gold.get("segment")
        else sorted(
            (s for s in index.segments.get(company, ()) if _same_segment(s, gold["segment"])),
            key=lambda s: _words(s) != _words(gold["segment"]),  # the segment of that very name first
        )
    )
    money = gold["unit"] == "USD"
    for segment in segments:
        found = [
            f
            for f in index.find(gold["concept"], company, segment, period)
            if not money or f.unit not in ("percent", "count") and "/" not in f.unit
        ]
        if found:
            return found[0].value
    return None


_index_cache: dict[int, object] = {}


# -- identity ---------------------------------------------------------------------------------------------------
def _words(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))


def identity_check(doc: dict, row: dict) -> dict:
    expected_company = _words(row.get("company", ""))
    names = [_words(n) for n in [doc["company"], *doc["aliases"]]]
    company = bool(expected_company) and any(
        n.startswith(expected_company) or expected_company.startswith(n) for n in names if n
    )
    form = FORMS.get(str(row.get("doc_type", "")).lower(), "")
    form_ok = doc["form"] == form or (form == "earnings release" and doc["form"] in ("8-K", "earnings release"))
    year = row.get("doc_period")
    named = re.search(r"_(\d{4})(?:Q\d)?_", f"_{row.get('doc_name', '')}_")
    ended = int(doc["period_key"][-10:-6]) if doc["period_key"] else None  # the calendar year the period ends in
    year_ok = doc["fiscal_year"] is not None and (
        year in (doc["fiscal_year"], ended)
        or doc["form"] == "8-K"
        or (named and doc["fiscal_year"] == int(named.group(1)))
    )
    if doc["form"] == "8-K" and not doc["period_key"]:
        year_ok = True  # a current report covers no period
    return {"company": company, "form": form_ok, "year": bool(year_ok)}


# -- statements and identities -----------------------------------------------------------------------------------
ANCHORS = {
    "income": ("revenue", "net_income", "operating_income"),
    "balance": ("total_assets",),
    "cash_flow": ("operating_cash_flow",),
}


def statements(doc: dict) -> dict:
    """Which primary statements carry the report's own period (and the segment note)."""
    from assistant.finance.periods import Period

    if not doc["period_key"] or doc["form"] not in ("10-K", "10-Q"):
        return {}
    asked = Period.from_key(doc["period_key"])
    found = {}
    for kind, concepts in ANCHORS.items():
        want = Period(asked.end, 0) if kind == "balance" else asked
        if kind == "cash_flow" and asked.months == 3:  # a 10-Q's cash flows run from the start of the year
            found[kind] = any(
                f["primary"]
                and f["concept"] in concepts
                and not f["segment"]
                and Period.from_key(f["period"]).end == asked.end
                for f in doc["facts"]
            )
            continue
        found[kind] = any(
            f["primary"]
            and f["concept"] in concepts
            and not f["segment"]
            and Period.from_key(f["period"]).matches(want)
            for f in doc["facts"]
        )
    found["segment"] = any(f["segment"] and f["concept"] in ("revenue", "operating_income") for f in doc["facts"])
    return found


def _agree(a: float, b: float) -> bool:
    return abs(a - b) <= max(abs(a), abs(b)) * TOLERANCE + 1.0


def identities(doc: dict) -> list[dict]:
    """Checks between primary statement facts of one period, each `holds` True or False."""
    by = defaultdict(lambda: defaultdict(list))  # period -> concept -> values (consolidated, primary)
    for f in doc["facts"]:
        if f["primary"] and not f["segment"] and f["measure"] == "value" and f["unit"] not in ("percent", "count"):
            by[f["period"]][f["concept"]].append((f["value"], f["chunk"]))
    out = []
    for period, c in by.items():
        if c["total_assets"] and c["total_liabilities"] and c["total_equity"]:
            holds = any(
                _agree(a, debt + e)
                for a, _ in c["total_assets"]
                for debt, _ in c["total_liabilities"]
                for e, _ in c["total_equity"]
            )
            out.append({"check": "assets = liabilities + equity", "period": period, "holds": holds})
        if c["revenue"] and c["cost_of_revenue"] and c["gross_profit"]:
            holds = any(
                _agree(r - abs(k), g)
                for r, _ in c["revenue"]
                for k, _ in c["cost_of_revenue"]
                for g, _ in c["gross_profit"]
            )
            out.append({"check": "revenue - cost of revenue = gross profit", "period": period, "holds": holds})
        chunks = {i for _, i in c["net_income"]}
        if len(chunks) > 1:  # net income printed in two tables (income statement, cash flows) for one period
            values = [v for v, _ in c["net_income"]]
            holds = all(any(_agree(v, w) for w in values if w is not v) for v in values)
            out.append({"check": "net income agrees across statements", "period": period, "holds": holds})
    return out


# -- the hand-checked sample -------------------------------------------------------------------------------------
def sample_scores(docs: dict[str, dict], gold: list[dict]) -> dict:
    """Recall: gold facts found (same document, concept, segment, period, value). Precision: of the facts read for
    the gold's (document, concept, segment, period) keys, those whose value is the gold's."""
    from assistant.finance.periods import Period

    found = stated = right = 0
    misses = []
    for g in gold:
        if not g.get("concept") or g["doc_id"] not in docs:
            continue
        want = Period.from_key(f"{g['months']}M@{g['end']}")
        mine = [
            f
            for f in docs[g["doc_id"]]["facts"]
            if f["concept"] == g["concept"]
            and f["measure"] == "value"
            and _same_segment(f["segment"], g.get("segment", ""))
            and Period.from_key(f["period"]).matches(want)
        ]
        ok = [f for f in mine if _agree(abs(f["value"]), abs(g["value"]))]
        found += bool(ok)
        stated += len({round(f["value"]) for f in mine})
        right += len({round(f["value"]) for f in ok})
        if not ok:
            misses.append(
                {
                    "doc_id": g["doc_id"],
                    "concept": g["concept"],
                    "segment": g.get("segment", ""),
                    "period": want.key(),
                    "gold": g["value"],
                    "read": sorted({f["value"] for f in mine})[:4],
                }
            )
    keyed = [g for g in gold if g.get("concept") and g["doc_id"] in docs]
    answered = [(g, docs[g["doc_id"]]["top"][docs[g["doc_id"]]["gold"].index(g)]) for g in keyed]
    given = [(g, v) for g, v in answered if v is not None]
    right_answers = sum(_agree(abs(v), abs(g["value"])) for g, v in given)
    wrong = [
        {
            "doc_id": g["doc_id"],
            "concept": g["concept"],
            "segment": g.get("segment", ""),
            "period": f"{g['months']}M@{g['end']}",
            "gold": g["value"],
            "answered": v,
        }
        for g, v in given
        if not _agree(abs(v), abs(g["value"]))
    ]
    return {
        "gold_facts": len(keyed),
        "recall": round(found / len(keyed), 3) if keyed else 0.0,
        "precision": round(right / stated, 3) if stated else 0.0,
        "values_read": stated,
        "answer_recall": round(right_answers / len(keyed), 3) if keyed else 0.0,
        "answer_precision": round(right_answers / len(given), 3) if given else 0.0,
        "misses": misses,
        "wrong_answers": wrong,
    }


def _same_segment(mine: str, gold: str) -> bool:
    return _words(mine) == _words(gold) or (
        bool(mine) and bool(gold) and (_words(gold) in _words(mine) or _words(mine) in _words(gold))
    )


# -- run -----------------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=POOL)
    parser.add_argument("--facts", type=Path, default=PROJECT_ROOT / "bench" / "pool-facts.jsonl")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "eval-pool")
    parser.add_argument("--only", default="")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    info = {}
    for line in (args.pdfs.parent / "financebench_document_information.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            info[row["doc_name"]] = row
    pdfs = sorted(p for p in args.pdfs.glob("*.pdf") if args.only.lower() in p.stem.lower())
    gold = (
        [json.loads(line) for line in args.facts.read_text().splitlines() if line.strip()]
        if args.facts.exists()
        else []
    )
    by_doc = defaultdict(list)
    for g in gold:
        by_doc[g["doc_id"]].append(g)
    from ingest.catalog import doc_id_for

    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        parsed = dict(zip((p.stem for p in pdfs), pool.map(parse, pdfs, [by_doc[doc_id_for(p)] for p in pdfs])))
    for p in pdfs:
        parsed[p.stem]["gold"] = by_doc[doc_id_for(p)]
    seconds = time.perf_counter() - started
    report, rows = {}, []
    for name, doc in parsed.items():
        ident = identity_check(doc, info.get(name, {}))
        found = statements(doc)
        checks = identities(doc)
        rows.append((name, doc, ident, found, checks))
        report[doc["doc_id"]] = {k: v for k, v in doc.items() if k not in ("facts", "gold", "top")} | {
            "identity": ident,
            "statements": found,
            "identities": checks,
            "fact_count": len(doc["facts"]),
        }
    sample = sample_scores({d["doc_id"]: d for d in parsed.values()}, gold)
    summary = _summary(rows, sample, seconds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "pool-check.json").write_text(
        json.dumps(
            {
                "summary": summary,
                "filings": report,
                "sample_misses": sample["misses"],
                "wrong_answers": sample["wrong_answers"],
            },
            indent=1,
        )
    )
    _print(rows, summary)


def _summary(rows, sample, seconds) -> dict:
    idents = [r[2] for r in rows]
    filings = [r for r in rows if r[1]["form"] in ("10-K", "10-Q") and r[3]]
    checks = [c for r in rows for c in r[4]]

    def share(n, d):
        return round(n / d, 3) if d else 0.0

    return {
        "filings": len(rows),
        "parse_seconds": round(seconds, 1),
        "identity": {k: share(sum(i[k] for i in idents), len(idents)) for k in ("company", "form", "year")},
        "identity_all": share(sum(all(i.values()) for i in idents), len(idents)),
        "statements": {
            k: share(sum(r[3].get(k, False) for r in filings), len(filings))
            for k in ("income", "balance", "cash_flow", "segment")
        },
        "statements_all_three": share(sum(all(r[3].get(k) for k in ANCHORS) for r in filings), len(filings)),
        "identities_hold": share(sum(c["holds"] for c in checks), len(checks)),
        "identities_checked": len(checks),
        "sample": {k: v for k, v in sample.items() if k not in ("misses", "wrong_answers")},
    }


def _print(rows, summary) -> None:
    for name, doc, ident, found, checks in rows:
        bad = (
            [k for k, v in ident.items() if not v]
            + [f"no {k}" for k, v in found.items() if not v]
            + [f"{c['check']} {c['period']}" for c in checks if not c["holds"]]
        )
        flag = "ok " if not bad else "-- "
        print(
            f"{flag}{name[:34]:34s} {doc['company'][:28]:28s} {doc['form']:16s} {doc['period'][:44]:44s} "
            f"{len(doc['facts']):5d} facts {'; '.join(bad)}"
        )
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
