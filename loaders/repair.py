"""Text repair: from text as read to clean text and to a matching form.

Three layers of one document:

* **original** — as read from the file; provenance offsets point here;
* **clean** — repaired for reading, in the document's own script: GBK mojibake
  recovered, pinyin glosses dropped (``發(fā)展`` → ``發展``), page footers and
  download notices removed, words and clauses split by PDF page breaks rejoined;
  a :class:`MappedText` maps it back to the original;
* **matching** — :func:`fold` of clean, character for character (so offsets are
  shared): simplified characters (OpenCC ``t2s``) and half-width punctuation,
  which is what clause patterns and the agency registry see.

Repairs change the text, but every assignment must point back at the clause *as
written*: a :class:`MappedText` carries, for every character of the repaired text,
its offset in the original, so any span found in repaired text maps back to
original offsets with :meth:`MappedText.original_span`.

>>> t = MappedText.identity("省市\\n\\n场监管局")
>>> t = t.edit([(2, 4, "")])
>>> t.text
'省市场监管局'
>>> t.original_span(0, len(t.text))
(0, 8)
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import opencc

from .clauses import Conventions, load_conventions

# ---------------------------------------------------------------- text that remembers its origin


@dataclass(slots=True)
class MappedText:
    """A text and, for each of its characters, where it stood in the original."""

    text: str
    origin: list[int]  # origin[i] = original offset of text[i]; origin[len(text)] = end of original

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, list(range(len(text) + 1)))

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> MappedText:
        """Apply non-overlapping replacements ``(start, end, new)`` given in
        offsets of this text.  A replacement of the same length keeps a
        one-to-one mapping; otherwise its characters map to the start of what
        they replaced."""
        pieces: list[str] = []
        origin: list[int] = []
        pos = 0
        for start, end, new in sorted(edits):
            if start < pos:
                raise ValueError(f"overlapping edits at {start}")
            pieces.append(self.text[pos:start])
            origin.extend(self.origin[pos:start])
            pieces.append(new)
            if len(new) == end - start:
                origin.extend(self.origin[start:end])
            else:
                origin.extend([self.origin[start]] * len(new))
            pos = end
        pieces.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        return MappedText("".join(pieces), origin)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets covering ``text[start:end]`` (end exclusive)."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin[end - 1] + 1


# ---------------------------------------------------------------- folding

_WIDTH = {0x3000: " "} | {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
# Brackets that play the role of round brackets in clauses and 文号.
_BRACKETS = {"〔": "(", "〕": ")", "［": "(", "］": ")", "【": "(", "】": ")", "﹙": "(", "﹚": ")"}
_FOLD_TABLE = str.maketrans(_WIDTH | _BRACKETS)
# str.translate looks every character of a CJK text up in the table, one at a time; a regex
# visits only the characters that change, ten times faster on a plan (which is mostly Han).
_FOLD_CHARS = {chr(k): v for k, v in _FOLD_TABLE.items()}
_FOLD_RE = re.compile("[" + "".join(re.escape(c) for c in _FOLD_CHARS) + "]")


def _fold_width(text: str) -> str:
    return _FOLD_RE.sub(lambda m: _FOLD_CHARS[m.group()], text)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, always of the same length (character for character)."""
    converted: str = _t2s().convert(text)  # opencc leaves convert() without a return type
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length somewhere: convert line by line and
    # fall back to single characters on the lines where that happened.
    out = []
    for line in text.split("\n"):
        c = _t2s().convert(line)
        out.append(c if len(c) == len(line) else "".join(_t2s().convert(ch) for ch in line))
    return "\n".join(out)


def fold(text: str) -> str:
    """The matching form: simplified script, half-width punctuation, round brackets.

    >>> fold("（牽頭單位：省大數據局）")
    '(牵头单位:省大数据局)'
    """
    return _fold_width(to_simplified(text))


_CJK = re.compile("[\u4e00-\u9fff]")


def is_traditional(text: str, sample: int = 20000) -> bool:
    """True when OpenCC changes more than 5% of the CJK characters."""
    head = text[:sample]
    # counted by C loops (a regex, map over operator.ne), not a Python loop per character
    cjk = len(_CJK.findall(head))
    if not cjk:
        return False
    simplified = to_simplified(head)
    changed = 0 if simplified == head else sum(map(operator.ne, head, simplified))
    return changed / cjk > 0.05


