"""Who sits at the centre of the collaboration network: degree, betweenness, PageRank.

All functions take the collaboration graph (units linked by shared tasks, edge
``weight`` = tasks shared) from :func:`.networks.collaboration_graph`.

* **degree** — distinct partners; **weighted degree** — tasks shared with them, summed.
* **betweenness** — the share of shortest paths between other pairs of units that
  pass through a unit (normalised, unweighted: one hop per shared-task link).
  Exact (Brandes' algorithm) up to ``exact_limit`` nodes; beyond it, estimated from
  ``sample`` source nodes drawn with a fixed ``seed``, and the result says so.
* **PageRank** — weighted by tasks shared, damping ``alpha`` = 0.85.

Example — a chain A–B–C, worked out by hand::

    >>> import networkx as nx
    >>> chain = nx.Graph([("A", "B", {"weight": 1}), ("B", "C", {"weight": 1})])
    >>> betweenness(chain).values
    {'A': 0.0, 'B': 1.0, 'C': 0.0}
    >>> {k: round(v, 6) for k, v in pagerank(chain).items()}  # p_A = 0.07125 / 0.2775
    {'A': 0.256757, 'B': 0.486486, 'C': 0.256757}

References: U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25 (2001);
U. Brandes & C. Pich, "Centrality estimation in large networks", Int. J. Bifurcation and Chaos 17 (2007);
S. Brin & L. Page, "The anatomy of a large-scale hypertextual web search engine" (1998).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True, slots=True)
class Betweenness:
    values: dict[str, float]
    exact: bool
    sample: int | None  # source nodes used when estimated


def degrees(collaboration: nx.Graph) -> tuple[dict[str, int], dict[str, float]]:
    """(partners, tasks shared with them summed) for every unit."""
    return dict(collaboration.degree()), dict(collaboration.degree(weight="weight"))


def betweenness(collaboration: nx.Graph, *, exact_limit: int = 2000, sample: int = 256, seed: int = 42) -> Betweenness:
    n = collaboration.number_of_nodes()
    if n <= exact_limit:
        return Betweenness(nx.betweenness_centrality(collaboration, normalized=True), True, None)
    k = min(sample, n)
    values = nx.betweenness_centrality(collaboration, k=k, normalized=True, seed=seed)
    return Betweenness(values, False, k)


def pagerank(collaboration: nx.Graph, *, alpha: float = 0.85) -> dict[str, float]:
    if collaboration.number_of_nodes() == 0:
        return {}
    return nx.pagerank(collaboration, alpha=alpha, weight="weight")
