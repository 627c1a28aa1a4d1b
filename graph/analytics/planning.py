"""What planners ask of the graph beside the analytics: suggested owners and continuity links.

:func:`refresh` recomputes both for the current graph version (a digest of the stored documents'
fingerprints, :func:`.analysis.graph_version`) when it changed since they were stored; the services
call it wherever the network analytics are refreshed, after every load and removal.
"""

from __future__ import annotations

from ..store import GraphStore
from . import continuity, suggestions
from .analysis import graph_version


def refresh(
    store: GraphStore,
    suggestion_params: suggestions.SuggestionParams | None = None,
    continuity_params: continuity.ContinuityParams | None = None,
) -> None:
    """Recompute the stored suggestions and continuity links unless current."""
    version = graph_version(store)
    suggestions.refresh(store, version, suggestion_params)
    continuity.refresh(store, version, continuity_params)
