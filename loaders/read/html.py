"""HTML pages (trafilatura): the page's main text, without navigation, header and footer.

The bytes are decoded as plain text is (see `.text`), honouring the charset the page
declares when the bytes bear it out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import webpage
from .base import RawDocument, ReadError, normalise_newlines, read_bytes, reason_of, with_warnings
from .tables import TextBuilder
from .text import decode_text

# trafilatura's thresholds count characters and are tuned for alphabetic text, where 250
# characters are a couple of sentences; a Chinese sentence says as much in a fifth of that.
# With the default, a short Chinese page is judged "too little text" and the whole page,
# navigation included, is dumped instead of the article.
_HTML_MIN_EXTRACTED_SIZE = 50


def read_html(path: Path, max_bytes: int) -> RawDocument:
    """The page's main text by trafilatura, guarded against the ways it loses Chinese text.

    Government pages are first taken out of their wrapping (`.webpage.prepare`): layout tables
    become plain blocks, a 任务分工表 becomes a `Table` in its place, the page's metadata
    table becomes hints (``page_title``, ``page_doc_number``, ``page_issuer``,
    ``page_written``, ``page_published``), and site-chrome lines are dropped afterwards.

    trafilatura (1) drops characters that are not printable, Private Use Area characters
    included (GBK mojibake is full of them), and NFC-normalises its output, which turns CJK
    compatibility ideographs into their unified forms; (2) when its first pass misses the
    article container, keeps only the first of several paragraphs with the same text; (3) takes
    the article's ``<h1>`` out of the text.  Before extraction such characters are replaced by
    placeholders and repeated paragraphs are made distinct with markers; afterwards the
    placeholders are turned back and the markers removed, and the heading is put back.

    ``metadata`` has ``title`` (the page's ``<title>`` as it is, site name included) and
    ``heading`` (the article's own heading, when the page marks one).
    """
    import lxml.html
    import trafilatura

    data = read_bytes(path, max_bytes)
    text, encoding, notes = decode_text(path, data, declared=_declared_charset(data))
    marker = next((c for c in _MARKER_CANDIDATES if c not in text), None)
    page = text
    if marker is None:
        notes.append("page text may have lost private-use characters and repeated paragraphs")
    else:
        page = _PROTECTED_CHARS.sub(lambda m: f"{marker}u{ord(m.group()):x}{marker}", text)
    page_title = ""
    headings: set[str] = set()
    promoted: list[str] = []
    prepared = webpage.PreparedPage()
    try:
        # An HtmlElement (lxml's stubs lack the class, so mypy sees Any; they would type it _Element).
        tree: lxml.html.HtmlElement = lxml.html.document_fromstring(page.encode("utf-8"), parser=_utf8_html_parser())
    except Exception:  # lxml refuses some broken markup; trafilatura copes on its own
        notes.append("repeated paragraphs may have been merged (the page could not be parsed for them)")
    else:
        page_title = _normalise_space(tree.findtext(".//title") or "")
        promoted = webpage.promote_headings(tree)
        headings = {_normalise_space(h.text_content()) for h in tree.xpath("//h1|//h2|//h3")}
        if marker is not None:
            prepared = webpage.prepare(tree, marker, lambda s: _unmark(s, marker))
            webpage.fields_anywhere(tree, prepared.fields)
            if _mark_repeated_blocks(tree, marker) or prepared.rewritten or promoted:
                page = lxml.html.tostring(tree, encoding="unicode")
    try:
        extracted = trafilatura.bare_extraction(
            page,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            with_metadata=True,
            config=_trafilatura_config(),
        )
    except Exception as exc:
        raise ReadError(path, f"HTML could not be parsed ({reason_of(exc)})") from None
    assert not isinstance(extracted, dict)  # a dict only with as_dict=True
    body = normalise_newlines(extracted.text or "") if extracted is not None else ""
    heading = _normalise_space(extracted.title or "") if extracted is not None else ""
    if heading not in headings:  # trafilatura falls back on the <title>: no heading of the article's
        # unless the page styles its heading by class: the first such is the document's title
        heading = promoted[0] if promoted else ""
    # trafilatura takes the article's heading out of the text as its "title"; put it back
    # (unless it kept it: a heading inside the article stays where it stands).
    if heading and heading not in (_normalise_space(line) for line in body.split("\n")):
        body = f"{heading}\n{body}"
    if marker is not None:
        body, heading, page_title = (_unmark(s, marker) for s in (body, heading, page_title))
    text, lost = _page_text(body, prepared)
    notes.extend(
        f"table {n + 1} (a 任务分工表) put at the end of the text: its place in the page was lost" for n in lost
    )
    if not text.strip():
        raise ReadError(path, "no main text found in the HTML page")
    metadata = {"title": page_title, "heading": heading, **prepared.fields.hints()}
    return RawDocument(
        path=path,
        format="html",
        text=text,
        encoding=encoding,
        tables=[table for table, _ in prepared.tables],
        metadata=with_warnings(metadata, notes),
    )


def _page_text(body: str, prepared: webpage.PreparedPage) -> tuple[str, list[int]]:
    """The extracted text without site-chrome lines, each 分工表 rendered at its placeholder
    (or at the end, when extraction lost the placeholder); also the indexes of those lost."""
    builder = TextBuilder()
    placed: set[int] = set()
    where = {placeholder: n for n, placeholder in enumerate(prepared.placeholders)}
    for line in body.split("\n"):
        key = line.strip()
        if key in where:
            builder.table(*prepared.tables[where[key]])
            placed.add(where[key])
        elif not webpage.is_chrome_line(key, prepared.menu) and prepared.fields.take_line(key) != "information":
            # An info line (发布日期：… 来源：…) stays: it may be the document's own front matter.
            builder.line(line)
    lost = [n for n in range(len(prepared.tables)) if n not in placed]
    for n in lost:
        builder.table(*prepared.tables[n])
    return builder.text(), lost


# Characters trafilatura would drop or change: Private Use Area, CJK compatibility ideographs.
_PROTECTED_CHARS = re.compile("[\ue000-\uf8ff\uf900-\ufaff\U0002f800-\U0002fa1f\U000f0000-\U0010fffd]")
# Printable characters that do not occur in these documents; the first one absent from a page
# is its marker.
_MARKER_CANDIDATES = ("\u2e3b", "\u2e3a", "\u2bd1", "\u2e4e")
# Block elements whose text trafilatura handles as one paragraph.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "td",
        "th",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
    ]
)


def _mark_repeated_blocks(tree: Any, marker: str) -> bool:
    """Put a marker such as ``⸻2⸻`` in front of the 2nd, 3rd, … block with the same text.

    When trafilatura's first pass does not find the article container (common on government
    sites), its recovery pass keeps only the first of several paragraphs with identical text,
    so the fifth "责任单位：市大数据局" of a plan would vanish.  Returns whether anything was marked.
    """
    blocks = [e for e in tree.iter() if isinstance(e.tag, str) and e.tag.lower() in _BLOCK_TAGS]
    wrappers: set[Any] = set()  # blocks holding other blocks: their inner blocks are marked instead
    for element in blocks:
        parent = next((a for a in element.iterancestors() if a.tag.lower() in _BLOCK_TAGS), None)
        if parent is not None:
            wrappers.add(parent)
    seen: dict[str, int] = {}
    marked = False
    for element in blocks:
        if element in wrappers:
            continue
        key = _normalise_space(element.text_content())
        if not key:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            element.text = f"{marker}{seen[key]}{marker}{element.text or ''}"
            marked = True
    return marked


def _unmark(text: str, marker: str) -> str:
    """Undo `read_html`'s preparation: placeholders back to characters, markers removed."""
    m = re.escape(marker)
    text = re.sub(f"{m}u([0-9a-f]+){m}", lambda found: chr(int(found.group(1), 16)), text)
    repeat = re.compile(f"{m}[0-9]+{m}")
    lines = []
    for line in text.split("\n"):
        cleaned = repeat.sub("", line)
        if cleaned.strip() or not line.strip():  # a line that held only a marker goes
            lines.append(cleaned)
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(_HTML_MIN_EXTRACTED_SIZE))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


@lru_cache(maxsize=1)
def _utf8_html_parser() -> Any:
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8")


_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in ``<meta charset>`` or ``<meta http-equiv>``."""
    import lxml.html

    head = data[:65536]
    try:
        tree: lxml.html.HtmlElement = lxml.html.document_fromstring(head)  # (see read_html)
    except Exception:
        return None
    for value in tree.xpath("//meta/@charset"):
        if str(value).strip():
            return str(value).strip()
    for content in tree.xpath(
        "//meta[translate(@http-equiv,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
        "='content-type']/@content"
    ):
        match = _CHARSET_PARAM.search(str(content))
        if match:
            return match.group(1)
    return None


def _normalise_space(text: str) -> str:
    return " ".join(text.split())
