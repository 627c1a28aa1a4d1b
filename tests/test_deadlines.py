"""Deadlines inside a task → milestones (loaders/deadlines.py).

Sentences from the seed plans (Zhejiang, Shaoxing) and, for issue 11, written here in the
styles of the State Council, Jiangsu, Hubei, Guangdong, Chengdu, Wuhan, Nanjing's Jiangning
district and a county, simplified and traditional; every expected date worked out by hand."""

from __future__ import annotations

import doctest
from datetime import date
from pathlib import Path

import pytest

from dutygraph.loaders import deadlines
from dutygraph.loaders.deadlines import find_milestones
from dutygraph.loaders.extract import Extractor
from dutygraph.model import Document

# Real sentences, 浙政办发〔2019〕17号 (seed 001, a 2019 document).
CREDIT = (
    "推进公共信用平台建设应用。6月底前,企业、自然人、社会组织、事业单位、政府机构5类主体的"
    "公共信用数据归集覆盖率达到100%,迭代完善公共信用评价、信用档案和红黑名单信用产品。"
    "加快推动信用信息应用嵌入行政管理事项,6月底前,实现与省市两级行政权力运行系统、全省统一"
    "执法监管平台互联互通,在行政审批、行政监管、公共服务、公共资源交易和国家工作人员招录、"
    "表彰奖励等事项全面应用公共信用产品。"
)
CULTURE = (
    "打造一体化文化和旅游管理服务平台,6月底前,全域旅游信息服务系统实现全省全覆盖;"
    "11底前,实现文化和旅游资源一张图导览。(责任单位:省文化和旅游厅)"
)
ENFORCEMENT = (
    "加快建设统一行政执法监管系统。6月底前,全面完成执法检查事项清单、风险监测预警事项清单梳理,"
    "基本建立执法检查、监测预警和决策支持三大核心模块。9月底前,完成平台试运行。全面推广平台应用,"
    "实现与国家“互联网+监管”系统对接联通。"
)
HEALTH_PDF = (
    "加快“互联网 + 医疗医保”建设。3 月底前,启用浙江省互联网医院平台,支持医疗机构在线开展"
    "“互联网 + 医疗”服务;9 月底前,实现远程医疗服务市县全覆盖;全面推广应用居民电子健康卡。"
    "10 月底前,实现居民电子健康卡与电子社(医)保卡两卡融合、一网通办。"
)
# Seed 003, 绍兴市 2022.
SAFETY = (
    "9.强化公共安全保障。推进智慧应急建设,深化自然灾害、安全生产、道路交通等数字化场景,"
    "加快打造“火灾事故调查数字化”,深化推广“风雨哨兵”等应用,到2025年,市、县两级应急联动部门"
    "预警信息共享率达到100%。"
)
ECONOMY = (
    "(一)撬动数字经济发展。加速数字产业化和产业数字化,做大做强特色数字产业链(群)。"
    "到2025年,数字经济核心产业增加值突破400亿元,产业数字化水平持续保持全省前列。"
    "持续优化营商环境,更好发挥数字经济发展活力。力争到2025年,建成智能制造示范集群10个,"
    "分行业产业大脑10个,新增数字化园区50个。"
)
MEDIATION = (
    "7.强化社会矛盾化解。持续推进“浙江解纷码”应用系统建设,开发建设数智“枫桥经验”综合集成应用。"
    "持续优化矛调“枫桥经验”应用系统,持续推进镇级矛盾纠纷调处化解中心有效运作。"
)


def dues(text: str, year: int | None) -> list[str | None]:
    return [m.due.isoformat() if m.due else None for m in find_milestones(text, year)[0]]


def only(text: str, year: int | None) -> deadlines.Milestone:
    milestones, _ = find_milestones(text, year)
    assert len(milestones) == 1, milestones
    return milestones[0]


# --- the examples and the period words --------------------------------


