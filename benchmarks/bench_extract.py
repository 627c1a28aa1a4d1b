"""Extraction benchmark: how fast the loaders read and extract plans, and whether they find
what the synthetic corpus holds.

    .venv/bin/python benchmarks/bench_extract.py [--mb 20] [--seed 1] [--corpus DIR] [--repeats 3]

Generates (or reuses) a corpus with ``benchmarks/corpus.py`` (in a child process, so that
the peak memory reported is the benchmark's own), then in one process measures

(a) reading: ``loaders.read.read_document`` for every file (bytes → text, encoding
    detection included);
(b) extraction: ``Extractor.extract_file`` for every file (read + repair + structure +
    clauses + deadlines + agencies);

each ``--repeats`` times (best and median reported; the timed span is the calls
themselves).  It reports MB/s for both, tasks/s and assignments/s, per-file latency,
throughput by document size, the peak resident memory (``getrusage``), and checks what
was extracted against the corpus manifest: tasks and assignments found vs generated (a
shortfall is reported, never hidden), roles, open lists, deadlines, 文号/dates/titles,
unresolved names, with examples.  Prints a Markdown table and writes the figures to
``benchmarks/out/extract.json`` (and ``extract-<N>mb.json``).

``--profile`` also runs one extraction pass under cProfile and prints the hot spots.
"""

from __future__ import annotations

import argparse
import cProfile
import difflib
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from machine import describe

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MB = 1024 * 1024
SIZE_BUCKETS = ((0, 50), (50, 100), (100, 250))  # KiB


# ---------------------------------------------------------------------------- corpus


def ensure_corpus(corpus: Path | None, mb: float, seed: int) -> Path:
    sys.path.insert(0, str(HERE))
    from corpus import GENERATOR_VERSION

    if corpus is not None and (corpus / "manifest.json").exists():
        return corpus  # reuse whatever was generated there
    target = corpus or OUT / f"corpus-{mb:g}mb-seed{seed}"
    manifest = target / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text("utf-8"))
        if m.get("generator_version") == GENERATOR_VERSION and m.get("megabytes") == mb and m.get("seed") == seed:
            return target
    print(f"generating a {mb:g} MB corpus (seed {seed}) in {target} …", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "corpus.py"), str(target), "--mb", str(mb), "--seed", str(seed)], check=True
    )
    print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return target


def iter_expected(corpus: Path) -> Any:
    """The generated truth, one file at a time (in manifest order), so that it is never
    all in memory while memory is measured."""
    path = corpus / "expected.jsonl"
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@dataclass(slots=True)
class Pass:
    wall: float  # seconds in the timed calls
    cpu: float  # process CPU seconds in the timed calls
    per_file: list[float]  # wall seconds per file


def read_pass(paths: list[Path]) -> tuple[Pass, dict[str, str | None]]:
    from dutygraph.loaders.read import read_document

    times = []
    cpu = 0.0
    encodings = {}
    for path in paths:
        c0, t0 = time.process_time(), time.perf_counter()
        raw = read_document(path)
        times.append(time.perf_counter() - t0)
        cpu += time.process_time() - c0
        encodings[path.name] = raw.encoding
    return Pass(sum(times), cpu, times), encodings


def summarise(doc: Any) -> dict[str, Any]:
    from dutygraph.model import Role

    tasks = []
    for t in doc.tasks:
        tasks.append(
            {
                "n": t.number,
                "lead": [a.name for a in t.assignments if a.role == Role.LEAD and not a.implicit],
                "support": [a.name for a in t.assignments if a.role == Role.SUPPORT and not a.implicit],
                "joint": [a.name for a in t.assignments if a.role == Role.JOINT and not a.implicit],
                "implicit": [a.name for a in t.assignments if a.implicit],
                "open": t.open_list,
                "due": [m.due.isoformat() for m in t.milestones if m.due],
                "unresolved": [a.name for a in t.assignments if not a.resolved],
                # canonical names in the order lead, support, joint, implicit (as `expected.jsonl`)
                "canonical": [
                    a.agency
                    for role in (Role.LEAD, Role.SUPPORT, Role.JOINT, None)
                    for a in t.assignments
                    if (a.implicit if role is None else (a.role == role and not a.implicit))
                ],
            }
        )
    return {
        "title": doc.title,
        "doc_number": doc.doc_number,
        "issued": doc.issued.isoformat() if doc.issued else None,
        "jurisdiction": doc.jurisdiction,
        "tasks": tasks,
        "warnings": list(doc.warnings),
    }


