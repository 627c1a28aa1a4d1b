"""Pictures of the responsibility network: networkx graph → pyvis network → one HTML page.

Three views, each read through the services (:class:`~dutygraph.services.Services`: the network of
:mod:`dutygraph.graph.analytics.network` and the named queries, no second copy of the data).  The CLI
(`dutygraph viz`) and the pages (``/viz/…``) both call them with what a user typed:

* :func:`agency_view` — an agency's ego network: the agency, its tasks and the
  other units of those tasks;
* :func:`network_view` — the collaboration network: agencies only, linked when
  they share a task, optionally for one document or jurisdiction;
* :func:`document_view` — one document's units and tasks.

Roles are drawn by edge colour *and* style (lead: solid red, support: dashed blue,
joint: dotted purple), units are sized by weighted load (or, until the analytics
have stored ``load``, by their number of tasks) and coloured by community; tasks
are coloured by document.  A view larger than ``max_nodes`` keeps the pinned and
best-connected nodes and folds the rest into one "… N more" node per kind, with
a note saying what was folded.

:func:`render` turns a :class:`Picture` into HTML that works offline: the
vis-network library bundled with pyvis is inlined (``assets=None``) or loaded
from the serving app (``assets="/static"``) — never from a CDN, and pyvis's own
template (which loads Bootstrap from one) is not used.  Everything a document
can contain is data, never markup: the nodes and edges travel as JSON escaped
for a ``<script>`` element, labels are drawn on a canvas, tooltips are built
with ``textContent``, and a Content-Security-Policy lets only the page's own
scripts run.

Example — a star of five units folded to four nodes, the centre pinned::

    >>> star = nx.star_graph(5)
    >>> nx.set_node_attributes(star, "unit", "node")
    >>> shown, folded = cap_graph(star, 4, pinned=[0])
    >>> sorted(shown.nodes, key=str), folded["nodes"], shown.edges[0, "more:unit"]["folded"]
    ([0, 1, 2, 'more:unit'], {'unit': 3}, 3)
"""

from __future__ import annotations

import functools
import json
import math
import re
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import quote

import jinja2
import networkx as nx
from pyvis.network import Network

from dutygraph.graph.analytics.network import collaboration_graph, tasks, units
from dutygraph.services import Services

DEFAULT_MAX_NODES = 300
VIS_VERSION = "9.1.2"
FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'

# Role of an assignment → how its edge is drawn.  Colour and dash pattern both
# differ, so the roles stay apart in greyscale and for colour-blind readers.
ROLES: dict[str, dict[str, Any]] = {
    "lead": {"label": "lead 牵头", "color": "#c0392b", "dashes": False, "width": 3.0},
    "support": {"label": "support 协同/配合", "color": "#2e86c1", "dashes": [8, 6], "width": 1.6},
    "joint": {"label": "joint 按职责分工负责", "color": "#8e44ad", "dashes": [2, 5], "width": 2.2},
}
PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#bcbd22",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
    "#d37295",
    "#a0cbe8",
]
# Tasks are coloured by document with another palette (ColorBrewer Dark2), so a
# task's colour is never mistaken for a community's.
DOC_PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
UNIT_COLOR = "#5d6d7e"
GROUP_COLOR = "#95a5a6"
FOCUS_COLOR = "#f1c40f"
MORE_COLOR = "#e5e7e9"
FOLDED_EDGE_COLOR = "#aab7b8"
COLLAB_EDGE_COLOR = "#7f8c8d"


