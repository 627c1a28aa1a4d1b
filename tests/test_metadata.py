"""The metadata stage (loaders/metadata.py): title, 文号, issuer, dates and year, each from the
most trusted source that gives it (issue 11, items 4 and 5).  Plans written here; expectations
by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from filemakers import make_txt

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.metadata import DocumentMeta, FrontMatter, document_meta, is_a_name, year_in_title
from dutygraph.loaders.read.webpage import PageFields, is_chrome_line


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
    signed = FrontMatter(title="苏州市2023年数字经济工作要点", issued=date(2023, 2, 10))
    assert (meta(signed).year, meta(signed).year_from) == (2023, "issued")
    span = FrontMatter(title="湖北省数字政府建设规划（2021—2025年）", issued=date(2022, 1, 5))
    assert (meta(span).year, meta(span).year_from) == (2022, "issued")  # 明年 there is 2023
    old_plan = FrontMatter(title="无锡市2023年数据工作要点", issued=date(2021, 6, 1))
    assert (meta(old_plan).year, meta(old_plan).year_from) == (2021, "issued")
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
    assert (meta(signed, year=2024).year, meta(signed, year=2024).year_from) == (2024, "sidecar")  # stated wins


def test_a_plan_for_next_year_signed_late_in_the_year_before_resolves_against_the_plans_year() -> None:
    late = FrontMatter(title="苏州市2023年数字经济工作要点", issued=date(2022, 12, 28))
    got = meta(late)
    assert (got.year, got.year_from, got.issued) == (2023, "title", date(2022, 12, 28))
    assert got.notes == ["a plan for 2023 (its title) issued on 2022-12-28: deadlines resolve against 2023"]
    traditional = meta(FrontMatter(title="廣東省２０２４年數字政府改革建設工作要點", issued=date(2023, 12, 20)))
    assert (traditional.year, traditional.year_from) == (2024, "title")


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
    from dutygraph.loaders.clauses import load_conventions
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


# ---------------------------------------------------------------------------- web pages of many sites
# Pages built the way each site builds them (layout, site chrome, its information block); the
# expected title, 文号, issuer, date of issue, year and jurisdiction read off the page by hand.


def _page(title: str, chrome_top: str, article: str, chrome_bottom: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"{chrome_top}<div class='article'>{article}</div>{chrome_bottom}</body></html>"
    )


def _ps(*paragraphs: str) -> str:
    """The document's paragraphs in the page's content block."""
    return '<div class="content">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"


JIANGSU = _page(
    "省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知 - 江苏省人民政府",
    '<div class="top"><a>返回首页</a> | <a>设为首页</a> | <a>加入收藏</a> | <a>无障碍</a> | <a>长者模式</a></div>'
    '<div class="crumb">您当前的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>省政府办公厅文件</a></div>'
    "<div class='xxgk'><table>"
    "<tr><td>索 引 号：</td><td>014000319/2023-00056</td><td>分　　类：</td><td>综合政务</td></tr>"
    "<tr><td>发布机构：</td><td>江苏省人民政府办公厅</td><td>发文日期：</td><td>2023-03-20</td></tr>"
    "<tr><td>标　　题：</td><td colspan='3'>省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知</td></tr>"
    "<tr><td>文　　号：</td><td>苏政办发〔2023〕15号</td><td>主 题 词：</td><td></td></tr></table></div>",
    "<h1>省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知</h1>"
    "<div class='info'>发布日期：2023-03-20 来源：省政府办公厅 浏览次数：3562 字号：<a>大</a> <a>中</a> <a>小</a></div>"
    + _ps(
        "苏政办发〔2023〕15号",
        "各设区市人民政府，省各委办厅局，省各直属单位：",
        "　　《江苏省数字政府建设2023年工作要点》已经省人民政府同意，现印发给你们，请认真组织实施。",
        "江苏省人民政府办公厅",
        "2023年3月14日",
        "江苏省数字政府建设2023年工作要点",
        "　　一、重点任务",
        "　　（一）深化“苏服办”总门户建设。年底前，实现高频事项“一网通办”。（省政务办负责）",
    ),
    "<div class='tools'>【<a>打印本页</a>】【<a>关闭窗口</a>】</div>"
    "<div class='footer'>主办单位：江苏省人民政府办公厅 网站标识码：3200000064 苏ICP备05003321号</div>",
)

GUANGDONG = _page(
    "广东省人民政府关于印发广东省数字政府改革建设2023年工作要点的通知_广东省人民政府门户网站",
    "<div class='header'><a>繁体</a> <a>无障碍</a> <a>English</a> <a>登录</a></div>"
    "<div class='position'>当前位置：<a>首页</a> > <a>政务公开</a> > <a>文件库</a></div>"
    "<div class='classify'><table>"
    "<tr><td><label>索引号：</label><span>006939748/2023-00078</span></td><td><label>分类：</label><span>综合政务</span></td></tr>"
    "<tr><td><label>发布机构：</label><span>广东省人民政府</span></td><td><label>成文日期：</label><span>2023-04-18</span></td></tr>"
    "<tr><td><label>文号：</label><span>粤府〔2023〕31号</span></td><td><label>发布日期：</label><span>2023-04-25</span></td></tr>"
    "</table></div>",
    "<h3>广东省人民政府关于印发广东省数字政府改革建设2023年工作要点的通知</h3>"
    "<div class='zw-info'><span>来源：广东省人民政府办公厅</span><span>时间：2023-04-25 17:30:01</span>"
    "<span>字号：<a>大</a> <a>中</a> <a>小</a></span><span>分享到：</span></div>"
    + _ps(
        "粤府〔2023〕31号",
        "各地级以上市人民政府，省政府各部门、各直属机构：",
        "　　现将《广东省数字政府改革建设2023年工作要点》印发给你们，请认真组织实施。",
        "广东省人民政府",
        "2023年4月18日",
        "广东省数字政府改革建设2023年工作要点",
        "　　一、重点任务",
        "　　（一）深化“粤省事”平台建设。第三季度末完成新版上线。（省政务服务数据管理局负责）",
    ),
    "<div class='share'>【<a>打印</a>】【<a>关闭</a>】 浏览量：1024</div>",
)

CHENGDU = _page(
    "成都市人民政府办公厅关于印发成都市2023年智慧蓉城建设工作要点的通知-成都市人民政府门户网站",
    "<div class='top'><a>设为首页</a> <a>加入收藏</a></div>"
    "<div class='location'>您现在的位置：首页 &gt; 政务公开 &gt; 政策文件 &gt; 市政府办公厅文件</div>",
    "<h2>成都市人民政府办公厅关于印发成都市2023年智慧蓉城建设工作要点的通知</h2>"
    "<div class='detail-info'>发布时间：2023-05-10 信息来源：市政府办公厅 【字体：大 中 小】 阅读量：888</div>"
    + _ps(
        "成办发〔2023〕21号",
        "各区（市）县政府，市政府各部门，有关单位：",
        "　　《成都市2023年智慧蓉城建设工作要点》已经市政府同意，现印发给你们，请结合实际认真抓好贯彻落实。",
        "成都市人民政府办公厅",
        "2023年4月28日",
        "成都市2023年智慧蓉城建设工作要点",
        "一、重点任务",
        "（一）建设城市运行管理平台。2023年底前完成一期建设。（市网络理政办负责）",
    ),
    "<div class='bottom'>【<a>打印本页</a>】 【<a>关闭窗口</a>】 【<a>返回顶部</a>】</div>",
)

COUNTY = _page(
    "沛县数字政府建设实施方案_沛县人民政府",
    "<div class='top'>今天是：2024年1月8日 <a>返回首页</a> <a>设为首页</a></div>"
    "<div class='crumb'>当前位置：首页 > 信息公开 > 政府文件</div>",
    "<div class='title'>沛县人民政府办公室关于印发沛县数字政府建设实施方案的通知</div>"
    "<div class='source'>来源：县政府办 作者：县政府办 发布时间：2023-07-03 点击数：216</div>"
    + _ps(
        "沛政办发〔2023〕33号",
        "各镇人民政府，县各有关部门：",
        "　　现将《沛县数字政府建设实施方案》印发给你们，请认真贯彻执行。",
        "沛县人民政府办公室",
        "二〇二三年六月二十九日",  # a signature date in Chinese figures
        "沛县数字政府建设实施方案",
        "一、主要任务",
        "（一）建设县级政务云平台。年底前完成迁移上云。（县大数据中心负责）",
    ),
    "<div class='foot'>版权所有：沛县人民政府 技术支持：某某科技</div>",
)

HUBEI_TRADITIONAL = _page(
    "湖北省人民政府關於印發湖北省數字政府建設總體規劃的通知_湖北省人民政府門戶網站",
    "<div class='top'><a>返回首頁</a> <a>設為首頁</a> <a>简体</a></div>"
    "<div class='crumb'>當前位置：首頁 > 政務公開 > 政府文件</div>"
    "<div class='info'><ul><li><b>索引號：</b>011043/2023-00321</li><li><b>發文機關：</b>湖北省人民政府</li>"
    "<li><b>成文時間：</b>2023年08月02日</li><li><b>發文字號：</b>鄂政發〔2023〕17號</li>"
    "<li><b>標題：</b>湖北省人民政府關於印發湖北省數字政府建設總體規劃的通知</li>"
    "<li><b>發布日期：</b>2023年08月10日</li></ul></div>",
    "<h1>湖北省人民政府關於印發湖北省數字政府建設總體規劃的通知</h1>"
    + _ps(
        "各市、州、縣人民政府，省政府各部門：",
        "　　現將《湖北省數字政府建設總體規劃》印發給你們，請認真組織實施。",
        "湖北省數字政府建設總體規劃",
        "　　一、重點任務",
        "　　（一）建設省級政務雲平台。年底前完成擴容。（牽頭單位：省政務管理辦）",
    ),
    "<div class='tools'>【打印本頁】【關閉窗口】</div>",
)

STATE_COUNCIL = _page(
    "国务院关于加强数字政府建设的指导意见_国务院文件_中国政府网",
    "<div class='topbar'><a>首页</a> | <a>简</a> | <a>繁</a> | <a>EN</a> | <a>登录</a> | <a>无障碍</a></div>"
    "<div class='BreadcrumbNav'><a>首页</a> &gt; <a>政策</a> &gt; <a>国务院文件</a></div>"
    "<div class='policy'><table>"
    "<tr><td>索&nbsp;引&nbsp;号：</td><td>000014349/2022-00058</td><td>主题分类：</td><td>国民经济管理</td></tr>"
    "<tr><td>发文机关：</td><td>国务院</td><td>成文日期：</td><td>2022年06月06日</td></tr>"
    "<tr><td>标　　题：</td><td colspan='3'>国务院关于加强数字政府建设的指导意见</td></tr>"
    "<tr><td>发文字号：</td><td>国发〔2022〕14号</td><td>发布日期：</td><td>2022年06月23日</td></tr>"
    "</table></div>",
    "<h1>国务院关于加强数字政府建设的指导意见</h1>"
    "<div class='pages-date'>2022-06-23 15:08 <span>来源： 中国政府网</span>"
    " <span>【字体：<a>大</a> <a>中</a> <a>小</a>】</span> <span>打印</span></div>"
    + _ps(
        "国发〔2022〕14号",
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "　　加强数字政府建设是适应新一轮科技革命和产业变革趋势的必然要求。现提出以下意见。",
        "　　一、构建数字化履职能力体系",
        "　　（一）强化经济运行大数据监测分析。到2025年，建成经济运行大数据监测分析体系。（国家发展改革委负责）",
        "国务院",
        "2022年6月6日",
        "　　（此件公开发布）",
    ),
    "<div class='editor'>【我要纠错】 责任编辑：李某</div><div class='share'>分享到：<a>微信</a> <a>微博</a></div>"
    "<div class='relevant'><h3>相关稿件</h3><ul><li><a>国务院办公厅关于印发全国一体化政务大数据体系建设指南的通知</a>"
    "</li></ul></div>"
    "<div class='footer'>主办单位：国务院办公厅 运行维护单位：中国政府网运行中心 京ICP备05070218号</div>",
)


@pytest.mark.parametrize(
    ("page", "title", "doc_number", "issuer", "issued", "jurisdiction", "level"),
    [
        # the signature's date, not the page's 发文日期 2023-03-20; the plan, not the notice's title
        (JIANGSU, "江苏省数字政府建设2023年工作要点", "苏政办发〔2023〕15号", "江苏省人民政府办公厅", date(2023, 3, 14),
         "江苏省", "province"),
        (GUANGDONG, "广东省数字政府改革建设2023年工作要点", "粤府〔2023〕31号", "广东省人民政府", date(2023, 4, 18),
         "广东省", "province"),
        (CHENGDU, "成都市2023年智慧蓉城建设工作要点", "成办发〔2023〕21号", "成都市人民政府办公厅", date(2023, 4, 28),
         "成都市", "city"),
        (COUNTY, "沛县数字政府建设实施方案", "沛政办发〔2023〕33号", "沛县人民政府办公室", date(2023, 6, 29),
         "沛县", "county"),
        # traditional: the title as written, the 文号 in its one matching form, the page's 成文時間
        (HUBEI_TRADITIONAL, "湖北省數字政府建設總體規劃", "鄂政发〔2023〕17号", "湖北省人民政府", date(2023, 8, 2),
         "湖北省", "province"),
        (STATE_COUNCIL, "国务院关于加强数字政府建设的指导意见", "国发〔2022〕14号", "国务院", date(2022, 6, 6),
         "中国", "national"),
    ],
)  # fmt: skip
def test_a_web_pages_metadata_comes_from_the_document_not_the_site(
    tmp_path: Path,
    page: str,
    title: str,
    doc_number: str,
    issuer: str,
    issued: date,
    jurisdiction: str,
    level: str,
) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = Extractor().extract_file(path)
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued, doc.year) == (
        title,
        doc_number,
        issuer,
        issued,
        issued.year,
    )
    assert (doc.jurisdiction, doc.level.value if doc.level else None) == (jurisdiction, level)
    assert not [w for w in doc.warnings if "publication date" in w or "no date of issue" in w]
    chrome = ("返回首页", "设为首页", "浏览", "当前位置", "您当前的位置", "您现在的位置", "字号", "字体",
              "打印", "关闭", "分享到", "责任编辑", "索引号", "来源", "ICP备", "相关稿件", "返回首頁",
              "當前位置", "索引號", "今天是")  # fmt: skip
    assert not [c for c in chrome if c in doc.text.replace(" ", "")]  # the text read from the page
    assert doc.tasks and all(t.milestones for t in doc.tasks)


def test_a_page_titled_only_with_the_sites_name_gives_no_title_rather_than_the_site(tmp_path: Path) -> None:
    page = _page(
        "南京市江宁区人民政府",
        "<div class='top'>欢迎访问南京市江宁区人民政府网站 <a>无障碍阅读</a></div>"
        "<div class='crumb'>首页 &gt;&gt; 政务公开 &gt;&gt; 区政府文件</div>",
        "<div class='attr'><span>发布日期：2023-09-12</span> <span>来源：区政府办公室</span></div>"
        + _ps(
            "　　为加快数字政府建设，制定本行动计划。",
            "　　一、主要任务",
            "　　（一）建设区级政务数据中台。2024年底前完成建设。（区大数据管理中心负责）",
            "南京市江宁区人民政府",
            "2023年9月8日",
        ),
        "<div class='prenext'><p>上一篇：<a>关于印发江宁区2023年优化营商环境工作要点的通知</a></p></div>",
    )
    path = tmp_path / "jiangning.html"
    path.write_text(page, encoding="utf-8")
    doc = Extractor().extract_file(path)
    assert doc.title is None  # the site's name is no title; the next article's title neither
    assert (doc.issuer, doc.issued, doc.year) == ("南京市江宁区人民政府", date(2023, 9, 8), 2023)
    assert (doc.jurisdiction, doc.level.value if doc.level else None) == ("南京市江宁区", "county")
    assert [(m.expression, m.due) for t in doc.tasks for m in t.milestones] == [("2024年底前", date(2024, 12, 31))]


@pytest.mark.parametrize(
    ("name", "is_name"),
    [
        ("南京市江宁区人民政府", True),
        ("浙江省人民政府办公厅文件", True),
        ("湖北省人民政府门户网站", True),
        ("湖北省人民政府門戶網站", True),
        ("中国政府网", True),
        ("无锡市大数据管理局", True),
        ("江宁区数字政府建设三年行动计划（2023—2025年）", False),
        ("国务院关于加强数字政府建设的指导意见", False),
        ("苏州市2023年数字经济工作要点", False),
    ],
)
def test_a_bodys_or_sites_name_is_never_a_title(name: str, is_name: bool) -> None:
    assert is_a_name(name) is is_name


# ---------------------------------------------------------------------------- jurisdiction clues


@pytest.mark.parametrize(
    ("title", "doc_number", "issuer", "jurisdiction", "level"),
    [
        # the 文号 prefix names the place when the issuer and title are relative
        ("关于印发数字政府建设2023年工作要点的通知", "苏政办发〔2023〕15号", "省政府办公厅", "江苏省", "province"),
        ("关于印发数字政府建设工作方案的通知", "鄂政办发〔2023〕18号", "省政府办公厅", "湖北省", "province"),
        ("关于印发数字政府建设实施方案的通知", "锡政办发〔2023〕8号", "市政府办公室", "无锡市", "city"),
        ("关于印发数字政府建设实施方案的通知", "穗府办〔2023〕3号", "市政府办公厅", "广州市", "city"),
        ("关于印发智慧蓉城建设工作要点的通知", "成办发〔2023〕21号", "市政府办公厅", "成都市", "city"),
        ("关于印发数字政府建设实施方案的通知", "江宁政办发〔2023〕12号", "区政府办公室", "南京市江宁区", "county"),
        ("国务院办公厅关于印发数字政务协同推进方案的通知", "国办发〔2023〕5号", "国务院办公厅", "中国", "national"),
        # no 文号: the issuer's name, or the title's
        ("关于印发数字政府建设实施方案的通知", "", "江宁区人民政府办公室", "南京市江宁区", "county"),
        ("武汉市人民政府关于印发数字政府建设实施方案的通知", "", "", "武汉市", "city"),
    ],
)
def test_the_jurisdiction_at_every_level_from_the_front_matter(
    tmp_path: Path, title: str, doc_number: str, issuer: str, jurisdiction: str, level: str
) -> None:
    front = "\n".join(line for line in (title, doc_number) if line)
    signature = f"{issuer}\n" if issuer else ""
    text = (
        f"{front}\n各有关单位：\n　　现将《数字政府建设实施方案》印发给你们，请认真贯彻执行。\n"
        f"{signature}2023年6月29日\n"
        "数字政府建设实施方案\n一、主要任务\n（一）建设政务云平台。年底前完成迁移上云。（大数据中心负责）\n"
    )
    doc = Extractor().extract_file(make_txt(tmp_path / "plan.txt", text))
    assert (doc.title, doc.issued, doc.year) == ("数字政府建设实施方案", date(2023, 6, 29), 2023)
    assert (doc.jurisdiction, doc.level.value if doc.level else None) == (jurisdiction, level)


# ---------------------------------------------------------------------------- issuer without a signature


def test_with_no_signature_the_issuer_is_the_body_the_notices_title_names(tmp_path: Path) -> None:
    text = (
        "湖北省教育厅关于印发《2023年全省教育数字化工作要点》的通知\n鄂教科〔2023〕4号\n各市、州教育局：\n"
        "　　现将《2023年全省教育数字化工作要点》印发给你们，请认真贯彻执行。\n"
        "2023年全省教育数字化工作要点\n一、重点任务\n（一）建设教育专网。年底前完成。（省教育厅负责）\n"
    )
    doc = Extractor().extract_file(make_txt(tmp_path / "hb.txt", text))
    assert (doc.title, doc.issuer, doc.issued, doc.year) == ("2023年全省教育数字化工作要点", "湖北省教育厅", None, 2023)
    assert doc.jurisdiction == "湖北省"


def test_a_traditional_opinions_title_names_its_issuer_as_written() -> None:
    got = meta(FrontMatter(), {"heading": "國務院關於加強數字政府建設的指導意見"})
    assert got.issuer == "國務院"
    assert meta(FrontMatter(), {"heading": "关于印发数字政府建设工作方案的通知"}).issuer is None


def test_an_issuer_and_its_date_on_one_line_sign_the_plan(tmp_path: Path) -> None:
    text = (
        "无锡市数据工作方案\n一、重点任务\n（一）建设数据底座。年底前完成。（市大数据局负责）\n"
        "无锡市人民政府办公室　2023年3月14日\n"
    )
    doc = Extractor().extract_file(make_txt(tmp_path / "wx.txt", text))
    assert (doc.issuer, doc.issued, doc.year, doc.jurisdiction) == (
        "无锡市人民政府办公室",
        date(2023, 3, 14),
        2023,
        "无锡市",
    )


# ---------------------------------------------------------------------------- site chrome lines


@pytest.mark.parametrize(
    "line",
    [
        "上一篇：关于印发江宁区2023年优化营商环境工作要点的通知",  # another document's title
        "下一篇：江宁区人民政府关于公布2023年区级行政许可事项清单的通知",
        "今天是2024年1月8日 星期一",
        "欢迎访问南京市江宁区人民政府网站",
        "【责任编辑：王某】",
        "相关稿件",
        "请输入关键字 搜索",
        "政务微博 政务微信 手机版",
        "网站标识码：3200000064",
        "版权所有：沛县人民政府",
        "【打印本頁】【關閉窗口】",
    ],
)
def test_more_lines_of_site_chrome(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("发布日期：2023-03-20 来源：省政府办公厅 浏览次数：3562 字号：大 中 小", "information"),
        ("作者：县政府办 发布时间：2023-07-03 点击数：216", "information"),
        ("责任编辑：李某", "information"),
        ("来源:电子政务网 更新时间:2023-01-05", "info"),  # stays: a web copy's line, as seed 003 carries it
        ("发布日期：2023-03-20", "info"),
    ],
)
def test_a_pages_counters_and_editor_make_its_info_line_page_metadata(line: str, kind: str | None) -> None:
    assert PageFields().take_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "主办单位：省发展改革委；协办单位：省财政厅",
        "附件：1.重点任务分工表",
        "（一）加强组织领导。各地各部门要高度重视。",
    ],
)
def test_document_lines_that_look_like_chrome_are_kept(line: str) -> None:
    assert not is_chrome_line(line)


def test_a_source_line_above_the_plan_is_not_its_title(tmp_path: Path) -> None:
    page = _page(
        "武汉市人民政府门户网站",
        "<div class='crumb'>当前位置：首页 > 政务公开 > 市政府文件</div>",
        _ps(
            "来源：武汉市人民政府办公厅 发布时间：2023-05-10",
            "武汉市数字政府建设2023年工作要点",
            "一、重点任务",
            "（一）建设城市大脑。9月底前完成一期上线。（市政务服务局负责）",
            "武汉市人民政府办公厅",
            "2023年5月6日",
        ),
        "<div class='prenext'><p>上一篇：<a>武汉市人民政府关于印发武汉市优化营商环境若干措施的通知</a></p>"
        "<p>下一篇：<a>关于做好2023年防汛工作的通知</a></p></div><div>【责任编辑：张某】</div>",
    )
    path = tmp_path / "wuhan.html"
    path.write_text(page, encoding="utf-8")
    doc = Extractor().extract_file(path)
    assert (doc.title, doc.issuer, doc.issued, doc.jurisdiction) == (
        "武汉市数字政府建设2023年工作要点",
        "武汉市人民政府办公厅",
        date(2023, 5, 6),
        "武汉市",
    )
    assert "上一篇" not in doc.text and "优化营商环境" not in doc.text and "责任编辑" not in doc.text


def test_a_notices_heading_without_its_notice_gives_the_plan_it_publishes_as_the_title() -> None:
    got = meta(FrontMatter(), {"heading": "省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知"})
    assert (got.title, got.issuer, got.year) == ("江苏省数字政府建设2023年工作要点", "省政府办公厅", 2023)
    traditional = meta(FrontMatter(), {"heading": "成都市人民政府辦公廳關於印發《成都市智慧蓉城建設工作要點》的通知"})
    assert (traditional.title, traditional.issuer) == ("成都市智慧蓉城建設工作要點", "成都市人民政府辦公廳")
    opinion = meta(FrontMatter(), {"heading": "国务院关于加强数字政府建设的指导意见"})
    assert (opinion.title, opinion.issuer) == ("国务院关于加强数字政府建设的指导意见", "国务院")


def test_the_printing_line_gives_date_and_office_only_when_the_plan_is_not_signed(tmp_path: Path) -> None:
    body = "无锡市数据工作方案\n一、重点任务\n（一）建设数据底座。年底前完成。（市大数据局负责）\n"
    printed = "抄送：市委办公室。\n无锡市人民政府办公室　　2023年3月15日印发\n"
    unsigned = Extractor().extract_file(make_txt(tmp_path / "a.txt", body + printed))
    assert (unsigned.issuer, unsigned.issued, unsigned.jurisdiction) == (
        "无锡市人民政府办公室",
        date(2023, 3, 15),
        "无锡市",
    )
    signed = Extractor().extract_file(make_txt(tmp_path / "b.txt", body + "无锡市人民政府\n2023年3月10日\n" + printed))
    assert (signed.issuer, signed.issued) == ("无锡市人民政府", date(2023, 3, 10))


def test_a_notice_that_names_its_plan_without_book_title_marks_gives_the_plan(tmp_path: Path) -> None:
    text = (
        "省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知\n苏政办发〔2023〕15号\n各设区市人民政府：\n"
        "　　现将江苏省数字政府建设2023年工作要点印发给你们，请认真组织实施。\n江苏省人民政府办公厅\n2023年3月14日\n"
        "江苏省数字政府建设2023年工作要点\n一、重点任务\n（一）建设平台。年底前完成。（省政务办负责）\n"
    )
    doc = Extractor().extract_file(make_txt(tmp_path / "js.txt", text))
    assert (doc.title, doc.doc_number, doc.issuer, doc.issued) == (
        "江苏省数字政府建设2023年工作要点",
        "苏政办发〔2023〕15号",
        "江苏省人民政府办公厅",
        date(2023, 3, 14),
    )
