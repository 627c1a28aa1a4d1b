"""The API's own description: ``/docs`` served offline, and an OpenAPI document that says what
the error handlers really send (every error an ``application/problem+json`` :class:`~.models.Problem`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from . import models
from .errors import TITLES


def install(app: FastAPI) -> None:
    offline_docs(app)
    problems_in_openapi(app)


DOCS_ASSETS = "/docs-assets"


def offline_docs(app: FastAPI) -> None:
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


def problems_in_openapi(app: FastAPI) -> None:
    """Make the OpenAPI document say what the error handlers (:mod:`.errors`) really send.

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
                        title = TITLES.get(int(status), "Error") if status.isdigit() else "Error"
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
