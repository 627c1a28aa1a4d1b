"""Refusing writes in ad-hoc Cypher before it reaches the database.

Each backend already enforces read-only execution (FalkorDB's ``GRAPH.RO_QUERY``,
Neo4j read transactions); this check comes first so that an audit tool gets a
clear answer naming the clause, and so that Neo4j procedures that write from
inside a read transaction's reach (``apoc.periodic.*``, ``dbms.*``) never run.

Comments, string literals and backtick-quoted names are blanked first, so a
write clause hidden in mixed case, after a comment, in a subquery or on its own
line is found, and the word ``create`` inside a string is not.

>>> check_read_only("MATCH (n) RETURN n.name")
>>> check_read_only("match (n) /* hi */ cReAtE (m)")
Traceback (most recent call last):
...
dutygraph.graph.store.ReadOnlyViolation: write clause CREATE is not allowed in a read-only query
"""

from __future__ import annotations

import re

from .errors import ReadOnlyViolation

_COMMENTS_AND_STRINGS = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`""",
    re.DOTALL,
)
# Clause keywords that write, as whole words not part of a property (n.set) or a name.
_WRITE_CLAUSES = re.compile(
    r"(?<![\w.$])(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV|INSERT|ALTER|GRANT|DENY|REVOKE)(?![\w])",
    re.IGNORECASE,
)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
_CALL = re.compile(r"(?<![\w.])CALL\s+([A-Za-z_][\w.]*)", re.IGNORECASE)
# Procedures that only read, by name prefix; every other procedure is refused.
_READ_PROCEDURES = (
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.indexes",
    "db.constraints",
    "db.schema.",
    "db.idx.fulltext.querynodes",
    "db.idx.fulltext.queryrelationships",
    "db.idx.vector.querynodes",
    "algo.bfs",
    "algo.sppaths",
    "algo.sspaths",
    "algo.pagerank",
    "algo.betweenness",
    "algo.wcc",
)


def blank_literals(query: str) -> str:
    """The query with comments, strings and quoted names replaced by spaces."""
    return _COMMENTS_AND_STRINGS.sub(lambda m: " " * len(m.group(0)), query)


def check_read_only(query: str) -> None:
    """Raise ReadOnlyViolation if ``query`` would write or call a procedure that may."""
    code = blank_literals(query)
    if m := _WRITE_CLAUSES.search(code):
        clause = re.sub(r"\s+", " ", m.group(1)).upper()
        raise ReadOnlyViolation(f"write clause {clause} is not allowed in a read-only query")
    if _IN_TRANSACTIONS.search(code):
        raise ReadOnlyViolation("CALL … IN TRANSACTIONS is not allowed in a read-only query")
    for m in _CALL.finditer(code):
        name = m.group(1).lower()
        if not name.startswith(_READ_PROCEDURES):
            raise ReadOnlyViolation(f"procedure {m.group(1)} is not allowed in a read-only query")
