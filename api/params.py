"""Parameters and answer shapes the routers share: pagination, dates, roles, documents, error responses."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request

from dutygraph.services import Page

from . import models

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
