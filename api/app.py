"""The FastAPI application: the planner page and the JSON API, thin over :mod:`dutygraph.services`.

Every route parses its parameters, calls one service method and shapes the
answer with a model from :mod:`.models`.  Errors are RFC 9457 problem details
(``application/problem+json``) everywhere; no traceback ever reaches a client.
Access rules are in :mod:`.security`.
"""

from __future__ import annotations

import csv
import io
import logging
import secrets
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from dutygraph import display, exports
from dutygraph.api import pictures
from dutygraph.graph.store import QueryTimeout, ReadOnlyViolation, StoreError
from dutygraph.queries import QueryNotFound, QueryParameterError, all_queries, coerce_param
from dutygraph.services import Ambiguous, BadArgument, NotFound, Rejected, Services
from dutygraph.settings import Settings, get_settings

from . import models
from .analytics_routes import analytics_router
from .security import Access, StartupRefused, check_bind, is_loopback

log = logging.getLogger("dutygraph.api")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# The page shows things as the CLI does (dutygraph.display): file name for a document without a
# title, "jurisdiction unknown", the year when the date is unknown, plurals, fixed decimals.
TEMPLATES.env.filters.update(
    document_name=display.document_name,
    jurisdiction=display.jurisdiction,
    issued=display.issued,
    plural=display.plural,
    decimal=display.decimal,
)

