"""The resolve stage: unit names as written → a :class:`~dutygraph.model.Unit` on each
:class:`~dutygraph.model.Assignment`, so that the store never asks the registry again.

Rules (the registry's own are in :mod:`dutygraph.loaders.registry.lookup`):

* a registered body, standard department or group → its canonical name and links
  (parent, counterpart, members); ``registered`` True;
* a collective unit only a generic pattern recognises (…成员单位) → a group named by
  the name as written, scoped by the document's jurisdiction; ``registered`` False;
* any other name → a unit of its own (``registered`` False), qualified by the
  jurisdiction its level prefix points at (市大数据局 in a 无锡市 plan → 无锡市大数据局),
  or the jurisdiction its own name begins with (无锡市大数据局 in a 江苏省 plan), else
  scoped by the document's jurisdiction; its id depends only on that jurisdiction and
  the name's key, so every script and spacing of it is one unit
  (市大數據局 = 市大数据局), and bodies of different jurisdictions are never one;
* the name as written is kept among the unit's aliases, so lookups find it.

>>> from dutygraph.loaders.registry import Registry
>>> resolver = Resolver(Registry.load())
>>> unit, _ = resolver.resolve("市大數據局", "苏州市")
>>> unit.name, unit.jurisdiction, unit.registered, unit.aliases
('苏州市大数据局', '苏州市', False, ('市大數據局',))
>>> unit.id == resolver.resolve("市大数据局", "苏州市")[0].id
True
>>> unit, _ = resolver.resolve("市发改委", "无锡市")
>>> unit.name, unit.registered, unit.counterpart.name
('无锡市发展和改革委员会', True, '江苏省发展和改革委员会')
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from dutygraph.model import Assignment, Unit, stable_id

from .names import name_key, normalise
from .registry import Agency, Jurisdiction, Registry, Resolution

__all__ = ["Fields", "Resolver", "unit_of", "unresolved_unit_id"]


class Fields(NamedTuple):
    """What the resolve stage sets on an assignment of one name (`Resolver.fields`)."""

    unit: Unit
    group: bool
    agency: str | None  # the canonical name when resolved
    agency_id: str | None
    unresolved: str | None  # why not resolved: "ambiguous" or "unknown"; None when resolved


def unresolved_unit_id(name: str, jurisdiction: str | None) -> str:
    """The id of a unit the registry does not know: its jurisdiction and its name's key.

    >>> unresolved_unit_id("市大數據局", "苏州市") == unresolved_unit_id("市大数据局 ", "苏州市")
    True
    """
    return stable_id("unit-", "unresolved", jurisdiction or "", name_key(name))


def unit_of(agency: Agency, registry: Registry | None = None, *, registered: bool = True) -> Unit:
    """The Unit of a registry entry; with ``registry``, its parent, counterpart and
    members too (one level deep)."""

    def linked(name: str | None) -> Unit | None:
        other = registry.get(name) if registry is not None and name else None
        return unit_of(other) if other is not None else None

    members = tuple(u for m in agency.members if (u := linked(m)) is not None) if registry else ()
    return Unit(
        id=agency.id,
        name=agency.name,
        kind=agency.kind,
        jurisdiction=agency.jurisdiction,
        level=agency.level,
        short_names=agency.short_names,
        aliases=agency.aliases,
        parent=linked(agency.parent),
        counterpart=linked(agency.counterpart),
        members=members,
        registered=registered,
        dissolved=agency.dissolved,
        successor=agency.successor,
    )


_ANSWERS_KEPT = 65536  # names and jurisdictions whose answer a resolver keeps (a few MB at most)


class Resolver:
    """Resolves unit names in documents of a jurisdiction, caching what it made."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._units: dict[tuple[str, bool], Unit] = {}
        self._written: dict[tuple[str, str], Unit] = {}
        self._places: dict[tuple[str, str | None], Jurisdiction | None] = {}  # what each name names
        # (name, jurisdiction) → what `resolve` answered: a plan names the same units again and
        # again, and the answer depends on nothing else (the registry does not change)
        self._answers: dict[tuple[str, str | None], tuple[Unit, Resolution]] = {}
        # (name, jurisdiction) → what `fill` sets on an assignment, ready to pass: every
        # assignment asks it, and building these from the resolution each time cost as much
        self._fields: dict[tuple[str, str | None], Fields] = {}

    def resolve(self, name: str, jurisdiction: str | None) -> tuple[Unit, Resolution]:
        """The unit ``name`` (as written, 等 stripped) stands for in a document of
        ``jurisdiction``, and the registry's resolution."""
        slot = (name, jurisdiction)
        answer = self._answers.get(slot)
        if answer is None:
            if len(self._answers) >= _ANSWERS_KEPT:
                self._answers.clear()
            answer = self._answers[slot] = self._resolve(name, jurisdiction)
        return answer

    def _resolve(self, name: str, jurisdiction: str | None) -> tuple[Unit, Resolution]:
        res = self.registry.resolve(name, jurisdiction)
        if res.agency is not None:
            registered = self.registry.registered(res.agency)
            slot = (res.agency.id, registered)
            unit = self._units.get(slot)
            if unit is None:
                unit = self._units[slot] = unit_of(res.agency, self.registry, registered=registered)
        else:
            # an unplaced name may come from a document of no known jurisdiction
            where: str | None
            level: str | None
            placed = self.registry.place(name, jurisdiction)
            if placed is not None:
                qualified, node = placed
                where = node.name
                level = node.level
            else:
                qualified, where = normalise(name), (normalise(jurisdiction) if jurisdiction else None)
                info = self.registry.jurisdiction(jurisdiction)
                where = info.name if info else where
                level = info.level if info else None
            unit = Unit(
                id=unresolved_unit_id(qualified, where),
                name=qualified,
                kind="group" if res.group else "agency",
                jurisdiction=where,
                level=level,
                registered=False,
                resolved=False,
            )
        return self._with_written(unit, name), res

    def share_suffix(self, names: list[str], joined: list[bool], jurisdiction: str | None) -> list[str]:
        """Names of a list with the last item's suffix shared out: in ``延庆区、平谷区政府``
        the bare place 延庆区 is 延庆区政府.  ``joined[i]``: item ``i`` follows item ``i-1``
        in one list (only 、 / 和 / 及 / 与 between them).  Only bare places before an item that
        is a place and more take its suffix (省发展改革委、财政厅 share nothing: 省发展改革委 is
        no place).

        >>> from dutygraph.loaders.registry import Registry
        >>> r = Resolver(Registry.load())
        >>> r.share_suffix(["市发改委", "延庆区", "平谷区政府"], [False, True, True], "北京市")
        ['市发改委', '延庆区政府', '平谷区政府']
        >>> r.share_suffix(["省发展改革委", "财政厅"], [False, True], "河北省")
        ['省发展改革委', '财政厅']
        >>> r.share_suffix(["延庆", "平谷区政府"], [False, True], "北京市")
        ['北京市延庆区政府', '平谷区政府']
        """
        out = list(names)
        for last in range(len(names) - 1, 0, -1):
            # the item before must be a bare place for any suffix to be shared: asked first, as
            # most lists hold none (省发改委、省财政厅), and each name asked once per jurisdiction
            if not joined[last] or self._place(names[last - 1], jurisdiction) is None:
                continue
            if self._place(names[last], jurisdiction) is not None:
                continue
            placed = self.registry.place_and_rest(names[last], jurisdiction)
            if placed is None:
                continue
            suffix = placed[1]
            i = last
            while i > 0 and joined[i] and (node := self._place(names[i - 1], jurisdiction)):
                i -= 1
                # a place written by its short name (延庆、平谷区政府) takes its full name first
                short = node.short is not None and name_key(names[i]) == node.short
                out[i] = (node.qualified if short else names[i]) + suffix
        return out

    def _place(self, name: str, jurisdiction: str | None) -> Jurisdiction | None:
        """The jurisdiction ``name`` names (延庆区, 延庆), asked of the registry once."""
        slot = (name, jurisdiction)
        if slot not in self._places:
            self._places[slot] = self.registry.jurisdiction_named(name, jurisdiction)
        return self._places[slot]

    def _with_written(self, unit: Unit, written: str) -> Unit:
        """The unit with the form the document wrote among its aliases (each unit and form
        decided once: a plan names the same units again and again)."""
        slot = (unit.id, written)
        found = self._written.get(slot)
        if found is None:
            known = not name_key(written) or written in unit.names
            found = unit if known else dataclasses.replace(unit, aliases=(*unit.aliases, written))
            self._written[slot] = found
        return found

    def fields(self, name: str, jurisdiction: str | None) -> Fields:
        """What `fill` sets on an assignment of ``name`` in a document of ``jurisdiction``, and
        why the name stays unresolved (``"ambiguous"`` / ``"unknown"``; None when resolved)."""
        slot = (name, jurisdiction)
        found = self._fields.get(slot)
        if found is None:
            if len(self._fields) >= _ANSWERS_KEPT:
                self._fields.clear()
            unit, res = self.resolve(name, jurisdiction)
            agency = res.agency
            if agency is None:
                found = Fields(unit, res.group, None, None, "ambiguous" if res.candidates else "unknown")
            else:
                found = Fields(unit, res.group, agency.name, agency.id, None)
            self._fields[slot] = found
        return found

    def fill(self, assignment: Assignment, jurisdiction: str | None) -> Resolution:
        """Resolve one assignment in place: its unit and the fields derived from it."""
        unit, res = self.resolve(assignment.name, jurisdiction)
        assignment.unit = unit
        assignment.group = res.group
        assignment.resolved = res.agency is not None
        assignment.agency = res.agency.name if res.agency is not None else None
        assignment.agency_id = res.agency.id if res.agency is not None else None
        return res
