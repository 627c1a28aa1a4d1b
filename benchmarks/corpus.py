"""A synthetic corpus of Chinese government plans, for benchmarks.

    python benchmarks/corpus.py OUT_DIR --mb 20 [--seed 1]

or, from Python, ``generate(out_dir, megabytes, seed)``.  The documents copy the
structure of the five seed documents in ``data/samples/``; the sentences are
assembled from a vocabulary of plausible phrases and mean little.  Styles:

``000``   full-width punctuation, ``（牵头单位：A、B；协同单位：C、D等）`` after each task
          (one to three leads), lines separated by single line breaks;
``001``   text as a PDF gives it: half-width punctuation, ``(责任单位:A、B等,各设区市政府。
          列第一位的为牵头单位,下同)`` stated once and ``(责任单位:…)`` after every later
          task, pages breaking inside words and clauses, ``— 3 —`` page footers,
          blanks between digits and characters (``100% 以上``);
``003``   a ``责任单位:A、B`` line after each task, the first one carrying
          ``(列第一为牵头单位;以下各区、县〔市〕政府均为责任单位,不再列出)``;
``trad``  a 000-style plan in traditional characters (OpenCC s2t), indented, with pinyin
          glosses (``發(fā)展``) and GBK mojibake in some headings (``?。ǘ┛傮w目標``),
          as in 004;
``gb``    a 000-, 001- or 003-style plan encoded in GB18030.

Every plan has a title, a 文号 (浙政办发〔2023〕12号 / 绍政发〔2022〕3号), a date line,
一、/（一）/1. headings and tasks with deadlines (6月底前, 4月中旬前, 到2025年, …).
Units come from the shipped registry (``Registry.load()``): provincial bodies in 浙江省
plans, Shaoxing bodies in 绍兴市 plans, and groups (各设区市政府, 各区、县(市)政府, …).
They are drawn with a Zipf-like skew: the agencies are ranked (省大数据局 / 市大数据局,
the development and reform commission, the government office … first, the rest in a
seeded random order) and the agency of rank r is drawn with weight 1/r^1.1 as a lead
and 1/r^0.85 as a support, so a few agencies lead very many tasks and most appear
rarely.

Besides the documents, OUT_DIR gets

``manifest.json``   what was generated: per file its style, encoding, size and the
                    numbers of tasks, assignments (leads, supports, implicit), open
                    lists and dated milestones; totals; how the agencies are skewed;
``expected.jsonl``  one line per file: title, 文号, date, jurisdiction and, per task,
                    its number path, leads, supports, implicit units (as written),
                    the registry's canonical name of each, open list and due dates,
                    for a detailed comparison.

The output depends only on (megabytes, seed) and ``GENERATOR_VERSION``.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 2
KB = 1024
MB = 1024 * 1024
MIN_DOC_BYTES = 20 * KB
MAX_DOC_BYTES = 200 * KB

# Share of documents per style.
STYLE_WEIGHTS = {"000": 0.30, "001": 0.25, "003": 0.25, "trad": 0.10, "gb": 0.10}
# Zipf exponents of the agency draw.
LEAD_SKEW = 1.1
SUPPORT_SKEW = 0.85

# Agencies ranked first, in this order (the rest follow in a seeded random order).
PROVINCE_HEAD = [
    "省大数据局", "省发展改革委", "省政府办公厅", "省经信厅", "省市场监管局", "省财政厅", "省公安厅",
    "省委网信办", "省人力社保厅", "省建设厅", "省自然资源厅", "省商务厅", "省卫生健康委", "省司法厅",
    "省教育厅", "省生态环境厅", "省交通运输厅", "省农业农村厅", "省应急管理厅", "省统计局",
]  # fmt: skip
CITY_HEAD = [
    "市大数据局", "市发改委", "市政府办公室", "市经信局", "市政务服务办", "市市场监管局", "市财政局",
    "市公安局", "市委网信办", "市人力社保局", "市建设局", "市商务局", "市卫生健康委", "市司法局",
    "市教育局", "市自然资源和规划局", "市统计局", "市生态环境局",
]  # fmt: skip
# Bodies that are not units a plan assigns tasks to.
EXCLUDED = {"浙江省人民政府", "绍兴市人民政府", "中共浙江省委", "中共绍兴市委"}

# Groups: the one that trails a unit list ("…等,各设区市政府"), others drawn now and then,
# and the one a 003-style plan names once for every task.
GROUPS = {
    "浙江省": {
        "trailing": "各设区市政府",
        "others": ["各市、县（市、区）政府", "省级有关单位", "省政府直属各单位", "省级有关部门"],
        "implicit": "各设区市政府",
        "implicit_written": "各设区市政府",
    },
    "绍兴市": {
        "trailing": "各区、县（市）政府",
        "others": ["市政府有关部门", "市级有关部门", "市政府各部门"],
        "implicit": "各区、县（市）政府",
        "implicit_written": "各区、县〔市〕政府",
    },
}

# ---------------------------------------------------------------------------- vocabulary

VERBS = ["推进", "加快", "深化", "完善", "健全", "打造", "建设", "强化", "优化", "迭代", "推广", "构建", "拓展", "提升"]
OBJECTS = [
    "一体化智能化公共数据平台", "数字政府综合应用", "“浙里办”服务能力", "政务服务“一网通办”",
    "经济运行监测分析平台", "公共信用信息平台", "统一行政执法监管系统", "基层治理四平台", "公共数据共享机制",
    "政务云平台", "网络安全保障体系", "电子证照共享应用", "“浙政钉”掌上办公系统", "城市大脑",
    "投资项目在线审批监管平台", "不动产登记“一件事”", "企业开办全流程", "医疗健康服务应用", "数字财政",
    "智慧交通应用", "生态环境协同治理应用", "应急指挥调度系统", "数据安全防护能力", "数字化改革标准体系",
    "政务服务中心", "跨部门协同应用", "公共资源交易平台", "智慧农业云平台", "社会矛盾纠纷调处化解",
    "数字社会综合应用", "数据要素市场化配置", "公共支付平台", "规划管理数字化平台", "药品安全风险防控系统",
    "金融风险监测防控系统", "统一身份认证体系", "数字档案资源", "智慧养老服务", "就业创业服务",
    "智能化监管", "决策支持系统", "基础数据库", "主题数据库", "数据资源目录", "重大项目", "业务协同模型",
    "数据共享模型", "掌上执法", "“互联网+监管”", "营商环境", "惠企政策直达", "数字乡村", "智慧城市",
]  # fmt: skip
QUALITIES = ["整体智治", "高效协同", "精准治理", "便民惠企", "安全可控", "开放共享", "迭代升级", "闭环管理"]
SCOPES = ["跨层级", "跨地域", "跨部门", "跨系统", "跨业务"]
PATTERNS = [
    "{v}{o}建设",
    "依托{o}，{v}{o}",
    "围绕{o}，{v}{o}，实现{o}全覆盖",
    "建立健全{o}工作机制",
    "加强{o}与{o}的对接联通",
    "推动{o}向基层延伸",
    "全面提升{o}水平",
    "实现{o}{s}、{s}协同",
    "形成一批可复制可推广的{o}经验",
    "完成{o}迭代升级",
    "在{area}推广应用{o}",
    "{o}覆盖率达到{pct}%以上",
    "按照“{q}、{q}”要求，{v}{o}",
    "强化{o}支撑，{v}{o}",
    "探索建立{o}新模式",
    "开展{o}试点，{v}{o}",
    "{v}{o}（以下简称“{short}”）",
    "健全{o}运行维护规范，提升{o}安全运行能力",
]  # fmt: skip
SECTION_TITLES = [
    "以数字化改革全面提升政府履职能力", "主要任务", "深化政府数字化转型应用体系", "强化数据资源支撑",
    "提升公共服务数字化水平", "推进市场监管数字化应用", "完善数字政府基础设施", "推进社会治理数字化应用",
    "构建数字政府安全保障体系", "推进重大任务应用", "深化政务服务改革", "推进数字经济和数字社会协同发展",
]  # fmt: skip
SUB_THEMES = ["经济调节", "市场监管", "社会治理", "公共服务", "生态环境保护", "政务运行", "数据治理", "安全保障"]
PLAN_THEMES = [
    "加快推进数字政府建设", "深化数字化改革", "推进政府数字化转型", "深化“最多跑一次”改革",
    "推进公共数据平台建设", "优化营商环境数字化改革", "推进数字社会建设", "加强数据安全管理",
]  # fmt: skip
PLAN_KINDS = ["实施方案", "工作要点", "行动计划", "工作方案", "任务分工方案"]
SAFEGUARDS = ["加强组织领导", "强化要素保障", "建立健全评价体系", "加强宣传培训", "强化督查考核"]

# Deadline expressions; the extractor resolves them against the plan's year.
_TERMINAL = set('。；;：:！!？?)）」』】〕”"')
_HEADING_START = re.compile(
    r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}\s*[.．、](?!\d)|——"
)

# Characters that 004 glosses with pinyin (in traditional script).
_GLOSSES = {
    "發": "fā", "區": "qū", "調": "diào", "業": "yè", "產": "chǎn", "監": "jiān",
    "環": "huán", "創": "chuàng", "戰": "zhàn", "續": "xù", "優": "yōu", "態": "tài",
}  # fmt: skip
_CN = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (十一, 二十)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


# ---------------------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class Unit:
    surfaces: tuple[str, ...]  # as written: the usual form first, then variants
    canonical: str
    group: bool = False


@dataclass(slots=True)
class Pool:
    """The units of one jurisdiction's plans, ranked for the Zipf draw."""

    jurisdiction: str
    agencies: list[Unit]
    lead_cum: list[float]
    support_cum: list[float]
    groups: dict[str, Any]


