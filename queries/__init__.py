"""Named, parameterised Cypher queries: one per ``*.cypher`` file in this folder.

Each file starts with a header of ``//`` comments that the CLI (``dutygraph
query``), the API (``/api/queries``) and the docs read::

    // Tasks an agency touches, with its role in each.
    // Any name form works: canonical name, short name, alias or id.
    // param agency: the agency (name form or id)
    // param role: lead | support | joint, or null for all = null
    // columns: task_id, number, title, role, document

``param NAME: description`` declares a parameter; ``= VALUE`` at the end gives
its default (YAML syntax: ``null``, ``false``, ``10``, ``"text"``).  A parameter
without a default is required.  The Cypher below the header is the common
subset of FalkorDB and Neo4j 5, linted with Neo4j's own front end in CI.

A header line ``// internal: whose and why`` marks a statement the code runs itself (the
store's fingerprint check, the analytics' write-back, …): it is kept here with every other
statement, linted and tested like them, but it is no named query — `dutygraph query` and
``/api/queries`` neither list nor run it (:func:`all_queries` leaves it out; :func:`statement`
gives it to the code that runs it).

A parameter named ``document`` (or ``documents``, a list) is a document's id: the services
find the document a user names by id, 文号, title or file name (``find_document``) first,
and answer "not found" when none is stored.

**Paged queries** (keyset paging in the database, not after it). A list query that declares
``param limit`` and ``param after`` and holds a body line ``// page`` is paged:

* every row carries ``page_key``, a list of non-null values whose order is the row order
  (``[coalesce(d.issued, '~'), d.id, t.ordinal]``; a descending count as its negative) and which
  is unique per row, so that no tie in the sort order can repeat or lose a row between pages;
* below ``// page`` the query keeps the rows after ``$after`` (the last page's last key, or
  null), orders them by the key and keeps ``$limit``; what costs per row (partners, counts,
  milestones) comes after that, for one page of rows only;
* above ``// page`` are the filters alone: :attr:`NamedQuery.count_cypher` is that part with
  ``RETURN count(*) AS total``, the page's total, without sorting or per-row work.

``page_key`` is the services' to make a continuation cursor of (``Services.page``); it is not
one of the ``columns`` and the answers leave it out.

Two FalkorDB rules the linter cannot see (both silently wrong or refused otherwise):

* pattern comprehensions ``[(a)-->(b) | b]`` work in projections (``WITH``,
  ``RETURN``) but not in ``WHERE``: project them first, then filter;
* every pattern comprehension in one clause needs variable names of its own:
  two that both introduce ``t`` give wrong counts without any error.

>>> q = load_query("unassigned_tasks")
>>> q.name, "document" in q.params
('unassigned_tasks', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: The body line that splits a paged query into its filters (counted for the total) and its page.
PAGE_MARKER = "// page"
#: The column of a paged query's sort key (see the module docstring), left out of the answers.
PAGE_KEY = "page_key"
#: ``$limit`` when a paged query is run whole (``Services.query``): more rows than any store holds.
UNPAGED = 1_000_000_000

_PARAM = re.compile(r"^param\s+(?P<name>\w+)\s*:\s*(?P<desc>.*?)(?:\s*=\s*(?P<default>[^=]+))?$")


class QueryNotFound(KeyError):
    """No query of that name in queries/ (``args[0]``: the name asked for)."""

    def __str__(self) -> str:
        return f"no query named {self.args[0]!r}"


class QueryParameterError(ValueError):
    """Parameters a query does not declare, or a required one missing; the message says which."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    description: str
    required: bool
    default: Any = None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    cypher: str
    params: dict[str, Param] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    internal: bool = False  # run by the code itself, not offered as a named query
    count_cypher: str | None = None  # a paged query's filters with RETURN count(*) AS total

    @property
    def paged(self) -> bool:
        return self.count_cypher is not None

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Parameters for a run: defaults filled in, unknown and missing ones refused."""
        unknown = set(given) - set(self.params)
        if unknown:
            raise QueryParameterError(f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}")
        bound = {}
        for p in self.params.values():
            if p.name in given and given[p.name] is not None:
                bound[p.name] = given[p.name]
            elif p.required:
                raise QueryParameterError(f"{self.name}: parameter {p.name!r} is required ({p.description})")
            else:
                bound[p.name] = p.default
        return bound

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "paged": self.paged,
            "description": self.description,
            "params": [
                {"name": p.name, "description": p.description, "required": p.required, "default": p.default}
                for p in self.params.values()
            ],
            "columns": list(self.columns),
        }


def coerce_param(value: str) -> Any:
    """A parameter given as text (command line, query string) as the value Cypher needs:
    ``true``/``false`` → bool, ``null`` or empty → None, an integer → int, else the text.

    >>> coerce_param("true"), coerce_param("2019"), coerce_param("浙政发〔2022〕20号"), coerce_param("2019-06-30")
    (True, 2019, '浙政发〔2022〕20号', '2019-06-30')
    """
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", ""):
        return None
    if re.fullmatch(r"-?\d{1,15}", value.strip()):
        return int(value)
    return value


def parse_query(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    params: dict[str, Param] = {}
    columns: tuple[str, ...] = ()
    internal = False
    body: list[str] = []
    in_header = True
    for line in text.splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            content = stripped[2:].strip()
            if m := _PARAM.match(content):
                default_text = m.group("default")
                params[m.group("name")] = Param(
                    m.group("name"),
                    m.group("desc").strip(),
                    required=default_text is None,
                    default=yaml.safe_load(default_text) if default_text is not None else None,
                )
            elif content.startswith("internal:"):
                internal = True
                description.append(f"(internal: {content.removeprefix('internal:').strip()})")
            elif content.startswith("columns:"):
                columns = tuple(c.strip() for c in content.removeprefix("columns:").split(",") if c.strip())
            elif content:
                description.append(content)
            continue
        if stripped:
            in_header = False
        body.append(line)
    cypher = "\n".join(body).strip()
    if not cypher:
        raise ValueError(f"queries/{name}.cypher has no Cypher below its header")
    used = set(re.findall(r"\$(\w+)", cypher))
    if used - set(params):
        raise ValueError(f"queries/{name}.cypher uses undeclared parameter(s): {', '.join(sorted(used - set(params)))}")
    return NamedQuery(name, " ".join(description), cypher, params, columns, internal, _count_cypher(name, body, params))


def _count_cypher(name: str, body: list[str], params: dict[str, Param]) -> str | None:
    """A paged query's total: its body above ``// page`` (the filters) counted; None if not paged."""
    marks = [i for i, line in enumerate(body) if line.strip() == PAGE_MARKER]
    if not marks:
        return None
    if len(marks) > 1 or not {"limit", "after"} <= set(params) or PAGE_KEY not in "\n".join(body[marks[0] :]):
        raise ValueError(
            f"queries/{name}.cypher: a paged query has one {PAGE_MARKER!r} line, params limit and after,"
            f" and returns {PAGE_KEY}"
        )
    return "\n".join(body[: marks[0]]).strip() + "\nRETURN count(*) AS total"


@cache
def _every_file() -> dict[str, NamedQuery]:
    folder = resources.files("dutygraph.queries")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            found[name] = parse_query(name, entry.read_text("utf-8"))
    return found


def all_queries() -> dict[str, NamedQuery]:
    """The named queries people run (`dutygraph query`, ``/api/queries``), by name: every file
    in queries/ but the internal statements."""
    return {name: q for name, q in _every_file().items() if not q.internal}


def internal_statements() -> dict[str, NamedQuery]:
    """The statements the code runs itself, by name (their header says whose they are)."""
    return {name: q for name, q in _every_file().items() if q.internal}


def load_query(name: str) -> NamedQuery:
    """The named query ``name`` (never an internal statement: those are not run on request)."""
    try:
        return all_queries()[name]
    except KeyError:
        raise QueryNotFound(name) from None


def statement(name: str) -> NamedQuery:
    """The internal statement ``name``, for the code that runs it."""
    try:
        return internal_statements()[name]
    except KeyError:
        raise QueryNotFound(name) from None
