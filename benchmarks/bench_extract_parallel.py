"""Extraction of a folder on 1 and 2 (or more) worker processes, beside reading the same bytes.

Issue 14, item 4: ``extract_paths(..., workers=N)`` (what ``dutygraph load`` and ``extract`` run,
``--workers`` / ``DUTYGRAPH_EXTRACT_WORKERS``) spreads a folder's files over worker processes
and yields the documents in order.  This times, in one run and interleaved (so that other work
on the machine affects every mode alike), for each of ``--repeats`` rounds:

* **read** — ``read_document`` on every file (bytes → text), in this process;
* **extract ×N** — ``extract_paths`` over the corpus folder with ``workers=N`` for each N of
  ``--workers`` (1 is this process alone), pool start-up included: what a user waits for.

It reports wall seconds and MB of text per wall second (best and median of the rounds), the
parent's CPU seconds and, for N > 1, the workers' CPU seconds (``RUSAGE_CHILDREN``), and checks
that every mode gives the same documents in the same order.  The corpus is the one
``bench_extract.py`` generates (``benchmarks/corpus.py``), reused when present.

    .venv/bin/python benchmarks/bench_extract_parallel.py --mb 20              # ~3 min on a quiet 2-core machine
    .venv/bin/python benchmarks/bench_extract_parallel.py --mb 5 --repeats 2 --workers 1,2,4

Writes the figures to ``benchmarks/out/extract-parallel.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from bench_extract import ensure_corpus  # noqa: E402
from machine import describe  # noqa: E402

from dutygraph.loaders.extract import Extractor  # noqa: E402
from dutygraph.loaders.pipeline import Failure, extract_paths  # noqa: E402
from dutygraph.loaders.read import iter_document_paths, read_document  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_extract(folder: Path, extractor: Extractor, workers: int) -> tuple[float, float, float, list[Any]]:
    wall, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
    # parallel_min_bytes=0: the benchmark measures the pool even on a small corpus
    docs = list(extract_paths([folder], extractor, workers=workers, parallel_min_bytes=0))
    return time.perf_counter() - wall, time.process_time() - cpu, children_cpu() - child, docs


def signature(docs: list[Any]) -> list[Any]:
    # repr covers every field of a Document (tasks, assignments, provenance): equal reprs, equal documents
    return [d.reason if isinstance(d, Failure) else hashlib.sha256(repr(d).encode()).hexdigest() for d in docs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MiB (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, comma-separated (default 1,2)")
    args = parser.parse_args(argv)
    corpus = ensure_corpus(args.corpus, args.mb, args.seed)
    files = list(iter_document_paths([corpus]))
    text_mb = 0.0
    for path in files:
        text_mb += len(read_document(path).text.encode("utf-8")) / 2**20
    extractor = Extractor()
    counts = [int(n) for n in args.workers.split(",")]
    runs: dict[str, list[dict[str, float]]] = {"read": [], **{f"extract x{n}": [] for n in counts}}
    reference = None
    same = True
    for _ in range(args.repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        for path in files:
            read_document(path)
        runs["read"].append({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu})
        for n in counts:
            wall_s, cpu_s, child_s, docs = timed_extract(corpus, extractor, n)
            runs[f"extract x{n}"].append({"wall": wall_s, "cpu": cpu_s, "workers_cpu": child_s})
            sig = signature(docs)
            reference = reference or sig
            same = same and sig == reference
            del docs
    rows = []
    for mode, times in runs.items():
        walls = [t["wall"] for t in times]
        rows.append(
            {
                "mode": mode,
                "best_wall_s": min(walls),
                "median_wall_s": statistics.median(walls),
                "mb_per_wall_s": text_mb / min(walls),
                "parent_cpu_s": statistics.median(t["cpu"] for t in times),
                "workers_cpu_s": statistics.median(t.get("workers_cpu", 0.0) for t in times),
            }
        )
    result = {"machine": describe(), "files": len(files), "text_mb": text_mb, "same_documents": same, "rows": rows}
    OUT.mkdir(exist_ok=True)
    (OUT / "extract-parallel.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")
    load = result["machine"]["loadavg_at_start"]
    print(f"{len(files)} files, {text_mb:.1f} MB of text; load average at start {load}")
    print("| mode | best wall s | median wall s | MB of text per wall s | parent CPU s | workers' CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['mode']} | {r['best_wall_s']:.2f} | {r['median_wall_s']:.2f} | {r['mb_per_wall_s']:.2f} "
            f"| {r['parent_cpu_s']:.2f} | {r['workers_cpu_s']:.2f} |"
        )
    print(f"same documents in the same order in every mode: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
