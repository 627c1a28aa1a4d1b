"""Recent answers, kept while the graph stays as it was.

An answer of the API depends on the stored graph, the request (path, query, the format it accepts) and
for the follow-up calendar on the day. The graph's version is the one the analytics keep on the
``Analytics`` node (``queries/analytics_version.cypher``): every load or removal through the services
recomputes it, or, when a load leaves the analytics for later, replaces it with a version of its own
(:meth:`~dutygraph.services.Services.load`), so a changed graph never shows the version of the graph
before it — in this process or in a CLI beside it that shares the database.

:class:`Answers` keeps the most recent answers under ``(version, day, request)``; the services clear it
after every load or removal, and an answer of an older version is never looked up again anyway.

>>> cache = Answers(max_entries=2)
>>> cache.put(("v1", "/a"), Answer(200, [], b"1")); cache.put(("v1", "/b"), Answer(200, [], b"2"))
>>> cache.get(("v1", "/a")).body
b'1'
>>> cache.put(("v1", "/c"), Answer(200, [], b"3"))  # /b, the least recently used, goes
>>> cache.get(("v1", "/b")) is None, len(cache)
(True, 2)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]  # as the ASGI server sends them
    body: bytes


class Answers:
    """A bounded, thread-safe LRU of answers (``max_entries`` of at most ``max_bytes`` each)."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 1 << 20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
