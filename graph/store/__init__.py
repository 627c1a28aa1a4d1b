"""The graph store: one interface (:class:`GraphStore`), two backends, the write statements.

==================  ==========================================================================
``base``            the interface; storing and removing a document, the same for every backend
``errors``          what can go wrong, as types (``StoreUnavailable`` → 503, ``QueryTimeout`` → 504 …)
``factory``         :func:`open_store`: the only place that reads the database settings
``falkordb_store``  FalkorDB, embedded or external (native ``falkordb`` client)
``neo4j_store``     Neo4j 5 (official driver)
``embedded``        the FalkorDB server dutygraph starts itself in the data directory
``writes``          what a store write sends: the Cypher that stores and removes one document and
                    the parameter maps it UNWINDs (a :class:`~dutygraph.model.Document` as maps)
``readonly``        the guard in front of ad-hoc Cypher (writes, nesting, length, row cap)
``schema``          node labels and relationship types (the linter's vocabulary)
==================  ==========================================================================

The store imports only the domain model (:mod:`dutygraph.model`), ``queries/`` and, in the
factory, the settings.
"""

from __future__ import annotations

from .base import GraphStore, QueryResult, WriteSummary, collector_paused
from .errors import QueryRefused, QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable
from .factory import open_store
from .writes import DocumentPayload

__all__ = [
    "DocumentPayload",
    "GraphStore",
    "QueryRefused",
    "QueryResult",
    "QueryTimeout",
    "ReadOnlyViolation",
    "StoreError",
    "StoreUnavailable",
    "WriteSummary",
    "collector_paused",
    "open_store",
]
