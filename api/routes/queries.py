"""/api/queries: the named queries of queries/ (JSON or CSV); /api/cypher: an audit tool's own Cypher.

Ad-hoc Cypher is checked read-only, time-limited and row-capped by
:meth:`~dutygraph.services.Services.cypher`; the limits that protect the server from it belong here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from dutygraph import output
from dutygraph.errors import BadArgument
from dutygraph.queries import all_queries, coerce_param, load_query

from .. import models
from ..deps import ERRORS, MAX_PAGE, PROBLEM, CypherKey, Limit, Offset, ReadKey, ServicesDep, keyset_page, page
from ..middleware import CypherSlot

router = APIRouter(tags=["queries"])


@router.get("/api/queries", response_model=models.Page[models.QueryInfo], dependencies=[ReadKey])
def queries(limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Every named query in queries/, with its description, parameters and columns."""
    return page([q.to_dict() for q in all_queries().values()], limit, offset)


@router.get(
    "/api/queries/{name}",
    response_model=models.QueryRows,
    responses={**ERRORS, 400: PROBLEM, 200: {"content": {"text/csv": {}}}},
    dependencies=[ReadKey],
)
def run_query(svc: ServicesDep, name: str, request: Request) -> Any:
    """Run a named query with its parameters from the query string, as JSON, or as CSV
    (``/api/queries/NAME.csv`` or ``Accept: text/csv``)."""
    as_csv = name.endswith(".csv") or "text/csv" in request.headers.get("accept", "")
    name = name.removesuffix(".csv")
    params = {k: coerce_param(v) for k, v in request.query_params.items() if k != "cursor"}
    cursor = request.query_params.get("cursor")
    if load_query(name).paged and (cursor or params.get("limit") is not None):
        # One page, paged in the store, with the total and the next page's link.
        limit = params.pop("limit", None)
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise BadArgument(f"limit must be a whole number from 1 to {MAX_PAGE}, not {limit!r}")
        found = svc.page(name, params, limit=limit, cursor=cursor)
        if as_csv:
            return csv_response(found.columns, found.rows, f"{name}.csv")
        shaped = keyset_page(request, found, 0)
        body = {"columns": found.columns, "rows": found.rows, "truncated": False}
        return body | {k: shaped[k] for k in ("total", "limit", "next")}
    result = svc.query(name, params)
    if as_csv:
        return csv_response(result.columns, result.records(), f"{name}.csv")
    return {"columns": result.columns, "rows": result.records(), "truncated": result.truncated}


@router.post(
    "/api/cypher",
    response_model=models.CypherResult,
    responses={400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 413: PROBLEM, 503: PROBLEM, 504: PROBLEM},
    dependencies=[CypherKey, CypherSlot],
)
def cypher(svc: ServicesDep, body: models.CypherRequest) -> dict[str, Any]:
    """An audit tool's own read-only Cypher, with a time limit and a row cap; as many at once as
    ``DUTYGRAPH_CYPHER_CONCURRENCY`` allows (503 with ``Retry-After`` beyond)."""
    result = svc.cypher(body.query, body.params)
    return {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}


def csv_response(columns: list[str], records: list[dict[str, Any]], filename: str) -> Response:
    """Rows as a CSV download, written by :mod:`dutygraph.output` as `dutygraph query --csv` writes them."""
    return Response(
        output.csv_bytes(columns, records),
        media_type=output.CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
