"""Readers: every supported format from a real file, and every kind of bad input."""

from __future__ import annotations

import os
import pickle
import random
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from filemakers import (
    BOILERPLATE_TEXTS,
    make_csv,
    make_docx,
    make_html,
    make_image_only_pdf,
    make_pdf,
    make_txt,
    make_xlsx,
)

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.read import (
    SUPPORTED_SUFFIXES,
    RawDocument,
    ReadError,
    iter_document_paths,
    read_document,
    tables,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CLAUSE = "（一）建设一体化公共数据平台。（牵头单位：省大数据局；协同单位：省发展改革委、省财政厅等）"
PLAN = (
    "浙江省数字政府建设实施方案\n"
    "一、总体要求\n"
    "以习近平新时代中国特色社会主义思想为指导，全面推进政府数字化转型。\n"
    "二、主要任务\n"
    f"{CLAUSE}\n"
    "（二）深化“最多跑一次”改革。（责任单位：省委改革办、省大数据局）\n"
)
# 镕 and 堃 are in GBK but not GB2312; 䶮 (CJK Ext. A) and 𠀀 (Ext. B) need GB18030's four-byte codes.
BEYOND_GBK2312 = "镕堃䶮𠀀"

HEADERS = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]


def reason_of(excinfo: pytest.ExceptionInfo[ReadError]) -> str:
    return excinfo.value.reason


# --------------------------------------------------------------------------- txt encodings


def test_utf8_text_is_read_unchanged(tmp_path: Path) -> None:
    doc = read_document(make_txt(tmp_path / "plan.txt", PLAN))
    assert doc.format == "txt"
    assert doc.encoding == "utf-8"
    assert doc.text == PLAN
    assert doc.tables == []


def test_utf8_bom_is_detected_and_not_part_of_the_text(tmp_path: Path) -> None:
    path = make_txt(tmp_path / "plan.txt", PLAN, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    doc = read_document(path)
    assert doc.encoding == "utf-8-sig"
    assert doc.text == PLAN


def test_gb18030_is_detected_including_characters_outside_gb2312(tmp_path: Path) -> None:
    text = PLAN + f"附：人名用字{BEYOND_GBK2312}，牵头单位：省大数据局。\n"
    path = make_txt(tmp_path / "plan.txt", text, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert doc.text == text
    assert "省大数据局" in doc.text and "牵头单位" in doc.text and BEYOND_GBK2312 in doc.text


def test_short_gbk_text_is_detected_although_korean_ties_with_it(tmp_path: Path) -> None:
    # charset-normalizer ranks cp949 level with gb18030 on so few characters.
    doc = read_document(make_txt(tmp_path / "short.txt", "省大数据局牵头", "gbk"))
    assert doc.encoding == "gb18030"
    assert doc.text == "省大数据局牵头"


def test_big5_traditional_text_is_detected(tmp_path: Path) -> None:
    text = "各市、縣（市、區）人民政府，省政府直屬各單位：\n為貫徹落實數字政府建設，牽頭單位：省大數據局。\n"
    doc = read_document(make_txt(tmp_path / "big5.txt", text, "big5"))
    assert doc.encoding == "big5"
    assert doc.text == text


def test_utf16_with_bom_is_detected(tmp_path: Path) -> None:
    doc = read_document(make_txt(tmp_path / "u16.txt", PLAN, "utf-16"))
    assert doc.encoding == "utf-16"
    assert doc.text == PLAN


def test_utf16_without_bom_is_text_not_binary(tmp_path: Path) -> None:
    doc = read_document(make_txt(tmp_path / "u16le.txt", PLAN, "utf-16-le"))
    assert doc.encoding == "utf-16-le"
    assert doc.text == PLAN


def test_windows_and_old_mac_line_endings_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("一、总体要求\r\n（一）指导思想。\r二、主要任务\r\n".encode())
    assert read_document(path).text == "一、总体要求\n（一）指导思想。\n二、主要任务\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Für die Umsetzung der Maßnahmen ist das Ministerium zuständig. Café, naïve, résumé.", "cp1252"),
        ("デジタル政府の推進について、各省庁は協力して取り組む。", "shift_jis"),
        ("Правительство провинции Чжэцзян утвердило план цифрового правительства.", "koi8-r"),
    ],
    ids=["cp1252", "shift_jis", "koi8-r"],
)
def test_text_in_a_non_chinese_encoding_is_undetectable(tmp_path: Path, text: str, encoding: str) -> None:
    path = make_txt(tmp_path / "foreign.txt", text, encoding)
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    assert "undetectable text encoding" in reason_of(excinfo)
    assert str(excinfo.value).startswith("foreign.txt: ")


