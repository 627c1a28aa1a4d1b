"""Neo4j 5 backend, through the official ``neo4j`` driver.

A document is written by the statements of :mod:`.writes`, in order, in one
write transaction.  Reads run in read transactions (``execute_read`` with
``READ_ACCESS``), which Neo4j refuses to let write, with a server-side timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
from neo4j.graph import Node, Path, Relationship

from .base import GraphStore, QueryResult
from .errors import QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable
from .writes import MATCH_DOCUMENT, Statement

# Neo4j-only DDL: unique ids as constraints (which also index them), plus indexes.
SCHEMA = [
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (n:Unit) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT section_id IF NOT EXISTS FOR (n:Section) REQUIRE n.id IS UNIQUE",
    # The analytics note is MERGEd by every refresh: the constraint makes concurrent MERGEs lock, not duplicate.
    "CREATE CONSTRAINT analytics_id IF NOT EXISTS FOR (n:Analytics) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX unit_name IF NOT EXISTS FOR (n:Unit) ON (n.name)",
    "CREATE INDEX task_doc IF NOT EXISTS FOR (n:Task) ON (n.doc_id)",
    "CREATE INDEX task_due IF NOT EXISTS FOR (n:Task) ON (n.due_first)",
    "CREATE INDEX section_doc IF NOT EXISTS FOR (n:Section) ON (n.doc_id)",
    "CREATE INDEX milestone_doc IF NOT EXISTS FOR (n:Milestone) ON (n.doc_id)",
    "CREATE INDEX milestone_due IF NOT EXISTS FOR (n:Milestone) ON (n.due)",
    "CREATE INDEX involves_page_bucket IF NOT EXISTS FOR ()-[r:INVOLVES]-() ON (r.page_bucket)",
]

WRITE_TIMEOUT_S = 600.0

# The driver logs what it then raises ("Unable to retrieve routing information"); this backend turns
# the error into a StoreError that names the server, so the driver's line is only a duplicate.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def plain(value: Any) -> Any:
    """Neo4j result values as JSON-safe Python values."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _error(exc: Neo4jError) -> StoreError:
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Terminated" in code:
        return QueryTimeout("query stopped at its time limit")
    if "ForbiddenDueToTransactionType" in code or "AccessMode" in code or "WriteOnReadOnlyAccess" in code:
        return ReadOnlyViolation("read-only query refused: it would write to the graph")
    return StoreError(exc.message or str(exc))


class Neo4jStore(GraphStore):
    backend = "neo4j"

    def __init__(
        self, url: str, user: str, password: str, database: str | None, *, retry_seconds: float = 15.0
    ) -> None:
        self.driver = GraphDatabase.driver(
            url, auth=(user, password) if password else None, max_transaction_retry_time=retry_seconds
        )
        # "dutygraph" is the default graph name; Neo4j Community has only "neo4j".
        self.database = None if database in (None, "", "dutygraph") else database
        self.description = f"Neo4j at {url}"

    def _session(self, mode: str) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    def ensure_schema(self) -> None:
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                for statement in SCHEMA:
                    session.run(statement).consume()
        except Neo4jError as exc:
            raise _error(exc) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"{self.description} is unreachable: {exc}") from exc

    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        timeout = timeout_ms / 1000 if timeout_ms else None

        # A transaction function takes its time limit from unit_of_work: the driver refuses a Query
        # object inside a transaction ("only supported for session.run"), with a TypeError.
        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> QueryResult:
            result = tx.run(query, params or {})
            columns = list(result.keys())
            rows: list[list[Any]] = []
            truncated = False
            for record in result:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([plain(v) for v in record.values()])
            return QueryResult(columns, rows, truncated)

        try:
            with self._session(neo4j.READ_ACCESS) as session:
                return session.execute_read(work)
        except Neo4jError as exc:
            raise _error(exc) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"{self.description} is unreachable: {exc}") from exc

    def _run_statements(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        @neo4j.unit_of_work(timeout=WRITE_TIMEOUT_S)
        def work(tx: neo4j.ManagedTransaction) -> None:
            for query, params in statements:
                tx.run(query, params).consume()

        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                session.execute_write(work)
        except Neo4jError as exc:
            raise _error(exc) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"{self.description} is unreachable: {exc}") from exc

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        self._run_statements([(query, params or {})])

    def _write_document(self, opening: str, steps: Sequence[Statement], params: dict[str, Any]) -> None:
        """The steps in order in one write transaction; each matches the document again (a statement
        of its own cannot see the ``d`` of another), so the opening runs only when it makes the node."""
        statements = [] if opening == MATCH_DOCUMENT else [(opening, params)]
        self._run_statements(statements + [(s.standalone(), params) for s in steps])

    def ping(self) -> bool:
        try:
            self.driver.verify_connectivity()
            return True
        except (ServiceUnavailable, DriverError, Neo4jError, OSError):
            return False

    def close(self) -> None:
        self.driver.close()
