"""Suggested owners, measured honestly: leave one document out, beside two baselines.

    .venv/bin/python benchmarks/bench_suggestions.py [--only-seeds]

Loads the seed corpus (data/samples) and the test corpus (tests/corpus: a 2019 and a 2021 plan of
嘉兴市) into a fresh embedded graph.  Then, for each document with clauses (seeds 000, 001, 003 and
the two test plans), it hides that document's clauses (``Corpus.without``: its tasks lose their units,
and units only it brought into the graph are unknown), suggests owners for its tasks from the rest, and
scores the suggestions against the clauses:

* top-1 / top-3 lead accuracy — the first suggested lead (one of the first three) is a lead of the clause
  (joint units count as leads);
* top-1 by department — the first suggestion is the same department at some level (省发改委 for a
  绍兴 task led by 市发改委): what the suggestion says when the task's city has no other document;
* recall@5 of the supports — the share of the clause's (explicit) supporting units among the first five.

Beside the method: the ``corpus`` baseline (the most frequent leads and supports of the rest of the
corpus) and the ``section`` baseline (those of the precedents under the ten most similar section
headings).  Variants of the method (text similarity, neighbours, load weight, section weight) are
measured on the same folds, with the CPU seconds of a whole evaluation.  Prints a Markdown report and
writes ``benchmarks/out/suggestions.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from machine import describe  # noqa: E402

from dutygraph.graph.analytics.corpus import Corpus  # noqa: E402
from dutygraph.graph.analytics.suggestions import BASELINES, SuggestionParams, evaluate  # noqa: E402
from dutygraph.graph.store.embedded import EmbeddedServer  # noqa: E402
from dutygraph.services import Services  # noqa: E402
from dutygraph.settings import Settings  # noqa: E402

DEFAULT = SuggestionParams()
VARIANTS = {
    "default (char 2–3-grams, 5 neighbours)": DEFAULT,
    "BM25 over jieba": replace(DEFAULT, method="bm25"),
    "char bigrams only": replace(DEFAULT, ngrams=(2,)),
    "char 1–2-grams": replace(DEFAULT, ngrams=(1, 2)),
    "10 neighbours": replace(DEFAULT, neighbours=10),
    "20 neighbours": replace(DEFAULT, neighbours=20),
    "no load term": replace(DEFAULT, load_weight=0.0),
    "load weight 0.3": replace(DEFAULT, load_weight=0.3),
    "section heading weight 0.5": replace(DEFAULT, section_weight=0.5),
    "corpus prior 0.5 (leads)": replace(DEFAULT, prior_weight=0.5),
    "corpus prior 0.5 (supports)": replace(DEFAULT, support_prior_weight=0.5),
    "leads vote 0 for supporting": replace(DEFAULT, lead_as_support=0.0),
}
MEASURES = ("top1", "top3", "top1_department", "recall5_supports")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only-seeds", action="store_true", help="hold out the seed documents only")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dutygraph-bench-suggestions-"))
    services = Services(Settings(home=home, db="embedded"))
    try:
        paths = [ROOT / "data" / "samples"] + ([] if args.only_seeds else [ROOT / "tests" / "corpus"])
        report = services.load(paths, refresh_analytics=False)
        if not report.ok:
            raise SystemExit(f"load failed: {report.failed}")
        corpus = Corpus.from_store(services.store)
        held_out = [d for d in corpus.documents() if any(t.assigned for t in corpus.tasks.values() if t.doc_id == d)]
        names = {t.doc_id: t.document for t in corpus.tasks.values()}
        results = {}
        for label, params in VARIANTS.items():
            started = time.process_time()
            results[label] = {"params": params.to_dict(), "scores": evaluate(corpus, held_out, params)}
            results[label]["cpu_seconds"] = round(time.process_time() - started, 2)
    finally:
        services.close()
        EmbeddedServer(home).stop()
    default = results[next(iter(VARIANTS))]["scores"]
    print("## Leave one document out\n")
    print("| held out | tasks | " + " | ".join(f"{name} top-1 / top-3 / R@5" for name in ("method", *BASELINES)) + " |")
    print("|---|---|" + "---|" * (1 + len(BASELINES)))
    for doc in [*held_out, "all"]:
        cells = []
        for name in ("method", *BASELINES):
            s = default[name][doc]
            cells.append(f"{s['top1']:.2f} / {s['top3']:.2f} / {s['recall5_supports']:.2f}")
        label = "all" if doc == "all" else names[doc]
        print(f"| {label} | {default['method'][doc]['tasks']} | " + " | ".join(cells) + " |")
    print("\n## Variants (all held-out documents)\n")
    print("| variant | " + " | ".join(MEASURES) + " | CPU s |")
    print("|---|" + "---|" * (len(MEASURES) + 1))
    for label, r in results.items():
        s = r["scores"]["method"]["all"]
        print(f"| {label} | " + " | ".join(f"{s[m]:.3f}" for m in MEASURES) + f" | {r['cpu_seconds']} |")
    OUT.mkdir(exist_ok=True)
    out = {"machine": describe(("jieba", "scipy")), "held_out": [names[d] for d in held_out], "results": results}
    (OUT / "suggestions.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