def test_damaged_utf8_is_an_error_naming_the_bad_byte(tmp_path: Path) -> None:
    data = PLAN.encode("utf-8")
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:40] + b"\xff" + data[40:])
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    assert "damaged UTF-8" in reason_of(excinfo)
    assert "byte 40" in reason_of(excinfo)


def test_utf8_cut_in_the_middle_of_a_character_is_not_decoded_as_something_else(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(PLAN.encode("utf-8")[:-2])  # the final "）\n" loses two bytes
    with pytest.raises(ReadError, match="damaged UTF-8"):
        read_document(path)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\r\n\t  ", "\u3000\u3000\n".encode(), b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"],
    ids=["zero-bytes", "ascii-whitespace", "full-width-spaces", "bom-only", "bom-and-whitespace"],
)
def test_empty_or_whitespace_only_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    assert reason_of(excinfo) == "empty file"


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _random_bytes(n: int, *, with_nul: bool) -> bytes:
    rng = random.Random(20240501)
    data = bytes(rng.randrange(256) for _ in range(n))
    return data if with_nul else data.replace(b"\x00", b"\x01")


@pytest.mark.parametrize(
    "content",
    [
        PNG_BYTES,
        _random_bytes(4096, with_nul=True),
        _random_bytes(4096, with_nul=False),
        "牵头单位：省大数据局".encode() + b"\x00\x00\x00\x07\x00",
    ],
    ids=["png", "random", "random-without-nul", "text-with-nul-bytes"],
)
def test_binary_content_renamed_txt_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    assert reason_of(excinfo).startswith("binary file, not text")


def test_docx_renamed_txt_is_called_binary_with_a_hint(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "plan.docx", ["牵头单位：省大数据局"])
    renamed = path.rename(tmp_path / "plan.txt")
    with pytest.raises(ReadError, match=r"binary file, not text \(looks like a ZIP package"):
        read_document(renamed)


def test_file_over_max_bytes_is_refused_naming_size_and_limit(tmp_path: Path) -> None:
    path = make_txt(tmp_path / "big.txt", PLAN * 10)
    size = path.stat().st_size
    with pytest.raises(ReadError) as excinfo:
        read_document(path, max_bytes=1000)
    reason = reason_of(excinfo)
    assert reason.startswith("file too large")
    assert f"{size:,} bytes" in reason and "1,000 bytes" in reason


def test_real_file_over_50_mb_is_refused_quickly_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    line = (CLAUSE + "\n").encode()
    with path.open("wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(line) + 2):
            handle.write(line)
    assert path.stat().st_size > 50 * 1024 * 1024

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "read_text", no_reading)
    started = time.perf_counter()
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    assert time.perf_counter() - started < 1.0
    assert "file too large" in reason_of(excinfo)
    assert "52,428,800 bytes (50.0 MB)" in reason_of(excinfo)


def test_unsupported_suffix_is_an_error_listing_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "plan.xyz"
    path.write_text(PLAN, encoding="utf-8")
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    assert reason_of(excinfo).startswith("unsupported format .xyz (supported: ")
    for suffix in (".txt", ".docx", ".pdf", ".html", ".xlsx", ".csv"):
        assert suffix in reason_of(excinfo)


def test_missing_file_and_folder_are_errors_not_tracebacks(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="file not found"):
        read_document(tmp_path / "nowhere.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ReadError, match="is a folder"):
        read_document(tmp_path / "folder.txt")


def test_suffix_is_matched_case_insensitively(tmp_path: Path) -> None:
    assert read_document(make_txt(tmp_path / "PLAN.TXT", PLAN)).format == "txt"


def test_unbalanced_brackets_and_clause_without_units_pass_through_unchanged(tmp_path: Path) -> None:
    text = (
        "（三）推进数据共享。（牵头单位：省大数据局；协同单位：省财政厅\n"
        "（四）加强安全保障。（责任单位：）\n"
        "（五）完善标准规范）。\n"
    )
    doc = read_document(make_txt(tmp_path / "odd.txt", text))
    assert doc.text == text
    assert "warnings" not in doc.metadata


def test_read_error_keeps_path_and_reason_and_survives_pickling(tmp_path: Path) -> None:
    error = ReadError(tmp_path / "方案.txt", "empty file")
    assert str(error) == "方案.txt: empty file"
    assert error.path == tmp_path / "方案.txt" and error.reason == "empty file"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))


# --------------------------------------------------------------------------- docx


