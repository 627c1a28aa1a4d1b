"""The `dutygraph` command as a new user meets it, in real processes: every user error is one line
on stderr naming what is wrong (never a traceback), settings take the forms the README gives, and
what a command passes over or runs into (a folder of pictures, a stopped database, a port in use)
is said, not silent."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SAMPLES

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.loaders.read import SUPPORTED_SUFFIXES

DUTYGRAPH = [sys.executable, "-m", "dutygraph.api.cli"]
WUXI = """jurisdictions:
  - {name: 江苏省, level: province, parent: 中国, aliases: [江苏]}
  - {name: 无锡市, level: city, parent: 江苏省, aliases: [无锡]}
agencies:
  - name: 无锡市大数据管理局
    short: [市大数据局]
    jurisdiction: 无锡市
    level: city
"""
WUXI_PLAN = "无锡市数据工作方案\n\n一、主要任务\n\n1.建设数据平台。\n\n责任单位:无锡市大数据管理局\n"


def dutygraph(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120):
    return subprocess.run(
        [*DUTYGRAPH, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )


def assert_one_error_line(result, *wanted: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: "), result.stderr
    for text in wanted:
        assert text in errors[0], errors[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("clierrors")
    assert dutygraph("--home", str(home), "load", str(SAMPLES)).returncode == 0
    yield home
    EmbeddedServer(home).stop()


# ---------------------------------------------------------------- item 4: no traceback


COMMANDS_ON_THE_DATABASE = [
    ["docs"],
    ["load", str(SAMPLES / "000_bb281ce7d484c788.txt")],
    ["remove", "浙政办发〔2019〕17号"],
    ["tasks", "省大数据局"],
    ["query", "tasks_due", "--param", "due_after=2019-06-01"],
    ["overload"],
    ["centrality"],
    ["compare", "2019", "2021"],
    ["viz", "--network", "-o", "network.html"],
]


@pytest.mark.parametrize("database", ["falkordb", "neo4j"])
def test_every_command_on_a_stopped_database_ends_with_one_line_naming_it(database, tmp_path):
    url = f"{database}://127.0.0.1:{closed_port()}"
    quick = {"DUTYGRAPH_DB_RETRY_SECONDS": "1"}  # Neo4j's driver would retry a stopped server for 15 s

    def run(args: list[str]):
        return dutygraph("--db", url, *args, cwd=tmp_path, env=quick, timeout=60)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, COMMANDS_ON_THE_DATABASE))
    for args, result in zip(COMMANDS_ON_THE_DATABASE, results, strict=True):
        assert_one_error_line(result, "the database")
        assert "127.0.0.1" in result.stderr, (args, result.stderr)


def test_viz_creates_the_folders_of_its_output_file(home, tmp_path):
    target = tmp_path / "new" / "dir" / "bureau.html"
    result = dutygraph("--home", str(home), "viz", "省大数据局", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text("utf-8").startswith("<!")


def test_viz_to_a_place_it_cannot_write_is_one_line_naming_it(home, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = dutygraph("--home", str(home), "viz", "--network", "-o", str(blocker / "net.html"))
    assert_one_error_line(result, str(blocker))


def test_a_data_directory_that_cannot_be_one_is_one_line(tmp_path):
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("")
    assert_one_error_line(dutygraph("--home", str(not_a_folder / "home"), "docs"), str(not_a_folder))


def test_a_missing_file_is_reported_with_its_name(home, tmp_path):
    for command in ("load", "extract"):
        result = dutygraph("--home", str(home), command, str(tmp_path / "没有这个文件.docx"))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "没有这个文件.docx" in result.stderr


# ---------------------------------------------------------------- item 5: DUTYGRAPH_REGISTRY and --registry


@pytest.fixture
def wuxi(tmp_path):
    registry = tmp_path / "wuxi.yaml"
    registry.write_text(WUXI, "utf-8")
    plan = tmp_path / "plans" / "无锡.txt"
    plan.parent.mkdir()
    plan.write_text(WUXI_PLAN, "utf-8")
    return registry, plan


def resolved_agencies(result) -> list[str | None]:
    import json

    return [a["agency"] for line in result.stdout.splitlines() for a in json.loads(line)["assignments"]]


@pytest.mark.parametrize("form", ["path", "comma", "json"])
def test_dutygraph_registry_takes_a_path_a_comma_separated_list_or_a_json_list(wuxi, form, tmp_path):
    registry, plan = wuxi
    other = tmp_path / "more"
    other.mkdir()
    value = {"path": str(registry), "comma": f"{registry},{other}", "json": f'["{registry}", "{other}"]'}[form]
    result = dutygraph("extract", str(plan), "--json", env={"DUTYGRAPH_REGISTRY": value})
    assert result.returncode == 0, result.stderr
    assert resolved_agencies(result) == ["无锡市大数据管理局"]


def test_extract_and_load_take_a_registry_option(wuxi, tmp_path):
    registry, plan = wuxi
    assert resolved_agencies(dutygraph("extract", str(plan), "--json")) == [None]  # the shipped registry
    assert resolved_agencies(dutygraph("extract", str(plan), "--json", "--registry", str(registry))) == [
        "无锡市大数据管理局"
    ]
    home = tmp_path / "home"
    try:
        loaded = dutygraph("--home", str(home), "load", str(plan), "--registry", str(registry))
        assert loaded.returncode == 0, loaded.stderr
        tasks = dutygraph("--home", str(home), "tasks", "无锡市大数据管理局")
        assert tasks.returncode == 0 and tasks.stdout.startswith("无锡市大数据管理局 (无锡市): 1 task"), tasks
    finally:
        EmbeddedServer(home).stop()


@pytest.mark.parametrize("command", [["docs"], ["extract", str(SAMPLES)], ["load", str(SAMPLES)], ["serve"]])
def test_a_missing_registry_file_is_one_line_naming_it(command, tmp_path):
    missing = tmp_path / "wuxi.yaml"
    result = dutygraph("--home", str(tmp_path / "h"), *command, env={"DUTYGRAPH_REGISTRY": str(missing)}, timeout=60)
    assert_one_error_line(result, "DUTYGRAPH_REGISTRY", str(missing))
    option = dutygraph("--home", str(tmp_path / "h"), "extract", str(SAMPLES), "--registry", str(missing))
    assert_one_error_line(option, "--registry", str(missing))


def test_a_registry_file_that_is_not_valid_yaml_is_one_line_naming_it(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("agencies: [unclosed", "utf-8")
    assert_one_error_line(dutygraph("extract", str(SAMPLES), "--registry", str(broken)), str(broken))


# ---------------------------------------------------------------- item 9: folders


@pytest.mark.parametrize("command", ["load", "extract"])
def test_a_folder_without_documents_is_an_error_saying_what_was_skipped(command, home, tmp_path):
    # (.png was a non-document here until issue 15 made pictures readable by OCR; .zip still is)
    (tmp_path / "maps.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (tmp_path / "README.md").write_text("# notes", "utf-8")
    result = dutygraph("--home", str(home), command, str(tmp_path))
    assert result.returncode == 1
    assert "note: skipped 2 files that are not documents dutygraph reads: 1 .md, 1 .zip" in result.stderr
    assert f"error: no document to read in {tmp_path}" in result.stderr


def test_a_mixed_folder_names_what_it_skipped_in_one_line(home, tmp_path):
    shutil.copy(SAMPLES / "000_bb281ce7d484c788.txt", tmp_path)
    shutil.copy(SAMPLES / "000_bb281ce7d484c788.txt.meta.yaml", tmp_path)  # a sidecar is read, not skipped
    (tmp_path / "photos.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (tmp_path / "scans.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (tmp_path / "notes.md").write_text("# notes", "utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    result = dutygraph("--home", str(home), "load", str(tmp_path))
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: skipped")]
    assert notes == [
        "note: skipped 3 files that are not documents dutygraph reads: 2 .zip, 1 .md "
        f"(it reads {', '.join(sorted(SUPPORTED_SUFFIXES))})"
    ]


# ---------------------------------------------------------------- item 10: the server and the database


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_serve_on_a_port_in_use_says_so_before_printing_an_address(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = dutygraph("--home", str(tmp_path / "h"), "serve", "--port", str(port), timeout=60)
    assert_one_error_line(result, f"port {port}", "in use")
    assert "serving at" not in result.stdout


def test_db_stop_under_a_server_says_the_server_uses_it_and_what_it_will_do(home):
    import httpx

    port = closed_port()
    server = subprocess.Popen(
        [*DUTYGRAPH, "--home", str(home), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def answers() -> bool:
            try:
                return httpx.get(base + "/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(answers)
        status = dutygraph("--home", str(home), "db", "status")
        assert f"used by the dutygraph server at http://localhost:{port}/ (pid {server.pid})" in status.stdout
        stopped = dutygraph("--home", str(home), "db", "stop")
        assert stopped.returncode == 0 and stopped.stdout.strip() == "stopped"
        assert f"the dutygraph server at http://localhost:{port}/ (pid {server.pid}) uses this database" in (
            stopped.stderr
        )
        assert "answers 503" in stopped.stderr and "dutygraph db start" in stopped.stderr
        # What it says is what happens: 503 until the database is started again, then answers.
        assert httpx.get(base + "/api/documents", timeout=10).status_code == 503
        assert dutygraph("--home", str(home), "db", "start").returncode == 0
        assert httpx.get(base + "/api/documents", timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(20)
    assert dutygraph("--home", str(home), "db", "status").stdout.count("used by") == 0
