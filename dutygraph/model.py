"""The domain model every part of dutygraph speaks.

Loaders produce these objects, the graph store writes them, the API and CLI
serialise them.  The registry's answers (:class:`Agency`, :class:`Resolution`,
:class:`Jurisdiction`) are here too: the agencies and groups a unit may be, as the registry
knows them.  Plain dataclasses: cheap to build by the hundred thousand in
the extraction benchmark, and `to_dict()` gives JSON-ready values.

Vocabulary (see ../shared/glossary.md):

* role ``lead``    — 牵头单位, the unit that answers for a task;
* role ``support`` — 协同 / 配合 / 参与单位, and 责任单位 that are not listed first
  under a "列第一位的为牵头单位" convention;
* role ``joint``   — "A、B按职责分工负责": several units responsible, no lead named.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"
    JOINT = "joint"


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


def stable_id(prefix: str, *parts: str, length: int = 12) -> str:
    """A short identifier that depends only on ``parts``: the same document
    loaded on any machine gets the same ids."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:length]}"


@dataclass(slots=True)
class Span:
    """Where something stands in the document's original text (character offsets,
    end exclusive) and how it was written there."""

    text: str
    start: int
    end: int


class _NameForms:
    """What a unit (:class:`Unit`) and a registered body (:class:`Agency`) both answer from their names."""

    __slots__ = ()
    name: str
    kind: str  # "agency" | "group"
    short_names: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name form: the (canonical) name, short names, aliases."""
        return (self.name, *self.short_names, *self.aliases)


@dataclass(frozen=True, slots=True)
class Unit(_NameForms):
    """The body (or collective group) an assignment's name stands for, as the resolve
    stage found it, so that the store need not ask the registry again.

    ``name`` is the canonical name of a registered body (无锡市发展和改革委员会), or for a
    body the registry does not know the name qualified by the jurisdiction its level
    prefix points at (市大数据局 in a 无锡市 plan → 无锡市大数据局, ``registered`` False).
    ``aliases`` holds the registered aliases and the forms the document wrote, so that
    lookups find the unit by any of them.  ``parent`` / ``counterpart`` / ``members``
    are the linked bodies (one level deep: their own links are left out);
    ``dissolved`` / ``successor`` mark a body that no longer exists.
    """

    id: str
    name: str
    kind: str  # "agency" | "group"
    jurisdiction: str | None
    level: str | None
    short_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    parent: Unit | None = None
    counterpart: Unit | None = None
    members: tuple[Unit, ...] = ()
    registered: bool = True
    resolved: bool = True  # the registry resolved the name (also a group named by a generic pattern)
    dissolved: str | None = None
    successor: str | None = None


@dataclass(slots=True)
class Assignment:
    """One unit named in one task's responsibility clause."""

    role: Role
    name: str  # as written, without a trailing 等
    agency: str | None  # canonical name when resolved (agency or group)
    agency_id: str | None
    implicit: bool = False  # attached by a document-wide note, not written in this clause
    group: bool = False  # a collective unit (各设区市政府, …成员单位)
    open_list: bool = False  # the list this unit belongs to ended in 等
    resolved: bool = False
    source: Span | None = None  # the clause as written, offsets into the original text
    name_span: Span | None = None  # the unit's own surface form and offsets
    unit: Unit | None = None  # filled by the resolve stage (loaders/resolve.py)
    confidence: float | None = None  # read by OCR: the lowest confidence (0–1) of the name's characters
    inherited_from: str | None = None  # the number of the heading task whose marking governs this task


@dataclass(slots=True)
class Milestone:
    """A dated step of a task: "6月底前,完成…" → 2019-06-30."""

    due: date | None  # None when the expression has no fixed date (年内, 长期坚持)
    expression: str  # the deadline words as written (6月底前)
    text: str  # the part of the task the deadline governs
    start: int
    end: int


@dataclass(slots=True)
class Task:
    id: str
    doc_id: str
    section_id: str | None
    number: str  # number path, e.g. "二.(二).1.¶3"
    ordinal: int  # 1-based position among the document's tasks
    title: str
    text: str  # the task statement in the document's own script, clause excluded
    start: int
    end: int
    assignments: list[Assignment] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    deadline_notes: list[str] = field(default_factory=list)  # 年内, 长期坚持, 持续推进
    leaders: list[str] = field(default_factory=list)  # 牵头负责领导: a person by title, not a unit
    open_list: bool = False
    clause: Span | None = None

    @property
    def assigned(self) -> bool:
        return bool(self.assignments)


@dataclass(slots=True)
class Section:
    id: str
    doc_id: str
    number: str  # as written: 一、 / （一） / 1. / （1）
    path: str  # number path from the top, e.g. "二.(一)"
    depth: int
    title: str
    parent_id: str | None
    start: int
    end: int


