"""Issue 11, the structure of real published texts: where markings stand and what each governs.

Plans written here in the styles of the State Council, provinces (江苏, 湖北, 广东, 四川),
cities (武汉, 成都, 无锡) and districts or counties (南京市江宁区, 某县), in simplified and
traditional script, with full- and half-width punctuation.  Every expected task, unit and role
below was written by reading the text, not by running the extractor.

* several markings inside one numbered item give one task each, numbered under the item;
* a marking on a heading governs the heading's task and the items under it that carry none of
  their own, and the output says those units are inherited;
* numbered items run together on one line are split; a numbered line followed by label lines
  is a task; a heading, its text and label lines are one task; unnumbered paragraphs that end
  in a marking are tasks, in a plan without any heading too;
* unbalanced and mixed quotation marks never swallow the text after them;
* web pages laid out in tables read as text, a 任务分工表 in them as a table; a .docx yields its
  paragraphs and its table; .tsv files and the headers 任务内容 / 工作任务 / 重点任务 are read; a
  cell holding ``A牵头，B…负责`` is read by the marking grammar;
"""

from __future__ import annotations

import html

import pytest
from filemakers import make_csv, make_docx, make_txt, make_xlsx

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.pipeline import quality_report, task_record
from dutygraph.loaders.read import read_document
from dutygraph.model import Document, Task


def extract(extractor: Extractor, text: str, source: str = "plan.txt") -> Document:
    return extractor.extract_text(text, source=source)


def task(doc: Document, number: str) -> Task:
    found = [t for t in doc.tasks if t.number == number]
    assert found, f"no task {number}; tasks: {[t.number for t in doc.tasks]}"
    return found[0]


def triples(t: Task) -> list[tuple[str, str]]:
    """(unit as written, role) of a task, in the order written."""
    return [(a.name, a.role.value) for a in t.assignments]


# ---------------------------------------------------------------- several markings in one item

STATE_COUNCIL = """\
国务院办公厅关于印发数字政务协同推进方案的通知
国办发〔2023〕5号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《数字政务协同推进方案》已经国务院同意，现印发给你们，请认真贯彻执行。
国务院办公厅
2023年2月27日
一、重点任务
1.推进政务数据共享。建立健全数据共享协调机制（国家发展改革委牵头）。完善政务数据目录体系（国务院办公厅负责）。推动数据资源开发利用（工业和信息化部、公安部按职责分工负责）。
2.加强安全保障。落实网络安全责任制（中央网信办牵头）。
"""


def test_each_marking_of_a_state_council_item_governs_the_sentences_before_it(extractor):
    doc = extract(extractor, STATE_COUNCIL)
    assert [t.number for t in doc.tasks] == ["一.1.1", "一.1.2", "一.1.3", "一.2"]
    first, second, third = task(doc, "一.1.1"), task(doc, "一.1.2"), task(doc, "一.1.3")
    assert first.text == "推进政务数据共享。建立健全数据共享协调机制"
    assert triples(first) == [("国家发展改革委", "lead")]
    assert [a.agency for a in first.assignments] == ["国家发展和改革委员会"]
    assert second.text == "完善政务数据目录体系"
    assert triples(second) == [("国务院办公厅", "lead")]
    assert third.text == "推动数据资源开发利用"
    assert triples(third) == [("工业和信息化部", "joint"), ("公安部", "joint")]
    # an item with one marking stays one task
    assert triples(task(doc, "一.2")) == [("中央网信办", "lead")]
    assert task(doc, "一.2").text == "加强安全保障。落实网络安全责任制"


def test_the_item_of_several_markings_is_a_section_titled_without_its_marking(extractor):
    doc = extract(extractor, STATE_COUNCIL)
    item = next(s for s in doc.sections if s.path == "一.1")
    assert item.title == "推进政务数据共享"
    assert {t.section_id for t in doc.tasks if t.number.startswith("一.1.")} == {item.id}


def test_each_part_keeps_the_provenance_of_its_own_marking(extractor):
    doc = extract(extractor, STATE_COUNCIL)
    third = task(doc, "一.1.3")
    assert third.clause is not None and third.clause.text == "（工业和信息化部、公安部按职责分工负责）"
    assert doc.text[third.clause.start : third.clause.end] == third.clause.text
    for a in third.assignments:
        assert a.name_span is not None and doc.text[a.name_span.start : a.name_span.end] == a.name


# 湖北, traditional script, the parts separated by ； and the last marking after the final 。
HUBEI_TRADITIONAL = """\
湖北省人民政府辦公廳關於印發湖北省數字政府建設實施方案的通知
鄂政辦發〔2023〕8號
各市、州、縣人民政府，省政府各部門：
現將《湖北省數字政府建設實施方案》印發給你們，請認真組織實施。
2023年4月10日
一、主要任務
（一）夯實數字基礎設施。建設全省一體化政務雲（省數據局牽頭）；完善電子政務外網（省通信管理局負責）；推進政務數據共享。（省發展改革委、省數據局按職責分工負責）
"""


def test_a_hubei_heading_in_traditional_script_with_three_markings_gives_three_tasks(extractor):
    doc = extract(extractor, HUBEI_TRADITIONAL)
    assert doc.script == "traditional"
    assert [t.number for t in doc.tasks] == ["一.(一).1", "一.(一).2", "一.(一).3"]
    assert task(doc, "一.(一).1").text == "夯實數字基礎設施。建設全省一體化政務雲"
    assert triples(task(doc, "一.(一).1")) == [("省數據局", "lead")]
    assert task(doc, "一.(一).2").text == "完善電子政務外網"
    assert triples(task(doc, "一.(一).2")) == [("省通信管理局", "lead")]
    assert task(doc, "一.(一).3").text == "推進政務數據共享。"
    assert triples(task(doc, "一.(一).3")) == [("省發展改革委", "joint"), ("省數據局", "joint")]
    assert task(doc, "一.(一).3").assignments[0].agency == "湖北省发展和改革委员会"


