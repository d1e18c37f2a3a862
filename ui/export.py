"""An answer as text people can paste (Copy) and the whole conversation as a Markdown file (Export): the answer
with its [n] markers, the work behind computed figures, the charted figures, and the numbered sources with title,
page, section and quote."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from assistant.contract import phrases
from assistant.contract.types import Answer, Citation

EXPORT_DIR = Path(tempfile.gettempdir()) / "qa-exports"
EXPORT_MAX_AGE_S = 3600  # older export files are removed when a new one is written


def source_label(c: Citation) -> str:
    """'Acme Corp. Form 10-K, fiscal year 2024, p. 27, Item 7'."""
    return ", ".join(p for p in (c.title, f"p. {c.page}" if c.page else "", c.section) if p)


def turn_text(turn: dict) -> str:
    """One answer as plain text: the answer, how computed figures were computed, and its numbered sources."""
    if turn["answer"] is None:
        return turn["error"]
    answer = Answer.from_dict(turn["answer"])
    lines = [answer.text]  # a refusal's text says what the documents do give
    for c in answer.computations:
        lines += ["", f"{phrases.HOW_COMPUTED}: {c.formula}"]
        lines += [f"  {o.label} ({o.period}): {o.text} [{o.citation}]" for o in c.operands]
        lines.append(f"  = {c.result_text}")
    for s in answer.series:
        lines += ["", f"{s.label}:"] + [f"  {p.x}: {p.text} [{p.citation}]" for p in s.points]
    if answer.citations:
        lines += ["", phrases.CLOSEST_PASSAGES if answer.refused else f"{phrases.UI_SOURCES}:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {source_label(c)}")
            lines.append(f"    “{_one_line(c.quote or c.text)}”")
    return "\n".join(lines)


def conversation_markdown(turns: list[dict], now: datetime | None = None) -> str:
    """The conversation as Markdown: each question as a heading, its answer, computations, figures and sources."""
    now = now or datetime.now()
    parts = [f"# {phrases.UI_EXPORT_TITLE}", "", phrases.UI_EXPORTED.format(when=now.strftime("%Y-%m-%d %H:%M")), ""]
    for t in turns:
        parts += [f"## {_one_line(t['question'])}", ""]
        if t["answer"] is None:
            parts += [f"> {t['error']}", ""]
            continue
        answer = Answer.from_dict(t["answer"])
        if t.get("scope"):
            parts += [f"*{phrases.UI_SCOPED.format(titles='; '.join(t['scope']))}*", ""]
        if answer.resolved_question:
            parts += [f"*{phrases.RESOLVED_QUESTION.format(question=answer.resolved_question)}*", ""]
        parts += [answer.text.replace("\n", "  \n"), ""]
        for c in answer.computations:
            parts += [
                f"**{phrases.HOW_COMPUTED}:** `{c.formula}`",
                "",
                f"| {phrases.UI_INPUT} | {phrases.UI_PERIOD} | {phrases.UI_VALUE} | {phrases.UI_SOURCE} |",
                "|---|---|---|---|",
            ]
            parts += [
                f"| {_cell(o.label)} | {_cell(o.period)} | {_cell(o.text)} | [{o.citation}] |" for o in c.operands
            ]
            parts += [f"| **{phrases.UI_RESULT}** | | **{_cell(c.result_text)}** | |", ""]
        for s in answer.series:
            parts += [
                f"**{_cell(s.label)}**",
                "",
                f"| {phrases.UI_PERIOD} | {phrases.UI_VALUE} | {phrases.UI_SOURCE} |",
                "|---|---|---|",
            ]
            parts += [f"| {_cell(p.x)} | {_cell(p.text)} | [{p.citation}] |" for p in s.points] + [""]
        if answer.citations:
            parts += [f"**{phrases.CLOSEST_PASSAGES if answer.refused else phrases.UI_SOURCES}**", ""]
            for c in answer.citations:
                parts += [
                    f"{c.n}. **{c.title}**"
                    + "".join(f", {x}" for x in (f"p. {c.page}" if c.page else "", c.section) if x),
                    f"   > {_one_line(c.quote or c.text)}",
                ]
            parts.append("")
    return "\n".join(parts)


def write_export(turns: list[dict]) -> Path:
    """The conversation written to a fresh Markdown file for download (older export files are swept)."""
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for old in EXPORT_DIR.iterdir():
        if old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    folder = EXPORT_DIR / uuid.uuid4().hex
    folder.mkdir()
    now = datetime.now()
    path = folder / f"conversation-{now.strftime('%Y-%m-%d-%H%M')}.md"
    path.write_text(conversation_markdown(turns, now), encoding="utf-8")
    return path


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")
