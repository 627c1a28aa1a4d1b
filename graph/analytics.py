"""Analytics over the responsibility network: compute, write back, compare.

Reads the network through Cypher (:mod:`.networks`), computes every per-unit
metric (:mod:`.load`, :mod:`.centrality`, :mod:`.communities`) and the overload
ranking (:mod:`.overload`), and writes the results back onto the ``Unit`` nodes
with the graph version and the parameters they were computed with, so that
Cypher and audit tools read them like any other property::

    MATCH (u:Agency) WHERE u.overload_rank <= 10
    RETURN u.name, u.overload, u.overload_reasons ORDER BY u.overload_rank

The **graph version** is a digest of the stored documents' fingerprints: it
changes whenever a document is loaded, replaced or removed, which is when the
stored results are recomputed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from .centrality import betweenness, degrees, pagerank
from .communities import brokerage, louvain
from .load import LoadWeights, deadline_crunch, documents_touched, role_counts, weighted_load
from .networks import bipartite_graph, collaboration_graph, units
from .overload import OverloadWeights, rank
from .store import GraphStore

#: Unit properties the analytics own (cleared before every write-back).
METRIC_PROPERTIES = (
    "tasks_lead",
    "tasks_support",
    "tasks_joint",
    "document_count",
    "partners",
    "load",
    "peak_month",
    "peak_month_tasks",
    "peak_quarter",
    "peak_quarter_tasks",
    "degree",
    "weighted_degree",
    "betweenness",
    "pagerank",
    "community",
    "communities_linked",
    "broker",
    "overload",
    "overload_rank",
    "overload_reasons",
    "analytics_version",
)


@dataclass(frozen=True, slots=True)
class AnalyticsParams:
    """Every knob of the analytics, with documented defaults."""

    load: LoadWeights = field(default_factory=LoadWeights)
    overload: OverloadWeights = field(default_factory=OverloadWeights)
    exact_betweenness_limit: int = 2000  # nodes; beyond this betweenness is estimated
    betweenness_sample: int = 256  # source nodes of the estimate
    pagerank_alpha: float = 0.85
    louvain_resolution: float = 1.0
    seed: int = 42

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Filters:
    """Which documents the network is built from (all of them by default)."""

    documents: tuple[str, ...] | None = None
    year: int | None = None
    jurisdiction: str | None = None
    level: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.documents or self.year or self.jurisdiction or self.level)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": list(self.documents) if self.documents else None,
            "year": self.year,
            "jurisdiction": self.jurisdiction,
            "level": self.level,
        }


@dataclass(slots=True)
class AnalyticsResult:
    version: str
    params: dict[str, Any]
    filters: dict[str, Any]
    computed_at: str
    betweenness_exact: bool
    betweenness_sample: int | None
    metrics: dict[str, dict[str, Any]]  # unit id → metrics
    ranking: dict[str, list[dict[str, Any]]]  # "agencies" and "groups", highest overload first
    communities: list[list[str]]  # unit ids, largest community first

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "params": self.params,
            "filters": self.filters,
            "computed_at": self.computed_at,
            "betweenness": {"exact": self.betweenness_exact, "sample": self.betweenness_sample},
            "units": len(self.metrics),
        }


def graph_version(store: GraphStore) -> str:
    rows = store.read(DOCUMENT_FINGERPRINTS).rows
    digest = hashlib.sha256()
    for doc_id, fingerprint in sorted(rows):
        digest.update(f"{doc_id}:{fingerprint};".encode())
    return digest.hexdigest()[:16]


def metrics_of(bipartite: nx.Graph, params: AnalyticsParams) -> tuple[dict[str, dict[str, Any]], Any]:
    """Every metric of every unit of a bipartite network (no store involved)."""
    collaboration = collaboration_graph(bipartite)
    counts = role_counts(bipartite)
    documents = documents_touched(bipartite)
    load = weighted_load(bipartite, params.load)
    crunch = deadline_crunch(bipartite)
    degree, weighted = degrees(collaboration)
    between = betweenness(
        collaboration,
        exact_limit=params.exact_betweenness_limit,
        sample=params.betweenness_sample,
        seed=params.seed,
    )
    ranks = pagerank(collaboration, alpha=params.pagerank_alpha)
    communities = louvain(collaboration, resolution=params.louvain_resolution, seed=params.seed)
    linked = brokerage(collaboration, communities)
    metrics: dict[str, dict[str, Any]] = {}
    for unit in units(bipartite):
        data = bipartite.nodes[unit]
        metrics[unit] = {
            "name": data["name"],
            "kind": data["kind"],
            "jurisdiction": data.get("jurisdiction") or None,
            **counts[unit],
            "documents": documents[unit],
            "partners": degree.get(unit, 0),
            "load": load[unit],
            **crunch[unit],
            "degree": degree.get(unit, 0),
            "weighted_degree": weighted.get(unit, 0),
            "betweenness": round(between.values.get(unit, 0.0), 6),
            "pagerank": round(ranks.get(unit, 0.0), 6),
            "community": communities.get(unit),
            "communities_linked": linked.get(unit, 0),
            "broker": linked.get(unit, 0) >= 2,
        }
    return metrics, between


def compute(
    store: GraphStore, params: AnalyticsParams | None = None, filters: Filters | None = None
) -> AnalyticsResult:
    params = params or AnalyticsParams()
    filters = filters or Filters()
    bipartite = bipartite_graph(store, **filters.to_dict())
    metrics, between = metrics_of(bipartite, params)
    ranking = rank(metrics, params.overload)
    by_community: dict[int, list[str]] = {}
    for unit, m in metrics.items():
        if m["community"] is not None:
            by_community.setdefault(m["community"], []).append(unit)
    return AnalyticsResult(
        version=graph_version(store),
        params=params.to_dict(),
        filters=filters.to_dict(),
        computed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        betweenness_exact=between.exact,
        betweenness_sample=between.sample,
        metrics=metrics,
        ranking=ranking,
        communities=[sorted(by_community[k]) for k in sorted(by_community)],
    )


DOCUMENT_FINGERPRINTS = "MATCH (d:Document) WHERE d.stub = false RETURN d.id AS id, d.fingerprint AS fingerprint"
STORED_VERSION = "MATCH (a:Analytics {id: 'network'}) RETURN a.version, a.params"
_CLEAR = ", ".join(f"u.{p} = null" for p in METRIC_PROPERTIES)
WRITE_BACK = f"""MERGE (a:Analytics {{id: 'network'}})
SET a.version = $version, a.params = $params, a.computed_at = $computed_at,
    a.betweenness_exact = $betweenness_exact
