"""Issue 11, item 1: what a responsibility marking *says*.

A marking is read as a small grammar — role labels (with qualifiers), role verbs, unit
lists, descriptors, collective units, leaders, time phrases and convention notes — so
that wordings nobody listed still parse.  The first part of this file reads markings
with :class:`~dutygraph.loaders.clauses.ClauseReader` alone (what each unit's role word
is, which list is open, which words are a deadline or a leader); the second part reads
whole plans with the extractor, where the document's conventions decide the final
roles.  The markings are written in the styles of the State Council and of Jiangsu,
Hubei, Guangdong, Sichuan, Yunnan, Wuxi, Wuhan, Chengdu, Nanjing's 江宁区 and a county,
in simplified and traditional characters, with full- and half-width punctuation.

Every expected value was written by hand from reading the marking.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import pytest
from filemakers import make_csv

from dutygraph.loaders.clauses import Clause, ClauseReader, load_conventions
from dutygraph.loaders.repair import fold
from dutygraph.model import Document, Task

READER = ClauseReader(load_conventions())


@dataclass
class Reading:
    """One marking as read: its text, (unit, role word) pairs, open units, leaders, times."""

    text: str
    units: list[tuple[str, str]]
    open: list[str]
    leaders: list[str]
    times: list[str]
    first_is_lead: bool
    implicit: list[str]


def reading(text: str, clause: Clause) -> Reading:
    items = [i for i in clause.items if i.key_role != "leader"]
    return Reading(
        text=text[clause.start : clause.end],
        units=[(text[i.start : i.end], i.key_role) for i in items],
        open=[text[i.start : i.end] for i in items if i.open_list],
        leaders=[text[i.start : i.end] for i in clause.items if i.key_role == "leader"],
        times=[text[s:e] for s, e in clause.times],
        first_is_lead=clause.first_is_lead,
        implicit=[text[i.start : i.end] for i in clause.implicit],
    )


def markings(text: str) -> list[Reading]:
    """Every marking in a paragraph (brackets of any kind, inline)."""
    folded = fold(text)
    return [reading(text, c) for c in READER.find(folded, 0, len(folded))]


def line(text: str) -> Reading:
    """A label line on its own (``牵头单位：A；配合单位：B``)."""
    folded = fold(text)
    (clause,) = READER.find(folded, 0, len(folded), whole_line=True)
    return reading(text, clause)


def only(text: str) -> Reading:
    found = markings(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


# ============================================================================ inline verb forms


@pytest.mark.parametrize(
    ("paragraph", "units"),
    [
        # State Council: A牵头，B、C配合
        (
            "（国家发展改革委牵头，财政部、商务部配合）",
            [("国家发展改革委", "lead"), ("财政部", "support"), ("商务部", "support")],
        ),
        # Jiangsu: A牵头，B参与
        ("（省教育厅牵头，省人力资源社会保障厅参与）", [("省教育厅", "lead"), ("省人力资源社会保障厅", "support")]),
        # Wuxi: A牵头，B协助
        ("（市发改委牵头，市财政局协助）", [("市发改委", "lead"), ("市财政局", "support")]),
        # Hubei, half-width: A负责，B配合
        ("(省公安厅负责,省司法厅配合)", [("省公安厅", "lead"), ("省司法厅", "support")]),
        # State Council: A、B牵头，C及D按职责分工负责 (names with 和 stay whole; 及 splits)
        (
            "（工业和信息化部、国家发展改革委牵头，财政部及商务部按职责分工负责）",
            [("工业和信息化部", "lead"), ("国家发展改革委", "lead"), ("财政部", "support"), ("商务部", "support")],
        ),
        # A会同B负责
        ("（市场监管总局会同国家发展改革委负责）", [("市场监管总局", "lead"), ("国家发展改革委", "support")]),
        # 由A负责 (Nanjing 江宁区)
        ("（由区教育局负责）", [("区教育局", "lead")]),
        # Traditional characters, full-width
        (
            "（省發展改革委牽頭，省財政廳、省商務廳配合）",
            [("省發展改革委", "lead"), ("省財政廳", "support"), ("省商務廳", "support")],
        ),
        # Traditional, half-width, 會同
        ("(市場監管總局會同國家發展改革委負責)", [("市場監管總局", "lead"), ("國家發展改革委", "support")]),
    ],
)
def test_inline_verb_forms_give_each_unit_its_role(paragraph, units):
    assert only("推进重点工作。" + paragraph).units == units


@pytest.mark.parametrize(
    ("paragraph", "units"),
    [
        # role verbs nobody listed: 协同, 组织实施, 具体实施, 共同推进, 按职责配合落实, 协作
        ("（市经信局牵头，市科技局协同）", [("市经信局", "lead"), ("市科技局", "support")]),
        ("（市住建局组织实施）", [("市住建局", "lead")]),
        ("（县农业农村局具体实施）", [("县农业农村局", "lead")]),
        ("（市发改委、市经信局共同推进）", [("市发改委", "joint"), ("市经信局", "joint")]),
        (
            "（县发改局牵头，县财政局、县自然资源局按职责配合落实）",
            [("县发改局", "lead"), ("县财政局", "support"), ("县自然资源局", "support")],
        ),
        ("（区商务局牵头负责，区市场监管局协作）", [("区商务局", "lead"), ("区市场监管局", "support")]),
        # A牵头，会同B推进
        ("（省发展改革委牵头，会同省财政厅推进）", [("省发展改革委", "lead"), ("省财政厅", "support")]),
        # several units answering together with no lead: joint
        ("（省教育厅、省科技厅负责）", [("省教育厅", "joint"), ("省科技厅", "joint")]),
        ("（省教育厅、省科技厅按职责分工负责）", [("省教育厅", "joint"), ("省科技厅", "joint")]),
        ("（省教育厅、省科技厅分别负责）", [("省教育厅", "joint"), ("省科技厅", "joint")]),
        # Chengdu: a responsible verb after a named lead supports; 各区（市）县政府 is one unit
        ("（市网络理政办牵头，各区（市）县政府负责）", [("市网络理政办", "lead"), ("各区（市）县政府", "support")]),
        # the verb ending a list of units separated by commas covers the whole list
        ("（省发展改革委，省财政厅牵头）", [("省发展改革委", "lead"), ("省财政厅", "lead")]),
        # Jiangxi-style 指导: the guiding departments support
        ("（由各设区市人民政府负责，省有关部门指导）", [("各设区市人民政府", "lead"), ("省有关部门", "support")]),
        # Chengdu: 落实主体责任 is a responsible verb; 各区（市）县党委和政府 is one unit
        (
            "（市司法局、市委依法治市办按职责分工负责；各区（市）县党委和政府落实主体责任）",
            [("市司法局", "joint"), ("市委依法治市办", "joint"), ("各区（市）县党委和政府", "joint")],
        ),
        # words beside the verb clauses that are neither units nor a deadline
        (
            "（省发展改革委牵头，省财政厅配合，确保按时完成）",
            [("省发展改革委", "lead"), ("省财政厅", "support")],
        ),
        ("（市文旅局负责，按年度推进）", [("市文旅局", "lead")]),
        # a county: places answer after a verb
        (
            "（县商务局牵头，相关乡镇、县经济开发区配合）",
            [("县商务局", "lead"), ("相关乡镇", "support"), ("县经济开发区", "support")],
        ),
    ],
)
def test_role_verbs_nobody_listed_still_parse(paragraph, units):
    assert only("推进重点工作" + paragraph + "。").units == units


@pytest.mark.parametrize(
    "paragraph",
    [
        "建设一体化平台（以下简称“在线平台”）。",
        "完善社会治理应用（其他社会治理领域集成数字法治系统相关应用）。",
        "统筹推进（含省级平台负责的部分）建设。",
        "推进平台建设（2023年底前）。",
        "开展示范创建（每年评选一次）。",
        # a unit named in passing, mid-sentence, is not a marking
        "依托省大数据局（省数据中心）建设应用体系。",
        # nor a unit's duty mentioned in passing
        "依托“浙里办”（省大数据局负责运维）开展服务。",
        "建立联席会议制度（由市政府分管副市长担任召集人）。",
    ],
)
def test_brackets_that_say_something_else_are_not_markings(paragraph):
    assert markings(paragraph) == []


# ============================================================================ labels and separators


@pytest.mark.parametrize(
    ("text", "units"),
    [
        # Guangdong: 牵头单位：A；配合单位：B、C
        (
            "牵头单位：省发展改革委；配合单位：省财政厅、省商务厅",
            [("省发展改革委", "lead"), ("省财政厅", "support"), ("省商务厅", "support")],
        ),
        # a comma between labels
        (
            "牵头单位：市发改委，责任单位：市财政局、市审计局",
            [("市发改委", "lead"), ("市财政局", "responsible"), ("市审计局", "responsible")],
        ),
        # a blank between labels, 主办 / 协办
        (
            "主办单位：市政务服务数据管理局 协办单位：市公安局",
            [("市政务服务数据管理局", "lead"), ("市公安局", "support")],
        ),
        # a slash between labels, 牵头部门 / 配合部门
        ("牵头部门：省卫生健康委/配合部门：省医保局", [("省卫生健康委", "lead"), ("省医保局", "support")]),
        # no separator at all
        ("牵头单位：市教育局配合单位：市体育局", [("市教育局", "lead"), ("市体育局", "support")]),
        (
            "责任部门：区应急管理局、区消防救援大队",
            [("区应急管理局", "responsible"), ("区消防救援大队", "responsible")],
        ),
        # qualified labels and other words for the same roles
        ("牵头考核单位：市委组织部", [("市委组织部", "lead")]),
        ("主责单位：区城管局", [("区城管局", "lead")]),
        ("责任处室：办公室、法规处", [("办公室", "responsible"), ("法规处", "responsible")]),
        ("实施单位：县住建局", [("县住建局", "responsible")]),
        # labels nobody listed: X单位 / X部门 / X处室 whose X is a role word
        ("牵头负责单位：市数据局；配合实施单位：市公安局", [("市数据局", "lead"), ("市公安局", "support")]),
        ("具体实施部门：县自然资源局", [("县自然资源局", "responsible")]),
        ("参与处室：财务处", [("财务处", "support")]),
        ("牵头：省商务厅；配合：省海关", [("省商务厅", "lead"), ("省海关", "support")]),
        # a unit's own role in brackets after it
        (
            "责任单位：省发展改革委（牵头）、省财政厅、省商务厅",
            [("省发展改革委", "lead"), ("省财政厅", "responsible"), ("省商务厅", "responsible")],
        ),
        # traditional, half-width
        (
            "牽頭單位:市發改委;配合單位:市財政局,市審計局",
            [("市發改委", "lead"), ("市財政局", "support"), ("市審計局", "support")],
        ),
    ],
)
def test_label_lines_with_any_separator_between_labels(text, units):
    assert line(text).units == units


def test_a_list_after_a_role_label_keeps_its_units_when_one_name_is_odd():
    # a misspelt or odd name beside real units: the units stay, the odd name is kept and flagged
    folded = fold("责任单位：省档案局、数据专项、省商务厅")
    (clause,) = READER.find(folded, 0, len(folded), whole_line=True)
    assert [folded[i.start : i.end] for i in clause.items] == ["省档案局", "数据专项", "省商务厅"]
    assert any("not named like a unit: 数据专项" in n for n in clause.notes)
    # a label followed by no unit at all is no list of units
    folded = fold("责任单位：另行通知")
    assert not any(c.items for c in READER.find(folded, 0, len(folded), whole_line=True))


def test_a_ministry_plan_names_its_own_departments_and_offices_as_units():
    # 交通运输部: the ministry's departments (司), its research office and its Party committee of organs
    assert line("责任单位：法制司、人事教育司、政策研究室、直属机关党委").units == [
        ("法制司", "responsible"),
        ("人事教育司", "responsible"),
        ("政策研究室", "responsible"),
        ("直属机关党委", "responsible"),
    ]
    assert only("（运输服务司牵头，法制司配合）").units == [("运输服务司", "lead"), ("法制司", "support")]


@pytest.mark.parametrize(
    ("paragraph", "units"),
    [
        # a role label as the predicate: A为牵头单位，B、C为配合单位
        (
            "（省发改委为牵头单位，省财政厅、省商务厅为配合单位）",
            [("省发改委", "lead"), ("省财政厅", "support"), ("省商务厅", "support")],
        ),
        # the lead named again among the listed units is one unit, with its role
        (
            "（责任单位：省发展改革委、省财政厅，其中省发展改革委为牵头单位）",
            [("省发展改革委", "lead"), ("省财政厅", "responsible")],
        ),
        (
            "（省发展改革委、省财政厅、省商务厅，省发展改革委牵头）",
            [("省发展改革委", "lead"), ("省财政厅", "responsible"), ("省商务厅", "responsible")],
        ),
        # 为主: the lead
        ("（市发改委为主，市财政局配合）", [("市发改委", "lead"), ("市财政局", "support")]),
    ],
)
def test_roles_stated_as_predicates_and_restated_leads(paragraph, units):
    assert only("推进重点工作。" + paragraph).units == units


def test_labels_inside_brackets_of_a_paragraph():
    assert only("推进长江大保护。（牵头单位：省发展改革委；配合单位：省生态环境厅、省水利厅）").units == [
        ("省发展改革委", "lead"),
        ("省生态环境厅", "support"),
        ("省水利厅", "support"),
    ]
    assert only("推進長江大保護。（牽頭單位：省發展改革委；配合單位：省財政廳）").units == [
        ("省發展改革委", "lead"),
        ("省財政廳", "support"),
    ]
    assert only("推进长江大保护(牵头单位:市发改委,配合单位:市财政局)").units == [
        ("市发改委", "lead"),
        ("市财政局", "support"),
    ]


def test_division_line_reads_the_verbs_after_its_label():
    r = line("部门分工：省民政厅牵头，各地、各部门配合。")
    assert r.units == [("省民政厅", "lead"), ("各地", "support"), ("各部门", "support")]


@pytest.mark.parametrize(
    ("text", "leaders", "units"),
    [
        ("分管省领导：王某某", ["王某某"], []),
        ("责任领导：李某某（副市长）", ["李某某（副市长）"], []),
        ("牵头领导：张某、刘某", ["张某", "刘某"], []),
        ("分管省领导：王某某；牵头单位：省交通运输厅", ["王某某"], [("省交通运输厅", "lead")]),
        ("分管副市长：赵某；牵头部门：市发改委", ["赵某"], [("市发改委", "lead")]),
        ("牽頭領導：張某", ["張某"], []),
    ],
)
def test_leaders_are_kept_apart_from_the_units(text, leaders, units):
    r = line(text)
    assert (r.leaders, r.units) == (leaders, units)


@pytest.mark.parametrize(
    ("paragraph", "marking", "units"),
    [
        # Chengdu: a label sentence after the task, no brackets
        (
            "1.建设城市运行管理平台。责任单位：市网络理政办、市经信局（市新经济委）、各区（市）县政府。",
            "责任单位：市网络理政办、市经信局（市新经济委）、各区（市）县政府",
            [
                ("市网络理政办", "responsible"),
                ("市经信局（市新经济委）", "responsible"),
                ("各区（市）县政府", "responsible"),
            ],
        ),
        # two label sentences
        (
            "推进智慧医疗。牵头单位：市卫健委。配合单位：市医保局、市大数据中心。",
            "牵头单位：市卫健委。配合单位：市医保局、市大数据中心",
            [("市卫健委", "lead"), ("市医保局", "support"), ("市大数据中心", "support")],
        ),
        # a verb sentence after the task
        (
            "2.推进智慧交通。市交通运输局牵头，市公安局、市住建局配合。",
            "市交通运输局牵头，市公安局、市住建局配合",
            [("市交通运输局", "lead"), ("市公安局", "support"), ("市住建局", "support")],
        ),
    ],
)
def test_markings_written_as_sentences_without_brackets(paragraph, marking, units):
    r = only(paragraph)
    assert (r.text, r.units) == (marking, units)


@pytest.mark.parametrize(
    "paragraph",
    [
        "推进智慧交通。市交通运输局牵头制定实施方案。",  # the lead's action is the task, not a marking
        "推进智慧交通。各地要高度重视，省发展改革委负责统筹协调。",
        "主要任务：推进智慧交通。",
    ],
)
def test_sentences_that_only_mention_a_unit_are_not_markings(paragraph):
    assert markings(paragraph) == []


def test_distributive_and_implementing_verbs_in_one_marking_are_joint():
    # Chengdu: no lead named; the districts implement, the bureaus each answer for their part
    r = only("推进智慧社区建设（市民政局、市住建局按职责分工负责；各区（市）县政府具体实施）。")
    assert r.units == [("市民政局", "joint"), ("市住建局", "joint"), ("各区（市）县政府", "joint")]
    # a single unit answering first, then others each for their part: the first leads
    r = only("推进智慧社区建设（市民政局负责，市住建局、市财政局按职责分工负责）。")
    assert r.units == [("市民政局", "lead"), ("市住建局", "support"), ("市财政局", "support")]


# ============================================================================ brackets and time phrases


@pytest.mark.parametrize("brackets", ["（）", "()", "〔〕", "【】", "[]", "［］"])
def test_every_bracket_kind_holds_a_marking(brackets):
    paragraph = f"推进政务服务一网通办。{brackets[0]}省政务服务办牵头，省公安厅配合{brackets[1]}"
    r = only(paragraph)
    assert r.units == [("省政务服务办", "lead"), ("省公安厅", "support")]
    assert r.text == f"{brackets[0]}省政务服务办牵头，省公安厅配合{brackets[1]}"


@pytest.mark.parametrize(
    "paragraph",
    ["推进数据共享。（市数据局牵头，市公安局配合）", "推进数据共享（市数据局牵头，市公安局配合）。"],
    ids=["after-the-final-full-stop", "before-the-final-full-stop"],
)
def test_a_marking_before_or_after_the_final_full_stop(paragraph):
    r = only(paragraph)
    assert r.units == [("市数据局", "lead"), ("市公安局", "support")]
    assert r.text == "（市数据局牵头，市公安局配合）"


@pytest.mark.parametrize(
    ("paragraph", "units", "times"),
    [
        ("（各部门分别负责，年内持续推进）", [("各部门", "joint")], ["年内持续推进"]),
        ("（省交通运输厅负责，2023年底前完成）", [("省交通运输厅", "lead")], ["2023年底前完成"]),
        ("(省交通运输厅负责,2023年底前完成)", [("省交通运输厅", "lead")], ["2023年底前完成"]),
        (
            "（2024年6月底前，市数据局牵头，市公安局配合）",
            [("市数据局", "lead"), ("市公安局", "support")],
            ["2024年6月底前"],
        ),
        ("（市发改委负责，长期坚持）", [("市发改委", "lead")], ["长期坚持"]),
        ("（責任單位：市發改委；完成時限：2024年12月底前）", [("市發改委", "responsible")], ["2024年12月底前"]),
        (
            "（区住建局牵头，区财政局配合，2025年底前完成）",
            [("区住建局", "lead"), ("区财政局", "support")],
            ["2025年底前完成"],
        ),
    ],
)
def test_a_time_phrase_inside_the_marking_is_its_deadline_not_a_unit(paragraph, units, times):
    r = only("推进老旧小区改造。" + paragraph)
    assert (r.units, r.times) == (units, times)


def test_a_bare_list_ending_the_paragraph_is_a_marking_without_role_words():
    for paragraph in ("推进教育数字化。（省教育厅、省财政厅）", "推进教育数字化（省教育厅、省财政厅）。"):
        assert only(paragraph).units == [("省教育厅", "responsible"), ("省财政厅", "responsible")]


def test_several_markings_in_one_item_are_returned_separately_with_their_offsets():
    paragraph = (
        "1.推进甲项工作（省发展改革委牵头）。推进乙项工作（省财政厅负责）。"
        "推进丙项工作（省教育厅、省科技厅按职责分工负责）。"
    )
    found = markings(paragraph)
    assert [m.text for m in found] == [
        "（省发展改革委牵头）",
        "（省财政厅负责）",
        "（省教育厅、省科技厅按职责分工负责）",
    ]
    assert [m.units for m in found] == [
        [("省发展改革委", "lead")],
        [("省财政厅", "lead")],
        [("省教育厅", "joint"), ("省科技厅", "joint")],
    ]
    folded = fold(paragraph)
    clauses = READER.find(folded, 0, len(folded))
    assert [paragraph[c.start : c.end] for c in clauses] == [m.text for m in found]
    assert all(c.start < c.end <= d.start for c, d in pairwise(clauses))


# ============================================================================ descriptors, groups, collective units


@pytest.mark.parametrize(
    ("paragraph", "units", "open_units"),
    [
        (
            "（公安部、工业和信息化部等国务院相关部门及各地区按职责分工负责）",
            [("公安部", "joint"), ("工业和信息化部", "joint"), ("各地区", "joint")],
            ["工业和信息化部"],
        ),
        ("（省民政厅牵头，省财政厅等有关部门配合）", [("省民政厅", "lead"), ("省财政厅", "support")], ["省财政厅"]),
        ("（市卫健委牵头，市医保局等相关部门参与）", [("市卫健委", "lead"), ("市医保局", "support")], ["市医保局"]),
        (
            "（省发展改革委、省残联等省级有关单位按职责分工负责）",
            [("省发展改革委", "joint"), ("省残联", "joint")],
            ["省残联"],
        ),
        ("（教育部、科技部等部门按职责分工负责）", [("教育部", "joint"), ("科技部", "joint")], ["科技部"]),
        # descriptors nobody listed
        ("（市商务局牵头，市发改委等市直相关单位配合）", [("市商务局", "lead"), ("市发改委", "support")], ["市发改委"]),
        ("（县教育局牵头，县财政局等10个部门配合）", [("县教育局", "lead"), ("县财政局", "support")], ["县财政局"]),
        ("（区城管局牵头，区住建局等配合）", [("区城管局", "lead"), ("区住建局", "support")], ["区住建局"]),
    ],
)
def test_list_descriptors_are_stripped_and_the_list_marked_open(paragraph, units, open_units):
    r = only("加强协同联动。" + paragraph)
    assert (r.units, r.open) == (units, open_units)


@pytest.mark.parametrize(
    "collective",
    [
        "各州、市人民政府",
        "各市、县（市、区）人民政府",
        "各市（县）、区人民政府",
        "各县级市、区政府",
        "各区、县（市）政府",
        "各省、自治区、直辖市人民政府",
        "各市、县（市、区）党委和政府",
        "各市、縣（市、區）人民政府",
        "各區、縣(市)政府",
    ],
)
def test_collective_units_containing_a_separator_stay_one_unit(collective):
    r = only(f"加强统筹协调。（省发展改革委牵头，{collective}配合）")
    assert r.units == [("省发展改革委", "lead"), (collective, "support")]


def test_collective_words_are_units_of_their_own():
    r = only("（国家卫生健康委牵头，国务院相关部门、各省级人民政府、各地区各部门按职责分工负责）")
    assert r.units == [
        ("国家卫生健康委", "lead"),
        ("国务院相关部门", "support"),
        ("各省级人民政府", "support"),
        ("各地区各部门", "support"),
    ]


# ============================================================================ first-is-lead and implicit units


@pytest.mark.parametrize(
    "wording",
    [
        "列第一位的为牵头单位",
        "排在第一位的为牵头单位",
        "列首位者为牵头单位",
        "列首位的为牵头单位",
        "排第一位的部门为牵头部门",
        "第一个单位为牵头单位",
        "排名第一的为牵头单位",
        "其他单位按职责分工配合落实",
        # wordings nobody listed
        "列于首位的单位为牵头单位",
        "排在首位的部门为牵头部门",
        "排序第一的单位为牵头单位",
        "第一家为牵头单位",
        "列第一位的為牽頭單位",
        "其他部门按职责分工协同推进",
    ],
)
def test_every_wording_of_first_is_lead_is_understood(wording):
    assert READER.states_first_is_lead(fold(f"各项任务中{wording}。"))
    r = only(f"推进数据开放。（责任单位：市数据局、市经信局。{wording}，下同）")
    assert r.first_is_lead
    assert r.units == [("市数据局", "responsible"), ("市经信局", "responsible")]
    note = READER.read_note_line(fold(f"（{wording}）"), 0, len(wording) + 2)
    assert note is not None and note.first_is_lead


@pytest.mark.parametrize("text", ["排名第一的城市获得奖励。", "第一个牵头的项目已经完成。", "列入第一批试点单位。"])
def test_other_uses_of_first_are_not_the_convention(text):
    assert not READER.states_first_is_lead(fold(text))


def test_the_convention_and_units_named_for_every_task_in_one_note():
    text = (
        "（排在第一位的为牵头单位，其他单位按职责分工配合落实；以下各市、县（市、区）人民政府均为责任单位，不再列出）"
    )
    note = READER.read_note_line(fold(text), 0, len(text))
    assert note is not None and note.first_is_lead
    assert [text[i.start : i.end] for i in note.implicit] == ["各市、县（市、区）人民政府"]
    text = "（以下各区县政府均为配合单位，不再一一列出）"
    note = READER.read_note_line(fold(text), 0, len(text))
    assert note is not None and [text[i.start : i.end] for i in note.implicit] == ["各区县政府"]


# ============================================================================ whole plans

STATE_COUNCIL = """\
国务院办公厅关于推进政务服务标准化的实施意见
国办发〔2023〕5号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院同意，现提出以下意见。
一、重点任务
（一）推进事项标准化。编制全国统一的事项清单。（国务院办公厅牵头，国家发展改革委、司法部配合）
（二）推进办事指南规范化。（国务院办公厅、国家发展改革委）
（三）推进平台建设。（公安部、工业和信息化部等国务院相关部门及各地区按职责分工负责）
（四）推进数据共享。（国家数据局负责，2024年底前完成）
国务院办公厅
2023年3月1日
"""


def triples(task: Task) -> Counter:
    return Counter((a.name, a.role.value) for a in task.assignments)


def task_numbered(doc: Document, number: str) -> Task:
    (task,) = [t for t in doc.tasks if t.number == number]
    return task


@pytest.fixture(scope="module")
def state_council(extractor) -> Document:
    return extractor.extract_text(STATE_COUNCIL, source="国办发2023-5.txt")


def test_state_council_plan_inline_roles(state_council):
    assert triples(task_numbered(state_council, "一.(一)")) == Counter(
        {("国务院办公厅", "lead"): 1, ("国家发展改革委", "support"): 1, ("司法部", "support"): 1}
    )


def test_without_a_first_is_lead_convention_a_bare_list_is_joint(state_council):
    assert triples(task_numbered(state_council, "一.(二)")) == Counter(
        {("国务院办公厅", "joint"): 1, ("国家发展改革委", "joint"): 1}
    )


def test_open_list_and_collective_units_in_a_whole_plan(state_council):
    task = task_numbered(state_council, "一.(三)")
    assert triples(task) == Counter({("公安部", "joint"): 1, ("工业和信息化部", "joint"): 1, ("各地区", "joint"): 1})
    assert task.open_list
    assert [a.group for a in task.assignments] == [False, False, True]


def test_a_time_phrase_inside_the_marking_becomes_the_tasks_deadline(state_council):
    task = task_numbered(state_council, "一.(四)")
    assert triples(task) == Counter({("国家数据局", "lead"): 1})
    assert [m.due for m in task.milestones] == [date(2024, 12, 31)]


JIANGSU = """\
江苏省人民政府办公厅关于印发江苏省数字经济加速行动方案的通知
苏政办发〔2023〕12号
各市、县（市、区）人民政府，省各委办厅局，省各直属单位：
《江苏省数字经济加速行动方案》已经省人民政府同意，现印发给你们，请认真组织实施。各项任务中排在第一位的为牵头单位，其他单位按职责分工配合落实。
江苏省人民政府办公厅
2023年4月10日
江苏省数字经济加速行动方案
一、主要任务
1.推进工业互联网创新发展。（省工业和信息化厅、省发展改革委、省财政厅）
2.推进数据要素市场建设。
牵头单位：省发展改革委；配合单位：省数据局、省市场监管局
分管省领导：王某某
3.推进数字政府建设。
部门分工：省政务服务办牵头，各设区市人民政府、省各有关部门配合。
"""


@pytest.fixture(scope="module")
def jiangsu(extractor) -> Document:
    return extractor.extract_text(JIANGSU, source="苏政办发2023-12.txt")


def test_first_is_lead_stated_in_the_notice_governs_the_bare_lists(jiangsu):
    assert triples(task_numbered(jiangsu, "一.1")) == Counter(
        {("省工业和信息化厅", "lead"): 1, ("省发展改革委", "support"): 1, ("省财政厅", "support"): 1}
    )


def test_label_lines_and_a_leader_line_after_the_task(jiangsu):
    task = task_numbered(jiangsu, "一.2")
    assert triples(task) == Counter(
        {("省发展改革委", "lead"): 1, ("省数据局", "support"): 1, ("省市场监管局", "support"): 1}
    )
    assert task.leaders == ["王某某"]


def test_division_line_after_the_task(jiangsu):
    task = task_numbered(jiangsu, "一.3")
    assert triples(task) == Counter(
        {("省政务服务办", "lead"): 1, ("各设区市人民政府", "support"): 1, ("省各有关部门", "support"): 1}
    )
    assert [a.group for a in task.assignments] == [False, True, True]


WUHAN_TRADITIONAL = """\
武漢市優化營商環境工作要點
2023年2月1日
（列首位者為牽頭單位，下同）
一、重點任務
1.推進政務服務改革。(責任單位:市政務服務和大數據局、市發改委)
2.推進市場準入改革。（責任單位：市市場監管局（牽頭）、市商務局）
3.推進信用體系建設。（市發改委負責，2023年底前完成）
"""


def test_traditional_city_plan_with_the_convention_in_a_note_line(extractor):
    doc = extractor.extract_text(WUHAN_TRADITIONAL, source="武漢.txt")
    assert triples(task_numbered(doc, "一.1")) == Counter(
        {("市政務服務和大數據局", "lead"): 1, ("市發改委", "support"): 1}
    )
    assert triples(task_numbered(doc, "一.2")) == Counter({("市市場監管局", "lead"): 1, ("市商務局", "support"): 1})
    third = task_numbered(doc, "一.3")
    assert triples(third) == Counter({("市發改委", "lead"): 1})
    assert [m.due for m in third.milestones] == [date(2023, 12, 31)]


GUANGDONG = """\
广东省人民政府办公厅关于印发广东省数字政府改革建设2023年工作要点的通知
粤府办〔2023〕3号
一、重点任务
（一）推进政务服务一网通办。
主办单位：省政务服务数据管理局 协办单位：省公安厅、各地级以上市人民政府
（二）推进营商环境改革。（省发展改革委、省市场监管局按职责分工负责，2023年9月底前完成）
（三）推进数据要素市场化配置改革。(牵头单位:省政务服务数据管理局;配合单位:省发展改革委、省工业和信息化厅等省有关单位,各地级以上市人民政府)
（四）推进数字乡村建设。［省农业农村厅牵头，省委网信办等参与］
（五）完善工作机制。各地、各部门要加强协调（各地级以上市人民政府负责）。
"""


def test_guangdong_plan_host_and_co_host_labels_brackets_and_deadlines(extractor):
    doc = extractor.extract_text(GUANGDONG, source="粤府办2023-3.txt")
    first = task_numbered(doc, "一.(一)")
    assert triples(first) == Counter(
        {("省政务服务数据管理局", "lead"): 1, ("省公安厅", "support"): 1, ("各地级以上市人民政府", "support"): 1}
    )
    assert [a.group for a in first.assignments] == [False, False, True]
    second = task_numbered(doc, "一.(二)")
    assert triples(second) == Counter({("省发展改革委", "joint"): 1, ("省市场监管局", "joint"): 1})
    assert [m.due for m in second.milestones] == [date(2023, 9, 30)]
    third = task_numbered(doc, "一.(三)")
    assert triples(third) == Counter(
        {
            ("省政务服务数据管理局", "lead"): 1,
            ("省发展改革委", "support"): 1,
            ("省工业和信息化厅", "support"): 1,
            ("各地级以上市人民政府", "support"): 1,
        }
    )
    assert third.open_list
    fourth = task_numbered(doc, "一.(四)")
    assert triples(fourth) == Counter({("省农业农村厅", "lead"): 1, ("省委网信办", "support"): 1})
    assert fourth.open_list
    assert triples(task_numbered(doc, "一.(五)")) == Counter({("各地级以上市人民政府", "lead"): 1})


CHENGDU = """\
成都市人民政府办公厅关于印发成都市智慧城市建设2023年工作要点的通知
成办发〔2023〕9号
各区（市）县政府，市政府各部门：
现将《成都市智慧城市建设2023年工作要点》印发给你们，请认真抓好落实。
成都市人民政府办公厅
2023年3月5日
一、重点任务
1.建设城市运行管理平台。责任单位：市网络理政办、市经信局（市新经济委）、各区（市）县政府。
2.推进智慧交通。市交通运输局牵头，市公安局、市住建局配合。
3.推进“天府蓉易办”平台建设。（牵头单位：市网络理政办；责任单位：各区（市）县政府；完成时间：2023年6月底前）
4.推进数据开放。（市网络理政办牵头，市级有关部门、各区（市）县政府按职责分工负责）
5.加强智慧城市标准建设。（市市场监管局、市网络理政办负责；分管副市长：李某）
"""


def test_chengdu_plan_markings_without_brackets_groups_and_a_leader(extractor):
    doc = extractor.extract_text(CHENGDU, source="成办发2023-9.txt")
    first = task_numbered(doc, "一.1")
    assert first.text == "建设城市运行管理平台。"
    assert triples(first) == Counter(
        {("市网络理政办", "joint"): 1, ("市经信局（市新经济委）", "joint"): 1, ("各区（市）县政府", "joint"): 1}
    )
    assert [a.group for a in first.assignments] == [False, False, True]
    assert triples(task_numbered(doc, "一.2")) == Counter(
        {("市交通运输局", "lead"): 1, ("市公安局", "support"): 1, ("市住建局", "support"): 1}
    )
    third = task_numbered(doc, "一.3")
    assert triples(third) == Counter({("市网络理政办", "lead"): 1, ("各区（市）县政府", "support"): 1})
    assert [m.due for m in third.milestones] == [date(2023, 6, 30)]
    assert triples(task_numbered(doc, "一.4")) == Counter(
        {("市网络理政办", "lead"): 1, ("市级有关部门", "support"): 1, ("各区（市）县政府", "support"): 1}
    )
    fifth = task_numbered(doc, "一.5")
    assert triples(fifth) == Counter({("市市场监管局", "joint"): 1, ("市网络理政办", "joint"): 1})
    assert fifth.leaders == ["李某"]
    assert all("李某" not in a.name for t in doc.tasks for a in t.assignments)


HUBEI = """\
湖北省人民政府关于印发湖北省数字经济发展三年行动方案的通知
鄂政发〔2023〕7号
各市、州、县人民政府，省政府各部门：
现将《湖北省数字经济发展三年行动方案》印发给你们，请认真贯彻执行。
湖北省人民政府
2023年5月8日
一、重点任务
(一)推进数字产业化。
1.做强光电子信息产业。(牵头单位:省经信厅;配合单位:省发改委、省科技厅,各市、州、县人民政府)
2.推进软件和信息服务业发展。(省经信厅牵头,省委网信办、省科技厅参与,2024年底前完成)
3.建设算力基础设施。牵头部门：省发改委；配合部门：省通信管理局、省能源局
"""


def test_hubei_plan_half_width_labels_a_collective_with_separators_and_a_deadline(extractor):
    doc = extractor.extract_text(HUBEI, source="鄂政发2023-7.txt")
    first = task_numbered(doc, "一.(一).1")
    assert triples(first) == Counter(
        {
            ("省经信厅", "lead"): 1,
            ("省发改委", "support"): 1,
            ("省科技厅", "support"): 1,
            ("各市、州、县人民政府", "support"): 1,
        }
    )
    assert [a.group for a in first.assignments] == [False, False, False, True]
    second = task_numbered(doc, "一.(一).2")
    assert triples(second) == Counter(
        {("省经信厅", "lead"): 1, ("省委网信办", "support"): 1, ("省科技厅", "support"): 1}
    )
    assert [m.due for m in second.milestones] == [date(2024, 12, 31)]
    third = task_numbered(doc, "一.(一).3")
    assert triples(third) == Counter(
        {("省发改委", "lead"): 1, ("省通信管理局", "support"): 1, ("省能源局", "support"): 1}
    )
    assert third.text == "建设算力基础设施。"


WUXI = """\
无锡市人民政府办公室关于印发无锡市数字政府建设工作要点的通知
锡政办发〔2023〕15号
各市（县）、区人民政府，市各委办局，市各直属单位：
现将《无锡市数字政府建设工作要点》印发给你们，请认真组织实施。
无锡市人民政府办公室
2023年4月20日
（列首位者为牵头单位；以下各市（县）、区人民政府均为责任单位，不再列出）
一、主要任务
1.推进一网通办。（市政务办、市大数据局）
2.推进一网统管。（市大数据局、市公安局、市城管局）
3.推进数据开放共享。市发改委负责，市大数据局配合。
"""


def test_wuxi_plan_note_line_first_is_lead_and_implicit_collective(extractor):
    doc = extractor.extract_text(WUXI, source="锡政办发2023-15.txt")
    implicit = ("各市（县）、区人民政府", "support")
    first = task_numbered(doc, "一.1")
    assert triples(first) == Counter({("市政务办", "lead"): 1, ("市大数据局", "support"): 1, implicit: 1})
    assert [(a.implicit, a.group) for a in first.assignments] == [(False, False), (False, False), (True, True)]
    second = task_numbered(doc, "一.2")
    assert triples(second) == Counter(
        {("市大数据局", "lead"): 1, ("市公安局", "support"): 1, ("市城管局", "support"): 1, implicit: 1}
    )
    assert triples(task_numbered(doc, "一.3")) == Counter(
        {("市发改委", "lead"): 1, ("市大数据局", "support"): 1, implicit: 1}
    )


JIANGNING = """\
南京市江宁区人民政府办公室关于印发江宁区优化营商环境工作方案的通知
江宁政办发〔2023〕21号
各街道办事处，区各委办局，区各直属单位：
现将《江宁区优化营商环境工作方案》印发给你们，请认真贯彻落实。
南京市江宁区人民政府办公室
2023年6月1日
一、重点任务
（一）提升政务服务效能。
主责单位：区政务办
责任部门：区市场监管局、区税务局
责任领导：王某某
（二）优化企业开办服务。（由区市场监管局负责，各街道具体实施）
（三）加强信用监管。【区发改委牵头，区各有关部门按职责分工负责，长期坚持】
"""


def test_district_plan_responsibility_labels_a_leader_and_implementing_streets(extractor):
    doc = extractor.extract_text(JIANGNING, source="江宁政办发2023-21.txt")
    first = task_numbered(doc, "一.(一)")
    assert triples(first) == Counter(
        {("区政务办", "lead"): 1, ("区市场监管局", "support"): 1, ("区税务局", "support"): 1}
    )
    assert first.leaders == ["王某某"]
    second = task_numbered(doc, "一.(二)")
    assert triples(second) == Counter({("区市场监管局", "lead"): 1, ("各街道", "support"): 1})
    assert [a.group for a in second.assignments] == [False, True]
    third = task_numbered(doc, "一.(三)")
    assert triples(third) == Counter({("区发改委", "lead"): 1, ("区各有关部门", "support"): 1})
    assert third.deadline_notes == ["长期坚持"] and third.milestones == []


COUNTY_TRADITIONAL = """\
某縣人民政府辦公室關於印發某縣鄉村振興重點工作任務分解方案的通知
各鄉鎮人民政府，縣級各部門：
2023年3月10日
一、重點工作
1.推進高標準農田建設。牽頭考核單位：縣農業農村局；配合單位：縣財政局、縣自然資源局，各鄉鎮人民政府。
2.發展鄉村特色產業。實施單位：縣農業農村局、縣商務局、縣文化廣電旅遊局。
3.改善農村人居環境。(縣住建局牽頭,縣生態環境局、縣水利局等相關部門配合)
"""


def test_county_plan_in_traditional_characters_with_qualified_labels_and_no_convention(extractor):
    doc = extractor.extract_text(COUNTY_TRADITIONAL, source="某縣.txt")
    first = task_numbered(doc, "一.1")
    assert triples(first) == Counter(
        {
            ("縣農業農村局", "lead"): 1,
            ("縣財政局", "support"): 1,
            ("縣自然資源局", "support"): 1,
            ("各鄉鎮人民政府", "support"): 1,
        }
    )
    # no first-is-lead convention: units responsible together are joint
    assert triples(task_numbered(doc, "一.2")) == Counter(
        {("縣農業農村局", "joint"): 1, ("縣商務局", "joint"): 1, ("縣文化廣電旅遊局", "joint"): 1}
    )
    third = task_numbered(doc, "一.3")
    assert triples(third) == Counter(
        {("縣住建局", "lead"): 1, ("縣生態環境局", "support"): 1, ("縣水利局", "support"): 1}
    )
    assert third.open_list


def test_first_is_lead_in_a_table_footnote_governs_the_responsible_column(extractor, tmp_path):
    from filemakers import make_docx

    path = make_docx(
        tmp_path / "分工表.docx",
        ["四川省2023年政务公开工作要点任务分工"],
        [
            ["序号", "工作任务", "责任单位", "完成时限"],
            ["1", "推进决策公开。", "省政府办公厅、省司法厅", "2023年6月底前"],
            ["2", "推进政策解读。", "省政府新闻办、省政府办公厅", "2023年12月底前"],
        ],
        paragraphs_after=["注：责任单位中排在第一位的为牵头单位。"],
    )
    doc = extractor.extract_file(path)
    first, second = (t for t in doc.tasks if t.assignments)
    assert triples(first) == Counter({("省政府办公厅", "lead"): 1, ("省司法厅", "support"): 1})
    assert triples(second) == Counter({("省政府新闻办", "lead"): 1, ("省政府办公厅", "support"): 1})


def test_time_and_leader_label_lines_after_a_task(extractor):
    text = """\