@pytest.mark.parametrize(
    ("text", "year", "expression", "due"),
    [
        ("6月底前,完成执法检查事项清单梳理。", 2019, "6月底前", "2019-06-30"),
        ("4月中旬前,实现省级部门在线分析经济形势。", 2019, "4月中旬前", "2019-04-20"),
        ("4月15日前,各地、各部门制定年度工作实施方案。", 2019, "4月15日前", "2019-04-15"),
        ("11底前,实现文化和旅游资源一张图导览。", 2019, "11底前", "2019-11-30"),
        ("到2025年,基本实现政府履职核心业务数字化全覆盖。", 2022, "到2025年", "2025-12-31"),
        ("到2021年8月底前,数字政府综合应用上线运行。", 2019, "到2021年8月底前", "2021-08-31"),
        ("2021年8月底前,数字政府综合应用上线运行。", 2019, "2021年8月底前", "2021-08-31"),
        ("2024年9月底前,完成平台建设。", 2022, "2024年9月底前", "2024-09-30"),
        ("4月上旬前,完成方案编制。", 2019, "4月上旬前", "2019-04-10"),
        ("4月下旬前,完成方案编制。", 2019, "4月下旬前", "2019-04-30"),
        ("6月末前,完成方案编制。", 2019, "6月末前", "2019-06-30"),
        ("年底前,完成方案编制。", 2019, "年底前", "2019-12-31"),
        ("今年底前,完成方案编制。", 2019, "今年底前", "2019-12-31"),
        ("明年底前,全面推广。", 2019, "明年底前", "2020-12-31"),
        ("2021年底前,高质量完成各项目标任务。", 2019, "2021年底前", "2021-12-31"),
        ("到2025年底前,基本建成现代政府。", 2021, "到2025年底前", "2025-12-31"),
        ("2025年前,全面建成。", 2021, "2025年前", "2025-12-31"),
        ("上半年,完成试点。", 2019, "上半年", "2019-06-30"),
        ("2020年下半年,全面推广。", 2019, "2020年下半年", "2020-12-31"),
        ("一季度,完成试点。", 2019, "一季度", "2019-03-31"),
        ("第一季度末前,完成试点。", 2019, "第一季度末前", "2019-03-31"),
        ("二季度,完成试点。", 2019, "二季度", "2019-06-30"),
        ("第三季度前,完成试点。", 2019, "第三季度前", "2019-09-30"),
        ("四季度,完成试点。", 2019, "四季度", "2019-12-31"),
        ("6月底之前,完成清单梳理。", 2019, "6月底之前", "2019-06-30"),
        ("6月底以前,完成清单梳理。", 2019, "6月底以前", "2019-06-30"),
        ("9月30日以前,完成清单梳理。", 2019, "9月30日以前", "2019-09-30"),
        ("9月30日之前,完成清单梳理。", 2019, "9月30日之前", "2019-09-30"),
        ("到6月底,完成清单梳理。", 2019, "到6月底", "2019-06-30"),
        ("到2025年6月,建成智能制造示范集群。", 2022, "到2025年6月", "2025-06-30"),
        ("十二月底前,完成清单梳理。", 2019, "十二月底前", "2019-12-31"),
        ("十一月十五日前,完成清单梳理。", 2019, "十一月十五日前", "2019-11-15"),
        ("到二〇三五年,基本实现现代化。", 2021, "到二〇三五年", "2035-12-31"),
    ],
)
def test_deadline_expressions(text: str, year: int, expression: str, due: str) -> None:
    m = only(text, year)
    assert m.expression == expression
    assert m.due == date.fromisoformat(due)
    assert m.text.startswith(expression)


def test_leap_years() -> None:
    assert dues("2月底前,完成。", 2020) == ["2020-02-29"]
    assert dues("2月底前,完成。", 2019) == ["2019-02-28"]
    assert dues("2月下旬前,完成。", 2024) == ["2024-02-29"]
    assert dues("2020年2月29日前,完成。", 2019) == ["2020-02-29"]
    assert dues("2019年2月29日前,完成。", 2019) == []  # no such day: not a deadline


def test_pdf_spacing_is_kept_in_the_expression() -> None:
    m = only("6 月底前,实现“单一窗口”企业申报反馈平台全功能上线。", 2019)
    assert (m.expression, m.due) == ("6 月底前", date(2019, 6, 30))
    m = only("2019 年 11 月底前,初步建成通关时效评估平台。", 2018)
    assert (m.expression, m.due) == ("2019 年 11 月底前", date(2019, 11, 30))
    m = only("到 2035 年,数字化驱动政府深化改革。", 2021)
    assert (m.expression, m.due) == ("到 2035 年", date(2035, 12, 31))
    assert dues(HEALTH_PDF, 2019) == ["2019-03-31", "2019-09-30", "2019-10-31"]


def test_full_width_punctuation() -> None:
    ms, _ = find_milestones("6月底前，完成清单梳理；9月底前，完成平台试运行。全面推广。", 2019)
    assert [m.text for m in ms] == ["6月底前，完成清单梳理", "9月底前，完成平台试运行。全面推广"]


# --- the governed text --------------------------------------------------------


def test_multi_step_task_one_milestone_per_step() -> None:
    text = "6月底前,完成执法检查事项清单梳理。9月底前,完成平台试运行。全面推广平台应用。"
    ms, notes = find_milestones(text, 2019)
    assert [(m.due, m.expression) for m in ms] == [
        (date(2019, 6, 30), "6月底前"),
        (date(2019, 9, 30), "9月底前"),
    ]
    assert ms[0].text == "6月底前,完成执法检查事项清单梳理"
    # The rule: a step governs until the next deadline; undated sentences after the
    # last deadline stay with it.
    assert ms[1].text == "9月底前,完成平台试运行。全面推广平台应用"
    assert notes == []


def test_undated_sentences_between_steps_stay_with_the_previous_step() -> None:
    ms, _ = find_milestones("6月底前,完成A。推进B。9月底前,完成C。", 2019)
    assert [m.text for m in ms] == ["6月底前,完成A。推进B", "9月底前,完成C"]


