"""One router per resource; ``api/app.py`` includes them all (:data:`ROUTERS`), in this order.

==============  ==========================================================================
``health``      ``/healthz``, ``/readyz``
``agencies``    ``/api/agencies…``, ``/api/paths``
``tasks``       ``/api/tasks…``
``documents``   ``/api/documents…``: list, detail, upload, removal
``queries``     ``/api/queries…`` (the named queries of queries/), ``/api/cypher`` (ad-hoc Cypher)
``exports``     ``/api/export/…``: the 任务分工表 (CSV, Excel) and the network (GraphML, GEXF)
``analytics``   ``/api/analytics/…``: overload, centrality, communities, comparisons
``pictures``    ``/viz/…`` and the vis-network files they load from ``/static``
``planner``     ``/``: the planner page
==============  ==========================================================================
"""

from __future__ import annotations

from . import agencies, analytics, documents, exports, health, pictures, planner, queries, tasks

ROUTERS = [
    health.router,
    analytics.router,
    agencies.router,
    tasks.router,
    documents.router,
    queries.router,
    exports.router,
    pictures.router,
    planner.router,
]
