"""Groups of units that work together, and the brokers between them.

* **communities** — Louvain modularity optimisation on the collaboration graph,
  weighted by tasks shared, with a fixed ``seed`` so that a graph always gets
  the same communities; numbered 0, 1, … from the largest.
* **brokerage** — for each unit, how many communities other than its own its
  partners belong to; a unit whose partners span two or more such communities
  is a **broker**: work between those groups goes through it.

These are the reference functions; on large networks :mod:`.fast` runs igraph's
implementation of the same method (its partition can differ) and computes the
brokerage of that partition the same way.

Example — two triangles joined by B–D::

    >>> import networkx as nx
    >>> g = nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F"), ("B", "D")])
    >>> parts = louvain(g)
    >>> parts["A"] == parts["C"] != parts["E"]
    True
    >>> brokerage(g, parts)["B"], brokerage(g, parts)["A"]
    (1, 0)

Reference: V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of communities in
large networks", J. Stat. Mech. (2008) P10008.
"""

from __future__ import annotations

import networkx as nx


def louvain(collaboration: nx.Graph, *, resolution: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Community number of every unit (0 is the largest community)."""
    if collaboration.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(collaboration, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted(parts, key=lambda part: (-len(part), min(part)))
    return {unit: number for number, part in enumerate(ordered) for unit in part}


def brokerage(collaboration: nx.Graph, communities: dict[str, int]) -> dict[str, int]:
    """Communities, other than its own, that a unit's partners belong to."""
    return {unit: len({communities[p] for p in collaboration[unit]} - {communities[unit]}) for unit in collaboration}
