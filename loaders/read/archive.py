"""ZIP packages (.docx, .xlsx, .ofd, and an OOXML file under an old suffix) checked before parsing.

A package is small on disk and large once expanded: a 1.1 MB .docx expanded to 1.17 GB (8.9 s and
2.3 GB of memory before lxml refused it), and a 298 KB one of 102 MB of small paragraphs took 233 s
of CPU.  The readers (python-docx, openpyxl, ofdkit) all expand parts through :mod:`zipfile`,
which never returns more than a member's declared size, so the declared sizes in the central
directory bound what they can be made to parse.  They are checked here, before any reader runs:

* every member's expansion ratio (a zip bomb's is in the thousands; Office XML's is 5-30);
* the expanded size of the XML parts (what the parsers turn into objects, ~2 s a MB for python-docx)
  and of the whole package;
* the number of members.

>>> import tempfile, zipfile
>>> path = Path(tempfile.mkdtemp()) / "bomb.docx"
>>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
...     package.writestr("word/document.xml", "<w:p/>" * 2_000_000)
>>> try:
...     check_package(path, 50 * 1024 * 1024)
... except ReadError as error:
...     print(error)  # doctest: +ELLIPSIS
bomb.docx: word/document.xml expands ... times (from ... KB to 11.4 MB), over the 100 times a package member may: ...
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .base import ReadError, size_text

#: How many times a member may expand: Office XML expands 5-30 times, a zip bomb thousands of times.
MAX_RATIO = 100
#: A member smaller than this expanded is never refused for its ratio (an empty part compresses well).
RATIO_FLOOR_BYTES = 1024 * 1024
#: Expanded XML a package may hold: a 3,000-task plan's document.xml is a few MB.
MAX_XML_BYTES = 32 * 1024 * 1024
#: Members a package may have (a 3,000-page OFD has about 10,000).
MAX_MEMBERS = 20_000
#: How many times the file's own size limit the whole package may expand to (pictures barely shrink).
MAX_EXPANDED_FACTOR = 4


def check_package(path: Path, max_bytes: int) -> None:
    """Raise ReadError if the ZIP package at ``path`` expands beyond the limits above.

    ``max_bytes`` is the file size limit; the whole package may expand to MAX_EXPANDED_FACTOR times it.
    """
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(path, f"not a valid ZIP package ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise ReadError(path, f"the package holds {len(members):,} parts, over the limit of {MAX_MEMBERS:,}")
    xml = total = 0
    for member in members:
        expanded = member.file_size
        ratio = expanded / max(member.compress_size, 1)
        if expanded > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise ReadError(
                path,
                f"{member.filename} expands {ratio:,.0f} times (from {_short(member.compress_size)} to "
                f"{_short(expanded)}), over the {MAX_RATIO} times a package member may: refused before "
                "parsing (a zip bomb?)",
            )
        total += expanded
        if member.filename.lower().endswith((".xml", ".rels", ".vml")):
            xml += expanded
    if xml > MAX_XML_BYTES:
        raise ReadError(
            path,
            f"its XML parts expand to {size_text(xml)}, over the limit of {size_text(MAX_XML_BYTES)}: "
            "refused before parsing; split the document",
        )
    if total > MAX_EXPANDED_FACTOR * max_bytes:
        raise ReadError(
            path,
            f"the package expands to {size_text(total)}, over the limit of "
            f"{size_text(MAX_EXPANDED_FACTOR * max_bytes)} ({MAX_EXPANDED_FACTOR} times the file size limit)",
        )


def _short(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):,.1f} MB"
