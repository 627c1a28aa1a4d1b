"""The extractor against a hand-checked annotation of every task that carries a
clause in 000, 001 and 003 (tests/annotations/*.yaml, written by reading the
documents, not by running the extractor).

The bar is "every unit right": each (task, unit, role) triple, the implicit
and group flags, the open-list flag and the deadline months must match.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from dutygraph.loaders.names import name_key
from dutygraph.model import Document

ANNOTATIONS = Path(__file__).parent / "annotations"
ANNOTATED = ["000_bb281ce7d484c788.txt", "001_8308b1ada969cea2.txt", "003_160671325042dcbf.txt"]


def load_annotation(name: str) -> dict:
    return yaml.safe_load((ANNOTATIONS / f"{name[:3]}.yaml").read_text("utf-8"))


def clause_tasks(doc: Document):
    return [t for t in doc.tasks if t.clause is not None]


def expected_triples(task: dict) -> Counter:
    return Counter(
        (name_key(u["name"]), u["role"], bool(u.get("implicit", False)), bool(u.get("group", False)))
        for u in task["units"]
    )


def actual_triples(task) -> Counter:
    return Counter((name_key(a.name), a.role.value, a.implicit, a.group) for a in task.assignments)


@pytest.mark.parametrize("name", ANNOTATED)
def test_every_annotated_task_is_found_in_order(name, seed_docs):
    annotation = load_annotation(name)
    tasks = clause_tasks(seed_docs[name])
    assert len(tasks) == len(annotation["tasks"])
    for expected, task in zip(annotation["tasks"], tasks, strict=True):
        assert task.text.startswith(expected["starts_with"]), (expected["ordinal"], task.text[:20])


@pytest.mark.parametrize("name", ANNOTATED)
def test_every_unit_role_implicit_and_group_flag_matches_the_annotation(name, seed_docs):
    annotation = load_annotation(name)
    mismatches = []
    for expected, task in zip(annotation["tasks"], clause_tasks(seed_docs[name]), strict=True):
        want, got = expected_triples(expected), actual_triples(task)
        if want != got:
            mismatches.append((expected["ordinal"], dict(want - got), dict(got - want)))
    assert mismatches == []


@pytest.mark.parametrize("name", ANNOTATED)
def test_open_list_flags_match_the_annotation(name, seed_docs):
    annotation = load_annotation(name)
    got = [t.open_list for t in clause_tasks(seed_docs[name])]
    assert got == [t["open_list"] for t in annotation["tasks"]]


@pytest.mark.parametrize("name", ANNOTATED)
def test_deadline_months_match_the_annotation(name, seed_docs):
    annotation = load_annotation(name)
    mismatches = []
    for expected, task in zip(annotation["tasks"], clause_tasks(seed_docs[name]), strict=True):
        months = sorted({m.due.strftime("%Y-%m") for m in task.milestones if m.due})
        if months != expected["deadline_months"]:
            mismatches.append((expected["ordinal"], expected["deadline_months"], months))
    assert mismatches == []


def test_annotation_covers_the_101_tasks_with_clauses():
    assert sum(len(load_annotation(n)["tasks"]) for n in ANNOTATED) == 101
