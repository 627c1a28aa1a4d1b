"""Readers beside hostile audit clients, on loopback: issue 13's "a server audit tools can trust".

    .venv/bin/python benchmarks/bench_hostile.py [--readers 50] [--hostile 10] [--seconds 30]

1. Starts a fresh embedded FalkorDB in a temporary home, loads ``data/samples``, and starts the real
   server on ``127.0.0.1`` (``uvicorn dutygraph.api.app:create_app --factory``, one worker, the
   settings' defaults, one API key with the cypher scope), as ``bench_api.py`` does.
2. Readers alone: ``--readers`` clients for ``--seconds`` against ``GET /api/agencies/{name}/tasks``
   (``bench_api.http_load``: keep-alive connections, a mix of name forms).
3. The same readers, while ``--hostile`` clients send the worst queries issue 13 found to
   ``POST /api/cypher`` back to back, never waiting, whatever the answer (:data:`WORST`): nesting
   that doubles parse time per level, a range of 10^8, a 10^12-row count, string building with
   ``reduce``, a million-row result, a quoted procedure name, a 2 MB parameter.
4. Reports, for each run, the readers' requests per second and latency (p50, p90, p99, max) and
   every status the hostile clients got; any 500, to a reader or a hostile client, is a failure.

Raw figures: ``benchmarks/out/bench_hostile.json``; a Markdown table is printed.  Everything
started is stopped and the temporary home removed, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import OUT, ApiServer, CpuMeter, check_mix, http_load, summary
from synthetic_graph import machine

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services
from dutygraph.settings import Settings

KEY = "bench-auditor"

#: The worst ad-hoc queries of issue 13, as (what, JSON body).
WORST: list[tuple[str, dict[str, Any]]] = [
    ("23 levels of brackets", {"query": "RETURN " + "(" * 23 + "1" + ")" * 23}),
    ("range of 10^8", {"query": "UNWIND range(1, 100000000) AS x RETURN count(x)"}),
    ("10^12 rows counted", {"query": "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000000) AS y RETURN count(*)"}),
    ("reduce string building", {"query": "RETURN size(reduce(s = '', x IN range(1, 1000000) | s + 'abcdefghij'))"}),
    ("a million rows", {"query": "UNWIND range(1, 1000000) AS x RETURN x, toString(x) AS s"}),
    ("quoted procedure", {"query": "CALL `dbms.procedures`()"}),
    ("2 MB parameter", {"query": "RETURN size($p)", "params": {"p": "x" * (2 * 1024 * 1024)}}),
]


async def hostile_load(url: str, clients: int, seconds: float) -> dict[str, Counter[str]]:
    """``clients`` clients sending :data:`WORST` in turn, back to back, for ``seconds``."""
    statuses: dict[str, Counter[str]] = {what: Counter() for what, _ in WORST}
    bodies = [(what, json.dumps(body).encode()) for what, body in WORST]
    turns = itertools.cycle(bodies)
    headers = {"X-API-Key": KEY, "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60.0) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                what, body = next(turns)
                try:
                    response = await client.post("/api/cypher", content=body, headers=headers)
                    statuses[what][str(response.status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[what][type(exc).__name__] += 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return statuses


async def readers_beside_hostile(
    url: str, readers: int, hostile: int, seconds: float
) -> tuple[tuple[list[float], int, dict[str, int], float], dict[str, Counter[str]]]:
    reading = http_load(url, readers, seconds)
    attacking = hostile_load(url, hostile, seconds)
    read, attacked = await asyncio.gather(reading, attacking)
    return read, attacked


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "| run | reader req/s | p50 ms | p90 ms | p99 ms | max ms | reader errors |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in results["runs"]:
        errors = ", ".join(f"{k}: {v}" for k, v in run["error_kinds"].items()) or "none"
        lines.append(
            f"| {run['label']} | {run['rps']} | {run['p50_ms']} | {run['p90_ms']} | {run['p99_ms']} "
            f"| {run['max_ms']} | {errors} |"
        )
    lines += ["", "| hostile query | answers |", "|---|---|"]
    for what, answers in results["hostile_statuses"].items():
        lines.append(f"| {what} | {', '.join(f'{k}: {v}' for k, v in sorted(answers.items()))} |")
    lines += ["", f"p99 with the hostile clients / alone: {results['p99_ratio']}; any 500: {results['any_500']}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--hostile", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of each run")
    parser.add_argument("--out", type=Path, default=OUT / "bench_hostile.json")
    args = parser.parse_args()
    if not (1 <= args.readers <= 500 and 1 <= args.hostile <= 100 and 0 < args.seconds <= 300):
        parser.error("keep it bounded: 1–500 readers, 1–100 hostile clients, at most 300 s per run")

    OUT.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="dutygraph-bench-hostile-"))
    server = EmbeddedServer(home)
    services = Services(Settings(home=home, db="embedded"))
    results: dict[str, Any] = {
        "machine": machine(),
        "readers": args.readers,
        "hostile": args.hostile,
        "seconds": args.seconds,
        "endpoint": "GET /api/agencies/{name}/tasks",
        "hostile_queries": [what for what, _ in WORST],
        "runs": [],
        "load_average_before": os.getloadavg(),
    }
    try:
        report = services.load_samples()
        if not report.ok:
            raise SystemExit(f"loading the samples failed: {report.failed}")
        db_pid = server.status().pid
        env = {"DUTYGRAPH_API_KEYS": f"{KEY}=read+cypher"}
        with ApiServer(home, 1, OUT / "bench_hostile.uvicorn.log", env=env) as api:
            check_mix(api.url)
            pid = api.process.pid if api.process else None
            print(f"readers alone: {args.readers} for {args.seconds:.0f} s …", file=sys.stderr)
            with CpuMeter(pid, db_pid) as meter:
                latencies, errors, kinds, elapsed = asyncio.run(http_load(api.url, args.readers, args.seconds))
            alone = summary(latencies, errors, elapsed, meter.used)
            alone.update(label=f"{args.readers} readers alone", error_kinds=kinds)
            print(f"readers beside {args.hostile} hostile clients for {args.seconds:.0f} s …", file=sys.stderr)
            with CpuMeter(pid, db_pid) as meter:
                read, attacked = asyncio.run(readers_beside_hostile(api.url, args.readers, args.hostile, args.seconds))
            latencies, errors, kinds, elapsed = read
            beside = summary(latencies, errors, elapsed, meter.used)
            beside.update(label=f"{args.readers} readers beside {args.hostile} hostile clients", error_kinds=kinds)
        results["runs"] = [alone, beside]
        results["hostile_statuses"] = {what: dict(answers) for what, answers in attacked.items()}
        results["p99_ratio"] = round(beside["p99_ms"] / alone["p99_ms"], 2) if alone["p99_ms"] else None
        results["any_500"] = any("HTTP 500" in run["error_kinds"] for run in results["runs"]) or any(
            "500" in answers for answers in results["hostile_statuses"].values()
        )
        results["load_average_after"] = os.getloadavg()
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
        print(markdown(results))
    finally:
        services.close()
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
