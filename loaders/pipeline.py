"""From a file to a :class:`~dutygraph.model.Document`: the loader pipeline.

Each stage is a small module with a typed result that the next stage takes:

========== ====================== ===========================================================
stage      module                 result
========== ====================== ===========================================================
read       :mod:`.read`           `RawDocument`: text, recognised 分工表 `Table` s, hints
repair     :mod:`.repair`         `MappedText` (clean text mapped to the original) + notes
structure  :mod:`.structure`      `Line` s: headings (一、 (一) 1. (1) ①), label lines, text
metadata   :mod:`.metadata`       `DocumentMeta`: title, 文号, issuer, dates, body start
tasks      :mod:`.structure`      `TaskPlan`: `TaskSpan` s with the markings that govern each
markings   :mod:`.clauses`        `Clause` s of `Item` s: what each marking says (read by tasks)
分工表     :mod:`.fengong`        `TablePlan`: `RowTask` s with their cells' markings
roles      :mod:`.roles`          `TaskRoles`: each unit's final `Role`, leaders, open list
deadlines  :mod:`.deadlines`      `Deadlines`: milestones and undated deadline words
resolve    :mod:`.resolve`        `Resolution`, and the `Unit` on each `Assignment`
========== ====================== ===========================================================

Conventions and names are data (``data/*.yaml``); a convention lives in the stage that reads
it, so adding one touches one module and its data.  This module only wires the stages and
turns their results into the model's `Document`, `Section`, `Task` and `Assignment` objects
(``extract.py`` keeps the old import path).

Many files at once, as `dutygraph extract`, `dutygraph load` and the services ask: `extract_paths`
walks files and folders, extracts each document (in worker processes when there are several
and enough bytes) and reports bad files without stopping; `skipped_summary` says in one line
what a folder held that is no document (`~dutygraph.loaders.read.skipped_paths` names each
file); `task_record` is the JSON Lines shape of one task; `quality_report` summarises what a
planner should check by hand.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import multiprocessing
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from dutygraph.display import plural
from dutygraph.model import (
    Assignment,
    Citation,
    Document,
    Level,
    Milestone,
    Role,
    Section,
    Span,
    Task,
    document_key,
    stable_id,
)

from .clauses import ClauseReader, Conventions, load_conventions
from .deadlines import DeadlineFinder, find_milestones, marking_deadlines, task_deadlines
from .fengong import table_rows
from .metadata import DocumentMeta, FrontMatter, document_meta, front_matter, guess_jurisdiction, infer_jurisdiction
from .read import NOT_A_DOCUMENT, SUPPORTED_SUFFIXES, RawDocument, ReadError, Table, iter_document_paths, read_document
from .read.archive import check_package
from .read.confidence import attach_ocr_confidence
from .registry import Registry
from .repair import MappedText, fold, is_traditional, repair
from .resolve import Resolver
from .roles import DocumentRoles, TaskRoles, decide_roles
from .structure import (
    Line,
    TaskPlan,
    citations,
    classify,
    first_sentence,
    select_tasks,
    split_lines,
    split_run_together,
)

METADATA_KEYS = {"title", "doc_number", "issued", "year", "issuer", "jurisdiction", "level"}


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from ``<file>.meta.yaml`` beside a document, for what its text
    does not say (a title, 文号 or date missing from a web copy)."""
    sidecar = path.with_name(path.name + ".meta.yaml")
    if not sidecar.exists():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReadError(sidecar, f"invalid metadata file: {exc}") from exc
    if not isinstance(data, dict) or not set(data) <= METADATA_KEYS:
        raise ReadError(sidecar, f"metadata keys must be among {sorted(METADATA_KEYS)}")
    return data


