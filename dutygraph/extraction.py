"""Extraction as a service: what `dutygraph extract` and the loaders share.

`extract_paths` walks files and folders, extracts each document and reports
bad files without stopping; `skipped_summary` says in one line what a folder held
that is no document (`skipped_paths` names each file); `task_record` is the JSON Lines shape of one task;
`quality_report` summarises what a planner should check by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutygraph.display import plural
from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.read import NOT_A_DOCUMENT, SUPPORTED_SUFFIXES, ReadError, iter_document_paths, skipped_paths
from dutygraph.loaders.read.archive import check_package
from dutygraph.model import Assignment, Document, Role, Task

__all__ = [
    "Failure",
    "extract_paths",
    "iter_document_paths",
    "ocr_report",
    "quality_report",
    "skipped_paths",
    "skipped_summary",
    "task_record",
]


@dataclass(slots=True)
class Failure:
    path: Path
    reason: str
    too_large: bool = False  # over a size limit (bytes, tasks), not unreadable: the API answers 413


#: Rows a workbook may have beyond its task limit: headings, notes and blank-looking rows hold none.
HEADING_ROWS = 100
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def check_workbook_rows(path: Path, max_tasks: int, max_bytes: int) -> str | None:
    """Why a workbook holds too many rows for ``max_tasks`` tasks (a 分工表 gives a task per row
    at most), counted as openpyxl streams the sheets and stopped at the first row past the limit,
    before the reader loads every row into memory; None when it is within it.  A file the reader
    will refuse (too large, an archive bomb, no workbook) is left to it, to say why."""
    import openpyxl

    limit = max_tasks + HEADING_ROWS
    try:
        if path.stat().st_size > max_bytes:
            return None
        check_package(path, max_bytes)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # whatever the reason, the reader finds it again and words it for its file
        return None
    try:
        rows = 0
        for sheet in workbook.worksheets:
            for values in sheet.iter_rows(values_only=True):
                rows += any(v not in (None, "") for v in values)
                if rows > limit:
                    return (
                        f"over {limit:,} rows with content, more than {max_tasks:,} tasks and their headings "
                        "(DUTYGRAPH_MAX_TASKS_PER_DOCUMENT)"
                    )
    finally:
        workbook.close()
    return None


def extract_paths(
    paths: Iterable[Path],
    extractor: Extractor | None = None,
    *,
    max_bytes: int = 50 * 1024 * 1024,
    max_tasks: int | None = None,
) -> Iterator[Document | Failure]:
    """Extract every supported file under ``paths``; a bad file yields a Failure
    naming the file and the reason, and the others are still processed.  With ``max_tasks``, a
    document of more tasks is a Failure too (``too_large``): one valid 100,000-row workbook made
    the store unmanageable, its write over the database's memory cap and its removal endless."""
    extractor = extractor or Extractor()
    for path in iter_document_paths(paths):
        try:
            if max_tasks is not None and path.suffix.lower() in WORKBOOK_SUFFIXES:
                why = check_workbook_rows(path, max_tasks, max_bytes)
                if why is not None:
                    yield Failure(path, why, too_large=True)
                    continue
            doc = extractor.extract_file(path, max_bytes=max_bytes)
            if max_tasks is not None and len(doc.tasks) > max_tasks:
                why = f"{len(doc.tasks):,} tasks, over the limit of {max_tasks:,} (DUTYGRAPH_MAX_TASKS_PER_DOCUMENT)"
                yield Failure(path, why, too_large=True)
                continue
            yield doc
        except ReadError as exc:
            yield Failure(path, exc.reason)
        except (OSError, ValueError) as exc:
            yield Failure(path, f"{type(exc).__name__}: {exc}")


def skipped_summary(skipped: Iterable[tuple[Path, str]]) -> str | None:
    """One line saying what a folder held that is not read, and why (``skipped_paths`` names
    each file); None when nothing was skipped.

    >>> files = [Path("a/map.zip"), Path("b/readme.md"), Path("c/x.zip")]
    >>> skipped_summary([(p, f"{NOT_A_DOCUMENT} ({p.suffix})") for p in files]).split(" (")[0]
    'skipped 3 files that are not documents dutygraph reads: 2 .zip, 1 .md'
    >>> skipped_summary([(Path("~$plan.docx"), "an Office lock file")])
    'skipped 1 file: an Office lock file'
    """
    skipped = list(skipped)
    if not skipped:
        return None
    formats = Counter(p.suffix.lower() or "without a suffix" for p, why in skipped if why.startswith(NOT_A_DOCUMENT))
    others = Counter(why for _, why in skipped if not why.startswith(NOT_A_DOCUMENT))
    parts = []
    if formats:
        listed = ", ".join(f"{n} {kind}" for kind, n in formats.most_common())
        readable = ", ".join(sorted(SUPPORTED_SUFFIXES))
        files = plural(sum(formats.values()), "file")
        parts.append(f"{files} that are not documents dutygraph reads: {listed} (it reads {readable})")
    parts.extend(f"{plural(n, 'file')}: {why}" for why, n in others.most_common())
    return "skipped " + "; ".join(parts)


