"""Suggested owners, continuity links and their measurement, on real graphs.

The test corpus (tests/corpus/jiaxing_2019.txt, jiaxing_2021.txt) is two plans of one city written for
these tests: the 2021 plan continues five of the 2019 plan's tasks in other words and adds one that
continues nothing (干部数字素养培训), led by the same agency as two 2019 tasks.  Expected values are
read from those texts and from the seed documents.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, SAMPLES, embedded_settings

from dutygraph.graph.analytics.corpus import Corpus
from dutygraph.graph.analytics.similarity import TextIndex
from dutygraph.graph.analytics.suggestions import BASELINES, SuggestionParams, evaluate
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services

CORPUS = ROOT / "tests" / "corpus"
JIAXING_2019, JIAXING_2021 = CORPUS / "jiaxing_2019.txt", CORPUS / "jiaxing_2021.txt"
#: The assigned seed documents and the test corpus: what the leave-one-document-out evaluation holds out.
HELD_OUT = ("000_bb281ce7d484c788.txt", "001_8308b1ada969cea2.txt", "003_160671325042dcbf.txt")


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """The five seed documents and the test corpus in one embedded graph."""
    home = tmp_path_factory.mktemp("suggestions")
    services = Services(embedded_settings(home))
    assert services.load([SAMPLES, CORPUS]).ok
    yield services
    services.close()
    EmbeddedServer(home).stop()


def task_id(services: Services, document: str, title: str) -> str:
    (row,) = [r for r in services.tasks(title) if r["title"] == title and r["document"] == document]
    return row["task_id"]


# ---------------------------------------------------------------- suggestions


def test_every_unassigned_task_of_002_and_004_has_ranked_lead_suggestions_with_reasons(graph):
    for document, tasks in (("浙政发〔2021〕13号", 6), ("浙政发〔2022〕20号", 52)):
        rows = graph.query("suggested_owners", {"document": document}).records()
        assert len(rows) == tasks
        for row in rows:
            assert row["leads"], row["title"]
            scores = [s["score"] for s in row["leads"]]
            assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
            detail = graph.query("task_suggestions", {"task": row["task_id"]}).records()
            lead = next(d for d in detail if d["role"] == "lead" and d["rank"] == 1)
            assert 1 <= len(lead["reasons"]) <= 3
            for reason in lead["reasons"]:
                assert reason["document"] and reason["clause"] and 0 < reason["similarity"] <= 1


def test_suggestions_are_never_assignments(graph):
    assignments = "MATCH (:Unit)-[r:LEADS|SUPPORTS|SHARES]->(:Task) RETURN count(r)"
    suggested = "MATCH (:Unit)-[s:SUGGESTED]->(t:Task) RETURN count(s), count(DISTINCT t), collect(DISTINCT t.assigned)"
    (n_suggested, n_tasks, assigned_flags) = graph.store.read(suggested).rows[0]
    assert n_suggested > 0 and assigned_flags == [False]
    # 002 and 004 still assign nothing: their rows of the 任务分工表 have no leads, the network no edge
    for row in graph.assignments_table(document="浙政发〔2022〕20号"):
        assert row["leads"] == [] and row["supports"] == []
    # the analytics' network (load, overload ranking, exports) is built from assignments alone
    assert [[len(graph.query("network_edges").rows)]] == graph.store.read(assignments).rows
    assert n_tasks >= 58


def test_the_nearest_precedent_gives_the_lead_of_a_task_whose_document_hides_its_clauses(tmp_path):
    """The 2021 plan loaded without its clauses: its cloud task (深化政务云平台建设) is the 2019 cloud
    task's work, which 市大数据局 led; its reasons name that task and its clause as written."""
    stripped = tmp_path / "jiaxing_2021.txt"
    stripped.write_text(re.sub(r"（牵头单位：[^）]*）", "", JIAXING_2021.read_text("utf-8")), "utf-8")
    services = Services(embedded_settings(tmp_path / "graph"))
    try:
        assert services.load([JIAXING_2019, stripped]).ok
        cloud = task_id(services, "嘉兴市2021年数字政府建设工作要点", "深化政务云平台建设")
        found = services.query("task_suggestions", {"task": cloud}).records()
        lead = found[0]
        assert (lead["role"], lead["rank"], lead["unit"]) == ("lead", 1, "嘉兴市大数据局")
        nearest = lead["reasons"][0]
        assert nearest["title"] == "推进政务云平台整合"
        assert nearest["clause"] == "（牵头单位：市大数据局；协同单位：市财政局、市经信局）"
        supports = [s["unit"] for s in found if s["role"] == "support"]
        assert {"嘉兴市财政局", "嘉兴市经济和信息化局"} <= set(supports[:5])
        # recomputed when the documents change: without the 2019 plan nothing is left to learn from
        services.remove("嘉政办发〔2019〕8号")
        assert services.store.read("MATCH ()-[s:SUGGESTED]->() RETURN count(s)").rows == [[0]]
    finally:
        services.close()
        EmbeddedServer(tmp_path / "graph").stop()


def test_leave_one_document_out_the_method_is_not_below_either_baseline(graph):
    corpus = Corpus.from_store(graph.store)
    by_source = {d["source"]: d["doc_id"] for d in graph.documents()}
    held_out = [by_source[s] for s in (*HELD_OUT, JIAXING_2019.name, JIAXING_2021.name)]
    result = evaluate(corpus, held_out, SuggestionParams())
    method = result["method"]["all"]
    assert method["tasks"] == 13 + 58 + 30 + 8 + 6  # the tasks of those documents with a lead
    for name in BASELINES:
        baseline = result[name]["all"]
        for measure in ("top1", "top3", "recall5_supports"):
            assert method[measure] >= baseline[measure], (name, measure, method, baseline)


def test_both_similarity_methods_rank_the_same_task_first():
    texts = {"cloud": "推进政务云平台整合,完成业务系统迁移上云", "archive": "建设统一的电子档案管理系统"}
    for method in ("char", "bm25"):
        index = TextIndex.build(texts, method)
        assert index.nearest("深化政务云平台建设,推进业务系统迁移上云", 1)[0][0] == "cloud"


# ---------------------------------------------------------------- continuity


def test_a_2021_task_continuing_a_2019_task_is_linked_to_it_and_an_unrelated_one_is_not(graph):
    plan_2021 = "嘉兴市2021年数字政府建设工作要点"
    cloud = task_id(graph, plan_2021, "深化政务云平台建设")
    history = graph.query("task_history", {"task": cloud}).records()
    assert [(h["year"], h["title"]) for h in history] == [(2019, "推进政务云平台整合"), (2021, "深化政务云平台建设")]
    (link,) = history[1]["continues"]
    assert link["task_id"] == history[0]["task_id"]
    assert "same lead: 嘉兴市大数据局" in link["evidence"]
    # the training task has the same lead as two 2019 tasks but continues neither
    training = task_id(graph, plan_2021, "开展干部数字素养培训")
    assert [h["title"] for h in graph.query("task_history", {"task": training}).records()] == ["开展干部数字素养培训"]


def test_carried_over_tasks_are_counted_per_agency(graph):
    unit = graph.resolve_unit("嘉兴市大数据局")
    (row,) = graph.query("carried_over", {"agency": unit["id"]}).records()
    # 2019: leads 政务云, 城市数据大脑, supports 电子档案, 企业登记; 2021: leads 政务云, 数字素养培训,
    # supports 电子档案, 企业开办 — of the 2021 ones, all but the training continue a 2019 task
    assert (row["tasks"], row["carried_over"], row["led_carried_over"]) == (8, 3, 1)
