"""Plain text: bytes decoded after detecting the encoding, never assuming it.

A byte-order mark decides (utf-8-sig, utf-16, utf-32); otherwise strict UTF-8 when the bytes
decode as UTF-8; otherwise the best match of charset-normalizer, accepted only when it is a
Chinese encoding (GB18030/GBK/GB2312, which are all decoded as ``gb18030``, Big5, UTF-16) and
the decoded text is mostly Chinese and ASCII.  Anything else is a `ReadError`.  `decode_text`
is shared by every format that is text underneath (txt, csv, html).

The text is kept as the file gives it.  The one change made to it is that line endings are
normalised to ``\\n`` (``\\r\\n`` and lone ``\\r`` become ``\\n``).

>>> decode_text(Path("plan.txt"), "牵头单位：省大数据局\\r\\n".encode("gb18030"))[:2]
('牵头单位：省大数据局\\n', 'gb18030')
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path

from .base import RawDocument, ReadError, normalise_newlines, read_bytes, sniff_binary, with_warnings

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# C0 control bytes that do not occur in text (tab, line feed, vertical tab, form feed,
# carriage return and escape do), plus DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_BINARY_CONTROL_SHARE = 0.01

# What charset-normalizer may answer and be believed, by canonical codec name, with the
# codecs tried in turn to decode.
_CHINESE_CODECS: dict[str, tuple[str, ...]] = {
    "gb18030": ("gb18030",),
    "gbk": ("gb18030",),
    "gb2312": ("gb18030",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
    "utf-16": ("utf-16",),
    "utf-16-le": ("utf-16-le",),
    "utf-16-be": ("utf-16-be",),
    "utf-32": ("utf-32",),
    "utf-32-le": ("utf-32-le",),
    "utf-32-be": ("utf-32-be",),
}
_WIDE_CODECS = frozenset(c for c in _CHINESE_CODECS if c.startswith("utf-"))
# Single-byte Western charsets that decode any bytes; a page that declares one of them but
# is valid UTF-8 is UTF-8.
_WESTERN_CODECS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
# Candidates whose chaos is this close to the best one's count as tied with it: on a short
# text charset-normalizer often ranks cp949 (Korean) level with gb18030.
_CHAOS_TIE = 0.02


def decode_text(path: Path, data: bytes, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a text file's bytes; return (text with \\n line endings, encoding, warnings).

    ``declared`` is an encoding the file names itself (an HTML ``<meta charset>``); it is
    used when the bytes decode with it, otherwise detection goes on and a warning says so.
    """
    notes: list[str] = []
    if not data.strip():
        raise ReadError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    path, f"invalid {encoding} text after its byte-order mark (at byte {exc.start})"
                ) from None
            return _checked_text(path, text), encoding, notes

    kind = sniff_binary(data)
    if kind is not None:
        raise ReadError(path, f"binary file, not text (looks like {kind})")
    if b"\x00" in data:
        # Only UTF-16/32 without a byte-order mark has NUL bytes and is still text.
        decoded = _detect_with_charset_normalizer(data, only=_WIDE_CODECS)
        if decoded is None:
            raise ReadError(path, "binary file, not text (it contains NUL bytes)")
        return _checked_text(path, decoded[0]), decoded[1], notes
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _BINARY_CONTROL_SHARE * len(sample):
        raise ReadError(path, "binary file, not text (it is full of control bytes)")

    if declared:
        decoded_declared = _decode_declared(data, declared, notes)
        if decoded_declared is not None:
            return _checked_text(path, decoded_declared[0]), decoded_declared[1], notes

    try:
        return _checked_text(path, data.decode("utf-8")), "utf-8", notes
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    damaged = _mostly_utf8(data)
    if damaged:
        raise ReadError(
            path,
            f"damaged UTF-8 text: {damaged} invalid byte sequence(s), the first at byte {first_bad} "
            "(the rest of the file is UTF-8; truncated, or two encodings mixed?)",
        )
    detected = _detect_with_charset_normalizer(data, only=frozenset(_CHINESE_CODECS))
    if detected is None:
        guess = _best_guess(data)
        raise ReadError(
            path,
            "undetectable text encoding (not UTF-8, GB18030/GBK, Big5 or UTF-16"
            + (f"; the closest guess, {guess}, is not a Chinese encoding)" if guess else ")"),
        )
    return _checked_text(path, detected[0]), detected[1], notes


