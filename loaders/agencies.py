"""The agency registry: every unit named in a responsibility clause, resolved to a
canonical agency (or to a collective group).

The registry is data: YAML files shipped in ``loaders/data`` (``jurisdictions.yaml``,
``groups.yaml``, ``agencies/*.yaml``; their format is documented in a comment at the
top of each file) plus any files or folders the user adds.  This module reads them and
answers three questions:

* :meth:`Registry.resolve` — which agency does ``省大数据局`` in a document of
  ``绍兴市`` mean?  (浙江省大数据发展管理局; ``市大数据局`` there is 绍兴市大数据发展管理局)
* :meth:`Registry.search` — which agencies have a name containing ``大数据``?
* :meth:`Registry.jurisdiction` / :meth:`Registry.province_of` / :meth:`Registry.city_of`
  — where does a jurisdiction sit in the tree 中国 → 浙江省 → 绍兴市 → 柯桥区?

Resolution rules (see :meth:`Registry.resolve`):

1. the surface is normalised (:func:`normalise`): traditional → simplified (OpenCC
   ``t2s``), full-width → half-width, 〔〕［］【】 → (), whitespace removed;
2. a short name beginning with 省 means the body of the document's province, one
   beginning with 市 the body of the document's city (区 / 县 likewise); in a document
   above that level (市X in a provincial document) the name is ambiguous;
3. other names (canonical names, aliases such as 浙江省税务局 or 杭州海关) mean the same
   body everywhere; if several bodies share one, the document's jurisdiction chain
   decides;
4. collective units (各设区市政府, 市政府有关部门, …成员单位) resolve to a group
   (``Resolution.group``), scoped by jurisdiction; one that matches only a generic
   pattern becomes a group named by its own normalised surface, so it is never lost;
5. ``X(Y)`` resolves through X, else through Y (``市委宣传部(市新闻出版局)``);
6. a trailing 等 is ignored.

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
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc
import yaml

from dutygraph.model import Level, stable_id

__all__ = [
    "DATA_DIR",
    "LEVELS",
    "Agency",
    "Jurisdiction",
    "Registry",
    "Resolution",
    "default_registry",
    "name_key",
    "normalise",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Folder of the shipped registry files."""

LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
"""Valid levels, from the top: national, province, city, county."""

_SCOPE_ANY = "any"
_AGENCY_PREFIX = "ag_"
_GROUP_PREFIX = "grp_"
_CACHE_LIMIT = 200_000

# ---------------------------------------------------------------------------- normalisation

