"""Build real test documents (txt, docx, pdf, html, xlsx, csv) in a temporary folder.

Every function writes a genuine file with the library a user's office software would
produce it with (python-docx, fpdf2, openpyxl, the csv module), so the readers are tested
on the real formats, never on mocks.  Each returns the path it wrote.

Import from a test module as ``from filemakers import make_docx`` (pytest puts ``tests/`` on
``sys.path`` because the folder has no ``__init__.py``).

The PDF maker needs a CJK font.  On Debian: ``apt-get install -y fonts-wqy-microhei``, which
installs ``/usr/share/fonts/truetype/wqy/wqy-microhei.ttc`` (a TrueType collection; fpdf2
reads its first face).  ``DUTYGRAPH_CJK_FONT`` may name another .ttf/.ttc/.otf file.
"""

from __future__ import annotations

import csv
import html
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "BOILERPLATE_TEXTS",
    "MissingFontError",
    "find_cjk_font",
    "make_csv",
    "make_docx",
    "make_html",
    "make_image_only_pdf",
    "make_pdf",
    "make_txt",
    "make_xlsx",
]

# Fonts tried in order before asking fontconfig.  The first is what the project installs.
KNOWN_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian fonts-wqy-zenhei
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # Debian fonts-droid-fallback
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian fonts-noto-cjk
)

# Texts of the navigation, header and footer that make_html puts around the article.
BOILERPLATE_TEXTS = (
    "无障碍浏览",
    "长者模式",
    "请输入关键词",
    "政务公开",
    "办事服务",
    "互动交流",
    "当前位置",
    "打印本页",
    "关闭窗口",
    "相关链接",
    "国务院办公厅关于印发某某方案的通知",
    "主办：浙江省人民政府办公厅",
    "浙ICP备05000000号",
)


class MissingFontError(RuntimeError):
    """No CJK font is installed, so no Chinese PDF can be made."""


def make_txt(path: Path, text: str, encoding: str = "utf-8", *, newline: str = "\n") -> Path:
    """Write ``text`` in ``encoding`` (e.g. "utf-8", "utf-8-sig", "gb18030", "big5", "utf-16").

    ``newline`` replaces every "\\n" first, so "\\r\\n" gives a Windows file.
    """
    path = Path(path)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def make_docx(
    path: Path,
    paragraphs: Sequence[str],
    table: Sequence[Sequence[str]] | None = None,
    *,
    paragraphs_after: Sequence[str] = (),
    title: str | None = None,
    merges: Sequence[tuple[int, int, int, int]] = (),
) -> Path:
    """A Word document: ``paragraphs``, then ``table`` (rows of cell texts), then ``paragraphs_after``.

    An empty string makes an empty paragraph.  A "\\n" inside a cell's text becomes a line break.
    ``merges`` are (first_row, first_col, last_row, last_col), 0-based, of cells to merge; the
    merged cell keeps the top-left text.  ``title`` goes into the core properties.
    """
    import docx

    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        width = max(len(row) for row in table)
        word_table = document.add_table(rows=len(table), cols=width)
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                word_table.cell(r, c).text = text
        for r1, c1, r2, c2 in merges:
            top_left = word_table.cell(r1, c1)
            keep = top_left.text
            merged = top_left.merge(word_table.cell(r2, c2))
            merged.text = keep
    for text in paragraphs_after:
        document.add_paragraph(text)
    path = Path(path)
    document.save(str(path))
    return path


def find_cjk_font() -> Path:
    """A font file with Chinese glyphs, or MissingFontError saying what to install."""
    override = os.environ.get("DUTYGRAPH_CJK_FONT")
    if override:
        if Path(override).is_file():
            return Path(override)
        raise MissingFontError(f"DUTYGRAPH_CJK_FONT={override!r} is not a file")
    for candidate in KNOWN_CJK_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
        for line in sorted(listed.splitlines()):
            file = line.split(":", 1)[0].strip()
            if file.lower().endswith((".ttf", ".ttc", ".otf")) and Path(file).is_file():
                return Path(file)
    raise MissingFontError(
        "no CJK font found for the PDF test files: install Debian's fonts-wqy-microhei "
        "(apt-get install -y fonts-wqy-microhei) or set DUTYGRAPH_CJK_FONT to a .ttf/.ttc file"
    )


