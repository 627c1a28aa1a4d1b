"""What machine a benchmark ran on, recorded with its figures.

Every benchmark script puts ``describe()`` into its JSON output: the figures in
docs/benchmarks.md only mean something beside the cores, memory, load and
library versions they were taken with.
"""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _first(path: str, prefix: str) -> str:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    return ""


def describe(libraries: tuple[str, ...] = ()) -> dict[str, Any]:
    mem_kb = _first("/proc/meminfo", "MemTotal").split()
    revision = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
    ).stdout.strip()
    versions = {}
    for name in libraries:
        with contextlib.suppress(ImportError, AttributeError):
            versions[name] = __import__(name).__version__
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "ram": f"{int(mem_kb[0]) / 1024 / 1024:.1f} GiB" if mem_kb else "",
        "python": platform.python_version(),
        "platform": platform.platform(),
        # other work on the machine skews the figures
        "loadavg_at_start": os.getloadavg(),
        "commit": revision,
        "libraries": versions,
    }