class Extractor:
    """Turns files into Documents.  One instance can be reused for many files."""

    def __init__(self, registry: Registry | None = None, conventions: Conventions | None = None) -> None:
        self.registry = registry or Registry.load()
        self.conv = conventions or load_conventions()
        self.reader = ClauseReader(self.conv)
        self.resolver = Resolver(self.registry)

    # ------------------------------------------------------------ entry points

    def extract_file(self, path: Path, *, max_bytes: int = 50 * 1024 * 1024) -> Document:
        raw = read_document(path, max_bytes=max_bytes)
        doc = self.extract_raw(raw, read_sidecar(path))
        if raw.metadata.get("warnings"):
            doc.warnings[:0] = raw.metadata["warnings"].split("; ")
        return doc

    def extract_raw(self, raw: RawDocument, metadata: dict[str, Any] | None = None) -> Document:
        """``metadata``: a sidecar's keys; the reader's hints come with ``raw``."""
        with _collector_paused():
            return self._extract_raw(raw, metadata)

    def _extract_raw(self, raw: RawDocument, metadata: dict[str, Any] | None) -> Document:
        if raw.tables:
            doc = self._from_tables(raw, metadata or {})
        else:
            doc = self.extract_text(
                raw.text,
                source=raw.path.name,
                fmt=raw.format,
                encoding=raw.encoding,
                metadata=metadata,
                hints=raw.metadata,
            )
        if raw.ocr is not None:  # issue 15 hook: OCR confidences onto the assignments
            attach_ocr_confidence(doc, raw.ocr)
        return doc

    def extract_text(
        self,
        original: str,
        *,
        source: str,
        fmt: str = "txt",
        encoding: str | None = None,
        metadata: dict[str, Any] | None = None,
        hints: dict[str, str] | None = None,
    ) -> Document:
        doc, plan, clean = self._text_document(original, source, fmt, encoding, metadata, hints)
        doc.warnings.extend(_plan_warnings(doc, plan, clean))
        return doc

    def _text_document(
        self,
        original: str,
        source: str,
        fmt: str,
        encoding: str | None,
        metadata: dict[str, Any] | None,
        hints: dict[str, str] | None,
    ) -> tuple[Document, TaskPlan, MappedText]:
        """The document of a text, with the task stage's plan (for the quality warnings)."""
        clean, notes = repair(original, self.conv)
        folded = fold(clean.text)
        lines = split_run_together(split_lines(folded))
        classify(lines, self.conv)
        meta = document_meta(front_matter(lines, folded, clean.text), hints or {}, metadata or {}, fmt=fmt)
        doc = self._document(original, source, fmt, encoding, clean, folded, meta)
        doc.warnings.extend(notes)
        plan = self._structure(doc, clean, folded, lines)
        return doc, plan, clean

    # ------------------------------------------------------------ document

    def _document(
        self,
        original: str,
        source: str,
        fmt: str,
        encoding: str | None,
        clean: MappedText,
        folded: str,
        meta: DocumentMeta,
    ) -> Document:
        jurisdiction = self._jurisdiction(meta)
        level = meta.level or self.registry.level_of(jurisdiction)
        key = document_key(meta.doc_number, fold(meta.title) if meta.title else None, source)
        doc = Document(
            id=stable_id("doc-", key),
            source=source,
            format=fmt,
            text=original,
            content_hash=hashlib.sha256(original.encode("utf-8")).hexdigest(),
            title=meta.title,
            issuer=meta.issuer,
            doc_number=meta.doc_number,
            issued=meta.issued,
            year=meta.year,
            jurisdiction=jurisdiction,
            level=Level(level) if level else None,
            script="traditional" if is_traditional(clean.text) else "simplified",
            encoding=encoding,
        )
        for title_, number, relation, s, e in citations(folded, clean.text, meta.title, meta.body_start):
            os_, oe = clean.original_span(s, e)
            doc.citations.append(Citation(title_, number, relation, os_, oe))
        doc.warnings.extend(meta.notes)
        if doc.year is None:
            doc.warnings.append("no date of issue found: deadlines without a year stay undated")
        return doc

    def _jurisdiction(self, meta: DocumentMeta) -> str | None:
        """The document's jurisdiction from all its clues (`infer_jurisdiction`, loaders/metadata.py); the place
        name its issuer or title starts with only when the division tree knows it (not 全省)."""
        place = infer_jurisdiction(
            self.registry,
            title=meta.title,
            doc_number=meta.doc_number,
            issuer=meta.issuer,
            notice=meta.notice,
            sidecar=meta.jurisdiction,
        )
        if place is not None:
            return fold(place.jurisdiction.name)
        guess = meta.jurisdiction or guess_jurisdiction(meta.issuer, meta.title)
        return fold(guess) if guess and (meta.jurisdiction or self.registry.jurisdiction(guess)) else None

    # ------------------------------------------------------------ structure → tasks

    def _structure(self, doc: Document, clean: MappedText, folded: str, lines: list[Line]) -> TaskPlan:
        plan = select_tasks(lines, folded, self.reader, self.conv)
        doc.warnings.extend(plan.warnings)
        sections: dict[int, Section] = {}
        for node in plan.sections:
            ln = node.line
            title_start = ln.start + ln.body_offset
            sentence, _ = first_sentence(clean.text[title_start : node.title_end or ln.end])
            os_, oe = clean.original_span(ln.start, ln.end)
            parent_section = sections.get(id(node.parent)) if node.parent else None
            section = Section(
                id=stable_id("sec-", doc.id, node.path),
                doc_id=doc.id,
                number=clean.text[ln.start : ln.start + len(ln.label)].strip(),
                path=node.path,
                depth=node.depth,
                title=re.sub(r"\s+", "", sentence).rstrip("。:：;；"),
                parent_id=parent_section.id if parent_section else None,
                start=os_,
                end=oe,
            )
            sections[id(node)] = section
            doc.sections.append(section)
        self._tasks(doc, clean, folded, plan, sections)
        return plan

    # ------------------------------------------------------------ tasks and roles

    def _tasks(
        self, doc: Document, clean: MappedText, folded: str, plan: TaskPlan, sections: dict[int, Section]
    ) -> None:
        # The first-is-lead convention holds wherever the document states it (the notice, a
        # note line, the first marking, a footnote): its wordings are specific enough.
        first_is_lead = self.reader.states_first_is_lead(folded)
        roles = DocumentRoles(clean.text, first_is_lead=first_is_lead, notes=plan.notes)
        built: dict[int, Task] = {}  # TaskSpan → Task, for the tasks a heading governs
        for ordinal, span in enumerate(plan.tasks, start=1):
            text = _strip_text(clean.text, span.text_start, span.text_end)
            section = None
            node = span.parent
            while node is not None and section is None:
                section = sections.get(id(node))
                node = node.parent
            os_, oe = clean.original_span(span.start, span.end)
            task = Task(
                id=stable_id("task-", doc.id, span.number),
                doc_id=doc.id,
                section_id=section.id if section else None,
                number=span.number,
                ordinal=ordinal,
                title=_title(clean.text[span.text_start : span.title_end] if span.title_end else text),
                text=text,
                start=os_,
                end=oe,
            )
            governor = built.get(id(span.governor)) if span.governor is not None else None
            if governor is not None:
                # The heading's marking governs this item: its units, roles, leaders and clause.
                task.assignments = [replace(a, inherited_from=governor.number) for a in governor.assignments]
                task.leaders = list(governor.leaders)
                task.open_list = governor.open_list
                task.clause = governor.clause
            else:
                for clause in span.clauses:
                    for note in clause.notes:
                        doc.warnings.append(f"task {task.number}: {note}")
                self._assign(doc, task, roles.decide(span.start, span.clauses), clean)
                if span.clauses:
                    cs, ce = span.clauses[0].start, span.clauses[-1].end
                    cos, coe = clean.original_span(cs, ce)
                    task.clause = Span(doc.text[cos:coe], cos, coe)
            # The statement's deadlines and those of the time phrases in the markings that
            # govern it (the heading's, for an item a heading governs).
            governing = span.governor.clauses if span.governor is not None else span.clauses
            milestones, notes = task_deadlines(
                folded, span.text_start, span.text_end, [(c.start, c.end) for c in governing], doc.year
            )
            for m in milestones:
                ms, me = clean.original_span(m.start, m.end)
                task.milestones.append(Milestone(m.due, m.expression, _squash_ws(clean.text[m.start : m.end]), ms, me))
            task.deadline_notes = notes
            built[id(span)] = task
            doc.tasks.append(task)

    def _assign(self, doc: Document, task: Task, roles: TaskRoles, clean: MappedText) -> None:
        """The task's assignments and leaders from the role stage's decisions, each unit
        resolved to a body of the registry (the resolve stage)."""
        text, original = clean.text, doc.text
        task.leaders = [_squash_ws(text[i.start : i.end]) for i in roles.leaders]
        task.open_list = roles.open_list
        units = roles.units
        names = [_squash_ws(text[d.item.start : d.item.end]) for d in units]
        joined = [
            i > 0 and units[i - 1].clause is d.clause and _joins(text[units[i - 1].item.end : d.item.start])
            for i, d in enumerate(units)
        ]
        # 延庆区、平谷区政府: the bare places share the last item's suffix (the resolve stage)
        names = self.resolver.share_suffix(names, joined, doc.jurisdiction)
        # One loop builds each assignment whole (every task of every plan passes here): the
        # marking as written is cut from the original once per marking and its Span shared by
        # the marking's units (nothing changes a Span once made), and the resolve stage's
        # fields come ready from the resolver, asked once per name and jurisdiction.
        sources: dict[int, Span] = {}
        fields = self.resolver.fields
        span_of = clean.original_span
        jurisdiction = doc.jurisdiction
        assignments = task.assignments
        for d, name in zip(units, names, strict=True):
            clause = d.clause
            source = sources.get(id(clause))
            if source is None:
                cs, ce = span_of(clause.start, clause.end)
                source = sources[id(clause)] = Span(original[cs:ce], cs, ce)
            ns, ne = span_of(d.item.start, d.item.end)
            unit, group, agency, agency_id, unresolved = fields(name, jurisdiction)
            assignments.append(
                Assignment(
                    d.role,
                    name,
                    agency,
                    agency_id,
                    d.implicit,
                    group,
                    d.open_list,
                    agency is not None,
                    source,
                    Span(original[ns:ne], ns, ne),
                    unit,
                )
            )
            if unresolved is not None:
                doc.warnings.append(f"unresolved unit ({unresolved}): {name}")

    # ------------------------------------------------------------ 任务分工表

    def _from_tables(self, raw: RawDocument, meta: dict[str, Any]) -> Document:
        """A document holding 任务分工表 tables: one task per row, units from the lead /
        support / responsible columns, deadlines from the deadline column.  Text around the
        tables (a Word file's or web page's notice, paragraphs with tasks of their own) is read
        as text is, with the tables blanked out, and every task stands in document order."""
        tables = raw.tables
        outside = _blank(raw.text, [(t.start, t.end) for t in tables])
        plan: TaskPlan | None = None
        outside_clean = MappedText.identity(outside)
        if outside.strip():
            doc, plan, outside_clean = self._text_document(
                outside, raw.path.name, raw.format, raw.encoding, meta, raw.metadata
            )
            doc.text = raw.text
            doc.content_hash = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()
        else:
            title = next((t.title for t in tables if t.title), None)
            dm = document_meta(FrontMatter(title=title), raw.metadata, meta, fmt=raw.format)
            dm.title = dm.title or raw.path.stem
            clean = MappedText.identity(raw.text)
            doc = self._document(raw.text, raw.path.name, raw.format, raw.encoding, clean, fold(raw.text), dm)
        text_tasks, doc.tasks = doc.tasks, []
        folded = fold(raw.text)
        clean = MappedText.identity(raw.text)
        first_is_lead = self.reader.states_first_is_lead(folded)  # a footnote: 排第一位的为牵头单位
        for t_index, table in enumerate(tables, start=1):
            self._table_tasks(doc, table, t_index, folded, clean, doc.year, first_is_lead)
        doc.tasks = sorted(text_tasks + doc.tasks, key=lambda t: t.start)
        for ordinal, task in enumerate(doc.tasks, start=1):
            task.ordinal = ordinal
        doc.warnings.extend(_plan_warnings(doc, plan, outside_clean))
        return doc

    def _table_tasks(
        self,
        doc: Document,
        table: Table,
        t_index: int,
        folded: str,
        clean: MappedText,
        year: int | None,
        first_is_lead: bool,
    ) -> None:
        """The tasks of one 分工表 (the 分工表 stage, :mod:`.fengong`), with their units' roles,
        their deadlines and, for rows of 具体措施 under a 重点任务, that 重点任务 as a section."""
        plan = table_rows(table, t_index, folded, self.reader)
        doc.warnings.extend(plan.warnings)
        sections: dict[str, Section] = {}
        for row in plan.rows:
            section = None
            if row.heading is not None:
                sec_title = re.sub(r"\s+", "", row.heading.text)
                section = sections.get(sec_title)
                if section is None:
                    section = Section(
                        id=stable_id("sec-", doc.id, f"{t_index}.{sec_title}"),
                        doc_id=doc.id,
                        number=str(len(sections) + 1),
                        path=f"{t_index}.{len(sections) + 1}",
                        depth=1,
                        title=sec_title,
                        parent_id=None,
                        start=row.heading.start,
                        end=row.heading.end,
                    )
                    sections[sec_title] = section
                    doc.sections.append(section)
            task = Task(
                id=stable_id("task-", doc.id, row.number),
                doc_id=doc.id,
                section_id=section.id if section else None,
                number=row.number,
                ordinal=len(doc.tasks) + 1,
                title=_title(row.title_source),
                text=row.text,
                start=row.start,
                end=row.end,
            )
            self._assign(doc, task, decide_roles(row.clauses, clean.text, first_is_lead=first_is_lead), clean)
            if row.clauses:
                cs, ce = row.clauses[0].start, row.clauses[-1].end
                task.clause = Span(doc.text[cs:ce], cs, ce)
            # A 完成时限 cell is a time phrase by its place (2023年12月, 2023.9, 6月底 stand alone
            # there), the task text is running text.
            statement = row.statement
            sources: list[tuple[int, int, DeadlineFinder]] = (
                [(row.deadline.start, row.deadline.end, marking_deadlines)] if row.deadline else []
            )
            sources.append((statement.start, statement.end, find_milestones))
            for s, e, finder in sources:
                milestones, notes = finder(folded[s:e], year, offset=s)
                task.milestones.extend(
                    Milestone(m.due, m.expression, raw_text, m.start, m.end)
                    for m in milestones
                    if (raw_text := _squash_ws(doc.text[m.start : m.end]) or m.expression)
                )
                task.deadline_notes.extend(n for n in notes if n not in task.deadline_notes)
                if task.milestones:
                    break
            doc.tasks.append(task)


