"""Analytics time on synthetic responsibility networks: networkx beside igraph, and dutygraph's own path.

For each size (agencies + tasks; default about 1k, 10k and 100k), in a child process of
its own so that peak memory is per size:

1. **generate** a bipartite unit–task network (see :func:`generate_rows` for its shape),
   built by dutygraph's own :func:`dutygraph.graph.analytics.network.bipartite_graph` from rows
   shaped like the ``network_edges`` query's (a stand-in store answers the query), so
   nodes and edges carry exactly the attributes the application sees;
2. **networkx** — :func:`dutygraph.graph.analytics.metrics_of` with
   ``AnalyticsParams(engine="networkx")`` (dutygraph's reference engine), then
   :func:`dutygraph.graph.analytics.overload.rank`; the functions ``metrics_of`` calls are wrapped
   with timers (its code is not copied), giving the steps projection, load + crunch,
   degree, betweenness, PageRank, Louvain + brokerage and ranking (assembling the metrics
   + the overload ranking);
3. **igraph** — the same metrics written here directly against python-igraph, on the same
   graph, converted once (timed apart; and also built straight from the query rows):
   ``bipartite_projection`` with multiplicity as weight, ``degree`` / ``strength``,
   ``betweenness`` (exact, or from the *same* sampled source nodes as networkx through
   ``sources=``), ``pagerank`` (ARPACK; PRPACK, igraph's default, is timed beside it),
   ``community_multilevel`` (Louvain); igraph has nothing for load and deadline crunch,
   so that step is numpy on the edge arrays; the ranking is dutygraph's own code;
4. **dutygraph, ``engine="auto"``** — what the application runs: ``metrics_of`` with the
   default ``AnalyticsParams`` (networkx on small networks, :mod:`dutygraph.graph.analytics.fast`
   — igraph and numpy — on large ones), timed by step the same way, then
   ``analytics.compute`` on the query rows (no networkx graph on the igraph engine);
   with ``--store``, also on an embedded FalkorDB holding the network: the
   ``network_edges`` read, ``compute`` and ``write_back``;
5. **checks** — projection pairs and weights, role counts, documents, load, crunch and
   degrees identical; betweenness to 1e-9; PageRank to 1e-9 of dutygraph's networkx call
   (networkx's default tolerance, which dutygraph used before, is reported apart);
   Louvain is randomised: each partition's community count and modularity (one formula);
   dutygraph's auto path: every metric but the communities identical to its networkx
   engine's, betweenness to 1e-12 of the same computation, PageRank to 1e-9;
6. where the networkx path is over ``--target`` seconds: betweenness with
   ``--probe-sample`` sources in both libraries; with ``--igraph-exact``, igraph's exact
   betweenness and how good the sampled estimates are.

Wall and CPU seconds are both reported: the steps are single-threaded, so on an idle
machine they match; on a shared one CPU time is the steadier figure. Peak memory is the
resident set's high-water mark, reset before each path (``/proc/self/clear_refs``).

To keep the default run near five minutes, networkx's sampled betweenness at sizes above
``--extrapolate-above`` units runs on the probe sample and its time is scaled by
sample / probe (one BFS and one accumulation per source; marked ``~``); ``--full``
measures it (about 3.5 minutes for all three sizes on an idle 2-CPU machine, with
``--igraph-exact``).

Run from the repository root::

    .venv/bin/python benchmarks/bench_analytics.py                         # 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_analytics.py --sizes 1000,10000       # smaller
    .venv/bin/python benchmarks/bench_analytics.py --full --igraph-exact    # nothing extrapolated
    .venv/bin/python benchmarks/bench_analytics.py --store                  # + an embedded FalkorDB (~2 min more)
    .venv/bin/python benchmarks/bench_analytics.py --report benchmarks/out/analytics.json

Prints the machine, a Markdown table per size and the checks; writes the figures to
``benchmarks/out/analytics.json`` and the tables to ``benchmarks/out/analytics.md``.
Needs python-igraph (the ``igraph`` package, a dutygraph dependency).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from machine import describe

import dutygraph.graph.analytics.analysis as analytics_module
from dutygraph.graph.analytics import DOCUMENT_FINGERPRINTS, AnalyticsParams, centrality, fast, metrics_of
from dutygraph.graph.analytics.centrality import betweenness as nx_betweenness
from dutygraph.graph.analytics.network import bipartite_graph, units
from dutygraph.graph.analytics.overload import rank
from dutygraph.graph.store import QueryResult

OUT = Path(__file__).resolve().parent / "out"
COLUMNS = [
    "unit_id", "unit", "kind", "unit_jurisdiction", "task_id", "task", "doc_id", "document", "role", "implicit",
    "due", "dues",
]  # fmt: skip
STEPS = ["projection", "load + crunch", "degree", "betweenness", "PageRank", "Louvain + brokerage", "ranking"]
ROLES = ("lead", "support", "joint")

# ---------------------------------------------------------------------------- the synthetic network

TASKS_PER_UNIT = 10  # one agency (or group) per ten tasks
POOL_UNITS = 300  # units of one jurisdiction's plans
LEAD_SKEW = 1.1  # Zipf exponents of the draw by rank, as in synthetic_graph.py
SUPPORT_SKEW = 0.85
UNITS_PER_TASK = {2: 10, 3: 18, 4: 20, 5: 18, 6: 14, 7: 11, 8: 9}  # weights: mean ≈ 4.8
LEADS = {1: 72, 2: 20, 3: 8}
JOINT_SHARE = 0.08  # tasks shared by all their units, no lead (按职责分工负责)
PROVINCE_SHARE = 0.03  # in a city plan, an assignment to a provincial unit
IMPLICIT_DOCS = 0.2  # city plans with a group attached to every task (the 003 convention)
GROUP_SHARE = 0.05
DOC_TASKS = (100, 1000)
CITIES = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市", "丽水市"]


def _id(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:12]


@dataclass(slots=True)
class Pool:
    """The units of one jurisdiction, ranked by popularity (rank 0 is drawn most)."""

    jurisdiction: str
    ids: list[str]
    names: list[str]
    kinds: list[str]
    lead_cum: list[float] = field(default_factory=list)
    support_cum: list[float] = field(default_factory=list)

    def draw(self, rng: random.Random, cum: list[float], k: int, taken: set[int]) -> list[int]:
        out: list[int] = []
        total = cum[-1]
        while len(out) < k:
            r = bisect_left(cum, rng.random() * total)
            if r not in taken:
                taken.add(r)
                out.append(r)
        return out


def _pools(n_units: int, rng: random.Random, seed: int) -> list[Pool]:
    n_pools = max(1, round(n_units / POOL_UNITS))
    sizes = [n_units // n_pools + (1 if i < n_units % n_pools else 0) for i in range(n_pools)]
    pools = []
    for p, size in enumerate(sizes):
        if p == 0:
            jurisdiction = "浙江省"
        else:
            city = CITIES[(p - 1) % len(CITIES)]
            jurisdiction = city if p <= len(CITIES) else f"{city}{(p - 1) // len(CITIES)}县"
        prefix = jurisdiction[-1]
        kinds = []
        for r in range(size):
            # a trailing group (各设区市政府, 各区、县(市)政府) is among the most frequent units
            group = r in (4, 11) or (r >= 15 and rng.random() < GROUP_SHARE)
            kinds.append("group" if group else "agency")
        names = [
            f"{jurisdiction}{'成员单位组' if kind == 'group' else prefix + '单位'}{r:04d}"
            for r, kind in enumerate(kinds)
        ]
        pool = Pool(jurisdiction, [_id("u-", seed, p, r) for r in range(size)], names, kinds)
        pool.lead_cum = list(accumulate(1 / (r + 1) ** LEAD_SKEW for r in range(size)))
        pool.support_cum = list(accumulate(1 / (r + 1) ** SUPPORT_SKEW for r in range(size)))
        pools.append(pool)
    return pools


def _dues(rng: random.Random, year: int) -> list[str]:
    n = rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]
    months = sorted(rng.sample(range(1, 13), n))
    last = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}
    return [f"{year}-{m:02d}-{last.get(m, 31)}" for m in months]  # 6月底前 → 2021-06-30


def generate_rows(total: int, seed: int) -> tuple[list[list[Any]], dict[str, Any]]:
    """Rows of the ``network_edges`` query (``COLUMNS``) for a network of about ``total``
    units + tasks, sorted like the query's ``ORDER BY unit_id, task_id``.

    One unit per ``TASKS_PER_UNIT`` tasks, in jurisdictions of ~``POOL_UNITS`` units (the
    province first); plans of 100–1,000 tasks, each of one jurisdiction; per task 2–8 units
    drawn from its jurisdiction with a Zipf skew by rank (1–3 leads, the rest support, or
    all ``joint`` for 8 % of tasks); 3 % of a city plan's assignments go to a provincial
    unit; groups (``kind`` = group) among the units, one of them attached implicitly to
    every task of a fifth of the city plans; 0–3 month-end deadlines per task."""
    rng = random.Random(f"bench-analytics:{seed}")
    n_units = round(total / (1 + TASKS_PER_UNIT))
    n_tasks = total - n_units
    pools = _pools(n_units, rng, seed)
    weights = [len(p.ids) for p in pools]
    rows: list[list[Any]] = []
    task_no = doc_no = 0
    while task_no < n_tasks:
        size = min(rng.randint(*DOC_TASKS), n_tasks - task_no)
        p = rng.choices(range(len(pools)), weights=weights)[0]
        pool, province = pools[p], pools[0]
        year = rng.randint(2019, 2025)
        doc_id = _id("d-", seed, doc_no)
        title = f"{pool.jurisdiction}{year}年数字政府建设工作要点（{doc_no}）"
        implicit_group = None
        if p > 0 and rng.random() < IMPLICIT_DOCS:
            implicit_group = next(r for r, k in enumerate(pool.kinds) if k == "group")
        for _ in range(size):
            task_id = _id("t-", seed, task_no)
            task_name = f"任务{task_no}"
            dues = _dues(rng, year)
            due = dues[-1] if dues else None
            m = rng.choices(list(UNITS_PER_TASK), weights=list(UNITS_PER_TASK.values()))[0]
            taken: set[int] = set()
            if rng.random() < JOINT_SHARE:
                drawn = [(r, "joint") for r in pool.draw(rng, pool.support_cum, m, taken)]
            else:
                leads = min(rng.choices(list(LEADS), weights=list(LEADS.values()))[0], m - 1)
                drawn = [(r, "lead") for r in pool.draw(rng, pool.lead_cum, leads, taken)]
                drawn += [(r, "support") for r in pool.draw(rng, pool.support_cum, m - leads, taken)]
            assigned: list[tuple[Pool, int, str, bool]] = []
            province_taken: set[int] = set()
            for r, role in drawn:
                if p > 0 and rng.random() < PROVINCE_SHARE:
                    (r2,) = province.draw(rng, province.support_cum, 1, province_taken)
                    assigned.append((province, r2, role, False))
                else:
                    assigned.append((pool, r, role, False))
            if implicit_group is not None and implicit_group not in taken:
                assigned.append((pool, implicit_group, "support", True))
            for unit_pool, r, role, implicit in assigned:
                rows.append(
                    [
                        unit_pool.ids[r],
                        unit_pool.names[r],
                        unit_pool.kinds[r],
                        unit_pool.jurisdiction,
                        task_id,
                        task_name,
                        doc_id,
                        title,
                        role,
                        implicit,
                        due,
                        dues,
                    ]
                )
            task_no += 1
        doc_no += 1
    rows.sort(key=lambda row: (row[0], row[4]))
    return rows, {"units_drawn_from": n_units, "tasks": n_tasks, "documents": doc_no, "jurisdictions": len(pools)}


class RowsStore:
    """Answers ``bipartite_graph``'s one query with prepared rows (no database), and
    ``graph_version``'s with a fingerprint per document, so that ``analytics.compute`` runs."""

    backend = "rows"

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows

    def read(self, cypher: str, params: dict[str, Any] | None = None, **_: Any) -> QueryResult:
        if cypher == DOCUMENT_FINGERPRINTS:
            docs = sorted({row[6] for row in self.rows})
            return QueryResult(["id", "fingerprint"], [[d, hashlib.sha1(d.encode()).hexdigest()] for d in docs])
        return QueryResult(list(COLUMNS), self.rows)


