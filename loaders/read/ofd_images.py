"""The page images of an OFD file (a scanner's OFD stores each page as one picture), for OCR.

ofdkit reads text; the pictures are found here from the package itself: the multimedia
resources (``MultiMedia`` of type Image, in the document's and the page's resource files) and
the ``ImageObject``s of a page that draw them.  Only what OCR needs: the largest picture on
the page, as a PIL image.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from PIL import Image


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


class OfdPictures:
    """The pictures of an OFD package, by page content location."""

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)
        self._names = {name.lower(): name for name in self._zip.namelist()}
        self._media: dict[str, str] = {}
        root = self._xml("OFD.xml")
        for doc_root in _children(root, "DocRoot") if root is not None else []:
            document_path = self._resolve("OFD.xml", doc_root.text)
            document = self._xml(document_path) if document_path else None
            if document is None:
                continue
            for name in ("PublicRes", "DocumentRes"):
                for res in _children(document, name):
                    self._read_res(self._resolve(document_path, res.text))

    def close(self) -> None:
        self._zip.close()

    def largest_picture(self, page_location: str) -> Image.Image | None:
        """The largest picture drawn on the page whose content is at ``page_location``."""
        from PIL import Image

        page = self._xml(page_location)
        if page is None:
            return None
        for res in _children(page, "PageRes"):
            self._read_res(self._resolve(page_location, res.text))
        best: tuple[float, str] | None = None
        for image in _children(page, "ImageObject"):
            media = self._media.get((image.get("ResourceID") or "").strip())
            box = [float(v) for v in (image.get("Boundary") or "0 0 0 0").split()[:4]]
            area = box[2] * box[3] if len(box) == 4 else 0.0
            if media and (best is None or area > best[0]):
                best = (area, media)
        if best is None:
            return None
        return Image.open(io.BytesIO(self._zip.read(best[1])))

    def _read_res(self, res_path: str | None) -> None:
        res = self._xml(res_path) if res_path else None
        if res is None or res_path is None:
            return
        base = posixpath.join(posixpath.dirname(res_path), (res.get("BaseLoc") or "").strip())
        for media in _children(res, "MultiMedia"):
            files = _children(media, "MediaFile")
            if (media.get("Type") or "").lower() != "image" or not files:
                continue
            location = (files[0].text or "").strip()
            found = self._find(location.lstrip("/")) if location.startswith("/") else None
            found = found or self._find(posixpath.normpath(posixpath.join(base, location)))
            if found:
                self._media[(media.get("ID") or "").strip()] = found

    def _resolve(self, base: str | None, location: str | None) -> str | None:
        location = (location or "").strip().replace("\\", "/")
        if not location:
            return None
        if location.startswith("/"):
            return self._find(location.lstrip("/"))
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base or ""), location))
        return self._find(joined) or self._find(location)

    def _find(self, name: str) -> str | None:
        return self._names.get(name.lower())

    def _xml(self, name: str | None) -> ET.Element | None:
        if not name:
            return None
        try:
            return ET.fromstring(self._zip.read(name))
        except (KeyError, ET.ParseError):
            return None
