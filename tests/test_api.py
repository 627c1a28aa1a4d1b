"""The HTTP API: the real FastAPI app over a real embedded FalkorDB loaded with the seed documents."""

from __future__ import annotations

import io
import time
import warnings

import pytest
from conftest import SAMPLES
from openpyxl import load_workbook

from dutygraph.api.app import create_app
from dutygraph.services import Services

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

READ, CYPHER, WRITE = "reader-key", "auditor-key", "writer-key"
KEYS = f"{READ}=read,{CYPHER}=read+cypher,{WRITE}=read+write"


def client_for(services: Services, **overrides) -> TestClient:
    settings = services.settings.model_copy(update={"api_keys": KEYS, **overrides})
    return TestClient(create_app(settings, services), base_url="http://localhost")


@pytest.fixture(scope="module")
def api(seed_services) -> TestClient:
    return client_for(seed_services)


@pytest.fixture
def writable(fresh_services) -> TestClient:
    return client_for(fresh_services)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


# ---------------------------------------------------------------- agencies


@pytest.mark.parametrize(
    "name", ["省大数据局", "浙江省大数据发展管理局", "浙江省大数据局", "省大數據局", "浙江省大數據發展管理局"]
)
def test_agency_tasks_answer_to_every_name_form_in_both_scripts(api, name):
    body = api.get(f"/api/agencies/{name}/tasks").json()
    assert body["agency"]["name"] == "浙江省大数据发展管理局"
    assert body["total"] == 25


def test_agency_by_id_gives_names_counts_and_counterparts(api):
    unit_id = api.get("/api/agencies/省大数据局").json()["id"]
    body = api.get(f"/api/agencies/{unit_id}").json()
    assert "省大数据局" in body["short_names"]
    assert body["lead"] + body["support"] + body["joint"] == 25
    assert "绍兴市大数据发展管理局" in {c["name"] for c in body["counterparts"]}


def test_agency_search_finds_by_any_name_form_in_traditional_characters(api):
    body = api.get("/api/agencies", params={"q": "大數據"}).json()
    assert "浙江省大数据发展管理局" in {u["name"] for u in body["items"]}
    assert "绍兴市大数据发展管理局" in {u["name"] for u in body["items"]}


def test_agency_tasks_filter_by_role_document_and_deadline(api):
    base = "/api/agencies/省大数据局/tasks"
    leads = api.get(base, params={"role": "lead"}).json()
    assert leads["total"] and {t["role"] for t in leads["items"]} == {"lead"}
    in_001 = api.get(base, params={"document": "浙政办发〔2019〕17号"}).json()
    assert {t["doc_number"] for t in in_001["items"]} == {"浙政办发〔2019〕17号"}
    june = api.get(base, params={"due_after": "2019-06-01", "due_before": "2019-06-30"}).json()
    assert 0 < june["total"] < 25


def test_lists_are_paginated_with_total_limit_and_offset(api):
    full = api.get("/api/agencies/省大数据局/tasks", params={"limit": 1000}).json()
    first = api.get("/api/agencies/省大数据局/tasks", params={"limit": 10, "offset": 0}).json()
    third = api.get("/api/agencies/省大数据局/tasks", params={"limit": 10, "offset": 20}).json()
    assert first["total"] == third["total"] == full["total"] == 25
    assert len(first["items"]) == 10 and len(third["items"]) == 5
    assert [t["task_id"] for t in first["items"] + third["items"]] == [
        t["task_id"] for t in full["items"][:10] + full["items"][20:]
    ]
    problem(api.get("/api/documents", params={"limit": 0}), 422)


def test_collaborators_count_shared_tasks_by_role(api):
    body = api.get("/api/agencies/省档案局/collaborators").json()
    bureau = next(c for c in body["items"] if c["name"] == "浙江省大数据发展管理局")
    assert bureau["shared_tasks"] == 1 and bureau["agency_lead"] == 1


def test_unknown_agency_is_404_in_problem_details(api):
    body = problem(api.get("/api/agencies/省不存在局/tasks"), 404)
    assert "省不存在局" in body["detail"]


