"""PDF (pdfplumber): the text layer of every page, pages joined by a blank line.

Pages without a text layer that hold a picture (scanned pages) are read by OCR (`scan`), and
only those: a mixed PDF keeps its text layer where it has one, and a blank page is not OCR'd.
Where the OCR engine is not installed, such pages are named in a warning (and a PDF with no
text at all is a `ReadError` saying what to install); a password-protected or damaged PDF is
a `ReadError`.  Words split across pages, page footers such as ``— 3 —`` and the like are
left alone: repairing them is a later stage's job.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from .base import RawDocument, ReadError, file_head, normalise_newlines, reason_of, sniff_binary, with_warnings
from .scan import ocr_into, render_pdf_page


def read_pdf(path: Path, max_bytes: int) -> RawDocument:
    del max_bytes  # checked by read_document
    import pdfplumber

    notes: list[str] = []
    pages: list[str] = []
    empty_pages: list[int] = []
    pictured: list[int] = []
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
                    notes.append(f"page {number} could not be read ({reason_of(exc)})")
                    page_text = ""
                finally:
                    page.close()
                page_text = normalise_newlines(page_text)
                if not page_text.strip():
                    empty_pages.append(number)
                    if page.images:  # a scan is a picture of the page; a page without one is blank
                        pictured.append(number)
                pages.append(page_text)
    except Exception as exc:
        raise ReadError(path, _pdf_open_reason(path, exc)) from None

    if not pages:
        raise ReadError(path, "PDF has no pages")
    # issue 15: scanned pages go to OCR
    ocr = ocr_into(path, pages, {n: partial(render_pdf_page, path, n - 1) for n in pictured}, notes)
    empty_pages = [n for n in empty_pages if not pages[n - 1].strip() and (ocr is not None or n not in pictured)]
    if len(empty_pages) == len(pages):
        raise ReadError(path, "PDF has no text layer (scanned?)")
    if empty_pages:
        notes.append(f"pages without text (scanned?): {', '.join(map(str, empty_pages))}")
    text = "\n\n".join(pages)
    unmapped = text.count("(cid:")
    if unmapped:
        notes.append(f"{unmapped} glyphs have no Unicode mapping and read as (cid:N)")
    metadata["pages"] = str(len(pages))
    return RawDocument(
        path=path, format="pdf", text=text, encoding=None, metadata=with_warnings(metadata, notes), ocr=ocr
    )


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
    head = file_head(path)
    if not head.startswith(b"%PDF"):
        kind = sniff_binary(head)
        return f"not a valid PDF (it does not start with %PDF{'; it looks like ' + kind if kind else ''})"
    return f"not a valid PDF ({reason_of(inner)})"
