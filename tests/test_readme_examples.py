"""The README's curl and CLI examples, read out of README.md and run as written against a real
`dutygraph serve` (uvicorn on a free loopback port, the sample corpus loaded).

The one change made to a command is the port: ``localhost:8000`` becomes the test server's port.
The CLI examples run from a scratch folder where ``.venv/bin/dutygraph`` is this environment's and
the files they name exist (``plan.docx``, ``plan.pdf`` and ``path/to/plans/`` made from a seed);
``DUTYGRAPH_HOME`` points them at the server's database, and the README's
``export DUTYGRAPH_API_KEYS=…`` is the server's environment.  curl runs with ``--fail-with-body``
from a ``.curlrc``, so an HTTP error fails the example.  Examples that change the store (``remove``,
``db stop``) run last.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from filemakers import make_docx, make_pdf

from dutygraph.graph.store.embedded import EmbeddedServer

README = ROOT / "README.md"
LAST = ("remove", "db stop")  # examples that change what the others read
SEED = SAMPLES / "001_8308b1ada969cea2.txt"


def readme_examples() -> tuple[list[str], dict[str, str]]:
    """The curl and `.venv/bin/dutygraph` command lines of README.md's bash blocks (continuation
    lines joined, trailing comments dropped), and the variables its ``export`` lines set."""
    commands, env = [], {}
    for block in re.findall(r"```bash\n(.*?)```", README.read_text("utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s{2,}#.*$", "", line).strip()
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").partition("=")
                env[name] = shlex.split(value)[0]
            elif line.startswith("curl ") or (line.startswith(".venv/bin/dutygraph ") and not line.endswith("&")):
                commands.append(line)
    return commands, env


COMMANDS, README_ENV = readme_examples()


def test_the_readme_has_curl_and_cli_examples():
    assert sum(c.startswith("curl ") for c in COMMANDS) >= 10
    assert sum(c.startswith(".venv/bin/dutygraph ") for c in COMMANDS) >= 15
    assert "DUTYGRAPH_API_KEYS" in README_ENV


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workplace(tmp_path_factory):
    """A scratch folder with .venv/bin/dutygraph, the files the examples name, and a server."""
    folder = tmp_path_factory.mktemp("readme")
    home = tmp_path_factory.mktemp("readmehome")
    (folder / ".venv").symlink_to(Path(sys.prefix))
    text = SEED.read_text("utf-8")
    plans = folder / "path" / "to" / "plans"
    plans.mkdir(parents=True)
    shutil.copy(SAMPLES / "003_160671325042dcbf.txt", plans)
    make_docx(folder / "plan.docx", text.splitlines())
    make_pdf(folder / "plan.pdf", [text[:1500], text[1500:3000]])
    (folder / ".curlrc").write_text("--fail-with-body\n--silent\n--show-error\n", "utf-8")
    port = free_port()
    env = {**os.environ, **README_ENV, "DUTYGRAPH_HOME": str(home), "CURL_HOME": str(folder), "COLUMNS": "200"}
    env.pop("DUTYGRAPH_DB", None)
    server = subprocess.Popen(
        [str(folder / ".venv" / "bin" / "dutygraph"), "serve", "--port", str(port), "--load-samples"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 180
    while True:
        probe = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}/readyz"],
            capture_output=True,
            text=True,
        )
        if probe.stdout == "200":
            break
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        assert time.monotonic() < deadline, "the README's server did not start"
        time.sleep(0.5)
    yield folder, env, port
    server.terminate()
    server.wait(30)
    EmbeddedServer(home).stop()


def ordered(commands: list[str]) -> list[str]:
    return [c for c in commands if not any(f"dutygraph {w}" in c for w in LAST)] + [
        c for c in commands if any(f"dutygraph {w}" in c for w in LAST)
    ]


@pytest.mark.parametrize("command", ordered(COMMANDS))
def test_a_readme_example_runs_as_written(workplace, command):
    folder, env, port = workplace
    line = command.replace("localhost:8000", f"localhost:{port}")
    started = time.time()
    result = subprocess.run(["bash", "-c", line], cwd=folder, env=env, capture_output=True, text=True, timeout=180)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    if command.startswith("curl -OJ"):
        # The file is saved under the name the server gives it, with the suffix of what was asked for.
        asked = re.search(r"\.(xlsx|gexf|ics)\b", command)
        assert asked, command
        written = [p for p in folder.iterdir() if p.is_file() and p.stat().st_mtime >= started - 1]
        assert any(p.suffix == "." + asked[1] and p.stat().st_size > 0 for p in written), [p.name for p in written]
    elif "dutygraph db stop" not in command:
        assert result.stdout.strip(), line
    if "agencies?q=大数据" in command:
        assert "浙江省大数据发展管理局" in result.stdout
