"""Analytics over the responsibility network: compute, write back, compare.

Reads the network through Cypher (:mod:`.network`), computes every per-unit
metric (:mod:`.workload`, :mod:`.centrality`, :mod:`.communities`) and the overload
ranking (:mod:`.overload`), and writes the results back onto the ``Unit`` nodes
with the graph version and the parameters they were computed with, so that
Cypher and audit tools read them like any other property (queries/overload_ranking.cypher
does).  The statements run here are in queries/, marked internal.

The **graph version** is a digest of the stored documents' fingerprints: it
changes whenever a document is loaded, replaced or removed, which is when the
stored results are recomputed.

**Engines.** Every metric is defined by the networkx functions of those modules,
the reference engine.  :mod:`.fast` computes the same metrics with igraph and numpy,
in a few seconds where networkx needs over a minute (about 100k agencies + tasks,
``benchmarks/bench_analytics.py``).  ``AnalyticsParams.engine`` picks one:

* ``"auto"`` (default) — networkx while the network is small: at most
  ``AnalyticsParams.auto_max_assignments`` assignments and units × collaboration links within
  :data:`.centrality.EXACT_LIMIT`, so that networkx computes betweenness exactly in
  about a second and everything in about two; igraph beyond (networkx if python-igraph
  is missing).  Small networks thus keep their networkx communities; a large one gets
  igraph's in seconds.
* ``"networkx"`` or ``"igraph"`` — that engine, whatever the size.

Both engines give identical load, deadline crunch, degrees and betweenness (exact, or
estimated from the same sampled sources), and PageRank within 1e-9.  Louvain is the
same method in two implementations, so communities (and with them brokerage and the
broker term of the overload) can differ.  The parameters stored with the results
carry the engine asked for (``engine``) and the one that ran (``engine_used``), and
changing ``engine`` recomputes the stored results.

Exact betweenness costs time ∝ units × links; beyond ``exact_betweenness_limit`` of
that product (default: the engine's own, :data:`.centrality.EXACT_LIMIT` for networkx,
:data:`.fast.EXACT_LIMIT` for igraph, about a second each) it is estimated from
``betweenness_sample`` source units drawn with ``seed``, and the result says so.

Example — the engines side by side on a small network (two tasks, three agencies)::

    >>> import networkx as nx
    >>> b = nx.Graph()
    >>> b.add_nodes_from("ABC", node="unit", name="", kind="agency")
    >>> b.add_nodes_from(["t1", "t2"], node="task", doc_id="d1", dues=("2021-06-30",))
    >>> b.add_edges_from([("A", "t1", {"role": "lead"}), ("B", "t1", {"role": "support"}),
    ...                   ("B", "t2", {"role": "lead"}), ("C", "t2", {"role": "support"})])
    >>> by_networkx, how = metrics_of(b, AnalyticsParams(engine="networkx"))
    >>> by_igraph, how_igraph = metrics_of(b, AnalyticsParams(engine="igraph"))
    >>> how.engine, how_igraph.engine, metrics_of(b, AnalyticsParams())[1].engine
    ('networkx', 'igraph', 'networkx')
    >>> by_networkx["B"]["load"], by_networkx["B"]["betweenness"], by_networkx["B"]["month_tasks"]
    (1.3, 1.0, 2)
    >>> by_igraph == by_networkx
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from dutygraph.queries import statement

from ..store import GraphStore, collector_paused
from . import centrality, fast
from .centrality import Betweenness, betweenness, degrees, pagerank
from .communities import brokerage, louvain
from .network import bipartite_from_rows, bipartite_graph, collaboration_graph, network_parts, units
from .overload import OverloadWeights, rank
from .workload import LoadWeights, deadline_crunch, documents_touched, role_counts, weighted_load

#: Unit properties the analytics own (cleared before every write-back).
METRIC_PROPERTIES = (
    "lead",
    "support",
    "joint",
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


ENGINES = ("auto", "networkx", "igraph")


@dataclass(frozen=True, slots=True)
class AnalyticsParams:
    """Every knob of the analytics, with documented defaults."""

    load: LoadWeights = field(default_factory=LoadWeights)
    overload: OverloadWeights = field(default_factory=OverloadWeights)
    exact_betweenness_limit: int | None = None  # units × links; beyond it, estimated (None: the engine's default)
    betweenness_sample: int = 256  # source nodes of the estimate
    pagerank_alpha: float = 0.85
    louvain_resolution: float = 1.0
    seed: int = 42
    engine: str = "auto"  # "auto", "networkx" or "igraph" (see the module docstring)
    # "auto" runs networkx on networks of at most this many assignments (and units × links within
    # centrality.EXACT_LIMIT): about two seconds of networkx at most; igraph beyond.
    auto_max_assignments: int = 20_000

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")

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
    engine: str = "networkx"  # the engine that ran ("auto" resolved)

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "params": self.params,
            "filters": self.filters,
            "computed_at": self.computed_at,
            "engine": self.engine,
            "betweenness": {"exact": self.betweenness_exact, "sample": self.betweenness_sample},
            "units": len(self.metrics),
        }


@dataclass(frozen=True, slots=True)
class Method:
    """How :func:`metrics_of` computed the metrics: the engine that ran, and the betweenness
    (``exact``, or estimated from ``sample`` sources) with its unrounded values."""

    engine: str
    betweenness: Betweenness


#: The layout of the results stored on the units: part of the graph version, so that a database
#: written by a version that stored them otherwise (2: tasks_lead → lead …) is recomputed on first use.
RESULTS_LAYOUT = 2
#: What RESULTS_LAYOUT 1 stored the role counts as: cleared by the write-back, so none stays behind.
RETIRED_PROPERTIES = ("tasks_lead", "tasks_support", "tasks_joint")


def graph_version(store: GraphStore) -> str:
    """A digest of the stored documents' fingerprints and of :data:`RESULTS_LAYOUT`."""
    rows = store.read(DOCUMENT_FINGERPRINTS).rows
    digest = hashlib.sha256(f"layout {RESULTS_LAYOUT};".encode())
    for doc_id, fingerprint in sorted(rows):
        digest.update(f"{doc_id}:{fingerprint};".encode())
    return digest.hexdigest()[:16]


