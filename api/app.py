"""The FastAPI application: the planner page and the JSON API, thin over :mod:`dutygraph.services`.

Errors are RFC 9457 problem details (``application/problem+json``) everywhere;
no traceback ever reaches a client.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from dutygraph.graph.store import QueryTimeout, StoreError
from dutygraph.queries import QueryNotFound, QueryParameterError, all_queries
from dutygraph.services import Ambiguous, NotFound, Services
from dutygraph.settings import Settings, get_settings

log = logging.getLogger("dutygraph.api")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class StartupRefused(SystemExit):
    pass


def check_bind(settings: Settings, host: str, *, insecure: bool) -> None:
    """Refuse to listen beyond loopback unless told so explicitly."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not insecure:
        raise StartupRefused(
            f"refusing to listen on {host}: only loopback is allowed without API keys; "
            "pass --insecure to serve an open network anyway"
        )


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or get_settings()
    svc = services or Services(settings)
    app = FastAPI(
        title="dutygraph",
        description="Who leads (牵头) and who supports (协同/配合) each task in government plans.",
        version="0.1.0",
    )
    app.state.services = svc

    @app.middleware("http")
    async def timing(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        log.info(
            "%s %s %s %.1fms",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem(404, "Not found", str(exc))

    @app.exception_handler(Ambiguous)
    async def ambiguous(request: Request, exc: Ambiguous) -> JSONResponse:
        return problem(409, "Ambiguous name", str(exc), candidates=exc.candidates)

    @app.exception_handler(QueryNotFound)
    async def no_query(request: Request, exc: QueryNotFound) -> JSONResponse:
        return problem(404, "Not found", f"no query named {exc.args[0]!r}")

    @app.exception_handler(QueryParameterError)
    async def bad_params(request: Request, exc: QueryParameterError) -> JSONResponse:
        return problem(400, "Bad parameters", str(exc))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return problem(504, "Query timed out", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error on %s: %s", request.url.path, exc)
        return problem(503, "Database error", "the graph database could not answer this request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, "Error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(422, "Invalid request", "the request's parameters are not valid", errors=exc.errors())

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(500, "Internal error", "an unexpected error occurred; it has been logged")

    # ------------------------------------------------------------ operation

    @app.get("/healthz", tags=["operation"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operation"])
    def readyz() -> JSONResponse:
        ready = svc.store.ping()
        return JSONResponse({"status": "ready" if ready else "unavailable"}, status_code=200 if ready else 503)

    # ------------------------------------------------------------ resources

    @app.get("/api/documents", tags=["documents"])
    def documents() -> dict[str, Any]:
        rows = svc.documents()
        return {"total": len(rows), "items": rows}

    @app.get("/api/agencies/{name}/tasks", tags=["agencies"])
    def agency_tasks(
        name: str,
        role: Annotated[str | None, Query(pattern="^(lead|support|joint)$")] = None,
        document: str | None = None,
        due_after: str | None = None,
        due_before: str | None = None,
        counterparts: bool = False,
    ) -> dict[str, Any]:
        unit, rows = svc.agency_tasks(
            name, role=role, document=document, due_after=due_after, due_before=due_before, counterparts=counterparts
        )
        return {"agency": unit, "total": len(rows), "items": rows}

    @app.get("/api/queries", tags=["queries"])
    def queries() -> dict[str, Any]:
        items = [q.to_dict() for q in all_queries().values()]
        return {"total": len(items), "items": items}

    @app.get("/api/queries/{name}", tags=["queries"])
    def run_query(name: str, request: Request) -> dict[str, Any]:
        result = svc.query(name, dict(request.query_params))
        return {"columns": result.columns, "rows": result.records(), "truncated": result.truncated}

    # ------------------------------------------------------------ planner page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def planner(request: Request, q: str | None = None) -> HTMLResponse:
        context: dict[str, Any] = {"q": q, "unit": None, "rows": [], "error": None, "candidates": []}
        if q:
            try:
                context["unit"], context["rows"] = svc.agency_tasks(q)
            except Ambiguous as exc:
                context["error"] = str(exc)
                context["candidates"] = exc.candidates
            except NotFound as exc:
                context["error"] = str(exc)
        context["documents"] = svc.documents()
        context["unassigned"] = svc.query("unassigned_tasks").records()
        return TEMPLATES.TemplateResponse(request, "planner.html", context)

    return app
