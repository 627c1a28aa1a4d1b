"""What OCR gets wrong in plans, put right before the text goes on to the pipeline's repair
stage; the corrections come from ``data/ocr_confusions.yaml`` and each one is reported.

* **words** that can only be one thing in a plan: a role label or a deadline word misread by
  one glyph (``奉头单位`` → ``牵头单位``, ``第三季度未前`` → ``第三季度末前``);
* **unit names** in a unit list (after a role label's colon, split at ``、``) whose last
  character is a glyph OCR confuses with a unit suffix (``省公安斤`` → ``省公安厅``);
* **the colon after a role label** read as a semicolon (``配合单位;省财政厅`` → ``配合单位：省财政厅``);
* **the 文号** of a red head, whose hexagonal brackets OCR reads as any bracket
  (``苏政办发[2023]27号`` → ``苏政办发〔2023〕27号``), spaces inside it dropped.

Broken lines (a paragraph printed over several lines) are joined by the OCR layout step, and
seal text by the colour step (`ocr.ocr_page`); what is left to the pipeline's own repair
stage (page footers, page breaks inside a clause) is the same as for a PDF.

Every edit keeps the text's per-character confidences in step: a replacement character gets
the lowest confidence of what it replaces.

>>> text, scores, notes = repair_ocr_text("（奉头单位：省公安斤；配合单位;省财政厅）", array("f", [0.9] * 20))
>>> text
'（牵头单位：省公安厅；配合单位：省财政厅）'
>>> notes
['OCR repair: 奉头单位 → 牵头单位', 'OCR repair: 省公安斤 → 省公安厅', 'OCR repair: ; → ：']
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONFUSIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "ocr_confusions.yaml"


@dataclass(frozen=True, slots=True)
class Confusions:
    words: dict[str, str]
    unit_endings: dict[str, str]
    unit_suffixes: frozenset[str]
    doc_number: re.Pattern[str]
    unit_list: re.Pattern[str]
    label_semicolon: re.Pattern[str]


@cache
def confusions() -> Confusions:
    raw = yaml.safe_load(CONFUSIONS_FILE.read_text(encoding="utf-8"))
    brackets = "".join(re.escape(b) for b in raw["doc_number_brackets"])
    doc_number = re.compile(
        rf"(?P<issuer>[\u4e00-\u9fff]{{1,10}}[发函字])\s*[{brackets}〔]\s*(?P<year>(?:19|20)\d\d)\s*[{brackets}〕]"
        rf"\s*(?P<no>\d{{1,4}})\s*号"
    )
    # A role label's colon, then units separated by 、 up to the end of the list.
    unit_list = re.compile(r"(?:单位|部门|处室)\s*[:：]\s*(?P<units>[^；;。，,：:（）()\n]+)")
    return Confusions(
        words={str(k): str(v) for k, v in raw["words"].items()},
        unit_endings={str(k): str(v) for k, v in raw["unit_endings"].items()},
        unit_suffixes=frozenset(str(s) for s in raw["unit_suffixes"]),
        doc_number=doc_number,
        unit_list=unit_list,
        label_semicolon=re.compile("(?:" + "|".join(map(re.escape, raw["role_labels"])) + r")[;；](?=\S)"),
    )


def repair_ocr_text(text: str, scores: array) -> tuple[str, array, list[str]]:
    """``text`` with OCR's typical misreadings corrected, its ``scores`` kept in step, and a
    note per correction."""
    conf = confusions()
    edits: list[tuple[int, int, str]] = []
    for wrong, right in conf.words.items():
        edits.extend((m.start(), m.end(), right) for m in re.finditer(re.escape(wrong), text))
    edits.extend((m.end() - 1, m.end(), "：") for m in conf.label_semicolon.finditer(text))
    for m in conf.unit_list.finditer(text):
        pos = m.start("units")
        for name in m.group("units").split("、"):
            end = pos + len(name)
            fixed = conf.unit_endings.get(name[-1:]) if len(name) >= 3 else None
            if fixed is not None and fixed in conf.unit_suffixes:
                edits.append((pos, end, name[:-1] + fixed))
            pos = end + 1
    for m in conf.doc_number.finditer(text):
        printed = f"{m['issuer']}〔{m['year']}〕{m['no']}号"
        if m.group(0) != printed:
            edits.append((m.start(), m.end(), printed))
    return apply_edits(text, scores, edits)


def apply_edits(text: str, scores: array, edits: list[tuple[int, int, str]]) -> tuple[str, array, list[str]]:
    """Apply non-overlapping ``(start, end, replacement)`` edits (later overlapping ones are
    dropped) to the text and its scores.

    >>> apply_edits("ab[c]d", array("f", [1, 1, 0.5, 1, 1, 1]), [(2, 5, "〔c〕")])[:2]
    ('ab〔c〕d', array('f', [1.0, 1.0, 0.5, 0.5, 0.5, 1.0]))
    """
    out, out_scores, notes = [], array("f"), []
    pos = 0
    for start, end, replacement in sorted(edits):
        if start < pos:
            continue
        out.append(text[pos:start])
        out_scores.extend(scores[pos:start])
        lowest = min(scores[start:end]) if end > start else 1.0
        out.append(replacement)
        out_scores.extend([lowest] * len(replacement))
        notes.append(f"OCR repair: {text[start:end]} → {replacement}")
        pos = end
    out.append(text[pos:])
    out_scores.extend(scores[pos:])
    return "".join(out), out_scores, notes
