"""Exports planners and analysts use: the 任务分工表 (CSV, Excel) and the network (GraphML, GEXF).

The table has the layout of the task-division tables attached to plans:
序号, 任务, 牵头单位, 配合单位, 完成时限, 来源文件.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import quote

import networkx as nx

from dutygraph.display import document_name
from dutygraph.output import CSV_MEDIA_TYPE, csv_chunks

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_MEDIA_TYPE = "application/xml"
TABLE_HEADERS = ["序号", "任务", "牵头单位", "配合单位", "完成时限", "来源文件"]
TABLE_FORMATS = ("csv", "xlsx")
GRAPH_FORMATS = ("graphml", "gexf")


@dataclass(frozen=True, slots=True)
class Download:
    """A file to hand over: its bytes — whole, or chunks to send as they come (a download that
    streams) — its media type, ``Content-Disposition`` (see :func:`attachment`) and, for chunks whose
    size is known beforehand, ``length``."""

    data: bytes | Iterator[bytes]
    media_type: str
    disposition: str
    length: int | None = None

    def whole(self) -> bytes:
        """The bytes of the file, the chunks joined (for a file that is written out whole)."""
        return self.data if isinstance(self.data, bytes) else b"".join(self.data)


def assignments_download(rows: Iterable[list[Any]], fmt: str, name: list[tuple[str, str]]) -> Download:
    """The 任务分工表 ``rows`` as ``csv`` or ``xlsx``, named by ``name`` (see :func:`attachment`), as
    chunks: the CSV made as the rows come (:func:`table_csv`), the workbook written whole to a file
    of its own first (:func:`table_xlsx`), then sent from there."""
    if fmt == "csv":
        return Download(table_csv(rows), CSV_MEDIA_TYPE, attachment(name, fmt))
    file = table_xlsx(rows)
    return Download(file_chunks(file), XLSX_MEDIA_TYPE, attachment(name, fmt), os.fstat(file.fileno()).st_size)


def graph_download(graph: nx.Graph, fmt: str, name: list[tuple[str, str]]) -> Download:
    """The network as ``graphml`` or ``gexf``, named by ``name``."""
    data = graph_graphml(graph) if fmt == "graphml" else graph_gexf(graph)
    return Download(data, XML_MEDIA_TYPE, attachment(name, fmt))


def table_rows(records: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """assignments_table query records → 任务分工表 rows, one by one as the records come."""
    for number, r in enumerate(records, start=1):
        dues = sorted({d for d in r["dues"] if d})
        deadline = "、".join(dues) or "；".join(r["deadline_notes"] or [])
        source = document_name(r) + (f"（{r['doc_number']}）" if r["doc_number"] else "")
        yield [number, r["text"], "、".join(r["leads"]), "、".join(r["supports"]), deadline, source]


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


def table_csv(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, which Excel needs to show Chinese correctly, in chunks made as
    the rows come (:func:`.output.csv_chunks`: its quoting and its guard against formulas).  The
    first chunk is made at once, here: the first rows are read before the answer starts, so a store
    that fails on them is an error answer, not a file cut short."""
    chunks = csv_chunks(TABLE_HEADERS, rows)
    first = next(chunks)
    return itertools.chain((first,), chunks)


#: Widths of the columns 序号, 任务, 牵头单位, 配合单位, 完成时限, 来源文件 (in characters).
TABLE_WIDTHS = (6, 60, 24, 36, 16, 36)
#: Bytes of a file :func:`file_chunks` sends at a time.
FILE_CHUNK = 64 * 1024


def table_xlsx(rows: Iterable[list[Any]], title: str = "任务分工表") -> BinaryIO:
    """The 任务分工表 as an Excel workbook in a temporary file, open and already unlinked (the
    space is given back when the file is closed: :func:`file_chunks` closes it once sent, or once
    the client has gone).  Written by openpyxl's write-only workbook, row by row as the rows come:
    the memory it takes does not grow with the rows.  It keeps the layout of the normal workbook —
    the title merged over the columns (14 pt bold), the bold header, the widths, the panes frozen
    under the header, every cell of the rows wrapped and aligned top — and stores every text as
    text (openpyxl would write one starting with = as a formula: a unit named =1+2, or a task
    =HYPERLINK(…), would run in the planner's Excel).  What a write-only sheet cannot do is change
    a cell once written; nothing here needs it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.cell_range import CellRange

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务分工")
    for column, width in zip("ABCDEF", TABLE_WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A3"
    heading = WriteOnlyCell(ws, title)
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    ws.merged_cells.add(CellRange(min_row=1, min_col=1, max_row=1, max_col=len(TABLE_HEADERS)))
    bold = Font(bold=True)
    header = []
    for name in TABLE_HEADERS:
        cell = WriteOnlyCell(ws, name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value)
            if isinstance(value, str):
                cell.data_type = "s"
            cell.alignment = wrapped
            cells.append(cell)
        ws.append(cells)
    file = tempfile.TemporaryFile(prefix="dutygraph-export-", suffix=".xlsx")  # noqa: SIM115  # handed on open
    try:
        wb.save(file)  # a file object as well as a name
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


def file_chunks(file: BinaryIO) -> Iterator[bytes]:
    """The bytes of ``file`` from where it stands, :data:`FILE_CHUNK` at a time; the file is closed
    at the end, or when the chunks are dropped before it (a client gone halfway)."""
    with file:
        while chunk := file.read(FILE_CHUNK):
            yield chunk


def graph_graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def graph_gexf(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
