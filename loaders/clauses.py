"""Responsibility markings: find them in a paragraph and read what each one says.

A marking is read as a small grammar (its words live in ``data/conventions.yaml``,
``markings:``, compiled into a :class:`Grammar` by :func:`load_conventions`, which also
gives the other stages the conventions the same file lists), so that wordings nobody
listed still parse::

    marking     := segment (sep segment)*          sep: ; , 。 blank / (outside brackets)
    segment     := label ":" value | value
    value       := note | time | verb-clause | unit-list
    verb-clause := [由] units [会同 units] verb [rest]
    verb        := [distributive] [manner]* core [tail]*     (按职责分工负责, 积极配合, 牵头负责)
    units       := unit ((、 | 及 | 和 …) unit)* [等 [descriptor]]

* labels: a role word with qualifiers and a unit word — 牵头单位, 牵头考核单位, 主责单位,
  配合实施部门, 责任处室, 实施单位 — any separator (or none) between two labels; a
  division label (``部门分工：A牵头，B配合``) reads its value with the verb grammar; a
  leader label (``分管省领导：``, ``责任领导：``) gives leaders, never units; a time label
  (``完成时限：``) the deadline;
* verbs after a unit list: ``A牵头，B、C配合``, ``A负责，B参与``, ``A会同B负责``,
  ``由A负责``, ``A、B牵头，C及D按职责分工负责``, ``A组织实施``, ``A、B共同推进``;
* a bare list (``（A、B）`` ending a sentence): responsible units, whose roles the
  document's first-is-lead convention decides;
* units: split on 、 and on conjunctions between two unit names; ``A等有关部门`` keeps A
  and marks the list open; collective units that contain 、 (各州、市人民政府) stay whole;
  ``A（牵头）`` gives A its role;
* time phrases inside a marking (``（A负责，2023年底前完成）``) are its deadline, kept in
  :attr:`Clause.times`;
* notes: the first-is-lead convention in any wording (列首位者为牵头单位, 排名第一的为牵头单位,
  其他单位按职责分工配合落实 …) and ``以下X均为责任单位，不再列出`` (units for every later task).

Roles on :class:`Item` (``key_role``): ``lead`` and ``support`` when a role word says so;
``joint`` when units answer each for their part with no lead named; ``responsible`` for
a 责任单位 label or a bare list (the document's convention decides); ``leader`` for a
person.  Everything is matched on the matching form (simplified, half-width) and
offsets are shared with the clean text, so names keep the document's own script.

>>> reader = ClauseReader(load_conventions())
>>> text = "推进。(省发展改革委牵头,省财政厅、各州、市人民政府配合,2024年底前完成)"
>>> (clause,) = reader.find(text, 0, len(text))
>>> [(text[i.start : i.end], i.key_role) for i in clause.items]
[('省发展改革委', 'lead'), ('省财政厅', 'support'), ('各州、市人民政府', 'support')]
>>> [text[s:e] for s, e in clause.times]
['2024年底前完成']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

# ---------------------------------------------------------------- the grammar (data/conventions.yaml)

ROLE_ORDER = ("lead", "support", "responsible")  # the strongest role word of a label wins


def _alt(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first (so 牵头负责 wins over 牵头)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Grammar:
    """Compiled patterns of the marking grammar (see ``markings:`` in the YAML)."""

    # --- labels
    label: re.Pattern[str]  # a label and its ":"; group 1 the label itself
    label_source: str  # the label alternatives, for line classification (no groups)
    label_words: dict[str, str]  # role word → lead | support | responsible
    as_label: re.Pattern[str]  # "为牵头单位" ending a segment (A为牵头单位); group "label"
    division_labels: frozenset[str]
    time_labels: frozenset[str]
    leader_label: re.Pattern[str]
    # --- verbs
    verb: re.Pattern[str]  # groups: dist, core, dcore, joint
    action: re.Pattern[str]  # any action verb (after 会同: 会同B推进)
    verb_endings: tuple[str, ...]  # how a segment ending in a verb ends (a cheap first test)
    verb_roles: dict[str, str]  # core verb → lead | support | responsible
    with_words: re.Pattern[str]
    by_words: re.Pattern[str]
    subject_verbs: tuple[str, ...]  # what may follow "A会同B" opening a sentence (组织开展, 制定 …)
    max_verb_rest: int
    # --- units
    separators: str
    conjunctions: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    not_unit_prefixes: tuple[str, ...]
    generic_unit_suffixes: tuple[str, ...]
    generic_unit_determiners: tuple[str, ...]
    unit_then_verb: re.Pattern[str]  # a unit's ending right before a verb ending the text
    unit_role_markers: dict[str, str]  # 牵头 → lead (written "(牵头)" after a unit)
    collective: re.Pattern[str]
    collective_endings: tuple[str, ...]  # 政府, 党委 …: a collective without 各 ends so
    collective_joint: re.Pattern[str]  # where a collective may hold a separator: 州、市 / 市(县)、区
    protected: re.Pattern[str]  # the protected names, longest first, blanks allowed anywhere
    open_list_descriptor: re.Pattern[str]
    not_open_list: re.Pattern[str]
    # --- time and notes
    time_words: re.Pattern[str]
    first_is_lead: tuple[re.Pattern[str], ...]
    implicit_units: tuple[re.Pattern[str], ...]
    note_fillers: re.Pattern[str]
    any_note: re.Pattern[str]  # first_is_lead | implicit_units | note_fillers in one search
    verb_at_stop: re.Pattern[str]  # a verb ending a sentence: where an unbracketed marking may be

    def label_kind(self, label: str) -> str:
        """leader | time | division | lead | support | responsible, for a label as matched.

        >>> g = load_conventions().grammar
        >>> [g.label_kind(x) for x in ("牵头责任单位", "协同责任单位", "主体责任单位", "部门分工", "完成时限")]
        ['lead', 'support', 'responsible', 'division', 'time']
        """
        label = re.sub(r"\s+", "", label)
        if self.leader_label.fullmatch(label):
            return "leader"
        if label in self.time_labels:
            return "time"
        if label in self.division_labels:
            return "division"
        found = {role for word, role in self.label_words.items() if word in label}
        return next(role for role in ROLE_ORDER if role in found)

    def states_first_is_lead(self, text: str) -> bool:
        return any(p.search(text) for p in self.first_is_lead)


@dataclass(frozen=True, slots=True)
class Conventions:
    grammar: Grammar
    non_task_sections: tuple[str, ...]
    drop_lines: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    frame_lines: tuple[re.Pattern[str], ...]

    @property
    def all_keys(self) -> tuple[str, ...]:
        """Regex alternatives of every marking label, each requiring the ":" after it.

        The structure and repair stages join these into their "a line begins with a
        label" patterns (``^(…)\\s*:``), so a label nobody listed (牵头考核单位：, 分管省领导：,
        部门分工：) makes a label line too."""
        return (self.grammar.label_source,)


def _patterns(raw: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in raw)


def _grammar(m: dict[str, Any]) -> Grammar:
    label_words = {w: role for role in ROLE_ORDER for w in m["label_roles"][role]}
    roles = _alt(list(label_words))
    quals = _alt(m["label_qualifiers"])
    units = _alt([w.replace("(", "(").replace(")", ")") for w in m["label_unit_words"]])
    bare = _alt(m["label_roles"]["lead"] + m["label_roles"]["support"])
    ll = m["leader_labels"]
    place = f"(?:{_alt(ll['places'])})级?"
    leader = f"(?:{place})?(?:{_alt(ll['qualifiers'])})+(?:{place})?(?:{_alt(ll['titles'])})"
    role_label = f"(?:{quals})*(?:{roles})(?:{quals}|{roles})*(?:{units})(?:(?:和|及|、|/)(?:{units}))?|(?:{bare})"
    # "A为牵头单位": a role label as the predicate of a unit list
    as_label = rf"(?:为|是|作为|系)(?P<label>(?:{quals})*(?:{roles})(?:{quals}|{roles})*(?:{units}))$"
    label_source = (
        f"(?:{leader}|{_alt(m['time_labels'])}|{_alt(m['division_labels'])}|{role_label})"
        r"(?=\s*:)"
    )

    vr = m["verb_roles"]
    verb_roles = {w: role for role in ("lead", "support", "responsible") for w in vr[role]}
    core = _alt(list(verb_roles))
    dist = _alt(m["distributive"])
    man = _alt(m["manners"])
    verb = (
        f"(?:(?P<dist>{dist})(?:{man})*(?P<dcore>{core}|{_alt(m['distributive_only'])})"
        f"|(?:{man})*(?P<core>{core})"
        f"|(?P<joint>{_alt(m['joint_verbs'])}))"
        f"(?:{_alt(m['tails'])})*"
    )

    col = m["collective"]
    lv = f"(?:{_alt(col['levels'])})"
    one = rf"{lv}(?:\({lv}(?:、{lv})*\))?"
    collective = rf"各?{one}(?:、?{one})*(?:和(?:{_alt(col['joined'])}))?(?P<ending>{_alt(col['endings'])})?"
    markers = {w: role for role in ("lead", "support") for w in m["unit_role_markers"][role]}
    return Grammar(
        label=re.compile(rf"({label_source})\s*:\s*"),
        label_source=label_source,
        label_words=label_words,
        as_label=re.compile(as_label),
        division_labels=frozenset(m["division_labels"]),
        time_labels=frozenset(m["time_labels"]),
        leader_label=re.compile(leader),
        verb=re.compile(verb),
        verb_endings=tuple(
            sorted({*verb_roles, *m["distributive_only"], *m["joint_verbs"], *m["tails"]}, key=len, reverse=True)
        ),
        action=re.compile(f"(?:{man})*(?:{core}|{_alt(m['distributive_only'])})(?:{_alt(m['tails'])})*"),
        verb_roles=verb_roles,
        with_words=re.compile(_alt(m["with_words"])),
        by_words=re.compile(_alt(m["by_words"])),
        subject_verbs=tuple(sorted(m["subject_verbs"], key=len, reverse=True)),
        max_verb_rest=int(m["max_verb_rest"]),
        separators=m["separators"],
        conjunctions=tuple(sorted(m["conjunctions"], key=len, reverse=True)),
        unit_suffixes=tuple(m["unit_suffixes"]),
        place_suffixes=tuple(m["place_suffixes"]),
        not_unit_prefixes=tuple(m["not_unit_prefixes"]),
        generic_unit_suffixes=tuple(m["generic_unit_suffixes"]),
        generic_unit_determiners=tuple(m["generic_unit_determiners"]),
        unit_then_verb=re.compile(
            f"(?:{_alt(m['unit_suffixes'] + m['place_suffixes'])})" + re.sub(r"\(\?P<\w+>", "(?:", verb) + r"\s*$"
        ),
        unit_role_markers=markers,
        collective=re.compile(collective),
        collective_endings=tuple(col["endings"]),
        collective_joint=_collective_joint(col["levels"], col["endings"]),
        protected=re.compile(
            "|".join(r"\s*".join(map(re.escape, name)) for name in sorted(m["protected_names"], key=len, reverse=True))
        ),
        open_list_descriptor=re.compile(m["open_list_descriptor"].strip()),
        not_open_list=re.compile(m["not_open_list"]),
        time_words=re.compile(m["time_words"].strip()),
        first_is_lead=_patterns(m["first_is_lead"]),
        implicit_units=_patterns(m["implicit_units"]),
        note_fillers=re.compile(m["note_fillers"]),
        any_note=re.compile(
            "|".join(
                f"(?:{p.replace('(?P<units>', '(?:')})"
                for p in [*m["first_is_lead"], *m["implicit_units"], m["note_fillers"]]
            )
        ),
        verb_at_stop=re.compile(
            "(?:" + _alt([*verb_roles, *m["distributive_only"], *m["joint_verbs"], *m["tails"]]) + r")\s*(?:。|$)"
        ),
    )


def _collective_joint(levels: list[str], endings: list[str]) -> re.Pattern[str]:
    """Where a collective unit may hold a separator: between two level words (州、市,
    市(县)、区) or inside its ending (党委和政府).  Written with the separator first, so the
    search runs from each 、 / 和 rather than from every character."""
    last = "".join(sorted({w[-1] for w in levels})) + ")"
    parts = [rf"(?<=[{re.escape(last)}])[、和](?=各?(?:{_alt(levels)}))"]
    for ending in endings:
        for k, ch in enumerate(ending):
            if ch in "、和" and 0 < k < len(ending) - 1:
                parts.append(f"(?<={re.escape(ending[:k])}){re.escape(ch)}(?={re.escape(ending[k + 1 :])})")
    return re.compile("|".join(parts))


@cache
def load_conventions() -> Conventions:
    """The conventions of ``data/conventions.yaml``, compiled once.

    The YAML holds words; this turns them into the patterns the marking reader below and
    the repair, structure and task stages use (drop, end and frame lines, the sections
    that hold no tasks), so that a new word for a role, a verb, a descriptor or a
    first-is-lead wording is one line of data.

    >>> conv = load_conventions()
    >>> g = conv.grammar  # patterns see the matching form: half-width ":" and ";"
    >>> [g.label_kind(m.group(1)) for m in g.label.finditer("牵头考核单位:A;配合实施部门:B;分管省领导:C")]
    ['lead', 'support', 'leader']
    >>> g.verb.fullmatch("按职责分工负责").group("dist")
    '按职责分工'
    >>> bool(g.open_list_descriptor.match("国务院相关部门")), bool(g.open_list_descriptor.match("旅游厅"))
    (True, False)
    """
    text = resources.files("dutygraph.loaders").joinpath("data/conventions.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return Conventions(
        grammar=_grammar(data["markings"]),
        non_task_sections=tuple(data["non_task_sections"]),
        drop_lines=_patterns(data["drop_lines"]),
        end_markers=_patterns(data["end_markers"]),
        frame_lines=_patterns(data["frame_lines"]),
    )


# ---------------------------------------------------------------- the marking reader


@dataclass(slots=True)
class Item:
    """One unit (or leader) in a marking, before the document decides final roles."""

    start: int  # clean offsets of the name (without 等 or a role marker)
    end: int
    key_role: str  # lead | support | responsible | joint | leader
    open_list: bool = False
    implicit: bool = False
    cue: str = ""  # the label or verb that gave the role, as matched (牵头单位, 按职责分工负责)


@dataclass(slots=True)
class Clause:
    """One marking: its offsets (brackets included) and what it says."""

    start: int  # clean offsets of the whole marking, brackets included
    end: int
    items: list[Item] = field(default_factory=list)
    first_is_lead: bool = False  # this marking states the convention
    implicit: list[Item] = field(default_factory=list)  # units stated for all later tasks
    notes: list[str] = field(default_factory=list)  # problems worth reporting
    times: list[tuple[int, int]] = field(default_factory=list)  # time phrases inside it: the deadline
    kind: str = ""  # label | verb | list | note | subject: how the marking was written
    # words after a verb that are neither a unit nor a deadline (配合做好资金保障)
    free_words: list[tuple[int, int]] = field(default_factory=list)


_OPEN, _CLOSE = "([“《", ")]”》"
_NOT_IN_NAMES = frozenset("。《》:,;")
_PREDICATE = re.compile("[为是系]")  # the copulas of "A为牵头单位"
_CACHE_SIZE = 8192  # lists and names remembered by one reader
_MAX_FREE_SEGMENT = 20  # characters of words beside a verb clause that are neither unit nor deadline
_LONGEST_LABEL = 24  # characters: no label is longer (牵头负责国务院领导同志 is 10)
_LONGEST_SUBJECT = 60  # characters of the units on either side of 会同 opening a sentence
_BLANK = " \t\n\u3000\xa0"
_SEGMENT_SEPS = ";,。"
# Between two labels anything may stand: a separator, a blank, a slash or nothing.
_LABEL_GAP = _BLANK + ";,。、/|"
_ITEM_LABEL = re.compile(r"\s*(?:\d{1,2}\s*[.、]|\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、)")


_ROUND = re.compile(r"[()\[\]]")


def matching_close(text: str, start: int, end: int | None = None) -> int:
    """Index of the bracket closing ``text[start]`` (a "(" or "["), or -1 if unbalanced
    before ``end``."""
    depth = 0
    for m in _ROUND.finditer(text, start, len(text) if end is None else end):
        if m.group() in "([":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    return -1


def _matching_open(text: str, close: int, floor: int) -> int:
    depth = 0
    for i in range(close, floor - 1, -1):
        ch = text[i]
        if ch in ")]":
            depth += 1
        elif ch in "([":
            depth -= 1
            if depth == 0:
                return i
    return -1


@lru_cache(maxsize=64)
def _interesting(seps: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(_OPEN + _CLOSE + seps) + "]")


def split_top(text: str, seps: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` split on ``seps`` outside brackets and quotes."""
    end = len(text) if end is None else end
    interesting = _interesting(seps)
    if interesting.search(text, start, end) is None:
        return [(start, end)]
    spans, depth, pos = [], 0, start
    # Visit only brackets, quotes and separators: most of a paragraph is neither.
    for m in interesting.finditer(text, start, end):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            i = m.start()
            spans.append((pos, i))
            pos = i + 1
    spans.append((pos, end))
    return spans


