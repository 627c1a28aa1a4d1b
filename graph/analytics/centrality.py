"""Who sits at the centre of the collaboration network: degree, betweenness, PageRank.

All functions take the collaboration graph (units linked by shared tasks, edge
``weight`` = tasks shared) from :func:`.network.collaboration_graph`.

* **degree** — distinct partners; **weighted degree** — tasks shared with them, summed.
* **betweenness** — the share of shortest paths between other pairs of units that
  pass through a unit (normalised, unweighted: one hop per shared-task link).
  Exact (Brandes' algorithm, time ∝ n × m) while units × links stay within
  ``exact_limit`` (default :data:`EXACT_LIMIT`, about a second of networkx); beyond
  it, estimated from ``sample`` source nodes drawn with a fixed ``seed`` (time ∝
  sample × m), and the result says so.
* **PageRank** — weighted by tasks shared, damping ``alpha`` = 0.85, iterated until
  the total change of an iteration is below n × 10⁻¹² (networkx's default, n × 10⁻⁶,
  left values off by up to 6 % of the largest on 100k-node networks, and n × 10⁻¹⁰
  still by 1.7·10⁻⁹ on the seed graph; the iterations are cheap next to building the
  matrix).

These functions are the reference: :mod:`.fast` computes the same values with
igraph on large networks (:mod:`.analysis` picks the engine).

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

#: Exact betweenness while units × collaboration links stay at or below this; beyond it,
#: estimated.  networkx's exact betweenness ran at about 3·10⁶ of n × m a second on the
#: benchmark networks (2 CPUs, AMD EPYC): about a second at this limit.
EXACT_LIMIT = 3_000_000

#: PageRank's tolerance: iterations stop once their total (L1) change is below n × this.
#: 1e-12 puts the values within about 1e-11 of the converged ones (igraph's ARPACK eigenvector).
PAGERANK_TOL = 1e-12


@dataclass(frozen=True, slots=True)
class Betweenness:
    values: dict[str, float]
    exact: bool
    sample: int | None  # source nodes used when estimated


def degrees(collaboration: nx.Graph) -> tuple[dict[str, int], dict[str, float]]:
    """(partners, tasks shared with them summed) for every unit."""
    return dict(collaboration.degree()), dict(collaboration.degree(weight="weight"))


def betweenness(
    collaboration: nx.Graph, *, exact_limit: int | None = None, sample: int = 256, seed: int = 42
) -> Betweenness:
    """Normalised betweenness of every unit: exact while units × links ≤ ``exact_limit``
    (default :data:`EXACT_LIMIT`), else estimated from ``sample`` sources drawn with ``seed``."""
    n = collaboration.number_of_nodes()
    limit = EXACT_LIMIT if exact_limit is None else exact_limit
    if n * collaboration.number_of_edges() <= limit:
        return Betweenness(nx.betweenness_centrality(collaboration, normalized=True), True, None)
    k = min(sample, n)
    values = nx.betweenness_centrality(collaboration, k=k, normalized=True, seed=seed)
    return Betweenness(values, False, k)


def pagerank(collaboration: nx.Graph, *, alpha: float = 0.85) -> dict[str, float]:
    if collaboration.number_of_nodes() == 0:
        return {}
    # The change shrinks by a factor alpha or better per iteration: 10,000 covers any alpha up to 0.997.
    return nx.pagerank(collaboration, alpha=alpha, weight="weight", tol=PAGERANK_TOL, max_iter=10_000)
