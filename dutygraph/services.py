"""The operations dutygraph offers, shared by the CLI and the HTTP API.

Both front ends are thin: they parse arguments, call a method here and format
the answer; neither reaches into the store.  Everything here talks to the graph
through :class:`GraphStore` and the named queries, never to a particular backend.
What goes wrong is raised as the types of :mod:`dutygraph.errors`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import gc
import json
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from dutygraph import display, exports
from dutygraph.display import one_line
from dutygraph.errors import (
    Ambiguous,
    BadArgument,
    NotFound,
    QueryFailed,
    RegistryError,
    Rejected,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from dutygraph.graph import analytics
from dutygraph.graph.analytics import followup, planning
from dutygraph.graph.analytics.network import bipartite_graph, for_export
from dutygraph.graph.analytics.overload import rank
from dutygraph.graph.store import (
    DocumentPayload,
    GraphStore,
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
    WriteSummary,
    open_store,
    writes,
)
from dutygraph.graph.store.readonly import check_read_only
from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.names import name_key, name_keys, normalise
from dutygraph.loaders.pipeline import Failure, extract_paths
from dutygraph.loaders.read import SUPPORTED_SUFFIXES, skipped_paths
from dutygraph.loaders.registry import Registry
from dutygraph.loaders.repair import fold
from dutygraph.loaders.resolve import unresolved_unit_id
from dutygraph.model import CENTRALITY_MEASURES, Document, Level
from dutygraph.queries import PAGE_KEY, NamedQuery, QueryParameterError, load_query, statement
from dutygraph.settings import Settings, get_settings

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


#: The loaders' text rules, as the store applies them to what it writes.
LOADER_TEXT_RULES = writes.TextRules(
    name_keys=name_keys, normalise=normalise, fold=fold, unresolved_unit_id=unresolved_unit_id, one_line=one_line
)


def build_payload(doc: Document, registry: Registry) -> DocumentPayload:
    """What the store writes for ``doc``, with the loaders' name keys and search forms."""
    return writes.build_payload(doc, registry.fingerprint, LOADER_TEXT_RULES)


