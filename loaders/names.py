"""The one name normaliser: how every unit name is compared, while loading, in the store
and in lookups over the CLI and HTTP.

Two forms:

* :func:`normalise` — the name as the registry reads it: traditional characters become
  simplified (OpenCC ``t2s``), full-width letters, digits and punctuation half-width,
  every bracket kind (〔〕［］【】﹝﹞〖〗（）[]) round, all whitespace (also inside the
  name: PDF text splits names across lines) and invisible characters dropped, pinyin
  glosses such as ``區(qū)`` removed;
* :func:`name_key` — the lookup key: :func:`normalise` without quotation marks.  Two
  names are the same name exactly when their keys are equal.  The store keeps the keys
  of every name form of a unit (``Unit.name_keys``) and the services look names up by
  key, so a name that resolved while loading is found over HTTP and by the CLI in any
  written form.

>>> name_key("市大數據局") == name_key("市大数据局") == name_key(" 市 大数据\\u3000局 ")
True
>>> name_key("省推进“四大建设”工作领导小组成员单位")
'省推进四大建设工作领导小组成员单位'
>>> name_key("各區、縣〔市〕政府")
'各区、县(市)政府'
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

__all__ = ["name_key", "name_keys", "normalise"]

_WIDTH: dict[int, int | str | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({ord(c): "(" for c in "〔［【﹝〖（[｟﹙"})
_WIDTH.update({ord(c): ")" for c in "〕］】﹞〗）]｠﹚"})
_WIDTH.update({ord("､"): "、", ord("﹐"): ",", ord("﹑"): "、"})
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# pinyin glosses that some converted pages put after a character: 區(qū) → 区
_PINYIN = re.compile(rf"\((?=[a-zü{_TONES}]*[{_TONES}])[a-zü{_TONES}]+\)")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
# OpenCC's t2s also maps characters that are standard simplified characters in their own
# right and stand in place names: 乾 (乾县, 乾安县 would become 干县), 於 (於潜).  Kept.
_KEEP = frozenset("乾於")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1 << 17)
def normalise(text: str) -> str:
    """The form every name is read in (see the module docstring).

    >>> normalise("省市\\n\\n場監管局")
    '省市场监管局'
    >>> normalise("市政府有关部门（单位）")
    '市政府有关部门(单位)'
    >>> normalise("乾縣人民政府")
    '乾县人民政府'
    """
    s = _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_WIDTH))
    if s and not s.isascii():
        converted = _t2s().convert(s)
        if len(converted) == len(s) and not _KEEP.isdisjoint(s):
            converted = "".join(o if o in _KEEP else c for o, c in zip(s, converted, strict=True))
        s = converted
    return _PINYIN.sub("", s)


@functools.lru_cache(maxsize=1 << 17)
def name_key(text: str) -> str:
    """The lookup key of a name: :func:`normalise` without quotation marks.

    >>> name_key("『省大數據局』")
    '省大数据局'
    """
    return normalise(text).translate(_QUOTES)


def name_keys(*forms: str | None) -> list[str]:
    """The distinct keys of several name forms, in order (empty forms skipped).

    >>> name_keys("市大數據局", "市大数据局", None, "无锡市大数据局")
    ['市大数据局', '无锡市大数据局']
    """
    return list(dict.fromkeys(k for f in forms if f and (k := name_key(f))))
