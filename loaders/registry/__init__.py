"""The registry of government bodies: its files, the jurisdiction tree and the indexes and
standard departments built from the files (:mod:`.build`), lookup and resolution
(:mod:`.lookup`), and a document's jurisdiction (:mod:`.place`).
"""

from dutygraph.loaders.names import name_key, normalise

from .build import DATA_DIR, RegistryError
from .lookup import Registry
from .model import LEVELS, Agency, Jurisdiction, Resolution

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