某市2023年政务公开工作要点
2023年2月1日
一、重点任务
1.推进决策公开。
牵头单位：市政府办公室
配合单位：市司法局
完成时限：2023年12月底前
2.推进政策解读。
责任单位：市政府新闻办
时间节点：2023年6月
分管副市长：李四
"""
    doc = extractor.extract_text(text, source="某市.txt")
    first, second = doc.tasks
    assert triples(first) == Counter({("市政府办公室", "lead"): 1, ("市司法局", "support"): 1})
    assert [m.due for m in first.milestones] == [date(2023, 12, 31)]
    assert triples(second) == Counter({("市政府新闻办", "lead"): 1})
    assert [m.due for m in second.milestones] == [date(2023, 6, 30)]
    assert second.leaders == ["李四"]


def test_national_collective_words_are_groups_with_canonical_names(extractor):
    text = """\
国务院办公厅关于加强数字政府建设的实施意见
国办发〔2022〕14号
一、重点任务
（一）推进数据共享。（国家发展改革委、国家数据局牵头，国务院相关部门、各省级人民政府按职责分工负责）
（二）推进平台建设。（各地区各部门按职责分工负责）
（三）加强统筹。（国务院办公厅牵头，国务院有关部门配合）
国务院办公厅
2022年6月6日
"""
    doc = extractor.extract_text(text, source="国办发2022-14.txt")
    groups = {(a.name, a.agency) for t in doc.tasks for a in t.assignments if a.group}
    assert groups == {
        ("国务院相关部门", "国务院有关部门"),
        ("国务院有关部门", "国务院有关部门"),
        ("各省级人民政府", "各省、自治区、直辖市人民政府"),
        ("各地区各部门", "中国各地区各部门"),
    }
    assert triples(task_numbered(doc, "一.(一)")) == Counter(
        {
            ("国家发展改革委", "lead"): 1,
            ("国家数据局", "lead"): 1,
            ("国务院相关部门", "support"): 1,
            ("各省级人民政府", "support"): 1,
        }
    )
    assert triples(task_numbered(doc, "一.(二)")) == Counter({("各地区各部门", "lead"): 1})


def test_a_time_phrase_after_a_label_value_or_a_semicolon_is_the_deadline_never_a_unit(extractor):
    # 无锡 and 湖北 styles: the time phrase stands inside the marking after a comma that follows a
    # label's value, or after a semicolon that follows a verb clause
    text = """\