def test_ambiguous_agency_is_409_with_the_candidates(writable, tmp_path):
    for city in ("绍兴市", "杭州市"):
        (tmp_path / f"{city}.txt").write_text(
            f"{city}数据工作要点\n\n一、主要任务\n\n1.建设数据平台。完善平台。\n\n责任单位:市大数据局\n", "utf-8"
        )
    for path in tmp_path.iterdir():
        with path.open("rb") as f:
            assert (
                writable.post(
                    "/api/documents", files={"file": (path.name, f)}, headers={"X-API-Key": WRITE}
                ).status_code
                == 201
            )
    body = problem(writable.get("/api/agencies/市大数据局/tasks"), 409)
    assert {c["jurisdiction"] for c in body["candidates"]} == {"绍兴市", "杭州市"}


def test_paths_link_two_agencies_through_a_shared_task(api):
    body = api.get("/api/paths", params={"from": "省档案局", "to": "省大數據局"}).json()
    assert body["hops"] == 1
    assert [n["node"] for n in body["path"]] == ["unit", "task", "unit"]
    assert body["from"]["name"] == "浙江省档案局"


# ---------------------------------------------------------------- tasks and documents


def test_task_detail_has_units_milestones_and_the_clause_with_offsets(api, seed_docs):
    doc = seed_docs["001_8308b1ada969cea2.txt"]
    task = next(t for t in doc.tasks if t.text.startswith("推进商务大数据应用示范"))
    body = api.get(f"/api/tasks/{task.id}").json()
    (unit,) = body["units"]
    assert (unit["as_written"], unit["role"]) == ("省商务厅", "lead")
    assert doc.text[unit["start"] : unit["end"]] == unit["clause"] == "(责任单位:省商务厅)"
    assert [m["due"] for m in sorted(body["milestones"], key=lambda m: m["start"])] == ["2019-04-20", "2019-10-31"]
    problem(api.get("/api/tasks/task-000000000000"), 404)


HEADING_PLAN = """\
江苏省人民政府办公厅关于印发江苏省2023年数字政府建设工作要点的通知
苏政办发〔2023〕12号
江苏省人民政府办公厅
2023年3月1日
一、加强数字基础设施建设
（一）推进网络建设。（省通信管理局、省工业和信息化厅按职责分工负责）
1.加快5G网络建设，年底前实现乡镇全覆盖。
2.推进千兆光网进小区（省通信管理局牵头）。
"""


def test_task_detail_names_the_heading_task_whose_marking_governs_a_sub_item(writable, fresh_services, tmp_path):
    # item 1 has no marking of its own: its units are the heading's, and the stored links say so
    plan = tmp_path / "苏政办发2023-12.txt"
    plan.write_text(HEADING_PLAN, "utf-8")
    assert fresh_services.load([plan]).ok
    found = writable.get("/api/tasks", params={"q": "推进网络建设"}).json()["items"]
    (heading,) = [t for t in found if t["number"] == "一.(一)"]
    item = writable.get("/api/tasks", params={"q": "加快5G网络建设"}).json()["items"][0]
    body = writable.get(f"/api/tasks/{item['task_id']}").json()
    assert [(u["as_written"], u["role"], u["inherited_from"], u["governed_by"]) for u in body["units"]] == [
        ("省通信管理局", "joint", "一.(一)", heading["task_id"]),
        ("省工业和信息化厅", "joint", "一.(一)", heading["task_id"]),
    ]
    own = writable.get(f"/api/tasks/{heading['task_id']}").json()
    assert {(u["inherited_from"], u["governed_by"]) for u in own["units"]} == {(None, None)}
    # the task page links the governing heading task
    page = writable.get(f"/tasks/{item['task_id']}").text
    assert f'href="/tasks/{heading["task_id"]}"' in page and "据上级任务分工：一.(一)" in page


def test_task_search_matches_traditional_documents_with_simplified_text(api):
    body = api.get("/api/tasks", params={"q": "數字經濟發展", "limit": 100}).json()
    assert "浙江省人民政府关于深化数字政府建设的实施意见" in {t["document"] for t in body["items"]}


def test_unassigned_tasks_are_listed(api, seed_docs):
    body = api.get("/api/tasks", params={"unassigned": "true", "limit": 1000}).json()
    assert body["total"] == sum(1 for d in seed_docs.values() for t in d.tasks if not t.assignments)


