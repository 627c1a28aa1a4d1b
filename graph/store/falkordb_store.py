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

The same two steps let two queries that replace relationships (the suggestions'
``DELETE`` old ``SUGGESTED`` then ``CREATE`` new ones, a document's ``CITES``) both find
the old set, both delete it and both create theirs: twice the relationships, with no
node for a unique key to guard.  So dutygraph's writers also take turns: every
:meth:`FalkorDBStore.write` holds a lock in the database (:meth:`FalkorDBStore._writing`,
a Redis lock other processes on the same database see), kept alive while the query runs
and expiring within :data:`WRITE_LOCK_SECONDS` when its holder dies (``kill -9``), so a
crashed loader never blocks the next one for long.

**Ad-hoc queries** (``read(..., max_rows=n)``, an audit tool's own Cypher) are bounded three
ways, so that the worst query costs the database and the API a known amount:

* rows: every top-level ``RETURN`` gets a ``LIMIT`` it cannot escape (:func:`.readonly.cap_rows`),
  so the database stops at the cap instead of building a million rows for the API to drop
  (FalkorDB's own ``RESULTSET_SIZE`` is one setting for every query, exports included, and
  truncates without saying so);
* time: a deadline covers the whole call -- waiting for a database thread, parsing, running,
  sending and reading the answer -- not only the running that FalkorDB's time limit stops;
* bytes: the answer is read up to a budget (:data:`ANSWER_BYTES_PER_ROW` a row), then dropped.

They run on connections of their own (:class:`_BoundedSocket`), never retried: a query that
ran out of time is not run again.  Memory is the database's to limit (``QUERY_MEM_CAPACITY``,
set by :mod:`.embedded`).

**A dying embedded database.** When the embedded server is found dead (``kill -9``, the OOM
killer; not stopped on purpose), the store starts it again (:meth:`.EmbeddedServer.restart_if_crashed`,
which also refuses damaged data files) and runs the call once more: reads, and dutygraph's writes, which are all
upserts (a document, its units, the analytics note) that give the same graph when run twice.
An ad-hoc query is not run again (it may be what stopped the server).

**Every reply answers its own query.** A connection is a stream: a caller that sends a query and
stops waiting without hanging up leaves its reply to come, and the next query sent on that
connection reads it as its own -- another query's rows, returned without an error (the suite saw it:
``tasks_with_several_leads`` answered with the columns of a count read earlier). redis-py's pool only
notices a reply that has already arrived. So every read sends an ``ECHO`` of a fresh nonce in the
same round trip, just before its query (:meth:`FalkorDBStore._exchange`), and takes the reply that
follows only when the nonce comes back first; otherwise the connection is dropped and the query sent
once more on a new one (and logged: it means something left a connection out of step).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath
from falkordb.query_result import parse_scalar
from redis.backoff import NoBackoff
from redis.retry import Retry

from .base import GraphStore, QueryResult, WriteSummary
from .embedded import DEFAULT_QUERY_TIMEOUT_MS, MAX_QUERY_TIMEOUT_MS
from .errors import QueryRefused, QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable
from .readonly import cap_rows
from .watchdog import HangWatch
from .writes import DocumentPayload, Statement

if TYPE_CHECKING:
    from .embedded import EmbeddedServer

T = TypeVar("T")

log = logging.getLogger("dutygraph.store")

#: Nodes two writers may MERGE at once: unique keys the database enforces (see the module docstring).
UNIQUE_KEYS = [("Document", "id"), ("Unit", "id"), ("Analytics", "id")]
#: How often a write refused for a unique key another writer just took is run again.
CONFLICT_ATTEMPTS = 5
_CONSTRAINT_BUILD_SECONDS = 60.0
#: The writers' lock expires this long after its holder stopped renewing it (it renews it
#: three times as often while its query runs).
WRITE_LOCK_SECONDS = 10.0

