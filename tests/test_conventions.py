"""Issue 2: every responsibility-clause convention, on plans written here in that style.

Each plan is saved as a real file — GB18030 .txt, UTF-8-with-BOM .txt, traditional
characters, .docx, an .xlsx and a .csv 任务分工表, an .html page with navigation around
the article, a "PDF text" .txt whose clauses break across pages, and a real .pdf made
with fpdf2 — and read with ``Extractor.extract_file``.  For every task the tests assert
each (unit, role, implicit, group) triple, the open-list flag, the deadlines and the
leader, and that every assignment points at its clause exactly as the file writes it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from filemakers import BOILERPLATE_TEXTS, make_csv, make_docx, make_html, make_pdf, make_txt, make_xlsx

from dutygraph.model import Document, Task

# ---------------------------------------------------------------------------- helpers


def triples(task: Task) -> Counter:
    """(name as written, role, implicit, group) of every assignment."""
    return Counter((a.name, a.role.value, a.implicit, a.group) for a in task.assignments)


def agencies(task: Task) -> list[tuple]:
    return [(a.agency, a.role.value, a.implicit, a.group, a.open_list) for a in task.assignments]


def due(task: Task) -> list[date | None]:
    return [m.due for m in task.milestones]


def task_numbered(doc: Document, number: str) -> Task:
    found = [t for t in doc.tasks if t.number == number]
    assert len(found) == 1, (number, [t.number for t in doc.tasks])
    return found[0]


def assert_provenance(doc: Document, file_text: str | None = None) -> None:
    """Every assignment's clause and name are slices of the document's text as read, the
    name lies inside its clause, and (for text files) the clause is in the file as written."""
    for task in doc.tasks:
        for a in task.assignments:
            assert doc.text[a.source.start : a.source.end] == a.source.text
            assert doc.text[a.name_span.start : a.name_span.end] == a.name_span.text
            assert a.source.start <= a.name_span.start < a.name_span.end <= a.source.end
            if file_text is not None:
                assert a.source.text in file_text
        if task.clause is not None:
            assert doc.text[task.clause.start : task.clause.end] == task.clause.text


# ---------------------------------------------------------------------------- GB18030 .txt
# （牵头单位：A、B；协同单位：C、D等）, every separator, names with 和, brackets that are
# not clauses, multi-step deadlines.

GB18030_PLAN = """\
浙江省人民政府办公厅关于印发浙江省公共数据平台建设工作方案的通知
浙政办发〔2023〕8号
各市、县（市、区）人民政府，省政府直属各单位：
《浙江省公共数据平台建设工作方案》已经省政府同意，现印发给你们，请认真贯彻落实。
浙江省人民政府办公厅
2023年2月10日
浙江省公共数据平台建设工作方案
一、主要任务
（一）夯实数据底座。
1.建设一体化智能化公共数据平台（以下简称“在线平台”）。6月底前，完成平台一期建设。12月底前，实现省市县三级贯通。\
（牵头单位：省大数据局、省发展改革委；协同单位：省经信厅、省文化和旅游厅等）
2.推进城乡建设数据归集。9月底前，完成住房数据归集。\
（牵头单位：省住房和城乡建设厅；协同单位：省人力资源和社会保障厅，省自然资源厅,省公安厅;省民政厅等）
3.完善社会治理应用（其他社会治理领域集成数字法治系统相关应用）。\
（牵头单位：省委政法委；协同单位：省司法厅、各设区市政府）
"""


@pytest.fixture(scope="module")
def gb18030_doc(extractor, tmp_path_factory) -> tuple[Document, Path]:
    path = make_txt(tmp_path_factory.mktemp("gb") / "公共数据平台.txt", GB18030_PLAN, "gb18030")
    return extractor.extract_file(path), path


def test_gb18030_file_is_decoded_and_its_front_matter_read(gb18030_doc):
    doc, path = gb18030_doc
    assert doc.encoding == "gb18030" and doc.text == path.read_bytes().decode("gb18030")
    assert (doc.title, doc.doc_number, doc.issued) == (
        "浙江省公共数据平台建设工作方案",
        "浙政办发〔2023〕8号",
        date(2023, 2, 10),
    )
    assert [t.number for t in doc.tasks] == ["一.(一).1", "一.(一).2", "一.(一).3"]


def test_lead_and_support_keywords_allow_two_leads_and_an_open_support_list(gb18030_doc):
    doc, path = gb18030_doc
    task = task_numbered(doc, "一.(一).1")
    assert triples(task) == Counter(
        {
            ("省大数据局", "lead", False, False): 1,
            ("省发展改革委", "lead", False, False): 1,
            ("省经信厅", "support", False, False): 1,
            ("省文化和旅游厅", "support", False, False): 1,
        }
    )
    assert task.open_list and all(a.open_list for a in task.assignments)
    assert agencies(task) == [
        ("浙江省大数据发展管理局", "lead", False, False, True),
        ("浙江省发展和改革委员会", "lead", False, False, True),
        ("浙江省经济和信息化厅", "support", False, False, True),
        ("浙江省文化和旅游厅", "support", False, False, True),
    ]
    assert task.clause.text == "（牵头单位：省大数据局、省发展改革委；协同单位：省经信厅、省文化和旅游厅等）"
    assert_provenance(doc, path.read_bytes().decode("gb18030"))


def test_two_step_task_gets_two_milestones_with_the_text_each_governs(gb18030_doc):
    doc, _ = gb18030_doc
    task = task_numbered(doc, "一.(一).1")
    assert [(m.due, m.expression, m.text) for m in task.milestones] == [
        (date(2023, 6, 30), "6月底前", "6月底前，完成平台一期建设"),
        (date(2023, 12, 31), "12月底前", "12月底前，实现省市县三级贯通"),
    ]
    for m in task.milestones:
        assert doc.text[m.start : m.end] == m.text


def test_every_separator_splits_and_names_with_he_stay_whole(gb18030_doc):
    doc, _ = gb18030_doc
    task = task_numbered(doc, "一.(一).2")  # 、 ， , ； ; and a final 等
    assert triples(task) == Counter(
        {
            ("省住房和城乡建设厅", "lead", False, False): 1,
            ("省人力资源和社会保障厅", "support", False, False): 1,
            ("省自然资源厅", "support", False, False): 1,
            ("省公安厅", "support", False, False): 1,
            ("省民政厅", "support", False, False): 1,
        }
    )
    assert task.open_list
    assert not any("等" in a.name for t in doc.tasks for a in t.assignments)
    assert {a.agency for a in task.assignments} >= {"浙江省住房和城乡建设厅", "浙江省人力资源和社会保障厅"}
    assert all(a.resolved for a in task.assignments)
    assert due(task) == [date(2023, 9, 30)]


def test_brackets_that_are_not_clauses_stay_in_the_task_text(gb18030_doc):
    doc, _ = gb18030_doc
    first, third = task_numbered(doc, "一.(一).1"), task_numbered(doc, "一.(一).3")
    assert (
        "（以下简称“在线平台”）" in first.text and first.title == "建设一体化智能化公共数据平台（以下简称“在线平台”）"
    )
    assert "（其他社会治理领域集成数字法治系统相关应用）" in third.text
    assert third.clause.text == "（牵头单位：省委政法委；协同单位：省司法厅、各设区市政府）"
    assert triples(third) == Counter(
        {
            ("省委政法委", "lead", False, False): 1,
            ("省司法厅", "support", False, False): 1,
            ("各设区市政府", "support", False, True): 1,
        }
    )
    assert not third.open_list
    names = {a.name for t in doc.tasks for a in t.assignments}
    assert not any("简称" in n or "在线平台" in n or "相关应用" in n for n in names)


# ---------------------------------------------------------------------------- UTF-8 BOM .txt
# (责任单位:A、B等,各设区市政府。列第一位的为牵头单位,下同) governs the later clauses.

BOM_PLAN = """\
2019年浙江省政府数字化转型工作要点
2019年3月25日
一、主要任务
（一）推进经济调节数字化。
1.深化经济运行监测分析。4月中旬前，完成平台推广。12月底前，实现全覆盖。\
(责任单位:省发展改革委、省经信厅等,各设区市政府。列第一位的为牵头单位,下同)
2.推进网络安全防护。(责任单位:省委网信办、省公安厅)
3.建设综合应急指挥平台。(责任单位:省应急管理厅、省安委会各成员单位)
4.推进机关效能建设。(责任单位:省政府办公厅、省政府各部门、省级有关单位、省政府直属各单位)
5.建设统一公共支付平台。（责任单位：省财政厅）
"""


@pytest.fixture(scope="module")
def bom_doc(extractor, tmp_path_factory) -> tuple[Document, Path]:
    path = make_txt(tmp_path_factory.mktemp("bom") / "要点.txt", BOM_PLAN, "utf-8-sig")
    return extractor.extract_file(path), path


def test_utf8_bom_file_is_read_without_the_mark(bom_doc):
    doc, path = bom_doc
    assert doc.encoding == "utf-8-sig" and doc.text == path.read_text("utf-8-sig")
    assert not doc.text.startswith("\ufeff")
    assert (doc.title, doc.issued, doc.jurisdiction) == (
        "2019年浙江省政府数字化转型工作要点",
        date(2019, 3, 25),
        "浙江省",
    )


def test_first_listed_is_lead_in_the_clause_that_states_the_convention(bom_doc):
    doc, path = bom_doc
    task = task_numbered(doc, "一.(一).1")
    assert triples(task) == Counter(
        {
            ("省发展改革委", "lead", False, False): 1,
            ("省经信厅", "support", False, False): 1,
            ("各设区市政府", "support", False, True): 1,
        }
    )
    assert task.open_list
    assert [(m.due, m.expression) for m in task.milestones] == [
        (date(2019, 4, 20), "4月中旬前"),
        (date(2019, 12, 31), "12月底前"),
    ]
    assert_provenance(doc, path.read_text("utf-8-sig"))


def test_convention_stated_once_governs_every_later_clause(bom_doc):
    doc, _ = bom_doc
    assert triples(task_numbered(doc, "一.(一).2")) == Counter(
        {("省委网信办", "lead", False, False): 1, ("省公安厅", "support", False, False): 1}
    )
    assert triples(task_numbered(doc, "一.(一).3")) == Counter(
        {("省应急管理厅", "lead", False, False): 1, ("省安委会各成员单位", "support", False, True): 1}
    )
    assert triples(task_numbered(doc, "一.(一).5")) == Counter({("省财政厅", "lead", False, False): 1})
    assert not any(task_numbered(doc, n).open_list for n in ("一.(一).2", "一.(一).3", "一.(一).4", "一.(一).5"))


def test_provincial_collective_units_are_groups_never_agencies(bom_doc):
    doc, _ = bom_doc
    task = task_numbered(doc, "一.(一).4")
    assert triples(task) == Counter(
        {
            ("省政府办公厅", "lead", False, False): 1,
            ("省政府各部门", "support", False, True): 1,
            ("省级有关单位", "support", False, True): 1,
            ("省政府直属各单位", "support", False, True): 1,
        }
    )
    groups = {a.name: a.agency for t in doc.tasks for a in t.assignments if a.group}
    assert groups == {
        "各设区市政府": "浙江省各设区市人民政府",
        "省安委会各成员单位": "浙江省安全生产委员会成员单位",
        "省政府各部门": "浙江省人民政府各部门",
        "省级有关单位": "浙江省省级有关单位",
        "省政府直属各单位": "浙江省人民政府直属各单位",
    }


# ---------------------------------------------------------------------------- PDF text .txt
# A clause and a unit name broken across page breaks, with page footers.

PDF_TEXT_PLAN = """\
浙江省人民政府办公厅文件

