"""The role stage: from what the markings of a task say to the role each unit plays.

The marking reader (:mod:`.clauses`) says what a marking *says* — each unit with the role
word or label it was written with (``lead``, ``support``, ``responsible``, ``joint``) and the
leaders by title.  This stage decides, for one task, the final :class:`~dutygraph.model.Role`
of each unit, by the rules agreed for every document:

* a unit written as lead is lead; a unit written as support is support;
* once a lead is named for the task, every other unit supports it
  (``A牵头，B、C按职责分工负责`` → B, C support; ``牵头单位：A`` + ``责任单位：B`` → B supports);
* the only unit named answers for the task: lead;
* 责任单位 under the document's first-is-lead convention: the first is lead, the others support;
* otherwise several units are joint (``A、B按职责分工负责``, a bare list with no convention);
* units a note attaches to every later task (``以下各区、县〔市〕政府均为责任单位，不再列出``)
  support each task that names units of its own, unless the task names them already.

The convention and the attached units are the document's: :class:`DocumentRoles` carries
them from task to task in reading order.

>>> from .clauses import Clause, Item
>>> text = "甲局乙局丙办"
>>> marking = Clause(0, 6, [Item(0, 2, "responsible"), Item(2, 4, "responsible")])
>>> [d.role.value for d in decide_roles([marking], text, first_is_lead=False).units]
['joint', 'joint']
>>> [d.role.value for d in decide_roles([marking], text, first_is_lead=True).units]
['lead', 'support']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from dutygraph.model import Role

from .clauses import Clause, Item
from .names import name_key


class Decision(NamedTuple):
    """One unit of a task with its final role.  Immutable; a named tuple, as every unit of
    every task gets one (a frozen dataclass costs five times as much to make)."""

    item: Item
    clause: Clause  # the marking it was read from (or the note that attached it)
    role: Role
    implicit: bool = False  # attached by a document-wide note, not written for this task
    open_list: bool = False  # its list ended in 等 / 等有关部门


@dataclass(slots=True)
class TaskRoles:
    """The result of the role stage for one task."""

    units: list[Decision] = field(default_factory=list)
    leaders: list[Item] = field(default_factory=list)  # leaders by title (分管省领导：…), never units

    @property
    def open_list(self) -> bool:
        return any(d.open_list for d in self.units)


def decide_roles(
    clauses: Sequence[Clause],
    text: str,
    *,
    first_is_lead: bool,
    implicit: Sequence[tuple[Item, Clause]] = (),
) -> TaskRoles:
    """The roles of the units the ``clauses`` of one task name (``text``: the clean text the
    items' offsets point into, for telling one unit from another)."""
    # one pass over the items sorts them (every task asks this, most with a few units)
    result = TaskRoles()
    units: list[tuple[Item, Clause]] = []
    responsible: list[Item] = []
    open_clauses: set[int] = set()
    has_lead = has_support = False
    for clause in clauses:
        for item in clause.items:
            key_role = item.key_role
            if key_role == "leader":
                result.leaders.append(item)
                continue
            units.append((item, clause))
            if key_role == "lead":
                has_lead = True
            elif key_role == "support":
                has_support = True
            elif key_role in ("responsible", "joint"):
                responsible.append(item)
            if item.open_list:
                open_clauses.add(id(clause))
    # one 责任单位 beside 配合单位 / 协助部门 and no lead named: it answers for the task
    lone_responsible = len(responsible) == 1 and responsible[0].key_role == "responsible" and has_support
    for item, clause in units:
        if item.key_role == "lead":
            role = Role.LEAD
        elif item.key_role == "support" or has_lead:
            role = Role.SUPPORT
        elif len(units) == 1 or (lone_responsible and item is responsible[0]):
            role = Role.LEAD  # the only unit named, or the only one responsible, answers for the task
        elif item.key_role == "responsible" and first_is_lead:
            role = Role.LEAD if item is responsible[0] else Role.SUPPORT
        else:
            role = Role.JOINT
        result.units.append(Decision(item, clause, role, open_list=id(clause) in open_clauses))
    if units and implicit:
        # the names are keyed only when a note attached units: most tasks have none to compare
        seen = {_key(text, item) for item, _ in units}
        for item, clause in implicit:
            if (key := _key(text, item)) not in seen:
                seen.add(key)
                result.units.append(Decision(item, clause, Role.SUPPORT, implicit=True))
    return result


class DocumentRoles:
    """The role stage over a document: the conventions in force carried from task to task.

    ``first_is_lead``: the document states the first-is-lead convention somewhere (its
    wordings are specific enough to hold wherever they stand); ``notes``: the lines that only
    state conventions, each governing the tasks after it.
    """

    def __init__(self, text: str, *, first_is_lead: bool = False, notes: Sequence[Clause] = ()) -> None:
        self.text = text
        self.first_is_lead = first_is_lead
        self.implicit: list[tuple[Item, Clause]] = []
        self._pending = sorted(notes, key=lambda n: n.start)

    def decide(self, start: int, clauses: Sequence[Clause]) -> TaskRoles:
        """The roles of the task starting at ``start`` governed by ``clauses``; the notes before
        it and its own markings' conventions take effect first, its attached units after."""
        while self._pending and self._pending[0].start < start:
            note = self._pending.pop(0)
            self.first_is_lead = self.first_is_lead or note.first_is_lead
            self.implicit.extend((item, note) for item in note.implicit)
        self.first_is_lead = self.first_is_lead or any(c.first_is_lead for c in clauses)
        roles = decide_roles(clauses, self.text, first_is_lead=self.first_is_lead, implicit=self.implicit)
        for clause in clauses:
            self.implicit.extend((item, clause) for item in clause.implicit)
        return roles


def _key(text: str, item: Item) -> str:
    return name_key("".join(text[item.start : item.end].split()))