def build_pools(seed: int) -> dict[str, Pool]:
    """Units for 浙江省 and 绍兴市 plans from the shipped registry.  Only surfaces that the
    registry resolves to the same body in that jurisdiction are used."""
    from dutygraph.loaders.registry import Registry

    reg = Registry.load()
    rng = random.Random(f"pools:{seed}")
    pools = {}
    for jurisdiction, head in (("浙江省", PROVINCE_HEAD), ("绍兴市", CITY_HEAD)):
        prefix = jurisdiction[-1]
        units: dict[str, Unit] = {}
        for agency in reg.agencies():
            if agency.jurisdiction != jurisdiction or agency.name in EXCLUDED:
                continue
            forms = [*agency.short_names, *agency.aliases, agency.name]
            good = []
            for form in forms:
                if "等" in form or re.search(r"[、,，;；]", form):
                    continue
                res = reg.resolve(form, jurisdiction)
                if res.agency is not None and res.agency.name == agency.name and form not in good:
                    good.append(form)
            if not good:
                continue
            relative = [f for f in good if f.startswith(prefix) and f in agency.short_names]
            shortest = sorted(good, key=len)
            usual = relative[0] if relative else shortest[0]
            variants = relative[1:]
            units[usual] = Unit((usual, *variants), agency.name)
        ranked = [units.pop(name) for name in head if name in units]
        rest = sorted(units.values(), key=lambda u: u.canonical)
        rng.shuffle(rest)
        ranked.extend(rest)
        lead_w = [1 / (r + 1) ** LEAD_SKEW for r in range(len(ranked))]
        support_w = [1 / (r + 1) ** SUPPORT_SKEW for r in range(len(ranked))]
        spec = GROUPS[jurisdiction]
        groups: dict[str, Any] = {}
        for key in ("trailing", "implicit"):
            groups[key] = _group_unit(reg, spec[key], jurisdiction)
        groups["others"] = [_group_unit(reg, s, jurisdiction) for s in spec["others"]]
        groups["implicit_written"] = spec["implicit_written"]
        pools[jurisdiction] = Pool(jurisdiction, ranked, list(accumulate(lead_w)), list(accumulate(support_w)), groups)
    return pools


