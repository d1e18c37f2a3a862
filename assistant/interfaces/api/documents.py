"""`/api/documents`: list the ingested documents, upload one file to ingest, delete one document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel

from assistant.contract import phrases
from assistant.interfaces.api.errors import error_responses
from assistant.contract.errors import FileTooLarge
from assistant.contract.types import DocumentInfo, IngestReport
from ingest.loaders.formats import format_names


class DocumentOut(BaseModel):
    """A document as users see it (no server paths or hashes)."""

    doc_id: str
    title: str
    doc_type: str
    company: str
    period: str
    chunks: int

    @classmethod
    def of(cls, info: DocumentInfo) -> DocumentOut:
        return cls(**{name: getattr(info, name) for name in cls.model_fields})


class UploadResult(BaseModel):
    document: DocumentOut | None
    report: dict[str, Any]


class DeleteResult(BaseModel):
    deleted: str
    chunks: int


def public_report(report: IngestReport) -> dict[str, Any]:
    """The ingest report with file paths reduced to file names."""
    data = report.to_dict()
    for problem in data["problems"]:
        problem["path"] = Path(problem["path"]).name
    return data


def documents_router(assistant) -> APIRouter:
    router = APIRouter(tags=["documents"])
    limit_bytes = assistant.settings.limits.max_upload_mb * 1024 * 1024

    @router.get("/documents", response_model=list[DocumentOut], responses=error_responses(401, 503))
    def list_documents():
        """Every ingested document with its chunk count."""
        return [DocumentOut.of(d) for d in assistant.documents()]

    @router.post("/documents", response_model=UploadResult, responses=error_responses(400, 401, 413, 415, 422, 503))
    def upload_document(file: UploadFile = File(description=f"One {format_names()} file.")):
        """Ingest one uploaded file; its type is checked by content, its name sanitised."""
        name = file.filename or "upload"
        data = file.file.read(limit_bytes + 1)
        if len(data) > limit_bytes:
            raise FileTooLarge(
                phrases.FILE_TOO_LARGE.format(
                    name=Path(name).name,
                    size_mb=max(len(data), file.size or 0) / 2**20,
                    limit_mb=assistant.settings.limits.max_upload_mb,
                )
            )
        report = assistant.ingest_upload(name, data)
        doc = assistant.ingested_document(report)
        return UploadResult(document=DocumentOut.of(doc) if doc else None, report=public_report(report))

    @router.delete("/documents/{doc_id}", response_model=DeleteResult, responses=error_responses(401, 404, 503))
    def delete_document(doc_id: str):
        """Remove a document and all its chunks."""
        return DeleteResult(deleted=doc_id, chunks=assistant.delete_document(doc_id))

    return router
