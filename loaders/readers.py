"""Readers: turn a file into text (and recognised 任务分工表 tables), with clear errors.

`read_document` is the one entry point.  It picks a reader by the file's suffix:

========  ==========================================================================
.txt      bytes decoded after detecting the encoding (see below)
.docx     python-docx: paragraphs one per line, Word tables in place
.pdf      pdfplumber: the text layer of every page, pages joined by a blank line
.html     trafilatura: the page's main text, without navigation/header/footer
.htm
.xlsx     openpyxl: 任务分工表 sheets recognised by their Chinese column headers
.csv      the csv module, after the same encoding detection as .txt
========  ==========================================================================

Encodings are detected, never assumed: a byte-order mark decides (utf-8-sig, utf-16,
utf-32); otherwise strict UTF-8 when the bytes decode as UTF-8; otherwise the best match
of charset-normalizer, accepted only when it is a Chinese encoding (GB18030/GBK/GB2312,
which are all decoded as ``gb18030``, Big5, UTF-16) and the decoded text is mostly Chinese
and ASCII.  Anything else is a `ReadError`.

The text is kept as the file gives it.  The one change made to it is that line endings
are normalised to ``\\n`` (``\\r\\n`` and lone ``\\r`` become ``\\n``).  Mojibake,
words split across PDF pages, page footers such as ``— 3 —`` and the like are left
alone: repairing them is a later step's job.

Nothing here raises anything but `ReadError` for bad input (empty, binary, too large,
corrupt, undetectable encoding, unsupported suffix, no 分工表 header).  Where a document
can be read but something was left out or looks wrong, the reader says so in
``RawDocument.metadata["warnings"]`` (messages joined by ``"; "``) instead of failing.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Cell",
    "RawDocument",
    "ReadError",
    "Table",
    "TableRow",
    "iter_document_paths",
    "read_document",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest file `read_document` accepts unless told otherwise (50 MiB)."""

_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".csv": "csv",
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
"""Lower-case file suffixes `read_document` can read."""

_HEADERS_FILE = Path(__file__).parent / "data" / "table_headers.yaml"

# Only this many rows (with content) at the top of a sheet are searched for the header.
_HEADER_SEARCH_ROWS = 10

_NO_HEADER = "no 任务分工表 header (expected columns such as 序号/重点任务/牵头单位/配合单位/完成时限)"

# trafilatura's thresholds count characters and are tuned for alphabetic text, where 250
# characters are a couple of sentences; a Chinese sentence says as much in a fifth of that.
# With the default, a short Chinese page is judged "too little text" and the whole page,
# navigation included, is dumped instead of the article.
_HTML_MIN_EXTRACTED_SIZE = 50


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
    ``title`` the non-empty rows above the header, one per line.
    """

    sheet: str | None
    headers: list[str]
    keys: list[str | None]
    rows: list[TableRow]
    title: str | None


@dataclass(slots=True)
class RawDocument:
    """What a reader makes of one file.

    ``text`` is the document's text.  For xlsx/csv it is a rendering of the tables: the title
    line(s), the header line, then one line per row with the cells joined by ``" | "`` (a cell
    keeps its own line breaks), tables separated by a blank line; every `Cell` has real offsets
    into it.  ``encoding`` is the detected encoding for txt/csv/html, else None.  ``tables``
    holds the recognised 分工表 (xlsx, csv, and Word tables with such a header row).
    ``metadata`` holds what the format gives for free (``title``, ``author``, …) and, when the
    reader has something to flag, ``warnings``.
    """

    path: Path
    format: str
    text: str
    encoding: str | None
    tables: list[Table] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- entry points


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file into a `RawDocument`.

    The size is checked with ``stat`` before anything is read: a file over ``max_bytes`` is
    refused without being opened.  Every problem with the input is raised as `ReadError`
    with a plain-words reason.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReadError(path, "file not found") from None
    except OSError as exc:
        raise ReadError(path, f"cannot open the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(path, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(path, "not a regular file")
    suffix = path.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if suffix in UNREADABLE_DOCUMENT_SUFFIXES:
        raise ReadError(path, f"{suffix} documents cannot be read: {UNREADABLE_DOCUMENT_SUFFIXES[suffix]}")
    if fmt is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ReadError(path, f"unsupported format {suffix or '(no suffix)'} (supported: {supported})")
    if st.st_size > max_bytes:
        raise ReadError(path, f"file too large: {_size(st.st_size)}; the limit is {_size(max_bytes)}")
    if st.st_size == 0:
        raise ReadError(path, "empty file")
    return _READERS[fmt](path, max_bytes)


def iter_document_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the files to read, in order.

    A file is yielded as given (whatever its suffix, and even if it does not exist, so that
    `read_document` reports the problem).  A folder is walked recursively and its files are
    yielded in sorted path order, keeping supported suffixes and the document formats no reader
    handles (.doc, .wps, .xls, .ofd …, which `read_document` reports), and skipping hidden files
    and folders (name starting with ``.``), ``*.meta.yaml`` sidecars and Office lock files
    (``~$名称.docx``).  Symbolic links to folders are not followed.
    """
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        for root, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if _is_walkable_document(name):
                    found.append(Path(root) / name)
        yield from sorted(found)


