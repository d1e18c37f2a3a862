"""The chat's HTML, rendered from plain turn records: answers with clickable [n] markers, the work behind a computed
figure, refusals listing where the closest passages are, and the Sources panel. Every document string is escaped.

A turn is what the browser keeps between reloads: {question, answer (an `Answer` as a dict, or None after an
error), error (a message), scope (titles of the documents the search was limited to), suggestions}."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from assistant.contract import phrases
from assistant.contract.types import Answer, Citation, Computation, DocumentInfo
from assistant.text import is_column_header
from ingest.tables import split_row
from ui.export import turn_text

MARKER = re.compile(r"\[(\d+)\]")
CODE = re.compile(r"`([^`]+)`")
SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")  # a Markdown table's header rule
YEAR = re.compile(r"(?:19|20)\d\d")
TOOLTIP_CHARS = 280
GROUP_LABEL_CHARS = 60  # a line this short without figures, between table rows, labels the rows under it


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def attr(text: str) -> str:
    """Text escaped with its line breaks as character references: a chat message is Markdown, and a blank line
    would end its HTML block."""
    return esc(text).replace("\n", "&#10;")


def cite_id(turn: int, n: int) -> str:
    return f"cite-{turn}-{n}"


def where(c: Citation) -> str:
    """'10-K · FY2024 · p. 25 · Item 7' for a citation."""
    section = c.section if len(c.section) <= 90 else c.section[:89].rstrip() + "…"
    parts = [c.doc_type, c.period, f"p. {c.page}" if c.page else "", section]
    return " · ".join(p for p in parts if p)


def marker(turn: int, n: int, citation: Citation | None) -> str:
    """A clickable, hoverable [n] when the citation is known; a plain [n] while the answer is still streaming."""
    if citation is None:
        return f'<span class="cite">[{n}]</span>'
    preview = (citation.quote or citation.text).replace("\n", " ")
    if len(preview) > TOOLTIP_CHARS:
        preview = preview[:TOOLTIP_CHARS].rsplit(" ", 1)[0] + "…"
    tooltip = f"{citation.title} — {preview}"
    return f'<a class="cite" href="#{cite_id(turn, n)}" title="{esc(tooltip)}">[{n}]</a>'


def answer_body(text: str, turn: int, citations: list[Citation]) -> str:
    """Escaped answer text with its [n] markers linked to the passages."""
    by_n = {c.n: c for c in citations}
    body = esc(text).replace("\n", "<br>")
    return MARKER.sub(lambda m: marker(turn, int(m.group(1)), by_n.get(int(m.group(1)))), body)


def quoted_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where each line of the quote stands in the passage."""
    spans = []
    for line in filter(None, (q.strip() for q in (quote or "").split("\n"))):
        start = text.find(line)
        if start >= 0:
            spans.append((start, start + len(line)))
    return spans


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text, escaped, with the given (start, end) spans wrapped in <mark>."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def timings_line(timings: dict[str, float]) -> str:
    """'67 ms · retrieve 55 ms · answer 6 ms' (stages under 1 ms left out), folded away under 'Timing'."""
    parts = [f"{timings.get('total', 0):.0f} ms"]
    parts += [f"{name} {ms:.0f} ms" for name, ms in timings.items() if name != "total" and ms >= 1]
    return f'<details class="timings"><summary>{esc(phrases.UI_TIMING)}</summary>{" · ".join(parts)}</details>'


@dataclass
class _Line:
    start: int
    end: int
    text: str
    kind: str  # 'row' (a label and its figures), 'label', 'rule' or 'text'
    label: str = ""
    cells: tuple[str, ...] = ()


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        label, cells = split_row(raw) if raw.strip() else ("", [])
        stripped = raw.strip()
        if cells and label and not is_column_header(raw) and not all(YEAR.fullmatch(c) for c in cells):
            kind = "row"
        elif SEPARATOR.match(raw):
            kind = "rule"
        elif stripped and not cells and len(stripped) <= GROUP_LABEL_CHARS and not stripped.endswith((".", ",")):
            kind = "label"
        else:
            kind = "text"
        out.append(_Line(pos, pos + len(raw), raw, kind, label, tuple(cells)))
        pos += len(raw) + 1
    return out


def source_html(
    text: str, spans: list[tuple[int, int]], columns: list[str] | None = None, first_table: bool = True
) -> str:
    """A passage (or a section) escaped, its quoted spans marked; its table rows, a label and its figures, laid
    out as tables, the quoted rows marked. The column headings, when known, head the table that holds the quote
    (or, with `first_table` and no quote, the first table)."""
    lines = _lines(text)
    out, i, headed = [], 0, not columns
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].kind in ("row", "label", "rule"):
            j += 1
        while j > i and lines[j - 1].kind != "row":
            j -= 1
        if sum(line.kind == "row" for line in lines[i:j]) >= 2:
            block = lines[i:j]
            quoted = any(a < block[-1].end and b > block[0].start for a, b in spans)
            head = not headed and (quoted or first_table and not spans)
            headed = headed or head
            out.append(_table(block, spans, columns if head else None))
            i = j
            continue
        k = i + 1
        while k < len(lines) and lines[k].kind != "row" and not _starts_table(lines, k):
            k += 1
        start, end = lines[i].start, lines[k - 1].end
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
        out.append(f'<div class="src-text">{marked(text[start:end], inside)}</div>')
        i = k
    return "".join(out)


