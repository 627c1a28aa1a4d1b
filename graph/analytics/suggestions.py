"""Suggested owners for unassigned tasks: who has led (and supported) tasks like this one before.

For every task no clause assigns, the units most likely to lead and to support it are ranked from the
assigned tasks of the whole graph (the *precedents*):

1. **Similar texts.**  The ``neighbours`` precedents most similar to the task's text
   (:mod:`.similarity`; the method was chosen by measurement, docs/suggestions.md) vote for their units,
   each vote weighing the precedent's similarity: a lead votes for leading, a supporting unit for
   supporting, a joint unit (按职责分工负责) half for each, and a lead half for supporting too.
2. **Jurisdiction and counterpart level.**  A vote goes to the body of the task's own jurisdiction: a
   precedent of the same jurisdiction votes for its unit as it is; a precedent of another level votes
   for that unit's counterpart in the task's jurisdiction (``COUNTERPART_OF`` links, two steps at most,
   or the body whose name without its jurisdiction is the same, 浙江省发展和改革委员会 → 绍兴市发展和改革委员会),
   weighted ``counterpart_weight``; a body with no counterpart there votes for itself, weighted
   ``foreign_weight`` (a provincial precedent still says who holds the matter).
3. **Existing load.**  A unit's score is lowered by up to ``load_weight`` in proportion to its weighted
   load (:mod:`.workload`'s weights) against the most loaded unit's: between two equally good owners,
   the one carrying less comes first.

The **score** is the share of the consulted precedents' similarity that voted for the unit, times the
load factor: in [0, 1].  Each suggestion keeps its reasons, the three nearest precedents that voted for
it (task, document, the clause as written, similarity).

Suggestions are stored apart from assignments, as ``(:Unit)-[:SUGGESTED]->(:Task)`` relationships with
``role``, ``rank``, ``score`` and ``version`` (the graph version they were computed for): no query of
assignments (LEADS / SUPPORTS / SHARES) sees them, so they are never in the counts, the load, the overload
ranking or the exports.  :func:`refresh` recomputes them whenever the stored documents change.

Example — a two-document corpus, the second document without clauses::

    >>> from .corpus import Corpus, Involvement, TaskInfo, UnitInfo
    >>> units = {u: UnitInfo(u, n, "agency", "浙江省", "province", ("d1",), ()) for u, n in
    ...          [("a", "浙江省档案局"), ("b", "浙江省公安厅"), ("c", "浙江省大数据发展管理局")]}
    >>> def task(i, doc, text, *involved):
    ...     return TaskInfo(i, doc, doc, None, 2021, None, "浙江省", "province", i, 1, text, text, None,
    ...                     units=[Involvement(u, r, False, f"牵头单位：{units[u].name}") for u, r in involved])
    >>> corpus = Corpus({t.id: t for t in [
    ...     task("t1", "d1", "建设统一的数字档案系统,推进电子档案管理", ("a", "lead"), ("c", "support")),
    ...     task("t2", "d1", "实施云上公安、智能防控大数据战略", ("b", "lead")),
    ...     task("t3", "d2", "完善电子档案管理系统")]}, units)
    >>> [(s.unit, s.role, s.rank) for s in suggest(corpus)["t3"]]
    [('浙江省档案局', 'lead', 1), ('浙江省大数据发展管理局', 'support', 1)]
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from dutygraph.queries import statement

from ..store import GraphStore
from .corpus import Corpus, TaskInfo, UnitInfo, stem
from .similarity import DEFAULT_METHOD, TextIndex
from .workload import LoadWeights

#: How a precedent's unit stands to the task's jurisdiction.
PLACES = ("same", "counterpart", "other")
#: What a precedent's role votes for: (lead, support).
VOTES = {"lead": (1.0, 0.5), "joint": (0.5, 0.5), "support": (0.0, 1.0)}


@dataclass(frozen=True, slots=True)
class SuggestionParams:
    """Every knob of the suggestions, with the defaults measured in docs/suggestions.md."""

    method: str = DEFAULT_METHOD  # the text similarity (.similarity.METHODS)
    ngrams: tuple[int, ...] = (2, 3)  # the character n-grams of the "char" method
    neighbours: int = 5  # precedents consulted per task for its lead
    support_neighbours: int = 10  # and for its supports
    prior_weight: float = 0.0  # how much a unit's share of all precedents' lead votes adds to the similar ones'
    support_prior_weight: float = 0.0  # the same for supporting
    lead_as_support: float = 0.5  # what a precedent's lead votes for supporting (its support votes 1)
    leads: int = 5  # lead suggestions kept per task
    supports: int = 5  # support suggestions kept per task
    reasons: int = 3  # precedents kept as the reasons of each suggestion
    counterpart_weight: float = 0.8  # a precedent of the unit's counterpart at another level
    foreign_weight: float = 0.3  # a precedent of a body of another jurisdiction without a counterpart in the task's
    load_weight: float = 0.1  # the most loaded unit's score is lowered by this fraction
    section_weight: float = 0.0  # the section heading's similarity, added to the text's (0: text alone)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Precedent:
    """An assigned task that voted for a suggestion: why the unit is suggested."""

    task_id: str
    title: str
    doc_id: str
    document: str
    unit_id: str  # the unit the precedent's clause names (the suggested unit, or its counterpart)
    unit: str
    role: str  # its role there
    place: str  # same | counterpart | other (see PLACES)
    clause: str | None  # the clause as written
    similarity: float


@dataclass(slots=True)
class Suggestion:
    task_id: str
    unit_id: str
    unit: str
    role: str  # lead | support
    rank: int  # 1-based among the task's suggestions of this role
    score: float  # evidence × load factor, in [0, 1]
    evidence: float  # the share of the consulted precedents' similarity voting for the unit
    load: float  # the unit's weighted load when suggested
    reasons: list[Precedent] = field(default_factory=list)


def placements(corpus: Corpus, unit: UnitInfo, jurisdiction: str | None) -> list[tuple[str, str]]:
    """The units of ``jurisdiction`` a precedent's ``unit`` stands for, with how (see :data:`PLACES`)."""
    if jurisdiction is None or unit.jurisdiction in (None, jurisdiction):
        return [(unit.id, "same")]
    seen, frontier, found = {unit.id}, [unit.id], []
    for _ in range(2):  # county ↔ city ↔ province
        nxt = []
        for u in frontier:
            for c in corpus.units[u].counterparts:
                if c in seen or c not in corpus.units:
                    continue
                seen.add(c)
                if corpus.units[c].jurisdiction == jurisdiction:
                    found.append(c)
                else:
                    nxt.append(c)
        if found:
            break
        frontier = nxt
    if not found:
        found = corpus.same_stem(unit, jurisdiction)
    if found:
        return [(c, "counterpart") for c in sorted(found)]
    return [(unit.id, "other")]