#: Bytes an ad-hoc answer may take for each row it may return (and never less than MIN_ANSWER_BYTES).
ANSWER_BYTES_PER_ROW = 16 * 1024
MIN_ANSWER_BYTES = 4 * 1024 * 1024
#: How long after its time limit an ad-hoc query's answer may still arrive (the database notices
#: its limit between rows; the answer still has to be sent and read).
DEADLINE_GRACE_SECONDS = 1.0

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
#: Relationship indexes: one unit's assignments in one document (graph/store/writes.py, an agency's pages).
RELATIONSHIP_INDEXES = [("INVOLVES", "page_bucket")]


_SCALARS = frozenset({str, int, float, bool})
# Value types of a compact reply (falkordb-py's ResultSetScalarTypes).
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6


def _cell(cell: Any, graph: Any) -> Any:
    """One value of a compact reply, ``[type, value]``, as :func:`plain` gives it."""
    kind, value = cell[0], cell[1]
    if kind == _STRING:
        return value.decode() if type(value) is bytes else value
    if kind == _INTEGER:
        return value if type(value) is int else int(value)
    if kind == _NULL:
        return None
    if kind == _ARRAY:
        return [_cell(item, graph) for item in value]
    if kind == _BOOLEAN:
        return (value.decode() if type(value) is bytes else value) == "true"
    if kind == _DOUBLE:
        return float(value)
    return plain(parse_scalar(cell, graph))


def plain(value: Any) -> Any:
    """FalkorDB result values as JSON-safe Python values."""
    if value is None or type(value) in _SCALARS:  # most values: no isinstance chain for them
        return value
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


class AnswerTooLarge(Exception):
    """Raised inside redis-py's reader when an answer passes its byte budget (not an OSError,
    so that redis-py drops the connection and lets it through unchanged)."""