def test_markings_side_by_side_are_one_marking_of_one_task(extractor):
    # 四川, half-width punctuation: a label marking split into two brackets
    text = """\
四川省2023年政务服务工作要点
2023年3月6日
一、工作任务
1.推行政务服务事项清单管理。(牵头单位:省政务服务和公共资源交易服务中心)(配合单位:省发展改革委、省司法厅)
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1"]
    assert triples(doc.tasks[0]) == [
        ("省政务服务和公共资源交易服务中心", "lead"),
        ("省发展改革委", "support"),
        ("省司法厅", "support"),
    ]


# ---------------------------------------------------------------- a marking on a heading

JIANGSU_HEADING = """\
江苏省人民政府办公厅关于印发江苏省2023年数字政府建设工作要点的通知
苏政办发〔2023〕12号
各市、县（市、区）人民政府，省各委办厅局，省各直属单位：
现将《江苏省2023年数字政府建设工作要点》印发给你们，请认真贯彻落实。
江苏省人民政府办公厅
2023年3月1日
一、加强数字基础设施建设
（一）推进网络建设。（省通信管理局、省工业和信息化厅等省有关部门及各设区市人民政府按职责分工负责）
1.加快5G网络建设，年底前实现乡镇全覆盖。
2.推进千兆光网进小区（省通信管理局牵头）。
（二）提升政务云能力。
3.整合政务云资源。（省发展改革委负责）
"""


def test_a_heading_marking_governs_the_heading_and_the_items_without_their_own(extractor):
    doc = extract(extractor, JIANGSU_HEADING)
    assert [t.number for t in doc.tasks] == ["一.(一)", "一.(一).1", "一.(一).2", "一.(二).3"]
    heading = task(doc, "一.(一)")
    expected = [("省通信管理局", "joint"), ("省工业和信息化厅", "joint"), ("各设区市人民政府", "joint")]
    assert triples(heading) == expected
    assert heading.open_list
    assert all(a.inherited_from is None for a in heading.assignments)
    item = task(doc, "一.(一).1")
    assert triples(item) == expected
    assert {a.inherited_from for a in item.assignments} == {"一.(一)"}
    assert item.clause == heading.clause  # provenance: the heading's marking, as written
    assert [str(m.due) for m in item.milestones] == ["2023-12-31"]
    # an item with a marking of its own keeps it
    own = task(doc, "一.(一).2")
    assert triples(own) == [("省通信管理局", "lead")]
    assert all(a.inherited_from is None for a in own.assignments)
    assert [a.agency for a in own.assignments] == ["江苏省通信管理局"]


def test_inherited_units_are_named_in_the_task_record_and_the_quality_report(extractor):
    doc = extract(extractor, JIANGSU_HEADING)
    record = task_record(doc, task(doc, "一.(一).1"))
    assert [a["inherited_from"] for a in record["assignments"]] == ["一.(一)"] * 3
    assert all("inherited_from" not in a for a in task_record(doc, task(doc, "一.(一)"))["assignments"])
    assert quality_report(doc)["inherited"] == {"一.(一).1": "一.(一)"}


def test_a_rank_one_heading_marking_governs_the_paragraphs_and_sub_items_under_it(extractor):
    # 成都: the marking on 一、, the items two levels down, one paragraph under a heading
    text = """\
成都市人民政府办公厅关于印发成都市智慧蓉城建设行动方案的通知
成办发〔2023〕20号
2023年5月8日
一、夯实城市数字底座（市网络理政办牵头，各区（市）县政府负责）
（一）建设城市数据资源体系
1.完善城市数据资源目录。
2.建设城市运行感知网络（市经信局负责）。
（二）强化安全防护
落实网络安全等级保护制度。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一", "一.(一).1", "一.(一).2", "一.(二).¶1"]
    heading = [("市网络理政办", "lead"), ("各区（市）县政府", "support")]
    assert triples(task(doc, "一")) == heading
    assert triples(task(doc, "一.(一).1")) == heading
    assert triples(task(doc, "一.(二).¶1")) == heading
    assert {a.inherited_from for a in task(doc, "一.(二).¶1").assignments} == {"一"}
    assert triples(task(doc, "一.(一).2")) == [("市经信局", "lead")]
    assert [s.path for s in doc.sections] == ["一.(一)", "一.(二)"]


def test_a_paragraph_after_an_item_with_a_marking_is_no_task_of_its_own(extractor):
    # 武汉: the item's marking governs the item; the paragraph after it only goes on
    text = """\
武汉市2023年数字政府建设工作要点
2023年2月1日
一、重点任务
1.建设城市数据底座（市数据局负责）。
数据底座由各区共同使用。
2.建设一网统管平台（市城运中心负责）。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2"]
    assert all(a.inherited_from is None for t in doc.tasks for a in t.assignments)
    assert quality_report(doc)["inherited"] == {}


def test_a_heading_with_several_markings_passes_none_of_them_down(extractor):
    # 南京市江宁区: the heading's text holds two markings, which of them governs item 1 is unsaid
    text = """\
南京市江宁区2023年政务服务工作要点
2023年3月1日
一、重点工作
（一）优化营商环境。推行“一网通办”（区政务办牵头）。推进“证照分离”（区市场监管局负责）。
1.开展政务服务满意度评价。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks[:2]] == ["一.(一).1", "一.(一).2"]
    assert triples(task(doc, "一.(一).1")) == [("区政务办", "lead")]
    assert not any(t.assignments and t.assignments[0].inherited_from for t in doc.tasks)


