"""networkx graphs read from the store through Cypher — no second copy of the data.

The responsibility network is bipartite: unit nodes (agencies and groups) and
task nodes, one edge per assignment carrying its role.  Analytics (centrality,
communities, overload) and exports (GraphML, GEXF for Gephi) start from here.

>>> # g = bipartite_graph(services.store, year=2019)
>>> # g.nodes["ag_fdf0886b9eea"]["name"]  → '浙江省大数据发展管理局'
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from dutygraph.queries import load_query

from .store import GraphStore


def _edges(store: GraphStore, filters: dict[str, Any]) -> list[dict[str, Any]]:
    query = load_query("network_edges")
    return store.read(query.cypher, query.bind(filters)).records()


def bipartite_graph(
    store: GraphStore,
    *,
    document: str | None = None,
    year: int | None = None,
    jurisdiction: str | None = None,
    level: str | None = None,
) -> nx.Graph:
    """Units and tasks, an edge per assignment (``role``: lead / support / joint).

    Node attributes: ``node`` ("unit" or "task"), ``bipartite`` (0 for units, 1 for
    tasks, networkx's convention), ``name``/``title``, ``kind``, ``jurisdiction``;
    tasks also ``doc_id``, ``document`` and ``due`` when dated."""
    graph = nx.Graph()
    for e in _edges(store, {"document": document, "year": year, "jurisdiction": jurisdiction, "level": level}):
        graph.add_node(
            e["unit_id"],
            node="unit",
            bipartite=0,
            name=e["unit"],
            kind=e["kind"],
            jurisdiction=e["unit_jurisdiction"] or "",
        )
        task_attrs = {"node": "task", "bipartite": 1, "name": e["task"], "doc_id": e["doc_id"]}
        task_attrs["document"] = e["document"]
        if e["due"]:
            task_attrs["due"] = e["due"]
        graph.add_node(e["task_id"], **task_attrs)
        graph.add_edge(e["unit_id"], e["task_id"], role=e["role"], implicit=bool(e["implicit"]))
    return graph
