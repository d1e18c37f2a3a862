"""The JSON API as a FastAPI app (mounted at /api): routers per capability, JSON errors, limits, optional token."""

from __future__ import annotations

import hmac
import logging

from assistant import __version__

from fastapi import Depends, FastAPI, HTTPException, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.contract import phrases
from assistant.interfaces.api.ask import ask_router
from assistant.interfaces.api.docs import add_docs
from assistant.interfaces.api.documents import documents_router
from assistant.interfaces.api.facts import facts_router
from assistant.interfaces.api.health import health_router
from assistant.interfaces.api.pages import pages_router
from assistant.contract.errors import QAError
from assistant.links import LinkSigner

log = logging.getLogger("assistant.interfaces.api")
MULTIPART_OVERHEAD = 1024 * 1024  # room for the form envelope around an upload of the maximum size


def create_api(assistant) -> FastAPI:
    """The API app for one Assistant; every route but /health needs the token when `settings.server.api_token` is set."""
    settings = assistant.settings
    api = FastAPI(
        title="Document QA API",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Ask questions answered only from the ingested documents, with numbered citations; "
        'list, upload and delete documents; list the facts read from them. Errors are JSON: {"error": message}.',
    )
    token = settings.server.api_token
    guarded = [Depends(token_guard(token))] if token else []
    signed = [Depends(token_guard(token, LinkSigner(token, settings.server.link_seconds)))] if token else []
    api.include_router(health_router(assistant))
    api.include_router(ask_router(assistant), dependencies=guarded)
    api.include_router(documents_router(assistant), dependencies=guarded)
    api.include_router(pages_router(assistant), dependencies=signed)  # the chat opens these by signed links
    api.include_router(facts_router(assistant), dependencies=guarded)
    add_docs(api)
    add_body_limit(api, settings.limits.max_upload_mb)
    add_error_handlers(api)
    return api


def token_guard(token: str, signer: LinkSigner | None = None):
    """A dependency accepting `Authorization: Bearer <token>` or `X-API-Token: <token>`, in constant time; with a
    `signer`, also a GET whose `expires` and `signature` parameters sign its own path (a link the chat made)."""
    expected = token.encode()
    bearer = HTTPBearer(auto_error=False)
    api_key = APIKeyHeader(name="X-API-Token", auto_error=False)

    def check(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Security(bearer),
        key: str | None = Security(api_key),
    ) -> None:
        given = key or (credentials.credentials if credentials else "")
        if hmac.compare_digest(given.encode(), expected):
            return
        if (
            signer is not None
            and request.method in ("GET", "HEAD")
            and signer.valid(
                routed_path(request), request.query_params.get("expires"), request.query_params.get("signature")
            )
        ):
            return
        raise HTTPException(401, phrases.API_UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})

    return check


def routed_path(request: Request) -> str:
    """The request's path within the API ('/documents/x/file'), wherever the API is mounted."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def add_body_limit(api: FastAPI, max_upload_mb: int) -> None:
    """Refuse a request whose declared size is over the upload limit before reading its body."""
    limit = max_upload_mb * 1024 * 1024 + MULTIPART_OVERHEAD

    @api.middleware("http")
    async def limit_body(request: Request, call_next):
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return JSONResponse({"error": phrases.API_BODY_TOO_LARGE.format(limit_mb=max_upload_mb)}, 413)
        return await call_next(request)


def add_error_handlers(api: FastAPI) -> None:
    """Every error as `{"error": message}` with its status; never a traceback or a server path."""

    @api.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError):
        return JSONResponse({"error": exc.message}, exc.status)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": str(exc.detail)}, exc.status_code, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse({"error": phrases.API_MALFORMED_JSON}, 400)
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in errors[:5])
        return JSONResponse({"error": phrases.API_INVALID_REQUEST.format(detail=detail)}, 422)

    @api.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"error": phrases.API_INTERNAL_ERROR}, 500)
