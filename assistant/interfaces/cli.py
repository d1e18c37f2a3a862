"""`qa` command line: ingest, ask, docs, facts, delete, serve, eval. Heavy libraries load only in the commands that use them."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.contract import phrases
from assistant.contract.errors import QAError


def _settings(args):
    from assistant.config import Settings

    overrides = {}
    if getattr(args, "store", None):
        overrides["store_path"] = Path(args.store)
    return Settings.from_env(**overrides)


def _assistant(args):
    from assistant.core import Assistant

    return Assistant(settings=_settings(args))


def cmd_ingest(args) -> int:
    qa = _assistant(args)
    print(f"store: {qa.settings.store.chroma_url or qa.settings.store.path}", file=sys.stderr)
    report = qa.ingest(args.paths or None, prune=args.prune, show_progress=not args.json and sys.stderr.isatty())
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for problem in report.problems:
            print(f"skipped {problem.path}: {problem.error}", file=sys.stderr)
        for doc_id in report.pruned_documents:
            print(f"pruned {doc_id}", file=sys.stderr)
        print(
            f"chunks: {report.chunks_before} before, {report.chunks_after} after "
            f"(+{report.added_chunks} added, -{report.removed_chunks} removed)"
        )
        print(
            f"ingested {report.documents} documents ({report.unchanged_documents} unchanged), "
            f"{report.added_chunks} chunks embedded in {report.seconds:.1f} s "
            f"({report.chunks_per_second:.1f} chunks/s)"
        )
    return 1 if report.problems else 0


def cmd_ask(args) -> int:
    qa = _assistant(args)
    answer = qa.ask(args.question, k=args.k, doc_ids=args.doc or None)
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(answer.text)
    for c in answer.computations:
        print(f"\n{phrases.HOW_COMPUTED}: {c.formula}")
        _print_rows(
            [(f"{o.label} ({o.period})", o.text, f"[{o.citation}]") for o in c.operands] + [("=", c.result_text, "")]
        )
    for s in answer.series:
        print(f"\n{s.label}:")
        _print_rows([(p.x, p.text, f"[{p.citation}]") for p in s.points])
    if answer.resolved_question:
        print(phrases.RESOLVED_QUESTION.format(question=answer.resolved_question))
    if answer.citations:
        print()
        print(phrases.CLOSEST_PASSAGES if answer.refused else "Sources:")
    for c in answer.citations:
        where = ", ".join(x for x in (c.title, f"p. {c.page}" if c.page else "", c.section[:70]) if x)
        print(f"  [{c.n}] {where}")
        print(f'      "{(c.quote or c.text)[:300]}"')
    total = answer.timings.get("total", 0.0)
    print(f"\n({total:.0f} ms)", file=sys.stderr)
    return 0


def _print_rows(rows: list[tuple[str, str, str]]) -> None:
    """Aligned 'label  value  [n]' lines under a computation or a series."""
    width, value_width = max(len(r[0]) for r in rows), max(len(r[1]) for r in rows)
    for label, value, cited in rows:
        print(f"  {label:<{width}}  {value:>{value_width}}  {cited}".rstrip())


def cmd_docs(args) -> int:
    docs = _assistant(args).documents()
    if args.json:
        print(json.dumps([asdict(d) for d in docs], indent=2))
        return 0
    if not docs:
        print(phrases.STORE_EMPTY)
        return 0
    width = max(len(d.doc_id) for d in docs)
    for d in docs:
        print(f"{d.doc_id:<{width}}  {d.chunks:>5} chunks  {d.doc_type:<16} {d.period:<38} {d.title}")
    print(f"{len(docs)} documents, {sum(d.chunks for d in docs)} chunks")
    return 0


def cmd_facts(args) -> int:
    """The facts read from the documents at ingest: what the assistant can look up and compute from."""
    from assistant.finance.figures import format_amount
    from assistant.finance.periods import Period

    qa = _assistant(args)
    facts = qa.facts(doc_id=args.doc, company=args.company, concept=args.concept)
    if args.json:
        print(json.dumps([asdict(f) for f in facts], indent=2, ensure_ascii=False))
        return 0
    if not facts:
        print(phrases.NO_FACTS)
        return 0

    def value(f) -> str:
        if f.unit == "percent":
            return f"{f.value:g}%"
        if f.unit == "count" or "/" in f.unit:
            return f"{f.value:,g} {f.unit}"
        return format_amount(f.value, f.unit, f.scale if f.scale > 1 else None)

    calendars = qa.registry().calendars
    rows = [
        (
            f.doc_id,
            f.company + (f" / {f.segment}" if f.segment else ""),
            f.concept,
            Period.from_key(f.period).label(calendars.get(f.company)),
            f.measure,
            value(f),
            f.source,
        )
        for f in facts
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"{len(facts)} facts")
    return 0


def cmd_delete(args) -> int:
    removed = _assistant(args).delete_document(args.doc_id)
    print(f"deleted {args.doc_id} ({removed} chunks)")
    return 0


def cmd_serve(args) -> int:
    from assistant.interfaces.server import serve

    serve(_settings(args), host=args.host, port=args.port, ingest_if_empty=args.ingest_if_empty)
    return 0


def cmd_eval(args) -> int:
    from assistant.evaluation.cli import run_eval

    return run_eval(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Document-grounded question answering with citations.")
    parser.add_argument("--store", help="store folder (default: QA_STORE_PATH or data/store)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files or folders (default: the bundled corpus)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_ingest)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    p.add_argument("-k", type=int, default=None, help="passages to retrieve")
    p.add_argument("--doc", action="append", help="restrict to this document id (repeatable)")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.set_defaults(fn=cmd_ask)

    p = sub.add_parser("docs", help="list ingested documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_docs)

    p = sub.add_parser("facts", help="list the facts read from the documents (figures by company, metric, period)")
    p.add_argument("--doc", help="only this document id")
    p.add_argument("--company", help="only this company (any of its names)")
    p.add_argument("--concept", help="only this metric: a key such as operating_income, or a line item's label")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_facts)

    p = sub.add_parser("delete", help="delete a document and its chunks")
    p.add_argument("doc_id")
    p.set_defaults(fn=cmd_delete)

    p = sub.add_parser("serve", help="serve the chat UI at / and the JSON API at /api")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument(
        "--ingest-if-empty", action="store_true", help="ingest the bundled corpus first if the store is empty"
    )
    p.set_defaults(fn=cmd_serve)

    p = sub.add_parser("eval", help="evaluate on a question set (or FinanceBench)")
    p.add_argument("questions", nargs="?", type=Path)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--out", type=Path, default=Path("eval-out"))
    p.add_argument("--financebench", type=Path, help="FinanceBench folder (questions, document info, pdfs/)")
    p.add_argument(
        "--store",
        default=argparse.SUPPRESS,
        help="the store to use (with --financebench: an existing store of every filing, reused as it is)",
    )
    p.add_argument("--limit", type=int, default=None, help="only the first N questions")
    p.add_argument("--split", help="only the questions of this split (e.g. dev)")
    p.add_argument("--thresholds", type=Path, help="fail (exit 1) if a metric falls below these minimums")
    p.set_defaults(fn=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    from assistant.config import apply_offline_env

    apply_offline_env()
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except QAError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
