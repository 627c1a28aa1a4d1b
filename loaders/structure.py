"""Structure of a plan: the section hierarchy (一、 / （一） / 1. / （1）), the
paragraphs that may be tasks, the first sentence of a heading (which ends at a 。 outside
brackets and closed quotation marks: `quote_spans` pairs the marks as published texts mix
them), and the documents a plan cites.  (Front matter — title, issuer, 文号, date — is the
metadata stage's: :mod:`.metadata`.)

Works on the clean text and its matching form (same length, see
:mod:`.repair`); every offset here is an offset into the clean text.

**Tasks** (:func:`select_tasks`): which paragraphs of a plan are tasks, and which markings govern each.

Input: the classified lines above and the marking
reader (:mod:`.clauses`, which says what a marking *says*).  Output: a :class:`TaskPlan` —
the tasks with the text each states and the markings that govern it, the headings that are
sections, and the facts the quality report needs.  The rules, in the order they apply:

* **Candidates.**  Every numbered line and every paragraph of the body is a candidate; a
  label line (``牵头单位：…``, ``责任单位：…``, a leader line) belongs to the candidate
  before it.  A heading followed only by paragraphs and then label lines
  (``（三）标题`` / text / ``主办：A`` / ``协办：B``) is one candidate: the heading's.
* **Several markings in one item.**  ``1.甲（A牵头）。乙（B负责）。丙（C、D按职责分工负责）``
  gives three tasks, 1.1 / 1.2 / 1.3: each marking governs the text before it back to the
  previous marking.  Markings side by side (``（牵头单位：A）（配合单位：B）``) are one.
* **Tasks.**  A candidate with a marking is a task, wherever it stands (a numbered line, an
  unnumbered paragraph, a line before the first heading).  Without one: a numbered item with
  nothing under it, even a bare title (a task nobody was given); in a document with no
  markings at all, every paragraph under a heading; never anything under 总体要求 / 指导思想 …
  (``non_task_sections``).
* **A marking on a heading** (``（一）…。（A、B等国务院相关部门及各地区按职责分工负责）``)
  governs the heading's task and the items under it that carry none of their own: those
  become tasks whose assignments are *inherited* from the heading (:attr:`TaskSpan.governor`).
  Numbered items inherit from any heading above; an unnumbered paragraph only from a heading
  proper (一、 / （一）, or a line with numbered items under it) and only when it states work
  (ends in 。 or ；), so ``联系人：`` or a table row under the heading inherits nothing.

Every offset is into the clean text (the matching form has the same offsets).

>>> from .clauses import ClauseReader, load_conventions
>>> conv = load_conventions()
>>> text = "一、总体任务\\n1.建设A。(甲局牵头)完善B。(乙局负责)\\n2.建设C。(丙局负责)"
>>> lines = split_run_together(split_lines(text))
>>> classify(lines, conv)
>>> plan = select_tasks(lines, text, ClauseReader(conv), conv)
>>> [(t.number, text[t.text_start:t.text_end]) for t in plan.tasks]
[('一.1.1', '建设A。'), ('一.1.2', '完善B。'), ('一.2', '建设C。')]
>>> [n.path for n in plan.sections]
['一', '一.1']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from .clauses import Clause, ClauseReader, Conventions, matching_close

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


# ---------------------------------------------------------------- tasks: which paragraphs are tasks

# What may stand between two markings that are one (side by side, or split by a 。).
_BETWEEN_MARKINGS = re.compile(r"[\s。.,，;；:：、]*")
# What a segment's text may start with after the previous marking ("。乙…").
_LEADING_PUNCT = " \t\n\u3000\xa0。.,，;；、"
# How a paragraph that states work ends (matching form).
_STATEMENT_ENDS = ("。", ";", "!")
_BLANKS = " \t\n\u3000\xa0"


@dataclass(slots=True)
class TaskSpan:
    """One task as the structure gives it, before roles and names are decided."""

    number: str  # number path: "二.(一).3", "二.(一).¶2", "二.(一).3.2" (a marking's part of item 3)
    start: int  # clean offsets of the whole task, its label and markings included
    end: int
    text_start: int  # the statement: after the label, before a marking that closes it
    text_end: int
    parent: Node | None  # the heading it stands under
    node: Node | None = None  # the heading the task is, when it is a numbered line
    clauses: list[Clause] = field(default_factory=list)  # the markings that govern it, in order
    governor: TaskSpan | None = None  # the heading task whose marking it inherits (no marking of its own)
    title_end: int | None = None  # where the title's text ends, when not in the statement's first sentence
    part: bool = False  # one marking's part of an item holding several


@dataclass(slots=True)
class TaskPlan:
    """The result of the task stage."""

    tasks: list[TaskSpan]
    sections: list[Node]  # headings that are not tasks themselves, in document order
    notes: list[Clause]  # lines that only state a convention for the tasks after them
    warnings: list[str]
    numbered_items: int  # numbered lines in the body (headings and items)
    markings: int  # markings found in the body, whether or not they named a unit
    empty_markings: int  # markings that name no unit and no leader
    unread: list[tuple[int, int]] = field(default_factory=list)  # brackets like markings the reader could not read


@dataclass(slots=True)
class _Candidate:
    line: Line
    parent: Node | None
    node: Node | None
    number: str
    text_end: int  # end of the candidate's own text (its last paragraph, for a merged heading)
    inline: list[Clause] = field(default_factory=list)
    label_lines: list[Clause] = field(default_factory=list)
    merged: bool = False  # a heading that took in the paragraphs under it
    text_start: int | None = None  # where the statement starts, when in the paragraph an item took in

    @property
    def clauses(self) -> list[Clause]:
        return self.inline + self.label_lines


def select_tasks(lines: list[Line], folded: str, reader: ClauseReader, conv: Conventions) -> TaskPlan:
    """The tasks of a classified document (see the module's docstring for the rules)."""
    warnings: list[str] = []
    notes: list[Clause] = []
    for ln in lines:
        if ln.kind == "text" and (note := reader.read_note_line(folded, ln.start, ln.end)) is not None:
            ln.kind = "note"
            notes.append(note)
    candidates = _candidates(lines, folded, reader, warnings)
    children = {id(c.parent) for c in candidates if c.parent is not None}
    numbered_children = {id(c.parent) for c in candidates if c.parent is not None and c.node is not None}
    has_clauses = any(c.clauses for c in candidates)

    spans: list[TaskSpan] = []
    by_node: dict[int, TaskSpan] = {}  # heading node → its task (the governor of the items under it)
    task_nodes: set[int] = set()
    for cand in candidates:
        if cand.clauses:
            parts = _parts(cand, folded)
            spans.extend(parts)
            if cand.node is not None and len(parts) == 1:
                task_nodes.add(id(cand.node))
                by_node[id(cand.node)] = parts[0]
            continue
        if _in_non_task_section(cand, folded, conv):
            continue
        governor = _governor(cand, by_node, numbered_children)
        leaf = cand.node is not None and id(cand.node) not in children
        if governor is not None and (cand.node is None or leaf):
            span = _whole(cand, folded)
            span.governor = governor
            spans.append(span)
            if cand.node is not None:
                task_nodes.add(id(cand.node))
        elif cand.node is not None:
            # A numbered item with nothing under it is a task, if only a title: one nobody was
            # given, which the quality report lists as unassigned.
            # (At the top only an item proper, 1. / (1) / ①: a lone 一、 heading is no task.)
            if leaf and (cand.parent is not None or cand.node.line.rank >= 3):
                spans.append(_whole(cand, folded))
                task_nodes.add(id(cand.node))
        elif not has_clauses and cand.parent is not None:
            spans.append(_whole(cand, folded))

    sections = [c.node for c in candidates if c.node is not None and id(c.node) not in task_nodes]
    numbered = sum(1 for c in candidates if c.node is not None)
    # Responsibility markings: those that name units or state a convention, and those that name
    # nothing at all ("（责任单位：）"); a bracket holding only a deadline is none.
    clauses = [
        cl for c in candidates for cl in c.clauses if cl.items or cl.implicit or cl.first_is_lead or not cl.times
    ]
    empty = sum(1 for cl in clauses if not cl.items and not cl.implicit and not cl.first_is_lead)
    plan = TaskPlan(spans, sections, notes, warnings, numbered, len(clauses), empty)
    plan.unread = _unread_markings(candidates, folded)
    return plan


# ---------------------------------------------------------------- candidates


def _body_start(lines: list[Line]) -> int:
    """Index of the first line of the body: the first 一、 heading, else the first heading,
    else the first line (a plan of unnumbered paragraphs)."""
    body = next((i for i, ln in enumerate(lines) if ln.rank == 1), None)
    if body is None:
        body = next((i for i, ln in enumerate(lines) if ln.kind == "heading"), 0)
    return body


def _candidates(lines: list[Line], folded: str, reader: ClauseReader, warnings: list[str]) -> list[_Candidate]:
    body = _body_start(lines)
    stack: list[Node] = []
    candidates: list[_Candidate] = []
    paragraph_counts: dict[str, int] = {}
    used: set[str] = set()  # heading paths given so far: every task and section number is unique
    top_labels: set[str] = set()  # labels of the top headings of the current part
    part = 1
    # Before the body (the notice, the preamble), only a paragraph with a marking of its own is
    # a candidate: "unnumbered paragraphs that end in a marking are tasks" wherever they stand.
    for line in lines[:body]:
        if line.kind != "text":
            continue
        inline = _standing(reader.find(folded, line.start, line.end), folded, line.end)
        if inline:
            paragraph_counts[""] = paragraph_counts.get("", 0) + 1
            candidates.append(_Candidate(line, None, None, f"¶{paragraph_counts['']}", line.end, inline))
    for line in lines[body:]:
        if line.kind in ("frame", "note"):
            continue
        if line.kind == "clause":
            clauses = reader.find(folded, line.start, line.end, whole_line=True)
            if not candidates:
                warnings.append(f"clause before any task ignored: {folded[line.start : line.end]}")
                continue
            candidates[-1].label_lines.extend(clauses)
            continue
        inline = _standing(reader.find(folded, line.start + line.body_offset, line.end), folded, line.end)
        if line.kind == "heading":
            while stack and stack[-1].line.rank >= line.rank:
                stack.pop()
            parent = stack[-1] if stack else None
            label = path_label(line)
            if parent is None:
                if label in top_labels:  # the numbering starts again: a new part (the plan after its notice)
                    part += 1
                    top_labels.clear()
                top_labels.add(label)
            prefix = parent.path + "." if parent else _part_prefix(part)
            path = _unique(prefix + label, used)
            node = Node(line, path, len(stack) + 1, parent)
            stack.append(node)
            candidates.append(_Candidate(line, parent, node, path, line.end, inline))
            continue
        parent = stack[-1] if stack else None
        key = parent.path if parent else ""
        paragraph_counts[key] = paragraph_counts.get(key, 0) + 1
        number = (key + "." if key else "") + f"¶{paragraph_counts[key]}"
        candidates.append(_Candidate(line, parent, None, number, line.end, inline))
    return _merge_headings(candidates, folded)


_PARTS = "ⅡⅢⅣⅤⅥⅦⅧⅨⅩ"


def _part_prefix(part: int) -> str:
    """The path prefix of the ``part``-th run of numbering in a document (none for the first):
    a notice with items of its own, then the plan it publishes, numbered 一、 again.

    >>> _part_prefix(1), _part_prefix(2), _part_prefix(12)
    ('', 'Ⅱ.', '12.')
    """
    if part == 1:
        return ""
    return (_PARTS[part - 2] if part - 2 < len(_PARTS) else str(part)) + "."


def _unique(path: str, used: set[str]) -> str:
    """``path``, or ``path~2``, ``path~3`` … when a misnumbered document repeats it."""
    n, unique = 1, path
    while unique in used:
        n += 1
        unique = f"{path}~{n}"
    used.add(unique)
    return unique


def _standing(inline: list[Clause], folded: str, line_end: int) -> list[Clause]:
    """The markings that stand as markings: every bracketed one, and one read from running text
    without brackets (``牵头单位：A。``) only where nothing but markings follows it to the end
    of the line.  Inside a paragraph a sentence may only resemble one (``实现目录跨部门、跨部门协同。``)."""
    kept: list[Clause] = []
    tail = line_end  # where the markings that end the line begin
    for clause in sorted(inline, key=lambda c: c.start, reverse=True):
        at_end = not _substantive(folded, clause.end, tail)
        if folded[clause.start] == "(" or at_end or clause.kind == "subject":
            kept.append(clause)
            if at_end:
                tail = clause.start
    return kept[::-1]


def _merge_headings(candidates: list[_Candidate], folded: str) -> list[_Candidate]:
    """A heading without a marking whose whole content is paragraphs without markings and
    then label lines (``（三）标题`` / text / ``主办单位：A`` / ``协办单位：B``) is one task, the
    heading's: it takes in the paragraphs, and the label lines govern it.  A bracketed marking
    on a line of its own (``（责任单位：A）``) is the paragraph's, broken onto the next line:
    the paragraph stays a task of its own under the heading."""
    under: dict[int, list[int]] = {}
    for k, cand in enumerate(candidates):
        if cand.parent is not None:
            under.setdefault(id(cand.parent), []).append(k)
    drop: set[int] = set()
    for cand in candidates:
        if cand.node is None or cand.clauses or id(cand.node) not in under:
            continue
        kids = [candidates[k] for k in under[id(cand.node)]]
        if _continues_in(cand, kids, folded):
            # （五）推进…建设。 / one paragraph that goes on and ends in the marking: one task, the item's
            (kid,) = kids
            cand.inline, cand.label_lines = kid.inline, kid.label_lines
            # the statement is the paragraph's, as before; the task is the item's (its number)
            cand.text_start = kid.line.start + kid.line.body_offset
            cand.text_end = min(c.start for c in kid.inline)
            cand.merged = True
            drop.update(under[id(cand.node)])
            continue
        if any(kid.node is not None or kid.inline for kid in kids) or any(kid.label_lines for kid in kids[:-1]):
            continue
        if not kids[-1].label_lines or all(folded[c.start] == "(" for c in kids[-1].label_lines):
            continue  # a bracketed marking on a line of its own closes the paragraph before it
        cand.text_end = kids[-1].text_end
        cand.label_lines = kids[-1].label_lines
        cand.merged = True
        drop.update(under[id(cand.node)])
    return [c for k, c in enumerate(candidates) if k not in drop]


def _continues_in(cand: _Candidate, kids: list[_Candidate], folded: str) -> bool:
    """A numbered item under a heading whose own line is a statement (``（五）推进…建设。``) and
    whose one paragraph goes on with the work and ends in one marking: the paragraph is the
    item's text, not a task of its own.  A heading with several paragraphs, or one that is a
    title (no 。), keeps them as its tasks."""
    if cand.parent is None or len(kids) != 1 or kids[0].node is not None or not kids[0].inline:
        return False
    own = folded[cand.line.start + cand.line.body_offset : cand.line.end].rstrip(_BLANKS)
    if not own.endswith(_STATEMENT_ENDS):
        return False
    kid = kids[0]
    groups = _groups(kid.inline, folded, kid.line.end)
    return (
        len(groups) == 1
        and len(groups[0]) == len(kid.inline)
        and not _substantive(folded, groups[0][-1].end, kid.line.end)
    )


# ---------------------------------------------------------------- tasks of a candidate


def _whole(cand: _Candidate, folded: str) -> TaskSpan:
    """The candidate as one task, governed by all its markings."""
    ln = cand.line
    body_start = ln.start + ln.body_offset if cand.text_start is None else cand.text_start
    text_end = cand.text_end
    if not cand.merged:
        # A marking that closes the line (before or after the final 。) is not the statement's.
        closing = [c.start for c in cand.inline if c.end >= ln.end - 1]
        text_end = min(closing) if closing else ln.end
    end = max([cand.text_end, *[c.end for c in cand.clauses]])
    span = TaskSpan(cand.number, ln.start, end, body_start, text_end, cand.parent, cand.node, cand.clauses)
    if cand.merged and cand.text_start is None:  # the heading's own line is the title; the paragraphs the text
        span.title_end = ln.end
    return span


def _parts(cand: _Candidate, folded: str) -> list[TaskSpan]:
    """One task per marking of the item (each governs the text back to the previous one), or
    the whole candidate when it holds one marking — or text only before its first."""
    groups = _groups(cand.inline, folded, cand.line.end)
    ln = cand.line
    body_start = ln.start + ln.body_offset
    if len(groups) < 2 or not _substantive(folded, body_start, groups[0][0].start):
        return [_whole(cand, folded)]
    if cand.node is not None:  # the item is a section of its parts: its title stops at the first marking
        cand.node.title_end = groups[0][0].start
    parts: list[TaskSpan] = []
    seg_start = ln.start
    text_start = body_start
    for k, group in enumerate(groups, start=1):
        last = k == len(groups)
        text_end = group[0].start
        end = group[-1].end
        if last and _substantive(folded, end, ln.end):
            text_end = end = ln.end  # text after the last marking: the item's last part goes on to it
        while text_start < text_end and folded[text_start] in _LEADING_PUNCT:
            text_start += 1
        clauses = list(group) + cand.label_lines  # a label line after the item governs all of it
        if cand.label_lines:
            end = max(end, *[c.end for c in cand.label_lines]) if last else end
        parts.append(
            TaskSpan(
                f"{cand.number}.{k}",
                seg_start,
                end,
                text_start,
                text_end,
                cand.node or cand.parent,
                None,
                clauses,
                part=True,
            )
        )
        seg_start = text_start = group[-1].end
    return parts


def _groups(inline: list[Clause], folded: str, line_end: int) -> list[list[Clause]]:
    """Markings in order, those with no text between them taken together.  Only a bracketed
    marking that names units closes a part: one that holds only a time phrase or a note
    (``建设A（2023年底前）并推广（B负责）``) stays in the text of the part it stands in, and so
    does a marking read from running text without brackets (``…，由A负责。``) unless it ends
    the line: inside a paragraph, a sentence may only resemble one."""
    groups: list[list[Clause]] = []
    for clause in sorted(inline, key=lambda c: c.start):
        if groups and not _substantive(folded, groups[-1][-1].end, clause.start):
            groups[-1].append(clause)  # side by side with the last marking
        elif (clause.items or clause.implicit) and (
            folded[clause.start] == "(" or not _substantive(folded, clause.end, line_end)
        ):
            groups.append([clause])
    return groups


def _substantive(folded: str, start: int, end: int) -> bool:
    return start < end and not _BETWEEN_MARKINGS.fullmatch(folded, start, end)


# ---------------------------------------------------------------- headings


def _governor(cand: _Candidate, by_node: dict[int, TaskSpan], numbered_children: set[int]) -> TaskSpan | None:
    """The heading task whose marking governs ``cand``: the nearest heading above it that is a
    task with one marking.  An unnumbered paragraph is governed only by a heading proper
    (一、 / （一）, or a line with numbered items under it), not by an item such as
    ``1.…（A负责）`` whose next paragraph merely goes on."""
    if cand.node is None and not cand.line.text.rstrip().endswith(_STATEMENT_ENDS):
        return None  # "联系人：", a table's row rendered as text: no statement of work
    node = cand.parent
    while node is not None:
        span = by_node.get(id(node))
        if span is not None:
            if cand.node is None and node.line.rank > 2 and id(node) not in numbered_children:
                return None
            return span
        node = node.parent
    return None


@cache
def _marking_words() -> re.Pattern[str]:
    text = resources.files("dutygraph.loaders").joinpath("data/structure.yaml").read_text("utf-8")
    words: list[str] = yaml.safe_load(text)["marking_words"]
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _unread_markings(candidates: list[_Candidate], folded: str) -> list[tuple[int, int]]:
    """Brackets in the candidates' text that hold a responsibility word (``data/structure.yaml``)
    but are no marking the reader could read: what the quality report must not hide."""
    words = _marking_words()
    unread: list[tuple[int, int]] = []
    for cand in candidates:
        ln = cand.line
        read = {c.start for c in cand.inline}
        i = ln.start + ln.body_offset
        while (i := folded.find("(", i, ln.end)) >= 0:
            close = matching_close(folded, i)
            end = close + 1 if 0 < close < ln.end else ln.end
            if i not in read and words.search(folded, i, end):
                unread.append((i, end))
            i = end
    return unread


def _in_non_task_section(cand: _Candidate, folded: str, conv: Conventions) -> bool:
    node = cand.node or cand.parent
    while node is not None:
        ln = node.line
        title, _ = first_sentence(folded[ln.start + ln.body_offset : ln.end])
        if any(word in title for word in conv.non_task_sections):
            return True
        node = node.parent
    return False
