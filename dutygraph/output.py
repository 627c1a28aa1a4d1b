"""How results are written out, for the CLI and the HTTP API alike: JSON, CSV and text tables.

One writer per format, so that `dutygraph query NAME --csv` and ``/api/queries/NAME.csv`` give the
same bytes, and every list the CLI prints as ``--json`` is the JSON the API answers:

* **JSON**: UTF-8 as written (``ensure_ascii=False``: 省大数据局, not ``\\u7701…``);
* **CSV**: UTF-8 with a byte-order mark (Excel needs it to show Chinese), a header row of the
  columns, a list in a cell joined with 、 (a unit's name standing for the unit), lines ended
  with CRLF (RFC 4180), and a cell that a spreadsheet would run as a formula (starting with
  ``= + - @``, a tab or a carriage return) written after an apostrophe, as OWASP advises;
* **tables**: columns that line up in a terminal, Chinese names included (:mod:`.display`).

>>> csv_bytes(["task", "leads"], [{"task": "一.1", "leads": ["省大数据局", "省档案局"]}])
b'\\xef\\xbb\\xbftask,leads\\r\\n\\xe4\\xb8\\x80.1,\\xe7\\x9c\\x81\\xe5\\xa4\\xa7\\xe6\\x95\\xb0\\xe6\\x8d\\xae\\xe5\\xb1\\x80\\xe3\\x80\\x81\\xe7\\x9c\\x81\\xe6\\xa1\\xa3\\xe6\\xa1\\x88\\xe5\\xb1\\x80\\r\\n'
>>> csv_cell([{"name": "省大数据局", "role": "lead"}, {"id": "unit-1"}])
'省大数据局、unit-1'
>>> json_text({"name": "省大数据局"})
'{"name": "省大数据局"}'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .display import pad, width

LIST_SEPARATOR = "、"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def json_text(value: Any) -> str:
    """One JSON document (or one line of JSON Lines), characters as written."""
    return json.dumps(value, ensure_ascii=False)


def csv_cell(value: Any) -> Any:
    """A value as one CSV cell: a list joined with 、, a unit or document (a dict) by its name or id,
    any other dict as JSON."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(csv_cell(v)) for v in value)
    if isinstance(value, dict):
        return value.get("name") or value.get("id") or json_text(value)
    return value


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a unit named
#: ``=HYPERLINK("http://…","点击")`` would be a live link in the planner's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text a spreadsheet shows as written: one that would start a formula gets an apostrophe
    first (shown by none of them, and kept by none as part of the value).

    >>> print(inert('=HYPERLINK("http://evil.example","点击")'))
    '=HYPERLINK("http://evil.example","点击")
    >>> inert("-1"), inert("省大数据局"), inert(-1)
    ("'-1", '省大数据局', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """``rows`` under ``header`` as CSV bytes (UTF-8 with BOM, CRLF), every cell by :func:`csv_cell`,
    made :func:`inert`: the chunks of :func:`csv_chunks` joined."""
    return b"".join(csv_chunks(header, rows))


#: Rows per chunk :func:`csv_chunks` hands on (about 20–60 KB of a 任务分工表).
CSV_CHUNK_ROWS = 200


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], *, size: int = CSV_CHUNK_ROWS) -> Iterator[bytes]:
    r"""The bytes of :func:`csv_table`, ``size`` rows at a time, as ``rows`` come: a download that
    streams holds one chunk, never the file.  The first chunk is the byte-order mark, the header and
    the first rows (so asking for it reads the first rows: a store that fails there fails before the
    answer starts); CSV quoting does not reach across rows, so the chunks joined are the whole file's
    bytes.

    >>> [chunk.decode() for chunk in csv_chunks(["单位"], [["=1+2"], ["省档案局"]], size=1)]
    ["\ufeff单位\r\n'=1+2\r\n", '省档案局\r\n']
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([inert(h) for h in header])
    encoding = "utf-8-sig"  # the byte-order mark once, before the header
    batch: list[list[Any]] = []
    for row in rows:
        batch.append([inert(csv_cell(v)) for v in row])
        if len(batch) >= size:
            writer.writerows(batch)
            yield out.getvalue().encode(encoding)
            encoding, batch = "utf-8", []
            out.seek(0)
            out.truncate()
    writer.writerows(batch)
    if out.tell() or encoding == "utf-8-sig":
        yield out.getvalue().encode(encoding)


def csv_bytes(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> bytes:
    """Records (dicts) as CSV with the given columns, in that order (a missing key is an empty cell)."""
    return csv_table(columns, ([record.get(c) for c in columns] for record in records))


def table(rows: Sequence[Sequence[Any]], header: Sequence[str], align: str = "") -> list[str]:
    """Lines of a plain-text table whose columns line up in a terminal, Chinese names included.

    ``align`` gives each column's alignment (``<`` or ``>``), left by default.

    >>> for line in table([["省大数据局", 3], ["浙江省发展和改革委员会", 12]], ["unit", "tasks"], "<>"):
    ...     print(line)
    unit                   tasks
    省大数据局                 3
    浙江省发展和改革委员会    12
    """
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    aligns = [align[i] if i < len(align) else "<" for i in range(len(header))]
    return ["  ".join(pad(c, w, a) for c, w, a in zip(row, widths, aligns, strict=True)).rstrip() for row in cells]
