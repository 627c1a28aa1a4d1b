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

_OPENING = "“"
_CLOSING = "”"
_EITHER = '"'


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every closed quote in ``text[start:end]``, marks included."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    open_at = -1
    for i in range(start, end):
        ch = text[i]
        if ch == "\n":
            open_at = -1
        elif ch == _OPENING or (ch == _EITHER and open_at < 0):
            open_at = i
        elif ch in (_CLOSING, _EITHER) and open_at >= 0:
            spans.append((open_at, i + 1))
            open_at = -1
    return spans


def quoted_mask(text: str, start: int = 0, end: int | None = None) -> list[bool]:
    """For each position of ``text[start:end]``: whether it lies inside a closed quote.

    >>> quoted_mask('甲“乙。”丙')
    [False, True, True, True, True, False]
    """
    end = len(text) if end is None else end
    mask = [False] * (end - start)
    for s, e in quote_spans(text, start, end):
        for i in range(s, e):
            mask[i - start] = True
    return mask