#: Document formats a folder of plans often holds but no reader handles: walked and
#: reported (never silently skipped), with what to do instead.
UNREADABLE_DOCUMENT_SUFFIXES = {
    ".doc": "save it as .docx (Word 97–2003 files are not supported)",
    ".wps": "save it as .docx from WPS Office",
    ".xls": "save it as .xlsx (Excel 97–2003 files are not supported)",
    ".et": "save it as .xlsx from WPS Office",
    ".ofd": "export it as .pdf (OFD is not supported)",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
}


def _is_walkable_document(name: str) -> bool:
    lowered = name.lower()
    if name.startswith((".", "~$")) or lowered.endswith(".meta.yaml"):
        return False
    suffix = Path(lowered).suffix
    return suffix in SUPPORTED_SUFFIXES or suffix in UNREADABLE_DOCUMENT_SUFFIXES


# --------------------------------------------------------------------------- bytes and encodings

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

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

# C0 control bytes that do not occur in text (tab, line feed, vertical tab, form feed,
# carriage return and escape do), plus DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_BINARY_CONTROL_SHARE = 0.01

# What charset-normalizer may answer and be believed, by canonical codec name, with the
# codecs tried in turn to decode.
_CHINESE_CODECS: dict[str, tuple[str, ...]] = {
    "gb18030": ("gb18030",),
    "gbk": ("gb18030",),
    "gb2312": ("gb18030",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
    "utf-16": ("utf-16",),
    "utf-16-le": ("utf-16-le",),
    "utf-16-be": ("utf-16-be",),
    "utf-32": ("utf-32",),
    "utf-32-le": ("utf-32-le",),
    "utf-32-be": ("utf-32-be",),
}
_WIDE_CODECS = frozenset(c for c in _CHINESE_CODECS if c.startswith("utf-"))
# Single-byte Western charsets that decode any bytes; a page that declares one of them but
# is valid UTF-8 is UTF-8.
_WESTERN_CODECS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
# Candidates whose chaos is this close to the best one's count as tied with it: on a short
# text charset-normalizer often ranks cp949 (Korean) level with gb18030.
_CHAOS_TIE = 0.02


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew since stat()
        raise ReadError(path, f"file too large: the limit is {_size(max_bytes)}")
    return data


def _sniff_binary(data: bytes) -> str | None:
    """Name of a known binary format the bytes start with, or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _decode_text(path: Path, data: bytes, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a text file's bytes; return (text with \\n line endings, encoding, warnings).

    ``declared`` is an encoding the file names itself (an HTML ``<meta charset>``); it is
    used when the bytes decode with it, otherwise detection goes on and a warning says so.
    """
    notes: list[str] = []
    if not data.strip():
        raise ReadError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    path, f"invalid {encoding} text after its byte-order mark (at byte {exc.start})"
                ) from None
            return _checked_text(path, text), encoding, notes

    kind = _sniff_binary(data)
    if kind is not None:
        raise ReadError(path, f"binary file, not text (looks like {kind})")
    if b"\x00" in data:
        # Only UTF-16/32 without a byte-order mark has NUL bytes and is still text.
        decoded = _detect_with_charset_normalizer(data, only=_WIDE_CODECS)
        if decoded is None:
            raise ReadError(path, "binary file, not text (it contains NUL bytes)")
        return _checked_text(path, decoded[0]), decoded[1], notes
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _BINARY_CONTROL_SHARE * len(sample):
        raise ReadError(path, "binary file, not text (it is full of control bytes)")

    if declared:
        decoded_declared = _decode_declared(data, declared, notes)
        if decoded_declared is not None:
            return _checked_text(path, decoded_declared[0]), decoded_declared[1], notes

    try:
        return _checked_text(path, data.decode("utf-8")), "utf-8", notes
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    damaged = _mostly_utf8(data)
    if damaged:
        raise ReadError(
            path,
            f"damaged UTF-8 text: {damaged} invalid byte sequence(s), the first at byte {first_bad} "
            "(the rest of the file is UTF-8; truncated, or two encodings mixed?)",
        )
    detected = _detect_with_charset_normalizer(data, only=frozenset(_CHINESE_CODECS))
    if detected is None:
        guess = _best_guess(data)
        raise ReadError(
            path,
            "undetectable text encoding (not UTF-8, GB18030/GBK, Big5 or UTF-16"
            + (f"; the closest guess, {guess}, is not a Chinese encoding)" if guess else ")"),
        )
    return _checked_text(path, detected[0]), detected[1], notes


