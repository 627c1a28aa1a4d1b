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

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from .read.webpage import strip_site_name
from .repair import fold
from .structure import DOC_NUMBER, Line, canonical_doc_number

DATA_FILE = Path(__file__).parent / "data" / "front_matter.yaml"

__all__ = [
    "DocumentMeta",
    "FrontMatter",
    "document_meta",
    "front_matter",
    "guess_jurisdiction",
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
    jurisdiction: str | None = None  # only when a sidecar states it; else inferred (registry/place.py)
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
    when the inference over the division tree (registry/place.py) finds nothing.

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
