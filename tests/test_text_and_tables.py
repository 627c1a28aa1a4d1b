"""Documents holding both paragraphs and 任务分工表 tables (issue 11, item 6).

Word files made here with python-docx (tests/filemakers.py): a covering notice, tasks written
as paragraphs with their markings, a 任务分工表, a table that is not one, paragraphs after the
table.  Every task comes out — from the text and from the table — in document order, and what
is not used is named in the warnings.  Expectations are written by hand.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from filemakers import make_docx

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.read import read_document
from dutygraph.model import Document, Task

BEFORE = [
    "无锡市人民政府办公室关于印发无锡市数据要素市场建设工作方案的通知",
    "锡政办发〔2023〕21号",
    "各市（县）、区人民政府，市各委办局，市各直属单位：",
    "《无锡市数据要素市场建设工作方案》已经市政府同意，现印发给你们，请认真贯彻执行。",
    "无锡市人民政府办公室",
    "2023年5月8日",
    "无锡市数据要素市场建设工作方案",
    "一、主要任务",
    "（一）健全数据要素制度体系。年底前出台公共数据授权运营办法。（牵头单位：市大数据局；协同单位：市司法局）",
    "（二）培育数据交易市场。具体分工见下表。",
]
TABLE = [
    ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "建设数据交易服务平台。", "市大数据局", "市发改委、市财政局", "明年6月底前"],
    ["2", "培育数据商和第三方服务机构。", "市工信局", "市大数据局\n市市场监管局", "一季度"],
    ["3", "", "市财政局", "", "2023年底前"],  # a row without task text: named, not dropped silently
]
AFTER = [
    "二、保障措施",
    "（一）加强组织领导。建立工作推进机制，定期研究重大事项。（市大数据局负责）",
]


def units(task: Task) -> Counter:
    return Counter((a.name, a.role.value) for a in task.assignments)


@pytest.fixture(scope="module")
def mixed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_docx(tmp_path_factory.mktemp("docx") / "方案.docx", BEFORE, TABLE, paragraphs_after=AFTER)


@pytest.fixture(scope="module")
def mixed_doc(mixed_docx: Path) -> Document:
    return Extractor().extract_file(mixed_docx)


def test_the_reader_gives_the_paragraphs_and_the_table_in_place(mixed_docx: Path) -> None:
    raw = read_document(mixed_docx)
    (table,) = raw.tables
    assert raw.text.index("具体分工见下表") < table.start < table.end < raw.text.index("二、保障措施")
    assert raw.text[table.start : table.end].startswith("序号 | 重点任务 | 牵头单位")
    assert raw.text[table.start : table.end].endswith("2023年底前")


def test_tasks_come_from_the_text_and_from_the_table_in_document_order(mixed_doc: Document) -> None:
    texts = [t.text for t in mixed_doc.tasks]
    assert texts == [
        "健全数据要素制度体系。年底前出台公共数据授权运营办法。",
        "培育数据交易市场。具体分工见下表。",
        "建设数据交易服务平台。",
        "培育数据商和第三方服务机构。",
        "加强组织领导。建立工作推进机制，定期研究重大事项。",
    ]
    assert [t.ordinal for t in mixed_doc.tasks] == [1, 2, 3, 4, 5]
    assert [t.start for t in mixed_doc.tasks] == sorted(t.start for t in mixed_doc.tasks)


def test_units_and_deadlines_of_text_tasks_and_table_rows(mixed_doc: Document) -> None:
    by_text = {t.text: t for t in mixed_doc.tasks}
    first = by_text["健全数据要素制度体系。年底前出台公共数据授权运营办法。"]
    assert units(first) == Counter({("市大数据局", "lead"): 1, ("市司法局", "support"): 1})
    assert [m.due for m in first.milestones] == [date(2023, 12, 31)]
    platform = by_text["建设数据交易服务平台。"]
    assert units(platform) == Counter(
        {("市大数据局", "lead"): 1, ("市发改委", "support"): 1, ("市财政局", "support"): 1}
    )
    assert [m.due for m in platform.milestones] == [date(2024, 6, 30)]  # 明年 of a 2023 plan
    traders = by_text["培育数据商和第三方服务机构。"]
    assert units(traders) == Counter(
        {("市工信局", "lead"): 1, ("市大数据局", "support"): 1, ("市市场监管局", "support"): 1}
    )
    assert [m.due for m in traders.milestones] == [date(2023, 3, 31)]
    for task in mixed_doc.tasks:
        for a in task.assignments:
            assert mixed_doc.text[a.source.start : a.source.end] == a.source.text


def test_the_notice_gives_the_metadata_of_a_word_file_with_a_table(mixed_doc: Document) -> None:
    assert (mixed_doc.title, mixed_doc.doc_number, mixed_doc.issuer, mixed_doc.issued, mixed_doc.year) == (
        "无锡市数据要素市场建设工作方案",
        "锡政办发〔2023〕21号",
        "无锡市人民政府办公室",
        date(2023, 5, 8),
        2023,
    )


def test_a_table_row_without_task_text_is_named_not_dropped_silently(mixed_doc: Document) -> None:
    assert "table 1 row 4: units or a deadline, no task text: not used" in mixed_doc.warnings
    assert not [w for w in mixed_doc.warnings if w.startswith("no responsibility clauses")]


def test_a_table_only_document_still_reads_as_before(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "表.docx", [], TABLE[:3])
    doc = Extractor().extract_file(path)
    assert [t.text for t in doc.tasks] == ["建设数据交易服务平台。", "培育数据商和第三方服务机构。"]
    assert doc.title == "表"  # no title anywhere: the file's name
    assert doc.year is None and "no date of issue found: deadlines without a year stay undated" in doc.warnings


def test_a_table_that_is_not_a_fengong_table_becomes_text_and_the_tasks_around_it_are_read(tmp_path: Path) -> None:
    paragraphs = ["2023年4月1日", "一、主要任务", "（一）推进数据共享。（市大数据局负责）", "联系人："]
    path = make_docx(tmp_path / "联系.docx", paragraphs, [["联系人", "电话"], ["张三", "0510-81234567"]])
    raw = read_document(path)
    assert raw.tables == []
    assert raw.text.split("\n")[-2:] == ["联系人 | 电话", "张三 | 0510-81234567"]
    doc = Extractor().extract_file(path)
    assert [(t.text, units(t)) for t in doc.tasks] == [("推进数据共享。", Counter({("市大数据局", "lead"): 1}))]


def test_footnotes_and_comments_python_docx_cannot_read_are_named(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "注.docx", ["一、主要任务", "（一）推进数据共享。（市大数据局负责）"])
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    footnotes = (
        f"<w:footnotes {ns}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>列第一位的为牵头单位。</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("word/footnotes.xml", footnotes)
    raw = read_document(path)
    assert "1 footnote(s) not read" in raw.metadata["warnings"]