@pytest.mark.parametrize("close", ["。（区教育局负责）", "（区教育局负责）。"])
def test_a_marking_before_or_after_the_final_full_stop_is_the_items_not_its_text(extractor, close):
    text = f"南京市江宁区教育数字化工作方案\n2023年1月1日\n一、主要任务\n1.建设智慧校园{close}\n"
    doc = extract(extractor, text)
    only = task(doc, "一.1")
    assert only.text.rstrip("。") == "建设智慧校园"
    assert triples(only) == [("区教育局", "lead")]
    assert only.assignments[0].agency == "南京市江宁区教育局"


# ---------------------------------------------------------------- run-together items, label lines, paragraphs


def test_numbered_items_run_together_on_one_line_are_split_into_tasks(extractor):
    # 无锡, copied from a web page: three items on one line, with and without a blank between
    line = (
        "1.建设城市大脑。（市大数据局负责） 2.推进工业互联网平台建设。"
        "（牵头单位：市工信局；配合单位：市发改委、市科技局）3.发展数字文旅。(市文广旅局负责)"
    )
    text = f"无锡市2023年数字经济工作要点\n2023年2月10日\n一、重点任务\n{line}\n"
    doc = extract(extractor, text)
    assert [(t.number, t.text) for t in doc.tasks] == [
        ("一.1", "建设城市大脑。"),
        ("一.2", "推进工业互联网平台建设。"),
        ("一.3", "发展数字文旅。"),
    ]
    assert triples(task(doc, "一.1")) == [("市大数据局", "lead")]
    assert triples(task(doc, "一.2")) == [("市工信局", "lead"), ("市发改委", "support"), ("市科技局", "support")]
    assert [a.agency for a in task(doc, "一.2").assignments][1:] == ["无锡市发展和改革委员会", "无锡市科学技术局"]
    assert triples(task(doc, "一.3")) == [("市文广旅局", "lead")]
    for t in doc.tasks:  # each task's provenance is its own part of the line
        assert doc.text[t.start : t.end].lstrip().startswith(t.number[-1])


def test_a_number_inside_a_sentence_does_not_split_the_item(extractor):
    text = """\
武汉市政务服务工作方案
2023年1月5日
一、主要任务
1.完成3、4月份事项梳理，形成2.0版目录。（市政务服务局负责）
"""
    doc = extract(extractor, text)
    assert [(t.number, t.text) for t in doc.tasks] == [("一.1", "完成3、4月份事项梳理，形成2.0版目录。")]


def test_a_numbered_line_followed_by_label_lines_is_a_task_not_a_heading(extractor):
    # 广东, traditional script and half-width colons: the statement is only the item's title
    text = """\
廣東省2023年數字政府改革建設工作要點
2023年3月20日
一、重點任務
1.建設一體化政務服務平台。
牽頭單位:省政務服務數據管理局
配合單位:省發展改革委、省財政廳
責任領導:副省長
2.完善省域治理「一網統管」。
牽頭單位：省政務服務數據管理局
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2"]
    assert [s.path for s in doc.sections] == ["一"]
    first = task(doc, "一.1")
    assert first.title == "建設一體化政務服務平台"
    assert triples(first) == [("省政務服務數據管理局", "lead"), ("省發展改革委", "support"), ("省財政廳", "support")]
    assert first.leaders == ["副省長"]
    assert first.assignments[1].agency == "广东省发展和改革委员会"
    assert triples(task(doc, "一.2")) == [("省政務服務數據管理局", "lead")]


def test_a_heading_its_text_and_label_lines_are_one_task(extractor):
    # 四川: the heading, a paragraph, then the label lines; the next heading has items of its own
    text = """\
四川省数字政府建设2023年工作要点
2023年4月1日
一、保障措施
（一）强化要素保障
加大财政资金投入力度，统筹安排专项资金。
牵头单位：省财政厅
配合单位：省发展改革委
（二）加强督促检查
1.开展年度评估。（省政府办公厅负责）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.(一)", "一.(二).1"]
    merged = task(doc, "一.(一)")
    assert merged.title == "强化要素保障"
    assert merged.text.replace("\n", "") == "强化要素保障加大财政资金投入力度，统筹安排专项资金。"
    assert triples(merged) == [("省财政厅", "lead"), ("省发展改革委", "support")]
    assert [s.path for s in doc.sections] == ["一", "一.(二)"]


def test_a_heading_with_several_paragraphs_of_their_own_markings_stays_a_section(extractor):
    # the 001 pattern: a numbered heading, a paragraph, a clause line, then more paragraphs
    text = """\
湖北省2023年政务服务工作要点
2023年2月1日
一、主要任务
1.推进市场监管数字化。
加快建设统一执法监管系统。
（责任单位：省市场监管局）
推进公共信用平台建设应用。（责任单位：省发展改革委）
"""
    doc = extract(extractor, text)
    assert [(t.number, t.text) for t in doc.tasks] == [
        ("一.1.¶1", "加快建设统一执法监管系统。"),
        ("一.1.¶2", "推进公共信用平台建设应用。"),
    ]
    assert [s.path for s in doc.sections] == ["一", "一.1"]


def test_unnumbered_paragraphs_that_end_in_a_marking_are_tasks_in_a_plan_without_headings(extractor):
    # 某县: no heading at all, each paragraph one task
    text = """\
某县2023年政务公开工作要点
2023年3月1日
全面推进决策公开，完善重大行政决策公众参与机制。（县政府办公室负责）
深化政务服务公开，及时公开办事指南。（县行政审批局牵头，各乡镇人民政府按职责分工负责）
"""
    doc = extract(extractor, text)
    assert [t.text for t in doc.tasks] == [
        "全面推进决策公开，完善重大行政决策公众参与机制。",
        "深化政务服务公开，及时公开办事指南。",
    ]
    assert triples(doc.tasks[0]) == [("县政府办公室", "lead")]
    assert triples(doc.tasks[1]) == [("县行政审批局", "lead"), ("各乡镇人民政府", "support")]
    assert doc.tasks[1].assignments[1].group


