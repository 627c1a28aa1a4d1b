"""How much each unit carries: tasks by role, documents, weighted load, deadline crunch.

All functions take the bipartite unit–task graph of :mod:`.network`.

**Weighted load** of a unit *u* (defaults in :class:`LoadWeights`)::

    load(u) = Σ over tasks u leads     lead_weight    / (number of leads of the task)
            + Σ over tasks u supports  support_weight
            + Σ over tasks u shares    joint_weight   / (number of joint units of the task)

A task led by several units is shared among them; each supporting unit carries
a smaller, unshared part; "按职责分工负责" splits the task among its units.

**Deadline crunch**: the most tasks with a step due in one calendar month, and in
one quarter (a task with steps in June and December counts in both).

Example — one task led by A and B, supported by C; A alone leads another::

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from(["A", "B", "C"], node="unit")
    >>> g.add_node("t1", node="task", doc_id="d1", dues=("2019-06-30", "2019-12-31"))
    >>> g.add_node("t2", node="task", doc_id="d1", dues=("2019-06-15",))
    >>> g.add_edges_from([("A", "t1", {"role": "lead"}), ("B", "t1", {"role": "lead"}),
    ...                   ("C", "t1", {"role": "support"}), ("A", "t2", {"role": "lead"})])
    >>> weighted_load(g)["A"], weighted_load(g)["B"], weighted_load(g)["C"]
    (1.5, 0.5, 0.3)
    >>> deadline_crunch(g)["A"]
    {'month': '2019-06', 'month_tasks': 2, 'quarter': '2019-Q2', 'quarter_tasks': 2}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .network import units


@dataclass(frozen=True, slots=True)
class LoadWeights:
    """What one task weighs for a unit, by role.  A lead answers for the task, so
    it weighs most; a supporting unit contributes part of the work."""

    lead: float = 1.0
    support: float = 0.3
    joint: float = 1.0


def role_counts(bipartite: nx.Graph) -> dict[str, dict[str, int]]:
    """Tasks each unit leads, supports and shares: ``{"lead": n, "support": n, "joint": n}``."""
    counts = {u: {"lead": 0, "support": 0, "joint": 0} for u in units(bipartite)}
    for u in counts:
        for _, data in bipartite[u].items():
            counts[u][data["role"]] += 1
    return counts


def documents_touched(bipartite: nx.Graph) -> dict[str, int]:
    """Distinct documents in which each unit has a task."""
    return {u: len({bipartite.nodes[t]["doc_id"] for t in bipartite[u]}) for u in units(bipartite)}


def weighted_load(bipartite: nx.Graph, weights: LoadWeights = LoadWeights()) -> dict[str, float]:
    """The weighted load of every unit (see the module docstring for the formula)."""
    load = dict.fromkeys(units(bipartite), 0.0)
    for task, attributes in bipartite.nodes(data=True):
        if attributes.get("node") != "task":
            continue
        by_role = Counter(data["role"] for _, data in bipartite[task].items())
        for unit, data in bipartite[task].items():
            role = data["role"]
            if role == "lead":
                load[unit] += weights.lead / by_role["lead"]
            elif role == "joint":
                load[unit] += weights.joint / by_role["joint"]
            else:
                load[unit] += weights.support
    return {u: round(v, 6) for u, v in load.items()}


def _quarter(month: str) -> str:
    year, m = month.split("-")
    return f"{year}-Q{(int(m) - 1) // 3 + 1}"


def deadline_crunch(bipartite: nx.Graph) -> dict[str, dict[str, object]]:
    """Per unit, the busiest month and quarter: how many of its tasks have a step due then.

    Ties go to the earliest period.  Units without dated tasks get ``None`` periods and 0."""
    result: dict[str, dict[str, object]] = {}
    for u in units(bipartite):
        months: Counter[str] = Counter()
        quarters: Counter[str] = Counter()
        for task in bipartite[u]:
            task_months = {d[:7] for d in bipartite.nodes[task].get("dues", ())}
            months.update(task_months)
            quarters.update({_quarter(m) for m in task_months})
        month = min(months, key=lambda m: (-months[m], m)) if months else None
        quarter = min(quarters, key=lambda q: (-quarters[q], q)) if quarters else None
        result[u] = {
            "month": month,
            "month_tasks": months[month] if month else 0,
            "quarter": quarter,
            "quarter_tasks": quarters[quarter] if quarter else 0,
        }
    return result
