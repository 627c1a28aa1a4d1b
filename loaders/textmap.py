"""Text that remembers where each character came from.

Repairs (rejoining page breaks, dropping pinyin glosses, fixing mojibake)
change the text, but every assignment must point back at the clause *as
written*.  A :class:`MappedText` carries, for every character of the repaired
text, its offset in the original, so any span found in repaired text maps
back to original offsets with :meth:`MappedText.original_span`.

>>> t = MappedText.identity("省市\\n\\n场监管局")
>>> t = t.edit([(2, 4, "")])
>>> t.text
'省市场监管局'
>>> t.original_span(0, len(t.text))
(0, 8)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(slots=True)
class MappedText:
    text: str
    origin: list[int]  # origin[i] = original offset of text[i]; origin[len(text)] = end of original

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, list(range(len(text) + 1)))

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> MappedText:
        """Apply non-overlapping replacements ``(start, end, new)`` given in
        offsets of this text.  A replacement of the same length keeps a
        one-to-one mapping; otherwise its characters map to the start of what
        they replaced."""
        pieces: list[str] = []
        origin: list[int] = []
        pos = 0
        for start, end, new in sorted(edits):
            if start < pos:
                raise ValueError(f"overlapping edits at {start}")
            pieces.append(self.text[pos:start])
            origin.extend(self.origin[pos:start])
            pieces.append(new)
            if len(new) == end - start:
                origin.extend(self.origin[start:end])
            else:
                origin.extend([self.origin[start]] * len(new))
            pos = end
        pieces.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        return MappedText("".join(pieces), origin)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets covering ``text[start:end]`` (end exclusive)."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin[end - 1] + 1
