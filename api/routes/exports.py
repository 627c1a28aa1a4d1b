"""/api/export: the 任务分工表 (CSV, Excel) and the unit–task network (GraphML, GEXF), as downloads
named after what they hold (built by the services: :meth:`~dutygraph.services.Services.export_assignments`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse

from dutygraph import exports

from ..deps import ERRORS, DateParam, DocumentParam, ReadKey, ServicesDep

router = APIRouter(tags=["exports"], dependencies=[ReadKey])


log = logging.getLogger("dutygraph.api")


def download(file: exports.Download) -> Response:
    """``file`` as the answer: whole, or streamed chunk by chunk (:class:`StreamingResponse`).

    A streamed file has answered 200 with its headers before its later chunks are made, so a failure
    while making them (the store down on a later page of a CSV) cannot change the status any more:
    the client sees a body cut off — the connection closed without the end of a chunked body, which
    curl, browsers and httpx report as an incomplete transfer, never as a whole file — and the server
    logs the error with the file's name and the bytes sent.  Everything that can be known before
    (an unknown agency or document, a failing first page, the whole workbook) fails before the first
    byte, as an ordinary error answer."""
    headers = {"Content-Disposition": file.disposition}
    if isinstance(file.data, bytes):
        return Response(file.data, media_type=file.media_type, headers=headers)
    if file.length is not None:
        headers["Content-Length"] = str(file.length)
    return StreamingResponse(_logged(file.data, file.disposition), media_type=file.media_type, headers=headers)


def _logged(chunks: Iterator[bytes], what: str) -> Iterator[bytes]:
    """``chunks``, with a failure among them logged before it ends the answer."""
    sent = 0
    try:
        for chunk in chunks:
            sent += len(chunk)
            yield chunk
    except Exception:
        log.exception("a download was cut off after %d bytes (%s)", sent, what)
        raise


@router.get(
    "/api/export/assignments.{fmt}",
    responses={200: {"content": {"text/csv": {}, exports.XLSX_MEDIA_TYPE: {}}}, **ERRORS},
)
def export_assignments(
    svc: ServicesDep,
    fmt: Annotated[str, PathParam(pattern="^(csv|xlsx)$")],
    agency: Annotated[str | None, Query(description="only tasks this unit touches")] = None,
    document: DocumentParam = None,
    due_after: DateParam = None,
    due_before: DateParam = None,
) -> Response:
    """The 任务分工表: 序号, 任务, 牵头单位, 配合单位, 完成时限, 来源文件.  The file is named after
    what it holds (任务分工表-浙江省档案局.xlsx; an unknown agency or document answers 404), and
    streamed: the CSV as the rows are read, the workbook from a temporary file (:func:`download`)."""
    return download(
        svc.export_assignments(fmt, agency=agency, document=document, due_after=due_after, due_before=due_before)
    )


@router.get("/api/export/graph.{fmt}", responses={200: {"content": {"application/xml": {}}}, **ERRORS})
def export_graph(
    svc: ServicesDep,
    fmt: Annotated[str, PathParam(pattern="^(graphml|gexf)$")],
    document: DocumentParam = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    jurisdiction: str | None = None,
    level: Annotated[str | None, Query(pattern="^(national|province|city|county)$")] = None,
) -> Response:
    """The unit–task network for Gephi and other tools (GraphML or GEXF): nodes labelled with
    their names, units carrying the analytics of this network (load, overload, centrality, community)."""
    return download(svc.export_graph(fmt, document=document, year=year, jurisdiction=jurisdiction, level=level))
