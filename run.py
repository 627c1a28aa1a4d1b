#!/usr/bin/env python3
"""Set up and run dutygraph on a fresh clone, with nothing but python3 >= 3.11.

    python3 run.py serve    load the sample corpus into the embedded database and
                            serve the planner page and API (prints the URL)
    python3 run.py test     install what the tests need, run the gates (ruff check, ruff format
                            --check, the type checker) and then the whole test suite

Set-up is idempotent: a virtual environment in .venv with dutygraph and its test
tools installed in editable mode (reinstalled when pyproject.toml changes) and,
for the tests, the Debian packages they need when they are missing.
Extra arguments are passed on: `python3 run.py serve --port 9000`,
`python3 run.py test -k annotations` (to pytest; the gates run whatever the arguments).
A failed gate does not stop the tests: their results are shown too, then one line names the
gates that failed, and the command exits non-zero.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".dutygraph-installed"
# Debian packages the test suite needs: a CJK TrueType font (real PDFs, Chinese in screenshots and
# charts), Chromium for the page tests (Playwright drives it; its own browser download is not used),
# and the converters of old formats: LibreOffice (Writer for .doc/.wps; Calc only to make the test
# .xls) and antiword / catdoc (the light fallback for .doc/.wps).
TEST_DEBIAN_PACKAGES = [
    "fonts-wqy-microhei",
    "chromium",
    "libreoffice-writer-nogui",
    "libreoffice-calc-nogui",
    "antiword",
    "catdoc",
]
# The gates `run.py test` runs before the tests, each a command run from the repository root:
# lint, formatting and the type checker (mypy over the installed layout, tools/typecheck.py).
GATES = [
    ("ruff check", [str(BIN / "ruff"), "check", "."]),
    ("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
    ("type check", [str(BIN / "python"), "tools/typecheck.py"]),
]


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def ensure_venv() -> None:
    """A virtual environment with dutygraph (and its test tools) installed in editable mode."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py is what an old python3 runs first
        sys.exit(f"dutygraph needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    say("installing dutygraph and its dependencies (the first run takes a minute or two)")
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"],
        cwd=ROOT,
        check=True,
    )
    STAMP.write_text(want)


def missing_debian_packages(packages: list[str]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for package in packages:
        probe = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in probe.stdout:
            missing.append(package)
    return missing


def ensure_debian_packages(packages: list[str]) -> None:
    missing = missing_debian_packages(packages)
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            say(f"warning: please install {' '.join(missing)} (apt-get install); some tests will fail without them")
            return
        prefix = ["sudo", "-n"]
    say(f"installing Debian packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def failed_gates(gates: list[tuple[str, list[str]]], cwd: Path = ROOT) -> list[str]:
    """Run every gate (all of them, so one report shows every failure); the names of those that failed."""
    failed = []
    for name, command in gates:
        say(f"gate: {name}")
        if subprocess.run(command, cwd=cwd, check=False).returncode != 0:
            say(f"gate failed: {name}")
            failed.append(name)
    return failed


def gate_verdict(failed: list[str]) -> str:
    """The one line that ends a run whose gates failed."""
    return f"failed gate{'s' if len(failed) > 1 else ''}: {', '.join(failed)} (output above the tests')"


def run_tests(rest: list[str]) -> int:
    """The gates, then pytest; non-zero when either failed."""
    failed = failed_gates(GATES)
    # Two worker processes unless told otherwise: the suite takes about 6 minutes on
    # two cores that way, more than twice that in one process.
    workers = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in rest) else ["-n", "2"]
    tests = subprocess.run([str(BIN / "python"), "-m", "pytest", *workers, *rest], cwd=ROOT, check=False)
    if failed:
        say(gate_verdict(failed))
        return tests.returncode or 1
    return tests.returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("serve", [])
    if command == "serve":
        ensure_venv()
        args = [str(BIN / "dutygraph"), "serve", "--load-samples", *rest]
    elif command == "test":
        ensure_venv()
        ensure_debian_packages(TEST_DEBIAN_PACKAGES)
        return run_tests(rest)
    else:
        print(__doc__)
        return 2
    os.chdir(ROOT)
    os.execv(args[0], args)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
