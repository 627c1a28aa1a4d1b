"""The `dutygraph` command line against a real embedded database."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from dutygraph.api.app import create_app
from dutygraph.api.cli import app
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services
from dutygraph.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli")
    result = runner.invoke(app, ["--home", str(home), "load", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    yield home
    EmbeddedServer(home).stop()


def run(home, *args: str):
    return runner.invoke(app, ["--home", str(home), *args])


def test_tasks_prints_the_agency_tasks_grouped_by_document_with_role_and_partners(home):
    result = run(home, "tasks", "省大数据局")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("浙江省大数据发展管理局 (浙江省): 25 tasks")
    assert "《浙江省数字政府系统建设方案》" in result.output
    assert "《2019年浙江省深化“最多跑一次”改革推进政府数字化转型工作要点》 浙政办发〔2019〕17号" in result.output
    assert "with 浙江省市场监督管理局(lead)" in result.output
    assert "绍兴市" not in result.output


def test_tasks_json_with_role_filter_gives_only_that_role(home):
    result = run(home, "tasks", "省大數據局", "--role", "lead", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["agency"]["name"] == "浙江省大数据发展管理局"
    assert data["tasks"] and {t["role"] for t in data["tasks"]} == {"lead"}


def test_tasks_with_limit_pages_through_every_task_in_order(home):
    whole = json.loads(run(home, "tasks", "省大数据局", "--json").output)["tasks"]
    seen, after = [], None
    while True:
        result = run(home, "tasks", "省大数据局", "--json", "--limit", "4", *(["--after", after] if after else []))
        assert result.exit_code == 0, result.output
        page = json.loads(result.output)
        assert page["total"] == len(whole) and len(page["tasks"]) <= 4
        seen += page["tasks"]
        after = page["next"]
        if after is None:
            break
    assert seen == whole and len(whole) > 8
    text = run(home, "tasks", "省大数据局", "--limit", "4").output
    assert f"4 tasks of {len(whole)}" in text and "next page: --limit 4 --after " in text


def test_tasks_refuses_an_unknown_role(home):
    result = run(home, "tasks", "省大数据局", "--role", "boss")
    assert result.exit_code == 2
    assert "lead, support or joint" in result.output


def test_tasks_of_an_unknown_agency_exits_non_zero_with_a_message(home):
    result = run(home, "tasks", "省不存在局")
    assert result.exit_code == 1
    assert "no agency or group named '省不存在局'" in result.output


def test_query_runs_a_named_query_as_csv(home):
    result = run(
        home, "query", "tasks_due", "--param", "due_after=2019-04-01", "--param", "due_before=2019-04-30", "--csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows and all(r["due"].startswith("2019-04") for r in rows)
    assert list(rows[0]) == ["due", "expression", "step", "task_id", "number", "title", "leads", "doc_id", "document"]


def test_query_csv_is_byte_identical_to_the_api_csv_of_the_same_query(home):
    params = {"due_after": "2019-04-01", "due_before": "2019-06-30"}
    cli_csv = run(home, "query", "tasks_due", *[f"--param={k}={v}" for k, v in params.items()], "--csv")
    assert cli_csv.exit_code == 0, cli_csv.output
    services = Services(Settings(home=home, db="embedded"))
    try:
        api_csv = TestClient(create_app(services.settings, services), base_url="http://localhost").get(
            "/api/queries/tasks_due.csv", params=params
        )
    finally:
        services.close()
    assert api_csv.status_code == 200
    assert cli_csv.stdout_bytes == api_csv.content
    assert cli_csv.stdout_bytes.startswith(b"\xef\xbb\xbfdue,expression,step,task_id,")


def test_a_list_in_a_csv_cell_is_joined_with_the_chinese_list_comma(home):
    """打造常态化疫情防控应用 (000) names two lead units: 省疫情防控办、省卫生健康委."""
    as_json = json.loads(run(home, "query", "tasks_with_several_leads", "--json").output)
    as_csv = run(home, "query", "tasks_with_several_leads", "--csv").stdout_bytes.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(as_csv))
    assert len(as_json[0]["leads"]) == 2
    assert row["leads"] == "、".join(as_json[0]["leads"])


@pytest.mark.parametrize(
    ("command", "header"),
    [
        (["docs"], "doc_id,title,document,doc_number,issued,"),
        (["tasks", "省大数据局"], "doc_id,document,doc_number,task_id,number,title,section,agency,agency_id,role,"),
        (["query", "tasks_with_several_leads"], "task_id,number,title,leads,doc_id,document"),
        (["overload", "--top", "3"], "rank,id,name,kind,jurisdiction,overload,load,lead,support,joint,"),
        (["centrality", "--top", "3"], "id,name,kind,degree,weighted_degree,betweenness,pagerank,community"),
        (["compare", "2019", "2021"], "id,name,a,b,change"),
    ],
)
def test_every_command_that_lists_things_takes_json_and_csv(home, command, header):
    as_csv = run(home, *command, "--csv")
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.stdout_bytes.startswith(b"\xef\xbb\xbf" + header.encode())
    as_json = run(home, *command, "--json")
    assert as_json.exit_code == 0, as_json.output
    json.loads(as_json.output)
    both = run(home, *command, "--json", "--csv")
    assert both.exit_code == 2 and "choose one" in both.output


def test_extract_csv_has_the_columns_of_its_json_lines_one_row_per_task():
    plan = SAMPLES / "001_8308b1ada969cea2.txt"
    lines = runner.invoke(app, ["extract", str(plan), "--json"]).output.splitlines()
    as_csv = runner.invoke(app, ["extract", str(plan), "--csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0] == list(json.loads(lines[0]))
    assert len(rows) == 1 + len(lines)


def test_query_runs_a_named_query_as_json(home):
    result = run(home, "query", "tasks_with_several_leads", "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["title"] == "打造常态化疫情防控应用"


def test_query_names_the_missing_parameter(home):
    result = run(home, "query", "agency_tasks")
    assert result.exit_code == 2
    assert "'agency' is required" in result.output


def test_query_list_shows_every_query_with_its_parameters(home):
    result = run(home, "query", "list")
    assert (
        "agency_tasks(agency, role?, document?, jurisdiction?, due_after?, due_before?, counterparts?, limit?, after?)"
        in result.output
    )


def test_docs_json_lists_documents_with_counts(home):
    result = run(home, "docs", "--json")
    docs = {d["source"]: d for d in json.loads(result.output)}
    assert len(docs) == 5
    assert docs["003_160671325042dcbf.txt"]["tasks"] == 35


def test_load_dry_run_reports_unchanged_documents(home):
    result = run(home, "load", "--dry-run", str(SAMPLES))
    assert result.exit_code == 0
    assert result.output.count("unchanged") == 5


def test_remove_of_an_unknown_document_fails_cleanly(home):
    result = run(home, "remove", "浙政发〔1999〕1号")
    assert result.exit_code == 1
    assert "no stored document" in result.output


def test_db_status_start_stop(tmp_path_factory):
    home = tmp_path_factory.mktemp("db")
    assert "stopped" in run(home, "db", "status").output
    assert "running" in run(home, "db", "start").output
    status = json.loads(run(home, "db", "status", "--json").output)
    assert status["running"] is True and status["home"] == str(home.resolve())
    assert run(home, "db", "stop").output.strip() == "stopped"
    assert run(home, "db", "stop").output.strip() == "was not running"


def test_dutygraph_home_environment_variable_selects_the_data_directory(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("DUTYGRAPH_HOME", str(home))
    try:
        result = runner.invoke(app, ["db", "start"])
        assert result.exit_code == 0
        assert EmbeddedServer(home).status().running
    finally:
        EmbeddedServer(home).stop()