def _plan_warnings(doc: Document, plan: TaskPlan | None, clean: MappedText) -> list[str]:
    """What the quality report must say plainly about the tasks found (all of them: a 分工表's
    rows too): no tasks where there are numbered items, markings found but no unit read from
    them, brackets that look like markings but could not be read — and "no responsibility
    clauses" only when there are truly none.  ``plan``: the task stage's view of the text, None
    for a document that is only 分工表 tables."""
    plan = plan or TaskPlan([], [], [], [], 0, 0, 0)
    warnings: list[str] = []
    unread = [_squash_ws(clean.text[s:e]) for s, e in plan.unread]
    if unread:
        shown = "; ".join(unread[:3]) + (f" … ({len(unread)} in all)" if len(unread) > 3 else "")
        warnings.append(f"{len(unread)} brackets with responsibility words could not be read as markings: {shown}")
    if not doc.tasks:
        if plan.numbered_items:
            warnings.append(f"no tasks found: {plan.numbered_items} numbered items, none read as a task")
        else:
            warnings.append("no tasks found: no numbered items and no paragraph with a marking")
    elif not any(t.assignments for t in doc.tasks):
        if plan.markings:
            warnings.append(
                f"{plan.markings} responsibility markings found, but no unit read from them: every task is unassigned"
            )
        elif unread:
            warnings.append("responsibility markings not understood: every task is unassigned")
        else:
            warnings.append("no responsibility clauses: every task is unassigned")
    return warnings


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one document is extracted.

    Extraction makes a few hundred thousand small objects per megabyte (lines, items, markings,
    assignments, spans) and keeps most of them until the document is done, so the collector's
    young-generation passes, triggered every 700 allocations, walk them again and again and
    find nearly nothing to free: about a tenth of the extraction's CPU time.  What a document
    leaves behind without a reference cycle is freed by reference counting as before; the few
    cycles wait for the collector's next pass, after the document (memory is bounded by one
    document's garbage).  A caller that paused the collector itself keeps it paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _strip_text(text: str, start: int, end: int) -> str:
    return text[start:end].strip(" \t\n\u3000\xa0")


_LINE_BREAK = re.compile(r"\s*\n\s*")


def _squash_ws(text: str) -> str:
    # str.split splits on what \s matches; it is called for every unit name and milestone
    return "".join(text.split())


_JOINERS = frozenset(("、", ",", "和", "及", "与", "以及"))


def _joins(between: str) -> bool:
    """Whether the text between two units joins them in one list (、 / 和 / 及 / 与)."""
    # most lists are written without blanks: the words as they stand are asked first
    return between in _JOINERS or _squash_ws(between) in _JOINERS


def _title(text: str) -> str:
    """The heading-like first sentence, or the opening words of the statement."""
    sentence, _ = first_sentence(_LINE_BREAK.sub("", text) if "\n" in text else text)
    sentence = sentence.strip().rstrip("。.;；")
    if len(sentence) <= 40:
        return sentence
    return sentence[:30] + "…"


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces, line breaks kept: same length, same offsets."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# ------------------------------------------------------------ many files, in parallel processes


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


# ------------------------------------------------------------ what was extracted: records and reports


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