def weighted_loads(corpus: Corpus, weights: LoadWeights | None = None) -> dict[str, float]:
    """Each unit's weighted load over the corpus's assigned tasks (the formula of :mod:`.workload`)."""
    weights = weights or LoadWeights()
    load: dict[str, float] = defaultdict(float)
    for task in corpus.tasks.values():
        leads = {i.unit_id for i in task.units if i.role == "lead"}
        joint = {i.unit_id for i in task.units if i.role == "joint"}
        for unit, role in sorted({(i.unit_id, i.role) for i in task.units}):
            if role == "lead":
                load[unit] += weights.lead / len(leads)
            elif role == "joint":
                load[unit] += weights.joint / len(joint)
            else:
                load[unit] += weights.support
    return {u: round(v, 6) for u, v in load.items()}


class Suggester:
    """The precedents of one corpus, indexed once; :meth:`for_task` ranks owners for any task."""

    def __init__(self, corpus: Corpus, params: SuggestionParams | None = None) -> None:
        self.corpus = corpus
        self.params = params or SuggestionParams()
        self.precedents = {t.id: t for t in corpus.tasks.values() if t.with_role(*VOTES)}
        method, ngrams = self.params.method, self.params.ngrams
        self.index = TextIndex.build({k: t.text for k, t in self.precedents.items()}, method, ngrams)
        self.sections = (
            TextIndex.build({k: t.section or "" for k, t in self.precedents.items()}, method, ngrams)
            if self.params.section_weight
            else None
        )
        self.load = weighted_loads(corpus)
        self.max_load = max(self.load.values(), default=0.0) or 1.0
        self._places: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
        self._priors: dict[str | None, dict[str, dict[str, float]]] = {}
        self.votes = {**VOTES, "lead": (1.0, self.params.lead_as_support)}

    def place(self, unit_id: str, jurisdiction: str | None) -> list[tuple[str, str]]:
        key = (unit_id, jurisdiction)
        if key not in self._places:
            self._places[key] = placements(self.corpus, self.corpus.units[unit_id], jurisdiction)
        return self._places[key]

    def neighbours(self, task: TaskInfo) -> list[tuple[str, float]]:
        p = self.params
        if not self.precedents:
            return []
        scores = self.index.scores(task.text)
        if self.sections is not None and task.section:
            scores = (scores + p.section_weight * self.sections.scores(task.section)) / (1 + p.section_weight)
        ranked = sorted(
            ((k, float(s)) for k, s in zip(self.index.keys, scores, strict=True) if s > 0 and k != task.id),
            key=lambda pair: (-pair[1], pair[0]),
        )
        return ranked[: max(p.neighbours, p.support_neighbours)]

    def prior(self, jurisdiction: str | None) -> dict[str, dict[str, float]]:
        """Each unit's votes over every precedent (as if all were equally similar), by role, as a share
        of the most voted unit's: how often it leads or supports at all, placed in ``jurisdiction``."""
        if jurisdiction not in self._priors:
            votes: dict[str, dict[str, float]] = {"lead": defaultdict(float), "support": defaultdict(float)}
            for precedent in self.precedents.values():
                for involvement in precedent.with_role(*VOTES):
                    for candidate, _ in self.place(involvement.unit_id, jurisdiction):
                        for role, share in zip(("lead", "support"), self.votes[involvement.role], strict=True):
                            votes[role][candidate] += share
            self._priors[jurisdiction] = {
                role: {u: v / (max(got.values(), default=0) or 1.0) for u, v in got.items()}
                for role, got in votes.items()
            }
        return self._priors[jurisdiction]

    def for_task(self, task: TaskInfo) -> list[Suggestion]:
        p = self.params
        weight = {"same": 1.0, "counterpart": p.counterpart_weight, "other": p.foreign_weight}
        votes: dict[str, dict[str, float]] = {"lead": defaultdict(float), "support": defaultdict(float)}
        reasons: dict[tuple[str, str], list[tuple[float, Precedent]]] = defaultdict(list)
        near = self.neighbours(task)
        consulted = {"lead": near[: p.neighbours], "support": near[: p.support_neighbours]}
        totals = {role: sum(s for _, s in consulted[role]) or 1.0 for role in consulted}
        for position, (key, similarity) in enumerate(near):
            precedent = self.precedents[key]
            seen: set[tuple[str, str]] = set()
            for involvement in precedent.with_role(*VOTES):
                unit = self.corpus.units[involvement.unit_id]
                for candidate, place in self.place(unit.id, task.jurisdiction):
                    for role, share in zip(("lead", "support"), self.votes[involvement.role], strict=True):
                        if position >= len(consulted[role]):
                            continue
                        if not share or (candidate, role) in seen:
                            continue  # a precedent votes once per unit and role
                        seen.add((candidate, role))
                        vote = similarity * weight[place] * share
                        votes[role][candidate] += vote
                        why = Precedent(
                            precedent.id,
                            precedent.title,
                            precedent.doc_id,
                            precedent.document,
                            unit.id,
                            unit.name,
                            involvement.role,
                            place,
                            involvement.clause,
                            round(similarity, 4),
                        )
                        reasons[candidate, role].append((vote, why))
        out: list[Suggestion] = []
        leads = self._ranked(task, "lead", votes["lead"], totals["lead"], reasons, p.leads)
        out += leads
        chosen = {leads[0].unit_id} if leads else set()
        out += self._ranked(task, "support", votes["support"], totals["support"], reasons, p.supports, chosen)
        return out

    def _ranked(
        self,
        task: TaskInfo,
        role: str,
        votes: dict[str, float],
        total: float,
        reasons: dict[tuple[str, str], list[tuple[float, Precedent]]],
        keep: int,
        leaving_out: set[str] | frozenset[str] = frozenset(),
    ) -> list[Suggestion]:
        p = self.params
        scored = []
        alpha = p.prior_weight if role == "lead" else p.support_prior_weight
        prior = self.prior(task.jurisdiction)[role] if alpha else {}
        for unit_id in (set(votes) | set(prior)) - leaving_out:
            vote = votes.get(unit_id, 0.0)
            evidence = (min(vote / total, 1.0) + alpha * prior.get(unit_id, 0.0)) / (1 + alpha)
            load = self.load.get(unit_id, 0.0)
            score = evidence * (1 - p.load_weight * load / self.max_load)
            scored.append((round(score, 6), round(evidence, 6), load, unit_id))
        scored.sort(key=lambda s: (-s[0], -s[1], self.corpus.units[s[3]].name, s[3]))  # ids break name ties
        out = []
        for rank, (score, evidence, load, unit_id) in enumerate(scored[:keep], start=1):
            why = sorted(reasons[unit_id, role], key=lambda r: (-r[0], r[1].task_id))[: p.reasons]
            out.append(
                Suggestion(
                    task.id,
                    unit_id,
                    self.corpus.units[unit_id].name,
                    role,
                    rank,
                    score,
                    evidence,
                    load,
                    [w for _, w in why],
                )
            )
        return out


