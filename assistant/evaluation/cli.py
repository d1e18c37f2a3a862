"""`qa eval`: run a question set (or FinanceBench) and write report.json / report.md / report.html."""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import datetime, UTC
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.contract.errors import StoreEmpty


def run_eval(args, settings) -> int:
    from assistant.core import Assistant
    from assistant.evaluation.report import write_reports
    from assistant.evaluation.runner import check_thresholds, evaluate, load_questions, missing_documents

    started = time.perf_counter()
    progress = _progress if sys.stderr.isatty() else None
    if args.financebench:
        from assistant.evaluation.financebench import IncompleteStore, run_financebench

        try:
            report = run_financebench(
                args.financebench,
                settings,
                k=args.k,
                limit=args.limit,
                progress=progress,
                questions_file=args.questions,
                store=Path(args.store) if args.store else None,
            )
        except IncompleteStore as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        title = "FinanceBench evaluation (development benchmark)"
    else:
        qa = Assistant(settings=settings)
        try:
            empty = qa.chunk_count() == 0
        except StoreEmpty:
            empty = True
        if empty:
            print("store is empty: ingesting the default corpus first", file=sys.stderr)
            qa.ingest()
        questions = load_questions(args.questions or PROJECT_ROOT / "corpus" / "questions.jsonl")
        if args.split:
            questions = [q for q in questions if q.split == args.split]
        if args.limit:
            questions = questions[: args.limit]
        missing = missing_documents(questions, {d.doc_id for d in qa.documents()})
        if missing:
            print(
                f"error: the store lacks {len(missing)} document(s) the questions cite ({', '.join(missing[:8])}"
                f"{' ...' if len(missing) > 8 else ''}); ingest them or pass --store",
                file=sys.stderr,
            )
            return 2
        report = evaluate(qa, questions, k=args.k, progress=progress)
        title = "Question-set evaluation"
    report["meta"] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "k": args.k,
        "seconds": round(time.perf_counter() - started, 1),
        "python": platform.python_version(),
        "answerer": settings.answering.answerer,
    }
    paths = write_reports(report, args.out, title)
    for name, value in report["metrics"].items():
        print(f"{name:>22}: {value:.3f}" if isinstance(value, float) else f"{name:>22}: {value}")
    print(f"reports: {', '.join(str(p) for p in paths.values())}")
    if args.thresholds:
        problems = check_thresholds(report["metrics"], json.loads(Path(args.thresholds).read_text()))
        for problem in problems:
            print(f"REGRESSION: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
