"""Responsibility clauses: find them in a task's text and read their units.

Conventions handled (keywords and phrases live in ``data/conventions.yaml``):

* ``（牵头单位：A、B；协同单位：C、D等）`` — keyword lists, several leads allowed;
* ``(责任单位:A、B等,各设区市政府。列第一位的为牵头单位,下同)`` — 责任单位 whose
  roles follow a convention stated once for the rest of the document;
* a clause on its own line, ``责任单位:A、B`` or ``牵头单位:A`` + ``责任单位:B,C``
  (with a lead named separately, 责任单位 are supporting units);
* ``(以下各区、县〔市〕政府均为责任单位,不再列出)`` — units attached, implicitly,
  to every later task;
* inline forms without keyword: ``（A牵头，B、C按职责分工负责）``, ``（A负责）``,
  ``（A、B等省有关部门和各设区市人民政府按职责分工负责）``;
* ``牵头负责领导：常务副省长`` — a leader by title, kept apart from the units.

Everything is matched on the matching form (simplified, half-width) and
sliced from the clean text, so names keep the document's own script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .conventions import Conventions


@dataclass(slots=True)
class Item:
    """One unit in a clause, before roles are decided."""

    start: int  # clean offsets of the name (without 等)
    end: int
    key_role: str  # lead | support | responsible | joint | leader
    open_list: bool = False
    implicit: bool = False


@dataclass(slots=True)
class Clause:
    start: int  # clean offsets of the whole clause, brackets included
    end: int
    items: list[Item] = field(default_factory=list)
    first_is_lead: bool = False  # this clause states the convention
    implicit: list[Item] = field(default_factory=list)  # units stated for all later tasks
    notes: list[str] = field(default_factory=list)  # problems worth reporting


_OPEN, _CLOSE = "(“《", ")”》"


def matching_close(text: str, start: int) -> int:
    """Index of the bracket closing ``text[start]`` (a "("), or -1 if unbalanced."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_top(text: str, seps: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` split on ``seps`` outside brackets and quotes."""
    end = len(text) if end is None else end
    spans, depth, pos = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            spans.append((pos, i))
            pos = i + 1
    spans.append((pos, end))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n\u3000\xa0":
        start += 1
    while end > start and text[end - 1] in " \t\n\u3000\xa0。.":
        end -= 1
    return start, end


