"""The evidence viewer: where a clicked citation stands in its original. A PDF citation shows the quoted lines
enlarged (the band of the page around them, the blank between a row's label and its figures left out) above the
whole page, the quote highlighted by its characters' boxes (or a note when it cannot be located exactly), page by
page; a Markdown, text or HTML citation shows the section around the passage, its tables laid out as tables, the
quote marked. Page images and the original file are opened by links the API accepts without a token header
(short-lived signed links when the API requires a token)."""

from __future__ import annotations

import json

from assistant.contract import phrases
from assistant.contract.errors import QAError
from assistant.links import LinkSigner
from assistant.pages import (
    Focus,
    Highlight,
    PageRenderer,
    RenderedPage,
    SectionReader,
    SectionView,
    default_renderer,
    is_pdf,
)
from ui.render import esc, source_html

MAX_QUOTE_CHARS = 4000
READABLE_LINE_PX = 15  # the enlarged quote is at least this tall per line of text (it scrolls sideways if need be)
SLICE_GAP_PX = 6


class Evidence:
    """Renders the viewer for a citation of one Assistant's documents."""

    def __init__(
        self,
        assistant,
        renderer: PageRenderer | None = None,
        sections: SectionReader | None = None,
        links: LinkSigner | None = None,
    ):
        self.assistant = assistant
        self.renderer = renderer or default_renderer()
        self.sections = sections or SectionReader()
        self.links = links or LinkSigner("", 0)

    def view(self, ref: dict) -> str:
        """The viewer HTML for `ref`: {doc, page (shown; none for text documents), cited (the cited page), quote,
        section, n, title, columns (JSON: the cited table's column headings)}. The quote is highlighted on the
        cited page only. Errors become a note, never a raise."""
        doc_id = str(ref.get("doc") or "")
        text = {key: str(ref.get(key) or "") for key in ("quote", "section", "n", "title", "columns")}
        head = {"doc": doc_id, "cited": _page(ref.get("cited")), **text, "quote": text["quote"][:MAX_QUOTE_CHARS]}
        page = _page(ref.get("page")) or head["cited"]
        try:
            path = self.assistant.original_path(doc_id)
            if page and is_pdf(path):
                rendered = self.renderer.page(path, page)
                mark = self.renderer.highlight(rendered, head["quote"]) if page == head["cited"] else None
                return self.page_html(head, rendered, mark)
            view = self.sections.around(path, head["section"], head["quote"])
            where = view.heading if view is not None and view.heading else head["section"]
            return self.frame_html(head, where, section_body(head, view), "")
        except QAError as exc:
            return self.frame_html(head, "", f'<div class="viewer-note error">{esc(exc.message)}</div>', "")

    def frame_html(self, head: dict, where: str, body: str, nav: str) -> str:
        """The viewer around a body: title line, body, navigation; the data attributes let the page turn."""
        data = " ".join(f'data-{k}="{esc(str(v) if v is not None else "")}"' for k, v in head.items())
        number = f'<span class="viewer-num">[{esc(head["n"])}]</span>' if head["n"] else ""
        at_page = f"#page={head['page']}" if head.get("page") else ""
        link = (
            f'<a class="viewer-open" href="{esc(self.links.link(head["doc"], "file"))}{at_page}" target="_blank" '
            f'rel="noopener">{esc(phrases.UI_OPEN_ORIGINAL)}</a>'
        )
        return (
            f'<div class="viewer" {data}><div class="viewer-head"><div class="viewer-title">{number}'
            f'{esc(head["title"])}</div><div class="viewer-where">{esc(where)}</div></div>{body}'
            f'<div class="viewer-nav">{nav}{link}'
            f'<button type="button" class="viewer-close">{esc(phrases.UI_CLOSE_VIEWER)}</button></div></div>'
        )

    def page_html(self, head: dict, page: RenderedPage, mark: Highlight | None) -> str:
        """A PDF page: the quoted lines enlarged, then the whole page, highlight boxes laid over both (as
        percentages, so they scale with the image)."""
        head = dict(head, page=page.page, pages=page.pages)
        where = phrases.UI_PAGE_OF.format(page=page.page, pages=page.pages)
        if page.page == head["cited"]:
            where += f" · {phrases.UI_CITED_PAGE}"
        note = ""
        if mark is not None and mark.state == "missing":
            note = f'<div class="viewer-note">{esc(phrases.UI_QUOTE_NOT_LOCATED)}</div>'
        elif mark is not None and mark.state == "partial":
            note = f'<div class="viewer-note">{esc(phrases.UI_QUOTE_PARTLY_LOCATED)}</div>'
        image = esc(self.links.link(head["doc"], f"pages/{page.page}"))
        boxes = "".join(_box(b.left, b.top, b.right - b.left, b.bottom - b.top) for b in (mark.boxes if mark else []))
        focus = focus_html(image, page, mark) if mark is not None and mark.focus is not None else ""
        body = (
            f'{note}{focus}<div class="page-scroll"><div class="page-frame"><img class="page-image" src="{image}" '
            f'width="{page.width}" height="{page.height}" alt="{esc(where)}">{boxes}</div></div>'
        )
        nav = (
            _go(page.page - 1, phrases.UI_PREVIOUS_PAGE, page.page > 1)
            + _go(page.page + 1, phrases.UI_NEXT_PAGE, page.page < page.pages)
            + f'<button type="button" class="viewer-zoom">{esc(phrases.UI_ZOOM_IN)}</button>'
        )
        return self.frame_html(head, where, body, nav)


