"""What a store write sends: the Cypher that stores and removes one document (portable
statements, run by each backend atomically in its own way) and the parameter maps they UNWIND.

Every statement works on one document, bound as ``d`` (matched by
``$doc.id``), with batched ``UNWIND`` over lists of maps built here too
(:func:`build_payload`).  The Neo4j backend runs them in order inside one transaction;
the FalkorDB backend, which has no multi-statement transactions, folds them
into one query of ``CALL { WITH d … }`` subqueries, which FalkorDB executes
atomically.  Either way a document is stored whole or not at all.

FalkorDB 4.16 runs a ``MERGE`` inside ``CALL { WITH x … }`` for the first outer
row only (FalkorDB issues #1846, #2164): every subquery here has exactly one
outer row, the document, and UNWINDs its lists inside — keep it that way.
Ends of a relationship are matched in separate ``MATCH`` clauses, which Neo4j
plans without a cartesian-product warning.

Each assignment is also stored the other way round, ``(:Task)-[:INVOLVES]->(:Unit)``,
so that a collaboration path (unit → task → unit → …) is a *directed* path:
FalkorDB's ``shortestPath`` does not traverse undirected patterns.

An agency's tasks page by document (``Services.page`` of ``agency_tasks``, queries/agency_tasks_page):
every ``INVOLVES`` carries ``page_bucket``, ``"<unit id>|<doc id>"`` (indexed: one lookup finds one
unit's assignments in one document), and every ``Unit`` keeps ``page_docs``, one entry
``"<issued or ~>|<assignments>|<doc id>"`` (:func:`page_doc_entry`) for each document in its ``doc_ids``
(0 assignments for a unit written for context only). Both are written and released with the document,
so they are exact whenever the document is; a unit with fewer entries than ``doc_ids`` was written
before this (EXTRACTOR_VERSION 7) and is paged the older way.

Node ownership: ``Task``, ``Section`` and ``Milestone`` nodes carry the
``doc_id`` of the one document that created them.  ``Unit`` nodes (agencies and
groups) are shared: each keeps ``doc_ids``, the documents that need it, and is
deleted when that list becomes empty — so removing a document removes what
only it created, and an agency shared with another document survives.

The parameter maps (:class:`DocumentPayload`, built by :func:`build_payload`) keep values to
what every backend stores natively: strings, numbers, booleans and lists of them.  Dates are
ISO strings (``"2019-06-30"``), which sort and compare correctly as text in FalkorDB and Neo4j
alike.  The store decides the shape; how names are keyed and text is folded for search is the
loaders' rule, handed in as :class:`TextRules` (``dutygraph.services.build_payload`` passes the
loaders' functions), so that the store depends on the domain model alone.  The statements and
the maps are one topic: a key a statement reads (``x.unit_id``, ``$milestones``) is a key
:func:`build_payload` writes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dutygraph.model import Assignment, Document, Role, Unit, document_key, stable_id

# ---------------------------------------------------------------- the statements


@dataclass(frozen=True, slots=True)
class Statement:
    name: str
    body: str  # Cypher that expects the document node bound as `d`

    def standalone(self) -> str:
        """The statement on its own (Neo4j transaction step, linting)."""
        return MATCH_DOCUMENT + "\n" + self.body

    def subquery(self) -> str:
        """The statement as a FalkorDB subquery of the one document query."""
        return "CALL {\n  WITH d\n  " + self.body.replace("\n", "\n  ") + f"\n  RETURN count(*) AS {self.name}\n}}"


#: The opening of storing a document: its node, made or updated, bound as ``d``.
UPSERT_DOCUMENT = "MERGE (d:Document {id: $doc.id})\nSET d += $doc.props, d.stub = false"
#: The opening of removing one: the stored node, bound as ``d``.
MATCH_DOCUMENT = "MATCH (d:Document {id: $doc.id})"

_OWNED = [
    Statement("old_milestones", "MATCH (x:Milestone {doc_id: $doc.id})\nDETACH DELETE x"),
    Statement("old_tasks", "MATCH (x:Task {doc_id: $doc.id})\nDETACH DELETE x"),
    Statement("old_sections", "MATCH (x:Section {doc_id: $doc.id})\nDETACH DELETE x"),
    Statement("old_citations", "MATCH (d)-[r:CITES]->(:Document)\nDELETE r"),
    Statement(
        "release_units",
        "MATCH (u:Unit)\nWHERE $doc.id IN u.doc_ids\nSET u.doc_ids = [x IN u.doc_ids WHERE x <> $doc.id],\n"
        "    u.page_docs = [x IN coalesce(u.page_docs, []) WHERE NOT x ENDS WITH ('|' + $doc.id)]",
    ),
]

# A unit other stored documents still name keeps the name forms they wrote: its aliases
# and name keys are the union of theirs and this document's (lookups find every form).
# A unit no other document names (doc_ids emptied by release_units) starts afresh.
_KEEP_NAMES = (
    "WITH u, a, CASE WHEN size(coalesce(u.doc_ids, [])) = 0 THEN [] ELSE coalesce(u.aliases, []) END AS old_aliases,\n"
    "     CASE WHEN size(coalesce(u.doc_ids, [])) = 0 THEN [] ELSE coalesce(u.name_keys, []) END AS old_keys\n"
)
_UNION_NAMES = (
    "    u.aliases = old_aliases + [x IN a.aliases WHERE NOT x IN old_aliases],\n"
    "    u.name_keys = old_keys + [x IN a.name_keys WHERE NOT x IN old_keys],\n"
)


def _unit_upsert(param: str, label: str) -> Statement:
    """Merge the units of one kind (``$agencies`` as ``:Agency``, ``$groups`` as ``:Group``),
    keeping other documents' name forms and adding this document to ``doc_ids``."""
    return Statement(
        param,
        f"UNWIND ${param} AS a\nMERGE (u:Unit:{label} {{id: a.id}})\n"
        + _KEEP_NAMES
        + "SET u += a,\n"
        + _UNION_NAMES
        + "    u.doc_ids = CASE WHEN u.doc_ids IS NULL THEN [$doc.id]\n"
        "                     WHEN $doc.id IN u.doc_ids THEN u.doc_ids\n"
        "                     ELSE u.doc_ids + [$doc.id] END",
    )