class _Budget:
    def __init__(self, seconds: float, max_bytes: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.bytes_left = max_bytes


class _BoundedSocket:
    """A connection's socket that holds the call in progress to its deadline and byte budget.

    redis-py reads an answer in chunks from this socket as it parses it, so every chunk is a
    point where time and size are checked: the call ends within its deadline however the
    database, the socket or the parsing are slowed.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._timeout = sock.gettimeout()
        self.budget: _Budget | None = None

    def settimeout(self, value: float | None) -> None:
        self._timeout = value
        self._sock.settimeout(value)

    def gettimeout(self) -> float | None:
        return self._timeout

    def _arm(self) -> None:
        if self.budget is None:
            return
        remaining = self.budget.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the deadline of the call has passed")  # socket.timeout is TimeoutError
        self._sock.settimeout(remaining if self._timeout is None else min(remaining, self._timeout))

    def _count(self, received: int) -> None:
        if self.budget is not None:
            self.budget.bytes_left -= received
            if self.budget.bytes_left < 0:
                raise AnswerTooLarge

    def recv(self, size: int, *flags: int) -> bytes:
        self._arm()
        try:
            data = self._sock.recv(size, *flags)
        finally:
            self._sock.settimeout(self._timeout)
        self._count(len(data))
        return data

    def recv_into(self, buffer: Any, size: int = 0, *flags: int) -> int:
        self._arm()
        try:
            received = self._sock.recv_into(buffer, size, *flags)
        finally:
            self._sock.settimeout(self._timeout)
        self._count(received)
        return received

    def sendall(self, data: Any, *flags: int) -> None:
        self._arm()
        try:
            self._sock.sendall(data, *flags)
        finally:
            self._sock.settimeout(self._timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _BoundedConnection:
    """Mixed into the client's own connection class (Unix socket, TCP or TLS)."""

    def _connect(self) -> Any:
        return _BoundedSocket(super()._connect())  # type: ignore[misc]


#: The nonces echoed before every read (see the module docstring); ``next()`` on a count is atomic.
_NONCES = itertools.count()


class _OutOfStep(Exception):
    """A connection's next reply was not the echo of the nonce sent just before a query."""


#: Put before every ad-hoc query (a comment, which FalkorDB ignores), so that it can be told
#: apart in the database's list of running queries (:meth:`FalkorDBStore.adhoc_running`).
ADHOC_MARK = "/* dutygraph ad-hoc */ "


def plain_text(value: Any) -> Any:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class UniqueKeyConflict(StoreError):
    """A write was refused (and rolled back) because another writer created a node with the same key."""


def _error(exc: Exception) -> StoreError:
    message = str(exc)
    lowered = message.lower()
    if "unique constraint violation" in lowered:
        return UniqueKeyConflict(message)
    if "timed out" in lowered or "timeout" in lowered:
        return QueryTimeout(f"query stopped at its time limit ({message})")
    if "mem consumption exceeded capacity" in lowered:
        return QueryRefused(
            "query stopped at the database's memory limit for one query: return less, or aggregate in the query"
        )
    if "read-only" in lowered or "ro_query" in lowered or "read only" in lowered:
        return ReadOnlyViolation("read-only query refused: it would write to the graph")
    return StoreError(message)


class FalkorDBStore(GraphStore):
    backend = "falkordb"

    def __init__(
        self,
        client: FalkorDB,
        graph_name: str,
        *,
        description: str = "FalkorDB",
        rewrite_log_after_loads: bool = False,
        server: EmbeddedServer | None = None,
    ) -> None:
        self.client = client
        self.graph = client.select_graph(graph_name)
        self.description = description
        self.rewrite_log_after_loads = rewrite_log_after_loads
        self.server = server  # the embedded server, started again when found dead
        self.hang_watch = HangWatch(server)  # and killed first when found hung (see .watchdog)
        self._bounded_pool: redis.ConnectionPool | None = None
        self._holding = threading.local()  # how deep this thread is in _writing (the lock is taken once)

    @contextlib.contextmanager
    def _answering(self) -> Iterator[None]:
        """A database that cannot be reached is a StoreError saying which one, not a redis traceback."""
        try:
            yield
        except redis.ConnectionError as exc:
            raise StoreUnavailable(f"{self.description} does not answer ({exc})") from exc

    def _answered(self, call: Callable[[], T], *, again: bool = True) -> T:
        """``call()``; an embedded server found dead is started again and, when ``again``, the call
        is run once more (see the module docstring)."""
        try:
            with self.hang_watch.call(), self._answering():
                return call()
        except StoreUnavailable:
            if self.server is None:
                raise
            self._restart()
            if not again:
                raise StoreUnavailable(f"{self.description} had stopped and was started again: ask again") from None
        with self.hang_watch.call(), self._answering():
            return call()

    def _restart(self) -> None:
        """Start the embedded server again unless it answers; drop the connections to the dead one."""
        assert self.server is not None
        if not self.server.status().running:
            status = self.server.restart_if_crashed()  # DamagedData, EmbeddedServerError: StoreUnavailable
            log.warning("%s had stopped: started again (pid %s)", self.description, status.pid)
        self.client.connection.connection_pool.disconnect()
        if self._bounded_pool is not None:
            self._bounded_pool.disconnect()

    def ensure_schema(self) -> None:
        def ensure() -> bool:
            return self._ensure_indexes() | self._ensure_unique_keys()

        created = self._answered(ensure)
        if created and self.server is not None:
            # A new schema is a dozen CREATE INDEX and GRAPH.CONSTRAINT commands in the log, which a
            # restart would replay one by one; once, in the suite, a server restarted on a graph
            # holding only its schema did not answer within 20 s while replaying them (a graph that
            # holds documents has been rewritten after its load and starts from the snapshot, and
            # never did).  So the log is rewritten now, as after every load, and a restart loads the
            # schema with the snapshot instead of building it again command by command.
            try:
                self.server.rewrite_files()
            except (StoreError, redis.RedisError) as exc:  # the schema stands; only a restart is slower
                log.warning("%s: the log was not rewritten after creating the schema (%s)", self.description, exc)

    def _ensure_indexes(self) -> bool:
        """Create the indexes the graph lacks; whether any was created."""
        existing = set()
        try:
            for row in self.graph.ro_query("CALL db.indexes()").result_set:
                for prop in row[1]:
                    existing.add((row[0], prop))
        except redis.ResponseError:
            pass  # no graph yet: nothing is indexed
        wanted = [(label, prop, f"CREATE INDEX FOR (n:{label}) ON (n.{prop})") for label, prop in INDEXES]
        wanted += [
            (kind, prop, f"CREATE INDEX FOR ()-[r:{kind}]-() ON (r.{prop})") for kind, prop in RELATIONSHIP_INDEXES
        ]
        created = False
        for label, prop, create in wanted:
            if (label, prop) not in existing:
                try:
                    self.graph.query(create)
                    created = True
                except redis.ResponseError as exc:
                    if "already indexed" not in str(exc):
                        raise _error(exc) from exc
        return created

    def _constraints(self) -> dict[tuple[str, str], str]:
        """(label, property) → status (OPERATIONAL, UNDER CONSTRUCTION, FAILED) of the unique keys."""
        rows = self.graph.ro_query("CALL db.constraints()").result_set
        return {(row[1], row[2][0]): row[4] for row in rows if row[0] == "UNIQUE" and len(row[2]) == 1}

    def _ensure_unique_keys(self) -> bool:
        """Create the unique keys the graph lacks (waiting until they are built); whether any was."""
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
            return False
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
        return True

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
        """Run a read-only query.  With ``max_rows`` (an ad-hoc query) the rows are capped in the
        database and the call is bounded in time and bytes (see the module docstring)."""
        params = params or {}
        try:
            if max_rows is None:
                columns, rows = self._answered(lambda: self._decoded(self._ro_query(query, params, timeout_ms)))
            else:
                capped = cap_rows(query, max_rows + 1, params)
                columns, rows = self._answered(
                    lambda: self._decoded(self._bounded_read(capped, params, timeout_ms, max_rows)), again=False
                )
        except redis.ResponseError as exc:
            if "empty key" in str(exc).lower() or "invalid graph operation on empty key" in str(exc).lower():
                return QueryResult([], [])
            raise _error(exc) from exc
        except redis.TimeoutError as exc:
            raise QueryTimeout("query stopped at its time limit") from exc
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        return QueryResult(columns, rows, truncated)

    def _ro_query(self, query: str, params: dict[str, Any], timeout_ms: int | None) -> Any:
        """``GRAPH.RO_QUERY`` as the client sends it (``--compact``), its reply not parsed yet."""
        command: list[Any] = ["GRAPH.RO_QUERY", self.graph.name, self.graph._build_params_header(params) + query]
        command.append("--compact")
        if timeout_ms is not None:
            command += ["timeout", int(timeout_ms)]
        return self._exchanged(self.client.connection.connection_pool, command)

    def _exchanged(
        self,
        pool: redis.ConnectionPool,
        command: Sequence[Any],
        *,
        arm: Callable[[Any], None] | None = None,
        disarm: Callable[[Any], None] | None = None,
    ) -> Any:
        """``command``'s reply, on a connection of ``pool``, retried as redis-py retries a command
        (the connection's own ``retry``); a connection found out of step is dropped and the command
        sent once more on a new one.  ``arm``/``disarm`` prepare the connection and undo it."""
        try:
            return self._exchanged_once(pool, command, arm, disarm)
        except _OutOfStep as exc:
            log.warning("%s: %s; the connection was dropped and the query sent again", self.description, exc)
        try:
            return self._exchanged_once(pool, command, arm, disarm)
        except _OutOfStep as exc:
            raise StoreError(f"{self.description}: replies out of step with their queries ({exc})") from None

    def _exchanged_once(
        self,
        pool: redis.ConnectionPool,
        command: Sequence[Any],
        arm: Callable[[Any], None] | None,
        disarm: Callable[[Any], None] | None,
    ) -> Any:
        connection = pool.get_connection()
        try:
            if arm is not None:
                arm(connection)
            return connection.retry.call_with_retry(
                lambda: self._exchange(connection, command), lambda _: connection.disconnect()
            )
        finally:
            if disarm is not None:
                disarm(connection)
            pool.release(connection)

    @staticmethod
    def _exchange(connection: Any, command: Sequence[Any]) -> Any:
        """Send an ``ECHO`` of a fresh nonce and ``command`` in one round trip; ``command``'s reply,
        taken only when the nonce came back first (see the module docstring)."""
        nonce = f"dutygraph-{next(_NONCES)}"
        connection.send_packed_command(connection.pack_commands([("ECHO", nonce), tuple(command)]))
        try:
            echoed: Any = connection.read_response()
        except redis.ResponseError as exc:  # an error reply left by another command
            echoed = exc
        if isinstance(echoed, bytes):
            echoed = echoed.decode("utf-8", "replace")
        if echoed != nonce:
            connection.disconnect()
            raise _OutOfStep(f"a reply left by another command ({str(echoed)[:80]!r}) came before this query's")
        return connection.read_response()

    def _decoded(self, response: Any) -> tuple[list[str], list[list[Any]]]:
        """A compact reply's columns and rows as plain values (:func:`plain`).

        falkordb-py's own parser makes an object per value and dutygraph then converts each:
        at 100,000 tasks that was most of the analytics' read.  Strings, numbers, nulls and
        lists of them (nearly every value dutygraph reads) are taken as they come here; nodes,
        edges, paths, maps and temporal values go through falkordb-py's parser as before."""
        if isinstance(response[0], redis.ResponseError):
            raise response[0]
        if isinstance(response[-1], redis.ResponseError):  # an error while the query ran
            raise response[-1]
        if len(response) == 1 or not response[0]:  # statistics only, or no columns
            return [], []
        columns = [c[1] if isinstance(c, list | tuple) else c for c in response[0]]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in columns]
        graph = self.graph
        # Strings inline (most values; the call per value cost a second at 100,000 tasks), the rest by _cell.
        return columns, [
            [c[1] if c[0] == _STRING and type(c[1]) is str else _cell(c, graph) for c in row] for row in response[1]
        ]

    def _bounded_read(self, query: str, params: dict[str, Any], timeout_ms: int | None, max_rows: int) -> Any:
        """``GRAPH.RO_QUERY`` on a bounded connection: within ``timeout_ms`` plus a grace for the
        answer to arrive, and within the byte budget of ``max_rows`` rows."""
        timeout_ms = timeout_ms or DEFAULT_QUERY_TIMEOUT_MS
        max_bytes = max(MIN_ANSWER_BYTES, (max_rows + 1) * ANSWER_BYTES_PER_ROW)
        text = self.graph._build_params_header(params) + ADHOC_MARK + query
        budget = _Budget(timeout_ms / 1000 + DEADLINE_GRACE_SECONDS, max_bytes)

        def arm(connection: Any) -> None:
            if connection._sock is None:  # get_connection connects it, through _BoundedConnection
                connection.connect()
            assert isinstance(connection._sock, _BoundedSocket)
            connection._sock.budget = budget

        def disarm(connection: Any) -> None:
            if connection._sock is not None:
                connection._sock.budget = None

        command = ["GRAPH.RO_QUERY", self.graph.name, text, "--compact", "timeout", timeout_ms]
        try:
            return self._exchanged(self._bounded_connections(), command, arm=arm, disarm=disarm)
        except AnswerTooLarge:
            raise QueryRefused(
                f"the answer is over {max_bytes / 2**20:.0f} MB (at most {max_rows:,} rows of "
                f"{ANSWER_BYTES_PER_ROW // 1024} KB on average): return fewer or smaller values"
            ) from None
        except redis.TimeoutError:
            raise QueryTimeout(
                f"query stopped at its time limit: no complete answer within {timeout_ms:,} ms "
                f"and {DEADLINE_GRACE_SECONDS:g} s more for sending it"
            ) from None

    def _bounded_connections(self) -> redis.ConnectionPool:
        """A pool like the client's, whose connections hold each call to its budget and never retry."""
        if self._bounded_pool is None:
            base = self.client.connection.connection_pool
            kind = base.connection_class
            bounded = type(f"Bounded{kind.__name__}", (_BoundedConnection, kind), {})
            kwargs = {**base.connection_kwargs, "retry": Retry(NoBackoff(), 0)}
            self._bounded_pool = redis.ConnectionPool(connection_class=bounded, **kwargs)
        return self._bounded_pool

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        """One atomic write.  Refused for a unique key another writer took meanwhile, it was
        rolled back whole; it is run again (its MERGE now finds the node)."""
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                with self._writing():
                    self._answered(lambda: self.graph.query(query, params or {}, timeout=MAX_QUERY_TIMEOUT_MS))
                return
            except redis.ResponseError as exc:
                error = _error(exc)
                if not isinstance(error, UniqueKeyConflict) or attempt == CONFLICT_ATTEMPTS:
                    raise error from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the writers' lock of this graph (see the module docstring) for one write, or for a
        check and the write it decides on (:meth:`store_document`); taken once per thread."""
        depth = getattr(self._holding, "depth", 0)
        if depth:
            self._holding.depth = depth + 1
            try:
                yield
            finally:
                self._holding.depth = depth
            return
        lock = self.client.connection.lock(
            f"dutygraph:writing:{self.graph.name}",
            timeout=WRITE_LOCK_SECONDS,
            sleep=0.01,
            blocking_timeout=MAX_QUERY_TIMEOUT_MS / 1000 + WRITE_LOCK_SECONDS,
            thread_local=False,
        )
        if not self._answered(lock.acquire):
            raise StoreUnavailable(f"{self.description}: another writer held the graph for over 10 minutes")
        done = threading.Event()

        def renew() -> None:
            while not done.wait(WRITE_LOCK_SECONDS / 3):
                with contextlib.suppress(redis.RedisError):
                    lock.reacquire()

        renewer = threading.Thread(target=renew, name="dutygraph-write-lock", daemon=True)
        renewer.start()
        self._holding.depth = 1
        try:
            yield
        finally:
            self._holding.depth = 0
            done.set()
            renewer.join()
            # Gone already when the server was restarted meanwhile, or expired: nothing to release.
            with contextlib.suppress(redis.RedisError):
                lock.release()

    def store_document(self, payload: DocumentPayload) -> WriteSummary:
        """As every store does, with the fingerprint read and the write under one hold of the
        writers' lock: two loads of one document at once (two uploads, two `dutygraph load` on
        one home) report it created once and unchanged the other time, not created twice."""
        with self._writing():
            return super().store_document(payload)

    def remove_document(self, doc_id: str) -> WriteSummary:
        """Removed once, and absent for a second removal at the same time."""
        with self._writing():
            return super().remove_document(doc_id)

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

    def adhoc_running(self) -> int:
        """Ad-hoc queries of this graph in the database's list of running queries (its main thread
        answers it while every query thread is busy).  FalkorDB does not stop every query at its
        time limit -- string building with ``reduce`` ran 62 s past a 1 s limit -- so a query the
        API stopped waiting for may still hold a database thread."""
        try:
            answer = self.client.connection.execute_command("GRAPH.INFO", "RunningQueries")
        except redis.RedisError:
            return 0
        running = answer[1] if isinstance(answer, list | tuple) and len(answer) > 1 else []
        count = 0
        for entry in running:
            fields = dict(zip(entry[::2], entry[1::2], strict=False))
            fields = {plain_text(k): plain_text(v) for k, v in fields.items()}
            count += fields.get("Graph name") == self.graph.name and ADHOC_MARK.strip() in fields.get("Query", "")
        return count

    def ping(self) -> bool:
        try:
            return bool(self.client.connection.ping())
        except redis.RedisError:
            return False

    def close(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self.client.connection.close()
        if self._bounded_pool is not None:
            self._bounded_pool.disconnect()