def _checked_text(path: Path, text: str) -> str:
    text = _normalise_newlines(text)
    if not text.strip():
        raise ReadError(path, "empty file")
    return text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _canonical_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_declared(data: bytes, declared: str, notes: list[str]) -> tuple[str, str] | None:
    """Decode with the charset a page declares, when the bytes bear it out; else None."""
    codec = _canonical_codec(declared)
    if codec is None:
        notes.append(f"unknown charset {declared!r} declared; encoding detected instead")
        return None
    if codec in _WIDE_CODECS:
        return None  # a <meta> cannot name UTF-16/32 (HTML treats it as UTF-8): detect instead
    if codec in _WESTERN_CODECS and not data.isascii():
        # Latin-1 decodes any bytes, and Chinese pages often declare it wrongly.
        actual: tuple[str, str] | None
        try:
            actual = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            actual = _detect_with_charset_normalizer(data, only=frozenset(_CHINESE_CODECS))
        if actual is not None:
            notes.append(f"charset {declared!r} declared but the bytes are {actual[1]}; read as {actual[1]}")
            return actual
    decode_as = _CHINESE_CODECS.get(codec, (codec,))[0]
    try:
        return data.decode(decode_as), decode_as
    except UnicodeDecodeError:
        notes.append(f"charset {declared!r} declared but the bytes do not fit it; encoding detected instead")
        return None


def _mostly_utf8(data: bytes) -> int:
    """Number of invalid sequences when the bytes are UTF-8 but for a few of them, else 0."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good_multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return bad if bad and good_multibyte >= 20 * bad else 0


def _detect_with_charset_normalizer(data: bytes, *, only: frozenset[str]) -> tuple[str, str] | None:
    """charset-normalizer's best match among ``only``, if the decoded text is plausible Chinese."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best_chaos = matches[0].chaos
    for match in matches:
        if match.chaos > best_chaos + _CHAOS_TIE:
            break
        codec = _canonical_codec(match.encoding)
        if codec not in only:
            continue
        for decode_as in _CHINESE_CODECS[codec]:
            try:
                text = data.decode(decode_as)
            except UnicodeDecodeError:
                continue
            if _looks_chinese(text):
                return text, decode_as
    return None