def test_lead_in_of_the_next_step_is_not_given_to_the_previous_one() -> None:
    ms, _ = find_milestones(CREDIT, 2019)
    assert [m.due for m in ms] == [date(2019, 6, 30), date(2019, 6, 30)]
    assert ms[0].text.startswith("6月底前,企业、自然人")
    assert ms[0].text.endswith("信用档案和红黑名单信用产品")
    assert "加快推动" not in ms[0].text
    assert ms[1].text.startswith("6月底前,实现与省市两级行政权力运行系统")
    assert ms[1].text.endswith("表彰奖励等事项全面应用公共信用产品")
    # a step inside one sentence ends at the ; before the next deadline
    ms, _ = find_milestones(HEALTH_PDF, 2019)
    assert ms[0].text == "3 月底前,启用浙江省互联网医院平台,支持医疗机构在线开展“互联网 + 医疗”服务"
    assert ms[1].text == "9 月底前,实现远程医疗服务市县全覆盖;全面推广应用居民电子健康卡"


def test_steps_in_one_sentence_without_a_stop_between() -> None:
    ms, _ = find_milestones("6月底前完成试点和9月底前完成推广", 2019)
    assert [m.text for m in ms] == ["6月底前完成试点和", "9月底前完成推广"]


def test_seed_culture_platform_with_11_typo() -> None:
    ms, notes = find_milestones(CULTURE, 2019)
    assert [(m.expression, m.due) for m in ms] == [
        ("6月底前", date(2019, 6, 30)),
        ("11底前", date(2019, 11, 30)),
    ]
    assert ms[0].text == "6月底前,全域旅游信息服务系统实现全省全覆盖"
    # the responsibility clause is not part of the step
    assert ms[1].text == "11底前,实现文化和旅游资源一张图导览"
    assert notes == []


def test_seed_enforcement_system() -> None:
    ms, _ = find_milestones(ENFORCEMENT, 2019)
    assert dues(ENFORCEMENT, 2019) == ["2019-06-30", "2019-09-30"]
    assert ms[1].text == "9月底前,完成平台试运行。全面推广平台应用,实现与国家“互联网+监管”系统对接联通"


def test_seed_2022_targets() -> None:
    m = only(SAFETY, 2022)
    assert (m.expression, m.due) == ("到2025年", date(2025, 12, 31))
    assert m.text == "到2025年,市、县两级应急联动部门预警信息共享率达到100%"
    ms, _ = find_milestones(ECONOMY, 2022)
    assert [(m.expression, m.due) for m in ms] == [
        ("到2025年", date(2025, 12, 31)),
        ("到2025年", date(2025, 12, 31)),
    ]
    assert ms[0].text.endswith("更好发挥数字经济发展活力")
    assert ms[1].text.startswith("到2025年,建成智能制造示范集群10个")


def test_responsibility_clause_split_by_a_line_break() -> None:
    m = only("10月底前,推广应用。(责\n任单位:省大数据局)", 2019)
    assert m.text == "10月底前,推广应用"


def test_bracketed_deadline() -> None:
    ms, _ = find_milestones("于2019年12月底前完成A(2019年底前完成B)。", 2018)
    assert [m.text for m in ms] == ["2019年12月底前完成A", "2019年底前完成B"]


# --- offsets ------------------------------------------------------------------


@pytest.mark.parametrize("text", [CREDIT, CULTURE, ENFORCEMENT, HEALTH_PDF, SAFETY, ECONOMY])
def test_offsets_point_at_the_governed_text(text: str) -> None:
    ms, _ = find_milestones(text, 2019)
    assert ms
    for m in ms:
        assert text[m.start : m.end] == m.text
        assert m.text.startswith(m.expression)
    shifted, _ = find_milestones(text, 2019, offset=100)
    assert [(m.start - 100, m.end - 100, m.text) for m in shifted] == [(m.start, m.end, m.text) for m in ms]
    document = "x" * 100 + text
    for m in shifted:
        assert document[m.start : m.end] == m.text


def test_milestones_are_in_text_order() -> None:
    ms, _ = find_milestones("第一季度末前,完成;6月底前,推进;2020年上半年,实现;年底前,推广。", 2019)
    assert [m.expression for m in ms] == ["第一季度末前", "6月底前", "2020年上半年", "年底前"]
    assert [m.start for m in ms] == sorted(m.start for m in ms)


# --- no-date notes ------------------------------------------------------------


def test_no_date_expressions_are_notes_not_dates() -> None:
    ms, notes = find_milestones("年内完成试点。长期坚持,持续推进。年内全面推广,持续推进。", 2019)
    assert ms == []
    assert notes == ["年内", "长期坚持", "持续推进"]


def test_notes_as_written() -> None:
    text = "三年内完成,逐年提高,每年开展评估,常态化推进,长期保持,中长期规划,长期以来,2019年内部审计。"
    ms, notes = find_milestones(text, 2019)
    assert ms == []
    assert notes == ["三年内", "逐年", "每年", "常态化推进", "长期"]


def test_notes_alongside_milestones() -> None:
    ms, notes = find_milestones(MEDIATION, 2022)
    assert ms == []
    assert notes == ["持续推进"]
    ms, notes = find_milestones("持续推进平台建设,6月底前,完成试点;年内全面推广。", 2019)
    assert [m.expression for m in ms] == ["6月底前"]
    assert notes == ["持续推进", "年内"]


