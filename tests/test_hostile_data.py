"""Issue 13: damaged data files and a dying database, on the real embedded FalkorDB.

Each test writes real data, stops the server, damages one file on disk as the issue did (manifest
removed, log cut in half, bytes overwritten, snapshot cut), and checks that the server refuses to
start, names the file and says what to do -- never an empty database beside the old files -- and
that ``dutygraph db repair`` brings back every write up to the damage.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from conftest import SAMPLES, embedded_settings

from dutygraph.graph.store.embedded import DamagedData, EmbeddedServer
from dutygraph.services import Services

DUTYGRAPH = [sys.executable, "-m", "dutygraph.api.cli"]


def write_nodes(server: EmbeddedServer, ids: range) -> None:
    conn = redis.Redis(unix_socket_path=str(server.socket_path), decode_responses=True)
    for i in ids:
        conn.execute_command("GRAPH.QUERY", "g", f"CREATE (:Note {{id: 'note-{i}', text: '{'第{i}项工作' * 20}'}})")
    conn.close()


def notes(server: EmbeddedServer) -> list[str]:
    conn = redis.Redis(unix_socket_path=str(server.socket_path), decode_responses=True)
    rows = conn.execute_command("GRAPH.RO_QUERY", "g", "MATCH (n:Note) RETURN n.id ORDER BY n.id")[1]
    conn.close()
    return [row[0] for row in rows]


@pytest.fixture
def server(tmp_path) -> Iterator[EmbeddedServer]:
    """A stopped server whose data is a snapshot of notes 0-4 and a log of notes 5-9 written after it."""
    server = EmbeddedServer(tmp_path / "home")
    server.ensure_started()
    write_nodes(server, range(5))
    server.rewrite_files()  # notes 0-4 into the snapshot
    write_nodes(server, range(5, 10))  # notes 5-9 in the log after it
    server.stop()
    yield server
    server.stop()


def files_of(server: EmbeddedServer) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(server.aof_dir.iterdir())}


def the_file(server: EmbeddedServer, kind: str) -> Path:
    return next(p for p in server.aof_dir.iterdir() if f".{kind}." in p.name)


def refused(server: EmbeddedServer) -> str:
    with pytest.raises(DamagedData) as damaged:
        server.ensure_started()
    assert not server.status().running
    message = str(damaged.value)
    assert "dutygraph db repair" in message and "memory test" not in message and "STACK TRACE" not in message
    return message


def test_the_fixture_s_data_loads_whole(server):
    server.ensure_started()
    assert notes(server) == [f"note-{i}" for i in range(10)]


def test_a_folder_of_data_files_without_its_manifest_never_starts_empty(tmp_path):
    home = tmp_path / "home"
    services = Services(embedded_settings(home))
    assert services.load([SAMPLES]).ok
    services.close()
    server = EmbeddedServer(home)
    server.stop()
    (server.aof_dir / "appendonly.aof.manifest").unlink()
    before = files_of(server)
    message = refused(server)
    assert "appendonly.aof.manifest is missing" in message and "was not started" in message
    assert files_of(server) == before  # nothing written over the old files
    cli = subprocess.run([*DUTYGRAPH, "--home", str(home), "docs"], capture_output=True, text=True)
    assert cli.returncode == 1 and "appendonly.aof.manifest is missing" in cli.stderr
    assert cli.stdout == "" and len(cli.stderr.strip().splitlines()) == 1

    try:
        repaired = subprocess.run([*DUTYGRAPH, "--home", str(home), "db", "repair"], capture_output=True, text=True)
        assert repaired.returncode == 0, repaired.stderr
        assert "manifest was written back" in repaired.stdout
        services = Services(embedded_settings(home))
        assert len(services.documents()) == 5
        services.close()
    finally:
        server.stop()  # the repair left it running: a test stops what it started


def test_a_log_cut_in_half_is_refused_and_repair_keeps_the_writes_before_the_cut(server):
    log = the_file(server, "incr")
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 2])
    message = refused(server)
    assert "damaged" in message and str(server.aof_dir) in message
    report = server.repair()
    assert report.cut and report.backup is not None and report.backup.is_dir()
    kept = notes(server)
    assert kept[:5] == [f"note-{i}" for i in range(5)] and 5 < len(kept) < 10  # the snapshot and the whole writes
    server.stop()
    server.ensure_started()  # the next start is clean
    assert notes(server) == kept


def test_overwritten_bytes_inside_a_write_are_refused_not_skipped(server):
    log = the_file(server, "incr")
    data = bytearray(log.read_bytes())
    at = data.index(b"note-7")
    create = data.rindex(b"CREATE", 0, at)
    data[create : create + 6] = b"CXEATE"  # the length fields stay right: only replaying it fails
    log.write_bytes(bytes(data))
    message = refused(server)
    assert f"{log}: 1 stored write failed when replayed" in message and "CXEATE" in message
    report = server.repair()
    assert report.left_out == 1 and not report.cut
    assert notes(server) == [f"note-{i}" for i in range(10) if i != 7]


def test_overwritten_bytes_that_break_the_log_are_refused(server):
    log = the_file(server, "incr")
    data = bytearray(log.read_bytes())
    length = data.rindex(b"$", 0, data.index(b"note-7"))
    data[length : length + 3] = b"ZZZ"
    log.write_bytes(bytes(data))
    assert "Bad file format" in refused(server)
    report = server.repair()
    assert report.cut
    assert notes(server) == [f"note-{i}" for i in range(7)]


def test_a_damaged_snapshot_is_refused_with_the_reason_not_a_crash_report(server):
    snapshot = the_file(server, "base")
    data = snapshot.read_bytes()
    snapshot.write_bytes(data[: len(data) // 2])
    message = refused(server)
    assert "short read or EOF" in message
    assert len(message.splitlines()) == 1


def test_the_store_restarts_a_killed_embedded_database_and_answers_again(fresh_services):
    fresh_services.store.write("CREATE (:Probe {n: 1})")
    server = EmbeddedServer(fresh_services.settings.home)
    pid = server.status().pid
    os.kill(pid, signal.SIGKILL)
    rows = fresh_services.store.read("MATCH (p:Probe) RETURN p.n").rows  # was StoreUnavailable forever
    assert rows == [[1]]
    assert server.status().running and server.status().pid != pid
