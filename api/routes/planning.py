"""Suggested owners, task histories and the follow-up calendar: /api/suggestions, /api/tasks/{id}/suggestions,
/api/tasks/{id}/history, /api/milestones, /api/agencies/{name}/calendar.ics, /api/analytics/carried-over."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from dutygraph.errors import BadArgument

from .. import models
from ..deps import ERRORS, DateParam, DocumentParam, Limit, Offset, ReadKey, RoleParam, ServicesDep, page
from .exports import download

router = APIRouter(tags=["planning"], dependencies=[ReadKey])

Top = Annotated[int, Query(ge=1, le=20, description="suggestions listed per task and role")]


def _day(value: str | None, name: str) -> date | None:
    """An ISO date parameter as a date; one that matches the pattern but is no day (2019-02-30) is a 422."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise BadArgument(f"{name} must be a date (YYYY-MM-DD), not {value!r}") from None


@router.get("/api/suggestions", response_model=models.Page[models.SuggestedOwners], responses=ERRORS)
def suggestions(
    svc: ServicesDep, document: DocumentParam = None, top: Top = 3, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Every unassigned task with its suggested leads and supports — suggestions, never assignments."""
    return page(svc.suggestions(document=document, top=top), limit, offset)


@router.get("/api/tasks/{task_id}/suggestions", response_model=models.TaskSuggestions, responses=ERRORS)
def task_suggestions(svc: ServicesDep, task_id: str) -> dict[str, Any]:
    """A task's suggested owners, ranked, each with its score and the nearest precedents that voted for it
    (their document and clause as written)."""
    return svc.task_suggestions(task_id)


@router.get("/api/tasks/{task_id}/history", response_model=models.TaskHistory, responses=ERRORS)
def task_history(svc: ServicesDep, task_id: str) -> dict[str, Any]:
    """The tasks of earlier and later documents this one continues or is continued by, oldest first."""
    return svc.task_history(task_id)


@router.get("/api/milestones", response_model=models.Milestones, responses=ERRORS)
def milestones(
    svc: ServicesDep,
    start: Annotated[DateParam, Query(alias="from")] = None,
    end: Annotated[DateParam, Query(alias="to")] = None,
    agency: Annotated[str | None, Query(description="only tasks of this unit: any name form or id")] = None,
    role: RoleParam = None,
    document: DocumentParam = None,
    today: DateParam = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Dated steps due from ``from`` to ``to`` (inclusive), by agency and document, each overdue, due or
    upcoming against ``today`` (the server's date unless given)."""
    unit, rows = svc.milestones(
        start=_day(start, "from"),
        end=_day(end, "to"),
        agency=agency,
        role=role,
        document=document,
        today=_day(today, "today"),
    )
    overdue = sum(1 for r in rows if r["status"] == "overdue")
    return page(rows, limit, offset, agency=unit, overdue=overdue)


@router.get("/api/agencies/{name}/calendar.ics", responses={200: {"content": {"text/calendar": {}}}, **ERRORS})
def calendar(svc: ServicesDep, name: str, role: RoleParam = None, document: DocumentParam = None) -> Response:
    """An agency's follow-up calendar (iCalendar): one all-day event per dated step of its tasks, to
    subscribe to in a calendar application."""
    return download(svc.calendar(name, role=role, document=document))


@router.get("/api/analytics/carried-over", response_model=list[models.CarriedOver], responses=ERRORS)
def carried_over(
    svc: ServicesDep, agency: Annotated[str | None, Query(description="one unit: any name form or id")] = None
) -> list[dict[str, Any]]:
    """Per unit, how many of its tasks continue a task of an earlier document (carried over)."""
    return svc.carried_over(agency)
