"""/api/analytics: the overload ranking, centrality, communities and comparisons.

Thin over the same :class:`~dutygraph.services.Services` methods as `dutygraph
overload`, `dutygraph centrality` and `dutygraph compare`, so the API and the
CLI give identical answers for identical parameters.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from .. import models
from ..deps import PROBLEM, ReadKey, ServicesDep

Documents = Annotated[list[str] | None, Query(alias="document", description="only these documents (repeatable)")]
Year = Annotated[int | None, Query(ge=1949, le=2100, description="only documents of this year")]
Jurisdiction = Annotated[str | None, Query(max_length=50, description="only documents of this jurisdiction")]
Level = Annotated[str | None, Query(pattern="^(national|province|city|county)$", description="documents' level")]
Top = Annotated[int, Query(ge=1, le=1000, description="entries to return")]


# A document, year, jurisdiction or level no stored document has is 404 (an error naming it, not an
# empty ranking); a value outside the allowed ones is 422.
router = APIRouter(
    prefix="/api/analytics", tags=["analytics"], dependencies=[ReadKey], responses={404: PROBLEM, 422: PROBLEM}
)


@router.get("/overload", response_model=list[models.OverloadEntry])
def overload(
    svc: ServicesDep,
    top: Top = 20,
    kind: Annotated[str, Query(pattern="^(agency|group)$", description="agencies, or collective units")] = "agency",
    documents: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: Level = None,
) -> list[dict[str, Any]]:
    """Which agencies carry too much: overload = weighted load + deadline crunch + brokerage,
    each entry with its reasons in words and numbers."""
    return svc.overload(top=top, kind=kind, documents=documents, year=year, jurisdiction=jurisdiction, level=level)


@router.get("/centrality", response_model=list[models.CentralityEntry])
def centrality(
    svc: ServicesDep,
    top: Top = 20,
    order_by: Annotated[str, Query(pattern="^(pagerank|betweenness|degree|weighted_degree)$")] = "pagerank",
    documents: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: Level = None,
) -> list[dict[str, Any]]:
    """Partners, tasks shared, betweenness and PageRank in the collaboration network."""
    return svc.centrality(
        top=top, order_by=order_by, documents=documents, year=year, jurisdiction=jurisdiction, level=level
    )


@router.get("/communities", response_model=list[models.Community])
def communities(
    svc: ServicesDep,
    documents: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: Level = None,
) -> list[dict[str, Any]]:
    """Communities of units that work together (Louvain), with their brokers."""
    return svc.communities(documents=documents, year=year, jurisdiction=jurisdiction, level=level)


@router.get("/compare", response_model=models.Comparison)
def compare(
    svc: ServicesDep,
    a: Annotated[str, Query(min_length=1, max_length=200, description="a document (id, 文号, title) or a year")],
    b: Annotated[str, Query(min_length=1, max_length=200, description="another document or year")],
) -> dict[str, Any]:
    """Who gained or lost load between A and B, and which collaborations appeared or disappeared."""
    return svc.compare(a, b)
