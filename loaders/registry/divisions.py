"""The jurisdiction tree: every province, prefecture city and county of China (from the
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

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutygraph.loaders.names import name_key, normalise
from dutygraph.model import Level

from .files import DIVISIONS, Division, check_fields, entries, fail, opt_text, read_divisions, text, texts
from .model import LEVELS, Jurisdiction

__all__ = ["DivisionTree", "level_word"]

_FIELDS = frozenset({"name", "level", "parent", "aliases", "note"})
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
    """Jurisdictions by name, with their chains and the names that point at them."""

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
                check_fields(entry, _FIELDS, path, where)
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
