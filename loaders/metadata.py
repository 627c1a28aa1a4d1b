"""The metadata stage: what a document is — title, 文号, issuer, date of issue, the year its
deadlines resolve against, jurisdiction — as a typed `DocumentMeta`.

Three sources, in order of trust:

1. the sidecar ``<file>.meta.yaml`` (what a user states wins);
2. the document's own text (`front_matter`): the 文号 line, the issuer and date lines of the
   signature (成文日期), the plan a covering notice publishes (现将《…》印发给你们);
3. what the file format says beside the text (the read stage's hints): a web page's article
   heading, its 政府信息公开 fields (标题, 发文字号, 发文机关, 成文日期, 发布日期), a Word or PDF
   file's title property, and last the page's ``<title>`` without the site's name.

Site chrome is never the document: a page's ``<title>`` ("…_XX省人民政府门户网站") is the
last resort for the title, and its 发布日期 (when the page was put online) is used as the date
of issue only when neither the text nor the page gives the 成文日期; `DocumentMeta.issued_from`
says which was used, and a warning says so too.

The issuer is the signature's (or the 文号 line's header), else the page's 发文机关, else the
body a notice's or an opinion's title names before 关于 (湖北省教育厅关于印发《…》的通知).
A body's or a web site's name alone (南京市江宁区人民政府, …门户网站) is never the title.

The jurisdiction is a sidecar's, else what the issuer, title, 文号 and notice lines say, weighed
over the registry's division tree (`infer_jurisdiction`), else the place name the issuer or
title starts with (`guess_jurisdiction`).

The year deadlines resolve against is a sidecar's ``year``, else the year of issue — but a plan
for one year signed late in the year before (苏州市2023年数字经济工作要点, 2022-12-28) resolves
against its title's year; without a date of issue, the year in the title (苏州市2023年数字经济
工作要点 → 2023; a span 2021—2025年 gives its first year); then the year of the page's
publication.  Each choice that is not the date of issue is said in a warning.

>>> meta = document_meta(FrontMatter(title="苏州市2023年数字经济工作要点"), {}, {})
>>> meta.year, meta.year_from, meta.issued
(2023, 'title', None)
>>> hints = {"title": "X市实施方案_X市人民政府", "page_published": "2023-03-03"}
>>> meta = document_meta(FrontMatter(), hints, {}, fmt="html")
>>> meta.title, meta.issued.isoformat(), meta.issued_from
('X市实施方案', '2023-03-03', 'page 发布日期')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from .names import name_key, normalise
from .read.webpage import strip_site_name
from .registry import Jurisdiction, Registry
from .registry.build import REGISTRY_DIR, fail, read_yaml, texts
from .repair import fold
from .structure import DOC_NUMBER, Line, canonical_doc_number

DATA_FILE = Path(__file__).parent / "data" / "front_matter.yaml"

__all__ = [
    "DocumentMeta",
    "FrontMatter",
    "Place",
    "document_meta",
    "front_matter",
    "guess_jurisdiction",
    "infer_jurisdiction",
    "is_a_name",
    "year_in_title",
]

# A date line: 2023年3月14日, 2023 年 3 月 14 日, 二〇二三年三月十四日 (○ often stands for 〇);
# …印发 is the printing date of the 版记.
_CN_YEAR = "[〇○零一二三四五六七八九]{4}"
_CN_MONTH = "十[一二]?|[一二三四五六七八九]"
_CN_DAY = "[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
DATE_LINE = re.compile(
    rf"^((?:19|20)\d{{2}}|{_CN_YEAR})\s*年\s*(\d{{1,2}}|{_CN_MONTH})\s*月\s*(\d{{1,2}}|{_CN_DAY})\s*日\s*(印发)?$"
)
# The 版记's printing line: 无锡市人民政府办公室 2023年3月15日印发 (the office, the date).
_PRINTED = re.compile(rf"^(?P<head>.*?)\s*(?P<date>(?:(?:19|20)\d{{2}}|{_CN_YEAR})\s*年[^年]{{2,12}}日\s*印发)$")
# A date at the end of a line, after a space: the signature's date beside its issuer.
_DATE_TAIL = re.compile(rf"\s+((?:(?:19|20)\d{{2}}|{_CN_YEAR})\s*年[^年]{{2,12}}日)$")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
JURISDICTION = re.compile(r"^(.{1,8}?(?:自治区|省|自治州|市|县|区|旗))")
# The plan a covering notice publishes: 现将《X》印发给你们 / 关于印发《X》的通知 /
# 《X》已经省政府同意,现印发给你们.
# 现将X印发给你们, without 《》, as some notices write it.
PUBLISHED = re.compile(
    r"《(?P<a>[^《》]{3,120})》[^《》。]{0,12}(?:印发|转发)|(?:印发|转发)\s*《(?P<b>[^《》]{3,120})》"
    r"|现将\s*(?P<c>[^《》,，。;；:：\s]{4,80}?)\s*(?:印发|转发)给你们"
)
_NOTICE_LINES = 40
# A year in a title, or the first year of a span (2021—2025年, 2021-2025年).
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|([—–\-~～至到]\s*(?:19|20)\d{2})\s*年)")


@dataclass(slots=True)
class FrontMatter:
    """What the text's own front matter and signature say (None where they say nothing)."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued: date | None = None
    jurisdiction: str | None = None
    body_start: int = 0  # clean offset of the first 一、 heading
    title_from_notice: bool = False  # the title is the plan a covering notice publishes
    # The front matter's lines (matching form, at most `_NOTICE_LINES`): the 印发 / notice
    # lines a jurisdiction inference reads besides the title, 文号 and issuer.
    notice: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DocumentMeta:
    """A document's metadata, each value from the most trusted source that gives it.

    ``issued_from`` is ``"sidecar"``, ``"document"`` (the text's date line or signature),
    ``"page 成文日期"`` or ``"page 发布日期"`` (a web page's fields; the second a fallback);
    ``year_from`` is ``"issued"``, ``"sidecar"``, ``"title"`` or ``"published"``.
    ``published`` is a web page's 发布日期.  ``notes`` are warnings for the document.
    """

    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued: date | None = None
    issued_from: str | None = None
    published: date | None = None
    year: int | None = None
    year_from: str | None = None
    jurisdiction: str | None = None  # only when a sidecar states it; else inferred (`infer_jurisdiction`)
    level: str | None = None  # only when a sidecar states it; else the registry decides
    body_start: int = 0
    notice: list[str] = field(default_factory=list)  # the front matter's lines, for the inference
    notes: list[str] = field(default_factory=list)


