"""A Document as the parameter maps the write statements UNWIND.

Values are kept to what every backend stores natively: strings, numbers,
booleans and lists of them.  Dates are ISO strings (``"2019-06-30"``), which
sort and compare correctly as text in FalkorDB and Neo4j alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from dutygraph.display import one_line
from dutygraph.loaders.agencies import Agency, Registry
from dutygraph.loaders.repair import fold
from dutygraph.model import Assignment, Document, Role, document_key, stable_id

#: Bump when the extractor's output for the same file changes, so that stored
#: documents are rewritten on the next load.
EXTRACTOR_VERSION = "4"  # 4: assignments' clause order (position) and clauses as one line (clause_display)

RELATIONSHIP = {Role.LEAD: "leads", Role.SUPPORT: "supports", Role.JOINT: "shares"}


def unresolved_unit_id(name: str, jurisdiction: str | None) -> str:
    """An unknown name is a unit of its own, scoped to the document's jurisdiction."""
    return stable_id("unit-", "unresolved", jurisdiction or "", name)


@dataclass(slots=True)
class DocumentPayload:
    doc_id: str
    fingerprint: str  # content + extractor + registry: equal fingerprints mean "nothing to do"
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """What the document holds.  ``units`` are the units assigned at least one of its tasks,
        as `dutygraph docs` and ``/api/documents`` count them (the bodies written beside them for
        context, the groups they belong to or the bodies they are part of, are not counted)."""
        p = self.params
        links = p["leads"] + p["supports"] + p["shares"]
        return {
            "sections": len(p["sections"]),
            "tasks": len(p["tasks"]),
            "milestones": len(p["milestones"]),
            "units": len({x["unit_id"] for x in links}),
            "assignments": len(links),
        }


def _unit_props(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": agency.name,
        "kind": agency.kind,
        "short_names": list(agency.short_names),
        "aliases": list(agency.aliases),
        "jurisdiction": agency.jurisdiction,
        "level": agency.level,
        "resolved": True,
    }


def clause_order(assignments: list[Assignment]) -> list[int]:
    """Each assignment's position among its task's units in the order the clause names them
    (the lead first where the clause puts it first); units implied by a note come last.

    >>> from dutygraph.model import Span
    >>> a = Assignment(Role.SUPPORT, "省经信厅", None, None, name_span=Span("省经信厅", 30, 34))
    >>> b = Assignment(Role.LEAD, "省大数据局", None, None, name_span=Span("省大数据局", 24, 29))
    >>> c = Assignment(Role.SUPPORT, "各设区市政府", None, None, implicit=True)
    >>> clause_order([a, b, c])
    [1, 0, 2]
    """

    def key(k: int) -> tuple[bool, int, int]:
        span = assignments[k].name_span
        return (assignments[k].implicit or span is None, span.start if span else 0, k)

    ranked = sorted(range(len(assignments)), key=key)
    return [ranked.index(k) for k in range(len(assignments))]


