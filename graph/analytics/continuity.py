"""Tasks that continue: the same work in a later plan, or a later year's plan of the same jurisdiction.

A task *continues* a task of an earlier document of its jurisdiction when their texts are alike and the
evidence adds up.  For each task and each earlier document of the same jurisdiction (earlier: an earlier
year, or the same year and an earlier date of issue), the most similar task there is its candidate, scored

    score = text_weight × text similarity + lead_weight × [same lead, or its counterpart]
          + section_weight × similarity of the section headings

(weights summing to 1).  It is linked when the score reaches ``threshold`` *and* the text similarity
reaches ``min_similarity``: a shared lead alone never links two tasks — an agency does unrelated work
from year to year.  The evidence kept with the link says why in words: the text similarity, the lead
then and now, the longest runs of text both share, the section headings.

Links are stored as ``(:Task)-[:CONTINUES {score, similarity, evidence, version}]->(:Task)``, later to
earlier; a task's *history* follows them both ways (queries/task_history.cypher), and
queries/carried_over.cypher counts, for each unit, how many of its tasks are carried over.

>>> shared_runs("完成市县两级电子文件归档和电子档案管理系统建设", "完善全市统一的电子文件归档和电子档案管理系统")
['电子文件归档和电子档案管理系统']
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from dutygraph.queries import statement

from ..store import GraphStore
from .corpus import Corpus, TaskInfo, stem
from .similarity import DEFAULT_METHOD, TextIndex, runs


@dataclass(frozen=True, slots=True)
class ContinuityParams:
    """Every knob of the continuity links, with the defaults measured in docs/suggestions.md."""

    method: str = DEFAULT_METHOD
    ngrams: tuple[int, ...] = (2, 3)
    text_weight: float = 0.7
    lead_weight: float = 0.2
    section_weight: float = 0.1
    threshold: float = 0.35  # the score a link needs
    min_similarity: float = 0.3  # and the text similarity
    shared_runs: int = 3  # runs of shared text kept as evidence

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Link:
    later: str  # task id
    earlier: str
    score: float
    similarity: float
    evidence: list[str] = field(default_factory=list)


def shared_runs(a: str, b: str, keep: int = 3, shortest: int = 4) -> list[str]:
    """The longest runs of text ``a`` and ``b`` share (at least ``shortest`` characters, not
    only digits), longest first."""
    found: list[str] = []
    for run_a in runs(a):
        for run_b in runs(b):
            matcher = SequenceMatcher(None, run_a, run_b, autojunk=False)
            for block in matcher.get_matching_blocks():
                piece = run_a[block.a : block.a + block.size]
                if block.size >= shortest and not piece.isdigit():
                    found.append(piece)
    unique = sorted(set(found), key=lambda s: (-len(s), s))
    kept: list[str] = []
    for piece in unique:
        if not any(piece in k for k in kept):
            kept.append(piece)
    return kept[:keep]


def _earlier(a: TaskInfo, b: TaskInfo) -> bool:
    """Whether ``b``'s document came before ``a``'s: an earlier year, or the same year and an
    earlier date of issue (documents without a year or a date are not ordered)."""
    if a.year is None or b.year is None:
        return False
    if b.year != a.year:
        return b.year < a.year
    return bool(a.issued and b.issued and b.issued < a.issued)


def _leads(corpus: Corpus, task: TaskInfo) -> set[str]:
    """The task's leads by department (name without jurisdiction): counterparts at two levels count alike."""
    units = [corpus.units[i.unit_id] for i in task.with_role("lead", "joint")]
    return {stem(u.name, u.jurisdiction) for u in units}


