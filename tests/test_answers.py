"""Every answer right: documents without a title, bad arguments, counts, order and labels — through
the real app (FastAPI over an embedded FalkorDB) and the real CLI."""

from __future__ import annotations

import io
import re
import shutil
import warnings
from urllib.parse import unquote

import networkx as nx
import pytest
from conftest import SAMPLES, embedded_settings
from openpyxl import load_workbook
from typer.testing import CliRunner

from dutygraph.api.app import create_app
from dutygraph.api.cli import app as cli
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

runner = CliRunner()
BUREAU = "浙江省大数据发展管理局"


@pytest.fixture(scope="module")
def api(seed_services) -> TestClient:
    return TestClient(create_app(seed_services.settings, seed_services), base_url="http://localhost")


def cli_run(services: Services, *args: str):
    return runner.invoke(cli, ["--home", str(services.settings.home), *args])


# ---------------------------------------------------------------- item 2: documents without a title


@pytest.fixture(scope="module")
def untitled(tmp_path_factory):
    """The seeds loaded as received, without their sidecars (some have no title), and a plan that says
    nothing of where it is from (its units have no jurisdiction)."""
    folder = tmp_path_factory.mktemp("nosidecars")
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, folder)
    (folder / "nowhere.txt").write_text(
        "数据工作方案\n\n一、主要任务\n\n1.建设平台。\n\n责任单位:数据服务中心\n", "utf-8"
    )
    home = tmp_path_factory.mktemp("untitledgraph")
    services = Services(embedded_settings(home))
    assert services.load([folder]).ok
    yield services
    services.close()
    EmbeddedServer(home).stop()


def test_a_document_without_a_title_is_exported_under_its_file_name(untitled):
    docs = untitled.documents()
    nameless = [d for d in docs if d["title"] is None]
    assert nameless, "the seeds without sidecars should include a document without a title"
    client = TestClient(create_app(untitled.settings, untitled), base_url="http://localhost")
    response = client.get("/api/export/assignments.xlsx")
    assert response.status_code == 200, response.text
    sources = {
        row[5] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)
    }
    for d in nameless:
        assert any(str(s).startswith(d["source"]) for s in sources), (d["source"], sources)
    assert not any("None" in str(s) for s in sources)
    csv_text = client.get("/api/export/assignments.csv").content.decode("utf-8-sig")
    assert all(d["source"] in csv_text for d in nameless) and "None" not in csv_text


def test_docs_and_the_planner_show_a_file_name_an_unknown_jurisdiction_and_the_year(untitled):
    nameless = [d for d in untitled.documents() if d["title"] is None]
    listing = cli_run(untitled, "docs")
    assert listing.exit_code == 0, listing.output
    assert "None" not in listing.output
    for d in nameless:
        assert f"{d['doc_id']}  " in listing.output and d["source"] in listing.output
    page = TestClient(create_app(untitled.settings, untitled), base_url="http://localhost").get("/").text
    documents_table = page.split('id="documents"')[1]
    assert "None" not in documents_table
    assert all(d["source"] in documents_table for d in nameless)
    # A unit of a document of unknown jurisdiction: "(jurisdiction unknown)", never "(None)".
    rows = untitled.store.read("MATCH (u:Unit) WHERE u.jurisdiction IS NULL RETURN u.id LIMIT 1").rows
    assert rows, "expected a unit without a jurisdiction among the seeds without sidecars"
    tasks = cli_run(untitled, "tasks", rows[0][0])
    assert tasks.exit_code == 0 and "(jurisdiction unknown)" in tasks.output and "(None)" not in tasks.output


def test_a_known_year_without_a_date_shows_the_year(seed_services):
    dated = {d["doc_id"]: d for d in seed_services.documents()}
    year_only = [d for d in dated.values() if d["issued"] is None and d["year"]]
    assert year_only, "000 is known by its year only"
    listing = cli_run(seed_services, "docs").output
    for d in year_only:
        assert f"{d['doc_id']}  {d['year']}  " in listing
    assert "----------" not in listing


