"""/api/tasks: tasks by text or unassigned, and one task with its units, milestones and clause."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from .. import models
from ..deps import ERRORS, Cursor, DocumentParam, Limit, Offset, ReadKey, ServicesDep, keyset_page

router = APIRouter(tags=["tasks"], dependencies=[ReadKey])


@router.get("/api/tasks", response_model=models.Page[models.TaskSummary], responses=ERRORS)
def tasks(
    svc: ServicesDep,
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="text the task contains, either script")] = None,
    unassigned: Annotated[bool, Query(description="only tasks no clause assigns")] = False,
    document: DocumentParam = None,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Tasks by text, or the unassigned ones (with ``q``: the unassigned ones holding the text)."""
    found = svc.tasks_page(q, unassigned=unassigned, document=document, limit=limit, cursor=cursor, offset=offset)
    return keyset_page(request, found, offset)


@router.get("/api/tasks/{task_id}", response_model=models.TaskDetail, responses=ERRORS)
def task(svc: ServicesDep, task_id: str) -> dict[str, Any]:
    """One task: its units, milestones, the clause as written with its offsets, and its document."""
    return svc.task(task_id)
