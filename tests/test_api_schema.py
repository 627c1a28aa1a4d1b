"""The OpenAPI schema against the real app: schemathesis generates requests for every operation
and checks that none gets a server error and every response keeps to the schema (a documented
status code and content type, a body matching its model).

Reads run over the shared seed graph.  The two write operations (upload, delete) run over a
graph of their own loaded with data/samples, so their random inputs cannot touch the seed graph
the other tests read.  Every request carries a key with the read, cypher and write scopes, so the
protected endpoints are exercised past their key check.

Random names almost never name anything, so half the time a name, document or query parameter is
drawn from the real ones in the samples instead: the 200 answers get checked against their models
too.  And every agency, task and document in the seed graph is then walked once, each answer
validated the same way.

Bounded and repeatable: a fixed seed, derandomized generation, MAX_EXAMPLES per operation in the
fuzzing phase (the examples and coverage phases add a bounded number of their own).

The schema is read at import from an app whose services are never opened (building the OpenAPI
document touches no database); each test sends its requests to the app over a real graph.
(``schemathesis.pytest.from_fixture`` would do this lazily, but schemathesis 4.32 sets
``Function._nodeid``, which pytest 9.2 no longer has.)
"""

from __future__ import annotations

import pytest
import schemathesis
from conftest import SAMPLES
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dutygraph.api.app import create_app
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.queries import all_queries
from dutygraph.services import Services
from dutygraph.settings import Settings

KEY = "schema-key"
KEYS = f"{KEY}=read+cypher+write"
MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
WRITES = r"^/api/documents(/\{doc_id\})?$"

# Names as the samples write them, in the forms the API takes: short, full, traditional, city level.
AGENCIES = [
    "省大数据局",
    "浙江省大数据发展管理局",
    "省大數據局",
    "省档案局",
    "绍兴市大数据局",
    "市大数据局",
    "省商务厅",
]
DOCUMENTS = [
    "浙政发〔2022〕20号",
    "浙政办发〔2019〕17号",
    "绍兴市加快推进数字政府建设实施方案",
    "001_8308b1ada969cea2.txt",
]


def real(dictionary: str) -> dict[str, object]:
    return {"dictionary": dictionary, "probability": 0.5}


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20240501,
        "headers": {"X-API-Key": KEY},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "dictionaries": {
            "agencies": {"values": AGENCIES},
            "documents": {"values": DOCUMENTS},
            "queries": {"values": sorted(all_queries())},
        },
        "parameters": {
            "path.name": real("agencies"),
            "path.doc_id": real("documents"),
            "query.document": real("documents"),
            "query.agency": real("agencies"),
            "query.from": real("agencies"),
            "query.to": real("agencies"),
        },
        "operations": [{"include-path": "/api/queries/{name}", "parameters": {"path.name": real("queries")}}],
    }
)
# schemathesis calls the app as the host "testserver": a name the app must be told to answer (api/middleware.py).
HOSTS = "testserver"
_unopened = Settings(db="embedded", api_keys=KEYS, allowed_hosts=HOSTS)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_unopened, Services(_unopened)), config=CONFIG)


def app_over(services: Services):
    return create_app(services.settings.model_copy(update={"api_keys": KEYS, "allowed_hosts": HOSTS}), services)


@pytest.fixture(scope="module")
def seed_app(seed_services):
    return app_over(seed_services)


@pytest.fixture(scope="module")
def write_app(tmp_path_factory):
    """A graph of its own for the writes, loaded with the samples so deletes find something."""
    home = tmp_path_factory.mktemp("schemagraph")
    services = Services(Settings(home=home, db="embedded"))
    assert services.load_samples().ok
    yield app_over(services)
    services.close()
    EmbeddedServer(home).stop()


@schema.exclude(method=["POST", "DELETE"], path_regex=WRITES).parametrize()
def test_reads_keep_to_the_schema(case, seed_app):
    case.call_and_validate(app=seed_app, checks=CHECKS)


