"""The guard in front of ad-hoc Cypher: what an audit tool's query may be before it reaches the database.

Each backend already enforces read-only execution (FalkorDB's ``GRAPH.RO_QUERY``,
Neo4j read transactions); this check comes first so that an audit tool gets a
clear answer naming the clause, and so that Neo4j procedures that write from
inside a read transaction's reach (``apoc.periodic.*``, ``dbms.*``) never run.

Comments, string literals and backtick-quoted names are blanked first, so a
write clause hidden in mixed case, after a comment, in a subquery or on its own
line is found, and the word ``create`` inside a string is not.  A procedure name
is compared after unquoting, so ``CALL `dbms.procedures`()`` is the same call as
``CALL dbms.procedures()``.

**Parse time.** FalkorDB's parser backtracks: its time doubles with every level of
nested expression, and no time limit covers parsing (23 levels of parentheses held
a database thread for minutes).  Nesting is therefore measured here and refused past
a limit.  A level is an open bracket -- ``(``, ``[`` or ``{`` -- a ``CASE``, or a
prefix operator (``NOT``, unary ``-`` and ``+``), because each is one more level of
recursion in the parser (``NOT NOT NOT … true`` costs like ``((( … )))``, and
``NOT (`` like two parentheses).  Parsing also costs about 20 µs a character
however flat the query, so its length is limited too.

**range().** The database's memory cap for one query (``QUERY_MEM_CAPACITY``) is checked as memory
is taken, but ``range(a, b)`` takes its whole list in one allocation, sized from two numbers, before
the check can stop it: ``range(1, 100000000)`` is 1.6 GB whatever the cap.  Its bounds must
therefore be numbers or parameters here, spanning at most :data:`MAX_RANGE` values.  Every other
function builds its answer from values already held, which the cap does count.

**Shape.** A query the database would parse differently from this guard could hide
code from it, so an unterminated string, quoted name or comment, and brackets that
do not match, are refused before anything else (the database would refuse them too).
That also makes :func:`cap_rows` safe: it can find the query's own top-level
``RETURN`` clauses and give each a ``LIMIT`` the query cannot escape.

>>> check_read_only("MATCH (n) RETURN n.name")
>>> check_read_only("match (n) /* hi */ cReAtE (m)")
Traceback (most recent call last):
...
dutygraph.graph.store.ReadOnlyViolation: write clause CREATE is not allowed in a read-only query
>>> nesting_depth("RETURN [x IN range(1, 3) WHERE NOT (x = 2) | x * 2]")
3
>>> check_read_only("RETURN " + "(" * 11 + "1" + ")" * 11)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dutygraph.graph.store.QueryRefused: the query nests 11 levels deep (...), over the limit of 10: ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import QueryRefused, ReadOnlyViolation

#: Levels of nested expression an ad-hoc query may have (about 20 ms of parsing at most).
DEFAULT_MAX_NESTING = 10
#: Characters an ad-hoc query may have (about 0.2 s of parsing at most).
DEFAULT_MAX_QUERY_CHARS = 10_000
#: Levels of lists and maps in a query's parameters (deeper ones only exhaust the client's recursion).
MAX_PARAMETER_DEPTH = 32
#: Numbers one range() of an ad-hoc query may produce (16 bytes each in FalkorDB).
MAX_RANGE = 1_000_000

_COMMENTS_AND_STRINGS = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`""",
    re.DOTALL,
)
# Comments and strings only: backtick-quoted names kept, so that procedure names can be unquoted.
_COMMENTS_AND_STRING_LITERALS = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(`[^`]*`)""",
    re.DOTALL,
)
# What is left of a literal or comment that never ends, once the complete ones are blanked.
_UNTERMINATED = re.compile(r"""/\*|['"`]""")
# Clause keywords that write, as whole words not part of a property (n.set) or a name.
_WRITE_CLAUSES = re.compile(
    r"(?<![\w.$])(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV|INSERT|ALTER|GRANT|DENY|REVOKE)(?![\w])",
    re.IGNORECASE,
)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
# A procedure name: dotted parts, each plain or backtick-quoted (``db.`labels```, `` `db.labels` ``).
_NAME_PART = r"(?:`[^`]*`|[^\W\d]\w*)"
_CALL = re.compile(rf"(?<![\w.$])CALL\s+({_NAME_PART}(?:\s*\.\s*{_NAME_PART})*)", re.IGNORECASE)
_RANGE = re.compile(r"(?<![\w.$`])(?:`range`|range)\s*\(", re.IGNORECASE)
# Procedures that only read, by name prefix; every other procedure is refused.
_READ_PROCEDURES = (
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.indexes",
    "db.constraints",
    "db.schema.",
    "db.idx.fulltext.querynodes",
    "db.idx.fulltext.queryrelationships",
    "db.idx.vector.querynodes",
    "algo.bfs",
    "algo.sppaths",
    "algo.sspaths",
    "algo.pagerank",
    "algo.betweenness",
    "algo.wcc",
)

_TOKEN = re.compile(
    r"""(?P<arrow><--|-->|<-|->|--)
      | (?P<open>[(\[{])
      | (?P<close>[)\]}])
      | (?P<param>\$\w+)
      | (?P<number>\d[\w.]*)
      | (?P<word>[^\W\d]\w*)
      | (?P<op><>|<=|>=|=~|\+=|\S)""",
    re.VERBOSE,
)
_PAIRS = {")": "(", "]": "[", "}": "{"}
# After these words an expression starts, so a following - or + is a sign, not a subtraction.
_EXPRESSION_STARTS = frozenset(
    {
        *("RETURN", "WITH", "WHERE", "AND", "OR", "XOR", "NOT", "IN", "WHEN", "THEN", "ELSE", "CASE", "UNWIND"),
        *("SKIP", "LIMIT", "BY", "DISTINCT", "STARTS", "ENDS", "CONTAINS", "IS", "YIELD"),
    }
)
# These end the operand of a NOT (NOT binds looser than comparisons, tighter than AND).
_NOT_ENDS = frozenset(
    {
        *("AND", "OR", "XOR", "WHEN", "THEN", "ELSE", "END", "WHERE", "RETURN", "WITH", "UNWIND", "MATCH"),
        *("OPTIONAL", "ORDER", "SKIP", "LIMIT"),
    }
)


@dataclass(slots=True)
class _Token:
    kind: str  # arrow, open, close, param, number, word, op
    text: str
    start: int
    end: int
    depth: int  # brackets open around it (before it, for an opening bracket)
    prop: bool  # a word right after "." (a property key, never a keyword)


@dataclass(slots=True)
class _Frame:
    kind: str  # "(" "[" "{" "CASE" or "" (the query itself)
    signs: int = 0  # prefix - and + in a row, in this frame
    nots: int = 0  # prefix NOTs whose operand has not ended yet, in this frame


def blank_literals(query: str) -> str:
    """The query with comments, strings and quoted names replaced by spaces."""
    return _COMMENTS_AND_STRINGS.sub(lambda m: " " * len(m.group(0)), query)


def _tokens(code: str) -> Iterator[_Token]:
    """The tokens of blanked code, each with the bracket depth around it; unmatched brackets raise."""
    stack: list[tuple[str, int]] = []
    previous = ""
    for m in _TOKEN.finditer(code):
        kind, text = m.lastgroup or "op", m.group()
        if kind == "close":
            if not stack or stack[-1][0] != _PAIRS[text]:
                raise QueryRefused(f"Invalid input: the {text!r} at character {m.start() + 1} closes nothing")
            stack.pop()
        yield _Token(kind, text, m.start(), m.end(), len(stack), kind == "word" and previous == ".")
        if kind == "open":
            stack.append((text, m.start()))
        previous = text
    if stack:
        bracket, at = stack[-1]
        raise QueryRefused(f"Invalid input: the {bracket!r} at character {at + 1} is never closed")


def _check_shape(query: str) -> str:
    """The blanked code of a query whose literals, comments and brackets all end where they should."""
    code = blank_literals(query)
    if m := _UNTERMINATED.search(code):
        what = {"/*": "comment", "`": "quoted name"}.get(m.group(), "string")
        raise QueryRefused(f"Invalid input: the {what} starting at character {m.start() + 1} never ends")
    for _ in _tokens(code):  # brackets must match
        pass
    return code


def nesting_depth(query: str) -> int:
    """How many levels of nested expression the parser has to go through (see the module docstring).

    >>> nesting_depth("MATCH (a)-[:LEADS]->(t) RETURN t")
    1
    >>> nesting_depth("RETURN NOT NOT (NOT true)")
    4
    >>> nesting_depth("RETURN -1 + -2 - -3, CASE WHEN x THEN [1] END")
    2
    """
    frames = [_Frame("")]
    deepest = 0
    previous: _Token | None = None
    for token in _tokens(blank_literals(query)):
        word = token.text.upper() if token.kind == "word" and not token.prop else ""
        frame = frames[-1]
        if token.kind == "open" or word == "CASE":
            frames.append(_Frame(token.text if token.kind == "open" else "CASE"))
        elif token.kind == "close":
            while frames[-1].kind == "CASE":  # a CASE left open inside the bracket ends with it
                frames.pop()
            frames.pop()
        elif word == "END" and frame.kind == "CASE":
            frames.pop()
        elif word == "NOT" and not (previous is not None and previous.text.upper() == "IS"):
            frame.nots += 1
        elif token.text in "-+" and token.kind == "op" and _starts_expression(previous):
            frame.signs += 1
        elif token.kind in ("op", "arrow") and token.text != ".":
            frame.signs = 0  # a binary operator ends the operand of the signs before it
            if token.text in ",|:;":
                frame.nots = 0
        elif word in _NOT_ENDS:
            frame.signs = frame.nots = 0
        depth = len(frames) - 1 + sum(f.signs + f.nots for f in frames)
        deepest = max(deepest, depth)
        previous = token
    return deepest


def parameter_depth(value: Any) -> int:
    """Levels of lists and maps in a parameter value, counted without recursion.

    >>> parameter_depth({"ids": ["a", "b"], "n": 1})
    2
    """
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        deepest = max(deepest, depth)
        if depth <= MAX_PARAMETER_DEPTH:  # past the limit the answer is known: stop looking
            pending.extend((child, depth + 1) for child in children)
    return deepest


def _starts_expression(previous: _Token | None) -> bool:
    """Whether a - or + after ``previous`` is a sign (the start of an operand)."""
    if previous is None or previous.kind in ("open", "arrow"):
        return True
    if previous.kind == "op":
        return previous.text not in ".)]}"
    return previous.kind == "word" and not previous.prop and previous.text.upper() in _EXPRESSION_STARTS


def _procedure_name(quoted: str) -> str:
    """``db.`labels``` and `` `db.labels` `` as ``db.labels``: the name the database calls."""
    return "".join(part.strip("`") for part in re.split(r"\s*(\.)\s*|(`[^`]*`)", quoted) if part)


def check_read_only(
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    max_nesting: int = DEFAULT_MAX_NESTING,
    max_chars: int = DEFAULT_MAX_QUERY_CHARS,
) -> None:
    """Raise ReadOnlyViolation if ``query`` would write or call a procedure that may, and
    QueryRefused if it is too long, too deeply nested or malformed (see the module docstring)."""
    if len(query) > max_chars:
        raise QueryRefused(
            f"the query has {len(query):,} characters, over the limit of {max_chars:,}: pass long lists as parameters"
        )
    code = _check_shape(query)
    if m := _WRITE_CLAUSES.search(code):
        clause = re.sub(r"\s+", " ", m.group(1)).upper()
        raise ReadOnlyViolation(f"write clause {clause} is not allowed in a read-only query")
    if _IN_TRANSACTIONS.search(code):
        raise ReadOnlyViolation("CALL … IN TRANSACTIONS is not allowed in a read-only query")
    with_names = _COMMENTS_AND_STRING_LITERALS.sub(lambda m: m.group(1) or " " * len(m.group(0)), query)
    for m in _CALL.finditer(with_names):
        name = _procedure_name(m.group(1))
        if not name.lower().startswith(_READ_PROCEDURES):
            raise ReadOnlyViolation(f"procedure {name} is not allowed in a read-only query")
    if params and (depth := parameter_depth(params)) > MAX_PARAMETER_DEPTH:
        raise QueryRefused(
            f"the parameters nest {depth} levels deep, over the limit of {MAX_PARAMETER_DEPTH} lists and maps"
        )
    for m in _RANGE.finditer(with_names):
        _check_range(code, m.end() - 1, params or {})
    depth = nesting_depth(query)
    if depth > max_nesting:
        raise QueryRefused(
            f"the query nests {depth} levels deep (brackets, CASE, NOT and signs), over the limit of "
            f"{max_nesting}: write it flatter (WITH steps, parameters)"
        )


def _check_range(code: str, opening: int, params: Mapping[str, Any]) -> None:
    """Refuse the range() whose "(" is at ``opening`` unless it spans at most MAX_RANGE numbers."""
    arguments: list[list[_Token]] = [[]]
    level = None
    for token in _tokens(code):
        if token.start == opening:
            level = token.depth + 1
        elif level is not None:
            if token.kind == "close" and token.depth < level:
                break
            if token.text == "," and token.depth == level:
                arguments.append([])
            else:
                arguments[-1].append(token)
    try:
        bounds = [_integer(argument, params) for argument in arguments]
    except ValueError:
        raise QueryRefused(
            "range() in an ad-hoc query takes numbers or parameters (its list is built whole, "
            "before any limit can stop it)"
        ) from None
    if len(bounds) not in (2, 3):
        return  # the database refuses it
    start, end, step = (*bounds, 1) if len(bounds) == 2 else bounds
    count = 0 if step == 0 else max(0, (end - start) // step + 1)
    if count > MAX_RANGE:
        raise QueryRefused(
            f"range({start}, {end}{'' if len(bounds) == 2 else f', {step}'}) makes {count:,} numbers, "
            f"over the limit of {MAX_RANGE:,} for an ad-hoc query"
        )


def _integer(tokens: list[_Token], params: Mapping[str, Any]) -> int:
    """A signed integer literal or a parameter holding an integer; ValueError for anything else."""
    sign = 1
    while tokens and tokens[0].text in "-+" and tokens[0].kind == "op":
        sign = -sign if tokens[0].text == "-" else sign
        tokens = tokens[1:]
    if len(tokens) == 1 and tokens[0].kind == "number" and tokens[0].text.isdigit():
        return sign * int(tokens[0].text)
    if len(tokens) == 1 and tokens[0].kind == "param":
        value = params.get(tokens[0].text[1:])
        if isinstance(value, int) and not isinstance(value, bool):
            return sign * value
    raise ValueError("not an integer")


def cap_rows(query: str, limit: int, params: Mapping[str, Any] | None = None) -> str:
    """``query`` with every top-level ``RETURN`` (one per ``UNION`` branch) limited to ``limit`` rows.

    The database then stops producing rows at the cap, instead of building a million rows
    for the client to throw away.  An existing smaller ``LIMIT`` is kept; a query without a
    top-level ``RETURN`` (a lone procedure call) is returned as it is.

    >>> cap_rows("MATCH (n) RETURN n.name AS name ORDER BY name // all of them", 1001)
    'MATCH (n) RETURN n.name AS name ORDER BY name // all of them\\nLIMIT 1001'
    >>> cap_rows("RETURN 1 AS a LIMIT 5 UNION RETURN 2 AS a LIMIT $n;", 1001, {"n": 10**9})
    'RETURN 1 AS a LIMIT 5 UNION RETURN 2 AS a LIMIT 1001;'
    >>> cap_rows("RETURN 1 AS a UNION ALL RETURN 2 AS a", 1001)
    'RETURN 1 AS a \\nLIMIT 1001\\nUNION ALL RETURN 2 AS a\\nLIMIT 1001'
    >>> cap_rows("MATCH (n) CALL { WITH n RETURN n.x AS x LIMIT 9 } RETURN x", 1001)
    'MATCH (n) CALL { WITH n RETURN n.x AS x LIMIT 9 } RETURN x\\nLIMIT 1001'
    """
    code = _check_shape(query)
    top = [t for t in _tokens(code) if t.depth == 0]
    # Branches end at a top-level UNION, at a ";" or at the end of the query.
    branches: list[list[_Token]] = [[]]
    ends: list[int] = []  # where each branch ends
    stop = len(query)
    for token in top:
        word = token.text.upper() if token.kind == "word" and not token.prop else ""
        if token.text == ";":
            stop = token.start
            break
        if word == "UNION":
            ends.append(token.start)
            branches.append([])
        else:
            branches[-1].append(token)
    ends.append(stop)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    for branch, end in zip(branches, ends, strict=True):
        returns = [i for i, t in enumerate(branch) if _is_word(t, "RETURN")]
        if not returns:
            continue
        clause = branch[returns[-1] :]
        limits = [i for i, t in enumerate(clause) if _is_word(t, "LIMIT")]
        if not limits:
            # On a line of its own, so that a // comment at the end cannot swallow it.
            edits.append((end, end, f"\nLIMIT {limit}\n" if end < len(query) else f"\nLIMIT {limit}"))
            continue
        argument = clause[limits[-1] + 1 : limits[-1] + 2]
        following = clause[limits[-1] + 2 : limits[-1] + 3]
        if not argument or (following and not _is_word(following[0], "SKIP")):
            raise QueryRefused("the LIMIT of an ad-hoc query must be a number or a parameter holding one")
        value = _limit_value(argument[0], params or {})
        edits.append((argument[0].start, argument[0].end, str(min(value, limit))))
    for start, end, text in sorted(edits, reverse=True):
        query = query[:start] + text + query[end:]
    return query


def _is_word(token: _Token, keyword: str) -> bool:
    return token.kind == "word" and not token.prop and token.text.upper() == keyword


def _limit_value(token: _Token, params: Mapping[str, Any]) -> int:
    if token.kind == "number" and token.text.isdigit():
        return int(token.text)
    if token.kind == "param":
        value = params.get(token.text[1:])
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    raise QueryRefused("the LIMIT of an ad-hoc query must be a number or a parameter holding one")
