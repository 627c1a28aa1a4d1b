"""From a file to a :class:`~dutygraph.model.Document`: the loader pipeline.

Each stage is a small module with a typed result that the next stage takes:

========== ====================== ===========================================================
stage      module                 result
========== ====================== ===========================================================
read       :mod:`.read`           `RawDocument`: text, recognised 分工表 `Table` s, hints
repair     :mod:`.repair`         `MappedText` (clean text mapped to the original) + notes
structure  :mod:`.structure`      `Line` s: headings (一、 (一) 1. (1) ①), label lines, text
metadata   :mod:`.metadata`       `DocumentMeta`: title, 文号, issuer, dates, body start
tasks      :mod:`.tasks`          `TaskPlan`: `TaskSpan` s with the markings that govern each
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
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

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

from .clauses import Clause, ClauseReader, Conventions, Item, load_conventions
from .deadlines import DeadlineFinder, find_milestones, marking_deadlines, task_deadlines
from .fengong import table_rows
from .metadata import DocumentMeta, FrontMatter, document_meta, front_matter, guess_jurisdiction
from .read import RawDocument, ReadError, Table, read_document
from .read.confidence import attach_ocr_confidence
from .registry import Registry
from .registry.place import infer_jurisdiction
from .repair import MappedText, fold, is_traditional, repair
from .resolve import Resolver
from .roles import DocumentRoles, TaskRoles, decide_roles
from .structure import Line, citations, classify, first_sentence, split_lines, split_run_together
from .tasks import TaskPlan, select_tasks

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
        """The document's jurisdiction from all its clues (loaders/registry/place.py); the place
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
        task.leaders = [_squash_ws(clean.text[i.start : i.end]) for i in roles.leaders]
        task.open_list = roles.open_list
        units = roles.units
        names = [_squash_ws(clean.text[d.item.start : d.item.end]) for d in units]
        joined = [
            i > 0 and units[i - 1].clause is d.clause and _joins(clean.text[units[i - 1].item.end : d.item.start])
            for i, d in enumerate(units)
        ]
        # 延庆区、平谷区政府: the bare places share the last item's suffix (the resolve stage)
        names = self.resolver.share_suffix(names, joined, doc.jurisdiction)
        for d, name in zip(units, names, strict=True):
            a = self._assignment(doc, clean, d.item, d.clause, d.role, name)
            a.open_list, a.implicit = d.open_list, d.implicit
            task.assignments.append(a)

    def _assignment(
        self, doc: Document, clean: MappedText, item: Item, clause: Clause, role: Role, name: str
    ) -> Assignment:
        cs, ce = clean.original_span(clause.start, clause.end)
        ns, ne = clean.original_span(item.start, item.end)
        assignment = Assignment(
            role=role,
            name=name,
            agency=None,
            agency_id=None,
            source=Span(doc.text[cs:ce], cs, ce),
            name_span=Span(doc.text[ns:ne], ns, ne),
        )
        res = self.resolver.fill(assignment, doc.jurisdiction)  # the resolve stage
        if res.agency is None:
            why = "ambiguous" if res.candidates else "unknown"
            doc.warnings.append(f"unresolved unit ({why}): {name}")
        return assignment

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


def _strip_text(text: str, start: int, end: int) -> str:
    return text[start:end].strip(" \t\n\u3000\xa0")


_LINE_BREAK = re.compile(r"\s*\n\s*")


def _squash_ws(text: str) -> str:
    # str.split splits on what \s matches; it is called for every unit name and milestone
    return "".join(text.split())


def _joins(between: str) -> bool:
    """Whether the text between two units joins them in one list (、 / 和 / 及 / 与)."""
    return _squash_ws(between) in ("、", ",", "和", "及", "与", "以及")


def _title(text: str) -> str:
    """The heading-like first sentence, or the opening words of the statement."""
    sentence, _ = first_sentence(_LINE_BREAK.sub("", text))
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