def _starts_table(lines: list[_Line], i: int) -> bool:
    j = i
    while j < len(lines) and lines[j].kind in ("row", "label", "rule"):
        j += 1
    return sum(line.kind == "row" for line in lines[i:j]) >= 2 and lines[i].kind != "text"


def _table(lines: list[_Line], spans: list[tuple[int, int]], columns: list[str] | None) -> str:
    counts = Counter(len(line.cells) for line in lines if line.kind == "row")
    several = [(n, c) for c, n in counts.items() if c >= 2]  # a row of one cell is often cells run together
    width = max(several)[1] if several else max(counts)
    hit = [any(a < line.end and b > line.start for a, b in spans) for line in lines]
    body = []
    for line, marked_row in zip(lines, hit):
        mark = ' class="marked"' if marked_row else ""
        if line.kind == "rule":
            continue
        if line.kind == "label":
            body.append(f'<tr class="group"><th colspan="{width + 1}"{mark}>{esc(line.text.strip())}</th></tr>')
        elif len(line.cells) >= width:
            label = " ".join([line.label, *line.cells[: len(line.cells) - width]])
            cells = "".join(f'<td class="num">{esc(c)}</td>' for c in line.cells[len(line.cells) - width :])
            body.append(f'<tr{mark}><th scope="row">{esc(label)}</th>{cells}</tr>')
        else:  # fewer figures than columns: cells the source ran together, shown as printed
            body.append(
                f'<tr{mark}><th scope="row">{esc(line.label)}</th><td class="num glued" colspan="{width}" '
                f'title="{esc(phrases.UI_CELLS_RUN_TOGETHER)}">{esc(" ".join(line.cells))}</td></tr>'
            )
    head = ""
    if columns and len(columns) == width:
        head = "<thead><tr><th></th>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr></thead>"
    return f'<div class="src-table"><table>{head}<tbody>{"".join(body)}</tbody></table></div>'


def computation_table(computation: Computation, turn: int, citations: list[Citation]) -> str:
    """The formula, each operand with its period and [n], and the result, as a small table."""
    by_n = {c.n: c for c in citations}
    rows = "".join(
        f'<tr><td>{esc(o.label)}</td><td class="period">{esc(o.period)}</td>'
        f'<td class="num">{esc(o.text)}</td><td>{marker(turn, o.citation, by_n.get(o.citation))}</td></tr>'
        for o in computation.operands
    )
    return (
        f'<div class="table-scroll"><table class="computation"><caption>{esc(phrases.HOW_COMPUTED)}: '
        f"<code>{esc(computation.formula)}</code></caption><thead><tr><th>{esc(phrases.UI_INPUT)}</th>"
        f"<th>{esc(phrases.UI_PERIOD)}</th><th>{esc(phrases.UI_VALUE)}</th><th>{esc(phrases.UI_SOURCE)}</th></tr>"
        f'</thead><tbody>{rows}<tr class="result"><td colspan="2">{esc(phrases.UI_RESULT)}</td>'
        f'<td class="num">{esc(computation.result_text)}</td><td></td></tr></tbody></table></div>'
    )


def refusal_sources(turn: int, citations: list[Citation]) -> str:
    """The closest passages grouped by document (the answer lists a document's passages together): each title
    once, with the page or section of every passage."""
    items = []
    for title, group in groupby(citations, key=lambda c: c.title):
        places = "".join(f"<li>{marker(turn, c.n, c)} {esc(where_in(c))}</li>" for c in group)
        items.append(f'<li><span class="doc-title">{esc(title)}</span><ul>{places}</ul></li>')
    return f"<p>{esc(phrases.CLOSEST_PASSAGES)}</p><ol>{''.join(items)}</ol>" if items else ""


def where_in(c: Citation) -> str:
    """'p. 27 · Item 7' (or the section alone) for a passage within its document."""
    section = c.section if len(c.section) <= 70 else c.section[:69].rstrip() + "…"
    return " · ".join(p for p in (f"p. {c.page}" if c.page else "", section) if p) or phrases.UI_WHOLE_DOCUMENT