def test_recurring_periods_get_no_date() -> None:
    ms, notes = find_milestones("每年6月底前报送进展情况,每年底前开展评估,每季度通报。", 2019)
    assert ms == []
    assert notes == ["每年", "每季度"]


# --- not deadlines ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "纳入2019年度绩效考核。",
        "新增数字化园区3个以上,直接答复率达到85%以上。",
        "建成第五代移动通信(5G)基站2万个以上。",
        "2019年3月29日",
        "浙江省人民政府办公厅\n2021年6月4日",
        "截至6月底,已完成80%。",
        "截止到2020年底,累计建成100个。",
        "6月30日前后召开推进会。",
        "规划期限为2021—2025年,展望至2035年。",
        "2021年至2025年,开展专项行动。",
        "3月至6月,开展专项行动。",
        "6月前完成。",
        "实施“十四五”规划,建设11个设区市平台。",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert find_milestones(text, 2019)[0] == []


def test_book_titles_are_ignored() -> None:
    text = "根据《浙江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》精神,到2035年,建成现代政府。"
    m = only(text, 2021)
    assert (m.expression, m.due) == ("到2035年", date(2035, 12, 31))
    assert find_milestones("贯彻《关于到2025年底前完成改革的意见》。", 2021) == ([], [])
    # a title broken over lines by PDF extraction
    assert find_milestones("《2019年浙江省数字化转型\n工作要点(到2020年底前)》已经同意。", 2019)[0] == []


def test_range_end_with_suffix_is_still_a_deadline() -> None:
    m = only("3月至6月底前,开展专项行动。", 2019)
    assert (m.expression, m.due) == ("6月底前", date(2019, 6, 30))


def test_first_quarters_keep_their_year() -> None:
    m = only("2019年前三季度,完成投资80%。", 2018)
    assert (m.expression, m.due) == ("2019年前三季度", date(2019, 9, 30))


# --- no document year ---------------------------------------------------------


def test_year_none() -> None:
    ms, notes = find_milestones("6月底前,完成试点。到2025年,全面建成。年内推广。", None)
    assert [(m.expression, m.due) for m in ms] == [("6月底前", None), ("到2025年", date(2025, 12, 31))]
    assert ms[0].text == "6月底前,完成试点"
    assert notes == ["6月底前", "年内"]
    ms, notes = find_milestones("2021年8月底前,上线运行。", None)
    assert ms[0].due == date(2021, 8, 31)
    assert notes == []


def test_deadline_far_into_a_long_statement() -> None:
    prose = "深化平台应用,推进数据共享。" * 60
    text = prose + "到 年底,完成试点。" + prose + "12月31日前,全面推广。"
    ms, _ = find_milestones(text, 2019)
    assert [(m.expression, m.due) for m in ms] == [
        ("到 年底", date(2019, 12, 31)),
        ("12月31日前", date(2019, 12, 31)),
    ]
    assert ms[0].start == len(prose)
    assert ms[0].text == "到 年底,完成试点。" + prose.rstrip("。")
    assert text[ms[1].start : ms[1].end] == "12月31日前,全面推广"


def test_full_width_digits() -> None:
    m = only("６月底前,完成试点。", 2019)
    assert (m.expression, m.due) == ("６月底前", date(2019, 6, 30))


def test_empty_and_plain_text() -> None:
    assert find_milestones("", 2019) == ([], [])
    assert find_milestones("加快建设统一行政执法监管系统。", 2019) == ([], [])


# --- vocabulary and module ------------------------------------------------------


def test_vocabulary_is_data_and_compiled_once() -> None:
    assert deadlines.DATA_FILE.name == "deadlines.yaml"
    assert deadlines.DATA_FILE.is_file()
    assert deadlines._grammar() is deadlines._grammar()


def test_docstring_examples() -> None:
    result = doctest.testmod(deadlines)
    assert result.attempted > 0
    assert result.failed == 0


# --- relative deadlines (issue 11): resolved against the document's year ----------


@pytest.mark.parametrize(
    ("text", "year", "expression", "due"),
    [
        ("7月份完成平台上线。", 2023, "7月份", "2023-07-31"),
        ("明年7月份完成平台上线。", 2023, "明年7月份", "2024-07-31"),
        ("明年7月份前完成平台上线。", 2023, "明年7月份前", "2024-07-31"),
        ("明年年底全面建成。", 2023, "明年年底", "2024-12-31"),
        ("明年年底前全面建成。", 2023, "明年年底前", "2024-12-31"),
        ("次年全面推广。", 2023, "次年", "2024-12-31"),
        ("次年6月底前全面推广。", 2023, "次年6月底前", "2024-06-30"),
        ("到明年,基本实现全覆盖。", 2023, "到明年", "2024-12-31"),
        ("明年6月底完成验收。", 2023, "明年6月底", "2024-06-30"),
        ("后年底前全面完成。", 2023, "后年底前", "2025-12-31"),
        ("下半年完成试点。", 2023, "下半年", "2023-12-31"),
        ("上半年完成试点。", 2023, "上半年", "2023-06-30"),
        ("一季度完成试点。", 2023, "一季度", "2023-03-31"),
        ("第一季度完成试点。", 2023, "第一季度", "2023-03-31"),
        ("第三季度末完成1000个以上改造项目。", 2023, "第三季度末", "2023-09-30"),
        ("年底前完成目录编制。", 2023, "年底前", "2023-12-31"),
        ("2023年底前完成目录编制。", 2022, "2023年底前", "2023-12-31"),
        ("2023年年底前完成目录编制。", 2022, "2023年年底前", "2023-12-31"),
    ],
)
def test_relative_deadline_expressions(text: str, year: int, expression: str, due: str) -> None:
    m = only(text, year)
    assert (m.expression, m.due) == (expression, date.fromisoformat(due))


