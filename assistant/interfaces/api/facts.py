"""`GET /api/facts`: the facts read from the documents at ingest (figure, metric, company, period, where from), so
a client can check what the assistant looks up and computes from."""

from __future__ import annotations

from fastapi import APIRouter, Query

from assistant.interfaces.api.errors import error_responses
from assistant.contract.types import Fact


def facts_router(assistant) -> APIRouter:
    router = APIRouter(tags=["facts"])

    @router.get("/facts", response_model=list[Fact], responses=error_responses(401, 404, 503))
    def list_facts(
        doc: str | None = Query(default=None, description="Only this document id."),
        company: str | None = Query(default=None, description="Only this company or segment, by any name."),
        concept: str | None = Query(
            default=None, description="Only this metric: a key such as operating_income, or a line item's label."
        ),
    ):
        """Facts in document, company, segment, metric and period order."""
        return assistant.facts(doc_id=doc, company=company, concept=concept)

    return router
