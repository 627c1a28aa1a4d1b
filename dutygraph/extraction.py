"""Extraction as a service: what `dutygraph extract` and the loaders share.

`extract_paths` walks files and folders, extracts each document and reports
bad files without stopping; `skipped_summary` says in one line what a folder held
that is no document (`skipped_paths` names each file); `task_record` is the JSON Lines shape of one task;
`quality_report` summarises what a planner should check by hand.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutygraph.display import plural
from dutygraph.loaders.clauses import Conventions
from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.read import NOT_A_DOCUMENT, SUPPORTED_SUFFIXES, ReadError, iter_document_paths, skipped_paths
from dutygraph.loaders.read.archive import check_package
from dutygraph.loaders.registry import Registry
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


#: Below this many bytes of input a folder is extracted in this process: starting a worker
#: (importing dutygraph, receiving the registry) costs about a second, what 300 KB of plain
#: text takes to extract.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
#: Documents extracted ahead of the one being stored, per worker: enough to keep every worker
#: busy, few enough that a slow store does not pile finished documents up in memory.
_AHEAD_PER_WORKER = 4


def extract_paths(
    paths: Iterable[Path],
    extractor: Extractor | None = None,
    *,
    max_bytes: int = 50 * 1024 * 1024,
    max_tasks: int | None = None,
    workers: int = 1,
    parallel_min_bytes: int = PARALLEL_MIN_BYTES,
) -> Iterator[Document | Failure]:
    """Extract every supported file under ``paths``, in order; a bad file yields a Failure
    naming the file and the reason, and the others are still processed.

    With ``workers`` > 1 and at least ``parallel_min_bytes`` of files, the files are extracted
    by that many worker processes at once (each with a copy of ``extractor``'s registry and
    conventions), and still yielded in order, so whatever stores them writes one document
    at a time in the same order as a single process would.  Workers are started fresh
    (``spawn``): the caller may hold database connections and threads, which a forked child
    would inherit mid-use.  If a worker dies (a converter crashing, the OOM killer), the files
    not yet extracted are extracted here, one after another.

    With ``max_tasks``, a document of more tasks is a Failure too (``too_large``): one valid
    100,000-row workbook made the store unmanageable, its write over the database's memory cap."""
    extractor = extractor or Extractor()
    files = list(iter_document_paths(paths))
    if workers > 1 and len(files) > 1 and _total_bytes(files) >= parallel_min_bytes:
        yield from _extract_in_parallel(files, extractor, max_bytes, max_tasks, min(workers, len(files)))
    else:
        for path in files:
            yield _extract_one(extractor, path, max_bytes, max_tasks)


def _extract_one(extractor: Extractor, path: Path, max_bytes: int, max_tasks: int | None) -> Document | Failure:
    try:
        if max_tasks is not None and path.suffix.lower() in WORKBOOK_SUFFIXES:
            why = check_workbook_rows(path, max_tasks, max_bytes)
            if why is not None:
                return Failure(path, why, too_large=True)
        doc = extractor.extract_file(path, max_bytes=max_bytes)
        if max_tasks is not None and len(doc.tasks) > max_tasks:
            why = f"{len(doc.tasks):,} tasks, over the limit of {max_tasks:,} (DUTYGRAPH_MAX_TASKS_PER_DOCUMENT)"
            return Failure(path, why, too_large=True)
        return doc
    except ReadError as exc:
        return Failure(path, exc.reason)
    except (OSError, ValueError) as exc:
        return Failure(path, f"{type(exc).__name__}: {exc}")


def _total_bytes(files: list[Path]) -> int:
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # a missing file is reported by its extraction
            total += path.stat().st_size
    return total


_worker_extractor: Extractor | None = None


def _start_worker(registry: Registry, conventions: Conventions) -> None:
    global _worker_extractor
    _worker_extractor = Extractor(registry, conventions)


def _extract_in_worker(path: Path, max_bytes: int, max_tasks: int | None) -> Document | Failure:
    assert _worker_extractor is not None, "the worker was started without its extractor"
    return _extract_one(_worker_extractor, path, max_bytes, max_tasks)


def _extract_in_parallel(
    files: list[Path], extractor: Extractor, max_bytes: int, max_tasks: int | None, workers: int
) -> Iterator[Document | Failure]:
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(extractor.registry, extractor.conv),
    )
    pending: deque[tuple[Path, Future[Document | Failure]]] = deque()
    upcoming = iter(files)
    try:
        for path in itertools.islice(upcoming, workers * _AHEAD_PER_WORKER):
            pending.append((path, pool.submit(_extract_in_worker, path, max_bytes, max_tasks)))
        while pending:
            path, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                # A worker died: this file and the rest are extracted here, in order.
                yield _extract_one(extractor, path, max_bytes, max_tasks)
                for path, _ in pending:
                    yield _extract_one(extractor, path, max_bytes, max_tasks)
                pending.clear()
                for path in upcoming:
                    yield _extract_one(extractor, path, max_bytes, max_tasks)
                return
            for path in itertools.islice(upcoming, 1):
                pending.append((path, pool.submit(_extract_in_worker, path, max_bytes, max_tasks)))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