def extract_pass(extractor: Any, paths: list[Path], checker: Checker | None) -> tuple[Pass, int, int]:
    """Extract every file; only the calls are timed.  With a checker, each document is
    compared with what was generated right away and then dropped."""
    times = []
    cpu = 0.0
    n_tasks = n_assignments = 0
    for path in paths:
        c0, t0 = time.process_time(), time.perf_counter()
        doc = extractor.extract_file(path)
        times.append(time.perf_counter() - t0)
        cpu += time.process_time() - c0
        n_tasks += len(doc.tasks)
        n_assignments += sum(len(t.assignments) for t in doc.tasks)
        if checker is not None:
            checker.add(path.name, summarise(doc))
        del doc
    return Pass(sum(times), cpu, times), n_tasks, n_assignments


# ---------------------------------------------------------------------------- checking


def _key(name: str) -> str:
    from dutygraph.loaders.registry import name_key

    return name_key(name)


def _sig(task: dict[str, Any]) -> tuple[Any, ...]:
    return (
        tuple(_key(n) for n in task["lead"]),
        tuple(_key(n) for n in task["support"]),
        tuple(_key(n) for n in task.get("joint", ())),
        tuple(_key(n) for n in task["implicit"]),
    )


class Checker:
    """Generated vs extracted, in totals, per style and per task, with examples."""

    def __init__(self, manifest: dict[str, Any], expected: Any) -> None:
        self.entries = {f["file"]: f for f in manifest["files"]}
        self.expected = expected  # iterator over expected.jsonl, in manifest order
        self.totals: Counter = Counter()
        self.by_style: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.files_short: list[dict[str, Any]] = []
        self.unresolved: Counter = Counter()
        self.warnings: Counter = Counter()

    def example(self, kind: str, item: dict[str, Any]) -> None:
        if len(self.examples[kind]) < 5:
            self.examples[kind].append(item)

    def count(self, style: str, key: str, n: int = 1) -> None:
        self.totals[key] += n
        self.by_style[style][key] += n

    def add(self, name: str, f: dict[str, Any]) -> None:
        entry = self.entries[name]
        e = next(self.expected, None)
        if e is not None and e["file"] != name:
            raise RuntimeError(f"expected.jsonl is out of step with the manifest at {name}")
        style = entry["style"]
        ft = f["tasks"]
        counts = {
            "tasks_generated": entry["tasks"],
            "tasks_found": len(ft),
            "assignments_generated": entry["assignments"],
            "assignments_found": sum(
                len(t["lead"]) + len(t["support"]) + len(t["joint"]) + len(t["implicit"]) for t in ft
            ),
            "leads_generated": entry["leads"],
            "leads_found": sum(len(t["lead"]) for t in ft),
            "supports_generated": entry["supports"],
            "supports_found": sum(len(t["support"]) for t in ft),
            "joint_found": sum(len(t["joint"]) for t in ft),
            "implicit_generated": entry["implicit"],
            "implicit_found": sum(len(t["implicit"]) for t in ft),
            "open_list_tasks_generated": entry["open_list_tasks"],
            "open_list_tasks_found": sum(t["open"] for t in ft),
            "milestones_generated": entry["milestones"],
            "milestones_found": sum(len(t["due"]) for t in ft),
            "unresolved_found": sum(len(t["unresolved"]) for t in ft),
        }
        for k, v in counts.items():
            self.count(style, k, v)
        if (counts["tasks_found"], counts["assignments_found"]) != (
            counts["tasks_generated"],
            counts["assignments_generated"],
        ):
            self.files_short.append({"file": name, "style": style, **{k: counts[k] for k in list(counts)[:4]}})
        for t in ft:
            self.unresolved.update(t["unresolved"])
        for w in f["warnings"]:
            self.warnings[w.split(":", 1)[0] if w.startswith(("unresolved", "task ")) else w] += 1
        if e is None:
            return
        # ---- metadata
        meta_ok = True
        for key in ("doc_number", "issued", "jurisdiction"):
            if e[key] != f[key]:
                meta_ok = False
                self.example("metadata", {"file": name, "field": key, "generated": e[key], "found": f[key]})
        if _key(e["title"] or "") != _key(f["title"] or ""):
            meta_ok = False
            self.example("metadata", {"file": name, "field": "title", "generated": e["title"], "found": f["title"]})
        self.count(style, "metadata_ok", meta_ok)
        # ---- tasks, aligned on their units and roles
        et = e["tasks"]
        a = [_sig({**t, "joint": []}) for t in et]
        b = [_sig(t) for t in ft]
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    self.count(style, "tasks_exact")
                    self._details(name, style, et[i], ft[j])
                continue
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                ge, fo = et[i1 + k], ft[j1 + k]
                self.count(style, "tasks_units_differ")
                self.example(
                    "units",
                    {
                        "file": name,
                        "style": style,
                        "task": ge["n"],
                        "found_as": fo["n"],
                        "generated": {r: ge[r] for r in ("lead", "support", "implicit")},
                        "found": {r: fo[r] for r in ("lead", "support", "joint", "implicit")},
                    },
                )
            for i in range(i1 + pairs, i2):
                self.count(style, "tasks_missing")
                self.example("missing", {"file": name, "style": style, "task": et[i]["n"], "generated": et[i]})
            for j in range(j1 + pairs, j2):
                self.count(style, "tasks_extra")
                self.example("extra", {"file": name, "style": style, "found": ft[j]})

    def _details(self, name: str, style: str, ge: dict[str, Any], fo: dict[str, Any]) -> None:
        for want, got, written in zip(
            ge.get("canonical", ()), fo["canonical"], ge["lead"] + ge["support"] + ge["implicit"], strict=False
        ):
            if want == got:
                self.count(style, "resolved_to_generated_body")
            else:
                self.count(style, "resolved_elsewhere")
                self.example(
                    "resolution", {"file": name, "style": style, "written": written, "generated": want, "found": got}
                )
        if ge["n"] != fo["n"]:
            self.count(style, "number_differs")
            self.example("number", {"file": name, "style": style, "generated": ge["n"], "found": fo["n"]})
        if ge["open"] != fo["open"]:
            self.count(style, "open_list_differs")
            self.example("open_list", {"file": name, "style": style, "task": ge["n"], "generated": ge["open"]})
        if ge["due"] != fo["due"]:
            self.count(style, "deadlines_differ")
            self.example(
                "deadlines", {"file": name, "style": style, "task": ge["n"], "generated": ge["due"], "found": fo["due"]}
            )

    def result(self) -> dict[str, Any]:
        return {
            "totals": dict(self.totals),
            "by_style": {s: dict(c) for s, c in sorted(self.by_style.items())},
            "files_with_count_mismatch": self.files_short[:20],
            "files_with_count_mismatch_total": len(self.files_short),
            "unresolved_names": dict(self.unresolved.most_common(15)),
            "examples": dict(self.examples),
        }


