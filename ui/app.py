"""The browser chat: streamed answers with clickable [n] citation markers, a sources panel with the quoted lines
highlighted, follow-up questions, and a documents panel to filter, upload and delete documents."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import asdict
from pathlib import Path

import gradio as gr

from assistant import phrases
from assistant.config import Settings
from assistant.errors import QAError, StoreEmpty
from assistant.types import Answer, Citation, DocumentInfo

log = logging.getLogger("assistant.ui")

EXAMPLES = [
    "How fast did Alibaba Cloud Intelligence Group revenue grow in Q1 2026?",
    "What were AWS segment sales in the fourth quarter of 2025?",
    "What operating margin and revenue scale does the article attribute to AWS?",
    "What was Google Cloud's revenue?",
]
UPLOAD_TYPES = [".md", ".txt", ".html", ".htm", ".pdf"]
MARKER = re.compile(r"\[(\d+)\]")
CODE = re.compile(r"`([^`]+)`")
TOOLTIP_CHARS = 280

THEME = gr.themes.Soft(primary_hue="indigo", neutral_hue="slate")

# Clicking a [n] marker opens its answer's group in the sources panel, highlights the passage and scrolls to it.
HEAD = """<script>
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.cite") : null;
  if (!link) return;
  var target = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!target) return;
  event.preventDefault();
  event.stopPropagation();
  var group = target.closest("details");
  if (group) group.open = true;
  document.querySelectorAll(".passage.active").forEach(function (el) { el.classList.remove("active"); });
  target.classList.add("active");
  (target.querySelector("mark") || target).scrollIntoView({behavior: "smooth", block: "center"});
}, true);
</script>"""

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#title h1 { margin-bottom: 0.1em; font-size: 1.5em; }
#title p { margin-top: 0; color: var(--body-text-color-subdued); }
.reply p { margin: 0 0 0.4em 0; }
.ask { white-space: pre-wrap; }
a.cite, span.cite { font-size: 0.75em; vertical-align: super; line-height: 0; font-weight: 600; padding: 0 1px; }
a.cite { color: var(--color-accent) !important; text-decoration: none !important; cursor: pointer;
         border-radius: 3px; }
a.cite:hover { background: var(--color-accent-soft); }
span.cite { color: var(--body-text-color-subdued); }
.refusal { border-left: 4px solid #d97706; background: rgba(217, 119, 6, 0.08); padding: 0.6em 0.8em;
           border-radius: 6px; }
.refusal .refusal-title { font-weight: 600; color: #b45309; margin: 0 0 0.3em 0; }
.refusal ol { margin: 0.2em 0 0 1.2em; padding: 0; font-size: 0.9em; }
.error-box { border-left: 4px solid #dc2626; background: rgba(220, 38, 38, 0.08); padding: 0.6em 0.8em;
             border-radius: 6px; }
.resolved { font-size: 0.82em; font-style: italic; color: var(--body-text-color-subdued); margin-top: 0.3em; }
.notice { font-size: 0.82em; color: #b45309; margin-top: 0.3em; }
.timings { font-size: 0.72em; color: var(--body-text-color-subdued); margin-top: 0.4em; opacity: 0.8; }
.thinking { color: var(--body-text-color-subdued); font-style: italic; }
#sources { max-height: 62vh; overflow-y: auto; padding: 0.5em; border: 1px solid var(--border-color-primary);
           border-radius: 8px; background: var(--block-background-fill); }
#sources details { margin: 0 0 0.6em 0; }
#sources summary { cursor: pointer; font-weight: 600; font-size: 0.9em; padding: 0.2em 0; }
#sources summary .summary-kind { font-weight: 400; color: var(--body-text-color-subdued); }
#sources ol { list-style: none; padding: 0; margin: 0.3em 0 0 0; }
.passage { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5em 0.7em;
           margin: 0 0 0.5em 0; transition: background 0.3s; scroll-margin: 40px; }
.passage.active { outline: 2px solid var(--color-accent); background: var(--color-accent-soft); }
.passage .passage-head { font-size: 0.88em; font-weight: 600; }
.passage .passage-num { color: var(--color-accent); margin-right: 0.3em; }
.passage .passage-meta { font-size: 0.75em; color: var(--body-text-color-subdued); margin: 0.1em 0 0.3em 0; }
.passage blockquote { margin: 0; padding: 0 0 0 0.6em; border-left: 3px solid var(--border-color-primary);
                      font-size: 0.82em; white-space: pre-wrap; overflow-wrap: anywhere; }
.passage mark { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.muted, .muted p { color: var(--body-text-color-subdued) !important; font-size: 0.9em; }
#delete-button { color: #b91c1c !important; border-color: rgba(185, 28, 28, 0.35) !important; }
.docs-table { overflow-x: auto; }
.docs-table table { width: 100%; border-collapse: collapse; font-size: 0.82em; }
.docs-table th, .docs-table td { text-align: left; padding: 0.3em 0.4em;
                                 border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.docs-table td.num { text-align: right; }
.docs-table .doc-id { display: block; font-size: 0.85em; color: var(--body-text-color-subdued); }
#store-notice { border-left: 4px solid #d97706; padding: 0.4em 0.8em; background: rgba(217, 119, 6, 0.08);
                border-radius: 6px; }
.error-box code { font-size: 0.9em; }
@media (max-width: 640px) {
  #chat { height: 60vh !important; }
  #sources { max-height: none; }
  .docs-table .period { display: none; }
}
"""


