"""Exports planners and analysts use: the 任务分工表 (CSV, Excel) and the network (GraphML, GEXF).

The table has the layout of the task-division tables attached to plans:
序号, 任务, 牵头单位, 配合单位, 完成时限, 来源文件.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import networkx as nx

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_HEADERS = ["序号", "任务", "牵头单位", "配合单位", "完成时限", "来源文件"]


def table_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    """assignments_table query records → 任务分工表 rows."""
    rows = []
    for number, r in enumerate(records, start=1):
        dues = sorted({d for d in r["dues"] if d})
        deadline = "、".join(dues) or "；".join(r["deadline_notes"] or [])
        source = r["document"] + (f"（{r['doc_number']}）" if r["doc_number"] else "")
        rows.append([number, r["text"], "、".join(r["leads"]), "、".join(r["supports"]), deadline, source])
    return rows


def table_csv(rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to show Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TABLE_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def table_xlsx(rows: list[list[Any]], title: str = "任务分工表") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TABLE_HEADERS))
    ws.append(TABLE_HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
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
