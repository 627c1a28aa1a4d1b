"""/api/documents: what is stored, one document's detail, uploading and removing a document.

Uploads go through :meth:`~dutygraph.services.Services.upload`, under the same atomic, idempotent
rules as `dutygraph load`; the body's size is bounded here (read one byte past the limit).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse

from .. import models
from ..deps import ERRORS, PROBLEM, AnswersDep, Cursor, Limit, Offset, ReadKey, ServicesDep, WriteKey, keyset_page

router = APIRouter(tags=["documents"])


@router.get("/api/documents", response_model=models.Page[models.DocumentSummary], dependencies=[ReadKey])
def documents(
    svc: ServicesDep, request: Request, limit: Limit = 50, offset: Offset = 0, cursor: Cursor = None
) -> dict[str, Any]:
    """Stored documents with their counts."""
    return keyset_page(request, svc.documents_page(limit=limit, cursor=cursor, offset=offset), offset)


@router.get("/api/documents/{doc_id}", response_model=models.DocumentDetail, responses=ERRORS, dependencies=[ReadKey])
def document(svc: ServicesDep, doc_id: str) -> dict[str, Any]:
    """One document (by id, 文号, title or file name): sections, counts and citations both ways."""
    return svc.document_detail(doc_id)


@router.post(
    "/api/documents",
    status_code=201,
    response_model=models.StoredDocument,
    responses={
        200: {"model": models.StoredDocument, "description": "unchanged"},
        400: {**PROBLEM, "description": "the multipart body cannot be parsed"},
        413: PROBLEM,
        415: PROBLEM,
    },
    dependencies=[WriteKey],
)
def upload(
    svc: ServicesDep,
    answers: AnswersDep,
    file: Annotated[UploadFile, File(description="one document: txt, docx, pdf, html, xlsx or csv")],
) -> JSONResponse:
    """Extract and store one document, atomically; an unchanged document is not rewritten (200)."""
    # Read one byte past the limit, so the service can tell "too large" without reading everything.
    data = file.file.read(int(svc.settings.upload_max_mb * 1024 * 1024) + 1)
    summary = svc.upload(file.filename or "", data)
    if summary.action in ("created", "replaced"):
        answers.clear()  # kept under the version before: never asked for again, so given back now
    body = {"doc_id": summary.doc_id, "action": summary.action, "counts": summary.counts}
    return JSONResponse(body, status_code=201 if summary.action in ("created", "replaced") else 200)


@router.delete(
    "/api/documents/{doc_id}", response_model=models.StoredDocument, responses=ERRORS, dependencies=[WriteKey]
)
def delete_document(svc: ServicesDep, answers: AnswersDep, doc_id: str) -> dict[str, Any]:
    """Remove a document and everything only it created."""
    summary = svc.remove(doc_id)
    answers.clear()  # kept under the version before: never asked for again, so given back now
    return {"doc_id": summary.doc_id, "action": summary.action, "counts": summary.counts}