def _group_unit(reg: Any, surface: str, jurisdiction: str) -> Unit:
    res = reg.resolve(surface, jurisdiction)
    if not res.group or res.agency is None:
        raise RuntimeError(f"registry no longer resolves the group {surface} in {jurisdiction}")
    return Unit((surface,), res.agency.name, group=True)


# ---------------------------------------------------------------------------- documents


@dataclass(slots=True)
class TaskSpec:
    number: str
    leads: list[str] = field(default_factory=list)  # as written (simplified; converted later)
    supports: list[str] = field(default_factory=list)
    implicit: list[str] = field(default_factory=list)
    open_list: bool = False
    due: list[str] = field(default_factory=list)
    lead_canonical: list[str] = field(default_factory=list)
    support_canonical: list[str] = field(default_factory=list)
    implicit_canonical: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    """One line of the plan (a paragraph, a heading, a clause line, a front-matter line)."""

    text: str
    kind: str = "body"  # front | heading | body | clause
    heading_rank: int = 0


class PlanWriter:
    """Writes one plan of a given style; the caller converts and encodes it."""

    def __init__(self, rng: random.Random, pool: Pool, style: str, issued: date, doc_number: str, title: str):
        self.rng = rng
        self.pool = pool
        self.style = style  # 000 | 001 | 003
        self.issued = issued
        self.year = issued.year
        self.doc_number = doc_number
        self.title = title
        self.full = style == "000"  # full-width punctuation
        self.blocks: list[Block] = []
        self.tasks: list[TaskSpec] = []
        self.chars = 0
        self.first_clause = True
        self.implicit_stated = False
        self.single_before_convention = rng.randint(0, 2) if style == "001" else 0
        self.area = "全省" if pool.jurisdiction == "浙江省" else "全市"

    # ------------------------------------------------------------ punctuation

    def p(self, full: str) -> str:
        """Punctuation in the plan's width: （：；，） or (:;,)."""
        if self.full:
            return full
        return full.translate(str.maketrans("（）：；，", "():;,"))

    def add(self, text: str, kind: str = "body", rank: int = 0) -> None:
        self.blocks.append(Block(text, kind, rank))
        self.chars += len(text) + 2

    # ------------------------------------------------------------ sentences

    def sentence(self, *, deadline: bool, due: list[str]) -> str:
        rng = self.rng
        pattern = rng.choice(PATTERNS)
        s = pattern.format_map(_Fill(rng, self.area))
        if self.style == "001" and "%" in s and rng.random() < 0.5:
            s = s.replace("%以上", "% 以上")  # PDF text: blanks between digits and characters
        if deadline:
            expr, iso = self.deadline()
            if iso:
                due.append(iso)
            s = f"{expr}，{s}"
        return self.p(s) + "。"

    def deadline(self) -> tuple[str, str | None]:
        rng = self.rng
        y = self.year
        first = min(self.issued.month + 1, 12)
        m = rng.randint(first, 12)
        kind = rng.random()
        blank = " " if self.style == "001" and rng.random() < 0.15 else ""
        if kind < 0.45:
            return f"{m}{blank}月底前", date(y, m, calendar.monthrange(y, m)[1]).isoformat()
        if kind < 0.55:
            return f"{m}月中旬前", date(y, m, 20).isoformat()
        if kind < 0.60:
            return f"{m}月上旬前", date(y, m, 10).isoformat()
        if kind < 0.67:
            d = rng.randint(1, calendar.monthrange(y, m)[1])
            return f"{m}月{d}日前", date(y, m, d).isoformat()
        if kind < 0.75:
            return "年底前", date(y, 12, 31).isoformat()
        if kind < 0.85:
            target = rng.randint(y + 1, y + 4)
            return f"到{target}年", date(target, 12, 31).isoformat()
        if kind < 0.92:
            target = rng.randint(y, y + 2)
            return f"{target}年底前", date(target, 12, 31).isoformat()
        return rng.choice(["持续推进", "年内"]), None

    def goal(self, n: int) -> str:
        """Sentences without deadlines, for the goals and introductions (not tasks)."""
        return "".join(self.sentence(deadline=False, due=[]) for _ in range(n))

    def body(self, n: int, due: list[str]) -> str:
        return "".join(self.sentence(deadline=self.rng.random() < 0.45, due=due) for _ in range(n))

    def task_title(self) -> str:
        rng = self.rng
        return rng.choice(VERBS) + rng.choice(OBJECTS) + rng.choice(["", "建设", "应用", "改革"])

    # ------------------------------------------------------------ units

    def draw(self, cum: list[float], k: int, taken: set[str]) -> list[Unit]:
        agencies = self.pool.agencies
        out: list[Unit] = []
        tries = 0
        while len(out) < k and tries < 200:
            tries += 1
            (unit,) = self.rng.choices(agencies, cum_weights=cum, k=1)
            if unit.canonical in taken:
                continue
            taken.add(unit.canonical)
            out.append(unit)
        return out

    def written(self, unit: Unit) -> str:
        if len(unit.surfaces) > 1 and self.rng.random() < 0.15:
            return self.rng.choice(unit.surfaces[1:])
        return unit.surfaces[0]

    def assignment(self, spec: TaskSpec) -> str:
        """Draw the task's units, fill ``spec`` and return its clause as written."""
        rng = self.rng
        groups = self.pool.groups
        taken: set[str] = set()
        n_leads = rng.choices([1, 2, 3], weights=[75, 20, 5])[0] if self.style == "000" else 1
        n_supports = rng.choices(range(9), weights=[12, 10, 14, 16, 14, 11, 9, 7, 7])[0]
        if self.style == "001" and self.single_before_convention > 0:
            n_supports = 0  # 001 names single units before it states its convention
        if self.style != "000" and rng.random() < 0.03:
            leads = [rng.choice([groups["trailing"], *groups["others"]])]  # 各设区市政府 as the lead
            taken.add(leads[0].canonical)
        else:
            leads = self.draw(self.pool.lead_cum, n_leads, taken)
        group: Unit | None = None  # one group among the supports
        if n_supports and rng.random() < 0.25:
            candidate = groups["trailing"] if rng.random() < 0.7 else rng.choice(groups["others"])
            if candidate.canonical not in taken:
                group = candidate
                taken.add(candidate.canonical)
                n_supports -= 1
        supports = [(self.written(u), u.canonical) for u in self.draw(self.pool.support_cum, n_supports, taken)]
        lead_pairs = [(self.written(u), u.canonical) for u in leads]
        group_pair = (self.p(group.surfaces[0]), group.canonical) if group else None
        open_list = bool(supports) and rng.random() < 0.35
        sep = "、"

        if self.style == "000":
            rest = list(supports)
            if group_pair:
                rest.insert(rng.randint(0, len(rest)), group_pair)
            text = "（牵头单位：" + sep.join(w for w, _ in lead_pairs)
            if rest:
                descriptor = "省级有关部门" if self.pool.jurisdiction == "浙江省" else "市级有关部门"
                tail = ("等" + descriptor if rng.random() < 0.1 else "等") if open_list else ""
                text += "；协同单位：" + sep.join(w for w, _ in rest) + tail
            else:
                open_list = False
            self._fill(spec, lead_pairs, rest, open_list)
            self.first_clause = False
            return text + "）"

        # 001 / 003: one list, the first is the lead; a group after a comma (…等,各设区市政府)
        text = sep.join(w for w, _ in lead_pairs + supports) + ("等" if open_list else "")
        rest = list(supports)
        if group_pair:
            text += "," + group_pair[0]
            rest.append(group_pair)
        if self.style == "001":
            self._fill(spec, lead_pairs, rest, open_list)
            if self.single_before_convention > 0:
                self.single_before_convention -= 1
                return f"(责任单位:{text})"
            if self.first_clause:
                self.first_clause = False
                return f"(责任单位:{text}。列第一位的为牵头单位,下同)"
            return f"(责任单位:{text})"
        implicit = groups["implicit"]
        implicit_written = self.p(implicit.surfaces[0])
        if self.first_clause:
            self.first_clause = False
            self.implicit_stated = True
            if implicit.canonical not in taken:
                text += "," + implicit_written
                rest.append((implicit_written, implicit.canonical))
            self._fill(spec, lead_pairs, rest, open_list)
            note = f"(列第一为牵头单位;以下{groups['implicit_written']}均为责任单位,不再列出)"
            return f"责任单位:{text}{note}"
        self._fill(spec, lead_pairs, rest, open_list)
        if self.implicit_stated and implicit.canonical not in taken:
            spec.implicit = [implicit_written]
            spec.implicit_canonical = [implicit.canonical]
        return f"责任单位:{text}"

    @staticmethod
    def _fill(spec: TaskSpec, leads: list[tuple[str, str]], supports: list[tuple[str, str]], open_list: bool) -> None:
        spec.leads = [w for w, _ in leads]
        spec.lead_canonical = [c for _, c in leads]
        spec.supports = [w for w, _ in supports]
        spec.support_canonical = [c for _, c in supports]
        spec.open_list = open_list

    # ------------------------------------------------------------ structure

    def front_matter(self) -> None:
        j = self.pool.jurisdiction
        province = j == "浙江省"
        office = self.doc_number.startswith(("浙政办", "绍政办"))
        issuer = f"{j}人民政府" + (("办公厅" if province else "办公室") if office else "")
        addressees = (
            "各市、县（市、区）人民政府，省政府直属各单位："
            if province
            else "各区、县（市）人民政府，市政府各部门、各单位："
        )
        d = self.issued
        date_line = f"{d.year}年{d.month}月{d.day}日"
        if self.style == "001":
            self.add(f"{issuer}文件", "front")
            self.add(self.doc_number, "front")
            self.add(f"{issuer}关于印发{self.title}的通知", "front")
            self.add(self.p(addressees), "front")
            self.add(f"《{self.title}》已经{'省' if province else '市'}政府同意,现印发给你们,请认真贯彻落实。", "front")
            self.add(issuer, "front")
            self.add(date_line, "front")
            self.add(self.title, "front")
            self.add(
                "根据《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》(国发〔2018〕27号)精神,"
                "制定本工作要点。",
                "front",
            )
        elif self.style == "003":
            self.add(self.title, "front")
            self.add(f"来源:电子政务网 更新时间:{d.year}-{d.month:02d}-{min(d.day + 3, 28):02d}", "front")
            self.add(f"{issuer}关于印发《{self.title}》的通知", "front")
            self.add(self.doc_number, "front")
            self.add(self.p(addressees), "front")
            self.add(f"现将《{self.title}》印发给你们,请认真贯彻执行。", "front")
            self.add(issuer, "front")
            self.add(date_line, "front")
            self.add(self.title, "front")
            self.add(
                "为贯彻落实党中央、国务院关于加强数字政府建设的重大决策部署,根据《国务院关于加强数字政府建设的"
                "指导意见》(国发〔2022〕14号)精神,结合实际,制定本实施方案。",
                "front",
            )
        else:
            self.add(f"{issuer}关于印发{self.title}的通知", "front")
            self.add(self.doc_number, "front")
            self.add(addressees, "front")
            self.add(f"现将《{self.title}》印发给你们，请结合实际认真贯彻落实。", "front")
            self.add(issuer, "front")
            self.add(date_line, "front")
            self.add("（此件公开发布）", "front")
            self.add(self.title, "front")

    def goals(self) -> None:
        rng = self.rng
        y = self.year
        if self.style == "003":
            self.add("一、总体要求", "heading", 1)
            self.add("(一)指导思想。" + self.goal(rng.randint(3, 6)), "heading", 2)
            self.add("(二)主要目标", "heading", 2)
            self.add(f"到{y + 3}年,{self.goal(rng.randint(3, 6))}")
            self.add(f"到2035年,{self.goal(2)}")
            return
        title = "一、总体目标" if self.style == "001" else "一、总体思路和工作目标"
        self.add(title, "heading", 1)
        self.add(self.goal(rng.randint(2, 5)))
        for k in range(rng.randint(2, 4)):
            self.add(self.p(f"——到{y + k}年底前，") + self.goal(rng.randint(2, 4)))

    def write(self, target_chars: int) -> None:
        rng = self.rng
        self.front_matter()
        self.goals()
        top = 1
        while self.chars < target_chars or not self.tasks:
            top += 1
            if top > 30:
                break
            self.section(top, rng.choice(SECTION_TITLES), target_chars)
        top += 1
        self.safeguards(top)
        if self.style == "001":
            self.add("抄送:省委各部门,省人大常委会、省政协办公厅,省军区,省监委,省法院,省检察院。", "front")
            issuer = f"{self.pool.jurisdiction}人民政府办公厅"
            self.add(issuer, "front")
            d = self.issued
            self.add(f"{d.year}年{d.month}月{min(d.day + 4, 28)}日印发", "front")

    def section(self, top: int, title: str, target_chars: int) -> None:
        rng = self.rng
        label = cn_numeral(top)
        self.add(f"{label}、{title}", "heading", 1)
        if rng.random() < 0.5:
            self.add(self.goal(rng.randint(2, 4)))  # an introduction, not a task
        item = 0  # 003 numbers its items through the whole section
        subsections = rng.randint(3, 8)
        for sub in range(1, subsections + 1):
            if self.chars >= target_chars and sub > 1:
                break
            sub_label = self.p("（") + cn_numeral(sub) + self.p("）")
            sub_path = f"{label}.({cn_numeral(sub)})"
            theme = rng.choice(SUB_THEMES)
            if self.style == "003":
                self.add(f"{sub_label}提升{theme}能力", "heading", 2)
            else:
                self.add(f"{sub_label}{rng.choice(VERBS)}{theme}数字化应用。", "heading", 2)
            shape = rng.random()
            if self.style == "000" and shape < 0.25:
                self.paragraph_task(sub_path, 1)  # the subsection's statement is the task
                continue
            if self.style == "001" and shape < 0.35:
                # 1. is itself a heading with paragraphs under it, each a task
                for k in range(1, rng.randint(2, 4) + 1):
                    self.add(f"{k}. {rng.choice(VERBS)}{theme}数字化应用。", "heading", 3)
                    for para in range(1, rng.randint(1, 6) + 1):
                        self.paragraph_task(f"{sub_path}.{k}", para)
                continue
            for k in range(1, rng.randint(2, 9) + 1):
                if self.style == "003":
                    if item >= 99:
                        break
                    item += 1
                self.item_task(sub_path, item if self.style == "003" else k)

    def item_task(self, parent: str, number: int) -> None:
        rng = self.rng
        spec = TaskSpec(number=f"{parent}.{number}")
        title = self.task_title()
        text = self.body(rng.randint(1, 6), spec.due)
        clause = self.assignment(spec)
        if self.style == "000":
            self.add(f"{number}．{title}。{text}{clause}", "heading", 3)
        elif self.style == "001":
            if rng.random() < 0.1:
                self.add(f"{number}. {title}。{text}", "heading", 3)
                self.add(clause, "clause")
            else:
                self.add(f"{number}. {title}。{text}{clause}", "heading", 3)
        else:
            self.add(f"{number}.{title}。{text}", "heading", 3)
            self.add(clause, "clause")
        self.tasks.append(spec)

    def paragraph_task(self, parent: str, index: int) -> None:
        rng = self.rng
        spec = TaskSpec(number=f"{parent}.¶{index}")
        text = self.p(self.task_title()) + "。" + self.body(rng.randint(1, 6), spec.due)
        clause = self.assignment(spec)
        if self.style == "001" and rng.random() < 0.1:
            self.add(text)
            self.add(clause, "clause")
        else:
            self.add(text + clause)
        self.tasks.append(spec)

    def safeguards(self, top: int) -> None:
        rng = self.rng
        label = cn_numeral(top)
        self.add(f"{label}、保障措施", "heading", 1)
        for sub, title in enumerate(rng.sample(SAFEGUARDS, rng.randint(2, 4)), start=1):
            spec = TaskSpec(number=f"{label}.({cn_numeral(sub)})")
            text = self.body(rng.randint(1, 3), spec.due)
            clause = self.assignment(spec)
            sub_label = self.p("（") + cn_numeral(sub) + self.p("）")
            if self.style == "003":
                self.add(f"{sub_label}{title}。{text}", "heading", 2)
                self.add(clause, "clause")
            else:
                self.add(f"{sub_label}{title}。{text}{clause}", "heading", 2)
            self.tasks.append(spec)

    # ------------------------------------------------------------ rendering

    def render(self) -> str:
        if self.style == "001":
            return _paginate(self.blocks, self.rng)
        sep = "\n" if self.style == "000" else "\n\n"
        return sep.join(b.text for b in self.blocks) + "\n"