def test_docx_paragraphs_one_per_line_with_empty_paragraphs_kept(tmp_path: Path) -> None:
    paragraphs = ["浙江省数字政府建设实施方案", "", "一、总体要求", CLAUSE, "", "（此件公开发布）"]
    path = make_docx(tmp_path / "plan.docx", paragraphs, title="浙江省数字政府建设实施方案")
    doc = read_document(path)
    assert doc.format == "docx"
    assert doc.encoding is None
    assert doc.text == "\n".join(paragraphs)
    assert doc.metadata["title"] == "浙江省数字政府建设实施方案"
    assert doc.tables == []


def test_docx_task_table_is_recognised_in_place(tmp_path: Path) -> None:
    table = [
        HEADERS,
        ["1", "建设数据底座", "建设一体化公共数据平台", "省大数据局", "省发展改革委、省财政厅", "2023年底前"],
        ["2", "", "完善数据共享机制", "省大数据局", "省委网信办\n省公安厅", "2024年6月底前"],
        ["二、数字社会", "", "", "", "", ""],
    ]
    path = make_docx(
        tmp_path / "fengong.docx",
        ["附件", "重点任务分工表"],
        table,
        paragraphs_after=["以上任务请各单位认真落实。"],
        merges=[(1, 1, 2, 1), (3, 0, 3, 5)],  # 重点任务 spans two rows; a section row spans the table
    )
    doc = read_document(path)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.headers == HEADERS
    assert t.keys == ["number", "task", "measures", "lead", "support", "deadline"]
    assert [row.line for row in t.rows] == [2, 3, 4]
    assert set(t.rows[2].cells) == {"number"}
    assert [row.cells["task"].text for row in t.rows[:2]] == ["建设数据底座", "建设数据底座"]
    assert t.rows[1].cells["support"].text == "省委网信办\n省公安厅"
    assert doc.text.startswith("附件\n重点任务分工表\n序号 | 重点任务")
    assert doc.text.endswith("\n以上任务请各单位认真落实。")
    assert_offsets(doc)


def test_docx_table_without_task_header_is_kept_as_text(tmp_path: Path) -> None:
    table = [["姓名", "职务"], ["张三", "省大数据局局长"]]
    doc = read_document(make_docx(tmp_path / "contacts.docx", ["联系人"], table))
    assert doc.tables == []
    assert doc.text == "联系人\n姓名 | 职务\n张三 | 省大数据局局长"


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_content_controls_are_read_and_tracked_insertions_flagged(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    path = make_docx(tmp_path / "controls.docx", ["一、总体要求", "牵头单位：省大数据局"])
    document = docx.Document(str(path))
    cover = f"<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>浙江省数字政府建设实施方案</w:t></w:r></w:p>"
    document.element.body.insert(0, parse_xml(cover + "</w:sdtContent></w:sdt>"))
    inserted = f'<w:ins {W_NS} w:id="1" w:author="省大数据局"><w:r><w:t>、省财政厅</w:t></w:r></w:ins>'
    document.paragraphs[-1]._p.append(parse_xml(inserted))
    document.save(str(path))

    doc = read_document(path)
    assert doc.text == "浙江省数字政府建设实施方案\n一、总体要求\n牵头单位：省大数据局"
    assert "1 tracked insertion(s) not read" in doc.metadata["warnings"]


def test_corrupt_docx_is_an_error_with_a_plain_reason(tmp_path: Path) -> None:
    random_file = tmp_path / "random.docx"
    random_file.write_bytes(_random_bytes(2048, with_nul=True))
    with pytest.raises(ReadError, match=r"not a valid Word \.docx file \(not a ZIP package"):
        read_document(random_file)

    wrong_zip = tmp_path / "wrong.docx"
    with zipfile.ZipFile(wrong_zip, "w") as archive:
        archive.writestr("readme.txt", "牵头单位")
    with pytest.raises(ReadError) as excinfo:
        read_document(wrong_zip)
    assert reason_of(excinfo).startswith("not a valid Word .docx file (")
    assert "Traceback" not in str(excinfo.value)


def test_docx_without_any_text_is_empty(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="empty file"):
        read_document(make_docx(tmp_path / "blank.docx", ["", ""]))


# --------------------------------------------------------------------------- pdf


def test_pdf_text_of_every_page_with_page_breaks_as_blank_lines(tmp_path: Path) -> None:
    page1 = "浙江省数字政府建设实施方案\n二、主要任务\n（一）建设一体化公共数据平台。（牵头单位：省大数\n— 1 —"
    page2 = "据局；协同单位：省发展改革委、省财政厅等）\n（二）深化“最多跑一次”改革。\n— 2 —"
    page3 = "（三）加强组织保障。（责任单位：省委改革办）\n— 3 —"
    path = make_pdf(tmp_path / "plan.pdf", [page1, page2, page3], title="浙江省数字政府建设实施方案")
    doc = read_document(path)
    assert doc.format == "pdf"
    assert doc.metadata["pages"] == "3"
    assert doc.metadata["title"] == "浙江省数字政府建设实施方案"
    # the word split across the page break stays split, the footers stay: repair comes later
    assert "（牵头单位：省大数\n— 1 —\n\n据局；协同单位：省发展改革委、省财政厅等）" in doc.text
    assert doc.text.count("\n\n") == 2
    assert doc.text.split("\n\n") == [page1, page2, page3]
    assert "warnings" not in doc.metadata


def test_pdf_long_lines_wrap_into_separate_lines(tmp_path: Path) -> None:
    long_clause = CLAUSE * 3
    doc = read_document(make_pdf(tmp_path / "wrap.pdf", [long_clause]))
    assert doc.text != long_clause
    assert doc.text.replace("\n", "") == long_clause


def test_corrupt_pdf_is_an_error_with_the_library_reason(tmp_path: Path) -> None:
    random_file = tmp_path / "random.pdf"
    random_file.write_bytes(_random_bytes(4096, with_nul=True))
    with pytest.raises(ReadError, match="not a valid PDF"):
        read_document(random_file)

    good = make_pdf(tmp_path / "good.pdf", [CLAUSE])
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good.read_bytes()[:400])
    with pytest.raises(ReadError) as excinfo:
        read_document(truncated)
    assert reason_of(excinfo).startswith("not a valid PDF (")


