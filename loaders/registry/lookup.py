"""The registry: which body a unit's name means in a document of a given jurisdiction.

:class:`Registry` answers, with the indexes :mod:`.build` makes from the files:

* :meth:`Registry.resolve` — which agency does ``省大数据局`` in a document of
  ``绍兴市`` mean?  (浙江省大数据发展管理局; ``市大数据局`` there is 绍兴市大数据发展管理局;
  ``市发改委`` in a 无锡市 document is 无锡市发展和改革委员会, a standard department)
* :meth:`Registry.search` — which agencies have a name containing ``大数据``?
* :meth:`Registry.jurisdiction` / :meth:`Registry.province_of` / :meth:`Registry.city_of`
  — where does a jurisdiction sit in the tree 中国 → 浙江省 → 绍兴市 → 柯桥区?

Resolution rules (see :meth:`Registry.resolve`):

1. the surface is normalised (:func:`~dutygraph.loaders.names.name_key`): traditional →
   simplified, full-width → half-width, 〔〕［］【】 → (), whitespace and quotes removed;
2. a short name beginning with 省 means the body of the document's province, one
   beginning with 市 the body of the document's city (区 / 县 / 州 / 盟 / 旗 likewise);
   in a document above that level (市X in a provincial document) the name is ambiguous;
3. other names (canonical names, aliases such as 浙江省税务局 or 杭州海关) mean the same
   body everywhere; if several bodies share one, the document's jurisdiction chain
   decides;
4. registered bodies (the YAML files) win; then the standard departments of the
   jurisdiction the name points at, made from the templates (省发改委 in a 江苏省
   document → 江苏省发展和改革委员会; 区教育局 in a 南京市江宁区 document →
   南京市江宁区教育局); a registered body of that jurisdiction that is one of the
   templates' departments (绍兴市文化广电旅游局) stands for it;
5. collective units (各设区市政府, 市政府有关部门, …成员单位) resolve to a group
   (``Resolution.group``), scoped by jurisdiction; one that matches only a generic
   pattern becomes a group named by its own normalised surface, so it is never lost;
6. ``X(Y)`` resolves through X, else through Y (``市委宣传部(市新闻出版局)``);
7. a trailing 等 is ignored;
8. the head noun written wins over the template: a name ending in 局 / 厅 never resolves to
   a department whose name ends in 委员会, nor one ending in 委 to a 局 (重庆 ``市科技局`` is
   重庆市科学技术局, although the template gives a municipality a 科学技术委员会); the
   department's official name with that head is used, else none;
9. ``市党委…`` / ``州党委…`` is the ``市委…`` / ``州委…`` of the document;
10. a collective with a level word and 级 / 直 (``省直有关部门``, ``区级各部门``) or after 全
    (``全市各部门``) is that jurisdiction's: its group, else a group named with the
    jurisdiction in place of the level word (河北省有关部门).

A name none of these know stays unresolved here; the resolve stage
(:mod:`dutygraph.loaders.resolve`) qualifies it by the document's jurisdiction.

Example:

>>> reg = Registry.load()
>>> reg.resolve("省大數據局", "绍兴市").agency.name
'浙江省大数据发展管理局'
>>> reg.resolve("市大数据局", "绍兴市").agency.name
'绍兴市大数据发展管理局'
>>> r = reg.resolve("市大数据局", "浙江省")
>>> r.resolved, [a.name for a in r.candidates]
(False, ['绍兴市大数据发展管理局'])
>>> r = reg.resolve("各区、县〔市〕政府", "绍兴市")
>>> r.group, r.agency.name, len(r.agency.members)
(True, '绍兴市各区、县(市)人民政府', 6)
>>> reg.resolve("市发改委", "无锡市").agency.name
'无锡市发展和改革委员会'
>>> reg.resolve("区教育局", "江宁区").agency.name
'南京市江宁区教育局'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from dutygraph.loaders.names import name_key, normalise
from dutygraph.model import Agency, Jurisdiction, Level, Resolution, stable_id

from .build import (
    DIVISIONS,
    GROUP_PREFIX,
    SCOPE_ANY,
    Department,
    Index,
    _pattern,
    _Template,
    department_level,
    expand,
    head_word,
    make_department,
    read_yaml,
    shipped_files,
    spelled_name,
)

__all__ = ["Registry"]

_CACHE_LIMIT = 200_000
_BRACKETED = re.compile(r"\(([^()]*)\)")
_WORDS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "省", "市", "区", "县", "州", "盟", "旗")
# Names that begin with a level word without being relative: 市场监管…, 区域…, 省级…, 市直…
_NOT_RELATIVE = re.compile(r"^(市场|区域|区块|县域|[省市区县州](级|直|属|内|外))")
# A collective unit whose level word carries 级 / 直 (省直有关部门, 区级各部门, 市直各单位) or
# follows 全 (全市各部门) names the bodies of that jurisdiction: the word and its 级 / 直 /
# 全 stand for the jurisdiction, whose name replaces them (河北省有关部门, not
# 河北省省直有关部门).  直属 is a word of its own and stays (省直属各单位 → 河北省直属各单位).
_LEVELLED = re.compile(r"^(?:全(自治区|省|市|区|县|州|盟|旗)|(自治区|省|市|区|县|州|盟|旗)(级|直(?!属)|(?=直属)))")


# 市党委 / 州党委 / 区党委 …: the party committee a plan's own 市委 / 州委 / 区委 names
_PARTY_COMMITTEE = re.compile(r"^(自治区|自治州|自治县|自治旗|省|市|区|县|州|盟|旗)党委(?!员)")
_PARTY_AFTER_PLACE = re.compile(r"(?<=[省市区县州盟旗])党委(?!员)")
# what follows a relative 市委 / 州党委 in the name of one of the committee's bodies (市委巡察办);
# not another body (市委市政府, 区委区政府: two bodies written as one) nor 委员 / 委托
_PARTY_BODY = re.compile(r"党?委(?!员|托|派|(自治区|自治州|省|市|区|县|州|盟|旗)(人民)?政府)(?=.)")


class Registry(Index):
    """Agencies, groups and jurisdictions, with a fast resolver.

    Build it with :meth:`load`; ``Registry()`` is an empty registry.

    >>> reg = Registry.load()
    >>> reg.get("浙江省发展和改革委员会").short_names
    ('省发展改革委', '省发改委')
    >>> reg.get("浙江省人民政府督查室").parent
    '浙江省人民政府办公厅'
    >>> reg.province_of("柯桥区"), reg.city_of("柯桥区")
    ('浙江省', '绍兴市')
    >>> reg.get("江苏省发展和改革委员会").generated
    True
    """

    def __init__(self) -> None:
        super().__init__()
        self._cache: dict[tuple[str, str | None], Resolution] = {}
        # (department id, jurisdiction, official name pattern written or "") → body
        self._generated: dict[tuple[str, str, str], Agency | None] = {}
        self._generated_by: dict[str, Agency] = {}  # id and name_key of a generated body → body
        self._surface_groups: set[str] = set()  # ids of groups named by their surface (…成员单位)
        self.fingerprint = ""

    def _forget_derived(self) -> None:
        # A rebuilt index answers differently: resolutions cached from the old one would be stale.
        super()._forget_derived()
        self._cache.clear()

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, extra: Iterable[Path | str] = (), *, divisions: Path | None = DIVISIONS) -> Registry:
        """The shipped registry plus ``extra`` files or folders (every ``*.yaml`` /
        ``*.yml`` in a folder, recursively, in name order), read after the shipped
        files so that they add or override entries.  ``divisions`` is the division
        table the department templates apply to (None: only the YAML jurisdictions).

        Raises ValueError naming the file and the reason when a file cannot be read,
        is not valid YAML, or holds an invalid entry.
        """
        paths = [*shipped_files(), *expand(extra)]
        docs = [(path, read_yaml(path)) for path in paths]
        registry = cls()
        registry.build(docs, divisions)
        registry._claim()
        # Stored documents remember the registry they were resolved with, so that
        # an edited registry makes the next load re-resolve them.
        digest = hashlib.sha256()
        for path in [*paths, *([divisions] if divisions else [])]:
            digest.update(path.read_bytes())
        registry.fingerprint = digest.hexdigest()
        return registry

    def _claim(self) -> None:
        """Registered bodies that are one of the templates' departments of their
        jurisdiction stand for it (绍兴市教育局 is the 教育局 of 绍兴市)."""
        claims: dict[tuple[str, str], str] = {}
        for agency in self._agencies.values():
            j = agency.jurisdiction
            node = self.tree.get(j)
            if node is None or node.level == Level.NATIONAL:
                continue
            chain = self.tree.chain(j)
            for form in agency.names:
                found = self._parse_department(name_key(form), j, chain)
                if found is not None and found[1].name == j:
                    claims.setdefault((found[0].id, j), agency.name)
        self._claims = claims
        self._generated.clear()
        self._generated_by.clear()

    # ------------------------------------------------------------------ jurisdictions

    def jurisdiction(self, name: str | None) -> Jurisdiction | None:
        """The jurisdiction called ``name`` (any alias, either script), when the name
        stands for one jurisdiction.

        >>> reg = Registry.load()
        >>> reg.jurisdiction("紹興").name, reg.jurisdiction("江宁区").name
        ('绍兴市', '南京市江宁区')
        >>> reg.jurisdiction("鼓楼区") is None  # a district of 南京, 福州, 徐州 and 开封
        True
        """
        return self.tree.find(name)

    def level_of(self, name: str | None) -> str | None:
        """The level (province, city, county, national) of a jurisdiction, if known."""
        j = self.jurisdiction(name)
        return j.level if j else None

    def jurisdictions(self) -> list[Jurisdiction]:
        """Every jurisdiction."""
        return list(self.tree)

    def chain(self, name: str | None) -> tuple[str, ...]:
        """The jurisdiction and its ancestors, nearest first; ``(name,)`` for an
        unknown name, ``()`` for None.

        >>> Registry.load().chain("柯桥区")
        ('柯桥区', '绍兴市', '浙江省', '中国')
        """
        info = self.jurisdiction(name)
        if info is None:
            return (normalise(name),) if name else ()
        return self.tree.chain(info)

    def province_of(self, name: str | None) -> str | None:
        """The province a jurisdiction lies in (itself for a province), else None.

        >>> Registry.load().province_of("绍兴市")
        '浙江省'
        """
        info = self.jurisdiction(name)
        return self.tree.at_level(info.name, Level.PROVINCE) if info else None

    def city_of(self, name: str | None) -> str | None:
        """The prefecture-level city a jurisdiction lies in (itself for a city), else
        None (for a province, or an unknown name).

        >>> reg = Registry.load()
        >>> reg.city_of("诸暨市"), reg.city_of("浙江省")
        ('绍兴市', None)
        """
        info = self.jurisdiction(name)
        return self.tree.at_level(info.name, Level.CITY) if info else None

    # ------------------------------------------------------------------ lookup

    def get(self, key: str) -> Agency | None:
        """The agency or group with this id or canonical name (either script); the
        standard departments too (江苏省发展和改革委员会).

        >>> reg = Registry.load()
        >>> reg.get("浙江省大数据发展管理局").id == reg.get(reg.get("浙江省大数据发展管理局").id).id
        True
        """
        entity = self._by_id.get(key) or self._dynamic.get(key) or self._agencies.get(key) or self._groups.get(key)
        if entity is None and key:
            k = name_key(key)
            entity = self._by_key.get(k) or self._generated_by.get(key) or self._generated_by.get(k)
            if entity is None:
                dept = self._department(k, None, ())
                if dept is not None and name_key(dept.name) == k:
                    entity = dept
        return entity

    def __len__(self) -> int:
        return len(self._agencies) + len(self._groups)

    def registered(self, agency: Agency) -> bool:
        """Whether the registry knows this body: an entry of its files, a standard
        department or a group of a template — not a group it named by the surface
        only because a generic pattern matched (省推进…工作领导小组成员单位)."""
        return agency.id not in self._surface_groups

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def agencies(self) -> list[Agency]:
        """Every registered agency (no groups, no generated departments)."""
        return list(self._agencies.values())

    def groups(self) -> list[Agency]:
        """Every registered group (templates and on-the-fly groups excluded)."""
        return list(self._groups.values())

    def departments_of(self, jurisdiction: str) -> list[Agency]:
        """The standard departments of a jurisdiction (registered bodies where they
        stand for one).

        >>> names = [a.name for a in Registry.load().departments_of("无锡市")]
        >>> "无锡市教育局" in names and "无锡市发展和改革委员会" in names
        True
        """
        node = self.jurisdiction(jurisdiction)
        if node is None:
            return []
        found = (self._department_of(d, node) for d in self.departments.departments.values())
        return list(dict.fromkeys(a for a in found if a is not None))

    def materialise(self) -> int:
        """Make every standard department of every jurisdiction now (they are
        otherwise made when first named) and return how many there are.  Search then
        covers them all.  ``benchmarks/bench_registry.py`` measures both ways."""
        return sum(len(self.departments_of(node.name)) for node in self.tree)

    def _generated_forms(self) -> list[tuple[Agency, tuple[str, ...]]]:
        made = [a for a in dict.fromkeys(self._generated.values()) if a is not None and a.generated]
        return [(a, tuple(dict.fromkeys([*(name_key(n) for n in a.names), a.id.lower()]))) for a in made]

    def search(self, q: str, limit: int = 20) -> list[Agency]:
        """Agencies and groups whose canonical name, short name, alias or id contains
        ``q`` (simplified or traditional).  Exact matches first, then prefixes, then
        other substrings; shorter names first within each.

        >>> [a.name for a in Registry.load().search("省大數據局")]
        ['浙江省大数据发展管理局']
        """
        key = name_key(q)
        if not key or limit <= 0:
            return []
        lowered = key.lower()
        scored: list[tuple[int, int, str, Agency]] = []
        for entity, forms in (*self._search_forms, *self._generated_forms()):
            best = 3
            for form in forms:
                if form in (key, lowered):
                    best = 0
                    break
                if best > 1 and (form.startswith(key) or form.startswith(lowered)):
                    best = 1
                elif best > 2 and (key in form or lowered in form):
                    best = 2
            if best < 3:
                scored.append((best, len(entity.name), entity.name, entity))
        scored.sort(key=lambda t: t[:3])
        return [t[3] for t in scored[:limit]]

    # ------------------------------------------------------------------ resolution

    def resolve(self, surface: str, jurisdiction: str | None = None) -> Resolution:
        """Resolve a unit as written in a document of ``jurisdiction``.

        >>> reg = Registry.load()
        >>> reg.resolve("浙江省税务局", "浙江省").agency.name
        '国家税务总局浙江省税务局'
        >>> reg.resolve("市税务局", "绍兴市").agency.name
        '国家税务总局绍兴市税务局'
        >>> reg.resolve("省级有关单位", "浙江省").group
        True
        >>> r = reg.resolve("不存在的单位", "浙江省")
        >>> r.resolved, r.group, r.candidates
        (False, False, ())
        """
        cache_key = (surface, jurisdiction)
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        result = self._resolve(surface, jurisdiction)
        self._cache[cache_key] = result
        return result

    def _resolve(self, surface: str, jurisdiction: str | None) -> Resolution:
        info = self.jurisdiction(jurisdiction)
        j = info.name if info else (normalise(jurisdiction) if jurisdiction else None)
        chain = self.chain(j)
        key = name_key(surface)
        if not key:
            return Resolution(surface, None, (), False)
        pending: tuple[Agency, ...] = ()
        for attempt in self._attempts(key):
            agency, candidates = self._match_agency(attempt, j, chain)
            if agency is None:
                agency = self._department(attempt, j, chain)
            if agency is not None:
                return Resolution(surface, agency, (agency,), False)
            group = self._match_group(attempt, j, chain)
            if group is not None:
                return Resolution(surface, group, (group,), True)
            if candidates and not pending:
                pending = candidates
        if pending:
            return Resolution(surface, None, pending, False)
        levelled = self._levelled(key, j, chain)
        if levelled is not None:
            rest, node = levelled
            group = self._match_group(rest, node.name, self.tree.chain(node), here=True)
            if group is not None:
                return Resolution(surface, group, (group,), True)
            if any(p.search(rest) for p in self._generic) or any(p.search(key) for p in self._generic):
                group = self._dynamic_group(normalise(surface), node.name)
                return Resolution(surface, group, (group,), True)
        if any(p.search(key) for p in self._generic):
            group = self._dynamic_group(normalise(surface), self._group_scope(key, j, chain) or j)
            return Resolution(surface, group, (group,), True)
        return Resolution(surface, None, (), False)

    @staticmethod
    def _attempts(key: str) -> Iterator[str]:
        """The keys to try, in order: the whole name (and 市委… for 市党委…), then for
        ``X(Y)`` X and Y, then the name without a trailing 等."""
        yield key
        tried = {key}
        # 州党委政法委 is the 州委政法委 (中共…州委政法委员会), 凉山州党委 the 凉山州委
        party = _PARTY_COMMITTEE.match(key)
        written = party.group(1) + "委" + key[party.end() :] if party else _PARTY_AFTER_PLACE.sub("委", key, 1)
        if written != key:
            key = written
            tried.add(key)
            yield key
        if "(" in key:
            outside = _BRACKETED.sub("", key)
            inside = [p for m in _BRACKETED.findall(key) for p in re.split(r"[、,;]", m)]
            for part in (outside, *inside):
                if part and part not in tried:
                    tried.add(part)
                    yield part
        if key.endswith("等") and len(key) > 1 and key[:-1] not in tried:
            yield from Registry._attempts(key[:-1])

    # ------------------------------------------------------------------ names the registry does not know

    def place(self, surface: str, jurisdiction: str | None) -> tuple[str, Jurisdiction] | None:
        """Where a name the registry does not know belongs, and its qualified name.

        A name beginning with a level word (省/市/区/县/州/盟/旗/自治区) belongs to the
        jurisdiction that word points at in a document of ``jurisdiction``, and the
        word is replaced by that jurisdiction's full name; a name beginning with a
        jurisdiction's name belongs to it.  None when neither applies or the word
        points nowhere (市大数据局 in a provincial document).

        >>> reg = Registry.load()
        >>> reg.place("市大數據局", "无锡市")
        ('无锡市大数据局', ...)
        >>> reg.place("无锡市大数据局", "江苏省")[0], reg.place("区数据中心", "江宁区")[0]
        ('无锡市大数据局', '南京市江宁区数据中心')
        >>> reg.place("市大数据局", "浙江省") is None, reg.place("市场主体服务中心", "无锡市") is None
        (True, True)
        """
        name = normalise(surface)
        info = self.jurisdiction(jurisdiction)
        j = info.name if info else None
        chain = self.tree.chain(info) if info else ()
        if not _NOT_RELATIVE.match(name):
            for word in _WORDS:
                if name.startswith(word) and len(name) > len(word) + 1:
                    target = self._target(word, j, chain)
                    node = self.tree.get(target) if target else None
                    if node is None:
                        return None
                    rest = name[len(word) :]
                    # the party committee's bodies are named 中共…委… (州党委巡察办, 县委巡察办 →
                    # 中共…县委巡察办), as the templates name the ones they know
                    party = _PARTY_BODY.match(rest)
                    if party is not None:
                        return f"中共{node.qualified}委{rest[party.end() :]}", node
                    return node.qualified + rest, node
        key = name_key(name)
        for before in ("", "中共", "共青团"):
            if key.startswith(before):
                for end, nodes in self.tree.prefixes(key, len(before)):
                    node = self._pick(nodes, j, chain)
                    if node is not None and end < len(key):
                        return name, node
        return None

    def jurisdiction_named(self, name: str, jurisdiction: str | None) -> Jurisdiction | None:
        """The jurisdiction a bare place name (延庆区, 鼓楼区, 凉山州) stands for in a document
        of ``jurisdiction``, else None (not a place, or several the document does not decide).

        >>> reg = Registry.load()
        >>> reg.jurisdiction_named("鼓楼区", "南京市").name, reg.jurisdiction_named("市发改委", "南京市")
        ('南京市鼓楼区', None)
        """
        names = self.tree.candidates(name)
        if not names:
            return None
        info = self.jurisdiction(jurisdiction)
        return self._pick(names, info.name if info else None, self.tree.chain(info) if info else ())

    def place_and_rest(self, name: str, jurisdiction: str | None) -> tuple[Jurisdiction, str] | None:
        """A name that begins with a place and goes on (平谷区政府, 海淀区教育局): that
        jurisdiction and the rest of the name's key (政府, 教育局), else None."""
        key = name_key(name)
        info = self.jurisdiction(jurisdiction)
        j, chain = (info.name, self.tree.chain(info)) if info else (None, ())
        for end, nodes in self.tree.prefixes(key, 0):
            node = self._pick(nodes, j, chain)
            if node is not None and end < len(key):
                return node, key[end:]
        return None

    # ------------------------------------------------------------------ standard departments

    def _parse_department(
        self, key: str, j: str | None, chain: tuple[str, ...]
    ) -> tuple[Department, Jurisdiction] | None:
        """Which template and jurisdiction a name stands for: relative (市发改委 in the
        document's city), absolute (无锡市发改委, 南京市江宁区教育局, 江宁区教育局) or by
        short name (江苏金融监管局)."""
        table = self.departments
        if not table.departments:
            return None
        for before in table.befores:
            if not key.startswith(before):
                continue
            rest = key[len(before) :]
            for word in _WORDS:
                if rest.startswith(word) and (parts := (before, rest[len(word) :])) in table.relative:
                    target = self._target(word, j, chain)
                    node = self.tree.get(target) if target else None
                    dept = table.at(parts, table.relative, node) if node is not None else None
                    if dept is not None and node is not None:
                        return dept, node
            for short, tab in ((False, table.absolute), (True, table.short)):
                for end, nodes in self.tree.prefixes(key, len(before), short=short):
                    parts = (before, key[end:])
                    if parts not in tab:
                        continue
                    node = self._pick(nodes, j, chain)
                    dept = table.at(parts, tab, node) if node is not None else None
                    if dept is not None and node is not None:
                        return dept, node
        return None

    def _pick(self, names: tuple[str, ...], j: str | None, chain: tuple[str, ...]) -> Jurisdiction | None:
        """The one of several jurisdictions a name may mean that the document's own
        jurisdiction points at: itself or an ancestor, else one of its descendants
        (鼓楼区 in a 南京市 document is 南京市鼓楼区)."""
        if len(names) == 1:
            return self.tree.get(names[0])
        near = [n for n in names if n in chain]
        if len(near) != 1 and j is not None:
            near = [n for n in names if j in self.tree.chain(n)]
        return self.tree.get(near[0]) if len(near) == 1 else None

    def _department(self, key: str, j: str | None, chain: tuple[str, ...]) -> Agency | None:
        found = self._parse_department(key, j, chain)
        if found is None:
            return None
        dept, node = found
        spelled = spelled_name(dept, node, key)
        # The head noun the plan wrote wins (市科技局 in a 重庆市 plan is no 科学技术委员会, which
        # the template gives a municipality): another official name of the department with that
        # head, else no standard department at all (the name is then kept as written).
        head = head_word(key)
        own = spelled or _pattern(dept, node)
        if head is not None and own is not None and head_word(own) not in (None, head):
            spelled = self._same_head(dept, node, key)
            if spelled is None:
                return None
        return self._department_of(dept, node, spelled, head=head)

    @staticmethod
    def _same_head(dept: Department, node: Jurisdiction, key: str) -> str | None:
        """The official name of ``dept`` at ``node`` whose head noun is the one ``key`` ends
        in: the names of the node's level first, then the other official names, then the
        other levels' (a city's 科技局 is the 科学技术局, not a province's 科学技术厅); one
        ending in the very character written (局, not 厅) before one of its class."""
        levels = [dept.names[k] for k in department_level(node) if k in dept.names]
        ordered = list(dict.fromkeys((*levels, *(p for p, _ in dept.official), *dept.patterns())))
        head = head_word(key)
        fitting = [p for p in ordered if head_word(p) == head]
        return next((p for p in fitting if p[-1] == key[-1]), fitting[0] if fitting else None)

    def _department_of(
        self, dept: Department, node: Jurisdiction, spelled: str | None = None, *, head: str | None = None
    ) -> Agency | None:
        """The department ``dept`` of ``node``: the registered body standing for it (when its
        name ends in the ``head`` the plan wrote), else the one made from the template (once;
        the same object afterwards) — named by the official name the plan ``spelled`` when
        that is another of the department's."""
        claimed = self._claims.get((dept.id, node.name))
        if claimed is not None and head_word(claimed) in (None, head or head_word(claimed)):
            return self._agencies[claimed]
        slot = (dept.id, node.name, spelled or "")
        if slot in self._generated:
            return self._generated[slot]
        self._generated[slot] = None  # guards the recursion through parents and counterparts
        parent = None
        if dept.parent is not None:
            managing = self._department_of(self.departments.departments[dept.parent], node)
            parent = managing.name if managing is not None else None
        counterpart = None
        for upper in self.tree.chain(node)[1:]:
            upper_node = self.tree.get(upper)
            if upper_node is None or upper_node.level == Level.NATIONAL:
                counterpart = dept.national
                break
            other = self._department_of(dept, upper_node)
            if other is not None:
                counterpart = other.name
                break
        agency = make_department(dept, node, parent=parent, counterpart=counterpart, spelled=spelled)
        self._generated[slot] = agency
        if agency is not None:
            self._generated_by[agency.id] = agency
            self._generated_by[name_key(agency.name)] = agency
        return agency

    # ------------------------------------------------------------------ groups

    def _group_scope(self, key: str, j: str | None, chain: tuple[str, ...]) -> str | None:
        prefix = key[0]
        if prefix in "省市区县" and not key.startswith("市场"):
            return self._target(prefix, j, chain)
        return j

    def _levelled(self, key: str, j: str | None, chain: tuple[str, ...]) -> tuple[str, Jurisdiction] | None:
        """For 省直有关部门 / 区级各部门 / 全市各单位 (see ``_LEVELLED``): the rest of the
        name (有关部门) and the jurisdiction the level word points at, else None."""
        m = _LEVELLED.match(key)
        if m is None or m.end() >= len(key):
            return None
        target = self._target(m.group(1) or m.group(2), j, chain)
        node = self.tree.get(target) if target else None
        return (key[m.end() :], node) if node is not None else None

    def _match_group(self, key: str, j: str | None, chain: tuple[str, ...], *, here: bool = False) -> Agency | None:
        """The group ``key`` names in a document of ``j``; ``here``: among the groups of
        ``j`` itself only (not of its ancestors)."""
        prefixed = here or (key[0] in "省市区县" and not key.startswith("市场"))
        start = j if here else self._group_scope(key, j, chain)
        if start is None:
            if j is not None:
                return None
            # no jurisdiction given: accept a match that is unique among registered groups
            found = {self._groups[n].name for (k, _), n in self._group_short.items() if k == key}
            found |= {
                n for rules in self._group_rules.values() for pats, n in rules if any(p.search(key) for p in pats)
            }
            return self._groups[found.pop()] if len(found) == 1 else None
        nodes = (start,) if prefixed else self.tree.chain(start)
        for node in nodes:
            name = self._group_short.get((key, node))
            if name is not None:
                return self._groups[name]
            for patterns, group_name in self._group_rules.get(node, ()):
                if any(p.search(key) for p in patterns):
                    return self._groups[group_name]
            info = self.tree.get(node)
            if info is not None:
                for tpl in (*self._templates.get(info.level, ()), *self._templates.get(SCOPE_ANY, ())):
                    if key in tpl.short or any(p.search(key) for p in tpl.patterns):
                        return self._template_group(tpl, info)
        return None

    def _template_group(self, tpl: _Template, info: Jurisdiction) -> Agency:
        name = tpl.name.replace("{j}", info.name)
        gid = stable_id(GROUP_PREFIX, name)
        group = self._dynamic.get(gid)
        if group is None:
            group = Agency(gid, name, "group", (), (), info.name, tpl.level or info.level, None, None)
            self._dynamic[gid] = group
        return group

    def _dynamic_group(self, surface: str, jurisdiction: str | None) -> Agency:
        """A collective unit only a generic pattern recognises, as a group of its jurisdiction,
        named as bodies the registry does not know are (see :meth:`qualify`): 各设区市人民政府
        in a 江苏省 plan is 江苏省各设区市人民政府, 省推进…领导小组成员单位 in a 浙江省 plan
        浙江省推进…领导小组成员单位; the name as written stays a form it is found by."""
        info = self.tree.get(jurisdiction or "")
        name = self.qualify(surface, info)
        gid = stable_id(GROUP_PREFIX, jurisdiction or "", name_key(name))
        group = self._dynamic.get(gid)
        if group is None:
            short = (surface,) if name_key(surface) != name_key(name) else ()
            level = info.level if info else None
            group = Agency(gid, name, "group", short, (), jurisdiction, level, None, None)
            self._dynamic[gid] = group
            self._surface_groups.add(gid)
        return group

    def qualify(self, surface: str, info: Jurisdiction | None) -> str:
        """The name of a collective unit of ``info`` written ``surface``: the level word it
        begins with replaced by the jurisdiction's name (市各有关部门 → 苏州市各有关部门), else
        the jurisdiction's name put before it (各街道 → 南京市江宁区各街道); a level word with
        级 / 直 or after 全 is replaced with its 级 / 直 / 全 (省级有关部门 → 四川省有关部门, see
        ``_LEVELLED``); a name that already begins with a jurisdiction, or one of the State
        Council (国务院有关部门, 各省级人民政府), stays as written.

        >>> reg = Registry.load()
        >>> reg.qualify("各设区市人民政府", reg.jurisdiction("江苏省"))
        '江苏省各设区市人民政府'
        >>> reg.qualify("国务院有关部门", reg.jurisdiction("中国")), reg.qualify("各街道", None)
        ('国务院有关部门', '各街道')
        """
        name = normalise(surface)
        if info is None or info.level == Level.NATIONAL:
            return name
        levelled = self._levelled(name_key(name), info.name, self.tree.chain(info))
        if levelled is not None:
            m = _LEVELLED.match(name)
            assert m is not None  # the key and the normalised name begin alike
            return levelled[1].qualified + name[m.end() :]
        placed = self.place(name, info.name)
        if placed is not None:
            return placed[0]
        return info.qualified + name