# ---------------------------------------------------------------- mojibake


@cache
def _gbk_inverse() -> dict[str, bytes]:
    """Character → its two GBK bytes, as a GBK decoder of the time produced it.

    Built from Python's own gbk/gb18030 decoders, plus the GB18030-2000 private-use
    mapping of A98A–A995 (GB18030-2005 moved those codes to U+2FF0…), which the
    tool that garbled 004 still used."""
    inverse: dict[str, bytes] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            pair = bytes((lead, trail))
            for codec in ("gbk", "gb18030"):
                try:
                    ch = pair.decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1:
                    inverse.setdefault(ch, pair)
    for k in range(12):
        inverse.setdefault(chr(0xE7E8 + k), bytes((0xA9, 0x8A + k)))
    return inverse


def _regbk(text: str) -> bytes:
    inverse = _gbk_inverse()
    return b"".join(ch.encode("ascii") if ord(ch) < 0x80 else inverse.get(ch) or ch.encode("gb18030") for ch in text)


_PLAUSIBLE_PUNCT = set("（）、。，：；“”《》\u3000")


def _plausibility(text: str) -> int:
    """How many characters read as ordinary Chinese text: ideographs and the
    common full-width punctuation.  Misaligned GBK turns them into private-use
    characters, box drawing, bopomofo and latin letters with diacritics."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch in _PLAUSIBLE_PUNCT)


_MOJIBAKE_START = re.compile(r"(?m)^([ \u3000]*)\?")


def repair_mojibake_line(line: str) -> str | None:
    """Repair one line of GBK bytes decoded one byte out of step.

    The line's first byte (0xA1, the lead byte of a full-width space or of 。)
    was lost and shows as ``?``; every later pair of bytes was decoded across
    a character boundary.  Re-encoding the garbled characters to the GBK bytes
    they came from and putting 0xA1 back in front realigns the stream; bytes
    that the garbling already lost stay lost (U+FFFD).  Returns the repaired
    line, or None when the repair does not make the line more plausible.

    >>> repair_mojibake_line("?。ǘ\\ue46a┛傮w目標。")
    '　（二）總體目標。'
    """
    if not line.startswith("?"):
        return None
    fixed = (b"\xa1" + _regbk(line)[1:]).decode("gb18030", errors="replace")
    head = 12
    if _plausibility(fixed[:head]) > _plausibility(line[:head]):
        return fixed
    return None


# ---------------------------------------------------------------- pinyin glosses

# A tone-marked pinyin syllable in brackets right after a character: 發(fā), 區(qū).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = re.compile(
    rf"(?<=[\u4e00-\u9fff\u3400-\u4dbf\ufffd?])[(（](?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
    # …or whose opening bracket the mojibake swallowed: "\ufffd?yōu)".
    rf"|(?<=\ufffd)\?(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
)


# ---------------------------------------------------------------- structure-aware repairs

HEADING = re.compile(
    r"^[ \u3000\t]*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]"
    r"|\d{1,2}\s*[.．、](?!\d)|[(（]?\d{1,2}[)）]|[①-⑳]|——)"
)
_TERMINAL = tuple("。；;！!？?：:)）」』】〕")


def _bracket_balance(line: str) -> int:
    return sum(line.count(c) for c in "(（〔[［【") - sum(line.count(c) for c in ")）〕]］】")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _drop_lines(text: MappedText, conv: Conventions) -> MappedText:
    """Remove page footers, and a download notice that ends the file."""
    edits: list[tuple[int, int, str]] = []
    spans = _line_spans(text.text)
    folded = fold(text.text)  # same length as the text: fold once, slice per line
    folded_lines = [folded[s:e] for s, e in spans]
    nonempty = [i for i, line in enumerate(folded_lines) if line.strip()]
    tail = set(nonempty[-6:])
    for i, (s, e) in enumerate(spans):
        line = folded_lines[i]
        if i in tail and any(p.search(line) for p in conv.end_markers):
            edits.append((s, len(text.text), ""))
            break
        if any(p.search(line) for p in conv.drop_lines):
            edits.append((s, min(e + 1, len(text.text)), ""))
    return text.edit(edits)


_RANK_ONE = re.compile(r"[一二三四五六七八九十]+、")


def _rejoin_breaks(text: MappedText, conv: Conventions) -> MappedText:
    """Rejoin lines that a page break (or a hard wrap) split.

    A break is rejoined when the line before it leaves a bracket open (a clause
    split as ``(责\\n\\n任单位:``), or, once the body has begun, when the line
    before does not end a sentence and the line after does not start a heading
    (``省市\\n\\n场监管局``).  Headings, clause lines and framing lines (dates,
    signatures) are never glued to their neighbours."""
    s = text.text
    folded = fold(s)  # same length as the text: fold once, slice per line
    spans = [(a, b) for a, b in _line_spans(s) if s[a:b].strip()]
    edits: list[tuple[int, int, str]] = []
    in_body = False
    clause_start = re.compile(r"^[ \u3000]*[(（]?(" + "|".join(conv.all_keys) + ")")
    for (a, b), (c, d) in pairwise(spans):
        prev = folded[a:b].strip()
        nxt = folded[c:d].strip()
        if _RANK_ONE.match(prev):
            in_body = True
        if HEADING.match(nxt) or any(p.search(nxt) for p in conv.frame_lines):
            continue
        if any(p.search(prev) for p in conv.frame_lines):
            continue
        unclosed = _bracket_balance(prev) > 0 and _bracket_balance(nxt) < 0
        if not unclosed:
            # A heading is glued to nothing, unless it carries a statement that
            # the page break cut (1.提高…能力。加快…督查、| 同工程建设…).
            heading_only = HEADING.match(prev) and "。" not in prev
            if not in_body or prev.endswith(_TERMINAL) or heading_only or clause_start.match(prev):
                continue
            if clause_start.match(nxt) and prev.endswith(("”", '"')):
                continue
        # Drop the line break and the blank lines and indentation around it.
        gap_start = b
        while gap_start > a and s[gap_start - 1] in " \t\u3000":
            gap_start -= 1
        gap_end = c
        while gap_end < d and s[gap_end] in " \t\u3000":
            gap_end += 1
        edits.append((gap_start, gap_end, ""))
    return text.edit(edits)


def repair(original: str, conv: Conventions | None = None) -> tuple[MappedText, list[str]]:
    """Clean text (with its map to the original) and notes on what was repaired."""
    conv = conv or load_conventions()
    notes: list[str] = []
    text = MappedText.identity(original)

    edits = []
    for m in _MOJIBAKE_START.finditer(text.text):
        start = m.end() - 1
        end = text.text.find("\n", start)
        end = len(text.text) if end < 0 else end
        fixed = repair_mojibake_line(text.text[start:end])
        if fixed is not None:
            fixed = fixed.lstrip("\u3000")
            # The decoder falls back in step at the first single-byte character, so
            # the end of the line is already right: edit only the garbled head, and
            # the rest keeps its one-to-one map to the original (provenance).
            garbled, same = text.text[start:end], 0
            while same < min(len(garbled), len(fixed)) - 1 and garbled[-1 - same] == fixed[-1 - same]:
                same += 1
            edits.append((start, end - same, fixed[: len(fixed) - same]))
    if edits:
        lost = sum(new.count("\ufffd") for _, _, new in edits)
        notes.append(f"repaired {len(edits)} lines of GBK mojibake ({lost} characters unrecoverable)")
        text = text.edit(edits)

    glosses = [(m.start(), m.end(), "") for m in _PINYIN_GLOSS.finditer(text.text)]
    if glosses:
        notes.append(f"dropped {len(glosses)} pinyin glosses")
        text = text.edit(glosses)

    before = len(text.text)
    text = _drop_lines(text, conv)
    if len(text.text) != before:
        notes.append("dropped page footers or a trailing download notice")

    before = len(text.text)
    text = _rejoin_breaks(text, conv)
    if len(text.text) != before:
        notes.append("rejoined lines split by page breaks")
    return text, notes