def test_pdf_without_text_layer_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as excinfo:
        read_document(make_image_only_pdf(tmp_path / "scan.pdf", pages=2))
    assert reason_of(excinfo) == "PDF has no text layer (scanned?)"


def test_pdf_with_one_blank_page_is_read_and_flagged(tmp_path: Path) -> None:
    doc = read_document(make_pdf(tmp_path / "gap.pdf", ["（一）建设数据底座。", "", "（二）深化改革。"]))
    assert doc.text == "（一）建设数据底座。\n\n\n\n（二）深化改革。"
    assert "pages without text (scanned?): 2" in doc.metadata["warnings"]


# --------------------------------------------------------------------------- html

ARTICLE = [
    "各市、县（市、区）人民政府，省政府直属各单位：",
    "为贯彻落实党中央、国务院关于加强数字政府建设的重大决策部署，现提出如下实施意见。",
    "一、总体要求",
    CLAUSE,
    "（二）深化“最多跑一次”改革。（责任单位：省委改革办、省大数据局）",
    "（此件公开发布）",
]


@pytest.mark.parametrize("paragraphs", [ARTICLE, ARTICLE[:2]], ids=["article", "short-article"])
def test_html_main_text_kept_and_navigation_header_footer_dropped(tmp_path: Path, paragraphs: list[str]) -> None:
    path = make_html(tmp_path / "page.html", paragraphs, title="浙江省数字政府建设实施意见")
    doc = read_document(path)
    assert doc.format == "html"
    assert doc.encoding == "utf-8"
    lines = doc.text.split("\n")
    assert lines[0] == "浙江省数字政府建设实施意见"  # the article's <h1>
    for paragraph in paragraphs:
        assert paragraph in lines
    for boilerplate in BOILERPLATE_TEXTS:
        assert boilerplate not in doc.text
    assert doc.metadata["title"] == "浙江省数字政府建设实施意见_浙江省人民政府门户网站"


def test_html_meta_charset_gbk_is_honoured(tmp_path: Path) -> None:
    path = make_html(tmp_path / "gbk.html", ARTICLE, encoding="gbk")
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert CLAUSE in doc.text.split("\n")


def test_html_without_charset_declaration_is_detected(tmp_path: Path) -> None:
    path = make_html(tmp_path / "nometa.htm", ARTICLE, encoding="gb18030", declared_charset=None)
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert CLAUSE in doc.text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_html_wrong_latin1_declaration_is_overruled_and_flagged(tmp_path: Path, encoding: str) -> None:
    path = make_html(tmp_path / "liar.html", ARTICLE, encoding=encoding, declared_charset="iso-8859-1")
    doc = read_document(path)
    assert doc.encoding == encoding
    assert CLAUSE in doc.text
    assert f"charset 'iso-8859-1' declared but the bytes are {encoding}" in doc.metadata["warnings"]


def test_html_repeated_paragraphs_are_all_kept(tmp_path: Path) -> None:
    paragraphs = [
        *ARTICLE[:3],
        "（一）建设数据底座。",
        "责任单位：市大数据局",
        "（二）推进一网通办。",
        "责任单位：市大数据局",
    ]
    doc = read_document(make_html(tmp_path / "repeat.html", paragraphs))
    assert doc.text.split("\n").count("责任单位：市大数据局") == 2


