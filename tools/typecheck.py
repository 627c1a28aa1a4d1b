#!/usr/bin/env python3
"""Type-check the package as it is installed: mypy over ``dutygraph.*``, folders mapped as pyproject says.

The package's folders are not named after its modules (``graph/`` is ``dutygraph.graph``, ``api/`` is
``dutygraph.api`` …, ``[tool.setuptools] package-dir``), and mypy finds modules by their paths only.
So this builds the installed layout out of symbolic links in ``.typecheck/`` (a ``dutygraph``
folder whose files and subfolders point at the real ones), runs mypy on it with the settings of
``[tool.mypy]`` in pyproject.toml, and reports every error at its real path (``graph/store/base.py``,
not ``.typecheck/dutygraph/graph/store/base.py``).  `python3 run.py test` runs it.

    .venv/bin/python tools/typecheck.py            # exit status 0 when clean
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / ".typecheck"


def package_dirs() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return dict(config["tool"]["setuptools"]["package-dir"])


def build_tree() -> dict[Path, Path]:
    """The installed layout under .typecheck/, as links; returns link folder → real folder, deepest first."""
    shutil.rmtree(TREE, ignore_errors=True)
    mapping: dict[Path, Path] = {}
    dirs = package_dirs()
    for package, folder in sorted(dirs.items()):
        target = TREE.joinpath(*package.split("."))
        source = ROOT / folder
        depth = package.count(".") + 1
        nested = {p.split(".")[-1] for p in dirs if p.startswith(package + ".") and p.count(".") == depth}
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.iterdir():
            # A folder mapped on its own (graph/ → dutygraph.graph) is linked where its package lives.
            if entry.name in nested or entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            if entry.is_dir() and not (entry / "__init__.py").exists():
                continue  # data, templates
            if entry.is_file() and entry.suffix not in (".py", ".pyi") and entry.name != "py.typed":
                continue
            os.symlink(entry, target / entry.name)
        mapping[target] = source
    return dict(sorted(mapping.items(), key=lambda kv: -len(kv[0].parts)))


def real_path(line: str, mapping: dict[Path, Path]) -> str:
    for link, source in mapping.items():
        shown = str(link.relative_to(ROOT)) + os.sep
        if line.startswith(shown):
            return str((source / line[len(shown) :].split(":", 1)[0]).relative_to(ROOT)) + ":" + line.split(":", 1)[1]
    return line


def main(argv: list[str]) -> int:
    mapping = build_tree()
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "-p", "dutygraph", *argv]
    env = dict(os.environ, MYPYPATH=str(TREE))
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        print(real_path(line, mapping))
    sys.stderr.write(proc.stderr)
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
