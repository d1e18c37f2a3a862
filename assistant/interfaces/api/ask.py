"""`POST /api/ask`: one question in, an `Answer` out, either as one JSON body or as server-sent events."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.interfaces.api.errors import error_responses
from pydantic import BaseModel, ConfigDict, Field

from assistant.contract import phrases
from assistant.contract.errors import QAError
from assistant.contract.types import Answer

log = logging.getLogger("assistant.interfaces.api")


class AskRequest(BaseModel):
    """A question, optionally restricted to some documents and resolved against earlier turns."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question; its length limit is the server's max_question_chars.")
    k: int | None = Field(default=None, description="Passages to retrieve (1..max_k); the server default if omitted.")
    documents: list[str] | None = Field(default=None, description="Only search these doc_ids (empty: all).")
    history: list[tuple[str, str]] | None = Field(
        default=None, max_length=50, description="Earlier [question, answer] turns, oldest first, for follow-ups."
    )
    stream: bool = Field(default=False, description="Reply with server-sent events: `delta` pieces, then `answer`.")


def sse(event: str, data: dict) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(first: tuple[str, object], rest: Iterator[tuple[str, object]]) -> Iterator[str]:
    """The assistant's stream as SSE; a failure after the first event becomes an `error` event."""

    def encode(kind: str, payload: object) -> str:
        return sse("delta", {"text": payload}) if kind == "delta" else sse("answer", payload.to_dict())

    yield encode(*first)
    try:
        for kind, payload in rest:
            yield encode(kind, payload)
    except QAError as exc:
        yield sse("error", {"error": exc.message, "status": exc.status})
    except Exception:
        log.exception("answer stream failed")
        yield sse("error", {"error": phrases.API_INTERNAL_ERROR, "status": 500})


def ask_router(assistant) -> APIRouter:
    router = APIRouter(tags=["ask"])

    @router.post(
        "/ask",
        response_model=Answer,
        responses={
            200: {
                "description": "The answer, or with `stream: true` a `text/event-stream` of `delta`, then `answer` "
                "(or `error`) events.",
                "content": {"text/event-stream": {}},
            },
            **error_responses(400, 401, 404, 413, 422, 503),
        },
    )
    def ask(body: AskRequest):
        """Answer a question with numbered citations, or refuse with the closest passages."""
        args = dict(k=body.k, doc_ids=body.documents or None, history=[list(turn) for turn in body.history or []])
        if not body.stream:
            return assistant.ask(body.question, **args)
        events = assistant.stream(body.question, **args)
        first = next(events)  # validation and retrieval errors surface here, as a normal JSON error status
        return StreamingResponse(
            answer_events(first, events),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return router