# ---------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    return describe(("opencc", "charset_normalizer"))


# ---------------------------------------------------------------------------- main


def _mbps(nbytes: int, seconds: float) -> float:
    return nbytes / MB / seconds if seconds else float("inf")


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MiB to generate (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="corpus folder (reused if it has a manifest.json)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes of each measurement (default 3)")
    parser.add_argument("--profile", action="store_true", help="also profile one extraction pass (cProfile)")
    parser.add_argument("--out", type=Path, default=OUT / "extract.json")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    corpus = ensure_corpus(args.corpus, args.mb, args.seed)
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    paths = [corpus / f["file"] for f in manifest["files"]]
    sizes = {f["file"]: f["bytes"] for f in manifest["files"]}
    total_bytes = sum(p.stat().st_size for p in paths)
    rss_start = peak_rss_mb()

    from dutygraph.loaders.extract import Extractor

    t0 = time.perf_counter()
    extractor = Extractor()
    init_s = time.perf_counter() - t0
    rss_init = peak_rss_mb()

    print(f"corpus {corpus}: {len(paths)} files, {total_bytes / MB:.1f} MiB", file=sys.stderr)
    load_before = os.getloadavg()
    read_runs: list[Pass] = []
    encodings: dict[str, str | None] = {}
    for r in range(args.repeats):
        run, encodings = read_pass(paths)
        read_runs.append(run)
        print(
            f"  read pass {r + 1}: {run.wall:.2f} s ({_mbps(total_bytes, run.wall):.1f} MB/s), cpu {run.cpu:.2f} s",
            file=sys.stderr,
        )
    rss_read = peak_rss_mb()

    extract_runs = []
    checker = Checker(manifest, iter_expected(corpus))
    n_tasks = n_assign = 0
    for r in range(args.repeats):
        run, n_tasks, n_assign = extract_pass(extractor, paths, checker if r == 0 else None)
        extract_runs.append(run)
        print(
            f"  extract pass {r + 1}: {run.wall:.2f} s ({_mbps(total_bytes, run.wall):.2f} MB/s), cpu {run.cpu:.2f} s",
            file=sys.stderr,
        )
    load_after = os.getloadavg()
    rss_extract = peak_rss_mb()

    read_best = min(read_runs, key=lambda x: x.wall)
    ext_best = min(extract_runs, key=lambda x: x.wall)
    read_median = statistics.median(x.wall for x in read_runs)
    ext_median = statistics.median(x.wall for x in extract_runs)
    read_cpu = min(x.cpu for x in read_runs)
    ext_cpu = min(x.cpu for x in extract_runs)
    gen = manifest["totals"]

    # throughput by document size and by style (best pass)
    by_size = []
    for lo, hi in SIZE_BUCKETS:
        idx = [i for i, p in enumerate(paths) if lo * 1024 <= sizes[p.name] < hi * 1024]
        if idx:
            nbytes = sum(sizes[paths[i].name] for i in idx)
            secs = sum(ext_best.per_file[i] for i in idx)
            by_size.append({"size_kib": f"{lo}–{hi}", "files": len(idx), "extract_mb_s": round(_mbps(nbytes, secs), 3)})
    by_style = []
    for style in sorted({f["style"] for f in manifest["files"]}):
        idx = [i for i, f in enumerate(manifest["files"]) if f["style"] == style]
        nbytes = sum(manifest["files"][i]["bytes"] for i in idx)
        by_style.append(
            {
                "style": style,
                "files": len(idx),
                "mib": round(nbytes / MB, 2),
                "read_mb_s": round(_mbps(nbytes, sum(read_best.per_file[i] for i in idx)), 2),
                "extract_mb_s": round(_mbps(nbytes, sum(ext_best.per_file[i] for i in idx)), 3),
            }
        )
    slowest = sorted(zip(ext_best.per_file, paths, strict=True), key=lambda x: -x[0])[:5]

    wrong_encoding = {
        name: enc
        for name, enc in encodings.items()
        if enc != next(f["encoding"] for f in manifest["files"] if f["file"] == name)
    }
    check = checker.result()

    result = {
        "corpus": {
            "path": str(corpus),
            "files": len(paths),
            "bytes": total_bytes,
            "mib": round(total_bytes / MB, 2),
            "seed": manifest["seed"],
            "generator_version": manifest["generator_version"],
            "by_style": manifest["totals"]["by_style"],
        },
        "machine": machine(),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
        "repeats": args.repeats,
        "extractor_init_s": round(init_s, 3),
        "read": {
            "best_s": round(read_best.wall, 3),
            "passes_s": [round(x.wall, 3) for x in read_runs],
            "cpu_best_s": round(read_cpu, 3),
            "mb_s_cpu": round(_mbps(total_bytes, read_cpu), 2),
            "median_s": round(read_median, 3),
            "mb_s_best": round(_mbps(total_bytes, read_best.wall), 2),
            "mb_s_median": round(_mbps(total_bytes, read_median), 2),
            "wrong_encoding": wrong_encoding,
        },
        "extract": {
            "best_s": round(ext_best.wall, 3),
            "passes_s": [round(x.wall, 3) for x in extract_runs],
            "cpu_best_s": round(ext_cpu, 3),
            "mb_s_cpu": round(_mbps(total_bytes, ext_cpu), 3),
            "median_s": round(ext_median, 3),
            "mb_s_best": round(_mbps(total_bytes, ext_best.wall), 3),
            "mb_s_median": round(_mbps(total_bytes, ext_median), 3),
            "tasks_per_s": round(n_tasks / ext_best.wall, 1),
            "assignments_per_s": round(n_assign / ext_best.wall, 1),
            "file_ms_p50": round(1000 * _pct(ext_best.per_file, 0.5), 1),
            "file_ms_p95": round(1000 * _pct(ext_best.per_file, 0.95), 1),
            "file_ms_max": round(1000 * max(ext_best.per_file), 1),
            "slowest_files": [
                {"file": p.name, "kib": sizes[p.name] // 1024, "ms": round(t * 1000, 1)} for t, p in slowest
            ],
            "by_size": by_size,
            "by_style": by_style,
        },
        "peak_rss_mb": {
            "start": round(rss_start, 1),
            "after_extractor_init": round(rss_init, 1),
            "after_read": round(rss_read, 1),
            "after_extract": round(rss_extract, 1),
        },
        "counts": {
            "tasks_generated": gen["tasks"],
            "tasks_found": n_tasks,
            "assignments_generated": gen["assignments"],
            "assignments_found": n_assign,
        },
        "check": check,
        "warnings": dict(checker.warnings.most_common(12)),
        "wall_s": round(time.perf_counter() - started, 1),
    }

    if args.profile:
        result["profile"] = profile(extractor, paths, total_bytes)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    args.out.write_text(text, "utf-8")
    (args.out.parent / f"extract-{result['corpus']['mib']:.0f}mb.json").write_text(text, "utf-8")
    print(markdown(result))
    print(f"\nfigures written to {args.out}", file=sys.stderr)
    return 0


def profile(extractor: Any, paths: list[Path], total_bytes: int) -> dict[str, Any]:
    """One extraction pass under cProfile; the functions with the most own time."""
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for path in paths:
        extractor.extract_file(path)
    prof.disable()
    elapsed = time.perf_counter() - t0
    OUT.mkdir(parents=True, exist_ok=True)  # --out may point elsewhere: the profile still goes here
    prof.dump_stats(str(OUT / "extract.prof"))
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream)
    rows = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{Path(filename).name}:{line}({func})", "calls": nc, "own_s": tt, "cum_s": ct})
    total_own = sum(r["own_s"] for r in rows)
    own = sorted(rows, key=lambda r: -r["own_s"])[:20]
    cum = sorted(rows, key=lambda r: -r["cum_s"])[:30]
    for r in own + cum:
        r["own_s"] = round(r["own_s"], 3)
        r["cum_s"] = round(r["cum_s"], 3)
        r["own_share"] = round(r["own_s"] / total_own, 3) if total_own else 0
    print("\nprofile: top functions by own time", file=sys.stderr)
    for r in own:
        print(f"  {r['own_s']:8.3f} s {r['own_share']:6.1%} {r['calls']:>10} {r['function']}", file=sys.stderr)
    print("profile: top functions by cumulative time", file=sys.stderr)
    for r in cum:
        print(f"  {r['cum_s']:8.3f} s {r['calls']:>10} {r['function']}", file=sys.stderr)
    return {
        "profiled_s": round(elapsed, 2),
        "profiled_mb_s": round(_mbps(total_bytes, elapsed), 3),
        "top_own": own,
        "top_cumulative": cum,
    }