def document_meta(
    front: FrontMatter, hints: dict[str, str], sidecar: dict[str, Any], *, fmt: str = "txt"
) -> DocumentMeta:
    """Decide each value from the sidecar, the text's front matter and the reader's hints.

    ``hints`` is `RawDocument.metadata` (``heading``, ``title``, ``page_*`` …); ``sidecar``
    the keys of a ``.meta.yaml`` (``title``, ``doc_number``, ``issued``, ``year``, ``issuer``,
    ``jurisdiction``, ``level``); ``fmt`` the format (a web page's ``title`` hint is its
    ``<title>``, site name and all).

    >>> front = FrontMatter(title="数字政务协同推进方案", issued=date(2023, 2, 27))
    >>> meta = document_meta(front, {"page_published": "2023-03-03", "page_doc_number": "国办发〔2023〕5号"}, {})
    >>> meta.title, meta.doc_number, str(meta.issued), meta.issued_from, str(meta.published), meta.year
    ('数字政务协同推进方案', '国办发〔2023〕5号', '2023-02-27', 'document', '2023-03-03', 2023)
    """
    meta = DocumentMeta(body_start=front.body_start, level=sidecar.get("level"))
    format_title = hints.get("title")
    if format_title and fmt == "html":
        format_title = strip_site_name(format_title)
    # A body's or a site's name is never the document's title: a page whose <title> or <h1>
    # is only 南京市江宁区人民政府 (the site) gives no title rather than a wrong one.
    meta.title = _first(
        sidecar.get("title"),
        front.title if front.title_from_notice else None,
        *(t for t in (hints.get("heading"), hints.get("page_title"), front.title, format_title) if not is_a_name(t)),
    )
    if meta.title and not front.title_from_notice and not sidecar.get("title"):
        meta.title = _plan_of_notice(meta.title)
    doc_number = _first(sidecar.get("doc_number"), front.doc_number, hints.get("page_doc_number"))
    if doc_number:
        doc_number = canonical_doc_number(_doc_number_form(str(doc_number))) or str(doc_number)
    meta.doc_number = doc_number
    meta.issuer = _first(
        sidecar.get("issuer"),
        front.issuer,
        hints.get("page_issuer"),
        # no signature: the body a notice's or an opinion's title names (X关于印发…的通知)
        *(
            _issuer_of_title(t)
            for t in (*front.notice[:3], hints.get("heading"), hints.get("page_title"), format_title)
        ),
    )

    meta.published = _iso(hints.get("page_published"))
    for source, value in (
        ("sidecar", sidecar.get("issued")),
        ("document", front.issued),
        ("page 成文日期", hints.get("page_written")),
        ("page 发布日期", hints.get("page_published")),
    ):
        if value and (issued := value if isinstance(value, date) else _iso(str(value))):
            meta.issued, meta.issued_from = issued, source
            break
    if meta.issued_from == "page 发布日期":
        meta.notes.append(
            f"no date of issue (成文日期) in the document: the page's publication date {meta.issued} is used"
        )

    title_year, span = _title_year(meta.title)
    issued_year = meta.issued.year if meta.issued and meta.issued_from != "page 发布日期" else None
    # A plan for one year issued late in the year before (苏州市2023年数字经济工作要点, signed
    # 2022-12-28): its 6月底前 is in the plan's year.
    plan_year = title_year if title_year and not span and issued_year == title_year - 1 else None
    for source, year in (
        ("sidecar", sidecar.get("year")),
        ("title", plan_year),
        ("issued", issued_year),
        ("title", title_year),
        ("published", meta.published.year if meta.published else None),
    ):
        if year:
            meta.year, meta.year_from = int(year), source
            break
    if plan_year and meta.year_from == "title":
        meta.notes.append(
            f"a plan for {plan_year} (its title) issued on {meta.issued}: deadlines resolve against {plan_year}"
        )
    elif meta.year_from == "title":
        meta.notes.append(f"no date of issue found: deadlines resolve against {meta.year}, the year in the title")

    meta.jurisdiction = sidecar.get("jurisdiction")
    meta.notice = front.notice
    return meta


