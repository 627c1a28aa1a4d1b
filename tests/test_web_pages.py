"""Government web pages, as sites publish them, read as documents (issue 11, items 2 and 5).

Each page is written here the way such sites build them: the whole document inside one ``<td>``
of nested layout tables, a header and navigation in tables of their own, a breadcrumb, tool
links (返回首页, 设为首页, 打印本页, 关闭窗口), a visit counter (浏览量：), a footer, the
政府信息公开 table of 索引号 / 主题分类 / 发文机关 / 成文日期 / 发文字号 / 发布日期, and a
``<title>`` that ends in the site's name.  The expectations are written by hand from the page.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.read import read_document
from dutygraph.loaders.read.webpage import is_chrome_line, strip_site_name
from dutygraph.model import Task

CHROME = ("设为首页", "返回首页", "加入收藏", "打印本页", "关闭窗口", "浏览量", "当前位置", "索引号", "索 引 号")
CHROME += ("主题分类", "京ICP备", "网站标识码", "无障碍", "运行维护单位")


def p(text: str, align: str = "") -> str:
    style = f' style="text-align:{align}"' if align else ""
    return f"<p{style}>{html.escape(text)}</p>"


def gov_cn_page(paragraphs: list[str], *, title: str, fields: dict[str, str] | None = None, inner: str = "") -> str:
    """A State Council page in the old gov.cn layout: every part of the page in nested tables."""
    rows = "".join(
        f'<tr><td class="t1"><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>'
        for k, v in (fields or {}).items()
    )
    metadata = f'<table class="bd1" width="100%" border="1">{rows}</table>' if rows else ""
    body = "\n".join(paragraphs) + inner
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{html.escape(title)}_国务院文件_中国政府网</title></head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td><table width="100%"><tr>
    <td class="top_l"><a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="#">English</a></td>
    <td class="top_r"><a href="/">返回首页</a> | <a href="#">无障碍</a></td></tr></table></td></tr>
  <tr><td><table width="100%"><tr>
    <td><a href="/">首页</a></td><td><a href="/zhengce">政策</a></td><td><a href="/hudong">互动</a></td>
    <td><a href="/fuwu">服务</a></td><td><a href="/shuju">数据</a></td></tr></table></td></tr>
  <tr><td class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zhengce">政策</a> &gt; 国务院文件</td></tr>
  <tr><td>{metadata}</td></tr>
  <tr><td><table width="100%" border="0"><tr><td class="b12c" id="UCAP-CONTENT">
{body}
  </td></tr></table></td></tr>
  <tr><td><table width="100%"><tr><td class="tools">
    【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】 浏览量：12345</td></tr></table></td></tr>
  <tr><td><table width="100%"><tr><td class="footer">主办单位：国务院办公厅　运行维护单位：中国政府网运行中心<br/>
  京ICP备05070218号　网站标识码bm01000001</td></tr></table></td></tr>
</table>
</body></html>
"""


XXGK = {
    "索\u00a0引\u00a0号：": "000014349/2023-00021",
    "主题分类：": "国务院组织机构\\其他",
    "发文机关：": "国务院办公厅",
    "成文日期：": "2023年02月27日",
    "标　　题：": "国务院办公厅关于印发《数字政务协同推进方案》的通知",
    "发文字号：": "国办发〔2023〕5号",
    "发布日期：": "2023年03月03日",
}

NOTICE = [
    p("国务院办公厅关于印发《数字政务协同推进方案》的通知", "center"),
    p("国办发〔2023〕5号", "center"),
    p("各省、自治区、直辖市人民政府，国务院各部委、各直属机构："),
    p("　　《数字政务协同推进方案》已经国务院同意，现印发给你们，请认真贯彻执行。"),
    p("国务院办公厅", "right"),
    p("2023年2月27日", "right"),
    p("　　（此件公开发布）"),
]
PLAN = [
    p("数字政务协同推进方案", "center"),
    p("　　一、总体要求"),
    p("　　以习近平新时代中国特色社会主义思想为指导，统筹推进数字政务协同。"),
    p("　　二、重点任务"),
    p(
        "　　（一）建设全国一体化政务服务平台。明年7月份前完成主要功能上线。"
        "（国务院办公厅牵头，国家发展改革委、工业和信息化部按职责分工负责）"
    ),
    p("　　（二）推进政务数据共享。2023年底前完成目录编制。（国家数据局负责）"),
]


def write(tmp_path: Path, name: str, page: str) -> Path:
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    return path


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def units(task: Task) -> Counter:
    return Counter((a.name, a.role.value) for a in task.assignments)