def _strip(text: str, start: int, end: int, tail: str = "。.") -> tuple[int, int]:
    while start < end and text[start] in _BLANK:
        start += 1
    while end > start and (text[end - 1] in _BLANK or text[end - 1] in tail):
        end -= 1
    return start, end


_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


def _top_positions(text: str, start: int, positions: list[int]) -> list[bool]:
    """For each of ``positions`` (ascending, >= ``start``): outside any bracket or quote
    opened at or after ``start``."""
    if not positions:
        return []
    brackets = [(m.start(), m.group()) for m in _BRACKET.finditer(text, start, positions[-1])]
    out, depth, j = [], 0, 0
    for p in positions:
        while j < len(brackets) and brackets[j][0] < p:
            depth = depth + 1 if brackets[j][1] in _OPEN else max(0, depth - 1)
            j += 1
        out.append(depth == 0)
    return out


@dataclass(slots=True)
class _Group:
    """Units read from one verb clause, whose final role may depend on the others."""

    items: list[Item]
    distributive: bool


class ClauseReader:
    """Reads markings with one set of conventions."""

    def __init__(self, conv: Conventions) -> None:
        self.conv = conv
        self.g = conv.grammar
        self._kinds: dict[str, str] = {}
        self._labels_memo: tuple[str, int, int, list[re.Match[str]]] | None = None
        self._name_cache: dict[tuple[str, bool], bool] = {}
        self._item_cache: dict[str, tuple[tuple[int, int, str | None, bool, str], ...]] = {}
        self._joins = re.compile("[" + re.escape(self.g.separators + "和及与等") + "]")

    # ------------------------------------------------------------ finding

    def find(self, text: str, start: int, end: int, *, whole_line: bool = False) -> list[Clause]:
        """Markings in ``text[start:end]`` (matching form), each with its own offsets, in
        order.  ``whole_line``: the span is a label line such as ``责任单位:A、B`` or
        ``部门分工：A牵头，B配合。``, with or without brackets."""
        if whole_line:
            return [self._read_line(text, start, end)]
        clauses = []
        clause: Clause | None  # a bracket may hold no marking
        i = start
        while i < end:
            i = _next_open(text, i, end)
            if i < 0:
                break
            close = matching_close(text, i, end)
            if close < 0:
                # An opening bracket never closed: a label right after it still makes a
                # marking, up to the end of the paragraph.
                if self.g.label.match(text, i + 1, end):
                    clause = self.read_keyword_clause(text, i + 1, end)
                    clause.start, clause.end = i, end
                    clause.notes.append("unbalanced bracket: the clause has no closing bracket")
                    clauses.append(clause)
                    break
                i += 1
                continue
            clause = self.read_bracket(text, i + 1, close)
            if (
                clause is not None
                and (clause.kind == "list" or clause.free_words)
                and not self._ends_sentence(text, start, i, close, end)
            ):
                clause = None  # a unit named in passing: 依托省大数据局（省数据中心）建设, 依托…（A负责运维）开展
            if clause is not None:
                clause.start, clause.end = i, close + 1
                clauses.append(clause)
                i = close + 1
            else:
                i += 1  # brackets inside may still hold a marking: (其他…(A负责))
        clauses.extend(self._unbracketed(text, start, end, clauses))
        if not clauses:
            clauses.extend(self._subject(text, start, end))
        return sorted(clauses, key=lambda c: c.start)

    def _subject(self, text: str, start: int, end: int) -> list[Clause]:
        """``A会同B、C组织开展…`` opening a sentence of a paragraph that has no marking besides:
        the units before 会同 lead, those after it support (kind ``subject``: it governs the
        paragraph and stays in its text)."""
        if self.g.with_words.search(text, start, end) is None:
            return []
        for a, b in split_top(text, "。", start, end):
            found = self._subject_at(text, *_strip(text, a, b, tail=""))
            if found:
                return found
        return []

    def _subject_at(self, text: str, s: int, end: int) -> list[Clause]:
        g = self.g
        w = g.with_words.search(text, s, min(end, s + _LONGEST_SUBJECT))
        if w is None or w.start() <= s:
            return []
        lead = self._unit_list(text, s, w.start(), "lead", verb_context=False)
        if not lead:
            return []
        for k in range(min(end, w.end() + _LONGEST_SUBJECT), w.end() + 1, -1):
            if not text.startswith(g.subject_verbs, k):
                continue
            support = self._unit_list(text, w.end(), k, "support", verb_context=False)
            if support:
                for item in lead:
                    item.key_role, item.cue = "lead", w.group()
                for item in support:
                    item.key_role, item.cue = "support", w.group()
                return [Clause(s, k, [*lead, *support], kind="subject")]
        return []

    def _unbracketed(self, text: str, start: int, end: int, found: list[Clause]) -> list[Clause]:
        """Markings written as sentences of the paragraph, without brackets: a label
        starting a sentence (``…平台。责任单位：A、B。``) runs to the end of the paragraph
        (or to the first full stop not followed by another label); a later sentence that is
        wholly a verb marking (``…交通。A牵头，B、C配合。``) is one too."""
        # Most paragraphs have neither a ":" outside their brackets nor (without bracketed
        # markings) a sentence ending in a verb: answer those at once.
        colon = text.find(":", start, end)
        while colon >= 0 and any(c.start <= colon < c.end for c in found):
            colon = text.find(":", colon + 1, end)
        verb_stop = None if found else self.g.verb_at_stop.search(text, start, end)
        if colon < 0 and verb_stop is None:
            return []
        taken = [(c.start, c.end) for c in found]
        out: list[Clause] = []

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in taken)

        labels = [m for m in self._label_matches(text, start, end) if free(m.start(), m.end())] if colon >= 0 else []
        for m, top in zip(labels, _top_positions(text, start, [m.start() for m in labels]), strict=True):
            if not top or not free(m.start(), m.end()):
                continue
            b = m.start() - 1
            while b >= start and text[b] in _BLANK:
                b -= 1
            if b >= start and text[b] not in "。;)]":
                continue  # a label mid-sentence is not where a marking starts
            stop = self._label_marking_end(text, m.start(), end, taken)
            clause = self.read_keyword_clause(text, m.start(), stop)
            clause.start, clause.end = m.start(), stop
            out.append(clause)
            taken.append((m.start(), stop))
        # Only a sentence that ends in a verb can be a verb marking; never the first one.
        # A paragraph with bracketed markings writes its markings so; none is looked for in
        # its sentences.
        sentences = split_top(text, "。", start, end)[1:] if verb_stop else []
        for a, b in sentences:
            if verb_stop is None or b < verb_stop.start():  # None only when there are no sentences
                continue
            a, b = _strip(text, a, b)
            if a >= b or b - a > 160 or not free(a, b) or not self._may_be_verb_marking(text, a, b):
                continue
            clause = Clause(a, b, kind="verb")
            if not self._read_body(text, a, b, clause, mode=None, strict=True, free_rest=False):
                continue
            units = [i for i in clause.items if i.key_role != "leader"]
            # a verb of its own and someone answering (in running text 配合/支持 alone are
            # seldom a marking: 积极支持)
            if units and any(i.cue for i in units) and any(i.key_role != "support" for i in units):
                out.append(clause)
                taken.append((a, b))
        return out

    def _may_be_verb_marking(self, text: str, start: int, end: int) -> bool:
        """A cheap first test for a sentence that is wholly a verb marking: every segment
        ends in a verb, a unit name or holds a time phrase or note, and one ends in a verb."""
        g = self.g
        verb_seen = False
        for a, b in split_top(text, _SEGMENT_SEPS, start, end):
            seg = text[a:b].strip(_BLANK)
            if not seg:
                continue
            if seg.endswith(g.verb_endings):
                if g.unit_then_verb.search(seg) is None and not g.by_words.match(seg):
                    return False  # the words before the verb do not end like a unit
                verb_seen = True
            elif not (seg.endswith(g.unit_suffixes) or g.time_words.search(seg) or self._is_note(seg)):
                return False
        return verb_seen

    def _label_marking_end(self, text: str, start: int, end: int, taken: list[tuple[int, int]]) -> int:
        """Where an unbracketed label marking ends: at the first full stop outside brackets
        that another label does not follow, before any bracketed marking, else at ``end``."""
        stop = min([x for x, _ in taken if x > start] + [end])
        for _, b in split_top(text, "。", start, stop)[:-1]:
            k = b + 1
            while k < stop and text[k] in _BLANK:
                k += 1
            if k < stop and not self.g.label.match(text, k, stop):
                stop = b
                break
        while stop > start and text[stop - 1] in _BLANK + "。":
            stop -= 1
        return stop

    def _read_line(self, text: str, start: int, end: int) -> Clause:
        s, e = start, end
        unbalanced = False
        if text[start] in "([":
            close = matching_close(text, start, end)
            if close < 0:
                s, unbalanced = start + 1, True
            elif close >= end - 2:  # "(责任单位:A)" or "(责任单位:A)。"
                s, e = start + 1, close
                end = close + 1
        clause = self.read_keyword_clause(text, s, e)
        clause.start, clause.end = start, end
        if unbalanced:
            clause.notes.append("unbalanced bracket: the clause has no closing bracket")
        return clause

    @staticmethod
    def _ends_sentence(text: str, floor: int, open_at: int, close: int, end: int) -> bool:
        """A bare list is a marking only where a marking stands: ending the sentence or the
        paragraph, after a full stop, or before the next numbered item."""
        k = close + 1
        while k < end and text[k] in _BLANK:
            k += 1
        if k >= end or text[k] in "。;\n" or _ITEM_LABEL.match(text, k, end):
            return True
        b = open_at - 1
        while b >= floor and text[b] in _BLANK:
            b -= 1
        return b >= floor and text[b] in "。;"

    def read_bracket(self, text: str, start: int, end: int) -> Clause | None:
        """The marking inside a bracket, or None when the bracket holds something else
        (``(以下简称“在线平台”)``, ``(其他…相关应用)``, ``(2023年底前)``)."""
        if self._first_label(text, start, end) is not None:
            return self.read_keyword_clause(text, start, end)
        return self.read_inline_clause(text, start, end)

    # ------------------------------------------------------------ markings with labels

    def read_keyword_clause(self, text: str, start: int, end: int) -> Clause:
        """A marking whose parts are led by labels (``牵头单位：A；配合单位：B``); text
        before the first label is read as a marking without labels."""
        clause = Clause(start, end, kind="label")
        ok = self._read_body(text, start, end, clause, mode=None)
        if not ok and not clause.notes:
            clause.notes.append(f"ignored text in clause: {text[start:end]}")
        if not clause.items and not clause.implicit and not clause.times and not clause.first_is_lead:
            clause.notes.append("clause names no unit")
        return clause

    def read_inline_clause(self, text: str, start: int, end: int) -> Clause | None:
        """A marking without labels: ``A牵头,B、C按职责分工负责`` / ``A负责`` / ``A、B``.
        None unless every part of it reads as units, verbs, a note or a time phrase — or,
        beside a verb clause, a few words of no unit (``A牵头,B配合,确保按时完成``)."""
        if not self._may_be_inline(text, start, end):
            return None
        clause = Clause(start, end, kind="verb")
        ok = self._read_body(text, start, end, clause, mode=None, strict=True)
        units = [i for i in clause.items if i.key_role != "leader"]
        if not units:
            return None
        if not ok:
            verbs = any(i.cue for i in units)
            if not verbs or any(e - s > _MAX_FREE_SEGMENT for s, e in clause.free_words):
                return None
        if all(i.key_role == "responsible" and not i.cue for i in units):
            clause.kind = "list"
        return clause

    def _may_be_inline(self, text: str, start: int, end: int) -> bool:
        """A cheap first test for a bracket without labels: it holds a verb, or ends like a
        unit (a bare list).  (以下简称…), (2023年), (试行) do neither."""
        g = self.g
        if g.verb.search(text, start, end) is not None:
            return True
        tail = text[start:end].rstrip(_BLANK + "。")
        while tail.endswith((")", "]")):  # (A、B(市新闻出版局))
            k = max(tail.rfind("("), tail.rfind("["))
            if k <= 0:
                break
            tail = tail[:k].rstrip(_BLANK)
        return (
            tail.endswith(g.unit_suffixes) or tail.endswith(g.place_suffixes) or g.time_words.search(tail) is not None
        )

    def read_note_line(self, text: str, start: int, end: int) -> Clause | None:
        """A line that only states conventions, such as a preamble
        ``(列第一为牵头单位;以下各区、县〔市〕政府均为责任单位,不再列出)``: a Clause with no
        units of its own, or None when the line says anything else."""
        s, e = start, end
        if text[s] in "([" and matching_close(text, s, e) == e - 1:
            s, e = s + 1, e - 1
        segments = [seg for a, b in split_top(text, _SEGMENT_SEPS, s, e) if (seg := _strip(text, a, b))[0] < seg[1]]
        if not segments or not all(self._is_note(text[a:b]) for a, b in segments):
            return None
        clause = Clause(start, end, kind="note")
        for a, b in segments:
            self._read_note(text, a, b, clause)
        if not clause.first_is_lead and not clause.implicit:
            return None  # only 下同 / 不再列出
        return clause

    def states_first_is_lead(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether ``text[start:end]`` states that the first unit listed is the lead, in any
        wording (列第一位的为牵头单位, 列首位者为牵头单位, 其他单位按职责分工配合落实 …)."""
        return self.g.states_first_is_lead(text[start:end])

    # ------------------------------------------------------------ the grammar

    def _label_kind(self, label: str) -> str:
        kind = self._kinds.get(label)
        if kind is None:
            kind = self._kinds[label] = self.g.label_kind(label)
        return kind

    def _label_matches(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        """Every label in ``text[start:end]``, in order.  A label ends at a ":", so only the
        few characters before each ":" are searched (most paragraphs have none)."""
        found: list[re.Match[str]] = []
        c = text.find(":", start, end)
        last = start
        while c >= 0:
            m = self.g.label.search(text, max(last, c - _LONGEST_LABEL), min(end, c + 1))
            if m is not None and m.start() >= last:
                found.append(m)
                last = m.end()
            c = text.find(":", c + 1, end)
        return found

    def _first_label(self, text: str, start: int, end: int) -> re.Match[str] | None:
        labels = self._labels(text, start, end)
        return labels[0] if labels else None

    def _labels(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        """Labels outside the brackets inside ``text[start:end]``.  The last answer is kept:
        a bracket is asked once whether it has a label and once to read them."""
        memo = self._labels_memo
        if memo is not None and memo[0] is text and memo[1] == start and memo[2] == end:
            return memo[3]
        found = self._label_matches(text, start, end)
        tops = _top_positions(text, start, [m.start() for m in found])
        labels = [m for m, top in zip(found, tops, strict=True) if top]
        self._labels_memo = (text, start, end, labels)
        return labels

    def _read_body(
        self,
        text: str,
        start: int,
        end: int,
        clause: Clause,
        *,
        mode: str | None,
        strict: bool = False,
        free_rest: bool = True,
    ) -> bool:
        """Read ``text[start:end]`` into ``clause``; True when every part was understood.

        ``mode`` is the role of the label in force (lead | support | responsible | leader
        | time | division), None before any label.  ``strict``: every segment must be
        understood; ``free_rest``: a few words may follow a verb (配合做好资金保障)."""
        labels = self._labels(text, start, end)
        spans: list[tuple[str | None, str, int, int]] = []
        if not labels or labels[0].start() > start:
            spans.append((mode, "", start, labels[0].start() if labels else end))
        for k, m in enumerate(labels):
            stop = labels[k + 1].start() if k + 1 < len(labels) else end
            spans.append((self._label_kind(m.group(1)), m.group(1), m.end(), stop))
        ok = True
        pending: list[Item] = []
        groups: list[_Group] = []
        for span_mode, cue, s, e in spans:
            s, e = _strip(text, s, e, tail=_LABEL_GAP)
            if s >= e:
                continue
            before = len(clause.items)
            shared = self._shared_verb(text, s, e) if span_mode in _ROLES else None
            if shared is not None:  # 牵头单位：A、B（按职责分工负责）: each answers for its part
                e = shared
            if span_mode in _ROLES and self._value_as_list(text, s, e, span_mode, cue, clause):
                pass
            else:
                for a, b in split_top(text, _SEGMENT_SEPS, s, e):
                    a, b = _strip(text, a, b)
                    if a < b:
                        ok &= self._segment(
                            text, a, b, span_mode, cue, clause, pending, groups, strict=strict, free_rest=free_rest
                        )
            if shared is not None:
                for item in clause.items[before:]:
                    if item.key_role != "leader":
                        item.key_role = "joint"
        if pending:
            clause.items.extend(pending)
        self._settle(clause, groups)
        _dedupe(clause, text)
        return ok

    def _segment(
        self,
        text: str,
        s: int,
        e: int,
        mode: str | None,
        cue: str,
        clause: Clause,
        pending: list[Item],
        groups: list[_Group],
        *,
        strict: bool,
        free_rest: bool,
    ) -> bool:
        """Read one segment (between separators) of a marking."""
        e = self._strip_trailing_notes(text, s, e, clause)
        if s >= e:
            return True
        segment = text[s:e]
        if self._is_note(segment):
            self._read_note(text, s, e, clause)
            return True
        if mode == "time":
            clause.times.append((s, e))
            return True
        if mode == "leader":
            if self._verb_clause(text, s, e, clause, pending, groups, free_rest):
                return True
            for a, b in split_top(text, "、", s, e):
                a, b = _strip(text, a, b)
                if a < b:
                    clause.items.append(Item(a, b, "leader", cue=cue))
            return True
        if mode in ("lead", "support", "responsible"):
            if self._as_label(text, s, e, clause, []):  # 其中A为牵头单位
                return True
            # after a label, places answer too (责任单位：区教育局，各街道、园区)
            items = self._unit_list(text, s, e, mode, verb_context=True)
            if items is not None:
                for item in items:
                    item.cue = item.cue or cue
                clause.items.extend(items)
                return True
            if self._verb_clause(text, s, e, clause, pending, groups, free_rest):
                return True
            if self._is_time(segment):
                clause.times.append((s, e))
                return True
            # A list after a role label that names at least one unit is kept whole, its odd names
            # flagged: dropping 省档案局 because its neighbour is misspelt would lose a real unit.
            items = self._items(text, s, e, mode)
            odd = [
                text[i.start : i.end] for i in items if not self._unit_name(text[i.start : i.end], verb_context=True)
            ]
            if items and len(odd) < len(items):
                for item in items:
                    item.cue = item.cue or cue
                clause.items.extend(items)
                clause.notes.append(f"listed after a role label but not named like a unit: {'、'.join(odd)}")
                return True
            clause.notes.append(f"ignored text in clause: {segment}")
            return False
        # no label, or a division label: verbs decide
        if self._as_label(text, s, e, clause, pending):
            return True
        if self._verb_clause(text, s, e, clause, pending, groups, free_rest):
            return True
        if self._after_lead(text, s, e, clause):
            return True
        items = self._unit_list(text, s, e, "responsible", verb_context=not strict)
        if items is not None:
            pending.extend(items)
            return True
        if self._is_time(segment):
            clause.times.append((s, e))
            return True
        if strict:
            clause.free_words.append((s, e))  # read_inline_clause decides whether it may stay
        else:
            clause.notes.append(f"ignored text in clause: {segment}")
        return False

    def _shared_verb(self, text: str, s: int, e: int) -> int | None:
        """Where a role label's list ends when a bracket after it says its units answer each for
        their part (``A、B（按职责分工负责）``, ``（分别负责）``), else None."""
        if text[e - 1] not in ")]":
            return None
        k = _matching_open(text, e - 1, s)
        if k <= s:
            return None
        m = self.g.verb.fullmatch(text, k + 1, e - 1)
        if m is None or not (m.group("joint") or m.group("dist")):
            return None
        while k > s and text[k - 1] in _BLANK:
            k -= 1
        return k

    def _value_as_list(self, text: str, s: int, e: int, role: str, cue: str, clause: Clause) -> bool:
        """The common case first: a role label's whole value is a list of units
        (``省发改委、省经信厅，各设区市政府``), read in one pass; False (nothing read) when it
        holds anything else — a note in the middle, a verb, a time phrase."""
        notes = Clause(s, e)
        if text[e - 1] in ")]":
            e = self._strip_trailing_notes(text, s, e, notes)
        if text.find("。", s, e) >= 0:
            return False
        items = self._unit_list(text, s, e, role, verb_context=True)
        if items is None:
            return False
        if _PREDICATE.search(text, s, e) and any(self.g.as_label.search(text, i.start, i.end) for i in items):
            return False  # 其中A为牵头单位
        for item in items:
            item.cue = cue
        clause.items.extend(items)
        clause.first_is_lead = clause.first_is_lead or notes.first_is_lead
        clause.implicit.extend(notes.implicit)
        return True

    def _strip_trailing_notes(self, text: str, s: int, e: int, clause: Clause) -> int:
        """A trailing bracketed note belongs to the marking, not to the last unit:
        "…,各区、县(市)政府(列第一为牵头单位;以下…不再列出)"."""
        while e > s and text[e - 1] in ")]":
            open_at = _matching_open(text, e - 1, s)
            if open_at < 0:
                break
            inner = [seg for a, b in split_top(text, _SEGMENT_SEPS, open_at + 1, e - 1) if (seg := _strip(text, a, b))]
            if not inner or not all(self._is_note(text[a:b]) for a, b in inner if a < b):
                break
            for a, b in inner:
                if a < b:
                    self._read_note(text, a, b, clause)
            e = open_at
            while e > s and text[e - 1] in _BLANK:
                e -= 1
        return e

    def _verb_clause(
        self,
        text: str,
        s: int,
        e: int,
        clause: Clause,
        pending: list[Item],
        groups: list[_Group],
        free_rest: bool = True,
    ) -> bool:
        """``[由] units [会同 units] verb [rest]``; units before it without a verb of their own
        (``A,B牵头``) share its role.  False (and nothing read) when the segment is not one."""
        g = self.g
        pos = s
        # "…，会同B推进": after 会同 any action verb will do; the units support.
        verb = g.action if g.with_words.match(text, s) else g.verb
        while True:
            m = verb.search(text, pos, e)
            if m is None:
                return False
            pos = m.start() + 1
            u_start = s
            by = g.by_words.match(text, u_start, m.start())
            if by:
                u_start = by.end()
            rest_start = m.end()
            rest = text[rest_start:e].strip(_BLANK)
            rest_items: tuple[list[Item], list[_Group], list[tuple[int, int]], list[tuple[int, int]]] | None = None
            if rest:
                rest_items = self._rest(text, rest_start, e, free_rest)
                if rest_items is None:
                    continue
            found = self._verb_units(text, u_start, m.start(), m)
            if found is None:
                continue
            lead_side, main = found
            role, distributive = self._verb_role(m) if verb is g.verb else ("support", False)
            items = []
            if lead_side:
                for item in lead_side:
                    item.key_role, item.cue = "lead", m.group(0)
                items.extend(lead_side)
                for item in main:
                    item.key_role, item.cue = "support", m.group(0)
                items.extend(main)
            else:
                # "A，B牵头": both lead; but "A、B、C，A牵头" names the lead among them
                named = {_squash(text[i.start : i.end]) for i in pending}
                restated = any(_squash(text[i.start : i.end]) in named for i in main)
                units = main if restated else [*pending, *main]
                if not restated:
                    pending.clear()
                for item in units:
                    item.key_role, item.cue = role, m.group(0)
                items.extend(units)
                if role == "responsible":
                    groups.append(_Group(units, distributive))
            clause.items.extend(items)
            if rest_items is not None:
                more, more_groups, times, free_words = rest_items
                clause.items.extend(more)
                groups.extend(more_groups)
                clause.times.extend(times)
                clause.free_words.extend(free_words)
            return True

    def _after_lead(self, text: str, s: int, e: int, clause: Clause) -> bool:
        """``A、B牵头，各区政府落实``: after a lead named in the same marking, units followed by
        any action verb (落实, 实施, 推进 …) carry it out, as supporters."""
        if not any(i.key_role == "lead" for i in clause.items):
            return False
        for m in self.g.action.finditer(text, s, e):
            if m.end() == e and m.start() > s:
                items = self._unit_list(text, s, m.start(), "support", verb_context=True)
                if items:
                    for item in items:
                        item.key_role, item.cue = "support", m.group(0)
                    clause.items.extend(items)
                    return True
        return False

    def _as_label(self, text: str, s: int, e: int, clause: Clause, pending: list[Item]) -> bool:
        """``A、B为牵头单位`` / ``其中A为牵头单位``: a role label as the predicate."""
        m = self.g.as_label.search(text, s, e)
        if m is None:
            return False
        u_start = s + 2 if text.startswith("其中", s) else s
        items = self._unit_list(text, u_start, m.start(), "responsible", verb_context=True)
        if not items:
            return False
        role = self._label_kind(m.group("label"))
        units = [*pending, *items] if role != "responsible" else items
        if role != "responsible":
            pending.clear()
        for item in units:
            item.key_role, item.cue = role, m.group("label")
        clause.items.extend(units)
        return True

    def _rest(
        self, text: str, s: int, e: int, free_rest: bool = True
    ) -> tuple[list[Item], list[_Group], list[tuple[int, int]], list[tuple[int, int]]] | None:
        """What may follow a verb in one segment: a time phrase (负责2023年底前完成), another
        verb clause (A牵头B配合) or a few words that are neither (配合做好资金保障)."""
        s, e = _strip(text, s, e)
        segment = text[s:e]
        if self._is_time(segment):
            return [], [], [(s, e)], []
        probe = Clause(s, e)
        groups: list[_Group] = []
        if self._verb_clause(text, s, e, probe, [], groups, free_rest):
            return probe.items, groups, probe.times, probe.free_words
        short = len(segment) <= self.g.max_verb_rest and segment[0] not in "的之地得所等"
        if free_rest and short and not self._unit_name(segment):
            return [], [], [], [(s, e)]
        return None

    def _verb_units(self, text: str, s: int, e: int, verb: re.Match[str]) -> tuple[list[Item], list[Item]] | None:
        """The units before a verb: (units before 会同, units after it) or ([], units).
        A segment that begins with 会同 (``…，会同B推进``) gives B as supporters."""
        g = self.g
        s, e = _strip(text, s, e, tail="")
        if s >= e:
            return None
        for w in g.with_words.finditer(text, s, e):
            left = self._unit_list(text, s, w.start(), "lead", verb_context=True) if w.start() > s else []
            right = self._unit_list(text, w.end(), e, "support", verb_context=True)
            if left is not None and right:
                if not left:  # "会同B推进" after "A牵头": B supports
                    return [], [Item(i.start, i.end, "support", i.open_list, cue=w.group(0)) for i in right]
                return left, right
        items = self._unit_list(text, s, e, "responsible", verb_context=True)
        if not items:
            return None
        return [], items

    def _verb_role(self, m: re.Match[str]) -> tuple[str, bool]:
        """(lead | support | responsible, distributive) of a verb as matched."""
        if m.group("joint"):
            return "responsible", True
        core = m.group("core") or m.group("dcore")
        role = self.g.verb_roles.get(core, "responsible")
        return role, bool(m.group("dist"))

    def _settle(self, clause: Clause, groups: list[_Group]) -> None:
        """Final roles of units read with a responsible verb: they support a lead named in
        the same marking (A牵头，C、D按职责分工负责), lead when the marking names only
        supporters besides (A负责，B配合), else one unit alone leads and several, or units
        each answering for their part, are joint (A、B按职责分工负责)."""
        if not groups:
            return
        verb_units = {id(i) for grp in groups for i in grp.items}
        others = [i for i in clause.items if id(i) not in verb_units]
        has_lead = any(i.key_role == "lead" for i in others)
        has_support = any(i.key_role == "support" for i in others)
        head = groups[0]
        if has_lead or has_support:
            role = "support" if has_lead else "lead"
            for item in (i for grp in groups for i in grp.items):
                item.key_role = role
        elif len(head.items) == 1 and not head.distributive:
            # A负责 alone leads; so does A in "A负责，B、C按职责分工负责"
            head.items[0].key_role = "lead"
            for item in (i for grp in groups[1:] for i in grp.items):
                item.key_role = "support"
        else:  # units answering each for their part, no lead named
            for item in (i for grp in groups for i in grp.items):
                item.key_role = "joint"

    # ------------------------------------------------------------ notes and time phrases

    def _is_note(self, segment: str) -> bool:
        return self.g.any_note.search(segment.strip(_BLANK)) is not None

    def _read_note(self, text: str, start: int, end: int, clause: Clause) -> None:
        segment = text[start:end]
        if self.g.states_first_is_lead(segment):
            clause.first_is_lead = True
        for pattern in self.g.implicit_units:
            for m in pattern.finditer(segment):
                s, e = start + m.start("units"), start + m.end("units")
                for item in self._items(text, s, e, "responsible"):
                    item.implicit = True
                    clause.implicit.append(item)
            if clause.implicit:
                break

    def _is_time(self, segment: str) -> bool:
        return len(segment) <= 40 and bool(self.g.time_words.search(segment))

    # ------------------------------------------------------------ unit lists

    def _read_list(self, text: str, start: int, end: int, role: str, clause: Clause) -> None:
        """Read ``text[start:end]`` as the value of a ``role`` label (a table cell, a
        label's list) into ``clause``."""
        self._read_body(text, start, end, clause, mode=role)

    def _unit_list(self, text: str, s: int, e: int, role: str, *, verb_context: bool) -> list[Item] | None:
        """The units of ``text[s:e]`` when every item is a unit name, else None."""
        items = self._items(text, s, e, role)
        if not items:
            return None
        known = self._name_cache
        for i in items:
            name = text[i.start : i.end]
            ok = known.get((name, verb_context))
            if ok is None:
                ok = self._unit_name(name, verb_context=verb_context)
            if not ok:
                return None
        return items

    def _unit_name(self, name: str, *, verb_context: bool = False) -> bool:
        """Whether ``name`` (matching form) reads as the name of a unit: it ends like one
        (厅, 局, 委, 政府, 部门 …), or is a collective of places (各区县), or — after a role
        verb — a place (江宁区牵头)."""
        key = (name, verb_context)
        known = self._name_cache.get(key)
        if known is None:
            if len(self._name_cache) >= _CACHE_SIZE:
                self._name_cache.clear()
            known = self._name_cache[key] = self._is_unit_name(name, verb_context)
        return known

    def _is_unit_name(self, name: str, verb_context: bool) -> bool:
        g = self.g
        name = _squash(name)
        while name.endswith(")"):
            k = name.rfind("(")
            if k <= 0:
                break
            name = name[:k]
        if not 1 < len(name) <= 40 or name.startswith(g.not_unit_prefixes):
            return False
        if not _NOT_IN_NAMES.isdisjoint(name):
            return False
        if name.endswith(g.generic_unit_suffixes) and len(name) <= 3:
            return name.startswith(g.generic_unit_determiners)
        if name.endswith(g.unit_suffixes):
            return True
        if name.startswith("各") and name.endswith(g.place_suffixes):
            return True
        if g.collective.fullmatch(name):
            return True
        return verb_context and name.endswith(g.place_suffixes)

    def _protected_spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Collective units that contain a separator or a conjunction (各州、市人民政府,
        各区（市）县党委和政府), kept whole.  Only where an item may start: the list's start
        and after each separator, conjunction or 等."""
        g = self.g
        segment = text[start:end]
        spans: list[tuple[int, int]] = []
        if "、" in segment:
            spans.extend((m.start(), m.end()) for m in g.protected.finditer(text, start, end))
        # a collective holds a separator only between two level words (州、市; 市(县)、区) or
        # in its ending (党委和政府): most lists hold none
        if g.collective_joint.search(text, start, end) is None:
            return spans
        joins = [m.start() for m in self._joins.finditer(text, start, end)]
        boundary = g.separators + _BLANK + "和及与等)"
        for a in [start, *(j + 1 for j in joins)]:
            while a < end and text[a] in _BLANK:
                a += 1
            m = g.collective.match(text, a, end)
            if m is None or self._joins.search(text, a + 1, m.end()) is None:
                continue
            b = m.end()
            if m.group("ending") is None:
                if text[a] != "各":
                    continue
                # without an ending the unit must end here: 各区县、市直各部门 is two units
                if b < end and text[b] not in boundary and not g.verb.match(text, b, end):
                    continue
            spans.append((a, b))
        return spans

    def _items(self, text: str, start: int, end: int, role: str) -> list[Item]:
        """Split a list of units, keeping collective names whole, stripping 等.

        A plan names the same units again and again, so how a name splits (A等, A和B,
        A(牵头)) is kept by its text and only the offsets are made anew."""
        g = self.g
        protected = self._protected_spans(text, start, end)
        if protected:
            masked = list(text[start:end])
            for a, b in protected:
                for k in range(a, b):
                    if masked[k - start] in g.separators:
                        masked[k - start] = "\x00"
            view = "".join(masked)
            pieces = [(start + s, start + e) for s, e in split_top(view, g.separators)]
        else:
            pieces = split_top(text, g.separators, start, end)
        items: list[Item] = []
        append = items.append
        cache = self._item_cache
        for s, e in pieces:
            if protected and any(a < e and s < b for a, b in protected):
                items.extend(self._item(text, s, e, role, protected))
                continue
            # a name outside any collective splits the same wherever it stands
            piece = text[s:e]
            plan = cache.get(piece)
            if plan is None:
                found = self._item(text, s, e, role, [])
                plan = tuple(
                    (i.start - s, i.end - s, i.key_role if i.key_role != role else None, i.open_list, i.cue)
                    for i in found
                )
                if len(cache) >= _CACHE_SIZE:
                    cache.clear()
                cache[piece] = plan
            for a, b, marked, open_list, cue in plan:
                append(Item(s + a, s + b, marked or role, open_list, False, cue))
        return items

    def _item(self, text: str, s: int, e: int, role: str, protected: list[tuple[int, int]]) -> list[Item]:
        g = self.g
        s, e = _strip(text, s, e)
        if s >= e:
            return []
        name = text[s:e]
        # "省发展改革委(牵头)": the unit's own role, written after it.
        if name.endswith((")", "]")):
            k = _matching_open(text, e - 1, s)
            if k > s and (marked := g.unit_role_markers.get(_squash(text[k + 1 : e - 1]))):
                items = self._item(text, s, k, role, protected)
                for item in items:
                    item.key_role, item.cue = marked, text[k + 1 : e - 1]
                return items
        # "A和B", "C及D": two units joined by a conjunction, when both sides are units.
        for conj in g.conjunctions:
            k = name.find(conj)
            while k > 0:
                at = s + k
                inside = any(a <= at < b for a, b in protected) or not _top_positions(text, s, [at])[0]
                left, right = name[:k], name[k + len(conj) :]
                if (
                    not inside
                    and len(_squash(left)) >= 3
                    and (self._unit_name(left) or right.startswith("各"))
                    and self._unit_name(right)
                ):
                    left_items = self._item(text, s, at, role, protected)
                    return left_items + self._item(text, at + len(conj), e, role, protected)
                k = name.find(conj, k + 1)
        # "A等" (open list), "A等有关部门" (A and others of a kind): keep A.
        k = _open_list_at(name, g.not_open_list)
        if k > 0:
            tail = _squash(name[k + 1 :])
            head = Item(*_strip(text, s, s + k), role, open_list=True)
            if not tail or g.open_list_descriptor.match(tail):
                return [head]
            return [head, *self._item(text, s + k + 1, e, role, protected)]
        return [Item(s, e, role)]


_ROLES = frozenset({"lead", "support", "responsible"})
_STRENGTH = {"lead": 3, "support": 2, "joint": 1, "responsible": 0}


def _dedupe(clause: Clause, text: str) -> None:
    """A unit named twice in one marking (``A、B，其中A为牵头单位``; ``A、B、C，A牵头``) is one
    unit, where it was first named, with the more specific role."""
    if len(clause.items) < 2:
        return
    written = [text[i.start : i.end] for i in clause.items]
    if len(set(written)) == len(written):
        return  # the common case: no unit named twice
    first: dict[str, Item] = {}
    keep: list[Item] = []
    for item in clause.items:
        if item.key_role == "leader":
            keep.append(item)
            continue
        key = _squash(text[item.start : item.end])
        seen = first.get(key)
        if seen is None:
            first[key] = item
            keep.append(item)
        elif _STRENGTH.get(item.key_role, 0) > _STRENGTH.get(seen.key_role, 0):
            seen.key_role, seen.cue = item.key_role, item.cue
            seen.open_list = seen.open_list or item.open_list
    clause.items[:] = keep


def _squash(text: str) -> str:
    """``text`` without whitespace (a name broken by a PDF line or page break)."""
    return "".join(text.split())


_OPENING = re.compile(r"[(\[]")


def _next_open(text: str, start: int, end: int) -> int:
    m = _OPENING.search(text, start, end)
    return -1 if m is None else m.start()


def _open_list_at(name: str, not_open: re.Pattern[str]) -> int:
    """Index of the 等 that ends a list in ``name`` (not 高等, 平等 …), or -1."""
    k = name.find("等")
    if k < 0:
        return k
    blocked = {m.start() + m.group(0).index("等") for m in not_open.finditer(name)}
    while k >= 0 and k in blocked:
        k = name.find("等", k + 1)
    return k
