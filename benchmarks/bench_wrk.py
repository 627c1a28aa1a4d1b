"""The paged agency-tasks endpoint under wrk: 50 connections for 30 s, 1 and 2 workers, cache off and warm.

    .venv/bin/python benchmarks/bench_wrk.py [--seconds 30] [--connections 50] [--workers 1,2]

Needs ``wrk`` (Debian: ``apt-get install wrk``). One run, on loopback only, stopping everything it
started: a fresh embedded FalkorDB in a temporary home with ``data/samples`` loaded, then for each
worker count and each cache setting the real server (``uvicorn dutygraph.api.app:create_app --factory
--workers N``, as ``bench_api.py`` starts it) with ``DUTYGRAPH_ANSWER_CACHE`` 0 (no answers kept: every
request runs the paged query and its count) or 512 (answers kept; warmed by one request per URL
first). wrk cycles through ``GET /api/agencies/{name}/tasks?limit=50`` for the ten name forms of
``bench_api.AGENCIES`` (a Lua script), two threads, ``--latency``. Figures: requests/s, latency
percentiles as wrk reports them, non-2xx answers, CPU seconds of wrk, the API, the database and the
rest of the machine (a shared machine shows there). Raw output in ``benchmarks/out/bench_wrk.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import AGENCIES, ApiServer, CpuMeter
from synthetic_graph import machine

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services
from dutygraph.settings import Settings

OUT = Path(__file__).resolve().parent / "out"
PATHS = [f"/api/agencies/{quote(name)}/tasks?limit=50" for name in AGENCIES]
SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse(out: str) -> dict[str, Any]:
    """requests/s, the latency percentiles and the errors wrk printed."""
    figures: dict[str, Any] = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    figures["requests"] = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M):
        figures[f"p{pct}_ms"] = round(ms(value), 2)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    figures["socket_errors"] = socket_errors.group(1) if socket_errors else None
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--out", default="bench_wrk.json")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    OUT.mkdir(parents=True, exist_ok=True)
    script = OUT / "bench_wrk.lua"
    script.write_text(SCRIPT % ", ".join(json.dumps(p) for p in PATHS))
    home = Path(tempfile.mkdtemp(prefix="dutygraph-bench-wrk-"))
    server = EmbeddedServer(home)
    services = Services(Settings(home=home, db="embedded"))
    result: dict[str, Any] = {"machine": machine(), "arguments": vars(args), "paths": PATHS, "runs": []}
    try:
        if not services.load_samples().ok:
            raise SystemExit("loading the samples failed")
        db_pid = server.status().pid
        for workers in [int(w) for w in args.workers.split(",")]:
            for cache in (0, 512):
                os.environ["DUTYGRAPH_ANSWER_CACHE"] = str(cache)
                with ApiServer(home, workers, OUT / f"bench_wrk.uvicorn-{workers}-{cache}.log") as api:
                    for path in PATHS * 3:  # every worker answers every URL once at least: warm
                        assert httpx.get(api.url + path, timeout=10).status_code == 200
                    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
                    command += ["-s", str(script), api.url]
                    with CpuMeter(api.process.pid if api.process else None, db_pid) as meter:
                        done = subprocess.run(command, capture_output=True, text=True, check=True)
                    run = parse(done.stdout) | {"workers": workers, "answer_cache": cache, "output": done.stdout}
                    run["cpu_s"] = {k: round(v, 1) for k, v in meter.used.items()}
                    run["loadavg"] = os.getloadavg()
                    result["runs"].append(run)
                    print(
                        f"workers {workers}, cache {cache}: {run['requests_per_s']:.0f} req/s, "
                        f"p50 {run.get('p50_ms')} ms, p99 {run.get('p99_ms')} ms, non-2xx {run['non_2xx']}, "
                        f"cpu {run['cpu_s']}",
                        flush=True,
                    )
    finally:
        os.environ.pop("DUTYGRAPH_ANSWER_CACHE", None)
        services.close()
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    (OUT / args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
