"""The 任务分工表 downloads at scale: time and the server's peak memory of ``GET /api/export/assignments.csv``
and ``.xlsx`` (issue 14, item 1: the exports stream).

    .venv/bin/python benchmarks/bench_export.py [--tasks 20000] [--runs 3] [--keep DIR | --home PATH]
    .venv/bin/python benchmarks/bench_export.py --rows 2000,5000 [--rev 337b32f]

A synthetic graph of ``--tasks`` tasks (``synthetic_graph.generate`` through dutygraph's write path, as
``bench_paging.py`` builds it: ~5 assignments a task, so 20,000 tasks are ~100,000 assignments) in a
temporary home — or one built into ``--keep DIR`` and kept, or an existing one given with ``--home``.
For each format, a fresh API server (``bench_api.ApiServer``: uvicorn, one worker, loopback) answers
one small warm-up export (one agency's), then ``--runs`` whole exports, read by one client as a stream.
Measured per run: the time to the first byte and to the last, the bytes, and the server's resident
memory sampled every 10 ms from ``/proc`` (its process group: the API process; the database is a
process of its own and not counted). ``peak_rss_mb`` is the highest sample over the runs,
``rss_before_mb`` the server after the warm-up, ``growth_mb`` the difference.

``--rows``: no store and no server, the files alone, in this process: ``--rows`` synthetic rows of the
table (a task's text of ~80 characters, two leads, four supports) made into the CSV and the workbook by
this worktree's ``dutygraph.exports`` and by the one of commit ``--rev`` (read with ``git show``; the
whole-file code before the exports streamed), each in a child process of its own: its time, then
(a second time, under ``tracemalloc``) the peak of what Python allocated for it, beside the same child
doing nothing but making the rows (``none``).

Figures go to ``benchmarks/out/bench_export.json``; a Markdown table is printed.  The code measured is
the worktree's: run it on two commits to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from bench_api import ApiServer
from bench_query import GRAPH, build_own
from synthetic_graph import machine, scratch_server

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.loaders.registry import Registry

OUT = Path(__file__).resolve().parent / "out"
PAGE = os.sysconf("SC_PAGE_SIZE")


def group_rss(pgid: int) -> int:
    """Resident bytes of every process in the process group ``pgid``."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid:  # field 5 of stat: the process group
                total += int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
    return total


class Sampler:
    """The highest :func:`group_rss` seen while it runs."""

    def __init__(self, pgid: int) -> None:
        self.pgid, self.peak, self._stop = pgid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, group_rss(self.pgid))
            self._stop.wait(0.01)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, group_rss(self.pgid))


def one_format(home: Path, fmt: str, runs: int, agency: str) -> dict[str, Any]:
    with ApiServer(home, 1, OUT / f"bench_export.{fmt}.log", {"DUTYGRAPH_DB_NAME": GRAPH}) as api:
        assert api.process is not None
        pgid = api.process.pid  # started in a session of its own: its pid is the group's id
        url = f"/api/export/assignments.{fmt}"
        with httpx.Client(base_url=api.url, timeout=600.0) as client:
            client.get(url, params={"agency": agency}).raise_for_status()  # warm-up: imports, plans, pools
            before = group_rss(pgid)
            samples: list[dict[str, float]] = []
            with Sampler(pgid) as sampler:
                for _ in range(runs):
                    started = time.perf_counter()
                    first = None
                    size = 0
                    with client.stream("GET", url) as response:
                        response.raise_for_status()
                        for chunk in response.iter_raw():
                            if first is None:
                                first = time.perf_counter() - started
                            size += len(chunk)
                    samples.append(
                        {"first_byte_s": first or 0.0, "total_s": time.perf_counter() - started, "bytes": size}
                    )
    return {
        "runs": samples,
        "total_s_median": round(statistics.median(s["total_s"] for s in samples), 2),
        "first_byte_s_median": round(statistics.median(s["first_byte_s"] for s in samples), 3),
        "bytes": samples[-1]["bytes"],
        "rss_before_mb": round(before / 2**20, 1),
        "peak_rss_mb": round(sampler.peak / 2**20, 1),
        "growth_mb": round((sampler.peak - before) / 2**20, 1),
    }


