"""The README's test command runs the gates: ruff check, ruff format --check and the type checker.

``run.py`` is what CI runs (``.ci/run``), so the gates are read from it, and its gate runner is
run on real files with the real ruff: every gate runs, and the ones that failed are named.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _run_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_test_command_gates_are_ruff_check_ruff_format_and_the_type_checker():
    run = _run_py()
    commands = {name: command for name, command in run.GATES}
    venv = str(ROOT / ".venv" / "bin")
    assert commands == {
        "ruff check": [f"{venv}/ruff", "check", "."],
        "ruff format": [f"{venv}/ruff", "format", "--check", "."],
        "type check": [f"{venv}/python", "tools/typecheck.py"],
    }


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    (command,) = re.findall(r"```bash\n(python3 run\.py test)\n```", readme)
    steps = [line for line in (ROOT / ".ci" / "run").read_text("utf-8").splitlines() if line and line[0] != "#"]
    assert steps[-1] == command


def test_every_gate_runs_and_the_failed_ones_are_named_in_one_line(tmp_path):
    ruff = shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    assert ruff is not None
    (tmp_path / "unused.py").write_text("import os\n")  # formatted, but F401 for ruff check
    (tmp_path / "cramped.py").write_text("x=1\n")  # lint-clean, but not formatted
    isolated = ["--isolated", "--no-cache"]
    gates = [
        ("lint unused", [ruff, "check", *isolated, "unused.py"]),
        ("format unused", [ruff, "format", "--check", *isolated, "unused.py"]),
        ("format cramped", [ruff, "format", "--check", *isolated, "cramped.py"]),
    ]
    run = _run_py()
    failed = run.failed_gates(gates, cwd=tmp_path)
    assert failed == ["lint unused", "format cramped"]
    assert run.gate_verdict(failed) == "failed gates: lint unused, format cramped (output above the tests')"
    assert run.gate_verdict(["type check"]).startswith("failed gate: type check ")
