"""The loader's entry point, kept where callers import it from (``dutygraph.loaders.extract``).

The pipeline itself — its stages and what each hands the next — is :mod:`.pipeline`.
"""

from __future__ import annotations

from .pipeline import METADATA_KEYS, Extractor, read_sidecar

__all__ = ["METADATA_KEYS", "Extractor", "read_sidecar"]
