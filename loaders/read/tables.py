"""任务分工表 recognition, shared by every table source (xlsx, csv, Word and web-page tables).

A source turns its table into `GridRow`s (one list of cell texts per row, merged cells
already spread as the source's rules say); `find_table` looks for a header row among the
first rows by the Chinese column headers in ``data/table_headers.yaml`` and, when it finds
one, returns a `Table` whose rows map column keys (``lead``, ``support``, ``deadline`` …) to
cells.  `TextBuilder` renders tables and lines into the document text and gives every cell
its offsets in it.

>>> rows = [GridRow(1, ["序号", "重点任务", "牵头单位", "配合单位"], True),
...         GridRow(2, ["1", "建设数据底座", "省大数据局", "省财政厅"], True)]
>>> table, names = find_table(rows, None)
>>> table.keys
['number', 'task', 'lead', 'support']
>>> {key: cell.text for key, cell in table.rows[0].cells.items()}
{'number': '1', 'task': '建设数据底座', 'lead': '省大数据局', 'support': '省财政厅'}
>>> builder = TextBuilder()
>>> builder.table(table, names)
>>> builder.text()
'序号 | 重点任务 | 牵头单位 | 配合单位\\n1 | 建设数据底座 | 省大数据局 | 省财政厅'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .base import Cell, Table, TableRow, normalise_newlines

HEADERS_FILE = Path(__file__).resolve().parents[1] / "data" / "table_headers.yaml"
"""The header vocabulary: column keys, the header texts of each, the keys a header needs."""

# Only this many rows (with content) at the top of a sheet are searched for the header.
HEADER_SEARCH_ROWS = 10

NO_HEADER = "no 任务分工表 header (expected columns such as 序号/重点任务/牵头单位/配合单位/完成时限)"


@dataclass(slots=True)
class _HeaderSpec:
    by_text: dict[str, str]
    required: list[frozenset[str]]


@lru_cache(maxsize=1)
def _header_spec() -> _HeaderSpec:
    """The header vocabulary from ``data/table_headers.yaml``."""
    raw = yaml.safe_load(HEADERS_FILE.read_text(encoding="utf-8"))
    by_text: dict[str, str] = {}
    for key, texts in raw["columns"].items():
        for text in texts:
            by_text[_norm_header(str(text))] = str(key)
    required = [frozenset(str(k) for k in group) for group in raw["required"]]
    return _HeaderSpec(by_text=by_text, required=required)


def _norm_header(text: str) -> str:
    """Header text with all whitespace (line breaks, full-width spaces) and end colons removed."""
    return "".join(text.split()).rstrip(":：")


@dataclass(slots=True)
class GridRow:
    line: int
    cells: list[str]
    own_content: bool  # False when every non-empty cell was filled in from a merge


def _header_keys(cells: Sequence[str]) -> list[str | None]:
    spec = _header_spec()
    return [(spec.by_text.get(h := _norm_header(c)) or _role_column(h)) if c else None for c in cells]


# What a marking label's kind says about a column of it.
_COLUMN_OF_LABEL = {
    "lead": "lead",
    "support": "support",
    "responsible": "responsible",
    "leader": "leader",
    "time": "deadline",
}


@lru_cache(maxsize=256)
def _role_column(header: str) -> str | None:
    """A unit column the header list does not name, read with the marking grammar's labels (a
    role word, qualifiers and a unit word): 协同部门, 协办处室, 牵头处室, 参与部门, 配合实施单位 …"""
    from dutygraph.loaders.clauses import load_conventions
    from dutygraph.loaders.repair import fold

    g = load_conventions().grammar
    header = fold(header)  # the grammar's words are simplified: 協同部門 is 协同部门
    m = g.label.match(header + ":")
    if m is None or m.group(1) != header:
        return None
    return _COLUMN_OF_LABEL.get(g.label_kind(m.group(1)))


def _is_header(keys: Sequence[str | None]) -> bool:
    present = {k for k in keys if k}
    return all(group & present for group in _header_spec().required)


def _is_sub_header(cells: Sequence[str], keys: Sequence[str | None]) -> bool:
    """A second header row (e.g. 牵头单位/配合单位 under a merged 责任单位): only known headers."""
    filled = [(c, k) for c, k in zip(cells, keys, strict=True) if c]
    return bool(filled) and all(k for _, k in filled)


def find_table(rows: list[GridRow], sheet: str | None) -> tuple[Table, list[str]] | None:
    """Recognise a 分工表 in ``rows``; return it (cell offsets still 0) and its column names."""
    candidates = [i for i, row in enumerate(rows) if row.own_content][:HEADER_SEARCH_ROWS]
    header_at = next((i for i in candidates if _is_header(_header_keys(rows[i].cells))), None)
    if header_at is None:
        return None
    # the table is as wide as its last column with any text (sheets are often formatted wider)
    width = 1 + max((col for row in rows[header_at:] for col, text in enumerate(row.cells) if text), default=0)
    head = _pad(rows[header_at].cells, width)
    headers = [_norm_header(c) for c in head]
    found_keys = _header_keys(head)
    data_from = header_at + 1
    if data_from < len(rows):
        below = _pad(rows[data_from].cells, width)
        below_keys = _header_keys(below)
        if _is_sub_header(below, below_keys):
            for col, (text, key) in enumerate(zip(below, below_keys, strict=True)):
                if key and _norm_header(text) != headers[col]:
                    headers[col], found_keys[col] = _norm_header(text), key
            data_from += 1

    keys: list[str | None] = []
    names: list[str] = []
    for col, key in enumerate(found_keys):
        if key and key not in keys:
            keys.append(key)
            names.append(key)
        else:
            keys.append(None)
            names.append(headers[col] or f"列{col + 1}")
    names = _unique(names)

    title_lines = [_row_label(r.cells) for r in rows[:header_at] if r.own_content]
    title = "\n".join(t for t in title_lines if t) or None
    header_norm = list(headers)
    table_rows: list[TableRow] = []
    for row in rows[data_from:]:
        if not row.own_content:
            continue
        cells = _pad(row.cells, width)
        if [_norm_header(c) for c in cells] == header_norm:  # header repeated on a later page
            continue
        table_rows.append(
            TableRow(
                line=row.line,
                cells={names[col]: Cell(text, 0, 0) for col, text in enumerate(cells) if text},
            )
        )
    table = Table(sheet=sheet, headers=headers, keys=keys, rows=table_rows, title=title)
    return table, names


def _pad(cells: Sequence[str], width: int) -> list[str]:
    return list(cells[:width]) + [""] * (width - len(cells))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}#{seen[name]}")
        else:
            seen[name] = 1
            out.append(name)
    return out


def _row_label(cells: Sequence[str]) -> str:
    """A title row's text: its non-empty cells, a merged cell's repeats dropped."""
    parts: list[str] = []
    for text in cells:
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " ".join(parts)


def cell_text(value: Any) -> str:
    """A spreadsheet value as text: whole numbers without ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_newlines(str(value)).strip()


class TextBuilder:
    """Accumulates a document's text and hands out offsets for table cells."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def line(self, text: str) -> None:
        self.add(text + "\n")

    def table(self, table: Table, names: Sequence[str]) -> None:
        table.start = self._length
        if table.title:
            self.line(table.title)
        self.line(" | ".join(table.headers))
        for row in table.rows:
            for col, name in enumerate(names):
                if col:
                    self.add(" | ")
                cell = row.cells.get(name)
                if cell is not None:
                    cell.start = self._length
                    self.add(cell.text)
                    cell.end = self._length
            self.add("\n")
        table.end = self._length - 1  # before the row's line break

    def text(self) -> str:
        return "".join(self._parts).removesuffix("\n")
