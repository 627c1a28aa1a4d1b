#!/usr/bin/env python3
"""Which of the package's modules one document passes through, from its file to an HTTP answer.

Loads one seed document into a fresh embedded graph (``Services.load``, what ``dutygraph load``
runs: read, repair, structure, markings, resolve, store, refresh the analytics) and asks
``GET /api/agencies/{name}/tasks`` of the real FastAPI app through ``TestClient``.  A profile hook
on every thread (``sys.setprofile`` / ``threading.setprofile``: the app answers in worker threads)
records the code of every Python function that runs; a module counts when one of its functions
ran.  Code run while a module is being imported does not count (it builds the module, it does not
handle the document), nor does wiring done before the document arrives: ``Services(...)``,
``create_app`` and opening the store (``services.store``, which starts the embedded FalkorDB and
connects to it).  Opening a connection is wiring, done once per process, not the document's path.

    .venv/bin/python tools/document_path.py                 # the count, then the files by phase
    .venv/bin/python tools/document_path.py --json          # the same as JSON
    .venv/bin/python tools/document_path.py --no-analytics  # without refreshing the analytics

docs/architecture.md quotes its figures; tests/test_document_path.py keeps the path to the answer
(without the analytics refresh, which recomputes the whole graph) under 27 modules.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "001_8308b1ada969cea2.txt"
AGENCY = "省大数据局"


def package_folders() -> list[Path]:
    """The folders of the package (pyproject's package-dir: dutygraph/, loaders/, graph/, api/, queries/)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return sorted({(ROOT / folder).resolve() for folder in config["tool"]["setuptools"]["package-dir"].values()})


@dataclass
class Path_:
    """The files of the package whose functions ran, by phase (file paths relative to the root)."""

    phases: dict[str, list[str]] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return sorted({f for files in self.phases.values() for f in files})

    def by_folder(self) -> dict[str, int]:
        """How many of the files are in each folder (graph/ by its two concerns)."""
        counts: dict[str, int] = {}
        for name in self.files:
            parts = name.split("/")
            folder = "/".join(parts[:2]) if parts[0] == "graph" else parts[0]
            counts[folder] = counts.get(folder, 0) + 1
        return counts


class _Recorder:
    """Collects the code objects that run, outside imports, on every thread while on."""

    def __init__(self) -> None:
        self.codes: set[CodeType] = set()
        self._local = threading.local()

    def hook(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            depth = getattr(self._local, "importing", 0)
            if code.co_name == "<module>":
                self._local.importing = depth + 1
            elif depth == 0:
                self.codes.add(code)
        elif event == "return" and frame.f_code.co_name == "<module>":
            self._local.importing = getattr(self._local, "importing", 1) - 1

    @contextmanager
    def on(self) -> Iterator[None]:
        hook: Callable[..., Any] = self.hook
        threading.setprofile(hook)  # threads started from now on
        sys.setprofile(hook)
        try:
            yield
        finally:
            sys.setprofile(None)
            threading.setprofile(None)  # type: ignore[arg-type]  # None switches it off, as for sys

    def files(self, folders: list[Path]) -> list[str]:
        found = set()
        for code in self.codes:
            path = Path(code.co_filename)
            if path.suffix == ".py" and any(path.is_relative_to(folder) for folder in folders):
                found.add(str(path.relative_to(ROOT)))
        return sorted(found)


def trace(sample: Path = SAMPLE, agency: str = AGENCY, *, analytics: bool = True) -> Path_:
    """Load ``sample`` into a fresh embedded graph and ask for ``agency``'s tasks; the files passed through."""
    from fastapi.testclient import TestClient

    from dutygraph.api.app import create_app
    from dutygraph.graph.store.embedded import EmbeddedServer
    from dutygraph.services import Services
    from dutygraph.settings import Settings

    folders = package_folders()
    result = Path_()
    with tempfile.TemporaryDirectory(prefix="dutygraph-path-") as home:
        settings = Settings(home=Path(home), db="embedded")
        services = Services(settings)
        try:
            services.store  # noqa: B018  # wiring: opens the store (starts the embedded server), not recorded
            # localhost: while reads need no key the app answers only loopback host names (DNS rebinding)
            client = TestClient(create_app(settings, services), base_url="http://localhost")
            load = _Recorder()
            with load.on():
                report = services.load([sample], refresh_analytics=analytics)
            if not report.ok or not report.loaded:
                raise SystemExit(f"{sample}: not loaded ({report.failed})")
            result.phases["load"] = load.files(folders)
            answer = _Recorder()
            with answer.on():
                response = client.get(f"/api/agencies/{quote(agency)}/tasks")
            if response.status_code != 200 or not response.json()["items"]:
                raise SystemExit(f"GET /api/agencies/{agency}/tasks answered {response.status_code}: {response.text}")
            result.phases["answer"] = answer.files(folders)
        finally:
            services.close()
            EmbeddedServer(Path(home)).stop()
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--no-analytics", action="store_true", help="load without refreshing the analytics")
    args = parser.parse_args(argv)
    found = trace(analytics=not args.no_analytics)
    if args.json:
        summary = {"modules": len(found.files), "by_folder": found.by_folder(), "files": found.files}
        print(json.dumps({**summary, "phases": found.phases}, indent=2, ensure_ascii=False))
        return 0
    print(f"{len(found.files)} modules from {SAMPLE.name} to GET /api/agencies/{AGENCY}/tasks")
    print(", ".join(f"{folder}/ {n}" for folder, n in found.by_folder().items()))
    for phase, files in found.phases.items():
        print(f"\n{phase} ({len(files)}):")
        for name in files:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