#: The keys of :func:`task_record`, in order: the columns of `dutygraph extract --csv`.
TASK_RECORD_COLUMNS = (
    "doc",
    "doc_id",
    "task_id",
    "number",
    "title",
    "text",
    "section",
    "assignments",
    "leaders",
    "open_list",
    "deadlines",
    "milestones",
    "deadline_notes",
    "source",
)


def task_record(doc: Document, task: Task) -> dict[str, Any]:
    """One task as `dutygraph extract --json` prints it (keys: :data:`TASK_RECORD_COLUMNS`)."""
    section = next((s for s in doc.sections if s.id == task.section_id), None)
    return {
        "doc": doc.source,
        "doc_id": doc.id,
        "task_id": task.id,
        "number": task.number,
        "title": task.title,
        "text": task.text,
        "section": section.title if section else None,
        "assignments": [_assignment_record(a) for a in task.assignments],
        "leaders": task.leaders,
        "open_list": task.open_list,
        "deadlines": [m.due.isoformat() for m in task.milestones if m.due],
        "milestones": [
            {"due": m.due.isoformat() if m.due else None, "expression": m.expression, "text": m.text}
            for m in task.milestones
        ],
        "deadline_notes": task.deadline_notes,
        "source": (
            {"clause": task.clause.text, "start": task.clause.start, "end": task.clause.end} if task.clause else None
        ),
    }


def _assignment_record(a: Assignment) -> dict[str, Any]:
    record: dict[str, Any] = {
        "role": a.role.value,
        "name": a.name,
        "agency": a.agency,
        "implicit": a.implicit,
        "group": a.group,
    }
    if a.inherited_from:  # governed by the marking of this heading task, none of its own
        record["inherited_from"] = a.inherited_from
    if a.confidence is not None:  # read by OCR: how sure the reading of the name is (0–1)
        record["confidence"] = a.confidence
    return record


def quality_report(doc: Document, *, confidence_threshold: float | None = None) -> dict[str, Any]:
    """Unresolved names, unassigned tasks, tasks with several leads and, for a document read
    by OCR, which pages were and which unit names were read with a confidence below
    ``confidence_threshold`` (default: the ``ocr_confidence_threshold`` setting)."""
    unresolved = Counter(a.name for t in doc.tasks for a in t.assignments if not a.resolved)
    report = {
        "doc": doc.source,
        "title": doc.title,
        "doc_number": doc.doc_number,
        "issued": doc.issued.isoformat() if doc.issued else None,
        "jurisdiction": doc.jurisdiction,
        "sections": len(doc.sections),
        "tasks": len(doc.tasks),
        "assignments": sum(len(t.assignments) for t in doc.tasks),
        "unassigned_tasks": [t.number for t in doc.tasks if not t.assignments],
        "several_leads": [t.number for t in doc.tasks if sum(a.role == Role.LEAD for a in t.assignments) > 1],
        # tasks with no marking of their own, governed by the marking of the heading above them
        "inherited": {t.number: t.assignments[0].inherited_from for t in doc.tasks if _inherited(t)},
        "unresolved": dict(unresolved.most_common()),
        "citations": [{"title": c.title, "doc_number": c.doc_number, "relation": c.relation} for c in doc.citations],
        "warnings": doc.warnings,
    }
    if doc.ocr_pages:
        report["ocr"] = ocr_report(doc, confidence_threshold)
    return report


def _inherited(task: Task) -> bool:
    return bool(task.assignments) and all(a.inherited_from for a in task.assignments)


def ocr_report(doc: Document, confidence_threshold: float | None = None) -> dict[str, Any]:
    """The OCR part of the quality report: the pages read by OCR and every unit name whose
    confidence is below the threshold, with its task, so a planner knows what to check."""
    if confidence_threshold is None:
        from dutygraph.settings import get_settings

        confidence_threshold = get_settings().ocr_confidence_threshold
    low = [
        {"task": t.number, "name": a.name, "role": a.role.value, "confidence": round(a.confidence, 3)}
        for t in doc.tasks
        for a in t.assignments
        if a.confidence is not None and a.confidence < confidence_threshold
    ]
    return {"pages": doc.ocr_pages, "threshold": confidence_threshold, "low_confidence": low}
