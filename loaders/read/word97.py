"""Old Word (.doc) and Kingsoft WPS (.wps) files: converted to .docx by headless LibreOffice,
then read by the .docx reader; antiword, then catdoc, as light fallbacks where LibreOffice
is absent.

A Kingsoft WPS Writer ``.wps`` is Word 97's binary format (an OLE compound file with a
``WordDocument`` stream) plus extensions of Kingsoft's own, so whatever reads a .doc reads it:
LibreOffice opens it as a Word 97 file (ignoring the extensions), and so do antiword and
catdoc.  (Microsoft Works files, the other ``.wps``, are a different format that only
LibreOffice's libwps filter reads.)  Newer WPS versions and many web downloads save ``.wps`` or
``.doc`` as an OOXML package under the old name; those go straight to the .docx reader.

With LibreOffice the result is the same as for the .docx (paragraphs, Word tables, 分工表
tables).  antiword and catdoc give plain text only: Word tables come as text and are not
recognised as a 分工表, which the document's warnings say.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from .base import RawDocument, ReadError, file_head, normalise_newlines, sniff_binary, with_warnings
from .docx import read_docx
from .tools import ANTIWORD, CATDOC, LIBREOFFICE, MissingTool, run_program

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"


def read_word97(path: Path, max_bytes: int) -> RawDocument:
    """A .doc or .wps file as a `RawDocument` whose ``format`` is ``doc`` / ``wps``."""
    fmt = path.suffix.lower().lstrip(".")
    head = file_head(path)
    if zipfile.is_zipfile(path):  # an OOXML package saved under the old suffix
        return _relabel(read_docx(path, max_bytes), path, fmt, f"the file is a .docx package under a .{fmt} name")
    if not head.startswith((OLE_MAGIC, RTF_MAGIC)):
        kind = sniff_binary(head)
        raise ReadError(
            path, f"not a Word 97–2003 / WPS document{'; it looks like ' + kind if kind else ''} (no OLE header)"
        )
    soffice = LIBREOFFICE.find()
    if soffice is not None:
        return _via_libreoffice(path, max_bytes, fmt, soffice)
    fallback = ANTIWORD.find() or CATDOC.find()
    if fallback is None:
        raise MissingTool(path, f"to read .{fmt} files", [LIBREOFFICE, ANTIWORD, CATDOC])
    return _via_text_tool(path, fmt, fallback)


def _via_libreoffice(path: Path, max_bytes: int, fmt: str, soffice: str) -> RawDocument:
    with tempfile.TemporaryDirectory(prefix="dutygraph-lo-") as out:
        # A copy under a plain ASCII name: LibreOffice names its output after the input, and
        # picks the import filter by content (a Kingsoft .wps opens as Word 97).
        source = Path(out) / f"source{path.suffix.lower()}"
        shutil.copyfile(path, source)
        run_program(
            path,
            [
                soffice,
                f"-env:UserInstallation={_profile_dir().as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                out,
                str(source),
            ],
            what="LibreOffice",
        )
        converted = Path(out) / "source.docx"
        if not converted.exists():
            raise ReadError(
                path, f"LibreOffice could not convert the .{fmt} file to .docx (damaged or not a document?)"
            )
        return _relabel(read_docx(converted, max_bytes), path, fmt, None)


@cache
def _profile_dir() -> Path:
    """One LibreOffice user profile per process (made on first use, removed at exit): a fresh
    profile costs seconds, and two LibreOffice processes cannot share one."""
    profile = Path(tempfile.mkdtemp(prefix="dutygraph-lo-profile-"))
    atexit.register(shutil.rmtree, profile, ignore_errors=True)
    return profile


def _via_text_tool(path: Path, fmt: str, program: str) -> RawDocument:
    name = Path(program).name
    if name == "antiword":
        argv = [program, "-m", "UTF-8.txt", "-w", "0", str(path)]
    else:  # catdoc
        argv = [program, "-d", "utf-8", "-w", str(path)]
    done = run_program(path, argv, what=name)
    text = normalise_newlines(done.stdout.decode("utf-8", "replace")).strip("\n")
    if not text.strip():
        raise ReadError(path, f"empty file ({name} found no text)")
    notes = [f"read with {name} (LibreOffice is not installed): text only, Word tables are not read as 分工表 tables"]
    return RawDocument(path=path, format=fmt, text=text + "\n", encoding=None, metadata=with_warnings({}, notes))


def _relabel(raw: RawDocument, path: Path, fmt: str, note: str | None) -> RawDocument:
    raw.path = path
    raw.format = fmt
    if note:
        raw.metadata["warnings"] = "; ".join(filter(None, [raw.metadata.get("warnings"), note]))
    return raw
