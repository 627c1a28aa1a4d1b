"""The registry's answers: agencies and groups, resolutions, jurisdictions.

Plain frozen dataclasses; the registry hands out the same object for the same body, so
callers may compare them with ``is``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutygraph.model import Level

__all__ = ["LEVELS", "Agency", "Jurisdiction", "Resolution"]

LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
"""Valid levels, from the top: national, province, city, county."""


@dataclass(frozen=True, slots=True)
class Agency:
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

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name form: canonical name, short names, aliases."""
        return (self.name, *self.short_names, *self.aliases)


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
