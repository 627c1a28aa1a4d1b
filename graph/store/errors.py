"""What can go wrong in the store, as types: callers (the CLI, the API's error handlers) decide
what to show by the type of the error, never by where it happened."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database refused or failed an operation (message safe to show)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (not started, stopped, wrong address): try again later."""


class ReadOnlyViolation(StoreError):
    """A read-only query tried to write."""


class QueryTimeout(StoreError):
    """A query ran past its time limit and was stopped."""


class QueryRefused(StoreError):
    """An ad-hoc query refused before it reached the database, or stopped at a resource limit
    (too long, too deeply nested, malformed, over its memory or answer size); the message says which."""


# Shown under the package's name (``dutygraph.graph.store.StoreError``), where callers import them from.
for _error in (StoreError, StoreUnavailable, ReadOnlyViolation, QueryTimeout, QueryRefused):
    _error.__module__ = "dutygraph.graph.store"
