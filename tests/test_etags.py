"""ETags from the graph's version, 304 for a matching If-None-Match, and the recent answers the
app keeps: cleared by every load and removal (the real app over a real embedded FalkorDB)."""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from test_api import READ, WRITE, client_for

from dutygraph.services import Services

FIRST = SAMPLES / "003_160671325042dcbf.txt"
SECOND = SAMPLES / "001_8308b1ada969cea2.txt"


def upload(client, path):
    files = {"file": (path.name, path.read_bytes())}
    response = client.post("/api/documents", files=files, headers={"X-API-Key": WRITE})
    assert response.status_code == 201, response.text
    return response.json()["doc_id"]


@pytest.fixture
def loaded(fresh_services):
    client = client_for(fresh_services)
    upload(client, FIRST)
    return client, fresh_services


def test_a_read_answers_304_to_its_own_etag_and_200_to_another(loaded):
    client, _ = loaded
    first = client.get("/api/documents")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/api/documents", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    stale = client.get("/api/documents", headers={"If-None-Match": '"not-this-one"'})
    assert stale.status_code == 200 and stale.json() == first.json()
    other = client.get("/api/documents", params={"limit": 1})
    assert other.headers["etag"] != etag  # another request, another answer


def test_a_load_gives_a_fresh_etag_and_the_new_answer(loaded):
    client, _ = loaded
    before = client.get("/api/documents")
    upload(client, SECOND)
    after = client.get("/api/documents", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["total"] == before.json()["total"] + 1


def test_answers_are_kept_until_a_load_or_a_removal_clears_them(loaded):
    client, _ = loaded
    answers = client.app.state.answers
    body = client.get("/api/tasks", params={"limit": 3}).json()
    assert len(answers) == 1
    assert client.get("/api/tasks", params={"limit": 3}).json() == body  # answered from what was kept
    doc_id = upload(client, SECOND)
    assert len(answers) == 0
    assert client.get("/api/tasks", params={"limit": 3}).json()["total"] > body["total"]
    assert len(answers) == 1
    removed = client.delete(f"/api/documents/{doc_id}", headers={"X-API-Key": WRITE})
    assert removed.json()["action"] == "removed" and len(answers) == 0
    assert client.get("/api/tasks", params={"limit": 3}).json() == body


def test_a_load_beside_the_server_without_analytics_changes_the_version_and_nothing_kept_is_reused(loaded):
    # What a CLI beside the server does with `dutygraph load --no-analytics`.
    client, services = loaded
    before = services.graph_version()
    etag = client.get("/api/tasks", params={"limit": 1}).headers["etag"]
    total = services.page("search_tasks", {"q": ""}, limit=1).total
    beside = Services(services.settings)  # another process on the same database, as a CLI is
    try:
        report = beside.load([SECOND], refresh_analytics=False)
    finally:
        beside.close()
    assert report.ok and report.loaded[0].action == "created"
    assert services.graph_version() != before
    # This process kept its answers and totals, but under the version before: neither is given again.
    assert services.page("search_tasks", {"q": ""}, limit=1).total > total
    assert client.get("/api/tasks", params={"limit": 1}, headers={"If-None-Match": etag}).status_code == 200
    services.refresh_analytics()
    assert services.graph_version() not in (before, "empty")


def test_a_kept_answer_is_never_given_to_a_request_the_api_refuses(fresh_services):
    client = client_for(fresh_services, read_requires_key=True)
    upload(client, FIRST)
    assert client.get("/api/documents", headers={"X-API-Key": READ}).status_code == 200
    assert len(client.app.state.answers) == 1
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers={"X-API-Key": "wrong"}).status_code == 401


def test_an_answer_kept_for_the_graph_before_a_change_nobody_cleared_is_not_given_again(loaded):
    # The version in the key keeps answers fresh; clearing them after an upload only gives memory back.
    client, services = loaded
    answers = client.app.state.answers
    before = client.get("/api/tasks", params={"limit": 3}).json()
    beside = Services(services.settings)  # a CLI beside the server: the app's answers are not cleared
    try:
        assert beside.load([SECOND]).ok
    finally:
        beside.close()
    assert len(answers) == 1
    assert client.get("/api/tasks", params={"limit": 3}).json()["total"] > before["total"]