_WIDTH: dict[int, int | str | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({ord(c): "(" for c in "〔［【﹝〖（[｟"})
_WIDTH.update({ord(c): ")" for c in "〕］】﹞〗）]｠"})
_WIDTH.update({ord("､"): "、", ord("﹐"): ",", ord("﹑"): "、"})
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# pinyin glosses that some converted pages put after a character: 區(qū) → 区
_PINYIN = re.compile(rf"\((?=[a-zü{_TONES}]*[{_TONES}])[a-zü{_TONES}]+\)")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_BRACKETED = re.compile(r"\(([^()]*)\)")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """The form every name is compared in.

    Traditional characters become simplified (OpenCC ``t2s``), full-width letters,
    digits and punctuation become half-width, 〔〕［］【】 become (), all whitespace
    (also inside the name, as PDF text splits names across lines) is removed, and
    pinyin glosses such as ``區(qū)`` are dropped.

    >>> normalise("省市\\n\\n場監管局")
    '省市场监管局'
    >>> normalise("各區、縣〔市〕政府")
    '各区、县(市)政府'
    >>> normalise("市政府有关部门（单位）")
    '市政府有关部门(单位)'
    """
    s = _INVISIBLE.sub("", text.translate(_WIDTH))
    if s and not s.isascii():
        s = _t2s().convert(s)
    return _PINYIN.sub("", s)


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The lookup key of a name: :func:`normalise` without quotation marks.

    >>> name_key("省推进“四大建设”工作领导小组成员单位")
    '省推进四大建设工作领导小组成员单位'
    """
    return normalise(text).translate(_QUOTES)


# ---------------------------------------------------------------------------- public types


@dataclass(frozen=True, slots=True)
class Agency:
    """A canonical agency, or a collective group (``kind == "group"``).

    ``parent`` and ``counterpart`` are canonical names of other agencies: the body this
    one is part of (省政府督查室 → 浙江省人民政府办公厅), and for city bodies the
    provincial body they mirror (绍兴市大数据发展管理局 → 浙江省大数据发展管理局).
    ``members`` lists, for groups, the canonical names of member agencies where known.
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
    """A node of the jurisdiction tree (中国 → 浙江省 → 绍兴市 → 柯桥区)."""

    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- loading helpers

_TOP_KEYS = frozenset({"jurisdictions", "defaults", "agencies", "groups", "generic"})
_JURISDICTION_FIELDS = frozenset({"name", "level", "parent", "aliases", "note"})
_AGENCY_FIELDS = frozenset(
    {"name", "id", "short", "aliases", "jurisdiction", "level", "parent", "counterpart", "replace", "note"}
)
_GROUP_FIELDS = frozenset(
    {"name", "id", "short", "patterns", "jurisdiction", "scope", "level", "members", "replace", "note"}
)
_DEFAULT_FIELDS = frozenset({"jurisdiction"})


def _fail(path: Path, message: str) -> ValueError:
    return ValueError(f"{path}: {message}")


def _text(value: Any, path: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{where} must be a non-empty string, not {value!r}")
    return value.strip()


def _opt_text(value: Any, path: Path, where: str) -> str | None:
    return None if value is None else _text(value, path, where)


def _texts(value: Any, path: Path, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _fail(path, f"{where} must be a list of strings, not {value!r}")
    return [_text(v, path, where) for v in value]


def _entries(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise _fail(path, f"`{key}` must be a list of entries")
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise _fail(path, f"`{key}` entry #{i} must be a mapping, not {item!r}")
    return items


def _check_fields(entry: dict[str, Any], allowed: frozenset[str], path: Path, where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(path, f"{where}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"cannot read the file: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(path, f"invalid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _fail(path, f"the top level must be a mapping with keys {', '.join(sorted(_TOP_KEYS))}")
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        raise _fail(path, f"unknown top-level key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    return data


def _shipped_files() -> list[Path]:
    return [
        DATA_DIR / "jurisdictions.yaml",
        *sorted((DATA_DIR / "agencies").glob("*.yaml")),
        DATA_DIR / "groups.yaml",
    ]


def _expand(extra: Iterable[Path | str]) -> list[Path]:
    files: list[Path] = []
    for item in extra:
        path = Path(item).expanduser()
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise _fail(path, "no such registry file or folder")
    return files


def _compile(pattern: str, path: Path, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _fail(path, f"{where}: bad regular expression {pattern!r}: {exc}") from exc


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


@dataclass(frozen=True, slots=True)
class _Template:
    name: str  # with {j}
    level: str | None
    short: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


# ---------------------------------------------------------------------------- the registry


class Registry:
    """Agencies, groups and jurisdictions, with a fast resolver.

    Build it with :meth:`load`; ``Registry()`` is an empty registry.

    >>> reg = Registry.load()
    >>> reg.get("浙江省发展和改革委员会").short_names
    ('省发展改革委', '省发改委')
    >>> reg.get("浙江省人民政府督查室").parent
    '浙江省人民政府办公厅'
    >>> reg.province_of("柯桥区"), reg.city_of("柯桥区")
    ('浙江省', '绍兴市')
    """

    def __init__(self) -> None:
        self._jurisdictions: dict[str, Jurisdiction] = {}
        self._jurisdiction_keys: dict[str, str] = {}  # name_key of name/alias → name
        self._chains: dict[str | None, tuple[str, ...]] = {}
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
        self._cache: dict[tuple[str, str | None], Resolution] = {}
        self.fingerprint = ""
        self._search_forms: list[tuple[Agency, tuple[str, ...]]] = []

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, extra: Iterable[Path | str] = ()) -> Registry:
        """The shipped registry plus ``extra`` files or folders (every ``*.yaml`` /
        ``*.yml`` in a folder, recursively, in name order), read after the shipped
        files so that they add or override entries.

        Raises ValueError naming the file and the reason when a file cannot be read,
        is not valid YAML, or holds an invalid entry.
        """
        paths = [*_shipped_files(), *_expand(extra)]
        docs = [(path, _read(path)) for path in paths]
        registry = cls()
        registry._build(docs)
        # Stored documents remember the registry they were resolved with, so that
        # an edited registry makes the next load re-resolve them.
        digest = hashlib.sha256()
        for path in paths:
            digest.update(path.read_bytes())
        registry.fingerprint = digest.hexdigest()
        return registry

    def _build(self, docs: list[tuple[Path, dict[str, Any]]]) -> None:
        self._load_jurisdictions(docs)
        records: dict[str, _Record] = {}
        generic: list[re.Pattern[str]] = []
        for order, (path, data) in enumerate(docs):
            defaults = data.get("defaults") or {}
            if not isinstance(defaults, dict):
                raise _fail(path, "`defaults` must be a mapping")
            _check_fields(defaults, _DEFAULT_FIELDS, path, "defaults")
            default_jurisdiction = _opt_text(defaults.get("jurisdiction"), path, "defaults.jurisdiction")
            for entry in _entries(data, "agencies", path):
                self._read_entry(records, entry, "agency", path, order, default_jurisdiction)
            for entry in _entries(data, "groups", path):
                self._read_entry(records, entry, "group", path, order, default_jurisdiction)
            for pattern in _texts(data.get("generic"), path, "generic"):
                generic.append(_compile(pattern, path, "generic"))
        self._generic = generic[::-1]  # later files first
        self._finish(records)

    def _load_jurisdictions(self, docs: list[tuple[Path, dict[str, Any]]]) -> None:
        raw: dict[str, dict[str, Any]] = {}
        for path, data in docs:
            for i, entry in enumerate(_entries(data, "jurisdictions", path), 1):
                where = f"jurisdiction #{i}"
                _check_fields(entry, _JURISDICTION_FIELDS, path, where)
                name = normalise(_text(entry.get("name"), path, f"{where}: name"))
                rec = raw.setdefault(name, {"name": name, "level": None, "parent": None, "aliases": [], "path": path})
                rec["path"] = path
                if entry.get("level") is not None:
                    rec["level"] = _text(entry["level"], path, f"{name}: level")
                if "parent" in entry:
                    rec["parent"] = _opt_text(entry["parent"], path, f"{name}: parent")
                rec["aliases"] += _texts(entry.get("aliases"), path, f"{name}: aliases")
        keys: dict[str, str] = {}
        for name in raw:
            keys[name_key(name)] = name
        for name, rec in raw.items():
            for alias in rec["aliases"]:
                owner = keys.setdefault(name_key(alias), name)
                if owner != name:
                    raise _fail(rec["path"], f"jurisdiction alias {alias!r} of {name} is already {owner}")
        for name, rec in raw.items():
            if rec["level"] not in LEVELS:
                raise _fail(rec["path"], f"jurisdiction {name}: level must be one of {', '.join(LEVELS)}")
            parent = rec["parent"]
            if parent is not None:
                if name_key(parent) not in keys:
                    raise _fail(rec["path"], f"jurisdiction {name}: unknown parent {parent!r}")
                parent = keys[name_key(parent)]
            self._jurisdictions[name] = Jurisdiction(name, rec["level"], parent, tuple(dict.fromkeys(rec["aliases"])))
        self._jurisdiction_keys = keys
        for name in self._jurisdictions:  # reject cycles
            seen: set[str] = set()
            node: str | None = name
            while node is not None:
                if node in seen:
                    raise _fail(raw[name]["path"], f"jurisdiction {name}: parent chain loops")
                seen.add(node)
                node = self._jurisdictions[node].parent

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
        name = _text(entry.get("name"), path, f"{section}: name")
        _check_fields(entry, allowed, path, name)
        key = name_key(name)
        rec = records.get(key)
        if rec is not None and rec.kind != kind:
            raise _fail(path, f"{name}: already registered as {'an agency' if rec.kind == 'agency' else 'a group'}")
        if rec is not None and rec.order == order:
            raise _fail(path, f"{name}: listed twice in this file")
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
            rec.id = _text(entry["id"], path, f"{name}: id")
        if "jurisdiction" in entry:
            rec.jurisdiction = _opt_text(entry["jurisdiction"], path, f"{name}: jurisdiction")
        if "level" in entry:
            rec.level = _opt_text(entry["level"], path, f"{name}: level")
        for form in _texts(entry.get("short"), path, f"{name}: short"):
            rec.short[form] = order
        if kind == "agency":
            for form in _texts(entry.get("aliases"), path, f"{name}: aliases"):
                rec.aliases[form] = order
            if "parent" in entry:
                rec.parent = _opt_text(entry["parent"], path, f"{name}: parent")
            if "counterpart" in entry:
                rec.counterpart = _opt_text(entry["counterpart"], path, f"{name}: counterpart")
            return
        for pattern in _texts(entry.get("patterns"), path, f"{name}: patterns"):
            _compile(pattern, path, name)
            rec.patterns.append(pattern)
        rec.members += _texts(entry.get("members"), path, f"{name}: members")
        if "scope" in entry:
            scopes = tuple(_texts(entry["scope"], path, f"{name}: scope"))
            bad = [s for s in scopes if s not in (*LEVELS, _SCOPE_ANY)]
            if bad or not scopes:
                raise _fail(path, f"{name}: scope must be one or more of {', '.join((*LEVELS, _SCOPE_ANY))}")
            if "{j}" not in name:
                raise _fail(path, f"{name}: a template group (with `scope`) needs {{j}} in its name")
            rec.scopes = scopes
            rec.jurisdiction = None

    def _canonical_jurisdiction(self, rec: _Record) -> str | None:
        if rec.jurisdiction is None:
            return None
        name = self._jurisdiction_keys.get(name_key(rec.jurisdiction))
        if name is None:
            raise _fail(rec.source, f"{rec.name}: unknown jurisdiction {rec.jurisdiction!r} (add it to jurisdictions)")
        return name

    def _finish(self, records: dict[str, _Record]) -> None:
        agencies = [r for r in records.values() if r.kind == "agency"]
        groups = [r for r in records.values() if r.kind == "group"]
        for rec in records.values():
            rec.jurisdiction = self._canonical_jurisdiction(rec)
            if rec.kind == "group" and not rec.scopes and rec.jurisdiction is None:
                raise _fail(rec.source, f"{rec.name}: a group needs a jurisdiction (or a template `scope`)")
            if rec.kind == "agency" and rec.jurisdiction is None:
                raise _fail(rec.source, f"{rec.name}: no jurisdiction (give one, or `defaults: {{jurisdiction: …}}`)")
            if rec.level is None and rec.jurisdiction is not None:
                rec.level = self._jurisdictions[rec.jurisdiction].level
            if rec.level is not None and rec.level not in LEVELS:
                raise _fail(rec.source, f"{rec.name}: level must be one of {', '.join(LEVELS)}, not {rec.level!r}")

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
                        raise _fail(rec.source, f"{rec.name}: {form!r} is the name of {other.name}")
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
                names = " and ".join(sorted({c[1].name for c in winners}))
                raise _fail(winners[0][1].source, f"{winners[0][3]!r} is given to both {names}")
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
            level = self._jurisdictions[jur].level if jur in self._jurisdictions else None
            if level not in (None, Level.NATIONAL) and rec.name.startswith(jur) and len(rec.name) > len(jur) + 1:
                relative.setdefault(name_key(jur[-1:] + rec.name[len(jur) :]), {}).setdefault(jur, rec.name)
            frozen[rec.name] = Agency(
                id=rec.id or stable_id(_AGENCY_PREFIX, rec.name),
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
            links = {}
            for attr in ("parent", "counterpart"):
                value = getattr(rec, attr)
                if value is not None:
                    links[attr] = self._link(value, rec, attr)
            if links:
                self._agencies[rec.name] = dataclasses.replace(self._agencies[rec.name], **links)

        # ---- groups
        group_claims: dict[tuple[str, str], list[tuple[int, _Record, str]]] = {}
        for rec in groups:
            for form, order in rec.short.items():
                if rec.jurisdiction is not None:
                    group_claims.setdefault((name_key(form), rec.jurisdiction), []).append((order, rec, form))
        group_short: dict[tuple[str, str], str] = {}
        for slot, claimants in group_claims.items():
            top = max(c[0] for c in claimants)
            winners = {id(c[1]): c for c in claimants if c[0] == top}
            if len(winners) > 1:
                names = " and ".join(sorted(c[1].name for c in winners.values()))
                raise _fail(claimants[-1][1].source, f"{claimants[-1][2]!r} is given to both {names}")
            [(_, winner, _)] = winners.values()
            group_short[slot] = winner.name
            for _order, rec, form in claimants:
                if rec is not winner:
                    rec.short.pop(form, None)
        rules: dict[str, list[tuple[int, tuple[re.Pattern[str], ...], str]]] = {}
        templates: dict[str, list[tuple[int, _Template]]] = {}
        group_entities: dict[str, Agency] = {}
        for rec in groups:
            if name_key(rec.name) in canon:
                raise _fail(rec.source, f"{rec.name}: already the name of an agency")
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
                id=rec.id or stable_id(_GROUP_PREFIX, rec.name),
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
            other = self._by_id.get(entity.id)
            if other is not None:
                src = records[name_key(entity.name)].source
                raise _fail(src, f"{entity.name}: id {entity.id} is already used by {other.name}")
            self._by_id[entity.id] = entity
            self._by_key[name_key(entity.name)] = entity
        self._search_forms = [(e, tuple(dict.fromkeys([*(name_key(n) for n in e.names), e.id.lower()]))) for e in self]
        self._cache.clear()
        self._dynamic.clear()

    def _is_relative(self, form: str, rec: _Record) -> bool:
        """A short name is relative when it starts with its jurisdiction's suffix
        (省 for 浙江省, 市 for 绍兴市, 区 for 越城区 …) below the national level."""
        if rec.jurisdiction is None or rec.level == Level.NATIONAL:
            return False
        jurisdiction = self._jurisdictions.get(rec.jurisdiction)
        if jurisdiction is None or jurisdiction.level == Level.NATIONAL:
            return False
        return normalise(form)[:1] == rec.jurisdiction[-1:]

    def _link(self, value: str, rec: _Record, what: str) -> str:
        agency, _ = self._match_agency(name_key(value), rec.jurisdiction, self.chain(rec.jurisdiction))
        if agency is None:
            raise _fail(rec.source, f"{rec.name}: {what} {value!r} is not a registered agency")
        return agency.name

    # ------------------------------------------------------------------ jurisdictions

    def jurisdiction(self, name: str | None) -> Jurisdiction | None:
        """The registered jurisdiction called ``name`` (any alias, either script).

        >>> Registry.load().jurisdiction("紹興")
        Jurisdiction(name='绍兴市', level='city', parent='浙江省', aliases=('绍兴',))
        """
        if not name:
            return None
        canonical = self._jurisdiction_keys.get(name_key(name))
        return self._jurisdictions.get(canonical) if canonical else None

    def level_of(self, name: str | None) -> str | None:
        """The level (province, city, county, national) of a jurisdiction, if known."""
        j = self.jurisdiction(name)
        return j.level if j else None

    def jurisdictions(self) -> list[Jurisdiction]:
        """Every registered jurisdiction."""
        return list(self._jurisdictions.values())

    def chain(self, name: str | None) -> tuple[str, ...]:
        """The jurisdiction and its ancestors, nearest first; ``(name,)`` for an
        unregistered name, ``()`` for None.

        >>> Registry.load().chain("柯桥区")
        ('柯桥区', '绍兴市', '浙江省', '中国')
        """
        try:
            return self._chains[name]
        except KeyError:
            pass
        info = self.jurisdiction(name)
        if info is None:
            result: tuple[str, ...] = (normalise(name),) if name else ()
        else:
            nodes = [info.name]
            parent = info.parent
            while parent is not None:
                nodes.append(parent)
                parent = self._jurisdictions[parent].parent
            result = tuple(nodes)
        self._chains[name] = result
        return result

    def _at_level(self, name: str | None, level: str) -> str | None:
        for node in self.chain(name):
            info = self._jurisdictions.get(node)
            if info is not None and info.level == level:
                return node
        return None

    def province_of(self, name: str | None) -> str | None:
        """The province a jurisdiction lies in (itself for a province), else None.

        >>> Registry.load().province_of("绍兴市")
        '浙江省'
        """
        return self._at_level(name, Level.PROVINCE)

    def city_of(self, name: str | None) -> str | None:
        """The prefecture-level city a jurisdiction lies in (itself for a city), else
        None (for a province, or an unknown name).

        >>> reg = Registry.load()
        >>> reg.city_of("诸暨市"), reg.city_of("浙江省")
        ('绍兴市', None)
        """
        return self._at_level(name, Level.CITY)

    # ------------------------------------------------------------------ lookup

    def get(self, key: str) -> Agency | None:
        """The agency or group with this id or canonical name (either script).

        >>> reg = Registry.load()
        >>> reg.get("浙江省大数据发展管理局").id == reg.get(reg.get("浙江省大数据发展管理局").id).id
        True
        """
        entity = self._by_id.get(key) or self._dynamic.get(key) or self._agencies.get(key) or self._groups.get(key)
        if entity is None and key:
            entity = self._by_key.get(name_key(key))
        return entity

    def __iter__(self) -> Iterator[Agency]:
        """Every registered agency, then every registered group."""
        yield from self._agencies.values()
        yield from self._groups.values()

    def __len__(self) -> int:
        return len(self._agencies) + len(self._groups)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def agencies(self) -> list[Agency]:
        """Every registered agency (no groups)."""
        return list(self._agencies.values())

    def groups(self) -> list[Agency]:
        """Every registered group (templates and on-the-fly groups excluded)."""
        return list(self._groups.values())

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
        for entity, forms in self._search_forms:
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
            if agency is not None:
                return Resolution(surface, agency, (agency,), False)
            group = self._match_group(attempt, j, chain)
            if group is not None:
                return Resolution(surface, group, (group,), True)
            if candidates and not pending:
                pending = candidates
        if pending:
            return Resolution(surface, None, pending, False)
        if any(p.search(key) for p in self._generic):
            group = self._dynamic_group(normalise(surface), self._group_scope(key, j, chain) or j)
            return Resolution(surface, group, (group,), True)
        return Resolution(surface, None, (), False)

    @staticmethod
    def _attempts(key: str) -> Iterator[str]:
        """The keys to try, in order: the whole name, then for ``X(Y)`` X and Y, then
        the name without a trailing 等."""
        yield key
        tried = {key}
        if "(" in key:
            outside = _BRACKETED.sub("", key)
            inside = [p for m in _BRACKETED.findall(key) for p in re.split(r"[、,;]", m)]
            for part in (outside, *inside):
                if part and part not in tried:
                    tried.add(part)
                    yield part
        if key.endswith("等") and len(key) > 1 and key[:-1] not in tried:
            yield from Registry._attempts(key[:-1])

    def _target(self, prefix: str, j: str | None, chain: tuple[str, ...]) -> str | None:
        """The jurisdiction a relative name with this first character refers to in a
        document of ``j``: 省 → the province, 市 → the nearest …市, 区 / 县 → the
        nearest …区 / …县.  None when the document has no such jurisdiction above it
        (a provincial document's 市…) or the document's jurisdiction is unknown."""
        if j is None or j not in self._jurisdictions:
            return None
        if prefix == "省":
            return self._at_level(j, Level.PROVINCE)
        for node in chain:
            info = self._jurisdictions.get(node)
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

    def _group_scope(self, key: str, j: str | None, chain: tuple[str, ...]) -> str | None:
        prefix = key[0]
        if prefix in "省市区县" and not key.startswith("市场"):
            return self._target(prefix, j, chain)
        return j

    def _match_group(self, key: str, j: str | None, chain: tuple[str, ...]) -> Agency | None:
        prefixed = key[0] in "省市区县" and not key.startswith("市场")
        start = self._group_scope(key, j, chain)
        if start is None:
            if j is not None:
                return None
            # no jurisdiction given: accept a match that is unique among registered groups
            found = {self._groups[n].name for (k, _), n in self._group_short.items() if k == key}
            found |= {
                n for rules in self._group_rules.values() for pats, n in rules if any(p.search(key) for p in pats)
            }
            return self._groups[found.pop()] if len(found) == 1 else None
        nodes = (start,) if prefixed else self.chain(start)
        for node in nodes:
            name = self._group_short.get((key, node))
            if name is not None:
                return self._groups[name]
            for patterns, group_name in self._group_rules.get(node, ()):
                if any(p.search(key) for p in patterns):
                    return self._groups[group_name]
            info = self._jurisdictions.get(node)
            if info is not None:
                for tpl in (*self._templates.get(info.level, ()), *self._templates.get(_SCOPE_ANY, ())):
                    if key in tpl.short or any(p.search(key) for p in tpl.patterns):
                        return self._template_group(tpl, info)
        return None

    def _template_group(self, tpl: _Template, info: Jurisdiction) -> Agency:
        name = tpl.name.replace("{j}", info.name)
        gid = stable_id(_GROUP_PREFIX, name)
        group = self._dynamic.get(gid)
        if group is None:
            group = Agency(gid, name, "group", (), (), info.name, tpl.level or info.level, None, None)
            self._dynamic[gid] = group
        return group

    def _dynamic_group(self, name: str, jurisdiction: str | None) -> Agency:
        gid = stable_id(_GROUP_PREFIX, jurisdiction or "", name)
        group = self._dynamic.get(gid)
        if group is None:
            info = self._jurisdictions.get(jurisdiction or "")
            level = info.level if info else None
            group = Agency(gid, name, "group", (), (), jurisdiction, level, None, None)
            self._dynamic[gid] = group
        return group


@functools.cache
def default_registry() -> Registry:
    """The shipped registry plus the files named by the ``registry`` setting
    (``DUTYGRAPH_REGISTRY``), loaded once per process."""
    from dutygraph.settings import get_settings

    return Registry.load(get_settings().registry)
