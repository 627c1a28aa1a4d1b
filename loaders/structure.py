"""Structure of a plan: front matter (title, issuer, 文号, date), the section
hierarchy (一、 / （一） / 1. / （1）), the paragraphs that may be tasks, and the
documents a plan cites.

Works on the clean text and its matching form (same length, see
:mod:`.repair`); every offset here is an offset into the clean text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from .conventions import Conventions

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(numeral: str) -> int:
    """Chinese numeral up to 99 → int.

    >>> cn_number("十二"), cn_number("二十一"), cn_number("四")
    (12, 21, 4)
    """
    if numeral.isdigit():
        return int(numeral)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    return CN_DIGITS[numeral]


# Heading kinds by rank; matched on the stripped matching form of a line.
_HEADINGS = [
    (1, re.compile(r"^([一二三四五六七八九十]+)、")),
    (2, re.compile(r"^\(([一二三四五六七八九十]+)\)")),
    (3, re.compile(r"^(\d{1,2})\s*[.、](?!\d)")),
    (4, re.compile(r"^\((\d{1,2})\)")),
]
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*\(\s*((?:19|20)\d{2})\s*\)\s*(\d{1,4})\s*号")
DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(印发)?$")
ISSUER_LINE = re.compile(r"^(\S{2,14}?(?:人民政府|委员会)(?:办公厅|办公室)?)(?:文件)?$")
JURISDICTION = re.compile(r"^(.{1,8}?(?:自治区|省|自治州|市|县|区|旗))")
CITATION = re.compile(r"《([^《》\n]{3,120})》\s*(?:\(\s*([^()\n]{0,30}?\(\d{4}\)\s*\d{1,4}\s*号)\s*\))?")
# The plan a covering notice publishes: 现将《X》印发给你们 / 关于印发《X》的通知 /
# 《X》已经省政府同意,现印发给你们.
PUBLISHED = re.compile(r"《(?P<a>[^《》]{3,120})》[^《》。]{0,12}印发|印发\s*《(?P<b>[^《》]{3,120})》")
IMPLEMENTS_CUES = ("根据", "贯彻落实", "落实", "按照", "依据", "贯彻")


def canonical_doc_number(text: str) -> str | None:
    """'浙政办发(2019)17号' (matching form) → '浙政办发〔2019〕17号'."""
    m = DOC_NUMBER.search(text)
    if not m:
        return None
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


@dataclass(slots=True)
class Line:
    start: int  # clean offsets, stripped of surrounding whitespace
    end: int
    text: str  # matching form, stripped
    rank: int = 0  # heading rank 1..4, 0 for a paragraph
    label: str = ""  # the heading label as matched ("二、", "(一)", "1.")
    numeral: str = ""  # the number inside the label
    body_offset: int = 0  # where the text after the label starts, relative to start
    kind: str = "text"  # text | heading | clause | frame


@dataclass(slots=True)
class Node:
    """A heading in the hierarchy."""

    line: Line
    path: str
    depth: int
    parent: Node | None
    children: list[Line] = field(default_factory=list)  # lines directly under it
    index: int = 0  # ordinal used for the paragraph numbers under it


@dataclass(slots=True)
class FrontMatter:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued: date | None = None
    jurisdiction: str | None = None
    body_start: int = 0  # clean offset of the first 一、 heading


def split_lines(folded: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in folded.split("\n"):
        stripped = raw.strip(" \t\u3000\xa0")
        if stripped:
            lead = len(raw) - len(raw.lstrip(" \t\u3000\xa0"))
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def classify(lines: list[Line], conv: Conventions) -> None:
    clause_start = re.compile(r"^[(]?\s*(" + "|".join(conv.all_keys) + r")\s*:")
    for line in lines:
        # A clause line first: "配合单位:省大数据局,省政府办公厅" also reads like a
        # signature (…办公厅), and its units must not be dropped as framing.
        if clause_start.match(line.text):
            line.kind = "clause"
            continue
        if any(p.search(line.text) for p in conv.frame_lines):
            line.kind = "frame"
            continue
        for rank, pattern in _HEADINGS:
            m = pattern.match(line.text)
            if m:
                line.kind = "heading"
                line.rank = rank
                line.label = m.group(0)
                line.numeral = m.group(1)
                body = m.end()
                while body < len(line.text) and line.text[body] in " \t":
                    body += 1
                line.body_offset = body
                break


def first_sentence(text: str) -> tuple[str, str]:
    """Split at the first 。 (or ;) outside brackets: (sentence, rest)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "(《“":
            depth += 1
        elif ch in ")》”":
            depth = max(0, depth - 1)
        elif ch in "。" and depth == 0:
            return text[:i], text[i + 1 :]
    return text, ""


