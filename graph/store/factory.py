"""Which store to open: the only place that reads the database settings.

``open_store(settings)`` picks the backend from the connection setting (``DUTYGRAPH_DB``):

* ``embedded`` (default) — FalkorDB started by dutygraph itself in the data
  directory (:mod:`.embedded`);
* ``falkordb://host:port`` — an external FalkorDB server;
* ``neo4j://…``, ``neo4j+s://…``, ``bolt://…`` — Neo4j 5 through the official driver.

>>> from dutygraph.settings import Settings
>>> open_store(Settings(db="sqlite://x"))
Traceback (most recent call last):
...
dutygraph.graph.store.StoreError: unknown database setting 'sqlite://x': use 'embedded', 'falkordb://host:port' or 'neo4j://host:port'
"""

from __future__ import annotations

from dutygraph.settings import Settings

from .base import GraphStore
from .errors import StoreError, StoreUnavailable

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def open_store(settings: Settings) -> GraphStore:
    url = settings.db
    if url == "embedded":
        from .embedded import EmbeddedServer
        from .falkordb_store import FalkorDBStore

        server = EmbeddedServer(settings.home, query_memory_mb=settings.db_query_memory_mb)
        return FalkorDBStore(
            server.client(),
            settings.db_name,
            description=f"embedded FalkorDB in {settings.home}",
            rewrite_log_after_loads=True,
            server=server,
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
            raise StoreUnavailable(f"{description} does not answer ({exc})") from exc
        return FalkorDBStore(client, settings.db_name, description=description)
    if url.startswith(NEO4J_SCHEMES):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(
            url, settings.db_user, settings.db_password, settings.db_name, retry_seconds=settings.db_retry_seconds
        )
    raise StoreError(f"unknown database setting {url!r}: use 'embedded', 'falkordb://host:port' or 'neo4j://host:port'")