def _checked_text(path: Path, text: str) -> str:
    text = normalise_newlines(text)
    if not text.strip():
        raise ReadError(path, "empty file")
    return text


def _canonical_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_declared(data: bytes, declared: str, notes: list[str]) -> tuple[str, str] | None:
    """Decode with the charset a page declares, when the bytes bear it out; else None."""
    codec = _canonical_codec(declared)
    if codec is None:
        notes.append(f"unknown charset {declared!r} declared; encoding detected instead")
        return None
    if codec in _WIDE_CODECS:
        return None  # a <meta> cannot name UTF-16/32 (HTML treats it as UTF-8): detect instead
    if codec in _WESTERN_CODECS and not data.isascii():
        # Latin-1 decodes any bytes, and Chinese pages often declare it wrongly.
        actual: tuple[str, str] | None
        try:
            actual = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            actual = _detect_with_charset_normalizer(data, only=frozenset(_CHINESE_CODECS))
        if actual is not None:
            notes.append(f"charset {declared!r} declared but the bytes are {actual[1]}; read as {actual[1]}")
            return actual
    decode_as = _CHINESE_CODECS.get(codec, (codec,))[0]
    try:
        return data.decode(decode_as), decode_as
    except UnicodeDecodeError:
        notes.append(f"charset {declared!r} declared but the bytes do not fit it; encoding detected instead")
        return None


def _mostly_utf8(data: bytes) -> int:
    """Number of invalid sequences when the bytes are UTF-8 but for a few of them, else 0."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good_multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return bad if bad and good_multibyte >= 20 * bad else 0


def _detect_with_charset_normalizer(data: bytes, *, only: frozenset[str]) -> tuple[str, str] | None:
    """charset-normalizer's best match among ``only``, if the decoded text is plausible Chinese."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best_chaos = matches[0].chaos
    for match in matches:
        if match.chaos > best_chaos + _CHAOS_TIE:
            break
        codec = _canonical_codec(match.encoding)
        if codec not in only:
            continue
        for decode_as in _CHINESE_CODECS[codec]:
            try:
                text = data.decode(decode_as)
            except UnicodeDecodeError:
                continue
            if _looks_chinese(text):
                return text, decode_as
    return None


def _best_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else best.encoding


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
# Symbols and punctuation found in Chinese government text: general punctuation, ①⑴,
# Ⅰ, arrows, maths, boxes, shapes, CJK symbols, ㈠, compatibility forms, full-width forms.
_SYMBOL_RANGES = (
    (0x00A0, 0x00FF),
    (0x0391, 0x03C9),
    (0x0401, 0x0451),
    (0x2000, 0x206F),
    (0x2100, 0x27BF),
    (0x3000, 0x303F),
    (0x3100, 0x312F),
    (0x3200, 0x33FF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)


def _char_class(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)


# Counting with compiled classes instead of a loop over the characters: reading a GB18030
# file spent nine tenths of its time in that loop (docs/benchmarks.md).
_WHITESPACE = re.compile(r"\s+")
_HAN = re.compile(f"[{_char_class(_HAN_RANGES)}]+")
# What is not odd: printable ASCII, Han characters and the symbols above.
_NOT_ODD = re.compile(f"[\x20-\x7e{_char_class(_HAN_RANGES)}{_char_class(_SYMBOL_RANGES)}]+")


def _looks_chinese(text: str) -> bool:
    """Mostly CJK and ASCII, some Han characters, hardly any control or stray characters.

    >>> _looks_chinese("牵头单位：省大数据局（2023年）"), _looks_chinese("Ã©Ã¨ garbage Ð¶Ñ\x85")
    (True, False)
    """
    sample = _WHITESPACE.sub("", text[:200_000])
    total = len(sample)
    han = total - len(_HAN.sub("", sample))
    odd = len(_NOT_ODD.sub("", sample))
    return total > 0 and han > 0 and odd <= 0.05 * total


def read_txt(path: Path, max_bytes: int) -> RawDocument:
    data = read_bytes(path, max_bytes)
    text, encoding, notes = decode_text(path, data)
    return RawDocument(path=path, format="txt", text=text, encoding=encoding, metadata=with_warnings({}, notes))
