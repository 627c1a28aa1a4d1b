"""Optional helpers the readers call: system programs (LibreOffice, antiword, catdoc) and Python
extras (the OCR engine), found at run time, with one plain error when none is there.

A reader that needs a converter asks `find_program` for it; when no candidate is installed it
raises `MissingTool`, a `ReadError` whose reason names what is missing and how to install it,
so that `dutygraph extract` / `dutygraph load` report that one file and go on with the rest of
the folder.  Programs are looked up on ``PATH`` (``shutil.which``), so pointing ``PATH`` at an
empty folder is a machine without them.

>>> print(MissingTool(Path("旧.doc"), "to read .doc files", [LIBREOFFICE, ANTIWORD]))  # doctest: +NORMALIZE_WHITESPACE
旧.doc: needs LibreOffice (soffice) or antiword to read .doc files: install one, e.g. apt-get install
libreoffice-writer-nogui (or antiword)
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .base import ReadError


@dataclass(frozen=True, slots=True)
class Program:
    """A program some reader can use: the names it is installed under, the Debian package that
    brings it, and a name for people."""

    label: str
    commands: tuple[str, ...]
    debian_package: str

    def find(self) -> str | None:
        """The program's path, or None when it is not on ``PATH``."""
        for command in self.commands:
            found = shutil.which(command, path=os.environ.get("PATH", ""))
            if found:
                return found
        return None


LIBREOFFICE = Program("LibreOffice (soffice)", ("soffice", "libreoffice"), "libreoffice-writer-nogui")
ANTIWORD = Program("antiword", ("antiword",), "antiword")
CATDOC = Program("catdoc", ("catdoc",), "catdoc")


class MissingTool(ReadError):
    """No program (or Python package) that can read this file is installed."""

    def __init__(self, path: Path, purpose: str, wanted: Sequence[Program]) -> None:
        names = " or ".join(p.label for p in wanted)
        first, *others = (p.debian_package for p in wanted)
        install = f"apt-get install {first}" + (f" (or {', '.join(others)})" if others else "")
        super().__init__(path, f"needs {names} {purpose}: install one, e.g. {install}")
        self.wanted = tuple(wanted)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_missing, (self.path, self.reason))


def _rebuild_missing(path: Path, reason: str) -> ReadError:
    return ReadError(path, reason)


class MissingPackage(ReadError):
    """A Python extra the reader needs is not installed."""

    def __init__(self, path: Path, purpose: str, module: str, extra: str) -> None:
        super().__init__(path, f"needs the Python package {module} {purpose}: pip install 'dutygraph[{extra}]'")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_missing, (self.path, self.reason))


def have_module(name: str) -> bool:
    """True when the Python module ``name`` can be imported (without importing it)."""
    return importlib.util.find_spec(name) is not None


def run_program(path: Path, argv: Sequence[str], *, what: str, timeout: float = 180.0) -> subprocess.CompletedProcess:
    """Run a converter on ``path``'s behalf; a crash, a non-zero exit or a time-out is a
    `ReadError` naming the program and what it said."""
    try:
        done = subprocess.run(list(argv), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ReadError(path, f"{what} did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise ReadError(path, f"{what} could not be started ({exc.strerror or exc})") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip().splitlines()
        detail = said[-1] if said else f"exit status {done.returncode}"
        raise ReadError(path, f"{what} could not read the file ({detail})")
    return done
