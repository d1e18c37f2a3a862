"""One process serving the browser chat at / and the JSON API at /api (schema at /api/openapi.json)."""

from __future__ import annotations

import hmac

from fastapi import FastAPI

from assistant.contract import phrases
from assistant.config import Settings, apply_offline_env

WARM_UP_QUESTION = "What was revenue?"


def create_app(settings: Settings, assistant=None) -> FastAPI:
    """The API mounted at /api and the Gradio chat at /; both need `settings.server.api_token` when it is set."""
    apply_offline_env()  # before gradio is imported
    import gradio as gr

    from assistant.interfaces.api import create_api
    from assistant.core import Assistant
    from ui.app import CSS, HEAD, THEME, build_ui

    assistant = assistant or Assistant(settings=settings)
    app = FastAPI(title="Document QA", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/api", create_api(assistant))
    return gr.mount_gradio_app(
        app,
        build_ui(assistant, settings),
        path="/",
        theme=THEME,
        css=CSS,
        head=HEAD,
        auth=token_login(settings.server.api_token) if settings.server.api_token else None,
        auth_message=phrases.UI_LOGIN,
        footer_links=["api"],
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        show_error=False,
        max_file_size=f"{settings.limits.max_upload_mb}mb",
    )


def token_login(token: str):
    """Gradio login check: any user name, the API token as password (constant-time compare)."""
    expected = token.encode()

    def check(username: str, password: str) -> bool:
        return hmac.compare_digest((password or "").encode(), expected)

    return check


def warm_up(assistant) -> None:
    """Load the embedding model, the lexical index and the chain so the first real question is fast."""
    assistant.embedder.embed_query(WARM_UP_QUESTION)
    if assistant.chunk_count() > 0:
        assistant.answerable(WARM_UP_QUESTION)


def serve(settings: Settings, host: str | None = None, port: int | None = None, ingest_if_empty: bool = False) -> None:
    """Ingest the bundled corpus if asked and the store is empty, warm up, then serve until interrupted."""
    import uvicorn

    from assistant.core import Assistant

    host = host or settings.server.host
    port = port or settings.server.port
    assistant = Assistant(settings=settings)
    if ingest_if_empty and not assistant.chunk_count() > 0:
        report = assistant.ingest()
        print(
            f"ingested {report.documents} documents ({report.added_chunks} chunks) from {settings.store.corpus_dir}",
            flush=True,
        )
    warm_up(assistant)
    app = create_app(settings, assistant)
    print(f"Chat UI: http://{host}:{port}/   API: http://{host}:{port}/api   (Ctrl+C to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
