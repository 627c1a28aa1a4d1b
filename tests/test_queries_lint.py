"""Every Cypher statement dutygraph runs is valid Neo4j 5 Cypher, by Neo4j's own front end.

The statements are read from where they live: every file in queries/ (named queries and the
internal statements the code runs) and the write statements of graph/store/writes.py.
Linted with the parameters each statement declares and the graph's labels,
relationship types and property keys (graph/store/schema.py and the payload), so a
typo in any of them is a diagnostic — and any diagnostic fails.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from cypherlint import LintQuery, Schema, lint

from dutygraph.graph import analytics
from dutygraph.graph.analytics import continuity, suggestions
from dutygraph.graph.analytics.analysis import RETIRED_PROPERTIES
from dutygraph.graph.store import writes
from dutygraph.graph.store.neo4j_store import SCHEMA as NEO4J_SCHEMA
from dutygraph.graph.store.schema import LABELS, RELATIONSHIP_TYPES
from dutygraph.graph.store.writes import REMOVE, STORE, UPSERT_DOCUMENT
from dutygraph.queries import all_queries, internal_statements
from dutygraph.services import build_payload

QUERIES = ROOT / "queries"
EXAMPLE_VALUES = {"counterparts": False, "max_rows": 10, "limit": 10, "after": ["x"]}


def every_statement_file():
    """Every statement in queries/: the named queries and the internal ones, read from the folder."""
    return {**all_queries(), **internal_statements()}


def property_keys(seed_docs, registry) -> list[str]:
    """Every property the loaders and the analytics write, from real payloads of the seed documents."""
    keys: set[str] = {"id", "stub", "title", "doc_number", "relation", "doc_ids", "role"}
    keys |= set(analytics.METRIC_PROPERTIES) | set(RETIRED_PROPERTIES)
    keys |= {"version", "params", "computed_at", "betweenness_exact"}
    keys |= set(suggestions.SUGGESTION_PROPERTIES) | set(continuity.CONTINUITY_PROPERTIES)
    keys |= set(writes.PAGE_PROPERTIES)
    for doc in seed_docs.values():
        params = build_payload(doc, registry).params
        keys |= set(params["doc"]["props"])
        for value in params.values():
            if isinstance(value, list):
                for item in value:
                    keys |= set(item)
    return sorted(keys)


@pytest.fixture(scope="module")
def lint_results(seed_docs, registry):
    schema = Schema(
        labels=list(LABELS),
        relationship_types=list(RELATIONSHIP_TYPES),
        property_keys=property_keys(seed_docs, registry),
    )
    statements = [
        LintQuery(f"queries/{q.name}.cypher", q.cypher, {p: EXAMPLE_VALUES.get(p, "x") for p in q.params})
        for q in every_statement_file().values()
    ]
    # A paged query's total runs too: its filters counted (queries/__init__.py).
    statements += [
        LintQuery(f"queries/{q.name}.cypher:count", q.count_cypher, {p: EXAMPLE_VALUES.get(p, "x") for p in q.params})
        for q in every_statement_file().values()
        if q.count_cypher is not None
    ]
    write_params = {"doc": {}, **{k: [] for k in build_payload(next(iter(seed_docs.values())), registry).params}}
    statements.append(LintQuery("writes:upsert_document", UPSERT_DOCUMENT, write_params))
    statements += [LintQuery(f"writes:store:{s.name}", s.standalone(), write_params) for s in STORE]
    statements += [LintQuery(f"writes:remove:{s.name}", s.standalone(), write_params) for s in REMOVE]
    statements += [LintQuery(f"neo4j:schema:{i}", q, {}) for i, q in enumerate(NEO4J_SCHEMA)]
    return {r.name: r for r in lint(statements, schema)}


def test_every_query_file_and_write_statement_was_linted(lint_results):
    files = {f"queries/{path.name}" for path in QUERIES.glob("*.cypher")}
    assert files and files <= set(lint_results)
    assert len([n for n in lint_results if n.startswith("writes:")]) == 1 + len(STORE) + len(REMOVE)


def test_no_statement_has_any_neo4j_diagnostic(lint_results):
    problems = {
        name: [f"{d.severity} {d.line}:{d.column} {d.message}" for d in result.diagnostics]
        for name, result in lint_results.items()
        if result.diagnostics
    }
    assert problems == {}