无锡市2023年数字政府建设工作要点
2023年2月1日
一、重点任务
1.建设城市运行管理平台（牵头单位：市大数据局，2023年底前完成）
2.完善一网通办平台功能（市发改委负责；2023年12月）
3.推进政务数据共享(牵头单位:市政务办,配合单位:市公安局,2024年6月底前)
"""
    doc = extractor.extract_text(text, source="锡政办2023.txt")
    first, second, third = doc.tasks
    assert triples(first) == Counter({("市大数据局", "lead"): 1})
    assert [a.unit.name for a in first.assignments if a.unit] == ["无锡市大数据局"]
    assert [m.due for m in first.milestones] == [date(2023, 12, 31)]
    assert triples(second) == Counter({("市发改委", "lead"): 1})
    assert [m.due for m in second.milestones] == [date(2023, 12, 31)]
    assert triples(third) == Counter({("市政务办", "lead"): 1, ("市公安局", "support"): 1})
    assert [m.due for m in third.milestones] == [date(2024, 6, 30)]
    assert not any("2023年" in w or "2024年" in w for w in doc.warnings)  # no time phrase taken for a unit


@pytest.mark.parametrize(
    "last",
    [
        "实现电子证照共享应用跨部门、跨部门协同。",
        "推动政务数据跨层级、跨地域协同。",
        "实现智慧农业云平台跨系统、跨业务协同推进。",
    ],
)
def test_a_paragraph_ending_in_scopes_and_a_verb_names_no_unit(extractor, last):
    # the benchmark generator's sentences: 跨部门 / 跨层级 are scopes, not units, so a sentence of
    # them and 协同 is no marking wherever it stands (a paragraph's end, the document's end)
    text = f"""\
某市2023年数字政府建设工作要点
2023年2月1日
一、重点任务
1.推进数据共享，完善目录体系。{last}
2.建设公共资源交易平台。{last}（市大数据局负责）
加强智慧农业建设，{last}
"""
    doc = extractor.extract_text(text, source="某市2023.txt")
    assigned = {t.text[:6]: triples(t) for t in doc.tasks if t.assignments}
    assert assigned == {"建设公共资源": Counter({("市大数据局", "lead"): 1})}
    assert doc.tasks[0].text == f"推进数据共享，完善目录体系。{last}"


@pytest.mark.parametrize(
    ("lead_header", "support_header"),
    [("牵头处室", "协同部门"), ("牵头部门", "参与部门"), ("主办处室", "协办处室"), ("牽頭處室", "協同部門")],
)
def test_table_columns_named_by_any_role_word_and_unit_word_are_read(extractor, tmp_path, lead_header, support_header):
    # a 河北-style department's 分工表: headers nobody listed, read with the marking labels' grammar
    path = make_csv(
        tmp_path / "冀发改2023-分工表.csv",
        "河北省发展和改革委员会2023年重点工作任务分工表",
        ["序号", "重点任务", lead_header, support_header, "完成时限"],
        [
            ["1", "推进重大项目谋划储备。", "投资处", "规划处、财政金融处", "2023年6月底前"],
            ["2", "开展营商环境评价。", "体改处", "法规处", "2023年12月底前"],
        ],
    )
    doc = extractor.extract_file(path)
    assert [triples(t) for t in doc.tasks] == [
        Counter({("投资处", "lead"): 1, ("规划处", "support"): 1, ("财政金融处", "support"): 1}),
        Counter({("体改处", "lead"): 1, ("法规处", "support"): 1}),
    ]
    assert [[m.due for m in t.milestones] for t in doc.tasks] == [[date(2023, 6, 30)], [date(2023, 12, 31)]]


@pytest.mark.parametrize(
    "marking",
    [
        "（责任单位：市人社局；配合单位：市财政局、市医保局）",
        "（責任單位：市人社局；配合單位：市財政局、市醫保局）",
        "（责任部门：市人社局；协助部门：市财政局、市医保局）",
        "（责任单位：市人社局；协同单位：市财政局、市医保局）",
    ],
)
def test_a_lone_responsible_unit_beside_supporters_leads(extractor, marking):
    text = f"""\
某市2023年就业工作要点
2023年2月1日
一、重点任务
1.扩大城镇新增就业。{marking}
"""
    (task,) = extractor.extract_text(text, source="某市就业2023.txt").tasks
    roles = sorted(a.role.value for a in task.assignments)
    assert roles == ["lead", "support", "support"]
    assert [fold(a.name) for a in task.assignments if a.role.value == "lead"] == ["市人社局"]


@pytest.mark.parametrize(
    ("paragraph", "units"),
    [
        (
            "（市发展改革委、市财政局牵头，各区政府落实）",
            [("市发展改革委", "lead"), ("市财政局", "lead"), ("各区政府", "support")],
        ),
        ("（区住建局牵头，各街道推进）", [("区住建局", "lead"), ("各街道", "support")]),
        ("（县农业农村局牵头，各乡镇人民政府组织实施）", [("县农业农村局", "lead"), ("各乡镇人民政府", "support")]),
        ("（省数据局牵头，各设区市政府抓好落实）", [("省数据局", "lead"), ("各设区市政府", "support")]),
    ],
)
def test_units_that_carry_out_the_work_after_a_lead_support_it(paragraph, units):
    assert only("推进老旧小区改造。" + paragraph).units == units


def test_units_before_an_action_verb_without_a_lead_are_no_marking():
    # with no lead in the marking, 落实 after a list is not a role word: nothing is read
    assert markings("推进老旧小区改造。（各区政府落实）") == []


@pytest.mark.parametrize(
    "cell",
    [
        "市委网信办、市公安局（按职责分工负责）",
        "市委网信办、市公安局(分别负责)",
        "市委网信办、市公安局〔按职责分工负责〕",
    ],
)
def test_a_distributive_verb_after_a_lead_cell_makes_its_units_joint(extractor, tmp_path, cell):
    path = make_csv(
        tmp_path / "市网络安全分工表.csv",
        "某市2023年网络安全工作任务分工表",
        ["序号", "重点任务", "牵头单位", "配合单位"],
        [["1", "开展关键信息基础设施安全检查。", cell, ""]],
    )
    (task,) = extractor.extract_file(path).tasks
    assert triples(task) == Counter({("市委网信办", "joint"): 1, ("市公安局", "joint"): 1})


def test_a_sentence_opening_with_units_joined_by_huitong_assigns_the_task(extractor):
    # 湖南 style: no marking; the sentence says who does the work — A会同B、C + the work
    text = """\
湖南省2023年数字经济工作要点
2023年2月1日
一、重点任务
（一）加强统计监测。省统计局会同省发展改革委、省工业和信息化厅组织开展全省数字经济核心产业统计监测。
（二）完善政策体系。省发展改革委联合省财政厅研究制定支持数字经济发展的若干政策措施。
（三）推进平台建设。依托省大数据中心建设全省一体化平台。（省数据局负责）
（四）优化营商环境。推动省市场监管局会同省司法厅开展执法检查。
"""
    doc = extractor.extract_text(text, source="湘2023数字经济.txt")
    first, second, third, fourth = doc.tasks
    assert first.text.endswith("组织开展全省数字经济核心产业统计监测。")  # the sentence stays the task's text
    assert triples(first) == Counter(
        {("省统计局", "lead"): 1, ("省发展改革委", "support"): 1, ("省工业和信息化厅", "support"): 1}
    )
    assert [a.agency for a in first.assignments] == ["湖南省统计局", "湖南省发展和改革委员会", "湖南省工业和信息化厅"]
    assert triples(second) == Counter({("省发展改革委", "lead"): 1, ("省财政厅", "support"): 1})
    assert triples(third) == Counter({("省数据局", "lead"): 1})  # 依托 a unit is no subject
    assert fourth.assignments == []  # 会同 inside the sentence, after its verb: no subject
