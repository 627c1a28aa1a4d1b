"""How `dutygraph serve` runs the app: uvicorn on a socket bound first, speaking an HTTP/1.1 that
takes Chinese in the address as people type it.

``curl 'http://localhost:8000/api/agencies?q=大数据'`` sends the characters as raw UTF-8 bytes in the
request line.  uvicorn's parsers both refuse that with ``400 Invalid HTTP request received.``: h11
allows only visible ASCII in a request target, and httptools (llhttp) stops at the first byte above
0x7f ("Invalid char in url query") with no leniency to lift it.  Granian accepts the bytes but hands
them to the app as they came, which Starlette decodes as Latin-1 (``q=å¤§…``).  So the request line
is percent-encoded, as a browser encodes what is typed in its address bar, before h11 reads it: the
app then sees ``q=%E5%A4%A7…`` and decodes 大数据, and a request that was ASCII already is unchanged.

>>> percent_encode_high_bytes("GET /api/agencies?q=大数据 HTTP/1.1\\r\\n".encode())
b'GET /api/agencies?q=%E5%A4%A7%E6%95%B0%E6%8D%AE HTTP/1.1\\r\\n'
"""

from __future__ import annotations

import errno
import re
import socket
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


class PortInUse(OSError):
    """The address to serve on cannot be bound; the message says which and why."""


def percent_encode_high_bytes(line: bytes) -> bytes:
    return _HIGH_BYTE.sub(lambda m: b"%%%02X" % m.group()[0], line)


class RawUtf8TargetProtocol(H11Protocol):
    """uvicorn's h11 protocol, with the raw UTF-8 bytes of each request line percent-encoded first.

    Only the bytes of a request line are touched: those that arrive while h11 waits for a new
    request (state IDLE) up to the line's end.  A request pipelined behind another's body in the
    same packet is left as it came (h11 then refuses raw UTF-8 in it, as before); curl, browsers
    and HTTP libraries send one request at a time."""

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            buffered, _ = self.conn.trailing_data
            if b"\n" not in buffered:
                end = data.find(b"\n")
                line, rest = (data, b"") if end < 0 else (data[: end + 1], data[end + 1 :])
                data = percent_encode_high_bytes(line) + rest
        super().data_received(data)


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything is printed, so that a port in use is one clear line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        why = "is in use (another server?)" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
        raise PortInUse(f"port {port} on {host} {why}: choose another with --port") from None
    return sock


def serve(app: Any, sock: socket.socket, *, log_level: str = "info") -> None:
    """Run ``app`` with uvicorn on the bound ``sock`` until interrupted."""
    import uvicorn

    config = uvicorn.Config(app, http=RawUtf8TargetProtocol, log_level=log_level)
    uvicorn.Server(config).run(sockets=[sock])