def _best_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else best.encoding


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
# Symbols and punctuation found in Chinese government text: general punctuation, ①⑴,
# Ⅰ, arrows, maths, boxes, shapes, CJK symbols, ㈠, compatibility forms, full-width forms.
_SYMBOL_RANGES = (
    (0x00A0, 0x00FF),
    (0x0391, 0x03C9),
    (0x0401, 0x0451),
    (0x2000, 0x206F),
    (0x2100, 0x27BF),
    (0x3000, 0x303F),
    (0x3100, 0x312F),
    (0x3200, 0x33FF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)


def _in_ranges(code: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _looks_chinese(text: str) -> bool:
    """Mostly CJK and ASCII, some Han characters, hardly any control or stray characters."""
    sample = text[:200_000]
    han = odd = total = 0
    for ch in sample:
        if ch.isspace():
            continue
        total += 1
        code = ord(ch)
        if code < 0x80:
            if code < 0x20 or code == 0x7F:
                odd += 1
        elif _in_ranges(code, _HAN_RANGES):
            han += 1
        elif not _in_ranges(code, _SYMBOL_RANGES):
            odd += 1
    return total > 0 and han > 0 and odd <= 0.05 * total


# --------------------------------------------------------------------------- txt


def _read_txt(path: Path, max_bytes: int) -> RawDocument:
    data = _read_bytes(path, max_bytes)
    text, encoding, notes = _decode_text(path, data)
    return RawDocument(path=path, format="txt", text=text, encoding=encoding, metadata=_meta({}, notes))


# --------------------------------------------------------------------------- tables (shared)


@dataclass(slots=True)
class _HeaderSpec:
    by_text: dict[str, str]
    required: list[frozenset[str]]


@lru_cache(maxsize=1)
def _header_spec() -> _HeaderSpec:
    """The header vocabulary from ``data/table_headers.yaml``."""
    raw = yaml.safe_load(_HEADERS_FILE.read_text(encoding="utf-8"))
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
class _GridRow:
    line: int
    cells: list[str]
    own_content: bool  # False when every non-empty cell was filled in from a merge


def _header_keys(cells: Sequence[str]) -> list[str | None]:
    spec = _header_spec()
    return [spec.by_text.get(_norm_header(c)) if c else None for c in cells]


def _is_header(keys: Sequence[str | None]) -> bool:
    present = {k for k in keys if k}
    return all(group & present for group in _header_spec().required)


def _is_sub_header(cells: Sequence[str], keys: Sequence[str | None]) -> bool:
    """A second header row (e.g. 牵头单位/配合单位 under a merged 责任单位): only known headers."""
    filled = [(c, k) for c, k in zip(cells, keys, strict=True) if c]
    return bool(filled) and all(k for _, k in filled)


def _find_table(rows: list[_GridRow], sheet: str | None) -> tuple[Table, list[str]] | None:
    """Recognise a 分工表 in ``rows``; return it (cell offsets still 0) and its column names."""
    candidates = [i for i, row in enumerate(rows) if row.own_content][:_HEADER_SEARCH_ROWS]
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


def _cell_text(value: Any) -> str:
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
    return _normalise_newlines(str(value)).strip()


class _TextBuilder:
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

    def text(self) -> str:
        return "".join(self._parts).removesuffix("\n")


def _meta(metadata: dict[str, str], notes: list[str]) -> dict[str, str]:
    cleaned = {k: v for k, v in metadata.items() if v}
    if notes:
        cleaned["warnings"] = "; ".join(notes)
    return cleaned


# --------------------------------------------------------------------------- csv


def _read_csv(path: Path, max_bytes: int) -> RawDocument:
    data = _read_bytes(path, max_bytes)
    text, encoding, notes = _decode_text(path, data)
    found: tuple[Table, list[str]] | None = None
    for delimiter in (",", "\t", ";"):
        rows = _csv_rows(path, text, delimiter)
        found = _find_table(rows, None)
        if found is not None:
            break
    if found is None:
        raise ReadError(path, f"{_NO_HEADER} in its first {_HEADER_SEARCH_ROWS} rows")
    builder = _TextBuilder()
    builder.table(*found)
    return RawDocument(
        path=path,
        format="csv",
        text=builder.text(),
        encoding=encoding,
        tables=[found[0]],
        metadata=_meta({}, notes),
    )


def _csv_rows(path: Path, text: str, delimiter: str) -> list[_GridRow]:
    rows: list[_GridRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first_line = 1
    try:
        for record in reader:
            cells = [_cell_text(v) for v in record]
            rows.append(_GridRow(line=first_line, cells=cells, own_content=any(cells)))
            first_line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(path, f"malformed CSV near line {reader.line_num} ({exc})") from None
    return rows


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(path: Path, max_bytes: int) -> RawDocument:
    del max_bytes  # checked by read_document
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise ReadError(path, f"not a valid Excel .xlsx file ({_not_zip_reason(path)})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles/validation it drops
            # Not read_only: openpyxl's read-only worksheets do not expose merged cells.
            workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:
        raise ReadError(path, f"not a valid Excel .xlsx file ({_reason(exc)})") from None

    try:
        builder = _TextBuilder()
        tables: list[Table] = []
        without_header: list[str] = []
        for sheet in workbook.worksheets:
            rows = _sheet_rows(sheet)
            if not any(r.own_content for r in rows):
                continue
            found = _find_table(rows, sheet.title)
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
        raise ReadError(path, f"sheet {names}: {_NO_HEADER}")
    notes = [f"sheet {name!r} skipped: {_NO_HEADER}" for name in without_header]
    return RawDocument(
        path=path,
        format="xlsx",
        text=builder.text(),
        encoding=None,
        tables=tables,
        metadata=_meta(metadata, notes),
    )


def _sheet_rows(sheet: Any) -> list[_GridRow]:
    """A worksheet's values as text.

    A merged range's value is repeated down its first column, so a 重点任务 spanning several
    具体措施 rows is on each of them; it is not repeated across columns, so a section heading or
    a note merged across the whole table stays in the first column only.
    """
    max_row, max_col = sheet.max_row, sheet.max_column
    grid = [
        [_cell_text(v) for v in values]
        for values in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col, values_only=True)
    ]
    own = [any(row) for row in grid]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > max_row or merged.min_col > max_col:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, min(merged.max_row, max_row)):
            grid[r][merged.min_col - 1] = value
    return [_GridRow(line=i + 1, cells=row, own_content=own[i]) for i, row in enumerate(grid)]


# --------------------------------------------------------------------------- docx


def _read_docx(path: Path, max_bytes: int) -> RawDocument:
    """Paragraphs one per line and Word tables in place, content controls (w:sdt) included.

    python-docx reads neither tracked insertions nor text boxes; when a document has them, a
    warning says so.
    """
    del max_bytes  # checked by read_document
    import docx

    if not zipfile.is_zipfile(path):
        raise ReadError(path, f"not a valid Word .docx file ({_not_zip_reason(path)})")
    try:
        document = docx.Document(str(path))
        builder = _TextBuilder()
        tables: list[Table] = []
        word_tables = 0
        for block in _docx_blocks(document):
            if isinstance(block, str):
                builder.line(block)
                continue
            word_tables += 1
            rows = [
                _GridRow(line=i + 1, cells=cells, own_content=any(cells))
                for i, cells in enumerate(_word_row_cells(row) for row in block.rows)
            ]
            found = _find_table(rows, f"table {word_tables}")
            if found is not None:
                builder.table(*found)
                tables.append(found[0])
            else:
                for row in rows:
                    builder.line(" | ".join(row.cells))
        core = document.core_properties
        metadata = {"title": core.title or "", "author": core.author or "", "subject": core.subject or ""}
        body = document.element.body
        notes = []
        if inserted := len(body.xpath(".//w:ins[.//w:t]")):
            notes.append(f"{inserted} tracked insertion(s) not read: accept or reject the changes in Word first")
        if boxes := len(body.xpath(".//w:txbxContent[.//w:t]")):
            notes.append(f"{boxes} text box(es) not read")
    except Exception as exc:
        raise ReadError(path, f"not a valid Word .docx file ({_reason(exc)})") from None
    text = builder.text()
    if not text.strip():
        raise ReadError(path, "empty file (the document has no text)")
    return RawDocument(
        path=path, format="docx", text=text, encoding=None, tables=tables, metadata=_meta(metadata, notes)
    )


def _word_row_cells(row: Any) -> list[str]:
    """A Word table row's cell texts, one per grid column, as for a sheet (see `_sheet_rows`).

    python-docx already gives a vertically merged cell's text on every row it spans; a
    horizontally merged cell, which it repeats for each column, is kept in its first column only.
    """
    cells = [""] * row.grid_cols_before
    previous = None
    for cell in row.cells:
        cells.append("" if cell is previous else _cell_text(cell.text))
        previous = cell
    return cells


def _docx_blocks(document: Any) -> Iterator[Any]:
    """The body's paragraphs (as text) and tables in document order, looking into content controls."""
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    def walk(container: Any) -> Iterator[Any]:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield _normalise_newlines(Paragraph(child, document).text)
            elif child.tag == qn("w:tbl"):
                yield WordTable(child, document)
            elif child.tag == qn("w:sdt"):
                for content in child.iterchildren(qn("w:sdtContent")):
                    yield from walk(content)

    yield from walk(document.element.body)


# --------------------------------------------------------------------------- pdf


def _read_pdf(path: Path, max_bytes: int) -> RawDocument:
    del max_bytes  # checked by read_document
    import pdfplumber

    notes: list[str] = []
    pages: list[str] = []
    empty_pages: list[int] = []
    try:
        with pdfplumber.open(path) as pdf:
            metadata = {
                key: _pdf_meta_value(pdf.metadata.get(source))
                for key, source in (("title", "Title"), ("author", "Author"), ("subject", "Subject"))
            }
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    page_text = page.extract_text() or ""
                except Exception as exc:
                    notes.append(f"page {number} could not be read ({_reason(exc)})")
                    page_text = ""
                finally:
                    page.close()
                page_text = _normalise_newlines(page_text)
                if not page_text.strip():
                    empty_pages.append(number)
                pages.append(page_text)
    except Exception as exc:
        raise ReadError(path, _pdf_open_reason(path, exc)) from None

    if not pages:
        raise ReadError(path, "PDF has no pages")
    if len(empty_pages) == len(pages):
        raise ReadError(path, "PDF has no text layer (scanned?)")
    if empty_pages:
        notes.append(f"pages without text (scanned?): {', '.join(map(str, empty_pages))}")
    text = "\n\n".join(pages)
    unmapped = text.count("(cid:")
    if unmapped:
        notes.append(f"{unmapped} glyphs have no Unicode mapping and read as (cid:N)")
    metadata["pages"] = str(len(pages))
    return RawDocument(path=path, format="pdf", text=text, encoding=None, metadata=_meta(metadata, notes))


def _pdf_meta_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        for encoding in ("utf-16", "utf-8", "latin-1"):
            try:
                return value.decode(encoding).strip()
            except UnicodeDecodeError:
                continue
    return str(value).strip()


def _pdf_open_reason(path: Path, exc: Exception) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if "password" in type(inner).__name__.lower() or "encrypt" in str(inner).lower():
        return "PDF is password-protected"
    head = _head(path)
    if not head.startswith(b"%PDF"):
        kind = _sniff_binary(head)
        return f"not a valid PDF (it does not start with %PDF{'; it looks like ' + kind if kind else ''})"
    return f"not a valid PDF ({_reason(inner)})"


# --------------------------------------------------------------------------- html


def _read_html(path: Path, max_bytes: int) -> RawDocument:
    """The page's main text by trafilatura, guarded against the ways it loses Chinese text.

    trafilatura (1) drops characters that are not printable, Private Use Area characters
    included (GBK mojibake is full of them), and NFC-normalises its output, which turns CJK
    compatibility ideographs into their unified forms; (2) when its first pass misses the
    article container, keeps only the first of several paragraphs with the same text; (3) takes
    the article's ``<h1>`` out of the text.  Before extraction such characters are replaced by
    placeholders and repeated paragraphs are made distinct with markers; afterwards the
    placeholders are turned back and the markers removed, and the heading is put back.
    """
    import lxml.html
    import trafilatura

    data = _read_bytes(path, max_bytes)
    text, encoding, notes = _decode_text(path, data, declared=_declared_charset(data))
    marker = next((c for c in _MARKER_CANDIDATES if c not in text), None)
    page = text
    if marker is None:
        notes.append("page text may have lost private-use characters and repeated paragraphs")
    else:
        page = _PROTECTED_CHARS.sub(lambda m: f"{marker}u{ord(m.group()):x}{marker}", text)
    page_title = ""
    headings: set[str] = set()
    try:
        tree = lxml.html.document_fromstring(page.encode("utf-8"), parser=_utf8_html_parser())
    except Exception:  # lxml refuses some broken markup; trafilatura copes on its own
        notes.append("repeated paragraphs may have been merged (the page could not be parsed for them)")
    else:
        page_title = _normalise_space(tree.findtext(".//title") or "")
        headings = {_normalise_space(h.text_content()) for h in tree.xpath("//h1|//h2|//h3")}
        if marker is not None and _mark_repeated_blocks(tree, marker):
            page = lxml.html.tostring(tree, encoding="unicode")
    try:
        extracted = trafilatura.bare_extraction(
            page,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            with_metadata=True,
            config=_trafilatura_config(),
        )
    except Exception as exc:
        raise ReadError(path, f"HTML could not be parsed ({_reason(exc)})") from None
    body = _normalise_newlines(extracted.text or "") if extracted is not None else ""
    heading = _normalise_space(extracted.title or "") if extracted is not None else ""
    # trafilatura takes the article's heading out of the text as its "title"; put it back.
    if heading and heading in headings and body.lstrip().split("\n", 1)[0].strip() != heading:
        body = f"{heading}\n{body}"
    if marker is not None:
        body, heading, page_title = (_unmark(s, marker) for s in (body, heading, page_title))
    if not body.strip():
        raise ReadError(path, "no main text found in the HTML page")
    date_text = (extracted.date or "") if extracted is not None else ""
    metadata = {"title": page_title, "heading": heading, "date": date_text}
    return RawDocument(path=path, format="html", text=body, encoding=encoding, metadata=_meta(metadata, notes))


# Characters trafilatura would drop or change: Private Use Area, CJK compatibility ideographs.
_PROTECTED_CHARS = re.compile("[\ue000-\uf8ff\uf900-\ufaff\U0002f800-\U0002fa1f\U000f0000-\U0010fffd]")
# Printable characters that do not occur in these documents; the first one absent from a page
# is its marker.
_MARKER_CANDIDATES = ("\u2e3b", "\u2e3a", "\u2bd1", "\u2e4e")
# Block elements whose text trafilatura handles as one paragraph.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "td",
        "th",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
    ]
)


