"""What is computed from the responsibility network, over the store.

=============== ==============================================================================
``network``     the network read through Cypher: units and tasks (bipartite), units (collaboration)
``workload``    tasks by role, documents, weighted load, deadline crunch
``centrality``  degrees, betweenness, PageRank
``communities`` Louvain communities and brokerage
``overload``    the overload ranking and its reasons
``fast``        the igraph engine: the same metrics for large networks
``analysis``    every metric at once, written back onto the graph; comparing two networks
=============== ==============================================================================

``from dutygraph.graph import analytics`` gives :mod:`.analysis`'s public names.
"""

from __future__ import annotations

from .analysis import (
    DOCUMENT_FINGERPRINTS,
    ENGINES,
    METRIC_PROPERTIES,
    STORED_VERSION,
    WRITE_BACK,
    AnalyticsParams,
    AnalyticsResult,
    Filters,
    Method,
    compare,
    compute,
    graph_version,
    metrics_of,
    refresh,
    stored_version,
    write_back,
)

__all__ = [
    "DOCUMENT_FINGERPRINTS",
    "ENGINES",
    "METRIC_PROPERTIES",
    "STORED_VERSION",
    "WRITE_BACK",
    "AnalyticsParams",
    "AnalyticsResult",
    "Filters",
    "Method",
    "compare",
    "compute",
    "graph_version",
    "metrics_of",
    "refresh",
    "stored_version",
    "write_back",
]
