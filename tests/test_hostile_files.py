"""Issue 13: hostile files -- ZIP packages that expand far beyond their size -- refused before parsing.

Each package is a real one (python-docx, openpyxl, an OFD as 公文 systems write it) with one part
inflated by valid XML (a comment), so that without the check the reader parses it whole.
"""

from __future__ import annotations

import base64
import os
import warnings
import zipfile
from pathlib import Path

import pytest
from archivemakers import PrintedPage, make_ofd
from filemakers import make_docx, make_xlsx

from dutygraph.api.app import create_app
from dutygraph.loaders.read import ReadError, read_document

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PLAN = ["绍兴市数据共享工作方案", "一、主要任务", "1.建设统一平台。(牵头单位:市大数据局)"]


def inflate(source: Path, target: Path, member: str, padding: bytes) -> Path:
    """``source`` with ``padding`` (inside an XML comment) added at the end of ``member``."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == member:
                data += b"<!--" + padding + b"-->"
            copy.writestr(info.filename, data)
    return target


def docx(tmp_path: Path) -> Path:
    return make_docx(tmp_path / "plan.docx", PLAN)


def xlsx(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "plan.xlsx", None, ["序号", "任务", "牵头单位"], [[1, "建设统一平台", "市大数据局"]])


def ofd(tmp_path: Path) -> Path:
    return make_ofd(tmp_path / "plan.ofd", [PrintedPage(paragraphs=PLAN)], title=PLAN[0])


PACKAGES = [
    pytest.param(docx, "word/document.xml", "bomb.docx", id="docx"),
    pytest.param(xlsx, "xl/worksheets/sheet1.xml", "bomb.xlsx", id="xlsx"),
    pytest.param(ofd, "Doc_0/Pages/Page_0/Content.xml", "bomb.ofd", id="ofd"),
    pytest.param(xlsx, "xl/worksheets/sheet1.xml", "bomb.xls", id="xlsx-named-xls"),
]


@pytest.mark.parametrize(("make", "member", "name"), PACKAGES)
def test_a_part_that_expands_a_thousand_times_is_refused_before_parsing(tmp_path, make, member, name):
    # 40 MB of one repeated character in a package of ~40 KB, as the 1.1 MB → 1.17 GB .docx.
    bomb = inflate(make(tmp_path), tmp_path / name, member, b"x" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 200 * 1024
    with pytest.raises(ReadError) as refused:
        read_document(bomb)
    assert refused.value.path == bomb
    assert f"{member} expands" in refused.value.reason and "zip bomb" in refused.value.reason


def test_xml_that_compresses_normally_but_is_too_large_to_parse_is_refused(tmp_path):
    # 36 MB of varied text (a ratio of ~1.3): no bomb by ratio, but ~2 s a MB for python-docx to parse.
    padding = base64.b64encode(os.urandom(27 * 1024 * 1024))
    package = inflate(docx(tmp_path), tmp_path / "huge.docx", "word/document.xml", padding)
    with pytest.raises(ReadError, match=r"its XML parts expand to .* over the limit of 33,554,432 bytes"):
        read_document(package)


def test_a_package_that_expands_past_its_size_limit_is_refused(tmp_path):
    # Pictures barely compress, so the whole package may expand to 4 times the file size limit, no more.
    # 5 MB that compresses about 20 times: no bomb by ratio.
    picture = b"".join(os.urandom(512) + b"\0" * 10_240 for _ in range(500))
    package = tmp_path / "pictures.docx"
    with zipfile.ZipFile(docx(tmp_path)) as original, zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info))
        copy.writestr("word/media/image1.png", picture)
    assert package.stat().st_size < 1024 * 1024
    with pytest.raises(ReadError, match=r"the package expands to .* over the limit of 4,194,304 bytes"):
        read_document(package, max_bytes=1024 * 1024)
    assert "建设统一平台" in read_document(package).text  # within the default 50 MB limit it reads


def test_an_uploaded_zip_bomb_is_refused_with_the_reason(fresh_services, tmp_path):
    settings = fresh_services.settings.model_copy(update={"api_keys": "w=read+write"})
    api = TestClient(create_app(settings, fresh_services), base_url="http://localhost")
    bomb = inflate(docx(tmp_path), tmp_path / "bomb.docx", "word/document.xml", b"x" * (40 * 1024 * 1024))
    response = api.post("/api/documents", files={"file": ("方案.docx", bomb.read_bytes())}, headers={"X-API-Key": "w"})
    assert response.status_code == 422, response.text
    assert "word/document.xml expands" in response.json()["detail"]
    assert api.get("/api/documents").json()["total"] == 0