def links(corpus: Corpus, params: ContinuityParams | None = None) -> list[Link]:
    """Every continuity link of the corpus (see the module docstring)."""
    p = params or ContinuityParams()
    by_doc: dict[str, list[TaskInfo]] = {}
    for t in corpus.tasks.values():
        by_doc.setdefault(t.doc_id, []).append(t)
    first = {d: tasks[0] for d, tasks in by_doc.items()}
    out: list[Link] = []
    for doc_id, tasks in by_doc.items():
        earlier_docs = [
            e
            for e in by_doc
            if e != doc_id and first[e].jurisdiction == first[doc_id].jurisdiction and _earlier(first[doc_id], first[e])
        ]
        for e in earlier_docs:
            candidates = {t.id: t.text for t in by_doc[e]}
            index = TextIndex.build(candidates, p.method, p.ngrams)
            sections = TextIndex.build({t.id: t.section or "" for t in by_doc[e]}, p.method, p.ngrams)
            for task in tasks:
                link = _best(corpus, task, index, sections, p)
                if link is not None:
                    out.append(link)
    return out


def _best(corpus: Corpus, task: TaskInfo, index: TextIndex, sections: TextIndex, p: ContinuityParams) -> Link | None:
    text = index.scores(task.text)
    heading = sections.scores(task.section) if task.section else None
    best: tuple[float, float, str] | None = None
    for k, key in enumerate(index.keys):
        similarity = float(text[k])
        if similarity < p.min_similarity:
            continue
        earlier = corpus.tasks[key]
        same_lead = bool(_leads(corpus, task) & _leads(corpus, earlier))
        section = float(heading[k]) if heading is not None else 0.0
        score = p.text_weight * similarity + p.lead_weight * same_lead + p.section_weight * section
        if score >= p.threshold and (best is None or (score, similarity) > best[:2]):
            best = (round(score, 4), round(similarity, 4), key)
    if best is None:
        return None
    score, similarity, key = best
    return Link(task.id, key, score, similarity, evidence(corpus, task, corpus.tasks[key], similarity, p))


def evidence(corpus: Corpus, later: TaskInfo, earlier: TaskInfo, similarity: float, p: ContinuityParams) -> list[str]:
    """Why ``later`` continues ``earlier``, in words."""
    out = [f"text similarity {similarity:.2f}"]
    now = sorted(corpus.units[i.unit_id].name for i in later.with_role("lead", "joint"))
    then = sorted(corpus.units[i.unit_id].name for i in earlier.with_role("lead", "joint"))
    if now and then:
        if _leads(corpus, later) & _leads(corpus, earlier):
            out.append("same lead: " + "、".join(then if then == now else sorted(set(then) | set(now))))
        else:
            out.append(f"lead then: {'、'.join(then)}; now: {'、'.join(now)}")
    shared = shared_runs(later.text, earlier.text, p.shared_runs)
    if shared:
        out.append("shared text: " + "、".join(shared))
    if later.section and earlier.section:
        out.append(f"sections: {earlier.section} → {later.section}")
    return out


# ---------------------------------------------------------------- stored on the graph

#: Properties of a CONTINUES relationship (and of the analytics note) the continuity links write, and the
#: keys of the write's rows.
CONTINUITY_PROPERTIES: tuple[str, ...] = (
    "score",
    "similarity",
    "evidence",
    "version",
    "continuity_version",
    "continuity_params",
)
CONTINUITY_PROPERTIES += ("later", "earlier")
STORED_VERSION = statement("continuity_version").cypher
WRITE = statement("continuity_write").cypher


def params_json(params: ContinuityParams) -> str:
    return json.dumps(params.to_dict(), sort_keys=True)


def refresh(store: GraphStore, version: str, params: ContinuityParams | None = None) -> int | None:
    """Recompute and store the links unless current for ``version`` and ``params``; how many were written."""
    params = params or ContinuityParams()
    found = store.read(STORED_VERSION).rows
    if found and (found[0][0], found[0][1]) == (version, params_json(params)):
        return None
    rows = [
        {"later": x.later, "earlier": x.earlier, "score": x.score, "similarity": x.similarity, "evidence": x.evidence}
        for x in links(Corpus.from_store(store), params)
    ]
    store.write(WRITE, {"version": version, "params": params_json(params), "rows": rows})
    return len(rows)