@dataclass(slots=True)
class Picture:
    """One view, ready to render: pyvis's nodes, edges and options plus what the page says around them."""

    view: str  # "agency", "network" or "document"
    title: str
    subtitle: str
    network: Network
    legend: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # node id → page of the planner, when served
    filters: dict[str, Any] | None = None  # choices of the collaboration view's filter form
    counts: dict[str, int] = field(default_factory=dict)  # nodes/edges shown, folded

    @property
    def nodes(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = self.network.nodes  # pyvis has no type hints
        return nodes

    @property
    def edges(self) -> list[dict[str, Any]]:
        edges: list[dict[str, Any]] = self.network.edges
        return edges


# ---------------------------------------------------------------- reading


def unit_metrics(svc: Services) -> dict[str, dict[str, Any]]:
    """Short names and, where the analytics stored them, load, overload rank, community and reasons."""
    metrics = {}
    for r in svc.unit_metrics():
        reasons = r["overload_reasons"]
        metrics[r["id"]] = {
            "short_name": (r["short_names"] or [None])[0],
            "load": float(r["load"]) if isinstance(r["load"], int | float) else None,
            "overload_rank": r["overload_rank"] if isinstance(r["overload_rank"], int) else None,
            "community": r["community"] if isinstance(r["community"], int) else None,
            "overload_reasons": [str(x) for x in reasons] if isinstance(reasons, list) else [],
        }
    return metrics


def _annotate(graph: nx.Graph, metrics: dict[str, dict[str, Any]]) -> None:
    """Role counts (in ``graph``) and stored metrics on every unit node."""
    for node, data in graph.nodes(data=True):
        if data.get("node") != "unit":
            continue
        roles = Counter(e["role"] for e in graph[node].values() if "role" in e)
        data.update(lead=roles["lead"], support=roles["support"], joint=roles["joint"], tasks=sum(roles.values()))
        data.update(metrics.get(node, {}))


# ---------------------------------------------------------------- views


def agency_view(svc: Services, agency: str, *, max_nodes: int = DEFAULT_MAX_NODES) -> Picture:
    """The unit ``agency`` names (any name form or id), every task it has a role in, and the other
    units of those tasks."""
    unit = svc.resolve_unit(agency)
    unit_id = unit["id"]
    full = svc.network()
    metrics = unit_metrics(svc)
    _annotate(full, metrics)
    docs = svc.documents()
    if unit_id in full:
        ego = full.subgraph(nx.ego_graph(full, unit_id, radius=2).nodes).copy()
    else:  # a unit without tasks: show it alone
        ego = nx.Graph()
        ego.add_node(unit_id, node="unit", name=unit["name"], kind=unit["kind"], lead=0, support=0, joint=0, tasks=0)
        ego.nodes[unit_id].update(metrics.get(unit_id, {}))
    center = ego.nodes[unit_id]
    task_ids = [n for n in ego[unit_id]] if unit_id in ego else []
    partners = [n for n, d in ego.nodes(data=True) if d.get("node") == "unit" and n != unit_id]
    doc_ids = {ego.nodes[t]["doc_id"] for t in task_ids}
    shown, folded = cap_graph(ego, max_nodes, pinned={unit_id})
    net = _bipartite_network(shown, docs, focus=unit_id)
    title = center.get("name") or unit_id
    subtitle = (
        f"ego network · {len(task_ids)} tasks (leads {center.get('lead', 0)}, supports {center.get('support', 0)},"
        f" joint {center.get('joint', 0)}) · {len(partners)} other units · {len(doc_ids)} documents"
    )
    legend = _bipartite_legend(shown, docs, focus=True)
    picture = _picture("agency", title, subtitle, net, legend, shown, folded, max_nodes, ego)
    if not task_ids:
        picture.notes.append("No task in the loaded documents assigns this unit.")
    return picture


def network_view(
    svc: Services,
    *,
    document: str | None = None,
    jurisdiction: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Picture:
    """Agencies linked by the tasks they share (groups such as 各设区市政府 are left out), optionally
    of one document (id, 文号, title or file name) or jurisdiction."""
    docs = svc.documents()
    doc = svc.document(document) if document else None
    bipartite = svc.network(documents=[doc["doc_id"]] if doc else None, jurisdiction=jurisdiction or None)
    metrics = unit_metrics(svc)
    _annotate(bipartite, metrics)
    collab = collaboration_graph(bipartite)
    collab.remove_nodes_from([n for n, d in collab.nodes(data=True) if d.get("kind") == "group"])
    shown, folded = cap_graph(collab, max_nodes)
    net = _collaboration_network(shown, bipartite)
    scope = []
    if doc:
        scope.append(f"《{doc['title']}》" if doc["title"] else f"document {doc['doc_id']}")
    if jurisdiction:
        scope.append(f"documents of {jurisdiction}")
    subtitle = (
        f"collaboration network · {collab.number_of_nodes()} agencies, {collab.number_of_edges()} pairs sharing tasks"
        f" · {' · '.join(scope) if scope else 'all documents'}"
    )
    legend = [
        *_unit_legend(shown),
        {"type": "text", "label": "a link: the two agencies share tasks (width: how many)"},
        {"type": "text", "label": "groups (各设区市政府, 省级有关单位 …) are left out; see a document's view"},
    ]
    picture = _picture("network", "Collaboration network", subtitle, net, legend, shown, folded, max_nodes, collab)
    jurisdictions = sorted({d["jurisdiction"] for d in docs if d.get("jurisdiction")})
    picture.filters = {
        "documents": [{"value": d["doc_id"], "label": d["title"] or d["doc_id"]} for d in docs],
        "jurisdictions": jurisdictions,
        "document": doc["doc_id"] if doc else "",
        "jurisdiction": jurisdiction or "",
        "max_nodes": max_nodes,
    }
    return picture


def document_view(svc: Services, document: str, *, max_nodes: int = DEFAULT_MAX_NODES) -> Picture:
    """One document's (id, 文号, title or file name) tasks and the units assigned to them."""
    docs = svc.documents()
    doc = svc.document(document)
    graph = svc.network(documents=[doc["doc_id"]])
    _annotate(graph, unit_metrics(svc))
    shown, folded = cap_graph(graph, max_nodes)
    net = _bipartite_network(shown, docs)
    title = doc["title"] or doc["doc_id"]
    n_units = len(units(graph))
    n_tasks = len(tasks(graph))
    bits = [b for b in (doc["doc_number"], doc["issued"]) if b]
    subtitle = f"document network · {n_tasks} assigned tasks · {n_units} units · {graph.number_of_edges()} assignments"
    if bits:
        subtitle = f"{' · '.join(bits)} · {subtitle}"
    picture = _picture(
        "document", title, subtitle, net, _bipartite_legend(shown, docs), shown, folded, max_nodes, graph
    )
    if doc["unassigned_tasks"]:
        picture.notes.append(f"{doc['unassigned_tasks']} tasks of this document assign no unit and are not drawn.")
    return picture


def _picture(
    view: str,
    title: str,
    subtitle: str,
    net: Network,
    legend: list[dict[str, Any]],
    shown: nx.Graph,
    folded: dict[str, Any],
    max_nodes: int,
    whole: nx.Graph,
) -> Picture:
    notes = []
    if folded:
        parts = [f"{n} {_plural(kind, n)}" for kind, n in folded["nodes"].items()]
        notes.append(
            f"Showing {shown.number_of_nodes()} of {folded['total_nodes']} nodes (limit {max_nodes}): "
            f"{' and '.join(parts)} with the fewest links are folded into the grey “… more” "
            f"{'node' if len(parts) == 1 else 'nodes'}; their {folded['edges']} links are drawn as "
            f"{folded['bundles']} bundled links. Raise max_nodes to see everything."
        )
    if whole.number_of_nodes() == 0:
        notes.append("Nothing to draw: no assignments in this view.")
    links = {}
    for node, data in shown.nodes(data=True):
        if data.get("node") == "unit":
            links[node] = "/?q=" + quote(node, safe="")
        elif data.get("node") == "task":
            links[node] = "/api/tasks/" + quote(node, safe="")
    counts = {
        "nodes": shown.number_of_nodes(),
        "edges": shown.number_of_edges(),
        "total_nodes": whole.number_of_nodes(),
        "total_edges": whole.number_of_edges(),
    }
    return Picture(view, title, subtitle, net, legend, notes, links, None, counts)


def _plural(kind: str, n: int) -> str:
    word = {"unit": "unit", "task": "task"}.get(kind, kind)
    return word if n == 1 else word + "s"


# ---------------------------------------------------------------- the node cap


def cap_graph(graph: nx.Graph, max_nodes: int | None, *, pinned: Iterable[str] = ()) -> tuple[nx.Graph, dict[str, Any]]:
    """At most ``max_nodes`` nodes: the pinned ones, then by load (units) and links, best first;
    the rest of each kind ("unit", "task") folded into one ``more:<kind>`` node.

    Links to folded nodes become one bundled link per kept node and kind (``folded``:
    how many).  Returns the graph to draw and, when something was folded, what:
    ``{"nodes": {kind: n}, "edges": n, "bundles": n, "total_nodes": n}`` (else ``{}``)."""
    pinned = [p for p in pinned if p in graph]
    if max_nodes is None or graph.number_of_nodes() <= max_nodes:
        return graph, {}
    degree = dict(graph.degree())

    def priority(n: str) -> tuple[Any, ...]:
        data = graph.nodes[n]
        return (n not in pinned, -(data.get("load") or 0.0), -degree[n], str(n))

    ranked = sorted(graph.nodes, key=priority)
    kinds = {graph.nodes[n].get("node", "unit") for n in graph}
    keep: list[str] = []
    folded_kinds: set[str] = set()
    for slots in range(1, len(kinds) + 1):
        keep = ranked[: max(max_nodes - slots, len(pinned), 1)]
        folded_kinds = {graph.nodes[n].get("node", "unit") for n in ranked[len(keep) :]}
        if len(folded_kinds) <= slots:
            break
    kept = set(keep)
    shown = graph.subgraph(keep).copy()
    folded_count = Counter(graph.nodes[n].get("node", "unit") for n in graph if n not in kept)
    for kind, n in folded_count.items():
        shown.add_node(f"more:{kind}", node="more", of=kind, count=n)
    folded_edges = 0
    for a, b in graph.edges():
        if a in kept and b in kept:
            continue
        folded_edges += 1
        end_a, end_b = (x if x in kept else f"more:{graph.nodes[x].get('node', 'unit')}" for x in (a, b))
        if end_a == end_b:
            continue  # between two folded nodes of one kind: inside the "more" node
        if shown.has_edge(end_a, end_b):
            shown.edges[end_a, end_b]["folded"] = shown.edges[end_a, end_b].get("folded", 0) + 1
        else:
            shown.add_edge(end_a, end_b, folded=1)
    bundles = sum(1 for *_, d in shown.edges(data=True) if "folded" in d)
    summary = {
        "nodes": dict(sorted(folded_count.items(), key=lambda kv: kv[0] != "unit")),
        "edges": folded_edges,
        "bundles": bundles,
        "total_nodes": graph.number_of_nodes(),
    }
    return shown, summary


# ---------------------------------------------------------------- pyvis networks


def _new_network() -> Network:
    # directed=True only skips pyvis's quadratic duplicate-edge check (the networkx
    # graph has no duplicates); _add_edge turns off the arrows pyvis would then add.
    return Network(height="100%", width="100%", directed=True, cdn_resources="in_line")


def _add_edge(net: Network, a: str, b: str, **attrs: Any) -> None:
    net.add_edge(a, b, arrows={"to": {"enabled": False}}, **attrs)


def _unit_label(data: dict[str, Any]) -> str:
    return _short(data.get("short_name") or data.get("name") or "", 14)


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def community_color(community: int) -> str:
    """One colour per community number, the same in every view."""
    return PALETTE[community % len(PALETTE)]


def _unit_color(data: dict[str, Any]) -> str:
    if data.get("kind") == "group":
        return GROUP_COLOR
    if data.get("community") is None:
        return UNIT_COLOR
    return community_color(data["community"])


def _size_basis(graph: nx.Graph) -> str:
    return "load" if any(d.get("load") is not None for _, d in graph.nodes(data=True)) else "tasks"


def _unit_value(data: dict[str, Any], basis: str) -> float:
    value = data.get("load") if basis == "load" else data.get("tasks")
    return float(value or 0)


def _unit_tooltip(data: dict[str, Any], basis: str) -> str:
    lines = [data.get("name") or ""]
    if data.get("short_name") and data["short_name"] != data.get("name"):
        lines.append(f"({data['short_name']})")
    where = data.get("jurisdiction") or ""
    lines.append(" · ".join(x for x in (where, "group 集合单位" if data.get("kind") == "group" else "agency") if x))
    lines.append(
        f"leads {data.get('lead', 0)} · supports {data.get('support', 0)} · joint {data.get('joint', 0)}"
        f" — {data.get('tasks', 0)} tasks here"
    )
    if data.get("load") is not None:
        rank = f" (overload rank {data['overload_rank']})" if data.get("overload_rank") is not None else ""
        lines.append(f"weighted load {data['load']:.2f}{rank}")
    if data.get("community") is not None:
        lines.append(f"community {data['community']}")
    lines += [f"• {reason}" for reason in data.get("overload_reasons") or []]
    return "\n".join(line for line in lines if line)


def _task_tooltip(data: dict[str, Any]) -> str:
    due = data.get("due") or "no date"
    return f"{data.get('name') or ''}\ndeadline: {due}\n《{data.get('document') or data.get('doc_id') or ''}》"


def _more_node(net: Network, node: str, data: dict[str, Any]) -> None:
    kind, n = data["of"], data["count"]
    net.add_node(
        node,
        label=f"… {n} more {_plural(kind, n)}",
        shape="box",
        color={"background": MORE_COLOR, "border": "#839192"},
        title=f"{n} {_plural(kind, n)} with the fewest links, folded into one node to keep the picture usable.",
        font={"face": FONT, "size": 16, "color": "#333"},
        kind="more",
    )


def _bipartite_network(graph: nx.Graph, docs: list[dict[str, Any]], focus: str | None = None) -> Network:
    net = _new_network()
    doc_color = {d["doc_id"]: DOC_PALETTE[i % len(DOC_PALETTE)] for i, d in enumerate(docs)}
    basis = _size_basis(graph)
    for node, data in graph.nodes(data=True):
        kind = data.get("node")
        if kind == "more":
            _more_node(net, node, data)
        elif kind == "task":
            net.add_node(
                node,
                label=_short(data.get("name") or "", 10),
                shape="square",
                size=7,
                color=doc_color.get(data.get("doc_id"), "#bdc3c7"),
                title=_task_tooltip(data),
                font={"face": FONT, "size": 11, "color": "#555", "strokeWidth": 3, "strokeColor": "#ffffff"},
                kind="task",
                doc_id=data.get("doc_id"),
            )
        else:
            attrs: dict[str, Any] = {
                "label": _unit_label(data),
                "shape": "diamond" if data.get("kind") == "group" else "dot",
                "value": _unit_value(data, basis),
                "color": _unit_color(data),
                "title": _unit_tooltip(data, basis),
                "font": {"face": FONT, "size": 15, "color": "#1b2631", "strokeWidth": 4, "strokeColor": "#ffffff"},
                "kind": "unit",
            }
            if node == focus:
                attrs.update(
                    color={"background": FOCUS_COLOR, "border": "#7d6608"},
                    borderWidth=4,
                    font={"face": FONT, "size": 20, "color": "#000", "strokeWidth": 5, "strokeColor": "#fff"},
                    kind="focus",
                )
            net.add_node(node, **attrs)
    for a, b, data in graph.edges(data=True):
        if "folded" in data:
            n = data["folded"]
            _add_edge(
                net,
                a,
                b,
                color={"color": FOLDED_EDGE_COLOR},
                width=min(1 + math.log2(n), 6),
                title=f"{n} {'link' if n == 1 else 'links'} to folded nodes",
                role="folded",
            )
            continue
        unit, task = (a, b) if graph.nodes[a].get("node") == "unit" else (b, a)
        style = ROLES.get(data.get("role") or "", ROLES["support"])
        _add_edge(
            net,
            unit,
            task,
            color={"color": style["color"], "highlight": style["color"], "hover": style["color"]},
            dashes=style["dashes"],
            width=style["width"],
            title=f"{graph.nodes[unit].get('name')} — {style['label']}{' (implicit)' if data.get('implicit') else ''}"
            f"\n{graph.nodes[task].get('name')}",
            role=data.get("role"),
        )
    net.options = _options(graph.number_of_nodes())
    _keep_labels_readable(net, focus)
    return net


def _collaboration_network(graph: nx.Graph, bipartite: nx.Graph) -> Network:
    net = _new_network()
    basis = _size_basis(graph)
    for node, data in graph.nodes(data=True):
        if data.get("node") == "more":
            _more_node(net, node, data)
            continue
        net.add_node(
            node,
            label=_unit_label(data),
            shape="dot",
            value=_unit_value(data, basis),
            color=_unit_color(data),
            title=_unit_tooltip(data, basis),
            font={"face": FONT, "size": 15, "color": "#1b2631", "strokeWidth": 4, "strokeColor": "#ffffff"},
            kind="unit",
        )
    for a, b, data in graph.edges(data=True):
        if "folded" in data:
            n = data["folded"]
            title = f"{n} {'pair' if n == 1 else 'pairs'} sharing tasks with folded agencies"
            _add_edge(net, a, b, color={"color": FOLDED_EDGE_COLOR}, width=min(1 + math.log2(n), 6), title=title)
            continue
        weight = data.get("weight", 1)
        shared = sorted(set(bipartite[a]) & set(bipartite[b])) if a in bipartite and b in bipartite else []
        lines = [f"{graph.nodes[a].get('name')} — {graph.nodes[b].get('name')}: {weight} shared tasks"]
        lines += [f"{pair}: {n}" for pair, n in sorted(data.get("roles", {}).items())]
        lines += [f"• {_short(bipartite.nodes[t].get('name') or '', 40)}" for t in shared[:6]]
        if len(shared) > 6:
            lines.append(f"… and {len(shared) - 6} more")
        _add_edge(
            net,
            a,
            b,
            value=weight,
            color={"color": COLLAB_EDGE_COLOR, "opacity": 0.6},
            title="\n".join(lines),
            role="shared",
        )
    options = _options(graph.number_of_nodes())
    options["edges"]["scaling"] = {"min": 1, "max": 8}
    net.options = options
    _keep_labels_readable(net)
    return net


#: Units whose labels stay readable however far the view is zoomed out: the busiest ones.
READABLE_UNITS = 12
#: On-screen label sizes (CSS px) the page keeps (network.html's ``readableLabels``): the agency
#: a view is about, the busiest units; every other label shows once zoomed in to ``LABEL_MIN_PX``.
FOCUS_LABEL_PX, BUSY_LABEL_PX, LABEL_MIN_PX = 15, 12, 9


def _keep_labels_readable(net: Network, focus: str | None = None) -> None:
    """Mark the labels the page keeps readable at any zoom (``labelPx``).

    A view of 60 nodes fitted into the page is drawn at a third of its size, so 15-px labels
    come out at 5 px: unreadable.  Growing every label would pile them on one another; the
    agency in focus and the :data:`READABLE_UNITS` busiest units keep theirs, the rest (task
    titles included) appear as the planner zooms in."""
    units = [n for n in net.nodes if n.get("kind") in ("unit", "focus")]
    busiest = sorted(units, key=lambda n: -float(n.get("value") or 0))[:READABLE_UNITS]
    busy = {n["id"] for n in busiest}
    for node in net.nodes:
        if node["id"] == focus or node.get("kind") == "focus":
            node["labelPx"] = FOCUS_LABEL_PX
        elif node["id"] in busy:
            node["labelPx"] = BUSY_LABEL_PX
        else:
            node["labelPx"] = 0


def _options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: a force layout that stabilises, then stops (the page turns physics off)."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "nodes": {"scaling": {"min": 10, "max": 42}, "borderWidth": 1, "font": {"face": FONT}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -70,
                "centralGravity": 0.012,
                "springLength": 110,
                "springConstant": 0.08,
                "avoidOverlap": 0.35,
            },
            "minVelocity": 0.75,
            "maxVelocity": 40,
            "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 200, "multiselect": False},
    }


