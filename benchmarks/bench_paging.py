"""Agency tasks paged in the store: the first page of 50 and a deep page, beside the whole result.

    .venv/bin/python benchmarks/bench_paging.py [--sizes 10000,100000] [--home 100000=/path/to/home]
        [--keep /path/to/homes] [--api]

For each size, a synthetic graph (``synthetic_graph.generate``, built through dutygraph's write path as
``bench_query.py`` builds it, in a temporary home removed afterwards — or an existing home given with
``--home SIZE=PATH``, left as it was, or one built into ``--keep DIR/SIZE`` and kept with its
``picks.json`` for the next run) and, for the busiest, a median and a rare agency:

* **first page**: ``Services.page("agency_tasks", …, limit=50)`` — the page and its total, as the API's
  ``/api/agencies/{name}/tasks`` asks for them — and the page alone (``total=False``);
* **deep page**: the same, from the cursor of the row in the middle of the agency's tasks;
* **count**: the total alone (the query's filters counted);
* **by document**: the store's part of those pages, read by document (``Services._agency_page``: the
  unit's ``page_docs`` and queries/agency_tasks_page, the path an unfiltered page takes since issue 14);
* **store**: agency_tasks itself straight on the store (``store.read``), the path a filtered page still
  takes, and FalkorDB's own execution time of it (``run_time_ms``);
* **api** (``--api``): ``GET /api/agencies/{id}/tasks?limit=50`` and the same with the deep cursor,
  through the real server (``uvicorn``, one worker, loopback: ``bench_api.ApiServer``), one keep-alive
  client, one request at a time, each read from the store (``_kept``: answered from the answers the API
  keeps, the same request again);
* **whole**: ``Services.query("agency_tasks", …)``, every row, as before paging (a few runs only).

Each agency's figures carry the load average (``os.getloadavg``) when they were taken: on a shared
machine that says more about a p99 than anything else.

p50 / p99 are nearest-rank over up to ``--runs`` runs within ``--budget`` seconds each. Figures go to
``benchmarks/out/bench_paging.json``; a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from bench_api import ApiServer
from bench_query import GRAPH, build_own, percentile
from synthetic_graph import machine, scratch_server

from dutygraph.graph.store import StoreError, writes
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.graph.store.falkordb_store import FalkorDBStore
from dutygraph.loaders.registry import Registry
from dutygraph.queries import load_query
from dutygraph.services import Services, encode_cursor
from dutygraph.settings import Settings

OUT = Path(__file__).resolve().parent / "out"
LIMIT = 50


def timed(fn: Any, runs: int, budget: float) -> dict[str, Any]:
    fn()  # warm-up
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs and (time.perf_counter() - started < budget or len(samples) < 3):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    p50, p99 = round(percentile(samples, 50), 2), round(percentile(samples, 99), 2)
    return {"runs": len(samples), "p50_ms": p50, "p99_ms": p99}


def measure(services: Services, picks: dict[str, dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    store = services.store
    assert isinstance(store, FalkorDBStore)
    out: dict[str, Any] = {}
    for kind, pick in picks.items():
        out[kind] = entry = one_agency(services, store, pick, args)
        print(f"  {kind:8} {pick['name']} ({pick['tasks']:,}): " + json.dumps(entry, ensure_ascii=False), flush=True)
    return out


def one_agency(services: Services, store: FalkorDBStore, pick: dict[str, Any], args: argparse.Namespace) -> dict:
    """The figures of one agency (see the module docstring)."""
    named = load_query("agency_tasks")
    params = {"agency": pick["id"]}
    bound = named.bind(params)
    middle = middle_key(services, pick)
    deep = {**bound, "limit": LIMIT + 1, "after": middle}
    first = {**bound, "limit": LIMIT + 1}
    cursor = encode_cursor("agency_tasks", middle)
    entry: dict[str, Any] = {"agency": pick["name"], "tasks": pick["tasks"], "loadavg": os.getloadavg()}
    entry["first_page"] = timed(lambda: services.page("agency_tasks", params, limit=LIMIT), args.runs, args.budget)
    entry["first_page_no_total"] = timed(
        lambda: services.page("agency_tasks", params, limit=LIMIT, total=False), args.runs, args.budget
    )
    entry["deep_page"] = timed(
        lambda: services.page("agency_tasks", params, limit=LIMIT, cursor=cursor), args.runs, args.budget
    )
    entry["by_document_first_page"] = timed(lambda: services._agency_page(first), args.runs, args.budget)
    entry["by_document_deep_page"] = timed(lambda: services._agency_page(deep), args.runs, args.budget)
    if args.api_url:
        # Every request its own query string (a parameter the route ignores), so that no request is
        # answered from the answers the API keeps per graph version (api/cached.py): the page is read
        # from the store each time. ``_kept``: the same request again, as a client paging back gets it.
        fresh = itertools.count()
        with httpx.Client(base_url=args.api_url, timeout=60.0) as client:
            url = f"/api/agencies/{pick['id']}/tasks"
            for label, query in (
                ("api_first_page", {"limit": LIMIT}),
                ("api_deep_page", {"limit": LIMIT, "cursor": cursor}),
            ):
                answered = client.get(url, params=query)
                assert answered.status_code == 200 and len(answered.json()["items"]) == LIMIT, answered.text[:300]
                entry[label] = timed(
                    lambda q=query: client.get(url, params={**q, "unkept": next(fresh)}).raise_for_status(),
                    args.runs,
                    args.budget,
                )
                entry[label + "_kept"] = timed(
                    lambda q=query: client.get(url, params=q).raise_for_status(), args.runs, args.budget
                )
    # agency_tasks itself, as a filtered page still reads: at 1M tasks the busiest agency's page is
    # refused by the database's memory limit for one query (what each figure met is kept instead).
    assert named.count_cypher is not None
    count_cypher = named.count_cypher
    for label, fn in (
        ("count", lambda: store.read(count_cypher, bound)),
        ("store_first_page", lambda: store.read(named.cypher, first)),
        ("store_deep_page", lambda: store.read(named.cypher, deep)),
    ):
        entry[label] = guarded(lambda fn=fn: timed(fn, args.runs, args.budget))
    for label, params_ in (("server_first_page_ms", first), ("server_deep_page_ms", deep)):
        entry[label] = guarded(
            lambda p=params_: round(
                percentile([store.graph.ro_query(named.cypher, p).run_time_ms for _ in range(10)], 50), 2
            )
        )
    if pick["tasks"] <= args.whole_max:
        try:
            entry["whole"] = timed(lambda: services.query("agency_tasks", params), args.whole_runs, args.budget)
        except StoreError as exc:  # the whole result may not fit the database's limits at all: a result too
            entry["whole"] = {"error": f"{type(exc).__name__}: {exc}"}
    return entry


def middle_key(services: Services, pick: dict[str, Any]) -> list[Any]:
    """The page_key of the agency's middle row, read by document (agency_tasks itself cannot sort the
    busiest agency's keys at 1M tasks): the document holding that row, then the rows of that document."""
    unit = pick["id"]
    entries = services.store.read("MATCH (u:Unit {id: $unit}) RETURN u.page_docs", {"unit": unit}).rows[0][0]
    before, half = 0, pick["tasks"] // 2
    for issued, doc, n in writes.page_docs(entries):
        if before + n > half:
            named = load_query("agency_tasks")
            bound = named.bind({"agency": unit, "limit": half - before + 1, "after": [issued, doc, -1, unit]})
            found = services._agency_page(bound)
            assert found is not None, "the agency is not paged by document: a graph stored before EXTRACTOR_VERSION 7?"
            rows, _ = found
            return list(rows.rows[-1][rows.columns.index("page_key")])
        before += n
    raise AssertionError(f"{unit} has fewer rows than {pick['tasks']}")