def path_label(line: Line) -> str:
    if line.rank == 1:
        return line.numeral
    if line.rank == 2:
        return f"({line.numeral})"
    if line.rank == 4:
        return f"({line.numeral})"
    return line.numeral


def front_matter(lines: list[Line], folded: str, clean: str) -> FrontMatter:
    fm = FrontMatter()
    body_index = next((i for i, ln in enumerate(lines) if ln.rank == 1), len(lines))
    fm.body_start = lines[body_index].start if body_index < len(lines) else len(folded)
    front = lines[:body_index]

    for ln in front:
        if fm.doc_number is None and (num := DOC_NUMBER.fullmatch(ln.text.replace(" ", ""))):
            fm.doc_number = canonical_doc_number(num.group(0))
        if fm.issued is None and (d := DATE_LINE.match(ln.text)) and not d.group(4):
            fm.issued = _date(d)
        if fm.issuer is None and (iss := ISSUER_LINE.match(ln.text.replace(" ", ""))):
            fm.issuer = _clean_slice(clean, ln.start, ln.start + len(iss.group(1)))
    # The signature may follow the plan (issuer line, then the date line).
    if fm.issued is None or fm.issuer is None:
        for prev, ln in pairwise(lines):
            d = DATE_LINE.match(ln.text)
            if d and not d.group(4):
                iss = ISSUER_LINE.match(prev.text.replace(" ", ""))
                if fm.issued is None:
                    fm.issued = _date(d)
                if iss and fm.issuer is None:
                    fm.issuer = _clean_slice(clean, prev.start, prev.end)
    if fm.issued is None:  # only a printing date (…印发)
        for ln in lines:
            if d := DATE_LINE.match(ln.text):
                fm.issued = _date(d)
                break

    # Title: the plan a covering notice publishes (现将《…》印发给你们), else the
    # first line of the front matter that reads like a title.
    front_end = fm.body_start
    m = PUBLISHED.search(folded, 0, front_end)
    if m:
        group = "a" if m.group("a") else "b"
        fm.title = _squash(clean[m.start(group) : m.end(group)])
    if fm.title is None:
        for ln in front:
            t = ln.text
            if ln.kind in ("frame", "note") or DOC_NUMBER.search(t) or t.endswith(":") or len(t) > 60:
                continue
            if "。" in t or t.startswith(("各", "为", "根据")):
                continue
            fm.title = _squash(clean[ln.start : ln.end])
            break
    for source in (fm.issuer, fm.title):
        if source and (m := JURISDICTION.match(re.sub(r"^\d{4}\s*年", "", _squash(source)))):
            fm.jurisdiction = m.group(1)
            break
    return fm


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clean_slice(clean: str, start: int, end: int) -> str:
    return _squash(clean[start:end])


def citations(
    folded: str, clean: str, own_title: str | None, body_start: int
) -> list[tuple[str, str | None, str, int, int]]:
    """(title, 文号, relation, start, end) of every 《document》 named.  A document
    cited in the preamble after 根据 / 贯彻落实 is one the plan implements."""
    found = []
    own = _squash(own_title or "")
    for m in CITATION.finditer(folded):
        title = _squash(clean[m.start(1) : m.end(1)])
        if own and _squash(m.group(1)) in (own, _squash(_fold_title(own))):
            continue
        if not re.search(r"(意见|方案|规划|通知|办法|纲要|决定|要点|条例|规定|计划|细则|法)$", _squash(m.group(1))):
            continue
        number = canonical_doc_number(m.group(2)) if m.group(2) else None
        sentence_start = max(folded.rfind("。", 0, m.start()), folded.rfind("\n", 0, m.start())) + 1
        lead_in = folded[sentence_start : m.start()]
        implements = m.start() < body_start and any(cue in lead_in for cue in IMPLEMENTS_CUES)
        relation = "implements" if implements else "cites"
        found.append((title, number, relation, m.start(), m.end()))
    return found


def _fold_title(title: str) -> str:
    from .repair import fold

    return fold(title)