def test_html_keeps_private_use_and_compatibility_characters_trafilatura_would_drop(tmp_path: Path) -> None:
    mojibake = " ?。ǘ\ue46a┛傮w目標。到2025年,實現經濟調節(jié)"  # as in seed 004
    compat = "突兀\ufa0c"  # CJK compatibility ideograph, in GBK; NFC would change it to 兀
    doc = read_document(make_html(tmp_path / "pua.html", [*ARTICLE, mojibake.strip(), compat]))
    assert mojibake.strip() in doc.text.split("\n")
    assert compat in doc.text.split("\n")


@pytest.mark.skipif(not (SEEDS / "003_160671325042dcbf.txt").is_file(), reason="seed 003 not in ../shared/seeds")
def test_html_rendering_of_seed_003_keeps_every_line_and_repeat(tmp_path: Path) -> None:
    lines = [line.strip() for line in (SEEDS / "003_160671325042dcbf.txt").read_text("utf-8").split("\n")]
    lines = [line for line in lines if line]
    doc = read_document(make_html(tmp_path / "shaoxing.html", lines[1:], title=lines[0]))
    got = [line.strip() for line in doc.text.split("\n") if line.strip()]
    assert got == lines  # heading first, then every paragraph in order
    assert got.count("责任单位:市大数据局") == 5


# A county site's article page: the title and 文号 in <div>s styled by class, beside (not inside)
# the container of the text, the plan's own title as a class-styled block inside it, and a
# site title and a column title that are not the document's.
CLASS_HEADINGS_PAGE = """<html><head><meta charset="utf-8">
<title>关于印发睢宁县数字乡村建设行动方案的通知_睢宁县人民政府</title></head><body>
<div class="site-title">睢宁县人民政府</div>
<div class="nav"><a>首页</a> <a>政务公开</a> <a>政策文件</a></div>
<div class="lm-title">政策文件</div>
<div class="article">
<div class="{title_class}">关于印发睢宁县数字乡村建设行动方案的通知</div>
<div class="wh">睢政办发〔2023〕18号</div>
<div class="content">
<p>各镇人民政府，县各委办局：</p>
<p>现将《睢宁县数字乡村建设行动方案》印发给你们，请认真组织实施。</p>
<p>睢宁县人民政府办公室</p>
<p>2023年4月6日</p>
<div class="zw_bt">睢宁县数字乡村建设行动方案</div>
<p>一、重点任务</p>
<p>1.推进农村宽带网络提速。（县工信局牵头，县农业农村局配合）</p>
</div></div>
<div class="footer">主办单位：睢宁县人民政府办公室</div>
</body></html>
"""


@pytest.mark.parametrize("title_class", ["title", "article-title", "xxgk_bt", "ArticleTitle"])
def test_html_headings_styled_by_class_are_kept_in_place(tmp_path: Path, title_class: str) -> None:
    path = tmp_path / "suining.html"
    path.write_text(CLASS_HEADINGS_PAGE.replace("{title_class}", title_class), "utf-8")
    doc = read_document(path)
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    assert lines[0] == "关于印发睢宁县数字乡村建设行动方案的通知"
    assert lines[5:7] == ["睢宁县数字乡村建设行动方案", "一、重点任务"]  # the plan's title where it stands, once
    assert lines.count("睢宁县数字乡村建设行动方案") == 1
    assert "睢宁县人民政府" not in lines and "政策文件" not in lines  # site and column titles are chrome
    assert doc.metadata["heading"] == "关于印发睢宁县数字乡村建设行动方案的通知"
    assert doc.metadata["page_doc_number"] == "睢政办发〔2023〕18号"  # the 文号 shown apart from the text


def test_html_class_styled_title_and_doc_number_give_the_documents_metadata(tmp_path: Path) -> None:
    path = tmp_path / "suining.html"
    path.write_text(CLASS_HEADINGS_PAGE.replace("{title_class}", "title"), "utf-8")
    doc = Extractor().extract_file(path)
    assert (doc.title, doc.doc_number, doc.jurisdiction) == (
        "睢宁县数字乡村建设行动方案",
        "睢政办发〔2023〕18号",
        "睢宁县",
    )
    (task,) = doc.tasks
    assert [(a.name, a.role.value) for a in task.assignments] == [("县工信局", "lead"), ("县农业农村局", "support")]


def test_html_page_without_article_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>首页</title></head><body><script>var a=1;</script></body></html>")
    with pytest.raises(ReadError):
        read_document(path)


# --------------------------------------------------------------------------- xlsx


