"""The chat's HTML, rendered from plain turn records: answers with clickable [n] markers, the work behind a computed
figure, refusals listing where the closest passages are, and the Sources panel. Every document string is escaped.

A turn is what the browser keeps between reloads: {question, answer (an `Answer` as a dict, or None after an
error), error (a message), scope (titles of the documents the search was limited to), suggestions}."""

from __future__ import annotations

import html
import re
from itertools import groupby

from assistant.contract import phrases
from assistant.contract.types import Answer, Citation, Computation, DocumentInfo
from ui.export import turn_text

MARKER = re.compile(r"\[(\d+)\]")
CODE = re.compile(r"`([^`]+)`")
TOOLTIP_CHARS = 280


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


def highlighted(text: str, quote: str) -> str:
    """The passage, escaped, with each quoted line wrapped in <mark>."""
    spans = []
    for line in filter(None, (q.strip() for q in (quote or "").split("\n"))):
        start = text.find(line)
        if start >= 0:
            spans.append((start, start + len(line)))
    return marked(text, spans)


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
    """'67 ms · retrieve 55 ms · answer 6 ms' (stages under 1 ms left out)."""
    parts = [f"{timings.get('total', 0):.0f} ms"]
    parts += [f"{name} {ms:.0f} ms" for name, ms in timings.items() if name != "total" and ms >= 1]
    return f'<div class="timings">{" · ".join(parts)}</div>'


def computation_table(computation: Computation, turn: int, citations: list[Citation]) -> str:
    """The formula, each operand with its period and [n], and the result, as a small table."""
    by_n = {c.n: c for c in citations}
    rows = "".join(f"<tr><td>{esc(o.label)}</td><td>{esc(o.period)}</td><td class=\"num\">{esc(o.text)}</td>"
                   f"<td>{marker(turn, o.citation, by_n.get(o.citation))}</td></tr>" for o in computation.operands)
    return (f'<table class="computation"><caption>{esc(phrases.HOW_COMPUTED)}: <code>{esc(computation.formula)}</code>'
            f"</caption><thead><tr><th>{esc(phrases.UI_INPUT)}</th><th>{esc(phrases.UI_PERIOD)}</th>"
            f"<th>{esc(phrases.UI_VALUE)}</th><th>{esc(phrases.UI_SOURCE)}</th></tr></thead><tbody>{rows}"
            f'<tr class="result"><td colspan="2">{esc(phrases.UI_RESULT)}</td>'
            f'<td class="num">{esc(computation.result_text)}</td><td></td></tr></tbody></table>')


def refusal_sources(turn: int, citations: list[Citation]) -> str:
    """The closest passages grouped by document: each title once, with the page or section of every passage."""
    items = []
    for title, group in groupby(sorted(citations, key=lambda c: (c.title, c.n)), key=lambda c: c.title):
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
    if answer.notice:
        extra += f'<div class="notice">{esc(answer.notice)}</div>'
    extra += timings_line(answer.timings)
    # The chat's sanitizer drops data attributes: what Copy copies rides in the button's value.
    actions = (f'<div class="reply-actions"><button class="copy-answer" type="button" value="{attr(turn_text(turn))}">'
               f"{esc(phrases.UI_COPY)}</button></div>")
    if latest and turn.get("suggestions"):
        buttons = "".join(f'<button class="suggestion" type="button">{esc(s)}</button>' for s in turn["suggestions"])
        actions += f'<div class="suggestions"><span>{esc(phrases.UI_SUGGESTIONS)}</span>{buttons}</div>'
    if answer.refused:
        return (f'<div class="reply refusal"><p class="refusal-title">{esc(phrases.CANNOT_ANSWER)}</p>'
                f"{refusal_sources(number, answer.citations)}{extra}{actions}</div>")
    work = "".join(computation_table(c, number, answer.citations) for c in answer.computations)
    chart = f'<div class="chart-note">{esc(phrases.UI_CHART_BELOW)}</div>' if answer.series and latest else ""
    return (f'<div class="reply answer"><p>{answer_body(answer.text, number, answer.citations)}</p>{work}{chart}'
            f"{extra}{actions}</div>")


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
    return (f'<li id="{cite_id(turn, c.n)}" class="passage {kind}" data-doc="{esc(c.doc_id)}" '
            f'data-page="{c.page or ""}" data-n="{c.n}" data-title="{esc(c.title)}" data-section="{esc(c.section)}" '
            f'data-quote="{esc(c.quote or c.text)}">'
            f'<div class="passage-head"><span class="passage-num">[{c.n}]</span>{esc(c.title)}</div>'
            f'<div class="passage-meta">{esc(where(c))}</div>'
            f"<blockquote>{highlighted(c.text, c.quote)}</blockquote></li>")


def sources_html(turns: list[dict]) -> str:
    """Every answer's passages, newest answer first and open; older answers collapsed."""
    groups = []
    for number, t in reversed(list(enumerate(turns, start=1))):
        if not t["answer"] or not t["answer"]["citations"]:
            continue
        answer = Answer.from_dict(t["answer"])
        kind = phrases.CLOSEST_PASSAGES.rstrip(":") if answer.refused else phrases.UI_SOURCES
        open_attr = " open" if not groups else ""
        groups.append(f'<details class="turn"{open_attr}><summary>{esc(t["question"][:120])} '
                      f'<span class="summary-kind">· {esc(kind)}</span></summary>'
                      f'<ol>{"".join(passage_html(number, c) for c in answer.citations)}</ol></details>')
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
    rows = "".join(f'<tr><td>{esc(d.title)}<span class="doc-id">{esc(d.doc_id)}</span></td><td>{esc(d.doc_type)}</td>'
                   f'<td class="period">{esc(d.period)}</td><td class="num">{d.chunks}</td></tr>' for d in docs)
    if not rows:
        return f'<p class="muted">{esc(phrases.UI_NO_DOCUMENTS)}</p>'
    return ('<div class="docs-table"><table><thead><tr><th>Document</th><th>Type</th><th class="period">Period</th>'
            f'<th>Chunks</th></tr></thead><tbody>{rows}</tbody></table></div>')
