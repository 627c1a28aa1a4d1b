"""Names of bodies outside Zhejiang, from loading to lookup: a Wuxi plan and a Suzhou
plan loaded into a real embedded graph, queried through the real CLI and the real
FastAPI app.  A name that resolved while loading is found by every written form.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutygraph.api.app import create_app
from dutygraph.api.cli import app as cli
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.loaders.registry import Registry
from dutygraph.loaders.repair import to_simplified
from dutygraph.model import Document
from dutygraph.services import Services
from dutygraph.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

WUXI = """无锡市人民政府办公室关于印发无锡市2023年数字经济工作要点的通知
锡政办发〔2023〕12号

各市（县）、区人民政府，市各委办局，市各直属单位：
现将《无锡市2023年数字经济工作要点》印发给你们，请认真贯彻执行。

无锡市人民政府办公室
2023年3月1日

一、重点任务
1.推进数字基础设施建设，6月底前建成城市算力中心。（牵头单位：市发展改革委；协同单位：市大数据局）
2.培育数据要素市场，年底前出台数据交易管理办法。（牵头单位：市发改委；协同单位：市工信局、市大数据局）
"""

# The same bureau written in traditional and in simplified characters.
SUZHOU = """苏州市2023年数字政府建设工作要点

一、主要任务
1.建设城市运行管理平台。（牵头单位：市大數據局；协同单位：市发改委）
2.推进政务服务一网通办。（牵头单位：市大数据局；协同单位：市政务办）
"""

runner = CliRunner()


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plans")
    (folder / "wuxi.txt").write_text(WUXI, encoding="utf-8")
    (folder / "suzhou.txt").write_text(SUZHOU, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, plans: Path):
    """The two plans loaded through the CLI into an embedded graph of their own."""
    home = tmp_path_factory.mktemp("units")
    result = runner.invoke(cli, ["--home", str(home), "load", str(plans)])
    assert result.exit_code == 0, result.output
    services = Services(Settings(home=home, db="embedded"))
    yield home, services
    services.close()
    EmbeddedServer(home).stop()


@pytest.fixture(scope="module")
def api(loaded) -> TestClient:
    _, services = loaded
    return TestClient(create_app(services.settings, services), base_url="http://localhost")


@pytest.fixture(scope="module")
def docs(plans: Path) -> dict[str, Document]:
    from dutygraph.loaders.extract import Extractor

    extractor = Extractor(Registry.load())
    return {p.stem: extractor.extract_file(p) for p in sorted(plans.glob("*.txt"))}


def cli_tasks(home: Path, name: str) -> dict:
    result = runner.invoke(cli, ["--home", str(home), "tasks", name, "--json"])
    assert result.exit_code == 0, (name, result.output)
    return json.loads(result.output)


def test_wuxi_plan_resolves_its_relative_names_to_wuxi_bodies(docs):
    units = {a.name: a.unit for t in docs["wuxi"].tasks for a in t.assignments}
    assert docs["wuxi"].jurisdiction == "无锡市"
    assert units["市发展改革委"].name == units["市发改委"].name == "无锡市发展和改革委员会"
    assert units["市发展改革委"].id == units["市发改委"].id and units["市发改委"].registered
    assert units["市发改委"].counterpart.name == "江苏省发展和改革委员会"
    bureau = units["市大数据局"]
    assert (bureau.name, bureau.jurisdiction, bureau.registered) == ("无锡市大数据局", "无锡市", False)


def test_suzhou_plan_writing_the_bureau_in_two_scripts_gives_one_unit(docs, api):
    units = {a.name: a.unit for t in docs["suzhou"].tasks for a in t.assignments}
    assert units["市大數據局"].id == units["市大数据局"].id
    assert units["市大數據局"].name == "苏州市大数据局"
    body = api.get("/api/agencies", params={"q": "苏州市大数据局"}).json()
    assert [u["name"] for u in body["items"]] == ["苏州市大数据局"]
    detail = api.get("/api/agencies/苏州市大數據局").json()
    assert detail["lead"] == 2 and {"市大數據局", "市大数据局"} <= set(detail["aliases"])


def test_cli_tasks_answers_for_the_wuxi_big_data_bureau(loaded):
    home, _ = loaded
    result = runner.invoke(cli, ["--home", str(home), "tasks", "无锡市大数据局"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("无锡市大数据局 (无锡市): 2 tasks")
    assert "无锡市2023年数字经济工作要点" in result.output


def test_http_tasks_answers_for_the_wuxi_big_data_bureau(api):
    response = api.get("/api/agencies/无锡市大数据局/tasks")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["agency"]["name"] == "无锡市大数据局" and body["agency"]["jurisdiction"] == "无锡市"
    assert body["total"] == 2 and {t["role"] for t in body["items"]} == {"support"}


def test_a_relative_name_two_cities_wrote_is_ambiguous_with_both_candidates(api, loaded):
    body = api.get("/api/agencies/市大数据局/tasks")
    assert body.status_code == 409
    assert {c["name"] for c in body.json()["candidates"]} == {"无锡市大数据局", "苏州市大数据局"}


def written_forms(doc: Document) -> set[tuple[str, str]]:
    """(form, unit id) for every name of every unit as loading resolved it: as written,
    its canonical or qualified name, its registered aliases, in both scripts and with
    the spacing of a PDF line break."""
    forms = set()
    for task in doc.tasks:
        for a in task.assignments:
            for form in (a.name, *a.unit.names):
                forms |= {(form, a.unit.id), (to_traditional(form), a.unit.id), (form[:2] + " " + form[2:], a.unit.id)}
    return forms


def to_traditional(text: str) -> str:
    import opencc

    traditional = opencc.OpenCC("s2t").convert(text)
    assert to_simplified(traditional) == text or traditional == text
    return traditional


@pytest.mark.parametrize("plan", ["wuxi", "suzhou"])
def test_every_form_a_name_resolved_from_is_found_over_http_and_by_the_cli(plan, docs, api, loaded):
    home, _ = loaded
    forms = sorted(written_forms(docs[plan]))
    assert len(forms) > 20
    for form, unit_id in forms:
        response = api.get(f"/api/agencies/{form}")
        if response.status_code == 409:  # 市大数据局: a body of each city that wrote it
            assert unit_id in {c["id"] for c in response.json()["candidates"]}, form
            continue
        assert response.status_code == 200, (form, response.text)
        assert response.json()["id"] == unit_id, form
    for form, unit_id in forms[::7]:  # the CLI shares the services; a sample of forms
        result = runner.invoke(cli, ["--home", str(home), "tasks", form, "--json"])
        if "pick one by id" in result.output:  # ambiguous, as over HTTP: the candidates listed
            assert result.exit_code != 0 and unit_id in result.output, form
            continue
        assert result.exit_code == 0, (form, result.output)
        assert json.loads(result.output)["agency"]["id"] == unit_id, form


def test_bodies_of_different_jurisdictions_are_never_one_unit(docs):
    wuxi = {a.unit.id for t in docs["wuxi"].tasks for a in t.assignments}
    suzhou = {a.unit.id for t in docs["suzhou"].tasks for a in t.assignments}
    assert wuxi.isdisjoint(suzhou)


def test_forms_written_by_different_documents_are_all_kept_while_a_document_names_the_unit(
    fresh_services: Services, tmp_path: Path
):
    head = "苏州市{}工作要点\n\n一、主要任务\n1.建设平台。（牵头单位：{}；协同单位：市发改委）\n"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(head.format("数据", "市大數據局"), encoding="utf-8")
    second.write_text(head.format("数字政府", "市大数据局 "), encoding="utf-8")
    assert fresh_services.load([first, second]).ok

    def bureau() -> dict:
        return fresh_services.unit("苏州市大数据局")

    assert {"市大數據局", "市大数据局"} <= set(bureau()["aliases"])
    assert bureau()["lead"] == 2
    doc_b = fresh_services.document("苏州市数字政府工作要点")["doc_id"]
    fresh_services.remove(doc_b)
    assert bureau()["lead"] == 1 and "市大數據局" in bureau()["aliases"]
    fresh_services.remove(fresh_services.document("苏州市数据工作要点")["doc_id"])
    with pytest.raises(LookupError):
        bureau()


# ---------------------------------------------------------------------------- the whole corpus


@pytest.fixture(scope="module")
def corpus_api(tmp_path_factory: pytest.TempPathFactory):
    """Every plan of tests/corpus/ loaded through the CLI into an embedded graph of its own,
    and the real app over it."""
    from test_corpus import CASES, build

    folder = tmp_path_factory.mktemp("corpus-files")
    for case in CASES:  # one folder, each file under its case's name (they are all plan.*)
        made = build(case, tmp_path_factory.mktemp(case.name))
        (folder / f"{case.name}{made.suffix}").write_bytes(made.read_bytes())
    home = tmp_path_factory.mktemp("corpus-graph")
    result = runner.invoke(cli, ["--home", str(home), "load", str(folder)])
    assert result.exit_code == 0, result.output
    services = Services(Settings(home=home, db="embedded"))
    yield CASES, TestClient(create_app(services.settings, services), base_url="http://localhost")
    services.close()
    EmbeddedServer(home).stop()


def test_every_unit_of_the_corpus_is_found_by_its_name_and_as_written(corpus_api):
    """For every unit the corpus expectations name (tasks the loaders read already): its
    canonical or qualified name answers over HTTP with at least the tasks expected of it, and
    the name as written answers with that unit, or — when plans of several jurisdictions wrote
    it (省发展改革委, 市大数据局) — lists it among the candidates."""
    cases, api = corpus_api
    tasks_of: dict[str, int] = {}
    written: dict[str, set[str]] = {}
    for case in cases:
        for task in case.expected["tasks"]:
            if task.get("xfail"):
                continue
            for role in ("lead", "support", "joint"):
                for as_written, canonical in (task.get(role) or {}).items():
                    tasks_of[canonical] = tasks_of.get(canonical, 0) + 1
                    written.setdefault(as_written, set()).add(canonical)
    assert len(tasks_of) > 40
    for canonical, count in sorted(tasks_of.items()):
        response = api.get(f"/api/agencies/{canonical}/tasks")
        assert response.status_code == 200, (canonical, response.text)
        body = response.json()
        assert body["agency"]["name"] == canonical
        assert body["total"] >= count, canonical
    for as_written, canonicals in sorted(written.items()):
        response = api.get(f"/api/agencies/{as_written}")
        if response.status_code == 409:
            assert canonicals <= {c["name"] for c in response.json()["candidates"]}, as_written
        else:
            assert response.status_code == 200, (as_written, response.text)
            assert {response.json()["name"]} == canonicals, as_written