def suggest(
    corpus: Corpus, params: SuggestionParams | None = None, tasks: Iterable[str] | None = None
) -> dict[str, list[Suggestion]]:
    """Suggestions for ``tasks`` (default: every unassigned task), by task id."""
    suggester = Suggester(corpus, params)
    wanted = list(tasks) if tasks is not None else [t.id for t in corpus.tasks.values() if not t.assigned]
    return {t: suggester.for_task(corpus.tasks[t]) for t in wanted}


# ---------------------------------------------------------------- stored on the graph

#: Properties of a SUGGESTED relationship (and of the analytics note) the suggestions write.
SUGGESTION_PROPERTIES = (
    "role",
    "rank",
    "score",
    "evidence",
    "load",
    "version",
    "precedents",
    "precedent_units",
    "precedent_roles",
    "precedent_places",
    "precedent_scores",
    "suggestions_version",
    "suggestions_params",
    "unit_id",  # the keys of the write's rows
    "task_id",
    "props",
)
STORED_VERSION = statement("suggestions_version").cypher
# One atomic write: the old suggestions go, the new ones come, the note says for which graph version.
WRITE = statement("suggestions_write").cypher


def rows(suggestions: dict[str, list[Suggestion]], version: str) -> list[dict[str, Any]]:
    """The write's rows: one SUGGESTED relationship per suggestion, its reasons as parallel lists
    (relationship properties hold lists of plain values only; the query joins them back)."""
    out = []
    for task_id, entries in suggestions.items():
        for s in entries:
            out.append(
                {
                    "unit_id": s.unit_id,
                    "task_id": task_id,
                    "props": {
                        "role": s.role,
                        "rank": s.rank,
                        "score": s.score,
                        "evidence": s.evidence,
                        "load": s.load,
                        "version": version,
                        "precedents": [r.task_id for r in s.reasons],
                        "precedent_units": [r.unit_id for r in s.reasons],
                        "precedent_roles": [r.role for r in s.reasons],
                        "precedent_places": [r.place for r in s.reasons],
                        "precedent_scores": [r.similarity for r in s.reasons],
                    },
                }
            )
    return out


