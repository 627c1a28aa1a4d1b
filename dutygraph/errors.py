"""What can go wrong in an operation dutygraph offers, as types.

The services raise these; each front end decides what to show by the type alone — the API maps
them to RFC 9457 problems (``api/errors.py``), the CLI to one ``error: …`` line and an exit status
(``api/cli.py``).  The store's own errors (unreachable, timed out, write refused) are in
:mod:`dutygraph.graph.store.errors`; a named query's are in :mod:`dutygraph.queries`.
"""

from __future__ import annotations

from typing import Any


class NotFound(LookupError):
    """Nothing matches the name or id given."""


class Ambiguous(LookupError):
    """A name that fits several units; ``candidates`` lists them.  ``partial``: the name is no
    unit's name, but part of the names of several."""

    def __init__(self, name: str, candidates: list[dict[str, Any]], *, partial: bool = False) -> None:
        how = "is part of the names of" if partial else "names"
        super().__init__(f"{name!r} {how} {len(candidates)} units: pick one by id or full name")
        self.name = name
        self.candidates = candidates


class BadArgument(ValueError):
    """A parameter value outside the allowed ones; the message lists them."""


class RegistryError(ValueError):
    """An agency registry file that cannot be used; the message names the file and the reason."""


class QueryFailed(ValueError):
    """The database refused an ad-hoc Cypher query itself (syntax, an unknown function, a type
    error): the fault of the query, which its author is shown, not of the database."""


class Rejected(ValueError):
    """A document that cannot be stored: the reason names the file and what is wrong."""


class UnsupportedFormat(Rejected):
    """An upload whose file name has no suffix dutygraph reads."""


class TooLarge(Rejected):
    """An upload over the configured size limit."""


class Unreadable(Rejected):
    """An upload in a supported format that could not be read (damaged, no text, no tasks …)."""