class _Fill(dict):
    """Fills a sentence pattern, drawing a new word for every placeholder."""

    def __init__(self, rng: random.Random, area: str) -> None:
        super().__init__()
        self.rng = rng
        self.area = area

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key == "v":
            return rng.choice(VERBS)
        if key == "o":
            return rng.choice(OBJECTS)
        if key == "s":
            return rng.choice(SCOPES)
        if key == "q":
            return rng.choice(QUALITIES)
        if key == "pct":
            return str(rng.choice([80, 85, 90, 95, 100]))
        if key == "area":
            return self.area
        if key == "short":
            return rng.choice(["在线平台", "一网通办", "数据平台", "掌上办"])
        raise KeyError(key)


def _paginate(blocks: list[Block], rng: random.Random) -> str:
    """Flow the plan into pages of 600–900 characters as PDF text: a page that ends
    inside a paragraph cuts it (in a word, a unit name or a clause), a page footer
    ``— N —`` ends most pages, pages are joined by a blank line."""
    out: list[str] = []
    page = 1
    room = rng.randint(600, 900)
    in_body = False

    def footer() -> str:
        nonlocal page
        mark = f"— {page} —" if rng.random() < 0.85 else f"- {page} -"
        page += 1
        return mark if rng.random() < 0.9 else ""

    for block in blocks:
        text = block.text
        if block.kind == "heading" and block.heading_rank == 1:
            in_body = True
        while len(text) > room:
            cut = _cut(text, room, block) if in_body and block.kind in ("body", "heading") else None
            if cut is None:
                break
            mark = footer()
            out.append(text[:cut] + ("\n" + mark if mark else ""))
            text = text[cut:]
            room = rng.randint(600, 900)
        if len(text) > room and out:
            mark = footer()
            if mark:
                out[-1] += "\n" + mark
            room = rng.randint(600, 900)
        out.append(text)
        room -= len(text)
    return "\n\n".join(out) + "\n"