class ClauseReader:
    """Reads clauses with one set of conventions."""

    def __init__(self, conv: Conventions) -> None:
        self.conv = conv
        keys = "|".join(map(re.escape, conv.all_keys))
        self._key = re.compile(rf"\s*({keys})\s*:\s*")
        self._first_is_lead = re.compile("|".join(map(re.escape, conv.first_is_lead)))
        # Protected names may be written with blanks anywhere (PDF text).
        self._protected = [re.compile(r"\s*".join(map(re.escape, name))) for name in conv.protected_names]

    # ------------------------------------------------------------ finding

    def find(self, text: str, start: int, end: int, *, whole_line: bool = False) -> list[Clause]:
        """Clauses in ``text[start:end]`` (matching form).  ``whole_line``: the
        span is a clause line such as ``责任单位:A、B`` with no brackets."""
        if whole_line:
            body_start = start + 1 if text[start] == "(" else start
            close = matching_close(text, start) if text[start] == "(" else -1
            body_end = close if close > 0 else end
            clause = self.read_keyword_clause(text, body_start, body_end)
            clause.start, clause.end = start, (close + 1 if close > 0 else end)
            if text[start] == "(" and close < 0:
                clause.notes.append("unbalanced bracket: the clause has no closing bracket")
            return [clause]
        clauses = []
        i = start
        while i < end:
            i = text.find("(", i, end)
            if i < 0:
                break
            close = matching_close(text, i)
            if close < 0 or close >= end:
                # An opening bracket never closed: a clause keyword right after it
                # still makes a clause, up to the end of the paragraph.
                if self._key.match(text, i + 1, end):
                    clause = self.read_keyword_clause(text, i + 1, end)
                    clause.start, clause.end = i, end
                    clause.notes.append("unbalanced bracket: the clause has no closing bracket")
                    clauses.append(clause)
                break
            clause = self.read_bracket(text, i + 1, close)
            if clause is not None:
                clause.start, clause.end = i, close + 1
                clauses.append(clause)
            i = close + 1
        return clauses

    def read_bracket(self, text: str, start: int, end: int) -> Clause | None:
        """A bracketed clause, or None when the brackets hold something else
        (``(以下简称“在线平台”)``, ``(其他…相关应用)``)."""
        if self._key.match(text, start, end):
            return self.read_keyword_clause(text, start, end)
        return self.read_inline_clause(text, start, end)

    # ------------------------------------------------------------ keyword clauses

    def read_keyword_clause(self, text: str, start: int, end: int) -> Clause:
        clause = Clause(start, end)
        role = None
        for s, e in split_top(text, ";。", start, end):
            s, e = _strip(text, s, e)
            if s >= e:
                continue
            m = self._key.match(text, s, e)
            if m:
                role = self.conv.role_of_key(m.group(1))
                self._read_list(text, m.end(), e, role, clause)
            elif self._is_note(text[s:e]):
                self._read_note(text, s, e, clause)
            elif role is not None and self._all_units(text, s, e):
                self._read_list(text, s, e, role, clause)
            else:
                clause.notes.append(f"ignored text in clause: {text[s:e]}")
        if not clause.items and not clause.implicit:
            clause.notes.append("clause names no unit")
        return clause

    def read_note_line(self, text: str, start: int, end: int) -> Clause | None:
        """A line that only states conventions, such as a preamble
        ``(列第一为牵头单位;以下各区、县〔市〕政府均为责任单位,不再列出)``: a Clause
        with no units of its own, or None when the line says anything else."""
        s, e = start, end
        if text[s] == "(" and matching_close(text, s) == e - 1:
            s, e = s + 1, e - 1
        segments = [seg for a, b in split_top(text, ";。", s, e) if (seg := _strip(text, a, b))[0] < seg[1]]
        if not segments or not all(self._is_note(text[a:b]) for a, b in segments):
            return None
        clause = Clause(start, end)
        for a, b in segments:
            self._read_note(text, a, b, clause)
        return clause

    def _is_note(self, segment: str) -> bool:
        return bool(self._first_is_lead.search(segment) or self.conv.implicit_units.search(segment))

    def _read_note(self, text: str, start: int, end: int, clause: Clause) -> None:
        segment = text[start:end]
        if self._first_is_lead.search(segment):
            clause.first_is_lead = True
        for m in self.conv.implicit_units.finditer(segment):
            s, e = start + m.start("units"), start + m.end("units")
            for item in self._items(text, s, e, "responsible"):
                item.implicit = True
                clause.implicit.append(item)

    def _read_list(self, text: str, start: int, end: int, role: str, clause: Clause) -> None:
        # A trailing bracketed note belongs to the clause, not to the last unit:
        # "…,各区、县(市)政府(列第一为牵头单位;以下…不再列出)".
        while end > start and text[end - 1] == ")":
            open_at = _matching_open(text, end - 1, start)
            if open_at < 0 or not self._is_note(text[open_at + 1 : end - 1]):
                break
            for s, e in split_top(text, ";。", open_at + 1, end - 1):
                self._read_note(text, s, e, clause)
            end = open_at
        # "〔责任单位：A、B按职责分工负责〕": each answers for its own part.
        joint = False
        for suffix in self.conv.inline_joint_suffixes:
            if text[start:end].rstrip().endswith(suffix):
                end = text.rindex(suffix, start, end)
                joint = True
                break
        items = self._items(text, start, end, "joint" if joint and role == "responsible" else role)
        clause.items.extend(items)

    # ------------------------------------------------------------ inline clauses

    def read_inline_clause(self, text: str, start: int, end: int) -> Clause | None:
        """``A牵头,B、C按职责分工负责`` / ``A负责`` / ``A、B…按职责分工负责``."""
        content = text[start:end].rstrip()
        lead_part: tuple[int, int] | None = None
        rest = (start, start + len(content))
        suffix = self.conv.inline_lead_suffix
        # "A牵头,…": the lead part ends at the first 牵头 followed by a separator.
        m = re.search(re.escape(suffix) + r"\s*[,，;；]", text[start:end])
        if m:
            lead_part = (start, start + m.start())
            rest = (start + m.end(), start + len(content))
        elif content.endswith(suffix):
            lead_part = (start, start + len(content) - len(suffix))
            rest = (rest[1], rest[1])
        joint_end = None
        for jsuffix in self.conv.inline_joint_suffixes:
            if text[rest[0] : rest[1]].endswith(jsuffix):
                joint_end = rest[1] - len(jsuffix)
                break
        if lead_part is None and joint_end is None:
            return None
        clause = Clause(start, end)
        if lead_part is not None:
            clause.items.extend(self._items(text, *lead_part, "lead"))
        if joint_end is not None:
            role = "support" if lead_part is not None else "joint"
            clause.items.extend(self._items(text, rest[0], joint_end, role))
        elif rest[0] < rest[1]:
            return None  # text after "A牵头," that is not a list of units
        if not clause.items or not all(self._unit_like(text[i.start : i.end]) for i in clause.items):
            return None
        return clause

    # ------------------------------------------------------------ unit lists

    def _all_units(self, text: str, start: int, end: int) -> bool:
        items = self._items(text, start, end, "responsible")
        return bool(items) and all(self._unit_like(text[i.start : i.end]) for i in items)

    def _unit_like(self, name: str) -> bool:
        name = re.sub(r"\([^()]*\)$", "", re.sub(r"\s+", "", name))
        return 1 < len(name) <= 40 and self.conv.looks_like_unit(name)

    def _items(self, text: str, start: int, end: int, role: str) -> list[Item]:
        """Split a list of units, keeping protected names whole, stripping 等."""
        # Mask separators inside protected names (各区、县(市)政府).
        masked = list(text[start:end])
        for pattern in self._protected:
            for m in pattern.finditer(text, start, end):
                for k in range(m.start(), m.end()):
                    if masked[k - start] in self.conv.separators:
                        masked[k - start] = "\x00"
        view = "".join(masked)
        items: list[Item] = []
        for s, e in split_top(view, self.conv.separators):
            s, e = _strip(text, start + s, start + e)
            if s >= e:
                continue
            items.extend(self._item(text, s, e, role))
        return items

    def _item(self, text: str, s: int, e: int, role: str) -> list[Item]:
        name = text[s:e]
        # "A和各设区市人民政府": two units joined by a conjunction.
        for conj in "和及与":
            for prefix in self.conv.conjunction_split_prefixes:
                k = name.find(conj + prefix)
                if k > 0:
                    left = self._item(text, s, s + k, role)
                    right = self._item(text, s + k + 1, e, role)
                    return left + right
        # "A等" (open list) and "A等省有关部门" (A and others of that kind).
        k = name.find("等")
        tail = re.sub(r"\s+", "", name[k + 1 :]) if k > 0 else ""
        if k > 0 and tail in self.conv.open_list_descriptors:
            # "省公安厅等省有关部门" ends like a unit (部门) but is A and others of a kind;
            # A need not end like a unit (省残联等省级有关部门).
            return [Item(*_strip(text, s, s + k), role, open_list=True)]
        if k > 0 and not self._unit_like(name):
            if not tail or tail in self.conv.open_list_descriptors:
                return [Item(*_strip(text, s, s + k), role, open_list=True)]
            return [Item(*_strip(text, s, s + k), role, open_list=True), *self._item(text, s + k + 1, e, role)]
        if name.endswith("等") and len(name) > 1:
            return [Item(*_strip(text, s, e - 1), role, open_list=True)]
        return [Item(s, e, role)]


def _matching_open(text: str, close: int, floor: int) -> int:
    depth = 0
    for i in range(close, floor - 1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return -1