@pytest.fixture(scope="module")
def gov_cn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = gov_cn_page(NOTICE + PLAN, title="国务院办公厅关于印发《数字政务协同推进方案》的通知", fields=XXGK)
    return write(tmp_path_factory.mktemp("gov"), "content_5744000.htm", page)


# ---------------------------------------------------------------------------- layout tables


def test_a_page_laid_out_in_nested_tables_is_read_as_text_line_by_line(gov_cn: Path) -> None:
    raw = read_document(gov_cn)
    assert raw.tables == []
    got = lines(raw.text)
    assert got[0] == "国务院办公厅关于印发《数字政务协同推进方案》的通知"
    assert "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：" in got
    assert "二、重点任务" in got
    assert "（二）推进政务数据共享。2023年底前完成目录编制。（国家数据局负责）" in got
    assert not [word for word in CHROME if word in raw.text]
    assert " | " not in raw.text  # no table rendering of the layout


def test_the_information_table_of_the_page_becomes_hints_not_text(gov_cn: Path) -> None:
    raw = read_document(gov_cn)
    assert raw.metadata["page_doc_number"] == "国办发〔2023〕5号"
    assert raw.metadata["page_issuer"] == "国务院办公厅"
    assert raw.metadata["page_written"] == "2023-02-27"
    assert raw.metadata["page_published"] == "2023-03-03"
    assert raw.metadata["page_title"] == "国务院办公厅关于印发《数字政务协同推进方案》的通知"
    assert "000014349" not in raw.text and "国务院组织机构" not in raw.text


def test_a_gov_cn_page_yields_its_tasks_units_and_deadlines(gov_cn: Path) -> None:
    doc = Extractor().extract_file(gov_cn)
    assert [t.number for t in doc.tasks] == ["二.(一)", "二.(二)"]
    first, second = doc.tasks
    assert units(first) == Counter(
        {("国务院办公厅", "lead"): 1, ("国家发展改革委", "support"): 1, ("工业和信息化部", "support"): 1}
    )
    assert [(m.expression, m.due) for m in first.milestones] == [("明年7月份前", date(2024, 7, 31))]
    assert units(second) == Counter({("国家数据局", "lead"): 1})
    assert [m.due for m in second.milestones] == [date(2023, 12, 31)]
    for task in doc.tasks:
        for a in task.assignments:
            assert doc.text[a.source.start : a.source.end] == a.source.text


# ---------------------------------------------------------------------------- metadata from the document


def test_metadata_comes_from_the_document_not_the_site(gov_cn: Path) -> None:
    doc = Extractor().extract_file(gov_cn)
    assert doc.title == "数字政务协同推进方案"  # the plan the notice publishes, not "…_中国政府网"
    assert doc.doc_number == "国办发〔2023〕5号"
    assert doc.issuer == "国务院办公厅"
    assert doc.issued == date(2023, 2, 27)  # the signature's 成文日期, not the 发布日期 2023-03-03
    assert doc.year == 2023
    assert not [w for w in doc.warnings if "date" in w]


def test_a_page_whose_document_states_no_date_falls_back_on_the_publication_date_and_says_so(
    tmp_path: Path,
) -> None:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>江西省数字政府建设工作要点 - 江西省人民政府</title></head><body>
<div class="header"><a href="/">返回首页</a> | <a href="#">设为首页</a></div>
<div class="bread">您的位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a> &gt; 政策文件</div>
<div class="article"><h1>江西省数字政府建设工作要点</h1>
<div class="info">发布时间：2023-04-12 10:30 来源：江西省人民政府办公厅 浏览次数：876</div>
<div class="content">
{p("一、重点任务")}
{p("（一）推进政务服务“一网通办”。6月底前，实现高频事项全程网办。（省政务服务办负责）")}
{p("（二）建设省级数据共享平台。下半年完成省市贯通。（省大数据中心牵头，省发展改革委配合）")}
</div></div>
<div class="tools"><a href="#">【打印本页】</a> <a href="#">【关闭窗口】</a></div>
<div class="footer">主办：江西省人民政府办公厅 赣ICP备00000000号</div>
</body></html>"""
    doc = Extractor().extract_file(write(tmp_path, "jx.html", page))
    assert doc.title == "江西省数字政府建设工作要点"
    assert doc.issued == date(2023, 4, 12) and doc.year == 2023
    assert any("publication date 2023-04-12 is used" in w for w in doc.warnings)
    assert [m.due for t in doc.tasks for m in t.milestones] == [date(2023, 6, 30), date(2023, 12, 31)]


def test_site_name_is_cut_from_a_page_title_used_as_the_last_resort(tmp_path: Path) -> None:
    page = f"""<html><head><meta charset="utf-8"><title>关于推进智慧城市建设的实施意见_苏州市人民政府</title></head>
