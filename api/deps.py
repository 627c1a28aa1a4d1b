"""What a route depends on: the services, the access (keys, scopes, loopback), the shared
parameters and pagination.

``create_app`` puts one :class:`~dutygraph.services.Services`, one :class:`Access` and the app's
recent answers (:class:`~.middleware.Answers`) on ``app.state``; a route asks for them here and
never builds its own::

    @router.get("/api/documents", dependencies=[ReadKey])
    def documents(svc: ServicesDep) -> ...:
        return svc.documents()

Who may do what: ``DUTYGRAPH_API_KEYS`` holds comma-separated ``KEY=scope+scope`` entries (scopes
``read``, ``cypher``, ``write``); a request carries its key in ``X-API-Key``.  Read endpoints are
open when the server listens on loopback (unless ``DUTYGRAPH_READ_REQUIRES_KEY``); ad-hoc Cypher
and writes always need a key.  Keys are compared in constant time and never logged.

``ReadKey``, ``CypherKey`` and ``WriteKey`` check the ``X-API-Key`` header for their scope; the
header shows in the OpenAPI document, which is how ``api/openapi.py`` knows an operation answers
401 and 403.  The parameters every router shares (pages, dates, roles, documents) and the page
shapes are here too, so that a route's signature reads from one module.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import Depends, Header, HTTPException, Query, Request

from dutygraph.services import Page, Services
from dutygraph.settings import Settings

from . import models
from .middleware import Answers

# ---------------------------------------------------------------- access: API keys, scopes, loopback


class StartupRefused(SystemExit):
    """The server will not start as configured (the message says why)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings, host: str, *, insecure: bool) -> None:
    """Refuse a non-loopback address without API keys, unless explicitly insecure."""
    if not is_loopback(host) and not settings.parsed_api_keys() and not insecure:
        raise StartupRefused(
            f"refusing to listen on {host} without API keys: set DUTYGRAPH_API_KEYS "
            "(e.g. KEY=read+cypher), or pass --insecure to serve an open network anyway"
        )


class Access:
    """The configured keys and whether reads are open; the key checks below ask it about each request."""

    def __init__(self, settings: Settings, *, reads_open: bool) -> None:
        self.keys = settings.parsed_api_keys()
        self.reads_open = reads_open

    def scopes_of(self, given: str) -> frozenset[str] | None:
        """The scopes of a key, comparing against every configured key in constant time."""
        found: frozenset[str] | None = None
        for key, scopes in self.keys.items():
            if hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8")):
                found = scopes
        return found

    def check(self, scope: str, given: str | None) -> None:
        """Let a request with key ``given`` through to an endpoint that needs ``scope``, or refuse
        it (401 without a known key, 403 with a key that lacks the scope)."""
        if scope == "read" and self.reads_open:
            return
        if not given:
            raise HTTPException(
                401,
                f"this endpoint needs an API key with the {scope} scope in the X-API-Key header",
                headers={"WWW-Authenticate": "X-API-Key"},
            )
        scopes = self.scopes_of(given)
        if scopes is None:
            raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "X-API-Key"})
        if scope not in scopes:
            raise HTTPException(403, f"this API key lacks the {scope} scope")


# ---------------------------------------------------------------- dependencies: services, answers, key checks


def get_services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


def get_access(request: Request) -> Access:
    return cast(Access, request.app.state.access)


def get_answers(request: Request) -> Answers:
    return cast(Answers, request.app.state.answers)


ServicesDep = Annotated[Services, Depends(get_services)]
AccessDep = Annotated[Access, Depends(get_access)]
AnswersDep = Annotated[Answers, Depends(get_answers)]


def _key_check(scope: str) -> Callable[..., None]:
    def check(
        access: AccessDep,
        x_api_key: Annotated[str | None, Header(description="an API key with the scope needed")] = None,
    ) -> None:
        access.check(scope, x_api_key)

    check.__name__ = f"{scope}_key"
    return check


ReadKey = Depends(_key_check("read"))
CypherKey = Depends(_key_check("cypher"))
WriteKey = Depends(_key_check("write"))


# ---------------------------------------------------------------- shared parameters, error responses and pages

#: The most rows one page may hold.
MAX_PAGE = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip (the older way: `next` is cheaper)")]
Cursor = Annotated[
    str | None, Query(max_length=2000, description="where the page starts: the cursor of the `next` link before")
]
DateParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date")]
RoleParam = Annotated[str | None, Query(pattern="^(lead|support|joint)$", description="lead, support or joint")]
DocumentParam = Annotated[str | None, Query(description="document id, 文号, title or file name")]
MaxNodes = Annotated[int, Query(ge=2, le=5000, description="node cap: the least linked nodes beyond it are folded")]

#: An error response in the OpenAPI document (api/openapi.py rewrites them all to problem+json).
PROBLEM: dict[str, Any] = {"model": models.Problem, "content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {404: PROBLEM, 409: PROBLEM, 422: PROBLEM}


def page(rows: list[Any], limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    """One page of ``rows`` with the total before paging (the shape of :class:`~.models.Page`)."""
    return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset : offset + limit], **extra}


def keyset_page(request: Request, found: Page, offset: int, **extra: Any) -> dict[str, Any]:
    """A page the store paged (the shape of :class:`~.models.Page`): its ``next`` link is this request's
    path and query with the next page's cursor instead of any offset or cursor given."""
    link = None
    if found.next is not None:
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "offset")]
        link = request.url.path + "?" + urlencode([*kept, ("cursor", found.next)])
    return {"total": found.total, "limit": found.limit, "offset": offset, "items": found.rows, "next": link, **extra}
