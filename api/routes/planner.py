"""The planner pages, in Chinese (``?lang=en`` for English): ``/`` — an agency's tasks beside its network,
filtered by role, document, jurisdiction and deadline, the most loaded agencies, the unassigned tasks with
their suggested owners and the stored documents (gathered by :meth:`~dutygraph.services.Services.planner`);
``/tasks/{id}`` — one task as a page (clause, provenance, units, milestones, history, suggestions);
``/calendar`` — the dated steps month by month, overdue ones marked, with the agency's .ics to subscribe to."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from dutygraph import display

from ..deps import DateParam, ReadKey, ServicesDep
from ..labels import labels

router = APIRouter()
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
# The page shows things as the CLI does (dutygraph.display): file name for a document without a
# title, "jurisdiction unknown", the year when the date is unknown, plurals, fixed decimals.
TEMPLATES.env.filters.update(
    document_name=display.document_name,
    jurisdiction=display.jurisdiction,
    issued=display.issued,
    plural=display.plural,
    decimal=display.decimal,
)
Lang = Annotated[str | None, Query(pattern="^(zh|en)$", description="zh (default) or en")]
Text = Annotated[str | None, Query(max_length=200)]


def _render(request: Request, template: str, context: dict[str, Any], lang: str | None) -> HTMLResponse:
    context["lang"], context["t"] = labels(lang)
    context["nonce"] = secrets.token_urlsafe(18)  # the page's scripts run under this nonce (its CSP)
    return TEMPLATES.TemplateResponse(request, template, context)


@router.get("/", response_class=HTMLResponse, include_in_schema=False, dependencies=[ReadKey])
def planner(
    svc: ServicesDep,
    request: Request,
    q: Text = None,
    lang: Lang = None,
    role: Annotated[str | None, Query(pattern="^(lead|support|joint|)$")] = None,
    document: Text = None,
    jurisdiction: Text = None,
    due_before: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = None,
) -> HTMLResponse:
    # An empty select is no filter.
    context = svc.planner(
        q,
        role=role or None,
        document=document or None,
        jurisdiction=jurisdiction or None,
        due_before=due_before or None,
    )
    return _render(request, "planner.html", context, lang)


@router.get("/tasks/{task_id}", response_class=HTMLResponse, include_in_schema=False, dependencies=[ReadKey])
def task_page(svc: ServicesDep, request: Request, task_id: str, lang: Lang = None) -> HTMLResponse:
    context = {
        "task": svc.task(task_id),
        "suggestions": svc.task_suggestions(task_id),
        "history": svc.task_history(task_id)["history"],
    }
    return _render(request, "task.html", context, lang)


@router.get("/calendar", response_class=HTMLResponse, include_in_schema=False, dependencies=[ReadKey])
def calendar_page(
    svc: ServicesDep,
    request: Request,
    agency: Text = None,
    document: Text = None,
    today: DateParam = None,
    lang: Lang = None,
) -> HTMLResponse:
    reference = date.fromisoformat(today) if today else date.today()
    unit, steps = svc.milestones(agency=agency or None, document=document or None, today=reference)
    months: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for step in steps:
        months[step["due"][:7]].append(step)
    context = {
        "unit": unit,
        "document": document,
        "today": reference.isoformat(),
        "months": sorted(months.items()),
        "overdue": sum(1 for s in steps if s["status"] == "overdue"),
        "steps": len(steps),
    }
    return _render(request, "calendar.html", context, lang)
