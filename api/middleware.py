"""What runs before a route: ETags and recent answers, body limits, host names, the Cypher share.

Both middlewares are plain ASGI, not ``BaseHTTPMiddleware``: a body is never buffered on its way in
and an answer kept costs no more than the graph's version lookup and the bytes sent.
``create_app`` adds :class:`CachedAnswers` innermost and :func:`install` puts :class:`LimitsMiddleware`
outside it, so the limits apply to a kept answer too.

**ETags and recent answers.**  Every ``GET /api/…`` (but the downloads of ``/api/export``, which
stream) gets an ``ETag`` made of the graph's version (:meth:`~dutygraph.services.Services.graph_version`,
one lookup of the ``Analytics`` node), the day, the path, the query and the ``Accept`` header.  A
request whose ``If-None-Match`` holds it is answered ``304 Not Modified`` at once; any other is looked
up in the app's recent answers (:class:`Answers`, ``app.state.answers``) under the same key and, when
missing, answered by the app and kept.  Only a request the API would let read is answered here
(:meth:`~.deps.Access.check`); anything else — a refused key, a store that does not answer, a write —
goes to the app unchanged, which answers it as ever.

The graph's version is the one the analytics keep on the ``Analytics`` node
(``queries/analytics_version.cypher``): every load or removal through the services recomputes it, or,
when a load leaves the analytics for later, replaces it with a version of its own
(:meth:`~dutygraph.services.Services.load`), so a changed graph never shows the version of the graph
before it — in this process or in a CLI beside it that shares the database.  An answer kept under an
older version is therefore never looked up again: that is what keeps answers fresh.  The routes that
change the graph (an upload, a removal) also clear the app's answers, but only so that the memory of
answers nobody can ask for again is given back at once rather than when the LRU pushes them out.

**What the server protects itself with.**  Every limit is a setting (:mod:`dutygraph.settings`).

==========================  ===============================================================================
body size                   a body over its limit is 413 with the limit, judged from ``Content-Length``
                            before one byte of it is read; a body sent without one (chunked) is counted
                            as it arrives and stopped at the limit.  Uploads: ``upload_max_mb``; any other
                            body (``/api/cypher``): ``body_max_kb``.
host names                  while reads need no key (loopback), only ``allowed_hosts`` are answered: a page
                            on ``evil.example`` whose name is made to resolve to 127.0.0.1 (DNS rebinding)
                            sends ``Host: evil.example`` and gets 400, never the data.
ad-hoc Cypher               at most ``cypher_concurrency`` queries at once, counted by the database too (a
                            query past its deadline may run on there); one more is 503 with ``Retry-After``
                            at once rather than queued, so that ten heavy audit queries hold one database
                            thread, not all, and the read endpoints keep the rest (a dependency of the
                            route, :data:`CypherSlot`, after its key check).
==========================  ===============================================================================
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dutygraph.graph.store import StoreError
from dutygraph.settings import Settings

# ---------------------------------------------------------------- ETags and recent answers


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer the app gave, as sent: given again as it is to the same request of the same graph."""

    status: int
    headers: list[tuple[bytes, bytes]]  # as the ASGI server sends them
    body: bytes


class Answers:
    """A bounded, thread-safe LRU of answers (``max_entries`` of at most ``max_bytes`` each), under
    ``(version, day, request)``; one per app (``app.state.answers``), sized by ``answer_cache``.

    >>> cache = Answers(max_entries=2)
    >>> cache.put(("v1", "/a"), Answer(200, [], b"1")); cache.put(("v1", "/b"), Answer(200, [], b"2"))
    >>> cache.get(("v1", "/a")).body
    b'1'
    >>> cache.put(("v1", "/c"), Answer(200, [], b"3"))  # /b, the least recently used, goes
    >>> cache.get(("v1", "/b")) is None, len(cache)
    (True, 2)
    """

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


#: Paths whose answers are not kept: downloads that stream.
NOT_KEPT = ("/api/export/",)