<body><div>{p("一、主要任务")}{p("（一）建设城市运行管理中心。年底前，完成一期建设。（市大数据局负责）")}</div></body></html>"""
    doc = Extractor().extract_file(write(tmp_path, "sz.html", page))
    assert doc.title == "关于推进智慧城市建设的实施意见"
    assert strip_site_name("X市实施方案 - X市人民政府门户网站") == "X市实施方案"
    assert strip_site_name("实施方案") == "实施方案"


# ---------------------------------------------------------------------------- a real 任务分工表


FENGONG = """
<table class="fgb" border="1" cellspacing="0" cellpadding="4" width="100%">
  <tr><td colspan="5"><p><strong>重点任务分工表</strong></p></td></tr>
  <tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
  <tr><td>1</td><td>推进政务服务“一网通办”，提升网办深度。</td><td rowspan="2">市政务服务管理局</td>
      <td>市大数据中心</td><td>2023年6月底前</td></tr>
  <tr><td>2</td><td>建设城市数据资源体系。</td><td>市发展改革委<br>市经信局</td><td>第三季度末</td></tr>
  <tr><td>3</td><td>推广电子证照应用。</td><td>市市场监管局</td><td>各区、县（市）政府</td><td>持续推进</td></tr>
</table>"""

FIGURES = """
<table border="1"><tr><td>指标</td><td>2022年</td><td>2025年</td></tr>
<tr><td>政务服务事项网办率</td><td>80%</td><td>95%</td></tr></table>"""


@pytest.fixture(scope="module")
def fengong_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    notice = [
        p("合肥市人民政府办公室关于印发《合肥市数字政府建设2023年重点任务分工方案》的通知", "center"),
        p("合政办〔2023〕9号", "center"),
        p("各县（市）、区人民政府，市政府各部门、各直属机构："),
        p("　　《合肥市数字政府建设2023年重点任务分工方案》已经市政府同意，现印发给你们，请认真贯彻落实。"),
        p("合肥市人民政府办公室", "right"),
        p("2023年3月10日", "right"),
        p("合肥市数字政府建设2023年重点任务分工方案", "center"),
        p("　　主要指标如下："),
    ]
    fields = {"发布日期：": "2023-03-17", "发文机关：": "合肥市人民政府办公室"}
    page = gov_cn_page(notice, title="合肥市数字政府建设任务分工", fields=fields, inner=FIGURES + FENGONG)
    return write(tmp_path_factory.mktemp("fengong"), "fengong.html", page)


def test_a_table_with_lead_and_support_headers_is_read_as_a_table_in_its_place(fengong_page: Path) -> None:
    raw = read_document(fengong_page)
    (table,) = raw.tables
    assert table.keys == ["number", "task", "lead", "support", "deadline"]
    assert table.title == "重点任务分工表"
    assert [row.cells["lead"].text for row in table.rows] == ["市政务服务管理局", "市政务服务管理局", "市市场监管局"]
    assert table.rows[1].cells["support"].text == "市发展改革委\n市经信局"  # <br> kept as a line break
    for row in table.rows:
        for cell in row.cells.values():
            assert raw.text[cell.start : cell.end] == cell.text
    # the notice stands before the table, a table of figures is text, one line per row
    assert raw.text.index("现印发给你们") < table.start
    assert "指标 | 2022年 | 2025年" in lines(raw.text)
    assert "政务服务事项网办率 | 80% | 95%" in lines(raw.text)


def test_a_page_with_a_fengong_table_yields_one_task_per_row_and_the_notice_s_metadata(fengong_page: Path) -> None:
    doc = Extractor().extract_file(fengong_page)
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued, doc.year) == (
        "合肥市数字政府建设2023年重点任务分工方案",
        "合政办〔2023〕9号",
        "合肥市人民政府办公室",
        date(2023, 3, 10),
        2023,
    )
    assert [t.text for t in doc.tasks] == [
        "推进政务服务“一网通办”，提升网办深度。",
        "建设城市数据资源体系。",
        "推广电子证照应用。",
    ]
    first, second, third = doc.tasks
    assert units(first) == Counter({("市政务服务管理局", "lead"): 1, ("市大数据中心", "support"): 1})
    assert units(second) == Counter(
        {("市政务服务管理局", "lead"): 1, ("市发展改革委", "support"): 1, ("市经信局", "support"): 1}
    )
    assert [m.due for m in first.milestones] == [date(2023, 6, 30)]
    assert [m.due for m in second.milestones] == [date(2023, 9, 30)]
    assert third.milestones == [] and third.deadline_notes == ["持续推进"]
    assert [t.ordinal for t in doc.tasks] == [1, 2, 3]


# ---------------------------------------------------------------------------- chrome lines


@pytest.mark.parametrize(
    "line",
    [
        "【打印本页】【关闭窗口】",
        "返回首页 | 设为首页 | 加入收藏",
        "浏览量：2846",
        "字体：大 中 小",
        "当前位置：首页 > 政务公开 > 政策文件",
        "您当前的位置：首页 > 政务公开 > 政府文件",
        "首页 > 政务公开 > 政府文件 > 市政府办公厅文件",
        "分享到：",
    ],
)
def test_site_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "（一）建设全国一体化政务服务平台。（国务院办公厅牵头）",
        "2023年2月27日",
        "国务院办公厅",
        "1.",
        "一、重点任务",
        "来源:电子政务网 更新时间:2023-01-05",
    ],
)
def test_document_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


# ---------------------------------------------------------------------------- an information block of <li>s


def test_an_information_list_beside_the_document_gives_its_metadata_and_never_its_text(tmp_path: Path) -> None:
    items = {
        "索引号": "11420000011000000X/2023-01234",
        "主题分类": "综合政务",
        "发文机关": "湖北省人民政府办公厅",
        "成文日期": "2023年06月12日",
        "标题": "湖北省人民政府办公厅关于印发湖北省数字政府建设工作方案的通知",
        "发文字号": "鄂政办发〔2023〕18号",
        "发布日期": "2023年06月20日",
    }
    block = "".join(f"<li><b>{k}：</b><span>{html.escape(v)}</span></li>" for k, v in items.items())
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>湖北省人民政府办公厅关于印发湖北省数字政府建设工作方案的通知_湖北省人民政府门户网站</title></head><body>
<div class="top"><a href="/">返回首页</a> <a href="#">设为首页</a> <a href="#">加入收藏</a></div>
<div class="xxgk"><ul>{block}</ul></div>
<div class="article">
<h1>湖北省人民政府办公厅关于印发湖北省数字政府建设工作方案的通知</h1>
<div class="content">
{p("各市、州、县人民政府，省政府各部门：")}
{p("　　《湖北省数字政府建设工作方案》已经省人民政府同意，现印发给你们，请认真组织实施。")}
{p("湖北省数字政府建设工作方案", "center")}
{p("　　一、重点任务")}
{p("　　（一）建设省级政务云平台。年底前完成扩容。（牵头单位：省政务管理办）")}
{p("　　（二）推进“鄂汇办”迭代升级。上半年上线新版。（牵头单位：省政务管理办；协同单位：省大数据中心）")}
</div></div>
<div class="tools">【打印本页】【关闭窗口】</div>
</body></html>"""
    path = write(tmp_path, "hb.html", page)
    raw = read_document(path)
    assert not [v for v in ("索引号", "主题分类", "11420000011000000X", "综合政务") if v in raw.text]
    doc = Extractor().extract_file(path)
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued, doc.year) == (
        "湖北省数字政府建设工作方案",
        "鄂政办发〔2023〕18号",
        "湖北省人民政府办公厅",
        date(2023, 6, 12),  # the page's 成文日期: the text states no date, 发布日期 is later
        2023,
    )
    assert not [w for w in doc.warnings if "publication date" in w]
    assert [m.due for t in doc.tasks for m in t.milestones] == [date(2023, 12, 31), date(2023, 6, 30)]


def test_a_page_holding_only_a_fengong_table_takes_its_title_and_year_from_the_page_title(tmp_path: Path) -> None:
    page = f"""<html><head><meta charset="utf-8"><title>南京市2023年数字政府重点任务分工表_南京市人民政府</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zw">政务公开</a> <a href="/bs">办事服务</a></div>
<div class="toc"><a href="#a1">一、主要任务</a></div>
{FENGONG}
<div class="footer">主办：南京市人民政府办公厅</div></body></html>"""
    doc = Extractor().extract_file(write(tmp_path, "nj.html", page))
    assert (doc.title, doc.year) == ("南京市2023年数字政府重点任务分工表", 2023)
    assert "政务公开" not in doc.text and "办事服务" not in doc.text
    assert [m.due for t in doc.tasks for m in t.milestones] == [date(2023, 6, 30), date(2023, 9, 30)]
    assert is_chrome_line("政务公开 | 办事服务", frozenset({"政务公开", "办事服务"}))
    assert not is_chrome_line("一、主要任务", frozenset({"一、主要任务"}))