def build_payload(doc: Document, registry: Registry) -> DocumentPayload:
    """Everything the store needs to write ``doc`` in one atomic operation."""
    fingerprint = hashlib.sha256(
        "\x1f".join([doc.content_hash, EXTRACTOR_VERSION, registry.fingerprint]).encode()
    ).hexdigest()
    tasks, milestones = [], []
    agencies: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, Any]] = {}
    links: dict[str, list[dict[str, Any]]] = {"leads": [], "supports": [], "shares": []}

    def add_unit(agency: Agency) -> None:
        (groups if agency.is_group else agencies)[agency.id] = _unit_props(agency)

    def unit_for(a: Assignment) -> str:
        if a.agency_id:
            agency = registry.get(a.agency_id)
            if agency is not None:
                add_unit(agency)
                return agency.id
            # A group the registry made on the fly from a pattern (…成员单位).
            (groups if a.group else agencies)[a.agency_id] = {
                "id": a.agency_id,
                "name": a.agency,
                "kind": "group" if a.group else "agency",
                "short_names": [],
                "aliases": [],
                "jurisdiction": doc.jurisdiction,
                "level": None,
                "resolved": True,
            }
            return a.agency_id
        unit_id = unresolved_unit_id(a.name, doc.jurisdiction)
        target = groups if a.group else agencies
        target[unit_id] = {
            "id": unit_id,
            "name": a.name,
            "kind": "group" if a.group else "agency",
            "short_names": [],
            "aliases": [],
            "jurisdiction": doc.jurisdiction,
            "level": None,
            "resolved": False,
        }
        return unit_id

    for task in doc.tasks:
        dues = sorted(m.due.isoformat() for m in task.milestones if m.due)
        tasks.append(
            {
                "id": task.id,
                "doc_id": doc.id,
                "section_id": task.section_id,
                "number": task.number,
                "ordinal": task.ordinal,
                "title": task.title,
                "text": task.text,
                "start": task.start,
                "end": task.end,
                "open_list": task.open_list,
                "assigned": task.assigned,
                "leaders": task.leaders,
                "deadline_notes": task.deadline_notes,
                "due_first": dues[0] if dues else None,
                "due_last": dues[-1] if dues else None,
                "clause": task.clause.text if task.clause else None,
                "clause_display": one_line(task.clause.text) if task.clause else None,
                # Simplified, half-width form for text search in either script.
                "match_text": fold(task.title + "\n" + task.text),
            }
        )
        for k, m in enumerate(task.milestones, start=1):
            milestones.append(
                {
                    "id": f"{task.id}-m{k}",
                    "doc_id": doc.id,
                    "task_id": task.id,
                    "due": m.due.isoformat() if m.due else None,
                    "expression": m.expression,
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                }
            )
        for a, position in zip(task.assignments, clause_order(task.assignments), strict=True):
            links[RELATIONSHIP[a.role]].append(
                {
                    "unit_id": unit_for(a),
                    "task_id": task.id,
                    "doc_id": doc.id,
                    "role": a.role.value,
                    "name": a.name,
                    "implicit": a.implicit,
                    "group": a.group,
                    "open_list": a.open_list,
                    "resolved": a.resolved,
                    "position": position,
                    "clause": a.source.text if a.source else None,
                    "clause_display": one_line(a.source.text) if a.source else None,
                    "start": a.source.start if a.source else None,
                    "end": a.source.end if a.source else None,
                    "name_start": a.name_span.start if a.name_span else None,
                    "name_end": a.name_span.end if a.name_span else None,
                }
            )

    # Registry context of the units this document names: the groups they form,
    # the bodies they are part of, their provincial counterparts.
    members, parents, counterparts = [], [], []
    for unit in list(agencies.values()) + list(groups.values()):
        agency = registry.get(unit["id"]) if unit["resolved"] else None
        if agency is None:
            continue
        for member_name in agency.members:
            member = registry.get(member_name)
            if member is not None:
                add_unit(member)
                members.append({"member": member.id, "group": agency.id})
        for other_name, target, key in (
            (agency.parent, parents, "parent"),
            (agency.counterpart, counterparts, "upper"),
        ):
            other = registry.get(other_name) if other_name else None
            if other is not None:
                add_unit(other)
                target.append({("child" if key == "parent" else "local"): agency.id, key: other.id})

    sections = [
        {
            "id": s.id,
            "doc_id": doc.id,
            "number": s.number,
            "path": s.path,
            "depth": s.depth,
            "title": s.title,
            "start": s.start,
            "end": s.end,
        }
        for s in doc.sections
    ]
    subsections = [{"parent": s.parent_id, "child": s.id} for s in doc.sections if s.parent_id]
    citations = [
        {
            "id": stable_id("doc-", c.key),
            "title": c.title,
            "doc_number": c.doc_number,
            "relation": c.relation,
        }
        for c in doc.citations
        if stable_id("doc-", c.key) != doc.id
    ]
    props = {
        "title": doc.title,
        "source": doc.source,
        "format": doc.format,
        "doc_number": doc.doc_number,
        "issued": doc.issued.isoformat() if doc.issued else None,
        "year": doc.year,
        "issuer": doc.issuer,
        "jurisdiction": doc.jurisdiction,
        "level": doc.level.value if doc.level else None,
        "script": doc.script,
        "encoding": doc.encoding,
        "content_hash": doc.content_hash,
        "fingerprint": fingerprint,
        "key": document_key(doc.doc_number, doc.title, doc.source),
        "task_count": len(doc.tasks),
        "section_count": len(doc.sections),
        "assignment_count": sum(len(t.assignments) for t in doc.tasks),
        "warnings": doc.warnings,
    }
    params = {
        "doc": {"id": doc.id, "props": props},
        "sections": sections,
        "subsections": subsections,
        "tasks": tasks,
        "milestones": milestones,
        "agencies": list(agencies.values()),
        "groups": list(groups.values()),
        "members": members,
        "parents": parents,
        "counterparts": counterparts,
        "citations": citations,
        **links,
    }
    return DocumentPayload(doc.id, fingerprint, params)