# -- rendering (pure functions of the Answer; every document string is HTML-escaped) ---------------------------
def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


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


def reply_html(answer: Answer, turn: int) -> str:
    """The finished chat reply. One HTML block without blank lines, so Markdown leaves the escaped text alone."""
    extra = ""
    if answer.resolved_question:
        resolved = phrases.RESOLVED_QUESTION.format(question=answer.resolved_question)
        extra += f'<div class="resolved">{esc(resolved)}</div>'
    if answer.notice:
        extra += f'<div class="notice">{esc(answer.notice)}</div>'
    extra += timings_line(answer.timings)
    if answer.refused:
        closest = "".join(f"<li>{marker(turn, c.n, c)} {esc(c.title)}</li>" for c in answer.citations)
        listing = f"<p>{esc(phrases.CLOSEST_PASSAGES)}</p><ol>{closest}</ol>" if closest else ""
        return (f'<div class="reply refusal"><p class="refusal-title">{esc(phrases.CANNOT_ANSWER)}</p>'
                f"{listing}{extra}</div>")
    return f'<div class="reply answer"><p>{answer_body(answer.text, turn, answer.citations)}</p>{extra}</div>'


def streaming_html(partial: str, turn: int) -> str:
    return f'<div class="reply answer streaming"><p>{answer_body(partial, turn, [])} ▍</p></div>'


def thinking_html() -> str:
    return f'<div class="reply thinking">{esc(phrases.UI_SEARCHING)}</div>'


def error_html(message: str) -> str:
    """A friendly error reply; `command` spans in the message show as code."""
    text = CODE.sub(r"<code>\1</code>", esc(message))
    return f'<div class="reply error-box">{text}</div>'


def passage_html(turn: int, c: Citation) -> str:
    kind = "supported" if c.supported else "closest"
    return (f'<li id="{cite_id(turn, c.n)}" class="passage {kind}">'
            f'<div class="passage-head"><span class="passage-num">[{c.n}]</span>{esc(c.title)}</div>'
            f'<div class="passage-meta">{esc(where(c))}</div>'
            f"<blockquote>{highlighted(c.text, c.quote)}</blockquote></li>")


def sources_html(turns: list[dict]) -> str:
    """Every answer's passages, newest answer first and open; older answers collapsed."""
    groups = []
    for turn, t in reversed(list(enumerate(turns, start=1))):
        if not t["citations"]:
            continue
        citations = [Citation(**c) for c in t["citations"]]
        kind = phrases.CLOSEST_PASSAGES.rstrip(":") if t["refused"] else phrases.UI_SOURCES
        open_attr = " open" if not groups else ""
        groups.append(f'<details class="turn"{open_attr}><summary>{esc(t["question"][:120])} '
                      f'<span class="summary-kind">· {esc(kind)}</span></summary>'
                      f'<ol>{"".join(passage_html(turn, c) for c in citations)}</ol></details>')
    return "".join(groups) or f'<p class="muted">{esc(phrases.UI_SOURCES_EMPTY)}</p>'


