"""How government web pages wrap a document, and how to take it out of the wrapping.

Sites lay pages out with tables: the whole document inside one ``<td>``, the header, the
navigation and the footer in nested tables.  An extractor that reads every ``<table>`` as data
turns such a page into one long table row, and no task is found.  So each table is judged by
what it holds, not by its tag:

* a **任务分工表** — a header row with 重点任务 / 牵头单位 / 配合单位 … (`.tables.find_table`)
  — is data: it is read as a `Table` and stays where it stands in the text;
* a **page-metadata table** — 索引号 / 发文机关 / 成文日期 / 发文字号 / 发布日期 label cells, as
  政府信息公开 pages show — is not the document: its values are kept as hints
  (`PageFields`) for the metadata stage and the table is removed;
* a **layout table** — one that holds another table, long blocks of text, a single column, or
  mostly links — is not data at all: its rows and cells become plain blocks, so the text
  inside reads as paragraphs;
* any other table (a small table of figures) is text, one line per row with the cells joined
  by ``" | "``.

Lines of the extracted text that are site chrome (返回首页, 设为首页, 打印本页, 关闭窗口,
浏览量：123, breadcrumbs, an info line 发布日期：… 来源：…) are dropped, their dates kept as hints.
The vocabulary is data: ``data/web_pages.yaml``.

>>> strip_site_name("国务院办公厅关于印发《数字政务协同推进方案》的通知_国务院文件_中国政府网")
'国务院办公厅关于印发《数字政务协同推进方案》的通知'
>>> page_date("2023年02月27日"), page_date("2023-3-3 10:00"), page_date("明天")
('2023-02-27', '2023-03-03', None)
>>> is_chrome_line("【打印本页】【关闭窗口】 浏览量：12345"), is_chrome_line("当前位置：首页 > 政策 > 国务院文件")
(True, True)
>>> is_chrome_line("（一）建设数据底座。（国家数据局负责）")
False
>>> fields = PageFields()
>>> fields.take_line("发布日期：2023-03-03 来源：省政府办公厅"), fields.published
('info', '2023-03-03')
>>> fields.take_line("发文字号：国办发〔2023〕5号 成文日期：2023年02月27日"), fields.doc_number, fields.written
('information', '国办发〔2023〕5号', '2023-02-27')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .tables import GridRow, Table, find_table

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "web_pages.yaml"

# Tags whose text trafilatura reads as blocks of their own.
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "form", "section"})
# A cell holding more text than this in blocks of its own is a page area, not a datum.
_LAYOUT_CELL_CHARS = 300
_LINK_SHARE = 0.5
# Navigation items are short; a longer link text may be the document's own (a heading).
_MENU_ITEM_CHARS = 10
# Longer elements are page areas, not a field line.
_FIELD_LINE_CHARS = 300
# A heading styled by class is one line of a title, not a paragraph.
_HEADING_CHARS = 120
# A 文号 standing alone in an element of the page (<div class="wh">沛政办发〔2023〕5号</div>).
_DOC_NUMBER_ALONE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（﹝](?:19|20)\d{2}[〕\]］】)）﹞]\d{1,4}号")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_NUMBERED = re.compile(r"[(（]?[一二三四五六七八九十\d]+[)）、.．]")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")


@dataclass(slots=True)
class PageFields:
    """What a page says about the document beside it (dates as ISO ``YYYY-MM-DD``)."""

    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    written: str = ""  # 成文日期
    published: str = ""  # 发布日期

    def put(self, key: str, value: str) -> bool:
        """Keep ``value`` under ``key`` (the first value of a key wins); False for unused keys."""
        value = value.strip()
        if key in ("written", "published"):
            value = page_date(value) or ""
        if key not in ("title", "doc_number", "issuer", "written", "published") or not value:
            return False
        if not getattr(self, key):
            setattr(self, key, value)
        return True

    def take_line(self, line: str) -> str | None:
        """Read a line made only of ``label：value`` pairs (发布日期：… 来源：…) into the fields.

        Returns None when the line is not such a line, ``"information"`` when it is part of
        the page's information block (索引号, 发文字号, 成文日期 … among its labels: not the
        document's text), else ``"info"`` (a 发布日期 / 来源 line, which may be the document's).
        """
        voc = _vocabulary()
        pairs = voc.pairs.findall(line.strip())
        joined = "".join(label + sep + value for label, sep, value in pairs)
        if not pairs or _SPACES.sub("", joined) != _SPACES.sub("", line):
            return None
        for label, _, value in pairs:
            self.put(voc.labels[label], value)
        return "information" if any(label in voc.information_block for label, _, _ in pairs) else "info"

    def hints(self) -> dict[str, str]:
        """As reader metadata hints: ``page_title``, ``page_doc_number``, ``page_issuer``,
        ``page_written``, ``page_published``; empty values left out."""
        return {f"page_{key}": value for key in self.__slots__ if (value := getattr(self, key))}


@dataclass(slots=True)
class PreparedPage:
    """A page tree made ready for text extraction, and what was taken out of it."""

    fields: PageFields = field(default_factory=PageFields)
    tables: list[tuple[Table, list[str]]] = field(default_factory=list)  # in page order
    placeholders: list[str] = field(default_factory=list)  # the line standing for each table
    text_tables: int = 0  # tables read as lines of text
    rewritten: bool = False  # whether the tree was changed
    menu: frozenset[str] = frozenset()  # short link texts: navigation items


def prepare(tree: Any, marker: str, unmark: Any) -> PreparedPage:
    """Judge every ``<table>`` of ``tree`` (see the module's docstring) and rewrite the tree.

    A 任务分工表 is replaced by a paragraph holding a placeholder (``marker`` + ``T<n>`` +
    ``marker``) that the reader turns back into the table after extraction; ``unmark`` undoes
    the reader's character protection in cell texts.
    """
    prepared = PreparedPage()
    prepared.menu = frozenset(
        text for a in tree.iter("a") if 0 < len(text := _SPACES.sub("", a.text_content())) <= _MENU_ITEM_CHARS
    )
    tables = list(tree.iter("table"))
    page_order = {id(t): i for i, t in enumerate(tables)}
    holds_tables = {id(t) for t in tables if t.xpath(".//table")}
    # Innermost first: a layout table is judged after the tables inside it are rewritten.
    tables.sort(key=lambda t: -sum(1 for _ in t.iterancestors()))
    found: list[tuple[Any, Table, list[str]]] = []
    for element in tables:
        prepared.rewritten = True
        rows = _grid(element, unmark)
        recognised = find_table(rows, None)
        if recognised is not None:
            found.append((element, *recognised))
        elif _is_metadata_table(rows, prepared.fields):
            _drop(element)
        elif id(element) in holds_tables or _is_layout(element, rows):
            _unwrap(element)
        else:
            _as_lines(element, rows)
            prepared.text_tables += 1
    for n, (element, table, names) in enumerate(sorted(found, key=lambda f: page_order[id(f[0])]), start=1):
        placeholder = f"{marker}T{n}{marker}"
        paragraph = element.makeelement("p", {})
        paragraph.text = placeholder
        paragraph.tail = element.tail
        element.getparent().replace(element, paragraph)
        prepared.tables.append((table, names))
        prepared.placeholders.append(placeholder)
    return prepared


def promote_headings(tree: Any) -> list[str]:
    """Turn the elements a page styles as headings by class or id (``<div class="title">``,
    ``<p class="xxgk_bt">``) into ``<h2>``, which text extraction keeps as a heading; a
    ``<div>`` outside the article's container it would drop, with the document's title in it.
    Returns how many were promoted.  A heading is short, holds no block and is not a link;
    navigation, the site's name and column names (`not_heading_words`) are never promoted."""
    voc = _vocabulary()
    promoted: list[str] = []
    body = tree.find("body")
    for element in (body if body is not None else tree).iter("div", "p", "span", "td", "font", "strong", "b"):
        if not _heading_class(element, voc) or any(_ruled_out(a, voc) for a in element.iterancestors()):
            continue
        text = _SPACES.sub("", element.text_content())
        if not 4 <= len(text) <= _HEADING_CHARS or element.xpath(".//p|.//div|.//table|.//li|.//h1|.//h2|.//h3"):
            continue
        links = sum(len(_SPACES.sub("", a.text_content())) for a in element.xpath(".//a|ancestor::a"))
        if links * 2 > len(text):
            continue  # a link: a list of articles, another page's title
        element.tag = "h2"
        promoted.append(" ".join(element.text_content().split()))
    return promoted


def _class_words(element: Any) -> list[str]:
    """The class and id of ``element`` as lower-case tokens (zw_bt → zw, bt; ArticleTitle →
    article, title) and the whole values."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}"
    tokens = re.split(r"[\s_\-]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", raw))
    return [t.lower() for t in tokens if t] + [raw.lower()]


def _heading_class(element: Any, voc: _Vocabulary) -> bool:
    words = _class_words(element)
    if any(w in voc.heading_tokens for w in words[:-1]):
        return not _ruled_out(element, voc)
    return any(h in words[-1] for h in voc.heading_words) and not _ruled_out(element, voc)


def _ruled_out(element: Any, voc: _Vocabulary) -> bool:
    if not isinstance(element.tag, str) or element.tag.lower() in ("nav", "header", "footer", "a"):
        return isinstance(element.tag, str)
    words = _class_words(element)
    return any(w == n or (len(n) > 3 and n in words[-1]) for n in voc.not_heading_words for w in words[:-1])


def strip_site_name(title: str) -> str:
    """A page ``<title>`` without the site's name after it."""
    for separator in _vocabulary().title_separators:
        head, found, _ = title.partition(separator)
        if found and head.strip():
            return head.strip()
    return title.strip()


def page_date(text: str) -> str | None:
    """The first date in ``text`` (2023年02月27日, 2023-03-03, 2023/3/3, 2023.03.03), ISO."""
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def is_chrome_line(line: str, menu: frozenset[str] = frozenset()) -> bool:
    """Whether a line of extracted page text is site chrome rather than the document's.

    ``menu`` holds the page's short link texts (`PreparedPage.menu`): a line made only of
    them is navigation (政务公开 | 办事服务), which extraction lets through on short pages.

    >>> is_chrome_line("政务公开 办事服务", frozenset({"政务公开", "办事服务"}))
    True
    """
    voc = _vocabulary()
    squashed = _SPACES.sub("", line)
    if not squashed:
        return False
    if squashed.startswith(voc.breadcrumb_openers):
        return True
    parts = re.split(r"[>»›→]", squashed)
    if len(parts) >= 3 and all(len(p) <= 12 for p in parts):
        return True  # 首页 > 政务公开 > 政策文件
    if menu and not _NUMBERED.match(squashed) and all(p in menu for p in re.split(r"[\s|丨/·•]+", line.strip()) if p):
        return True  # a numbered line is the document's, even when a table of contents links it
    return bool(voc.chrome_phrase.search(squashed)) and not voc.chrome.sub("", squashed)


def fields_anywhere(tree: Any, fields: PageFields) -> None:
    """``label：value`` lines anywhere on the page (an information list of ``<li>``s, an info
    line 发布日期：… 来源：…), which text extraction may leave out; then any 成文日期 / 发布日期
    followed by a date, wherever it stands."""
    for element in tree.iter("li", "p", "div", "dd", "td", "span", "tr"):
        text = _SPACES.sub(" ", element.text_content()).strip()
        if not text or len(text) > _FIELD_LINE_CHARS or fields.take_line(text) is not None:
            continue
        if _DOC_NUMBER_ALONE.fullmatch(squashed := _SPACES.sub("", text)):
            fields.put("doc_number", squashed)  # a 文号 the page shows apart from the text
    voc = _vocabulary()
    for m in voc.labelled_date.finditer(tree.text_content()):
        fields.put(voc.labels[m.group(1)], m.group(2))


def _grid(table: Any, unmark: Any) -> list[GridRow]:
    """A table's own rows (not those of tables inside it) as a grid, spans spread as in a
    sheet: a rowspan's text repeated down its column, a colspan's kept in its first column."""
    grid: dict[tuple[int, int], str] = {}
    owned: dict[int, bool] = {}
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    for r, row in enumerate(rows):
        c = 0
        owned.setdefault(r, False)
        for cell in row.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            text = unmark(_cell_text(cell))
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if dc == 0 else ""
            owned[r] = owned[r] or bool(text)
            c += colspan
    width = 1 + max((c for _, c in grid), default=-1)
    return [
        GridRow(line=r + 1, cells=[grid.get((r, c), "") for c in range(width)], own_content=owned.get(r, False))
        for r in range(len(rows))
    ]


def _span(cell: Any, attribute: str) -> int:
    try:
        return max(1, min(int(cell.get(attribute, "1")), 1000))
    except ValueError:
        return 1


def _cell_text(cell: Any) -> str:
    """A cell's text with its line breaks (``<br>``, paragraphs) kept, each line stripped."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in ("script", "style"):
            pass
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            parts.append(element.text or "")
            for child in element:
                walk(child)
                parts.append(child.tail or "")
            if tag in _BLOCKS:
                parts.append("\n")

    parts.append(cell.text or "")
    for child in cell:
        walk(child)
        parts.append(child.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _is_metadata_table(rows: list[GridRow], fields: PageFields) -> bool:
    """A table of 索引号 / 发文机关 / 成文日期 … labels with their values; its values go to ``fields``."""
    voc = _vocabulary()
    pairs: list[tuple[str, str]] = []
    for row in rows:
        cells = [c for c in row.cells if c]
        i = 0
        while i < len(cells):
            label = _label(cells[i])
            if label is None:
                inline = voc.pairs.fullmatch(_SPACES.sub("", cells[i]))
                if inline:
                    pairs.append((voc.labels[inline.group(1)], cells[i].split(inline.group(2), 1)[-1]))
                i += 1
                continue
            value = cells[i + 1] if i + 1 < len(cells) and _label(cells[i + 1]) is None else ""
            pairs.append((voc.labels[label], value))
            i += 2 if value else 1
    if len({key for key, _ in pairs}) < 2:
        return False
    for key, value in pairs:
        fields.put(key, value)
    return True


def _label(text: str) -> str | None:
    squashed = _SPACES.sub("", text).rstrip(":：")
    return squashed if squashed in _vocabulary().labels else None


def _is_layout(table: Any, rows: list[GridRow]) -> bool:
    """A single column, long blocks of text in a cell, or mostly links (tables inside are
    already rewritten: the caller knows whether there were any)."""
    filled = [sum(1 for c in row.cells if c) for row in rows]
    if not filled or max(filled) <= 1:
        return True  # a single column: a stack of page areas
    for cell in table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th"):
        blocks = cell.xpath(".//p|.//div|.//li|.//h1|.//h2|.//h3")
        if len(blocks) > 1 and len(_SPACES.sub("", cell.text_content())) > _LAYOUT_CELL_CHARS:
            return True
    text = len(_SPACES.sub("", table.text_content()))
    links = sum(len(_SPACES.sub("", a.text_content())) for a in table.xpath(".//a"))
    return text == 0 or links / text > _LINK_SHARE


def _unwrap(table: Any) -> None:
    """Turn a layout table into blocks: its rows and cells become ``<div>``s.  (Tables inside
    it were rewritten before, so every row and cell below is its own.)"""
    for element in [table, *table.xpath(".//thead|.//tbody|.//tfoot|.//tr|.//td|.//th")]:
        element.tag = "div"
        for attribute in [a for a in element.attrib if a not in ("class", "id")]:
            del element.attrib[attribute]


def _as_lines(table: Any, rows: list[GridRow]) -> None:
    """A table of figures as one paragraph per row, cells joined by ``" | "``."""
    block = table.makeelement("div", {})
    for row in rows:
        if row.own_content:
            paragraph = block.makeelement("p", {})
            paragraph.text = " | ".join(c.replace("\n", " ") for c in row.cells)
            block.append(paragraph)
    block.tail = table.tail
    table.getparent().replace(table, block)


def _drop(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    labels: dict[str, str]  # label → key
    information_block: frozenset[str]
    pairs: re.Pattern[str]  # label, colon, value (up to the next label)
    chrome: re.Pattern[str]  # chrome phrases and the filler around them
    chrome_phrase: re.Pattern[str]
    labelled_date: re.Pattern[str]  # a date label, then the date
    breadcrumb_openers: tuple[str, ...]
    title_separators: tuple[str, ...]
    heading_words: tuple[str, ...]
    heading_tokens: frozenset[str]
    not_heading_words: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    labels = {str(label): str(key) for key, names in raw["field_labels"].items() for label in names}
    alternation = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    pairs = re.compile(rf"({alternation})([:：])(.*?)(?=(?:{alternation})[:：]|$)")
    phrases = "|".join(re.escape(str(w)) for w in sorted(raw["chrome_phrases"], key=len, reverse=True))
    chrome = re.compile(rf"(?:{phrases})|[\d\s:：|丨/\\()（）\[\]【】<>《》«»·•、,，.。;；!！-]+")
    date_labels = "|".join(re.escape(w) for w, key in labels.items() if key in ("written", "published"))
    labelled_date = re.compile(rf"({date_labels})\s*[:：]\s*({_DATE.pattern})")
    return _Vocabulary(
        labels=labels,
        information_block=frozenset(str(w) for w in raw["information_block_labels"]),
        pairs=pairs,
        chrome=chrome,
        chrome_phrase=re.compile(phrases),
        labelled_date=labelled_date,
        breadcrumb_openers=tuple(str(w) for w in raw["breadcrumb_openers"]),
        title_separators=tuple(str(s) for s in raw["title_separators"]),
        heading_words=tuple(str(w) for w in raw["heading_words"]),
        heading_tokens=frozenset(str(w) for w in raw["heading_tokens"]),
        not_heading_words=tuple(str(w) for w in raw["not_heading_words"]),
    )