# ---------------------------------------------------------------- legends


def _swatch(shape: str, color: str, label: str) -> dict[str, Any]:
    return {"type": "node", "shape": shape, "color": color, "label": label}


def _unit_legend(graph: nx.Graph) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    communities = sorted({d["community"] for _, d in graph.nodes(data=True) if d.get("community") is not None})
    if communities:
        for c in communities[:12]:
            items.append(_swatch("dot", community_color(c), f"community {c}"))
        if len(communities) > 12:
            items.append({"type": "text", "label": f"… {len(communities) - 12} more communities (colours repeat)"})
    else:
        items.append(_swatch("dot", UNIT_COLOR, "agency (communities not computed yet)"))
    basis = _size_basis(graph)
    items.append({"type": "text", "label": f"size: {'weighted load' if basis == 'load' else 'number of tasks'}"})
    if any(d.get("node") == "more" for _, d in graph.nodes(data=True)):
        items.append(_swatch("box", MORE_COLOR, "… N more: folded nodes"))
    return items


def _bipartite_legend(graph: nx.Graph, docs: list[dict[str, Any]], focus: bool = False) -> list[dict[str, Any]]:
    items = [{"type": "edge", "label": s["label"], "color": s["color"], "dashes": s["dashes"]} for s in ROLES.values()]
    if focus:
        items.append(_swatch("dot", FOCUS_COLOR, "the agency"))
    items += _unit_legend(graph)
    if any(d.get("kind") == "group" for _, d in graph.nodes(data=True)):
        items.append(_swatch("diamond", GROUP_COLOR, "group 集合单位 (各设区市政府 …)"))
    present = {d.get("doc_id") for _, d in graph.nodes(data=True) if d.get("node") == "task"}
    for i, doc in enumerate(docs):
        if doc["doc_id"] in present:
            items.append(
                _swatch("square", DOC_PALETTE[i % len(DOC_PALETTE)], f"task of 《{doc['title'] or doc['doc_id']}》")
            )
    return items


