"""The igraph engine: the analytics of :mod:`.workload`, :mod:`.centrality` and :mod:`.communities` for large networks.

networkx is the reference engine: its functions define every metric, and small
networks are computed with it.  On ~100k nodes (agencies + tasks) it needs over a
minute; this module computes the same metrics in a few seconds, with numpy for
the bookkeeping and python-igraph (C) for the graph algorithms.  Function for
function it mirrors the networkx API, returning the same dicts keyed by unit id:

* :class:`Network` — the bipartite unit–task network as arrays, built straight from
  the ``network_edges`` query's rows (:meth:`Network.from_rows`) or from the networkx
  graph of :func:`.network.bipartite_graph` (:meth:`Network.from_bipartite`);
* :func:`collaboration` — its projection onto units: pairs sharing a task, weighted
  by the tasks they share (no ``roles`` counts: the analytics do not use them);
* :func:`role_counts`, :func:`documents_touched`, :func:`weighted_load`,
  :func:`deadline_crunch` — as in :mod:`.workload`, with numpy;
* :func:`degrees`, :func:`betweenness`, :func:`pagerank` — as in :mod:`.centrality`;
* :func:`louvain`, :func:`brokerage` — as in :mod:`.communities`.

What agrees with networkx, and how closely:

* load, deadline crunch, role counts, documents, degree and weighted degree: identical;
* **betweenness**, exact: igraph counts each unordered pair once, networkx each ordered
  pair, so igraph's raw value × 2/((n−1)(n−2)) is networkx's normalised one.  Sampled:
  the source nodes are those networkx draws, ``random.Random(seed).sample(units, k)``
  in the same unit order; igraph's betweenness from those sources, × 2/((k−1)(n−2)) on
  the sources and × 2/(k(n−2)) elsewhere, is networkx's estimate (its ``_rescale``).
  Equal to about 1e-16 either way.  Exact up to ``exact_limit`` = n × m (units ×
  collaboration links; default :data:`EXACT_LIMIT`, about a second here);
* **PageRank**: ARPACK's eigenvector, the converged value: within about 1e-11 of
  networkx run to ``tol=1e-12`` (as :func:`.centrality.pagerank` does);
* **Louvain**: igraph's ``community_multilevel`` — the same method, another
  implementation, so the partition can differ from networkx's (on the synthetic
  networks of ``benchmarks/bench_analytics.py`` the modularity is the same to 3
  decimals at 10k and 100k nodes).  It draws from a ``random.Random(seed)`` of its own,
  so a graph always gets the same communities; numbered 0, 1, … from the largest, ties
  broken by the smallest unit id, as :func:`.communities.louvain` does.  **Brokerage**
  is computed from the partition exactly as :func:`.communities.brokerage` does.

Example — a chain of four agencies (A–B–C–D, one task per link)::

    >>> import networkx as nx
    >>> b = nx.Graph()
    >>> b.add_nodes_from("ABCD", node="unit", name="", kind="agency")
    >>> b.add_nodes_from(["t1", "t2", "t3"], node="task", doc_id="d1", dues=())
    >>> b.add_edges_from([("A", "t1", {"role": "lead"}), ("B", "t1", {"role": "support"}),
    ...                   ("B", "t2", {"role": "lead"}), ("C", "t2", {"role": "support"}),
    ...                   ("C", "t3", {"role": "lead"}), ("D", "t3", {"role": "support"})])
    >>> network = Network.from_bipartite(b)
    >>> weighted_load(network)
    {'A': 1.0, 'B': 1.3, 'C': 1.3, 'D': 0.3}
    >>> links = collaboration(network)
    >>> links.number_of_edges(), degrees(links)[0]
    (3, {'A': 1, 'B': 2, 'C': 2, 'D': 1})
    >>> {u: round(v, 6) for u, v in betweenness(links).values.items()}  # B: 2 of the 3 pairs without B
    {'A': 0.0, 'B': 0.666667, 'C': 0.666667, 'D': 0.0}

References: G. Csárdi & T. Nepusz, "The igraph software package for complex network research",
InterJournal Complex Systems 1695 (2006); U. Brandes, "A faster algorithm for betweenness
centrality", J. Math. Sociol. 25 (2001); U. Brandes & C. Pich, "Centrality estimation in large
networks", Int. J. Bifurcation and Chaos 17 (2007); V. D. Blondel et al., "Fast unfolding of
communities in large networks", J. Stat. Mech. (2008) P10008.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .centrality import Betweenness
from .workload import LoadWeights, _quarter

if TYPE_CHECKING:
    import igraph

    from ..store import QueryResult
    from .network import NetworkParts

#: Exact betweenness while units × collaboration links stay at or below this; beyond it,
#: estimated from sampled sources.  igraph's exact betweenness ran at 5·10⁷–10⁸ of n × m
#: a second on the benchmark networks (2 CPUs, AMD EPYC): about a second at this limit.
EXACT_LIMIT = 50_000_000

ROLES = ("lead", "support", "joint")
DEFAULT_WEIGHTS = LoadWeights()
_ROLE_CODE = {role: code for code, role in enumerate(ROLES)}

# igraph's random numbers come from one process-wide generator (Python's ``random``
# module by default); Louvain swaps in a seeded one of its own, one call at a time.
_RNG_LOCK = threading.Lock()


def available() -> bool:
    """Whether python-igraph can be imported."""
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------- the network as arrays


@dataclass(slots=True)
class Network:
    """The bipartite network as arrays: units 0…n−1 (in the order networkx's graph has
    them), tasks 0…t−1, one entry per assignment (``edge_unit``, ``edge_task``,
    ``edge_role`` — an index in :data:`ROLES`), and the months each task has a step due
    in: ``months[month_code[i]]`` for i in ``month_ptr[t]:month_ptr[t + 1]``."""

    unit_ids: list[str]
    names: list[Any]
    kinds: list[Any]
    jurisdictions: list[Any]
    edge_unit: np.ndarray
    edge_task: np.ndarray
    edge_role: np.ndarray
    task_doc: np.ndarray  # per task, its document as a number
    month_ptr: np.ndarray
    month_code: np.ndarray
    months: list[str]  # "2019-06", in order of first appearance

    @property
    def assignments(self) -> int:
        return len(self.edge_unit)

    @property
    def tasks(self) -> int:
        return len(self.task_doc)

    @classmethod
    def from_rows(cls, edges: QueryResult) -> Network:
        """From the rows of the ``network_edges`` query (no networkx graph in between).
        Units and tasks come in order of first appearance, and a node's properties from its
        first row, as in :func:`.network.bipartite_from_rows`."""
        if not edges.rows:  # an empty store answers without columns
            return cls.from_bipartite(nx.Graph())
        col = {name: i for i, name in enumerate(edges.columns)}
        rows = edges.rows
        unit_id, task_id, role = col["unit_id"], col["task_id"], col["role"]
        unit_of_row = [row[unit_id] for row in rows]
        task_of_row = [row[task_id] for row in rows]
        role_of_row = [row[role] for row in rows]
        units = {u: i for i, u in enumerate(dict.fromkeys(unit_of_row))}
        tasks = {t: i for i, t in enumerate(dict.fromkeys(task_of_row))}
        edge_unit = np.fromiter(map(units.__getitem__, unit_of_row), dtype=np.int64, count=len(rows))
        edge_task = np.fromiter(map(tasks.__getitem__, task_of_row), dtype=np.int64, count=len(rows))
        edge_role = np.fromiter(map(_ROLE_CODE.__getitem__, role_of_row), dtype=np.int8, count=len(rows))
        unit_rows = [rows[i] for i in _first_rows(edge_unit)]
        task_rows = [rows[i] for i in _first_rows(edge_task)]
        name, kind, jurisdiction = col["unit"], col["kind"], col["unit_jurisdiction"]
        doc_id, dues = col["doc_id"], col["dues"]
        docs: dict[Any, int] = {}
        return cls._of(
            list(units),
            [row[name] for row in unit_rows],
            [row[kind] for row in unit_rows],
            [row[jurisdiction] or "" for row in unit_rows],
            edge_unit,
            edge_task,
            edge_role,
            [docs.setdefault(row[doc_id], len(docs)) for row in task_rows],
            [row[dues] for row in task_rows],
            # two rows for one unit and task (two roles): one edge, the last row's role, as in networkx
            deduplicate=True,
        )

    @classmethod
    def from_parts(cls, parts: NetworkParts) -> Network:
        """From the paged read's parts (:func:`.network.network_parts`): what :meth:`from_rows`
        gives from their joined rows, without the join."""
        rows = parts.assignments
        if not rows:
            return cls.from_bipartite(nx.Graph())
        unit_of_row = [row[0] for row in rows]
        task_of_row = [row[1] for row in rows]
        units = {u: i for i, u in enumerate(dict.fromkeys(unit_of_row))}
        tasks = {t: i for i, t in enumerate(dict.fromkeys(task_of_row))}
        edge_unit = np.fromiter(map(units.__getitem__, unit_of_row), dtype=np.int64, count=len(rows))
        edge_task = np.fromiter(map(tasks.__getitem__, task_of_row), dtype=np.int64, count=len(rows))
        edge_role = np.fromiter((_ROLE_CODE[row[3]] for row in rows), dtype=np.int8, count=len(rows))
        unit_rows = [parts.units[u] for u in units]
        docs: dict[Any, int] = {}
        return cls._of(
            list(units),
            [row[1] for row in unit_rows],
            [row[2] for row in unit_rows],
            [row[3] or "" for row in unit_rows],
            edge_unit,
            edge_task,
            edge_role,
            [docs.setdefault(parts.tasks[t][2], len(docs)) for t in tasks],
            [parts.dues.get(t) or [] for t in tasks],
            deduplicate=True,  # as from_rows: two roles of one unit on one task are one edge, the last role
        )

    @classmethod
    def from_bipartite(cls, bipartite: nx.Graph) -> Network:
        """From the networkx graph of :func:`.network.bipartite_graph` (or one shaped like it:
        ``node`` = "unit" or "task" on every node, ``role`` on every edge)."""
        unit_ids, names, kinds, jurisdictions = [], [], [], []
        tasks: dict[Any, int] = {}
        docs: dict[Any, int] = {}
        task_doc, task_dues = [], []
        for node, data in bipartite.nodes(data=True):
            kind = data.get("node")
            if kind == "unit":
                unit_ids.append(node)
                names.append(data["name"])
                kinds.append(data["kind"])
                jurisdictions.append(data.get("jurisdiction") or "")
            elif kind == "task":
                tasks[node] = len(tasks)
                task_doc.append(docs.setdefault(data["doc_id"], len(docs)))
                task_dues.append(data.get("dues", ()))
        adj = bipartite.adj
        edge_unit: list[int] = []
        edge_task: list[int] = []
        edge_role: list[int] = []
        for u, unit in enumerate(unit_ids):
            neighbours = adj[unit]
            if all(t in tasks for t in neighbours):
                edge_unit.extend([u] * len(neighbours))
                edge_task.extend(map(tasks.__getitem__, neighbours))
                edge_role.extend(_ROLE_CODE[data["role"]] for data in neighbours.values())
            else:  # not bipartite: only unit–task edges count
                for t, data in neighbours.items():
                    if t in tasks:
                        edge_unit.append(u)
                        edge_task.append(tasks[t])
                        edge_role.append(_ROLE_CODE[data["role"]])
        return cls._of(
            unit_ids,
            names,
            kinds,
            jurisdictions,
            np.array(edge_unit, dtype=np.int64),
            np.array(edge_task, dtype=np.int64),
            np.array(edge_role, dtype=np.int8),
            task_doc,
            task_dues,
        )

    @classmethod
    def _of(
        cls,
        unit_ids: list[str],
        names: list[Any],
        kinds: list[Any],
        jurisdictions: list[Any],
        edge_unit: np.ndarray,
        edge_task: np.ndarray,
        edge_role: np.ndarray,
        task_doc: list[int],
        task_dues: list[Any],
        *,
        deduplicate: bool = False,
    ) -> Network:
        if deduplicate:
            key = edge_unit * max(len(task_doc), 1) + edge_task
            if len(_distinct(key)) < len(key):
                keep = np.sort(len(key) - 1 - np.unique(key[::-1], return_index=True)[1])  # the last of each
                edge_unit, edge_task, edge_role = edge_unit[keep], edge_task[keep], edge_role[keep]
        months: dict[str, int] = {}
        sizes: list[int] = []
        codes: list[int] = []
        for dues in task_dues:
            task_months = {d[:7] for d in dues if d}
            sizes.append(len(task_months))
            codes.extend(months.setdefault(m, len(months)) for m in task_months)
        month_ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=month_ptr[1:])
        return cls(
            unit_ids, names, kinds, jurisdictions, edge_unit, edge_task, edge_role,
            np.array(task_doc, dtype=np.int64), month_ptr, np.array(codes, dtype=np.int64), list(months),
        )  # fmt: skip


def _first_rows(codes: np.ndarray) -> list[int]:
    """Where each code first appears, for codes numbered 0, 1, … in order of first appearance."""
    if not len(codes):
        return []
    running = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[True, running[1:] != running[:-1]]).tolist()


def _distinct(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` by sorting (numpy 2's hash-based unique was 20× slower here)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


# ---------------------------------------------------------------------------- the collaboration network


@dataclass(slots=True)
class Collaboration:
    """The projection onto units: link ``i`` joins units ``first[i] < second[i]`` (indices in
    ``unit_ids``), who share ``weight[i]`` tasks.  :meth:`graph` is the igraph Graph."""

    unit_ids: list[str]
    first: np.ndarray
    second: np.ndarray
    weight: np.ndarray
    _graph: Any = field(default=None, repr=False)

    def number_of_nodes(self) -> int:
        return len(self.unit_ids)

    def number_of_edges(self) -> int:
        return len(self.first)

    def graph(self) -> igraph.Graph:
        """The undirected igraph Graph: vertex i is unit i, edge attribute ``weight``."""
        if self._graph is None:
            import igraph

            edges = list(zip(self.first.tolist(), self.second.tolist(), strict=True))
            g = igraph.Graph(n=len(self.unit_ids), edges=edges)
            g.es["weight"] = self.weight.tolist()
            self._graph = g
        return self._graph


def collaboration(network: Network) -> Collaboration:
    """Every pair of units that share a task, weighted by how many they share (numpy only)."""
    n = len(network.unit_ids)
    order = np.lexsort((network.edge_unit, network.edge_task))  # by task, then unit
    unit = network.edge_unit[order]
    task = network.edge_task[order]
    starts = np.flatnonzero(np.r_[True, task[1:] != task[:-1]]) if len(task) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(task)])
    end = np.repeat(starts + sizes, sizes)  # per position: where its task's units end
    firsts, seconds = [], []
    candidates = np.flatnonzero(np.arange(len(task)) + 1 < end)
    step = 1
    while len(candidates):  # pairs (p, p + step) within a task, for step = 1, 2, …
        firsts.append(unit[candidates])
        seconds.append(unit[candidates + step])
        step += 1
        candidates = candidates[candidates + step < end[candidates]]
    if firsts:
        keys, weight = np.unique(np.concatenate(firsts) * n + np.concatenate(seconds), return_counts=True)
    else:
        keys, weight = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return Collaboration(list(network.unit_ids), keys // max(n, 1), keys % max(n, 1), weight)


# ---------------------------------------------------------------------------- load (as in .load)


def role_counts(network: Network) -> dict[str, dict[str, int]]:
    """Tasks each unit leads, supports and shares (:func:`.workload.role_counts`)."""
    n = len(network.unit_ids)
    by_role = [np.bincount(network.edge_unit[network.edge_role == code], minlength=n).tolist() for code in (0, 1, 2)]
    return {
        unit: {"lead": lead, "support": support, "joint": joint}
        for unit, lead, support, joint in zip(network.unit_ids, *by_role, strict=True)
    }


def documents_touched(network: Network) -> dict[str, int]:
    """Distinct documents in which each unit has a task (:func:`.workload.documents_touched`)."""
    n_docs = int(network.task_doc.max()) + 1 if len(network.task_doc) else 1
    pairs = _distinct(network.edge_unit * n_docs + network.task_doc[network.edge_task])
    counts = np.bincount(pairs // n_docs, minlength=len(network.unit_ids))
    return dict(zip(network.unit_ids, counts.tolist(), strict=True))


def weighted_load(network: Network, weights: LoadWeights = DEFAULT_WEIGHTS) -> dict[str, float]:
    """The weighted load of every unit (:func:`.workload.weighted_load`)."""
    n_tasks = len(network.task_doc)
    role, task = network.edge_role, network.edge_task
    leads = np.bincount(task[role == 0], minlength=n_tasks)
    joint = np.bincount(task[role == 2], minlength=n_tasks)
    share = np.where(
        role == 0,
        weights.lead / np.maximum(leads[task], 1),
        np.where(role == 2, weights.joint / np.maximum(joint[task], 1), weights.support),
    )
    load = np.bincount(network.edge_unit, weights=share, minlength=len(network.unit_ids))
    return {u: round(v, 6) for u, v in zip(network.unit_ids, load.tolist(), strict=True)}


def _busiest(network: Network, ptr: np.ndarray, code: np.ndarray, labels: list[str]) -> tuple[list[Any], list[int]]:
    """Per unit, the period with most of its tasks (the earliest label on a tie) and their
    number; the periods of task t are ``code[ptr[t]:ptr[t + 1]]``, indices in the sorted ``labels``."""
    n = len(network.unit_ids)
    best: list[Any] = [None] * n
    tasks = [0] * n
    per_edge = (ptr[1:] - ptr[:-1])[network.edge_task]
    total = int(per_edge.sum())
    if total == 0:
        return best, tasks
    # one entry per (assignment, period of its task)
    within = np.arange(total) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    period = code[np.repeat(ptr[network.edge_task], per_edge) + within]
    unit = np.repeat(network.edge_unit, per_edge)
    keys, tally = np.unique(unit * len(labels) + period, return_counts=True)
    k_unit, k_period = keys // len(labels), keys % len(labels)
    order = np.lexsort((k_period, -tally, k_unit))  # by unit, then most tasks, then earliest
    head = order[np.r_[True, k_unit[order][1:] != k_unit[order][:-1]]]
    for u, p, c in zip(k_unit[head].tolist(), k_period[head].tolist(), tally[head].tolist(), strict=True):
        best[u] = labels[p]
        tasks[u] = c
    return best, tasks


def deadline_crunch(network: Network) -> dict[str, dict[str, object]]:
    """Per unit, the busiest month and quarter (:func:`.workload.deadline_crunch`)."""
    months = sorted(network.months)  # sorted labels: index order is date order
    rank = np.empty(len(months), dtype=np.int64)
    rank[[network.months.index(m) for m in months]] = np.arange(len(months))
    month_code = rank[network.month_code]
    month, month_tasks = _busiest(network, network.month_ptr, month_code, months)
    quarters = sorted({_quarter(m) for m in months})
    quarter_of = np.array([quarters.index(_quarter(m)) for m in months], dtype=np.int64)
    # a task with steps in two months of one quarter counts once in it
    task = np.repeat(np.arange(network.tasks), network.month_ptr[1:] - network.month_ptr[:-1])
    key = _distinct(task * max(len(quarters), 1) + quarter_of[month_code])
    quarter_ptr = np.zeros(network.tasks + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // max(len(quarters), 1), minlength=network.tasks), out=quarter_ptr[1:])
    quarter, quarter_tasks = _busiest(network, quarter_ptr, key % max(len(quarters), 1), quarters)
    return {
        unit: {"month": month[i], "month_tasks": month_tasks[i], "quarter": quarter[i],
               "quarter_tasks": quarter_tasks[i]}
        for i, unit in enumerate(network.unit_ids)
    }  # fmt: skip


# ---------------------------------------------------------------------------- centrality (as in .centrality)


def degrees(links: Collaboration) -> tuple[dict[str, int], dict[str, int]]:
    """(partners, tasks shared with them summed) for every unit (:func:`.centrality.degrees`)."""
    n = len(links.unit_ids)
    ends = np.concatenate([links.first, links.second])
    partners = np.bincount(ends, minlength=n)
    shared = np.bincount(ends, weights=np.concatenate([links.weight, links.weight]), minlength=n).astype(np.int64)
    return dict(zip(links.unit_ids, partners.tolist(), strict=True)), dict(
        zip(links.unit_ids, shared.tolist(), strict=True)
    )


def betweenness(
    links: Collaboration, *, exact_limit: int | None = None, sample: int = 256, seed: int = 42
) -> Betweenness:
    """Normalised betweenness, unweighted (:func:`.centrality.betweenness`): exact while
    units × links ≤ ``exact_limit`` (default :data:`EXACT_LIMIT`), else estimated from the
    ``sample`` source units networkx would draw with ``seed``."""
    n, m = links.number_of_nodes(), links.number_of_edges()
    limit = EXACT_LIMIT if exact_limit is None else exact_limit
    if n * m <= limit:
        raw = np.array(links.graph().betweenness(directed=False)) if n else np.zeros(0)
        values = raw * (2 / ((n - 1) * (n - 2))) if n > 2 else raw
        return Betweenness(dict(zip(links.unit_ids, values.tolist(), strict=True)), True, None)
    k = min(sample, n)
    index = {u: i for i, u in enumerate(links.unit_ids)}
    sources = [index[u] for u in random.Random(seed).sample(links.unit_ids, k)]  # networkx's draw
    values = np.array(links.graph().betweenness(directed=False, sources=sources))
    if n > 2:
        scale = np.full(n, 2 / (k * (n - 2)))
        scale[sources] = 2 / ((k - 1) * (n - 2)) if k > 1 else np.nan  # networkx: undefined for k = 1
        values = values * scale
    return Betweenness(dict(zip(links.unit_ids, values.tolist(), strict=True)), False, k)


def pagerank(links: Collaboration, *, alpha: float = 0.85) -> dict[str, float]:
    """PageRank weighted by tasks shared (:func:`.centrality.pagerank`), ARPACK's converged value."""
    if not links.unit_ids:
        return {}
    g = links.graph()
    ranks = g.pagerank(directed=False, damping=alpha, weights=g.es["weight"] or None, implementation="arpack")
    return dict(zip(links.unit_ids, ranks, strict=True))


