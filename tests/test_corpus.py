"""The multi-jurisdiction corpus (tests/corpus/): plans written by hand in the styles of the
State Council, provinces, prefecture cities, districts and counties, each read through the
real extractor and compared with an expectation file written by hand from reading the text
(never by running the extractor).

Each case is a folder holding one plan and ``expected.yaml`` (the format is described in
tests/corpus/README.md).  The plan is a real file (``plan.txt``, ``plan.html``, ``plan.csv``)
or a recipe (``plan.docx.yaml``, ``plan.xlsx.yaml``) that tests/filemakers.py turns into the
real Word or Excel file.  Checks, each its own test so that a form the loaders cannot read
yet fails alone:

* ``test_document`` — title, 文号, issuer, date of issue, year, jurisdiction, level;
* ``test_tasks_in_order`` — exactly the expected tasks, in order, and no others;
* ``test_task`` — per expected task: the units by role, name as written → canonical or
  qualified name, groups, open lists, deadlines, deadline notes and leaders;
* ``test_quality_report`` — the quality report's claims: counts, unresolved names and
  warnings that must (not) be there.

Forms the loaders cannot read yet are marked in the expectation file with ``xfail: <which
form>``; the test then runs as ``pytest.mark.xfail(strict=True)``, so it fails the moment the
form is read right and the marker must be removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from filemakers import make_docx, make_xlsx

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.pipeline import quality_report
from dutygraph.loaders.repair import fold
from dutygraph.model import Document, Task

CORPUS = Path(__file__).resolve().parent / "corpus"
ROLES = ("lead", "support", "joint")
TASK_KEYS = {"text", "xfail", *ROLES, "groups", "open", "due", "notes", "leaders"}
CASE_KEYS = {"file", "document", "tasks", "quality", "xfail"}


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    expected: dict[str, Any]

    @property
    def xfail(self) -> dict[str, str]:
        """Case-level markers: {"document" | "tasks" | "quality": reason}."""
        return self.expected.get("xfail") or {}


def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "expected.yaml").is_file()):
        expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
        assert set(expected) <= CASE_KEYS, (folder.name, set(expected) - CASE_KEYS)
        for task in expected["tasks"]:
            assert set(task) <= TASK_KEYS, (folder.name, task.get("text"), set(task) - TASK_KEYS)
        cases.append(Case(folder.name, folder, expected))
    return cases


CASES = load_cases()


def build(case: Case, where: Path) -> Path:
    """The real file of a case: as stored, or made from its recipe by tests/filemakers.py."""
    name = case.expected["file"]
    stored = case.folder / name
    if stored.is_file():
        return stored
    recipe = yaml.safe_load((case.folder / f"{name}.yaml").read_text("utf-8"))
    target = where / name
    if name.endswith(".docx"):
        return make_docx(
            target,
            recipe["paragraphs"],
            recipe.get("table"),
            paragraphs_after=recipe.get("paragraphs_after", ()),
            title=recipe.get("title"),
            merges=[tuple(m) for m in recipe.get("merges", ())],
        )
    if name.endswith(".xlsx"):
        return make_xlsx(
            target,
            recipe.get("title"),
            recipe["headers"],
            recipe["rows"],
            recipe.get("merges"),
            sheet=recipe.get("sheet", "任务分工表"),
        )
    raise AssertionError(f"{case.name}: no recipe for {name}")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> dict[str, Document]:
    """Every case extracted once, through the real readers and the real extractor."""
    where = tmp_path_factory.mktemp("corpus")
    return {case.name: extractor.extract_file(build(case, where)) for case in CASES}


def marked(case: Case, key: str, reason: str | None = None) -> Any:
    """``case`` as a pytest param, xfail(strict) when the expectation file says so."""
    reason = reason or case.xfail.get(key)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.name, marks=marks)


def squash(text: str) -> str:
    """The form task texts are compared in: matching form (simplified, half-width), no spaces."""
    return re.sub(r"\s+", "", fold(text))


def find_task(doc: Document, start: str, used: set[str]) -> Task | None:
    """The first task not matched yet whose text starts with ``start``."""
    want = squash(start)
    for task in doc.tasks:
        if task.id not in used and squash(task.text).startswith(want):
            return task
    return None


def task_params() -> list[Any]:
    params = []
    for case in CASES:
        for index, task in enumerate(case.expected["tasks"], start=1):
            marks = [pytest.mark.xfail(strict=True, reason=task["xfail"])] if task.get("xfail") else []
            params.append(pytest.param(case, index, id=f"{case.name}-{index:02d}", marks=marks))
    return params


# ---------------------------------------------------------------------------- the checks


@pytest.mark.parametrize("case", [marked(c, "document") for c in CASES])
def test_document(case: Case, documents: dict[str, Document]):
    doc = documents[case.name]
    want = case.expected["document"]
    got = {
        "title": doc.title,
        "doc_number": doc.doc_number,
        "issuer": doc.issuer,
        "issued": doc.issued.isoformat() if doc.issued else None,
        "year": doc.year,
        "jurisdiction": doc.jurisdiction,
        "level": doc.level.value if doc.level else None,
    }
    expected = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in want.items()}
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("case", [marked(c, "tasks") for c in CASES])
def test_tasks_in_order(case: Case, documents: dict[str, Document]):
    """Exactly the expected tasks, in document order: none merged, none split, none extra."""
    doc = documents[case.name]
    starts = [squash(t["text"]) for t in case.expected["tasks"]]
    got = [squash(t.text) for t in doc.tasks]
    assert len(got) == len(starts), [t.text[:20] for t in doc.tasks]
    for want, text in zip(starts, got, strict=True):
        assert text.startswith(want), (want, text[:40])


@pytest.mark.parametrize(("case", "index"), task_params())
def test_task(case: Case, index: int, documents: dict[str, Document]):
    doc = documents[case.name]
    want = case.expected["tasks"][index - 1]
    # match the tasks before this one first, so that two tasks with one opening are told apart
    used: set[str] = set()
    for before in case.expected["tasks"][: index - 1]:
        found = find_task(doc, before["text"], used)
        if found is not None:
            used.add(found.id)
    task = find_task(doc, want["text"], used)
    assert task is not None, f"no task starting {want['text']!r}: {[t.text[:20] for t in doc.tasks]}"

    for role in ROLES:
        got = {a.name: a.unit.name for a in task.assignments if a.role.value == role and not a.implicit}
        assert got == (want.get(role) or {}), role
    groups = {a.unit.name for a in task.assignments if a.group}
    assert groups == set(want.get("groups") or ()), "groups"
    assert task.open_list == bool(want.get("open", False)), "open list"
    due = [m.due.isoformat() for m in task.milestones if m.due is not None]
    expected_due = [d.isoformat() if isinstance(d, date) else str(d) for d in want.get("due") or ()]
    assert due == expected_due, "deadlines"
    assert list(task.deadline_notes) == list(want.get("notes") or ()), "deadline notes"
    assert list(task.leaders) == list(want.get("leaders") or ()), "leaders"


@pytest.mark.parametrize("case", [marked(c, "quality") for c in CASES])
def test_quality_report(case: Case, documents: dict[str, Document]):
    doc = documents[case.name]
    want = case.expected["quality"]
    report = quality_report(doc, confidence_threshold=0.5)
    assert report["tasks"] == want["tasks"]
    assert len(report["unassigned_tasks"]) == want.get("unassigned", 0)
    assert len(report["several_leads"]) == want.get("several_leads", 0)
    assert set(report["unresolved"]) == set(want.get("unresolved") or ())
    warnings = report["warnings"]
    for needle in want.get("warnings", {}).get("include", ()):
        assert any(needle in w for w in warnings), (needle, warnings)
    for needle in want.get("warnings", {}).get("exclude", ()):
        assert not any(needle in w for w in warnings), (needle, warnings)


def test_the_corpus_covers_the_jurisdictions_and_formats_the_issue_asks_for():
    """At least ten plans: the State Council, three provinces, three prefecture cities and two
    districts or counties, in text, web page, Word and spreadsheet form."""
    levels: dict[str, set[str]] = {}
    for case in CASES:
        doc = case.expected["document"]
        levels.setdefault(doc["level"], set()).add(doc["jurisdiction"])
    assert len(CASES) >= 10
    assert levels["national"] == {"中国"}
    assert len(levels["province"]) >= 3 and len(levels["city"]) >= 3 and len(levels["county"]) >= 2
    formats = {Path(c.expected["file"]).suffix for c in CASES}
    assert {".txt", ".html", ".docx", ".csv", ".xlsx"} <= formats


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_every_assignment_points_at_its_words_in_the_original_text(case: Case, documents: dict[str, Document]):
    """Provenance, in every format: the clause and the unit's name of each assignment are where
    their offsets say in the text as read, and the name as written is what stands there."""
    doc = documents[case.name]
    for task in doc.tasks:
        assert 0 <= task.start <= task.end <= len(doc.text)
        for a in task.assignments:
            for span in (a.source, a.name_span):
                assert span is not None, (task.number, a.name)
                assert doc.text[span.start : span.end] == span.text, (task.number, a.name)
            assert squash(a.name_span.text) == squash(a.name), (task.number, a.name)
