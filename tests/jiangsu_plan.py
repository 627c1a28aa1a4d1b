"""One plan in 江苏 style, printed on two pages, and what extraction must find in it (written by
hand): the document every archive format is tested with (.doc, .wps, .ofd, .xls, scans).

Page 1 is the notice (red head, 文号, the issuer and date under a red seal), page 2 the plan
with five tasks under three headings, in the two markings the grammar reads today:
``（牵头单位：A；配合单位：B、C）`` and a ``责任单位：A、B（列第一位的为牵头单位）`` line.
"""

from __future__ import annotations

from datetime import date

from archivemakers import PrintedPage

TITLE = "江苏省数字政府建设2023年工作要点"
DOC_NUMBER = "苏政办发〔2023〕27号"
ISSUED = date(2023, 3, 15)

NOTICE = PrintedPage(
    red_head="江苏省人民政府办公厅文件",
    paragraphs=(
        DOC_NUMBER,
        "省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知",
        "各设区市人民政府，省各委办厅局，省各直属单位：",
        "　　《江苏省数字政府建设2023年工作要点》已经省人民政府同意，现印发给你们，请认真组织实施。",
        "→江苏省人民政府办公厅",
        "→2023年3月15日",
    ),
    centred=frozenset({DOC_NUMBER, "省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知"}),
    seal="江苏省人民政府办公厅",
)

PLAN = PrintedPage(
    paragraphs=(
        TITLE,
        "一、夯实数字基础设施",
        "　　（一）推进政务云平台整合。6月底前，完成省级部门非涉密业务系统迁移上云。"
        "（牵头单位：省大数据管理中心；配合单位：省发展改革委、省财政厅）",
        "　　（二）建设全省一体化公共数据平台。年底前，实现省市两级数据共享交换全覆盖。"
        "（牵头单位：省政务服务管理办公室；配合单位：省工业和信息化厅、省公安厅）",
        "二、提升政务服务效能",
        "　　（三）深化“一网通办”改革。9月底前，高频政务服务事项全程网办率达到85%。",
        "　　责任单位：省政务服务管理办公室、省司法厅、省人力资源社会保障厅（列第一位的为牵头单位）",
        "　　（四）推行惠企政策免申即享。上半年，梳理发布首批免申即享政策清单。"
        "（牵头单位：省工业和信息化厅；配合单位：省市场监管局、省税务局）",
        "三、强化安全保障",
        "　　（五）健全数据安全管理制度。第三季度末前，出台公共数据分类分级管理办法。",
        "　　责任单位：省委网信办、省公安厅、省国家保密局（列第一位的为牵头单位）",
    ),
    centred=frozenset({TITLE}),
)

PAGES = (NOTICE, PLAN)


def paragraphs() -> list[str]:
    """The plan as a word processor holds it: one paragraph per line, the red head first."""
    out: list[str] = []
    for page in PAGES:
        if page.red_head:
            out.append(page.red_head)
        out.extend(p.removeprefix("→") for p in page.paragraphs)
    return out


# (task title, unit as written, role) for every assignment, in document order.
TRIPLES = [
    ("推进政务云平台整合", "省大数据管理中心", "lead"),
    ("推进政务云平台整合", "省发展改革委", "support"),
    ("推进政务云平台整合", "省财政厅", "support"),
    ("建设全省一体化公共数据平台", "省政务服务管理办公室", "lead"),
    ("建设全省一体化公共数据平台", "省工业和信息化厅", "support"),
    ("建设全省一体化公共数据平台", "省公安厅", "support"),
    ("深化“一网通办”改革", "省政务服务管理办公室", "lead"),
    ("深化“一网通办”改革", "省司法厅", "support"),
    ("深化“一网通办”改革", "省人力资源社会保障厅", "support"),
    ("推行惠企政策免申即享", "省工业和信息化厅", "lead"),
    ("推行惠企政策免申即享", "省市场监管局", "support"),
    ("推行惠企政策免申即享", "省税务局", "support"),
    ("健全数据安全管理制度", "省委网信办", "lead"),
    ("健全数据安全管理制度", "省公安厅", "support"),
    ("健全数据安全管理制度", "省国家保密局", "support"),
]

TASKS = list(dict.fromkeys(title for title, _, _ in TRIPLES))

# The deadline of each task, resolved against the year of issue (2023).
DEADLINES = {
    "推进政务云平台整合": [date(2023, 6, 30)],
    "建设全省一体化公共数据平台": [date(2023, 12, 31)],
    "深化“一网通办”改革": [date(2023, 9, 30)],
    "推行惠企政策免申即享": [date(2023, 6, 30)],
    "健全数据安全管理制度": [date(2023, 9, 30)],
}

UNITS = sorted({unit for _, unit, _ in TRIPLES})

# The same plan as a 任务分工表 workbook (.xlsx / .xls): a title row, the header, one row per
# task; 重点任务 merged down the rows of its measures, two units in one cell on two lines.
TABLE_TITLE = "江苏省数字政府建设2023年重点任务分工表"
TABLE_HEADERS = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
TABLE_ROWS = [
    [1, "夯实数字基础设施", "推进政务云平台整合", "省大数据管理中心", "省发展改革委、省财政厅", "2023年6月底前"],
    [2, None, "建设全省一体化公共数据平台", "省政务服务管理办公室", "省工业和信息化厅\n省公安厅", "2023年年底前"],
    [
        3,
        "提升政务服务效能",
        "深化“一网通办”改革",
        "省政务服务管理办公室",
        "省司法厅、省人力资源社会保障厅",
        "2023年9月底前",
    ],
]
TABLE_MERGES = ["B3:B4"]
TABLE_TRIPLES = [
    ("推进政务云平台整合", "省大数据管理中心", "lead"),
    ("推进政务云平台整合", "省发展改革委", "support"),
    ("推进政务云平台整合", "省财政厅", "support"),
    ("建设全省一体化公共数据平台", "省政务服务管理办公室", "lead"),
    ("建设全省一体化公共数据平台", "省工业和信息化厅", "support"),
    ("建设全省一体化公共数据平台", "省公安厅", "support"),
    ("深化“一网通办”改革", "省政务服务管理办公室", "lead"),
    ("深化“一网通办”改革", "省司法厅", "support"),
    ("深化“一网通办”改革", "省人力资源社会保障厅", "support"),
]
TABLE_DEADLINES = {
    "推进政务云平台整合": [date(2023, 6, 30)],
    "建设全省一体化公共数据平台": [date(2023, 12, 31)],
    "深化“一网通办”改革": [date(2023, 9, 30)],
}