def chat_messages(turns: list[dict]) -> list[dict]:
    messages = []
    for t in turns:
        messages.append({"role": "user", "content": f'<div class="ask">{esc(t["question"])}</div>'})
        messages.append({"role": "assistant", "content": t["reply"]})
    return messages


def documents_table(docs: list[DocumentInfo]) -> str:
    rows = "".join(f'<tr><td>{esc(d.title)}<span class="doc-id">{esc(d.doc_id)}</span></td><td>{esc(d.doc_type)}</td>'
                   f'<td class="period">{esc(d.period)}</td><td class="num">{d.chunks}</td></tr>' for d in docs)
    if not rows:
        return f'<p class="muted">{esc(phrases.UI_NO_DOCUMENTS)}</p>'
    return ('<div class="docs-table"><table><thead><tr><th>Document</th><th>Type</th><th class="period">Period</th>'
            f'<th>Chunks</th></tr></thead><tbody>{rows}</tbody></table></div>')


# -- the app --------------------------------------------------------------------------------------------------
def build_ui(assistant, settings: Settings) -> gr.Blocks:
    """The chat UI for one Assistant. Theme, CSS and HEAD are passed where the Blocks is mounted."""

    def respond(question: str, k: float, doc_ids: list[str], turns: list[dict]):
        """Stream one answer into the chat. A turn is {question, reply (HTML), answer (text for follow-ups, None
        after an error), citations (dicts), refused}."""
        question = (question or "").strip()
        if not question:
            gr.Warning(phrases.EMPTY_QUESTION)
            yield chat_messages(turns), sources_html(turns), turns, ""
            return
        history = [[t["question"], t["answer"]] for t in turns if t["answer"] is not None]
        turns = turns + [{"question": question, "reply": thinking_html(), "answer": None, "citations": [],
                          "refused": False}]
        current, number = turns[-1], len(turns)
        yield chat_messages(turns), sources_html(turns), turns, ""
        try:
            partial = ""
            for kind, payload in assistant.stream(question, k=int(k), doc_ids=doc_ids or None, history=history):
                if kind == "delta":
                    partial += payload
                    current["reply"] = streaming_html(partial, number)
                    yield chat_messages(turns), gr.skip(), turns, ""
                else:
                    current.update(reply=reply_html(payload, number), answer=payload.text, refused=payload.refused,
                                   citations=[asdict(c) for c in payload.citations])
        except QAError as exc:
            hint = f" {phrases.UI_STORE_EMPTY_HINT}" if isinstance(exc, StoreEmpty) else ""
            current["reply"] = error_html(exc.message + hint)
        except Exception:
            log.exception("answering failed")
            current["reply"] = error_html(phrases.UI_UNEXPECTED_ERROR)
        yield chat_messages(turns), sources_html(turns), turns, ""

    def documents_panel(selected: list[str] | None):
        """The documents table, the filter and delete choices, and the empty-store notice."""
        try:
            docs = assistant.documents()
        except QAError as exc:
            return error_html(exc.message), gr.update(), gr.update(), gr.update(visible=False)
        choices = [(d.title or d.doc_id, d.doc_id) for d in docs]
        keep = [s for s in selected or [] if s in {d.doc_id for d in docs}]
        notice = f"{phrases.STORE_EMPTY} {phrases.UI_STORE_EMPTY_HINT}"
        return (documents_table(docs), gr.update(choices=choices, value=keep),
                gr.update(choices=choices, value=None), gr.update(value=notice, visible=not docs))

    def upload(path: str | None, selected: list[str] | None, progress=gr.Progress()):
        if not path:
            return ("", None, *documents_panel(selected))
        name = Path(path).name
        progress(0.05, desc=f"Reading {name}")
        data = Path(path).read_bytes()
        progress(0.3, desc=f"Embedding {name}")
        try:
            report = assistant.ingest_upload(name, data)
            docs = {d.doc_id: d for d in assistant.documents()}
            doc = next((docs[i] for i in report.doc_ids if i in docs), None)
            title = doc.title if doc else name
            status = (phrases.UI_ALREADY_INGESTED.format(title=title) if report.unchanged_documents else
                      phrases.UI_INGESTED.format(title=title, chunks=report.added_chunks, seconds=report.seconds))
        except QAError as exc:
            status = f"⚠️ {exc.message}"
        progress(1.0, desc="Done")
        return (status, None, *documents_panel(selected))

    def delete(doc_id: str | None, selected: list[str] | None):
        if not doc_id:
            return (phrases.UI_CHOOSE_DOCUMENT, *documents_panel(selected))
        try:
            status = phrases.UI_DELETED.format(doc_id=doc_id, chunks=assistant.delete_document(doc_id))
        except QAError as exc:
            status = f"⚠️ {exc.message}"
        return (status, *documents_panel(selected))

    def ask(question: str, k: int = settings.k) -> tuple[str, list[dict]]:
        """Answer a question from the documents: the text with [n] markers, and the citations it refers to."""
        try:
            answer = assistant.ask(question, k=k)
        except QAError as exc:
            raise gr.Error(exc.message) from None
        return answer.text, [asdict(c) for c in answer.citations]

    with gr.Blocks(title=phrases.UI_TITLE, analytics_enabled=False) as demo:
        turns = gr.State([])
        gr.Markdown(f"# {phrases.UI_TITLE}\n{phrases.UI_SUBTITLE}", elem_id="title")
        store_notice = gr.Markdown(visible=False, elem_id="store-notice")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340):
                chatbot = gr.Chatbot(elem_id="chat", show_label=False, height=480, latex_delimiters=[],
                                     placeholder="Ask a question about the documents.", buttons=["copy"],
                                     feedback_options=None)
                with gr.Row(equal_height=True):
                    question = gr.Textbox(show_label=False, placeholder="Ask a question…", scale=5, min_width=200,
                                          autofocus=True, elem_id="question", max_length=settings.max_question_chars)
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=70, elem_id="ask-button")
                gr.Examples(EXAMPLES, inputs=question, label="Example questions")
                with gr.Accordion("Options", open=False):
                    k = gr.Slider(1, settings.max_k, value=settings.k, step=1, label="Passages to retrieve (k)")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown(f"### {phrases.UI_SOURCES}")
                sources = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)
                with gr.Accordion("Documents", open=True, elem_id="documents"):
                    doc_filter = gr.Dropdown(multiselect=True, label="Search only in",
                                             info="Leave empty to search every document.", elem_id="doc-filter")
                    docs_table = gr.HTML(elem_id="docs-table", js_on_load=None)
                    upload_file = gr.File(label="Upload a document", file_types=UPLOAD_TYPES, type="filepath",
                                          elem_id="upload", height=150)
                    gr.Markdown(f"Markdown, text, HTML or PDF, up to {settings.max_upload_mb} MB.",
                                elem_classes=["muted"])
                    doomed = gr.Dropdown(label="Delete a document", elem_id="delete-doc")
                    remove = gr.Button("Delete selected document", variant="stop", size="sm", elem_id="delete-button")
                    doc_status = gr.Markdown(elem_id="doc-status")

        panel = [docs_table, doc_filter, doomed, store_notice]
        gr.on([question.submit, send.click], respond, inputs=[question, k, doc_filter, turns],
              outputs=[chatbot, sources, turns, question], api_visibility="private")
        chatbot.clear(lambda: (sources_html([]), []), outputs=[sources, turns], api_visibility="private")
        upload_file.upload(upload, inputs=[upload_file, doc_filter], outputs=[doc_status, upload_file, *panel],
                           api_visibility="private")
        remove.click(delete, inputs=[doomed, doc_filter], outputs=[doc_status, *panel], api_visibility="private")
        demo.load(documents_panel, inputs=[doc_filter], outputs=panel, api_visibility="private")
        gr.api(ask, api_name="ask")
    return demo
