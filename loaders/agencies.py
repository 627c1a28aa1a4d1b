"""Compatibility: the agency registry moved to :mod:`dutygraph.loaders.registry`
(files, build, lookup) and the name normaliser to :mod:`dutygraph.loaders.names`.
Import from there; this module only re-exports them for code written before."""

from dutygraph.loaders.names import name_key, normalise
from dutygraph.loaders.registry import DATA_DIR, LEVELS, Agency, Jurisdiction, Registry, Resolution

__all__ = [
    "DATA_DIR",
    "LEVELS",
    "Agency",
    "Jurisdiction",
    "Registry",
    "Resolution",
    "name_key",
    "normalise",
]
