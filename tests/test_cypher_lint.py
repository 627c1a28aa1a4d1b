"""The Cypher lint harness (tests/cypherlint.py + tools/cypher-lint/lint.mjs).

Every query is linted in ONE node run (module-scoped fixture): starting Neo4j's
front end costs about two seconds, each query about a tenth of one.
"""

from __future__ import annotations

from datetime import date

import cypherlint
import pytest
from cypherlint import CypherLintError, LintQuery, LintResult, Schema

SCHEMA = Schema(
    labels=["Document", "Task", "Unit"],
    relationship_types=["HAS_TASK", "LEADS", "INVOLVES", "CITES"],
    property_keys=["id", "title", "number"],
)

QUERIES = [
    LintQuery(
        "valid",
        "// Tasks of a document, with their leads.\n"
        "MATCH (d:Document {id: $document})-[:HAS_TASK]->(t:Task)\n"
        "OPTIONAL MATCH (u:Unit)-[:LEADS]->(t)\n"
        "WITH t, collect(u.id) AS leads\n"
        "WHERE $role IS NULL OR size(leads) > 0\n"
        "RETURN t.id AS task_id, t.number AS number, t.title AS title, leads\n"
        "ORDER BY number LIMIT $limit",
        # Values are examples or type names; null and non-JSON values still declare the name.
        {"document": date(2019, 1, 1), "role": None, "limit": "INTEGER"},
    ),
    LintQuery("undeclared_parameter", "MATCH (d:Document {id: $nope}) RETURN d.id AS id", {"id": "x"}),
    LintQuery("syntax_error", "MATCH (d:Document)\nRETRUN d.id AS id"),
    LintQuery("unknown_label", "MATCH (d:Documnet) RETURN d.id AS id"),
    LintQuery("unknown_relationship_type", "MATCH (u:Unit)-[:LEAD]->(t:Task) RETURN t.id AS id"),
    LintQuery("unknown_property", "MATCH (t:Task) RETURN t.titel AS title"),
    LintQuery("undefined_variable", "MATCH (t:Task) RETURN task.id AS id"),
    LintQuery(
        "importing_with_subquery",
        "MATCH (d:Document {id: $id}) CALL { WITH d MATCH (d)-[:HAS_TASK]->(t) RETURN count(t) AS n } RETURN n",
        {"id": "x"},
    ),
    LintQuery(
        "scoped_subquery",
        "MATCH (d:Document {id: $id}) CALL (d) { MATCH (d)-[:HAS_TASK]->(t) RETURN count(t) AS n } RETURN n",
        {"id": "x"},
    ),
    LintQuery("console_command", ":param id => 'x'"),
]


@pytest.fixture(scope="module")
def results() -> dict[str, LintResult]:
    linted = cypherlint.lint(QUERIES, SCHEMA)
    assert [r.name for r in linted] == [q.name for q in QUERIES]
    return {r.name: r for r in linted}


def messages(result: LintResult) -> list[str]:
    return [d.message for d in result.diagnostics]


def test_valid_query_with_declared_parameters_has_no_diagnostics(results: dict[str, LintResult]) -> None:
    assert results["valid"].ok, results["valid"].diagnostics


def test_undeclared_parameter_is_an_error_at_its_position(results: dict[str, LintResult]) -> None:
    result = results["undeclared_parameter"]
    [diagnostic] = result.diagnostics
    assert diagnostic.severity == "error"
    assert diagnostic.message == "Parameter $nope is not defined."
    # 1-based: "$nope" starts at column 24 of line 1.
    assert (diagnostic.line, diagnostic.column, diagnostic.end_column) == (1, 24, 29)


def test_syntax_error_is_an_error_on_its_line(results: dict[str, LintResult]) -> None:
    errors = results["syntax_error"].errors
    assert errors
    assert any("Invalid input 'RETRUN'" in d.message and (d.line, d.column) == (2, 1) for d in errors)


def test_unknown_label_is_a_warning(results: dict[str, LintResult]) -> None:
    [diagnostic] = results["unknown_label"].diagnostics
    assert diagnostic.severity == "warning"
    assert diagnostic.message.startswith("Label Documnet is not present in the database")


def test_unknown_relationship_type_is_a_warning(results: dict[str, LintResult]) -> None:
    [diagnostic] = results["unknown_relationship_type"].diagnostics
    assert diagnostic.severity == "warning"
    assert diagnostic.message.startswith("Relationship type LEAD is not present in the database")


def test_unknown_property_key_is_a_warning(results: dict[str, LintResult]) -> None:
    [diagnostic] = results["unknown_property"].diagnostics
    assert diagnostic.severity == "warning"
    assert diagnostic.message.startswith("titel is not present in the database")


def test_neo4j_semantic_analysis_runs(results: dict[str, LintResult]) -> None:
    # Not just the parser: Neo4j's semantic checks (compiled to JS) are alive.
    assert messages(results["undefined_variable"]) == ["Variable `task` not defined"]
    assert results["undefined_variable"].errors


def test_importing_with_subquery_is_reported_deprecated(results: dict[str, LintResult]) -> None:
    assert messages(results["importing_with_subquery"]) == [
        "CALL subquery without a variable scope clause is deprecated. Use CALL (d) { ... }"
    ]
    assert results["importing_with_subquery"].diagnostics[0].severity == "warning"
    assert results["scoped_subquery"].ok, results["scoped_subquery"].diagnostics


def test_console_commands_are_errors(results: dict[str, LintResult]) -> None:
    assert results["console_command"].errors


def test_no_queries_starts_no_node() -> None:
    assert cypherlint.lint([], SCHEMA) == []


def test_missing_node_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cypherlint.shutil, "which", lambda _program: None)
    with pytest.raises(CypherLintError, match="`node` is not on PATH"):
        cypherlint.lint([QUERIES[0]], SCHEMA)