def markdown(r: dict[str, Any]) -> str:
    c, rd, ex, rss, ck = r["corpus"], r["read"], r["extract"], r["peak_rss_mb"], r["check"]["totals"]
    cnt = r["counts"]
    lines = [
        f"Corpus: {c['files']} files, {c['mib']} MiB (seed {c['seed']}); "
        f"best of {r['repeats']} passes, median in brackets.",
        "",
        "| measurement | time (s) | MB/s | MB/s of CPU time | tasks/s | assignments/s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| read + decode (`read_document`) | {rd['best_s']} ({rd['median_s']}) "
        f"| {rd['mb_s_best']} ({rd['mb_s_median']}) | {rd['mb_s_cpu']} | | |",
        f"| full extraction (`Extractor.extract_file`) | {ex['best_s']} ({ex['median_s']}) "
        f"| {ex['mb_s_best']} ({ex['mb_s_median']}) | {ex['mb_s_cpu']} | {ex['tasks_per_s']} "
        f"| {ex['assignments_per_s']} |",
        "",
        f"Per file (extraction): p50 {ex['file_ms_p50']} ms, p95 {ex['file_ms_p95']} ms, max {ex['file_ms_max']} ms. "
        f"Extractor() (registry + conventions): {r['extractor_init_s']} s. "
        f"Peak RSS: {rss['after_extractor_init']} MB after init, {rss['after_read']} MB after reading, "
        f"{rss['after_extract']} MB after extraction. "
        f"Load average before/after: {r['load_average']['before'][0]} / {r['load_average']['after'][0]} "
        f"on {r['machine']['nproc']} CPUs.",
        "",
        "| document size (KiB) | files | extraction MB/s |",
        "|---|---:|---:|",
        *[f"| {b['size_kib']} | {b['files']} | {b['extract_mb_s']} |" for b in ex["by_size"]],
        "",
        "| style | files | MiB | read MB/s | extraction MB/s |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {s['style']} | {s['files']} | {s['mib']} | {s['read_mb_s']} | {s['extract_mb_s']} |"
            for s in ex["by_style"]
        ],
        "",
        "| check | generated | found |",
        "|---|---:|---:|",
        f"| tasks | {cnt['tasks_generated']} | {cnt['tasks_found']} |",
        f"| assignments | {cnt['assignments_generated']} | {cnt['assignments_found']} |",
        f"| — leads | {ck.get('leads_generated', 0)} | {ck.get('leads_found', 0)} |",
        f"| — supports | {ck.get('supports_generated', 0)} | {ck.get('supports_found', 0)} |",
        f"| — implicit supports | {ck.get('implicit_generated', 0)} | {ck.get('implicit_found', 0)} |",
        f"| — joint | 0 | {ck.get('joint_found', 0)} |",
        f"| open-list tasks | {ck.get('open_list_tasks_generated', 0)} | {ck.get('open_list_tasks_found', 0)} |",
        f"| dated milestones | {ck.get('milestones_generated', 0)} | {ck.get('milestones_found', 0)} |",
        f"| tasks with exactly the generated units and roles | {cnt['tasks_generated']} | {ck.get('tasks_exact', 0)} |",
        f"| documents with title, 文号, date, jurisdiction right | {c['files']} | {ck.get('metadata_ok', 0)} |",
        f"| unresolved unit names | 0 | {ck.get('unresolved_found', 0)} |",
        "| assignments of those tasks resolved to the generated body (registry) "
        f"| {ck.get('resolved_to_generated_body', 0) + ck.get('resolved_elsewhere', 0)} "
        f"| {ck.get('resolved_to_generated_body', 0)} |",
    ]
    bad = {k: ck.get(k, 0) for k in ("tasks_missing", "tasks_extra", "tasks_units_differ", "number_differs",
                                     "open_list_differs", "deadlines_differ", "resolved_elsewhere")}  # fmt: skip
    if any(bad.values()) or rd["wrong_encoding"]:
        lines += ["", "Mismatches: " + ", ".join(f"{k} {v}" for k, v in bad.items() if v)]
        if rd["wrong_encoding"]:
            lines.append(f"Encodings detected wrongly: {rd['wrong_encoding']}")
        for kind, items in r["check"]["examples"].items():
            lines.append(f"- first {kind} example: " + json.dumps(items[0], ensure_ascii=False))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
