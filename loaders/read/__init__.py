"""The read stage: a file → `RawDocument` (text, recognised 任务分工表 tables, format, encoding,
metadata hints), with clear errors.

`read_document` is the one entry point.  It picks a reader by the file's suffix from
`READERS`:

========  =============  ===================================================================
.txt      `.text`        bytes decoded after detecting the encoding
.docx     `.docx`        python-docx: paragraphs one per line, Word tables in place
.pdf      `.pdf`         pdfplumber: the text layer of every page, pages joined by a blank line
.html     `.html`        trafilatura: the page's main text, without navigation/header/footer
.htm
.xlsx     `.xlsx`        openpyxl: 任务分工表 sheets recognised by their Chinese column headers
.csv      `.delimited`   the csv module, after the same encoding detection as .txt
.tsv                     (tab first for .tsv, then comma and semicolon)
.doc      `.word97`      LibreOffice headless → .docx → the .docx reader; antiword / catdoc
.wps                     as a text-only fallback (a Kingsoft .wps is Word 97's format)
.xls      `.xls`         python-calamine, then the same 分工表 logic as .xlsx
.ofd      `.ofd`         ofdkit: each page's lines in reading order, as the PDF reader gives
.png      `.scan`        OCR (RapidOCR, models in its wheel), pages of a TIFF each; scanned
.jpg                     pages of a PDF are OCR'd by the PDF reader, its other pages are not
.jpeg
.tif
.tiff
========  =============  ===================================================================

The converters are optional: a reader whose program or Python extra is missing raises a
`ReadError` naming it and how to install it (`.tools`), and the other files still load.

Adding a format is one new module with a ``read_x(path, max_bytes) -> RawDocument`` function
and one line in `READERS` (and, if the suffix was listed there, taking it out of
`UNREADABLE_DOCUMENT_SUFFIXES`).  Recognising 分工表 tables is shared (`.tables`), and so
is encoding detection (`.text.decode_text`).

Nothing here raises anything but `ReadError` for bad input (empty, binary, too large,
corrupt, undetectable encoding, unsupported suffix, no 分工表 header).  Where a document
can be read but something was left out or looks wrong, the reader says so in
``RawDocument.metadata["warnings"]`` (messages joined by ``"; "``) instead of failing.

>>> sorted(SUPPORTED_SUFFIXES)  # doctest: +NORMALIZE_WHITESPACE
['.csv', '.doc', '.docx', '.htm', '.html', '.jpeg', '.jpg', '.ofd', '.pdf', '.png', '.tif', '.tiff',
 '.tsv', '.txt', '.wps', '.xls', '.xlsx']
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .archive import check_package
from .base import DEFAULT_MAX_BYTES, Cell, RawDocument, ReadError, Table, TableRow, size_text
from .delimited import read_csv
from .docx import read_docx
from .html import read_html
from .ofd import read_ofd
from .pdf import read_pdf
from .scan import read_image
from .text import read_txt
from .word97 import read_word97
from .xls import read_xls
from .xlsx import read_xlsx

__all__ = [
    "DEFAULT_MAX_BYTES",
    "NOT_A_DOCUMENT",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "UNREADABLE_DOCUMENT_SUFFIXES",
    "Cell",
    "RawDocument",
    "ReadError",
    "Table",
    "TableRow",
    "iter_document_paths",
    "read_document",
    "skipped_paths",
]

Reader = Callable[[Path, int], RawDocument]
"""``reader(path, max_bytes)``: the file exists, is regular and within the size limit."""

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".xlsx": read_xlsx,
    ".csv": read_csv,
    ".tsv": read_csv,
    # issue 15: the formats of an archive
    ".doc": read_word97,
    ".wps": read_word97,
    ".xls": read_xls,
    ".ofd": read_ofd,
    ".png": read_image,
    ".jpg": read_image,
    ".jpeg": read_image,
    ".tif": read_image,
    ".tiff": read_image,
}
"""The reader of each lower-case file suffix."""

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS)
"""Lower-case file suffixes `read_document` can read."""


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file into a `RawDocument`.

    The size is checked with ``stat`` before anything is read: a file over ``max_bytes`` is
    refused without being opened, and a ZIP package whose parts expand too far
    (`.archive.check_package`) before any reader parses it.  Every problem with the input is raised as `ReadError`
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
    reader = READERS.get(suffix)
    if suffix in UNREADABLE_DOCUMENT_SUFFIXES:
        raise ReadError(path, f"{suffix} documents cannot be read: {UNREADABLE_DOCUMENT_SUFFIXES[suffix]}")
    if reader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ReadError(path, f"unsupported format {suffix or '(no suffix)'} (supported: {supported})")
    if st.st_size > max_bytes:
        raise ReadError(path, f"file too large: {size_text(st.st_size)}; the limit is {size_text(max_bytes)}")
    if st.st_size == 0:
        raise ReadError(path, "empty file")
    if zipfile.is_zipfile(path):  # .docx, .xlsx, .ofd, or one saved under an old suffix: sizes first
        check_package(path, max_bytes)
    return reader(path, max_bytes)


def iter_document_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the files to read, in order.

    A file is yielded as given (whatever its suffix, and even if it does not exist, so that
    `read_document` reports the problem).  A folder is walked recursively and its files are
    yielded in sorted path order, keeping supported suffixes and the document formats no reader
    handles (.et, .rtf, .odt, which `read_document` reports), and skipping hidden files
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


#: The reason `skipped_paths` gives a file whose format no reader handles.
NOT_A_DOCUMENT = "not a document format dutygraph reads"


def skipped_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """The files in the folders among ``paths`` that `iter_document_paths` leaves out, each with
    the reason, so that a folder is never loaded short without a line saying why.  Sidecars
    (read with their document) and hidden files are not listed; hidden folders are listed once, not walked.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("plan.txt", "notes.md", "~$plan.docx", "plan.txt.meta.yaml"):
    ...     _ = (folder / name).write_text("x")
    >>> [(p.name, why) for p, why in skipped_paths([folder])]
    [('notes.md', 'not a document format dutygraph reads (.md)'), ('~$plan.docx', 'an Office lock file')]
    """
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            continue
        found: list[tuple[Path, str]] = []
        for root, dirnames, filenames in os.walk(path):
            for d in dirnames:
                if d.startswith("."):
                    found.append((Path(root) / d, "a hidden folder (not walked)"))
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if _is_walkable_document(name) or name.lower().endswith(".meta.yaml"):
                    continue
                if name.startswith("~$"):
                    why = "an Office lock file"
                elif name.startswith("."):
                    continue  # .DS_Store, .gitkeep …: the system's or a tool's, never a plan
                else:
                    why = f"{NOT_A_DOCUMENT} ({Path(name).suffix.lower() or 'no suffix'})"
                found.append((Path(root) / name, why))
        yield from sorted(found)


#: Document formats a folder of plans often holds but no reader handles: walked and
#: reported (never silently skipped), with what to do instead.
UNREADABLE_DOCUMENT_SUFFIXES = {
    ".et": "save it as .xlsx from WPS Office",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
}


def _is_walkable_document(name: str) -> bool:
    lowered = name.lower()
    if name.startswith((".", "~$")) or lowered.endswith(".meta.yaml"):
        return False
    suffix = Path(lowered).suffix
    return suffix in SUPPORTED_SUFFIXES or suffix in UNREADABLE_DOCUMENT_SUFFIXES