def test_xlsx_title_row_above_header_becomes_the_table_title(tmp_path: Path) -> None:
    rows = [
        [1, "建设数据底座", "建设一体化公共数据平台", "省大数据局", "省发展改革委、省财政厅", "2023年底前"],
        [2, "深化改革", "推进“最多跑一次”改革", "省委改革办", "省大数据局", "长期坚持"],
    ]
    path = make_xlsx(tmp_path / "fengong.xlsx", "浙江省数字政府建设重点任务分工表", HEADERS, rows)
    doc = read_document(path)
    assert doc.format == "xlsx" and doc.encoding is None
    (table,) = doc.tables
    assert table.sheet == "任务分工表"
    assert table.title == "浙江省数字政府建设重点任务分工表"
    assert table.keys == ["number", "task", "measures", "lead", "support", "deadline"]
    assert [row.line for row in table.rows] == [3, 4]
    assert table.rows[0].cells["number"].text == "1"  # not "1.0"
    assert table.rows[1].cells["lead"].text == "省委改革办"
    assert doc.text.split("\n")[:3] == [
        "浙江省数字政府建设重点任务分工表",
        "序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限",
        "1 | 建设数据底座 | 建设一体化公共数据平台 | 省大数据局 | 省发展改革委、省财政厅 | 2023年底前",
    ]
    assert_offsets(doc)


def test_xlsx_merged_task_cell_is_repeated_for_each_measure(tmp_path: Path) -> None:
    rows = [
        [1, "建设数据底座", "建设一体化公共数据平台", "省大数据局", "省财政厅", "2023年底前"],
        [None, None, "完善数据共享机制", "省大数据局", "省委网信办", "2024年底前"],
        [None, None, "健全数据安全制度", "省委网信办", "省公安厅", "2024年底前"],
        [2, "深化改革", "推进“最多跑一次”改革", "省委改革办", "省大数据局", "长期坚持"],
    ]
    path = make_xlsx(tmp_path / "merged.xlsx", "重点任务分工表", HEADERS, rows, merges=["A3:A5", "B3:B5"])
    (table,) = read_document(path).tables
    assert [row.cells["task"].text for row in table.rows] == ["建设数据底座"] * 3 + ["深化改革"]
    assert [row.cells["number"].text for row in table.rows] == ["1", "1", "1", "2"]
    assert [row.cells["measures"].text for row in table.rows][1] == "完善数据共享机制"


def test_xlsx_section_row_merged_across_the_table_is_not_copied_into_unit_columns(tmp_path: Path) -> None:
    rows = [
        ["一、数字经济", None, None, None, None, None],
        [1, "建设数据底座", "建设一体化公共数据平台", "省大数据局", "省财政厅", "2023年底前"],
        ["注：各设区市政府负责本地区任务落实。", None, None, None, None, None],
    ]
    path = make_xlsx(tmp_path / "sections.xlsx", "重点任务分工表", HEADERS, rows, merges=["A3:F3", "A5:F5"])
    doc = read_document(path)
    (table,) = doc.tables
    assert set(table.rows[0].cells) == {"number"}
    assert table.rows[0].cells["number"].text == "一、数字经济"
    assert table.rows[1].cells["lead"].text == "省大数据局"
    assert set(table.rows[2].cells) == {"number"}
    assert doc.text.split("\n")[2] == "一、数字经济 |  |  |  |  | "
    assert_offsets(doc)


def test_xlsx_formatted_but_empty_columns_do_not_widen_the_table(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "wide.xlsx", None, HEADERS, [[1, "建设数据底座", "建设平台", "省大数据局", "省财政厅", "年内"]]
    )
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    workbook.active["K2"].number_format = "@"  # a formatted, empty cell far to the right
    workbook.active["K2"].value = ""
    workbook.save(path)
    (table,) = read_document(path).tables
    assert table.headers == HEADERS


def test_xlsx_cells_with_several_units_keep_their_line_breaks(tmp_path: Path) -> None:
    rows = [[1, "建设数据底座", "建设平台", "省大数据局", "省发展改革委\n省财政厅\r\n省公安厅", "2023年底前"]]
    doc = read_document(make_xlsx(tmp_path / "units.xlsx", None, HEADERS, rows))
    cell = doc.tables[0].rows[0].cells["support"]
    assert cell.text == "省发展改革委\n省财政厅\n省公安厅"
    assert doc.text[cell.start : cell.end] == cell.text


