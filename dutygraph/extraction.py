"""Extraction as a service: what `dutygraph extract` and the loaders share.

`extract_paths` walks files and folders, extracts each document and reports
bad files without stopping; `skipped_files` names what a folder held that is no
document; `task_record` is the JSON Lines shape of one task;
`quality_report` summarises what a planner should check by hand.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.readers import SUPPORTED_SUFFIXES, ReadError, iter_document_paths
from dutygraph.model import Document, Role, Task


@dataclass(slots=True)
class Failure:
    path: Path
    reason: str


def extract_paths(
    paths: Iterable[Path], extractor: Extractor | None = None, *, max_bytes: int = 50 * 1024 * 1024
) -> Iterator[Document | Failure]:
    """Extract every supported file under ``paths``; a bad file yields a Failure
    naming the file and the reason, and the others are still processed."""
    extractor = extractor or Extractor()
    for path in iter_document_paths(paths):
        try:
            yield extractor.extract_file(path, max_bytes=max_bytes)
        except ReadError as exc:
            yield Failure(path, exc.reason)
        except (OSError, ValueError) as exc:
            yield Failure(path, f"{type(exc).__name__}: {exc}")


def skipped_files(paths: Iterable[Path]) -> list[Path]:
    """The files inside the given folders that are not walked as documents (pictures, notes,
    archives …), so that they can be named instead of passed over in silence.

    Left out, as the walk leaves them out on purpose: hidden files and folders, ``*.meta.yaml``
    sidecars (read with their document) and Office lock files (``~$名称.docx``)."""
    skipped: list[Path] = []
    for given in paths:
        folder = Path(given)
        if not folder.is_dir():
            continue
        walked = set(iter_document_paths([folder]))
        for root, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = Path(root) / name
                on_purpose = name.startswith((".", "~$")) or name.lower().endswith(".meta.yaml")
                if path not in walked and not on_purpose:
                    skipped.append(path)
    return sorted(skipped)


def skipped_summary(skipped: list[Path]) -> str:
    """One line saying what was skipped and why.

    >>> skipped_summary([Path("a/map.png"), Path("b/readme.md"), Path("c/photo.png")]).split(" (")[0]
    'skipped 3 files that are not documents dutygraph reads: 2 .png, 1 .md'
    """
    kinds = Counter(p.suffix.lower() or "without a suffix" for p in skipped)
    listed = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    noun = "file" if len(skipped) == 1 else "files"
    readable = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return f"skipped {len(skipped)} {noun} that are not documents dutygraph reads: {listed} (it reads {readable})"


def task_record(doc: Document, task: Task) -> dict[str, Any]:
    """One task as `dutygraph extract --json` prints it."""
    section = next((s for s in doc.sections if s.id == task.section_id), None)
    return {
        "doc": doc.source,
        "doc_id": doc.id,
        "task_id": task.id,
        "number": task.number,
        "title": task.title,
        "text": task.text,
        "section": section.title if section else None,
        "assignments": [
            {
                "role": a.role.value,
                "name": a.name,
                "agency": a.agency,
                "implicit": a.implicit,
                "group": a.group,
            }
            for a in task.assignments
        ],
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


def quality_report(doc: Document) -> dict[str, Any]:
    """Unresolved names, unassigned tasks, tasks with several leads."""
    unresolved = Counter(a.name for t in doc.tasks for a in t.assignments if not a.resolved)
    return {
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
        "unresolved": dict(unresolved.most_common()),
        "citations": [{"title": c.title, "doc_number": c.doc_number, "relation": c.relation} for c in doc.citations],
        "warnings": doc.warnings,
    }
