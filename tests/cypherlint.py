"""Lint Cypher with Neo4j's own Cypher front end.

The queries in ``queries/*.cypher`` must run on FalkorDB and be valid Neo4j 5
Cypher.  FalkorDB accepts things Neo4j rejects, so CI runs every query through
``@neo4j-cypher/language-support`` (Neo4j's parser and semantic analysis,
compiled to JavaScript) via ``tools/cypher-lint/lint.mjs``: one ``node``
process for the whole batch, fully offline once ``npm ci`` has installed the
package pinned in ``tools/cypher-lint/package-lock.json``::

    schema = Schema(labels=["Task"], relationship_types=["LEADS"])
    [result] = lint([LintQuery("t", "MATCH (t:Task {id: $id}) RETURN t", {"id": "x"})], schema)
    assert result.ok, result.diagnostics

What is reported (``Diagnostic.severity``):

* ``error``: syntax errors, Neo4j semantic errors (undefined variables, wrong
  types, ...), a ``$param`` not among the query's declared parameters, console
  commands such as ``:param``;
* ``warning``: a label or relationship type not in ``Schema``, a property key
  not in ``Schema.property_keys`` (when given), Neo4j's deprecations (e.g.
  ``CALL { WITH x ... }``) and performance notifications (cartesian products).

Queries are analysed as ``CYPHER 5`` unless they start with ``CYPHER 25``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOL_DIR = REPO_ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = TOOL_DIR / "lint.mjs"
PACKAGE = "@neo4j-cypher/language-support"


class CypherLintError(RuntimeError):
    """The linter could not run (no node/npm, failed install, crash); not a finding about a query."""


@dataclass(frozen=True)
class Schema:
    """What the graph may contain.  A label or relationship type outside these
    lists is a warning; ``property_keys=None`` switches the property check off."""

    labels: Sequence[str]
    relationship_types: Sequence[str]
    property_keys: Sequence[str] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "labels": list(self.labels),
            "relationshipTypes": list(self.relationship_types),
        }
        if self.property_keys is not None:
            data["propertyKeys"] = list(self.property_keys)
        return data


@dataclass(frozen=True)
class LintQuery:
    """One query to lint.  ``parameters`` maps each declared parameter name to
    an example value or a type name; only the names matter to the linter."""

    name: str
    query: str
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Diagnostic:
    """One finding.  ``line``/``column`` are 1-based (column in UTF-16 code units)."""

    severity: str  # "error" | "warning" | "information" | "hint"
    message: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class LintResult:
    name: str
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        """No diagnostic of any severity: what CI demands."""
        return not self.diagnostics

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def lint(queries: Sequence[LintQuery], schema: Schema, *, timeout: float = 600.0) -> list[LintResult]:
    """Lint ``queries`` in one ``node`` run; results come back in the same order."""
    if not queries:
        return []
    node = _require("node")
    ensure_installed()
    request = {
        "schema": schema.to_json(),
        "queries": [{"name": q.name, "query": q.query, "parameters": dict(q.parameters)} for q in queries],
    }
    # Parameter values are only examples: anything JSON can't hold (dates, ...) becomes a string.
    payload = json.dumps(request, ensure_ascii=False, default=str)
    try:
        proc = subprocess.run(
            [node, str(LINT_SCRIPT)],
            input=payload,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=TOOL_DIR,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise CypherLintError(f"cypher-lint timed out after {timeout:.0f}s") from exc
    if proc.returncode != 0:
        raise CypherLintError(f"cypher-lint exited with {proc.returncode}: {proc.stderr.strip()}")
    try:
        raw = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise CypherLintError(f"cypher-lint printed no JSON: {proc.stdout[:500]!r}") from exc
    if len(raw) != len(queries):
        raise CypherLintError(f"cypher-lint answered {len(raw)} results for {len(queries)} queries")
    return [
        LintResult(
            name=q.name,
            diagnostics=[
                Diagnostic(
                    severity=d["severity"],
                    message=d["message"],
                    line=d["line"],
                    column=d["column"],
                    end_line=d["endLine"],
                    end_column=d["endColumn"],
                )
                for d in r["diagnostics"]
            ],
        )
        for q, r in zip(queries, raw, strict=True)
    ]


def ensure_installed() -> None:
    """Run ``npm ci`` in tools/cypher-lint unless node_modules already holds the pinned version.

    Serialised with a file lock so parallel test workers don't install on top of each other.
    """
    if _installed_version() == _pinned_version():
        return
    npm = _require("npm")
    key = hashlib.sha256(str(TOOL_DIR).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"dutygraph-cypher-lint-{key}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() == _pinned_version():
            return  # another process installed it while we waited
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=TOOL_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise CypherLintError(f"`npm ci` in {TOOL_DIR} failed ({proc.returncode}):\n{proc.stderr.strip()}")
    if _installed_version() != _pinned_version():
        raise CypherLintError(f"`npm ci` in {TOOL_DIR} did not install {PACKAGE} {_pinned_version()}")


def _pinned_version() -> str:
    package = json.loads((TOOL_DIR / "package.json").read_text(encoding="utf-8"))
    return str(package["dependencies"][PACKAGE])


def _installed_version() -> str | None:
    path = TOOL_DIR / "node_modules" / PACKAGE / "package.json"
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise CypherLintError(
            f"`{program}` is not on PATH: the Cypher linter needs Node.js (>= 20) and npm "
            f"(PATH={os.environ.get('PATH', '')})"
        )
    return path
