"""OFD (GB/T 33190, the national format of electronic official documents) read by ofdkit into
the same text the PDF reader gives: each page's lines in reading order, pages joined by a
blank line.

ofdkit places every text run by its baseline and x position (not by the order of objects in
the file, which producers write as they please), reads text drawn by page templates (where
page footers such as ``— 1 —`` and running heads usually live: the repair stage drops them as
it does for PDFs), reads prose in columns column by column and tables row by row.  It marks
paragraph gaps with a blank line; the PDF reader does not, so they are closed up here, and a
blank line in the text always means a new page.

A page without text that draws a picture (a scanner's OFD stores each page as one image) is
read by OCR, as a scanned PDF page is (`scan`, pictures found by `ofd_images`); without the
OCR engine such pages are named in a warning, and a file without any text is a `ReadError`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .base import RawDocument, ReadError, not_zip_reason, reason_of, with_warnings
from .ocr import OcrLayer
from .ofd_images import OfdPictures
from .scan import ocr_into
from .tools import MissingPackage, have_module

if TYPE_CHECKING:
    from PIL import Image

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def read_ofd(path: Path, max_bytes: int) -> RawDocument:
    del max_bytes  # checked by read_document
    if not zipfile.is_zipfile(path):
        raise ReadError(path, f"not a valid OFD file ({not_zip_reason(path).replace('.docx/.xlsx', '.ofd')})")
    if not have_module("ofdkit"):
        raise MissingPackage(path, "to read .ofd files", "ofdkit", "formats")
    import ofdkit

    notes: list[str] = []
    pages: list[str] = []
    empty: list[int] = []
    locations: dict[int, str] = {}
    try:
        with ofdkit.open(path) as document:
            info = document.info
            for number, page in enumerate(document.pages, start=1):
                try:
                    page_text = _BLANK_LINES.sub("\n", page.text()).strip("\n")
                except ofdkit.OFDError as exc:
                    notes.append(f"page {number} could not be read ({reason_of(exc)})")
                    page_text = ""
                if not page_text.strip():
                    empty.append(number)
                    if page.location:
                        locations[number] = page.location
                pages.append(page_text)
            notes.extend(document.warnings)
    except ofdkit.OFDError as exc:
        raise ReadError(path, f"not a valid OFD file ({reason_of(exc)})") from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(path, f"not a valid OFD file ({reason_of(exc)})") from None
    if not pages:
        raise ReadError(path, "OFD has no pages")
    ocr = None
    if locations:
        ocr = _ocr_pictured_pages(path, pages, locations, notes)
        empty = [n for n in empty if not pages[n - 1].strip()]
    if len(empty) == len(pages):
        raise ReadError(path, "OFD has no text (its pages are images: scanned?)")
    if empty:
        notes.append(f"pages without text (scanned?): {', '.join(map(str, empty))}")
    metadata = {"title": info.title or "", "author": info.author or "", "subject": info.subject or ""}
    metadata["pages"] = str(len(pages))
    return RawDocument(
        path=path,
        format="ofd",
        text="\n\n".join(pages),
        encoding=None,
        metadata=with_warnings(metadata, notes),
        ocr=ocr,
    )


def _picture(image: Image.Image) -> Callable[[], Image.Image]:
    """A page render that is a picture already read (OCR asks for renders, which it calls when needed)."""
    return lambda: image


def _ocr_pictured_pages(path: Path, pages: list[str], locations: dict[int, str], notes: list[str]) -> OcrLayer | None:
    """OCR the largest picture of each page without text in place (``pages`` is updated)."""
    pictures = OfdPictures(path)
    try:
        found = {n: image for n, loc in locations.items() if (image := pictures.largest_picture(loc)) is not None}
        return ocr_into(path, pages, {n: _picture(image) for n, image in found.items()}, notes)
    finally:
        pictures.close()