def _assignments(param: str, kind: str) -> Statement:
    """Create the assignments of one role (``$leads`` as ``LEADS``, …) and their ``INVOLVES`` mirror,
    which carries the page bucket (module docstring)."""
    return Statement(
        param,
        f"UNWIND ${param} AS x\nMATCH (u:Unit {{id: x.unit_id}})\nMATCH (t:Task {{id: x.task_id}})\n"
        f"CREATE (u)-[r:{kind}]->(t)\nSET r = x\n"
        "CREATE (t)-[:INVOLVES {role: x.role, position: x.position, page_bucket: x.unit_id + '|' + x.doc_id}]->(u)",
    )


_CREATE = [
    Statement(
        "sections",
        "UNWIND $sections AS s\nCREATE (n:Section)\nSET n = s\nCREATE (d)-[:HAS_SECTION]->(n)",
    ),
    Statement(
        "subsections",
        "UNWIND $subsections AS l\nMATCH (p:Section {id: l.parent})\nMATCH (c:Section {id: l.child})\n"
        "CREATE (p)-[:HAS_SUBSECTION]->(c)",
    ),
    Statement(
        "tasks",
        "UNWIND $tasks AS t\nCREATE (n:Task)\nSET n = t\nCREATE (d)-[:HAS_TASK]->(n)",
    ),
    Statement(
        "section_tasks",
        "UNWIND $tasks AS t\nWITH t WHERE t.section_id IS NOT NULL\n"
        "MATCH (s:Section {id: t.section_id})\nMATCH (n:Task {id: t.id})\nCREATE (s)-[:HAS_TASK]->(n)",
    ),
    Statement(
        "milestones",
        "UNWIND $milestones AS m\nMATCH (t:Task {id: m.task_id})\nCREATE (n:Milestone)\nSET n = m\n"
        "CREATE (t)-[:HAS_MILESTONE]->(n)",
    ),
    _unit_upsert("agencies", "Agency"),
    _unit_upsert("groups", "Group"),
    # After the units: each one this document names (assigned or written for context) notes how many
    # assignments the document gives it, for the agency's pages (see PAGE_DOCS below).
    Statement(
        "page_docs",
        "UNWIND $page_docs AS x\nMATCH (u:Unit {id: x.unit_id})\n"
        "SET u.page_docs = coalesce(u.page_docs, []) + [x.entry]",
    ),
    _assignments("leads", "LEADS"),
    _assignments("supports", "SUPPORTS"),
    _assignments("shares", "SHARES"),
    Statement(
        "members",
        "UNWIND $members AS x\nMATCH (a:Unit {id: x.member})\nMATCH (g:Unit {id: x.group})\n"
        "MERGE (a)-[:MEMBER_OF]->(g)",
    ),
    Statement(
        "parents",
        "UNWIND $parents AS x\nMATCH (a:Unit {id: x.child})\nMATCH (p:Unit {id: x.parent})\nMERGE (a)-[:PART_OF]->(p)",
    ),
    Statement(
        "counterparts",
        "UNWIND $counterparts AS x\nMATCH (a:Unit {id: x.local})\nMATCH (p:Unit {id: x.upper})\n"
        "MERGE (a)-[:COUNTERPART_OF]->(p)",
    ),
    Statement(
        "citations",
        "UNWIND $citations AS c\nMERGE (x:Document {id: c.id})\n"
        "ON CREATE SET x.stub = true, x.title = c.title, x.doc_number = c.doc_number\n"
        "MERGE (d)-[r:CITES]->(x)\nSET r.relation = c.relation",
    ),
]