# ---------------------------------------------------------------- quotation marks


def test_unbalanced_and_mixed_quotes_never_swallow_the_text_after_them(extractor):
    # 南京市江宁区: a quote left open, quotes closed by the other kind of mark, items run together
    line = (
        '1.打造“无证明城市。推进电子证照应用，扩大“苏服办"平台覆盖面。（区数据局牵头，区司法局等按职责分工负责）'
        ' 2.建设"一网统管”平台。（区城运中心负责）'
    )
    head = "南京市江宁区2023年数字政府建设工作要点\n2023年3月1日\n一、重点任务\n"
    text = f'{head}{line}\n3.推广"宁企通"应用（区工信局负责）。\n'
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2", "一.3"]
    first = task(doc, "一.1")
    assert first.title == "打造“无证明城市"  # the open quote does not run on into the next sentence
    assert first.text == '打造“无证明城市。推进电子证照应用，扩大“苏服办"平台覆盖面。'
    assert triples(first) == [("区数据局", "lead"), ("区司法局", "support")]
    assert first.open_list
    assert task(doc, "一.2").title == '建设"一网统管”平台'
    assert triples(task(doc, "一.2")) == [("区城运中心", "lead")]
    assert triples(task(doc, "一.3")) == [("区工信局", "lead")]
    assert task(doc, "一.3").assignments[0].agency == "南京市江宁区工业和信息化局"


def test_a_quote_left_open_in_a_heading_does_not_take_the_items_after_it(extractor):
    text = """\
湖北省2023年政务服务“高效办成一件事工作方案
2023年5月1日
一、主要任务
（一）推进“一件事一次办。
1.梳理事项清单。（省政务办负责）
2.优化办理流程。（省数据局负责）
"""
    doc = extract(extractor, text)
    assert [(t.number, t.title) for t in doc.tasks] == [("一.(一).1", "梳理事项清单"), ("一.(一).2", "优化办理流程")]
    assert {s.path: s.title for s in doc.sections}["一.(一)"] == "推进“一件事一次办"


# ---------------------------------------------------------------- web pages, Word files, tables


def provincial_page(body: str, fengong: str = "") -> str:
    """A provincial government page: the header and navigation in nested tables, the whole
    document inside one <td>, a tool bar and footer below."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"/>
<title>湖北省人民政府办公厅关于印发湖北省数字政府建设实施方案的通知_湖北省人民政府门户网站</title></head>
<body><table width="1000" align="center"><tr><td>
<table width="100%"><tr><td><a href="/">首页</a></td><td><a href="/zwgk">政务公开</a></td>
<td><a href="/bsfw">办事服务</a></td><td><a href="/hdjl">互动交流</a></td></tr></table>
</td></tr><tr><td class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 政府文件</td></tr>
<tr><td><table width="100%"><tr><td id="zoom">
{body}
{fengong}
</td></tr></table></td></tr>
<tr><td>【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】 浏览量：2345</td></tr>
<tr><td>主办：湖北省人民政府办公厅　鄂ICP备05003333号</td></tr></table></body></html>
"""


def paragraphs(*texts: str) -> str:
    return "\n".join(f"<p>{html.escape(t)}</p>" for t in texts)


