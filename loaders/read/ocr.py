"""OCR of page images (scanned PDF pages, photos, TIFF scans) with RapidOCR, whose wheel carries
its Chinese models (PP-OCRv6 detection and recognition, run by onnxruntime: nothing is
downloaded at run time).

One page goes through these steps:

1. **recognise** — RapidOCR finds text lines and reads them, with a confidence for every
   character (`OcrLine`);
2. **straighten** — the page's skew (a photo held 1–2° off) is measured from the lines' top
   edges and taken out of their coordinates, so that indentation can be compared;
3. **colour** — lines printed in red are told apart: the red head (``…文件`` at the top of
   a 公文) is kept, red text further down is a seal's ring (``江苏省人民政府办公厅`` pressed
   over the signature) and is dropped, with a warning;
4. **paragraphs** — printed lines are joined into paragraphs as a reader would: a line that
   is indented, centred, or follows a line ending short of the right margin starts a
   paragraph; any other line continues the one before (`layout`);
5. **repair** — what OCR typically gets wrong in plans (`ocr_repair`: 文号 brackets, confusable
   characters in role labels and unit names).

The result is a page's text with one confidence per character (`OcrText`); the readers put
pages together into a `RawDocument` and record where OCR text sits in an `OcrLayer`, from
which every assignment read from OCR gets its confidence (the lowest of its characters).
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ocr_repair import repair_ocr_text
from .tools import MissingPackage, have_module

if TYPE_CHECKING:
    from PIL import Image

ENGINE = "rapidocr"
OCR_DPI = 200
"""Resolution scanned PDF pages are rendered at for OCR (the engine works on at most 2000 px)."""

RED_HEAD_BAND = 0.25
"""Red lines in this top share of a page are a red head (kept); red lines below are seal text."""


@dataclass(slots=True)
class OcrLine:
    """One printed line as the engine read it: text, a confidence per character, its box
    (x0, y0, x1, y1 in pixels, skew taken out) and whether it is printed in red."""

    text: str
    scores: list[float]
    box: tuple[float, float, float, float]
    red: bool = False

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


@dataclass(slots=True)
class OcrText:
    """A page's text with one confidence (0–1) per character (1.0 for the line breaks the
    layout step adds) and what was noticed on the way."""

    text: str
    scores: array
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OcrRun:
    """Where one OCR'd page's text sits in `RawDocument.text`, with its confidences."""

    page: int
    start: int
    end: int
    scores: array


@dataclass(slots=True)
class OcrLayer:
    """The OCR'd parts of a document: which pages, by which engine, and every character's
    confidence.

    >>> layer = OcrLayer(ENGINE, [OcrRun(2, 10, 14, array("f", [0.99, 0.5, 0.98, 1.0]))])
    >>> layer.pages
    [2]
    >>> round(layer.confidence(10, 13), 2), layer.confidence(0, 9)
    (0.5, None)
    """

    engine: str
    runs: list[OcrRun]

    @property
    def pages(self) -> list[int]:
        return [run.page for run in self.runs]

    def confidence(self, start: int, end: int) -> float | None:
        """The lowest confidence of the characters in ``[start, end)`` read by OCR, or None when
        none of them was (a text-layer page of a mixed PDF)."""
        lowest: float | None = None
        for run in self.runs:
            lo, hi = max(start, run.start), min(end, run.end)
            if lo >= hi:
                continue
            value = min(run.scores[lo - run.start : hi - run.start])
            lowest = value if lowest is None else min(lowest, value)
        return lowest


# --------------------------------------------------------------------------- engine


def require_engine(path: Path) -> None:
    """Raise `MissingPackage` naming the extra to install when the OCR engine is absent."""
    if not (have_module("rapidocr") and have_module("onnxruntime")):
        raise MissingPackage(path, "to read scanned pages (OCR)", "rapidocr and onnxruntime", "ocr")


@cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    # No text-direction classifier: printed plans are upright, and it costs a fifth of the time.
    return RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})


def _char_scores(text: str, line_score: float, chars: Sequence[Any]) -> list[float]:
    """A confidence per character of ``text``: the engine's single-character scores when they
    spell the line, else the line's score for each character."""
    pieces = [(str(c[0]), float(c[1])) for c in chars or ()]
    if "".join(p for p, _ in pieces) == text:
        return [score for piece, score in pieces for _ in piece]
    return [line_score] * len(text)


def _is_red(rgb: Any, quad: Any) -> bool:
    """True when most of the ink inside the line's box is red (a red head, a seal)."""
    import numpy as np

    xs, ys = [int(p[0]) for p in quad], [int(p[1]) for p in quad]
    patch = rgb[max(min(ys), 0) : max(ys), max(min(xs), 0) : max(xs)].astype(np.int16)
    if patch.size == 0:
        return False
    r, g, b = patch[..., 0], patch[..., 1], patch[..., 2]
    ink = np.minimum(np.minimum(r, g), b) < 170
    red = ink & (r > 140) & (r - np.maximum(g, b) > 50)
    inked = int(ink.sum())
    return inked > 0 and int(red.sum()) / inked > 0.5


# --------------------------------------------------------------------------- skew


def skew_angle(quads: Sequence[Any]) -> float:
    """The page's skew in radians: the median slope of the top edges of lines at least ten
    times as wide as they are high (short lines say little about the slope).

    >>> round(math.degrees(skew_angle([[(0, 0), (1000, 26), (1000, 66), (0, 40)]])), 1)
    1.5
    """
    slopes = []
    for quad in quads:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        width = math.hypot(x1 - x0, y1 - y0)
        height = math.hypot(quad[3][0] - x0, quad[3][1] - y0)
        if width > 10 * max(height, 1):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