@pytest.mark.parametrize(
    "text",
    [
        "1-7月份全省完成投资80%。",
        "1—7月份全省完成投资80%。",
        "7月份以来,各地加快推进。",
        "7月份起施行。",
        "截至7月份,已完成80%。",
        "明年起全面实施。",
        "次年初开展评估。",
        "明年的目标是全覆盖。",
        "今年以来,各地加快推进。",
        "2023年7月1日起施行。",
    ],
)
def test_relative_words_that_are_no_deadline(text: str) -> None:
    assert find_milestones(text, 2023).milestones == []


def test_relative_deadlines_without_a_document_year_stay_undated_notes() -> None:
    ms, notes = find_milestones("明年7月份完成。次年推广。", None)
    assert [(m.expression, m.due) for m in ms] == [("明年7月份", None), ("次年", None)]
    assert notes == ["明年7月份", "次年"]


def test_a_list_of_months_is_no_deadline() -> None:
    assert find_milestones("6月份、7月份开展专项检查。", 2023).milestones == []


# --- time phrases inside a responsibility marking ----------------------------------


@pytest.mark.parametrize(
    ("phrase", "dues", "notes"),
    [
        ("2023年底前完成", ["2023-12-31"], []),
        ("年内持续推进", [], ["年内", "持续推进"]),
        ("6月底完成", ["2023-06-30"], []),  # a month-end stands on its own inside a marking
        ("9月完成", ["2023-09-30"], []),
        ("明年年底前完成", ["2024-12-31"], []),
        ("长期坚持", [], ["长期坚持"]),
        ("6月前完成", [], []),  # "before June" or "by June": no date guessed, even here
    ],
)
def test_marking_deadlines(phrase: str, dues: list[str], notes: list[str]) -> None:
    found = deadlines.marking_deadlines(phrase, 2023, offset=10)
    assert [m.due.isoformat() for m in found.milestones if m.due] == dues
    assert found.notes == notes
    for m in found.milestones:
        assert phrase[m.start - 10 : m.end - 10] == m.text


@pytest.mark.parametrize(
    ("text", "expression", "due"),
    [
        # in running text a month, a day or a year-end needs 前, 到, or a verb of completion at once
        ("6月底完成验收。", "6月底", "2023-06-30"),  # 某县
        ("9月上线运行“鄂汇办”新版。", "9月", "2023-09-30"),  # 湖北省
        ("年底建成城市运行管理中心。", "年底", "2023-12-31"),  # 成都市
        ("10月中旬启动全市数据普查。", "10月中旬", "2023-10-20"),  # 无锡市
        ("2023年6月30日出台实施细则。", "2023年6月30日", "2023-06-30"),  # 国务院部门
        ("今年6月基本建成。", "今年6月", "2023-06-30"),
        ("年底全面完成。", "年底", "2023-12-31"),
    ],
)
def test_a_month_or_year_end_followed_by_a_verb_of_completion_is_a_deadline(
    text: str, expression: str, due: str
) -> None:
    m = only(text, 2023)
    assert (m.expression, m.due) == (expression, date.fromisoformat(due))


@pytest.mark.parametrize(
    "text",
    [
        "6月底，全省已完成80%。",  # a fact: the verb does not follow at once
        "已于6月底完成验收。",  # done
        "6月底完成了验收。",  # past
        "6月底完成的项目纳入考核。",  # attributive
        "2022年6月完成验收。",  # a year before the document's
        "截至6月底完成投资80%。",
        "1-6月完成投资80%。",
        "年底考核。",
        "每年6月底完成评估。",
        "2024年3月21日印发",  # the 版记's printing line
    ],
)
def test_a_month_without_before_is_no_deadline_when_it_states_a_fact(text: str) -> None:
    assert find_milestones(text, 2023).milestones == []


# --- more forms (issue 11): year-ends on their own, figures, five-year plans, festivals -------