@schema.include(method=["POST", "DELETE"], path_regex=WRITES).parametrize()
def test_writes_keep_to_the_schema(case, write_app):
    case.call_and_validate(app=write_app, checks=CHECKS)


# ---------------------------------------------------------------- every stored thing, once


def validated(app, path: str, method: str = "GET", files=None, **case_args):
    """One request made by hand, validated by the same checks as the generated ones."""
    case = schema[path][method].Case(**case_args)
    sent = {"files": files} if files else {}
    return case.call_and_validate(app=app, checks=CHECKS, headers={"X-API-Key": KEY}, **sent)


def test_every_agency_task_and_document_answers_in_its_schema(seed_app, seed_docs):
    units = validated(seed_app, "/api/agencies", query={"limit": 1000}).json()["items"]
    assert units
    for unit in units:
        for path in ("/api/agencies/{name}", "/api/agencies/{name}/tasks", "/api/agencies/{name}/collaborators"):
            assert validated(seed_app, path, path_parameters={"name": unit["id"]}).status_code == 200
    tasks = [t for doc in seed_docs.values() for t in doc.tasks]
    for task in tasks:
        assert validated(seed_app, "/api/tasks/{task_id}", path_parameters={"task_id": task.id}).status_code == 200
    for doc in validated(seed_app, "/api/documents").json()["items"]:
        response = validated(seed_app, "/api/documents/{doc_id}", path_parameters={"doc_id": doc["doc_id"]})
        assert response.status_code == 200


def test_every_named_query_answers_in_its_schema(seed_app):
    given = {"agency": "省大数据局", "unit": "省档案局", "name": "省大数据局", "q": "数据", "task": "x"}
    given |= {"document": "浙政发〔2022〕20号", "from": "省档案局", "to": "省大数据局"}
    for name, query in all_queries().items():
        params = {p["name"]: given[p["name"]] for p in query.to_dict()["params"] if p["required"]}
        for suffix in ("", ".csv"):
            response = validated(seed_app, "/api/queries/{name}", path_parameters={"name": name + suffix}, query=params)
            assert response.status_code == 200, (name, response.text)


def test_a_real_upload_and_delete_answer_in_their_schema(write_app):
    path = SAMPLES / "003_160671325042dcbf.txt"
    upload = {"files": {"file": (path.name, path.read_bytes())}, "media_type": "multipart/form-data"}
    first = validated(write_app, "/api/documents", "POST", **upload)
    assert first.status_code in (200, 201)  # 201 if the fuzzing above removed it
    again = validated(write_app, "/api/documents", "POST", **upload)
    assert (again.status_code, again.json()["action"]) == (200, "unchanged")
    doc = {"path_parameters": {"doc_id": first.json()["doc_id"]}}
    assert validated(write_app, "/api/documents/{doc_id}", "DELETE", **doc).json()["action"] == "removed"
    assert validated(write_app, "/api/documents/{doc_id}", "DELETE", **doc).status_code == 404
    assert validated(write_app, "/api/documents", "POST", **upload).status_code == 201


# ---------------------------------------------------------------- what the fuzzing found, kept found


@pytest.mark.parametrize("params", [{"": 1}, {"`x": 1}, {"a": {"": 1}}, {"a": [{"b`": 1}]}])
def test_cypher_parameter_names_falkordb_cannot_take_are_a_400_not_a_500(seed_app, params):
    body = {"query": "RETURN 1 AS one", "params": params}
    response = validated(seed_app, "/api/cypher", "POST", body=body, media_type="application/json")
    assert response.status_code == 400 and "not allowed" in response.json()["detail"]


def test_an_unparsable_multipart_upload_is_a_documented_400(write_app):
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    case = schema["/api/documents"]["POST"].Case(headers=headers)
    response = case.call_and_validate(
        app=write_app, checks=CHECKS, headers={"X-API-Key": KEY}, data=b"--b\r\nTrue--b--\r\n"
    )
    assert response.status_code == 400
