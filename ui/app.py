"""The browser chat: answers with clickable [n] citations, the cited page (or section) beside the answer with the
quote highlighted and enlarged, computed figures shown step by step, charts of figures over periods or segments
inside their replies, example questions from the documents, follow-up suggestions, Copy and Markdown export, a
confirmed clear, and a documents panel to filter, upload and delete documents. The conversation is kept in the
browser, so a reload does not lose it."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import gradio as gr

from assistant.contract import phrases
from assistant.config import Settings
from assistant.contract.errors import QAError, StoreEmpty
from assistant.links import LinkSigner
from ingest.loaders.formats import format_names, upload_suffixes
from ui.client import HEAD, VIEWER_ON_LOAD
from ui.evidence import Evidence
from ui.examples import Examples
from ui.export import write_export
from ui.render import (
    chat_messages,
    documents_table,
    error_html,
    esc,
    examples_html,
    sources_html,
    streaming_html,
    thinking_html,
)
from ui.style import CSS, THEME
from ui.suggestions import follow_ups

__all__ = ["CSS", "HEAD", "THEME", "build_ui"]

log = logging.getLogger("assistant.ui")

MAX_TURNS = 30  # turns kept in the browser (the oldest are dropped)
STORAGE_KEY = "doc-qa-conversation"
TOAST_SECONDS = 5  # a notice goes away after this long


def new_turn(question: str, scope: list[str]) -> dict:
    return {"question": question, "answer": None, "error": "", "scope": scope, "suggestions": []}


def counter_html(limit: int) -> str:
    return f'<div data-limit="{limit}">{esc(phrases.UI_QUESTION_COUNTER.format(count=0, limit=f"{limit:,}"))}</div>'


def export_update(turns: list[dict]):
    if not turns:
        return gr.update(value=None, interactive=False)
    return gr.update(value=str(write_export(turns)), interactive=True)


def build_ui(assistant, settings: Settings) -> gr.Blocks:
    """The chat UI for one Assistant. Theme, CSS and HEAD are passed where the Blocks is mounted."""
    evidence_view = Evidence(assistant, links=LinkSigner(settings.server.api_token, settings.server.link_seconds))
    examples = Examples(assistant)
    threading.Thread(target=examples.questions, name="example-questions", daemon=True).start()

    def evidence(ref: dict) -> str:
        """The viewer for one citation (called from the browser when a [n] marker is clicked)."""
        return evidence_view.view(ref if isinstance(ref, dict) else {})

    def shown(turns: list[dict]) -> tuple:
        """Everything drawn from the conversation: chat, sources, export."""
        return chat_messages(turns), sources_html(turns), export_update(turns)

    def respond(question: str, k: float, doc_ids: list[str], turns: list[dict]):
        """Answer one question into the chat: a 'searching' reply while it is looked up, the answer streamed in,
        then the finished reply, its passages, any chart, and the conversation stored in the browser."""
        skip = (gr.skip(),) * 2
        question = (question or "").strip()
        if not question:
            gr.Warning(phrases.EMPTY_QUESTION, duration=TOAST_SECONDS)
            yield gr.skip(), gr.skip(), gr.skip(), *skip
            return
        if len(question) > settings.limits.max_question_chars:  # kept in the box to shorten, never cut
            gr.Warning(
                phrases.QUESTION_TOO_LONG.format(length=len(question), limit=settings.limits.max_question_chars),
                duration=TOAST_SECONDS,
            )
            yield gr.skip(), gr.skip(), gr.skip(), *skip
            return
        history = [[t["question"], t["answer"]["text"]] for t in turns if t["answer"]]
        titles = {d.doc_id: d.title or d.doc_id for d in _documents()} if doc_ids else {}
        turns = (turns + [new_turn(question, [titles.get(d, d) for d in doc_ids or []])])[-MAX_TURNS:]
        current, number = turns[-1], len(turns)
        yield chat_messages(turns, pending=thinking_html()), gr.skip(), "", *skip
        try:
            partial = ""
            for kind, payload in assistant.stream(question, k=int(k), doc_ids=doc_ids or None, history=history):
                if kind == "delta":
                    partial += payload
                    yield chat_messages(turns, pending=streaming_html(partial, number)), gr.skip(), "", *skip
                else:
                    current.update(answer=payload.to_dict(), suggestions=follow_ups(assistant, payload))
        except QAError as exc:
            hint = f" {phrases.UI_STORE_EMPTY_HINT}" if isinstance(exc, StoreEmpty) else ""
            current["error"] = exc.message + hint
        except Exception:
            log.exception("answering failed")
            current["error"] = phrases.UI_UNEXPECTED_ERROR
        messages, sources_value, *rest = shown(turns)
        yield messages, turns, "", sources_value, *rest

    def restore(turns: list[dict]):
        """The conversation kept in the browser, drawn again after a reload."""
        return shown(turns or [])

    def _documents():
        try:
            return assistant.documents()
        except QAError:
            return []

    def documents_panel(selected: list[str] | None):
        """The documents table, the filter and delete choices, and the empty-store notice."""
        try:
            docs = assistant.documents()
        except QAError as exc:
            return error_html(exc.message), gr.update(), gr.update(), gr.update(visible=False)
        choices = [(d.title or d.doc_id, d.doc_id) for d in docs]
        keep = [s for s in selected or [] if s in {d.doc_id for d in docs}]
        notice = f"{phrases.STORE_EMPTY} {phrases.UI_STORE_EMPTY_HINT}"
        return (
            documents_table(docs),
            gr.update(choices=choices, value=keep),
            gr.update(choices=choices, value=None),
            gr.update(value=notice, visible=not docs),
        )

    def upload(path: str | None, selected: list[str] | None, progress=gr.Progress()):
        if not path:
            return ("", None, *documents_panel(selected))
        name = Path(path).name
        progress(0.05, desc=f"Reading {name}")
        data = Path(path).read_bytes()
        progress(0.3, desc=f"Embedding {name}")
        try:
            report = assistant.ingest_upload(name, data)
            doc = assistant.ingested_document(report)
            title = doc.title if doc else name
            status = (
                phrases.UI_ALREADY_INGESTED.format(title=title)
                if report.unchanged_documents
                else phrases.UI_INGESTED.format(title=title, chunks=report.added_chunks, seconds=report.seconds)
            )
            gr.Info(status.replace("**", ""), duration=TOAST_SECONDS)
        except QAError as exc:
            status = f"⚠️ {exc.message}"
            gr.Warning(exc.message, duration=TOAST_SECONDS)
        progress(1.0, desc="Done")
        return (status, None, *documents_panel(selected))

    def confirm_delete(doc_id: str | None):
        """Ask before deleting: the confirmation row names the document and its chunks."""
        docs = {d.doc_id: d for d in _documents()}
        if not doc_id or doc_id not in docs:
            return gr.update(visible=False), gr.skip(), phrases.UI_CHOOSE_DOCUMENT
        question = phrases.UI_CONFIRM_DELETE.format(title=docs[doc_id].title or doc_id)
        return gr.update(visible=True), question, ""

    def delete(doc_id: str | None, selected: list[str] | None):
        if not doc_id:
            return (phrases.UI_CHOOSE_DOCUMENT, gr.update(visible=False), *documents_panel(selected))
        title = next((d.title for d in _documents() if d.doc_id == doc_id and d.title), doc_id)
        try:
            status = phrases.UI_DELETED.format(title=title, chunks=assistant.delete_document(doc_id))
        except QAError as exc:
            status = f"⚠️ {exc.message}"
        return (status, gr.update(visible=False), *documents_panel(selected))

    def confirm_clear(turns: list[dict]):
        """Ask before clearing: the confirmation row says how many questions go."""
        if not turns:
            return gr.update(visible=False), gr.skip()
        return gr.update(visible=True), phrases.UI_CONFIRM_CLEAR.format(count=len(turns))

    def ask(question: str, k: int = settings.retrieval.k) -> tuple[str, list[dict]]:
        """Answer a question from the documents: the text with [n] markers, and the citations it refers to."""
        try:
            answer = assistant.ask(question, k=k)
        except QAError as exc:
            raise gr.Error(exc.message) from None
        return answer.text, answer.to_dict()["citations"]

    with gr.Blocks(title=phrases.UI_TITLE, analytics_enabled=False, fill_width=True) as demo:
        turns = gr.BrowserState([], storage_key=STORAGE_KEY)
        gr.Markdown(f"# {phrases.UI_TITLE}\n{phrases.UI_SUBTITLE}", elem_id="title")
        store_notice = gr.Markdown(visible=False, elem_id="store-notice")
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=340):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,
                    height=500,
                    latex_delimiters=[],
                    placeholder="Ask a question about the documents.",
                    buttons=[],
                    feedback_options=None,
                )
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        show_label=False,
                        placeholder="Ask a question…",
                        scale=5,
                        min_width=200,
                        autofocus=True,
                        elem_id="question",
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=70, elem_id="ask-button")
                gr.HTML(counter_html(settings.limits.max_question_chars), elem_id="question-counter", js_on_load=None)
                example_list = gr.HTML(elem_id="examples", js_on_load=None)
                with gr.Row(elem_id="chat-actions"):
                    export = gr.DownloadButton(
                        phrases.UI_EXPORT,
                        value=None,
                        interactive=False,
                        size="sm",
                        elem_id="export-button",
                        variant="secondary",
                    )
                    clear = gr.Button(phrases.UI_CLEAR, size="sm", variant="secondary", elem_id="clear-button")
                with gr.Column(visible=False, elem_id="clear-confirm") as clear_box:
                    clear_text = gr.Markdown()
                    with gr.Row():
                        clear_yes = gr.Button(
                            phrases.UI_CONFIRM_CLEAR_YES, variant="stop", size="sm", elem_id="clear-yes"
                        )
                        clear_no = gr.Button(phrases.UI_CANCEL, size="sm", elem_id="clear-no")
                with gr.Accordion("Options", open=False):
                    k = gr.Slider(
                        1,
                        settings.retrieval.max_k,
                        value=settings.retrieval.k,
                        step=1,
                        label="Passages to retrieve (k)",
                    )
            with gr.Column(scale=1, min_width=300):
                viewer = gr.HTML("", elem_id="viewer", js_on_load=VIEWER_ON_LOAD, server_functions=[evidence])
                gr.Markdown(f"### {phrases.UI_SOURCES}")
                sources = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)
                with gr.Accordion("Documents", open=True, elem_id="documents"):
                    doc_filter = gr.Dropdown(
                        multiselect=True,
                        label="Search only in",
                        info="Leave empty to search every document.",
                        elem_id="doc-filter",
                    )
                    docs_table = gr.HTML(elem_id="docs-table", js_on_load=None)
                    upload_file = gr.File(
                        label="Upload a document",
                        file_types=upload_suffixes(),
                        type="filepath",
                        elem_id="upload",
                        height=150,
                    )
                    gr.Markdown(
                        phrases.UI_UPLOAD_HINT.format(formats=format_names(), limit_mb=settings.limits.max_upload_mb),
                        elem_classes=["muted"],
                    )
                    doc_status = gr.Markdown(elem_id="doc-status")
                    doomed = gr.Dropdown(label="Delete a document", elem_id="delete-doc")
                    remove = gr.Button("Delete selected document", variant="stop", size="sm", elem_id="delete-button")
                    with gr.Column(visible=False, elem_id="delete-confirm") as confirm_box:
                        confirm_text = gr.Markdown()
                        with gr.Row():
                            confirm_yes = gr.Button(
                                phrases.UI_CONFIRM_DELETE_YES, variant="stop", size="sm", elem_id="delete-yes"
                            )
                            confirm_no = gr.Button(phrases.UI_CANCEL, size="sm", elem_id="delete-no")

        panel = [docs_table, doc_filter, doomed, store_notice]
        drawn = [chatbot, sources, export]
        gr.on(
            [question.submit, send.click],
            respond,
            inputs=[question, k, doc_filter, turns],
            outputs=[chatbot, turns, question, *drawn[1:]],
            api_visibility="private",
            show_progress="hidden",
        )
        clear.click(confirm_clear, inputs=[turns], outputs=[clear_box, clear_text], api_visibility="private").then(
            None, js="() => document.getElementById('clear-confirm')?.scrollIntoView({block: 'nearest'})"
        )
        clear_yes.click(
            lambda: ([], "", *shown([]), gr.update(visible=False)),
            outputs=[turns, viewer, *drawn, clear_box],
            api_visibility="private",
        )
        clear_no.click(lambda: gr.update(visible=False), outputs=[clear_box], api_visibility="private")
        upload_file.upload(
            upload,
            inputs=[upload_file, doc_filter],
            outputs=[doc_status, upload_file, *panel],
            api_visibility="private",
        ).then(None, js="() => document.getElementById('doc-status')?.scrollIntoView({block: 'nearest'})")
        remove.click(
            confirm_delete, inputs=[doomed], outputs=[confirm_box, confirm_text, doc_status], api_visibility="private"
        )
        confirm_yes.click(
            delete, inputs=[doomed, doc_filter], outputs=[doc_status, confirm_box, *panel], api_visibility="private"
        )
        confirm_no.click(lambda: gr.update(visible=False), outputs=[confirm_box], api_visibility="private")
        demo.load(documents_panel, inputs=[doc_filter], outputs=panel, api_visibility="private")
        demo.load(restore, inputs=[turns], outputs=drawn, api_visibility="private")
        demo.load(lambda: examples_html(examples.questions()), outputs=[example_list], api_visibility="private")
        gr.api(ask, api_name="ask")
    return demo
