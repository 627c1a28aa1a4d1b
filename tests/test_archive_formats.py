"""Every format a government archive holds (issue 15): .doc and .wps (LibreOffice, antiword,
catdoc), .ofd, .xls, scanned PDFs, a photographed page and a mixed PDF, each made by the test
itself from one 江苏 plan (``jiangsu_plan``) and checked against what was written by hand.

The files are made once per test run (conversions and OCR take seconds each; the xdist
workers share one folder) and extracted once; the tests then look at the same Documents.
The converters are the real Debian programs and Python packages ``python3 run.py test``
installs; the machine without them is a real ``PATH`` that holds none of them.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jiangsu_plan as plan
import pytest
from archivemakers import libreoffice_convert, make_mixed_pdf, make_ofd, make_photo_png, make_scanned_pdf
from filemakers import make_docx, make_pdf, make_xlsx

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.pipeline import quality_report, task_record
from dutygraph.loaders.read import ReadError, read_document
from dutygraph.model import Document

THRESHOLD = 0.9
SCANNED = ("scan.pdf", "photo.png", "mixed.pdf", "scan.ofd")
READ_HERE = {".doc", ".wps", ".ofd", ".xls", ".pdf", ".png"}


@contextmanager
def only_one_worker_at_a_time(lock: Path) -> Iterator[None]:
    """Serialise the pytest-xdist workers on ``lock``, so the first one builds what the others
    then reuse (each worker has its own session)."""
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this run share (the parent of their own temp folders)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session")
def archive(shared_dir: Path) -> Path:
    """A folder with the plan in every archive format, made the way an office makes them, once
    per test run."""
    folder = shared_dir / "archive-formats"
    with only_one_worker_at_a_time(shared_dir / "archive-formats.lock"):
        if not (folder / ".made").exists():
            folder.mkdir(exist_ok=True)
            _make_archive(folder)
            (folder / ".made").touch()
    return folder


def _make_archive(folder: Path) -> None:
    make_docx(folder / "plan.docx", plan.paragraphs(), title=plan.TITLE)
    libreoffice_convert(folder / "plan.docx", folder / "plan.doc", "doc:MS Word 97")
    # A Kingsoft WPS Writer .wps is Word 97's binary format under its own suffix.
    libreoffice_convert(folder / "plan.docx", folder / "plan.wps", "doc:MS Word 97")
    make_xlsx(folder / "table.xlsx", plan.TABLE_TITLE, plan.TABLE_HEADERS, plan.TABLE_ROWS, plan.TABLE_MERGES)
    libreoffice_convert(folder / "table.xlsx", folder / "table.xls", "xls:MS Excel 97")
    make_ofd(folder / "plan.ofd", plan.PAGES, title=plan.TITLE, author="江苏省人民政府办公厅")
    make_ofd(folder / "scan.ofd", plan.PAGES, title=plan.TITLE, scanned=(1,))  # page 2 an image, as scanned
    make_scanned_pdf(folder / "scan.pdf", plan.PAGES, dpi=200)
    make_photo_png(folder / "photo.png", plan.PLAN, dpi=200, angle=1.5)
    notice = "\n".join(p.removeprefix("→").strip("　") for p in [plan.NOTICE.red_head or "", *plan.NOTICE.paragraphs])
    make_mixed_pdf(folder / "mixed.pdf", [notice], {1: plan.PLAN}, dpi=200)


@pytest.fixture(scope="session")
def extracted(archive: Path, shared_dir: Path, extractor: Extractor) -> dict[str, Document]:
    """Every file of the archive extracted once per test run (OCR takes seconds a page); the
    other workers unpickle the Documents."""
    cache = shared_dir / "archive-formats.pickle"
    with only_one_worker_at_a_time(shared_dir / "archive-formats-extracted.lock"):
        if cache.exists():
            return pickle.loads(cache.read_bytes())
        docs = {p.name: extractor.extract_file(p) for p in sorted(archive.iterdir()) if p.suffix in READ_HERE}
        cache.write_bytes(pickle.dumps(docs))
    return docs


def triples(doc: Document, *, key: str = "title") -> list[tuple[str, str, str]]:
    return [(getattr(t, key), a.name, a.role.value) for t in doc.tasks for a in t.assignments]


def deadlines(doc: Document, *, key: str = "title") -> dict[str, list]:
    return {getattr(t, key): [m.due for m in t.milestones if m.due] for t in doc.tasks}


def f1(found: list[tuple[str, str, str]], expected: list[tuple[str, str, str]]) -> float:
    hits = len(set(found) & set(expected))
    if not hits:
        return 0.0
    precision, recall = hits / len(set(found)), hits / len(set(expected))
    return 2 * precision * recall / (precision + recall)


# ---------------------------------------------------------------------------- word processors, OFD


@pytest.mark.parametrize("name", ["plan.doc", "plan.wps", "plan.ofd"])
def test_doc_wps_and_ofd_yield_the_plans_tasks_triples_and_deadlines(extracted, name):
    doc = extracted[name]
    assert doc.format == name.rsplit(".", 1)[1]
    assert [t.title for t in doc.tasks] == plan.TASKS
    assert triples(doc) == plan.TRIPLES
    assert deadlines(doc) == plan.DEADLINES
    assert (doc.title, doc.doc_number, doc.issued) == (plan.TITLE, plan.DOC_NUMBER, plan.ISSUED)
    assert doc.ocr_pages == [] and all(a.confidence is None for t in doc.tasks for a in t.assignments)


def test_doc_through_libreoffice_reads_exactly_like_the_docx_it_was_saved_from(archive):
    original = read_document(archive / "plan.docx")
    for name in ("plan.doc", "plan.wps"):
        converted = read_document(archive / name)
        assert converted.text == original.text
        assert converted.format == name[-3:]


def test_ofd_text_is_in_reading_order_with_the_page_footer_last_as_the_pdf_reader_gives_it(archive, tmp_path):
    ofd = read_document(archive / "plan.ofd")
    pages = ofd.text.split("\n\n")
    # The footer is written first in each page's content; by position it is the page's last line.
    assert [page.splitlines()[-1] for page in pages] == ["— 1 —", "— 2 —"]
    assert pages[0].splitlines()[:2] == ["江苏省人民政府办公厅文件", plan.DOC_NUMBER]
    assert ofd.metadata["title"] == plan.TITLE and ofd.metadata["pages"] == "2"


@pytest.mark.parametrize("program", ["antiword", "catdoc"])
def test_without_libreoffice_antiword_and_catdoc_read_doc_and_wps_as_text(archive, extractor, tmp_path, program):
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / program).symlink_to(f"/usr/bin/{program}")
    saved = os.environ["PATH"]
    os.environ["PATH"] = str(tools)
    try:
        docs = {name: extractor.extract_file(archive / name) for name in ("plan.doc", "plan.wps")}
    finally:
        os.environ["PATH"] = saved
    for doc in docs.values():
        assert triples(doc) == plan.TRIPLES
        assert deadlines(doc) == plan.DEADLINES
        assert any(f"read with {program} (LibreOffice is not installed)" in w for w in doc.warnings)


def test_a_damaged_doc_is_an_error_naming_the_file_not_a_crash(tmp_path):
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError) as caught:
        read_document(path)
    assert str(caught.value).startswith("broken.doc: ")
    renamed = tmp_path / "plan.wps"
    make_pdf(renamed, ["江苏省测试方案"])
    with pytest.raises(ReadError, match=r"plan\.wps: not a Word 97–2003 / WPS document; it looks like a PDF"):
        read_document(renamed)


# ---------------------------------------------------------------------------- .xls


def test_xls_reads_like_the_xlsx_it_was_saved_from_with_the_same_tasks(archive, extracted, extractor):
    xls, xlsx = read_document(archive / "table.xls"), read_document(archive / "table.xlsx")
    assert xls.text == xlsx.text
    assert [t.keys for t in xls.tables] == [t.keys for t in xlsx.tables]
    doc = extracted["table.xls"]
    assert doc.format == "xls"
    assert triples(doc, key="text") == plan.TABLE_TRIPLES
    assert deadlines(doc, key="text") == plan.TABLE_DEADLINES
    assert triples(extractor.extract_file(archive / "table.xlsx"), key="text") == plan.TABLE_TRIPLES


# ---------------------------------------------------------------------------- scans


@pytest.mark.parametrize("name", SCANNED)
def test_scans_give_triple_f1_of_at_least_095_and_every_unit_exact_or_flagged(extracted, name):
    doc = extracted[name]
    found = triples(doc)
    assert f1(found, plan.TRIPLES) >= 0.95, found
    report = quality_report(doc, confidence_threshold=THRESHOLD)
    flagged = {(x["task"], x["name"]) for x in report["ocr"]["low_confidence"]}
    for task in doc.tasks:
        for a in task.assignments:
            assert a.name in plan.UNITS or (task.number, a.name) in flagged, a.name


@pytest.mark.parametrize("name", SCANNED)
def test_scans_yield_the_tasks_and_deadlines_written_by_hand(extracted, name):
    doc = extracted[name]
    assert [t.title for t in doc.tasks] == plan.TASKS
    assert deadlines(doc) == plan.DEADLINES


def test_scanned_pdf_reads_the_red_head_document_number_and_date_and_drops_the_seal(extracted):
    doc = extracted["scan.pdf"]
    assert (doc.title, doc.doc_number, doc.issued) == (plan.TITLE, plan.DOC_NUMBER, plan.ISSUED)
    assert doc.ocr_pages == [1, 2]
    assert any(w.startswith("page 1: dropped red seal text") for w in doc.warnings)
    assert "江苏省人民政府办公厅文件" in doc.text  # the red head is kept


def test_every_assignment_read_by_ocr_carries_its_confidence_into_the_report_and_json(extracted):
    doc = extracted["scan.pdf"]
    confidences = [a.confidence for t in doc.tasks for a in t.assignments]
    assert all(c is not None and 0.0 < c <= 1.0 for c in confidences)
    everything_flagged = quality_report(doc, confidence_threshold=1.01)["ocr"]
    assert everything_flagged["pages"] == [1, 2]
    assert len(everything_flagged["low_confidence"]) == len(confidences)
    assert quality_report(doc, confidence_threshold=0.0)["ocr"]["low_confidence"] == []
    record = task_record(doc, doc.tasks[0])
    assert [a["confidence"] for a in record["assignments"]] == confidences[:3]


def test_photo_is_straightened_before_its_lines_are_joined_into_paragraphs(extracted):
    doc = extracted["photo.png"]
    assert doc.format == "png" and doc.ocr_pages == [1]
    assert any("straightened a skew of" in w for w in doc.warnings)
    # Lines broken by the page width are joined: the first task is one paragraph again.
    assert "（一）推进政务云平台整合。6月底前，完成省级部门非涉密业务系统迁移上云。（牵头单位" in doc.text


def test_mixed_pdf_ocrs_only_its_page_without_a_text_layer(archive, extracted):
    doc = extracted["mixed.pdf"]
    assert doc.ocr_pages == [2]
    assert doc.doc_number == plan.DOC_NUMBER  # from the text layer of page 1
    raw = read_document(archive / "mixed.pdf")
    assert raw.ocr is not None and raw.ocr.confidence(0, raw.text.index("\n\n")) is None
    assert all(a.confidence is not None for t in doc.tasks for a in t.assignments)
    assert any("OCR (rapidocr) read pages 2" in w for w in doc.warnings)


def test_ofd_page_stored_as_a_picture_is_ocrd_and_only_that_page(archive, extracted):
    doc = extracted["scan.ofd"]
    assert doc.format == "ofd" and doc.ocr_pages == [2]
    assert doc.doc_number == plan.DOC_NUMBER  # page 1 is text
    raw = read_document(archive / "scan.ofd")
    assert raw.ocr is not None and raw.ocr.confidence(0, raw.text.index("\n\n")) is None
    assert all(a.confidence is not None for t in doc.tasks for a in t.assignments)


def test_an_image_without_text_is_an_error_naming_the_file(tmp_path):
    from PIL import Image

    Image.new("RGB", (400, 300), "white").save(tmp_path / "blank.png")
    with pytest.raises(ReadError, match=r"blank\.png: OCR found no text in the image"):
        read_document(tmp_path / "blank.png")


# ---------------------------------------------------------------------------- the machine without converters


def test_extract_without_the_converters_names_each_missing_tool_and_reads_the_rest(archive, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("plan.doc", "plan.wps", "plan.ofd", "table.xls", "plan.docx", "photo.png"):
        (folder / name).write_bytes((archive / name).read_bytes())
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    dutygraph = Path(sys.executable).with_name("dutygraph")
    done = subprocess.run(
        [str(dutygraph), "extract", str(folder)],
        capture_output=True,
        text=True,
        # A threshold above 1 flags every name read by OCR: the setting reaches the report.
        env={**os.environ, "PATH": str(empty), "DUTYGRAPH_OCR_CONFIDENCE_THRESHOLD": "1.0"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    needs = (
        "needs LibreOffice (soffice) or antiword or catdoc to read .{0} files: install one, e.g. "
        "apt-get install libreoffice-writer-nogui (or antiword, catdoc)"
    )
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {folder / 'plan.doc'}: {needs.format('doc')}",
        f"error: {folder / 'plan.wps'}: {needs.format('wps')}",
    ]
    for name in ("plan.docx", "plan.ofd", "table.xls", "photo.png"):
        assert f"== {name}: " in done.stdout
    ocr_line = next(line.strip() for line in done.stdout.splitlines() if "read by OCR" in line)
    assert ocr_line.startswith("read by OCR: pages 1; names below confidence 1.00: ")
    flagged = re.findall(r"(\S+?) \((\d\.\d\d), task ([^)]+\)?)\)", ocr_line.split(": ", 2)[2])
    assert flagged and all(name in plan.UNITS and float(c) <= 1.0 for name, c, _ in flagged), ocr_line


def test_load_a_folder_of_every_format_in_one_command_saying_why_anything_is_left_out(archive, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name in ("plan.doc", "plan.wps", "plan.ofd", "table.xls", "plan.docx", "photo.png"):
        (folder / name).write_bytes((archive / name).read_bytes())
    (folder / "说明.md").write_text("not a plan", "utf-8")
    (folder / "old.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    dutygraph = Path(sys.executable).with_name("dutygraph")
    env = {**os.environ, "DUTYGRAPH_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    try:
        done = subprocess.run(
            [str(dutygraph), "load", "--no-analytics", str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=False,
        )
        listed = subprocess.run(
            [str(dutygraph), "docs", "--json"], capture_output=True, text=True, env=env, timeout=120, check=True
        )
    finally:
        subprocess.run([str(dutygraph), "db", "stop"], env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 1, done.stdout + done.stderr  # old.et cannot be read
    err = " ".join(done.stderr.split())  # skipped files and failures are named on stderr (issue 10)
    assert f"skipped: {folder / '说明.md'}: not a document format dutygraph reads (.md)" in err
    assert f"error: {folder / 'old.et'}: .et documents cannot be read" in err
    # One line per file read: the .doc, .wps, .ofd and .docx are versions of one plan (same 文号),
    # the photo of its second page and the 分工表 are documents of their own.
    assert len(re.findall(r"(?:created|replaced|unchanged) +doc-", done.stdout)) == 6, done.stdout
    stored = json.loads(listed.stdout)
    assert sorted(d["tasks"] for d in stored) == [3, 5, 5]
    assert {d["title"] for d in stored} == {plan.TITLE, plan.TABLE_TITLE}
