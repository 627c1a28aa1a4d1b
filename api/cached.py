"""ETags and recent answers for the API's reads: an answer costs nothing when nothing changed.

Every ``GET /api/…`` (but the downloads of ``/api/export``, which stream) gets an ``ETag`` made of the
graph's version (:meth:`~dutygraph.services.Services.graph_version`, one lookup of the ``Analytics``
node), the day, the path, the query and the ``Accept`` header. A request whose ``If-None-Match`` holds
it is answered ``304 Not Modified`` at once; any other is looked up in the services' recent answers
(:mod:`dutygraph.answers`) under the same key and, when missing, answered by the app and kept.

Only a request the API would let read is answered here (:meth:`~.security.Access.check`); anything
else — a refused key, a store that does not answer, a write — goes to the app unchanged, which answers
it as ever. This is plain ASGI, not ``BaseHTTPMiddleware``, so that an answer kept costs no more than
the version lookup and the bytes sent.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import anyio.to_thread
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dutygraph.answers import Answer
from dutygraph.graph.store import StoreError

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
        answers = state.services.answers
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