浙政办发〔2019〕17号

浙江省人民政府办公厅关于印发2019年政府数字化转型工作要点的通知

各市、县(市、区)人民政府,省政府直属各单位:

《2019年政府数字化转型工作要点》已经省政府同意,现印发给你们,请认真贯彻落实。

浙江省人民政府办公厅

2019年3月25日

2019年政府数字化转型工作要点

一、主要任务

(一)推进市场监管数字化。

1. 加快建设统一行政执法监管系统。6月底前,完成系统建设。9月底前,在全省推广应用。(责

— 3 —

任单位:省市

场监管局、省司法厅、省大数据局等,各设区市政府。列第一位的为牵头单位,下同)

2. 推进公共信用平台建设应用。12月底前,完成平台升级。(责任单位:省发展改

— 4 —

革委、省文化和旅游厅)
"""


@pytest.fixture(scope="module")
def pdf_text_doc(extractor, tmp_path_factory) -> tuple[Document, Path]:
    path = make_txt(tmp_path_factory.mktemp("pdftext") / "要点_pdf.txt", PDF_TEXT_PLAN)
    return extractor.extract_file(path), path


def test_clause_and_unit_name_broken_across_pages_are_rejoined(pdf_text_doc):
    doc, _ = pdf_text_doc
    assert doc.doc_number == "浙政办发〔2019〕17号" and doc.issued == date(2019, 3, 25)
    first = task_numbered(doc, "一.(一).1")
    assert triples(first) == Counter(
        {
            ("省市场监管局", "lead", False, False): 1,
            ("省司法厅", "support", False, False): 1,
            ("省大数据局", "support", False, False): 1,
            ("各设区市政府", "support", False, True): 1,
        }
    )
    assert first.open_list
    assert due(first) == [date(2019, 6, 30), date(2019, 9, 30)]
    second = task_numbered(doc, "一.(一).2")
    assert triples(second) == Counter(
        {("省发展改革委", "lead", False, False): 1, ("省文化和旅游厅", "support", False, False): 1}
    )
    assert due(second) == [date(2019, 12, 31)]
    assert not any("— 3 —" in t.text or "— 4 —" in t.text for t in doc.tasks)


def test_provenance_of_a_broken_clause_is_the_text_as_written_with_its_page_break(pdf_text_doc):
    doc, path = pdf_text_doc
    assert_provenance(doc, path.read_text("utf-8"))
    first = task_numbered(doc, "一.(一).1")
    written = "(责\n\n— 3 —\n\n任单位:省市\n\n场监管局、省司法厅、省大数据局等,各设区市政府。列第一位的为牵头单位,下同)"
    assert {a.source.text for a in first.assignments} == {written}
    assert first.clause.text == written
    lead = first.assignments[0]
    assert lead.name == "省市场监管局" and lead.name_span.text == "省市\n\n场监管局"
    assert lead.agency == "浙江省市场监督管理局"
    second = task_numbered(doc, "一.(一).2")
    assert second.clause.text == "(责任单位:省发展改\n\n— 4 —\n\n革委、省文化和旅游厅)"


# ---------------------------------------------------------------------------- real .pdf


def test_real_pdf_clause_broken_across_the_page_boundary_is_rejoined_with_provenance(extractor, tmp_path):
    path = make_pdf(
        tmp_path / "要点.pdf",
        [
            "2019年政府数字化转型工作要点\n2019年3月25日\n一、主要任务\n(一)推进市场监管数字化。\n"
            "1.建设统一行政执法监管系统。6月底前,完成系统建设。(责任单位:省市\n— 1 —",
            "场监管局、省司法厅等,各设区市政府。列第一位的为牵头单位,下同)\n"
            "2.推进公共信用平台建设。12月底前,完成升级。(责任单位:省发展改革委、省文化和旅游厅)\n— 2 —",
        ],
    )
    doc = extractor.extract_file(path)
    assert doc.format == "pdf" and doc.issued == date(2019, 3, 25)
    first, second = doc.tasks
    assert triples(first) == Counter(
        {
            ("省市场监管局", "lead", False, False): 1,
            ("省司法厅", "support", False, False): 1,
            ("各设区市政府", "support", False, True): 1,
        }
    )
    assert first.open_list and due(first) == [date(2019, 6, 30)]
    assert triples(second) == Counter(
        {("省发展改革委", "lead", False, False): 1, ("省文化和旅游厅", "support", False, False): 1}
    )
    assert due(second) == [date(2019, 12, 31)]
    assert_provenance(doc)
    # the clause as read from the PDF still holds the page boundary and the footer
    assert "— 1 —" in first.clause.text and "\n\n" in first.clause.text
    assert not any("— 1 —" in t.text or "— 2 —" in t.text for t in doc.tasks)


# ---------------------------------------------------------------------------- .docx
# Separate lines: 牵头单位：A / 责任单位：B，C / 牵头负责领导; 牵头责任单位 / 协同责任单位 / 配合单位.


@pytest.fixture(scope="module")
def docx_doc(extractor, tmp_path_factory) -> Document:
    path = make_docx(
        tmp_path_factory.mktemp("docx") / "工作要点.docx",
        [
            "浙江省政务服务数字化工作要点",
            "2021年4月1日",
            "一、工作任务",
            "（一）建设统一办公平台。6月底前，完成平台上线。",
            "牵头单位：省大数据局",
            "责任单位：省公安厅，省民政厅",
            "牵头负责领导：常务副省长",
            "（二）建设市场监管系统。长期坚持。",
            "牵头责任单位：省市场监管局",
            "协同责任单位：省司法厅；省商务厅",
            "（三）建设档案管理系统。",
            "牵头单位：省档案局",
            "配合单位：省大数据局,省政府办公厅",
        ],
    )
    return extractor.extract_file(path)


def test_docx_separate_lines_responsible_units_support_a_lead_named_apart(docx_doc):
    doc = docx_doc
    assert doc.format == "docx" and doc.title == "浙江省政务服务数字化工作要点" and doc.year == 2021
    task = task_numbered(doc, "一.(一)")
    assert triples(task) == Counter(
        {
            ("省大数据局", "lead", False, False): 1,
            ("省公安厅", "support", False, False): 1,
            ("省民政厅", "support", False, False): 1,
        }
    )
    assert not task.open_list and due(task) == [date(2021, 6, 30)]
    assert_provenance(doc)
    assert task.clause.text == "牵头单位：省大数据局\n责任单位：省公安厅，省民政厅\n牵头负责领导：常务副省长"


def test_leader_by_title_is_kept_on_the_task_and_is_not_a_unit(docx_doc):
    task = task_numbered(docx_doc, "一.(一)")
    assert task.leaders == ["常务副省长"]
    assert "常务副省长" not in {a.name for a in task.assignments}
    assert all(not t.leaders for t in docx_doc.tasks if t is not task)


def test_lead_and_support_responsible_unit_keywords(docx_doc):
    task = task_numbered(docx_doc, "一.(二)")
    assert triples(task) == Counter(
        {
            ("省市场监管局", "lead", False, False): 1,
            ("省司法厅", "support", False, False): 1,
            ("省商务厅", "support", False, False): 1,
        }
    )
    assert task.deadline_notes == ["长期坚持"] and task.milestones == []


def test_support_line_ending_like_a_signature_is_still_a_clause(docx_doc):
    # "配合单位：…,省政府办公厅" ends like the issuer's signature line (…办公厅).
    task = task_numbered(docx_doc, "一.(三)")
    assert triples(task) == Counter(
        {
            ("省档案局", "lead", False, False): 1,
            ("省大数据局", "support", False, False): 1,
            ("省政府办公厅", "support", False, False): 1,
        }
    )


# ---------------------------------------------------------------------------- .docx, Shaoxing style
# Clause lines 责任单位:A、B under a note: first listed leads, the unlisted county
# governments are responsible for every task.

SHAOXING_NOTE = "(列第一为牵头单位;以下各区、县〔市〕政府均为责任单位,不再列出)"


def shaoxing_paragraphs(note_in_preamble: bool) -> list[str]:
    first_clause = "责任单位:市大数据局、市发改委"
    return [
        "绍兴市人民政府关于印发绍兴市数字政府建设实施方案的通知",
        "各区、县(市)人民政府,市政府各部门、各单位:",
        "现将《绍兴市数字政府建设实施方案》印发给你们,请认真贯彻执行。",
        "绍兴市人民政府",
        "2022年12月30日",
        "绍兴市数字政府建设实施方案",
        *([SHAOXING_NOTE] if note_in_preamble else []),
        "一、主要任务",
        "(一)推进感知能力融合提升。建设城市感知平台。",
        # as in seed 003, the clause that carries the note lists the counties itself
        first_clause if note_in_preamble else first_clause + ",各区、县(市)政府" + SHAOXING_NOTE,
        "(二)推进宣传数字化。到2025年,建成融媒体平台。",
        "责任单位:市委宣传部（市新闻出版局）、市政府有关部门(单位)",
        "(三)推进政务公开。",
        "责任单位:市政府办公室、各区、县(市)政府",
    ]


@pytest.mark.parametrize("note_in_preamble", [True, False], ids=["note-as-preamble", "note-after-first-clause"])
def test_unlisted_county_governments_are_attached_to_every_later_task_as_implicit_groups(
    extractor, tmp_path, note_in_preamble
):
    path = make_docx(tmp_path / "实施方案.docx", shaoxing_paragraphs(note_in_preamble))
    doc = extractor.extract_file(path)
    assert (doc.title, doc.issued, doc.jurisdiction, doc.level.value) == (
        "绍兴市数字政府建设实施方案",
        date(2022, 12, 30),
        "绍兴市",
        "city",
    )
    counties = ("各区、县〔市〕政府", "support", True, True)
    first, second, third = (task_numbered(doc, n) for n in ("一.(一)", "一.(二)", "一.(三)"))
    first_counties = counties if note_in_preamble else ("各区、县(市)政府", "support", False, True)
    assert triples(first) == Counter(
        {("市大数据局", "lead", False, False): 1, ("市发改委", "support", False, False): 1, first_counties: 1}
    )
    assert triples(second) == Counter(
        {
            ("市委宣传部（市新闻出版局）", "lead", False, False): 1,
            ("市政府有关部门(单位)", "support", False, True): 1,
            counties: 1,
        }
    )
    # written out explicitly, the counties are not attached a second time
    assert triples(third) == Counter(
        {("市政府办公室", "lead", False, False): 1, ("各区、县(市)政府", "support", False, True): 1}
    )
    assert agencies(first) == [
        ("绍兴市大数据发展管理局", "lead", False, False, False),
        ("绍兴市发展和改革委员会", "support", False, False, False),
        ("绍兴市各区、县(市)人民政府", "support", note_in_preamble, True, False),
    ]
    assert second.assignments[0].agency == "中共绍兴市委宣传部"
    assert second.assignments[1].agency == "绍兴市人民政府有关部门(单位)"
    assert third.assignments[1].agency == "绍兴市各区、县(市)人民政府"
    assert due(second) == [date(2025, 12, 31)]
    implicit = [a for t in doc.tasks for a in t.assignments if a.implicit]
    assert implicit and all(SHAOXING_NOTE in a.source.text for a in implicit)
    assert_provenance(doc)


# ---------------------------------------------------------------------------- .html
# Inline clauses: (A牵头，B、C按职责分工负责), (A负责), (A、B等省有关部门和各设区市人民政府
# 按职责分工负责), 〔责任单位：A、B按职责分工负责〕 — inside a page's navigation and footer.


@pytest.fixture(scope="module")
def html_doc(extractor, tmp_path_factory) -> Document:
    path = make_html(
        tmp_path_factory.mktemp("html") / "方案.html",
        [
            "2022年5月6日",
            "一、主要任务",
            "（一）建设执法监管系统。6月底前，完成系统上线。（省市场监管局牵头，省司法厅、省大数据局按职责分工负责）",
            "（二）推进信用平台建设。（省发展改革委负责）",
            "（三）提升应急处置能力。（省应急管理厅、省公安厅等省有关部门和各设区市人民政府按职责分工负责）",
            "（四）推进数据安全治理。〔责任单位：省委网信办、省公安厅按职责分工负责〕",
        ],
        title="浙江省数字法治建设实施方案",
    )
    return extractor.extract_file(path)


def test_html_boilerplate_never_becomes_a_task_and_the_heading_is_the_title(html_doc):
    doc = html_doc
    assert doc.format == "html" and doc.title == "浙江省数字法治建设实施方案" and doc.year == 2022
    assert [t.number for t in doc.tasks] == ["一.(一)", "一.(二)", "一.(三)", "一.(四)"]
    seen = " ".join([doc.text, *(t.text for t in doc.tasks), *(s.title for s in doc.sections)])
    assert not [b for b in BOILERPLATE_TEXTS if b in seen]
    assert_provenance(doc)


def test_inline_lead_with_units_responsible_for_their_part_who_then_support(html_doc):
    task = task_numbered(html_doc, "一.(一)")
    assert triples(task) == Counter(
        {
            ("省市场监管局", "lead", False, False): 1,
            ("省司法厅", "support", False, False): 1,
            ("省大数据局", "support", False, False): 1,
        }
    )
    assert task.clause.text == "（省市场监管局牵头，省司法厅、省大数据局按职责分工负责）"
    assert due(task) == [date(2022, 6, 30)]


def test_a_single_unit_responsible_is_the_lead(html_doc):
    # the project's choice: "(A负责)" names one unit that answers for the task
    assert triples(task_numbered(html_doc, "一.(二)")) == Counter({("省发展改革委", "lead", False, False): 1})


def test_units_responsible_for_their_part_without_a_lead_are_joint_with_open_list_and_group(html_doc):
    task = task_numbered(html_doc, "一.(三)")
    assert triples(task) == Counter(
        {
            ("省应急管理厅", "joint", False, False): 1,
            ("省公安厅", "joint", False, False): 1,
            ("各设区市人民政府", "joint", False, True): 1,
        }
    )
    assert task.open_list
    assert [a.agency for a in task.assignments] == ["浙江省应急管理厅", "浙江省公安厅", "浙江省各设区市人民政府"]


def test_responsible_units_each_responsible_for_their_part_are_joint(html_doc):
    task = task_numbered(html_doc, "一.(四)")
    assert triples(task) == Counter({("省委网信办", "joint", False, False): 1, ("省公安厅", "joint", False, False): 1})
    assert not task.open_list
    assert task.clause.text == "〔责任单位：省委网信办、省公安厅按职责分工负责〕"


# ---------------------------------------------------------------------------- .xlsx 任务分工表


@pytest.fixture(scope="module")
def xlsx_doc(extractor, tmp_path_factory) -> Document:
    path = make_xlsx(
        tmp_path_factory.mktemp("xlsx") / "分工表.xlsx",
        "2023年浙江省数字政府建设重点任务分工表",
        ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
        [
            [1, "夯实数据底座", "建设公共数据平台。", "省大数据局", "省经信厅、省公安厅\n省民政厅", "2023年6月底前"],
            [2, None, "完善公共数据目录。", "省大数据局、省发展改革委", "各设区市政府", "12月底前"],
            [3, "强化安全保障", "健全网络安全体系。", "省委网信办", "省公安厅等", "长期坚持"],
        ],
        merges=["B3:B4"],
    )
    return extractor.extract_file(path)


def test_xlsx_task_table_one_task_per_row_with_units_from_lead_and_support_columns(xlsx_doc):
    doc = xlsx_doc
    assert doc.format == "xlsx" and doc.title == "2023年浙江省数字政府建设重点任务分工表"
    assert (doc.year, doc.jurisdiction) == (2023, "浙江省")
    first, second, third = doc.tasks
    assert [t.text for t in doc.tasks] == ["建设公共数据平台。", "完善公共数据目录。", "健全网络安全体系。"]
    # several units in one cell, separated by 、 and by a line break
    assert triples(first) == Counter(
        {
            ("省大数据局", "lead", False, False): 1,
            ("省经信厅", "support", False, False): 1,
            ("省公安厅", "support", False, False): 1,
            ("省民政厅", "support", False, False): 1,
        }
    )
    assert all(a.resolved for a in first.assignments)
    assert triples(second) == Counter(
        {
            ("省大数据局", "lead", False, False): 1,
            ("省发展改革委", "lead", False, False): 1,
            ("各设区市政府", "support", False, True): 1,
        }
    )
    assert triples(third) == Counter(
        {("省委网信办", "lead", False, False): 1, ("省公安厅", "support", False, False): 1}
    )
    assert [t.open_list for t in doc.tasks] == [False, False, True]
    assert [due(t) for t in doc.tasks] == [[date(2023, 6, 30)], [date(2023, 12, 31)], []]
    assert third.deadline_notes == ["长期坚持"]
    assert_provenance(doc)


def test_xlsx_merged_key_task_cell_is_the_section_of_each_of_its_rows(xlsx_doc):
    doc = xlsx_doc
    titles = {s.id: s.title for s in doc.sections}
    assert [titles[t.section_id] for t in doc.tasks] == ["夯实数据底座", "夯实数据底座", "强化安全保障"]


# ---------------------------------------------------------------------------- .csv 任务分工表


def test_csv_task_table_in_gb18030_splits_units_on_line_breaks_and_reads_the_leader_column(extractor, tmp_path):
    path = make_csv(
        tmp_path / "分工表.csv",
        "2022年浙江省数字政府建设任务分工表",
        ["序号", "工作任务", "牵头单位", "协同单位", "牵头负责领导", "完成时限"],
        [
            ["1", "建设城市大脑", "省大数据局", "省建设厅\n省交通运输厅、各设区市政府", "常务副省长", "9月底前"],
            ["2", "推进数据开放", "省大数据局；省经信厅", "省级有关单位等", "", "年内"],
        ],
        encoding="gb18030",
    )
    doc = extractor.extract_file(path)
    assert doc.format == "csv" and doc.encoding == "gb18030" and doc.year == 2022
    first, second = doc.tasks
    assert triples(first) == Counter(
        {
            ("省大数据局", "lead", False, False): 1,
            ("省建设厅", "support", False, False): 1,
            ("省交通运输厅", "support", False, False): 1,
            ("各设区市政府", "support", False, True): 1,
        }
    )
    assert first.leaders == ["常务副省长"] and due(first) == [date(2022, 9, 30)]
    assert triples(second) == Counter(
        {
            ("省大数据局", "lead", False, False): 1,
            ("省经信厅", "lead", False, False): 1,
            ("省级有关单位", "support", False, True): 1,
        }
    )
    assert second.open_list and second.deadline_notes == ["年内"] and not second.leaders
    assert_provenance(doc)


# ---------------------------------------------------------------------------- traditional characters

SIMPLIFIED_TWIN = """\
浙江省数据共享工作方案
2022年7月30日
一、重点任务
1.建设数据共享平台。6月底前，完成平台建设。（牵头单位：省大数据局、省发展改革委；协同单位：省经信厅、省文化和旅游厅等）
2.推进城乡数据归集。（省建设厅牵头，省人力社保厅、各设区市政府按职责分工负责）
3.推进公共数据开放。(责任单位:省大数据局、省经信厅等,各设区市政府。列第一位的为牵头单位,下同)
4.推进网络安全防护。(责任单位:省委网信办、省公安厅)
5.建设统一办公平台。
牵头单位：省大数据局
责任单位：省公安厅，省民政厅
牵头负责领导：常务副省长
6.建设市场监管系统。
牵头责任单位：省市场监管局
协同责任单位：省司法厅；省商务厅
配合单位：省政府直属各单位
"""

TRADITIONAL = """\
浙江省數據共享工作方案
2022年7月30日
一、重點任務
1.建設數據共享平台。6月底前，完成平台建設。（牽頭單位：省大數據局、省發展改革委；協同單位：省經信廳、省文化和旅遊廳等）
2.推進城鄉數據歸集。（省建設廳牽頭，省人力社保廳、各設區市政府按職責分工負責）
3.推進公共數據開放。(責任單位:省大數據局、省經信廳等,各設區市政府。列第一位的為牽頭單位,下同)
4.推進網絡安全防護。(責任單位:省委網信辦、省公安廳)
5.建設統一辦公平台。
牽頭單位：省大數據局
責任單位：省公安廳，省民政廳
牽頭負責領導：常務副省長
6.建設市場監管系統。
牽頭責任單位：省市場監管局
協同責任單位：省司法廳；省商務廳
配合單位：省政府直屬各單位
"""


@pytest.fixture(scope="module")
def twins(extractor, tmp_path_factory) -> tuple[Document, Document, Path]:
    folder = tmp_path_factory.mktemp("trad")
    simplified = extractor.extract_file(make_txt(folder / "简体.txt", SIMPLIFIED_TWIN))
    path = make_txt(folder / "繁體.txt", TRADITIONAL)
    return simplified, extractor.extract_file(path), path


def test_traditional_plan_reads_every_convention_in_its_own_script(twins):
    _, doc, path = twins
    assert doc.script == "traditional" and doc.title == "浙江省數據共享工作方案" and doc.year == 2022
    assert triples(task_numbered(doc, "一.1")) == Counter(
        {
            ("省大數據局", "lead", False, False): 1,
            ("省發展改革委", "lead", False, False): 1,
            ("省經信廳", "support", False, False): 1,
            ("省文化和旅遊廳", "support", False, False): 1,
        }
    )
    assert triples(task_numbered(doc, "一.2")) == Counter(
        {
            ("省建設廳", "lead", False, False): 1,
            ("省人力社保廳", "support", False, False): 1,
            ("各設區市政府", "support", False, True): 1,
        }
    )
    assert triples(task_numbered(doc, "一.3")) == Counter(
        {
            ("省大數據局", "lead", False, False): 1,
            ("省經信廳", "support", False, False): 1,
            ("各設區市政府", "support", False, True): 1,
        }
    )
    assert triples(task_numbered(doc, "一.4")) == Counter(
        {("省委網信辦", "lead", False, False): 1, ("省公安廳", "support", False, False): 1}
    )
    assert triples(task_numbered(doc, "一.5")) == Counter(
        {
            ("省大數據局", "lead", False, False): 1,
            ("省公安廳", "support", False, False): 1,
            ("省民政廳", "support", False, False): 1,
        }
    )
    assert triples(task_numbered(doc, "一.6")) == Counter(
        {
            ("省市場監管局", "lead", False, False): 1,
            ("省司法廳", "support", False, False): 1,
            ("省商務廳", "support", False, False): 1,
            ("省政府直屬各單位", "support", False, True): 1,
        }
    )
    assert task_numbered(doc, "一.5").leaders == ["常務副省長"]
    assert task_numbered(doc, "一.1").text.startswith("建設數據共享平台。")
    assert [t.open_list for t in doc.tasks] == [True, False, True, False, False, False]
    assert due(task_numbered(doc, "一.1")) == [date(2022, 6, 30)]
    assert_provenance(doc, path.read_text("utf-8"))


def test_traditional_names_resolve_to_the_same_agencies_as_the_simplified_twin(twins):
    simplified, traditional, _ = twins
    assert [t.number for t in traditional.tasks] == [t.number for t in simplified.tasks]
    for s_task, t_task in zip(simplified.tasks, traditional.tasks, strict=True):
        assert agencies(t_task) == agencies(s_task), t_task.number
        assert all(a.resolved for a in t_task.assignments), t_task.number
    assert simplified.tasks[4].leaders == ["常务副省长"]


def test_a_unit_followed_by_and_other_departments_is_split_even_without_a_unit_suffix(extractor):
    doc = extractor.extract_text(
        "浙江省测试方案\n\n2023年1月5日\n\n一、主要任务\n\n"
        "1.推进无障碍建设。完善设施。（牵头单位：省发展改革委；协同单位：省交通运输厅、省残联等省级有关部门）\n",
        source="plan.txt",
    )
    (task,) = doc.tasks
    assert [(a.name, a.role.value) for a in task.assignments] == [
        ("省发展改革委", "lead"),
        ("省交通运输厅", "support"),
        ("省残联", "support"),
    ]
    assert task.open_list
