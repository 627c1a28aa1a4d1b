"""Excel .xlsx: 任务分工表 sheets recognised by their Chinese column headers (openpyxl).

Every sheet with content is searched for a header; sheets without one are named in a
warning, and a workbook where no sheet has one is a `ReadError`.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .base import RawDocument, ReadError, not_zip_reason, reason_of, with_warnings
from .tables import NO_HEADER, GridRow, Table, TextBuilder, cell_text, find_table


def read_xlsx(path: Path, max_bytes: int) -> RawDocument:
    del max_bytes  # checked by read_document
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise ReadError(path, f"not a valid Excel .xlsx file ({not_zip_reason(path)})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles/validation it drops
            # Not read_only: openpyxl's read-only worksheets do not expose merged cells.
            workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:
        raise ReadError(path, f"not a valid Excel .xlsx file ({reason_of(exc)})") from None

    try:
        sheets = [(sheet.title, _sheet_rows(sheet)) for sheet in workbook.worksheets]
        props = workbook.properties
        metadata = {"title": props.title or "", "author": props.creator or ""}
    finally:
        workbook.close()
    return workbook_document(path, "xlsx", sheets, metadata)


def workbook_document(
    path: Path, fmt: str, sheets: Iterable[tuple[str, list[GridRow]]], metadata: dict[str, str]
) -> RawDocument:
    """The 分工表 sheets of a workbook (each sheet's name and its rows as text, merged ranges
    already spread) as one `RawDocument`: shared by .xlsx and .xls, so both read alike.

    Sheets without content are passed over, sheets without a 分工表 header named in a warning,
    and a workbook where no sheet has one is a `ReadError`.
    """
    builder = TextBuilder()
    tables: list[Table] = []
    without_header: list[str] = []
    for title, rows in sheets:
        if not any(r.own_content for r in rows):
            continue
        found = find_table(rows, title)
        if found is None:
            without_header.append(title)
            continue
        if tables:
            builder.add("\n")
        builder.table(*found)
        tables.append(found[0])

    if not tables:
        if not without_header:
            raise ReadError(path, "empty file (no sheet has any content)")
        names = ", ".join(repr(s) for s in without_header)
        raise ReadError(path, f"sheet {names}: {NO_HEADER}")
    notes = [f"sheet {name!r} skipped: {NO_HEADER}" for name in without_header]
    return RawDocument(
        path=path,
        format=fmt,
        text=builder.text(),
        encoding=None,
        tables=tables,
        metadata=with_warnings(metadata, notes),
    )


def _sheet_rows(sheet: Any) -> list[GridRow]:
    """A worksheet's values as text, merged ranges spread as `grid_rows` says."""
    max_row, max_col = sheet.max_row, sheet.max_column
    grid = [
        [cell_text(v) for v in values]
        for values in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col, values_only=True)
    ]
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    return grid_rows(grid, merged)


def grid_rows(grid: list[list[str]], merged: Iterable[tuple[int, int, int, int]]) -> list[GridRow]:
    """A sheet's cell texts as `GridRow`s, with each merged range (first row, first column,
    last row, last column; 1-based, inclusive) spread.

    A merged range's value is repeated down its first column, so a 重点任务 spanning several
    具体措施 rows is on each of them; it is not repeated across columns, so a section heading or
    a note merged across the whole table stays in the first column only.

    >>> [r.cells for r in grid_rows([["任务", "措施"], ["", "措施二"]], [(1, 1, 2, 1)])]
    [['任务', '措施'], ['任务', '措施二']]
    """
    max_row = len(grid)
    max_col = max((len(row) for row in grid), default=0)
    own = [any(row) for row in grid]
    for min_row, min_col, last_row, _ in merged:
        if min_row > max_row or min_col > max_col:
            continue
        value = grid[min_row - 1][min_col - 1]
        for r in range(min_row, min(last_row, max_row)):
            grid[r][min_col - 1] = value
    return [GridRow(line=i + 1, cells=row, own_content=own[i]) for i, row in enumerate(grid)]
