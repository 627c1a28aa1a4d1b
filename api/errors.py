"""Errors as RFC 9457 problem details (``application/problem+json``), chosen by the error's type.

Every domain error a service raises has one status here (:data:`PROBLEMS`); where the error
happened plays no part.  A ``StoreError`` not named more precisely is the database failing (503,
logged, with a message that gives nothing away); anything else is a bug (500, logged).  No
traceback ever reaches a client.

>>> status_of(TooLarge("x.pdf: over the limit")), status_of(StoreUnavailable("down"))
(413, 503)
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dutygraph.errors import (
    Ambiguous,
    BadArgument,
    NotFound,
    QueryFailed,
    Rejected,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from dutygraph.graph.store import QueryRefused, QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable
from dutygraph.queries import QueryNotFound, QueryParameterError

from .middleware import RETRY_AFTER_SECONDS

log = logging.getLogger("dutygraph.api")

#: Each domain error's status and title; a subclass not listed takes its nearest listed base's.
PROBLEMS: dict[type[Exception], tuple[int, str]] = {
    NotFound: (404, "Not found"),
    QueryNotFound: (404, "Not found"),
    Ambiguous: (409, "Ambiguous name"),
    BadArgument: (422, "Invalid request"),
    QueryParameterError: (400, "Bad parameters"),
    QueryFailed: (400, "Query failed"),
    QueryRefused: (400, "Query refused"),
    ReadOnlyViolation: (403, "Write refused"),
    QueryTimeout: (504, "Query timed out"),
    Rejected: (400, "Document rejected"),
    UnsupportedFormat: (415, "Document rejected"),
    TooLarge: (413, "Document rejected"),
    Unreadable: (422, "Document rejected"),
    StoreUnavailable: (503, "Database error"),
    StoreError: (503, "Database error"),
}
#: The database failing: its message is ours, not the client's (logged, answered with a fixed detail).
PRIVATE = (StoreError, StoreUnavailable)
PRIVATE_DETAIL = "the graph database could not answer this request"
TITLES = {
    **{401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed", 413: "Too large"},
    503: "Busy",
}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def kind_of(exc: Exception) -> type[Exception]:
    """The nearest of the error's types that :data:`PROBLEMS` lists."""
    return next(k for k in type(exc).__mro__ if k in PROBLEMS)


def status_of(exc: Exception) -> int:
    return PROBLEMS[kind_of(exc)][0]


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    kind = kind_of(exc)
    status, title = PROBLEMS[kind]
    if kind in PRIVATE:
        log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        response = problem(status, title, PRIVATE_DETAIL)
        # The store starts a dead embedded database again as it finds it: a retry soon is answered.
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    extra = {"candidates": exc.candidates} if isinstance(exc, Ambiguous) else {}
    return problem(status, title, str(exc), **extra)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = problem(exc.status_code, TITLES.get(exc.status_code, "Error"), str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return problem(422, "Invalid request", detail or "the request is not valid")


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")


def install(app: FastAPI) -> None:
    """Register the handlers: one per domain error type, HTTP and validation errors, and the rest."""
    for kind in PROBLEMS:
        app.add_exception_handler(kind, domain_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)
