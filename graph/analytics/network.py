"""networkx graphs read from the store through Cypher — no second copy of the data.

The responsibility network is bipartite: unit nodes (agencies and groups) and
task nodes, one edge per assignment carrying its role.  Its projection onto
units is the collaboration network: two units are linked when they share a
task, weighted by how many they share.  Analytics (load, centrality,
communities, overload) and exports (GraphML, GEXF for Gephi) start from here.

Example, on a hand-made network (two tasks, three agencies)::

    >>> import networkx as nx
    >>> b = nx.Graph()
    >>> b.add_nodes_from(["A", "B", "C"], node="unit", kind="agency")
    >>> b.add_nodes_from(["t1", "t2"], node="task")
    >>> b.add_edges_from([("A", "t1", {"role": "lead"}), ("B", "t1", {"role": "support"}),
    ...                   ("B", "t2", {"role": "lead"}), ("C", "t2", {"role": "support"})])
    >>> c = collaboration_graph(b)
    >>> sorted(c.edges(data="weight"))
    [('A', 'B', 1), ('B', 'C', 1)]
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import networkx as nx

from dutygraph.queries import statement

from ..store import GraphStore, QueryResult, collector_paused

#: The columns of :func:`network_edges`' rows (those of the ``network_edges`` query).
NETWORK_COLUMNS = [
    "unit_id", "unit", "kind", "unit_jurisdiction", "task_id", "task", "doc_id", "document", "role", "implicit",
    "due", "dues",
]  # fmt: skip
#: Units per query of the paged read, and documents per query of its tasks: every query stays
#: far inside the database's memory limit for one query (256 MB by default).  One query for the
#: whole network did not: at 100,000 tasks its 448k rows of 12 columns passed the limit.
UNITS_PER_PAGE = 2_000
DOCUMENTS_PER_PAGE = 200
#: Queries of the paged read in flight at once (FalkorDB answers reads on two threads by default).
READERS = 2

_DOCUMENTS = statement("network_documents").cypher
_UNITS = statement("network_units").cypher
_ASSIGNMENTS = statement("network_assignments").cypher
_UNIT_NODES = statement("network_unit_nodes").cypher
_TASK_NODES = statement("network_task_nodes").cypher
_MILESTONES = statement("network_milestones").cypher


def network_edges(
    store: GraphStore,
    *,
    documents: Sequence[str] | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
    level: str | None = None,
) -> QueryResult:
    """The rows of the ``network_edges`` query: one per assignment, sorted by unit and task.

    Both analytics engines start from these rows: networkx through :func:`bipartite_from_rows`,
    igraph through :meth:`.fast.Network.from_rows`.  Filters as in :func:`bipartite_graph`.

    Read in narrow pages rather than as that one query: the assignments (ids and roles) a page
    of units at a time, then each unit's and each task's own properties and the tasks' due
    dates once, joined here.  Each query then stays within the database's memory limit (the
    one query passed 256 MB at 100,000 tasks), the client decodes 2.6 values per assignment
    instead of 12, and the database does no per-row subquery and no sort: 7 s for the
    network of 100,000 tasks instead of 39."""
    with collector_paused():  # a million small lists made and joined: see collector_paused
        return network_parts(store, documents=documents, year=year, jurisdiction=jurisdiction, level=level).edges()


@dataclass(slots=True)
class NetworkParts:
    """The network as the paged read gets it, before the join into :func:`network_edges`' rows:
    what the igraph engine builds its arrays from (:meth:`.fast.Network.from_parts`) without
    448k rows of 12 values made in between at 100,000 tasks."""

    assignments: list[list[Any]]  # [unit_id, task_id, doc_id, role, implicit], sorted by unit and task
    units: dict[str, list[Any]]  # id → [id, name, kind, jurisdiction]
    tasks: dict[str, list[Any]]  # id → [id, title, doc_id, document, due]
    dues: dict[str, list[Any]]  # task id → its milestones' due dates

    def edges(self) -> QueryResult:
        """The rows of the ``network_edges`` query."""
        units, tasks, dues = self.units, self.tasks, self.dues
        rows = [
            [
                unit,
                *units[unit][1:],
                task_id,
                task[1],
                doc_id,
                task[3],
                role,
                implicit,
                task[4],
                dues.get(task_id) or [],
            ]
            for unit, task_id, doc_id, role, implicit in self.assignments
            for task in (tasks[task_id],)
        ]
        return QueryResult(list(NETWORK_COLUMNS), rows)


def network_parts(
    store: GraphStore,
    *,
    documents: Sequence[str] | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
    level: str | None = None,
) -> NetworkParts:
    """The paged read of :func:`network_edges`, not joined (call it with the collector paused:
    see :func:`.store.collector_paused`)."""
    filters: dict[str, Any] = {"documents": list(documents) if documents else None, "year": year}
    filters |= {"jurisdiction": jurisdiction, "level": level}
    filtered = any(value is not None for value in filters.values())
    doc_ids = [row[0] for row in store.read(_DOCUMENTS, filters).rows]
    unit_ids = sorted(row[0] for row in store.read(_UNITS).rows)
    kept = doc_ids if filtered else None
    # Two queries at a time: the database answers one while this process decodes the other.
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="dutygraph-network") as pool:
        assignment_pages = pool.map(
            lambda ids: store.read(_ASSIGNMENTS, {"ids": ids, "documents": kept}).rows, _pages(unit_ids, UNITS_PER_PAGE)
        )
        unit_pages = pool.map(lambda ids: store.read(_UNIT_NODES, {"ids": ids}).rows, _pages(unit_ids, UNITS_PER_PAGE))
        doc_pages = _pages(doc_ids, DOCUMENTS_PER_PAGE)
        task_pages = pool.map(lambda docs: store.read(_TASK_NODES, {"documents": docs}).rows, doc_pages)
        due_pages = pool.map(lambda docs: store.read(_MILESTONES, {"documents": docs}).rows, doc_pages)
        assignments: list[list[Any]] = []
        for page in assignment_pages:
            # pages in unit order, each sorted by unit and task: together sorted as the one query was
            page.sort(key=_UNIT_AND_TASK)
            assignments += page
        units = {row[0]: row for page in unit_pages for row in page}
        tasks = {row[0]: row for page in task_pages for row in page}
        dues: dict[str, list[Any]] = {}
        for page in due_pages:
            for task_id, due in page:
                dues.setdefault(task_id, []).append(due)
    return NetworkParts(assignments, units, tasks, dues)


_UNIT_AND_TASK = operator.itemgetter(0, 1)


def _pages(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def bipartite_from_rows(edges: QueryResult) -> nx.Graph:
    """The graph of :func:`bipartite_graph` from rows of the ``network_edges`` query."""
    if not edges.rows:  # an empty store answers without columns
        return nx.Graph()
    col = {name: i for i, name in enumerate(edges.columns)}
    unit_id, unit, kind, unit_jurisdiction = col["unit_id"], col["unit"], col["kind"], col["unit_jurisdiction"]
    task_id, task, doc_id, document = col["task_id"], col["task"], col["doc_id"], col["document"]
    role, implicit, due, dues = col["role"], col["implicit"], col["due"], col["dues"]
    unit_nodes: dict[str, dict[str, Any]] = {}
    task_nodes: dict[str, dict[str, Any]] = {}
    nodes: dict[str, dict[str, Any]] = {}  # units and tasks in order of first appearance
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for row in edges.rows:
        u, t = row[unit_id], row[task_id]
        # a node's properties are the same on every row it appears in: the first row gives them
        if u not in unit_nodes:
            unit_nodes[u] = nodes[u] = {
                "node": "unit",
                "bipartite": 0,
                "name": row[unit],
                "kind": row[kind],
                "jurisdiction": row[unit_jurisdiction] or "",
            }
        if t not in task_nodes:
            data = {
                "node": "task",
                "bipartite": 1,
                "name": row[task],
                "doc_id": row[doc_id],
                "document": row[document] or "",
                "dues": tuple(sorted(d for d in row[dues] if d)),
            }
            if row[due]:
                data["due"] = row[due]
            task_nodes[t] = nodes[t] = data
        # two rows for one unit and task (two roles): the last one wins, as add_edge would have it
        links[u, t] = {"role": row[role], "implicit": bool(row[implicit])}
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((u, t, data) for (u, t), data in links.items())
    return graph


def bipartite_graph(
    store: GraphStore,
    *,
    documents: Sequence[str] | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
    level: str | None = None,
) -> nx.Graph:
    """Units and tasks, an edge per assignment (``role``: lead / support / joint).

    Node attributes: ``node`` ("unit" or "task"), ``bipartite`` (0 for units, 1 for
    tasks, networkx's convention), ``name``, ``kind`` and ``jurisdiction`` for units;
    ``doc_id``, ``document``, ``due`` (last deadline) and ``dues`` (every dated step,
    kept out of file exports) for tasks.  Filters: documents (ids, 文号 or titles),
    year, jurisdiction and level of the documents."""
    return bipartite_from_rows(
        network_edges(store, documents=documents, year=year, jurisdiction=jurisdiction, level=level)
    )


def units(bipartite: nx.Graph) -> list[str]:
    return [n for n, data in bipartite.nodes(data=True) if data.get("node") == "unit"]


def tasks(bipartite: nx.Graph) -> list[str]:
    return [n for n, data in bipartite.nodes(data=True) if data.get("node") == "task"]


def collaboration_graph(bipartite: nx.Graph) -> nx.Graph:
    """The projection onto units: an edge for every pair that shares a task.

    Edge attributes: ``weight`` (tasks shared) and ``roles``, a dict counting
    the shared tasks by the pair's roles, e.g. ``{"lead+support": 3}``."""
    graph: nx.Graph[str] = nx.Graph()
    for unit in units(bipartite):
        graph.add_node(unit, **{k: v for k, v in bipartite.nodes[unit].items() if k != "bipartite"})
    for task in tasks(bipartite):
        members = sorted(bipartite[task].items())
        for i, (a, ea) in enumerate(members):
            for b, eb in members[i + 1 :]:
                pair = "+".join(sorted((ea["role"], eb["role"])))
                if graph.has_edge(a, b):
                    data = graph[a][b]
                    data["weight"] += 1
                    data["roles"][pair] = data["roles"].get(pair, 0) + 1
                else:
                    graph.add_edge(a, b, weight=1, roles={pair: 1})
    return graph


def for_export(bipartite: nx.Graph, metrics: dict[str, dict[str, Any]] | None = None) -> nx.Graph:
    """A copy for Gephi and other tools: every node labelled with its name (GEXF's ``label``, which
    Gephi shows), unit nodes carrying their ``metrics`` (load, overload, rank, centrality, community
    …), and only the scalar attributes GraphML and GEXF can hold.

    >>> b = nx.Graph()
    >>> b.add_node("unit-1", node="unit", name="省大数据局", dues=("2019-06-30",))
    >>> dict(for_export(b, {"unit-1": {"load": 1.3, "community": None}}).nodes["unit-1"])
    {'node': 'unit', 'name': '省大数据局', 'label': '省大数据局', 'load': 1.3}
    """
    graph: nx.Graph[str] = nx.Graph()
    metrics = metrics or {}
    for node, data in bipartite.nodes(data=True):
        attributes = {**data, "label": data.get("name") or str(node), **metrics.get(node, {})}
        graph.add_node(node, **{k: v for k, v in attributes.items() if isinstance(v, str | int | float | bool)})
    for a, b, data in bipartite.edges(data=True):
        graph.add_edge(a, b, **{k: v for k, v in data.items() if isinstance(v, str | int | float | bool)})
    return graph
