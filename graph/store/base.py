"""The store interface: what dutygraph needs from a graph database.

A backend (:mod:`.falkordb_store`, :mod:`.neo4j_store`) implements reading, one atomic write and
how it runs a document's write statements atomically; storing and removing a document are the same
for every backend and are written once here (template methods over :meth:`GraphStore._write_document`).
Nothing outside ``graph/store/`` knows which backend runs: callers use :class:`GraphStore` and the
named queries in ``queries/``.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from dutygraph.queries import statement

from .writes import MATCH_DOCUMENT, REMOVE, STORE, UPSERT_DOCUMENT, DocumentPayload, Statement

#: Read before a document is written or removed (queries/stored_fingerprint.cypher, internal).
STORED_FINGERPRINT = statement("stored_fingerprint").cypher


_pauses = 0
_pauses_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a reply is read and decoded.

    A large reply is millions of small lists and strings, none of them in a cycle; each
    thousand of them set off a collection that walks the young objects, and the older
    generations' collections walk everything read so far: at 100,000 tasks that was 6 of
    the read's 8.4 CPU seconds.  Reference counting frees everything as usual meanwhile.
    Threads share the collector: it runs again when the last reader in any thread is done.
    So it is paused only around reads known to be large and short-lived (the analytics'
    network read and computation), never around every read: a server answering without a
    pause would otherwise never collect."""
    global _pauses
    with _pauses_lock:
        if _pauses == 0:
            _pauses_state[0] = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0 and _pauses_state[0]:
                gc.enable()


_pauses_state = [False]  # whether the collector was running when the first pause began


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
    action: str  # "created" | "replaced" | "unchanged" | "removed" | "absent" ("would …" in a dry run)
    counts: dict[str, int] = field(default_factory=dict)


class GraphStore(ABC):
    """What dutygraph needs from a graph database."""

    backend: str
    description: str  # which database, for messages ("embedded FalkorDB in /srv/dutygraph")

    # ------------------------------------------------------------ what a backend provides

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
    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        """One atomic write (analytics results written back onto the graph)."""

    @abstractmethod
    def _write_document(self, opening: str, steps: Sequence[Statement], params: dict[str, Any]) -> None:
        """Run ``opening`` (which binds the document as ``d``) and then ``steps``, atomically:
        all of them or none."""

    def checkpoint(self) -> None:  # noqa: B027 - an optional hook: most backends have nothing to do
        """After a batch of writes: let the backend compact what it keeps on disk."""

    @abstractmethod
    def ping(self) -> bool: ...

    def adhoc_running(self) -> int:
        """Ad-hoc queries (``read(..., max_rows=n)``) the database is still running, including those
        whose caller stopped waiting at the deadline; 0 where the backend cannot tell."""
        return 0

    @abstractmethod
    def close(self) -> None: ...

    # ------------------------------------------------------------ the same for every backend

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stored_fingerprint(self, doc_id: str) -> str | None:
        result = self.read(STORED_FINGERPRINT, {"id": doc_id})
        return result.rows[0][0] if result.rows else None

    def store_document(self, payload: DocumentPayload) -> WriteSummary:
        """Write one document atomically; an unchanged document (same fingerprint) is not rewritten."""
        previous = self.stored_fingerprint(payload.doc_id)
        if previous == payload.fingerprint:
            return WriteSummary(payload.doc_id, "unchanged", payload.counts)
        self._write_document(UPSERT_DOCUMENT, STORE, payload.params)
        return WriteSummary(payload.doc_id, "created" if previous is None else "replaced", payload.counts)

    def remove_document(self, doc_id: str) -> WriteSummary:
        """Remove a document and everything only it created, atomically."""
        if self.stored_fingerprint(doc_id) is None:
            return WriteSummary(doc_id, "absent")
        self._write_document(MATCH_DOCUMENT, REMOVE, {"doc": {"id": doc_id}})
        return WriteSummary(doc_id, "removed")
