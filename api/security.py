"""Who may do what: API keys with scopes, and where the server may listen.

``DUTYGRAPH_API_KEYS`` holds comma-separated ``KEY=scope+scope`` entries (scopes
``read``, ``cypher``, ``write``); a request carries its key in ``X-API-Key``.
Read endpoints are open when the server listens on loopback (unless
``DUTYGRAPH_READ_REQUIRES_KEY``); ad-hoc Cypher and writes always need a key.
Keys are compared in constant time and never logged.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import HTTPException

from dutygraph.settings import Settings


class StartupRefused(SystemExit):
    """The server will not start as configured (the message says why)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings, host: str, *, insecure: bool) -> None:
    """Refuse a non-loopback address without API keys, unless explicitly insecure."""
    if not is_loopback(host) and not settings.parsed_api_keys() and not insecure:
        raise StartupRefused(
            f"refusing to listen on {host} without API keys: set DUTYGRAPH_API_KEYS "
            "(e.g. KEY=read+cypher), or pass --insecure to serve an open network anyway"
        )


class Access:
    """The configured keys and whether reads are open; :mod:`.deps` asks it about each request."""

    def __init__(self, settings: Settings, *, reads_open: bool) -> None:
        self.keys = settings.parsed_api_keys()
        self.reads_open = reads_open

    def scopes_of(self, given: str) -> frozenset[str] | None:
        """The scopes of a key, comparing against every configured key in constant time."""
        found: frozenset[str] | None = None
        for key, scopes in self.keys.items():
            if hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8")):
                found = scopes
        return found

    def check(self, scope: str, given: str | None) -> None:
        """Let a request with key ``given`` through to an endpoint that needs ``scope``, or refuse
        it (401 without a known key, 403 with a key that lacks the scope)."""
        if scope == "read" and self.reads_open:
            return
        if not given:
            raise HTTPException(
                401,
                f"this endpoint needs an API key with the {scope} scope in the X-API-Key header",
                headers={"WWW-Authenticate": "X-API-Key"},
            )
        scopes = self.scopes_of(given)
        if scopes is None:
            raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "X-API-Key"})
        if scope not in scopes:
            raise HTTPException(403, f"this API key lacks the {scope} scope")
