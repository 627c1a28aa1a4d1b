"""The analytics refresh end to end on a real embedded FalkorDB: reading the network, then computing.

Issue 14, item 3. For each size (units + tasks; default 10k and 100k), a network shaped like
``bench_analytics.py``'s (:func:`bench_analytics.generate_rows`: Zipf-skewed units, 2–8 per task,
deadlines, groups) is written into a scratch embedded FalkorDB, then timed, ``--repeats`` times:

* **read** — :func:`dutygraph.graph.analytics.network.network_parts` (the paged read the refresh runs),
  with the collector paused as the refresh has it;
* **refresh** — :func:`dutygraph.graph.analytics.analysis.compute` (read + every metric + the
  ranking, ``engine="auto"``), what a load or removal runs before writing the results back;
* **write back** — :func:`~dutygraph.graph.analytics.analysis.write_back` onto the Unit nodes.

The joined rows are checked against the generated ones (same rows, same order).  Wall and CPU
seconds (this process; the database's own time shows as wall minus CPU).  The first refresh of a
process also pays for importing igraph (about a second); the figures are of every run.

    .venv/bin/python benchmarks/bench_refresh.py                    # 10k and 100k, ~3 min on a quiet machine
    .venv/bin/python benchmarks/bench_refresh.py --sizes 1000000    # 1M: ~15 min to build, ~2 GB

Writes ``benchmarks/out/refresh.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_analytics as ba  # noqa: E402
from machine import describe  # noqa: E402
from synthetic_graph import scratch_server, wait_for_indexes  # noqa: E402

from dutygraph.graph.analytics import analysis  # noqa: E402
from dutygraph.graph.analytics.network import network_parts  # noqa: E402
from dutygraph.graph.store import collector_paused  # noqa: E402
from dutygraph.graph.store.falkordb_store import FalkorDBStore  # noqa: E402


def batches(rows: list[list[Any]]) -> dict[str, list[dict[str, Any]]]:
    """The generated rows as the node and relationship batches of ``bench_analytics.STORE_WRITES``."""
    col = {c: i for i, c in enumerate(ba.COLUMNS)}
    docs: dict[str, Any] = {}
    units: dict[str, Any] = {}
    tasks: dict[str, Any] = {}
    milestones: list[dict[str, Any]] = []
    roles: dict[str, list[dict[str, Any]]] = {r: [] for r in ba.ROLES}
    for row in rows:
        doc, unit, task = row[col["doc_id"]], row[col["unit_id"]], row[col["task_id"]]
        docs.setdefault(doc, {"id": doc, "title": row[col["document"]]})
        units.setdefault(
            unit, {"id": unit, "name": row[col["unit"]], "kind": row[col["kind"]],
                   "jurisdiction": row[col["unit_jurisdiction"]]},
        )  # fmt: skip
        if task not in tasks:
            tasks[task] = {"id": task, "title": row[col["task"]], "doc_id": doc, "due": row[col["due"]]}
            milestones += [{"task_id": task, "doc_id": doc, "due": d} for d in row[col["dues"]]]
        roles[row[col["role"]]].append({"unit_id": unit, "task_id": task, "implicit": row[col["implicit"]]})
    return {
        "documents": list(docs.values()),
        "agencies": [u for u in units.values() if u["kind"] != "group"],
        "groups": [u for u in units.values() if u["kind"] == "group"],
        "tasks": list(tasks.values()),
        "milestones": milestones,
        **roles,
    }


def timed(call: Any) -> tuple[Any, float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(total: int, repeats: int) -> dict[str, Any]:
    rows, _ = ba.generate_rows(total, 1)
    out: dict[str, Any] = {"size": total, "assignments": len(rows)}
    with scratch_server("dutygraph-bench-refresh-") as server:
        store = FalkorDBStore(server.client(), "dutygraph")
        store.ensure_schema()
        started = time.perf_counter()
        for name, items in batches(rows).items():
            for i in range(0, len(items), 20_000):
                store.write(ba.STORE_WRITES[name], {"rows": items[i : i + 20_000]})
        wait_for_indexes(store.graph)
        out["build_seconds"] = time.perf_counter() - started
        reads, refreshes, writes = [], [], []
        for _ in range(repeats):
            with collector_paused():
                parts, wall, cpu = timed(lambda: network_parts(store))
                joined = parts.edges().rows
            dues = ba.COLUMNS.index("dues")
            out["rows_same"] = len(joined) == len(rows) and all(
                a[:dues] == b[:dues] and sorted(a[dues]) == sorted(b[dues]) for a, b in zip(joined, rows, strict=True)
            )
            del parts, joined
            reads.append((wall, cpu))
            result, wall, cpu = timed(lambda: analysis.compute(store))
            refreshes.append((wall, cpu))
            _, wall, cpu = timed(lambda result=result: analysis.write_back(store, result))
            writes.append((wall, cpu))
            out["engine"] = result.engine
        for name, runs in (("read", reads), ("refresh", refreshes), ("write_back", writes)):
            out[name] = {
                "wall_median": statistics.median(w for w, _ in runs),
                "wall_best": min(w for w, _ in runs),
                "cpu_median": statistics.median(c for _, c in runs),
            }
        store.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="units + tasks, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = [run(int(size), args.repeats) for size in args.sizes.split(",")]
    report = {"machine": describe(("igraph", "networkx", "hiredis")), "results": results}
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "refresh.json").write_text(json.dumps(report, indent=2), "utf-8")
    print(f"load average at start {report['machine']['loadavg_at_start']}")
    print("| size | assignments | engine | read s (CPU) | refresh s: read + compute (CPU) | write back s | rows same |")
    print("|---:|---:|---|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['size']:,} | {r['assignments']:,} | {r['engine']} "
            f"| {r['read']['wall_median']:.2f} ({r['read']['cpu_median']:.2f}) "
            f"| **{r['refresh']['wall_median']:.2f}** ({r['refresh']['cpu_median']:.2f}) "
            f"| {r['write_back']['wall_median']:.2f} | {r['rows_same']} |"
        )
    return 0 if all(r["rows_same"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
