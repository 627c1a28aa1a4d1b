"""The tasks and units of the whole graph, in memory: what suggested owners and continuity are computed from.

Read through two named queries (``queries/task_corpus.cypher``, ``queries/unit_corpus.cypher``).
:meth:`Corpus.without` gives the corpus as it would be had one document been loaded without its
responsibility clauses — the leave-one-document-out evaluation hides a document this way: its
tasks lose their units, and a unit only that document brought into the graph (its doc_ids hold
nothing else) is not known at all, nor are the counterpart links through it.

>>> unit = UnitInfo("u1", "浙江省大数据发展管理局", "agency", "浙江省", "province", ("d1",), ())
>>> stem(unit.name, unit.jurisdiction), stem("中共绍兴市委政法委员会", "绍兴市")
('大数据发展管理局', '中共委政法委员会')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from dutygraph.queries import load_query

from ..store import GraphStore

#: The roles a clause gives, in the order they weigh.
ROLES = ("lead", "joint", "support")


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: str
    name: str
    kind: str  # agency | group
    jurisdiction: str | None
    level: str | None
    doc_ids: tuple[str, ...]  # the documents that need the unit (name it, or name a body it is context of)
    counterparts: tuple[str, ...]  # units linked by COUNTERPART_OF, either way


@dataclass(frozen=True, slots=True)
class Involvement:
    """One unit of one task's clause."""

    unit_id: str
    role: str  # lead | support | joint
    implicit: bool  # attached by a document-wide note, not written in this task's clause
    clause: str | None  # the clause as written (as one line)


@dataclass(slots=True)
class TaskInfo:
    id: str
    doc_id: str
    document: str
    doc_number: str | None
    year: int | None
    issued: str | None
    jurisdiction: str | None
    level: str | None
    number: str
    ordinal: int
    title: str
    text: str  # the matching form: simplified, half-width (Task.match_text)
    section: str | None
    dues: tuple[str, ...] = ()
    units: list[Involvement] = field(default_factory=list)

    @property
    def assigned(self) -> bool:
        return bool(self.units)

    def with_role(self, *roles: str, explicit: bool = True) -> list[Involvement]:
        return [i for i in self.units if i.role in roles and not (explicit and i.implicit)]

    @property
    def order(self) -> tuple[str, str, int]:
        """When the document was issued, as far as known (year, date, ordinal): for "earlier"."""
        return (str(self.year or ""), self.issued or "", self.ordinal)


def stem(name: str, jurisdiction: str | None) -> str:
    """A body's name without its jurisdiction's name: what counterparts at another level share
    (浙江省发展和改革委员会 and 绍兴市发展和改革委员会 are both 发展和改革委员会)."""
    if jurisdiction and jurisdiction in name:
        return name.replace(jurisdiction, "", 1)
    return name


@dataclass(slots=True)
class Corpus:
    tasks: dict[str, TaskInfo]
    units: dict[str, UnitInfo]
    _stems: dict[tuple[str | None, str], list[str]] | None = field(default=None, repr=False)

    @classmethod
    def from_store(cls, store: GraphStore) -> Corpus:
        return cls.from_rows(_read(store, "task_corpus"), _read(store, "unit_corpus"))

    @classmethod
    def from_rows(cls, task_rows: Iterable[dict], unit_rows: Iterable[dict]) -> Corpus:
        units = {
            r["id"]: UnitInfo(
                r["id"],
                r["name"],
                r["kind"],
                r["jurisdiction"],
                r["level"],
                tuple(r["doc_ids"] or ()),
                tuple(sorted({c for c in r["counterparts"] or () if c})),
            )
            for r in unit_rows
        }
        tasks = {}
        for r in task_rows:
            tasks[r["task_id"]] = TaskInfo(
                id=r["task_id"],
                doc_id=r["doc_id"],
                document=r["document"],
                doc_number=r["doc_number"],
                year=r["year"],
                issued=r["issued"],
                jurisdiction=r["jurisdiction"],
                level=r["level"],
                number=r["number"],
                ordinal=r["ordinal"],
                title=r["title"],
                text=r["text"] or r["title"],
                section=r["section"],
                dues=tuple(sorted(d for d in r["dues"] or () if d)),
                units=[
                    Involvement(u["id"], u["role"], bool(u["implicit"]), u["clause"])
                    for u in r["units"] or ()
                    if u and u["id"] in units
                ],
            )
        return cls(tasks, units)

    def documents(self) -> list[str]:
        return list(dict.fromkeys(t.doc_id for t in sorted(self.tasks.values(), key=lambda t: t.order)))

    def without(self, doc_id: str) -> Corpus:
        """The corpus had ``doc_id`` been loaded without its clauses (see the module docstring)."""
        units = {}
        for u in self.units.values():
            others = tuple(d for d in u.doc_ids if d != doc_id)
            if others:
                units[u.id] = replace(u, doc_ids=others)
        units = {k: replace(u, counterparts=tuple(c for c in u.counterparts if c in units)) for k, u in units.items()}
        tasks = {}
        for t in self.tasks.values():
            kept = [] if t.doc_id == doc_id else [i for i in t.units if i.unit_id in units]
            tasks[t.id] = replace(t, units=kept)
        return Corpus(tasks, units)

    def same_stem(self, unit: UnitInfo, jurisdiction: str | None) -> list[str]:
        """Units of ``jurisdiction`` whose name, without the jurisdiction, is ``unit``'s."""
        if self._stems is None:
            self._stems = {}
            for u in self.units.values():
                self._stems.setdefault((u.jurisdiction, stem(u.name, u.jurisdiction)), []).append(u.id)
        return [u for u in self._stems.get((jurisdiction, stem(unit.name, unit.jurisdiction)), []) if u != unit.id]


def _read(store: GraphStore, name: str) -> list[dict]:
    query = load_query(name)
    return store.read(query.cypher, query.bind({})).records()
