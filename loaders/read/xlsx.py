"""Excel .xlsx: 任务分工表 sheets recognised by their Chinese column headers (openpyxl).

Every sheet with content is searched for a header; sheets without one are named in a
warning, and a workbook where no sheet has one is a `ReadError`.
"""

from __future__ import annotations

import warnings
import zipfile
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
        builder = TextBuilder()
        tables: list[Table] = []
        without_header: list[str] = []
        for sheet in workbook.worksheets:
            rows = _sheet_rows(sheet)
            if not any(r.own_content for r in rows):
                continue
            found = find_table(rows, sheet.title)
            if found is None:
                without_header.append(sheet.title)
                continue
            if tables:
                builder.add("\n")
            builder.table(*found)
            tables.append(found[0])
        props = workbook.properties
        metadata = {"title": props.title or "", "author": props.creator or ""}
    finally:
        workbook.close()

    if not tables:
        if not without_header:
            raise ReadError(path, "empty file (no sheet has any content)")
        names = ", ".join(repr(s) for s in without_header)
        raise ReadError(path, f"sheet {names}: {NO_HEADER}")
    notes = [f"sheet {name!r} skipped: {NO_HEADER}" for name in without_header]
    return RawDocument(
        path=path,
        format="xlsx",
        text=builder.text(),
        encoding=None,
        tables=tables,
        metadata=with_warnings(metadata, notes),
    )


def _sheet_rows(sheet: Any) -> list[GridRow]:
    """A worksheet's values as text.

    A merged range's value is repeated down its first column, so a 重点任务 spanning several
    具体措施 rows is on each of them; it is not repeated across columns, so a section heading or
    a note merged across the whole table stays in the first column only.
    """
    max_row, max_col = sheet.max_row, sheet.max_column
    grid = [
        [cell_text(v) for v in values]
        for values in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col, values_only=True)
    ]
    own = [any(row) for row in grid]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > max_row or merged.min_col > max_col:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, min(merged.max_row, max_row)):
            grid[r][merged.min_col - 1] = value
    return [GridRow(line=i + 1, cells=row, own_content=own[i]) for i, row in enumerate(grid)]
