"""The FinanceBench runner on a folder in the benchmark's format with invented questions: filings ingested by
`qa ingest`'s own path, both settings, a filing with no PDF asked over its evidence pages and reported apart, and
a reused store into which nothing is ingested. Plus the check that no FinanceBench wording is in the project."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.evaluation.financebench import IncompleteStore, doc_id, judge, parse_gold, read_items, run_financebench
from assistant.core import Assistant
from ingest.catalog import doc_id_for
from tests.conftest import PROJECT_ROOT

FILING = "amazon_10-q_q2_2025"
LEAK_TOOL = PROJECT_ROOT.parent / "shared" / "tools" / "benchmark-leak"


def _bench_folder(root: Path) -> Path:
    """A FinanceBench-shaped folder: one filing as a PDF (from the default corpus), one only as evidence pages."""
    folder = root / "bench"
    (folder / "pdfs").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "corpus" / f"{FILING}.pdf", folder / "pdfs" / f"{FILING}.pdf")
    page = (
        "ZETA CORP\nCONSOLIDATED STATEMENTS OF OPERATIONS\n(in millions)\nYear Ended December 31,\n2030 2031\n"
        "Total revenue 8,110 9,904\nOperating income 1,210 1,498\n"
    )
    questions = [
        {
            "financebench_id": "q-1",
            "doc_name": FILING,
            "question_type": "metrics-generated",
            "question": "What were Amazon's total net sales in the three months ended June 30, 2025 (in USD millions)?",
            "answer": "$167,702.00",
            "evidence": [{"doc_name": FILING, "evidence_page_num": 3}],
        },
        {
            "financebench_id": "q-2",
            "doc_name": FILING,
            "question_type": "novel-generated",
            "question": "What does Amazon say about its competitive position?",
            "answer": "It describes intense competition across its businesses.",
            "evidence": [],
        },
        {
            "financebench_id": "q-3",
            "doc_name": "ZETA_2031_10K",
            "question_type": "metrics-generated",
            "question": "What was Zeta's total revenue in FY2031 (in USD millions)?",
            "answer": "$9,904.00",
            "evidence": [{"doc_name": "ZETA_2031_10K", "evidence_page_num": 41, "evidence_text_full_page": page}],
        },
    ]
    (folder / "financebench_open_source.jsonl").write_text("\n".join(json.dumps(q) for q in questions) + "\n")
    info = [
        {"doc_name": FILING, "company": "Listed Name Inc", "doc_type": "10k", "doc_period": 2031},
        {"doc_name": "ZETA_2031_10K", "company": "Zeta Corp", "doc_type": "10k", "doc_period": 2031},
    ]
    (folder / "financebench_document_information.jsonl").write_text("\n".join(json.dumps(r) for r in info) + "\n")
    return folder


def test_questions_are_read_in_the_benchmark_format_and_a_development_set_format(tmp_path):
    folder = _bench_folder(tmp_path)
    bench = read_items(folder / "financebench_open_source.jsonl")
    assert [i.id for i in bench] == ["q-1", "q-2", "q-3"]
    assert bench[0].pages == {(doc_id(FILING), 4)}  # the benchmark's page numbers are zero-based
    assert bench[2].page_texts and bench[2].page_texts[0][0] == 42
    dev = tmp_path / "dev.jsonl"
    dev.write_text(
        json.dumps(
            {
                "id": "dev-1",
                "doc_name": FILING,
                "question_type": "lookup",
                "question": "q",
                "answer": "$1.00",
                "evidence": [{"doc_name": FILING, "page": 4}],
            }
        )
        + "\n"
    )
    assert read_items(dev)[0].pages == bench[0].pages and read_items(dev)[0].id == "dev-1"
    assert doc_id(FILING) == doc_id_for(folder / "pdfs" / f"{FILING}.pdf")  # the id `qa ingest` gives the PDF


@pytest.mark.parametrize(
    "gold,question,direct,refused,verdict",
    [
        (
            "$2,318.00",
            "Capex in FY2031 (in USD millions)?",
            "Capital expenditures were $2,318 million.",
            False,
            "correct",
        ),
        (
            "$2,318.00",
            "Capex in FY2031 (in USD millions)?",
            "Capital expenditures were $2,604 million.",
            False,
            "incorrect",
        ),
        (
            "$2,318.00",
            "Capex in FY2031 (in USD millions)?",
            "Capital spending rose on new data centers.",
            False,
            "no figure",
        ),
        ("$2,318.00", "Capex in FY2031 (in USD millions)?", "I couldn't find this in the documents.", True, "refused"),
        ("Yes, the margin improved from 6.1% to 7.0%.", "Did the margin improve?", "No. It fell.", False, "incorrect"),
        (
            "Yes, the margin improved from 6.1% to 7.0%.",
            "Did the margin improve?",
            "The margin was 7.0%.",
            False,
            "no verdict",
        ),
        ("Zeta lends money, so gross margin says little.", "q", "I couldn't find this.", True, "text gold"),
    ],
)
def test_each_answer_gets_one_verdict(gold, question, direct, refused, verdict):
    assert judge(parse_gold(gold, question), direct, refused)["verdict"] == verdict


def test_the_runner_asks_over_the_full_filing_in_both_settings_and_reports_pages_only_filings_apart(
    tmp_path, settings, fake_embedder
):
    folder = _bench_folder(tmp_path)
    report = run_financebench(folder, settings, work=tmp_path / "work", embedder=fake_embedder)
    metrics = report["metrics"]
    assert metrics["questions"] == 3 and metrics["on_evidence_pages_only"] == 1
    assert metrics["store_documents"] == 1 and metrics["store_chunks"] > 50 and metrics["ingest_seconds"] > 0
    rows = {(r["id"], r["setting"]): r for r in report["results"]}
    assert {s for _, s in rows} == {"per-document", "shared"}
    lookup = rows[("q-1", "per-document")]
    assert lookup["filing"] == "pdf" and lookup["verdict"] == "correct", lookup["direct"]
    assert rows[("q-3", "shared")]["filing"] == "pages" and rows[("q-3", "shared")]["document"] == "zeta-2031-10k"
    assert all(r["verdict"] == "text gold" for (i, _), r in rows.items() if i == "q-2")
    assert [t["id"] for t in report["text_golds"]] == ["q-2 (per-document)", "q-2 (shared)"]
    groups = report["categories"]
    assert groups["per-document / full filings / all"]["questions"] == 2
    assert groups["per-document / evidence pages only / all"]["questions"] == 1
    assert any(
        line.startswith("| per-document, GPT-4-Turbo (paper) | 150 | 50.0% | 11.3%") for line in report["comparison"]
    )

    # the filing is described from its own cover page, not from the benchmark's document list
    built = tmp_path / "work" / "financebench-store"
    described = Assistant(store_path=built, embedder=fake_embedder).store.documents()[doc_id(FILING)]
    assert described.doc_type == "10-Q" and "amazon" in described.company.lower()

    # the store is reused as it is: a second run names it, ingests nothing and writes no build record into it
    (built / "financebench-ingest.json").unlink()
    again = run_financebench(folder, settings, store=built, work=tmp_path / "work", embedder=fake_embedder)
    assert again["metrics"]["ingest_seconds"] is None and not (built / "financebench-ingest.json").exists()
    assert again["metrics"]["store_chunks"] == metrics["store_chunks"] and again["metrics"]["store_stale_filings"] == 0
    with pytest.raises(IncompleteStore, match="lacks 1 of the 1 filings"):
        run_financebench(
            folder, settings, store=tmp_path / "empty-store", work=tmp_path / "work", embedder=fake_embedder
        )


@pytest.mark.skipif(not LEAK_TOOL.exists(), reason="../shared (the benchmark and its leak checker) is not present")
def test_no_financebench_wording_in_the_project():
    run = subprocess.run([str(LEAK_TOOL)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and run.stdout.strip().endswith("0 line(s) repeat FinanceBench wording (8-word runs)"), (
        run.stdout[-3000:]
    )