@dataclass(slots=True)
class Citation:
    """A document named in another: 《title》(文号)."""

    title: str | None
    doc_number: str | None
    relation: str  # "implements" (根据 / 贯彻落实) or "cites"
    start: int
    end: int

    @property
    def key(self) -> str:
        return document_key(self.doc_number, self.title, None)


def document_key(doc_number: str | None, title: str | None, source: str | None) -> str:
    """What identifies a document across versions: its 文号, else its title,
    else its file name."""
    if doc_number:
        return "no:" + doc_number
    if title:
        return "title:" + title
    return "source:" + (source or "")


@dataclass(slots=True)
class Document:
    id: str
    source: str  # file name
    format: str  # txt, docx, pdf, html, xlsx, csv
    text: str  # the original text as read (provenance offsets point here)
    content_hash: str
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None  # 文号
    issued: date | None = None
    year: int | None = None  # the year deadlines resolve against: of issue, or given in metadata
    jurisdiction: str | None = None
    level: Level | None = None
    script: str = "simplified"  # or "traditional"
    encoding: str | None = None
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages whose text was read by OCR


def to_dict(obj: Any) -> Any:
    """JSON-ready form of any model object (dates as ISO strings, enums as values)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, StrEnum):
        return obj.value
    return obj


# ---------------------------------------------------------------- the registry's answers
# Agencies and groups as the registry knows them, how a name was resolved, jurisdictions: plain
# frozen dataclasses; the registry (dutygraph.loaders.registry) hands out the same object for the
# same body, so callers may compare them with ``is``.

LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
"""Valid levels, from the top: national, province, city, county."""


@dataclass(frozen=True, slots=True)
class Agency(_NameForms):
    """A canonical agency, or a collective group (``kind == "group"``).

    ``parent`` and ``counterpart`` are canonical names of other agencies: the body this
    one is part of (省政府督查室 → 浙江省人民政府办公厅), and for local bodies the body one
    level up they mirror (绍兴市大数据发展管理局 → 浙江省大数据发展管理局).  ``members``
    lists, for groups, the canonical names of member agencies where known.
    ``generated`` is True for the standard departments the registry makes from its
    templates for a jurisdiction (江苏省发展和改革委员会); ``dissolved`` (a year) and
    ``successor`` (a canonical name) mark a body that no longer exists
    (中国银行保险监督管理委员会 → 国家金融监督管理总局, 2023).
    """

    id: str
    name: str
    kind: str  # "agency" | "group"
    short_names: tuple[str, ...]
    aliases: tuple[str, ...]
    jurisdiction: str | None
    level: str | None  # national / province / city / county
    parent: str | None
    counterpart: str | None
    members: tuple[str, ...] = ()
    generated: bool = False
    dissolved: str | None = None
    successor: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a unit's surface form resolved to.

    ``agency`` is None when the name is unknown or ambiguous; ``candidates`` then
    holds every body it may mean (several when ambiguous, none when unknown).  For a
    resolved name ``candidates == (agency,)``.  ``group`` is True for collective units.
    """

    surface: str
    agency: Agency | None
    candidates: tuple[Agency, ...]
    group: bool

    @property
    def resolved(self) -> bool:
        return self.agency is not None

    @property
    def ambiguous(self) -> bool:
        """Candidates exist but the document does not say which one is meant."""
        return self.agency is None and bool(self.candidates)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A node of the jurisdiction tree (中国 → 江苏省 → 南京市 → 南京市江宁区).

    ``name`` is unique in the tree: districts (市辖区), whose names repeat across cities
    (鼓楼区 is in 南京, 福州, 徐州 and 开封), are named with their city (南京市鼓楼区)
    unless a registry file names them otherwise (the shipped 柯桥区).  ``full_name`` is
    the name bodies of the jurisdiction carry (南京市江宁区教育局, 绍兴市柯桥区人民政府);
    ``code`` the GB/T 2260 code of the division data set; ``kind`` the unit's type
    (省, 自治区, 直辖市, 地级市, 自治州, 市辖区, 县级市, 县, 旗 …); ``short`` the name without
    its suffix (江苏, 凉山, 江宁), where it has one of two characters or more.
    """

    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()
    code: str | None = None
    kind: str | None = None
    full_name: str | None = None
    short: str | None = None  # 江苏, 无锡, 江宁: the name without its suffix

    @property
    def qualified(self) -> str:
        """The name bodies of this jurisdiction carry: ``full_name``, else ``name``."""
        return self.full_name or self.name


#: The centrality measures the analytics store on every unit, which a ranking can be ordered by.
CENTRALITY_MEASURES = ("pagerank", "betweenness", "degree", "weighted_degree")