def params_json(params: SuggestionParams) -> str:
    return json.dumps(params.to_dict(), sort_keys=True)


def stored_version(store: GraphStore) -> tuple[str | None, str | None]:
    found = store.read(STORED_VERSION).rows
    return (found[0][0], found[0][1]) if found else (None, None)


def refresh(store: GraphStore, version: str, params: SuggestionParams | None = None) -> int | None:
    """Recompute and store the suggestions unless they are current for ``version`` (the graph
    version, :func:`.analysis.graph_version`) and ``params``; the number written, or None."""
    params = params or SuggestionParams()
    if stored_version(store) == (version, params_json(params)):
        return None
    found = suggest(Corpus.from_store(store), params)
    written = rows(found, version)
    store.write(WRITE, {"version": version, "params": params_json(params), "rows": written})
    return len(written)


# ---------------------------------------------------------------- measured: leave one document out


@dataclass(slots=True)
class Scores:
    """Accuracy of one ranking over a set of tasks."""

    tasks: int = 0  # tasks with a lead (or joint units) in their clause
    top1: int = 0  # whose first suggested lead is one of them
    top3: int = 0  # with one of them among the first three
    top1_department: int = 0  # first suggestion the same department at any level (绍兴市发改委 for 省发改委)
    support_tasks: int = 0  # tasks with supporting units
    support_recall: float = 0.0  # sum over them of the share of supports among the first five

    def add(self, other: Scores) -> None:
        for f in ("tasks", "top1", "top3", "top1_department", "support_tasks", "support_recall"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def to_dict(self) -> dict[str, Any]:
        n, s = self.tasks or 1, self.support_tasks or 1
        return {
            "tasks": self.tasks,
            "top1": round(self.top1 / n, 4),
            "top3": round(self.top3 / n, 4),
            "top1_department": round(self.top1_department / n, 4),
            "support_tasks": self.support_tasks,
            "recall5_supports": round(self.support_recall / s, 4),
        }


def _score(corpus: Corpus, task: TaskInfo, leads: list[str], supports: list[str]) -> Scores:
    truth_leads = {i.unit_id for i in task.with_role("lead", "joint")}
    truth_supports = {i.unit_id for i in task.with_role("support")}
    out = Scores()
    if truth_leads:
        out.tasks = 1
        out.top1 = int(bool(leads) and leads[0] in truth_leads)
        out.top3 = int(bool(truth_leads & set(leads[:3])))
        stems = {stem(corpus.units[u].name, corpus.units[u].jurisdiction) for u in truth_leads}
        first = corpus.units.get(leads[0]) if leads else None
        out.top1_department = int(first is not None and stem(first.name, first.jurisdiction) in stems)
    if truth_supports:
        out.support_tasks = 1
        out.support_recall = len(truth_supports & set(supports[:5])) / len(truth_supports)
    return out


def _frequency_ranking(suggester: Suggester, tasks: Iterable[TaskInfo], task: TaskInfo) -> tuple[list, list]:
    """Units ranked by how many of ``tasks`` they lead / support, placed in ``task``'s jurisdiction."""
    # Votes are shares of a precedent's similarity: fractions, not counts.
    lead: defaultdict[str, float] = defaultdict(float)
    support: defaultdict[str, float] = defaultdict(float)
    for t in tasks:
        for i in t.with_role(*VOTES):
            for candidate, _ in suggester.place(i.unit_id, task.jurisdiction):
                share_lead, share_support = suggester.votes[i.role]
                lead[candidate] += share_lead
                support[candidate] += share_support
    name = suggester.corpus.units

    def ranked(counter: dict[str, float]) -> list[str]:
        return [u for u, n in sorted(counter.items(), key=lambda x: (-x[1], name[x[0]].name)) if n > 0]

    leads = ranked(lead)
    return leads, [u for u in ranked(support) if u != (leads[0] if leads else None)]


def baseline(suggester: Suggester, task: TaskInfo, kind: str, sections: TextIndex | None) -> tuple[list, list]:
    """The baselines: ``corpus`` — the most frequent leads (and supports) of the whole corpus;
    ``section`` — those of the precedents under the most similar section headings (ten), the corpus's
    after them."""
    everyone = list(suggester.precedents.values())
    overall = _frequency_ranking(suggester, everyone, task)
    if kind == "corpus" or sections is None or not task.section:
        return overall
    near = [suggester.precedents[k] for k, _ in sections.nearest(task.section, 10)]
    local = _frequency_ranking(suggester, near, task)
    return (
        list(dict.fromkeys(local[0] + overall[0])),
        list(dict.fromkeys(local[1] + [u for u in overall[1] if u not in local[0][:1]])),
    )


BASELINES = ("corpus", "section")


def evaluate(
    corpus: Corpus, documents: Iterable[str], params: SuggestionParams | None = None
) -> dict[str, dict[str, Any]]:
    """Leave one document out: for each of ``documents`` (ids), hide its clauses
    (:meth:`.Corpus.without`), suggest owners for its tasks and score them against the clauses,
    beside the baselines.  ``{"method" | baseline: {"all": scores, doc_id: scores}}``."""
    params = params or SuggestionParams()
    totals = {name: Scores() for name in ("method", *BASELINES)}
    out: dict[str, dict[str, Any]] = {name: {} for name in totals}
    for doc_id in documents:
        hidden = corpus.without(doc_id)
        suggester = Suggester(hidden, params)
        sections = TextIndex.build({k: t.section or "" for k, t in suggester.precedents.items()}, "char")
        per = {name: Scores() for name in totals}
        for task in (t for t in corpus.tasks.values() if t.doc_id == doc_id and t.assigned):
            found = suggester.for_task(hidden.tasks[task.id])
            leads = [s.unit_id for s in found if s.role == "lead"]
            supports = [s.unit_id for s in found if s.role == "support"]
            per["method"].add(_score(corpus, task, leads, supports))
            for name in BASELINES:
                b_leads, b_supports = baseline(suggester, task, name, sections)
                per[name].add(_score(corpus, task, b_leads, b_supports[:5]))
        for name, scores in per.items():
            out[name][doc_id] = scores.to_dict()
            totals[name].add(scores)
    for name, scores in totals.items():
        out[name]["all"] = scores.to_dict()
    return out
