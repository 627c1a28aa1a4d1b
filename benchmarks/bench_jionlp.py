"""jionlp's time parsing beside dutygraph's deadline grammar: what each resolves, and how fast.

    .venv/bin/pip install jionlp        # not a dependency of dutygraph; only for this comparison
    .venv/bin/python benchmarks/bench_jionlp.py [--seeds data/samples]

Measures, for the decision recorded in docs/benchmarks.md ("Deadlines: jionlp or our grammar"):

(a) the cost of having jionlp at all: its import time (fresh interpreter, best of 3) and the
    time of its first ``parse_time`` call (it loads its dictionaries lazily);
(b) what it resolves: ``jionlp.parse_time`` on each deadline phrase of the issue's rules,
    against the date the rules fix (the last day of the span), beside ``find_milestones``;
(c) finding deadlines in running text: ``jionlp.ner.extract_time`` on every seed document
    (warm), beside ``find_milestones`` on the same text, in KB/s.

Prints a Markdown report and writes ``benchmarks/out/jionlp.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

# The rules (docs: issue 11 design page, "Deadlines"), resolved against 2023.
RULES: list[tuple[str, str | None]] = [
    ("6月底前", "2023-06-30"),
    ("7月份", "2023-07-31"),
    ("明年7月份", "2024-07-31"),
    ("年底前", "2023-12-31"),
    ("明年年底", "2024-12-31"),
    ("次年", "2024-12-31"),
    ("上半年", "2023-06-30"),
    ("下半年", "2023-12-31"),
    ("一季度", "2023-03-31"),
    ("第一季度", "2023-03-31"),
    ("第三季度末", "2023-09-30"),
    ("2023年底前", "2023-12-31"),
    ("4月中旬前", "2023-04-20"),
    ("11底前", "2023-11-30"),
    ("到2025年", "2025-12-31"),
    ("年内", None),
    ("长期坚持", None),
    ("持续推进", None),
    ("每年6月底前", None),
]
YEAR = 2023


def import_time() -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import jionlp"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def jionlp_due(jio: object, phrase: str, base: float) -> str | None:
    try:
        result = jio.parse_time(phrase, time_base=base)  # type: ignore[attr-defined]
    except Exception:
        return None
    if result.get("type") != "time_span":
        return None
    return str(result["time"][1])[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=HERE.parent / "data" / "samples")
    parser.add_argument("--out", type=Path, default=OUT / "jionlp.json")
    args = parser.parse_args()

    from dutygraph.loaders.deadlines import find_milestones

    seconds_import = import_time()
    import jionlp as jio

    base = time.mktime((YEAR, 1, 1, 0, 0, 0, 0, 0, 0))
    first_started = time.perf_counter()
    jio.parse_time("6月底前", time_base=base)
    first_call = time.perf_counter() - first_started

    rows = []
    for phrase, wanted in RULES:
        ours = find_milestones(phrase, YEAR).milestones
        ours_due = ours[0].due.isoformat() if ours and ours[0].due else None
        rows.append({"phrase": phrase, "rule": wanted, "jionlp": jionlp_due(jio, phrase, base), "dutygraph": ours_due})

    texts = [p.read_text("utf-8") for p in sorted(args.seeds.glob("*.txt"))]
    size_kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    jio.ner.extract_time(texts[0][:2000], time_base=base)  # warm
    t0 = time.perf_counter()
    for text in texts:
        jio.ner.extract_time(text, time_base=base, with_parsing=True)
    jionlp_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text in texts:
        find_milestones(text, YEAR)
    ours_seconds = time.perf_counter() - t0

    report = {
        "date": date.today().isoformat(),
        "jionlp_version": getattr(jio, "__version__", "?"),
        "import_seconds": round(seconds_import, 2),
        "first_parse_seconds": round(first_call, 2),
        "rules": rows,
        "rules_right": {
            "jionlp": sum(r["jionlp"] == r["rule"] for r in rows),
            "dutygraph": sum(r["dutygraph"] == r["rule"] for r in rows),
            "of": len(rows),
        },
        "running_text": {
            "kb": round(size_kb, 1),
            "jionlp_extract_time_kb_per_s": round(size_kb / jionlp_seconds, 1),
            "dutygraph_find_milestones_kb_per_s": round(size_kb / ours_seconds, 1),
        },
    }
    print(f"jionlp {report['jionlp_version']}: import {report['import_seconds']} s, first parse {first_call:.2f} s\n")
    print("| phrase | rule | jionlp | dutygraph |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['phrase']} | {r['rule']} | {r['jionlp']} | {r['dutygraph']} |")
    print(f"\nright by the rules: {report['rules_right']}")
    print(f"running text, {size_kb:.0f} KB of seeds: {report['running_text']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
