"""A synthetic responsibility network for the store benchmarks.

Builds :class:`dutygraph.model.Document` objects directly — no text, no extraction —
so that the store benchmarks (``bench_load.py``, ``bench_query.py``) measure the
database and not the readers.  ``generate(n_tasks, seed)`` yields documents of
~1,000–5,000 tasks each, always the same for the same arguments:

* units come from the shipped registry (``Registry.load()``): provincial bodies and
  groups in 浙江省 plans (70 %), Shaoxing bodies and groups in 绍兴市 plans (30 %);
* agencies are drawn with a Zipf-like skew: ranked (省大数据局 / 市大数据局, the
  development and reform commission, the government office … first, the rest in a
  seeded order), the agency of rank r drawn with weight 1/r^1.1 as a lead and
  1/r^0.85 as a support — a few agencies touch a large share of all tasks, most few;
* ~5 assignments per task: 1–3 leads and 0–8 supports, or 2–5 units sharing a task
  with no lead (role joint, 8 %); a trailing group now and then (各设区市政府,
  ``group``), open lists (等), a few names the registry does not know (stored
  unresolved), and in half of the Shaoxing plans a group attached to every task
  (``implicit``, the 003 convention);
* sections 一、 / （一） with the tasks under the second level;
* deadlines as :class:`Milestone` objects (6月底前 → 2021-06-30), 0–3 per task, and
  deadline notes (年内, 长期坚持) without a date;
* a plan now and then implements an earlier one (``CITES``).

The second half of the module turns the same documents into the CSV files that
``falkordb-bulk-insert`` reads (:class:`BulkCSV`), node for node and property for
property what dutygraph's own write statements (``graph/store/writes.py``) create, and
holds the helpers both benchmarks share (a throw-away embedded server, counts by
label and type, index waits).

    python benchmarks/synthetic_graph.py 40000      # a summary of what would be generated
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import csv
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any

from machine import describe

from dutygraph.graph.store import DocumentPayload
from dutygraph.loaders.registry import Agency, Registry
from dutygraph.loaders.resolve import unit_of
from dutygraph.model import (
    Assignment,
    Citation,
    Document,
    Level,
    Milestone,
    Role,
    Section,
    Span,
    Task,
    Unit,
    document_key,
    stable_id,
)
from dutygraph.services import build_payload

GENERATOR_VERSION = 1
LEAD_SKEW = 1.1
SUPPORT_SKEW = 0.85
MIN_DOC_TASKS = 1_000
MAX_DOC_TASKS = 5_000

PROVINCE_HEAD = [
    "省大数据局", "省发展改革委", "省政府办公厅", "省经信厅", "省市场监管局", "省财政厅", "省公安厅",
    "省委网信办", "省人力社保厅", "省建设厅", "省自然资源厅", "省商务厅", "省卫生健康委", "省司法厅",
]  # fmt: skip
CITY_HEAD = [
    "市大数据局", "市发改委", "市政府办公室", "市经信局", "市政务服务办", "市市场监管局", "市财政局",
    "市公安局", "市委网信办", "市人力社保局", "市建设局", "市商务局", "市卫生健康委", "市司法局",
]  # fmt: skip
# The governments and party committees themselves are not units a plan assigns tasks to.
EXCLUDED = {"浙江省人民政府", "绍兴市人民政府", "中共浙江省委", "中共绍兴市委"}
TRAILING_GROUP = {"浙江省": "各设区市政府", "绍兴市": "各区、县(市)政府"}
# Names the registry does not know: stored as unresolved units.
UNKNOWN = {
    "浙江省": ["省数字化改革专班", "省城市大脑建设专班", "省数据开放试点工作组"],
    "绍兴市": ["市数字化改革专班", "市城市大脑建设指挥部"],
}
CN = "零一二三四五六七八九"

VERBS = ["推进", "加快", "深化", "完善", "健全", "打造", "建设", "强化", "优化", "迭代", "推广", "构建", "拓展", "提升"]
OBJECTS = [
    "一体化智能化公共数据平台", "数字政府综合应用", "政务服务一网通办", "经济运行监测分析平台",
    "公共信用信息平台", "统一行政执法监管系统", "基层治理四平台", "公共数据共享机制", "政务云平台",
    "网络安全保障体系", "电子证照共享应用", "城市大脑", "投资项目在线审批监管平台", "企业开办全流程",
    "医疗健康服务应用", "数字财政", "智慧交通应用", "应急指挥调度系统", "数据安全防护能力",
    "数字化改革标准体系", "跨部门协同应用", "公共资源交易平台", "智慧农业云平台", "数字社会综合应用",
    "数据要素市场化配置", "统一身份认证体系", "智慧养老服务", "就业创业服务", "决策支持系统", "主题数据库",
]  # fmt: skip
PATTERNS = [
    "{v}{o}建设", "依托{o}，{v}{o}", "围绕{o}，{v}{o}，实现{o}全覆盖", "建立健全{o}工作机制",
    "加强{o}与{o}的对接联通", "推动{o}向基层延伸", "全面提升{o}水平", "完成{o}迭代升级",
    "{o}覆盖率达到{pct}%以上", "强化{o}支撑，{v}{o}", "探索建立{o}新模式", "开展{o}试点，{v}{o}",
]  # fmt: skip
SECTION_TITLES = [
    "深化政府数字化转型", "强化数据资源支撑", "提升公共服务数字化水平", "推进市场监管数字化应用",
    "完善数字政府基础设施", "推进社会治理数字化应用", "构建数字政府安全保障体系", "深化政务服务改革",
]  # fmt: skip
SUB_THEMES = ["经济调节", "市场监管", "社会治理", "公共服务", "生态环境保护", "政务运行", "数据治理", "安全保障"]
PLAN_THEMES = ["加快推进数字政府建设", "深化数字化改革", "推进政府数字化转型", "推进公共数据平台建设"]
PLAN_KINDS = ["实施方案", "工作要点", "行动计划", "任务分工方案"]
NOTES = ["年内", "长期坚持", "持续推进"]


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (十一, 二十)."""
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


