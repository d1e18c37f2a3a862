"""`GET /api/health`: is the store reachable, and how much does it hold. Open even when a token is set."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.contract import phrases
from assistant.interfaces.api.errors import error_responses
from assistant.contract.errors import QAError

log = logging.getLogger("assistant.interfaces.api")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int


def health_router(assistant) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health", response_model=Health, responses=error_responses(503))
    def health():
        """`ok` with document and chunk counts; 503 when the store cannot be read."""
        try:
            documents = assistant.documents()
            return Health(status="ok", documents=len(documents), chunks=assistant.chunk_count() if documents else 0)
        except QAError as exc:
            return JSONResponse({"error": exc.message}, status_code=503)
        except Exception as exc:
            log.exception("health check failed")
            return JSONResponse({"error": phrases.STORE_UNAVAILABLE.format(detail=type(exc).__name__)}, status_code=503)

    return router