def metrics_of(bipartite: nx.Graph, params: AnalyticsParams) -> tuple[dict[str, dict[str, Any]], Method]:
    """Every metric of every unit of a bipartite network (no store involved), and how they
    were computed.  The engine is ``params.engine``'s (see the module docstring)."""
    if params.engine == "networkx":
        return _networkx_metrics(bipartite, params)
    return _metrics(fast.Network.from_bipartite(bipartite), params, lambda: bipartite)


def _metrics(
    network: fast.Network, params: AnalyticsParams, bipartite: Callable[[], nx.Graph]
) -> tuple[dict[str, dict[str, Any]], Method]:
    """igraph, or for ``engine="auto"`` networkx on a small network (``bipartite`` gives its graph)."""
    links = fast.collaboration(network)  # numpy: a fraction of a second at 100k nodes
    if params.engine == "auto":
        work = links.number_of_nodes() * links.number_of_edges()
        small = network.assignments <= params.auto_max_assignments and work <= centrality.EXACT_LIMIT
        if small or not fast.available():
            return _networkx_metrics(bipartite(), params)
    elif not fast.available():
        raise ImportError('engine="igraph" needs python-igraph (pip install igraph)')
    return _igraph_metrics(network, links, params)


def _networkx_metrics(bipartite: nx.Graph, params: AnalyticsParams) -> tuple[dict[str, dict[str, Any]], Method]:
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
    nodes = bipartite.nodes
    about = [(u, nodes[u]["name"], nodes[u]["kind"], nodes[u].get("jurisdiction")) for u in units(bipartite)]
    metrics = _assemble(about, counts, documents, load, crunch, degree, weighted, between, ranks, communities, linked)
    return metrics, Method("networkx", between)


def _igraph_metrics(
    network: fast.Network, links: fast.Collaboration, params: AnalyticsParams
) -> tuple[dict[str, dict[str, Any]], Method]:
    counts = fast.role_counts(network)
    documents = fast.documents_touched(network)
    load = fast.weighted_load(network, params.load)
    crunch = fast.deadline_crunch(network)
    degree, weighted = fast.degrees(links)
    between = fast.betweenness(
        links,
        exact_limit=params.exact_betweenness_limit,
        sample=params.betweenness_sample,
        seed=params.seed,
    )
    ranks = fast.pagerank(links, alpha=params.pagerank_alpha)
    communities = fast.louvain(links, resolution=params.louvain_resolution, seed=params.seed)
    linked = fast.brokerage(links, communities)
    about = zip(network.unit_ids, network.names, network.kinds, network.jurisdictions, strict=True)
    metrics = _assemble(about, counts, documents, load, crunch, degree, weighted, between, ranks, communities, linked)
    return metrics, Method("igraph", between)


