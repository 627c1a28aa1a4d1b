"""Suggested owners, task histories and the follow-up calendar through the real API and the real CLI,
on the seed graph.  Expected values come from the documents and the annotation (tests/annotations)."""

from __future__ import annotations

import json
import warnings

import icalendar
import pytest
from conftest import SAMPLES
from test_followup import annotated_tasks
from typer.testing import CliRunner

from dutygraph.api.app import create_app
from dutygraph.api.cli import app
from dutygraph.graph.store.embedded import EmbeddedServer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

runner = CliRunner()


@pytest.fixture(scope="module")
def api(seed_services) -> TestClient:
    return TestClient(create_app(seed_services.settings, seed_services), base_url="http://localhost")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("planning-cli")
    result = runner.invoke(app, ["--home", str(home), "load", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    yield home
    EmbeddedServer(home).stop()


def run(home, *args: str):
    return runner.invoke(app, ["--home", str(home), *args])


def first_unassigned(api: TestClient, document: str) -> dict:
    return api.get("/api/suggestions", params={"document": document}).json()["items"][0]


# ---------------------------------------------------------------- API


def test_api_suggestions_cover_every_unassigned_task_of_002_and_004(api):
    for document, tasks in (("浙政发〔2021〕13号", 6), ("浙政发〔2022〕20号", 52)):
        body = api.get("/api/suggestions", params={"document": document, "limit": 100}).json()
        assert body["total"] == tasks
        assert all(item["leads"] for item in body["items"])


def test_api_task_suggestions_give_ranked_owners_with_their_precedents(api):
    task = first_unassigned(api, "浙政发〔2022〕20号")
    body = api.get(f"/api/tasks/{task['task_id']}/suggestions").json()
    assert body["assigned"] is False and body["version"]
    assert [s["rank"] for s in body["leads"]] == list(range(1, len(body["leads"]) + 1))
    best = body["leads"][0]
    assert best["unit_id"] == task["leads"][0]["id"]
    assert best["reasons"] and all(r["clause"] and r["document"] for r in best["reasons"])


def test_an_assigned_task_has_no_suggestions_and_an_unknown_one_is_404(api):
    (task,) = [t for t in api.get("/api/tasks", params={"q": "建设统一的数字档案系统"}).json()["items"]]
    body = api.get(f"/api/tasks/{task['task_id']}/suggestions").json()
    assert (body["assigned"], body["leads"], body["supports"]) == (True, [], [])
    assert api.get("/api/tasks/task-nope/suggestions").status_code == 404


def test_api_history_links_the_2021_application_to_the_2019_platform(api):
    (task,) = api.get("/api/tasks", params={"q": "打造生态环境保护综合协同管理应用"}).json()["items"]
    history = api.get(f"/api/tasks/{task['task_id']}/history").json()["history"]
    assert [h["year"] for h in history[:2]] == [2019, 2021]
    assert history[0]["leads"] == history[1]["leads"] == ["浙江省生态环境厅"]


def test_api_milestones_by_agency_and_period_mark_overdue_against_today(api):
    params = {"from": "2019-06-01", "to": "2019-06-30", "agency": "省大数据局", "today": "2019-06-20"}
    body = api.get("/api/milestones", params=params).json()
    assert body["agency"]["name"] == "浙江省大数据发展管理局"
    assert len({s["task_id"] for s in body["items"]}) == annotated_tasks("省大数据局", "2019-06")
    # the June steps of these tasks: 6月底前 (06-30) is upcoming on the 20th
    assert {s["status"] for s in body["items"]} == {"upcoming"} and body["overdue"] == 0
    assert api.get("/api/milestones", params={"agency": "没有这个单位"}).status_code == 404
    assert api.get("/api/milestones", params={"from": "2019-07-01", "to": "2019-06-01"}).status_code == 422


def test_api_calendar_is_an_ics_file_icalendar_parses(api):
    response = api.get("/api/agencies/省大数据局/calendar.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert ".ics" in response.headers["content-disposition"]
    parsed = icalendar.Calendar.from_ical(response.content)
    assert str(parsed["X-WR-CALNAME"]) == "dutygraph · 浙江省大数据发展管理局"
    assert list(parsed.walk("VEVENT"))


def test_api_carried_over_counts_for_one_agency(api):
    (row,) = api.get("/api/analytics/carried-over", params={"agency": "省生态环境厅"}).json()
    assert row["name"] == "浙江省生态环境厅" and row["carried_over"] >= 1


# ---------------------------------------------------------------- CLI


def test_suggest_lists_every_unassigned_task_of_a_document_as_suggestions(home):
    result = run(home, "suggest", "--document", "浙政发〔2021〕13号")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("6 unassigned tasks: suggested owners (not assignments)")
    assert result.output.count("suggested lead:") == 6
    rows = json.loads(run(home, "suggest", "--document", "浙政发〔2022〕20号", "--json").output)
    assert len(rows) == 52 and all(r["leads"] for r in rows)


def test_suggest_for_one_task_names_its_precedents_and_their_clauses(home):
    (row, *_) = json.loads(run(home, "suggest", "--document", "浙政发〔2021〕13号", "--json").output)
    result = run(home, "suggest", "--task", row["task_id"])
    assert result.exit_code == 0, result.output
    assert f"suggested lead #1: {row['leads'][0]['name']}" in result.output
    assert "like " in result.output and "similarity" in result.output


def test_due_within_30d_for_the_big_data_bureau_answers_and_counts_the_overdue(home, tmp_path):
    ics = tmp_path / "dsj.ics"
    args = ["due", "--within", "30d", "--agency", "省大数据局", "--today", "2019-06-10", "--ics", str(ics)]
    result = run(home, *args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("浙江省大数据发展管理局: ")
    assert "due 2019-06-10 – 2019-07-10 (today 2019-06-10)" in result.output.splitlines()[0]
    assert "past their due date in all" in result.output
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert events
    today = run(home, "due", "--within", "30d", "--agency", "省大数据局")
    assert today.exit_code == 0, today.output  # the seed steps are all of 2019-2025: an answer all the same


def test_due_refuses_a_bad_period_in_one_line(home):
    result = run(home, "due", "--within", "3x")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: --within must be a number of days")


def test_history_prints_the_earlier_task_first(home):
    result = run(home, "query", "search_tasks", "-p", "q=打造生态环境保护综合协同管理应用", "--json")
    (task,) = json.loads(result.output)
    printed = run(home, "history", task["task_id"])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert lines[0].startswith("  2019 ") and "建设生态环境保护综合协同管理平台" in lines[0]
    assert any(line.startswith("→ 2021 ") for line in lines)
