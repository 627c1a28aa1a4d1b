"""The graph store on a real embedded FalkorDB: whole documents or nothing,
idempotent reloads, replacement, removal, persistence and concurrency."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from conftest import SAMPLES, embedded_settings

from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services

DUTYGRAPH = [sys.executable, "-m", "dutygraph.api.cli"]
UNITS = ["市大数据局", "市发改委", "市经信局", "市商务局", "市统计局", "市财政局", "市公安局"]


def big_plan(path: Path, tasks: int = 3000, title: str = "绍兴市压力测试方案") -> Path:
    """A Shaoxing-style plan large enough that writing it takes a noticeable moment."""
    lines = [title, "", "一、主要任务", ""]
    for i in range(1, tasks + 1):
        units = "、".join(UNITS[(i + k) % len(UNITS)] for k in range(5))
        lines += [f"{i}.推进第{i}项工作。加快建设平台,6月底前完成。", "", f"责任单位:{units}", ""]
    path.write_text("\n".join(lines), "utf-8")
    return path


def doc_task_count(services: Services, title: str) -> int:
    rows = services.store.read(
        "MATCH (d:Document {title: $t})-[:HAS_TASK]->(x:Task) RETURN count(x) AS n", {"t": title}
    ).rows
    return rows[0][0] if rows else 0


def wait_for_write(server: EmbeddedServer, process: subprocess.Popen, timeout: float = 60) -> bool:
    """Poll the server until a client is blocked in a GRAPH.QUERY (a write running)."""
    client = redis.Redis(unix_socket_path=str(server.socket_path))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        for c in client.client_list():
            if c.get("cmd", "").lower() == "graph.query" and "b" in c.get("flags", ""):
                return True
        time.sleep(0.002)
    return False


# ---------------------------------------------------------------- idempotence and replacement


def test_loading_the_five_seeds_twice_more_leaves_node_and_relationship_counts_unchanged(fresh_services):
    assert fresh_services.load([SAMPLES]).ok
    before = fresh_services.counts()
    for _ in range(2):
        report = fresh_services.load([SAMPLES])
        assert {s.action for s in report.loaded} == {"unchanged"}
    assert fresh_services.counts() == before
    assert before["Document"] >= 5 and before["LEADS"] > 0


def test_dry_run_reports_what_would_change_and_writes_nothing(fresh_services):
    report = fresh_services.load([SAMPLES], dry_run=True)
    assert {s.action for s in report.loaded} == {"would create"}
    assert fresh_services.counts() == {}


def test_a_changed_version_with_the_same_doc_number_replaces_its_tasks(fresh_services, tmp_path):
    first = tmp_path / "v1" / "plan.txt"
    first.parent.mkdir()
    first.write_text(
        "浙江省测试工作要点\n\n浙政办发〔2030〕1号\n\n2030年1月5日\n\n一、主要任务\n\n"
        "1.建设平台。6月底前完成。(责任单位:省大数据局、省档案局)\n\n"
        "2.完善制度。(责任单位:省司法厅)\n",
        "utf-8",
    )
    second = tmp_path / "v2" / "plan-revised.txt"
    second.parent.mkdir()
    second.write_text(
        "浙江省测试工作要点\n\n浙政办发〔2030〕1号\n\n2030年1月5日\n\n一、主要任务\n\n"
        "1.建设平台。9月底前完成。(责任单位:省大数据局、省商务厅)\n",
        "utf-8",
    )
    assert [s.action for s in fresh_services.load([first]).loaded] == ["created"]
    assert [s.action for s in fresh_services.load([second]).loaded] == ["replaced"]
    (doc,) = fresh_services.documents()
    assert doc["tasks"] == 1 and doc["source"] == "plan-revised.txt"
    assigned = fresh_services.store.read("MATCH (u:Unit)-[:LEADS|SUPPORTS|SHARES]->(:Task) RETURN DISTINCT u.name")
    assert {r[0] for r in assigned.rows} == {"浙江省大数据发展管理局", "浙江省商务厅"}
    every_unit = {r[0] for r in fresh_services.store.read("MATCH (u:Unit) RETURN u.name").rows}
    assert not every_unit & {"浙江省档案局", "浙江省司法厅"}  # they only came with v1
    dues = fresh_services.store.read("MATCH (m:Milestone) RETURN m.due").rows
    assert dues == [["2030-09-30"]]


def test_removing_a_document_keeps_agencies_another_document_still_names(fresh_services):
    assert fresh_services.load([SAMPLES / "000_bb281ce7d484c788.txt", SAMPLES / "001_8308b1ada969cea2.txt"]).ok
    summary = fresh_services.remove("浙政办发〔2019〕17号")
    assert summary.action == "removed"
    names = {r[0] for r in fresh_services.store.read("MATCH (u:Unit) RETURN u.name").rows}
    assert "浙江省大数据发展管理局" in names  # named by 000 too
    assert "浙江省档案局" not in names  # only 001 named it
    assert "浙江省人民政府直属各单位" not in names
    (doc,) = fresh_services.documents()
    assert doc["source"] == "000_bb281ce7d484c788.txt"
    assert fresh_services.store.read("MATCH (t:Task {doc_id: $d}) RETURN count(t)", {"d": summary.doc_id}).rows == [[0]]


def test_a_cited_document_is_a_stub_until_loaded_and_again_after_removal(fresh_services):
    assert fresh_services.load([SAMPLES / "003_160671325042dcbf.txt"]).ok
    stub = "MATCH (d:Document {doc_number: '浙政发〔2022〕20号'}) RETURN d.id, d.stub"
    (before,) = fresh_services.store.read(stub).rows
    assert before[1] is True
    assert fresh_services.load([SAMPLES / "004_c08e7fd1595398c3.txt"]).ok
    (loaded,) = fresh_services.store.read(stub).rows
    assert loaded == [before[0], False]  # the stub was filled in, same id
    fresh_services.remove("浙政发〔2022〕20号")
    assert fresh_services.store.read(stub).rows == [[before[0], True]]  # 003 still cites it
    fresh_services.remove("绍兴市加快推进数字政府建设实施方案")
    assert fresh_services.counts() == {"Analytics": 1}  # nothing left but the note of what was computed


def test_the_same_document_gets_the_same_ids_in_two_databases(tmp_path_factory):
    ids = []
    for _ in range(2):
        home = tmp_path_factory.mktemp("ids")
        services = Services(embedded_settings(home))
        try:
            services.load([SAMPLES / "001_8308b1ada969cea2.txt"])
            ids.append(sorted(r[0] for r in services.store.read("MATCH (n) RETURN n.id").rows))
        finally:
            services.close()
            EmbeddedServer(home).stop()
    assert ids[0] == ids[1] and len(ids[0]) > 100


# ---------------------------------------------------------------- whole or nothing


@pytest.mark.parametrize("victim", ["loader", "server"])
def test_a_kill_in_the_middle_of_a_document_write_leaves_no_partial_document(victim, tmp_path, tmp_path_factory):
    home = tmp_path_factory.mktemp("kill")
    folder = tmp_path / "docs"
    folder.mkdir()
    big_plan(folder / "big.txt")
    server = EmbeddedServer(home)
    services = Services(embedded_settings(home))
    try:
        services.store.ensure_schema()  # so that the only GRAPH.QUERY the loader sends is the document write
        loader = subprocess.Popen(
            [*DUTYGRAPH, "--home", str(home), "load", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert wait_for_write(server, loader), "the loader never started its write"
        if victim == "loader":
            loader.kill()
        else:
            os.kill(server.status().pid, signal.SIGKILL)
            loader.kill()
        loader.wait()
        services.close()
        services = Services(embedded_settings(home))
        assert doc_task_count(services, "绍兴市压力测试方案") in (0, 3000)  # never part of it
        assert services.load([folder]).ok
        assert doc_task_count(services, "绍兴市压力测试方案") == 3000
        assignments = "MATCH (:Unit)-[r:LEADS|SUPPORTS|SHARES]->(:Task) RETURN count(r)"
        assert services.store.read(assignments).rows == [[3000 * 5]]
    finally:
        services.close()
        server.stop()


def test_a_database_that_answers_nothing_not_even_ping_is_killed_started_again_and_the_write_done(tmp_path_factory):
    """FalkorDB 4.16.3 once left its main thread waiting for a lock for ever (graph/store/watchdog.py):
    connections are taken, nothing is answered.  A stopped process (SIGSTOP) behaves the same."""
    home = tmp_path_factory.mktemp("hung")
    server = EmbeddedServer(home)
    services = Services(embedded_settings(home))
    pid = None
    try:
        store = services.store
        store.hang_watch.probe_every, store.hang_watch.hung_after = 0.5, 2.0  # seconds, not the default 5 and 30
        pid = server.status().pid
        os.kill(pid, signal.SIGSTOP)
        outcome: list[BaseException | None] = []

        def write() -> None:
            try:
                store.write("MERGE (:HangProbe {id: 'written once'})")
                outcome.append(None)
            except BaseException as exc:  # handed to the test's thread
                outcome.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(60)
        assert outcome == [None], outcome or "the write still waits on a database that answers nothing"
        assert server.status().pid not in (None, pid)
        assert store.read("MATCH (n:HangProbe) RETURN count(n)").rows == [[1]]
    finally:
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        services.close()
        server.stop()


def test_stopping_and_restarting_the_embedded_server_loses_nothing(fresh_services):
    assert fresh_services.load([SAMPLES]).ok
    before = fresh_services.counts()
    home = fresh_services.settings.home
    fresh_services.close()
    assert EmbeddedServer(home).stop()
    again = Services(embedded_settings(home))
    try:
        assert again.counts() == before
    finally:
        again.close()


def test_two_loads_started_at_once_on_one_data_directory_both_finish_with_a_correct_graph(tmp_path_factory):
    home = tmp_path_factory.mktemp("concurrent")
    reference_home = tmp_path_factory.mktemp("reference")
    try:
        runs = [
            subprocess.Popen([*DUTYGRAPH, "--home", str(home), "load", str(SAMPLES)], stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        for run in runs:
            _, err = run.communicate(timeout=120)
            assert run.returncode == 0, err.decode()
        both = Services(embedded_settings(home))
        reference = Services(embedded_settings(reference_home))
        assert reference.load([SAMPLES]).ok
        assert both.counts() == reference.counts()
        both.close()
        reference.close()
    finally:
        EmbeddedServer(home).stop()
        EmbeddedServer(reference_home).stop()


def test_a_bad_file_is_reported_and_the_good_ones_are_still_stored(fresh_services, tmp_path):
    shutil.copy(SAMPLES / "000_bb281ce7d484c788.txt", tmp_path)
    (tmp_path / "broken.docx").write_bytes(b"not a zip archive at all")
    (tmp_path / "empty.txt").write_bytes(b"")
    report = fresh_services.load([tmp_path])
    assert [s.action for s in report.loaded] == ["created"]
    assert sorted(f.path.name for f in report.failed) == ["broken.docx", "empty.txt"]
    assert all(f.reason for f in report.failed)
    assert len(fresh_services.documents()) == 1


def test_after_a_load_the_embedded_log_is_rewritten_so_a_restart_reads_a_snapshot(fresh_services):
    assert fresh_services.load([SAMPLES]).ok
    home = fresh_services.settings.home
    server = EmbeddedServer(home)
    client = redis.Redis(unix_socket_path=str(server.socket_path))
    deadline = time.monotonic() + 30
    while client.info("persistence")["aof_rewrite_in_progress"] and time.monotonic() < deadline:
        time.sleep(0.05)
    info = client.info("persistence")
    assert info["aof_rewrites"] >= 1 and info["aof_last_bgrewrite_status"] == "ok"
    before = fresh_services.counts()
    fresh_services.close()
    server.stop()
    again = Services(embedded_settings(home))
    try:
        assert again.counts() == before
    finally:
        again.close()


def test_a_new_graphs_schema_is_in_the_snapshot_so_a_restart_replays_no_index_or_constraint_command(fresh_services):
    home = fresh_services.settings.home
    server = EmbeddedServer(home)
    indexes = fresh_services.store.read("CALL db.indexes() YIELD label RETURN count(label) AS n").rows[0][0]
    fresh_services.close()
    server.stop()
    logged = b"".join(path.read_bytes() for path in server.aof_dir.glob("*.incr.aof"))
    assert b"CREATE INDEX" not in logged and b"GRAPH.CONSTRAINT" not in logged  # both were, before
    again = Services(embedded_settings(home))
    try:
        assert again.store.read("CALL db.indexes() YIELD label RETURN count(label) AS n").rows[0][0] == indexes > 0
    finally:
        again.close()


@pytest.mark.parametrize(
    "node",
    ["(:Analytics {id: 'network'})", "(:Document {id: 'doc-twice', stub: true})", "(:Unit:Agency {id: 'unit-twice'})"],
)
def test_the_database_refuses_a_second_node_with_the_id_of_a_merged_node(fresh_services, node):
    """Two writers may MERGE the same Analytics note, Document (a stub a plan cites) or Unit at once, and
    FalkorDB decides a MERGE's match before it takes the write lock: without a unique key enforced by the
    database both create one (two first loads at once left two Analytics nodes).  With the key the loser's
    query is refused and rolled back whole, and the store runs it again, when its MERGE finds the node."""
    from dutygraph.graph.store import StoreError

    store = fresh_services.store
    store.write(f"CREATE {node}")
    with pytest.raises(StoreError, match="unique"):
        store.write(f"CREATE (:Section {{id: 'rolled-back'}}) CREATE {node}")
    assert store.read("MATCH (s:Section {id: 'rolled-back'}) RETURN count(s)").rows == [[0]]


# ------------------------------------------------------------- replies and the commands they answer

#: A read that takes the database a noticeable moment (a sum over a few million numbers).
SLOW_READ = "UNWIND range(1, 4000000) AS x RETURN sum(x) AS slow"


def _leave_a_reply_unread(pool: redis.ConnectionPool, graph: str) -> None:
    """Send a slow read on a pooled connection and put the connection back before its reply
    arrives: what a caller that stopped waiting without hanging up leaves behind."""
    connection = pool.get_connection()
    connection.send_command("GRAPH.RO_QUERY", graph, SLOW_READ, "--compact")
    pool.release(connection)


@pytest.mark.parametrize("adhoc", [False, True], ids=["named", "ad-hoc"])
def test_a_reply_left_unread_on_a_connection_is_never_taken_for_the_next_querys_answer(fresh_services, adhoc):
    store = fresh_services.store
    store.read("RETURN 1 AS warm", **({"max_rows": 10} if adhoc else {}))  # the pool holds a connection
    pool = store._bounded_connections() if adhoc else store.client.connection.connection_pool
    for attempt in range(3):
        _leave_a_reply_unread(pool, store.graph.name)
        answer = store.read(f"RETURN {attempt} AS mine", **({"max_rows": 10} if adhoc else {}))
        assert (answer.columns, answer.rows) == (["mine"], [[attempt]])
    assert store.read("RETURN 'after' AS mine").rows == [["after"]]


def test_an_answer_with_other_columns_than_its_query_declares_is_never_handed_on(fresh_services):
    """The database once answered a named query with another query's rows (a cached plan of the
    other's): such an answer is asked again and, when it is wrong again, refused."""
    from dutygraph.graph.store import StoreError
    from dutygraph.queries import NamedQuery

    named = NamedQuery("declares_mine", "", "RETURN 1 AS other", {}, ("mine",), True, None)
    with pytest.raises(StoreError, match="declares_mine with the columns of another query"):
        fresh_services._read(named, {})
    right = NamedQuery("declares_other", "", "RETURN 1 AS other", {}, ("other",), True, None)
    assert fresh_services._read(right, {}).rows == [[1]]