def make_pdf(path: Path, pages: Sequence[str], *, title: str | None = None, font_size: int = 14) -> Path:
    """A PDF with a real text layer: one page per item of ``pages`` ("\\n" starts a new line).

    Long lines wrap, as in a printed document; keep each item short enough for one A4 page,
    or fpdf2 adds pages of its own.  Empty items make pages with no text at all.
    """
    from fpdf import FPDF

    font = find_cjk_font()
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", "", str(font))
    if title is not None:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.set_font("cjk", size=font_size)
        if text:
            pdf.multi_cell(0, font_size * 0.6, text)
    path = Path(path)
    pdf.output(str(path))
    return path


def make_image_only_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF whose pages hold only drawings, as a scan holds only pictures: no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(30, 30, 30)
        for row in range(20):
            pdf.rect(20, 20 + row * 12, 120 + (row * 7) % 50, 6, style="F")
    path = Path(path)
    pdf.output(str(path))
    return path


def make_html(
    path: Path,
    body_paragraphs: Sequence[str],
    *,
    title: str = "浙江省数字政府建设实施方案",
    heading: str | None = None,
    encoding: str = "utf-8",
    declared_charset: str | None = "",
    boilerplate: bool = True,
) -> Path:
    """A government web page: the article's paragraphs inside navigation, header and footer.

    ``title`` fills ``<title>`` (with the site's name appended, as such sites do); ``heading``
    is the article's ``<h1>`` (defaults to ``title``).  The page is written in ``encoding``
    and declares ``declared_charset`` in ``<meta charset>``; "" declares ``encoding`` itself,
    None declares nothing.  The boilerplate's texts are in ``BOILERPLATE_TEXTS``.
    """
    if declared_charset == "":
        declared_charset = encoding
    meta = f'<meta charset="{declared_charset}">' if declared_charset else ""
    article = "\n".join(f"<p>{html.escape(p)}</p>" for p in body_paragraphs)
    heading = title if heading is None else heading
    head = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>{meta}
<title>{html.escape(title)}_浙江省人民政府门户网站</title></head>
<body>"""
    top = """
<div class="top-bar">无障碍浏览 | 长者模式 | <a href="/en">English</a> | 登录 注册</div>
<div id="header"><img src="logo.png" alt="浙江省人民政府">
<form action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li>
<li><a href="/bs">办事服务</a></li><li><a href="/hd">互动交流</a></li></ul></nav>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a> &gt; 政策文件</div>"""
    bottom = """
<div class="tools"><a href="#">打印本页</a> <a href="#">关闭窗口</a></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/1">国务院办公厅关于印发某某方案的通知</a></li>
<li><a href="/2">省政府办公厅关于做好某某工作的通知</a></li></ul></div>
<footer id="footer"><p>主办：浙江省人民政府办公厅 承办：浙江省大数据发展管理局</p>
<p>浙ICP备05000000号-1 网站标识码3300000001</p></footer>"""
    main = f"""
<div class="article"><h1>{html.escape(heading)}</h1>
<div class="info">发布日期：2022-12-30 来源：省政府办公厅</div>
<div class="TRS_Editor">
{article}
</div></div>"""
    page = head + (top if boilerplate else "") + main + (bottom if boilerplate else "") + "\n</body></html>\n"
    path = Path(path)
    path.write_bytes(page.encode(encoding))
    return path


def make_xlsx(
    path: Path,
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    merges: Sequence[str] | None = None,
    *,
    sheet: str = "任务分工表",
    extra_sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    """A 任务分工表 workbook: an optional title row (merged across the table), headers, rows.

    With a title the header is row 2 and data start at row 3; without, row 1 and row 2.
    ``merges`` are Excel ranges in sheet coordinates (e.g. "B3:B5"): put the value in the
    range's top-left cell and leave the others empty.  ``extra_sheets`` adds sheets, each
    given as rows of values, after the first.
    """
    import openpyxl
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    if title is not None:
        ws.append([title])
        if len(headers) > 1:
            ws.merge_cells(f"A1:{get_column_letter(len(headers))}1")
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    for cell_range in merges or ():
        ws.merge_cells(cell_range)
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True)
    for name, sheet_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in sheet_rows:
            extra.append(list(row))
    path = Path(path)
    workbook.save(str(path))
    return path


def make_csv(
    path: Path,
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """A 任务分工表 as CSV, as Excel exports it: optional title row padded with empty fields,
    the header row, the data rows; cells with line breaks are quoted; "\\r\\n" line endings."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        if title is not None:
            writer.writerow([title] + [""] * (len(headers) - 1))
        writer.writerow(headers)
        writer.writerows(rows)
    return path
