"""Confidences of text read by OCR, carried onto what extraction found in it.

`attach_ocr_confidence` is called once per document, after extraction, when the reader made
an `OcrLayer`: every assignment whose name was read by OCR gets the lowest confidence of the
name's characters, and the document records which pages were OCR'd.  Assignments on
text-layer pages of a mixed PDF keep ``confidence=None``.
"""

from __future__ import annotations

from dutygraph.model import Document

from .ocr import OcrLayer


def attach_ocr_confidence(doc: Document, layer: OcrLayer) -> None:
    """Set ``Assignment.confidence`` from ``layer`` and ``Document.ocr_pages``.

    >>> from array import array
    >>> from dutygraph.model import Assignment, Role, Span, Task
    >>> from dutygraph.loaders.read.ocr import OcrLayer, OcrRun
    >>> doc = Document("d", "scan.png", "png", "（牵头单位：省公安厅）", "h")
    >>> unit = Assignment(Role.LEAD, "省公安厅", None, None, name_span=Span("省公安厅", 6, 10))
    >>> doc.tasks.append(Task("t", "d", None, "1", 1, "", "", 0, 11, assignments=[unit]))
    >>> attach_ocr_confidence(doc, OcrLayer("rapidocr", [OcrRun(1, 0, 11, array("f", [0.99] * 8 + [0.6, 0.99, 1]))]))
    >>> round(unit.confidence, 2), doc.ocr_pages
    (0.6, [1])
    """
    doc.ocr_pages = sorted(layer.pages)
    for task in doc.tasks:
        for assignment in task.assignments:
            span = assignment.name_span
            if span is not None:
                assignment.confidence = layer.confidence(span.start, span.end)
