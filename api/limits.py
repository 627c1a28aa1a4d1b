"""What the server protects itself with, before a route runs: body sizes, host names and a share of
the database for ad-hoc Cypher.  Every limit is a setting (:mod:`dutygraph.settings`).

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
                            thread, not all, and the read endpoints keep the rest.
==========================  ===============================================================================
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dutygraph.settings import Settings

#: Seconds a client is told to wait (``Retry-After``) when the server is busy or its database is down.
RETRY_AFTER_SECONDS = 2
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


def install(app: Any, settings: Settings, *, reads_open: bool) -> Limits:
    limits = Limits(settings, reads_open=reads_open)
    app.state.limits = limits
    app.add_middleware(LimitsMiddleware, limits=limits)
    return limits