# ---------------------------------------------------------------------------- unit pools


@dataclass(slots=True)
class Pool:
    """The units of one jurisdiction's plans, ranked for the Zipf draw."""

    jurisdiction: str
    ranked: list[tuple[Agency, str]]  # (agency, the name a plan writes)
    lead_cum: list[float]
    support_cum: list[float]
    trailing: tuple[Agency, str]
    groups: list[tuple[Agency, str]]
    units: dict[str, Unit] = field(default_factory=dict)  # agency id → the Unit assignments carry

    def draw(self, rng: random.Random, cum: list[float], k: int, taken: set[str]) -> list[tuple[Agency, str]]:
        """``k`` distinct units not in ``taken`` (ids), by the weights ``cum``."""
        out: list[tuple[Agency, str]] = []
        total = cum[-1]
        while len(out) < k:
            unit = self.ranked[bisect_left(cum, rng.random() * total)]
            if unit[0].id not in taken:
                taken.add(unit[0].id)
                out.append(unit)
        return out


def written_name(agency: Agency, prefix: str) -> str:
    """The form a plan of that level writes: 省大数据局 rather than the canonical name."""
    relative = [s for s in agency.short_names if s.startswith(prefix)]
    return relative[0] if relative else (agency.short_names[0] if agency.short_names else agency.name)


def build_pools(registry: Registry, seed: int) -> dict[str, Pool]:
    rng = random.Random(f"pools:{seed}")
    pools = {}
    for jurisdiction, head in (("浙江省", PROVINCE_HEAD), ("绍兴市", CITY_HEAD)):
        prefix = jurisdiction[-1]
        units = {
            a.id: (a, written_name(a, prefix))
            for a in registry.agencies()
            if a.jurisdiction == jurisdiction and a.name not in EXCLUDED
        }
        ranked = []
        for name in head:
            res = registry.resolve(name, jurisdiction)
            if res.agency is not None and res.agency.id in units:
                ranked.append(units.pop(res.agency.id))
        rest = sorted(units.values(), key=lambda u: u[0].name)
        rng.shuffle(rest)
        ranked.extend(rest)
        lead_cum = list(accumulate(1 / (r + 1) ** LEAD_SKEW for r in range(len(ranked))))
        support_cum = list(accumulate(1 / (r + 1) ** SUPPORT_SKEW for r in range(len(ranked))))
        trailing = registry.resolve(TRAILING_GROUP[jurisdiction], jurisdiction).agency
        assert trailing is not None and trailing.is_group
        groups = [(g, g.short_names[0] if g.short_names else g.name) for g in registry.groups()]
        groups = [g for g in groups if g[0].jurisdiction == jurisdiction]
        pool = Pool(jurisdiction, ranked, lead_cum, support_cum, (trailing, TRAILING_GROUP[jurisdiction]), groups)
        for agency, _ in (*ranked, pool.trailing, *groups):
            pool.units[agency.id] = unit_of(agency, registry)
        pools[jurisdiction] = pool
    return pools


# ---------------------------------------------------------------------------- documents


