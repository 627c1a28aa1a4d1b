"""Quotation marks as published texts write them: paired, mixed, or left open.

Plans quote names (“一网通办”, “浙里办”) and web copies mix the marks: ``“…"``, ``"…”``,
``"…"``, or drop one altogether.  A reader that opens a quote at ``“`` and waits for ``”``
swallows everything after an unbalanced mark — the next sentence, the marking, the rest of
the item.  Here a quote is only what is closed:

* an opening mark is ``“`` or a ``"`` while no quote is open; a closing mark is ``”`` or a
  ``"`` while one is open — so ``“…"`` and ``"…”`` pair;
* an opening mark seen while a quote is open means the earlier one was never closed (Chinese
  nests ‘…’ inside “…”, not “ inside “): the earlier one is dropped;
* a quote still open at a line break or at the end is no quote at all.

>>> text = '推进"一网通办”改革。深化“一件事"服务，建设"数字机关。推广“苏政通"应用'
>>> [text[s:e] for s, e in quote_spans(text)]
['"一网通办”', '“一件事"', '“苏政通"']
>>> quote_spans('打造“无证明城市。推进电子证照。')
[]
"""

from __future__ import annotations

import re
from bisect import bisect_right

_OPENING = "“"
_CLOSING = "”"
_EITHER = '"'


_MARKS = re.compile('[“”"\n]')
_FAR = 1 << 62  # sorts after every end offset


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every closed quote in ``text[start:end]``, marks included."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    open_at = -1
    for m in _MARKS.finditer(text, start, end):
        ch, i = m.group(), m.start()
        if ch == "\n":
            open_at = -1
        elif ch == _OPENING or (ch == _EITHER and open_at < 0):
            open_at = i
        elif open_at >= 0:  # ” or " closing the open quote
            spans.append((open_at, i + 1))
            open_at = -1
    return spans


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies inside one of ``spans`` (sorted, as `quote_spans` gives them).

    >>> spans = quote_spans('甲“乙。”丙"丁。"')
    >>> [inside(spans, i) for i in (0, 3, 5, 8)]
    [False, True, False, True]
    """
    k = bisect_right(spans, (position, _FAR)) - 1
    return k >= 0 and spans[k][0] <= position < spans[k][1]