def is_a_name(text: str | None) -> bool:
    """Whether ``text`` is only the name of a body or a web site, which no document is titled:
    南京市江宁区人民政府, 浙江省人民政府办公厅文件, 湖北省人民政府门户网站.

    >>> is_a_name("南京市江宁区人民政府"), is_a_name("湖北省人民政府門戶網站"), is_a_name("中国政府网")
    (True, True, True)
    >>> is_a_name("江宁区数字政府建设三年行动计划（2023—2025年）"), is_a_name("国务院关于加强数字政府建设的指导意见")
    (False, False)
    """
    if not text:
        return False
    name = _squash(fold(text))
    return bool(_issuer_line().match(name) or _site_name().match(name))


_NOTICE_OF_PLAN = re.compile(r"关于印发\s*《?(?P<plan>[^《》]{4,120}?)》?\s*的通知$")


def _plan_of_notice(title: str) -> str:
    """The plan a notice's title publishes (…关于印发江苏省数字政府建设2023年工作要点的通知 → the
    plan), as written; any other title as it is.

    >>> _plan_of_notice("省政府办公厅关于印发江苏省数字政府建设2023年工作要点的通知")
    '江苏省数字政府建设2023年工作要点'
    >>> _plan_of_notice("國務院辦公廳關於印發《數字政務協同推進方案》的通知")
    '數字政務協同推進方案'
    >>> _plan_of_notice("关于加强数字政府建设的指导意见")
    '关于加强数字政府建设的指导意见'
    """
    m = _NOTICE_OF_PLAN.search(fold(title))
    return title[m.start("plan") : m.end("plan")].strip() if m else title