def test_xlsx_headers_with_inner_whitespace_and_other_names_are_recognised(tmp_path: Path) -> None:
    headers = [
        "序  号",
        "主要任务",
        "牵头\n部门",
        "协同\u3000单位",
        "时间节点",
        "牵头负责领导",
        "备注",
        "联系人",
    ]
    rows = [[1, "推进数据共享", "省大数据局", "省财政厅", "2023年", "副省长", "", "王五"]]
    (table,) = read_document(make_xlsx(tmp_path / "names.xlsx", None, headers, rows)).tables
    assert table.headers[:4] == ["序号", "主要任务", "牵头部门", "协同单位"]
    assert table.keys == ["number", "task", "lead", "support", "deadline", "leader", "note", None]
    assert table.rows[0].cells["联系人"].text == "王五"  # unrecognised column kept, keyed by its header
    assert "note" not in table.rows[0].cells  # empty cells are left out


def test_xlsx_two_level_header_under_merged_responsible_units(tmp_path: Path) -> None:
    headers = ["序号", "重点任务", "责任单位", "", "完成时限"]
    rows = [
        ["", "", "牵头单位", "配合单位", ""],
        [1, "建设数据底座", "省大数据局", "省财政厅", "2023年底前"],
    ]
    path = make_xlsx(
        tmp_path / "twolevel.xlsx", "任务分工表", headers, rows, merges=["C2:D2", "A2:A3", "B2:B3", "E2:E3"]
    )
    (table,) = read_document(path).tables
    assert table.keys == ["number", "task", "lead", "support", "deadline"]
    assert len(table.rows) == 1
    assert table.rows[0].line == 4
    assert table.rows[0].cells["lead"].text == "省大数据局"


def test_xlsx_sheet_without_task_header_is_an_error_naming_the_sheet(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "contacts.xlsx",
        "通讯录",
        ["姓名", "单位", "电话"],
        [["张三", "省大数据局", "0571-1234"]],
        sheet="通讯录",
    )
    with pytest.raises(ReadError) as excinfo:
        read_document(path)
    reason = reason_of(excinfo)
    assert "'通讯录'" in reason
    assert "no 任务分工表 header (expected columns such as 序号/重点任务/牵头单位/配合单位/完成时限)" in reason


def test_xlsx_every_sheet_with_a_header_is_read_and_others_are_flagged(tmp_path: Path) -> None:
    second = [
        ["2023年重点任务"],
        HEADERS,
        [1, "推进一网通办", "建设政务服务平台", "省政务办", "省大数据局", "年内"],
    ]
    path = make_xlsx(
        tmp_path / "sheets.xlsx",
        "2022年重点任务",
        HEADERS,
        [[1, "建设数据底座", "建设平台", "省大数据局", "省财政厅", "2022年底前"]],
        sheet="2022",
        extra_sheets={"填表说明": [["请按要求填写"]], "2023": second, "空白": []},
    )
    doc = read_document(path)
    assert [t.sheet for t in doc.tables] == ["2022", "2023"]
    assert doc.tables[1].title == "2023年重点任务"
    assert "sheet '填表说明' skipped" in doc.metadata["warnings"]
    assert "空白" not in doc.metadata["warnings"]
    assert "\n\n2023年重点任务\n" in doc.text
    assert_offsets(doc)


