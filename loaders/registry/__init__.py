"""The registry of government bodies: its files, the jurisdiction tree and the indexes and
standard departments built from the files (:mod:`.build`), and lookup and resolution
(:mod:`.lookup`).  A document's jurisdiction, inferred over the tree, is the metadata stage's
(:func:`dutygraph.loaders.metadata.infer_jurisdiction`).
"""

from dutygraph.loaders.names import name_key, normalise
from dutygraph.model import LEVELS, Agency, Jurisdiction, Resolution

from .build import DATA_DIR, RegistryError
from .lookup import Registry

__all__ = [
    "DATA_DIR",
    "LEVELS",
    "Agency",
    "Jurisdiction",
    "Registry",
    "RegistryError",
    "Resolution",
    "name_key",
    "normalise",
]
