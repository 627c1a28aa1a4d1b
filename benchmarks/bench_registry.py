"""Registry benchmark: what loading the registry costs every CLI call, lazily generated
standard departments vs all of them made at load time, and how fast names resolve.

    .venv/bin/python benchmarks/bench_registry.py [--runs 5] [--resolves 20000]
    .venv/bin/python benchmarks/bench_registry.py --python /path/to/other/checkout/.venv/bin/python

Each measurement runs in a fresh child process (as a CLI call does), ``--runs`` times;
the median is reported.  For each mode it measures the import of the registry module,
``Registry.load()``, and — in the ``materialised`` mode — ``Registry.materialise()``,
which makes every standard department of every jurisdiction (the alternative to making
them when a document first names one), plus the peak resident memory of the child.
Then, in this process, ``Registry.resolve`` over ``--resolves`` relative names in random
jurisdictions of every level (first resolution of each, so the lazy generation is in
the figure) and again (cached).

``--python`` runs the child measurements with another interpreter (another checkout's
virtual environment), e.g. the main branch before the division table: the child uses
``dutygraph.loaders.agencies.Registry``, which both have.  Prints a Markdown table and
writes ``benchmarks/out/registry.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import describe

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from dutygraph.loaders.agencies import Registry
t1 = time.perf_counter()
c1 = time.process_time()
reg = Registry.load()
t2 = time.perf_counter()
c2 = time.process_time()
entries = len(reg)
if sys.argv[1] == "materialised":
    entries += reg.materialise()
t3 = time.perf_counter()
jurisdictions = len(reg.jurisdictions())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "load_cpu_s": c2 - c1, "materialise_s": t3 - t2,
                  "entries": entries, "jurisdictions": jurisdictions, "peak_mb": peak}))
"""


def child(python: str, mode: str) -> dict[str, Any]:
    out = subprocess.run([python, "-c", CHILD, mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(python: str, mode: str, runs: int) -> dict[str, Any]:
    samples = [child(python, mode) for _ in range(runs)]
    keys = ("import_s", "load_s", "load_cpu_s", "materialise_s", "peak_mb")
    summary = {k: statistics.median(s[k] for s in samples) for k in keys}
    summary["entries"] = samples[0]["entries"]
    summary["jurisdictions"] = samples[0]["jurisdictions"]
    summary["total_s"] = summary["import_s"] + summary["load_s"] + summary["materialise_s"]
    return summary


RELATIVE = ["市发改委", "市教育局", "区教育局", "县财政局", "省发展改革委", "市委宣传部", "市市场监管局"]


def resolution(n: int, seed: int) -> dict[str, float]:
    from dutygraph.loaders.registry import Registry

    reg = Registry.load()
    rng = random.Random(seed)
    places = [j.name for j in reg.jurisdictions() if j.level in ("province", "city", "county")]
    pairs = [(rng.choice(RELATIVE), rng.choice(places)) for _ in range(n)]
    start = time.perf_counter()
    resolved = sum(reg.resolve(s, j).resolved for s, j in pairs)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for s, j in pairs:
        reg.resolve(s, j)
    cached = time.perf_counter() - start
    return {"resolves": n, "resolved": resolved, "first_us": first / n * 1e6, "cached_us": cached / n * 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--resolves", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--python", help="also measure loading with this interpreter (another checkout)")
    parser.add_argument("--out", type=Path, default=OUT / "registry.json")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"machine": describe()}
    results["lazy"] = measure(sys.executable, "lazy", args.runs)
    results["materialised"] = measure(sys.executable, "materialised", args.runs)
    if args.python:
        results["other"] = {"python": args.python, **measure(args.python, "lazy", args.runs)}
    results["resolution"] = resolution(args.resolves, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("| mode | import s | Registry.load s (CPU s) | materialise s | total s | entries | jurisdictions | peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in ("other", "lazy", "materialised"):
        r = results.get(mode)
        if r is None:
            continue
        label = "other checkout" if mode == "other" else mode
        print(
            f"| {label} | {r['import_s']:.3f} | {r['load_s']:.3f} ({r['load_cpu_s']:.3f}) | {r['materialise_s']:.3f} "
            f"| {r['total_s']:.3f} "
            f"| {r['entries']} | {r['jurisdictions']} | {r['peak_mb']:.0f} |"
        )
    res = results["resolution"]
    print(
        f"\nresolve: {res['resolves']} relative names in random jurisdictions, {res['resolved']} resolved; "
        f"first {res['first_us']:.1f} µs each (departments made lazily), cached {res['cached_us']:.2f} µs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
