"""What the CLI prints, as a person reads it: help in metavars, a version, columns that line up with
Chinese names, numbers formatted alike, plurals, and lines a pipe gets whole."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner
from wcwidth import wcswidth as width

from dutygraph.api.cli import app
from dutygraph.graph.store.embedded import EmbeddedServer

runner = CliRunner()
COMMANDS = [
    [],
    ["extract"],
    ["load"],
    ["docs"],
    ["remove"],
    ["tasks"],
    ["query"],
    ["overload"],
    ["centrality"],
    ["compare"],
    ["serve"],
    ["viz"],
    ["db"],
    ["db", "status"],
    ["db", "stop"],
]


def run(seed_services, *args: str):
    return runner.invoke(app, ["--home", str(seed_services.settings.home), *args])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "dutygraph")
def test_help_shows_what_to_type_not_python_types(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    python_types = re.findall(r"<(?:bool|str|int|float|file|path|list\[[^>]*\]|int range|float range)>", result.output)
    assert python_types == [], result.output
    assert "[x>=" not in result.output


def test_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"dutygraph {version('dutygraph')}"


def test_centrality_columns_line_up_with_chinese_names(seed_services):
    result = run(seed_services, "centrality", "--top", "12")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 13
    # Right-aligned numeric columns: every line ends at the same terminal column.
    assert len({width(line) for line in lines}) == 1, lines
    assert all(re.fullmatch(r"\d\.\d{4}", value) for line in lines[1:] for value in line.split()[-3:-1])


def test_numbers_side_by_side_have_the_same_decimals(seed_services):
    compared = run(seed_services, "compare", "2019", "2021")
    assert compared.exit_code == 0, compared.output
    numbers = re.findall(r"\d+\.\d+", compared.output.split("collaborations:")[0])
    assert numbers and all(re.fullmatch(r"\d+\.\d{2}", n) for n in numbers), numbers
    overloaded = run(seed_services, "overload", "--top", "5")
    assert re.findall(r"overload (\S+), load (\S+)", overloaded.output)
    for pair in re.findall(r"overload (\S+), load (\S+)", overloaded.output):
        assert all(re.fullmatch(r"\d+\.\d{2}", n) for n in pair), pair


def test_one_task_is_one_task(seed_services):
    rows = seed_services.store.read(
        "MATCH (u:Agency)-[:LEADS|SUPPORTS|SHARES]->(t:Task) WITH u, count(DISTINCT t) AS n WHERE n = 1 "
        "RETURN u.id LIMIT 1"
    ).rows
    assert rows
    result = run(seed_services, "tasks", rows[0][0])
    assert result.exit_code == 0 and result.output.splitlines()[0].endswith(": 1 task"), result.output
    assert not re.search(r"\b1 (tasks|units|assignments|sections|milestones)\b", run(seed_services, "docs").output)


def test_load_lines_are_whole_when_piped(tmp_path):
    long_name = "浙江省" + "数字政府建设" * 8 + "实施方案.txt"
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(SAMPLES / "003_160671325042dcbf.txt", folder / long_name)
    home = tmp_path / "home"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "dutygraph.api.cli", "--home", str(home), "load", str(folder)],
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 1, lines
        assert re.fullmatch(r"\s*created  doc-\w+  \d+ sections, \d+ tasks, .* \d+ assignments", lines[0]), lines
        assert width(lines[0]) > 80
    finally:
        EmbeddedServer(home).stop()
