"""The FastAPI application: settings, middleware and routers, wired together — nothing else.

==================  ==========================================================================
``routes/``         one router per resource (agencies, tasks, documents, queries, exports, …)
``deps``            what a route depends on: the services, the access (API keys, scopes, loopback;
                    where the server may listen), the shared parameters and pagination
``middleware``      what runs before a route: ETags, 304 and the recent answers of reads (the graph's
                    version keys them), body sizes, host names, ad-hoc Cypher's share of the database,
                    the request log
``errors``          domain errors → RFC 9457 problem details, by the error's type
``openapi``         ``/docs`` served offline; the OpenAPI document's error responses
``models``          the answers' shapes (and so the OpenAPI schema)
``pictures``        the network pictures (pyvis → one HTML page), for ``/viz`` and `dutygraph viz`
``cli``             the `dutygraph` command line, over the same services
``server``          how `dutygraph serve` runs this app (uvicorn)
==================  ==========================================================================

Every route parses its parameters, calls one method of :class:`~dutygraph.services.Services`
and shapes the answer with a model from :mod:`.models`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from dutygraph.services import Services
from dutygraph.settings import Settings, get_settings

from . import errors, middleware, openapi
from .deps import Access, StartupRefused, check_bind, is_loopback
from .routes import ROUTERS

__all__ = ["StartupRefused", "check_bind", "create_app"]

DESCRIPTION = (
    "Who leads (牵头, `lead`), who supports (协同/配合, `support`) and who shares "
    "(按职责分工负责, `joint`) each task, across every loaded plan. Names accept any form — "
    "short name (省大数据局), alias, canonical name or id — in simplified or traditional characters. "
    "Lists are paged in the database: each page reports `total` and `limit`, and `next` links the next page "
    "(an opaque `cursor`; `offset` still works, at the cost of reading the rows it skips). Every read carries an "
    "`ETag` of the graph's version: send it back in `If-None-Match` for a `304` while nothing changed. "
    "Errors are RFC 9457 problem details."
)


def create_app(settings: Settings | None = None, services: Services | None = None, host: str = "127.0.0.1") -> FastAPI:
    """The application for one data source.  ``host`` is the address the server
    listens on: read endpoints are open on loopback unless configured otherwise."""
    settings = settings or get_settings()
    app = FastAPI(
        title="dutygraph",
        summary="Responsibility and collaboration networks in government plans.",
        description=DESCRIPTION,
        version="0.1.0",
        docs_url=None,  # served by api/openapi.py from files shipped with the package: no CDN, works offline
        redoc_url=None,
    )
    app.state.services = services or Services(settings)
    reads_open = is_loopback(host) and not settings.read_requires_key
    app.state.access = Access(settings, reads_open=reads_open)
    # the recent answers of reads, the API's own: their key holds the graph's version (api/middleware.py)
    app.state.answers = middleware.Answers(max_entries=settings.answer_cache)
    # Innermost: the limits (Host check, body size), CORS headers and the request log apply to kept answers too.
    app.add_middleware(middleware.CachedAnswers)
    middleware.install(app, settings, reads_open=reads_open)
    if settings.cors_origins.strip():
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o.strip() for o in settings.cors_origins.split(",") if o.strip()],
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type"],
        )
    app.add_middleware(middleware.RequestLog)
    errors.install(app)
    openapi.install(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