def _mark_repeated_blocks(tree: Any, marker: str) -> bool:
    """Put a marker such as ``⸻2⸻`` in front of the 2nd, 3rd, … block with the same text.

    When trafilatura's first pass does not find the article container (common on government
    sites), its recovery pass keeps only the first of several paragraphs with identical text,
    so the fifth "责任单位：市大数据局" of a plan would vanish.  Returns whether anything was marked.
    """
    blocks = [e for e in tree.iter() if isinstance(e.tag, str) and e.tag.lower() in _BLOCK_TAGS]
    wrappers: set[Any] = set()  # blocks holding other blocks: their inner blocks are marked instead
    for element in blocks:
        parent = next((a for a in element.iterancestors() if a.tag.lower() in _BLOCK_TAGS), None)
        if parent is not None:
            wrappers.add(parent)
    seen: dict[str, int] = {}
    marked = False
    for element in blocks:
        if element in wrappers:
            continue
        key = _normalise_space(element.text_content())
        if not key:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            element.text = f"{marker}{seen[key]}{marker}{element.text or ''}"
            marked = True
    return marked


def _unmark(text: str, marker: str) -> str:
    """Undo `_read_html`'s preparation: placeholders back to characters, markers removed."""
    m = re.escape(marker)
    text = re.sub(f"{m}u([0-9a-f]+){m}", lambda found: chr(int(found.group(1), 16)), text)
    repeat = re.compile(f"{m}[0-9]+{m}")
    lines = []
    for line in text.split("\n"):
        cleaned = repeat.sub("", line)
        if cleaned.strip() or not line.strip():  # a line that held only a marker goes
            lines.append(cleaned)
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(_HTML_MIN_EXTRACTED_SIZE))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