def doc_sizes(n_tasks: int, rng: random.Random) -> list[int]:
    """Task counts per document: each within [MIN_DOC_TASKS, MAX_DOC_TASKS] (one document
    for a smaller total), summing to ``n_tasks``."""
    if n_tasks <= MIN_DOC_TASKS:
        return [n_tasks]
    sizes: list[int] = []
    left = n_tasks
    while left > 0:
        if left <= MAX_DOC_TASKS:
            sizes.append(left)
            break
        size = rng.randint(MIN_DOC_TASKS, MAX_DOC_TASKS)
        if left - size < MIN_DOC_TASKS:
            size = left - MIN_DOC_TASKS
        sizes.append(size)
        left -= size
    return sizes


def _sentence(rng: random.Random) -> str:
    pattern = rng.choice(PATTERNS)
    out = pattern
    while "{o}" in out:
        out = out.replace("{o}", rng.choice(OBJECTS), 1)
    return out.format(v=rng.choice(VERBS), pct=rng.choice([80, 90, 95, 100])) + "。"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class _Writer:
    """Builds one document; offsets run through an imaginary text."""

    def _unit(self, agency: Agency) -> Unit:
        """The resolved unit, as the resolve stage would put it on the assignment."""
        return self.pool.units[agency.id]

    def __init__(self, index: int, n_tasks: int, jurisdiction: str, seed: int, pool: Pool, cites: Document | None):
        self.rng = rng = random.Random(f"doc:{seed}:{index}")
        self.pool = pool
        province = jurisdiction == "浙江省"
        year = rng.randint(2019, 2024)
        number = f"{'浙政办发' if province else '绍政发'}〔{year}〕{index + 1}号"
        title = f"{jurisdiction}{year}年{rng.choice(PLAN_THEMES)}{rng.choice(PLAN_KINDS)}"
        source = f"synthetic_{index:05d}.txt"
        self.doc = Document(
            id=stable_id("doc-", document_key(number, title, source)),
            source=source,
            format="txt",
            text=title,
            content_hash=hashlib.sha256(f"synthetic:{GENERATOR_VERSION}:{seed}:{index}:{n_tasks}".encode()).hexdigest(),
            title=title,
            issuer="浙江省人民政府办公厅" if province else "绍兴市人民政府",
            doc_number=number,
            issued=date(year, rng.randint(1, 6), rng.randint(1, 28)),
            year=year,
            jurisdiction=jurisdiction,
            level=Level.PROVINCE if province else Level.CITY,
        )
        if cites is not None:
            self.doc.citations.append(Citation(cites.title, cites.doc_number, "implements", 40, 80))
        # 003 convention: half the Shaoxing plans attach their districts to every task.
        self.implicit = pool.trailing if not province and rng.random() < 0.5 else None
        self.offset = 200
        self._build(n_tasks)

    def _span(self, text: str) -> Span:
        start = self.offset
        self.offset += len(text) + 1
        return Span(text, start, start + len(text))

    def _build(self, n_tasks: int) -> None:
        rng, doc = self.rng, self.doc
        n_top = rng.randint(4, 8)
        n_sub = [rng.randint(2, 6) for _ in range(n_top)]
        leaves = sum(n_sub)
        # Spread the tasks over the second-level sections, at least one each.
        per_leaf = [1] * leaves if n_tasks >= leaves else [0] * leaves
        for _ in range(n_tasks - sum(per_leaf)):
            per_leaf[rng.randrange(leaves)] += 1
        leaf = 0
        ordinal = 0
        for i in range(n_top):
            top_number = f"{cn_numeral(i + 1)}、"
            top_path = cn_numeral(i + 1)
            span = self._span(top_number + SECTION_TITLES[i % len(SECTION_TITLES)])
            top = Section(
                id=stable_id("sec-", doc.id, top_path),
                doc_id=doc.id,
                number=top_number,
                path=top_path,
                depth=1,
                title=SECTION_TITLES[i % len(SECTION_TITLES)],
                parent_id=None,
                start=span.start,
                end=span.end,
            )
            doc.sections.append(top)
            for j in range(n_sub[i]):
                path = f"{top_path}.({cn_numeral(j + 1)})"
                sub_title = f"推进{rng.choice(SUB_THEMES)}数字化"
                span = self._span(f"（{cn_numeral(j + 1)}）{sub_title}")
                sub = Section(
                    id=stable_id("sec-", doc.id, path),
                    doc_id=doc.id,
                    number=f"（{cn_numeral(j + 1)}）",
                    path=path,
                    depth=2,
                    title=sub_title,
                    parent_id=top.id,
                    start=span.start,
                    end=span.end,
                )
                doc.sections.append(sub)
                for k in range(per_leaf[leaf]):
                    ordinal += 1
                    doc.tasks.append(self._task(sub, f"{path}.{k + 1}", ordinal))
                leaf += 1

    def _task(self, section: Section, number: str, ordinal: int) -> Task:
        rng, pool, doc = self.rng, self.pool, self.doc
        title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
        text = "".join(_sentence(rng) for _ in range(rng.choice([1, 1, 2, 2, 3])))
        span = self._span(f"{title}。{text}")
        task = Task(
            id=stable_id("task-", doc.id, number),
            doc_id=doc.id,
            section_id=section.id,
            number=number,
            ordinal=ordinal,
            title=title,
            text=text,
            start=span.start,
            end=span.end,
        )
        # Deadlines: 0-3 dated milestones, or a note without a date.
        n_dated = rng.choices([0, 1, 2, 3], weights=[30, 45, 18, 7])[0]
        assert doc.year is not None
        for _ in range(n_dated):
            year = doc.year + rng.choice([0, 0, 0, 1])
            month = rng.choice([3, 6, 6, 9, 12, 12])
            expression = f"{month}月底前" if year == doc.year else f"{year}年{month}月底前"
            m_span = self._span(expression)
            task.milestones.append(
                Milestone(_month_end(year, month), expression, _sentence(rng), m_span.start, m_span.end)
            )
        if not n_dated and rng.random() < 0.25:
            task.deadline_notes.append(rng.choice(NOTES))
        if rng.random() < 0.03:
            task.leaders.append("常务副省长" if doc.jurisdiction == "浙江省" else "分管副市长")
        # Responsibility: leads and supports, or units sharing the task.
        taken: set[str] = set()
        if rng.random() < 0.08:
            parts = [(Role.JOINT, u) for u in pool.draw(rng, pool.support_cum, rng.randint(2, 5), taken)]
        else:
            n_leads = rng.choices([1, 2, 3], weights=[75, 20, 5])[0]
            n_supports = rng.choices(range(9), weights=[10, 10, 13, 15, 14, 12, 10, 8, 8])[0]
            parts = [(Role.LEAD, u) for u in pool.draw(rng, pool.lead_cum, n_leads, taken)]
            parts += [(Role.SUPPORT, u) for u in pool.draw(rng, pool.support_cum, n_supports, taken)]
            if rng.random() < 0.08 and pool.trailing[0].id not in taken:
                taken.add(pool.trailing[0].id)
                parts.append((Role.SUPPORT, pool.trailing))
        open_list = rng.random() < 0.15
        written = [name for _, (_, name) in parts]
        unknown = None
        if rng.random() < 0.05:  # one name the registry does not know
            unknown = rng.choice(UNKNOWN[pool.jurisdiction])
            written.append(unknown)
        leads = [n for (role, (_, n)) in parts if role is Role.LEAD]
        others = [n for (role, (_, n)) in parts if role is not Role.LEAD] + ([unknown] if unknown else [])
        clause_text = (
            f"（牵头单位：{'、'.join(leads)}；协同单位：{'、'.join(others)}{'等' if open_list else ''}）"
            if leads
            else f"（{'、'.join(others)}{'等' if open_list else ''}按职责分工负责）"
        )
        clause = self._span(clause_text)
        task.clause = clause
        task.open_list = open_list
        cursor = clause.start + 1
        for role, (agency, name) in parts:
            at = clause.text.find(name, cursor - clause.start)
            name_span = Span(name, clause.start + at, clause.start + at + len(name))
            cursor = name_span.end
            task.assignments.append(
                Assignment(
                    role=role,
                    name=name,
                    agency=agency.name,
                    agency_id=agency.id,
                    group=agency.is_group,
                    open_list=open_list and role is not Role.LEAD,
                    resolved=True,
                    source=clause,
                    name_span=name_span,
                    unit=self._unit(agency),
                )
            )
        if unknown:
            at = clause.text.find(unknown)
            task.assignments.append(
                Assignment(
                    role=Role.JOINT if not leads else Role.SUPPORT,
                    name=unknown,
                    agency=None,
                    agency_id=None,
                    open_list=open_list,
                    resolved=False,
                    source=clause,
                    name_span=Span(unknown, clause.start + at, clause.start + at + len(unknown)),
                )
            )
        if self.implicit is not None and self.implicit[0].id not in taken:
            group, name = self.implicit
            task.assignments.append(
                Assignment(
                    role=Role.SUPPORT if leads else Role.JOINT,
                    name=name,
                    agency=group.name,
                    agency_id=group.id,
                    implicit=True,
                    group=True,
                    resolved=True,
                    source=clause,
                    name_span=None,
                    unit=self._unit(group),
                )
            )
        return task