def _issuer_of_title(title: str | None) -> str | None:
    """The body a title names before its 关于: 国务院办公厅关于印发《…》的通知 → 国务院办公厅.

    >>> _issuer_of_title("湖北省人民政府關於印發湖北省數字政府建設總體規劃的通知"), _issuer_of_title("关于印发…的通知")
    ('湖北省人民政府', None)
    """
    if not title:
        return None
    folded = _squash(fold(title))
    head, found, _ = folded.partition("关于")
    if not found or not head or not _issuer_line().match(head):
        return None
    return _squash(title)[: len(head)]  # as written


def guess_jurisdiction(issuer: str | None, title: str | None) -> str | None:
    """The place name an issuer or title starts with (浙江省人民政府 → 浙江省): the fallback
    when the inference over the division tree (`infer_jurisdiction`) finds nothing.

    >>> guess_jurisdiction("绍兴市人民政府", None), guess_jurisdiction(None, "2019年浙江省工作要点")
    ('绍兴市', '浙江省')
    """
    for source in (issuer, title):
        if source and (m := JURISDICTION.match(re.sub(r"^\d{4}\s*年", "", _squash(source)))):
            return m.group(1)
    return None


def year_in_title(title: str | None) -> int | None:
    """The plan's year as its title gives it: ``苏州市2023年数字经济工作要点`` → 2023; a span
    ``（2021—2025年）`` → 2021; the year of a 《book title》 inside does not count.

    >>> year_in_title("苏州市2023年数字经济工作要点"), year_in_title("数字政府建设规划（2021—2025年）")
    (2023, 2021)
    >>> year_in_title("关于印发《2019年工作要点》的通知") is None, year_in_title("实施方案") is None
    (True, True)
    """
    return _title_year(title)[0]


def _title_year(title: str | None) -> tuple[int | None, bool]:
    """The year a title gives and whether it starts a span (2021—2025年)."""
    if not title:
        return None, False
    m = _TITLE_YEAR.search(re.sub(r"《[^《》]*》", "", fold(title)))
    return (int(m.group(1)), bool(m.group(2))) if m else (None, False)