def fengong_table(rows: list[list[str]]) -> str:
    head = "".join(f"<td>{html.escape(h)}</td>" for h in ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table border="1"><tr>{head}</tr>{body}</table>'


HUBEI_PAGE_TEXT = paragraphs(
    "湖北省人民政府办公厅关于印发湖北省数字政府建设实施方案的通知",
    "鄂政办发〔2023〕8号",
    "各市、州、县人民政府，省政府各部门：",
    "现将《湖北省数字政府建设实施方案》印发给你们，请认真组织实施。",
    "湖北省人民政府办公厅",
    "2023年4月10日",
    "一、主要任务",
    "（一）夯实数字基础设施。（省数据局、省通信管理局等省有关部门按职责分工负责）",
    "1.建设全省一体化政务云。",
    "2.完善电子政务外网（省通信管理局负责）。建设省级数据中心（省数据局负责）。",
    "附件：重点任务分工表",
)


def test_a_provincial_page_laid_out_in_tables_reads_its_text_and_its_fengong_table(tmp_path):
    table = fengong_table(
        [
            ["1", "建设数据共享交换平台", "省数据局", "省发展改革委、省财政厅", "2023年底前"],
            ["2", "推进电子证照互认", "省政务办牵头，省公安厅、省市场监管局按职责分工负责", "", "2024年6月底前"],
        ]
    )
    path = make_txt(tmp_path / "t20230410_4624000.html", provincial_page(HUBEI_PAGE_TEXT, table))
    raw = read_document(path)
    assert len(raw.tables) == 1  # the layout tables are text, the 分工表 is a table
    assert "浏览量" not in raw.text and "当前位置" not in raw.text
    doc = Extractor().extract_file(path)
    assert doc.title == "湖北省数字政府建设实施方案" and doc.doc_number == "鄂政办发〔2023〕8号"
    by_text = {t.text: t for t in doc.tasks}
    heading = [("省数据局", "joint"), ("省通信管理局", "joint")]
    assert triples(by_text["夯实数字基础设施。"]) == heading
    assert triples(by_text["建设全省一体化政务云。"]) == heading  # inherited from the heading
    assert {a.inherited_from for a in by_text["建设全省一体化政务云。"].assignments} == {"一.(一)"}
    assert triples(by_text["完善电子政务外网"]) == [("省通信管理局", "lead")]
    assert triples(by_text["建设省级数据中心"]) == [("省数据局", "lead")]
    row1, row2 = by_text["建设数据共享交换平台"], by_text["推进电子证照互认"]
    assert triples(row1) == [("省数据局", "lead"), ("省发展改革委", "support"), ("省财政厅", "support")]
    assert [str(m.due) for m in row1.milestones] == ["2023-12-31"]
    # a cell written as a marking is read by the marking grammar, not as one list of leads
    assert triples(row2) == [("省政务办", "lead"), ("省公安厅", "support"), ("省市场监管局", "support")]
    assert [str(m.due) for m in row2.milestones] == ["2024-06-30"]
    assert [t.text for t in doc.tasks].index("建设全省一体化政务云。") < [t.text for t in doc.tasks].index(
        "建设数据共享交换平台"
    )  # in document order


def test_a_word_file_of_paragraphs_and_a_fengong_table_yields_both(tmp_path):
    # 广东, traditional script: the notice and a paragraph task, then the 任务分工表
    path = make_docx(
        tmp_path / "廣東省政務服務工作要點.docx",
        [
            "廣東省2023年政務服務工作要點",
            "2023年3月20日",
            "一、重點工作",
            "（一）深化「數字政府2.0」建設。（省政務服務數據管理局負責）",
            "附件：任務分工表",
        ],
        [
            ["序號", "工作任務", "牽頭單位", "配合單位"],
            ["1", "推廣「粵省事」應用", "省政務服務數據管理局", "省公安廳、省人力資源社會保障廳"],
        ],
    )
    doc = Extractor().extract_file(path)
    assert [t.text for t in doc.tasks] == ["深化「數字政府2.0」建設。", "推廣「粵省事」應用"]
    assert triples(doc.tasks[0]) == [("省政務服務數據管理局", "lead")]
    assert triples(doc.tasks[1]) == [
        ("省政務服務數據管理局", "lead"),
        ("省公安廳", "support"),
        ("省人力資源社會保障廳", "support"),
    ]
    assert doc.tasks[1].assignments[1].agency == "广东省公安厅"


@pytest.mark.parametrize("header", ["任务内容", "工作任务", "重点任务"])
def test_a_tsv_fengong_table_is_read_whatever_its_task_header(tmp_path, header):
    # 无锡: an export with tabs, a title row, and 责任单位 cells under a first-is-lead note
    rows = [
        ["1", "建设城市数据中台", "市大数据局、市发改委", "2023年9月底前"],
        ["2", "推进工业互联网标识解析", "市工信局", "2023年底前"],
        ["注：责任单位列第一位的为牵头单位", "", "", ""],
    ]
    path = make_csv(
        tmp_path / "分工表.tsv",
        "无锡市2023年数字经济重点任务分工表",
        ["序号", header, "责任单位", "完成时限"],
        rows,
        delimiter="\t",
    )
    raw = read_document(path)
    assert raw.format == "tsv" and len(raw.tables) == 1
    doc = Extractor().extract_file(path)
    first, second = (t for t in doc.tasks if t.assignments)
    assert first.text == "建设城市数据中台"
    assert triples(first) == [("市大数据局", "lead"), ("市发改委", "support")]
    assert [str(m.due) for m in first.milestones] == ["2023-09-30"]
    assert triples(second) == [("市工信局", "lead")]


@pytest.mark.parametrize("measures", ["具体举措", "主要举措", "具體舉措"])
def test_a_measures_column_beside_a_task_column_gives_one_task_per_measure(tmp_path, measures):
    # 合肥: 重点任务 written once for the measures under it, the rest of its cells left blank
    rows = [
        ["1", "优化政务服务", "推行企业开办一日办结", "市数据资源局", "市市场监管局", "2024年6月底前"],
        ["2", "", "推进不动产登记与水电气联动过户", "市自然资源和规划局", "市住房城乡建设局", "2024年9月底前"],
        ["3", "降低经营成本", "落实减税降费政策", "市税务局", "市财政局", ""],
    ]
    path = make_csv(
        tmp_path / "清单.csv",
        "合肥市2024年优化营商环境重点任务清单",
        ["序号", "重点任务", measures, "牵头单位", "配合单位", "完成时限"],
        rows,
    )
    doc = Extractor().extract_file(path)
    assert [t.text for t in doc.tasks] == ["推行企业开办一日办结", "推进不动产登记与水电气联动过户", "落实减税降费政策"]
    assert [triples(t) for t in doc.tasks] == [
        [("市数据资源局", "lead"), ("市市场监管局", "support")],
        [("市自然资源和规划局", "lead"), ("市住房城乡建设局", "support")],
        [("市税务局", "lead"), ("市财政局", "support")],
    ]
    assert [str(m.due) for m in doc.tasks[1].milestones] == ["2024-09-30"]


def test_a_csv_without_a_unit_column_entry_reads_the_marking_in_its_task_cell(tmp_path):
    # 成都: the units written into the task cell itself
    rows = [["1", "建设智慧蓉城运行中心（市网络理政办牵头，市经信局等按职责分工负责）", "", "2023年底前"]]
    path = make_csv(tmp_path / "任务.csv", None, ["序号", "重点任务", "责任单位", "完成时限"], rows)
    doc = Extractor().extract_file(path)
    only = doc.tasks[0]
    assert only.text == "建设智慧蓉城运行中心"
    assert triples(only) == [("市网络理政办", "lead"), ("市经信局", "support")]
    assert only.open_list


# ---------------------------------------------------------------- the quality report tells the truth


def warnings_of(doc: Document) -> list[str]:
    return quality_report(doc)["warnings"]


def test_numbered_items_of_a_plan_without_markings_are_tasks_nobody_was_given(extractor):
    # 某县: the items are bare titles, no marking anywhere
    text = "某县2023年乡村振兴重点工作\n2023年2月1日\n一、重点工作\n1.建设高标准农田。\n2.发展特色产业。\n"
    doc = extract(extractor, text)
    assert [(t.number, t.text) for t in doc.tasks] == [("一.1", "建设高标准农田。"), ("一.2", "发展特色产业。")]
    assert quality_report(doc)["unassigned_tasks"] == ["一.1", "一.2"]
    assert "no responsibility clauses: every task is unassigned" in warnings_of(doc)


def test_numbered_items_that_give_no_task_are_reported_not_passed_over(extractor):
    # 四川: every numbered item stands under 总体要求 (goals and principles, not tasks)
    head = "四川省数字政府建设方案\n2023年2月1日\n一、总体要求\n"
    text = head + "（一）指导思想。以数字化改革为引领。\n（二）基本原则。坚持统筹推进。\n"
    doc = extract(extractor, text)
    assert doc.tasks == []
    assert "no tasks found: 3 numbered items, none read as a task" in warnings_of(doc)
    assert not any(w.startswith("no responsibility clauses") for w in warnings_of(doc))


def test_a_text_with_neither_items_nor_markings_says_no_task_was_found(extractor):
    doc = extract(extractor, "关于做好2023年春节期间有关工作的通知\n各单位：请做好值班值守工作。\n")
    assert doc.tasks == []
    assert "no tasks found: no numbered items and no paragraph with a marking" in warnings_of(doc)


def test_markings_the_reader_cannot_read_are_named_and_never_called_no_clauses(extractor):
    # 武汉: each item ends in a bracket that speaks of responsibility but is no marking
    text = """\
武汉市2023年营商环境工作要点
2023年1月10日
一、重点任务
1.优化企业开办服务。推行全程网办，压缩办理时间。（具体负责事项另行明确）
2.提升跨境贸易便利化水平。深化通关改革，降低通关成本。（牵头事项清单见附件）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2"]
    assert not any(t.assignments for t in doc.tasks)
    warnings = warnings_of(doc)
    assert not any(w.startswith("no responsibility clauses") for w in warnings)
    assert "responsibility markings not understood: every task is unassigned" in warnings
    unread = next(w for w in warnings if w.startswith("2 brackets with responsibility words"))
    assert "（具体负责事项另行明确）" in unread and "（牵头事项清单见附件）" in unread


def test_markings_that_name_no_unit_are_reported_as_such(extractor):
    text = """\
湖北省2023年政务公开工作要点
2023年2月1日
一、重点任务
1.推进决策公开。（牵头单位：）
2.深化政策解读。（责任单位：）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2"]
    warnings = warnings_of(doc)
    assert "2 responsibility markings found, but no unit read from them: every task is unassigned" in warnings
    assert not any(w.startswith("no responsibility clauses") for w in warnings)


def test_no_responsibility_clauses_is_said_only_of_a_plan_that_has_none(extractor):
    # 广东: a plan of statements only; its prose says 负责 and 配合, but in no marking
    text = """\
广东省数字政府改革建设“十四五”规划
2021年6月1日
一、主要任务
（一）建设一体化政务服务体系
1.优化政务服务。各级政务服务机构负责统筹推进，各部门密切配合，提升办事便利度。
2.推进数据共享。完善数据共享交换平台，推动数据有序流动。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.(一).1", "一.(一).2"]
    assert "no responsibility clauses: every task is unassigned" in warnings_of(doc)
    assert not any("brackets with responsibility words" in w for w in warnings_of(doc))


def test_an_item_with_only_a_title_among_assigned_tasks_is_an_unassigned_task(extractor):
    text = """\
江苏省2023年政务服务工作要点
2023年3月1日
一、重点任务
1.推进政务服务标准化。完善事项清单。（省政务办负责）
2.建设一体化政务服务平台。
3.推进“一件事”改革。优化流程。（省政务办牵头，省大数据局等按职责分工负责）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2", "一.3"]
    assert quality_report(doc)["unassigned_tasks"] == ["一.2"]


def test_items_numbered_from_the_top_without_headings_are_tasks(extractor):
    # 南京市江宁区: a short 工作要点 numbered 1. 2. 3. only
    text = """\
南京市江宁区2023年政务公开工作要点
2023年2月1日
1.深化决策公开。（区政府办公室负责）
2.加强政策解读。
3.做好依申请公开。（区司法局负责）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert triples(doc.tasks[0]) == [("区政府办公室", "lead")]
    assert doc.tasks[1].assignments == []
    assert doc.tasks[0].assignments[0].agency == "南京市江宁区人民政府办公室"


def test_a_fengong_table_with_assignments_clears_the_texts_warnings(tmp_path):
    path = make_docx(
        tmp_path / "分工.docx",
        ["无锡市2023年数字经济工作要点", "2023年2月10日", "附件：重点任务分工表"],
        [["序号", "重点任务", "牵头单位", "配合单位"], ["1", "建设城市数据中台", "市大数据局", "市发改委"]],
    )
    doc = Extractor().extract_file(path)
    assert [t.text for t in doc.tasks] == ["建设城市数据中台"]
    assert not any(w.startswith(("no tasks found", "no responsibility clauses")) for w in doc.warnings)


def test_circled_and_half_bracketed_numbers_are_items_of_their_own(extractor):
    # 成都: sub-items ① ② run together after a colon, and 1) 2) items
    text = """\
成都市2023年智慧蓉城建设工作要点
2023年2月20日
一、重点任务
（一）建设城市运行中心：①建设城市运行管理平台（市网络理政办负责）；②建设应急指挥调度系统（市应急局负责）。
（二）推进数据共享
1)完善数据目录。（市数据局负责）
2)建设共享平台。（市数据局牵头，市经信局等按职责分工负责）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.(一).①", "一.(一).②", "一.(二).(1)", "一.(二).(2)"]
    assert task(doc, "一.(一).①").text == "建设城市运行管理平台"
    assert triples(task(doc, "一.(一).①")) == [("市网络理政办", "lead")]
    assert triples(task(doc, "一.(一).②")) == [("市应急局", "lead")]
    assert triples(task(doc, "一.(二).(2)")) == [("市数据局", "lead"), ("市经信局", "support")]
    assert {s.path: s.title for s in doc.sections}["一.(一)"] == "建设城市运行中心"


