"""The API's error body and the error statuses each route documents in the OpenAPI schema."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorOut(BaseModel):
    """Every error response: a message for people, never a traceback or a server path."""

    error: str


_MEANING = {
    400: "Malformed request body (not valid JSON).",
    401: "Missing or wrong API token (only when QA_API_TOKEN is set).",
    404: "No such document.",
    413: "Question or upload over its size limit.",
    415: "File type not supported (checked by content).",
    422: "Invalid input: empty question, k out of range, wrong field types, unreadable file.",
    503: "The document store is empty or unavailable.",
}


def error_responses(*codes: int) -> dict[int, dict]:
    """OpenAPI `responses` entries for these statuses, all with the ErrorOut body."""
    return {code: {"model": ErrorOut, "description": _MEANING[code]} for code in codes}