# ---------------------------------------------------------------- HTML


@functools.cache
def vis_asset(name: str) -> str:
    """vis-network's script or style sheet as bundled with pyvis (no source-map reference)."""
    files = {"vis-network.min.js": "vis-network.min.js", "vis-network.min.css": "vis-network.css"}
    if name not in files:
        raise KeyError(name)
    path = resources.files("pyvis").joinpath("templates", "lib", f"vis-{VIS_VERSION}", files[name])
    text = path.read_text(encoding="utf-8")
    # Only the trailing source-map comment goes (str.splitlines would also split
    # inside the script's strings, at U+2028 and friends).
    return re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dutygraph.api", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_SCRIPT_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def script_json(value: Any) -> str:
    r"""JSON safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators survive.

    >>> print(script_json({"name": "</script><img src=x onerror=alert(1)>"}))
    {"name":"\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e"}
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def render(picture: Picture, *, assets: str | None = None) -> str:
    """The page: self-contained (``assets=None``: vis-network inlined, for files) or
    served (``assets``: the URL prefix the app serves vis-network's files under)."""
    served = assets is not None
    data = {
        "nodes": picture.nodes,
        "edges": picture.edges,
        "options": picture.network.options,
        "links": picture.links if served else {},
        "counts": picture.counts,
        "label_min_px": LABEL_MIN_PX,
    }
    context = {
        "picture": picture,
        "served": served,
        "assets": (assets or "").rstrip("/"),
        "nonce": secrets.token_urlsafe(18),
        "data_json": script_json(data),
        "vis_js": "" if served else vis_asset("vis-network.min.js"),
        "vis_css": "" if served else vis_asset("vis-network.min.css"),
        "font": FONT,
    }
    return _environment().get_template("network.html").render(context)