def test_a_plan_after_a_notice_with_items_of_its_own_keeps_every_number_unique(extractor):
    # 广东: the notice's own 一、二、 and then the plan, numbered 一、 again
    text = """\
广东省人民政府办公厅关于印发广东省数字政府改革建设2023年工作要点的通知
粤办函〔2023〕50号
各地级以上市人民政府，省政府各部门、各直属机构：
经省人民政府同意，现将《广东省数字政府改革建设2023年工作要点》印发给你们，并提出以下要求。
一、提高思想认识。各地各部门要充分认识数字政府改革建设的重要意义。
二、加强统筹协调。省政务服务数据管理局要加强统筹。
广东省人民政府办公厅
2023年4月3日
广东省数字政府改革建设2023年工作要点
一、深化政务服务改革
（一）推进“一网通办”。（省政务服务数据管理局负责）
（二）推进“一网统管”。（省政务服务数据管理局负责）
（二）推进“一网协同”。（省政务服务数据管理局负责）
"""
    doc = extract(extractor, text)
    assert doc.title == "广东省数字政府改革建设2023年工作要点"
    assert [t.number for t in doc.tasks] == ["Ⅱ.一.(一)", "Ⅱ.一.(二)", "Ⅱ.一.(二)~2"]
    assert [s.path for s in doc.sections] == ["一", "二", "Ⅱ.一"]
    assert len({t.id for t in doc.tasks}) == 3 and len({s.id for s in doc.sections}) == 3