def guarded(fn: Any) -> Any:
    """``fn()``, or what the store answered instead (a result over the database's limits, a time-out)."""
    try:
        return fn()
    except StoreError as exc:
        return {"error": f"{type(exc).__name__}: {str(exc).split(':')[0]}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="task counts, comma-separated")
    parser.add_argument("--home", action="append", default=[], help="SIZE=PATH: an existing home of that size")
    parser.add_argument("--keep", help="build each size into KEEP/<size> and keep it (reuse it with --home)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timed runs per figure")
    parser.add_argument("--whole-runs", type=int, default=5, help="runs of the whole result")
    parser.add_argument("--whole-max", type=int, default=50_000, help="skip the whole result above this many tasks")
    parser.add_argument("--out", default="bench_paging.json")
    parser.add_argument("--api", action="store_true", help="also through the HTTP API (a uvicorn server per size)")
    args = parser.parse_args()
    homes = dict(item.split("=", 1) for item in args.home)
    registry = Registry.load()
    result: dict[str, Any] = {"machine": machine(), "arguments": vars(args), "sizes": {}}
    for size in [int(s) for s in args.sizes.split(",")]:
        if str(size) in homes:
            home = Path(homes[str(size)])
            server = EmbeddedServer(home, start_timeout=600.0)
            server.ensure_started()
            picks = json.loads((home / "picks.json").read_text())
            result["sizes"][str(size)] = run(home, picks, args)
            server.stop(timeout=300)
            continue
        if args.keep:  # built once into KEEP/<size>, with its picks, for --home next time
            home = Path(args.keep) / str(size)
            server = EmbeddedServer(home, start_timeout=600.0)
            server.ensure_started()
            stats, _ = build_own(server, size, 1, registry, 3600)
            (home / "picks.json").write_text(json.dumps(stats.pick_agencies(), ensure_ascii=False, indent=2))
            result["sizes"][str(size)] = run(home, stats.pick_agencies(), args)
            server.stop(timeout=300)
            continue
        with scratch_server(f"dutygraph-bench-paging-{size}-") as server:
            stats, _ = build_own(server, size, 1, registry, 3000)
            result["sizes"][str(size)] = run(server.home, stats.pick_agencies(), args)
    result["loadavg_at_end"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(markdown(result))
    return 0


def run(home: Path, picks: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    services = Services(Settings(home=home, db="embedded", db_name=GRAPH))
    try:
        with contextlib.ExitStack() as stack:
            args.api_url = None
            if args.api:
                OUT.mkdir(parents=True, exist_ok=True)
                api = stack.enter_context(
                    ApiServer(home, 1, OUT / "bench_paging.api.log", {"DUTYGRAPH_DB_NAME": GRAPH})
                )
                args.api_url = api.url
            return {"loadavg_before": os.getloadavg(), "queries": measure(services, picks, args)}
    finally:
        services.close()


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "| tasks | agency (tasks) | load | first page + total p50 / p99 | first page alone | deep page "
        "| by document: first / deep p50 / p99 | API: first / deep p50 / p99 | total alone "
        "| agency_tasks on the store: first / deep p50 | server: first / deep | whole result p50 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def pair(q: dict[str, Any], first: str, deep: str) -> str:
        if first not in q:
            return "–"
        return (
            f"{q[first]['p50_ms']:.1f} / {q[first]['p99_ms']:.1f} ; {q[deep]['p50_ms']:.1f} / {q[deep]['p99_ms']:.1f}"
        )

    def ms(figure: Any, key: str = "p50_ms") -> str:
        if isinstance(figure, dict) and "error" in figure:
            return figure["error"].split(":")[0]
        return f"{figure[key] if isinstance(figure, dict) else figure:.1f}"

    for size, e in r["sizes"].items():
        for kind, q in e["queries"].items():
            whole = q.get("whole", {"error": "not run"})
            whole = whole["error"].split(":")[0] if "error" in whole else f"{whole['p50_ms']:,.0f} ms"
            lines.append(
                f"| {int(size):,} | {kind}: {q['agency']} ({q['tasks']:,}) | {q['loadavg'][0]:.1f} "
                f"| {q['first_page']['p50_ms']:.1f} / {q['first_page']['p99_ms']:.1f} "
                f"| {q['first_page_no_total']['p50_ms']:.1f} / {q['first_page_no_total']['p99_ms']:.1f} "
                f"| {q['deep_page']['p50_ms']:.1f} / {q['deep_page']['p99_ms']:.1f} "
                f"| {pair(q, 'by_document_first_page', 'by_document_deep_page')} "
                f"| {pair(q, 'api_first_page', 'api_deep_page')} "
                f"| {ms(q['count'])} / {ms(q['count'], 'p99_ms')} "
                f"| {ms(q['store_first_page'])} / {ms(q['store_deep_page'])} "
                f"| {ms(q['server_first_page_ms'])} / {ms(q['server_deep_page_ms'])} | {whole} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