@pytest.mark.parametrize(
    ("text", "year", "expression", "due"),
    [
        # a year-end whose year is written or named, not before the document's, stands alone
        ("2023年底建成全省一体化政务服务平台。", 2023, "2023年底", "2023-12-31"),  # 江苏省
        ("2024年年底实现县域全覆盖。", 2023, "2024年年底", "2024-12-31"),
        ("今年年底完成老旧小区改造200个。", 2023, "今年年底", "2023-12-31"),  # 某县
        ("2025年末，全市数字经济核心产业增加值占比达到12%。", 2023, "2025年末", "2025-12-31"),  # 成都市
        # dates in figures, with 前 in running text
        ("2023.12.31前完成系统迁移。", 2023, "2023.12.31前", "2023-12-31"),
        ("2023-06-30前完成验收。", 2023, "2023-06-30前", "2023-06-30"),
        ("于2023/9/30前上线运行。", 2023, "2023/9/30前", "2023-09-30"),
        ("到2024.6，基本建成。", 2023, "到2024.6", "2024-06-30"),
        # 中下旬 is the end of the month, 上中旬 the 20th
        ("12月中下旬前完成年度考核。", 2023, "12月中下旬前", "2023-12-31"),
        ("3月上中旬前完成方案编制。", 2023, "3月上中旬前", "2023-03-20"),
        # the end of a five-year plan: the Nth plan ends in 1955 + 5N
        ("到“十四五”末，建成全国一体化政务大数据体系。", 2022, "到“十四五”末", "2025-12-31"),  # 国务院
        ("“十四五”期末，全省5G基站达到25万个。", 2021, "“十四五”期末", "2025-12-31"),  # 广东省
        ("到十五五末期，基本实现现代化。", 2025, "到十五五末期", "2030-12-31"),
        ('到"十三五"末，实现脱贫。', 2016, '到"十三五"末', "2020-12-31"),
    ],
)
def test_more_deadline_forms(text: str, year: int, expression: str, due: str) -> None:
    m = only(text, year)
    assert (m.expression, m.due) == (expression, date.fromisoformat(due))


@pytest.mark.parametrize(
    "text",
    [
        "2022年底，全省已建成5G基站10万个。",  # a year-end before the document's year: a past fact
        "截至2023年底，累计建成100个。",
        "截止到2023年底，累计建成100个。",
        "自2023年底起施行。",
        "2023年底以来，各地加快推进。",
        "在2023年底的基础上继续提升。",
        "2023年底前后召开现场会。",
        "“十四五”期间，累计建成100个。",  # a period, not its end
        "截至“十四五”末，累计建成100个。",
        "全年投资增长至2023.5亿元。",  # an amount, not a date
        "2021-2025年，开展专项行动。",
        "2023年中央预算内投资。",
    ],
)
def test_more_words_that_are_no_deadline(text: str) -> None:
    assert find_milestones(text, 2023).milestones == []


def test_a_year_end_without_a_document_year_needs_before_or_a_verb() -> None:
    # no document year to compare with: 2023年底 alone may be a past fact
    assert find_milestones("2023年底，全省累计建成5G基站10万个。", None).milestones == []
    assert [m.due for m in find_milestones("2023年底前建成。", None).milestones] == [date(2023, 12, 31)]
    assert [m.due for m in find_milestones("2023年底建成。", None).milestones] == [date(2023, 12, 31)]


def test_festivals_and_seasons_are_notes_with_their_year_as_written() -> None:
    ms, notes = find_milestones("2024年春节前，全面完成欠薪清零。明年汛期前，完成病险水库除险加固。", 2023)
    assert ms == []
    assert notes == ["2024年春节前", "明年汛期前"]
    assert find_milestones("国庆节前完成布展。", 2023) == ([], ["国庆节前"])


def test_a_year_within_is_a_note_in_a_marking_as_in_running_text() -> None:
    assert find_milestones("2023年内完成。", 2023) == ([], ["2023年内"])
    assert deadlines.marking_deadlines("2023年内完成", 2023) == ([], ["2023年内"])


@pytest.mark.parametrize(
    ("text", "expressions", "notes"),
    [
        # traditional script, folded before matching (as the extractor does): 個 內 後 續
        ("明年7月份完成；次年全面推廣。", [("明年7月份", "2024-07-31"), ("次年", "2024-12-31")], []),
        ("第三季度末完成1000個以上改造項目。", [("第三季度末", "2023-09-30")], []),
        ("年內持續推進，長期堅持。", [], ["年内", "持续推进", "长期坚持"]),
        ("每個季度通報一次，下半年完成評估。", [("下半年", "2023-12-31")], ["每个季度"]),
        # full-width figures and punctuation
        ("２０２３年底前，完成改造。", [("2023年底前", "2023-12-31")], []),
        ("２０２３．１２．３１前完成。", [("2023.12.31前", "2023-12-31")], []),
    ],
)
def test_traditional_and_full_width_text(text: str, expressions: list[tuple[str, str]], notes: list[str]) -> None:
    from dutygraph.loaders.repair import fold

    ms, found = find_milestones(fold(text), 2023)
    assert [(m.expression, m.due.isoformat()) for m in ms] == expressions
    assert found == notes


# --- time phrases inside a marking or a 完成时限 cell: the task's, as written ------------


