"""What every reader shares: the result types, the one error, size limits, binary sniffing.

A reader is a function ``(path, max_bytes) -> RawDocument`` that raises nothing but
`ReadError` for bad input.  `read_document` (in the package) checks the file (exists, regular,
size) before it calls one, so a reader only deals with its format.

>>> str(ReadError(Path("/tmp/计划.docx"), "empty file"))
'计划.docx: empty file'
>>> sniff_binary(b"%PDF-1.7 ...")
'a PDF document'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ocr import OcrLayer

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest file `read_document` accepts unless told otherwise (50 MiB)."""


# --------------------------------------------------------------------------- public types


class ReadError(Exception):
    """A file could not be read.  ``str(error)`` is ``"<file name>: <reason>"``."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


@dataclass(slots=True)
class Cell:
    """One table cell: its text and where that text sits in `RawDocument.text`.

    ``document.text[cell.start:cell.end] == cell.text`` always holds.
    """

    text: str
    start: int
    end: int


@dataclass(slots=True)
class TableRow:
    """One data row of a 分工表.

    ``line`` is the 1-based row number in the sheet (xlsx), the record's first line in the
    file (csv) or the row number within the Word table (docx).  ``cells`` maps a column key
    (``number``, ``task``, ``measures``, ``lead``, ``support``, ``responsible``, ``deadline``,
    ``leader``, ``note``; see ``data/table_headers.yaml``) to the cell; a column whose header is
    not recognised is keyed by its header text (``"列3"`` when the header is blank).  Empty
    cells are left out.  A row that is one cell merged across the table (a section heading such
    as "一、数字经济", or a note) has its text under the first column's key only.
    """

    line: int
    cells: dict[str, Cell]


@dataclass(slots=True)
class Table:
    """A recognised 任务分工表.

    ``headers`` are the header texts (inner whitespace removed), ``keys`` the recognised key
    of each column (None when not recognised, or when an earlier column already has that key),
    ``title`` the non-empty rows above the header, one per line.  ``start``/``end`` are
    where the table's rendering (title, header and rows) stands in `RawDocument.text`, so that
    a document holding text and tables can be read as both, in order.
    """

    sheet: str | None
    headers: list[str]
    keys: list[str | None]
    rows: list[TableRow]
    title: str | None
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class RawDocument:
    """What a reader makes of one file.

    ``text`` is the document's text.  For xlsx/csv it is a rendering of the tables: the title
    line(s), the header line, then one line per row with the cells joined by ``" | "`` (a cell
    keeps its own line breaks), tables separated by a blank line; every `Cell` has real offsets
    into it.  ``encoding`` is the detected encoding for txt/csv/html, else None.  ``tables``
    holds the recognised 分工表 (xlsx, csv, and Word tables with such a header row).
    ``metadata`` holds what the format gives for free (``title``, ``author``, …) and, when the
    reader has something to flag, ``warnings``.  ``ocr`` is set when some of the text was read
    by OCR (scanned pages, images): which pages, and each character's confidence.
    """

    path: Path
    format: str
    text: str
    encoding: str | None
    tables: list[Table] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    ocr: OcrLayer | None = None


# --------------------------------------------------------------------------- bytes


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP package such as .docx or .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "a program"),
)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew since stat()
        raise ReadError(path, f"file too large: the limit is {size_text(max_bytes)}")
    return data


def sniff_binary(data: bytes) -> str | None:
    """Name of a known binary format the bytes start with, or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def with_warnings(metadata: dict[str, str], notes: list[str]) -> dict[str, str]:
    cleaned = {k: v for k, v in metadata.items() if v}
    if notes:
        cleaned["warnings"] = "; ".join(notes)
    return cleaned


def reason_of(exc: BaseException) -> str:
    message = str(exc).strip()
    if message.startswith(("'", '"')) and message.endswith(("'", '"')):  # KeyError('...')
        message = message[1:-1]
    return message or type(exc).__name__


def file_head(path: Path, size: int = 16) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def not_zip_reason(path: Path) -> str:
    head = file_head(path)
    if head.startswith(b"PK"):
        return "a damaged ZIP package: the .docx/.xlsx container cannot be opened (truncated or corrupt?)"
    kind = sniff_binary(head)
    if kind:
        return f"not a ZIP package; it looks like {kind}"
    return "not a ZIP package, as .docx/.xlsx files are; an old .doc/.xls or a renamed file?"


def size_text(n: int) -> str:
    return f"{n:,} bytes ({n / (1024 * 1024):.1f} MB)"