# ---------------------------------------------------------------- item 6: bad arguments


@pytest.mark.parametrize(
    ("args", "status", "wanted"),
    [
        (["compare", "2019", "abc"], 1, "no stored document 'abc'"),
        (["compare", "2030", "2031"], 1, "no stored document of 2030 (stored: 2019, 2021, 2022)"),
        (["overload", "--year", "2030"], 1, "no stored document of 2030"),
        (["overload", "--document", "浙政发〔1999〕1号"], 1, "no stored document '浙政发〔1999〕1号'"),
        (["centrality", "--jurisdiction", "江苏省"], 1, "no stored document of 江苏省"),
        (["centrality", "--order-by", "foo"], 2, "pagerank, betweenness, degree, weighted_degree"),
        (["overload", "--level", "galaxy"], 2, "national, province, city, county"),
    ],
)
def test_an_unknown_document_year_or_option_value_is_an_error_naming_it(seed_services, args, status, wanted):
    result = cli_run(seed_services, *args)
    assert result.exit_code == status, result.output
    assert wanted in result.stderr, result.stderr
    assert result.stdout == ""


def test_the_api_answers_unknown_years_and_documents_with_404_naming_them(api):
    for path, wanted in [
        ("/api/analytics/overload?year=2030", "2030"),
        ("/api/analytics/compare?a=2019&b=abc", "'abc'"),
        ("/api/analytics/centrality?document=nope", "'nope'"),
        ("/api/export/assignments.xlsx?document=nope", "'nope'"),
    ]:
        response = api.get(path)
        assert response.status_code == 404, (path, response.text)
        assert wanted in response.json()["detail"]


def test_a_partial_name_that_fits_several_units_lists_them(seed_services, api):
    suggested = {u["name"] for u in api.get("/api/agencies", params={"q": "大数据局"}).json()["items"]}
    assert len(suggested) > 1
    result = cli_run(seed_services, "tasks", "大数据局")
    assert result.exit_code == 2
    assert f"'大数据局' is part of the names of {len(suggested)} units" in result.stderr
    assert all(name in result.stderr for name in suggested)
    assert api.get("/api/agencies/大数据局/tasks").status_code == 409


def test_a_partial_name_that_fits_one_unit_finds_it(seed_services, api):
    result = cli_run(seed_services, "tasks", "浙江省大数据发展")
    assert result.exit_code == 0 and result.stdout.startswith(f"{BUREAU} (浙江省): ")
    assert api.get("/api/agencies/浙江省大数据发展/tasks").json()["agency"]["name"] == BUREAU


# ---------------------------------------------------------------- item 7: counts


def test_load_and_docs_count_the_same_units(tmp_path):
    home = tmp_path / "home"
    try:
        loaded = runner.invoke(cli, ["--home", str(home), "load", str(SAMPLES)])
        assert loaded.exit_code == 0, loaded.output
        said = {}
        for line in loaded.stdout.splitlines():
            _action, doc_id, counts = line.split(maxsplit=2)
            said[doc_id] = int(re.search(r"([\d,]+) units?\b", counts).group(1).replace(",", ""))
        listed = runner.invoke(cli, ["--home", str(home), "docs", "--json"])
        import json

        assert said == {d["doc_id"]: d["units"] for d in json.loads(listed.stdout)}
    finally:
        EmbeddedServer(home).stop()


# ---------------------------------------------------------------- item 8: order and labels