WITH a
MATCH (u:Unit)
SET {_CLEAR}
WITH count(u) AS cleared
UNWIND $rows AS row
MATCH (u:Unit {{id: row.id}})
SET u += row.props
RETURN count(u) AS written"""


def write_back(store: GraphStore, result: AnalyticsResult) -> None:
    """Store the results on the Unit nodes, in one atomic write."""
    rows = []
    for entries in result.ranking.values():
        for e in entries:
            rows.append(
                {
                    "id": e["id"],
                    "props": {
                        "tasks_lead": e["lead"],
                        "tasks_support": e["support"],
                        "tasks_joint": e["joint"],
                        "document_count": e["documents"],
                        "partners": e["partners"],
                        "load": e["load"],
                        "peak_month": e["month"],
                        "peak_month_tasks": e["month_tasks"],
                        "peak_quarter": e["quarter"],
                        "peak_quarter_tasks": e["quarter_tasks"],
                        "degree": e["degree"],
                        "weighted_degree": e["weighted_degree"],
                        "betweenness": e["betweenness"],
                        "pagerank": e["pagerank"],
                        "community": e["community"],
                        "communities_linked": e["communities_linked"],
                        "broker": e["broker"],
                        "overload": e["overload"],
                        "overload_rank": e["rank"],
                        "overload_reasons": [e["reasons"]],
                        "analytics_version": result.version,
                    },
                }
            )
    store.write(
        WRITE_BACK,
        {
            "version": result.version,
            "params": json.dumps(result.params, sort_keys=True),
            "computed_at": result.computed_at,
            "betweenness_exact": result.betweenness_exact,
            "rows": rows,
        },
    )


def stored_version(store: GraphStore) -> tuple[str | None, str | None]:
    """(version, params as JSON) of the results stored on the graph, if any."""
    rows = store.read(STORED_VERSION).rows
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def refresh(store: GraphStore, params: AnalyticsParams | None = None) -> AnalyticsResult | None:
    """Recompute and store the whole-graph results unless they are current."""
    params = params or AnalyticsParams()
    version, stored_params = stored_version(store)
    if version == graph_version(store) and stored_params == json.dumps(params.to_dict(), sort_keys=True):
        return None
    result = compute(store, params)
    write_back(store, result)
    return result


# ---------------------------------------------------------------- comparison


def compare(store: GraphStore, a: Filters, b: Filters, params: AnalyticsParams | None = None) -> dict[str, Any]:
    """Who gained or lost load from network A to network B, and which collaborations
    appeared or disappeared (pairs of units sharing at least one task)."""
    params = params or AnalyticsParams()
    graphs = [bipartite_graph(store, **f.to_dict()) for f in (a, b)]
    loads = [weighted_load(g, params.load) for g in graphs]
    names = {u: g.nodes[u]["name"] for g in graphs for u in units(g)}
    changes = []
    for unit in sorted(set(loads[0]) | set(loads[1])):
        before, after = loads[0].get(unit, 0.0), loads[1].get(unit, 0.0)
        if before != after:
            changes.append(
                {"id": unit, "name": names[unit], "a": before, "b": after, "change": round(after - before, 6)}
            )
    changes.sort(key=lambda c: (-abs(c["change"]), c["name"]))
    pairs = [{tuple(sorted(e)) for e in collaboration_graph(g).edges()} for g in graphs]

    def named(edges: set[tuple[str, str]]) -> list[list[str]]:
        return sorted(sorted([names[x], names[y]]) for x, y in edges)

    return {
        "a": a.to_dict(),
        "b": b.to_dict(),
        "gained": [c for c in changes if c["change"] > 0],
        "lost": [c for c in changes if c["change"] < 0],
        "collaborations": {"appeared": named(pairs[1] - pairs[0]), "disappeared": named(pairs[0] - pairs[1])},
    }
