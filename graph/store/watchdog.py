"""A watch on the embedded database while dutygraph waits for it: a server whose main thread has
stopped answering is killed, so that the wait ends and the store starts it again.

Why: FalkorDB 4.16.3 can leave the lock of its list of graphs with a reader count below zero
(seen in gdb on a server the suite waited on for an hour: ``_globals.lock.__readers`` = ``-6``,
every thread idle, the main thread in ``pthread_rwlock_wrlock`` under ``Globals_AddGraph``). The
next command that adds a graph -- the first query of a new graph, or replaying one at start --
then waits for that lock for ever, and with it Redis's main thread: no reply, not even to
``PING``, and a client without a time limit waits for ever too.  A long query is no such thing:
FalkorDB runs queries on threads of their own and the main thread keeps answering ``PING``.

So while a call is under way the watch asks ``PING`` on a connection of its own every
``probe_every`` seconds once the call is that old; when no ``PING`` has been answered for
``hung_after`` seconds (a writer's commit holds the main thread for a moment, never for long),
the server is killed (:meth:`.EmbeddedServer.kill_hung`).  The call's connection then fails,
and :meth:`.FalkorDBStore._answered` starts the server again from its files and runs the call
once more, as after a crash.  Nothing acknowledged is lost: every write is in the log before
its reply is sent.

>>> watch = HangWatch(None)
>>> with watch.call():
...     pass
>>> watch.in_flight()
0
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .embedded import EmbeddedServer

log = logging.getLogger("dutygraph.store")

#: Seconds a call runs before the watch starts asking the server, and between two questions.
PROBE_EVERY_SECONDS = 5.0
#: Seconds with no answer to PING after which the server is taken for hung.
HUNG_AFTER_SECONDS = 30.0


class HangWatch:
    """Watches the calls a store makes to ``server`` (None: an external database, not ours to kill:
    nothing is watched)."""

    def __init__(
        self,
        server: EmbeddedServer | None,
        *,
        probe_every: float = PROBE_EVERY_SECONDS,
        hung_after: float = HUNG_AFTER_SECONDS,
    ) -> None:
        self.server = server
        self.probe_every = probe_every
        self.hung_after = hung_after
        self._calls: dict[int, float] = {}  # token -> when the call began (monotonic)
        self._tokens = itertools.count()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def in_flight(self) -> int:
        with self._lock:
            return len(self._calls)

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """Marks one call to the server as under way (cheap: a dict entry; the watching thread
        is started once, on the first call, and sleeps while no call is old)."""
        if self.server is None:
            yield
            return
        token = next(self._tokens)
        with self._lock:
            self._calls[token] = time.monotonic()
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="dutygraph-hang-watch", daemon=True)
                self._thread.start()
            self._wake.notify()
        try:
            yield
        finally:
            with self._lock:
                del self._calls[token]

    def _oldest_age(self) -> float | None:
        return time.monotonic() - min(self._calls.values()) if self._calls else None

    def _watch(self) -> None:
        silent_since: float | None = None  # when an unanswered PING was first asked
        while True:
            with self._lock:
                age = self._oldest_age()
                while age is None or age < self.probe_every:
                    silent_since = None
                    self._wake.wait(None if age is None else self.probe_every - age)
                    age = self._oldest_age()
            assert self.server is not None
            asked = time.monotonic()
            answered = self.server.answers_ping(timeout=self.probe_every)
            if answered is not False:  # answered, or not running at all: the call fails on its own
                silent_since = None
                time.sleep(max(0.0, self.probe_every - (time.monotonic() - asked)))
                continue
            silent_since = silent_since or asked
            if time.monotonic() - silent_since >= self.hung_after:
                log.error(
                    "%s: the database has answered nothing, not even PING, for %.0f s while a call waited: "
                    "killed, to be started again from its files",
                    self.server.home,
                    time.monotonic() - silent_since,
                )
                self.server.kill_hung()
                silent_since = None