def _page(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _box(left: float, top: float, width: float, height: float) -> str:
    return (
        f'<span class="hl" style="left:{left * 100:.3f}%;top:{top * 100:.3f}%;width:{width * 100:.3f}%;'
        f'height:{height * 100:.3f}%"></span>'
    )


def focus_html(image: str, page: RenderedPage, mark: Highlight) -> str:
    """The band of the page around the quote, shown larger than the page: each stretch of it that holds quoted
    text is a window onto the same page image, side by side, scaled so that together they fill the viewer's
    width (and at least READABLE_LINE_PX per line of text: narrower viewers scroll it sideways)."""
    focus: Focus = mark.focus
    band = focus.bottom - focus.top
    total = sum(right - left for left, right in focus.slices)
    gaps = SLICE_GAP_PX * (len(focus.slices) - 1)
    # the page width in pixels at which a line of the quote is READABLE_LINE_PX tall, and the focus width then
    page_px = READABLE_LINE_PX / (focus.text_height * page.height / page.width)
    slices = []
    for left, right in focus.slices:
        width = right - left
        boxes = "".join(
            _box(
                (b.left - left) / width,
                (b.top - focus.top) / band,
                (b.right - b.left) / width,
                (b.bottom - b.top) / band,
            )
            for b in mark.boxes
            if b.right > left and b.left < right
        )
        slices.append(
            f'<div class="focus-slice" style="width:calc((100% - {gaps}px) * {width / total:.4f});'
            f'aspect-ratio:{width * page.width:.1f} / {band * page.height:.1f}">'
            f'<img src="{image}" alt="" style="width:{100 / width:.3f}%;left:{-left / width * 100:.3f}%;'
            f'top:{-focus.top / band * 100:.3f}%">{boxes}</div>'
        )
    return (
        f'<div class="page-focus" title="{esc(phrases.UI_FOCUS)}"><div class="focus-row" '
        f'style="min-width:{total * page_px + gaps:.0f}px;gap:{SLICE_GAP_PX}px">{"".join(slices)}</div></div>'
    )


def section_body(head: dict, view: SectionView | None) -> str:
    """The section of a text document around the passage, tables laid out, the quote marked; a note when the
    original no longer holds the passage."""
    if view is None:
        return f'<div class="viewer-note">{esc(phrases.UI_PASSAGE_NOT_IN_ORIGINAL)}</div>'
    try:
        columns = [str(c) for c in json.loads(head["columns"] or "[]")]
    except (ValueError, TypeError):
        columns = []
    before = f'<div class="src-text">{esc(phrases.UI_SECTION_CLIPPED)}</div>' if view.clipped_before else ""
    after = f'<div class="src-text">{esc(phrases.UI_SECTION_CLIPPED)}</div>' if view.clipped_after else ""
    return (
        f'<div class="section-scroll"><div class="section-text">{before}'
        f"{source_html(view.text, view.spans, columns, first_table=False)}{after}</div></div>"
    )


def _go(page: int, label: str, enabled: bool) -> str:
    disabled = "" if enabled else " disabled"
    return f'<button type="button" class="viewer-go" data-go="{page}"{disabled}>{esc(label)}</button>'