def generate(n_tasks: int, seed: int = 1, registry: Registry | None = None) -> Iterator[Document]:
    """The synthetic corpus of ``n_tasks`` tasks, one document at a time (nothing is
    kept: a million tasks stream through in constant memory)."""
    registry = registry or Registry.load()
    pools = build_pools(registry, seed)
    rng = random.Random(f"corpus:{seed}:{n_tasks}")
    earlier: list[Document] = []  # title and 文号 only, for citations
    task_ids: set[str] = set()
    for index, size in enumerate(doc_sizes(n_tasks, rng)):
        jurisdiction = "浙江省" if rng.random() < 0.7 else "绍兴市"
        cites = rng.choice(earlier) if earlier and rng.random() < 0.5 else None
        doc = _Writer(index, size, jurisdiction, seed, pools[jurisdiction], cites).doc
        for task in doc.tasks:  # 48-bit ids: make sure a collision never silently merges tasks
            if task.id in task_ids:
                raise RuntimeError(f"task id collision {task.id}; use another seed")
            task_ids.add(task.id)
        earlier.append(Document(doc.id, doc.source, doc.format, "", doc.content_hash, doc.title, None, doc.doc_number))
        yield doc


def payloads(n_tasks: int, seed: int = 1, registry: Registry | None = None) -> Iterator[DocumentPayload]:
    registry = registry or Registry.load()
    for doc in generate(n_tasks, seed, registry):
        yield build_payload(doc, registry)


