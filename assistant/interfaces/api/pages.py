"""`/api/documents/{doc_id}/pages/{n}` (a PDF page as PNG, a quote highlighted on request) and
`/api/documents/{doc_id}/file` (the original file, only from the documents' own folders)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response

from assistant.contract import phrases
from assistant.interfaces.api.errors import error_responses
from assistant.pages import PageNotFound, PageRenderer, default_renderer, is_pdf
from ingest.loaders.formats import format_named

MAX_HIGHLIGHT_CHARS = 4000
# Originals are shown by the browser, never run: text and HTML as inert text, PDFs in the browser's viewer.


def pages_router(assistant, renderer: PageRenderer | None = None) -> APIRouter:
    router = APIRouter(tags=["documents"])
    renderer = renderer or default_renderer()

    @router.get(
        "/documents/{doc_id}/pages/{n}",
        response_class=Response,
        responses={
            200: {
                "content": {"image/png": {}},
                "description": "The page as PNG. Headers: `X-Page-Count`; with "
                "`highlight`, `X-Highlight` (found, partial or missing) and `X-Highlight-Boxes` (JSON [left, top, "
                "right, bottom] as fractions of the image).",
            },
            **error_responses(401, 404, 503),
        },
    )
    def page_image(
        doc_id: str,
        n: int,
        highlight: str = Query(
            default="",
            max_length=MAX_HIGHLIGHT_CHARS,
            description="A citation's quote to highlight; each line is located exactly or not at all.",
        ),
    ):
        """One page of a PDF document, rendered on demand, optionally with a quote highlighted."""
        path = assistant.original_path(doc_id)
        if not is_pdf(path):
            raise PageNotFound(phrases.NOT_A_PDF.format(doc_id=doc_id))
        png, page, mark = renderer.png(path, n, highlight)
        headers = {"X-Page-Count": str(page.pages), "Cache-Control": "private, max-age=300"}
        if mark is not None:
            headers["X-Highlight"] = mark.state
            headers["X-Highlight-Boxes"] = json.dumps([[b.left, b.top, b.right, b.bottom] for b in mark.boxes])
        return Response(png, media_type="image/png", headers=headers)

    @router.get(
        "/documents/{doc_id}/file",
        response_class=FileResponse,
        responses={
            200: {
                "content": {"application/pdf": {}, "text/plain": {}},
                "description": "The original file; open a PDF at a page with `#page=n`.",
            },
            **error_responses(401, 404, 503),
        },
    )
    def original(doc_id: str):
        """The original file of a document, as ingested."""
        path = assistant.original_path(doc_id)
        known = format_named(path.suffix)
        media_type = known.media_type if known else "application/octet-stream"
        headers = {"X-Content-Type-Options": "nosniff"}
        if not media_type.startswith("application/pdf"):
            headers["Content-Security-Policy"] = "sandbox"
        return FileResponse(
            path, media_type=media_type, content_disposition_type="inline", filename=path.name, headers=headers
        )

    return router
