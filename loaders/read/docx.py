"""Word .docx (python-docx): paragraphs one per line and Word tables in place.

A Word table with a 任务分工表 header row becomes a `Table`; any other table is kept as text,
one line per row with the cells joined by ``" | "``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import RawDocument, ReadError, normalise_newlines, not_zip_reason, reason_of, with_warnings
from .tables import GridRow, Table, TextBuilder, cell_text, find_table


def read_docx(path: Path, max_bytes: int) -> RawDocument:
    """Paragraphs one per line and Word tables in place, content controls (w:sdt) included.

    python-docx reads neither tracked insertions nor text boxes; when a document has them, a
    warning says so.
    """
    del max_bytes  # checked by read_document
    import docx

    if not zipfile.is_zipfile(path):
        raise ReadError(path, f"not a valid Word .docx file ({not_zip_reason(path)})")
    try:
        document = docx.Document(str(path))
        builder = TextBuilder()
        tables: list[Table] = []
        word_tables = 0
        for block in _docx_blocks(document):
            if isinstance(block, str):
                builder.line(block)
                continue
            word_tables += 1
            rows = [
                GridRow(line=i + 1, cells=cells, own_content=any(cells))
                for i, cells in enumerate(_word_row_cells(row) for row in block.rows)
            ]
            found = find_table(rows, f"table {word_tables}")
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
        notes.extend(_unread_parts(path))
    except Exception as exc:
        raise ReadError(path, f"not a valid Word .docx file ({reason_of(exc)})") from None
    text = builder.text()
    if not text.strip():
        raise ReadError(path, "empty file (the document has no text)")
    return RawDocument(
        path=path, format="docx", text=text, encoding=None, tables=tables, metadata=with_warnings(metadata, notes)
    )


def _word_row_cells(row: Any) -> list[str]:
    """A Word table row's cell texts, one per grid column, as for a sheet (see `_sheet_rows`).

    python-docx already gives a vertically merged cell's text on every row it spans; a
    horizontally merged cell, which it repeats for each column, is kept in its first column only.
    """
    cells = [""] * row.grid_cols_before
    previous = None
    for cell in row.cells:
        cells.append("" if cell is previous else cell_text(cell.text))
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
                yield normalise_newlines(Paragraph(child, document).text)
            elif child.tag == qn("w:tbl"):
                yield WordTable(child, document)
            elif child.tag == qn("w:sdt"):
                for content in child.iterchildren(qn("w:sdtContent")):
                    yield from walk(content)

    yield from walk(document.element.body)


# Parts of a .docx whose text python-docx does not read: (part, element, what it is).
_NOTE_PARTS = (
    ("word/footnotes.xml", "footnote", "footnote"),
    ("word/endnotes.xml", "endnote", "endnote"),
    ("word/comments.xml", "comment", "comment"),
)


def _unread_parts(path: Path) -> list[str]:
    """Warnings for footnotes, endnotes and comments with text, which are not read.

    Word's own separator footnotes (``w:type="separator"`` …) hold no text and are not counted.
    """
    from lxml import etree

    notes = []
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for part, element, what in _NOTE_PARTS:
            if part not in names:
                continue
            root = etree.fromstring(package.read(part))
            ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
            found = root.xpath(f"./w:{element}[not(@w:type)][.//w:t[normalize-space()]]", namespaces=ns)
            count = len(found) if isinstance(found, list) else 0  # a node-set query answers a list
            if count:
                notes.append(f"{count} {what}(s) not read")
    return notes