_CLEANUP = [
    Statement("orphan_units", "MATCH (u:Unit)\nWHERE size(u.doc_ids) = 0\nDETACH DELETE u"),
    Statement(
        "orphan_stubs",
        "MATCH (x:Document {stub: true})\nWHERE NOT (x)<-[:CITES]-(:Document)\nDETACH DELETE x",
    ),
]

#: Storing a document: replace what it owns, create the new version, tidy up.
STORE: list[Statement] = _OWNED + _CREATE + _CLEANUP

#: Removing a document.  It stays as a stub while another document cites it.
REMOVE: list[Statement] = [
    *_OWNED,
    Statement(
        "stub_document",
        "SET d = {id: d.id, stub: true, title: d.title, doc_number: d.doc_number}",
    ),
    *_CLEANUP,
]


# ---------------------------------------------------------------- the parameter maps they UNWIND

#: Bump when the extractor's output for the same file changes, so that stored
#: documents are rewritten on the next load.
EXTRACTOR_VERSION = "7"  # 4: units travel on the assignments, with name keys; 5: assignments' clause
# order (position) and clauses as one line (clause_display); 6: an assignment governed by a
# heading's marking names that heading task (inherited_from, governed_by); 7: page buckets and the
# units' page_docs (an agency's pages by document)

RELATIONSHIP = {Role.LEAD: "leads", Role.SUPPORT: "supports", Role.JOINT: "shares"}


#: The properties the statements make of the payload for an agency's pages (module docstring):
#: on ``INVOLVES`` and on ``Unit``.
PAGE_PROPERTIES = ("page_bucket", "page_docs")


def page_doc_entry(issued: str, assignments: int, doc_id: str) -> str:
    """One entry of a unit's ``page_docs``: the document's place in an agency's pages (``issued`` or
    ``~``, as the page_key of queries/agency_tasks sorts it), the unit's assignments in it, its id
    (last: the release statement strips the entries ending in ``|<doc id>``).

    >>> page_doc_entry("2021-03-01", 12, "doc-1")
    '2021-03-01|12|doc-1'
    """
    return f"{issued}|{assignments}|{doc_id}"


def page_docs(entries: list[str]) -> list[tuple[str, str, int]]:
    """A unit's ``page_docs`` as (issued or ~, doc id, assignments), in page order.

    >>> page_docs(["~|3|doc-b", "2021-03-01|0|doc-c", "2021-03-01|12|doc-a"])
    [('2021-03-01', 'doc-a', 12), ('2021-03-01', 'doc-c', 0), ('~', 'doc-b', 3)]
    """
    parsed = []
    for entry in entries:
        issued, count, doc_id = entry.split("|", 2)
        parsed.append((issued, doc_id, int(count)))
    return sorted(parsed)


@dataclass(frozen=True, slots=True)
class TextRules:
    """The loaders' text rules the payload applies to names and clauses."""

    name_keys: Callable[..., list[str]]  # the distinct lookup keys of name forms (loaders/names.py)
    normalise: Callable[[str], str]  # a name as it is read
    fold: Callable[[str], str]  # the form text search matches (simplified, half-width)
    unresolved_unit_id: Callable[[str, str | None], str]  # the id of a unit no registry knows
    one_line: Callable[[str], str | None]  # a clause as one line, for showing


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


