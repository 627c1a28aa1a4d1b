"""Parameters and answer shapes the routers share: pagination, dates, roles, documents, error responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from . import models

Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
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