def test_partners_are_listed_in_the_order_the_clause_names_them(seed_services, api):
    for name in (BUREAU, "浙江省经济和信息化厅", "浙江省发展和改革委员会"):
        rows = api.get(f"/api/agencies/{name}/tasks", params={"limit": 1000}).json()
        for row in rows["items"]:
            written = seed_services.store.read(
                "MATCH (p:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t:Task {id: $t}) WHERE p.id <> $a "
                "RETURN p.id, r.implicit, r.name_start",
                {"t": row["task_id"], "a": rows["agency"]["id"]},
            ).rows
            in_clause = [u for u, _, _ in sorted(written, key=lambda w: (bool(w[1]), w[2] is None, w[2] or 0))]
            assert [p["id"] for p in row["partners"]] == in_clause, row["task_id"]


def test_task_units_are_in_clause_order_with_the_clause_shown_as_one_line(seed_services, api):
    broken = seed_services.store.read(
        "MATCH (u:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t:Task) WHERE r.clause CONTAINS '\\n' RETURN t.id LIMIT 5"
    ).rows
    assert broken, "the PDF-text seed has clauses with line breaks"
    text = (SAMPLES / "001_8308b1ada969cea2.txt").read_text("utf-8")
    for (task_id,) in broken:
        task = api.get(f"/api/tasks/{task_id}").json()
        for unit in task["units"]:
            if unit["clause"]:
                assert "\n" not in unit["clause_display"]
                assert text[unit["start"] : unit["end"]] == unit["clause"]  # the clause as written, intact
        starts = [u["start"] for u in task["units"] if not u["implicit"]]
        assert starts == sorted(starts)
    page = api.get("/", params={"q": "省农业农村厅"}).text
    clauses = re.findall(r'<td class="clause"><a [^>]*>(.*?)</a></td>', page, re.S)
    assert clauses and not any("\n" in c for c in clauses)


def test_the_most_loaded_agencies_show_the_overload_they_are_ranked_by(api):
    page = api.get("/").text
    table = page.split('id="overloaded"')[1].split("</table>")[0]
    assert "<th" in table and ">超负荷指数（排序依据）</th>" in table  # the page is in Chinese (English: ?lang=en)
    cells = re.findall(r"<tr><td>\d+</td>.*?</tr>", table, re.S)
    overloads = [float(re.findall(r'<td class="score">([\d.]+)</td>', row)[0]) for row in cells]
    assert len(overloads) == 10 and overloads == sorted(overloads, reverse=True)


def test_the_gexf_export_labels_nodes_with_names_and_carries_the_analytics(seed_services, api):
    response = api.get("/api/export/graph.gexf")
    assert response.status_code == 200
    graph = nx.read_gexf(io.BytesIO(response.content))
    bureau = next(n for n, d in graph.nodes(data=True) if d.get("label") == BUREAU)
    data = graph.nodes[bureau]
    stored = seed_services.overload(top=1)[0]
    assert stored["name"] == data["label"]
    assert data["overload"] == pytest.approx(stored["overload"]) and data["overload_rank"] == stored["rank"]
    assert {"load", "pagerank", "betweenness", "community"} <= set(data)
    tasks = [d for _, d in graph.nodes(data=True) if d.get("node") == "task"]
    assert tasks and all(d["label"] == d["name"] for d in tasks)


def test_every_export_is_named_after_what_it_holds(api, seed_services):
    def names(path: str, **params: str) -> tuple[str, str]:
        header = api.get(path, params=params).headers["content-disposition"]
        return re.search(r'filename="([^"]+)"', header).group(1), unquote(header.split("UTF-8''")[1])

    archive = seed_services.resolve_unit("省档案局")
    assert names("/api/export/assignments.xlsx") == ("assignments.xlsx", "任务分工表.xlsx")
    assert names("/api/export/assignments.xlsx", agency="省档案局") == (
        f"assignments-{archive['id']}.xlsx",
        f"任务分工表-{archive['name']}.xlsx",
    )
    doc = seed_services.document("浙政办发〔2019〕17号")
    assert names("/api/export/assignments.csv", document=doc["doc_id"])[1] == f"任务分工表-{doc['title']}.csv"
    assert names("/api/export/graph.gexf", year="2019") == ("graph-2019.gexf", "协作网络-2019.gexf")