def test_yi_shi_er_shi_clauses_each_with_a_marking_are_parts_and_a_time_bracket_splits_nothing(extractor):
    # 四川: one item, 一是…二是…, each with its marking; a bracket holding only a deadline
    text = """\
四川省2023年数字经济工作要点
2023年3月6日
一、重点任务
1.壮大数字产业。一是建设算力枢纽（2023年底前）并推广应用（省发展改革委负责）；二是培育软件产业（省经济和信息化厅负责）。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1.1", "一.1.2"]
    first, second = doc.tasks
    assert first.text == "壮大数字产业。一是建设算力枢纽（2023年底前）并推广应用"
    assert triples(first) == [("省发展改革委", "lead")]
    assert [str(m.due) for m in first.milestones] == ["2023-12-31"]
    assert second.text == "二是培育软件产业"
    assert triples(second) == [("省经济和信息化厅", "lead")]
    assert first.assignments[0].agency == "四川省发展和改革委员会"


# ---------------------------------------------------------------- with the marking grammar's label lines and verbs


def test_a_numbered_line_with_a_leader_line_and_a_division_line_is_one_task(extractor):
    # 江苏: 分管省领导 and 部门分工 lines after the item, as 工作要点 of the province print them
    text = """\
江苏省2023年政务服务工作要点
2023年3月1日
一、重点任务
1.建设一体化政务服务平台。
分管省领导：胡广杰
部门分工：省政务办牵头，各地、各部门配合。
2.深化“一件事”改革。
分管省领导：胡广杰
部门分工：省政务办、省大数据局按职责分工负责。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1", "一.2"]
    assert [s.path for s in doc.sections] == ["一"]
    first, second = doc.tasks
    assert first.title == "建设一体化政务服务平台"
    assert first.leaders == ["胡广杰"]
    assert triples(first) == [("省政务办", "lead"), ("各地", "support"), ("各部门", "support")]
    assert [a.group for a in first.assignments] == [False, True, True]
    assert triples(second) == [("省政务办", "joint"), ("省大数据局", "joint")]
    assert first.assignments[0].agency == "江苏省政务服务管理办公室"


@pytest.mark.parametrize(("lead_label", "support_label"), [("主办单位", "协办单位"), ("主办", "协办")])
def test_a_heading_its_text_and_host_and_co_host_lines_are_one_task(extractor, lead_label, support_label):
    # 武汉: 主办/协办 lines after a heading and its paragraph
    text = f"""\
武汉市2023年优化营商环境工作要点
2023年1月10日
一、重点任务
（一）优化企业开办服务
推行企业开办全程网办，压缩办理时间至1个工作日。
{lead_label}：市市场监管局
{support_label}：市公安局、市税务局
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.(一)"]
    only = doc.tasks[0]
    assert only.title == "优化企业开办服务"
    assert triples(only) == [("市市场监管局", "lead"), ("市公安局", "support"), ("市税务局", "support")]
    assert only.assignments[0].agency == "武汉市市场监督管理局"


def test_a_time_phrase_in_a_heading_marking_is_the_deadline_of_the_items_it_governs(extractor):
    # 湖北: the heading's marking names the lead, the supporters and the deadline
    text = """\
