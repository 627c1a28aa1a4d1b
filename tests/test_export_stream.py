"""The 任务分工表 exports stream (issue 14, item 1): real app, real embedded FalkorDB, the seed graph.

The reference below is the whole-file export as it was before it streamed (main at 337b32f: rows
listed whole, the CSV made by one ``csv_table``, the workbook by a normal openpyxl ``Workbook``),
kept here so that the streamed files are proven equal to it, cell by cell."""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from dutygraph.api.app import create_app
from dutygraph.display import document_name
from dutygraph.output import csv_table
from dutygraph.services import Services

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HEADERS = ["序号", "任务", "牵头单位", "配合单位", "完成时限", "来源文件"]
FILTERS = [
    {},
    {"agency": "省档案局"},
    {"agency": "省大数据局"},
    {"document": "浙政办发〔2019〕17号", "due_after": "2019-04-01", "due_before": "2019-04-30"},
]


def reference_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for number, r in enumerate(records, start=1):
        dues = sorted({d for d in r["dues"] if d})
        deadline = "、".join(dues) or "；".join(r["deadline_notes"] or [])
        source = document_name(r) + (f"（{r['doc_number']}）" if r["doc_number"] else "")
        rows.append([number, r["text"], "、".join(r["leads"]), "、".join(r["supports"]), deadline, source])
    return rows


def reference_xlsx(rows: list[list[Any]], title: str = "任务分工表") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "任务分工"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
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


def reference_records(services: Services, filters: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of the unpaged assignments_table query (the paged reads must give the same)."""
    given = dict(filters)
    if "document" in given:
        given["document"] = services.document(given["document"])["doc_id"]
    return services.assignments_table(**given)


@pytest.fixture(scope="module")
def api(seed_services) -> TestClient:
    return TestClient(create_app(seed_services.settings, seed_services), base_url="http://localhost")


def sheet_of(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def cells(sheet: Worksheet) -> list[tuple[Any, ...]]:
    """Every cell with what a planner sees of it: value, type, bold, size, wrapping, alignment."""
    return [
        (c.coordinate, c.value, c.data_type, c.font.b, c.font.sz, c.alignment.wrap_text, c.alignment.vertical)
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=len(HEADERS))
        for c in row
    ]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f) or "all")
def test_the_streamed_csv_has_the_bytes_of_the_whole_file_export(api, seed_services, filters):
    response = api.get("/api/export/assignments.csv", params=filters)
    assert response.status_code == 200
    rows = reference_rows(reference_records(seed_services, filters))
    assert rows, "a filter that selects nothing proves little"
    assert response.content == csv_table(HEADERS, rows)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="assignments')


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f) or "all")
def test_the_streamed_xlsx_equals_the_whole_workbook_cell_by_cell(api, seed_services, filters):
    response = api.get("/api/export/assignments.xlsx", params=filters)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"].startswith('attachment; filename="assignments')
    streamed = sheet_of(response.content)
    whole = sheet_of(reference_xlsx(reference_rows(reference_records(seed_services, filters))))
    assert streamed.title == whole.title
    assert (streamed.max_row, streamed.max_column) == (whole.max_row, whole.max_column)
    assert cells(streamed) == cells(whole)
    assert {str(r) for r in streamed.merged_cells.ranges} == {str(r) for r in whole.merged_cells.ranges} == {"A1:F1"}
    assert streamed.freeze_panes == whole.freeze_panes == "A3"
    for column in "ABCDEF":
        assert streamed.column_dimensions[column].width == whole.column_dimensions[column].width


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("filters", "named"), [({"agency": "没有这个单位"}, "没有这个单位"), ({"document": "nope"}, "nope")]
)
def test_an_unknown_agency_or_document_answers_404_with_no_partial_file(api, fmt, filters, named):
    response = api.get(f"/api/export/assignments.{fmt}", params=filters)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert named in response.json()["detail"]
    assert "content-disposition" not in response.headers


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_many_pages_gives_every_row_once_and_in_order(seed_services, fmt):
    """Seven rows a page: the seed graph's table is many pages, read one after the other."""
    rows = reference_rows(reference_records(seed_services, {}))
    assert len(rows) > 5 * 7
    file = seed_services.export_assignments(fmt, page_size=7)
    assert not isinstance(file.data, bytes)
    data = b"".join(file.data)
    if fmt == "csv":
        assert data == csv_table(HEADERS, rows)
        return
    assert file.length == len(data)
    streamed = [list(r) for r in sheet_of(data).iter_rows(min_row=3, values_only=True)]
    assert [r[0] for r in streamed] == list(range(1, len(rows) + 1))
    assert streamed == [[v if v != "" else None for v in r] for r in rows]


def test_a_failure_in_the_middle_of_a_stream_is_logged_and_cuts_the_body(caplog):
    """What a client sees when the store fails on a later page: the 200 is sent, the body stops short."""
    from fastapi import FastAPI

    from dutygraph import exports
    from dutygraph.api.routes.exports import download
    from dutygraph.graph.store import StoreError

    def chunks():
        yield b"\xef\xbb\xbf" + ",".join(HEADERS).encode() + b"\r\n"
        raise StoreError("the database went away")

    app = FastAPI()
    app.get("/file.csv")(lambda: download(exports.Download(chunks(), "text/csv", 'attachment; filename="a.csv"')))
    # The failure is not swallowed (a swallowed one would end the chunked body as if complete): the
    # server ends the connection there, which the test client shows by raising it.
    with pytest.raises(StoreError), caplog.at_level("ERROR", logger="dutygraph.api"):
        TestClient(app).get("/file.csv")
    assert "a download was cut off after" in caplog.text and 'filename="a.csv"' in caplog.text
    assert "the database went away" in caplog.text
