"""A document's jurisdiction, at any level: the State Council, a province, a prefecture
city, a county or district.

Clues, weighed together (:func:`infer_jurisdiction`):

* a sidecar value (``<file>.meta.yaml``: ``jurisdiction: 无锡市``) decides alone;
* the issuer (无锡市人民政府办公室, 中共南京市江宁区委 南京市江宁区人民政府, 国务院办公厅),
  weight 4;
* the title (苏州市2023年数字经济工作要点, 关于印发无锡市…的通知), weight 3 at its start,
  2 elsewhere;
* the 印发 line and other notice lines (现将《苏州市…》印发给你们; 湖北省教育厅关于印发…的通知;
  the signature 湖北省教育厅), weight 2;
* the 文号 prefix (苏政办发, 鄂政发, 国办发, 锡政发, 江宁政发; see
  ``loaders/data/registry/doc_numbers.yaml``), weight 2 for an abbreviation, 1 for a
  character of a city's short name (锡 → 无锡; not 锡林郭勒盟 for 锡政发: a 盟 or 地区
  has a 行政公署, whose 文号 say 署); ambiguous prefixes (宁政发: 宁夏 or 南京) are
  decided by the other clues;
* the addressees of the notice (各市、县（区）人民政府，省各委办厅局 → a provincial
  document; 各区人民政府，市各委办局 → a city's) break ties between levels.

A clue supports its own jurisdiction fully and, at half weight, the jurisdictions below
it (the 文号 苏 supports 苏州市 too).  The jurisdiction with the highest score wins; a
tie leaves the jurisdiction unknown (None).

>>> from dutygraph.loaders.registry import Registry
>>> reg = Registry.load()
>>> infer_jurisdiction(reg, title="苏州市2023年数字经济工作要点").jurisdiction.name
'苏州市'
>>> infer_jurisdiction(reg, doc_number="苏政办发〔2023〕12号").jurisdiction.name
'江苏省'
>>> infer_jurisdiction(reg, doc_number="宁政发〔2023〕3号") is None  # 宁夏 or 南京?
True
>>> infer_jurisdiction(reg, doc_number="宁政发〔2023〕3号", issuer="南京市人民政府").jurisdiction.name
'南京市'
>>> p = infer_jurisdiction(reg, title="关于印发江宁区数字政府建设实施方案的通知", doc_number="江宁政发〔2022〕5号")
>>> p.jurisdiction.name, p.chain
('南京市江宁区', ('南京市江宁区', '南京市', '江苏省', '中国'))
>>> infer_jurisdiction(reg, issuer="国务院办公厅", doc_number="国办发〔2023〕7号").jurisdiction.name
'中国'
>>> infer_jurisdiction(reg, title="2023年全省教育信息化工作要点", doc_number="鄂教科〔2023〕4号").jurisdiction.name
'湖北省'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dutygraph.loaders.names import name_key, normalise

from .build import REGISTRY_DIR, fail, read_yaml, texts
from .model import Jurisdiction

if TYPE_CHECKING:
    from .lookup import Registry

__all__ = ["Place", "infer_jurisdiction"]

DOC_NUMBERS = REGISTRY_DIR / "doc_numbers.yaml"

_NATIONAL = re.compile(r"^(国务院|中共中央|中央|全国|国家)")
_DOC_NUMBER = re.compile(r"^\s*([\u4e00-\u9fff]{1,8}?)\s*[(〔\[［【﹝]?\s*(?:19|20)\d{2}")
_INNER_TITLE = re.compile(r"《([^》]{4,80})》")
_TITLE_LEAD = re.compile(r"^(关于(印发|转发|下发)?|印发|转发)")
_ADDRESSEES = [
    (re.compile(r"各省、自治区、直辖市|国务院各部委|各省级人民政府"), "national"),
    (
        re.compile(r"各设区(的)?市|(省|自治区)(政府|人民政府)?各(委|厅|部门|直属)|省级各部门|省直各单位|各市、县"),
        "province",
    ),
    (
        re.compile(
            r"市(政府|人民政府)?各(委|办|局|部门|直属)|市级各部门|市直各单位|各(区|县)(、县|\(市\)|（市）)?(人民)?政府"
        ),
        "city",
    ),
    (re.compile(r"(区|县)(政府)?各(委|办|局|部门)|各(街道|镇|乡)"), "county"),
]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a document comes from: its jurisdiction, the chain up to 中国, and the
    clues that decided (``issuer``, ``title``, ``notice``, ``doc_number``, ``sidecar``)."""

    jurisdiction: Jurisdiction
    chain: tuple[str, ...]
    evidence: tuple[str, ...]

    @property
    def level(self) -> str:
        return self.jurisdiction.level