def etag_of(key: tuple[str, ...]) -> bytes:
    return b'"' + hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:32].encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak or strong) or is ``*``."""
    tags = [t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")]
    return etag in tags or b"*" in tags


class CachedAnswers:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not path.startswith("/api/")
            or path.startswith(NOT_KEPT)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        state = scope["app"].state
        try:
            state.access.check("read", headers.get(b"x-api-key", b"").decode("latin-1") or None)
            version = await anyio.to_thread.run_sync(state.services.graph_version)
        except (HTTPException, StoreError):  # the app refuses the request, or says the store is down
            await self.app(scope, receive, send)
            return
        accept = headers.get(b"accept", b"").decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        key = (version, date.today().isoformat(), path, query, accept)
        etag = etag_of(key)
        if matches(headers.get(b"if-none-match", b""), etag):
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return
        answers: Answers = state.answers
        kept = answers.get(key)
        if kept is not None:
            await send({"type": "http.response.start", "status": kept.status, "headers": kept.headers})
            await send({"type": "http.response.body", "body": kept.body})
            return
        await self.app(scope, receive, _Keeping(send, etag, lambda answer: answers.put(key, answer)))


class _Keeping:
    """The ``send`` of an answer the app gives: its ETag added, its bytes kept if it is a 200."""

    def __init__(self, send: Send, etag: bytes, keep: Any) -> None:
        self.send, self.etag, self.keep = send, etag, keep
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] | None = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            if self.status == 200:
                self.headers = [*message.get("headers", []), (b"etag", self.etag)]
                message = {**message, "headers": self.headers}
        elif message["type"] == "http.response.body" and self.status == 200 and self.body is not None:
            self.body.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.keep(Answer(200, self.headers, b"".join(self.body)))
                self.body = None
        await self.send(message)


# ---------------------------------------------------------------- body sizes and host names

#: What a multipart body adds around the file it carries (boundaries, part headers, the file name).
MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_PATHS = frozenset({"/api/documents"})


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without port, brackets or a final dot, in lower case.

    >>> [host_name(h) for h in ("LocalHost:8000", "[::1]:8000", "127.0.0.1", "example.org.")]
    ['localhost', '::1', '127.0.0.1', 'example.org']
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    if header.count(":") == 1:
        header = header.partition(":")[0]
    return header.rstrip(".")


class Limits:
    """The limits of one app (``app.state.limits``), from its settings."""

    def __init__(self, settings: Settings, *, reads_open: bool) -> None:
        self.upload_bytes = int(settings.upload_max_mb * 1024 * 1024) + MULTIPART_OVERHEAD
        self.body_bytes = settings.body_max_kb * 1024
        self.hosts = frozenset(host_name(h) for h in settings.allowed_hosts.split(",") if h.strip())
        self.check_hosts = reads_open
        self.cypher_slots = settings.cypher_concurrency
        self.cypher_running = 0  # changed only on the event loop's thread: no lock needed

    def body_limit(self, path: str) -> tuple[int, str]:
        if path in UPLOAD_PATHS:
            return self.upload_bytes, "DUTYGRAPH_UPLOAD_MAX_MB"
        return self.body_bytes, "DUTYGRAPH_BODY_MAX_KB"


def too_large(limit: int, setting: str) -> str:
    return f"the request body is over the limit of {limit:,} bytes ({setting})"


async def answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """A problem answer (as :mod:`.errors` writes them), sent straight from the middleware."""
    title = {400: "Bad request", 413: "Too large"}.get(status, "Error")
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    raw = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class LimitsMiddleware:
    """Host names and body sizes, checked before the app sees the request (pure ASGI: a body is
    never buffered here, and a refused one is never read)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limits = self.limits
        # A request without Host (HTTP/1.0) comes from no browser, so from no rebinding page either.
        host = headers.get("host")
        if limits.check_hosts and host is not None and host_name(host) not in limits.hosts:
            await answer(
                send,
                400,
                f"this server answers only to {', '.join(sorted(limits.hosts))} while its reads need no key, "
                "not to the host name this request gave (DUTYGRAPH_ALLOWED_HOSTS)",
            )
            return
        limit, setting = limits.body_limit(scope["path"])
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await answer(send, 400, "the Content-Length header is not a number")
                return
            if int(declared) > limit:
                await answer(send, 413, too_large(limit, setting))
                return
        await self.app(scope, counted(receive, limit, setting), send)


def counted(receive: Receive, limit: int, setting: str) -> Receive:
    """``receive`` that stops a body at ``limit`` bytes, however it is sent (a declared length can
    be a lie in the client's favour only: the server reads no more than it says)."""
    seen = 0

    async def receive_counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                # Raised inside the route's body parsing: FastAPI passes HTTPException on, and
                # api/errors.py answers it as a 413 problem.
                raise HTTPException(413, too_large(limit, setting))
        return message

    return receive_counted


# ---------------------------------------------------------------- ad-hoc Cypher's share of the database

#: Seconds a client is told to wait (``Retry-After``) when the server is busy or its database is down.
RETRY_AFTER_SECONDS = 2


async def cypher_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the ad-hoc Cypher slots for the request, or answer 503 with ``Retry-After``
    when all are taken.  A dependency after the key check, so that unauthorised requests take none."""
    limits: Limits = request.app.state.limits
    taken = limits.cypher_running
    limits.cypher_running += 1  # before the await below, so that a request arriving meanwhile sees it
    try:
        # The database's own count also holds queries the API stopped waiting for at their deadline
        # but the database still runs (and those of other workers); asked on its main thread.
        services = request.app.state.services
        taken = max(taken, await run_in_threadpool(services.adhoc_running))
        if taken >= limits.cypher_slots:
            raise HTTPException(
                503,
                f"{taken} ad-hoc Cypher quer{'y is' if taken == 1 else 'ies are'} running in the database, "
                "as many as this server runs at once (DUTYGRAPH_CYPHER_CONCURRENCY): ask again shortly",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        yield
    finally:
        limits.cypher_running -= 1


CypherSlot = Depends(cypher_slot)


# ---------------------------------------------------------------- installing the limits


def install(app: Any, settings: Settings, *, reads_open: bool) -> Limits:
    limits = Limits(settings, reads_open=reads_open)
    app.state.limits = limits
    app.add_middleware(LimitsMiddleware, limits=limits)
    return limits


# ---------------------------------------------------------------- the request log

log = logging.getLogger("dutygraph.api")


class RequestLog:
    """Method, path, status and time of every request: never headers (API keys) or bodies.

    Plain ASGI like the rest of this module: Starlette's ``@app.middleware("http")`` runs every
    request through a task group and a stream of its own, which a kept answer would pay for too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before it answers

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log.info("%s %s %s %.1fms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000)
