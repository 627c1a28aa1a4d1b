"""The overload ranking: which agencies carry too much, and why.

For each unit, from its metrics (:mod:`.workload`, :mod:`.communities`)::

    overload = load
             + crunch_weight × (tasks due in its busiest month − 1, if positive)
             + broker_weight × (communities other than its own that its partners span)

``load`` is the weighted load (a lead counts 1 shared among co-leads, a
support 0.3, a joint task 1 shared among its units); the crunch term adds
pressure when many deadlines fall in one month; the broker term adds the cost
of coordinating across groups that otherwise do not work together.  Defaults:
``crunch_weight`` 0.5, ``broker_weight`` 0.25.  Collective units (各设区市政府,
…成员单位) are ranked apart from single agencies: their load spreads over many
bodies.

Every entry carries its reasons in words and numbers, and the inputs used.

Example::

    >>> m = {"lead": 3, "support": 2, "joint": 0, "documents": 2, "load": 3.6, "month": "2019-06",
    ...      "month_tasks": 3, "communities_linked": 2}
    >>> overload_score(m, OverloadWeights())
    5.1
    >>> reasons(m)
    'leads 3 tasks, supports 2 in 2 documents; load 3.6; 3 due in 2019-06; links 2 other communities'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class OverloadWeights:
    crunch: float = 0.5
    broker: float = 0.25


def overload_score(metrics: dict[str, Any], weights: OverloadWeights) -> float:
    crunch = max(0, int(metrics.get("month_tasks") or 0) - 1)
    broker = int(metrics.get("communities_linked") or 0)
    return round(float(metrics["load"]) + weights.crunch * crunch + weights.broker * broker, 4)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def reasons(metrics: dict[str, Any]) -> str:
    """The ranking's reasons for one unit, in words and numbers."""
    roles = []
    if metrics["lead"]:
        roles.append(f"leads {_plural(metrics['lead'], 'task')}")
    if metrics["support"]:
        roles.append(f"supports {metrics['support']}")
    if metrics["joint"]:
        roles.append(f"shares {metrics['joint']}")
    parts = [", ".join(roles) + f" in {_plural(metrics['documents'], 'document')}", f"load {metrics['load']:g}"]
    if metrics.get("month_tasks", 0) > 1:
        parts.append(f"{metrics['month_tasks']} due in {metrics['month']}")
    linked = int(metrics.get("communities_linked") or 0)
    if linked:
        parts.append(f"links {linked} other {'community' if linked == 1 else 'communities'}")
    return "; ".join(parts)


def rank(metrics: dict[str, dict[str, Any]], weights: OverloadWeights) -> dict[str, list[dict[str, Any]]]:
    """``{"agencies": [...], "groups": [...]}``, each sorted by overload, highest first,
    with ``rank``, ``overload`` and ``reasons`` added to every entry."""
    ranked: dict[str, list[dict[str, Any]]] = {"agencies": [], "groups": []}
    for unit_id, m in metrics.items():
        entry = {"id": unit_id, **m, "overload": overload_score(m, weights), "reasons": reasons(m)}
        ranked["groups" if m.get("kind") == "group" else "agencies"].append(entry)
    for entries in ranked.values():
        entries.sort(key=lambda e: (-e["overload"], -e["lead"], e["name"]))
        for position, entry in enumerate(entries, start=1):
            entry["rank"] = position
    return ranked