#: What `centrality` can order by, the kinds of unit `overload` ranks, the levels of documents.
CENTRALITY_ORDERS = CENTRALITY_MEASURES
UNIT_KINDS = ("agency", "group")
#: The analytics each unit node of a GraphML/GEXF export carries.
EXPORTED_METRICS = (
    *("load", "overload", "lead", "support", "joint", "documents", "partners", "betweenness", "pagerank"),
    *("community", "communities_linked", "broker", "month", "month_tasks"),
)
LEVELS = tuple(level.value for level in Level)
#: How long the readiness probe's query may wait for a database thread (a bounded read adds its grace).
READY_TIMEOUT_MS = 1000


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """``value`` if allowed, else a BadArgument listing the allowed values.

    >>> check_choice("order_by", "foo", CENTRALITY_ORDERS)
    Traceback (most recent call last):
    ...
    dutygraph.errors.BadArgument: order_by must be one of pagerank, betweenness, degree, weighted_degree, not 'foo'
    """
    if value not in allowed:
        raise BadArgument(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


@dataclass(slots=True)
class LoadReport:
    loaded: list[WriteSummary] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # files in the folders not read, and why

    @property
    def ok(self) -> bool:
        return not self.failed


def _check_names(value: Any, what: str = "parameter name") -> None:
    """Refuse parameter names and map keys FalkorDB cannot take: empty, or with a backtick (its
    client sends parameters as a ``CYPHER `name`=value`` header, where neither fits, and raised
    a ValueError that became a 500).  No query can refer to such a parameter anyway."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not key or "`" in key:
                raise QueryParameterError(f"{what} {key!r} is not allowed: it is empty or contains a backtick")
            _check_names(item, "map key")
    elif isinstance(value, list):
        for item in value:
            _check_names(item, "map key")


#: agency_tasks' filters: with each at its default (null, false) a page is read by document
#: (:meth:`Services._agency_page`).
AGENCY_TASK_FILTERS = ("role", "document", "jurisdiction", "due_after", "due_before", "counterparts")

#: Named queries answered by an internal statement of the same rows (same order, same page_key)
#: whenever the parameter is given: the statement starts from what the parameter names instead of
#: asking every row about it (queries/assignments_table_by_agency).  {(query, parameter): statement}
ANSWERED_FROM = {("assignments_table", "agency"): "assignments_table_by_agency"}


@dataclass(slots=True)
class Page:
    """One page of a paged query (queries/__init__.py): its rows, the total of the whole result (None
    when not asked for), the limit, and the cursor of the next page (None on the last one)."""

    rows: list[dict[str, Any]]
    total: int | None
    limit: int
    next: str | None = None
    columns: list[str] = field(default_factory=list)


def encode_cursor(name: str, key: list[Any]) -> str:
    """An opaque cursor: the query's name and the page_key of a page's last row, as URL-safe base64.

    >>> decode_cursor("documents", encode_cursor("documents", ["2021-06-01", "doc-1"]))
    ['2021-06-01', 'doc-1']
    """
    text = json.dumps([name, key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(name: str, cursor: str | None) -> list[Any] | None:
    """The page_key a cursor of :func:`encode_cursor` holds; BadArgument for one this query never gave.

    >>> decode_cursor("documents", "bm9wZQ")
    Traceback (most recent call last):
    ...
    dutygraph.errors.BadArgument: cursor 'bm9wZQ' is not one a page of documents gave
    """
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        value = None
    scalars = (str, int, float, bool)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or value[0] != name
        or not isinstance(value[1], list)
        or not 0 < len(value[1]) <= 8
        or not all(isinstance(v, scalars) for v in value[1])
    ):
        raise BadArgument(f"cursor {cursor!r} is not one a page of {name} gave")
    return value[1]


log = logging.getLogger("dutygraph.services")


def _freeze_what_lives_on() -> None:
    """Keep the objects alive now out of the collector's full collections for good.

    Once the store is open (its client and the libraries imported) and again once the registry is
    loaded (hundreds of thousands of objects), what is alive lives as long as the process. Left to the
    collector, every full collection walks all of it: a 40-60 ms pause in about one request in a
    hundred at scale (docs/benchmarks.md, issue 14). Collected first, so that no garbage is kept."""
    gc.collect()
    gc.freeze()


#: The named queries answered with columns other than the ones they declare (see Services._read),
#: in the order it happened; the test suite prints it at its end.
MISANSWERED: list[str] = []

#: Put after a query asked again: a text the database has no cached plan for.
ASKED_AGAIN = "\n// asked again: the answer before had the columns of another query"


def _answers(named: NamedQuery, result: QueryResult) -> bool:
    """Whether ``result`` has the columns ``named`` declares (page_key aside); an empty graph
    answers no columns at all."""
    if not named.columns or not result.columns:
        return not result.columns or not named.columns
    return [c for c in result.columns if c != PAGE_KEY] == list(named.columns)


def answering_statement(named: NamedQuery, bound: dict[str, Any]) -> NamedQuery:
    """The statement that answers ``named`` with ``bound``: an internal one of :data:`ANSWERED_FROM`
    when its parameter is given, else ``named`` itself."""
    for (query, parameter), internal in ANSWERED_FROM.items():
        if named.name == query and bound.get(parameter) is not None:
            return statement(internal)
    return named


def _without_page_key(result: QueryResult) -> QueryResult:
    """A paged query's result without its page_key column (the answers leave it out)."""
    if PAGE_KEY not in result.columns:
        return result
    at = result.columns.index(PAGE_KEY)
    columns = [c for i, c in enumerate(result.columns) if i != at]
    return QueryResult(columns, [[v for i, v in enumerate(row) if i != at] for row in result.rows], result.truncated)


#: Bytes an uploaded file's name may have: a file system's 255, less the ``.meta.yaml`` the
#: readers look for beside it (loaders/metadata.py).
UPLOAD_NAME_MAX_BYTES = 255 - len(".meta.yaml")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def check_upload_name(name: str) -> None:
    """Refuse a file name no file can have here: a control character (NUL ends a C string, so the
    name written is not the name given), or too many bytes for the file and its sidecar.

    >>> check_upload_name("中" * 100 + ".txt")
    Traceback (most recent call last):
    ...
    dutygraph.errors.Rejected: the file name is 304 bytes long (UTF-8), over the 245 an upload's name may have
    """
    if _CONTROL_CHARACTERS.search(name):
        raise Rejected("the file name contains a control character (such as NUL or a line break)")
    size = len(name.encode("utf-8", "surrogateescape"))
    if size > UPLOAD_NAME_MAX_BYTES:
        raise Rejected(
            f"the file name is {size} bytes long (UTF-8), over the {UPLOAD_NAME_MAX_BYTES} an upload's name may have"
        )


class Services:
    """One per process; opens the store and the registry on first use."""

    def __init__(self, settings: Settings | None = None, store: GraphStore | None = None) -> None:
        self.settings = settings or get_settings()
        self._store = store
        self._registry: Registry | None = None
        self._extractor: Extractor | None = None
        self._totals: dict[tuple[str, str, str], int] = {}  # paged lists' totals by version and filters

    # ------------------------------------------------------------ wiring

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.settings)
            self._store.ensure_schema()
            _freeze_what_lives_on()
        return self._store

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            try:
                self._registry = Registry.load(self.settings.registry)
            except (ValueError, OSError) as exc:
                raise RegistryError(f"agency registry: {exc}") from exc
            _freeze_what_lives_on()
        return self._registry

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor(self.registry)
        return self._extractor

    def open(self) -> None:
        """Open the store now (a server does before it says where it listens), not on first use."""
        self.store  # noqa: B018 - the property opens it

    def ping(self) -> bool:
        """The database answers."""
        return self.store.ping()

    def adhoc_running(self) -> int:
        """Ad-hoc Cypher queries the database is running now (also those the API gave up waiting for)."""
        return self.store.adhoc_running()

    def ready(self) -> bool:
        """The database answers a query within :data:`READY_TIMEOUT_MS` (and its grace): not only
        a ping, which a database whose query threads are all stuck still answers."""
        try:
            self.store.read(statement("ready").cypher, timeout_ms=READY_TIMEOUT_MS, max_rows=1)
        except (StoreError, StoreUnavailable, QueryTimeout):
            return False
        return True

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # ------------------------------------------------------------ loading

    def load(
        self,
        paths: Iterable[Path],
        *,
        dry_run: bool = False,
        refresh_analytics: bool = True,
        progress: Callable[[Path | None, WriteSummary | Failure], None] | None = None,
    ) -> LoadReport:
        """Extract and store documents, one atomic write per document.

        A document whose content, extractor and registry are unchanged is not
        rewritten.  With ``dry_run`` nothing is written and each summary says
        what would happen.  Afterwards the analytics stored on the graph are
        recomputed if anything changed (``refresh_analytics=False`` leaves that
        to a later load or to `dutygraph overload`)."""
        paths = list(paths)
        report = LoadReport(skipped=list(skipped_paths(paths)))
        max_bytes = int(self.settings.max_file_mb * 1024 * 1024)
        max_tasks = self.settings.max_tasks_per_document
        workers = self.settings.extraction_workers()
        for result in extract_paths(paths, self.extractor, max_bytes=max_bytes, max_tasks=max_tasks, workers=workers):
            if isinstance(result, Failure):
                report.failed.append(result)
                if progress:
                    progress(result.path, result)
                continue
            payload = build_payload(result, self.registry)
            if dry_run:
                previous = self.store.stored_fingerprint(payload.doc_id)
                action = (
                    "would create"
                    if previous is None
                    else "unchanged"
                    if previous == payload.fingerprint
                    else "would replace"
                )
                summary = WriteSummary(payload.doc_id, action, payload.counts)
            else:
                summary = self.store.store_document(payload)
            report.loaded.append(summary)
            if progress:
                progress(None, summary)
        changed = not dry_run and any(s.action in ("created", "replaced") for s in report.loaded)
        if changed and refresh_analytics:
            self.refresh_analytics()
        elif changed:  # a version of its own until the analytics run: no answer of the graph before fits it
            self.store.write(statement("analytics_changed").cypher, {"version": "changed-" + secrets.token_hex(8)})
        if changed:
            self.forget_totals()
            self.store.checkpoint()
        return report

    def load_samples(self) -> LoadReport:
        return self.load([SAMPLES])

    def remove(self, document: str) -> WriteSummary:
        doc = self.document(document)
        summary = self.store.remove_document(doc["doc_id"])
        self.refresh_analytics()
        self.forget_totals()
        return summary

    def forget_totals(self) -> None:
        """Drop the paged lists' totals kept for the graph as it was (after every load or removal):
        their key holds the graph's version, so this only gives their memory back."""
        self._totals.clear()

    def graph_version(self) -> str:
        """The stored graph's version (see api/middleware.py): what an answer's ETag and a kept total are keyed by."""
        rows = self._run("graph_version").rows
        return (rows[0][0] if rows else None) or "empty"

    # ------------------------------------------------------------ reading

    def query(self, name: str, params: dict[str, Any] | None = None, **options: Any) -> QueryResult:
        """Run the named query ``name`` of queries/ (not an internal statement) with ``params``.

        A ``document`` (or ``documents``) given by id, 文号, title or file name is looked up first
        (:meth:`document`): one that is not stored is NotFound, never an empty answer."""
        named = load_query(name)
        given = self._documents_found(named, params)  # a paged query's limit defaults to every row
        bound = named.bind(given)
        return _without_page_key(self._read(answering_statement(named, bound), bound, **options))

    def _documents_found(self, named: NamedQuery, params: dict[str, Any] | None) -> dict[str, Any]:
        """``params`` with the document(s) they name replaced by the stored ids (NotFound otherwise)."""
        given = dict(params or {})
        # An empty document (``?document=``) is no document, as coerce_param makes it for a named query.
        if "document" in named.params and given.get("document") not in (None, ""):
            given["document"] = self.document(str(given["document"]))["doc_id"]
        elif "document" in named.params:
            given["document"] = None
        if "documents" in named.params and given.get("documents") not in (None, "", []):
            keys = given["documents"] if isinstance(given["documents"], list) else [given["documents"]]
            given["documents"] = [self.document(str(key))["doc_id"] for key in keys]
        elif "documents" in named.params:
            given["documents"] = None
        return given

    def page(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        total: bool = True,
    ) -> Page:
        """One page of the paged named query ``name``: ``limit`` rows after the row ``cursor`` names
        (a previous page's :attr:`Page.next`), or after the first ``offset`` rows (the older way,
        which reads the rows it skips), and the total from the query's count (queries/__init__.py)."""
        named = load_query(name)
        if not named.paged:
            raise BadArgument(f"{name} is not a paged query")
        if limit < 1:
            raise BadArgument(f"limit must be at least 1, not {limit}")
        given = self._documents_found(named, params)
        after = decode_cursor(name, cursor)
        bound = named.bind({**given, "limit": offset + limit + 1, "after": after})
        by_document = self._agency_page(bound) if name == "agency_tasks" else None
        named = answering_statement(named, bound)
        result = by_document[0] if by_document else self._read(named, bound)
        if PAGE_KEY not in result.columns:  # an empty graph answers no columns at all
            return Page([], 0 if total else None, limit, None, list(named.columns))
        at = result.columns.index(PAGE_KEY)
        rows = result.rows[offset:]
        more = len(rows) > limit
        rows = rows[:limit]
        visible = _without_page_key(QueryResult(result.columns, rows))
        count = (by_document[1] if by_document else self._total(named, bound)) if total else None
        return Page(
            visible.records(),
            count,
            limit,
            encode_cursor(name, rows[-1][at]) if more and rows else None,
            visible.columns,
        )

    def _agency_page(self, bound: dict[str, Any]) -> tuple[QueryResult, int] | None:
        """The rows (``bound["limit"]`` of them after ``bound["after"]``) and the total of agency_tasks
        without filters, read by document (queries/agency_tasks_page): a page then costs what the
        documents it reaches hold for the agency, the total nothing. None when agency_tasks must answer
        itself: a filter, an agency given by a name rather than an id, a unit a document stored before
        page buckets names (graph/store/writes.py), a cursor of another unit's rows."""
        if any(bound[k] not in (None, False) for k in AGENCY_TASK_FILTERS):
            return None
        found = self._run("agency_page_docs", {"agency": bound["agency"]}).rows
        if not found or found[0][1] is None or len(found[0][1]) != found[0][2]:
            return None
        unit, entries = found[0][0], found[0][1]
        docs = [(issued, doc, n) for issued, doc, n in writes.page_docs(entries) if n > 0]
        after = bound["after"]
        if after is not None and not (
            len(after) == 4 and after[3] == unit and isinstance(after[0], str) and isinstance(after[1], str)
        ):
            return None
        # From the cursor's document on (its rows after the cursor), as many documents as hold the rows
        # wanted; where the cursor's document had fewer left, the next documents are asked for.
        at = (
            0 if after is None else bisect.bisect_left([(issued, doc) for issued, doc, _ in docs], (after[0], after[1]))
        )
        page = statement("agency_tasks_page")
        columns = [*page.columns, PAGE_KEY]
        rows: list[list[Any]] = []
        while at < len(docs) and len(rows) < bound["limit"]:
            wanted, chosen = bound["limit"] - len(rows), list[tuple[str, str, int]]()
            while at < len(docs) and sum(n for _, _, n in chosen) < wanted:
                chosen.append(docs[at])
                at += 1
            params = {
                "buckets": [f"{unit}|{doc}" for _, doc, _ in chosen],
                "issued": {doc: issued for issued, doc, _ in chosen},
                "limit": wanted,
                "after": rows[-1][columns.index(PAGE_KEY)] if rows else after,
            }
            result = self._read(page, params)
            columns = result.columns or columns  # an answer without rows may come without columns
            rows += result.rows
        return QueryResult(columns, rows), sum(n for _, _, n in docs)

    def _total(self, named: NamedQuery, bound: dict[str, Any]) -> int:
        """The total of a paged query's result, counted once per graph version and filters: the next
        pages of one list ask for the same total, which costs as much as the page for a large list."""
        filters = {k: v for k, v in bound.items() if k not in ("limit", "after")}
        key = (self.graph_version(), named.name, json.dumps(filters, sort_keys=True, ensure_ascii=False))
        if key not in self._totals:
            assert named.count_cypher is not None  # paged
            counted = self.store.read(named.count_cypher, bound).rows
            if len(self._totals) >= 4096:  # bounded: a long-running server sees many filters
                self._totals.clear()
            self._totals[key] = int(counted[0][0]) if counted else 0
        return self._totals[key]

    def every_page(
        self, name: str, params: dict[str, Any] | None = None, *, size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every row of the paged query ``name``, read from the store ``size`` rows at a time (exports
        and the CLI stream them: no whole result in memory, no one query of every row)."""
        cursor: str | None = None
        while True:
            page = self.page(name, params, limit=size, cursor=cursor, total=False)
            yield from page.rows
            if page.next is None:
                return
            cursor = page.next

    def _run(self, name: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run one of the internal statements of queries/ that read."""
        named = statement(name)
        return self._read(named, named.bind(params or {}))

    def _read(self, named: NamedQuery, bound: dict[str, Any], **options: Any) -> QueryResult:
        """``named`` run with ``bound``; an answer whose columns are not those the query declares
        is never handed on.

        Three times in the test suite's full runs (never alone, never in 4 threads × 50,000 mixed
        queries on the seed graph) the database answered ``tasks_with_several_leads`` with the rows
        of a count asked earlier, its columns included, over a connection whose replies were in step
        (graph/store/falkordb_store.py checks that): it ran another query's cached plan.  So a wrong
        answer is asked again under a text the database has cached no plan for, and refused when that
        answer is wrong too; either is logged and noted in :data:`MISANSWERED`."""
        result = self.store.read(named.cypher, bound, **options)
        if _answers(named, result):
            return result
        MISANSWERED.append(named.name)
        log.warning("%s answered with the columns %s, not %s: asked again", named.name, result.columns, named.columns)
        again = self.store.read(named.cypher + ASKED_AGAIN, bound, **options)
        if _answers(named, again):
            return again
        raise StoreError(f"{self.store.description} answered {named.name} with the columns of another query, twice")

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type: the size of the graph."""
        counts: dict[str, int] = {}
        for label, n in self._run("node_counts").rows:
            counts[label] = n
        for kind, n in self._run("relationship_counts").rows:
            counts[kind] = n
        return counts

    def documents(self) -> list[dict[str, Any]]:
        return self.query("documents").records()

    def documents_page(self, *, limit: int, cursor: str | None = None, offset: int = 0) -> Page:
        return self.page("documents", {}, limit=limit, cursor=cursor, offset=offset)

    def document(self, key: str) -> dict[str, Any]:
        """The stored document ``key`` names: its id, 文号, title or file name (queries/find_document)."""
        named = load_query("find_document")
        rows = self._read(named, named.bind({"document": key})).records()
        if not rows:
            raise NotFound(f"no stored document {key!r}")
        return rows[0]

    def resolve_unit(self, name: str) -> dict[str, Any]:
        """The one unit a name form or id stands for: any form a stored document wrote,
        any registered alias, the qualified name, in either script (compared by
        :func:`~dutygraph.loaders.names.name_key`, as the loaders do); failing that, the one
        unit whose names contain it (as the planner's suggestions list them)."""
        candidates = self.query("find_units", {"name": name_key(name)}).records()
        if not candidates and name != name_key(name):
            candidates = self.query("find_units", {"name": name}).records()
        if len(candidates) > 1:
            raise Ambiguous(name, candidates)
        if candidates:
            return candidates[0]
        partial = self.search_units(name) if name.strip() else []
        if len(partial) > 1:
            raise Ambiguous(name, partial, partial=True)
        if not partial:
            raise NotFound(f"no agency or group named {name!r}")
        return partial[0]

    def agency_tasks(
        self,
        name: str,
        *,
        role: str | None = None,
        document: str | None = None,
        jurisdiction: str | None = None,
        due_after: str | None = None,
        due_before: str | None = None,
        counterparts: bool = False,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        unit = self.resolve_unit(name)
        filters: dict[str, Any] = {"role": role, "document": document, "jurisdiction": jurisdiction}
        filters |= {"due_after": due_after, "due_before": due_before, "counterparts": counterparts}
        return unit, self.query("agency_tasks", self._agency_task_params(unit, **filters)).records()

    def agency_tasks_page(
        self, name: str, *, limit: int, cursor: str | None = None, offset: int = 0, **filters: Any
    ) -> tuple[dict[str, Any], Page]:
        """One page of :meth:`agency_tasks` (same filters), paged in the store."""
        unit = self.resolve_unit(name)
        params = self._agency_task_params(unit, **filters)
        return unit, self.page("agency_tasks", params, limit=limit, cursor=cursor, offset=offset)

    def _agency_task_params(self, unit: dict[str, Any], **filters: Any) -> dict[str, Any]:
        return {**filters, "agency": unit["id"], "jurisdiction": self.jurisdiction_name(filters.get("jurisdiction"))}

    def jurisdiction_name(self, name: str | None) -> str | None:
        """A jurisdiction as stored documents name it, from any form a user types
        (江宁区 → 南京市江宁区, 紹興 → 绍兴市); an unknown name is passed on as given."""
        if not name:
            return name
        node = self.registry.jurisdiction(name)
        return node.name if node is not None else name

    # ------------------------------------------------------------ the rest of the API

    def search_units(self, q: str) -> list[dict[str, Any]]:
        return self.query("search_units", {"q": name_key(q)}).records()

    def search_units_page(self, q: str, *, limit: int, cursor: str | None = None, offset: int = 0) -> Page:
        return self.page("search_units", {"q": name_key(q)}, limit=limit, cursor=cursor, offset=offset)

    def unit(self, name: str) -> dict[str, Any]:
        unit = self.resolve_unit(name)
        detail = self.query("unit_detail", {"unit": unit["id"]}).records()[0]
        detail["documents"] = sorted(set(detail["documents"]))
        return detail

    def collaborators(self, name: str, document: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        unit = self.resolve_unit(name)
        rows = self.query("agency_collaborators", {"agency": unit["id"], "document": document}).records()
        return unit, rows

    def collaborators_page(
        self, name: str, document: str | None = None, *, limit: int, cursor: str | None = None, offset: int = 0
    ) -> tuple[dict[str, Any], Page]:
        unit = self.resolve_unit(name)
        params = {"agency": unit["id"], "document": document}
        return unit, self.page("agency_collaborators", params, limit=limit, cursor=cursor, offset=offset)

    def task(self, task_id: str) -> dict[str, Any]:
        rows = self.query("task_detail", {"task": task_id}).records()
        if not rows:
            raise NotFound(f"no task {task_id!r}")
        return rows[0]

    def tasks(
        self, q: str | None = None, *, unassigned: bool = False, document: str | None = None
    ) -> list[dict[str, Any]]:
        """Tasks whose text holds ``q`` (either script), or the unassigned ones, or both."""
        return self.query(*self._task_query(q, unassigned, document)).records()

    def tasks_page(
        self,
        q: str | None = None,
        *,
        unassigned: bool = False,
        document: str | None = None,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
    ) -> Page:
        """One page of :meth:`tasks`, paged in the store."""
        name, params = self._task_query(q, unassigned, document)
        return self.page(name, params, limit=limit, cursor=cursor, offset=offset)

    @staticmethod
    def _task_query(q: str | None, unassigned: bool, document: str | None) -> tuple[str, dict[str, Any]]:
        if unassigned:
            return "unassigned_tasks", {"q": fold(q) if q else None, "document": document}
        return "search_tasks", {"q": fold(q or ""), "document": document}

    def document_detail(self, key: str) -> dict[str, Any]:
        doc = self.document(key)
        doc["sections_list"] = self.query("document_sections", {"document": doc["doc_id"]}).records()
        doc["cites"] = self.query("cited_documents", {"document": doc["doc_id"]}).records()
        doc["cited_by"] = self.query("citing_documents", {"document": doc["doc_id"]}).records()
        return doc

    def path(self, start: str, end: str) -> dict[str, Any]:
        a, b = self.resolve_unit(start), self.resolve_unit(end)
        rows = self.query("collaboration_path", {"from": a["id"], "to": b["id"]}).records()
        return {"from": a, "to": b, **rows[0]} if rows else {"from": a, "to": b, "hops": None, "path": []}

    def cypher(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """An audit tool's own query: read-only, time-limited, row-capped."""
        check_read_only(
            query,
            params,
            max_nesting=self.settings.cypher_max_nesting,
            max_chars=self.settings.cypher_max_chars,
        )
        _check_names(params or {})
        store = self.store
        try:
            return store.read(
                query,
                params or {},
                timeout_ms=self.settings.cypher_timeout_ms,
                max_rows=self.settings.cypher_max_rows,
            )
        except (StoreUnavailable, QueryTimeout, ReadOnlyViolation):
            raise
        except StoreError as exc:  # the database refused the query itself: its author's to see
            raise QueryFailed(str(exc)) from exc

    def upload(self, filename: str, data: bytes) -> WriteSummary:
        """Store one uploaded document under the same atomic, idempotent rules as `dutygraph load`."""
        name = Path(filename or "").name
        check_upload_name(name)
        if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise UnsupportedFormat(f"{name or 'the upload'}: unsupported format (supported: {supported})")
        if len(data) > self.settings.upload_max_mb * 1024 * 1024:
            limit = self.settings.upload_max_mb
            raise TooLarge(f"{name}: {len(data)} bytes is over the upload limit of {limit} MB")
        with tempfile.TemporaryDirectory(prefix="dutygraph-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            report = self.load([path])
        if report.failed:
            # A reader's reason may quote the path it read: the client sees its own file name only.
            failure = report.failed[0]
            reason = failure.reason.replace(f"{folder}{os.sep}", "").replace(folder, "")
            raise (TooLarge if failure.too_large else Unreadable)(f"{name}: {reason}")
        return report.loaded[0]

    def assignments_table(
        self,
        *,
        agency: str | None = None,
        document: str | None = None,
        due_after: str | None = None,
        due_before: str | None = None,
    ) -> list[dict[str, Any]]:
        agency_id = self.resolve_unit(agency)["id"] if agency else None
        params = {"agency": agency_id, "document": document, "due_after": due_after, "due_before": due_before}
        return self.query("assignments_table", params).records()

    def export_assignments(
        self,
        fmt: str,
        *,
        agency: str | None = None,
        document: str | None = None,
        due_after: str | None = None,
        due_before: str | None = None,
        page_size: int = 1000,
    ) -> exports.Download:
        """The 任务分工表 as CSV or Excel, named after what it holds (任务分工表-浙江省档案局.xlsx);
        an unknown agency or document is NotFound, raised here, before any byte of the file.

        The rows are read from the store ``page_size`` at a time (:meth:`every_page`), and neither
        their list nor the file is ever made whole in memory: the CSV is chunks made as the pages
        come (its first chunk made here, so that a store failing on the first page fails the call),
        the workbook is written row by row to a temporary file, then sent from it
        (:func:`.exports.assignments_download`).  A store failing on a later page of a CSV can only
        cut the chunks short: see :func:`dutygraph.api.routes.exports.download`."""
        check_choice("format", fmt, exports.TABLE_FORMATS)
        unit = self.resolve_unit(agency) if agency else None
        doc = self.document(document) if document else None
        params = {"agency": unit["id"] if unit else None, "document": doc["doc_id"] if doc else None}
        params |= {"due_after": due_after, "due_before": due_before}
        records = self.every_page("assignments_table", params, size=page_size)
        window = "至".join(d for d in (due_after, due_before) if d)
        name = [
            ("任务分工表", "assignments"),
            (unit["name"], unit["id"]) if unit else ("", ""),
            (display.document_name(doc), doc["doc_id"]) if doc else ("", ""),
            (window, window.replace("至", "-")),
        ]
        return exports.assignments_download(exports.table_rows(records), fmt, name)

    def export_graph(
        self,
        fmt: str,
        *,
        document: str | None = None,
        year: int | None = None,
        jurisdiction: str | None = None,
        level: str | None = None,
    ) -> exports.Download:
        """The unit–task network as GraphML or GEXF (:meth:`network_export`), named after its filters."""
        check_choice("format", fmt, exports.GRAPH_FORMATS)
        graph = self.network_export(
            documents=[document] if document else None, year=year, jurisdiction=jurisdiction, level=level
        )
        doc = self.document(document) if document else None
        name = [
            ("协作网络", "graph"),
            (display.document_name(doc), doc["doc_id"]) if doc else ("", ""),
            (str(year or ""), str(year or "")),
            (jurisdiction or "", ""),
            (level or "", level or ""),
        ]
        return exports.graph_download(graph, fmt, name)

    def network(self, **filters: Any) -> nx.Graph:
        """The unit–task network (bipartite), optionally for some documents or a jurisdiction."""
        return bipartite_graph(self.store, **filters)

    def unit_metrics(self) -> list[dict[str, Any]]:
        """What the analytics stored on each unit (load, overload rank, community, reasons), with its
        short names: what the pictures size and colour units by."""
        return self._run("unit_metrics").records()

    # ------------------------------------------------------------ the planner page

    def planner(
        self,
        q: str | None = None,
        *,
        top: int = 10,
        role: str | None = None,
        document: str | None = None,
        jurisdiction: str | None = None,
        due_before: str | None = None,
    ) -> dict[str, Any]:
        """What the planner page shows: the tasks of the agency ``q`` names, filtered by role, document,
        jurisdiction and deadline (or why there are none: an unknown or ambiguous name, with the
        candidates), the most loaded agencies, the unassigned tasks with their suggested owners and the
        stored documents."""
        filters = {"role": role, "document": document, "jurisdiction": jurisdiction, "due_before": due_before}
        page: dict[str, Any] = {"q": q, "unit": None, "rows": [], "error": None, "candidates": [], **filters}
        if q:
            try:
                page["unit"], page["rows"] = self.agency_tasks(
                    q, role=role, document=document, jurisdiction=jurisdiction, due_before=due_before
                )
            except Ambiguous as exc:
                page["error"] = str(exc)
                page["candidates"] = exc.candidates
            except NotFound as exc:
                page["error"] = str(exc)
        page["documents"] = self.documents()
        suggested = {r["task_id"]: r for r in self.suggestions(top=2)}
        page["unassigned"] = [
            {**t, "suggested": suggested.get(t["task_id"], {}).get("leads", [])}
            for t in self.query("unassigned_tasks").records()
        ]
        page["overloaded"] = [
            {
                "id": r["id"],
                "name": r["name"],
                "rank": r["rank"],
                "tasks": r["lead"] + r["support"] + r["joint"],
                "lead": r["lead"],
                "overload": r["overload"],
                "load": r["load"],
                "reasons": [r["reasons"]] if r["reasons"] else [],
            }
            for r in self.overload(top=top)
        ]
        return page

    def network_export(
        self,
        *,
        documents: list[str] | None = None,
        year: int | None = None,
        jurisdiction: str | None = None,
        level: str | None = None,
    ) -> nx.Graph:
        """The unit–task network ready for GraphML/GEXF: nodes labelled with names, units carrying
        the analytics of this network (load, overload and its rank, centrality, community)."""
        filters = self._filters(documents, year, jurisdiction, level)
        bipartite = bipartite_graph(self.store, **filters.to_dict())
        params = analytics.AnalyticsParams()
        metrics, _ = analytics.metrics_of(bipartite, params)
        ranked = rank(metrics, params.overload)
        exported = {}
        for entry in [*ranked["agencies"], *ranked["groups"]]:
            exported[entry["id"]] = {k: entry[k] for k in EXPORTED_METRICS} | {"overload_rank": entry["rank"]}
        return for_export(bipartite, exported)

    # ------------------------------------------------------------ analytics

    def refresh_analytics(self) -> None:
        """Recompute the whole-graph analytics stored on the Unit nodes, unless current."""
        analytics.refresh(self.store, analytics.AnalyticsParams())
        planning.refresh(self.store)  # suggested owners and continuity links, stored apart from assignments

    def _analysis(self, filters: analytics.Filters) -> analytics.AnalyticsResult:
        return analytics.compute(self.store, analytics.AnalyticsParams(), filters)

    def _filters(
        self, documents: list[str] | None, year: int | None, jurisdiction: str | None, level: str | None
    ) -> analytics.Filters:
        """The filters, checked against what is stored: an unknown document, or a year, jurisdiction
        or level no stored document has, is NotFound naming it (not an empty answer)."""
        if level is not None:
            check_choice("level", level, LEVELS)
        jurisdiction = self.jurisdiction_name(jurisdiction)
        stored = self.documents() if documents or year or jurisdiction or level else []
        doc_ids = tuple(self.document(key)["doc_id"] for key in documents) if documents else None
        wanted = (("of", year, "year"), ("of", jurisdiction, "jurisdiction"), ("at level", level, "level"))
        for what, value, key in wanted:
            if value is not None and not any(d[key] == value for d in stored):
                known = sorted({str(d[key]) for d in stored if d[key] is not None})
                raise NotFound(f"no stored document {what} {value} (stored: {', '.join(known) or 'none'})")
        return analytics.Filters(doc_ids, year, jurisdiction, level)

    def overload(
        self,
        *,
        top: int = 20,
        kind: str = "agency",
        documents: list[str] | None = None,
        year: int | None = None,
        jurisdiction: str | None = None,
        level: str | None = None,
    ) -> list[dict[str, Any]]:
        """The overload ranking with reasons.  Over the whole graph it is read from the
        results stored on the graph (refreshed first if stale); with filters it is
        computed for that part of the network (and not stored)."""
        check_choice("kind", kind, UNIT_KINDS)
        filters = self._filters(documents, year, jurisdiction, level)
        if filters.empty:
            self.refresh_analytics()
            return self.query("overload_ranking", {"kind": kind, "top": top}).records()
        result = self._analysis(filters)
        entries = result.ranking["groups" if kind == "group" else "agencies"][:top]
        return [_ranking_row(e, result.version) for e in entries]

    def centrality(
        self,
        *,
        top: int = 20,
        order_by: str = "pagerank",
        documents: list[str] | None = None,
        year: int | None = None,
        jurisdiction: str | None = None,
        level: str | None = None,
    ) -> list[dict[str, Any]]:
        check_choice("order_by", order_by, CENTRALITY_ORDERS)
        filters = self._filters(documents, year, jurisdiction, level)
        if filters.empty:
            self.refresh_analytics()
            return self.query("centrality", {"top": top, "order_by": order_by}).records()
        metrics = self._analysis(filters).metrics
        columns = ("degree", "weighted_degree", "betweenness", "pagerank", "community")
        rows = [
            {"id": u, "name": m["name"], "kind": m["kind"], **{c: m[c] for c in columns}} for u, m in metrics.items()
        ]
        rows.sort(key=lambda r: (-r[order_by], r["name"]))
        return rows[:top]

    def communities(
        self,
        *,
        documents: list[str] | None = None,
        year: int | None = None,
        jurisdiction: str | None = None,
        level: str | None = None,
    ) -> list[dict[str, Any]]:
        filters = self._filters(documents, year, jurisdiction, level)
        if filters.empty:
            self.refresh_analytics()
            return self.query("communities").records()
        result = self._analysis(filters)
        out = []
        for number, members in enumerate(result.communities):
            names = [result.metrics[u]["name"] for u in members]
            brokers = [result.metrics[u]["name"] for u in members if result.metrics[u]["broker"]]
            out.append({"community": number, "size": len(members), "members": names, "brokers": brokers})
        return out

    def compare(self, a: str, b: str) -> dict[str, Any]:
        """Two documents (id, 文号, title or file name) or two years (2019, 2021), side by side.
        An unknown document, or a year of no stored document, is NotFound naming it."""
        return analytics.compare(self.store, self._side(a), self._side(b))

    def _side(self, value: str) -> analytics.Filters:
        value = value.strip()
        if value.isdigit() and len(value) == 4:
            return self._filters(None, int(value), None, None)
        return self._filters([value], None, None, None)

    # ------------------------------------------------------------ planning: suggested owners, history, follow-up

    def suggestions(self, *, document: str | None = None, top: int = 3) -> list[dict[str, Any]]:
        """Every unassigned task with its best-ranked suggested leads and supports (suggestions, never
        assignments: graph/analytics/suggestions.py), refreshed first if the documents changed."""
        doc = self.document(document)["doc_id"] if document else None
        self.refresh_analytics()
        return self.query("suggested_owners", {"document": doc, "top": top}).records()

    def task_suggestions(self, task_id: str) -> dict[str, Any]:
        """One task's suggested owners with their reasons; an assigned task has none (its clause says)."""
        task = self.task(task_id)
        self.refresh_analytics()
        rows = self.query("task_suggestions", {"task": task_id}).records()
        return {
            "task_id": task_id,
            "title": task["title"],
            "document": task["document"],
            "assigned": bool(task["units"]),
            "version": rows[0]["version"] if rows else None,
            "leads": [r for r in rows if r["role"] == "lead"],
            "supports": [r for r in rows if r["role"] == "support"],
        }

    def task_history(self, task_id: str) -> dict[str, Any]:
        """The tasks of earlier and later documents a task continues or is continued by, oldest first."""
        task = self.task(task_id)
        self.refresh_analytics()
        rows = self.query("task_history", {"task": task_id}).records()
        return {"task_id": task_id, "title": task["title"], "document": task["document"], "history": rows}

    def carried_over(self, agency: str | None = None) -> list[dict[str, Any]]:
        """Per unit, how many of its tasks continue a task of an earlier document."""
        unit = self.resolve_unit(agency)["id"] if agency else None
        self.refresh_analytics()
        return self.query("carried_over", {"agency": unit}).records()

    def milestones(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        agency: str | None = None,
        role: str | None = None,
        document: str | None = None,
        today: date | None = None,
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The follow-up calendar: dated steps from ``start`` to ``end``, by agency (any name form; with
        ``role``, only where it has that role) and document, each overdue / due / upcoming against
        ``today``.  An unknown agency or document is NotFound."""
        if role is not None:
            check_choice("role", role, ("lead", "support", "joint"))
        if start and end and start > end:
            raise BadArgument(f"the period ends ({end}) before it starts ({start})")
        unit = self.resolve_unit(agency) if agency else None
        doc = self.document(document)["doc_id"] if document else None
        rows = followup.steps_due(
            self.store,
            start=start,
            end=end,
            agency=unit["id"] if unit else None,
            role=role,
            document=doc,
            today=today,
        )
        return unit, rows

    def calendar(
        self, agency: str, *, role: str | None = None, document: str | None = None, today: date | None = None
    ) -> exports.Download:
        """An agency's follow-up calendar as an iCalendar (.ics) file, every dated step of its tasks."""
        unit, rows = self.milestones(agency=agency, role=role, document=document, today=today)
        if unit is None:  # an empty name: resolve_unit answers every other
            raise NotFound("a calendar needs an agency")
        data = followup.calendar(rows, f"dutygraph · {unit['name']}")
        name = [("督办日历", "milestones"), (unit["name"], unit["id"])]
        return exports.Download(data, "text/calendar; charset=utf-8", exports.attachment(name, "ics"))


def _ranking_row(e: dict[str, Any], version: str) -> dict[str, Any]:
    """A computed ranking entry in the columns of queries/overload_ranking.cypher."""
    columns = load_query("overload_ranking").columns
    return {c: version if c == "version" else e[c] for c in columns}
