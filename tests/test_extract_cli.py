"""Issue 2: ``dutygraph extract``.

``--json`` prints one JSON object per task (doc, task_id stable across runs, number,
title, text in the document's own script, section, assignments with role / name as
written without 等 / canonical agency or null / implicit / group, open_list, ISO
deadlines, source clause with its offsets).  Without ``--json`` it prints a readable
summary with the quality report: unresolved names, unassigned tasks, tasks with several
leads.  An unknown unit is kept, with agency null, and listed as unresolved.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLES
from filemakers import make_txt
from typer.testing import CliRunner

from dutygraph.api.cli import app
from dutygraph.loaders.repair import is_traditional

DUTYGRAPH = Path(sys.executable).with_name("dutygraph")
SEED_TASKS = {
    "000_bb281ce7d484c788.txt": 17,
    "001_8308b1ada969cea2.txt": 58,
    "002_f9f08fc3b7a1cb67.txt": 6,
    "003_160671325042dcbf.txt": 35,
    "004_c08e7fd1595398c3.txt": 52,
}
RECORD_KEYS = {
    "doc",
    "task_id",
    "number",
    "title",
    "text",
    "section",
    "assignments",
    "open_list",
    "deadlines",
    "source",
}
ASSIGNMENT_KEYS = {"role", "name", "agency", "implicit", "group"}


def records_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    result = CliRunner().invoke(app, ["extract", str(SAMPLES), "--json"])
    assert result.exit_code == 0, result.output
    return records_of(result.stdout)


def record(records: list[dict], doc: str, number: str) -> dict:
    found = [r for r in records if r["doc"].startswith(doc) and r["number"] == number]
    assert len(found) == 1, (doc, number)
    return found[0]


def test_json_prints_one_object_per_task_of_every_seed(seed_records):
    counts: dict[str, int] = {}
    for r in seed_records:
        counts[r["doc"]] = counts.get(r["doc"], 0) + 1
    assert counts == SEED_TASKS


def test_json_records_have_the_documented_fields_and_types(seed_records):
    for r in seed_records:
        assert set(r) >= RECORD_KEYS, r["number"]
        assert isinstance(r["number"], str) and r["title"] and r["text"]
        assert isinstance(r["open_list"], bool)
        for a in r["assignments"]:
            assert set(a) >= ASSIGNMENT_KEYS
            assert a["role"] in {"lead", "support", "joint"}
            assert a["agency"] is None or isinstance(a["agency"], str)
            assert not a["name"].endswith("等")
        for d in r["deadlines"]:
            assert date.fromisoformat(d).isoformat() == d
    assert len({r["task_id"] for r in seed_records}) == len(seed_records)


def test_json_source_offsets_point_at_the_clause_as_written(seed_records):
    texts = {name: (SAMPLES / name).read_text("utf-8") for name in SEED_TASKS}
    with_clause = [r for r in seed_records if r["source"] is not None]
    assert len(with_clause) == 101  # the annotated tasks of 000, 001 and 003; 002 and 004 have no clause
    for r in with_clause:
        source = r["source"]
        assert texts[r["doc"]][source["start"] : source["end"]] == source["clause"]
    for r in seed_records:
        if r["source"] is None:
            assert r["assignments"] == []


def test_json_record_gives_units_as_written_canonical_agencies_iso_deadlines_and_clause(seed_records):
    r = record(seed_records, "001", "二.(二).1.¶1")
    assert r["title"] == "深化经济运行监测分析数字化平台建设"
    assert r["section"] == "推进经济调节数字化应用"
    assert r["assignments"] == [
        {"role": "lead", "name": "省发展改革委", "agency": "浙江省发展和改革委员会", "implicit": False, "group": False},
        {
            "role": "support",
            "name": "各设区市政府",
            "agency": "浙江省各设区市人民政府",
            "implicit": False,
            "group": True,
        },
    ]
    assert r["open_list"] is True  # "省发展改革委等": the name is given without 等
    assert r["deadlines"] == ["2019-04-20", "2019-12-31"]
    assert r["source"]["clause"] == "(责任单位:省发展改革委等,各设区市政府。列第一位的为牵头单位,下同)"


def test_json_implicit_units_are_marked(seed_records):
    r = record(seed_records, "003", "二.(一).2")
    counties = [a for a in r["assignments"] if a["implicit"]]
    assert counties == [
        {
            "role": "support",
            "name": "各区、县〔市〕政府",
            "agency": "绍兴市各区、县(市)人民政府",
            "implicit": True,
            "group": True,
        }
    ]


def test_json_text_is_in_the_documents_own_script(seed_records):
    r = record(seed_records, "004", "二.(一).¶1")
    assert r["text"].startswith("全面感知經濟社會發展態勢")
    assert is_traditional(r["text"])
    assert r["section"] == "構建精準科學的數字化經濟調節體系"
    assert not is_traditional(record(seed_records, "001", "二.(二).1.¶1")["text"])


def test_task_ids_are_stable_across_separate_runs(seed_records):
    def ids(stdout: str) -> list[tuple[str, str, str]]:
        return [(r["doc"], r["number"], r["task_id"]) for r in records_of(stdout)]

    runs = [
        subprocess.run(
            [str(DUTYGRAPH), "extract", str(SAMPLES), "--json"], capture_output=True, text=True, check=True, timeout=120
        ).stdout
        for _ in range(2)
    ]
    assert ids(runs[0]) == ids(runs[1]) == [(r["doc"], r["number"], r["task_id"]) for r in seed_records]
    assert runs[0] == runs[1]


# ---------------------------------------------------------------------------- summary and quality report

UNKNOWN_PLAN = """\
浙江省未来产业工作方案
2023年5月6日
一、主要任务
1.建设未来产业平台。9月底前，完成平台建设。（牵头单位：省未来产业研究中心；协同单位：省大数据局、省经信厅等）
2.建设产业数据仓。（牵头单位：省经信厅、省发展改革委）
3.推进产业宣传。年内完成。
"""


@pytest.fixture(scope="module")
def unknown_plan(tmp_path_factory) -> Path:
    return make_txt(tmp_path_factory.mktemp("unknown") / "未来产业.txt", UNKNOWN_PLAN)


def test_unknown_unit_is_kept_with_agency_null(unknown_plan):
    result = CliRunner().invoke(app, ["extract", str(unknown_plan), "--json"])
    assert result.exit_code == 0
    first, second, third = records_of(result.stdout)
    assert first["assignments"] == [
        {"role": "lead", "name": "省未来产业研究中心", "agency": None, "implicit": False, "group": False},
        {
            "role": "support",
            "name": "省大数据局",
            "agency": "浙江省大数据发展管理局",
            "implicit": False,
            "group": False,
        },
        {"role": "support", "name": "省经信厅", "agency": "浙江省经济和信息化厅", "implicit": False, "group": False},
    ]
    assert first["open_list"] is True and first["deadlines"] == ["2023-09-30"]
    assert [a["role"] for a in second["assignments"]] == ["lead", "lead"]
    assert third["assignments"] == [] and third["source"] is None


def test_summary_shows_tasks_and_the_quality_report(unknown_plan):
    result = CliRunner().invoke(app, ["extract", str(unknown_plan)])
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert "== 未来产业.txt: 浙江省未来产业工作方案" in out
    assert "issued 2023-05-06 · 浙江省 (province) · simplified" in out
    assert "1 section, 3 tasks, 5 assignments" in out
    assert "lead: 省未来产业研究中心 | with: 省大数据局、省经信厅 等 | due 2023-09-30" in out
    assert "quality:" in out
    assert "unassigned tasks: 1" in out
    assert "tasks with several leads: 一.2" in out
    assert "unresolved names: 省未来产业研究中心" in out
    assert "note: unresolved unit (unknown): 省未来产业研究中心" in out


def test_summary_of_the_seeds_reports_several_leads_and_unassigned_tasks():
    result = CliRunner().invoke(app, ["extract", str(SAMPLES)])
    assert result.exit_code == 0
    # one block per document, keyed by file name
    blocks = {block.split(":", 1)[0]: block for block in result.stdout.split("== ")[1:]}
    assert set(blocks) == set(SEED_TASKS)
    assert "tasks with several leads: 二.(二).1" in blocks["000_bb281ce7d484c788.txt"]
    assert "unassigned tasks: 0" in blocks["001_8308b1ada969cea2.txt"]
    assert "unassigned tasks: 6" in blocks["002_f9f08fc3b7a1cb67.txt"]
    assert (
        "implements: 《浙江省人民政府关于深化数字政府建设的实施意见》 浙政发〔2022〕20号"
        in blocks["003_160671325042dcbf.txt"]
    )
    assert (
        "文号 浙政发〔2022〕20号 · issued 2022-07-30 · 浙江省 (province) · traditional"
        in blocks["004_c08e7fd1595398c3.txt"]
    )
    for block in blocks.values():
        assert "unresolved names: none" in block