__all__ = ["StartupRefused", "check_bind", "create_app"]

Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
DateParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date")]
RoleParam = Annotated[str | None, Query(pattern="^(lead|support|joint)$", description="lead, support or joint")]
MaxNodes = Annotated[int, Query(ge=2, le=5000, description="node cap: the least linked nodes beyond it are folded")]
PROBLEM = {"model": models.Problem, "content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {404: PROBLEM, 409: PROBLEM, 422: PROBLEM}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def page(rows: list[Any], limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset : offset + limit], **extra}


def csv_response(columns: list[str], records: list[dict[str, Any]], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_value(record.get(c)) for c in columns])
    return Response(
        out.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(str(_csv_value(v)) for v in value)
    if isinstance(value, dict):
        return value.get("name") or value.get("id") or str(value)
    return value


def create_app(settings: Settings | None = None, services: Services | None = None, host: str = "127.0.0.1") -> FastAPI:
    """The application for one data source.  ``host`` is the address the server
    listens on: read endpoints are open on loopback unless configured otherwise."""
    settings = settings or get_settings()
    svc = services or Services(settings)
    access = Access(settings, reads_open=is_loopback(host) and not settings.read_requires_key)
    app = FastAPI(
        title="dutygraph",
        summary="Responsibility and collaboration networks in government plans.",
        description=(
            "Who leads (牵头, `lead`), who supports (协同/配合, `support`) and who shares "
            "(按职责分工负责, `joint`) each task, across every loaded plan. Names accept any form — "
            "short name (省大数据局), alias, canonical name or id — in simplified or traditional characters. "
            "Lists are paginated with `limit`/`offset` and report `total`. Errors are RFC 9457 problem details."
        ),
        version="0.1.0",
        docs_url=None,  # served below from files shipped with the package: no CDN, works offline
        redoc_url=None,
    )
    app.state.services = svc
    _offline_docs(app)
    if settings.cors_origins.strip():
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o.strip() for o in settings.cors_origins.split(",") if o.strip()],
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type"],
        )

    @app.middleware("http")
    async def timing(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        # Method, path, status and time only: never headers (API keys) or bodies.
        log.info(
            "%s %s %s %.1fms",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    # ------------------------------------------------------------ errors

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem(404, "Not found", str(exc))

    @app.exception_handler(Ambiguous)
    async def ambiguous(request: Request, exc: Ambiguous) -> JSONResponse:
        return problem(409, "Ambiguous name", str(exc), candidates=exc.candidates)

    @app.exception_handler(BadArgument)
    async def bad_argument(request: Request, exc: BadArgument) -> JSONResponse:
        return problem(422, "Invalid request", str(exc))

    @app.exception_handler(QueryNotFound)
    async def no_query(request: Request, exc: QueryNotFound) -> JSONResponse:
        return problem(404, "Not found", f"no query named {exc.args[0]!r}")

    @app.exception_handler(QueryParameterError)
    async def bad_params(request: Request, exc: QueryParameterError) -> JSONResponse:
        return problem(400, "Bad parameters", str(exc))

    @app.exception_handler(ReadOnlyViolation)
    async def read_only(request: Request, exc: ReadOnlyViolation) -> JSONResponse:
        return problem(403, "Write refused", str(exc))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        return problem(504, "Query timed out", str(exc))

    @app.exception_handler(Rejected)
    async def rejected(request: Request, exc: Rejected) -> JSONResponse:
        return problem(exc.status, "Document rejected", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        # Cypher errors from an audit tool's own query are its to see; other store errors are ours.
        if request.url.path == "/api/cypher":
            return problem(400, "Query failed", str(exc))
        log.error("store error on %s: %s", request.url.path, exc)
        return problem(503, "Database error", "the graph database could not answer this request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, "Invalid request", detail or "the request is not valid")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(500, "Internal error", "an unexpected error occurred; it has been logged")

    # ------------------------------------------------------------ operation

    @app.get("/healthz", tags=["operation"])
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operation"], responses={503: {"description": "database unreachable"}})
    def readyz() -> JSONResponse:
        """The database answers."""
        ready = svc.store.ping()
        return JSONResponse({"status": "ready" if ready else "unavailable"}, status_code=200 if ready else 503)

    read = access.dependency("read")
    app.include_router(analytics_router(svc, read))

    # ------------------------------------------------------------ agencies

    @app.get("/api/agencies", tags=["agencies"], response_model=models.Page[models.Unit], dependencies=[read])
    def agencies(
        q: Annotated[str, Query(max_length=100, description="part of any name form, either script")] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Agencies and groups whose name, short name or alias contains ``q``."""
        return page(svc.search_units(q), limit, offset)

    @app.get(
        "/api/agencies/{name}",
        tags=["agencies"],
        response_model=models.UnitDetail,
        responses=ERRORS,
        dependencies=[read],
    )
    def agency(name: str) -> dict[str, Any]:
        """One agency or group by any name form or id: names, task counts by role, linked bodies."""
        return svc.unit(name)

    @app.get(
        "/api/agencies/{name}/tasks",
        tags=["agencies"],
        response_model=models.AgencyTasks,
        responses=ERRORS,
        dependencies=[read],
    )
    def agency_tasks(
        name: str,
        role: RoleParam = None,
        document: Annotated[str | None, Query(description="document id, 文号 or title")] = None,
        due_after: DateParam = None,
        due_before: DateParam = None,
        counterparts: Annotated[bool, Query(description="include counterparts at other levels")] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The tasks an agency touches, with its role, deadlines, partners and the clause as written."""
        unit, rows = svc.agency_tasks(
            name, role=role, document=document, due_after=due_after, due_before=due_before, counterparts=counterparts
        )
        return page(rows, limit, offset, agency=unit)

    @app.get(
        "/api/agencies/{name}/collaborators",
        tags=["agencies"],
        response_model=models.Collaborators,
        responses=ERRORS,
        dependencies=[read],
    )
    def agency_collaborators(
        name: str,
        document: Annotated[str | None, Query(description="document id, 文号 or title")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The units an agency shares tasks with, and in which roles."""
        unit, rows = svc.collaborators(name, document)
        return page(rows, limit, offset, agency=unit)

    # ------------------------------------------------------------ tasks

    @app.get("/api/tasks", tags=["tasks"], response_model=models.Page[models.TaskSummary], dependencies=[read])
    def tasks(
        q: Annotated[str | None, Query(max_length=200, description="text the task contains, either script")] = None,
        unassigned: Annotated[bool, Query(description="only tasks no clause assigns")] = False,
        document: Annotated[str | None, Query(description="document id, 文号 or title")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Tasks by text, or the unassigned ones."""
        return page(svc.tasks(q, unassigned=unassigned, document=document), limit, offset)

    @app.get(
        "/api/tasks/{task_id}",
        tags=["tasks"],
        response_model=models.TaskDetail,
        responses=ERRORS,
        dependencies=[read],
    )
    def task(task_id: str) -> dict[str, Any]:
        """One task: its units, milestones, the clause as written with its offsets, and its document."""
        return svc.task(task_id)

    # ------------------------------------------------------------ documents

    @app.get(
        "/api/documents", tags=["documents"], response_model=models.Page[models.DocumentSummary], dependencies=[read]
    )
    def documents(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stored documents with their counts."""
        return page(svc.documents(), limit, offset)

    @app.get(
        "/api/documents/{doc_id}",
        tags=["documents"],
        response_model=models.DocumentDetail,
        responses=ERRORS,
        dependencies=[read],
    )
    def document(doc_id: str) -> dict[str, Any]:
        """One document (by id, 文号, title or file name): sections, counts and citations both ways."""
        return svc.document_detail(doc_id)

    @app.post(
        "/api/documents",
        tags=["documents"],
        status_code=201,
        response_model=models.StoredDocument,
        responses={
            200: {"model": models.StoredDocument, "description": "unchanged"},
            400: {**PROBLEM, "description": "the multipart body cannot be parsed"},
            413: PROBLEM,
            415: PROBLEM,
        },
        dependencies=[access.dependency("write")],
    )
    def upload(file: Annotated[UploadFile, File(description="one document: txt, docx, pdf, html, xlsx or csv")]):
        """Extract and store one document, atomically; an unchanged document is not rewritten (200)."""
        # Read one byte past the limit, so the service can tell "too large" without reading everything.
        data = file.file.read(int(svc.settings.upload_max_mb * 1024 * 1024) + 1)
        summary = svc.upload(file.filename or "", data)
        body = {"doc_id": summary.doc_id, "action": summary.action, "counts": summary.counts}
        return JSONResponse(body, status_code=201 if summary.action in ("created", "replaced") else 200)

    @app.delete(
        "/api/documents/{doc_id}",
        tags=["documents"],
        response_model=models.StoredDocument,
        responses=ERRORS,
        dependencies=[access.dependency("write")],
    )
    def delete_document(doc_id: str) -> dict[str, Any]:
        """Remove a document and everything only it created."""
        summary = svc.remove(doc_id)
        return {"doc_id": summary.doc_id, "action": summary.action, "counts": summary.counts}

    # ------------------------------------------------------------ paths

    @app.get("/api/paths", tags=["agencies"], response_model=models.PathOut, responses=ERRORS, dependencies=[read])
    def paths(
        start: Annotated[str, Query(alias="from", min_length=1, description="a unit: any name form or id")],
        end: Annotated[str, Query(alias="to", min_length=1, description="a unit: any name form or id")],
    ) -> dict[str, Any]:
        """The shortest chain of shared tasks between two units."""
        return svc.path(start, end)

    # ------------------------------------------------------------ canned queries and Cypher

    @app.get("/api/queries", tags=["queries"], response_model=models.Page[models.QueryInfo], dependencies=[read])
    def queries(limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        """Every named query in queries/, with its description, parameters and columns."""
        return page([q.to_dict() for q in all_queries().values()], limit, offset)

    @app.get(
        "/api/queries/{name}",
        tags=["queries"],
        response_model=models.QueryRows,
        responses={**ERRORS, 400: PROBLEM, 200: {"content": {"text/csv": {}}}},
        dependencies=[read],
    )
    def run_query(name: str, request: Request) -> Any:
        """Run a named query with its parameters from the query string, as JSON, or as CSV
        (``/api/queries/NAME.csv`` or ``Accept: text/csv``)."""
        as_csv = name.endswith(".csv") or "text/csv" in request.headers.get("accept", "")
        name = name.removesuffix(".csv")
        params = {k: coerce_param(v) for k, v in request.query_params.items()}
        result = svc.query(name, params)
        if as_csv:
            return csv_response(result.columns, result.records(), f"{name}.csv")
        return {"columns": result.columns, "rows": result.records(), "truncated": result.truncated}

    @app.post(
        "/api/cypher",
        tags=["queries"],
        response_model=models.CypherResult,
        responses={400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 504: PROBLEM},
        dependencies=[access.dependency("cypher")],
    )
    def cypher(body: models.CypherRequest) -> dict[str, Any]:
        """An audit tool's own read-only Cypher, with a time limit and a row cap."""
        result = svc.cypher(body.query, body.params)
        return {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}

    # ------------------------------------------------------------ exports

    @app.get(
        "/api/export/assignments.{fmt}",
        tags=["exports"],
        responses={200: {"content": {"text/csv": {}, exports.XLSX_MEDIA_TYPE: {}}}, **ERRORS},
        dependencies=[read],
    )
    def export_assignments(
        fmt: Annotated[str, PathParam(pattern="^(csv|xlsx)$")],
        agency: Annotated[str | None, Query(description="only tasks this unit touches")] = None,
        document: Annotated[str | None, Query(description="document id, 文号 or title")] = None,
        due_after: DateParam = None,
        due_before: DateParam = None,
    ) -> Response:
        """The 任务分工表: 序号, 任务, 牵头单位, 配合单位, 完成时限, 来源文件.  The file is named after
        what it holds (任务分工表-浙江省档案局.xlsx; an unknown agency or document answers 404)."""
        unit = svc.resolve_unit(agency) if agency else None
        doc = svc.document(document) if document else None
        rows = exports.table_rows(
            svc.assignments_table(
                agency=unit["id"] if unit else None,
                document=doc["doc_id"] if doc else None,
                due_after=due_after,
                due_before=due_before,
            )
        )
        if fmt == "csv":
            data, media = exports.table_csv(rows), "text/csv; charset=utf-8"
        else:
            data, media = exports.table_xlsx(rows), exports.XLSX_MEDIA_TYPE
        window = "至".join(d for d in (due_after, due_before) if d)
        name = [
            ("任务分工表", "assignments"),
            (unit["name"], unit["id"]) if unit else ("", ""),
            (display.document_name(doc), doc["doc_id"]) if doc else ("", ""),
            (window, window.replace("至", "-")),
        ]
        return Response(data, media_type=media, headers={"Content-Disposition": exports.attachment(name, fmt)})

    @app.get(
        "/api/export/graph.{fmt}",
        tags=["exports"],
        responses={200: {"content": {"application/xml": {}}}, **ERRORS},
        dependencies=[read],
    )
    def export_graph(
        fmt: Annotated[str, PathParam(pattern="^(graphml|gexf)$")],
        document: Annotated[str | None, Query(description="document id, 文号 or title")] = None,
        year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
        jurisdiction: str | None = None,
        level: Annotated[str | None, Query(pattern="^(national|province|city|county)$")] = None,
    ) -> Response:
        """The unit–task network for Gephi and other tools (GraphML or GEXF): nodes labelled with
        their names, units carrying the analytics of this network (load, overload, centrality, community)."""
        graph = svc.network_export(
            documents=[document] if document else None, year=year, jurisdiction=jurisdiction, level=level
        )
        data = exports.graph_graphml(graph) if fmt == "graphml" else exports.graph_gexf(graph)
        doc = svc.document(document) if document else None
        name = [
            ("协作网络", "graph"),
            (display.document_name(doc), doc["doc_id"]) if doc else ("", ""),
            (str(year or ""), str(year or "")),
            (jurisdiction or "", ""),
            (level or "", level or ""),
        ]
        return Response(
            data, media_type="application/xml", headers={"Content-Disposition": exports.attachment(name, fmt)}
        )

    _problems_in_openapi(app)

    # ------------------------------------------------------------ pictures (vis-network, served from here)

    def picture_page(picture: pictures.Picture) -> HTMLResponse:
        return HTMLResponse(pictures.render(picture, assets="/static"))

    @app.get(
        "/viz/agency/{name}", tags=["pictures"], response_class=HTMLResponse, responses=ERRORS, dependencies=[read]
    )
    def viz_agency(name: str, max_nodes: MaxNodes = pictures.DEFAULT_MAX_NODES) -> HTMLResponse:
        """An agency's ego network (HTML): its tasks and their other units; role by edge colour and style."""
        unit = svc.resolve_unit(name)
        return picture_page(pictures.agency_view(svc.store, unit["id"], max_nodes=max_nodes))

    @app.get("/viz/network", tags=["pictures"], response_class=HTMLResponse, responses=ERRORS, dependencies=[read])
    def viz_network(
        document: Annotated[str | None, Query(description="document id, 文号 or title")] = None,
        jurisdiction: Annotated[str | None, Query(description="only documents of this jurisdiction")] = None,
        max_nodes: MaxNodes = pictures.DEFAULT_MAX_NODES,
    ) -> HTMLResponse:
        """The collaboration network of agencies (HTML): sized by load, coloured by community."""
        doc_id = svc.document(document)["doc_id"] if document else None
        view = pictures.network_view(svc.store, document=doc_id, jurisdiction=jurisdiction or None, max_nodes=max_nodes)
        return picture_page(view)

    @app.get(
        "/viz/document/{doc_id}", tags=["pictures"], response_class=HTMLResponse, responses=ERRORS, dependencies=[read]
    )
    def viz_document(doc_id: str, max_nodes: MaxNodes = pictures.DEFAULT_MAX_NODES) -> HTMLResponse:
        """One document's network (HTML): its tasks and the units assigned to them."""
        doc = svc.document(doc_id)
        return picture_page(pictures.document_view(svc.store, doc["doc_id"], max_nodes=max_nodes))

    @app.get("/static/{asset}", include_in_schema=False)
    def static_asset(asset: str) -> Response:
        """vis-network's script and style sheet, from the pyvis package: the pictures need no CDN."""
        media = {"vis-network.min.js": "text/javascript", "vis-network.min.css": "text/css"}
        if asset not in media:
            raise StarletteHTTPException(404, f"no static file {asset!r}")
        return Response(
            pictures.vis_asset(asset),
            media_type=f"{media[asset]}; charset=utf-8",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    # ------------------------------------------------------------ planner page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False, dependencies=[read])
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
        context["overloaded"] = pictures.overloaded(svc, top=10)
        context["nonce"] = secrets.token_urlsafe(18)
        return TEMPLATES.TemplateResponse(request, "planner.html", context)

    return app


DOCS_ASSETS = "/docs-assets"


def _offline_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) with its script, style sheet and icon served by this app, from the files
    the fastapi-offline package ships (Swagger UI 5): no request leaves the machine, as for the planner
    page and the pictures.  There is no ``/redoc``: ReDoc fetches its logo from its own CDN."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    app.mount(DOCS_ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} · API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )


def _problems_in_openapi(app: FastAPI) -> None:
    """Make the OpenAPI document say what the error handlers above really send.

    FastAPI documents its own validation errors as ``application/json``
    ``HTTPValidationError`` and puts a ``responses=`` model under
    ``application/json`` too; every error here is ``application/problem+json``
    in the :class:`~.models.Problem` shape.  So every error response (a Problem
    or FastAPI's validation error) is rewritten to that one media type and
    schema, an operation behind an API key also documents 401 and 403, and
    every ``/api`` operation documents 503 (the database failing).
    """
    build = app.openapi
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    problem_refs = {"#/components/schemas/Problem", "#/components/schemas/HTTPValidationError"}

    def is_problem(response: dict[str, Any]) -> bool:
        return any(c.get("schema", {}).get("$ref") in problem_refs for c in response.get("content", {}).values())

    def as_problem(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/problem+json": {"schema": problem_ref}}}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, response in responses.items():
                    if is_problem(response):
                        title = _TITLES.get(int(status), "Error") if status.isdigit() else "Error"
                        responses[status] = as_problem(response.get("description") or title)
                keyed = any(
                    p.get("in") == "header" and p.get("name", "").lower() == "x-api-key"
                    for p in operation.get("parameters", [])
                )
                if keyed:
                    responses.setdefault("401", as_problem("no API key, or an unknown one"))
                    responses.setdefault("403", as_problem("the API key lacks the scope needed"))
                if path.startswith("/api/"):
                    responses.setdefault("503", as_problem("the graph database could not answer"))
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Problem", models.Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed", 413: "Too large"}
