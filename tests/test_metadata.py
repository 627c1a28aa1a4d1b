"""The metadata stage (loaders/metadata.py): title, 文号, issuer, dates and year, each from the
most trusted source that gives it (issue 11, items 4 and 5).  Plans written here; expectations
by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from filemakers import make_txt

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.metadata import DocumentMeta, FrontMatter, document_meta, year_in_title


def meta(front: FrontMatter | None = None, hints: dict[str, str] | None = None, **sidecar: object) -> DocumentMeta:
    return document_meta(front or FrontMatter(), hints or {}, dict(sidecar), fmt="html")


# ---------------------------------------------------------------------------- the year


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("苏州市2023年数字经济工作要点", 2023),
        ("2019年浙江省深化“最多跑一次”改革推进政府数字化转型工作要点", 2019),
        ("湖北省数字政府建设规划（2021—2025年）", 2021),
        ("四川省“十四五”数字政府建设规划(2021-2025年)", 2021),
        ("关于贯彻落实《2022年政府工作报告》的实施方案", None),
        ("无锡市数字政府建设实施方案", None),
    ],
)
def test_the_year_a_title_gives(title: str, year: int | None) -> None:
    assert year_in_title(title) == year


def test_the_year_of_issue_comes_first_then_the_title_then_the_publication() -> None:
    signed = FrontMatter(title="苏州市2023年数字经济工作要点", issued=date(2022, 12, 28))
    assert (meta(signed).year, meta(signed).year_from) == (2022, "issued")
    unsigned = FrontMatter(title="苏州市2023年数字经济工作要点")
    got = meta(unsigned, {"page_published": "2022-12-30"})
    assert (got.year, got.year_from, got.issued, got.issued_from) == (
        2023,
        "title",
        date(2022, 12, 30),
        "page 发布日期",
    )
    untitled = meta(FrontMatter(title="苏州市数字经济工作要点"), {"page_published": "2023-01-05"})
    assert (untitled.year, untitled.year_from) == (2023, "published")
    assert (meta(unsigned, year=2024).year, meta(unsigned, year=2024).year_from) == (2024, "sidecar")


def test_a_plan_without_a_date_takes_its_year_from_the_title_and_resolves_its_deadlines(tmp_path: Path) -> None:
    text = (
        "苏州市2023年数字经济工作要点\n"
        "一、重点任务\n"
        "（一）加快集成电路产业集群建设。6月底前出台产业集群培育方案。（牵头单位：市工信局）\n"
        "（二）培育数据要素市场。明年一季度组建市数据交易服务机构。（牵头单位：市大数据局）\n"
    )
    doc = Extractor().extract_file(make_txt(tmp_path / "苏州.txt", text))
    assert (doc.title, doc.issued, doc.year) == ("苏州市2023年数字经济工作要点", None, 2023)
    assert [m.due for t in doc.tasks for m in t.milestones] == [date(2023, 6, 30), date(2024, 3, 31)]
    assert "no date of issue found: deadlines resolve against 2023, the year in the title" in doc.warnings
    assert "no date of issue found: deadlines without a year stay undated" not in doc.warnings


# ---------------------------------------------------------------------------- dates of issue


def test_the_documents_own_date_beats_the_pages() -> None:
    got = meta(FrontMatter(issued=date(2023, 2, 27)), {"page_written": "2023-02-26", "page_published": "2023-03-03"})
    assert (got.issued, got.issued_from, got.published) == (date(2023, 2, 27), "document", date(2023, 3, 3))
    assert got.notes == []


def test_the_pages_written_date_beats_its_publication_date() -> None:
    got = meta(FrontMatter(), {"page_written": "2023-02-27", "page_published": "2023-03-03"})
    assert (got.issued, got.issued_from, got.year) == (date(2023, 2, 27), "page 成文日期", 2023)
    assert got.notes == []


def test_a_publication_date_used_as_the_date_of_issue_is_said() -> None:
    got = meta(FrontMatter(), {"page_published": "2023-03-03"})
    assert (got.issued, got.issued_from) == (date(2023, 3, 3), "page 发布日期")
    assert got.notes == ["no date of issue (成文日期) in the document: the page's publication date 2023-03-03 is used"]


def test_a_sidecar_states_what_wins() -> None:
    got = meta(FrontMatter(title="正文标题", issued=date(2023, 2, 27), doc_number="国办发〔2023〕5号"), {},
               title="旁注标题", issued="2023-03-01", doc_number="国办发〔2023〕6号")  # fmt: skip
    assert (got.title, got.issued, got.issued_from, got.doc_number) == (
        "旁注标题",
        date(2023, 3, 1),
        "sidecar",
        "国办发〔2023〕6号",
    )


# ---------------------------------------------------------------------------- title, 文号, issuer


def test_title_order_notice_then_heading_then_page_field_then_text_then_page_title() -> None:
    notice = FrontMatter(title="数字政务协同推进方案", title_from_notice=True)
    first_line = FrontMatter(title="第一行")
    hints = {"heading": "页面标题", "page_title": "信息公开标题", "title": "网页标题_某某市人民政府"}
    assert meta(notice, hints).title == "数字政务协同推进方案"
    assert meta(first_line, hints).title == "页面标题"
    assert meta(first_line, {k: v for k, v in hints.items() if k != "heading"}).title == "信息公开标题"
    assert meta(first_line, {"title": hints["title"]}).title == "第一行"
    assert meta(FrontMatter(), {"title": hints["title"]}).title == "网页标题"


def test_doc_number_and_issuer_from_the_page_when_the_text_has_none() -> None:
    got = meta(FrontMatter(), {"page_doc_number": "国办发〔2023〕5号", "page_issuer": "国务院办公厅"})
    assert (got.doc_number, got.issuer) == ("国办发〔2023〕5号", "国务院办公厅")
    brackets = meta(FrontMatter(), {"page_doc_number": "苏政办发[2023]12号"})
    assert brackets.doc_number == "苏政办发〔2023〕12号"


@pytest.mark.parametrize(
    ("signature", "issuer"),
    [
        ("国务院", "国务院"),
        ("国务院办公厅", "国务院办公厅"),
        ("湖北省教育厅", "湖北省教育厅"),
        ("无锡市大数据管理局", "无锡市大数据管理局"),
        ("江苏省人民政府", "江苏省人民政府"),
    ],
)
def test_the_signature_names_the_issuer(tmp_path: Path, signature: str, issuer: str) -> None:
    text = f"某某工作方案\n一、主要任务\n（一）推进数据共享。（牵头单位：省大数据局）\n{signature}\n2023年3月28日\n"
    doc = Extractor().extract_file(make_txt(tmp_path / "plan.txt", text))
    assert (doc.issuer, doc.issued) == (issuer, date(2023, 3, 28))


def test_an_attachment_label_is_not_the_title(tmp_path: Path) -> None:
    text = "附件1\n无锡市数据共享工作方案\n一、主要任务\n（一）推进数据共享。（牵头单位：市大数据局）\n"
    doc = Extractor().extract_file(make_txt(tmp_path / "plan.txt", text))
    assert doc.title == "无锡市数据共享工作方案"


def test_the_front_matter_keeps_its_notice_lines_for_the_jurisdiction_inference() -> None:
    from dutygraph.loaders.conventions import load_conventions
    from dutygraph.loaders.metadata import front_matter
    from dutygraph.loaders.repair import fold
    from dutygraph.loaders.structure import classify, split_lines

    text = "湖北省教育厅关于印发《2023年全省教育信息化工作要点》的通知\n鄂教科〔2023〕4号\n一、主要任务\n（一）推进。\n"
    folded = fold(text)
    lines = split_lines(folded)
    classify(lines, load_conventions())
    front = front_matter(lines, folded, text)
    assert front.notice == ["湖北省教育厅关于印发《2023年全省教育信息化工作要点》的通知", "鄂教科(2023)4号"]
    assert (front.title, front.title_from_notice, front.doc_number) == (
        "2023年全省教育信息化工作要点",
        True,
        "鄂教科〔2023〕4号",
    )
