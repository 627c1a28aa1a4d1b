"""FalkorDB backend (embedded or external), through the native ``falkordb`` client.

FalkorDB has no multi-statement transactions, but one query is atomic: a
document is written as a single query whose steps are ``CALL { WITH d … }``
subqueries (see :mod:`.writes`).  Reads go through ``GRAPH.RO_QUERY``, which
the server itself refuses to let write.

**Concurrent writers.** FalkorDB runs a ``MERGE`` in two steps: it looks for the pattern
first, under no write lock, then takes the graph's write lock (held to the end of the query)
and creates what it did not find.  Two queries that ``MERGE`` the same node at once can
therefore both create it -- two first loads at once left two ``(:Analytics {id: 'network'})``
nodes.  Every node that two writers may ``MERGE`` (:data:`UNIQUE_KEYS`: a document and the
stubs of the documents plans cite, the units documents share, the analytics note) has a
unique key the database enforces: the writer that loses the race is refused, its query is
rolled back whole, and :meth:`FalkorDBStore.write` runs it again, when its ``MERGE`` finds
the node.  What a query merges after its first write (units, memberships, stubs
inside a document's query) already runs under that query's write lock.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath

from .base import GraphStore, QueryResult
from .embedded import MAX_QUERY_TIMEOUT_MS
from .errors import QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable
from .writes import Statement

log = logging.getLogger("dutygraph.store")

#: Nodes two writers may MERGE at once: unique keys the database enforces (see the module docstring).
UNIQUE_KEYS = [("Document", "id"), ("Unit", "id"), ("Analytics", "id")]
#: How often a write refused for a unique key another writer just took is run again.
CONFLICT_ATTEMPTS = 5
_CONSTRAINT_BUILD_SECONDS = 60.0

INDEXES = [
    ("Analytics", "id"),
    ("Document", "id"),
    ("Unit", "id"),
    ("Unit", "name"),
    ("Agency", "id"),
    ("Group", "id"),
    ("Task", "id"),
    ("Task", "doc_id"),
    ("Task", "due_first"),
    ("Section", "id"),
    ("Section", "doc_id"),
    ("Milestone", "doc_id"),
    ("Milestone", "due"),
]


def plain(value: Any) -> Any:
    """FalkorDB result values as JSON-safe Python values."""
    if isinstance(value, Node):
        return {"labels": list(value.labels or []), "properties": {k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, Edge):
        return {"type": value.relation, "properties": {k: plain(v) for k, v in value.properties.items()}}
    if isinstance(value, FPath):
        return {"nodes": [plain(n) for n in value.nodes()], "relationships": [plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class UniqueKeyConflict(StoreError):
    """A write was refused (and rolled back) because another writer created a node with the same key."""


def _error(exc: Exception) -> StoreError:
    message = str(exc)
    lowered = message.lower()
    if "unique constraint violation" in lowered:
        return UniqueKeyConflict(message)
    if "timed out" in lowered or "timeout" in lowered:
        return QueryTimeout(f"query stopped at its time limit ({message})")
    if "read-only" in lowered or "ro_query" in lowered or "read only" in lowered:
        return ReadOnlyViolation("read-only query refused: it would write to the graph")
    return StoreError(message)


class FalkorDBStore(GraphStore):
    backend = "falkordb"

    def __init__(
        self, client: FalkorDB, graph_name: str, *, description: str = "FalkorDB", rewrite_log_after_loads: bool = False
    ) -> None:
        self.client = client
        self.graph = client.select_graph(graph_name)
        self.description = description
        self.rewrite_log_after_loads = rewrite_log_after_loads

    @contextlib.contextmanager
    def _answering(self) -> Iterator[None]:
        """A database that cannot be reached is a StoreError saying which one, not a redis traceback."""
        try:
            yield
        except redis.ConnectionError as exc:
            raise StoreUnavailable(f"{self.description} does not answer ({exc})") from exc

    def ensure_schema(self) -> None:
        with self._answering():
            self._ensure_indexes()
            self._ensure_unique_keys()

    def _ensure_indexes(self) -> None:
        existing = set()
        try:
            for row in self.graph.ro_query("CALL db.indexes()").result_set:
                for prop in row[1]:
                    existing.add((row[0], prop))
        except redis.ResponseError:
            pass  # no graph yet: nothing is indexed
        for label, prop in INDEXES:
            if (label, prop) not in existing:
                try:
                    self.graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
                except redis.ResponseError as exc:
                    if "already indexed" not in str(exc):
                        raise _error(exc) from exc

    def _constraints(self) -> dict[tuple[str, str], str]:
        """(label, property) → status (OPERATIONAL, UNDER CONSTRUCTION, FAILED) of the unique keys."""
        rows = self.graph.ro_query("CALL db.constraints()").result_set
        return {(row[1], row[2][0]): row[4] for row in rows if row[0] == "UNIQUE" and len(row[2]) == 1}

    def _ensure_unique_keys(self) -> None:
        constraints = self._constraints()
        missing = [k for k in UNIQUE_KEYS if constraints.get(k) in (None, "FAILED")]
        for label, prop in missing:
            if constraints.get((label, prop)) == "FAILED":
                self._constraint("DROP", label, prop)
            if label == "Analytics":
                # Derived data, recomputed by the next refresh: drop the copies an older version left.
                self.write(
                    "MATCH (a:Analytics) WITH a.id AS id, collect(a) AS notes WHERE size(notes) > 1 "
                    "UNWIND notes[1..] AS extra DELETE extra"
                )
            self._constraint("CREATE", label, prop)
        if not missing:
            return
        # FalkorDB builds a constraint in the background: wait, so that the next write is protected.
        deadline = time.monotonic() + _CONSTRAINT_BUILD_SECONDS
        constraints = self._constraints()
        while any(s not in ("OPERATIONAL", "FAILED") for s in constraints.values()) and time.monotonic() < deadline:
            time.sleep(0.02)
            constraints = self._constraints()
        for (label, prop), status in constraints.items():
            if status != "OPERATIONAL" and (label, prop) in UNIQUE_KEYS:
                log.warning(
                    "%s: the unique key on %s.%s is %s (two nodes share one %s, written before unique keys "
                    "existed?): concurrent loads are not protected against duplicates",
                    self.description,
                    label,
                    prop,
                    status,
                    prop,
                )

    def _constraint(self, action: str, label: str, prop: str) -> None:
        try:
            self.client.connection.execute_command(
                "GRAPH.CONSTRAINT", action, self.graph.name, "UNIQUE", "NODE", label, "PROPERTIES", 1, prop
            )
        except redis.ResponseError as exc:
            if "already exists" not in str(exc):  # another process created it a moment ago
                raise _error(exc) from exc

    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        try:
            with self._answering():
                result = self.graph.ro_query(query, params or {}, timeout=timeout_ms)
        except redis.ResponseError as exc:
            if "empty key" in str(exc).lower() or "invalid graph operation on empty key" in str(exc).lower():
                return QueryResult([], [])
            raise _error(exc) from exc
        except redis.TimeoutError as exc:
            raise QueryTimeout("query stopped at its time limit") from exc
        columns = [c[1] if isinstance(c, list | tuple) else c for c in (result.header or [])]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in columns]
        rows = result.result_set or []
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        return QueryResult(columns, [[plain(v) for v in row] for row in rows], truncated)

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        """One atomic write.  Refused for a unique key another writer took meanwhile, it was
        rolled back whole; it is run again (its MERGE now finds the node)."""
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                with self._answering():
                    self.graph.query(query, params or {}, timeout=MAX_QUERY_TIMEOUT_MS)
                return
            except redis.ResponseError as exc:
                error = _error(exc)
                if not isinstance(error, UniqueKeyConflict) or attempt == CONFLICT_ATTEMPTS:
                    raise error from exc

    def _write_document(self, opening: str, steps: Sequence[Statement], params: dict[str, Any]) -> None:
        """FalkorDB has no multi-statement transaction, but one query is atomic: the steps become
        ``CALL { WITH d … }`` subqueries of one query (see :mod:`.writes`)."""
        self.write("\n".join([opening, "WITH d", *[s.subquery() for s in steps], "RETURN d.id"]), params)

    def checkpoint(self) -> None:
        """Rewrite the append-only file in the background (embedded server only).

        The AOF logs every write query, and a restart replays them one by one — a
        3,000-task document written in 0.6 s took 11 s to replay.  A rewrite leaves a
        snapshot that loads in under a second; it runs in a forked child, so loading
        goes on meanwhile, and every acknowledged write stays durable throughout."""
        if not self.rewrite_log_after_loads:
            return
        try:
            self.client.connection.execute_command("BGREWRITEAOF")
        except redis.ResponseError as exc:
            if "in progress" not in str(exc) and "scheduled" not in str(exc):
                raise _error(exc) from exc

    def ping(self) -> bool:
        try:
            return bool(self.client.connection.ping())
        except redis.RedisError:
            return False

    def close(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self.client.connection.close()