def test_unassigned_tasks_can_be_searched_by_text(api):
    """unassigned=true with q: the unassigned tasks whose text holds the phrase, in either script.

    By the texts: 加强组织领导 heads a task without a responsibility clause in 000 (四.(一)), in 003
    (六.(一)) and, in traditional characters, in 004 (七.(一) 加強組織領導); in 001 (三.(一)) it heads a
    task assigned to 省大数据局 and 各设区市政府, which is not listed."""
    response = api.get("/api/tasks", params={"unassigned": "true", "q": "加强组织领导", "limit": 100})
    assert response.status_code == 200, response.text
    found = {(t["document"], t["number"]) for t in response.json()["items"]}
    assert found == {
        ("浙江省数字政府系统建设方案", "四.(一)"),
        ("绍兴市加快推进数字政府建设实施方案", "六.(一)"),
        ("浙江省人民政府关于深化数字政府建设的实施意见", "七.(一)"),
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks",
        "/api/tasks?unassigned=true",
        "/api/agencies/省大数据局/tasks",
        "/api/agencies/省大数据局/collaborators",
        "/api/queries/unassigned_tasks",
        "/api/queries/tasks_due.csv",
        "/api/export/assignments.csv",
        "/api/export/graph.graphml",
        "/api/analytics/overload",
        "/viz/network",
    ],
)
def test_a_document_not_stored_is_404_in_every_document_parameter(api, path):
    body = problem(api.get(path, params={"document": "浙政办发〔2019〕99号"}), 404)
    assert "浙政办发〔2019〕99号" in body["detail"]


def test_a_document_parameter_takes_a_file_name(api):
    # 002's six tasks under 二.(一)–(三) name no responsible unit.
    body = api.get("/api/tasks", params={"unassigned": "true", "document": "002_f9f08fc3b7a1cb67.txt"}).json()
    assert body["total"] == 6


def test_documents_list_and_detail_with_sections_and_citations(api):
    docs = api.get("/api/documents").json()
    assert docs["total"] == 5
    detail = api.get("/api/documents/绍兴市加快推进数字政府建设实施方案").json()
    assert detail["tasks"] == 35 and detail["sections_list"][0]["title"] == "总体要求"
    assert {c["doc_number"] for c in detail["cites"]} == {"国发〔2022〕14号", "浙政发〔2022〕20号"}
    provincial = api.get("/api/documents/浙政发〔2022〕20号").json()
    assert [c["title"] for c in provincial["cited_by"]] == ["绍兴市加快推进数字政府建设实施方案"]
    problem(api.get("/api/documents/nothing-here"), 404)


# ---------------------------------------------------------------- canned queries


def test_queries_are_listed_with_descriptions_and_parameters(api):
    body = api.get("/api/queries").json()
    by_name = {q["name"]: q for q in body["items"]}
    assert "agency_tasks" in by_name and by_name["agency_tasks"]["description"]
    assert {p["name"] for p in by_name["agency_tasks"]["params"]} >= {"agency", "role", "counterparts"}


def test_a_canned_query_runs_as_json_and_as_csv_by_suffix_or_accept_header(api):
    as_json = api.get("/api/queries/tasks_with_several_leads").json()
    assert as_json["rows"][0]["title"] == "打造常态化疫情防控应用"
    by_suffix = api.get("/api/queries/tasks_with_several_leads.csv")
    by_accept = api.get("/api/queries/tasks_with_several_leads", headers={"Accept": "text/csv"})
    for response in (by_suffix, by_accept):
        assert response.headers["content-type"].startswith("text/csv")
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "task_id,number,title,leads,doc_id,document"
        assert "打造常态化疫情防控应用" in lines[1]


def test_a_canned_query_takes_typed_parameters_from_the_query_string(api):
    body = api.get("/api/queries/agency_tasks", params={"agency": "省大数据局", "counterparts": "true"}).json()
    assert {r["agency"] for r in body["rows"]} == {"浙江省大数据发展管理局", "绍兴市大数据发展管理局"}
    problem(api.get("/api/queries/agency_tasks"), 400)
    problem(api.get("/api/queries/no_such_query"), 404)


# ---------------------------------------------------------------- ad-hoc Cypher


def cypher(api, query: str, key: str = CYPHER, **params):
    return api.post("/api/cypher", json={"query": query, "params": params}, headers={"X-API-Key": key})