def _cut(text: str, near: int, block: Block) -> int | None:
    """Where a page may end inside ``text``: not right after a sentence end (the text
    would read as two paragraphs), not before something that reads as a heading, not
    in a heading's title, and at least 20 characters in."""
    start = 20
    if block.kind == "heading":
        first = text.find("。")
        if first < 0 or block.heading_rank < 3:
            return None
        start = max(start, first + 2)
    for delta in range(0, 40):
        for pos in (near - delta, near + delta):
            if pos < start or pos >= len(text) - 1:
                continue
            if text[pos - 1] in _TERMINAL or text[pos - 1].isspace() or text[pos].isspace():
                continue
            if _HEADING_START.match(text, pos):
                continue
            return pos
    return None


# ---------------------------------------------------------------------------- variants


def to_traditional(text: str, rng: random.Random) -> str:
    """004's look: traditional characters, lines indented by two blanks, pinyin glosses
    after some characters, and some （一） headings garbled as GBK read one byte out of
    step (only where every byte survives, so the text can be recovered)."""
    import opencc

    converter = opencc.OpenCC("s2t")
    out = []
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        trad = converter.convert(line)
        if rng.random() < 0.7:
            trad = "".join(ch + f"({_GLOSSES[ch]})" if ch in _GLOSSES and rng.random() < 0.6 else ch for ch in trad)
        if trad.startswith("（") and rng.random() < 0.3:
            garbled = _garble("\u3000" + trad)
            if garbled is not None:
                out.append(" " + garbled)
                continue
        out.append("  " + trad)
    return "\n".join(out)


