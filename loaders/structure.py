"""Structure of a plan: the section hierarchy (一、 / （一） / 1. / （1）), the
paragraphs that may be tasks, the first sentence of a heading (which ends at a 。 outside
brackets and closed quotation marks: `quote_spans` pairs the marks as published texts mix
them), and the documents a plan cites.  (Front matter — title, issuer, 文号, date — is the
metadata stage's: :mod:`.metadata`.)

Works on the clean text and its matching form (same length, see
:mod:`.repair`); every offset here is an offset into the clean text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .clauses import Conventions

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(numeral: str) -> int:
    """Chinese numeral up to 99 (or a circled number ①–⑳) → int.

    >>> cn_number("十二"), cn_number("二十一"), cn_number("四"), cn_number("③")
    (12, 21, 4, 3)
    """
    if len(numeral) == 1 and CIRCLED.find(numeral) >= 0:
        return CIRCLED.index(numeral) + 1
    if numeral.isdigit():
        return int(numeral)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    return CN_DIGITS[numeral]


# Heading kinds by rank; matched on the stripped matching form of a line.
_HEADINGS = [
    (1, re.compile(r"^([一二三四五六七八九十]+)\s*[、.]")),  # 一、 and 一.
    (2, re.compile(r"^\(\s*([一二三四五六七八九十]+)\s*\)")),
    (3, re.compile(r"^(\d{1,2})\s*[.、](?!\d)")),
    (4, re.compile(r"^\(?\s*(\d{1,2})\s*\)")),  # (1) and 1)
    (5, re.compile(f"^([{CIRCLED}])")),
]
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*\(\s*((?:19|20)\d{2})\s*\)\s*(\d{1,4})\s*号")
CITATION = re.compile(r"《([^《》\n]{3,120})》\s*(?:\(\s*([^()\n]{0,30}?\(\d{4}\)\s*\d{1,4}\s*号)\s*\))?")
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
    rank: int = 0  # heading rank 1..5 (一、 (一) 1. (1) ①), 0 for a paragraph
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
    title_end: int | None = None  # where its title ends when a marking follows it in the line


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


# A numbered item that starts inside a line, after a sentence end or a closing bracket
# (text copied from web pages often runs items together: "1.…(…负责) 2.…(…负责)").
_RUN_ON = re.compile(
    r"(?<=[。;:!?)])\s*(?:"
    r"(?P<r1>[一二三四五六七八九十]+)、"
    r"|\((?P<r2>[一二三四五六七八九十]+)\)"
    r"|(?P<r3>\d{1,2})\s*[.、](?!\d)"
    r"|\((?P<r4>\d{1,2})\)"
    rf"|(?P<r5>[{CIRCLED}])"
    r")"
)


def _label_of(text: str) -> tuple[int, int] | None:
    """(rank, number) of the heading label ``text`` starts with, or None.

    >>> [_label_of(t) for t in ("二、总", "三.保", "( 四 )任", "12.建", "( 3 )推", "4)完", "⑤落", "2023年")]
    [(1, 2), (1, 3), (2, 4), (3, 12), (4, 3), (4, 4), (5, 5), None]
    """
    for rank, pattern in _HEADINGS:
        m = pattern.match(text)
        if m:
            return rank, cn_number(m.group(1))
    return None


def split_run_together(lines: list[Line]) -> list[Line]:
    """Split lines that hold several numbered items, each one its own line.

    A label inside a line starts an item when it follows a sentence end or a closing
    bracket and numbers the next item: the successor of the item the line (or the last
    item split from it) is, or the first item of a deeper level.  Any other number inside a
    sentence (``3、4月份``, ``第2.5版``, a citation's ``(二)``) stays where it is.

    >>> [ln.text for ln in split_run_together(split_lines("1.建设A。(甲负责) 2.建设B。(乙负责)3.建设C。"))]
    ['1.建设A。(甲负责)', '2.建设B。(乙负责)', '3.建设C。']
    >>> [ln.text for ln in split_run_together(split_lines("(一)总则。1.建设A。2.建设B。"))]
    ['(一)总则。', '1.建设A。', '2.建设B。']
    >>> [ln.text for ln in split_run_together(split_lines("1.甲。(1)子一。(2)子二。2.乙。"))]
    ['1.甲。', '(1)子一。', '(2)子二。', '2.乙。']
    >>> [ln.text for ln in split_run_together(split_lines("1.甲:①子一;②子二。2.乙"))]
    ['1.甲:', '①子一;', '②子二。', '2.乙']
    >>> [ln.text for ln in split_run_together(split_lines("1.完成3、4月份任务。5.其他"))]
    ['1.完成3、4月份任务。5.其他']
    """
    out: list[Line] = []
    for line in lines:
        label = _label_of(line.text)
        if label is None:
            out.append(line)
            continue
        last = {label[0]: label[1]}  # the last item number seen at each rank, in this line
        start = 0
        for m in _RUN_ON.finditer(line.text):
            rank = next(r for r in (1, 2, 3, 4, 5) if m.group(f"r{r}") is not None)
            number = cn_number(m.group(f"r{rank}"))
            deepest = max(last)
            if not (number == last.get(rank, 0) + 1 and (rank in last or rank > deepest)):
                continue
            label_at = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            piece = line.text[start:label_at].rstrip()
            out.append(Line(line.start + start, line.start + start + len(piece), piece))
            start = label_at
            last = {r: n for r, n in last.items() if r < rank} | {rank: number}
        out.append(Line(line.start + start, line.end, line.text[start:]) if start else line)
    return out


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


# ---------------------------------------------------------------- quotation marks
# Plans quote names (“一网通办”, “浙里办”) and web copies mix the marks: ``“…"``, ``"…”``,
# ``"…"``, or drop one altogether.  A reader that opens a quote at ``“`` and waits for ``”``
# swallows everything after an unbalanced mark — the next sentence, the marking, the rest of
# the item.  Here a quote is only what is closed (see `quote_spans`).

_OPENING = "“"
_CLOSING = "”"
_EITHER = '"'


_QUOTE_MARKS = re.compile('[“”"\n]')
_FAR = 1 << 62  # sorts after every end offset


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every closed quote in ``text[start:end]``, marks included.

    * an opening mark is ``“`` or a ``"`` while no quote is open; a closing mark is ``”`` or a
      ``"`` while one is open — so ``“…"`` and ``"…”`` pair;
    * an opening mark seen while a quote is open means the earlier one was never closed (Chinese
      nests ‘…’ inside “…”, not “ inside “): the earlier one is dropped;
    * a quote still open at a line break or at the end is no quote at all.

    >>> text = '推进"一网通办”改革。深化“一件事"服务，建设"数字机关。推广“苏政通"应用'
    >>> [text[s:e] for s, e in quote_spans(text)]
    ['"一网通办”', '“一件事"', '“苏政通"']
    >>> quote_spans('打造“无证明城市。推进电子证照。')
    []
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    open_at = -1
    for m in _QUOTE_MARKS.finditer(text, start, end):
        ch, i = m.group(), m.start()
        if ch == "\n":
            open_at = -1
        elif ch == _OPENING or (ch == _EITHER and open_at < 0):
            open_at = i
        elif open_at >= 0:  # ” or " closing the open quote
            spans.append((open_at, i + 1))
            open_at = -1
    return spans


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies inside one of ``spans`` (sorted, as `quote_spans` gives them).

    >>> spans = quote_spans('甲“乙。”丙"丁。"')
    >>> [inside(spans, i) for i in (0, 3, 5, 8)]
    [False, True, False, True]
    """
    k = bisect_right(spans, (position, _FAR)) - 1
    return k >= 0 and spans[k][0] <= position < spans[k][1]


_SENTENCE_MARKS = re.compile("[(《)》。]")


def first_sentence(text: str) -> tuple[str, str]:
    """Split at the first 。 outside brackets and closed quotes: (sentence, rest).  A quote
    left open (``打造“无证明城市。…``) or closed by the other kind of mark (``“…"``) does not
    swallow the sentences after it (`quote_spans`).

    >>> first_sentence('打造“无证明城市。推进电子证照。')
    ('打造“无证明城市', '推进电子证照。')
    >>> first_sentence('推广“苏服办。"平台。完善机制。')
    ('推广“苏服办。"平台', '完善机制。')
    """
    quotes: list[tuple[int, int]] | None = None  # computed only when a 。 needs it
    depth = 0
    for m in _SENTENCE_MARKS.finditer(text):
        ch, i = m.group(), m.start()
        if ch in "(《":
            depth += 1
        elif ch in ")》":
            depth = max(0, depth - 1)
        elif depth == 0:
            if quotes is None:
                quotes = quote_spans(text)
            if not inside(quotes, i):
                return text[:i], text[i + 1 :]
    return text, ""


def path_label(line: Line) -> str:
    if line.rank == 1:
        return line.numeral
    if line.rank == 2:
        return f"({line.numeral})"
    if line.rank == 4:
        return f"({line.numeral})"
    return line.numeral  # 一, 1, ①


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


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
