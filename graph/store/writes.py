"""The Cypher that stores and removes one document: portable statements,
run by each backend atomically in its own way.

Every statement works on one document, bound as ``d`` (matched by
``$doc.id``), with batched ``UNWIND`` over lists of maps built by
:mod:`.payload`.  The Neo4j backend runs them in order inside one transaction;
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

Node ownership: ``Task``, ``Section`` and ``Milestone`` nodes carry the
``doc_id`` of the one document that created them.  ``Unit`` nodes (agencies and
groups) are shared: each keeps ``doc_ids``, the documents that need it, and is
deleted when that list becomes empty — so removing a document removes what
only it created, and an agency shared with another document survives.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        "MATCH (u:Unit)\nWHERE $doc.id IN u.doc_ids\nSET u.doc_ids = [x IN u.doc_ids WHERE x <> $doc.id]",
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
    Statement(
        "leads",
        "UNWIND $leads AS x\nMATCH (u:Unit {id: x.unit_id})\nMATCH (t:Task {id: x.task_id})\n"
        "CREATE (u)-[r:LEADS]->(t)\nSET r = x\nCREATE (t)-[:INVOLVES {role: x.role, position: x.position}]->(u)",
    ),
    Statement(
        "supports",
        "UNWIND $supports AS x\nMATCH (u:Unit {id: x.unit_id})\nMATCH (t:Task {id: x.task_id})\n"
        "CREATE (u)-[r:SUPPORTS]->(t)\nSET r = x\nCREATE (t)-[:INVOLVES {role: x.role, position: x.position}]->(u)",
    ),
    Statement(
        "shares",
        "UNWIND $shares AS x\nMATCH (u:Unit {id: x.unit_id})\nMATCH (t:Task {id: x.task_id})\n"
        "CREATE (u)-[r:SHARES]->(t)\nSET r = x\nCREATE (t)-[:INVOLVES {role: x.role, position: x.position}]->(u)",
    ),
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