@lru_cache(maxsize=1)
def _utf8_html_parser() -> Any:
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8")


_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in ``<meta charset>`` or ``<meta http-equiv>``."""
    import lxml.html

    head = data[:65536]
    try:
        tree = lxml.html.document_fromstring(head)
    except Exception:
        return None
    for value in tree.xpath("//meta/@charset"):
        if str(value).strip():
            return str(value).strip()
    for content in tree.xpath(
        "//meta[translate(@http-equiv,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
        "='content-type']/@content"
    ):
        match = _CHARSET_PARAM.search(str(content))
        if match:
            return match.group(1)
    return None


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- helpers


def _reason(exc: BaseException) -> str:
    message = str(exc).strip()
    if message.startswith(("'", '"')) and message.endswith(("'", '"')):  # KeyError('...')
        message = message[1:-1]
    return message or type(exc).__name__


def _head(path: Path, size: int = 16) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _not_zip_reason(path: Path) -> str:
    head = _head(path)
    if head.startswith(b"PK"):
        return "a damaged ZIP package: the .docx/.xlsx container cannot be opened (truncated or corrupt?)"
    kind = _sniff_binary(head)
    if kind:
        return f"not a ZIP package; it looks like {kind}"
    return "not a ZIP package, as .docx/.xlsx files are; an old .doc/.xls or a renamed file?"


def _size(n: int) -> str:
    return f"{n:,} bytes ({n / (1024 * 1024):.1f} MB)"


_READERS: dict[str, Callable[[Path, int], RawDocument]] = {
    "txt": _read_txt,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "docx": _read_docx,
    "pdf": _read_pdf,
    "html": _read_html,
}