def _assemble(
    about: Iterable[tuple[str, Any, Any, Any]],  # (id, name, kind, jurisdiction) of every unit
    counts: dict[str, dict[str, int]],
    documents: dict[str, int],
    load: dict[str, float],
    crunch: dict[str, dict[str, object]],
    degree: dict[str, int],
    weighted: dict[str, Any],
    between: Betweenness,
    ranks: dict[str, float],
    communities: dict[str, int],
    linked: dict[str, int],
) -> dict[str, dict[str, Any]]:
    metrics: dict[str, dict[str, Any]] = {}
    for unit, name, kind, jurisdiction in about:
        metrics[unit] = {
            "name": name,
            "kind": kind,
            "jurisdiction": jurisdiction or None,
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
    return metrics


def compute(
    store: GraphStore, params: AnalyticsParams | None = None, filters: Filters | None = None
) -> AnalyticsResult:
    """Read the network (one Cypher query) and compute every metric and the ranking.

    The igraph engine starts from the query's rows (:meth:`.fast.Network.from_rows`),
    without building the networkx graph."""
    params = params or AnalyticsParams()
    filters = filters or Filters()
    # Hundreds of thousands of rows, arrays and dicts, none of them in a cycle: the cyclic
    # collector would walk them all again and again (1.4 of 7.9 CPU s at 100,000 tasks).
    with collector_paused():
        parts = network_parts(store, **filters.to_dict())
        if params.engine == "networkx":
            metrics, method = _networkx_metrics(bipartite_from_rows(parts.edges()), params)
        else:
            network = fast.Network.from_parts(parts)
            metrics, method = _metrics(network, params, lambda: bipartite_from_rows(parts.edges()))
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
        betweenness_exact=method.betweenness.exact,
        betweenness_sample=method.betweenness.sample,
        metrics=metrics,
        ranking=ranking,
        communities=[sorted(by_community[k]) for k in sorted(by_community)],
        engine=method.engine,
    )


#: The statements the analytics run (queries/, marked internal there).
DOCUMENT_FINGERPRINTS = statement("document_fingerprints").cypher
STORED_VERSION = statement("analytics_version").cypher
WRITE_BACK = statement("analytics_write_back").cypher


def write_back(store: GraphStore, result: AnalyticsResult) -> None:
    """Store the results on the Unit nodes, in one atomic write."""
    rows = []
    for entries in result.ranking.values():
        for e in entries:
            rows.append(
                {
                    "id": e["id"],
                    "props": {
                        "lead": e["lead"],
                        "support": e["support"],
                        "joint": e["joint"],
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
            "params": json.dumps({**result.params, "engine_used": result.engine}, sort_keys=True),
            "computed_at": result.computed_at,
            "betweenness_exact": result.betweenness_exact,
            "rows": rows,
        },
    )


def stored_version(store: GraphStore) -> tuple[str | None, str | None]:
    """(version, params as JSON) of the results stored on the graph, if any: the
    :class:`AnalyticsParams` and, under ``engine_used``, the engine that ran."""
    rows = store.read(STORED_VERSION).rows
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def refresh(store: GraphStore, params: AnalyticsParams | None = None) -> AnalyticsResult | None:
    """Recompute and store the whole-graph results unless they are current."""
    params = params or AnalyticsParams()
    version, stored_params = stored_version(store)
    if version == graph_version(store) and _asked(stored_params) == params.to_dict():
        return None
    result = compute(store, params)
    write_back(store, result)
    return result


def _asked(stored_params: str | None) -> dict[str, Any] | None:
    """The parameters asked for, from the stored JSON (without the engine that ran)."""
    if stored_params is None:
        return None
    asked: dict[str, Any] = json.loads(stored_params)
    asked.pop("engine_used", None)
    return asked


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