def test_cypher_returns_nodes_as_maps_with_labels_and_properties(api):
    body = cypher(api, "MATCH (u:Agency {name: $n}) RETURN u, u.name AS name", n="浙江省档案局").json()
    assert body["columns"] == ["u", "name"]
    node, name = body["rows"][0]
    assert set(node["labels"]) == {"Unit", "Agency"} and node["properties"]["name"] == name == "浙江省档案局"
    assert body["truncated"] is False


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:Agency {name: 'x'})",
        "MATCH (n) SET n.hacked = true",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n) DELETE n",
        "MERGE (n:Agency {name: 'x'})",
        "MATCH (n:Agency) REMOVE n.name",
        "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
        "match (n) cReAtE (m)",
        "MATCH (n) // a comment\nSET n.x = 1",
        "MATCH (n) /* hidden */ merge (m {id: n.id})",
        "MATCH (n) CALL { WITH n CREATE (m) } RETURN n",
        "UNWIND [1] AS x FOREACH (i IN [1] | CREATE (:X))",
        "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
        "CALL db.idx.fulltext.createNodeIndex('Task', 'text')",
        "CALL dbms.security.createUser('x', 'y', false)",
    ],
)
def test_cypher_refuses_every_kind_of_write(api, query):
    before = cypher(api, "MATCH (n) RETURN count(n) AS n").json()["rows"]
    problem(cypher(api, query), 403)
    assert cypher(api, "MATCH (n) RETURN count(n) AS n").json()["rows"] == before


def test_cypher_allows_write_words_inside_strings_and_property_names(api):
    body = cypher(api, "RETURN 'CREATE and DELETE' AS words, {settings: 1}.settings AS n").json()
    assert body["rows"] == [["CREATE and DELETE", 1]]


def test_cypher_stops_a_runaway_query_at_the_time_limit(api):
    started = time.monotonic()
    body = problem(cypher(api, "MATCH (a), (b), (c), (d) RETURN count(*)"), 504)
    assert "time limit" in body["detail"]
    assert time.monotonic() - started < 10  # the limit is 1 s; without it this runs for hours


def test_cypher_caps_rows_and_says_so(api):
    body = cypher(api, "UNWIND range(1, 5000) AS x RETURN x").json()
    assert len(body["rows"]) == 1000 and body["truncated"] is True


def test_cypher_syntax_error_is_a_400_with_the_reason(api):
    assert "Invalid input" in problem(cypher(api, "MATCH (a RETURN a"), 400)["detail"]


def test_cypher_without_a_key_or_with_the_wrong_scope_is_refused(api):
    problem(api.post("/api/cypher", json={"query": "RETURN 1"}), 401)
    problem(cypher(api, "RETURN 1", key="not-a-key"), 401)
    problem(cypher(api, "RETURN 1", key=READ), 403)


# ---------------------------------------------------------------- access


def test_reads_need_a_key_when_configured_so(seed_services):
    strict = client_for(seed_services, read_requires_key=True)
    problem(strict.get("/api/documents"), 401)
    assert strict.get("/api/documents", headers={"X-API-Key": READ}).status_code == 200
    problem(strict.get("/api/documents", headers={"X-API-Key": "wrong"}), 401)


def test_reads_need_a_key_when_not_listening_on_loopback(seed_services):
    settings = seed_services.settings.model_copy(update={"api_keys": KEYS})
    public = TestClient(create_app(settings, seed_services, host="0.0.0.0"), base_url="http://localhost")
    problem(public.get("/api/documents"), 401)
    assert public.get("/api/documents", headers={"X-API-Key": READ}).status_code == 200


def test_cors_is_off_by_default_and_configurable(seed_services, api):
    origin = {"Origin": "https://audit.example", "Access-Control-Request-Method": "GET"}
    assert "access-control-allow-origin" not in api.options("/api/documents", headers=origin).headers
    open_cors = client_for(seed_services, cors_origins="https://audit.example")
    response = open_cors.options("/api/documents", headers=origin)
    assert response.headers["access-control-allow-origin"] == "https://audit.example"


# ---------------------------------------------------------------- writes