def _unit_props(unit: Unit, rules: TextRules) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "kind": unit.kind,
        "short_names": list(unit.short_names),
        "aliases": list(unit.aliases),
        "jurisdiction": unit.jurisdiction,
        "level": unit.level,
        "resolved": unit.resolved,
        "registered": unit.registered,
        # every name form by its key (loaders/names.py), for lookups in any script
        "name_keys": rules.name_keys(*unit.names),
        "dissolved": unit.dissolved,
        "successor": unit.successor,
    }


def _bare_unit(a: Assignment, jurisdiction: str | None, rules: TextRules) -> Unit:
    """The unit of an assignment no resolve stage filled (built by hand, or a
    resolution that carries only an id): named as written, scoped by the document."""
    if a.agency_id:
        return Unit(a.agency_id, a.agency or a.name, "group" if a.group else "agency", jurisdiction, None)
    return Unit(
        rules.unresolved_unit_id(a.name, jurisdiction),
        rules.normalise(a.name),
        "group" if a.group else "agency",
        jurisdiction,
        None,
        registered=False,
        resolved=False,
    )


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


def build_payload(doc: Document, registry_fingerprint: str, rules: TextRules) -> DocumentPayload:
    """Everything the store needs to write ``doc`` in one atomic operation.  The units
    come from the assignments (``Assignment.unit``, filled by the resolve stage); the
    registry only contributes its fingerprint."""
    one_line = rules.one_line
    fingerprint = hashlib.sha256(
        "\x1f".join([doc.content_hash, EXTRACTOR_VERSION, registry_fingerprint]).encode()
    ).hexdigest()
    tasks, milestones = [], []
    agencies: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, Any]] = {}
    links: dict[str, list[dict[str, Any]]] = {"leads": [], "supports": [], "shares": []}
    named: dict[str, Unit] = {}  # units the document's assignments name, by id

    def add_unit(unit: Unit) -> None:
        target = groups if unit.is_group else agencies
        props = target.get(unit.id)
        if props is None:
            target[unit.id] = _unit_props(unit, rules)
            return
        # the same unit written in several forms: keep every alias and key
        props["aliases"] = list(dict.fromkeys([*props["aliases"], *unit.aliases]))
        props["name_keys"] = list(dict.fromkeys([*props["name_keys"], *rules.name_keys(*unit.names)]))

    def unit_for(a: Assignment) -> str:
        unit = a.unit or _bare_unit(a, doc.jurisdiction, rules)
        add_unit(unit)
        named.setdefault(unit.id, unit)
        return unit.id

    # A sub-item with no marking of its own carries its heading's units; the link says which
    # heading task, by number and by id, so the task detail can point at the governing marking.
    task_ids = {task.number: task.id for task in doc.tasks}

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
                "match_text": rules.fold(task.title + "\n" + task.text),
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
                    "inherited_from": a.inherited_from,
                    "governed_by": task_ids.get(a.inherited_from) if a.inherited_from else None,
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
                    "confidence": a.confidence,  # read by OCR; None from a text layer
                }
            )

    assigned = Counter(x["unit_id"] for kind in links.values() for x in kind)

    # Context of the units this document names: the groups they form, the bodies they
    # are part of, their counterparts one level up (carried on the Unit).
    members, parents, counterparts = [], [], []
    for unit in named.values():
        for member in unit.members:
            add_unit(member)
            members.append({"member": member.id, "group": unit.id})
        if unit.parent is not None:
            add_unit(unit.parent)
            parents.append({"child": unit.id, "parent": unit.parent.id})
        if unit.counterpart is not None:
            add_unit(unit.counterpart)
            counterparts.append({"local": unit.id, "upper": unit.counterpart.id})

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
        "ocr_pages": doc.ocr_pages,
    }
    issued = doc.issued.isoformat() if doc.issued else "~"  # as agency_tasks' page_key orders it
    page_docs = [
        {"unit_id": uid, "entry": page_doc_entry(issued, assigned.get(uid, 0), doc.id)} for uid in [*agencies, *groups]
    ]
    params = {
        "doc": {"id": doc.id, "props": props},
        "page_docs": page_docs,
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
