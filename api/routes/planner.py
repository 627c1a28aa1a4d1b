"""/: the planner page — an agency's tasks beside its network, the most loaded agencies, the
unassigned tasks and the stored documents (gathered by :meth:`~dutygraph.services.Services.planner`)."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from dutygraph import display

from ..deps import ReadKey, ServicesDep

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


@router.get("/", response_class=HTMLResponse, include_in_schema=False, dependencies=[ReadKey])
def planner(svc: ServicesDep, request: Request, q: str | None = None) -> HTMLResponse:
    context = svc.planner(q)
    context["nonce"] = secrets.token_urlsafe(18)  # the page's scripts run under this nonce (its CSP)
    return TEMPLATES.TemplateResponse(request, "planner.html", context)
