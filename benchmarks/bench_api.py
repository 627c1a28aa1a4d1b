"""A bounded load test of the HTTP API on loopback, beside the same query run in-process.

    .venv/bin/python benchmarks/bench_api.py [--clients 50] [--seconds 30] [--workers 1,2]

1. Starts a fresh embedded FalkorDB in a temporary home and loads ``data/samples``
   (``Services.load_samples``, as ``dutygraph load`` does).
2. For each uvicorn worker count in ``--workers``: starts the real server on
   ``127.0.0.1`` only — ``uvicorn dutygraph.api.app:create_app --factory`` with
   ``DUTYGRAPH_HOME`` pointing at that home, access log off — waits for ``/readyz``,
   checks that every agency name of the mix answers 200, then runs ``--clients``
   concurrent clients (asyncio tasks, each on its own keep-alive connection: a lean
   HTTP/1.1 client by default, since the load generator shares the cores with the server,
   or ``--client httpx``) for ``--seconds`` against ``GET /api/agencies/{name}/tasks``, cycling
   through a mix of name forms (short, full, traditional, other agencies).  Every
   response is counted; anything but a 200 with a JSON body listing the agency's tasks
   is an error.  The server is then stopped.
3. The same query directly against the store, in this process: ``Services.agency_tasks``
   (the name lookup and the agency_tasks query, as the route runs them), over the same
   name mix, first with ``--clients`` threads for ``--seconds``, then sequentially
   (one thread) for ``--direct-seconds``.
4. Reports requests per second, p50, p90, p99 and max latency (nearest rank), errors,
   and the CPU seconds used by the load generator, the API server processes and the
   database server during each phase (all share the same cores).

Raw figures: ``benchmarks/out/bench_api.json``; a Markdown table is printed.  Everything
started is stopped (the API server by its process group, the database by
``EmbeddedServer.stop``) and the temporary home removed, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_graph import machine

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services
from dutygraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
HOST = "127.0.0.1"  # loopback only, never a public address

# Name forms the API accepts, several per agency: short, full, traditional, another jurisdiction.
AGENCIES = [
    "省大数据局",
    "浙江省大数据发展管理局",
    "省大數據局",
    "省发展改革委",
    "绍兴市大数据局",
    "市大数据局",
    "省档案局",
    "省商务厅",
    "省经信厅",
    "省委网信办",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(latencies: list[float], errors: int, seconds: float, cpu: dict[str, float]) -> dict[str, Any]:
    ms = [x * 1000 for x in latencies]
    n = len(ms)
    return {
        "requests": n + errors,
        "ok": n,
        "errors": errors,
        "seconds": round(seconds, 3),
        "rps": round(n / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ms, 50), 2) if ms else None,
        "p90_ms": round(percentile(ms, 90), 2) if ms else None,
        "p99_ms": round(percentile(ms, 99), 2) if ms else None,
        "max_ms": round(max(ms), 2) if ms else None,
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
    }


# ---------------------------------------------------------------- CPU accounting


def proc_cpu(pid: int) -> float:
    """utime + stime of one process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_pids(root: int) -> list[int]:
    """A process and its descendants (uvicorn's supervisor and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def machine_busy() -> float:
    """CPU seconds all processes have used since boot: /proc/stat's cpu line less idle and iowait."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / CLK_TCK