def reply_html(turn: dict, number: int, latest: bool = False) -> str:
    """The finished chat reply of a turn. One HTML block without blank lines, so Markdown leaves it alone."""
    if turn["answer"] is None:
        return error_html(turn["error"])
    answer = Answer.from_dict(turn["answer"])
    extra = ""
    if turn.get("scope"):
        extra += f'<div class="scope">{esc(phrases.UI_SCOPED.format(titles="; ".join(turn["scope"])))}</div>'
    if answer.resolved_question:
        resolved = phrases.RESOLVED_QUESTION.format(question=answer.resolved_question)
        extra += f'<div class="resolved">{esc(resolved)}</div>'
    if answer.notice and not answer.refused:
        extra += f'<div class="notice">{esc(answer.notice)}</div>'
    extra += timings_line(answer.timings)
    # The chat's sanitizer drops data attributes: what Copy copies rides in the button's value.
    actions = (
        f'<div class="reply-actions"><button class="copy-answer" type="button" value="{attr(turn_text(turn))}">'
        f"{esc(phrases.UI_COPY)}</button></div>"
    )
    if latest and turn.get("suggestions"):
        buttons = "".join(f'<button class="suggestion" type="button">{esc(s)}</button>' for s in turn["suggestions"])
        actions += f'<div class="suggestions"><span>{esc(phrases.UI_SUGGESTIONS)}</span>{buttons}</div>'
    if answer.refused:
        note = f'<p class="refusal-note">{esc(answer.notice)}</p>' if answer.notice else ""
        return (
            f'<div class="reply refusal"><p class="refusal-title">{esc(phrases.CANNOT_ANSWER)}</p>{note}'
            f"{refusal_sources(number, answer.citations)}{extra}{actions}</div>"
        )
    from ui.charts import chart_html

    work = "".join(computation_table(c, number, answer.citations) for c in answer.computations)
    return (
        f'<div class="reply answer"><p>{answer_body(answer.text, number, answer.citations)}</p>{work}'
        f"{chart_html(answer, number)}{extra}{actions}</div>"
    )


def streaming_html(partial: str, turn: int) -> str:
    return f'<div class="reply answer streaming"><p>{answer_body(partial, turn, [])} ▍</p></div>'


def thinking_html() -> str:
    return f'<div class="reply thinking"><span class="spinner"></span>{esc(phrases.UI_SEARCHING)}</div>'


def error_html(message: str) -> str:
    """A friendly error reply; `command` spans in the message show as code."""
    text = CODE.sub(r"<code>\1</code>", esc(message))
    return f'<div class="reply error-box">{text}</div>'


def passage_html(turn: int, c: Citation) -> str:
    """One passage in the Sources panel; its data attributes tell the viewer where it stands in the original."""
    kind = "supported" if c.supported else "closest"
    return (
        f'<li id="{cite_id(turn, c.n)}" class="passage {kind}" data-doc="{esc(c.doc_id)}" '
        f'data-page="{c.page or ""}" data-n="{c.n}" data-title="{esc(c.title)}" data-section="{esc(c.section)}" '
        f'data-quote="{esc(c.quote or c.text)}" data-columns="{esc(json.dumps(c.columns))}">'
        f'<div class="passage-head"><span class="passage-num">[{c.n}]</span>{esc(c.title)}</div>'
        f'<div class="passage-meta">{esc(where(c))}</div>'
        f"<blockquote>{source_html(c.text, quoted_spans(c.text, c.quote), c.columns)}</blockquote></li>"
    )


def sources_html(turns: list[dict]) -> str:
    """Every answer's passages, newest answer first and open; older answers collapsed."""
    groups = []
    for number, t in reversed(list(enumerate(turns, start=1))):
        if not t["answer"] or not t["answer"]["citations"]:
            continue
        answer = Answer.from_dict(t["answer"])
        kind = phrases.CLOSEST_PASSAGES.rstrip(":") if answer.refused else phrases.UI_SOURCES
        open_attr = " open" if not groups else ""
        groups.append(
            f'<details class="turn"{open_attr}><summary>{esc(t["question"][:120])} '
            f'<span class="summary-kind">· {esc(kind)}</span></summary>'
            f"<ol>{''.join(passage_html(number, c) for c in answer.citations)}</ol></details>"
        )
    return "".join(groups) or f'<p class="muted">{esc(phrases.UI_SOURCES_EMPTY)}</p>'


def chat_messages(turns: list[dict], pending: str | None = None) -> list[dict]:
    """The chat as messages; `pending` is the reply HTML of the turn still being answered (the last one)."""
    messages = []
    for number, t in enumerate(turns, start=1):
        messages.append({"role": "user", "content": f'<div class="ask">{esc(t["question"])}</div>'})
        last = number == len(turns)
        reply = pending if last and pending is not None else reply_html(t, number, latest=last)
        messages.append({"role": "assistant", "content": reply})
    return messages


def documents_table(docs: list[DocumentInfo]) -> str:
    rows = "".join(
        f'<tr><td>{esc(d.title)}<span class="doc-id">{esc(d.doc_id)}</span></td><td>{esc(d.doc_type)}</td>'
        f'<td class="period">{esc(d.period)}</td><td class="num">{d.chunks}</td></tr>'
        for d in docs
    )
    if not rows:
        return f'<p class="muted">{esc(phrases.UI_NO_DOCUMENTS)}</p>'
    return (
        '<div class="docs-table"><table><thead><tr><th>Document</th><th>Type</th><th class="period">Period</th>'
        f"<th>Chunks</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def examples_html(questions: list[str]) -> str:
    """Example questions as buttons that ask them, each shown whole."""
    if not questions:
        return ""
    buttons = "".join(f'<button class="example" type="button">{esc(q)}</button>' for q in questions)
    return f'<div class="examples"><span>{esc(phrases.UI_EXAMPLES)}</span>{buttons}</div>'