@pytest.mark.parametrize(
    ("marking", "dues", "notes"),
    [
        ("国家发展改革委牵头，各地区各部门按职责分工负责，2023年底前完成", ["2023-12-31"], []),  # 国办
        ("各部门分别负责，年内持续推进", [], ["年内", "持续推进"]),
        ("牵头单位：省政务管理办；完成时限：2023年6月", ["2023-06-30"], []),  # 湖北省
        ("省政务服务数据管理局牵头，省有关单位按职责分工负责，持续推进", [], ["持续推进"]),  # 广东省
        ("市网络理政办负责，明年6月底前完成", ["2024-06-30"], []),  # 成都市
        ("县大数据中心负责，2023.12.31前完成", ["2023-12-31"], []),  # 某县
        ("区教育局牵头，区财政局配合，12月底完成", ["2023-12-31"], []),  # 南京市江宁区
        ("各部門分別負責，年內持續推進", [], ["年內", "持續推進"]),  # traditional, notes as written
        ("市大數據局負責，２０２３年底前完成", ["2023-12-31"], []),
        ("2023年12月", ["2023-12-31"], []),  # a 完成时限 cell
        ("2023.9", ["2023-09-30"], []),
        ("第三季度", ["2023-09-30"], []),
    ],
)
def test_the_time_phrase_of_a_marking_gives_the_tasks_deadline(marking: str, dues: list[str], notes: list[str]) -> None:
    found = deadlines.marking_deadlines(marking, 2023)
    assert [m.due.isoformat() for m in found.milestones] == dues
    assert found.notes == notes
    for m in found.milestones:
        assert marking[m.start : m.end] == m.text  # cut from the marking as written


def test_marking_deadlines_keep_the_expression_as_written() -> None:
    (m,) = deadlines.marking_deadlines("市大數據局負責，２０２３年底前完成", 2023, offset=5).milestones
    assert (m.expression, m.text, m.start, m.end) == ("２０２３年底前", "２０２３年底前完成", 13, 22)


@pytest.mark.parametrize(
    ("marking", "phrases"),
    [
        ("A负责，2023年底前完成", ["2023年底前完成"]),
        ("各部门分别负责，年内持续推进", ["年内持续推进"]),
        ("省发展改革委牵头，省财政厅配合，力争明年6月底前完成", ["力争明年6月底前完成"]),
        ("牵头单位：省政务管理办；完成时限：2023年6月", ["完成时限：2023年6月"]),
        ("2023年6月底前，市大数据局负责", ["2023年6月底前"]),
        ("市政务办负责，6月底前完成试点，年底前全面推广", ["6月底前完成试点", "年底前全面推广"]),
        ("各部門分別負責，長期堅持", ["長期堅持"]),
        ("A牵头，B、C配合", []),
        ("各市、县（市、区）人民政府负责", []),
        ("省发展改革委牵头，省直有关部门按职责分工负责", []),
        # with the marking's brackets, any kind
        ("（A负责，2023年底前完成）", ["2023年底前完成"]),
        ("(2023年底前,市大数据局负责)", ["2023年底前"]),
        ("【市大数据局负责，2023年底前完成】", ["2023年底前完成"]),
        ("(牵头单位:省政务管理办;完成时限:2023年6月)", ["完成时限:2023年6月"]),
    ],
)
def test_where_the_time_phrases_of_a_marking_stand(marking: str, phrases: list[str]) -> None:
    assert [marking[s:e] for s, e in deadlines.time_phrases(marking)] == phrases


# --- end to end: what the extractor gives each task -------------------------------------------