def test_corrupt_xlsx_is_an_error_with_a_plain_reason(tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(_random_bytes(2048, with_nul=True))
    with pytest.raises(ReadError, match=r"not a valid Excel \.xlsx file"):
        read_document(path)
    renamed = make_docx(tmp_path / "word.docx", ["牵头单位"]).rename(tmp_path / "word.xlsx")
    with pytest.raises(ReadError, match=r"not a valid Excel \.xlsx file \("):
        read_document(renamed)


# --------------------------------------------------------------------------- csv


def test_csv_in_gb18030_with_title_row_is_detected_and_recognised(tmp_path: Path) -> None:
    rows = [
        [1, "建设数据底座", "建设一体化公共数据平台", "省大数据局", "省发展改革委、省财政厅", "2023年底前"],
        [2, "深化改革", f"推进改革，含{BEYOND_GBK2312}", "省委改革办", "省大数据局\n省司法厅", "长期坚持"],
    ]
    path = make_csv(tmp_path / "fengong.csv", "重点任务分工表", HEADERS, rows, encoding="gb18030")
    doc = read_document(path)
    assert doc.format == "csv" and doc.encoding == "gb18030"
    (table,) = doc.tables
    assert table.sheet is None
    assert table.title == "重点任务分工表"
    assert [row.line for row in table.rows] == [3, 4]
    assert table.rows[1].cells["support"].text == "省大数据局\n省司法厅"
    assert BEYOND_GBK2312 in table.rows[1].cells["measures"].text
    assert_offsets(doc)


def test_tab_separated_csv_in_utf8_bom_is_recognised(tmp_path: Path) -> None:
    rows = [[1, "建设数据底座", "建设平台", "省大数据局", "省财政厅", "2023年底前"]]
    path = make_csv(tmp_path / "tabs.csv", None, HEADERS, rows, encoding="utf-8-sig", delimiter="\t")
    doc = read_document(path)
    assert doc.encoding == "utf-8-sig"
    assert doc.tables[0].rows[0].cells["lead"].text == "省大数据局"


def test_csv_without_task_header_is_an_error(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "list.csv", None, ["名称", "数量"], [["服务器", 3]])
    with pytest.raises(ReadError, match="no 任务分工表 header"):
        read_document(path)


# --------------------------------------------------------------------------- seeds and folders


SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(len(SEED_FILES) != 5, reason="the five seed documents are not in ../shared/seeds")
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_document_is_read_as_utf8_unchanged(seed: Path) -> None:
    doc = read_document(seed)
    assert doc.encoding == "utf-8"
    assert doc.text == seed.read_bytes().decode("utf-8")
    assert "warnings" not in doc.metadata


@pytest.mark.skipif(len(SEED_FILES) != 5, reason="the five seed documents are not in ../shared/seeds")
def test_seed_004_mojibake_is_left_for_the_repair_step() -> None:
    doc = read_document(next(p for p in SEED_FILES if p.name.startswith("004_")))
    assert " ?。ǘ\ue46a┛傮w目標。到2025年" in doc.text  # GBK mojibake in a heading, untouched
    assert "發(fā)" in doc.text  # pinyin gloss, untouched


def test_iter_document_paths_walks_folders_sorted_and_skips_hidden_and_sidecars(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in (
        "b/2023方案.docx",
        "b/2023方案.meta.yaml",
        "a/分工表.xlsx",
        "a/.~lock.分工表.xlsx#",
        "a/~$分工表.xlsx",
        "a/notes.md",
        "c/page.HTML",
        ".git/config.txt",
        ".hidden.txt",
        "z.txt",
        "a.pdf",
        "d/e/f.csv",
    ):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x", encoding="utf-8")
    single = make_txt(tmp_path / "notes.md", "不是支持的格式")
    found = list(iter_document_paths([single, root]))
    assert found == [
        single,  # a file is yielded as given, whatever its suffix
        root / "a" / "分工表.xlsx",
        root / "a.pdf",
        root / "b" / "2023方案.docx",
        root / "c" / "page.HTML",
        root / "d" / "e" / "f.csv",
        root / "z.txt",
    ]


# --------------------------------------------------------------------------- shared properties


def test_supported_suffixes_are_the_documented_formats() -> None:
    assert {".txt", ".docx", ".pdf", ".html", ".xlsx", ".csv"} <= SUPPORTED_SUFFIXES
    assert all(s == s.lower() and s.startswith(".") for s in SUPPORTED_SUFFIXES)


def test_header_vocabulary_is_data_with_each_text_under_one_key() -> None:
    data = yaml.safe_load(tables.HEADERS_FILE.read_text("utf-8"))
    texts = [t for names in data["columns"].values() for t in names]
    assert len(texts) == len(set(texts))
    assert {
        "number",
        "task",
        "measures",
        "lead",
        "support",
        "responsible",
        "deadline",
        "leader",
        "note",
    } == set(data["columns"])


def assert_offsets(doc: RawDocument) -> None:
    """Every cell of every table points at its own text in doc.text."""
    assert doc.tables
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells.values():
                assert doc.text[cell.start : cell.end] == cell.text
                assert cell.end > cell.start


def test_no_reader_lets_a_library_exception_escape_on_garbage(tmp_path: Path) -> None:
    rng = random.Random(7)
    for suffix in sorted(SUPPORTED_SUFFIXES):
        for n in (1, 7, 512, 5000):
            path = tmp_path / f"garbage{n}{suffix}"
            path.write_bytes(bytes(rng.randrange(256) for _ in range(n)))
            with pytest.raises(ReadError):
                read_document(path)
    assert os.listdir(tmp_path)


def test_a_folder_with_office_documents_no_reader_handles_reports_them_instead_of_skipping_them(tmp_path):
    (tmp_path / "plan.txt").write_text("浙江省测试方案", "utf-8")
    (tmp_path / "old.et").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (tmp_path / "notes.md").write_text("not a plan", "utf-8")
    found = [p.name for p in iter_document_paths([tmp_path])]
    assert found == ["old.et", "plan.txt"]
    with pytest.raises(ReadError, match=r"old\.et: \.et documents cannot be read: save it as \.xlsx"):
        read_document(tmp_path / "old.et")


def test_a_damaged_zip_package_says_so_plainly(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ReadError, match="damaged ZIP package"):
        read_document(path)
