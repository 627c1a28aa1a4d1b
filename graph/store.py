"""One small store interface, two backends.

``open_store(settings)`` picks the backend from the connection setting
(``DUTYGRAPH_DB``):

* ``embedded`` (default) — FalkorDB started by dutygraph itself in the data
  directory (:mod:`.embedded`);
* ``falkordb://host:port`` — an external FalkorDB server;
* ``neo4j://…``, ``neo4j+s://…``, ``bolt://…`` — Neo4j 5 through the official driver.

Nothing outside ``graph/`` knows which backend runs: callers use
:class:`GraphStore` and the named queries in ``queries/``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from dutygraph.settings import Settings

from .payload import DocumentPayload

STORED_FINGERPRINT = "MATCH (d:Document {id: $id}) WHERE d.stub = false RETURN d.fingerprint AS fingerprint"


class StoreError(RuntimeError):
    """The database refused or failed an operation (message safe to show)."""


class ReadOnlyViolation(StoreError):
    """A read-only query tried to write."""


class QueryTimeout(StoreError):
    """A query ran past its time limit and was stopped."""


@dataclass(slots=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False  # more rows existed than the cap allowed

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(slots=True)
class WriteSummary:
    doc_id: str
    action: str  # "created" | "replaced" | "unchanged" | "removed" | "absent"
    counts: dict[str, int] = field(default_factory=dict)


class GraphStore(ABC):
    """What dutygraph needs from a graph database."""

    backend: str

    @abstractmethod
    def ensure_schema(self) -> None:
        """Indexes and constraints for the ids the loaders look up."""

    @abstractmethod
    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a query that must not write; raise ReadOnlyViolation if it tries."""

    @abstractmethod
    def store_document(self, payload: DocumentPayload) -> WriteSummary:
        """Write one document atomically; unchanged documents are not rewritten."""

    @abstractmethod
    def remove_document(self, doc_id: str) -> WriteSummary:
        """Remove a document and everything only it created, atomically."""

    @abstractmethod
    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        """One atomic write (analytics results written back onto the graph)."""

    def checkpoint(self) -> None:  # noqa: B027 - an optional hook: most backends have nothing to do
        """After a batch of writes: let the backend compact what it keeps on disk."""

    @abstractmethod
    def ping(self) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stored_fingerprint(self, doc_id: str) -> str | None:
        result = self.read(STORED_FINGERPRINT, {"id": doc_id})
        return result.rows[0][0] if result.rows else None


def open_store(settings: Settings) -> GraphStore:
    url = settings.db
    if url == "embedded":
        from .embedded import EmbeddedServer
        from .falkordb_store import FalkorDBStore

        server = EmbeddedServer(settings.home)
        return FalkorDBStore(
            server.client(),
            settings.db_name,
            description=f"embedded FalkorDB in {settings.home}",
            rewrite_log_after_loads=True,
        )
    if url.startswith("falkordb://"):
        import redis
        from falkordb import FalkorDB

        from .falkordb_store import FalkorDBStore

        host, _, port = url.removeprefix("falkordb://").rstrip("/").partition(":")
        description = f"FalkorDB at {host or 'localhost'}:{port or 6379}"
        try:
            client = FalkorDB(host=host or "localhost", port=int(port or 6379), password=settings.db_password or None)
        except redis.ConnectionError as exc:  # the client connects as it is made
            raise StoreError(f"{description} does not answer ({exc})") from exc
        return FalkorDBStore(client, settings.db_name, description=description)
    if url.startswith(("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(
            url, settings.db_user, settings.db_password, settings.db_name, retry_seconds=settings.db_retry_seconds
        )
    raise StoreError(f"unknown database setting {url!r}: use 'embedded', 'falkordb://host:port' or 'neo4j://host:port'")