def test_upload_stores_a_document_idempotently_and_delete_removes_it(writable):
    path = SAMPLES / "003_160671325042dcbf.txt"
    headers = {"X-API-Key": WRITE}
    first = writable.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=headers)
    assert first.status_code == 201 and first.json()["action"] == "created"
    again = writable.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=headers)
    assert again.status_code == 200 and again.json()["action"] == "unchanged"
    assert writable.get("/api/documents").json()["total"] == 1
    deleted = writable.delete(f"/api/documents/{first.json()['doc_id']}", headers=headers)
    assert deleted.json()["action"] == "removed"
    assert writable.get("/api/documents").json()["total"] == 0


@pytest.mark.parametrize(
    ("name", "data", "status", "reason"),
    [
        ("empty.txt", b"", 422, "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, 422, "binary"),
        ("broken.docx", b"not a zip archive", 422, "broken.docx"),
        ("notes.exe", b"MZ", 415, "unsupported format"),
    ],
)
def test_a_bad_upload_is_a_4xx_with_a_clear_reason_and_changes_nothing(
    writable, fresh_services, name, data, status, reason
):
    headers = {"X-API-Key": WRITE}
    path = SAMPLES / "000_bb281ce7d484c788.txt"
    writable.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=headers)
    before = fresh_services.counts()
    body = problem(writable.post("/api/documents", files={"file": (name, data)}, headers=headers), status)
    assert reason in body["detail"]
    assert fresh_services.counts() == before


def test_an_upload_over_the_size_limit_is_refused(fresh_services):
    limited = Services(fresh_services.settings.model_copy(update={"upload_max_mb": 0.001}))
    try:
        small = client_for(limited)
        upload = small.post(
            "/api/documents", files={"file": ("big.txt", "字".encode() * 2000)}, headers={"X-API-Key": WRITE}
        )
        assert "limit" in problem(upload, 413)["detail"]
        assert fresh_services.counts() == {}
    finally:
        limited.close()


def test_writes_need_a_key_with_the_write_scope(writable):
    problem(writable.post("/api/documents", files={"file": ("a.txt", b"x")}), 401)
    problem(writable.post("/api/documents", files={"file": ("a.txt", b"x")}, headers={"X-API-Key": CYPHER}), 403)
    problem(writable.delete("/api/documents/x", headers={"X-API-Key": READ}), 403)


# ---------------------------------------------------------------- exports


def test_assignments_xlsx_has_the_task_division_layout(api):
    response = api.get("/api/export/assignments.xlsx", params={"agency": "省档案局"})
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("序号", "任务", "牵头单位", "配合单位", "完成时限", "来源文件")
    tasks = rows[2:]
    assert len(tasks) == 2
    assert {r[2] for r in tasks} == {"浙江省档案局"}
    assert any("2019-11-30" in (r[4] or "") for r in tasks)
    assert all("浙政办发〔2019〕17号" in r[5] for r in tasks)


def test_assignments_csv_filters_by_document_and_deadline_window(api):
    response = api.get(
        "/api/export/assignments.csv",
        params={"document": "浙政办发〔2019〕17号", "due_after": "2019-04-01", "due_before": "2019-04-30"},
    )
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "序号,任务,牵头单位,配合单位,完成时限,来源文件"
    assert len(lines) > 2 and all("2019-04" in line for line in lines[1:])


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_open_in_networkx_with_every_assignment(api, fmt, seed_docs, tmp_path):
    import networkx as nx

    response = api.get(f"/api/export/graph.{fmt}")
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(response.content)
    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert graph.number_of_edges() == sum(len(t.assignments) for d in seed_docs.values() for t in d.tasks)


# ---------------------------------------------------------------- operation


def test_health_and_readiness(api):
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/readyz").json() == {"status": "ready"}


def test_openapi_documents_every_resource(api):
    paths = api.get("/openapi.json").json()["paths"]
    for path in [
        "/api/agencies",
        "/api/agencies/{name}",
        "/api/agencies/{name}/tasks",
        "/api/agencies/{name}/collaborators",
        "/api/tasks",
        "/api/tasks/{task_id}",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/paths",
        "/api/queries",
        "/api/queries/{name}",
        "/api/cypher",
        "/api/export/assignments.{fmt}",
        "/api/export/graph.{fmt}",
    ]:
        assert path in paths
    assert api.get("/docs").status_code == 200
