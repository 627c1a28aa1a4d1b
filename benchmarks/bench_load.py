"""Load throughput into the embedded FalkorDB: dutygraph's own write path beside
``falkordb-bulk-insert`` loading the same graph, in one run.

    .venv/bin/python benchmarks/bench_load.py [--tasks 40000] [--seed 1]

1. Generates a synthetic corpus (``synthetic_graph.generate``: documents of 1–5k tasks,
   ~5 assignments per task, Zipf-skewed agencies from the shipped registry) and keeps it
   in memory, so neither load pays for generating it.
2. **dutygraph**: ``build_payload`` + ``FalkorDBStore.store_document`` per document — one
   atomic query per document, as ``dutygraph load`` writes — into a fresh embedded
   server (temporary home, the indexes of ``ensure_schema`` created first, as
   ``Services`` does).
3. **bulk loader**: the same payloads written as CSV files (``BulkCSV``) and loaded by
   the ``falkordb-bulk-insert`` CLI over the second fresh server's Unix socket
   (``unix://…``), then dutygraph's indexes created (``ensure_schema``) and waited for.
4. Checks that the two graphs are the same: node counts by label, relationship counts
   by type and end labels, property-key counts per label and type, and the rows of the
   real ``agency_tasks`` query (through ``Services.query``) for the busiest, a median and
   a rare agency.
5. Restarts both servers (replaying their append-only files) and counts again.

Prints a Markdown table; the raw figures go to ``benchmarks/out/bench_load.json``.
Both servers are stopped and their temporary homes removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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
    graph_counts,
    machine,
    property_counts,
    scratch_server,
    used_memory,
    wait_for_indexes,
)

from dutygraph.graph.store.falkordb_store import FalkorDBStore
from dutygraph.loaders.registry import Registry
from dutygraph.services import Services, build_payload
from dutygraph.settings import Settings

GRAPH = "dutygraph"
OUT = Path(__file__).resolve().parent / "out"


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else float("inf")


def normalised_rows(services: Services, agency_id: str) -> list[Any]:
    """agency_tasks rows, with each row's partners sorted (their order is the graph's internal one)."""
    rows = services.query("agency_tasks", {"agency": agency_id}).records()
    for row in rows:
        row["partners"] = sorted(row["partners"], key=lambda p: (p["id"], p["role"]))
    return rows


def server_cpu(client: Any) -> float:
    """CPU seconds the server has used: all its threads, and its AOF-rewrite children."""
    info = client.connection.info("cpu")
    keys = ("used_cpu_user", "used_cpu_sys", "used_cpu_user_children", "used_cpu_sys_children")
    return sum(float(info[k]) for k in keys)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def restart(server: Any) -> float:
    """Stop and start the server again (it replays its AOF); seconds until it answers."""
    server.stop(timeout=120.0)
    started = time.perf_counter()
    server.ensure_started()
    return time.perf_counter() - started


def compact(server: Any, client: Any) -> int:
    """BGREWRITEAOF and wait for it; the data files' size afterwards."""
    conn = client.connection
    while conn.info("persistence").get("aof_rewrite_in_progress"):
        time.sleep(0.1)
    conn.execute_command("BGREWRITEAOF")
    time.sleep(0.2)
    while True:
        info = conn.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            break
        time.sleep(0.1)
    return aof_bytes(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--raw-restart",
        action="store_true",
        help="also time a restart that replays the AOF as loaded (slow for dutygraph's path: quadratic)",
    )
    parser.add_argument("--out", default="bench_load.json", help="file name under benchmarks/out/")
    parser.add_argument("--keep-csv", action="store_true", help="keep the CSV folder (printed)")
    args = parser.parse_args()
    run_started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    registry = Registry.load()

    # ------------------------------------------------------------ corpus
    t0 = time.perf_counter()
    docs = list(generate(args.tasks, args.seed, registry))
    generate_s = time.perf_counter() - t0
    stats = CorpusStats()
    for doc in docs:
        stats.add(build_payload(doc, registry))
    corpus = stats.summary()
    picks = stats.pick_agencies()
    n_assign, n_tasks, n_docs = stats.assignments, stats.tasks, stats.documents
    if n_assign < 200_000:
        print(f"warning: only {n_assign} assignments (< 200,000); raise --tasks", file=sys.stderr)
    print(
        f"corpus: {n_docs} documents, {n_tasks} tasks, {n_assign} assignments, "
        f"{stats.milestones} milestones (generated in {generate_s:.1f} s)",
        flush=True,
    )

    result: dict[str, Any] = {
        "machine": machine(),
        "arguments": vars(args),
        "corpus": corpus,
        "picks": picks,
        "generate_s": round(generate_s, 2),
    }
    csv_dir = Path(tempfile.mkdtemp(prefix="dutygraph-bulkcsv-"))
    try:
        with scratch_server("dutygraph-bench-own-") as own, scratch_server("dutygraph-bench-bulk-") as bulk:
            result["falkordb"] = own.status().version
            # -------------------------------------------------- (a) dutygraph's own path
            own_client = own.client()
            own_store = FalkorDBStore(own_client, GRAPH, description="bench (dutygraph path)")
            own_store.ensure_schema()
            cpu0, server0 = time.process_time(), server_cpu(own_client)
            payload_s = store_s = 0.0
            doc_seconds = []
            for doc in docs:
                t0 = time.perf_counter()
                payload = build_payload(doc, registry)
                t1 = time.perf_counter()
                summary = own_store.store_document(payload)
                t2 = time.perf_counter()
                assert summary.action == "created", summary
                payload_s += t1 - t0
                store_s += t2 - t1
                doc_seconds.append(round(t2 - t1, 3))
            own_total = payload_s + store_s
            own_cpu = {
                "client_s": round(time.process_time() - cpu0, 2),
                "server_s": round(server_cpu(own_client) - server0, 2),
            }
            own_cpu["total_s"] = round(own_cpu["client_s"] + own_cpu["server_s"], 2)
            own_aof = aof_bytes(own)
            own_mem = used_memory(own_client)
            result["dutygraph"] = {
                "total_s": round(own_total, 2),
                "build_payload_s": round(payload_s, 2),
                "store_document_s": round(store_s, 2),
                "per_document_store_s": doc_seconds,
                "assignments_per_s": _rate(n_assign, own_total),
                "tasks_per_s": _rate(n_tasks, own_total),
                "documents_per_s": round(n_docs / own_total, 3),
                "aof_bytes": own_aof,
                "memory": own_mem,
                "cpu": own_cpu,
                "assignments_per_cpu_s": _rate(n_assign, own_cpu["total_s"]),
            }
            print(f"dutygraph path: {own_total:.1f} s, {n_assign / own_total:,.0f} assignments/s", flush=True)

            # -------------------------------------------------- (b) falkordb-bulk-insert
            bulk_client = bulk.client()
            cpu0, server0, children0 = time.process_time(), server_cpu(bulk_client), children_cpu()
            t0 = time.perf_counter()
            csv = BulkCSV(csv_dir)
            for doc in docs:
                csv.add(build_payload(doc, registry))
            csv.close()
            csv_s = time.perf_counter() - t0
            csv_cpu = time.process_time() - cpu0
            insert_s = bulk_insert(bulk.socket_path, GRAPH, csv, OUT / "bench_load.bulk-insert.log")
            bulk_store = FalkorDBStore(bulk_client, GRAPH, description="bench (bulk loader)")
            t0 = time.perf_counter()
            bulk_store.ensure_schema()
            wait_for_indexes(bulk_store.graph)
            index_s = time.perf_counter() - t0
            bulk_total = csv_s + insert_s + index_s
            bulk_cpu = {
                "csv_client_s": round(csv_cpu, 2),
                "bulk_insert_process_s": round(children_cpu() - children0, 2),
                "server_s": round(server_cpu(bulk_client) - server0, 2),
            }
            bulk_cpu["total_s"] = round(sum(bulk_cpu.values()), 2)
            bulk_aof = aof_bytes(bulk)
            bulk_mem = used_memory(bulk_client)
            result["bulk"] = {
                "total_s": round(bulk_total, 2),
                "csv_s": round(csv_s, 2),
                "csv_bytes": csv.bytes_written(),
                "insert_s": round(insert_s, 2),
                "index_s": round(index_s, 2),
                "assignments_per_s": _rate(n_assign, bulk_total),
                "assignments_per_s_insert_only": _rate(n_assign, insert_s),
                "tasks_per_s": _rate(n_tasks, bulk_total),
                "documents_per_s": round(n_docs / bulk_total, 3),
                "aof_bytes": bulk_aof,
                "memory": bulk_mem,
                "cpu": bulk_cpu,
                "assignments_per_cpu_s": _rate(n_assign, bulk_cpu["total_s"]),
            }
            print(f"bulk loader: {bulk_total:.1f} s, {n_assign / bulk_total:,.0f} assignments/s", flush=True)

            # -------------------------------------------------- (c) the same graph?
            own_counts, bulk_counts = graph_counts(own_store.graph), graph_counts(bulk_store.graph)
            own_props, bulk_props = property_counts(own_store.graph), property_counts(bulk_store.graph)
            settings = Settings(home=own.home)
            own_services = Services(settings, store=own_store)
            bulk_services = Services(settings, store=bulk_store)
            rows_equal = {}
            for kind, pick in picks.items():
                a, b = normalised_rows(own_services, pick["id"]), normalised_rows(bulk_services, pick["id"])
                rows_equal[kind] = {"rows": len(a), "equal": a == b}
            check = {
                "counts_equal": own_counts == bulk_counts,
                "properties_equal": own_props == bulk_props,
                "agency_tasks": rows_equal,
                "counts": own_counts,
                "count_differences": {
                    k: (own_counts.get(k), bulk_counts.get(k))
                    for k in sorted(set(own_counts) | set(bulk_counts))
                    if own_counts.get(k) != bulk_counts.get(k)
                },
                "property_differences": {
                    k: (own_props.get(k), bulk_props.get(k))
                    for k in sorted(set(own_props) | set(bulk_props))
                    if own_props.get(k) != bulk_props.get(k)
                },
            }
            # -------------------------------------------------- compaction, restart
            # Rewrite the AOF first (an RDB preamble, then nothing): replaying dutygraph's own
            # AOF as written takes far longer than the load did (see --raw-restart).
            own_store.close()
            bulk_store.close()
            if args.raw_restart:
                check["own_raw_aof_restart_s"] = round(restart(own), 2)
                check["bulk_raw_aof_restart_s"] = round(restart(bulk), 2)
                own_client, bulk_client = own.client(), bulk.client()
            result["dutygraph"]["aof_bytes_compacted"] = compact(own, own_client)
            result["bulk"]["aof_bytes_compacted"] = compact(bulk, bulk_client)
            own_client.connection.close()
            bulk_client.connection.close()
            check["own_restart_s"] = round(restart(own), 2)
            check["bulk_restart_s"] = round(restart(bulk), 2)
            own_client, bulk_client = own.client(), bulk.client()
            check["counts_after_restart_equal"] = (
                graph_counts(own_client.select_graph(GRAPH)) == own_counts
                and graph_counts(bulk_client.select_graph(GRAPH)) == own_counts
            )
            own_client.connection.close()
            bulk_client.connection.close()
            result["check"] = check
    finally:
        if args.keep_csv:
            print(f"CSV files kept in {csv_dir}")
        else:
            shutil.rmtree(csv_dir, ignore_errors=True)

    result["run_s"] = round(time.perf_counter() - run_started, 1)
    result["loadavg_at_end"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print()
    print(markdown(result))
    ok = check["counts_equal"] and check["properties_equal"] and all(v["equal"] for v in rows_equal.values())
    ok = ok and check["counts_after_restart_equal"]
    if not ok:
        print("\nTHE TWO GRAPHS DIFFER:", json.dumps(check, ensure_ascii=False, indent=2), file=sys.stderr)
    return 0 if ok else 1


def markdown(r: dict[str, Any]) -> str:
    own, bulk, c, chk = r["dutygraph"], r["bulk"], r["corpus"], r["check"]
    mb = 1024 * 1024
    lines = [
        f"Corpus: {c['documents']} documents, {c['tasks']:,} tasks, {c['assignments']:,} assignments "
        f"({c['assignments_per_task']} per task), {c['milestones']:,} milestones; FalkorDB {r['falkordb']}, "
        f"{r['machine']['nproc']} × {r['machine']['cpu']}, {r['machine']['ram']}.",
        "",
        "| loader | total s | assignments/s | tasks/s | documents/s | AOF MiB (as loaded / rewritten) | used_memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| dutygraph (`build_payload` + `store_document`, one query per document) | {own['total_s']:.1f} "
        f"| {own['assignments_per_s']:,.0f} | {own['tasks_per_s']:,.0f} | {own['documents_per_s']:.2f} "
        f"| {own['aof_bytes'] / mb:.1f} / {own['aof_bytes_compacted'] / mb:.1f} "
        f"| {own['memory']['used_memory_human']} |",
        f"| falkordb-bulk-insert (CSV {bulk['csv_s']:.1f} s + insert {bulk['insert_s']:.1f} s + indexes "
        f"{bulk['index_s']:.1f} s) | {bulk['total_s']:.1f} | {bulk['assignments_per_s']:,.0f} "
        f"| {bulk['tasks_per_s']:,.0f} | {bulk['documents_per_s']:.2f} "
        f"| {bulk['aof_bytes'] / mb:.1f} / {bulk['aof_bytes_compacted'] / mb:.1f} "
        f"| {bulk['memory']['used_memory_human']} |",
        "",
        f"dutygraph path: build_payload {own['build_payload_s']:.1f} s, "
        f"store_document {own['store_document_s']:.1f} s. "
        f"Bulk insert alone: {bulk['assignments_per_s_insert_only']:,.0f} assignments/s "
        f"(CSV files {bulk['csv_bytes'] / mb:.0f} MiB).",
        "",
        f"CPU seconds (client + server; contention hardly changes them): dutygraph {own['cpu']['total_s']:.1f} "
        f"(client {own['cpu']['client_s']:.1f}, server {own['cpu']['server_s']:.1f}) = "
        f"{own['assignments_per_cpu_s']:,.0f} assignments per CPU-second; bulk {bulk['cpu']['total_s']:.1f} "
        f"(CSV {bulk['cpu']['csv_client_s']:.1f}, falkordb-bulk-insert {bulk['cpu']['bulk_insert_process_s']:.1f}, "
        f"server {bulk['cpu']['server_s']:.1f}) = {bulk['assignments_per_cpu_s']:,.0f} per CPU-second.",
        "",
        f"Same graph: node/relationship counts {'equal' if chk['counts_equal'] else 'DIFFER'}, "
        f"property keys {'equal' if chk['properties_equal'] else 'DIFFER'}, agency_tasks rows "
        + ", ".join(f"{k} {v['rows']:,} {'equal' if v['equal'] else 'DIFFER'}" for k, v in chk["agency_tasks"].items())
        + f". Restart after BGREWRITEAOF: dutygraph {chk['own_restart_s']:.1f} s, bulk {chk['bulk_restart_s']:.1f} s; "
        f"counts after restart {'equal' if chk['counts_after_restart_equal'] else 'DIFFER'}.",
    ]
    if "own_raw_aof_restart_s" in chk:
        lines.append(
            f"Restart replaying the AOF as loaded: dutygraph {chk['own_raw_aof_restart_s']:.1f} s, "
            f"bulk {chk['bulk_raw_aof_restart_s']:.1f} s."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
