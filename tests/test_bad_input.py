"""Issue 2: bad input gets a clear error or a flagged result — never a traceback, never
silent loss.

Through ``dutygraph extract``: a folder of good and bad files (empty, binary, a picture
named .txt, an undetectable encoding, a corrupt .docx, a text over the 50 MB limit) still
yields the good documents, reports each bad one on stderr with its name and reason, and
exits non-zero.  Inside a good document, an unbalanced bracket and a clause that names no
unit are flagged in the document's warnings and shown by the quality report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from filemakers import make_docx, make_txt
from typer.testing import CliRunner

from dutygraph.api.cli import app
from dutygraph.loaders.pipeline import quality_report
from dutygraph.loaders.read import DEFAULT_MAX_BYTES, ReadError

GOOD_PLAN = """\
浙江省数据共享工作方案
2020年1月2日
一、主要任务
1.建设统一平台。6月底前完成。(牵头单位:省大数据局;协同单位:省公安厅
2.建设监管系统。(责任单位:)
3.建设档案系统。（责任单位：省档案局、省大数据局
4.建设信用系统。(牵头单位:省发展改革委)
"""

LATIN1_TEXT = "Ceci est un texte français tout à fait ordinaire, écrit en Latin-1. " * 20


def write_big_text(path: Path) -> Path:
    """Real text, just over the 50 MB limit (50 MiB, as the readers count)."""
    line = ("推进数据共享。(牵头单位:省大数据局)\n" * 64).encode("utf-8")
    with path.open("wb") as handle:
        written = 0
        while written <= DEFAULT_MAX_BYTES:
            handle.write(line)
            written += len(line)
    return path


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("mixed")
    make_txt(folder / "a_good.txt", GOOD_PLAN)
    make_docx(folder / "b_good.docx", ["浙江省档案工作方案", "一、主要任务", "1.建设档案系统。", "牵头单位：省档案局"])
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "e_picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(512))
    make_txt(folder / "f_latin1.txt", LATIN1_TEXT, "latin-1")
    (folder / "g_corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip package")
    huge = write_big_text(folder / "h_huge.txt")
    yield folder
    huge.unlink()  # do not leave 50 MB behind in pytest's kept temporary folders


BAD_FILES = {
    "c_empty.txt": "empty file",
    "d_binary.txt": "binary file, not text",
    "e_picture.txt": "binary file, not text (looks like a PNG image)",
    "f_latin1.txt": "undetectable text encoding",
    "g_corrupt.docx": "not a valid Word .docx file",
    "h_huge.txt": "file too large",
}


@pytest.fixture(scope="module")
def mixed_run(mixed_folder):
    return CliRunner().invoke(app, ["extract", str(mixed_folder)])


def error_lines(stderr: str) -> dict[str, str]:
    found = {}
    for line in stderr.splitlines():
        assert line.startswith("error: "), line
        path, _, reason = line[len("error: ") :].partition(": ")
        found[Path(path).name] = reason
    return found


def test_good_files_are_still_extracted_beside_bad_ones(mixed_run):
    assert "== a_good.txt: 浙江省数据共享工作方案" in mixed_run.stdout
    assert "== b_good.docx: 浙江省档案工作方案" in mixed_run.stdout


def test_each_bad_file_is_reported_on_stderr_with_its_name_and_reason(mixed_run):
    errors = error_lines(mixed_run.stderr)
    assert set(errors) == set(BAD_FILES)
    for name, reason in BAD_FILES.items():
        assert reason in errors[name], (name, errors[name])
    assert not any(name in mixed_run.stdout for name in BAD_FILES)


def test_bad_files_make_the_exit_status_non_zero_without_a_traceback(mixed_run):
    assert mixed_run.exit_code == 1
    assert isinstance(mixed_run.exception, SystemExit)
    assert "Traceback" not in mixed_run.output


def test_no_file_is_silently_skipped(mixed_folder, mixed_run):
    shown = {line.split(":")[0].removeprefix("== ") for line in mixed_run.stdout.splitlines() if line.startswith("== ")}
    reported = set(error_lines(mixed_run.stderr))
    assert shown | reported == {p.name for p in mixed_folder.iterdir()}
    assert not shown & reported


def test_json_mode_prints_the_good_tasks_and_reports_the_bad_files(mixed_folder):
    result = CliRunner().invoke(app, ["extract", str(mixed_folder), "--json"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["doc"] for r in records} == {"a_good.txt", "b_good.docx"}
    assert set(error_lines(result.stderr)) == set(BAD_FILES)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_text_over_50_mb_is_refused_with_an_error_naming_the_limit(mixed_folder, extractor):
    with pytest.raises(ReadError) as caught:
        extractor.extract_file(mixed_folder / "h_huge.txt")
    assert "file too large" in caught.value.reason
    assert "the limit is 52,428,800 bytes (50.0 MB)" in caught.value.reason
    assert "h_huge.txt" in str(caught.value)


def test_missing_and_unsupported_files_given_by_name_are_errors(tmp_path):
    (tmp_path / "plan.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old WPS spreadsheet")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "plan.et"), str(tmp_path / "missing.txt")])
    errors = error_lines(result.stderr)
    assert errors["plan.et"] == ".et documents cannot be read: save it as .xlsx from WPS Office"
    assert errors["missing.txt"] == "file not found"
    assert result.exit_code == 1 and "Traceback" not in result.output


# ---------------------------------------------------------------------------- flagged, not lost


@pytest.fixture(scope="module")
def flagged_doc(mixed_folder, extractor):
    return extractor.extract_file(mixed_folder / "a_good.txt")


def test_unbalanced_bracket_still_gives_the_units_and_a_warning(flagged_doc):
    doc = flagged_doc
    first, _, third, fourth = doc.tasks
    assert [(a.name, a.role.value) for a in first.assignments] == [("省大数据局", "lead"), ("省公安厅", "support")]
    assert [(a.name, a.role.value) for a in third.assignments] == [("省档案局", "joint"), ("省大数据局", "joint")]
    for task in (first, third):
        assert f"task {task.number}: unbalanced bracket: the clause has no closing bracket" in doc.warnings
        for a in task.assignments:
            assert doc.text[a.source.start : a.source.end] == a.source.text
    assert first.clause.text == "(牵头单位:省大数据局;协同单位:省公安厅"
    # the unclosed bracket does not swallow the next task
    assert [(a.name, a.role.value) for a in fourth.assignments] == [("省发展改革委", "lead")]


def test_clause_naming_no_unit_is_flagged_and_its_task_kept_unassigned(flagged_doc):
    doc = flagged_doc
    task = doc.tasks[1]
    assert (task.number, task.title) == ("一.2", "建设监管系统")
    assert not task.assigned and task.clause.text == "(责任单位:)"
    assert "task 一.2: clause names no unit" in doc.warnings
    assert quality_report(doc)["unassigned_tasks"] == ["一.2"]


def test_summary_shows_the_flags_of_a_good_file(mixed_run):
    out = mixed_run.stdout
    assert "note: task 一.1: unbalanced bracket: the clause has no closing bracket" in out
    assert "note: task 一.2: clause names no unit" in out
    assert "unassigned tasks: 1" in out