# ---------------------------------------------------------------------------- measuring


def _status(key: str) -> int:
    """A ``/proc/self/status`` figure in KiB (VmRSS, VmHWM)."""
    match = re.search(rf"^{key}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(match.group(1)) if match else 0


def reset_peak() -> bool:
    """Reset the peak resident set size (Linux ≥ 4.0: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@contextlib.contextmanager
def phase(memory: dict[str, Any], name: str) -> Iterator[None]:
    """Record the peak RSS while the block runs, and how far it rose above the RSS at its start."""
    gc.collect()
    resettable = reset_peak()
    start = _status("VmRSS")
    yield
    peak = _status("VmHWM") if resettable else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    memory[name] = {"peak_rss_mib": round(peak / 1024, 1), "above_start_mib": round((peak - start) / 1024, 1)}


class Timers:
    """Wall and CPU seconds by step (the machine may be shared: CPU time is what the step
    itself used); ``wrap`` times every call of a function under a step."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._inner: list[list[float]] = []  # per running step: time of the steps timed inside it

    def add(self, step: str, seconds: float, cpu: float) -> None:
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds
        self.cpu[step] = self.cpu.get(step, 0.0) + cpu

    @contextlib.contextmanager
    def time(self, step: str) -> Iterator[None]:
        """Time a block under ``step``; a step timed inside another counts only once (in its own step)."""
        wall, cpu = time.perf_counter(), time.process_time()
        self._inner.append([0.0, 0.0])
        try:
            yield
        finally:
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            inner_wall, inner_cpu = self._inner.pop()
            self.add(step, wall - inner_wall, cpu - inner_cpu)
            if self._inner:
                self._inner[-1][0] += wall
                self._inner[-1][1] += cpu

    def wrap(self, step: str, fn: Callable[..., Any], captured: dict[str, Any], key: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.time(step):
                result = fn(*args, **kwargs)
            captured[key] = result
            return result

        return timed

    def report(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "cpu_seconds": self.cpu,
            "total": sum(self.seconds.values()),
            "cpu_total": sum(self.cpu.values()),
        }


# ---------------------------------------------------------------------------- networkx: dutygraph's own path

WRAPPED = {  # name in dutygraph.graph.analytics → step
    "collaboration_graph": "projection",
    "role_counts": "load + crunch",
    "documents_touched": "load + crunch",
    "weighted_load": "load + crunch",
    "deadline_crunch": "load + crunch",
    "degrees": "degree",
    "betweenness": "betweenness",
    "pagerank": "PageRank",
    "louvain": "Louvain + brokerage",
    "brokerage": "Louvain + brokerage",
}


def run_networkx(bipartite: nx.Graph, params: AnalyticsParams) -> tuple[Timers, dict[str, Any]]:
    """``metrics_of`` + ``rank`` with every function they call timed; what those returned."""
    timers, captured = Timers(), {}
    originals = {name: getattr(analytics_module, name) for name in WRAPPED}
    try:
        for name, step in WRAPPED.items():
            setattr(analytics_module, name, timers.wrap(step, originals[name], captured, name))
        wall, cpu = time.perf_counter(), time.process_time()
        metrics, _ = metrics_of(bipartite, params)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        for name, fn in originals.items():
            setattr(analytics_module, name, fn)
    # what metrics_of did besides the wrapped calls: assembling the metrics dict
    timers.add("ranking", wall - sum(timers.seconds.values()), cpu - sum(timers.cpu.values()))
    with timers.time("ranking"):
        ranking = rank(metrics, params.overload)
    captured.update(metrics=metrics, ranking=ranking)
    return timers, captured


# ---------------------------------------------------------------------------- dutygraph's own path, engine="auto"

FAST_WRAPPED = {  # name in dutygraph.graph.analytics.fast → step (what the igraph engine calls)
    "collaboration": "projection",
    "role_counts": "load + crunch",
    "documents_touched": "load + crunch",
    "weighted_load": "load + crunch",
    "deadline_crunch": "load + crunch",
    "degrees": "degree",
    "betweenness": "betweenness",
    "pagerank": "PageRank",
    "louvain": "Louvain + brokerage",
    "brokerage": "Louvain + brokerage",
}


@contextlib.contextmanager
def timed_steps(timers: Timers, captured: dict[str, Any]) -> Iterator[None]:
    """Time every function the analytics call, in both engines, by step; keep what they returned
    (``captured``, under ``fast.<name>`` for the igraph engine's)."""
    patches: list[tuple[Any, str, Any, Any]] = []  # (owner, name, original as stored, replacement)
    for name, step in WRAPPED.items():
        original = getattr(analytics_module, name)
        patches.append((analytics_module, name, original, timers.wrap(step, original, captured, name)))
    for name, step in FAST_WRAPPED.items():
        original = getattr(fast, name)
        patches.append((fast, name, original, timers.wrap(step, original, captured, f"fast.{name}")))
    # the array form of the network, and the igraph Graph (built lazily, inside the first step that needs it)
    for owner, name, step in [
        (fast.Network, "from_bipartite", "conversion"),
        (fast.Network, "from_rows", "conversion"),
        (fast.Collaboration, "graph", "projection"),
    ]:
        stored = owner.__dict__[name]
        if isinstance(stored, classmethod):
            replacement = classmethod(
                lambda cls, *a, _f=stored.__func__, _s=step, **k: timers.wrap(_s, _f, {}, "")(cls, *a, **k)
            )
        else:
            replacement = timers.wrap(step, stored, {}, "")
        patches.append((owner, name, stored, replacement))
    try:
        for owner, name, _, replacement in patches:
            setattr(owner, name, replacement)
        yield
    finally:
        for owner, name, original, _ in patches:
            setattr(owner, name, original)


def run_dutygraph(bipartite: nx.Graph, rows: list[list[Any]], params: AnalyticsParams) -> dict[str, Any]:
    """dutygraph's own analytics with ``params`` (``engine="auto"``): ``metrics_of`` on the
    networkx graph + ``rank``, timed by step as the networkx path is; then ``compute`` on the
    query rows (a stand-in store: no database), which skips the networkx graph."""
    timers, captured = Timers(), {}
    with timed_steps(timers, captured):
        wall, cpu = time.perf_counter(), time.process_time()
        metrics, method = metrics_of(bipartite, params)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    timers.add("ranking", wall - sum(timers.seconds.values()), cpu - sum(timers.cpu.values()))
    with timers.time("ranking"):
        ranking = rank(metrics, params.overload)
    steps = timers.report()
    steps["conversion_seconds"] = timers.seconds.pop("conversion", 0.0)
    steps["conversion_cpu_seconds"] = timers.cpu.pop("conversion", 0.0)
    steps["seconds"], steps["cpu_seconds"] = timers.seconds, timers.cpu  # steps of the table, without conversion
    gc.collect()
    from_rows = Timers()
    with timed_steps(from_rows, {}):
        wall, cpu = time.perf_counter(), time.process_time()
        result = analytics_module.compute(RowsStore(rows), params)  # type: ignore[arg-type]
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "engine": method.engine,
        "betweenness": method.betweenness,
        "metrics": metrics,
        "ranking": ranking,
        "pagerank": captured.get("fast.pagerank") or captured.get("pagerank"),
        "timing": steps,
        "compute": {
            "seconds": wall,
            "cpu_seconds": cpu,
            "from_rows_seconds": from_rows.seconds.get("conversion", 0.0),
            "from_rows_cpu_seconds": from_rows.cpu.get("conversion", 0.0),
            "engine": result.engine,
            "same_metrics": result.metrics == metrics,
        },
    }


# ---------------------------------------------------------------------------- with a real store (--store)

# The part of the schema the network_edges query reads (graph/store/writes.py writes more), in batches.
STORE_WRITES = {
    "documents": "UNWIND $rows AS x CREATE (:Document {id: x.id, title: x.title, stub: false, fingerprint: x.id})",
    "agencies": "UNWIND $rows AS x CREATE (:Unit:Agency {id: x.id, name: x.name, kind: x.kind, "
    "jurisdiction: x.jurisdiction})",
    "groups": "UNWIND $rows AS x CREATE (:Unit:Group {id: x.id, name: x.name, kind: x.kind, "
    "jurisdiction: x.jurisdiction})",
    "tasks": "UNWIND $rows AS x MATCH (d:Document {id: x.doc_id}) "
    "CREATE (d)-[:HAS_TASK]->(:Task {id: x.id, title: x.title, doc_id: x.doc_id, due_last: x.due})",
    "milestones": "UNWIND $rows AS x MATCH (t:Task {id: x.task_id}) "
    "CREATE (t)-[:HAS_MILESTONE]->(:Milestone {doc_id: x.doc_id, due: x.due})",
    **{
        role: "UNWIND $rows AS x MATCH (u:Unit {id: x.unit_id}) MATCH (t:Task {id: x.task_id}) "
        f"CREATE (u)-[:{rel} {{role: '{role}', implicit: x.implicit}}]->(t)"
        for role, rel in (("lead", "LEADS"), ("support", "SUPPORTS"), ("joint", "SHARES"))
    },
}


def store_run(rows: list[list[Any]], metrics: dict[str, dict[str, Any]], batch: int = 20_000) -> dict[str, Any]:
    """Write the network into a scratch embedded FalkorDB, then time what a refresh of the
    analytics does with it: the ``network_edges`` read (``networks.network_edges``: the server's
    query, the client's parsing and dutygraph's conversion of the values), ``analytics.compute``
    (read + analytics, ``engine="auto"``) and ``write_back`` onto the Unit nodes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic_graph import scratch_server, wait_for_indexes

    from dutygraph.graph.analytics.network import network_edges
    from dutygraph.graph.store.falkordb_store import FalkorDBStore

    col = {c: i for i, c in enumerate(COLUMNS)}
    docs, unit_rows, tasks, milestones = {}, {}, {}, []
    assignments: dict[str, list[dict[str, Any]]] = {r: [] for r in ROLES}
    for row in rows:
        docs.setdefault(row[col["doc_id"]], {"id": row[col["doc_id"]], "title": row[col["document"]]})
        unit_rows.setdefault(
            row[col["unit_id"]],
            {"id": row[col["unit_id"]], "name": row[col["unit"]], "kind": row[col["kind"]],
             "jurisdiction": row[col["unit_jurisdiction"]]},
        )  # fmt: skip
        task = row[col["task_id"]]
        if task not in tasks:
            tasks[task] = {"id": task, "title": row[col["task"]], "doc_id": row[col["doc_id"]], "due": row[col["due"]]}
            milestones += [{"task_id": task, "doc_id": row[col["doc_id"]], "due": d} for d in row[col["dues"]]]
        assignments[row[col["role"]]].append(
            {"unit_id": row[col["unit_id"]], "task_id": task, "implicit": row[col["implicit"]]}
        )
    batches = {
        "documents": list(docs.values()),
        "agencies": [u for u in unit_rows.values() if u["kind"] != "group"],
        "groups": [u for u in unit_rows.values() if u["kind"] == "group"],
        "tasks": list(tasks.values()),
        "milestones": milestones,
        **assignments,
    }
    out: dict[str, Any] = {}
    with scratch_server("dutygraph-bench-analytics-") as server:
        store = FalkorDBStore(server.client(), "dutygraph")
        store.ensure_schema()
        started = time.perf_counter()
        for name, items in batches.items():
            for i in range(0, len(items), batch):
                store.write(STORE_WRITES[name], {"rows": items[i : i + batch]})
        wait_for_indexes(store.graph)
        out["load_seconds"] = time.perf_counter() - started
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        edges = network_edges(store)
        out["read_seconds"], out["read_cpu_seconds"] = time.perf_counter() - wall, time.process_time() - cpu
        out["rows"] = len(edges.rows)
        # the milestones' order in the query's list is the database's: compare them sorted
        dues = col["dues"]
        out["rows_same"] = len(edges.rows) == len(rows) and all(
            a[:dues] == b[:dues] and sorted(a[dues]) == sorted(b[dues]) for a, b in zip(edges.rows, rows, strict=True)
        )
        del edges
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = analytics_module.compute(store, AnalyticsParams())
        out["compute_seconds"], out["compute_cpu_seconds"] = time.perf_counter() - wall, time.process_time() - cpu
        out["engine"] = result.engine
        out["same_metrics"] = result.metrics == metrics
        wall, cpu = time.perf_counter(), time.process_time()
        analytics_module.write_back(store, result)
        out["write_back_seconds"] = time.perf_counter() - wall
        out["write_back_cpu_seconds"] = time.process_time() - cpu
        store.close()
    return out


# ---------------------------------------------------------------------------- igraph


@dataclass(slots=True)
class Converted:
    """The bipartite network as an igraph Graph (units first, then tasks) and numpy arrays."""

    graph: Any
    unit_ids: list[str]
    unit_attrs: list[dict[str, Any]]  # name, kind, jurisdiction
    edge_unit: np.ndarray  # per assignment: unit index
    edge_task: np.ndarray  # per assignment: task index (0-based among tasks)
    edge_role: np.ndarray  # index in ROLES
    task_doc: np.ndarray  # per task: document index
    month_ptr: np.ndarray  # CSR: months of task t are month_idx[month_ptr[t]:month_ptr[t + 1]]
    month_idx: np.ndarray
    months: list[str]  # sorted, so index order is date order
    quarter_ptr: np.ndarray
    quarter_idx: np.ndarray
    quarters: list[str]


def _quarter(month: str) -> str:
    year, m = month.split("-")
    return f"{year}-Q{(int(m) - 1) // 3 + 1}"


def to_igraph(bipartite: nx.Graph) -> Converted:
    """The networkx bipartite network as :class:`Converted` (what the igraph path starts from)."""
    unit_ids = units(bipartite)
    task_ids = [n for n, kind in bipartite.nodes(data="node") if kind == "task"]
    t_index = {t: i for i, t in enumerate(task_ids)}
    role_code = {r: i for i, r in enumerate(ROLES)}
    adj, node_data = bipartite.adj, dict(bipartite.nodes(data=True))
    eu, et, er = [], [], []
    for i, u in enumerate(unit_ids):
        for t, data in adj[u].items():
            eu.append(i)
            et.append(t_index[t])
            er.append(role_code[data["role"]])
    unit_attrs = [{k: node_data[u].get(k) for k in ("name", "kind", "jurisdiction")} for u in unit_ids]
    task_doc = [node_data[t]["doc_id"] for t in task_ids]
    task_dues = [node_data[t].get("dues", ()) for t in task_ids]
    return _assemble(unit_ids, unit_attrs, task_doc, task_dues, eu, et, er)


def rows_to_igraph(rows: list[list[Any]]) -> Converted:
    """The same, straight from the ``network_edges`` query's rows: what an igraph path
    in dutygraph would do instead of building the networkx graph first."""
    col = {c: i for i, c in enumerate(COLUMNS)}
    ui, ti = col["unit_id"], col["task_id"]
    role_code = {r: i for i, r in enumerate(ROLES)}
    u_index: dict[str, int] = {}
    t_index: dict[str, int] = {}
    unit_attrs: list[dict[str, Any]] = []
    task_doc: list[str] = []
    task_dues: list[Any] = []
    eu, et, er = [], [], []
    for row in rows:
        u = u_index.get(row[ui])
        if u is None:
            u = u_index[row[ui]] = len(u_index)
            unit_attrs.append(
                {
                    "name": row[col["unit"]],
                    "kind": row[col["kind"]],
                    "jurisdiction": row[col["unit_jurisdiction"]] or "",
                }
            )
        t = t_index.get(row[ti])
        if t is None:
            t = t_index[row[ti]] = len(t_index)
            task_doc.append(row[col["doc_id"]])
            task_dues.append([d for d in row[col["dues"]] if d])
        eu.append(u)
        et.append(t)
        er.append(role_code[row[col["role"]]])
    return _assemble(list(u_index), unit_attrs, task_doc, task_dues, eu, et, er)


def _assemble(
    unit_ids: list[str],
    unit_attrs: list[dict[str, Any]],
    task_doc_ids: list[str],
    task_dues: list[Any],
    eu: list[int],
    et: list[int],
    er: list[int],
) -> Converted:
    import igraph as ig

    n_units, n_tasks = len(unit_ids), len(task_doc_ids)
    graph = ig.Graph(n=n_units + n_tasks, edges=list(zip(eu, [t + n_units for t in et], strict=True)))
    graph.vs["type"] = [False] * n_units + [True] * n_tasks
    docs: dict[str, int] = {}
    task_doc = np.array([docs.setdefault(d, len(docs)) for d in task_doc_ids])
    task_months = [{d[:7] for d in dues} for dues in task_dues]
    months = sorted(set().union(*task_months))
    quarters = sorted({_quarter(m) for m in months})
    m_code = {m: i for i, m in enumerate(months)}
    q_of_m = {m: quarters.index(_quarter(m)) for m in months}

    def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(x) for x in lists])
        return ptr, np.array([i for x in lists for i in x], dtype=np.int64)

    month_ptr, month_idx = csr([[m_code[m] for m in ms] for ms in task_months])
    quarter_ptr, quarter_idx = csr([list({q_of_m[m] for m in ms}) for ms in task_months])
    return Converted(
        graph, unit_ids, unit_attrs, np.array(eu), np.array(et), np.array(er, dtype=np.int8), task_doc, month_ptr,
        month_idx, months, quarter_ptr, quarter_idx, quarters,
    )  # fmt: skip


def _busiest(conv: Converted, ptr: np.ndarray, idx: np.ndarray, labels: list[str]) -> tuple[list, np.ndarray]:
    """Per unit, the period with most of its tasks (earliest on a tie) and that count."""
    n = len(conv.unit_ids)
    counts = ptr[conv.edge_task + 1] - ptr[conv.edge_task]
    total = int(counts.sum())
    best_period: list[str | None] = [None] * n
    best_count = np.zeros(n, dtype=np.int64)
    if total == 0:
        return best_period, best_count
    starts = np.repeat(ptr[conv.edge_task], counts)
    within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    period = idx[starts + within]
    unit = np.repeat(conv.edge_unit, counts)
    keys, tally = np.unique(unit * len(labels) + period, return_counts=True)
    k_unit, k_period = keys // len(labels), keys % len(labels)
    order = np.lexsort((k_period, -tally, k_unit))
    first = order[np.unique(k_unit[order], return_index=True)[1]]
    for u, pnum, c in zip(k_unit[first], k_period[first], tally[first], strict=True):
        best_period[u] = labels[pnum]
        best_count[u] = c
    return best_period, best_count


def ig_sampled_betweenness(collab: Any, sources: list[int]) -> np.ndarray:
    """networkx's normalised estimate from ``sources``: networkx counts each path from a
    source twice as often as igraph's subset betweenness, then scales by 1/((k-1)(n-2)) on
    source nodes and 1/(k (n-2)) elsewhere."""
    n, k = collab.vcount(), len(sources)
    raw = np.array(collab.betweenness(directed=False, sources=sources))
    scale = np.full(n, 2 / (k * max(n - 2, 1)))
    scale[sources] = 2 / ((k - 1) * max(n - 2, 1)) if k > 1 else np.nan
    return raw * scale


def run_igraph(conv: Converted, params: AnalyticsParams, sources: list[int] | None) -> tuple[Timers, dict[str, Any]]:
    """The metrics of ``metrics_of`` with igraph (numpy for load and crunch); ``sources``:
    the sampled source nodes for betweenness (None: exact)."""
    timers, out = Timers(), {}
    n = len(conv.unit_ids)
    g = conv.graph
    with timers.time("projection"):
        collab = g.bipartite_projection(types="type", multiplicity=True, which=0)
        weight = np.array(collab.es["weight"], dtype=float) if collab.ecount() else np.zeros(0)
        ends = np.array(collab.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    out.update(projection_ends=ends, projection_weight=weight)
    with timers.time("load + crunch"):
        counts = {r: np.bincount(conv.edge_unit[conv.edge_role == i], minlength=n) for i, r in enumerate(ROLES)}
        pairs = np.unique(conv.edge_unit.astype(np.int64) * (conv.task_doc.max() + 1) + conv.task_doc[conv.edge_task])
        documents = np.bincount(pairs // (conv.task_doc.max() + 1), minlength=n)
        n_tasks = len(conv.task_doc)
        leads = np.bincount(conv.edge_task[conv.edge_role == 0], minlength=n_tasks)
        joints = np.bincount(conv.edge_task[conv.edge_role == 2], minlength=n_tasks)
        w = params.load
        share = np.select(
            [conv.edge_role == 0, conv.edge_role == 2],
            [w.lead / np.maximum(leads[conv.edge_task], 1), w.joint / np.maximum(joints[conv.edge_task], 1)],
            w.support,
        )
        load = np.bincount(conv.edge_unit, weights=share, minlength=n)
        month, month_tasks = _busiest(conv, conv.month_ptr, conv.month_idx, conv.months)
        quarter, quarter_tasks = _busiest(conv, conv.quarter_ptr, conv.quarter_idx, conv.quarters)
    out.update(load=load)
    with timers.time("degree"):
        degree = collab.degree()
        strength = collab.strength(weights="weight")
    with timers.time("betweenness"):
        if sources is None:
            raw = np.array(collab.betweenness(directed=False))
            between = raw * 2 / ((n - 1) * (n - 2)) if n > 2 else raw
        else:
            between = ig_sampled_betweenness(collab, sources)
    out.update(betweenness=between)
    with timers.time("PageRank"):
        # ARPACK: igraph's default, PRPACK, agrees to 1e-12 but was up to 100× slower on the 10k graph (timed apart)
        pr = np.array(
            collab.pagerank(directed=False, damping=params.pagerank_alpha, weights="weight", implementation="arpack")
        )
    out.update(pagerank=pr)
    with timers.time("Louvain + brokerage"):
        random.seed(params.seed)  # igraph draws from Python's random module
        clustering = collab.community_multilevel(weights="weight", resolution=params.louvain_resolution)
        members: dict[int, list[int]] = {}
        for v, c in enumerate(clustering.membership):
            members.setdefault(c, []).append(v)
        ordered = sorted(members.values(), key=lambda vs: (-len(vs), min(conv.unit_ids[v] for v in vs)))
        community = np.empty(n, dtype=np.int64)
        for number, vs in enumerate(ordered):
            community[vs] = number
        a, b = ends[:, 0], ends[:, 1]
        cross = community[a] != community[b]
        linked_pairs = np.unique(
            np.concatenate(
                [a[cross] * len(ordered) + community[b[cross]], b[cross] * len(ordered) + community[a[cross]]]
            )
        )
        linked = np.bincount(linked_pairs // max(len(ordered), 1), minlength=n)
    out.update(membership=clustering.membership, communities=len(ordered))
    with timers.time("ranking"):
        metrics: dict[str, dict[str, Any]] = {}
        for i, unit in enumerate(conv.unit_ids):
            data = conv.unit_attrs[i]
            metrics[unit] = {
                "name": data["name"],
                "kind": data["kind"],
                "jurisdiction": data.get("jurisdiction") or None,
                "lead": int(counts["lead"][i]),
                "support": int(counts["support"][i]),
                "joint": int(counts["joint"][i]),
                "documents": int(documents[i]),
                "partners": degree[i],
                "load": round(float(load[i]), 6),
                "month": month[i],
                "month_tasks": int(month_tasks[i]),
                "quarter": quarter[i],
                "quarter_tasks": int(quarter_tasks[i]),
                "degree": degree[i],
                "weighted_degree": round(strength[i]),
                "betweenness": round(float(between[i]), 6),
                "pagerank": round(float(pr[i]), 6),
                "community": int(community[i]),
                "communities_linked": int(linked[i]),
                "broker": bool(linked[i] >= 2),
            }
        ranking = rank(metrics, params.overload)
    out.update(metrics=metrics, ranking=ranking, collab=collab)
    return timers, out


# ---------------------------------------------------------------------------- agreement


def _max_abs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b))) if len(a) else 0.0


def check(nxr: dict[str, Any], conv: Converted, igr: dict[str, Any], ig_between: np.ndarray) -> dict[str, Any]:
    """How far the igraph path's results are from networkx's (``ig_between``: igraph's
    betweenness from the source nodes networkx used)."""
    unit_ids = conv.unit_ids
    index = {u: i for i, u in enumerate(unit_ids)}
    collab: nx.Graph = nxr["collaboration_graph"]
    # projection: the same pairs with the same weights
    nx_keys = np.array(
        sorted(min(index[a], index[b]) * len(unit_ids) + max(index[a], index[b]) for a, b in collab.edges())
    )
    nx_w = {
        min(index[a], index[b]) * len(unit_ids) + max(index[a], index[b]): w for a, b, w in collab.edges(data="weight")
    }
    ends = igr["projection_ends"]
    ig_keys = np.minimum(ends[:, 0], ends[:, 1]) * len(unit_ids) + np.maximum(ends[:, 0], ends[:, 1])
    order = np.argsort(ig_keys)
    same_pairs = len(nx_keys) == len(ig_keys) and bool(np.array_equal(nx_keys, ig_keys[order]))
    same_weights = same_pairs and all(nx_w[k] == w for k, w in zip(ig_keys, igr["projection_weight"], strict=True))
    nxm, igm = nxr["metrics"], igr["metrics"]
    exact_keys = [
        "lead", "support", "joint", "documents", "month", "month_tasks", "quarter", "quarter_tasks", "degree",
        "weighted_degree",
    ]  # fmt: skip
    mismatched = {k: sum(nxm[u][k] != igm[u][k] for u in unit_ids) for k in exact_keys}
    nx_load = np.array([nxm[u]["load"] for u in unit_ids])
    between = nxr["betweenness"]
    nx_b = np.array([between.values[u] for u in unit_ids])
    nx_pr = np.array([nxr["pagerank"][u] for u in unit_ids])
    pr_diff = _max_abs(nx_pr, igr["pagerank"])  # dutygraph's call: tol 1e-12
    # what dutygraph stored before: networkx's default tolerance (the L1 change of an iteration below n × 1e-6)
    loose = nx.pagerank(collab, alpha=0.85, weight="weight")
    pr_loose = _max_abs(np.array([loose[u] for u in unit_ids]), igr["pagerank"])
    result: dict[str, Any] = {
        "projection_same_pairs": same_pairs,
        "projection_same_weights": same_weights,
        "exact_metric_mismatches": mismatched,
        "load_max_abs_diff": _max_abs(nx_load, np.round(igr["load"], 6)),
        "betweenness": {
            "exact": between.exact,
            "sample": between.sample,
            "max_abs_diff": _max_abs(nx_b, ig_between),
            "max_value": float(nx_b.max()) if len(nx_b) else 0.0,
        },
        "pagerank_max_abs_diff": pr_diff,
        "pagerank_networkx_default_tol_error": pr_loose,
        "pagerank_max_value": float(nx_pr.max()) if len(nx_pr) else 0.0,
    }
    result["ok"] = (
        same_pairs
        and same_weights
        and not any(mismatched.values())
        and result["load_max_abs_diff"] <= 1e-6
        and result["betweenness"]["max_abs_diff"] <= 1e-9
        and pr_diff <= 1e-9
    )
    # Louvain: both partitions scored with one formula (igraph's weighted modularity)
    g = igr["collab"]
    nx_membership = [nxm[u]["community"] for u in unit_ids]
    result["louvain"] = {
        "networkx": {
            "communities": len(set(nx_membership)),
            "modularity": g.modularity(nx_membership, weights="weight"),
        },
        "igraph": {"communities": igr["communities"], "modularity": g.modularity(igr["membership"], weights="weight")},
    }
    nx_top = [e["id"] for e in nxr["ranking"]["agencies"][:20]]
    ig_top = [e["id"] for e in igr["ranking"]["agencies"][:20]]
    result["ranking_top20_overlap"] = len(set(nx_top) & set(ig_top))
    result["ranking_top10_same_order"] = nx_top[:10] == ig_top[:10]
    return result


COMMUNITY_KEYS = {"community", "communities_linked", "broker"}


def check_dutygraph(
    nxr: dict[str, Any], igr: dict[str, Any], dg: dict[str, Any], unit_ids: list[str], reference: np.ndarray
) -> dict[str, Any]:
    """dutygraph's ``engine="auto"`` against its networkx engine: every metric but the
    communities identical once rounded as stored; betweenness (unrounded) against
    ``reference``, computed the same way (exact, or from the same sources); PageRank
    (unrounded) against networkx's; the partition scored like the others."""
    nxm, dgm = nxr["metrics"], dg["metrics"]
    skip = COMMUNITY_KEYS | {"betweenness", "pagerank"}
    mismatched = {
        k: sum(nxm[u][k] != dgm[u][k] for u in unit_ids) for k in nxm[unit_ids[0]] if k not in skip
    }  # fmt: skip
    values = np.array([dg["betweenness"].values[u] for u in unit_ids])
    between = _max_abs(values, reference)
    pr = _max_abs(np.array([dg["pagerank"][u] for u in unit_ids]), np.array([nxr["pagerank"][u] for u in unit_ids]))
    membership = [dgm[u]["community"] for u in unit_ids]
    nx_top = [e["id"] for e in nxr["ranking"]["agencies"][:20]]
    dg_top = [e["id"] for e in dg["ranking"]["agencies"][:20]]
    result = {
        "engine": dg["engine"],
        "order_same": list(dgm) == list(nxm),
        "metric_mismatches": mismatched,
        "betweenness_max_abs_diff": between,
        "pagerank_max_abs_diff": pr,
        "louvain": {
            "communities": len(set(membership)),
            "modularity": igr["collab"].modularity(membership, weights="weight"),
        },
        "ranking_top20_overlap": len(set(nx_top) & set(dg_top)),
        "ranking_top10_same_order": nx_top[:10] == dg_top[:10],
        "compute_same_metrics": dg["compute"]["same_metrics"],
    }
    result["ok"] = (
        result["order_same"]
        and not any(mismatched.values())
        and between <= 1e-12
        and pr <= 1e-9
        and result["compute_same_metrics"]
    )
    return result


# ---------------------------------------------------------------------------- one size, in a child process


def one_size(total: int, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    import igraph as ig

    params = AnalyticsParams(engine="networkx")  # the networkx column: dutygraph's reference engine
    warm_up()
    memory: dict[str, Any] = {}
    out: dict[str, Any] = {"requested_nodes": total, "seed": seed, "params": params.to_dict(), "memory": memory}
    building = Timers()
    with phase(memory, "generate"):
        with building.time("rows"):
            rows, shape = generate_rows(total, seed)
        with building.time("bipartite_graph"):
            bipartite = bipartite_graph(RowsStore(rows))  # type: ignore[arg-type]
        # what an igraph path would build instead, straight from the rows (kept: its edge arrays)
        with building.time("igraph_from_rows"):
            from_rows = rows_to_igraph(rows)
        from_rows_edges = (from_rows.unit_ids, from_rows.edge_unit, from_rows.edge_task, from_rows.edge_role)
        del from_rows  # the rows stay: dutygraph's compute starts from them
    unit_ids = units(bipartite)
    n = len(unit_ids)  # collaboration_graph keeps every unit as a node
    out["graph"] = shape | {
        "nodes": bipartite.number_of_nodes(),
        "units": n,
        "groups": sum(1 for _, k in bipartite.nodes(data="kind") if k == "group"),
        "tasks": bipartite.number_of_nodes() - n,
        "assignments": bipartite.number_of_edges(),
        "max_unit_tasks": max(bipartite.degree(u) for u in unit_ids),
    }
    out["generate"] = building.report()

    # The default sample of the networkx engine at this size (None: exact while units × links
    # ≤ centrality.EXACT_LIMIT), and the one networkx actually runs: above --extrapolate-above
    # units, unless --full, it runs --probe-sample sources and its time is scaled by sample /
    # probe (Brandes' cost is one BFS + one accumulation per source).
    links = fast.collaboration(fast.Network.from_bipartite(bipartite)).number_of_edges()  # (untimed)
    exact = n * links <= centrality.EXACT_LIMIT
    default_k = None if exact else min(params.betweenness_sample, n)
    probe = min(args.probe_sample, n)
    extrapolate = default_k is not None and not args.full and n > args.extrapolate_above and probe < default_k
    nx_params = replace(params, betweenness_sample=probe) if extrapolate else params
    log(f"{total:>7}: {out['graph']['nodes']} nodes, {out['graph']['assignments']} assignments; networkx …")

    with phase(memory, "networkx"):
        nx_timers, nxr = run_networkx(bipartite, nx_params)
    collab: nx.Graph = nxr["collaboration_graph"]
    out["graph"]["collaboration"] = {
        "nodes": collab.number_of_nodes(),
        "edges": collab.number_of_edges(),
        "max_degree": max((d for _, d in collab.degree()), default=0),
    }
    extra: dict[str, float] = {}
    if extrapolate:
        assert default_k is not None
        extra[f"networkx_betweenness_sample_{probe}"] = nx_timers.seconds["betweenness"]
        extra[f"networkx_betweenness_sample_{probe}_cpu"] = nx_timers.cpu["betweenness"]
        nx_timers.seconds["betweenness"] *= default_k / probe
        nx_timers.cpu["betweenness"] *= default_k / probe
        out["extrapolated"] = {
            "betweenness": f"networkx betweenness with the default sample {default_k} = the time of "
            f"{probe} sources × {default_k / probe:g}"
        }
    out["networkx"] = nx_timers.report()
    log(f"{total:>7}: networkx {out['networkx']['total']:.1f} s; igraph …")

    nodes = list(collab.nodes())
    with phase(memory, "igraph"):
        conversion = Timers()
        with conversion.time("conversion"):
            conv = to_igraph(bipartite)
        assert conv.unit_ids == nodes == unit_ids
        position = {u: i for i, u in enumerate(conv.unit_ids)}

        def sources_of(k: int) -> list[int]:
            """The source nodes networkx draws for a sample of k (same seed, same node order)."""
            return [position[u] for u in random.Random(params.seed).sample(nodes, k)]

        ig_timers, igr = run_igraph(conv, params, None if default_k is None else sources_of(default_k))
    out["igraph"] = {
        "version": ig.__version__,
        "conversion_seconds": conversion.seconds["conversion"],
        "conversion_cpu_seconds": conversion.cpu["conversion"],
        **ig_timers.report(),
        "betweenness": "exact" if default_k is None else f"estimated from {default_k} sampled source nodes",
    }
    log(f"{total:>7}: igraph {out['igraph']['total']:.2f} s (+{out['igraph']['conversion_seconds']:.2f} s conversion)")
    between = nxr["betweenness"]
    compare_with = igr["betweenness"]
    if between.sample != (None if default_k is None else default_k):  # networkx ran the probe
        compare_with = ig_sampled_betweenness(igr["collab"], sources_of(between.sample))
    out["checks"] = check(nxr, conv, igr, compare_with)
    out["checks"]["betweenness_default_sample"] = default_k
    out["checks"]["igraph_from_rows_same_graph"] = from_rows_edges[0] == conv.unit_ids and all(
        np.array_equal(x, y)
        for x, y in zip(from_rows_edges[1:], (conv.edge_unit, conv.edge_task, conv.edge_role), strict=True)
    )
    out["checks"]["ok"] = out["checks"]["ok"] and out["checks"]["igraph_from_rows_same_graph"]

    log(f"{total:>7}: dutygraph, engine=auto …")
    auto = AnalyticsParams()
    with phase(memory, "dutygraph"):
        dg = run_dutygraph(bipartite, rows, auto)
    b = dg["betweenness"]
    # the reference for its betweenness: computed the same way (exact, or the same sources)
    if b.exact == between.exact and b.sample == between.sample:
        reference = np.array([between.values[u] for u in unit_ids])  # networkx's own
    elif b.exact:
        reference = np.array(igr["collab"].betweenness(directed=False)) * 2 / ((n - 1) * (n - 2))
    else:
        reference = ig_sampled_betweenness(igr["collab"], sources_of(b.sample))
    out["dutygraph"] = {
        **dg["timing"],
        "engine": dg["engine"],
        "betweenness": "exact" if b.exact else f"estimated from {b.sample} sampled source nodes",
        "betweenness_reference": "networkx"
        if b.exact == between.exact and b.sample == between.sample
        else "the script's igraph code, computed the same way",
        "compute": {k: v for k, v in dg["compute"].items() if k != "same_metrics"},
    }
    out["checks"]["dutygraph"] = check_dutygraph(nxr, igr, dg, unit_ids, reference)
    out["checks"]["ok"] = out["checks"]["ok"] and out["checks"]["dutygraph"]["ok"]
    log(
        f"{total:>7}: dutygraph ({dg['engine']}) {out['dutygraph']['total']:.2f} s "
        f"(+{out['dutygraph']['conversion_seconds']:.2f} s conversion); compute from the rows "
        f"{dg['compute']['seconds']:.2f} s"
    )
    if args.store:
        log(f"{total:>7}: loading the rows into an embedded FalkorDB …")
        out["store"] = store_run(rows, dg["metrics"])
        took = out["store"]
        log(f"{total:>7}: store read {took['read_seconds']:.2f} s, compute {took['compute_seconds']:.2f} s")

    # where networkx is slow: the betweenness step with fewer source nodes, and igraph's exact
    # one; igraph's default PageRank solver (PRPACK) beside the ARPACK of the table
    def timed(name: str, fn: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        extra[name] = time.perf_counter() - wall
        extra[f"{name}_cpu"] = time.process_time() - cpu
        return result

    g = igr["collab"]
    if out["networkx"]["total"] > args.target and default_k is not None and not extrapolate:
        timed(f"networkx_betweenness_sample_{probe}", lambda: nx_betweenness(collab, exact_limit=0, sample=probe))
    if default_k is not None:
        timed(f"igraph_betweenness_sample_{probe}", lambda: ig_sampled_betweenness(g, sources_of(probe)))
        if args.igraph_exact:
            raw = np.array(timed("igraph_betweenness_exact", lambda: g.betweenness(directed=False)))
            exact = raw * 2 / ((n - 1) * (n - 2))
            out["estimate_quality"] = {
                str(k): estimate_quality(exact, ig_sampled_betweenness(g, sources_of(k)))
                for k in sorted({probe, default_k, 4 * default_k})
                if k <= n
            }
    prpack = np.array(timed("igraph_pagerank_prpack", lambda: g.pagerank(directed=False, weights="weight")))
    out["checks"]["pagerank_prpack_vs_arpack_max_abs_diff"] = _max_abs(prpack, igr["pagerank"])
    out["extra"] = extra
    out["loadavg"] = os.getloadavg()
    out["nproc"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return out


def warm_up() -> None:
    """Import what the first calls would (scipy for networkx's PageRank, igraph's C core), so
    that no step is charged for an import."""
    import igraph as ig

    tiny = nx.Graph([(0, 1, {"weight": 1}), (1, 2, {"weight": 2})])
    nx.pagerank(tiny, weight="weight")
    nx.community.louvain_communities(tiny, weight="weight", seed=1)
    nx.betweenness_centrality(tiny)
    g = ig.Graph([(0, 1), (1, 2)])
    g.vs["type"] = [False, True, False]
    g.bipartite_projection(types="type", multiplicity=True, which=0)
    g.pagerank(directed=False)
    g.community_multilevel()
    g.betweenness(directed=False)


def estimate_quality(exact: np.ndarray, estimate: np.ndarray) -> dict[str, float]:
    """How far a sampled betweenness is from the exact one, where the ranking looks."""
    top = np.argsort(-exact)
    est_top = np.argsort(-estimate)
    top20 = top[:20]
    return {
        "max_abs_error": float(np.max(np.abs(exact - estimate))),
        "top20_mean_relative_error": float(np.mean(np.abs(estimate[top20] - exact[top20]) / exact[top20])),
        "top10_overlap": len(set(top[:10].tolist()) & set(est_top[:10].tolist())),
        "top100_overlap": len(set(top[:100].tolist()) & set(est_top[:100].tolist())),
        "spearman": float(np.corrcoef(np.argsort(top), np.argsort(est_top))[0, 1]),
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- the report


def machine() -> dict[str, Any]:
    return describe(("networkx", "igraph", "numpy", "scipy"))


def _s(seconds: float | None, mark: str = "") -> str:
    if seconds is None:
        return "—"
    return f"{mark}{seconds:.3f}" if seconds < 10 else f"{mark}{seconds:.1f}"


EXTRA_LABELS = {
    "networkx_betweenness_sample_": "networkx betweenness, {} sampled sources",
    "igraph_betweenness_sample_": "igraph betweenness, {} sampled sources",
    "igraph_betweenness_exact": "igraph exact betweenness",
    "igraph_pagerank_prpack": "igraph PageRank with its default PRPACK solver",
}


def _extra_label(key: str) -> str:
    for prefix, label in EXTRA_LABELS.items():
        if key.startswith(prefix):
            return label.format(key[len(prefix) :])
    return key


def markdown(result: dict[str, Any], target: float) -> str:
    g, nxr, igr, dg = result["graph"], result["networkx"], result["igraph"], result["dutygraph"]
    extrapolated = result.get("extrapolated", {})
    built = result["generate"]
    lines = [
        f"### {g['nodes']:,} nodes: {g['units']:,} units ({g['groups']} of them groups), {g['tasks']:,} tasks",
        "",
        f"{g['assignments']:,} assignments in {g['documents']} plans of {g['jurisdictions']} "
        f"jurisdiction{'s' if g['jurisdictions'] > 1 else ''}; the busiest unit has {g['max_unit_tasks']:,} tasks. "
        f"Collaboration graph: {g['collaboration']['nodes']:,} units, {g['collaboration']['edges']:,} edges, "
        f"largest degree {g['collaboration']['max_degree']:,}; units × edges "
        f"{g['collaboration']['nodes'] * g['collaboration']['edges']:.2g}. Betweenness: networkx and the script's "
        f'igraph {igr["betweenness"]}; dutygraph\'s `engine="auto"` ran **{dg["engine"]}**, betweenness '
        f"{dg['betweenness']}. Load average {result['loadavg'][0]:.1f} on {result['nproc']} CPUs.",
        "",
        "| step | networkx engine wall s | networkx CPU s | igraph (script) wall s | igraph CPU s | "
        f"dutygraph auto ({dg['engine']}) wall s | auto CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| *before `metrics_of`: `bipartite_graph` from the {g['assignments']:,} query rows* | "
        f"*{_s(built['seconds']['bipartite_graph'])}* | *{_s(built['cpu_seconds']['bipartite_graph'])}* | | | "
        f"*{_s(built['seconds']['bipartite_graph'])}* | *{_s(built['cpu_seconds']['bipartite_graph'])}* |",
        f"| conversion: networkx graph → igraph / arrays | — | — | {_s(igr['conversion_seconds'])} | "
        f"{_s(igr['conversion_cpu_seconds'])} | {_s(dg['conversion_seconds'])} | {_s(dg['conversion_cpu_seconds'])} |",
    ]
    for step in STEPS:
        mark = "~" if step in extrapolated else ""
        lines.append(
            f"| {step} | {_s(nxr['seconds'].get(step), mark)} | {_s(nxr['cpu_seconds'].get(step), mark)} | "
            f"{_s(igr['seconds'].get(step))} | {_s(igr['cpu_seconds'].get(step))} | "
            f"{_s(dg['seconds'].get(step))} | {_s(dg['cpu_seconds'].get(step))} |"
        )
    mark = "~" if extrapolated else ""
    ig_all, ig_all_cpu = igr["total"] + igr["conversion_seconds"], igr["cpu_total"] + igr["conversion_cpu_seconds"]
    dg_all, dg_all_cpu = dg["total"], dg["cpu_total"]  # its total includes the conversion
    lines.append(
        f"| **total** (`metrics_of` + ranking) | **{_s(nxr['total'], mark)}** | **{_s(nxr['cpu_total'], mark)}** | "
        f"**{_s(ig_all)}** | **{_s(ig_all_cpu)}** | **{_s(dg_all)}** | **{_s(dg_all_cpu)}** |"
    )
    mem = result["memory"]
    lines.append(
        f"| peak RSS MiB (rise during the path) | {mem['networkx']['peak_rss_mib']:,.0f} "
        f"(+{mem['networkx']['above_start_mib']:,.0f}) | | {mem['igraph']['peak_rss_mib']:,.0f} "
        f"(+{mem['igraph']['above_start_mib']:,.0f}) | | {mem['dutygraph']['peak_rss_mib']:,.0f} "
        f"(+{mem['dutygraph']['above_start_mib']:,.0f}) | |"
    )
    comp = dg["compute"]
    lines += [
        "",
        f"dutygraph's `analytics.compute` from the {g['assignments']:,} query rows (a stand-in store, no database; "
        f'`engine="auto"` → {comp["engine"]}; no networkx graph on the igraph engine): '
        f"**{_s(comp['seconds'])} s wall, {_s(comp['cpu_seconds'])} s CPU**, of which rows → arrays "
        f"{_s(comp['from_rows_seconds'])} s wall, {_s(comp['from_rows_cpu_seconds'])} s CPU.",
    ]
    store = result.get("store")
    if store:
        lines += [
            "",
            f"With an embedded FalkorDB holding the network (written in {store['load_seconds']:.0f} s): the "
            f"`network_edges` read returns {store['rows']:,} rows "
            f"({'the same as generated' if store['rows_same'] else 'NOT the generated ones'}) in "
            f"**{_s(store['read_seconds'])} s wall** ({_s(store['read_cpu_seconds'])} s CPU in this process); "
            f"`compute` (read + analytics, {store['engine']}) **{_s(store['compute_seconds'])} s wall**, "
            f"{_s(store['compute_cpu_seconds'])} s CPU "
            f"({'the same metrics' if store['same_metrics'] else 'DIFFERENT metrics'}); `write_back` onto the "
            f"{g['units']:,} Unit nodes {_s(store['write_back_seconds'])} s wall.",
        ]
    c = result["checks"]
    b = c["betweenness"]
    lo = c["louvain"]
    d = c["dutygraph"]
    mism = {k: v for k, v in c["exact_metric_mismatches"].items() if v}
    dg_mism = {k: v for k, v in d["metric_mismatches"].items() if v}
    how = "exact" if b["exact"] else f"{b['sample']} sampled sources, the same"
    lines += [
        "",
        f"Agreement (all within tolerance: **{'yes' if c['ok'] else 'NO'}**): projection pairs "
        f"{'same' if c['projection_same_pairs'] else 'DIFFER'}, weights "
        f"{'same' if c['projection_same_weights'] else 'DIFFER'}; role counts, documents, crunch, degrees "
        f"{'identical' if not mism else f'DIFFER {mism}'}; load max |Δ| {c['load_max_abs_diff']:.1e}; "
        f"betweenness ({how}) max |Δ| {b['max_abs_diff']:.1e}; PageRank max |Δ| {c['pagerank_max_abs_diff']:.1e} "
        f"against dutygraph's networkx call (tol 1e-12; at networkx's default tol, as dutygraph stored it before, "
        f"{c['pagerank_networkx_default_tol_error']:.1e}; largest value {c['pagerank_max_value']:.4f}; PRPACK vs "
        f"ARPACK {c.get('pagerank_prpack_vs_arpack_max_abs_diff', float('nan')):.1e}); Louvain: networkx "
        f"{lo['networkx']['communities']} communities, modularity {lo['networkx']['modularity']:.4f}, igraph "
        f"{lo['igraph']['communities']}, {lo['igraph']['modularity']:.4f}; top-20 overloaded agencies in common "
        f"{c['ranking_top20_overlap']}/20; the igraph graph built from the query rows "
        f"{'is the same' if c.get('igraph_from_rows_same_graph') else 'DIFFERS'}. dutygraph's auto path "
        f"({d['engine']}) against its networkx engine: every metric but the communities "
        f"{'identical' if not dg_mism and d['order_same'] else f'DIFFERS {dg_mism}'}, betweenness max |Δ| "
        f"{d['betweenness_max_abs_diff']:.1e} (against {result['dutygraph']['betweenness_reference']}), PageRank "
        f"{d['pagerank_max_abs_diff']:.1e}; {d['louvain']['communities']} communities, modularity "
        f"{d['louvain']['modularity']:.4f}; top-20 in common {d['ranking_top20_overlap']}/20, top 10 in the same "
        f"order: {'yes' if d['ranking_top10_same_order'] else 'no'}; `compute` from the rows gives the same metrics: "
        f"{'yes' if d['compute_same_metrics'] else 'NO'}.",
    ]
    extra = result.get("extra", {})
    names = [k for k in extra if not k.endswith("_cpu")]
    if names:
        parts = [f"{_extra_label(k)} {_s(extra[k])} s wall, {_s(extra.get(k + '_cpu'))} s CPU" for k in names]
        lines += ["", "Also measured: " + "; ".join(parts) + "."]
    if extrapolated:
        lines += ["", "~ " + "; ".join(extrapolated.values()) + " (not run in full: `--full` does)."]
    quality = result.get("estimate_quality")
    if quality:
        parts = [
            f"{k} sources: top-10 {q['top10_overlap']}/10, top-100 {q['top100_overlap']}/100, mean relative error "
            f"of the top 20 {q['top20_mean_relative_error']:.1%}, Spearman {q['spearman']:.3f}"
            for k, q in quality.items()
        ]
        lines += ["", "Sampled betweenness against igraph's exact one: " + "; ".join(parts) + "."]

    def verdict(wall: float, cpu: float, mark: str = "") -> str:
        # the steps are single-threaded: on an idle machine wall ≈ CPU; on a shared one, wall is longer
        return (
            f"{_s(wall, mark)} s wall **{'yes' if wall <= target else 'no'}**, "
            f"{_s(cpu, mark)} s CPU **{'yes' if cpu <= target else 'no'}**"
        )

    checks = [
        f"networkx engine: {verdict(nxr['total'], nxr['cpu_total'], mark)}",
        f'dutygraph `metrics_of` + ranking, `engine="auto"`: {verdict(dg_all, dg_all_cpu)}',
        f"dutygraph `compute` from the query rows: {verdict(comp['seconds'], comp['cpu_seconds'])}",
    ]
    if store:
        on_store = verdict(store["compute_seconds"], store["compute_cpu_seconds"])
        checks.append(f"dutygraph `compute` on the embedded FalkorDB: {on_store}")
    lines += ["", f"Within {target:g} s? " + "; ".join(checks) + "."]
    return "\n".join(lines)


def report_markdown(report: dict[str, Any]) -> str:
    info = report["machine"]
    libs = info["libraries"]
    head = (
        f"Machine: {info['nproc']} × {info['cpu']}, {info['ram']} RAM, Python {info['python']}; networkx "
        f"{libs.get('networkx')}, python-igraph {libs.get('igraph')}, numpy {libs.get('numpy')}, scipy "
        f"{libs.get('scipy')}; commit {info['commit']}; whole run {report['seconds']:.0f} s"
        f"{' (--full)' if report.get('full') else ''}."
    )
    return "\n\n".join([head, *(markdown(r, report["target_seconds"]) for r in report["results"])]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="agencies + tasks, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--target", type=float, default=5.0, help="'a few seconds' for the largest size")
    parser.add_argument("--probe-sample", type=int, default=64, help="betweenness sources timed where networkx is slow")
    parser.add_argument(
        "--extrapolate-above",
        type=int,
        default=5000,
        help="collaboration nodes above which networkx's default-sample betweenness is extrapolated from the probe",
    )
    parser.add_argument("--full", action="store_true", help="measure everything, extrapolate nothing")
    parser.add_argument("--igraph-exact", action="store_true", help="also time igraph's exact betweenness when sampled")
    parser.add_argument(
        "--store", action="store_true", help="also load each network into an embedded FalkorDB and time compute on it"
    )
    parser.add_argument("--out", type=Path, default=OUT / "analytics.json")
    parser.add_argument("--report", type=Path, help="only print the Markdown of an earlier run's JSON")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        result = one_size(args.child, args.seed, args)
        args.child_out.write_text(json.dumps(result, ensure_ascii=False, default=float))
        return

    if args.report is not None:
        print(report_markdown(json.loads(args.report.read_text())))
        return

    try:
        import igraph  # noqa: F401
    except ImportError:
        sys.exit("bench_analytics needs python-igraph: .venv/bin/pip install igraph")
    info = machine()
    started = time.perf_counter()
    print(
        f"Machine: {info['nproc']} × {info['cpu']}, {info['ram']} RAM, Python {info['python']} ({info['platform']}); "
        f"networkx {info['libraries'].get('networkx')}, python-igraph {info['libraries'].get('igraph')}, "
        f"numpy {info['libraries'].get('numpy')}, scipy {info['libraries'].get('scipy')}; "
        f"load average at start {', '.join(f'{x:.2f}' for x in info['loadavg_at_start'])}; commit {info['commit']}."
    )
    results = []
    for total in (int(s) for s in args.sizes.split(",")):
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            command = [
                sys.executable,
                __file__,
                "--child",
                str(total),
                "--child-out",
                tmp.name,
                "--seed",
                str(args.seed),
            ]
            command += ["--target", str(args.target), "--probe-sample", str(args.probe_sample)]
            command += ["--extrapolate-above", str(args.extrapolate_above)]
            command += ["--full"] * args.full + ["--igraph-exact"] * args.igraph_exact + ["--store"] * args.store
            child_started = time.perf_counter()
            subprocess.run(command, check=True)
            result = json.loads(Path(tmp.name).read_text())
            result["child_wall_seconds"] = time.perf_counter() - child_started
        results.append(result)
        print()
        print(markdown(result, args.target), flush=True)
    report = {
        "machine": info,
        "seconds": time.perf_counter() - started,
        "target_seconds": args.target,
        "full": args.full,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=float))
    args.out.with_suffix(".md").write_text(report_markdown(report))
    print(f"\nWhole run {report['seconds']:.0f} s; figures in {args.out} and {args.out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
