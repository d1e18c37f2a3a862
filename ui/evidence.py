"""The evidence viewer: where a clicked citation stands in its original. A PDF citation shows the rendered page
with the quote's character boxes highlighted (or a note when the quote cannot be located exactly), page by page;
a Markdown, text or HTML citation shows the section around the passage with the quote marked."""

from __future__ import annotations

import base64
from urllib.parse import quote as url_quote

from assistant.contract import phrases
from assistant.contract.errors import QAError
from assistant.interfaces.pages import (Highlight, PageRenderer, RenderedPage, SectionReader, SectionView, default_renderer,
                             is_pdf)
from ui.render import esc, marked

MAX_QUOTE_CHARS = 4000


class Evidence:
    """Renders the viewer for a citation of one Assistant's documents."""

    def __init__(self, assistant, renderer: PageRenderer | None = None, sections: SectionReader | None = None):
        self.assistant = assistant
        self.renderer = renderer or default_renderer()
        self.sections = sections or SectionReader()

    def view(self, ref: dict) -> str:
        """The viewer HTML for `ref`: {doc, page (shown; none for text documents), cited (the cited page), quote,
        section, n, title}. The quote is highlighted on the cited page only. Errors become a note, never a raise."""
        doc_id = str(ref.get("doc") or "")
        text = {key: str(ref.get(key) or "") for key in ("quote", "section", "n", "title")}
        head = {"doc": doc_id, "cited": _page(ref.get("cited")), **text, "quote": text["quote"][:MAX_QUOTE_CHARS]}
        page = _page(ref.get("page")) or head["cited"]
        try:
            path = self.assistant.original_path(doc_id)
            if page and is_pdf(path):
                rendered = self.renderer.page(path, page)
                mark = self.renderer.highlight(rendered, head["quote"]) if page == head["cited"] else None
                return page_html(head, rendered, mark)
            return section_html(head, self.sections.around(path, head["section"], head["quote"]))
        except QAError as exc:
            return frame_html(head, "", f'<div class="viewer-note error">{esc(exc.message)}</div>', "")


def _page(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def frame_html(head: dict, where: str, body: str, nav: str) -> str:
    """The viewer around a body: title line, body, navigation; the data attributes let the page turn."""
    data = " ".join(f'data-{k}="{esc(str(v) if v is not None else "")}"' for k, v in head.items())
    number = f'<span class="viewer-num">[{esc(head["n"])}]</span>' if head["n"] else ""
    link = (f'<a class="viewer-open" href="api/documents/{url_quote(head["doc"], safe="")}/file'
            f'{"#page=" + str(head.get("page")) if head.get("page") else ""}" target="_blank" rel="noopener">'
            f'{esc(phrases.UI_OPEN_ORIGINAL)}</a>')
    return (f'<div class="viewer" {data}><div class="viewer-head"><div class="viewer-title">{number}'
            f'{esc(head["title"])}</div><div class="viewer-where">{esc(where)}</div></div>{body}'
            f'<div class="viewer-nav">{nav}{link}'
            f'<button type="button" class="viewer-close">{esc(phrases.UI_CLOSE_VIEWER)}</button></div></div>')


def page_html(head: dict, page: RenderedPage, mark: Highlight | None) -> str:
    """A rendered PDF page with highlight boxes laid over it (as percentages, so they scale with the image)."""
    head = dict(head, page=page.page, pages=page.pages)
    where = phrases.UI_PAGE_OF.format(page=page.page, pages=page.pages)
    if page.page == head["cited"]:
        where += f" · {phrases.UI_CITED_PAGE}"
    note = ""
    if mark is not None and mark.state == "missing":
        note = f'<div class="viewer-note">{esc(phrases.UI_QUOTE_NOT_LOCATED)}</div>'
    elif mark is not None and mark.state == "partial":
        note = f'<div class="viewer-note">{esc(phrases.UI_QUOTE_PARTLY_LOCATED)}</div>'
    boxes = "".join(f'<span class="hl" style="left:{b.left * 100:.3f}%;top:{b.top * 100:.3f}%;'
                    f'width:{(b.right - b.left) * 100:.3f}%;height:{(b.bottom - b.top) * 100:.3f}%"></span>'
                    for b in (mark.boxes if mark else []))
    image = base64.b64encode(page.png).decode()
    body = (f'{note}<div class="page-scroll"><div class="page-frame"><img class="page-image" '
            f'src="data:image/png;base64,{image}" width="{page.width}" height="{page.height}" '
            f'alt="{esc(where)}">{boxes}</div></div>')
    nav = (_go(page.page - 1, phrases.UI_PREVIOUS_PAGE, page.page > 1) +
           _go(page.page + 1, phrases.UI_NEXT_PAGE, page.page < page.pages) +
           f'<button type="button" class="viewer-zoom">{esc(phrases.UI_ZOOM_IN)}</button>')
    return frame_html(head, where, body, nav)


def section_html(head: dict, view: SectionView | None) -> str:
    """The section of a text document around the passage, the quote marked; a note when the original no longer
    holds the passage."""
    if view is None:
        return frame_html(head, head["section"], f'<div class="viewer-note">{esc(phrases.UI_PASSAGE_NOT_IN_ORIGINAL)}'
                                                 "</div>", "")
    before = f"{phrases.UI_SECTION_CLIPPED}\n" if view.clipped_before else ""
    after = f"\n{phrases.UI_SECTION_CLIPPED}" if view.clipped_after else ""
    body = (f'<div class="section-scroll"><div class="section-text">{esc(before)}{marked(view.text, view.spans)}'
            f"{esc(after)}</div></div>")
    return frame_html(head, view.heading or head["section"], body, "")


def _go(page: int, label: str, enabled: bool) -> str:
    disabled = "" if enabled else " disabled"
    return f'<button type="button" class="viewer-go" data-go="{page}"{disabled}>{esc(label)}</button>'