def _garble(line: str) -> str | None:
    """The line's GBK bytes decoded from the second byte on, the lost first byte shown as ?."""
    try:
        data = line.encode("gbk")
    except UnicodeEncodeError:
        return None
    garbled = "?" + data[1:].decode("gb18030", errors="replace")
    if "\ufffd" in garbled or "\n" in garbled or len(garbled) < 4:
        return None
    return garbled


# ---------------------------------------------------------------------------- the corpus


def _doc_sizes(total: int, rng: random.Random) -> list[int]:
    """Sizes between 20 and 200 KB (log-uniform) adding up to at least ``total``."""
    sizes: list[int] = []
    while sum(sizes) < total:
        left = total - sum(sizes)
        size = int(math.exp(rng.uniform(math.log(MIN_DOC_BYTES), math.log(MAX_DOC_BYTES))))
        if left < size:
            size = max(left, MIN_DOC_BYTES)
        sizes.append(size)
    return sizes


def generate(out_dir: Path, megabytes: float, seed: int = 1) -> list[Path]:
    """Write a corpus of about ``megabytes`` MB (MiB) into ``out_dir``; return the document
    paths.  Files this function wrote there before (listed in an old manifest) are removed
    first; nothing else in the folder is touched."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    old = out_dir / "manifest.json"
    if old.exists():
        try:
            for entry in json.loads(old.read_text("utf-8")).get("files", []):
                (out_dir / entry["file"]).unlink(missing_ok=True)
        except (ValueError, KeyError, TypeError):
            pass
    pools = build_pools(seed)
    rng = random.Random(f"corpus:{seed}")
    sizes = _doc_sizes(int(megabytes * MB), rng)
    styles = list(STYLE_WEIGHTS)
    numbers: dict[tuple[str, int], int] = {}
    files: list[dict[str, Any]] = []
    expected_lines: list[str] = []
    paths: list[Path] = []
    lead_freq: dict[str, int] = {}
    support_freq: dict[str, int] = {}
    for index, size in enumerate(sizes):
        drng = random.Random(f"doc:{seed}:{index}")
        style = drng.choices(styles, weights=list(STYLE_WEIGHTS.values()))[0]
        base = style
        if style == "trad":
            base = "000"
        elif style == "gb":
            base = drng.choice(["000", "001", "003"])
        shaoxing = drng.random() < (0.8 if base == "003" else 0.1 if base == "001" else 0.25)
        pool = pools["绍兴市" if shaoxing else "浙江省"]
        issued = date(drng.randint(2019, 2024), drng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 9]), drng.randint(1, 28))
        office = drng.random() < 0.6
        prefix = ("绍政办发" if office else "绍政发") if shaoxing else ("浙政办发" if office else "浙政发")
        numbers[(prefix, issued.year)] = numbers.get((prefix, issued.year), 0) + 1
        doc_number = f"{prefix}〔{issued.year}〕{numbers[(prefix, issued.year)]}号"
        j = pool.jurisdiction
        kind = drng.choice(PLAN_KINDS)
        theme = drng.choice(PLAN_THEMES)
        title = f"{issued.year}年{j}{theme}{kind}" if kind == "工作要点" else f"{j}{theme}{kind}"
        writer = PlanWriter(drng, pool, base, issued, doc_number, title)
        encoding = "gb18030" if style == "gb" else "utf-8"
        bytes_per_char = 2.0 if encoding == "gb18030" else 2.9
        writer.write(int(size / bytes_per_char))
        text = writer.render()
        expected_written = _converter() if style == "trad" else str
        if style == "trad":
            text = to_traditional(text, drng)
        data = text.encode(encoding)
        name = f"{index:05d}_{style}.txt"
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)

        tasks = writer.tasks
        leads = sum(len(t.leads) for t in tasks)
        supports = sum(len(t.supports) for t in tasks)
        implicit = sum(len(t.implicit) for t in tasks)
        for t in tasks:
            for c in t.lead_canonical:
                lead_freq[c] = lead_freq.get(c, 0) + 1
            for c in t.support_canonical:
                support_freq[c] = support_freq.get(c, 0) + 1
        files.append(
            {
                "file": name,
                "style": style,
                "base_style": base,
                "encoding": encoding,
                "script": "traditional" if style == "trad" else "simplified",
                "jurisdiction": j,
                "bytes": len(data),
                "chars": len(text),
                "tasks": len(tasks),
                "assignments": leads + supports + implicit,
                "leads": leads,
                "supports": supports,
                "implicit": implicit,
                "open_list_tasks": sum(t.open_list for t in tasks),
                "milestones": sum(len(t.due) for t in tasks),
            }
        )
        expected_lines.append(
            json.dumps(
                {
                    "file": name,
                    "title": expected_written(title),
                    "doc_number": doc_number,
                    "issued": issued.isoformat(),
                    "jurisdiction": j,
                    "tasks": [
                        {
                            "n": t.number,
                            "lead": [expected_written(x) for x in t.leads],
                            "support": [expected_written(x) for x in t.supports],
                            "implicit": [expected_written(x) for x in t.implicit],
                            "canonical": t.lead_canonical + t.support_canonical + t.implicit_canonical,
                            "open": t.open_list,
                            "due": t.due,
                        }
                        for t in tasks
                    ],
                },
                ensure_ascii=False,
            )
        )

    keys = ("bytes", "tasks", "assignments", "leads", "supports", "implicit", "open_list_tasks", "milestones")
    totals = {k: sum(f[k] for f in files) for k in keys}
    totals["documents"] = len(files)
    totals["by_style"] = {s: sum(f["style"] == s for f in files) for s in styles}
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "megabytes": megabytes,
        "seed": seed,
        "totals": totals,
        "skew": _skew(lead_freq, support_freq, totals["leads"], totals["supports"]),
        "files": files,
    }
    (out_dir / "expected.jsonl").write_text("\n".join(expected_lines) + "\n", "utf-8")
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return paths


def _converter() -> Any:
    import opencc

    converter = opencc.OpenCC("s2t")
    return converter.convert


def _skew(lead: dict[str, int], support: dict[str, int], n_lead: int, n_support: int) -> dict[str, Any]:
    """How concentrated the draw came out: the top agencies and their shares."""
    top_lead = sorted(lead.items(), key=lambda kv: (-kv[1], kv[0]))
    top_support = sorted(support.items(), key=lambda kv: (-kv[1], kv[0]))
    n_units = len(set(lead) | set(support))
    counts = sorted(((lead.get(u, 0) + support.get(u, 0)) for u in set(lead) | set(support)), reverse=True)
    median = counts[len(counts) // 2] if counts else 0
    return {
        "lead_exponent": LEAD_SKEW,
        "support_exponent": SUPPORT_SKEW,
        "units_used": n_units,
        "top_leads": [{"unit": u, "tasks": c, "share": round(c / max(n_lead, 1), 4)} for u, c in top_lead[:10]],
        "top_supports": [
            {"unit": u, "tasks": c, "share": round(c / max(n_support, 1), 4)} for u, c in top_support[:10]
        ],
        "top5_lead_share": round(sum(c for _, c in top_lead[:5]) / max(n_lead, 1), 4),
        "median_unit_assignments": median,
        "units_in_fewer_than_1pct_of_assignments": sum(c < 0.01 * (n_lead + n_support) for c in counts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MiB (1 to 100; default 20)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not 0.01 <= args.mb <= 1000:
        parser.error("--mb must be between 0.01 and 1000")
    started = time.perf_counter()
    paths = generate(args.out_dir, args.mb, args.seed)
    manifest = json.loads((args.out_dir / "manifest.json").read_text("utf-8"))
    t = manifest["totals"]
    print(
        f"{len(paths)} documents, {t['bytes'] / MB:.1f} MiB, {t['tasks']} tasks, {t['assignments']} assignments "
        f"({t['implicit']} implicit), written to {args.out_dir} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
