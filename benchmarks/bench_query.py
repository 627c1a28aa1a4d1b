"""Latency of the agency-tasks query (and of the find_units lookup) at 10k, 100k and 1M tasks.

    .venv/bin/python benchmarks/bench_query.py [--sizes 10000,100000,1000000] [--runs 200]

For each size, in a fresh embedded server (temporary home):

1. builds the synthetic graph (``synthetic_graph.generate``), by default through
   dutygraph's own write path (``build_payload`` + ``store_document`` per document; it
   loaded faster than ``falkordb-bulk-insert`` in ``bench_load.py``), or with
   ``--loader bulk`` through ``falkordb-bulk-insert`` (the same graph, checked by
   ``bench_load.py``); either way dutygraph's indexes (``FalkorDBStore.ensure_schema``)
   exist and are OPERATIONAL before anything is measured;
2. opens the real services on that home (``Services(Settings(home=…))``: the embedded
   store, as the CLI and API open it) and times ``Services.query("agency_tasks",
   {"agency": id})`` — the real named query through the real store, rows decoded as
   the API gets them — for the busiest agency (Zipf head), a median one and a rare one:
   a few warm-up runs, then up to ``--runs`` runs or ``--budget`` seconds per agency,
   whichever ends first; p50 / p99 (nearest rank) and rows returned;
3. the server's own execution time for the same query (``run_time_ms`` of a direct
   ``GRAPH.RO_QUERY``), so that the client's share (decoding the rows) shows;
4. ``find_units`` by canonical name, the lookup every ``dutygraph tasks NAME`` starts with;
5. ``INFO memory`` used_memory, the data files' size and the build time.

At the largest size built it also saves ``GRAPH.PROFILE`` of agency_tasks for the busiest
agency.  A size whose build runs past ``--build-budget`` seconds is abandoned (the
reason is recorded) and larger sizes are skipped.  Raw figures:
``benchmarks/out/bench_query.json``; a Markdown table is printed.  Every server started
is stopped and its home removed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_graph import (
    BulkCSV,
    CorpusStats,
    aof_bytes,
    bulk_insert,
    generate,
    machine,
    scratch_server,
    used_memory,
    wait_for_indexes,
)

from dutygraph.graph.store import StoreError
from dutygraph.graph.store.embedded import MAX_QUERY_TIMEOUT_MS
from dutygraph.graph.store.falkordb_store import FalkorDBStore
from dutygraph.loaders.registry import Registry
from dutygraph.queries import load_query
from dutygraph.services import Services, build_payload
from dutygraph.settings import Settings

GRAPH = "dutygraph"  # Settings().db_name
OUT = Path(__file__).resolve().parent / "out"

# The rewrite of queries/agency_tasks.cypher that docs/benchmarks.md suggests (``--suggested``
# times it beside the shipped one and checks that both return the same rows).  Same parameters,
# same columns and order.  What changes: the partners come from the task's INVOLVES mirror in
# the main pipeline -- the pattern includes the agency itself, so no row is lost, and it is
# dropped inside collect() -- and the milestones from an OPTIONAL MATCH + collect(), so FalkorDB
# expands both for batches of rows instead of running one traversal per row (a pattern
# comprehension, or an OPTIONAL MATCH with a WHERE, is planned as Apply + Argument: ~100 µs per
# row in FalkorDB 4.16).
SUGGESTED_AGENCY_TASKS = """\
MATCH (a:Unit)
WHERE a.id = $agency OR a.name = $agency OR $agency IN a.short_names OR $agency IN a.aliases
OPTIONAL MATCH (a)-[:COUNTERPART_OF]-(c:Unit)
WITH a, CASE WHEN $counterparts THEN collect(DISTINCT c) ELSE [] END AS others
UNWIND [a] + others AS u
MATCH (u)-[r:LEADS|SUPPORTS|SHARES]->(t:Task)<-[:HAS_TASK]-(d:Document)
WHERE ($role IS NULL OR r.role = $role)
  AND ($document IS NULL OR d.id = $document OR d.doc_number = $document OR d.title = $document)
  AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
