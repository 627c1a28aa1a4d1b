"""CSV and TSV: a 任务分工表 exported as comma-, tab- or semicolon-separated values.

The bytes are decoded as plain text is (see `.text`), then each delimiter is tried in turn
(tab first for a .tsv) until one gives a row with a 分工表 header; a file where none does is
a `ReadError`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .base import RawDocument, ReadError, read_bytes, with_warnings
from .tables import HEADER_SEARCH_ROWS, NO_HEADER, GridRow, Table, TextBuilder, cell_text, find_table
from .text import decode_text


def read_csv(path: Path, max_bytes: int) -> RawDocument:
    data = read_bytes(path, max_bytes)
    text, encoding, notes = decode_text(path, data)
    found: tuple[Table, list[str]] | None = None
    delimiters = ("\t", ",", ";") if path.suffix.lower() == ".tsv" else (",", "\t", ";")
    for delimiter in delimiters:
        rows = _csv_rows(path, text, delimiter)
        found = find_table(rows, None)
        if found is not None:
            break
    if found is None:
        raise ReadError(path, f"{NO_HEADER} in its first {HEADER_SEARCH_ROWS} rows")
    builder = TextBuilder()
    builder.table(*found)
    return RawDocument(
        path=path,
        format=path.suffix.lower().lstrip(".") or "csv",
        text=builder.text(),
        encoding=encoding,
        tables=[found[0]],
        metadata=with_warnings({}, notes),
    )


def _csv_rows(path: Path, text: str, delimiter: str) -> list[GridRow]:
    rows: list[GridRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first_line = 1
    try:
        for record in reader:
            cells = [cell_text(v) for v in record]
            rows.append(GridRow(line=first_line, cells=cells, own_content=any(cells)))
            first_line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(path, f"malformed CSV near line {reader.line_num} ({exc})") from None
    return rows
