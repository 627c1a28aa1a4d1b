"""Shared fixtures: the seed documents, extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutygraph.loaders.agencies import Registry
from dutygraph.loaders.extract import Extractor
from dutygraph.model import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(scope="session")
def extractor(registry: Registry) -> Extractor:
    return Extractor(registry)


@pytest.fixture(scope="session")
def seed_docs(extractor: Extractor) -> dict[str, Document]:
    """The five seed documents as shipped in data/samples, by file name."""
    return {p.name: extractor.extract_file(p) for p in sorted(SAMPLES.glob("*.txt"))}