MATCH (t)-[pr:INVOLVES]->(p:Unit)
WITH u, r, t, d, collect(CASE WHEN p <> u THEN {id: p.id, name: p.name, role: pr.role} END) AS partners
OPTIONAL MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)
WITH u, r, t, d, partners, collect(m.due) AS dues
WHERE ($due_after IS NULL AND $due_before IS NULL)
   OR any(due IN dues WHERE due IS NOT NULL AND ($due_after IS NULL OR due >= $due_after)
                         AND ($due_before IS NULL OR due <= $due_before))
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN d.id AS doc_id, d.title AS document, d.doc_number AS doc_number, t.id AS task_id, t.number AS number,
       t.title AS title, s.title AS section, u.name AS agency, u.id AS agency_id, r.role AS role,
       r.implicit AS implicit, r.open_list AS open_list, t.due_first AS due_first, t.due_last AS due_last,
       partners, r.clause AS clause, r.start AS start, r.end AS end
ORDER BY d.issued, d.id, t.ordinal"""


class BuildTooLong(RuntimeError):
    pass


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def build_own(server: Any, n_tasks: int, seed: int, registry: Registry, budget: float) -> tuple[CorpusStats, float]:
    store = FalkorDBStore(server.client(), GRAPH)
    store.ensure_schema()
    stats = CorpusStats()
    started = time.perf_counter()
    docs = generate(n_tasks, seed, registry)
    while True:
        t0 = time.perf_counter()
        doc = next(docs, None)
        stats.generate_s += time.perf_counter() - t0
        if doc is None:
            break
        payload = build_payload(doc, registry)
        store.store_document(payload)
        stats.add(payload)
        elapsed = time.perf_counter() - started
        if elapsed > budget:
            raise BuildTooLong(
                f"dutygraph's write path had stored {stats.tasks:,} of {n_tasks:,} tasks after {elapsed:.0f} s "
                f"(budget {budget:.0f} s)"
            )
    wait_for_indexes(store.graph)
    store.close()
    return stats, time.perf_counter() - started


def build_bulk(server: Any, n_tasks: int, seed: int, registry: Registry, budget: float) -> tuple[CorpusStats, float]:
    stats = CorpusStats()
    folder = Path(tempfile.mkdtemp(prefix="dutygraph-bulkcsv-"))
    started = time.perf_counter()
    try:
        csv = BulkCSV(folder)
        for doc in generate(n_tasks, seed, registry):
            payload = build_payload(doc, registry)
            csv.add(payload)
            stats.add(payload)
        csv.close()
        if time.perf_counter() - started > budget:
            raise BuildTooLong(f"writing the CSV files took more than {budget:.0f} s")
        bulk_insert(server.socket_path, GRAPH, csv, OUT / f"bench_query.bulk-insert.{n_tasks}.log")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    store = FalkorDBStore(server.client(), GRAPH)
    store.ensure_schema()
    wait_for_indexes(store.graph)
    store.close()
    return stats, time.perf_counter() - started


def time_runs(fn: Any, runs: int, budget: float, warmup: int) -> dict[str, Any]:
    """Call fn (returning a row count) for warm-up, then up to `runs` times within `budget`
    seconds (at least 3).  Warm-up stops after one call when a call takes over 2 s."""
    rows = None
    for _ in range(warmup):
        t0 = time.perf_counter()
        rows = fn()
        if time.perf_counter() - t0 > 2.0:
            break
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs and (time.perf_counter() - started < budget or len(samples) < 3):
        t0 = time.perf_counter()
        rows = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return {
        "runs": len(samples),
        "rows": rows,
        "p50_ms": round(percentile(samples, 50), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
    }


def normalised(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with each row's partners sorted (their order is the graph's internal one)."""
    for row in rows:
        row["partners"] = sorted(row["partners"], key=lambda p: (p["id"], p["role"]))
    return rows