CHILD = r"""
import importlib.util, sys, time, tracemalloc
source, fmt, n, whole = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "list"
module = importlib.util.module_from_spec(importlib.util.spec_from_loader("exports_measured", loader=None))
sys.modules["exports_measured"] = module  # dataclasses look their module up
exec(compile(open(source).read(), source, "exec"), module.__dict__)
TEXT = "推进数字政府建设，完善政务服务平台，" * 4
SOURCE = "浙江省数字政府建设实施方案（浙政办发〔2021〕1号）"
LEADS, SUPPORTS = "省大数据局、省档案局", "省发展改革委、省财政厅、省人力社保厅"
def rows():
    for i in range(1, n + 1):
        yield [i, f"第{i}项任务：{TEXT}", LEADS, SUPPORTS, "2021-06-30", SOURCE]
def make():
    given = list(rows()) if whole else rows()  # the list main made (exports.table_rows), or rows as they come
    if fmt == "none":
        return sum(1 for _ in given)
    made = module.table_csv(given) if fmt == "csv" else module.table_xlsx(given)
    if isinstance(made, bytes):
        return len(made)
    # chunks, counted as a client reads them, never joined
    return sum(len(chunk) for chunk in (made if fmt == "csv" else module.file_chunks(made)))
t0 = time.perf_counter()
made = make()
seconds = time.perf_counter() - t0
tracemalloc.start()  # a second time, traced: the peak of what Python allocated for it
make()
print(seconds, tracemalloc.get_traced_memory()[1] / 2**20, made)
"""


def in_process(sizes: list[int], rev: str) -> dict[str, Any]:
    """The files alone (``--rows``): this worktree's exports beside those of ``rev``."""
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    old = subprocess.run(["git", "show", f"{rev}:dutygraph/exports.py"], cwd=root, capture_output=True, check=True)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="dutygraph-bench-export-") as folder:
        before = Path(folder) / "exports_before.py"
        before.write_bytes(old.stdout)
        sources = {rev: before, "this worktree": root / "dutygraph" / "exports.py"}
        for n in sizes:
            for label, source in sources.items():
                for fmt in ("none", "csv", "xlsx"):
                    given = "list" if label == rev else "iter"
                    done = subprocess.run(
                        [sys.executable, "-c", CHILD, str(source), fmt, str(n), given],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    seconds, peak, size = done.stdout.split()
                    out[f"{n}/{label}/{fmt}"] = entry = {
                        "s": round(float(seconds), 2),
                        "peak_mb": round(float(peak), 1),
                    }
                    entry["bytes"] = int(size)
                    print(f"  {n:,} rows, {label}, {fmt}: {entry}", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--keep", help="build the graph into KEEP and keep it (reuse it with --home KEEP)")
    parser.add_argument("--home", help="an existing home built by --keep")
    parser.add_argument("--label", default="", help="what code was measured (e.g. main, api-stream)")
    parser.add_argument("--out", default="bench_export.json")
    parser.add_argument("--rows", help="row counts, comma-separated: the files alone, no store (see above)")
    parser.add_argument("--rev", default="337b32f", help="with --rows: the commit to compare with")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.rows:
        figures = in_process([int(n) for n in args.rows.split(",")], args.rev)
        (OUT / args.out).write_text(json.dumps({"machine": machine(), "rows": figures}, ensure_ascii=False, indent=2))
        return 0
    result: dict[str, Any] = {"machine": machine(), "arguments": vars(args), "formats": {}}

    def measure(home: Path, picks: dict[str, Any]) -> None:
        rare = picks["rare"]["id"]
        for fmt in args.formats.split(","):
            result["formats"][fmt] = entry = one_format(home, fmt, args.runs, rare)
            print(f"  {fmt}: " + json.dumps({k: v for k, v in entry.items() if k != "runs"}), flush=True)

    if args.home:
        home = Path(args.home)
        server = EmbeddedServer(home, start_timeout=600.0)
        server.ensure_started()
        try:
            picks = json.loads((home / "picks.json").read_text())
            result["tasks"] = picks.get("tasks_total", args.tasks)
            measure(home, picks)
        finally:
            server.stop(timeout=300)
    elif args.keep:
        home = Path(args.keep)
        server = EmbeddedServer(home, start_timeout=600.0)
        server.ensure_started()
        try:
            stats, built = build_own(server, args.tasks, 1, Registry.load(), 3600)
            picks = stats.pick_agencies() | {"tasks_total": stats.tasks, "assignments_total": stats.assignments}
            (home / "picks.json").write_text(json.dumps(picks, ensure_ascii=False, indent=2))
            print(f"built {stats.tasks:,} tasks, {stats.assignments:,} assignments in {built:.0f} s", flush=True)
            measure(home, picks)
        finally:
            server.stop(timeout=300)
    else:
        with scratch_server("dutygraph-bench-export-") as server:
            stats, _ = build_own(server, args.tasks, 1, Registry.load(), 3600)
            measure(server.home, stats.pick_agencies())
    (OUT / args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(markdown(result))
    return 0


def markdown(r: dict[str, Any]) -> str:
    lines = [
        f"`{r['arguments']['label'] or 'this worktree'}`, {r['arguments']['tasks']:,} tasks:",
        "",
        "| format | bytes | first byte (median) | whole file (median) | server RSS before | peak | growth |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for fmt, e in r["formats"].items():
        lines.append(
            f"| {fmt} | {e['bytes']:,} | {e['first_byte_s_median']:.2f} s | {e['total_s_median']:.2f} s "
            f"| {e['rss_before_mb']:.0f} MB | {e['peak_rss_mb']:.0f} MB | +{e['growth_mb']:.0f} MB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