# ---------------------------------------------------------------------------- statistics


@dataclass(slots=True)
class CorpusStats:
    documents: int = 0
    sections: int = 0
    tasks: int = 0
    milestones: int = 0
    assignments: int = 0
    by_role: Counter[str] = field(default_factory=Counter)
    by_unit: Counter[str] = field(default_factory=Counter)  # unit id -> tasks it touches
    unit_names: dict[str, str] = field(default_factory=dict)
    generate_s: float = 0.0  # time spent generating the documents, when the caller measures it

    def add(self, payload: DocumentPayload) -> None:
        p = payload.params
        self.documents += 1
        self.sections += len(p["sections"])
        self.tasks += len(p["tasks"])
        self.milestones += len(p["milestones"])
        for kind in ("leads", "supports", "shares"):
            self.assignments += len(p[kind])
            self.by_role[kind] += len(p[kind])
            for x in p[kind]:
                self.by_unit[x["unit_id"]] += 1
        for unit in p["agencies"] + p["groups"]:
            self.unit_names[unit["id"]] = unit["name"]

    def pick_agencies(self) -> dict[str, dict[str, Any]]:
        """The busiest unit (Zipf head), a median one and a rare one (the registry agency with
        the fewest tasks, at least 5)."""
        ranked = self.by_unit.most_common()
        rare = [u for u in ranked if u[1] >= 5 and u[0].startswith("ag_")][-1]
        picks = {"busiest": ranked[0], "median": ranked[len(ranked) // 2], "rare": rare}
        return {k: {"id": uid, "name": self.unit_names[uid], "tasks": n} for k, (uid, n) in picks.items()}

    def summary(self) -> dict[str, Any]:
        ranked = self.by_unit.most_common()
        top = sum(n for _, n in ranked[:5])
        return {
            "documents": self.documents,
            "sections": self.sections,
            "tasks": self.tasks,
            "milestones": self.milestones,
            "assignments": self.assignments,
            "assignments_per_task": round(self.assignments / max(self.tasks, 1), 2),
            "by_role": dict(self.by_role),
            "units_named": len(ranked),
            "top5_share_of_assignments": round(top / max(self.assignments, 1), 3),
            "top5": [(self.unit_names[u], n) for u, n in ranked[:5]],
            "generate_s": round(self.generate_s, 1),
        }


# ---------------------------------------------------------------------------- bulk-loader CSV


def _csv_value(value: Any, kind: str) -> Any:
    """A payload value as the bulk loader's typed CSV reads it back unchanged."""
    if value is None:
        return ""  # the bulk loader stores no property, as SET n = {k: null} does
    if kind == "ARRAY":
        for x in value:
            if not isinstance(x, str) or x != x.strip() or not x or "\\" in x:
                raise ValueError(f"array element {x!r} would not survive the bulk loader's CSV")
        return repr(list(value))
    if kind == "STRING" and (not value or value != value.strip() or "\\" in value):
        raise ValueError(f"string {value!r} would not survive the bulk loader's CSV (stripped / null)")
    return value


class _Table:
    """One CSV file: a node label or relationship type with a fixed column list."""

    def __init__(self, path: Path, columns: list[tuple[str, str]], key_columns: list[str]):
        self.path = path
        self.columns = columns  # (payload key, bulk type)
        self.file = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.writer = csv.writer(self.file, quoting=csv.QUOTE_MINIMAL, escapechar="\\")
        self.writer.writerow(key_columns + [f"{key}:{kind}" for key, kind in columns])
        self.rows = 0

    def write(self, keys: list[Any], row: dict[str, Any]) -> None:
        self.writer.writerow(keys + [_csv_value(row.get(key), kind) for key, kind in self.columns])
        self.rows += 1

    def close(self) -> None:
        self.file.close()


# Property columns (and their types) per node label and relationship type: exactly the keys
# graph/store/writes.py's build_payload puts in the maps its statements write with SET n = map / SET r = map.
TASK_COLUMNS = [
    ("doc_id", "STRING"), ("section_id", "STRING"), ("number", "STRING"), ("ordinal", "INT"), ("title", "STRING"),
    ("text", "STRING"), ("start", "INT"), ("end", "INT"), ("open_list", "BOOL"), ("assigned", "BOOL"),
    ("leaders", "ARRAY"), ("deadline_notes", "ARRAY"), ("due_first", "STRING"), ("due_last", "STRING"),
    ("clause", "STRING"), ("match_text", "STRING"),
]  # fmt: skip
SECTION_COLUMNS = [
    ("doc_id", "STRING"), ("number", "STRING"), ("path", "STRING"), ("depth", "INT"), ("title", "STRING"),
    ("start", "INT"), ("end", "INT"),
]  # fmt: skip
MILESTONE_COLUMNS = [
    ("doc_id", "STRING"), ("task_id", "STRING"), ("due", "STRING"), ("expression", "STRING"), ("text", "STRING"),
    ("start", "INT"), ("end", "INT"),
]  # fmt: skip
UNIT_COLUMNS = [
    ("name", "STRING"), ("kind", "STRING"), ("short_names", "ARRAY"), ("aliases", "ARRAY"),
    ("jurisdiction", "STRING"), ("level", "STRING"), ("resolved", "BOOL"), ("doc_ids", "ARRAY"),
]  # fmt: skip
DOCUMENT_COLUMNS = [
    ("title", "STRING"), ("source", "STRING"), ("format", "STRING"), ("doc_number", "STRING"), ("issued", "STRING"),
    ("year", "INT"), ("issuer", "STRING"), ("jurisdiction", "STRING"), ("level", "STRING"), ("script", "STRING"),
    ("encoding", "STRING"), ("content_hash", "STRING"), ("fingerprint", "STRING"), ("key", "STRING"),
    ("task_count", "INT"), ("section_count", "INT"), ("assignment_count", "INT"), ("warnings", "ARRAY"),
    ("stub", "BOOL"),
]  # fmt: skip
ASSIGNMENT_COLUMNS = [
    ("unit_id", "STRING"), ("task_id", "STRING"), ("doc_id", "STRING"), ("role", "STRING"), ("name", "STRING"),
    ("implicit", "BOOL"), ("group", "BOOL"), ("open_list", "BOOL"), ("resolved", "BOOL"), ("clause", "STRING"),
    ("start", "INT"), ("end", "INT"), ("name_start", "INT"), ("name_end", "INT"),
]  # fmt: skip
ROLE_TYPE = {"leads": "LEADS", "supports": "SUPPORTS", "shares": "SHARES"}


class BulkCSV:
    """The graph dutygraph's write statements would build from a sequence of payloads
    (loaded in that order into an empty graph), as falkordb-bulk-insert CSV files.

    Tasks, sections, milestones and assignments are streamed straight to disk; units,
    documents and the MERGEd unit-to-unit links are kept (a few hundred) and written by
    :meth:`close`, with ``doc_ids`` in load order and the last written properties, as the
    ``MERGE … SET u += a`` of successive documents leaves them.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        t = self._table
        self.tasks = t("Task", TASK_COLUMNS, ["id:ID(Task)"])
        self.sections = t("Section", SECTION_COLUMNS, ["id:ID(Section)"])
        self.milestones = t("Milestone", MILESTONE_COLUMNS, ["id:ID(Milestone)"])
        self.has_section = t("HAS_SECTION", [], [":START_ID(Document)", ":END_ID(Section)"])
        self.has_subsection = t("HAS_SUBSECTION", [], [":START_ID(Section)", ":END_ID(Section)"])
        self.doc_has_task = t("HAS_TASK.document", [], [":START_ID(Document)", ":END_ID(Task)"])
        self.section_has_task = t("HAS_TASK.section", [], [":START_ID(Section)", ":END_ID(Task)"])
        self.has_milestone = t("HAS_MILESTONE", [], [":START_ID(Task)", ":END_ID(Milestone)"])
        self.roles = {k: t(v, ASSIGNMENT_COLUMNS, [":START_ID(Unit)", ":END_ID(Task)"]) for k, v in ROLE_TYPE.items()}
        self.involves = t("INVOLVES", [("role", "STRING")], [":START_ID(Task)", ":END_ID(Unit)"])
        self.documents: dict[str, dict[str, Any]] = {}
        self.units: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (label, props)
        self.unit_links: dict[str, dict[tuple[str, str], None]] = {"MEMBER_OF": {}, "PART_OF": {}, "COUNTERPART_OF": {}}
        self.cites: dict[tuple[str, str], str] = {}
        self.closed = False

    def _table(self, name: str, columns: list[tuple[str, str]], keys: list[str]) -> _Table:
        return _Table(self.folder / f"{name}.csv", columns, keys)

    def add(self, payload: DocumentPayload) -> None:
        p = payload.params
        doc_id = p["doc"]["id"]
        if doc_id in self.documents and not self.documents[doc_id].get("stub"):
            raise ValueError(f"document {doc_id} twice: the CSV export mirrors first loads only")
        self.documents[doc_id] = {"id": doc_id, **p["doc"]["props"], "stub": False}
        for s in p["sections"]:
            self.sections.write([s["id"]], s)
            self.has_section.write([doc_id, s["id"]], {})
        for link in p["subsections"]:
            self.has_subsection.write([link["parent"], link["child"]], {})
        for task in p["tasks"]:
            self.tasks.write([task["id"]], task)
            self.doc_has_task.write([doc_id, task["id"]], {})
            if task["section_id"] is not None:
                self.section_has_task.write([task["section_id"], task["id"]], {})
        for m in p["milestones"]:
            self.milestones.write([m["id"]], m)
            self.has_milestone.write([m["task_id"], m["id"]], {})
        for label, units in (("Unit:Agency", p["agencies"]), ("Unit:Group", p["groups"])):
            for unit in units:
                old = self.units.get(unit["id"])
                doc_ids = old[1]["doc_ids"] if old else []
                if old and old[0] != label:
                    raise ValueError(f"unit {unit['id']} is both {old[0]} and {label}")
                self.units[unit["id"]] = (label, {**unit, "doc_ids": [*doc_ids, doc_id]})
        for kind, table in self.roles.items():
            for x in p[kind]:
                table.write([x["unit_id"], x["task_id"]], x)
                self.involves.write([x["task_id"], x["unit_id"]], {"role": x["role"]})
        for rel, key_a, key_b, rows in (
            ("MEMBER_OF", "member", "group", p["members"]),
            ("PART_OF", "child", "parent", p["parents"]),
            ("COUNTERPART_OF", "local", "upper", p["counterparts"]),
        ):
            for x in rows:
                self.unit_links[rel][(x[key_a], x[key_b])] = None
        for c in p["citations"]:
            if c["id"] not in self.documents:
                self.documents[c["id"]] = {
                    "id": c["id"],
                    "stub": True,
                    "title": c["title"],
                    "doc_number": c["doc_number"],
                }
            self.cites[(doc_id, c["id"])] = c["relation"]

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        docs = self._table("Document", DOCUMENT_COLUMNS, ["id:ID(Document)"])
        for doc in self.documents.values():
            docs.write([doc["id"]], doc)
        docs.close()
        for label, file_name in (("Unit:Agency", "Unit.Agency"), ("Unit:Group", "Unit.Group")):
            table = self._table(file_name, UNIT_COLUMNS, ["id:ID(Unit)"])
            for uid, (lab, props) in self.units.items():
                if lab == label:
                    table.write([uid], props)
            table.close()
        for rel, pairs in self.unit_links.items():
            table = self._table(rel, [], [":START_ID(Unit)", ":END_ID(Unit)"])
            for a, b in pairs:
                table.write([a, b], {})
            table.close()
        cites = self._table("CITES", [("relation", "STRING")], [":START_ID(Document)", ":END_ID(Document)"])
        for (a, b), relation in self.cites.items():
            cites.write([a, b], {"relation": relation})
        cites.close()
        for table in [
            self.tasks, self.sections, self.milestones, self.has_section, self.has_subsection, self.doc_has_task,
            self.section_has_task, self.has_milestone, *self.roles.values(), self.involves,
        ]:  # fmt: skip
            table.close()

    def arguments(self) -> list[str]:
        """The falkordb-bulk-insert arguments for these files (label or type, then path)."""
        f = self.folder
        args = [
            "-N", "Document", str(f / "Document.csv"),
            "-N", "Section", str(f / "Section.csv"),
            "-N", "Task", str(f / "Task.csv"),
            "-N", "Milestone", str(f / "Milestone.csv"),
            "-N", "Unit:Agency", str(f / "Unit.Agency.csv"),
            "-N", "Unit:Group", str(f / "Unit.Group.csv"),
        ]  # fmt: skip
        for rel, name in [
            ("HAS_SECTION", "HAS_SECTION"), ("HAS_SUBSECTION", "HAS_SUBSECTION"),
            ("HAS_TASK", "HAS_TASK.document"), ("HAS_TASK", "HAS_TASK.section"), ("HAS_MILESTONE", "HAS_MILESTONE"),
            ("LEADS", "LEADS"), ("SUPPORTS", "SUPPORTS"), ("SHARES", "SHARES"), ("INVOLVES", "INVOLVES"),
            ("MEMBER_OF", "MEMBER_OF"), ("PART_OF", "PART_OF"), ("COUNTERPART_OF", "COUNTERPART_OF"),
            ("CITES", "CITES"),
        ]:  # fmt: skip
            args += ["-R", rel, str(f / f"{name}.csv")]
        return args

    def bytes_written(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob("*.csv"))


def bulk_insert(server_socket: Path, graph: str, csv: BulkCSV, log: Path) -> float:
    """Run ``falkordb-bulk-insert`` (the package's own CLI, in this interpreter's
    environment) into the graph ``graph`` of the server on ``server_socket``; seconds taken."""
    import subprocess

    exe = Path(sys.executable).with_name("falkordb-bulk-insert")
    cmd = [str(exe), graph, "--server-url", f"unix://{server_socket}", "--enforce-schema", *csv.arguments()]
    started = time.perf_counter()
    with open(log, "w") as out:
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"falkordb-bulk-insert failed ({result.returncode}); see {log}")
    return elapsed


# ---------------------------------------------------------------------------- shared helpers


@contextlib.contextmanager
def scratch_server(prefix: str, keep: bool = False) -> Iterator[Any]:
    """A fresh embedded FalkorDB in a temporary home, stopped and removed afterwards."""
    from dutygraph.graph.store.embedded import EmbeddedServer

    home = Path(tempfile.mkdtemp(prefix=prefix))
    server = EmbeddedServer(home, start_timeout=600.0)
    try:
        server.ensure_started()
        yield server
    finally:
        try:
            server.stop(timeout=120.0)
        finally:
            if not keep:
                shutil.rmtree(home, ignore_errors=True)


def aof_bytes(server: Any) -> int:
    total = 0
    for path in (server.data_dir).rglob("*"):
        if path.is_file():
            total += path.stat().st_size
    return total


def graph_counts(graph: Any) -> dict[str, int]:
    """Nodes by label combination and relationships by type (by start and end label too)."""
    counts: dict[str, int] = {}
    for labels, n in graph.ro_query("MATCH (n) RETURN labels(n) AS l, count(*) AS n").result_set:
        counts["(" + ":".join(sorted(labels)) + ")"] = n
    rows = graph.ro_query(
        "MATCH (a)-[r]->(b) RETURN labels(a) AS a, type(r) AS t, labels(b) AS b, count(*) AS n"
    ).result_set
    for a, t, b, n in rows:
        key = f"({':'.join(sorted(a))})-[:{t}]->({':'.join(sorted(b))})"
        counts[key] = counts.get(key, 0) + n
    return dict(sorted(counts.items()))


def property_counts(graph: Any) -> dict[str, int]:
    """How many nodes of each label / relationships of each type carry each property key."""
    counts: dict[str, int] = {}
    for label in ("Document", "Section", "Task", "Milestone", "Agency", "Group"):
        q = f"MATCH (n:{label}) UNWIND keys(n) AS k RETURN k, count(*) AS n"
        for k, n in graph.ro_query(q).result_set:
            counts[f"{label}.{k}"] = n
    for rel in ("LEADS", "SUPPORTS", "SHARES", "INVOLVES", "CITES"):
        q = f"MATCH ()-[r:{rel}]->() UNWIND keys(r) AS k RETURN k, count(*) AS n"
        for k, n in graph.ro_query(q).result_set:
            counts[f"{rel}.{k}"] = n
    return dict(sorted(counts.items()))


def wait_for_indexes(graph: Any, timeout: float = 900.0) -> float:
    """Wait until every index is OPERATIONAL (FalkorDB builds them in the background); seconds waited."""
    started = time.perf_counter()
    while True:
        rows = graph.ro_query("CALL db.indexes() YIELD label, status RETURN label, status").result_set
        if all(str(status).upper() == "OPERATIONAL" for _, status in rows):
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"indexes still building after {timeout:.0f} s: {rows}")
        time.sleep(0.2)


def used_memory(client: Any) -> dict[str, Any]:
    info = client.connection.info("memory")
    return {"used_memory": info["used_memory"], "used_memory_human": info["used_memory_human"]}


def machine() -> dict[str, Any]:
    return describe(("falkordb",))


def falkordb_version(server: Any) -> str | None:
    return server.status().version


def stats_of(docs: Iterable[DocumentPayload]) -> CorpusStats:
    stats = CorpusStats()
    for p in docs:
        stats.add(p)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    stats = stats_of(payloads(args.tasks, args.seed))
    summary = stats.summary() | {"picks": stats.pick_agencies(), "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