def front_matter(lines: list[Line], folded: str, clean: str) -> FrontMatter:
    """Title, 文号, issuer, date of issue and jurisdiction from the text (lines classified by
    the structure stage; ``folded`` the matching form, ``clean`` the clean text)."""
    fm = FrontMatter()
    body_index = next((i for i, ln in enumerate(lines) if ln.rank == 1), len(lines))
    fm.body_start = lines[body_index].start if body_index < len(lines) else len(folded)
    front = lines[:body_index]
    fm.notice = [ln.text for ln in front[:_NOTICE_LINES]]

    for ln in front:
        if fm.doc_number is None and (num := DOC_NUMBER.fullmatch(_doc_number_form(ln.text))):
            fm.doc_number = canonical_doc_number(num.group(0))
        if fm.issued is None and (d := DATE_LINE.match(ln.text)) and not d.group(4):
            fm.issued = _date(d)
        if fm.issuer is None and (iss := _issuer_line().match(ln.text.replace(" ", ""))):
            fm.issuer = _squash(clean[ln.start : ln.start + len(iss.group(1))])
    # The signature may follow the plan (issuer line, then the date line; or both on one line,
    # as web copies give it: 江苏省人民政府办公厅 2023年3月14日).
    if fm.issued is None or fm.issuer is None:
        for ln in lines:
            tail = _DATE_TAIL.search(ln.text)
            if tail is None or tail.start() == 0 or not (d := DATE_LINE.match(tail.group(1))) or d.group(4):
                continue
            head = ln.text[: tail.start()]
            if _issuer_line().match(head.replace(" ", "")):
                fm.issued = fm.issued or _date(d)
                fm.issuer = fm.issuer or _squash(clean[ln.start : ln.start + len(head)])
                break
    if fm.issued is None or fm.issuer is None:
        for prev, ln in pairwise(lines):
            d = DATE_LINE.match(ln.text)
            if d and not d.group(4):
                iss = _issuer_line().match(prev.text.replace(" ", ""))
                if fm.issued is None:
                    fm.issued = _date(d)
                if iss and fm.issuer is None:
                    fm.issuer = _squash(clean[prev.start : prev.end])
    if fm.issued is None or fm.issuer is None:  # only the 版记's printing line: [office] date 印发
        for ln in lines:
            printed = _PRINTED.match(ln.text)
            if printed is None or not (d := DATE_LINE.match(printed.group("date"))):
                continue
            fm.issued = fm.issued or _date(d)
            head = printed.group("head")
            if fm.issuer is None and head and _issuer_line().match(head.replace(" ", "")):
                fm.issuer = _squash(clean[ln.start : ln.start + len(head)])
            break

    # Title: the plan a covering notice publishes (现将《…》印发给你们), else the
    # first line of the front matter that reads like a title.
    m = PUBLISHED.search(folded, 0, fm.body_start)
    if m:
        group = next(g for g in ("a", "b", "c") if m.group(g))
        fm.title = _squash(clean[m.start(group) : m.end(group)])
        fm.title_from_notice = True
    if fm.title is None:
        for ln in front:
            t = ln.text
            if ln.kind in ("frame", "note") or DOC_NUMBER.search(t) or t.endswith(":") or len(t) > 60:
                continue
            if "。" in t or t.startswith(("各", "为", "根据")) or _not_title().fullmatch(t) or is_a_name(t):
                continue
            fm.title = _squash(clean[ln.start : ln.end])
            break
    fm.jurisdiction = guess_jurisdiction(fm.issuer, fm.title)
    return fm


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, Any]:
    return dict(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _issuer_line() -> re.Pattern[str]:
    """A line that is only a body's name: 国务院, 湖北省教育厅, 浙江省人民政府文件."""
    suffixes = "|".join(re.escape(s) for s in sorted(_vocabulary()["issuer_suffixes"], key=len, reverse=True))
    return re.compile(rf"^([\u4e00-\u9fff()（）]{{0,20}}?(?:{suffixes}))(?:文件)?$")


@lru_cache(maxsize=1)
def _site_name() -> re.Pattern[str]:
    """A line that is only a web site's name: 湖北省人民政府门户网站, 中国政府网."""
    suffixes = "|".join(re.escape(s) for s in sorted(_vocabulary()["site_name_suffixes"], key=len, reverse=True))
    return re.compile(rf"^[\u4e00-\u9fff]{{1,24}}(?:{suffixes})$")


@lru_cache(maxsize=1)
def _not_title() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _vocabulary()["not_title"]))


# 文号 brackets as sites and word processors write them: 〔2023〕, [2023], 【2023】, ［2023］.
_DOC_NUMBER_BRACKETS = str.maketrans(
    "〔［[【",
    "((((",
) | str.maketrans("〕］]】", "))))")


def _doc_number_form(text: str) -> str:
    """The matching form of a 文号 (苏政办发[2023]12号 → 苏政办发(2023)12号), spaces removed."""
    return fold(text).translate(_DOC_NUMBER_BRACKETS).replace(" ", "")


def _first(*values: Any) -> Any:
    return next((v for v in values if v), None)


def _iso(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(_figure(m.group(1)), _figure(m.group(2)), _figure(m.group(3)))
    except ValueError:
        return None


def _figure(text: str) -> int:
    """Arabic or Chinese figures of a date: '2023', '二〇二三', '十二', '二十八'.

    >>> _figure("二〇二三"), _figure("二○二三"), _figure("十二"), _figure("二十八"), _figure("十"), _figure("9")
    (2023, 2023, 12, 28, 10, 9)
    """
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- the document's jurisdiction

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
    """A document's jurisdiction, at any level: the State Council, a province, a prefecture
    city, a county or district.

    Clues, weighed together:

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