@dataclass(frozen=True, slots=True)
class _DocNumbers:
    abbreviations: dict[str, tuple[str, ...]]
    kind: re.Pattern[str]  # the document-type word ending a prefix (政办发, 府办规, 委办, 发)


@functools.cache
def _doc_numbers(path: Path = DOC_NUMBERS) -> _DocNumbers:
    data = read_yaml(path, frozenset({"abbreviations", "kinds"}))
    raw = data.get("abbreviations") or {}
    if not isinstance(raw, dict):
        raise fail(path, "`abbreviations` must map an abbreviation to a list of jurisdictions")
    abbreviations = {str(k): tuple(texts(v, path, f"abbreviations.{k}")) for k, v in raw.items()}
    kinds = data.get("kinds")
    if not isinstance(kinds, dict) or set(kinds) != {"issuer", "office", "type"}:
        raise fail(path, "`kinds` must give the words of a document type: issuer, office and type")
    # kind := [issuer] [office] [type], at least one part, after an abbreviation of one
    # character or more: 政办发, 府办规, 委办, 政, 发 — forms nobody listed parse too
    parts = {
        k: "|".join(sorted(map(re.escape, texts(v, path, f"kinds.{k}")), key=len, reverse=True))
        for k, v in kinds.items()
    }
    kind = re.compile(f"(?<=.)(?=.)(?:{parts['issuer']})?(?:{parts['office']})?(?:{parts['type']})?$")
    return _DocNumbers(abbreviations, kind)


def _names_in(reg: Registry, text: str, *, anywhere: bool) -> list[str]:
    """Jurisdictions named at the start of ``text`` (after 关于印发, a year, 中共), or
    with ``anywhere`` the first jurisdiction named in it."""
    key = name_key(text)
    key = _TITLE_LEAD.sub("", re.sub(r"^((19|20)\d{2}年)", "", key))
    starts = range(len(key)) if anywhere else range(1)
    for start in starts:
        for lead in ("", "中共", "共青团"):
            if not key.startswith(lead, start):
                continue
            for end, nodes in reg.tree.prefixes(key, start + len(lead)):
                return _nested(reg, key, end, list(nodes))
        if _NATIONAL.match(key, start) and (start == 0 or not anywhere):
            return ["中国"]
    # a province written by its short name at the very start (宁夏数字经济发展规划, 广西…):
    # the autonomous regions' titles are written so; other short names (中山, 江宁) also
    # begin ordinary words and are not taken
    for _end, nodes in reg.tree.prefixes(key, 0, short=True):
        provinces = [n for n in nodes if (node := reg.tree.get(n)) is not None and node.level == "province"]
        return provinces
    return []


def _nested(reg: Registry, key: str, end: int, nodes: list[str]) -> list[str]:
    """``nodes`` named just before ``key[end:]``, or the jurisdiction under them named right
    after (徐州市沛县…, 江苏省苏州市…: the county or city, not the one above it)."""
    for after, below in reg.tree.prefixes(key, end):
        inside = [n for n in below if any(p in reg.tree.chain(n)[1:] for p in nodes)]
        if inside:
            return _nested(reg, key, after, inside)
    return nodes


