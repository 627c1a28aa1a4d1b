"""Building the registry's indexes from its files: registered agencies and groups (with
their name forms, parents and counterparts), the jurisdiction tree, and the templates of
the standard departments every province, city and county has (generated per
jurisdiction by :func:`make_department`).

:class:`Index` holds what was built; :class:`~dutygraph.loaders.registry.lookup.Registry`
answers questions with it.  Errors name the file and the reason.

Department templates (``departments:`` in ``loaders/data/registry/departments.yaml``)::

    departments:
      - id: development_reform                      # unique; used by `parent`
        name: {default: '{j}发展和改革委员会', county: '{j}发展和改革局'}
        short: ['{p}发展改革委', '{p}发改委', '{p}发展改革局', '{p}发改局']
        aliases: []                                 # more name patterns, with {j}
        national: 国家发展和改革委员会                 # the national counterpart
        parent: null                                # id of the managing department
        levels: [province, city, county]            # default: every level in `name`

``{j}`` is the jurisdiction's full name (江苏省, 南京市江宁区), ``{p}`` the word a
relative name begins with there (省, 市, 区, 县, 自治区, 州, 盟, 旗), ``{s}`` its short
name (江苏: 国家金融监督管理总局{s}监管局), ``{c}`` the full name of the city a district
belongs to (南京市公安局{s}分局).  ``name`` is one pattern, or patterns by level:
``province``, ``municipality`` (北京, 天津, 上海, 重庆; falls back to ``city``), ``city``,
``district`` (市辖区; falls back to ``county``), ``county`` and ``default``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutygraph.loaders.names import name_key, normalise
from dutygraph.model import Level, stable_id

from .files import (
    DIVISIONS,
    Division,
    check_fields,
    compile_pattern,
    entries,
    fail,
    opt_text,
    read_divisions,
    text,
    texts,
)
from .model import LEVELS, Agency, Jurisdiction

__all__ = [
    "AGENCY_PREFIX",
    "GROUP_PREFIX",
    "SCOPE_ANY",
    "Department",
    "DivisionTree",
    "Index",
    "department_level",
    "level_word",
    "make_department",
]

SCOPE_ANY = "any"
AGENCY_PREFIX = "ag_"
GROUP_PREFIX = "grp_"

_AGENCY_FIELDS = frozenset(
    {
        "name", "id", "short", "aliases", "jurisdiction", "level", "parent", "counterpart", "replace", "note",
        "dissolved", "successor",
    }
)  # fmt: skip
_GROUP_FIELDS = frozenset(
    {"name", "id", "short", "patterns", "jurisdiction", "scope", "level", "members", "replace", "note"}
)
_DEFAULT_FIELDS = frozenset({"jurisdiction"})
_DEPARTMENT_FIELDS = frozenset({"id", "name", "short", "aliases", "official", "national", "parent", "levels", "note"})
_NAME_LEVELS = ("province", "municipality", "city", "district", "county", "default")
_ABBREVIATION_FIELDS = frozenset({"pattern", "replace", "note"})
# The head noun a body's name ends in, by class: a name written with one never stands for a
# body whose name ends in the other (市科技局 is no 科学技术委员会, 市民宗委 no 民族宗教事务局).
# 厅 and 局 are one class: a province's 厅 is a city's 局 (省科技局 is the 科学技术厅).
_HEADS = (("委员会", "委"), ("委", "委"), ("局", "局"), ("厅", "局"))


def head_word(name: str) -> str | None:
    """The class of the head noun ``name`` ends in: 委 (委员会, 委) or 局 (局, 厅), else None.

    >>> head_word("市科技局"), head_word("{j}科学技术委员会"), head_word("省科技厅"), head_word("市委外办")
    ('局', '委', '局', None)
    """
    return next((cls for end, cls in _HEADS if name.endswith(end)), None)


@dataclass
class _Record:
    """A mutable agency or group while the files are being read."""

    kind: str
    name: str
    source: Path
    order: int  # index of the file that last changed it
    created: int = 0  # index of the file that introduced it
    id: str | None = None
    short: dict[str, int] = field(default_factory=dict)  # form → index of the declaring file
    aliases: dict[str, int] = field(default_factory=dict)
    jurisdiction: str | None = None
    level: str | None = None
    parent: str | None = None
    counterpart: str | None = None
    members: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    scopes: tuple[str, ...] = ()  # template groups: the levels (or "any") they apply to
    dissolved: str | None = None
    successor: str | None = None


@dataclass(frozen=True, slots=True)
class _Template:
    name: str  # with {j}
    level: str | None
    short: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


# ---------------------------------------------------------------------------- the jurisdiction tree

_JURISDICTION_FIELDS = frozenset({"name", "level", "parent", "aliases", "note"})
_COMMON_SUFFIX = {"自治州": "州", "自治县": "县", "自治旗": "旗"}

# The word a relative name begins with for a jurisdiction of this kind: 省发改委,
# 自治区发展改革委 (also 区发展改革委), 州人民政府, 市教育局 …
_LEVEL_WORDS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "省", "市", "区", "县", "州", "盟", "旗")


def level_word(name: str) -> str:
    """The suffix that stands for a jurisdiction in relative names.

    >>> level_word("广西壮族自治区"), level_word("南京市江宁区"), level_word("沛县")
    ('自治区', '区', '县')
    """
    return next((w for w in _LEVEL_WORDS if name.endswith(w)), name[-1:])


@dataclass
class _Node:
    name: str
    level: str | None
    parent: str | None  # a node name
    aliases: list[str] = field(default_factory=list)
    code: str | None = None
    kind: str | None = None
    full_name: str | None = None
    generated_aliases: list[str] = field(default_factory=list)
    path: Path | None = None
    short: str | None = None


class DivisionTree:
    """Jurisdictions by name, with their chains and the names that point at them.

    The jurisdiction tree: every province, prefecture city and county of China (from the
    division table) merged with the jurisdictions of the registry's YAML files.

    A YAML jurisdiction that is a division of the table (same name, alias, or name with its
    city, under the same parent) is that division: the YAML name and aliases win
    (``越城区`` for 330602, with alias ``绍兴市越城区``).  Other YAML jurisdictions are
    added (the root ``中国``, or a user's own 开发区).

    >>> from dutygraph.loaders.registry.files import DATA_DIR, read_yaml
    >>> tree = DivisionTree.build([(DATA_DIR / "jurisdictions.yaml", read_yaml(DATA_DIR / "jurisdictions.yaml"))])
    >>> tree.chain(tree.find("江宁区"))
    ('南京市江宁区', '南京市', '江苏省', '中国')
    >>> tree.get("南京市江宁区").full_name, tree.get("柯桥区").full_name
    ('南京市江宁区', '绍兴市柯桥区')
    >>> tree.find("鼓楼区") is None, sorted(tree.candidates("鼓楼区"))[:2]
    (True, ['南京市鼓楼区', '开封市鼓楼区'])
    """

    def __init__(self) -> None:
        self._nodes: dict[str, Jurisdiction] = {}
        self._keys: dict[str, str] = {}  # key of a name or unique alias → node name
        self._all: dict[str, tuple[str, ...]] = {}  # key of any name or alias → node names
        self._prefixes: dict[str, tuple[str, ...]] = {}  # key of a name / full name → nodes
        self._short: dict[str, tuple[str, ...]] = {}  # key of a short name (江苏, 无锡) → nodes
        self._chains: dict[str | None, tuple[str, ...]] = {}
        self._children: dict[str, list[str]] = {}
        self._trusted: set[str] = set()
        self.longest = 0

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls, docs: list[tuple[Path, dict[str, Any]]], divisions: list[Division] | Path | None = DIVISIONS
    ) -> DivisionTree:
        """The tree of the division table (``None``: none) and the ``jurisdictions:``
        entries of ``docs``.  Raises ValueError naming the file for a bad entry."""
        rows = read_divisions(divisions) if isinstance(divisions, Path) else list(divisions or [])
        tree = cls()
        tree._trusted = {f for r in rows for f in (r.name, r.short) if f}
        nodes = tree._from_divisions(rows)
        tree._trusted |= {n.name for n in nodes.values()}
        tree._merge_yaml(nodes, docs)
        tree._freeze(nodes)
        return tree

    def _key(self, form: str) -> str:
        """``name_key`` of a form; the division table's own names are already keys
        (tests/test_registry_china.py checks it), which saves converting 13,000 forms
        on every load."""
        return form if form in self._trusted else name_key(form)

    def _from_divisions(self, rows: list[Division]) -> dict[str, _Node]:
        by_code = {r.code: r for r in rows}
        nodes: dict[str, _Node] = {}
        names: dict[str, str] = {}  # code → node name
        for r in rows:  # parents come before children in code order
            parent = by_code.get(r.parent)
            full = r.name
            if r.kind == "市辖区" and parent is not None:
                full = names[parent.code] + r.name  # 南京市江宁区, 北京市朝阳区
            names[r.code] = full
            # an autonomous prefecture, county or banner is commonly written with its short
            # name and the bare suffix: 凉山州, 恩施州, 长阳县, 鄂伦春旗
            common = r.short + _COMMON_SUFFIX[r.kind] if r.short and r.kind in _COMMON_SUFFIX else None
            aliases = [a for a in dict.fromkeys([r.name, r.short, common]) if a and a != full]
            nodes[full] = _Node(
                name=full,
                level=r.level,
                parent=names.get(r.parent, "中国") if r.parent else "中国",
                code=r.code,
                kind=r.kind,
                full_name=full,
                generated_aliases=aliases,
                short=r.short or None,
            )
        return nodes

    def _merge_yaml(self, nodes: dict[str, _Node], docs: list[tuple[Path, dict[str, Any]]]) -> None:
        raw: dict[str, dict[str, Any]] = {}
        for path, data in docs:
            for i, entry in enumerate(entries(data, "jurisdictions", path), 1):
                where = f"jurisdiction #{i}"
                check_fields(entry, _JURISDICTION_FIELDS, path, where)
                name = normalise(text(entry.get("name"), path, f"{where}: name"))
                rec = raw.setdefault(name, {"name": name, "level": None, "parent": None, "aliases": [], "path": path})
                rec["path"] = path
                if entry.get("level") is not None:
                    rec["level"] = text(entry["level"], path, f"{name}: level")
                if "parent" in entry:
                    rec["parent"] = opt_text(entry["parent"], path, f"{name}: parent")
                rec["aliases"] += texts(entry.get("aliases"), path, f"{name}: aliases")
        # Which division each YAML jurisdiction is: by name, alias or name with its city.
        index: dict[str, list[str]] = {}
        for node in nodes.values():
            for form in (node.name, *node.generated_aliases):
                index.setdefault(self._key(form), []).append(node.name)
        renamed: dict[str, str] = {}  # division name → YAML name
        yaml_names: dict[str, str] = {}  # key of a YAML name or alias → YAML name
        for name, rec in raw.items():
            for form in (name, *rec["aliases"]):
                owner = yaml_names.setdefault(name_key(form), name)
                if owner != name:
                    raise fail(rec["path"], f"jurisdiction alias {form!r} of {name} is already {owner}")
        for name, rec in raw.items():
            parent = rec["parent"]
            parent_name = None
            if parent is not None:
                parent_name = yaml_names.get(name_key(parent))
                if parent_name is None:
                    found = index.get(name_key(parent), [])
                    parent_name = renamed.get(found[0], found[0]) if len(found) == 1 else None
                if parent_name is None:
                    raise fail(rec["path"], f"jurisdiction {name}: unknown parent {parent!r}")
            matches = {
                n
                for form in (name, *rec["aliases"])
                for n in index.get(name_key(form), [])
                if n in nodes
                and (parent_name is None or renamed.get(nodes[n].parent or "", nodes[n].parent) == parent_name)
            }
            if len(matches) == 1:
                (division,) = matches
                node = nodes.pop(division)
                renamed[division] = name
                node.name = name
                node.aliases = [*rec["aliases"], *(a for a in (division, *node.generated_aliases) if a != name)]
                node.generated_aliases = []
                node.path = rec["path"]
                if rec["level"] is not None:
                    node.level = rec["level"]
                if parent_name is not None:
                    node.parent = parent_name
                nodes[name] = node
            elif name in nodes:  # an entry for a node made earlier (中国)
                node = nodes[name]
                node.aliases += rec["aliases"]
                if rec["level"] is not None:
                    node.level = rec["level"]
                if parent is not None:
                    node.parent = parent_name
            else:
                nodes[name] = _Node(name, rec["level"], parent_name, list(rec["aliases"]), path=rec["path"])
        for node in nodes.values():
            if node.parent in renamed:
                node.parent = renamed[node.parent]
            if node.level not in LEVELS:
                levels = ", ".join(LEVELS)
                raise fail(node.path or DIVISIONS, f"jurisdiction {node.name}: level must be one of {levels}")
            if node.parent is not None and node.parent not in nodes:
                raise fail(node.path or DIVISIONS, f"jurisdiction {node.name}: unknown parent {node.parent!r}")

    def _freeze(self, nodes: dict[str, _Node]) -> None:
        for node in nodes.values():
            if node.full_name is None and node.level == Level.COUNTY and node.name.endswith("区"):
                parent = nodes.get(node.parent or "")
                if parent is not None and parent.level == Level.CITY and not node.name.startswith(parent.name):
                    node.full_name = parent.name + node.name  # 柯桥区 → 绍兴市柯桥区
            aliases = tuple(dict.fromkeys(a for a in (*node.aliases, *node.generated_aliases) if a != node.name))
            self._nodes[node.name] = Jurisdiction(
                node.name, node.level or "", node.parent, aliases, node.code, node.kind, node.full_name, node.short
            )
        all_forms: dict[str, list[str]] = {}
        prefixes: dict[str, list[str]] = {}
        short: dict[str, list[str]] = {}
        for node in nodes.values():
            named = [node.name, *node.aliases]
            for form in (*named, *node.generated_aliases):
                all_forms.setdefault(self._key(form), []).append(node.name)
            for form in dict.fromkeys([*named, node.full_name or node.name, *node.generated_aliases]):
                key = self._key(form)
                if key[-1:] in "省市区县州盟旗" or key.endswith(("自治区", "自治州", "新区", "园区")):
                    prefixes.setdefault(key, []).append(node.name)
                else:
                    short.setdefault(key, []).append(node.name)
        self._all = {k: tuple(dict.fromkeys(v)) for k, v in all_forms.items()}
        self._prefixes = {k: tuple(dict.fromkeys(v)) for k, v in prefixes.items()}
        self._short = {k: tuple(dict.fromkeys(v)) for k, v in short.items()}
        self.longest = max((len(k) for k in (*self._prefixes, *self._short)), default=0)
        # A name's own key always points at it; an alias only when it is unique, or when
        # one node of the highest level holds it (吉林 → 吉林省, not 吉林市).
        keys: dict[str, str] = {}
        for key, owners in self._all.items():
            own = [n for n in owners if self._key(n) == key]
            if own:
                keys[key] = own[0]
                continue
            if len(owners) == 1:
                keys[key] = owners[0]
                continue
            ranks = sorted(owners, key=lambda n: LEVELS.index(self._nodes[n].level))
            top = [n for n in ranks if self._nodes[n].level == self._nodes[ranks[0]].level]
            if len(top) == 1 and self._nodes[top[0]].level != Level.COUNTY:
                keys[key] = top[0]
        # YAML aliases are unique by construction: they win over generated ones.
        for node in nodes.values():
            for alias in node.aliases:
                keys[name_key(alias)] = node.name
        self._keys = keys
        for built in self._nodes.values():  # reject cycles (only YAML entries can make one), index children
            seen: set[str] = set()
            cur: str | None = built.name if nodes[built.name].path is not None else None
            while cur is not None:
                if cur in seen:
                    raise fail(nodes[built.name].path or DIVISIONS, f"jurisdiction {built.name}: parent chain loops")
                seen.add(cur)
                cur = self._nodes[cur].parent if cur in self._nodes else None
            if built.parent is not None:
                self._children.setdefault(built.parent, []).append(built.name)

    # ------------------------------------------------------------------ lookups

    def __iter__(self) -> Iterator[Jurisdiction]:
        return iter(self._nodes.values())

    def __len__(self) -> int:
        return len(self._nodes)

    def get(self, name: str | None) -> Jurisdiction | None:
        """The node called exactly ``name``."""
        return self._nodes.get(name) if name else None

    def find(self, name: str | None) -> Jurisdiction | None:
        """The jurisdiction a name or alias stands for (either script), when it stands
        for one: ``鼓楼区`` (a district of four cities) stands for none."""
        if not name:
            return None
        found = self._keys.get(name_key(name))
        return self._nodes[found] if found else None

    def candidates(self, name: str) -> tuple[str, ...]:
        """Every node a name or alias may stand for."""
        return self._all.get(name_key(name), ())

    def children(self, name: str) -> list[str]:
        return self._children.get(name, [])

    def chain(self, node: Jurisdiction | str | None) -> tuple[str, ...]:
        """The jurisdiction and its ancestors, nearest first."""
        name = node.name if isinstance(node, Jurisdiction) else node
        try:
            return self._chains[name]
        except KeyError:
            pass
        out: list[str] = []
        cur = name
        while cur is not None and cur in self._nodes:
            out.append(cur)
            cur = self._nodes[cur].parent
        result = tuple(out)
        self._chains[name] = result
        return result

    def at_level(self, name: str | None, level: str) -> str | None:
        for node in self.chain(name):
            if self._nodes[node].level == level:
                return node
        return None

    def prefixes(self, key: str, start: int = 0, *, short: bool = False) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Jurisdiction names at ``key[start:]``, longest first: ``(end, nodes)``.
        Names and full names end in a unit suffix (江苏省, 南京市江宁区); with ``short``
        the short names (江苏, 无锡) are matched instead."""
        table = self._short if short else self._prefixes
        for end in range(min(len(key), start + self.longest), start + 1, -1):
            nodes = table.get(key[start:end])
            if nodes:
                yield end, nodes


# ---------------------------------------------------------------------------- department templates


@dataclass(frozen=True, slots=True)
class Department:
    """The template of a standard department (see the module docstring)."""

    id: str
    names: dict[str, str]  # level key → name pattern
    short: tuple[str, ...]
    aliases: tuple[str, ...]
    national: str | None
    parent: str | None  # id of another department
    levels: frozenset[str]
    source: Path
    order: int = 0
    # Other official names of the department (pattern → its abbreviations): a plan that writes
    # one names that body (区水务局 is 北京市海淀区水务局, not the template's 水利局).
    official: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def patterns(self) -> Iterator[str]:
        """Every official name pattern: the levels' names, then the other official ones."""
        yield from dict.fromkeys((*self.names.values(), *(p for p, _ in self.official)))

    def spelled(self) -> Iterator[tuple[str, str]]:
        """(name pattern, form) for every form that spells one official name: each name
        pattern spells itself, and each ``official`` pattern itself and its abbreviations."""
        for pattern in dict.fromkeys(self.names.values()):
            yield pattern, pattern
        for pattern, forms in self.official:
            yield pattern, pattern
            for form in forms:
                yield pattern, form


def department_level(node: Jurisdiction) -> tuple[str, ...]:
    """The keys of ``Department.names`` that apply to a jurisdiction, most specific first."""
    if node.level == Level.PROVINCE:
        return ("municipality", "city", "default") if node.kind == "直辖市" else ("province", "default")
    if node.level == Level.CITY:
        return ("city", "default")
    if node.level == Level.COUNTY:
        return ("district", "county", "default") if node.kind == "市辖区" else ("county", "default")
    return ()


def _pattern(dept: Department, node: Jurisdiction) -> str | None:
    if node.level not in dept.levels:
        return None
    return next((dept.names[k] for k in department_level(node) if k in dept.names), None)


def _fill(pattern: str, node: Jurisdiction, word: str) -> str:
    return pattern.replace("{j}", node.qualified).replace("{p}", word).replace("{s}", node.short or node.name)


def make_department(
    dept: Department,
    node: Jurisdiction,
    *,
    parent: str | None = None,
    counterpart: str | None = None,
    spelled: str | None = None,
) -> Agency | None:
    """The standard department ``dept`` of jurisdiction ``node``, or None where the
    template has no such department (a county has no 广播电视局).  ``spelled``: the
    official name pattern the plan wrote (see :func:`spelled_name`), instead of the level's.

    >>> dept = Department("ndrc", {"default": "{j}发展和改革委员会", "county": "{j}发展和改革局"},
    ...                   ("{p}发展改革委", "{p}发改委"), (), None, None, frozenset(LEVELS), Path("x"))
    >>> wuxi = Jurisdiction("无锡市", "city", "江苏省", code="320200", kind="地级市", full_name="无锡市")
    >>> a = make_department(dept, wuxi)
    >>> a.name, a.short_names, a.aliases, a.generated
    ('无锡市发展和改革委员会', ('市发展改革委', '市发改委'), ('无锡市发展改革委', '无锡市发改委'), True)
    """
    pattern = _pattern(dept, node)
    if pattern is None:
        return None
    word = level_word(node.name)
    name = _fill(spelled or pattern, node, word)
    # the abbreviations of the name it has: those of the official name the plan spelled, or
    # the template's short forms and the abbreviations `official` lists for the level's name
    forms = [f for p, f in dept.spelled() if p == (spelled or pattern) and (spelled or f != p)]
    forms = forms if spelled else [*dept.short, *forms]
    short = [_fill(s, node, word) for s in forms if "{p}" in s]
    aliases = [_fill(s, node, node.qualified) for s in forms if "{p}" in s]
    aliases += [_fill(s, node, word) for s in (*forms, *(() if spelled else dept.aliases)) if "{p}" not in s]
    if node.qualified != node.name:  # 越城区 of 绍兴市: 越城区教育局 too
        aliases.append(name.replace(node.qualified, node.name, 1))
    names = {name}
    return Agency(
        id=stable_id(AGENCY_PREFIX, name),
        name=name,
        kind="agency",
        short_names=tuple(s for s in dict.fromkeys(short) if s not in names),
        aliases=tuple(a for a in dict.fromkeys(aliases) if a not in names and a not in short),
        jurisdiction=node.name,
        level=node.level,
        parent=parent,
        counterpart=counterpart,
        generated=True,
    )


def spelled_name(dept: Department, node: Jurisdiction, key: str) -> str | None:
    """The official name pattern of ``dept`` that the name ``key`` (a :func:`name_key`)
    spells at ``node``, when it is not the level's own: None for the level's name and
    its abbreviations in ``short``.

    >>> water = Department("water", {"province": "{j}水利厅", "municipality": "{j}水务局",
    ...                    "default": "{j}水利局"}, ("{p}水利局",), (), None, None,
    ...                    frozenset(LEVELS), Path("x"))
    >>> haidian = Jurisdiction("海淀区", "county", "北京市", code="110108", kind="市辖区",
    ...                        full_name="北京市海淀区")
    >>> spelled_name(water, haidian, name_key("区水务局")), spelled_name(water, haidian, name_key("区水利局"))
    ('{j}水务局', None)
    """
    own = _pattern(dept, node)
    word = level_word(node.name)
    for pattern, form in dept.spelled():
        if pattern == own:
            continue
        marker = next((m for m in ("{p}", "{j}") if m in form), None)
        if marker is None:
            continue
        for filler in dict.fromkeys((word, node.qualified, node.name)):
            if name_key(form.replace(marker, filler)) == key:
                return pattern
    return None


def _split(pattern: str, marker: str) -> tuple[str, str] | None:
    if pattern.count(marker) != 1:
        return None
    before, after = pattern.split(marker)
    return name_key(before), name_key(after)


@dataclass
class DepartmentTable:
    """Department templates indexed by the text around the jurisdiction in their names:
    ``(before, after)`` for ``{p}`` (relative: 市发改委), ``{j}`` (absolute:
    无锡市发改委, 无锡市发展和改革委员会) and ``{s}`` (short: 江苏金融监管局)."""

    departments: dict[str, Department] = field(default_factory=dict)
    relative: dict[tuple[str, str], list[Department]] = field(default_factory=dict)
    absolute: dict[tuple[str, str], list[Department]] = field(default_factory=dict)
    short: dict[tuple[str, str], list[Department]] = field(default_factory=dict)
    befores: tuple[str, ...] = ("",)
    # how official names are commonly shortened (``abbreviations:``): (pattern, replacement)
    rules: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    def read_rule(self, entry: dict[str, Any], path: Path) -> None:
        check_fields(entry, _ABBREVIATION_FIELDS, path, f"abbreviation {entry.get('pattern')!r}")
        pattern = text(entry.get("pattern"), path, "abbreviations: pattern")
        replace = entry.get("replace")
        if not isinstance(replace, str):
            raise fail(path, f"abbreviation {pattern!r}: replace must be a string (may be empty)")
        self.rules.append((compile_pattern(pattern, path, "abbreviations"), replace))

    def abbreviate(self, pattern: str) -> list[str]:
        """The relative forms (``{p}…``) the abbreviation rules make of an official name
        pattern that begins with its jurisdiction (``{j}…`` or ``中共{j}…``), each rule
        applied or not, in order: '{j}规划和自然资源委员会' → '{p}规划自然资源委员会',
        '{p}规划自然资源委', '{p}规划和自然资源委'."""
        head = next((h for h in ("{j}", "中共{j}") if pattern.startswith(h)), None)
        if head is None or pattern.count("{") != 1:
            return []
        forms = [pattern[len(head) :]]
        for rule, replace in self.rules:
            forms += [made for form in forms if (made := rule.sub(replace, form)) != form]
        forms = [f for f in dict.fromkeys(forms[1:]) if len(f) > 1 and head_word(f) is not None]
        return ["{p}" + f for f in forms]

    def read(self, entry: dict[str, Any], path: Path, order: int) -> None:
        where = f"department {entry.get('id')!r}"
        check_fields(entry, _DEPARTMENT_FIELDS, path, where)
        dept_id = text(entry.get("id"), path, "departments: id")
        raw = entry.get("name")
        if isinstance(raw, str):
            names = {"default": text(raw, path, f"{dept_id}: name")}
        elif isinstance(raw, dict) and raw:
            bad = sorted(set(map(str, raw)) - set(_NAME_LEVELS))
            if bad:
                raise fail(path, f"{dept_id}: name levels must be among {', '.join(_NAME_LEVELS)}, not {bad}")
            names = {str(k): text(v, path, f"{dept_id}: name.{k}") for k, v in raw.items()}
        else:
            raise fail(path, f"{dept_id}: name must be a pattern or a mapping of level → pattern")
        for pattern in names.values():
            if "{j}" not in pattern and "{s}" not in pattern:
                raise fail(path, f"{dept_id}: the name pattern {pattern!r} needs {{j}} or {{s}}")
        short = texts(entry.get("short"), path, f"{dept_id}: short")
        aliases = texts(entry.get("aliases"), path, f"{dept_id}: aliases")
        for form in (*short, *aliases):
            if not any(m in form for m in ("{p}", "{j}", "{s}")):
                raise fail(path, f"{dept_id}: {form!r} needs {{p}}, {{j}} or {{s}}")
        official: list[tuple[str, tuple[str, ...]]] = []
        raw_official = entry.get("official") or {}
        if not isinstance(raw_official, dict):
            raise fail(path, f"{dept_id}: official must map a name pattern to a list of its abbreviations")
        for pattern, forms in raw_official.items():
            pattern = text(pattern, path, f"{dept_id}: official")
            if "{j}" not in pattern:
                raise fail(path, f"{dept_id}: the official name {pattern!r} needs {{j}}")
            abbreviations = texts(forms, path, f"{dept_id}: official {pattern}")
            for form in abbreviations:
                if not any(m in form for m in ("{p}", "{j}")):
                    raise fail(path, f"{dept_id}: {form!r} needs {{p}} or {{j}}")
            official.append((pattern, tuple(abbreviations)))
        given = texts(entry.get("levels"), path, f"{dept_id}: levels")
        if any(level not in LEVELS for level in given):
            raise fail(path, f"{dept_id}: levels must be among {', '.join(LEVELS)}")
        implied = {"province" if k == "municipality" else "county" if k == "district" else k for k in names}
        levels = frozenset(given) if given else frozenset(LEVELS if "default" in names else implied)
        self.departments[dept_id] = Department(
            dept_id,
            names,
            tuple(short),
            tuple(aliases),
            opt_text(entry.get("national"), path, f"{dept_id}: national"),
            opt_text(entry.get("parent"), path, f"{dept_id}: parent"),
            levels,
            path,
            order,
            tuple(official),
        )

    def finish(self) -> None:
        """Index the templates; a form two templates claim at one level is an error."""
        relative: dict[tuple[str, str], list[Department]] = {}
        absolute: dict[tuple[str, str], list[Department]] = {}
        short: dict[tuple[str, str], list[Department]] = {}

        def add(
            table: dict[tuple[str, str], list[Department]], parts: tuple[str, str] | None, dept: Department
        ) -> None:
            if parts is not None and dept not in table.setdefault(parts, []):
                table[parts].append(dept)

        self._derive()
        for dept in self.departments.values():
            if dept.parent is not None and dept.parent not in self.departments:
                raise fail(dept.source, f"{dept.id}: parent {dept.parent!r} is not a department id")
            spelled = (f for _, f in dept.spelled())
            for pattern in (*spelled, *dept.short, *dept.aliases):
                markers = [m for m in ("{j}", "{p}", "{s}") if m in pattern]
                if len(markers) != 1:
                    continue  # '中共{j}委{p}级机关工作委员会' is found through its short names
                (marker,) = markers
                if marker == "{s}":
                    add(short, _split(pattern, "{s}"), dept)
                    continue
                # '{j}教育局' is also '{p}教育局', and '{p}发改委' also '{j}发改委' (无锡市发改委)
                add(absolute, _split(pattern.replace(marker, "{j}"), "{j}"), dept)
                add(relative, _split(pattern.replace(marker, "{p}"), "{p}"), dept)
        for table in (relative, absolute, short):
            for (before, after), depts in table.items():
                for level in LEVELS:
                    owners = [d for d in depts if level in d.levels]
                    if len({d.id for d in owners}) > 1:
                        names = " and ".join(sorted(d.id for d in owners))
                        raise fail(owners[-1].source, f"{before}…{after!r} is given to both {names} ({level})")
        self.relative, self.absolute, self.short = relative, absolute, short
        self.befores = tuple(sorted({b for b, _ in (*relative, *absolute, *short)}, key=lambda b: (len(b), b)))

    def _derive(self) -> None:
        """Add to each official name the abbreviations the rules make of it, where no other
        department's forms (written or made) at one of its levels are the same: a form the
        files write wins, and one two departments would both make is given to neither."""
        written: dict[str, list[Department]] = {}
        for dept in self.departments.values():
            for form in (*(f for _, f in dept.spelled()), *dept.short, *dept.aliases):
                written.setdefault(form.replace("{j}", "{p}"), []).append(dept)
        made: dict[str, list[tuple[Department, str]]] = {}
        for dept in self.departments.values():
            for pattern in dept.patterns():
                for form in self.abbreviate(pattern):
                    made.setdefault(form, []).append((dept, pattern))
        derived: dict[str, dict[str, list[str]]] = {}
        for form, owners in made.items():
            ids = {d.id for d, _ in owners}
            if len(ids) > 1:
                continue
            dept = owners[0][0]
            if any(o.id != dept.id and o.levels & dept.levels for o in written.get(form, ())):
                continue
            if dept in written.get(form, ()):  # already written: what the files say stands
                continue
            for _, pattern in owners[:1]:
                derived.setdefault(dept.id, {}).setdefault(pattern, []).append(form)
        for dept_id, by_pattern in derived.items():
            dept = self.departments[dept_id]
            official = dict(dept.official)
            for pattern, forms in by_pattern.items():
                official[pattern] = (*official.get(pattern, ()), *forms)
            self.departments[dept_id] = dataclasses.replace(dept, official=tuple(official.items()))

    def at(
        self, parts: tuple[str, str], table: dict[tuple[str, str], list[Department]], node: Jurisdiction
    ) -> Department | None:
        """The template of ``table`` with these parts that has a department at ``node``."""
        for dept in table.get(parts, ()):
            if _pattern(dept, node) is not None:
                return dept
        return None


# ---------------------------------------------------------------------------- the index


class Index:
    """What the registry files say, indexed for resolution; ``Index()`` is empty.

    Built by :meth:`build` (the registry's :meth:`~Registry.load` calls it)."""

    def __init__(self) -> None:
        self.tree = DivisionTree()
        self.departments = DepartmentTable()
        self._agencies: dict[str, Agency] = {}  # canonical name → agency
        self._groups: dict[str, Agency] = {}  # canonical name → registered group
        self._by_id: dict[str, Agency] = {}
        self._by_key: dict[str, Agency] = {}  # name_key(canonical name) → entity
        self._absolute: dict[str, list[str]] = {}  # key → canonical names
        self._relative: dict[str, dict[str, str]] = {}  # key → jurisdiction → canonical name
        self._group_short: dict[tuple[str, str], str] = {}  # (key, jurisdiction) → group name
        self._group_rules: dict[str, list[tuple[tuple[re.Pattern[str], ...], str]]] = {}
        self._templates: dict[str, list[_Template]] = {}  # level or "any" → templates
        self._generic: list[re.Pattern[str]] = []
        self._dynamic: dict[str, Agency] = {}  # id → groups made on the fly
        self._claims: dict[tuple[str, str], str] = {}  # (department id, jurisdiction) → registered agency
        self._search_forms: list[tuple[Agency, tuple[str, ...]]] = []

    def __iter__(self) -> Iterator[Agency]:
        """Every registered agency, then every registered group."""
        yield from self._agencies.values()
        yield from self._groups.values()

    def build(self, docs: list[tuple[Path, dict[str, Any]]], divisions: Any = DIVISIONS) -> None:
        self.tree = DivisionTree.build(docs, divisions)
        records: dict[str, _Record] = {}
        generic: list[re.Pattern[str]] = []
        departments = DepartmentTable()
        for order, (path, data) in enumerate(docs):
            defaults = data.get("defaults") or {}
            if not isinstance(defaults, dict):
                raise fail(path, "`defaults` must be a mapping")
            check_fields(defaults, _DEFAULT_FIELDS, path, "defaults")
            default_jurisdiction = opt_text(defaults.get("jurisdiction"), path, "defaults.jurisdiction")
            for entry in entries(data, "agencies", path):
                self._read_entry(records, entry, "agency", path, order, default_jurisdiction)
            for entry in entries(data, "groups", path):
                self._read_entry(records, entry, "group", path, order, default_jurisdiction)
            for pattern in texts(data.get("generic"), path, "generic"):
                generic.append(compile_pattern(pattern, path, "generic"))
            for entry in entries(data, "departments", path):
                departments.read(entry, path, order)
            for entry in entries(data, "abbreviations", path):
                departments.read_rule(entry, path)
        departments.finish()
        self.departments = departments
        self._generic = generic[::-1]  # later files first
        self._finish(records)
        for dept in departments.departments.values():
            if dept.national is not None and self._match_agency(name_key(dept.national), None, ())[0] is None:
                raise fail(dept.source, f"{dept.id}: national {dept.national!r} is not a registered agency")

    def _read_entry(
        self,
        records: dict[str, _Record],
        entry: dict[str, Any],
        kind: str,
        path: Path,
        order: int,
        default_jurisdiction: str | None,
    ) -> None:
        allowed = _AGENCY_FIELDS if kind == "agency" else _GROUP_FIELDS
        section = "agencies" if kind == "agency" else "groups"
        name = text(entry.get("name"), path, f"{section}: name")
        check_fields(entry, allowed, path, name)
        key = name_key(name)
        rec = records.get(key)
        if rec is not None and rec.kind != kind:
            raise fail(path, f"{name}: already registered as {'an agency' if rec.kind == 'agency' else 'a group'}")
        if rec is not None and rec.order == order:
            raise fail(path, f"{name}: listed twice in this file")
        if rec is None or entry.get("replace"):
            rec = _Record(
                kind=kind,
                name=name,
                source=path,
                order=order,
                created=order,
                jurisdiction=default_jurisdiction,
            )
            records[key] = rec
        rec.source, rec.order = path, order
        if entry.get("id") is not None:
            rec.id = text(entry["id"], path, f"{name}: id")
        if "jurisdiction" in entry:
            rec.jurisdiction = opt_text(entry["jurisdiction"], path, f"{name}: jurisdiction")
        if "level" in entry:
            rec.level = opt_text(entry["level"], path, f"{name}: level")
        for form in texts(entry.get("short"), path, f"{name}: short"):
            rec.short[form] = order
        if kind == "agency":
            for form in texts(entry.get("aliases"), path, f"{name}: aliases"):
                rec.aliases[form] = order
            if "parent" in entry:
                rec.parent = opt_text(entry["parent"], path, f"{name}: parent")
            if "counterpart" in entry:
                rec.counterpart = opt_text(entry["counterpart"], path, f"{name}: counterpart")
            if "dissolved" in entry:
                rec.dissolved = opt_text(str(entry["dissolved"]), path, f"{name}: dissolved")
            if "successor" in entry:
                rec.successor = opt_text(entry["successor"], path, f"{name}: successor")
            return
        for pattern in texts(entry.get("patterns"), path, f"{name}: patterns"):
            compile_pattern(pattern, path, name)
            rec.patterns.append(pattern)
        rec.members += texts(entry.get("members"), path, f"{name}: members")
        if "scope" in entry:
            scopes = tuple(texts(entry["scope"], path, f"{name}: scope"))
            bad = [s for s in scopes if s not in (*LEVELS, SCOPE_ANY)]
            if bad or not scopes:
                raise fail(path, f"{name}: scope must be one or more of {', '.join((*LEVELS, SCOPE_ANY))}")
            if "{j}" not in name:
                raise fail(path, f"{name}: a template group (with `scope`) needs {{j}} in its name")
            rec.scopes = scopes
            rec.jurisdiction = None

    def _canonical_jurisdiction(self, rec: _Record) -> str | None:
        if rec.jurisdiction is None:
            return None
        found = self.tree.find(rec.jurisdiction)
        name = found.name if found is not None else None
        if name is None:
            raise fail(rec.source, f"{rec.name}: unknown jurisdiction {rec.jurisdiction!r} (add it to jurisdictions)")
        return name

    def _finish(self, records: dict[str, _Record]) -> None:
        agencies = [r for r in records.values() if r.kind == "agency"]
        groups = [r for r in records.values() if r.kind == "group"]
        for rec in records.values():
            rec.jurisdiction = self._canonical_jurisdiction(rec)
            if rec.kind == "group" and not rec.scopes and rec.jurisdiction is None:
                raise fail(rec.source, f"{rec.name}: a group needs a jurisdiction (or a template `scope`)")
            if rec.kind == "agency" and rec.jurisdiction is None:
                raise fail(rec.source, f"{rec.name}: no jurisdiction (give one, or `defaults: {{jurisdiction: …}}`)")
            if rec.level is None and (node := self.tree.get(rec.jurisdiction)) is not None:
                rec.level = node.level
            if rec.level is not None and rec.level not in LEVELS:
                raise fail(rec.source, f"{rec.name}: level must be one of {', '.join(LEVELS)}, not {rec.level!r}")

        # ---- name forms of agencies: who owns which key
        canon: dict[str, _Record] = {name_key(r.name): r for r in agencies}
        claims: dict[tuple[str, str, str | None], list[tuple[int, _Record, str, str]]] = {}
        for rec in agencies:
            for kind_, forms in (("short", rec.short), ("alias", rec.aliases)):
                for form, order in list(forms.items()):
                    key = name_key(form)
                    other = canon.get(key)
                    if other is not None and other is not rec:
                        if other.created > order:  # a later file made it the name of a new agency
                            del forms[form]
                            continue
                        raise fail(rec.source, f"{rec.name}: {form!r} is the name of {other.name}")
                    rel = self._is_relative(form, rec)
                    slot = ("rel" if rel else "abs", key, rec.jurisdiction)
                    claims.setdefault(slot, []).append((order, rec, kind_, form))
        for claimants in claims.values():
            owners = {id(c[1]) for c in claimants}
            if len(owners) < 2:
                continue
            top = max(c[0] for c in claimants)
            winners = [c for c in claimants if c[0] == top]
            if len({id(c[1]) for c in winners}) > 1:
                both = " and ".join(sorted({c[1].name for c in winners}))
                raise fail(winners[0][1].source, f"{winners[0][3]!r} is given to both {both}")
            for _order, rec, kind_, form in claimants:
                if rec is not winners[0][1]:
                    (rec.short if kind_ == "short" else rec.aliases).pop(form, None)

        # ---- freeze agencies (links resolved below) and index them
        absolute: dict[str, list[str]] = {}
        relative: dict[str, dict[str, str]] = {}
        frozen: dict[str, Agency] = {}
        for rec in agencies:
            jur = rec.jurisdiction
            assert jur is not None
            aliases = list(rec.aliases)
            for form in rec.short:
                key = name_key(form)
                if self._is_relative(form, rec):
                    relative.setdefault(key, {})[jur] = rec.name
                else:
                    absolute.setdefault(key, []).append(rec.name)
            for form in rec.aliases:
                absolute.setdefault(name_key(form), []).append(rec.name)
            absolute.setdefault(name_key(rec.name), []).append(rec.name)
            # The canonical name read relative to its jurisdiction is a short name too:
            # 浙江省住房和城乡建设厅 is 省住房和城乡建设厅 in a Zhejiang document.
            node = self.tree.get(jur)
            level = node.level if node is not None else None
            if level not in (None, Level.NATIONAL) and rec.name.startswith(jur) and len(rec.name) > len(jur) + 1:
                relative.setdefault(name_key(jur[-1:] + rec.name[len(jur) :]), {}).setdefault(jur, rec.name)
            frozen[rec.name] = Agency(
                id=rec.id or stable_id(AGENCY_PREFIX, rec.name),
                name=rec.name,
                kind="agency",
                short_names=tuple(rec.short),
                aliases=tuple(aliases),
                jurisdiction=jur,
                level=rec.level,
                parent=None,
                counterpart=None,
            )
        # derived aliases: 省大数据局 → 浙江省大数据局, 市发改委 → 绍兴市发改委
        for rec in agencies:
            jur = rec.jurisdiction
            assert jur is not None
            derived = []
            for form in rec.short:
                if self._is_relative(form, rec):
                    alias = jur + normalise(form)[1:]
                    key = name_key(alias)
                    if key not in absolute and key not in canon:
                        absolute[key] = [rec.name]
                        derived.append(alias)
            if derived:
                old = frozen[rec.name]
                frozen[rec.name] = dataclasses.replace(old, aliases=tuple(dict.fromkeys((*old.aliases, *derived))))
        for names in absolute.values():
            names[:] = list(dict.fromkeys(names))
        self._agencies = frozen
        self._absolute = absolute
        self._relative = relative

        # ---- parents and counterparts
        for rec in agencies:
            parent = self._link(rec.parent, rec, "parent") if rec.parent is not None else None
            counterpart = self._link(rec.counterpart, rec, "counterpart") if rec.counterpart is not None else None
            successor = self._link(rec.successor, rec, "successor") if rec.successor is not None else None
            if rec.dissolved is not None or parent is not None or counterpart is not None or successor is not None:
                self._agencies[rec.name] = dataclasses.replace(
                    self._agencies[rec.name],
                    dissolved=rec.dissolved,
                    parent=parent,
                    counterpart=counterpart,
                    successor=successor,
                )

        # ---- groups
        group_claims: dict[tuple[str, str], list[tuple[int, _Record, str]]] = {}
        for rec in groups:
            for form, order in rec.short.items():
                if rec.jurisdiction is not None:
                    group_claims.setdefault((name_key(form), rec.jurisdiction), []).append((order, rec, form))
        group_short: dict[tuple[str, str], str] = {}
        for group_slot, group_claimants in group_claims.items():
            top = max(c[0] for c in group_claimants)
            group_winners = {id(c[1]): c for c in group_claimants if c[0] == top}
            if len(group_winners) > 1:
                both = " and ".join(sorted(c[1].name for c in group_winners.values()))
                raise fail(group_claimants[-1][1].source, f"{group_claimants[-1][2]!r} is given to both {both}")
            [(_, winner, _)] = group_winners.values()
            group_short[group_slot] = winner.name
            for _order, rec, form in group_claimants:
                if rec is not winner:
                    rec.short.pop(form, None)
        rules: dict[str, list[tuple[int, tuple[re.Pattern[str], ...], str]]] = {}
        templates: dict[str, list[tuple[int, _Template]]] = {}
        group_entities: dict[str, Agency] = {}
        for rec in groups:
            if name_key(rec.name) in canon:
                raise fail(rec.source, f"{rec.name}: already the name of an agency")
            patterns = tuple(re.compile(p) for p in rec.patterns)
            if rec.scopes:
                tpl = _Template(rec.name, rec.level, frozenset(name_key(f) for f in rec.short), patterns)
                for scope in rec.scopes:
                    templates.setdefault(scope, []).append((rec.order, tpl))
                continue
            jur = rec.jurisdiction
            assert jur is not None
            rules.setdefault(jur, []).append((rec.order, patterns, rec.name))
            members = tuple(dict.fromkeys(self._link(m, rec, "member") for m in rec.members))
            group_entities[rec.name] = Agency(
                id=rec.id or stable_id(GROUP_PREFIX, rec.name),
                name=rec.name,
                kind="group",
                short_names=tuple(rec.short),
                aliases=(),
                jurisdiction=jur,
                level=rec.level,
                parent=None,
                counterpart=None,
                members=members,
            )
        self._groups = group_entities
        self._group_short = group_short
        # later files first, so that user files win over the shipped patterns
        self._group_rules = {j: [(p, n) for _, p, n in sorted(v, key=lambda t: -t[0])] for j, v in rules.items()}
        self._templates = {s: [t for _, t in sorted(v, key=lambda t: -t[0])] for s, v in templates.items()}

        # ---- lookups by id / canonical name, search forms
        self._by_id = {}
        self._by_key = {}
        for entity in (*self._agencies.values(), *self._groups.values()):
            holder = self._by_id.get(entity.id)
            if holder is not None:
                src = records[name_key(entity.name)].source
                raise fail(src, f"{entity.name}: id {entity.id} is already used by {holder.name}")
            self._by_id[entity.id] = entity
            self._by_key[name_key(entity.name)] = entity
        self._search_forms = [(e, tuple(dict.fromkeys([*(name_key(n) for n in e.names), e.id.lower()]))) for e in self]
        self._forget_derived()

    def _forget_derived(self) -> None:
        """Drop what was worked out from the previous build (the registry adds its resolution cache)."""
        self._dynamic.clear()

    def _is_relative(self, form: str, rec: _Record) -> bool:
        """A short name is relative when it starts with its jurisdiction's suffix
        (省 for 浙江省, 市 for 绍兴市, 区 for 越城区 …) below the national level."""
        if rec.jurisdiction is None or rec.level == Level.NATIONAL:
            return False
        jurisdiction = self.tree.get(rec.jurisdiction)
        if jurisdiction is None or jurisdiction.level == Level.NATIONAL:
            return False
        return normalise(form)[:1] == rec.jurisdiction[-1:]

    def _link(self, value: str, rec: _Record, what: str) -> str:
        agency, _ = self._match_agency(name_key(value), rec.jurisdiction, self.tree.chain(rec.jurisdiction))
        if agency is None:
            raise fail(rec.source, f"{rec.name}: {what} {value!r} is not a registered agency")
        return agency.name

    def _target(self, prefix: str, j: str | None, chain: tuple[str, ...]) -> str | None:
        """The jurisdiction a relative name beginning with ``prefix`` refers to in a
        document of ``j``: 省 → the province, 市 → the nearest …市, 区 / 县 / 州 / 盟 /
        旗 / 自治区 → the nearest one of those.  None when the document has no such
        jurisdiction above it (a provincial document's 市…) or its jurisdiction is
        unknown."""
        if j is None or self.tree.get(j) is None:
            return None
        if prefix == "省":
            return self.tree.at_level(j, Level.PROVINCE)
        for node in chain:
            info = self.tree.get(node)
            if info is not None and info.level != Level.NATIONAL and node.endswith(prefix):
                return node
        return None

    def _match_agency(
        self, key: str, j: str | None, chain: tuple[str, ...]
    ) -> tuple[Agency | None, tuple[Agency, ...]]:
        names = self._absolute.get(key)
        if names:
            agencies = [self._agencies[n] for n in names]
            if len(agencies) == 1:
                return agencies[0], (agencies[0],)
            rank = {node: i for i, node in enumerate(chain)}
            ranked = sorted(agencies, key=lambda a: rank.get(a.jurisdiction or "", len(rank)))
            first = rank.get(ranked[0].jurisdiction or "", len(rank))
            if first < len(rank) and rank.get(ranked[1].jurisdiction or "", len(rank)) > first:
                return ranked[0], (ranked[0],)
            return None, tuple(ranked)
        by_jurisdiction = self._relative.get(key)
        if by_jurisdiction:
            target = self._target(key[0], j, chain)
            if target is not None:
                name = by_jurisdiction.get(target)
                if name is None:  # e.g. 市大数据局 in a Hangzhou document: not registered
                    return None, ()
                agency = self._agencies[name]
                return agency, (agency,)
            candidates = tuple(self._agencies[n] for n in by_jurisdiction.values())
            if j is None and key[0] == "省" and len(candidates) == 1:
                return candidates[0], candidates
            return None, candidates
        return None, ()