# --------------------------------------------------------------------------- page


def ocr_page(image: Image.Image, *, page: int | None = None) -> OcrText:
    """One page image read into text with a confidence per character (see the module)."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB"))
    result = _engine()(rgb, return_word_box=True, return_single_char_box=True)
    where = f"page {page}: " if page is not None else ""
    if result.txts is None or not len(result.txts):
        return OcrText("", array("f"), [f"{where}OCR found no text"])
    quads = [[(float(x), float(y)) for x, y in quad] for quad in result.boxes]
    angle = skew_angle(quads)
    cos, sin = math.cos(-angle), math.sin(-angle)
    words = result.word_results or [()] * len(result.txts)
    lines = []
    for quad, text, score, chars in zip(quads, result.txts, result.scores, words, strict=False):
        turned = [(x * cos - y * sin, x * sin + y * cos) for x, y in quad]
        xs, ys = [p[0] for p in turned], [p[1] for p in turned]
        box = (min(xs), min(ys), max(xs), max(ys))
        lines.append(OcrLine(str(text), _char_scores(str(text), float(score), chars), box, _is_red(rgb, quad)))
    notes = []
    if abs(math.degrees(angle)) >= 0.3:
        notes.append(f"{where}straightened a skew of {math.degrees(angle):.1f}°")
    height = rgb.shape[0]
    kept = []
    for line in lines:
        if line.red and _centre_y(line) > RED_HEAD_BAND * height:
            notes.append(f"{where}dropped red seal text: {line.text}")
            continue
        kept.append(line)
    text, scores = layout(kept)
    text, scores, repairs = repair_ocr_text(text, scores)
    notes.extend(where + note for note in repairs)
    return OcrText(text, scores, notes)


def _centre_y(line: OcrLine) -> float:
    return (line.box[1] + line.box[3]) / 2


# --------------------------------------------------------------------------- layout


def layout(lines: Sequence[OcrLine]) -> tuple[str, array]:
    """Printed lines joined into paragraphs, one paragraph per text line, with the scores.

    Lines are put in reading order (top to bottom; boxes on the same row left to right) and
    glued into rows.  The body's left and right edges are the most common line starts and
    ends.  A row starts a new paragraph when it is indented from the left edge, centred, the
    row before it ended short of the right edge (the last line of a paragraph), or a gap of
    more than a line separates them; otherwise it continues the paragraph before.

    >>> rows = [OcrLine("（一）推进整合。6月底前，完成迁", [1.0] * 16, (100, 0, 1000, 40)),
    ...         OcrLine("移上云。", [0.9] * 4, (40, 60, 220, 100)),
    ...         OcrLine("二、提升效能", [1.0] * 6, (40, 120, 300, 160)),
    ...         OcrLine("（三）深化改革。", [1.0] * 8, (100, 180, 1000, 220))]
    >>> text, scores = layout(rows)
    >>> print(text)
    （一）推进整合。6月底前，完成迁移上云。
    二、提升效能
    （三）深化改革。
    """
    rows = _rows(lines)
    if not rows:
        return "", array("f")
    char = statistics.median(_char_width(row) for row in rows)
    left = _common_edge([row.box[0] for row in rows], char, min)
    right = _common_edge([row.box[2] for row in rows], char, max)
    middle = (left + right) / 2
    out: list[str] = []
    scores = array("f")
    previous: OcrLine | None = None
    for row in rows:
        starts = previous is None or _starts_paragraph(row, previous, left, right, middle, char)
        if starts and previous is not None:
            out.append("\n")
            scores.append(1.0)
        out.append(row.text)
        scores.extend(row.scores)
        previous = row
    return "".join(out), scores


def _starts_paragraph(row: OcrLine, previous: OcrLine, left: float, right: float, middle: float, char: float) -> bool:
    indented = row.box[0] - left > 1.2 * char
    centred = abs((row.box[0] + row.box[2]) / 2 - middle) < 1.5 * char and row.box[0] - left > 3 * char
    previous_short = right - previous.box[2] > 1.5 * char
    gap = row.box[1] - previous.box[3] > 1.2 * max(row.height, previous.height)
    return indented or centred or previous_short or gap


def _rows(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """Lines in reading order, boxes on one row (vertical overlap over half the height) glued
    left to right."""
    rows: list[OcrLine] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        if not line.text:
            continue
        last = rows[-1] if rows else None
        if last is not None and _same_row(last, line):
            first, second = sorted((last, line), key=lambda ln: ln.box[0])
            box = (first.box[0], min(first.box[1], second.box[1]), second.box[2], max(first.box[3], second.box[3]))
            rows[-1] = OcrLine(first.text + second.text, first.scores + second.scores, box, first.red and second.red)
        else:
            rows.append(line)
    return rows


def _same_row(a: OcrLine, b: OcrLine) -> bool:
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return overlap > 0.5 * min(a.height, b.height)


def _char_width(row: OcrLine) -> float:
    """Width of one full-width character on this row (CJK text is monospaced; digits and
    Latin letters count half)."""
    units = sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in row.text) or 1.0
    return (row.box[2] - row.box[0]) / units


def _common_edge(values: list[float], char: float, pick: Any) -> float:
    """The body's edge: of the values within a character of the extreme, the most common
    cluster (headings and short lines do not move it)."""
    extreme = pick(values)
    near = [v for v in values if abs(v - extreme) < 2.5 * char]
    return statistics.median(near)
