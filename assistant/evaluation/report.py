"""Write an evaluation as report.json, report.md and a self-contained report.html with inline SVG plots."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

DEFINITIONS = """Definitions (the strict scorer, docs/evaluation.md). The direct answer is the one-line answer that
leads the reply. Figures are compared as numbers with their scale, currency and sign ($45.6 billion = $45,606 million;
34 is not $34.0 billion; a loss of $2.7 billion is not $2.7 billion). A direct answer is right when it states every
key fact (in its own words, or as an operand of the computation whose result is a key fact), no listed `wrong`
figure, and no figure of the asked kind that is neither a key fact, nor a figure of the reference answer, nor
arithmetic on two key facts. accuracy: right answers to answerable questions plus refusals of unanswerable ones,
over all questions. direct_accuracy: right answers over answerable questions. key_fact_accuracy: key facts anywhere
in the reply. wrong_answers: answers given (not refused, no error) that are not right, answerable or not;
wrong_answer_rate: over all questions. citation_recall: claim sentences (quote lines are evidence, not claims;
a bare yes/no is not scored) whose cited spans hold every figure (or the operands of the answer's computation that
gives it), every year and quarter (in the span or its table's headers) and every other name (there or in the
document's title), over the claim sentences of answered questions. citation_precision: citations that support
their sentence alone or are needed for it (ALCE). A question that raised is an error: it fails every metric and
is listed apart."""


def fmt(name: str, value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if name.endswith(("_ms", "seconds")) else f"{value:.3f}"
    return str(value)


def write_reports(report: dict[str, Any], out: Path, title: str) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    paths["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["md"].write_text(markdown(report, title), encoding="utf-8")
    paths["html"].write_text(html_report(report, title), encoding="utf-8")
    return paths


def markdown(report: dict[str, Any], title: str) -> str:
    lines = [f"# {title}", ""]
    if report.get("meta"):
        lines += [", ".join(f"{k}: {v}" for k, v in report["meta"].items()), ""]
    lines += [report.get("definitions", DEFINITIONS), ""]
    if report.get("store"):
        lines += [report["store"], ""]
    if report.get("comparison"):
        lines += ["## Beside the paper", "", *report["comparison"], ""]
    lines += ["## Headline", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {fmt(k, v)} |" for k, v in report["metrics"].items()]
    if report.get("latency_ms"):
        lines += ["", "## Latency (ms)", "", "| stage | p50 | p95 |", "|---|---|---|"]
        lines += [f"| {s} | {v['p50']} | {v['p95']} |" for s, v in report["latency_ms"].items()]
    cats = report.get("categories", {})
    if cats:
        cols = [c for c in next(iter(cats.values())) if c not in ("answerable", "unanswerable")]
        lines += ["", "## Per category", "", "| category | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
        for name, m in cats.items():
            lines.append(f"| {name} | " + " | ".join(fmt(c, m[c]) for c in cols) + " |")
    for heading, rows in _sections(report):
        lines += ["", f"## {heading} ({len(rows)})", ""]
        lines += _cases(rows)
    return "\n".join(lines) + "\n"


def _sections(report: dict[str, Any]) -> list[tuple[str, list[dict]]]:
    """Errors, then every wrong answer (an answer given that is not right), then the other failures (refusals)."""
    wrong = report.get("wrong_answers", [])
    listed = {w["id"] for w in wrong}
    sections = [
        ("Errors", report.get("errors", [])),
        ("Wrong answers", wrong),
        ("Other failures", [f for f in report.get("failures", []) if f["id"] not in listed]),
    ]
    if "text_golds" in report:
        sections.append(("Text golds, not scored (the answer beside the gold)", report["text_golds"]))
    return sections


def _cases(rows: list[dict]) -> list[str]:
    lines = []
    for f in rows:
        lines += [
            f"### {f['id']} ({f['category']}): {f.get('reason', '')}",
            "",
            f"- question: {f['question']}",
            f"- expected: {f.get('expected', '')}",
            f"- direct: {f.get('direct', '')[:300]}",
            f"- answer: {f.get('answer', '')[:600]}",
        ]
        for c in f.get("citations", [])[:3]:
            lines.append(f"- cited [{c['n']}] {c['doc_id']} p.{c.get('page')}: {c.get('quote', '')[:200]!r}")
        lines.append("")
    return lines


def _bars(values: dict[str, float], width: int = 640, bar_h: int = 20) -> str:
    """Horizontal bar chart (values 0..1) as inline SVG."""
    label_w, gap = 190, 6
    height = (bar_h + gap) * len(values) + gap
    rows = []
    for i, (name, value) in enumerate(values.items()):
        y = gap + i * (bar_h + gap)
        w = max(0.0, min(1.0, value)) * (width - label_w - 60)
        rows.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#3b6fb6"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7}">{value:.2f}</text>'
        )
    return (
        f'<svg width="{width}" height="{height}" font-family="sans-serif" font-size="12" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def _histogram(values: list[float], width: int = 640, height: int = 180, bins: int = 20) -> str:
    """Histogram of latencies (ms) as inline SVG."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    top = max(counts)
    bw = (width - 40) / bins
    bars = []
    for i, c in enumerate(counts):
        h = (height - 40) * c / top
        bars.append(
            f'<rect x="{30 + i * bw:.1f}" y="{height - 20 - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" '
            f'fill="#c0702a"><title>{lo + i * span / bins:.0f}-{lo + (i + 1) * span / bins:.0f} ms: {c}'
            f"</title></rect>"
        )
    return (
        f'<svg width="{width}" height="{height}" font-family="sans-serif" font-size="11" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}'
        f'<text x="30" y="{height - 4}">{lo:.0f} ms</text>'
        f'<text x="{width - 10}" y="{height - 4}" text-anchor="end">{hi:.0f} ms</text></svg>'
    )


def html_report(report: dict[str, Any], title: str) -> str:
    esc = html.escape
    metrics = report["metrics"]
    headline = {
        k: v for k, v in metrics.items() if isinstance(v, float) and not k.endswith(("_ms", "seconds")) and 0 <= v <= 1
    }
    cats = report.get("categories", {})
    cat_acc = {name: m.get("accuracy", 0.0) for name, m in cats.items()}
    totals = [r["timings"].get("total", 0.0) for r in report.get("results", []) if r.get("timings")]
    cases = "".join(
        f"<h2>{esc(heading)} ({len(items)})</h2>"
        + "".join(
            f"<details><summary><b>{esc(f['id'])}</b> ({esc(f['category'])}) {esc(f.get('reason', ''))}</summary>"
            f"<p><b>Q:</b> {esc(f['question'])}<br><b>Expected:</b> {esc(str(f.get('expected', '')))}<br>"
            f"<b>Direct:</b> {esc(f.get('direct', '')[:300])}<br>"
            f"<b>Answer:</b> {esc(f.get('answer', '')[:800])}</p><ul>"
            + "".join(
                f"<li>[{c['n']}] {esc(c['doc_id'])} p.{c.get('page')}: {esc(c.get('quote', '')[:300])}</li>"
                for c in f.get("citations", [])[:5]
            )
            + "</ul></details>"
            for f in items
        )
        for heading, items in _sections(report)
    )
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(fmt(k, v))}</td></tr>" for k, v in metrics.items())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td{{border:1px solid #ccc;padding:2px 8px}}details{{margin:.4em 0}}</style>
</head><body><h1>{esc(title)}</h1>
<p>{esc(", ".join(f"{k}: {v}" for k, v in report.get("meta", {}).items()))}</p>
<p>{esc(report.get("definitions", DEFINITIONS))}</p><p>{esc(report.get("store", ""))}</p>
<pre>{esc(chr(10).join(report.get("comparison", [])))}</pre>
<h2>Headline metrics</h2>{_bars(headline)}<table>{rows}</table>
<h2>Accuracy by category</h2>{_bars(cat_acc)}
<h2>Answer latency (total, ms)</h2>{_histogram(totals)}
{cases}
</body></html>"""