def measure(services: Services, picks: dict[str, dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    store = services.store
    assert isinstance(store, FalkorDBStore)
    agency_tasks = load_query("agency_tasks")
    out: dict[str, Any] = {}
    for kind, pick in picks.items():
        params = {"agency": pick["id"]}
        entry: dict[str, Any] = {"agency": pick["name"], "agency_id": pick["id"], "tasks": pick["tasks"]}
        try:
            entry["agency_tasks"] = time_runs(
                lambda params=params: len(services.query("agency_tasks", params).rows),
                args.runs,
                args.budget,
                args.warmup,
            )
            # The server's own execution time: the rest of the latency is the client decoding rows.
            bound = agency_tasks.bind(params)
            server_ms = [
                store.graph.ro_query(agency_tasks.cypher, bound).run_time_ms
                for _ in range(max(1, min(entry["agency_tasks"]["runs"], args.server_runs)))
            ]
            entry["agency_tasks"]["server_p50_ms"] = round(percentile(server_ms, 50), 2)
            entry["agency_tasks"]["server_p99_ms"] = round(percentile(server_ms, 99), 2)
            entry["agency_tasks"]["server_runs"] = len(server_ms)
        except StoreError as exc:  # a time-out at the server's 60 s default is a result too
            entry["agency_tasks"] = {"error": f"{type(exc).__name__}: {exc}"}
            # How long it takes when allowed the longest time a query may ask for (once).
            t0 = time.perf_counter()
            try:
                rows = len(services.query("agency_tasks", params, timeout_ms=MAX_QUERY_TIMEOUT_MS).rows)
                entry["agency_tasks"]["with_max_timeout"] = {
                    "ms": round((time.perf_counter() - t0) * 1000, 1),
                    "rows": rows,
                    "server_ms": round(
                        store.graph.ro_query(
                            agency_tasks.cypher, agency_tasks.bind(params), timeout=MAX_QUERY_TIMEOUT_MS
                        ).run_time_ms,
                        1,
                    ),
                }
            except StoreError as exc2:
                entry["agency_tasks"]["with_max_timeout"] = {"error": f"{type(exc2).__name__}: {exc2}"}
        if args.suggested and "error" not in entry["agency_tasks"]:
            bound = agency_tasks.bind(params)
            entry["suggested_agency_tasks"] = time_runs(
                lambda bound=bound: len(store.read(SUGGESTED_AGENCY_TASKS, bound).rows),
                args.runs,
                args.budget,
                args.warmup,
            )
            server_ms = [
                store.graph.ro_query(SUGGESTED_AGENCY_TASKS, bound).run_time_ms
                for _ in range(max(1, min(entry["suggested_agency_tasks"]["runs"], args.server_runs)))
            ]
            entry["suggested_agency_tasks"]["server_p50_ms"] = round(percentile(server_ms, 50), 2)
            entry["suggested_agency_tasks"]["same_rows"] = normalised(
                store.read(agency_tasks.cypher, bound).records()
            ) == normalised(store.read(SUGGESTED_AGENCY_TASKS, bound).records())
            sa = entry["suggested_agency_tasks"]
            print(
                f"  {kind:8} suggested agency_tasks p50 {sa['p50_ms']:.1f} ms p99 {sa['p99_ms']:.1f} ms, "
                f"server p50 {sa['server_p50_ms']:.1f} ms, same rows: {sa['same_rows']}",
                flush=True,
            )
        entry["find_units"] = time_runs(
            lambda name=pick["name"]: len(services.query("find_units", {"name": name}).rows),
            args.runs,
            args.budget,
            args.warmup,
        )
        out[kind] = entry
        at = entry["agency_tasks"]
        print(
            f"  {kind:8} {pick['name']} ({pick['tasks']:,} tasks): agency_tasks "
            + (
                f"p50 {at['p50_ms']:.1f} ms p99 {at['p99_ms']:.1f} ms ({at['runs']} runs, {at['rows']:,} rows, "
                f"server p50 {at['server_p50_ms']:.1f} ms)"
                if "error" not in at
                else f"{at['error']} / with the 600 s limit: {at.get('with_max_timeout')}"
            )
            + f"; find_units p50 {entry['find_units']['p50_ms']:.2f} ms",
            flush=True,
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="task counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loader", choices=["own", "bulk"], default="own")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per agency and query")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of timed runs per agency and query")
    parser.add_argument("--server-runs", type=int, default=20, help="direct runs for the server's execution time")
    parser.add_argument(
        "--suggested", action="store_true", help="also time the suggested rewrite of agency_tasks (same rows?)"
    )
    parser.add_argument("--out", default="bench_query.json", help="file name under benchmarks/out/")
    parser.add_argument("--build-budget", type=float, default=900.0, help="seconds allowed to build one size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run_started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    registry = Registry.load()
    result: dict[str, Any] = {"machine": machine(), "arguments": vars(args), "sizes": {}}
    largest = None
    for n_tasks in sizes:
        print(f"{n_tasks:,} tasks: building with the {args.loader} loader …", flush=True)
        with scratch_server(f"dutygraph-bench-q{n_tasks}-") as server:
            result["falkordb"] = server.status().version
            build = build_own if args.loader == "own" else build_bulk
            try:
                stats, build_s = build(server, n_tasks, args.seed, registry, args.build_budget)
            except BuildTooLong as exc:
                result["sizes"][str(n_tasks)] = {"skipped": str(exc)}
                print(f"  not built: {exc}", flush=True)
                break
            client = server.client()
            memory = used_memory(client)
            data_bytes = aof_bytes(server)
            indexes = (
                client.select_graph(GRAPH)
                .ro_query("CALL db.indexes() YIELD label, properties, status RETURN label, properties, status")
                .result_set
            )
            client.connection.close()
            picks = stats.pick_agencies()
            print(
                f"  built in {build_s:.1f} s: {stats.documents} documents, {stats.assignments:,} assignments, "
                f"used_memory {memory['used_memory_human']}, data files {data_bytes / 2**20:.0f} MiB",
                flush=True,
            )
            services = Services(Settings(home=server.home, db="embedded", db_name=GRAPH))
            try:
                queries = measure(services, picks, args)
                entry = {
                    "corpus": stats.summary(),
                    "loader": args.loader,
                    "build_s": round(build_s, 1),
                    "memory": memory,
                    "data_bytes": data_bytes,
                    "loadavg_after_build": os.getloadavg(),
                    "indexes": [[label, props, status] for label, props, status in indexes],
                    "queries": queries,
                }
                result["sizes"][str(n_tasks)] = entry
                largest = n_tasks
                # GRAPH.PROFILE of the busiest agency at every size.  GRAPH.PROFILE takes no
                # timeout argument and obeys TIMEOUT_DEFAULT (60 s), which the busiest agency at
                # 1M tasks exceeds: raise it on this throw-away server first.
                store = services.store
                assert isinstance(store, FalkorDBStore)
                named = load_query("agency_tasks")
                store.client.connection.execute_command(
                    "GRAPH.CONFIG", "SET", "TIMEOUT_DEFAULT", str(MAX_QUERY_TIMEOUT_MS)
                )
                try:
                    plan = store.graph.profile(named.cypher, named.bind({"agency": picks["busiest"]["id"]}))
                    entry["profile_busiest"] = list(plan.plan)
                except Exception as exc:  # a profile that fails must not lose the figures
                    entry["profile_busiest"] = f"failed: {type(exc).__name__}: {exc}"
            finally:
                services.close()
    result["largest_built"] = largest
    result["run_s"] = round(time.perf_counter() - run_started, 1)
    result["loadavg_at_end"] = os.getloadavg()
    (OUT / args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print()
    print(markdown(result))
    return 0


def markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        f"FalkorDB {r.get('falkordb')}, {m['nproc']} × {m['cpu']}, {m['ram']}; latency through "
        "`Services.query` (rows decoded), server = FalkorDB's own execution time; p99 is nearest-rank "
        "over the runs shown.",
        "",
        "| tasks | assignments | built in | used_memory | agency (tasks) | rows | runs | p50 ms | p99 ms "
        "| server p50 ms | find_units p50 / p99 ms |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, e in r["sizes"].items():
        if "skipped" in e:
            lines.append(f"| {int(size):,} | — | not built: {e['skipped']} | | | | | | | | |")
            continue
        first = True
        for kind, q in e["queries"].items():
            at, fu = q["agency_tasks"], q["find_units"]
            head = (
                f"| {int(size):,} | {e['corpus']['assignments']:,} | {e['build_s']:.0f} s ({e['loader']}) "
                f"| {e['memory']['used_memory_human']} "
                if first
                else "| | | | "
            )
            first = False
            if "error" in at:
                mt = at.get("with_max_timeout", {})
                note = (
                    f"{mt['rows']:,} | 1 | {mt['ms']:,.0f} (600 s limit) | — | {mt['server_ms']:,.0f} "
                    if "ms" in mt
                    else "— | — | — | — | — "
                )
                body = f"| {kind}: {q['agency']} ({q['tasks']:,}) | {at['error'].split(' (')[0]}; {note}"
            else:
                body = (
                    f"| {kind}: {q['agency']} ({q['tasks']:,}) | {at['rows']:,} | {at['runs']} | {at['p50_ms']:,.1f} "
                    f"| {at['p99_ms']:,.1f} | {at['server_p50_ms']:,.1f} "
                )
            lines.append(head + body + f"| {fu['p50_ms']:.2f} / {fu['p99_ms']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