class CpuMeter:
    """CPU seconds used while it is entered by this process, the API server tree, the database and the whole
    machine; ``others`` is what the rest of the machine took (a shared machine shows here)."""

    def __init__(self, api_pid: int | None, db_pid: int | None) -> None:
        self.api_pid, self.db_pid = api_pid, db_pid

    def _sample(self) -> dict[str, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        sample = {"load generator": own.ru_utime + own.ru_stime}
        if self.api_pid:
            sample["api server"] = sum(proc_cpu(p) for p in tree_pids(self.api_pid))
        if self.db_pid:
            sample["database"] = proc_cpu(self.db_pid)
        sample["machine"] = machine_busy()
        return sample

    def __enter__(self) -> CpuMeter:
        self.before = self._sample()
        return self

    def __exit__(self, *exc: object) -> None:
        after = self._sample()
        self.used = {k: after[k] - self.before.get(k, 0.0) for k in after}
        self.used["others"] = max(0.0, self.used["machine"] - sum(v for k, v in self.used.items() if k != "machine"))


# ---------------------------------------------------------------- the API server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class ApiServer:
    """``uvicorn dutygraph.api.app:create_app --factory`` on loopback, in its own process group."""

    def __init__(self, home: Path, workers: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.home, self.workers, self.log_path = home, workers, log
        self.env = env or {}  # settings of this run (bench_hostile.py: the auditors' keys)
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ApiServer:
        env = {**os.environ, "DUTYGRAPH_HOME": str(self.home), "DUTYGRAPH_DB": "embedded"}
        env.pop("DUTYGRAPH_API_KEYS", None)  # reads are open on loopback; no key needed
        env.update(self.env)
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "dutygraph.api.app:create_app",
            "--factory",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        ready_workers = 0
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the API server exited ({self.process.returncode}); see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", timeout=2.0).status_code == 200:
                    ready_workers += 1
                    if ready_workers >= 3 * self.workers:  # every worker has had a chance to come up
                        return
                    continue
            time.sleep(0.2)
        raise RuntimeError(f"the API server did not become ready in {timeout:.0f} s; see {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


# ---------------------------------------------------------------- load over HTTP


def check_mix(url: str) -> dict[str, int]:
    """Every name of the mix answers 200 with its tasks (else the run would count only errors)."""
    totals = {}
    for name in AGENCIES:
        response = httpx.get(f"{url}/api/agencies/{name}/tasks", timeout=10.0)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.text[:200]}")
        totals[name] = response.json()["total"]
    return totals


class RawConnection:
    """One keep-alive HTTP/1.1 connection over asyncio streams.

    The load generator shares the machine with the server, so it should cost little:
    httpx spends about as much CPU per request as the API itself.  This sends a plain GET
    and reads the status, the headers and a Content-Length or chunked body; anything
    else is an error."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {quote(path)} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            body = b"".join(parts)
        else:
            raise ValueError("response without Content-Length or chunked encoding")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError, ConnectionError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def http_load(
    url: str, clients: int, seconds: float, client_kind: str = "raw"
) -> tuple[list[float], int, dict[str, int], float]:
    """``clients`` concurrent clients, each on its own keep-alive connection, cycling through the names."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    names = itertools.cycle(AGENCIES)
    parsed = httpx.URL(url)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as shared:
        started = time.perf_counter()
        deadline = started + seconds

        async def fetch_httpx(path: str, _conn: RawConnection) -> tuple[int, bytes]:
            response = await shared.get(path)
            return response.status_code, response.content

        async def fetch_raw(path: str, conn: RawConnection) -> tuple[int, bytes]:
            return await asyncio.wait_for(conn.get(path), timeout=30.0)

        fetch = fetch_raw if client_kind == "raw" else fetch_httpx

        async def one_client() -> None:
            conn = RawConnection(parsed.host, parsed.port or 80)
            while time.perf_counter() < deadline:
                name = next(names)
                sent = time.perf_counter()
                try:
                    status, body = await fetch(f"/api/agencies/{name}/tasks", conn)
                    ok = status == 200 and bool(json.loads(body)["agency"]["id"])
                    kind = f"HTTP {status}"
                except (
                    httpx.HTTPError,
                    OSError,
                    asyncio.IncompleteReadError,
                    TimeoutError,
                    ValueError,
                    KeyError,
                ) as exc:
                    ok, kind = False, type(exc).__name__
                    await conn.close()
                if ok:
                    latencies.append(time.perf_counter() - sent)
                else:
                    errors[kind] = errors.get(kind, 0) + 1
            await conn.close()

        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, sum(errors.values()), errors, elapsed


# ---------------------------------------------------------------- the same query in-process


def direct_load(services: Services, threads: int, seconds: float) -> tuple[list[float], int, dict[str, int], float]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    names = itertools.cycle(AGENCIES)
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def worker() -> None:
        mine: list[float] = []
        while time.perf_counter() < deadline:
            with lock:
                name = next(names)
            sent = time.perf_counter()
            try:
                unit, _rows = services.agency_tasks(name)
                assert unit["id"]
                mine.append(time.perf_counter() - sent)
            except Exception as exc:  # counted, not raised: an error is a figure here
                with lock:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, sum(errors.values()), errors, time.perf_counter() - started


# ---------------------------------------------------------------- report


def markdown(results: dict[str, Any]) -> str:
    header = "| run | concurrency | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |"
    rows = [header + " CPU s: load gen / API / DB / others |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in results["runs"]:
        cpu = run["cpu_seconds"]
        cpu_text = " / ".join(
            f"{cpu[k]:.1f}" if k in cpu else "–" for k in ("load generator", "api server", "database", "others")
        )
        rows.append(
            f"| {run['label']} | {run['concurrency']} | {run['requests']} | {run['errors']} | {run['rps']} "
            f"| {run['p50_ms']} | {run['p90_ms']} | {run['p99_ms']} | {run['max_ms']} | {cpu_text} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients (and direct threads)")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of each concurrent run")
    parser.add_argument("--direct-seconds", type=float, default=10.0, help="duration of the sequential direct run")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts to run, comma-separated")
    parser.add_argument(
        "--client", choices=["raw", "httpx"], default="raw", help="load generator: lean asyncio HTTP/1.1 or httpx"
    )
    parser.add_argument("--out", type=Path, default=OUT / "bench_api.json")
    args = parser.parse_args()
    if not (1 <= args.clients <= 500 and 0 < args.seconds <= 300 and 0 < args.direct_seconds <= 300):
        parser.error("keep it bounded: 1–500 clients, at most 300 s per run")
    workers = [int(w) for w in args.workers.split(",") if w.strip()]
    if not workers or any(not 1 <= w <= 8 for w in workers):
        parser.error("--workers: 1 to 8 each")

    OUT.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="dutygraph-bench-api-"))
    server = EmbeddedServer(home)
    services = Services(Settings(home=home, db="embedded"))
    results: dict[str, Any] = {
        "machine": machine(),
        "clients": args.clients,
        "seconds": args.seconds,
        "endpoint": "GET /api/agencies/{name}/tasks",
        "names": AGENCIES,
        "runs": [],
        "load_average_before": os.getloadavg(),
    }
    try:
        began = time.perf_counter()
        report = services.load_samples()
        if not report.ok:
            raise SystemExit(f"loading the samples failed: {report.failed}")
        results["graph"] = services.counts()
        results["load_seconds"] = round(time.perf_counter() - began, 2)
        db_pid = server.status().pid
        results["falkordb"] = server.status().version

        for n in workers:
            with ApiServer(home, n, OUT / f"bench_api.uvicorn-{n}.log") as api:
                results.setdefault("tasks_per_name", check_mix(api.url))
                print(f"HTTP, {n} worker(s): {args.clients} clients for {args.seconds:.0f} s …", file=sys.stderr)
                with CpuMeter(api.process.pid if api.process else None, db_pid) as meter:
                    latencies, errors, kinds, elapsed = asyncio.run(
                        http_load(api.url, args.clients, args.seconds, args.client)
                    )
                run = summary(latencies, errors, elapsed, meter.used)
                label = f"HTTP ({args.client} client), uvicorn --workers {n}"
                run.update(label=label, kind="http", client=args.client, workers=n, concurrency=args.clients)
                run["error_kinds"] = kinds
                results["runs"].append(run)

        print(f"direct: {args.clients} threads for {args.seconds:.0f} s …", file=sys.stderr)
        services.agency_tasks(AGENCIES[0])  # warm: registry, connection
        with CpuMeter(None, db_pid) as meter:
            latencies, errors, kinds, elapsed = direct_load(services, args.clients, args.seconds)
        run = summary(latencies, errors, elapsed, meter.used)
        run.update(label="direct Services.agency_tasks, threads", kind="direct", concurrency=args.clients)
        run["error_kinds"] = kinds
        results["runs"].append(run)

        print(f"direct: sequential for {args.direct_seconds:.0f} s …", file=sys.stderr)
        with CpuMeter(None, db_pid) as meter:
            latencies, errors, kinds, elapsed = direct_load(services, 1, args.direct_seconds)
        run = summary(latencies, errors, elapsed, meter.used)
        run.update(label="direct Services.agency_tasks, sequential", kind="direct", concurrency=1)
        run["error_kinds"] = kinds
        results["runs"].append(run)
    finally:
        services.close()
        server.stop()
        shutil.rmtree(home, ignore_errors=True)

    results["load_average_after"] = os.getloadavg()
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(markdown(results))
    print(f"\nfigures: {args.out}", file=sys.stderr)
    if any(run["errors"] for run in results["runs"]):
        raise SystemExit("errors during the run: see error_kinds in the JSON")


if __name__ == "__main__":
    main()
