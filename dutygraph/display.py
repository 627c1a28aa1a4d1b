"""How dutygraph shows things to people: labels, numbers, plurals and column widths, in one place
(the tables built from them are written by :mod:`dutygraph.output`).

The CLI's text output and the planner page (as Jinja filters) use these; JSON and CSV keep the
raw values (a document without a title has ``"title": null`` there, and its file name here).

>>> document_name({"title": None, "source": "003_160671325042dcbf.txt"})
'003_160671325042dcbf.txt'
>>> jurisdiction(None), issued({"issued": None, "year": 2021}), plural(1, "task"), plural(2, "task")
('jurisdiction unknown', '2021', '1 task', '2 tasks')
>>> decimal(1.93333), decimal(0.333333), decimal(2)
('1.93', '0.33', '2.00')
>>> pad("省大数据局", 12) + "|"
'省大数据局  |'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wcwidth import wcswidth

UNKNOWN_JURISDICTION = "jurisdiction unknown"
UNKNOWN_DATE = "date unknown"


def document_name(document: Mapping[str, Any]) -> str:
    """A document as people know it: its title, else its file name (else its 文号, else its id).
    A row about something else (a task) names its document under ``document``."""
    for key in ("document", "title", "source", "doc_number", "doc_id", "id"):
        if document.get(key):
            return str(document[key])
    return "untitled document"


def jurisdiction(value: str | None) -> str:
    return value or UNKNOWN_JURISDICTION


def issued(document: Mapping[str, Any]) -> str:
    """The date of issue, else the year when only the year is known."""
    if document.get("issued"):
        return str(document["issued"])
    if document.get("year"):
        return str(document["year"])
    return UNKNOWN_DATE


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    """``1 task``, ``2 tasks``; ``plural(2, "community", "communities")``."""
    return f"{count:,} {word if count == 1 else plural_word or word + 's'}"


def decimal(value: float | None, places: int = 2) -> str:
    """A fractional quantity (load, overload, a change of load) with a fixed number of decimals,
    so that numbers side by side line up and read alike; PageRank and betweenness take 4."""
    return "-" if value is None else f"{value:.{places}f}"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    columns = wcswidth(text)
    return columns if columns >= 0 else len(text)  # control characters: count them as one each


def pad(text: Any, columns: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (``<`` left, ``>`` right)."""
    shown = str(text)
    fill = " " * max(0, columns - width(shown))
    return shown + fill if align == "<" else fill + shown


_BREAK = re.compile(r"\s*\n\s*")
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"


def one_line(text: str | None) -> str | None:
    """Text as one line, for showing: a line break (a PDF's, or a page's) between Chinese characters
    or punctuation goes away, one between Latin words becomes a space.  The text as written stays in
    the graph beside it, with its offsets.

    >>> one_line("（责\\n\\n任单位：省大数据局）")
    '（责任单位：省大数据局）'
    >>> one_line("data\\nplatform")
    'data platform'
    """
    if text is None:
        return None

    def join(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        wide = re.fullmatch(_WIDE, before) or re.fullmatch(_WIDE, after)
        return "" if wide or not before or not after else " "

    return _BREAK.sub(join, text)
