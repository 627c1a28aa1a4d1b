"""Scans: page images read by OCR — image files (.png, .jpg, .tif, multi-page TIFF included) and
the pages of a PDF or an OFD that have no text but a picture (their readers call `ocr_into`).

Pages are joined by a blank line, as the PDF reader joins pages; the result carries an
`OcrLayer` (which pages were OCR'd, each character's confidence) and the notes of the OCR steps
(skew straightened, seal text dropped, repairs) as warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .base import RawDocument, ReadError, reason_of, with_warnings
from .ocr import ENGINE, OCR_DPI, OcrLayer, OcrRun, OcrText, ocr_page, require_engine
from .tools import MissingPackage

if TYPE_CHECKING:
    from PIL import Image

IMAGE_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}


def read_image(path: Path, max_bytes: int) -> RawDocument:
    """An image file (every frame of a TIFF) read by OCR."""
    del max_bytes  # checked by read_document
    from PIL import Image, ImageSequence, UnidentifiedImageError

    require_engine(path)
    try:
        with Image.open(path) as image:
            image.load()
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError(path, f"not a readable image ({reason_of(exc)})") from None
    read = {n: read_page(frame, n, path) for n, frame in enumerate(frames, start=1)}
    pages = [page.text for page in read.values()]
    notes = [note for page in read.values() for note in page.notes]
    text = "\n\n".join(pages)
    if not text.strip():
        raise ReadError(path, "OCR found no text in the image")
    return RawDocument(
        path=path,
        format=IMAGE_FORMATS[path.suffix.lower()],
        text=text,
        encoding=None,
        metadata=with_warnings({"pages": str(len(pages))}, notes),
        ocr=place_runs(pages, read),
    )


def ocr_into(
    path: Path, pages: list[str], renders: dict[int, Callable[[], Image.Image]], notes: list[str]
) -> OcrLayer | None:
    """OCR the pages in ``renders`` (1-based page number → the page's picture) into ``pages``,
    in place, and return where OCR text sits once the pages are joined by blank lines.

    Without the OCR engine, a document with text elsewhere is read without those pages (a note
    says which and what to install); one with no text at all is a `ReadError` saying it.
    """
    if not renders:
        return None
    try:
        require_engine(path)
    except MissingPackage as missing:
        if not any(text.strip() for text in pages):
            raise
        notes.append(f"pages {', '.join(map(str, renders))} are scanned and were not read: {missing.reason}")
        return None
    read = {number: read_page(render(), number, path) for number, render in renders.items()}
    for number, page in read.items():
        pages[number - 1] = page.text
        notes.extend(page.notes)
    notes.append(f"OCR ({ENGINE}) read pages {', '.join(map(str, read))}")
    return place_runs(pages, {n: p for n, p in read.items() if p.text.strip()})


def read_page(image: Image.Image, number: int, path: Path) -> OcrText:
    try:
        return ocr_page(image, page=number)
    except MemoryError:
        raise ReadError(path, f"page {number} is too large to OCR") from None


def place_runs(page_texts: list[str], ocr_texts: dict[int, OcrText]) -> OcrLayer:
    """The `OcrLayer` of a document whose pages ``page_texts`` (1-based numbering) are joined
    by blank lines, where the pages in ``ocr_texts`` were read by OCR."""
    runs, pos = [], 0
    for number, text in enumerate(page_texts, start=1):
        if number in ocr_texts:
            runs.append(OcrRun(number, pos, pos + len(text), ocr_texts[number].scores))
        pos += len(text) + 2
    return OcrLayer(ENGINE, runs)


def render_pdf_page(path: Path, index: int, dpi: int = OCR_DPI) -> Image.Image:
    """Page ``index`` (0-based) of a PDF as an image, rendered by PDFium (pdfplumber's own
    renderer)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        image: Image.Image = document[index].render(scale=dpi / 72).to_pil()  # pypdfium2 ships no types
        return image
    finally:
        document.close()