def _doc_number_clue(reg: Registry, doc_number: str) -> dict[str, float]:
    m = _DOC_NUMBER.match(normalise(doc_number))
    if not m:
        return {}
    prefix = m.group(1)
    table = _doc_numbers()
    found_kind = table.kind.search(prefix)
    kind = found_kind.group() if found_kind else ""
    prefix = prefix[: len(prefix) - len(kind)]
    # 政 / 府: a people's government issued it, which 地区 and 盟 (行政公署, 署发) have not
    government = "政" in kind or "府" in kind
    found: dict[str, float] = {}
    # an abbreviation with its government's word (苏府 is 苏州市, 苏政 江苏省) comes first
    names = table.abbreviations.get(prefix + kind[:1], ()) if government else ()
    for name in names or table.abbreviations.get(prefix, ()):
        node = reg.jurisdiction(name)
        if node is not None:
            found[node.name] = 2.0
    if not found:
        for end, nodes in reg.tree.prefixes(prefix, 0, short=True):
            if end == len(prefix):  # 江宁 → 南京市江宁区
                for n in nodes:
                    found[n] = 2.0 / len(nodes) if len(nodes) > 1 else 2.0
                break
    if not found and not government:
        # a department's 文号 (鄂教科, 苏财规, 苏发改): its jurisdiction's abbreviation leads
        lead = next((prefix[:n] for n in (2, 1) if prefix[:n] in table.abbreviations), None)
        for name in table.abbreviations.get(lead, ()) if lead else ():
            node = reg.jurisdiction(name)
            if node is not None:
                found[node.name] = 2.0
    if len(prefix) == 1:
        for node in reg.tree:
            if government and node.kind in ("地区", "盟"):
                continue  # a 盟 or 地区 has a 行政公署, whose 文号 say 署
            if node.level == "city" and node.short and prefix in node.short:
                found.setdefault(node.name, 1.0)  # 锡 → the cities whose short name has it (无锡)
            elif government and node.level == "county" and node.kind != "市辖区" and node.name.startswith(prefix):
                # a county or county-level city writes its name's first character (沛政办发 →
                # 沛县), below a city that has the character, so 徐政发 stays 徐州市 beside 徐闻县;
                # districts write two (江宁政发)
                found.setdefault(node.name, 0.8)
    return found


def _level_hint(lines: Iterable[str]) -> str | None:
    for line in lines:
        text = normalise(line)
        for pattern, level in _ADDRESSEES:
            if pattern.search(text):
                return level
    return None


def infer_jurisdiction(
    reg: Registry,
    *,
    title: str | None = None,
    doc_number: str | None = None,
    issuer: str | None = None,
    notice: Iterable[str] = (),
    sidecar: str | None = None,
) -> Place | None:
    """The jurisdiction of a document from its clues (see the module docstring)."""
    if sidecar:
        node = reg.jurisdiction(sidecar)
        return Place(node, reg.tree.chain(node), ("sidecar",)) if node is not None else None
    notice = [n for n in notice if n]
    clues: list[tuple[str, dict[str, float]]] = []
    if issuer:
        parts = [p for p in re.split(r"[\s、,，;；]+", issuer) if p]
        named = {n: 4.0 for part in parts for n in _names_in(reg, part, anywhere=False)}
        clues.append(("issuer", named))
    if title:
        at_start = _names_in(reg, title, anywhere=False)
        named = {n: 3.0 for n in at_start} or {n: 2.0 for n in _names_in(reg, title, anywhere=True)}
        clues.append(("title", named))
    # the 印发 line's 《title》, and notice lines that begin with a jurisdiction's body
    # (湖北省教育厅关于印发…的通知, the signature 湖北省教育厅)
    inner = [t for line in notice for t in _INNER_TITLE.findall(line)]
    heads = [line for line in notice if not line.startswith(("各", "现将"))]
    named = {n: 2.0 for t in (*inner, *heads) for n in _names_in(reg, t, anywhere=False)}
    if named:
        clues.append(("notice", named))
    if doc_number:
        clues.append(("doc_number", _doc_number_clue(reg, doc_number)))
    clues = [(what, found) for what, found in clues if found]
    if not clues:
        return None
    candidates = {n for _, found in clues for n in found}
    scores: dict[str, float] = {}
    for candidate in candidates:
        chain = reg.tree.chain(candidate)
        score = 0.0
        for _, found in clues:
            strongest = 0.0
            for name, weight in found.items():
                if name == candidate:
                    strongest = max(strongest, weight)
                elif name in chain:  # a clue for an ancestor supports its descendants a little
                    strongest = max(strongest, weight / 2)
            score += strongest
        scores[candidate] = score
    top = max(scores.values())
    best = [n for n, s in scores.items() if s == top]
    if len(best) > 1:
        hint = _level_hint(notice)
        if hint is not None:
            best = [n for n in best if (j := reg.tree.get(n)) is not None and j.level == hint] or best
    if len(best) > 1:  # nested ones: the nearest (a title's 江宁区 over the 文号's 南京市)
        deepest = max(best, key=lambda n: len(reg.tree.chain(n)))
        if all(n in reg.tree.chain(deepest) for n in best):
            best = [deepest]
    if len(best) != 1:
        return None
    node = reg.tree.get(best[0])
    if node is None:  # every candidate is a name _names_in took from the tree
        return None
    evidence = tuple(what for what, found in clues if any(n in reg.tree.chain(node) for n in found))
    return Place(node, reg.tree.chain(node), evidence)
