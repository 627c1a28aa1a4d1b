"""/api/agencies: agencies and groups by any name form, their tasks and collaborators; /api/paths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from .. import models
from ..deps import ERRORS, Cursor, DateParam, DocumentParam, Limit, Offset, ReadKey, RoleParam, ServicesDep, keyset_page

router = APIRouter(tags=["agencies"], dependencies=[ReadKey])


@router.get("/api/agencies", response_model=models.Page[models.Unit])
def agencies(
    svc: ServicesDep,
    request: Request,
    q: Annotated[str, Query(max_length=100, description="part of any name form, either script")] = "",
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Agencies and groups whose name, short name or alias contains ``q``."""
    return keyset_page(request, svc.search_units_page(q, limit=limit, cursor=cursor, offset=offset), offset)


@router.get("/api/agencies/{name}", response_model=models.UnitDetail, responses=ERRORS)
def agency(svc: ServicesDep, name: str) -> dict[str, Any]:
    """One agency or group by any name form or id: names, task counts by role, linked bodies."""
    return svc.unit(name)


@router.get("/api/agencies/{name}/tasks", response_model=models.AgencyTasks, responses=ERRORS)
def agency_tasks(
    svc: ServicesDep,
    request: Request,
    name: str,
    role: RoleParam = None,
    document: DocumentParam = None,
    due_after: DateParam = None,
    due_before: DateParam = None,
    counterparts: Annotated[bool, Query(description="include counterparts at other levels")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The tasks an agency touches, with its role, deadlines, partners and the clause as written; one page
    read from the store (follow ``next`` for the next one)."""
    filters = {"role": role, "document": document, "due_after": due_after, "due_before": due_before}
    unit, found = svc.agency_tasks_page(
        name, limit=limit, cursor=cursor, offset=offset, counterparts=counterparts, **filters
    )
    return keyset_page(request, found, offset, agency=unit)


@router.get("/api/agencies/{name}/collaborators", response_model=models.Collaborators, responses=ERRORS)
def agency_collaborators(
    svc: ServicesDep,
    request: Request,
    name: str,
    document: DocumentParam = None,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The units an agency shares tasks with, and in which roles."""
    unit, found = svc.collaborators_page(name, document, limit=limit, cursor=cursor, offset=offset)
    return keyset_page(request, found, offset, agency=unit)


@router.get("/api/paths", response_model=models.PathOut, responses=ERRORS)
def paths(
    svc: ServicesDep,
    start: Annotated[str, Query(alias="from", min_length=1, description="a unit: any name form or id")],
    end: Annotated[str, Query(alias="to", min_length=1, description="a unit: any name form or id")],
) -> dict[str, Any]:
    """The shortest chain of shared tasks between two units."""
    return svc.path(start, end)