湖北省2023年数字政府建设工作要点
2023年2月1日
一、重点任务
（一）建设数据共享平台。（省数据局牵头，省财政厅配合，2023年底前完成）
1.编制数据共享目录。
2.建设数据交换系统。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.(一)", "一.(一).1", "一.(一).2"]
    for t in doc.tasks:
        assert triples(t) == [("省数据局", "lead"), ("省财政厅", "support")]
        assert [str(m.due) for m in t.milestones] == ["2023-12-31"], t.number
    assert quality_report(doc)["inherited"] == {"一.(一).1": "一.(一)", "一.(一).2": "一.(一)"}


def test_a_word_table_cell_written_as_lead_and_support_verbs_is_read_by_the_grammar(tmp_path):
    # 南京市江宁区: one 责任单位 column, each cell a small marking
    path = make_docx(
        tmp_path / "江宁区分工.docx",
        ["南京市江宁区2023年数字政府建设任务分工", "2023年3月1日"],
        [
            ["序号", "重点任务", "责任单位", "完成时限"],
            ["1", "建设区级数据中台", "区数据局牵头，区财政局配合", "2023年12月"],
            ["2", "推进“一网通办”", "区政务办负责", "2023年底前"],
        ],
    )
    doc = Extractor().extract_file(path)
    first, second = doc.tasks
    assert triples(first) == [("区数据局", "lead"), ("区财政局", "support")]
    assert [a.agency for a in first.assignments] == ["南京市江宁区数据局", "南京市江宁区财政局"]
    assert [str(m.due) for m in first.milestones] == ["2023-12-31"]
    assert triples(second) == [("区政务办", "lead")]


def test_a_marking_without_brackets_closes_a_part_only_at_the_end_of_the_item(extractor):
    # 无锡: the second part's marking is a label sentence at the end; a sentence inside the first
    # part only resembles a marking (units, then 协同) and splits nothing
    text = """\
无锡市2023年数据资源工作要点
2023年2月1日
一、重点任务
1.推进数据共享。实现数据资源目录跨部门、跨部门协同。（市大数据局负责）。完善共享机制。牵头单位：市发改委。
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.1.1", "一.1.2"]
    first, second = doc.tasks
    assert first.text == "推进数据共享。实现数据资源目录跨部门、跨部门协同。"
    assert triples(first) == [("市大数据局", "lead")]  # the sentence that resembles a marking names no unit
    assert second.text == "完善共享机制。"
    assert triples(second) == [("市发改委", "lead")]


def test_a_bracketed_marking_on_a_line_of_its_own_closes_the_paragraph_not_the_heading(extractor):
    # 湖北: heading, paragraph, then its bracketed marking broken onto the next line
    text = """\
湖北省2023年市场监管工作要点
2023年2月1日
一、主要任务
1.推进市场监管数字化。
加快建设统一执法监管系统。
（责任单位：省市场监管局）
2.优化营商环境。
深化“证照分离”改革。
牵头单位：省市场监管局
"""
    doc = extract(extractor, text)
    assert [(t.number, t.text) for t in doc.tasks] == [
        ("一.1.¶1", "加快建设统一执法监管系统。"),
        ("一.2", "优化营商环境。\n深化“证照分离”改革。"),
    ]
    assert triples(doc.tasks[0]) == triples(doc.tasks[1]) == [("省市场监管局", "lead")]


def test_an_xlsx_with_task_content_and_host_co_host_columns_is_read(tmp_path):
    # 成都: 任务内容 / 主办单位 / 协办单位 / 完成时间
    path = make_xlsx(
        tmp_path / "成都市重点任务.xlsx",
        "成都市2023年智慧蓉城建设重点任务清单",
        ["序号", "任务内容", "主办单位", "协办单位", "完成时间"],
        [
            ["1", "建设城市运行生命体征监测平台", "市网络理政办", "市经信局、市住建局", "2023年10月底前"],
            ["2", "推进一网统管应用场景建设", "市网络理政办", "各区（市）县政府", "2023年底前"],
        ],
    )
    doc = Extractor().extract_file(path)
    first, second = doc.tasks
    assert first.text == "建设城市运行生命体征监测平台"
    assert triples(first) == [("市网络理政办", "lead"), ("市经信局", "support"), ("市住建局", "support")]
    assert [str(m.due) for m in first.milestones] == ["2023-10-31"]
    assert triples(second) == [("市网络理政办", "lead"), ("各区（市）县政府", "support")]
    assert second.assignments[1].group


def test_an_item_whose_text_goes_on_in_the_paragraph_with_the_marking_is_one_task(extractor):
    # 山东 style: the item's line is a sentence, its work goes on in one paragraph that ends in
    # the marking; a heading that is a title keeps its paragraphs as tasks of their own
    text = """\
山东省2023年数字政府建设工作要点
2023年2月1日
一、重点任务
（一）推进政务服务标准化。编制全省统一的政务服务事项清单。（省政务服务管理办负责）
（二）推进城市大脑建设。
围绕城市治理重点领域，建设城市运行管理平台，推动数据汇聚共享。（省大数据局牵头，省公安厅、省住房城乡建设厅配合）
（三）加强网络安全保障
落实网络安全等级保护制度。（省委网信办负责）
开展关键信息基础设施安全检查。（省公安厅负责）
"""
    doc = extract(extractor, text)
    assert [t.number for t in doc.tasks] == ["一.(一)", "一.(二)", "一.(三).¶1", "一.(三).¶2"]
    item = task(doc, "一.(二)")
    assert item.text.startswith("围绕城市治理重点领域")
    assert triples(item) == [("省大数据局", "lead"), ("省公安厅", "support"), ("省住房城乡建设厅", "support")]
    assert "一.(二)" not in [s.path for s in doc.sections]  # the item is a task, not a section