# ---------------------------------------------------------------------------- communities (as in .communities)


def louvain(links: Collaboration, *, resolution: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Community number of every unit, 0 the largest (:func:`.communities.louvain`, with
    igraph's ``community_multilevel``: the partition may differ from networkx's)."""
    if not links.unit_ids:
        return {}
    import igraph

    g = links.graph()
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = g.community_multilevel(weights=g.es["weight"] or None, resolution=resolution).membership
        finally:
            igraph.set_random_number_generator(random)  # igraph's default
    parts: dict[int, list[str]] = {}
    for unit, part in zip(links.unit_ids, membership, strict=True):
        parts.setdefault(part, []).append(unit)
    ordered = sorted(parts.values(), key=lambda part: (-len(part), min(part)))
    return {unit: number for number, part in enumerate(ordered) for unit in part}


def brokerage(links: Collaboration, communities: dict[str, int]) -> dict[str, int]:
    """Communities, other than its own, that a unit's partners belong to (:func:`.communities.brokerage`)."""
    n = len(links.unit_ids)
    if not n:
        return {}
    community = np.array([communities[u] for u in links.unit_ids], dtype=np.int64)
    count = int(community.max()) + 1
    a, b = links.first, links.second
    cross = community[a] != community[b]
    # (unit, a partner's community), each pair once
    pairs = _distinct(np.concatenate([a[cross] * count + community[b[cross]], b[cross] * count + community[a[cross]]]))
    linked = np.bincount(pairs // count, minlength=n)
    return dict(zip(links.unit_ids, linked.tolist(), strict=True))
