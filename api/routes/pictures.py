"""/viz: the pictures of the network as pages (drawn by :mod:`dutygraph.api.pictures`, as `dutygraph
viz` draws them), and the vis-network files they load from /static — no CDN."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import pictures
from ..deps import ERRORS, DocumentParam, MaxNodes, ReadKey, ServicesDep

router = APIRouter(tags=["pictures"])
ASSETS = "/static"
MEDIA = {"vis-network.min.js": "text/javascript", "vis-network.min.css": "text/css"}


def picture_page(picture: pictures.Picture) -> HTMLResponse:
    return HTMLResponse(pictures.render(picture, assets=ASSETS))


@router.get("/viz/agency/{name}", response_class=HTMLResponse, responses=ERRORS, dependencies=[ReadKey])
def viz_agency(svc: ServicesDep, name: str, max_nodes: MaxNodes = pictures.DEFAULT_MAX_NODES) -> HTMLResponse:
    """An agency's ego network (HTML): its tasks and their other units; role by edge colour and style."""
    return picture_page(pictures.agency_view(svc, name, max_nodes=max_nodes))


@router.get("/viz/network", response_class=HTMLResponse, responses=ERRORS, dependencies=[ReadKey])
def viz_network(
    svc: ServicesDep,
    document: DocumentParam = None,
    jurisdiction: Annotated[str | None, Query(description="only documents of this jurisdiction")] = None,
    max_nodes: MaxNodes = pictures.DEFAULT_MAX_NODES,
) -> HTMLResponse:
    """The collaboration network of agencies (HTML): sized by load, coloured by community."""
    view = pictures.network_view(svc, document=document, jurisdiction=jurisdiction or None, max_nodes=max_nodes)
    return picture_page(view)


@router.get("/viz/document/{doc_id}", response_class=HTMLResponse, responses=ERRORS, dependencies=[ReadKey])
def viz_document(svc: ServicesDep, doc_id: str, max_nodes: MaxNodes = pictures.DEFAULT_MAX_NODES) -> HTMLResponse:
    """One document's network (HTML): its tasks and the units assigned to them."""
    return picture_page(pictures.document_view(svc, doc_id, max_nodes=max_nodes))


@router.get(ASSETS + "/{asset}", include_in_schema=False)
def static_asset(asset: str) -> Response:
    """vis-network's script and style sheet, from the pyvis package: the pictures need no CDN."""
    if asset not in MEDIA:
        raise StarletteHTTPException(404, f"no static file {asset!r}")
    return Response(
        pictures.vis_asset(asset),
        media_type=f"{MEDIA[asset]}; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )
