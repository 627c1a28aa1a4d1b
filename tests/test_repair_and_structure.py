"""Issue 2: text repair and document structure.

On the seeds: 004 (traditional, GBK mojibake in headings, pinyin glosses) yields its
sections with readable headings in a proper hierarchy; 002 (a truncated web preview)
yields its tasks, unassigned, without the download notice; every seed's front matter
(title, 文号, date, jurisdiction, level); 003 implements 004.

On plans written here: the heading levels 一、/（一）/1./（1）, task number paths and
short titles, multi-step milestones, undated deadline words, and mojibake made the way
004's was (GBK bytes decoded one byte out of step) repaired with exact provenance.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from filemakers import make_txt

from dutygraph.loaders.pipeline import quality_report
from dutygraph.loaders.repair import repair_mojibake_line
from dutygraph.model import Document, Level, stable_id

S000, S001, S002, S003, S004 = (
    "000_bb281ce7d484c788.txt",
    "001_8308b1ada969cea2.txt",
    "002_f9f08fc3b7a1cb67.txt",
    "003_160671325042dcbf.txt",
    "004_c08e7fd1595398c3.txt",
)
# A tone-marked pinyin letter: what a gloss such as 發(fā) leaves behind.
PINYIN = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]|\\([a-z]{1,7}\\)")
# Leftovers of mojibake: the "?" of a lost byte, private-use characters, box drawing, bopomofo.
MOJIBAKE = re.compile("[?\ue000-\uf8ff\u2500-\u257f\u3100-\u312f]")


def sections_by_path(doc: Document) -> dict:
    return {s.path: s for s in doc.sections}


# ---------------------------------------------------------------------------- 004


def test_004_section_headings_are_repaired_readable_and_in_the_documents_script(seed_docs):
    doc = seed_docs[S004]
    assert doc.script == "traditional"
    titles = {s.path: s.title for s in doc.sections}
    expected = {
        "一": "總體要求",
        "一.(一)": "指導思想",
        "一.(二)": "總體目標",  # a mojibake line: ?。ǘ┛傮w目標
        "二": "以數字化改革助力政府職能轉變",
        "二.(一)": "構建精準科學的數字化經濟調節體系",  # mojibake and a pinyin gloss 節(jié)
        "二.(二)": "構建公平公正的數字化市場監管體系",
        "二.(三)": "構建協同閉環的數字化社會治理體系",
        "二.(五)": "構建全域智慧的數字化生態環境保護體系",
        "二.(六)": "構建整體高效的數字化政府運行體系",
        "三": "以數字政府建設助推數字浙江發展",
        "三.(一)": "撬動數字經濟發展",
        "三.(二)": "驅動數字社會建設",
        "三.(三)": "營造良好數字生態",
        "四": "構建“平臺+大腦”支撐體系",
        "四.(一)": "構建開放共享的數據資源體系",
        "五": "構建數字政府全方位安全保障體系",
        "六": "構建數字政府建設理論和制度體系",
        "六.(二)": "健全數字政府建設理論和制度體系",
        "七": "全面加強黨對數字政府建設工作的領導",
    }
    assert {p: titles.get(p) for p in expected} == expected
    for title in titles.values():
        assert not PINYIN.search(title), title
        assert not MOJIBAKE.search(title), title


def test_004_heading_whose_bytes_are_lost_keeps_its_place_in_the_hierarchy(seed_docs):
    doc = seed_docs[S004]
    sections = sections_by_path(doc)
    # 優 lost its second byte to the gloss "(yōu)": one replacement character, nothing else
    lost = sections["二.(四)"].title
    assert lost.startswith("構建") and lost.endswith("質普惠的數字化公共服務體系") and lost.count("\ufffd") == 1
    assert sections["二.(四)"].parent_id == sections["二"].id
    # headings that carry their statement are tasks; those with lost bytes stay at their number
    tasks = {t.number: t for t in doc.tasks}
    for number, start, section in [
        ("五.(一)", "強化安全管理責", "五"),
        ("五.(二)", "落實安全制度要", "五"),
        ("五.(三)", "提升安全", "五"),
        ("五.(四)", "提高自主可控水平", "五"),
        ("六.(一)", "\ufffd新數字政府建設協同機制", "六"),
        ("七.(四)", "強化考核評價", "七"),
    ]:
        assert tasks[number].title.startswith(start), (number, tasks[number].title)
        assert tasks[number].section_id == sections[section].id, number
    assert "repaired 18 lines of GBK mojibake (4 characters unrecoverable)" in doc.warnings


def test_004_sections_form_a_proper_hierarchy(seed_docs):
    doc = seed_docs[S004]
    by_id = {s.id: s for s in doc.sections}
    top = [s.path for s in doc.sections if s.depth == 1]
    assert top == ["一", "二", "三", "四", "五", "六", "七"]
    for section in doc.sections:
        if section.depth == 1:
            assert section.parent_id is None
        else:
            parent = by_id[section.parent_id]
            assert parent.depth == section.depth - 1 and section.path.startswith(parent.path + ".")
    assert [s.path for s in doc.sections if s.path.startswith("二.")] == [f"二.({n})" for n in "一二三四五六"]
    for task in doc.tasks:  # every task stands under the section its number names
        section = by_id[task.section_id]
        assert task.number.startswith(section.path + "."), task.number


def test_004_tasks_are_in_traditional_script_without_glosses(seed_docs):
    doc = seed_docs[S004]
    assert len(doc.tasks) == 52 and not any(t.assignments for t in doc.tasks)
    first = doc.tasks[0]
    assert first.number == "二.(一).¶1" and first.text.startswith("全面感知經濟社會發展態勢")
    for task in doc.tasks:
        assert not PINYIN.search(task.text), task.number
    assert not any("此件公" in t.text for t in doc.tasks)  # the closing note is framing, not a task


def test_004_provenance_of_repaired_lines_points_at_the_line_as_written(seed_docs):
    doc = seed_docs[S004]
    for section in doc.sections:
        written = doc.text[section.start : section.end]
        # a heading's span runs to the end of its line in the original, garbled or not
        assert section.end == len(doc.text) or doc.text[section.end] == "\n", section.path
        assert "\n" not in written.strip(), section.path
    assert doc.text[sections_by_path(doc)["二.(一)"].start :].startswith("?。ㄒ唬")
    cited = [c for c in doc.citations if c.title == "浙江省公共數據條例"]
    assert len(cited) == 1 and doc.text[cited[0].start : cited[0].end] == "《浙江省公共數據條例》"
    for task in doc.tasks:
        assert task.end - task.start >= len(task.text), task.number


# ---------------------------------------------------------------------------- 002


def test_002_tasks_are_all_unassigned_and_listed_in_the_quality_report(seed_docs):
    doc = seed_docs[S002]
    assert [t.number for t in doc.tasks] == [
        "二.(一).1",
        "二.(一).2",
        "二.(二).1",
        "二.(二).2",
        "二.(二).3",
        "二.(三).1",
    ]
    assert [t.title for t in doc.tasks] == [
        "提高政府机关数字化运行管理能力",
        "推进数字政府管理体制机制改革",
        "推动政务服务提质增效",
        "持续优化数字营商环境",
        "促进公共服务智慧均等",
        "加强科学有效的经济治理",
    ]
    assert not any(t.assigned for t in doc.tasks)
    assert quality_report(doc)["unassigned_tasks"] == [t.number for t in doc.tasks]
    assert "no responsibility clauses: every task is unassigned" in doc.warnings


def test_002_download_notice_is_in_no_task_or_section(seed_docs):
    doc = seed_docs[S002]
    assert "预览已结束" in doc.text  # the original is kept whole for provenance
    shown = [*(t.text for t in doc.tasks), *(t.title for t in doc.tasks), *(s.title for s in doc.sections)]
    for text in shown:
        assert "预览已结束" not in text and "https://" not in text and "二维码" not in text
    last = doc.tasks[-1]
    assert last.text.endswith("数据输入与方案输出相衔接")
    assert doc.text[last.start : last.end].rstrip().endswith("相衔接")
    # the page break inside task 二.(一).1 ("数字化协\n\n同工程") is rejoined
    assert "数字化协同工程建设" in doc.tasks[0].text


# ---------------------------------------------------------------------------- every seed


@pytest.mark.parametrize(
    ("name", "title", "doc_number", "issued", "year", "issuer", "jurisdiction", "level", "script"),
    [
        (
            S000,
            "浙江省数字政府系统建设方案",
            None,
            None,
            2021,
            "浙江省人民政府办公厅",
            "浙江省",
            Level.PROVINCE,
            "simplified",
        ),
        (
            S001,
            "2019年浙江省深化“最多跑一次”改革推进政府数字化转型工作要点",
            "浙政办发〔2019〕17号",
            date(2019, 3, 25),
            2019,
            "浙江省人民政府办公厅",
            "浙江省",
            Level.PROVINCE,
            "simplified",
        ),
        (
            S002,
            "浙江省数字政府建设“十四五”规划",
            "浙政发〔2021〕13号",
            date(2021, 6, 4),
            2021,
            "浙江省人民政府",
            "浙江省",
            Level.PROVINCE,
            "simplified",
        ),
        (
            S003,
            "绍兴市加快推进数字政府建设实施方案",
            None,
            date(2022, 12, 30),
            2022,
            "绍兴市人民政府",
            "绍兴市",
            Level.CITY,
            "simplified",
        ),
        (
            S004,
            "浙江省人民政府关于深化数字政府建设的实施意见",
            "浙政发〔2022〕20号",
            date(2022, 7, 30),
            2022,
            "浙江省人民政府",
            "浙江省",
            Level.PROVINCE,
            "traditional",
        ),
    ],
)
def test_seed_front_matter_title_doc_number_dates_issuer_jurisdiction_level_script(
    seed_docs, name, title, doc_number, issued, year, issuer, jurisdiction, level, script
):
    doc = seed_docs[name]
    got = (doc.title, doc.doc_number, doc.issued, doc.year, doc.issuer, doc.jurisdiction, doc.level, doc.script)
    assert got == (title, doc_number, issued, year, issuer, jurisdiction, level, script)
    assert (doc.format, doc.encoding, doc.source) == ("txt", "utf-8", name)


def test_003_implements_004_by_its_doc_number(seed_docs):
    doc3, doc4 = seed_docs[S003], seed_docs[S004]
    cited = [c for c in doc3.citations if c.doc_number == "浙政发〔2022〕20号"]
    assert len(cited) == 1
    citation = cited[0]
    assert citation.relation == "implements"
    assert citation.title == doc4.title == "浙江省人民政府关于深化数字政府建设的实施意见"
    assert stable_id("doc-", citation.key) == doc4.id
    assert (
        doc3.text[citation.start : citation.end]
        == "《浙江省人民政府关于深化数字政府建设的实施意见》(浙政发〔2022〕20号)"
    )
    national = [c for c in doc3.citations if c.doc_number == "国发〔2022〕14号"]
    assert [c.relation for c in national] == ["implements"]


def test_citation_in_the_body_is_cited_not_implemented(seed_docs):
    relations = {c.title: c.relation for c in seed_docs[S001].citations}
    assert relations["国务院关于加快推进全国一体化在线政务服务平台建设的指导意见"] == "implements"
    assert relations["中华人民共和国网络安全法"] == "cites"


# ---------------------------------------------------------------------------- plans written here

LEVELS_PLAN = """\
浙江省数字政府建设规划
2021年6月4日
一、总体要求
（一）指导思想。坚持以人民为中心的发展思想。
（二）发展目标。到2025年，基本建成数字政府。
二、主要任务
（一）建设整体高效的运行体系。
1.提高机关运行效能。
（1）推进协同办公。6月底前，完成浙政钉升级。12月底前，实现全省机关全覆盖。（牵头单位：省大数据局）
（2）推进电子督查。年内完成督查系统建设。（牵头单位：省政府办公厅）
2.深化体制机制改革。长期坚持改革方向，持续推进机制创新。（牵头单位：省委编办）
（二）构建普惠服务体系。
1.推动政务服务提质增效，全面推进政务服务事项一网通办、跨省通办和一件事集成改革，打造服务品牌。到2025年，实现一网通办。（牵头单位：省政府办公厅）
三、保障措施
（一）加强组织领导。各地各部门要加强对数字政府建设的领导。
"""


@pytest.fixture(scope="module")
def levels_doc(extractor, tmp_path_factory) -> Document:
    return extractor.extract_file(make_txt(tmp_path_factory.mktemp("levels") / "规划.txt", LEVELS_PLAN))


def test_four_heading_levels_make_a_section_hierarchy(levels_doc):
    doc = levels_doc
    rows = [(s.path, s.depth, s.number, s.title) for s in doc.sections]
    assert rows == [
        ("一", 1, "一、", "总体要求"),
        ("一.(一)", 2, "（一）", "指导思想"),
        ("一.(二)", 2, "（二）", "发展目标"),
        ("二", 1, "二、", "主要任务"),
        ("二.(一)", 2, "（一）", "建设整体高效的运行体系"),
        ("二.(一).1", 3, "1.", "提高机关运行效能"),
        ("二.(二)", 2, "（二）", "构建普惠服务体系"),
        ("三", 1, "三、", "保障措施"),
    ]
    by_path = sections_by_path(doc)
    assert by_path["二.(一).1"].parent_id == by_path["二.(一)"].id
    assert by_path["二.(一)"].parent_id == by_path["二"].id
    assert doc.text[by_path["二.(一).1"].start : by_path["二.(一).1"].end] == "1.提高机关运行效能。"


def test_task_number_paths_sections_and_short_titles(levels_doc):
    doc = levels_doc
    sections = {s.id: s.path for s in doc.sections}
    rows = [(t.number, sections[t.section_id], t.title) for t in doc.tasks]
    assert rows == [
        ("二.(一).1.(1)", "二.(一).1", "推进协同办公"),
        ("二.(一).1.(2)", "二.(一).1", "推进电子督查"),
        ("二.(一).2", "二.(一)", "深化体制机制改革"),
        # a first sentence over 40 characters is cut to 30 and an ellipsis
        ("二.(二).1", "二.(二)", "推动政务服务提质增效，全面推进政务服务事项一网通办、跨省通办…"),
        ("三.(一)", "三", "加强组织领导"),
    ]
    assert [t.ordinal for t in doc.tasks] == [1, 2, 3, 4, 5]
    # goals under 总体要求 are not tasks
    assert not any(t.number.startswith("一") for t in doc.tasks)
    # a heading with a statement and no clause is a task, unassigned
    assert not doc.tasks[-1].assigned and doc.tasks[-1].text == "加强组织领导。各地各部门要加强对数字政府建设的领导。"


def test_multi_step_task_has_one_milestone_per_step_with_its_text(levels_doc):
    task = levels_doc.tasks[0]
    assert [(m.due, m.expression, m.text) for m in task.milestones] == [
        (date(2021, 6, 30), "6月底前", "6月底前，完成浙政钉升级"),
        (date(2021, 12, 31), "12月底前", "12月底前，实现全省机关全覆盖"),
    ]
    assert task.deadline_notes == []
    assert [m.due for m in levels_doc.tasks[3].milestones] == [date(2025, 12, 31)]


def test_undated_deadline_words_are_kept_as_notes(levels_doc):
    second, third = levels_doc.tasks[1], levels_doc.tasks[2]
    assert second.deadline_notes == ["年内"] and second.milestones == []
    assert third.deadline_notes == ["长期坚持", "持续推进"] and third.milestones == []


def garble(line: str) -> str:
    """A line as 004's copy shows it: its GBK bytes decoded one byte out of step, the
    first byte lost and shown as "?"."""
    data = line.encode("gbk")
    return "?" + data[1:].decode("gb18030", errors="replace")


def test_mojibake_made_like_004s_is_repaired_in_structure_and_provenance(extractor, tmp_path):
    heading_1 = "\u3000（一）構建開放共享的數據資源體系。加快數據歸集。（牽頭單位：省大數據局；協同單位：省經信廳）"
    heading_2 = "\u3000（二）強化考核評價。完善評價體系。（牽頭單位：省政府辦公廳）"
    assert garble(heading_1).startswith("?。ㄒ唬") and repair_mojibake_line(garble(heading_1)) == heading_1
    text = "\n".join(
        [
            "浙江省數字政府建設實施意見",
            "2022年7月30日",
            "  一、構建數據資源體系",
            " " + garble(heading_1),
            " " + garble(heading_2),
            "  二、強化保障",
            "  （一）加強組織領導。堅持黨的全面領導,推動發(fā)展。",
        ]
    )
    path = make_txt(tmp_path / "意見.txt", text)
    doc = extractor.extract_file(path)
    assert [(s.path, s.title) for s in doc.sections] == [("一", "構建數據資源體系"), ("二", "強化保障")]
    first, second, third = doc.tasks
    assert (first.number, first.title) == ("一.(一)", "構建開放共享的數據資源體系")
    assert (second.number, second.title) == ("一.(二)", "強化考核評價")
    assert [(a.name, a.role.value, a.agency) for a in first.assignments] == [
        ("省大數據局", "lead", "浙江省大数据发展管理局"),
        ("省經信廳", "support", "浙江省经济和信息化厅"),
    ]
    # the clause is past the garbled head of the line: it points at the file's own text
    assert {a.source.text for a in first.assignments} == {"（牽頭單位：省大數據局；協同單位：省經信廳）"}
    assert second.clause.text == "（牽頭單位：省政府辦公廳）"
    for task in (first, second):
        for a in task.assignments:
            assert doc.text[a.source.start : a.source.end] == a.source.text
            assert doc.text[a.name_span.start : a.name_span.end] == a.name_span.text == a.name
    assert (third.number, third.text) == ("二.(一)", "加強組織領導。堅持黨的全面領導,推動發展。")
    assert any(w.startswith("repaired 2 lines of GBK mojibake (0 characters") for w in doc.warnings)
