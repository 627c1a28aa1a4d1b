"""Excel 97–2003 .xls (python-calamine): the same 分工表 logic as .xlsx.

python-calamine (Rust's calamine) reads the BIFF8 workbook, its merged ranges and its dates;
the sheets then go through `xlsx.workbook_document`, so an .xls and the .xlsx it was saved from
give the same text, tables and warnings.  A .xls that is really an .xlsx package, or an HTML or
text table saved under .xls (as some systems export), is named as such.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .base import RawDocument, ReadError, file_head, reason_of, sniff_binary
from .tables import cell_text
from .tools import MissingPackage, have_module
from .word97 import OLE_MAGIC
from .xlsx import grid_rows, read_xlsx, workbook_document


def read_xls(path: Path, max_bytes: int) -> RawDocument:
    if zipfile.is_zipfile(path):  # an .xlsx saved under the old suffix
        raw = read_xlsx(path, max_bytes)
        raw.format = "xls"
        return raw
    head = file_head(path)
    if not head.startswith(OLE_MAGIC):
        kind = sniff_binary(head)
        said = f"; it looks like {kind}" if kind else " (an HTML or text table saved as .xls? save it as .xlsx)"
        raise ReadError(path, f"not an Excel 97–2003 workbook (no OLE header){said}")
    if not have_module("python_calamine"):
        raise MissingPackage(path, "to read .xls files", "python-calamine", "formats")
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            grid = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []]
            sheets.append((name, grid_rows(grid, merged)))
    except Exception as exc:
        raise ReadError(path, f"not a valid Excel .xls file ({reason_of(exc)})") from None
    return workbook_document(path, "xls", sheets, {})
