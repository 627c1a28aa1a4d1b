"""docker-compose.yml wiring, checked as data (no Docker engine runs here)."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import ROOT

from dutygraph.settings import Settings

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
SERVICES = COMPOSE["services"]


def test_compose_has_neo4j_a_one_shot_loader_and_the_api():
    assert set(SERVICES) == {"neo4j", "loader", "api"}
    assert SERVICES["neo4j"]["image"].startswith("neo4j:5")
    assert "community" in SERVICES["neo4j"]["image"]
    assert SERVICES["loader"]["restart"] == "no"
    assert SERVICES["loader"]["command"] == ["dutygraph", "load", "/app/data/samples"]


def test_neo4j_keeps_its_data_in_a_named_volume_and_has_a_healthcheck():
    assert "neo4j-data:/data" in SERVICES["neo4j"]["volumes"]
    assert "neo4j-data" in COMPOSE["volumes"]
    check = SERVICES["neo4j"]["healthcheck"]
    assert "cypher-shell" in " ".join(check["test"]) and check["retries"] >= 5


def test_credentials_come_from_the_environment_never_from_the_file():
    assert SERVICES["neo4j"]["environment"]["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"
    for name in ("loader", "api"):
        env = SERVICES[name]["environment"]
        assert env["DUTYGRAPH_DB_PASSWORD"].startswith("${NEO4J_PASSWORD:?")
    assert SERVICES["api"]["environment"]["DUTYGRAPH_API_KEYS"].startswith("${DUTYGRAPH_API_KEYS:?")


def test_loader_and_api_point_dutygraph_at_the_neo4j_service():
    for name in ("loader", "api"):
        env = SERVICES[name]["environment"]
        assert env["DUTYGRAPH_DB"] == "neo4j://neo4j:7687"
        # The variables are the ones dutygraph's settings read.
        assert set(env) - {"NEO4J_PASSWORD"} <= {f"DUTYGRAPH_{f.upper()}" for f in Settings.model_fields}


def test_loader_waits_for_a_healthy_neo4j_and_the_api_for_the_loader():
    assert SERVICES["loader"]["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert SERVICES["api"]["depends_on"] == {
        "neo4j": {"condition": "service_healthy"},
        "loader": {"condition": "service_completed_successfully"},
    }


def test_api_is_built_from_the_dockerfile_serves_port_8000_and_checks_readiness():
    assert SERVICES["api"]["build"] == "." and (ROOT / "Dockerfile").exists()
    assert "8000:8000" in SERVICES["api"]["ports"]
    assert "/readyz" in " ".join(SERVICES["api"]["healthcheck"]["test"])
    assert SERVICES["api"]["command"][-4:] == ["--host", "0.0.0.0", "--port", "8000"]


def test_the_dockerfile_installs_the_project_and_runs_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    assert "pip install" in dockerfile and "USER dutygraph" in dockerfile
    assert Path(ROOT / "data" / "samples").is_dir()  # what the loader loads inside the image
