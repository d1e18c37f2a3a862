"""Interactive API docs (Swagger UI) served from the package's own copy of its assets, so they work offline."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def add_docs(api: FastAPI) -> None:
    """GET /docs: Swagger UI for this API, its JavaScript and CSS served by the app itself (no CDN)."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    api.mount(ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=f"{root}{api.openapi_url}",
            title=f"{api.title}: docs",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
        )

    api.include_router(router)