def _extract(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Extractor().extract_file(path)


def test_a_time_phrase_inside_a_marking_gives_the_tasks_deadline(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "chengdu.txt",
        "成都市2023年数字政府建设工作要点\n"
        "一、重点任务\n"
        "（一）建设城市运行管理平台。（市网络理政办负责，2023年底前完成）\n"
        "（二）推进政务数据共享。（各部门分别负责，年内持续推进）\n"
        "（三）推进政务服务“一网通办”。（市政务服务管理和网络理政办公室牵头，市大数据中心配合，明年6月底前完成）\n",
    )
    assert doc.year == 2023  # from the title: the plan states no date of issue
    got = [([(m.expression, m.due) for m in t.milestones], t.deadline_notes) for t in doc.tasks]
    assert got == [
        ([("2023年底前", date(2023, 12, 31))], []),
        ([], ["年内", "持续推进"]),
        ([("明年6月底前", date(2024, 6, 30))], []),
    ]


FENGONG_WUHAN = """<html><head><meta charset="utf-8">
<title>武汉市2023年数字政府重点任务分工表_武汉市人民政府</title></head><body><table border="1">
<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>推进政务服务“一网通办”。</td><td>市政务服务局</td><td>市大数据中心</td><td>2023年12月</td></tr>
<tr><td>2</td><td>建设城市数据资源体系。</td><td>市发展改革委</td><td>市经信局</td><td>2023.9</td></tr>
<tr><td>3</td><td>推广电子证照应用。</td><td>市市场监管局</td><td>各区人民政府</td><td>6月底</td></tr>
<tr><td>4</td><td>推广电子印章。</td><td>市市场监管局</td><td>各区人民政府</td><td>年内持续推进</td></tr>
<tr><td>5</td><td>建设城市大脑。到2025年，建成城市大脑。</td><td>市大数据中心</td><td></td><td></td></tr>
</table></body></html>"""


def test_a_deadline_column_is_read_as_the_tasks_time_phrase(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "wuhan.html", FENGONG_WUHAN)
    assert doc.year == 2023
    got = [([(m.expression, m.due) for m in t.milestones], t.deadline_notes) for t in doc.tasks]
    assert got == [
        ([("2023年12月", date(2023, 12, 31))], []),  # a month alone in the column: its last day
        ([("2023.9", date(2023, 9, 30))], []),
        ([("6月底", date(2023, 6, 30))], []),  # no 前 needed in the column
        ([], ["年内", "持续推进"]),
        ([("到2025年", date(2025, 12, 31))], []),  # no column value: the task text's own
    ]


@pytest.mark.parametrize(
    ("cell", "expression", "due"),
    [
        # a span in a 完成时限 cell or a marking is due at its end
        ("2023年6月-12月", "2023年6月-12月", "2023-12-31"),
        ("2023年6月至12月", "2023年6月至12月", "2023-12-31"),
        ("2024年1月至2月", "2024年1月至2月", "2024-02-29"),  # the end takes the start's year (a leap year)
        ("明年1月至6月", "明年1月至6月", "2024-06-30"),
        ("2023年6月——2024年3月", "2023年6月——2024年3月", "2024-03-31"),
        ("2023年—2025年", "2023年—2025年", "2025-12-31"),
        ("2023-2025年", "2023-2025年", "2025-12-31"),
        ("2023.06-2023.12", "2023.06-2023.12", "2023-12-31"),
        ("1-12月", "12月", "2023-12-31"),
    ],
)
def test_a_span_in_a_marking_is_due_at_its_end(cell: str, expression: str, due: str) -> None:
    (m,) = deadlines.marking_deadlines(cell, 2023).milestones
    assert (m.expression, m.due) == (expression, date.fromisoformat(due))


def test_as_of_in_a_marking_is_no_deadline_and_a_span_in_running_text_neither() -> None:
    assert deadlines.marking_deadlines("截至2023年底", 2023) == ([], [])
    assert deadlines.marking_deadlines("截止到2023年底", 2023) == ([], [])
    assert find_milestones("2023.06-2023.12开展专项行动。", 2023) == ([], [])
    assert find_milestones("2023年6月至12月，开展专项行动。", 2023) == ([], [])


def test_a_time_phrase_inside_a_label_marking_gives_the_tasks_deadline(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "hubei.txt",
        "湖北省2023年数字政府工作要点\n"
        "一、重点任务\n"
        "（一）建设政务云。（牵头单位：省政务管理办；完成时限：2023年6月）\n"
        "（二）建设数据中台。（牵头单位：省政务管理办，2023年底前完成）\n"
        "（三）推进一网通办。（責任單位：省政務管理辦、省大數據中心，年內持續推進）\n",
    )
    got = [([(m.expression, m.due) for m in t.milestones], t.deadline_notes) for t in doc.tasks]
    assert got == [
        ([("2023年6月", date(2023, 6, 30))], []),
        ([("2023年底前", date(2023, 12, 31))], []),
        ([], ["年内", "持续推进"]),
    ]
    first = doc.tasks[0].milestones[0]
    assert doc.text[first.start : first.end] == "2023年6月"  # offsets into the document as written


def test_task_deadlines_read_the_statement_and_the_markings_outside_it() -> None:
    text = "6月底前完成试点（A牵头，B配合）；年底前全面推广。（C负责，力争明年一季度完成验收）"
    statement_end = text.index("（C")
    found = deadlines.task_deadlines(text, 0, statement_end, [(8, 15), (statement_end, len(text))], 2023)
    assert [(m.expression, m.due) for m in found.milestones] == [
        ("6月底前", date(2023, 6, 30)),
        ("年底前", date(2023, 12, 31)),
        ("明年一季度", date(2024, 3, 31)),
    ]
    assert found.notes == []


def test_a_traditional_plan_of_guangdong_gets_every_deadline(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "guangdong.txt",
        "廣東省2023年數字政府改革建設工作要點\n"
        "一、重點任務\n"
        "（一）深化“粵省事”平台建設。第三季度末完成新版上線；明年7月份實現全省推廣。（省政務服務數據管理局負責）\n"
        "（二）推進“粵商通”迭代升級。２０２３年底前實現涉企事項全覆蓋。"
        "（省政務服務數據管理局牽頭，省工業和信息化廳配合）\n"
        "（三）加強數據安全保障。（各部門分別負責，年內持續推進）\n"
        "（四）建設省級政務雲。下半年完成擴容，次年全面投入使用。"
        "（牽頭單位：省政務服務數據管理局；完成時限：2023年12月）\n"
        "（五）推進“十四五”規劃落實。到“十四五”末，建成全國一流數字政府。（省發展改革委負責）\n",
    )
    assert doc.year == 2023  # the title's: no date of issue
    got = [([m.due for m in t.milestones], t.deadline_notes) for t in doc.tasks]
    assert got == [
        ([date(2023, 9, 30), date(2024, 7, 31)], []),
        ([date(2023, 12, 31)], []),
        ([], ["年内", "持续推进"]),
        ([date(2023, 12, 31), date(2024, 12, 31), date(2023, 12, 31)], []),  # 下半年, 次年, the marking's 完成时限
        ([date(2025, 12, 31)], []),
    ]
    second = doc.tasks[1].milestones[0]
    assert doc.text[second.start : second.end].startswith("２０２３年底前")  # offsets into the text as written
