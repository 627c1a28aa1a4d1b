"""The 任务分工表 query on the store: a page of 1,000 and the whole result, this tree's statements beside
those of an earlier commit, with the rows compared whole (issue 14, item 1: a page costs its rows).

    .venv/bin/python benchmarks/bench_table.py --home /tmp/export-20k [--rev 9bdde86]

``--home`` is a graph built by ``bench_export.py --keep`` (its ``picks.json`` names the busiest and the
median agency).  For each parameter set, ``queries/assignments_table.cypher`` of ``--rev`` (read with
``git show``) and the statement this tree's services choose for it (``services.ANSWERED_FROM``: the one
found from the unit when an agency is given) run straight on FalkorDB, one warm-up call each and then
one timed call, for one page (``limit`` 1,000) and the whole result; any difference in the rows is
reported and makes the script fail.  Figures go to ``benchmarks/out/bench_table.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_query import GRAPH
from synthetic_graph import machine

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.queries import load_query
from dutygraph.services import answering_statement

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
EVERY_ROW = 1_000_000_000


def timed(graph: Any, cypher: str, params: dict[str, Any]) -> tuple[float, list[Any]]:
    graph.ro_query(cypher, params, timeout=600_000)  # warm-up: the plan is cached
    started = time.perf_counter()
    rows = graph.ro_query(cypher, params, timeout=600_000).result_set
    return time.perf_counter() - started, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", required=True, help="a graph built by bench_export.py --keep")
    parser.add_argument("--rev", default="9bdde86", help="the commit whose assignments_table is compared")
    args = parser.parse_args()
    home = Path(args.home)
    picks = json.loads((home / "picks.json").read_text())
    before = subprocess.run(
        ["git", "show", f"{args.rev}:queries/assignments_table.cypher"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    named = load_query("assignments_table")
    cases = {
        "none": {},
        "due_after 2022-01-01": {"due_after": "2022-01-01"},
        "due window 2023-03": {"due_after": "2023-03-01", "due_before": "2023-03-31"},
        "busiest agency": {"agency": picks["busiest"]["id"]},
        "median agency": {"agency": picks["median"]["id"]},
        "an agency holding no task": {"agency": "no-such-unit"},
    }
    server = EmbeddedServer(home, start_timeout=600.0)
    server.ensure_started()
    results: dict[str, Any] = {}
    differ = 0
    try:
        graph = server.client().select_graph(GRAPH)
        for label, given in cases.items():
            results[label] = entry = {}
            for scope, limit in (("page", 1000), ("whole", EVERY_ROW)):
                bound = named.bind({**given, "limit": limit})
                old_s, old_rows = timed(graph, before, bound)
                new_s, new_rows = timed(graph, answering_statement(named, bound).cypher, bound)
                same = old_rows == new_rows
                differ += not same
                entry[scope] = {"rows": len(old_rows), "before_s": round(old_s, 3), "after_s": round(new_s, 3)}
                entry[scope]["same_rows"] = same
                print(f"{label:28s} {scope:5s} rows {len(old_rows):6,d}  {old_s:6.2f} s -> {new_s:6.2f} s  same={same}")
    finally:
        server.stop(timeout=300)
    OUT.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine(), "rev": args.rev, "tasks": picks.get("tasks_total"), "cases": results}
    (OUT / "bench_table.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    if differ:
        print(f"{differ} answers differ from {args.rev}'s", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
