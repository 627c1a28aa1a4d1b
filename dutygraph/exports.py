"""Exports planners and analysts use: the 任务分工表 (CSV, Excel) and the network (GraphML, GEXF).

The table has the layout of the task-division tables attached to plans:
序号, 任务, 牵头单位, 配合单位, 完成时限, 来源文件.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import networkx as nx

from dutygraph.display import document_name
from dutygraph.output import CSV_MEDIA_TYPE, csv_table

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_MEDIA_TYPE = "application/xml"
TABLE_HEADERS = ["序号", "任务", "牵头单位", "配合单位", "完成时限", "来源文件"]
TABLE_FORMATS = ("csv", "xlsx")
GRAPH_FORMATS = ("graphml", "gexf")


@dataclass(frozen=True, slots=True)
class Download:
    """A file to hand over: its bytes, media type and ``Content-Disposition`` (see :func:`attachment`)."""

    data: bytes
    media_type: str
    disposition: str


def assignments_download(rows: list[list[Any]], fmt: str, name: list[tuple[str, str]]) -> Download:
    """The 任务分工表 ``rows`` as ``csv`` or ``xlsx``, named by ``name`` (see :func:`attachment`)."""
    if fmt == "csv":
        return Download(table_csv(rows), CSV_MEDIA_TYPE, attachment(name, fmt))
    return Download(table_xlsx(rows), XLSX_MEDIA_TYPE, attachment(name, fmt))


def graph_download(graph: nx.Graph, fmt: str, name: list[tuple[str, str]]) -> Download:
    """The network as ``graphml`` or ``gexf``, named by ``name``."""
    data = graph_graphml(graph) if fmt == "graphml" else graph_gexf(graph)
    return Download(data, XML_MEDIA_TYPE, attachment(name, fmt))


def table_rows(records: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """assignments_table query records → 任务分工表 rows."""
    rows = []
    for number, r in enumerate(records, start=1):
        dues = sorted({d for d in r["dues"] if d})
        deadline = "、".join(dues) or "；".join(r["deadline_notes"] or [])
        source = document_name(r) + (f"（{r['doc_number']}）" if r["doc_number"] else "")
        rows.append([number, r["text"], "、".join(r["leads"]), "、".join(r["supports"]), deadline, source])
    return rows


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\s]+')


def attachment(parts: list[tuple[str, str]], suffix: str) -> str:
    """A ``Content-Disposition`` naming a download after what it holds: ``parts`` are (what people
    read, ASCII form) pairs, e.g. ``("任务分工表", "assignments")``, ``(unit name, unit id)``.
    Browsers take the UTF-8 name (RFC 6266 ``filename*``); ``curl -OJ`` the ASCII one.

    >>> header = attachment([("任务分工表", "assignments"), ("省档案局", "unit-1a2b")], "xlsx")
    >>> header.split("; ")[1]
    'filename="assignments-unit-1a2b.xlsx"'
    >>> from urllib.parse import unquote
    >>> unquote(header.split("UTF-8''")[1])
    '任务分工表-省档案局.xlsx'
    """
    readable = "-".join(_UNSAFE_IN_FILE_NAMES.sub("_", shown).strip("_") for shown, _ in parts if shown)
    ascii_name = "-".join(_UNSAFE_IN_FILE_NAMES.sub("_", plain).strip("_") for _, plain in parts if plain)
    ascii_name = ascii_name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}.{suffix}\"; filename*=UTF-8''{quote(readable)}.{suffix}"


def table_csv(rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to show Chinese correctly (:mod:`.output`)."""
    return csv_table(TABLE_HEADERS, rows)


def table_xlsx(rows: list[list[Any]], title: str = "任务分工表") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "任务分工"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TABLE_HEADERS))
    ws.append(TABLE_HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            # openpyxl writes a text starting with = as a formula: a unit named =1+2, or a task
            # =HYPERLINK(…), would run in the planner's Excel.  Text is stored as text.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for column, width in zip("ABCDEF", (6, 60, 24, 36, 16, 36), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def graph_graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def graph_gexf(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
