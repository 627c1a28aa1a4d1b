"""Build the files a government archive holds besides text files: old Word (.doc), Kingsoft WPS
(.wps), Excel 97 (.xls), OFD and scans (image-only PDFs, photographed pages, mixed PDFs).

Each function writes a genuine file the way an office would get one: LibreOffice saves the .doc
and .wps from a .docx (a Kingsoft .wps is Word 97's binary format under another name) and the
.xls from an .xlsx; the .ofd is written as GB/T 33190 lays a page out; scans are pages drawn
with a Chinese font at 200 dpi (red head, black text, a red seal over the signature), saved as
images in a PDF, or rotated and noised like a phone photo of a printed page.

Import from a test module as ``from archivemakers import make_scanned_pdf`` (``tests/`` is on
``sys.path``).  The converters are the Debian packages the tests install (``run.py``).
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filemakers import find_cjk_font

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "A4_MM",
    "PrintedPage",
    "libreoffice_convert",
    "make_mixed_pdf",
    "make_ofd",
    "make_photo_png",
    "make_scanned_pdf",
    "render_page",
]

A4_MM = (210.0, 297.0)
RED = (200, 30, 30)


# --------------------------------------------------------------------------- LibreOffice


def libreoffice_convert(source: Path, target: Path, filter_name: str) -> Path:
    """Convert ``source`` with headless LibreOffice's ``filter_name`` (e.g. ``doc:MS Word 97``,
    ``xls:MS Excel 97``) and write the result to ``target`` (any name: a Kingsoft .wps is a
    Word 97 file saved under .wps)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="lo-make-") as work:
        profile = Path(work) / "profile"
        out = Path(work) / "out"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                filter_name,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        made = next(out.iterdir())
        target = Path(target)
        shutil.move(str(made), target)
    return target


# --------------------------------------------------------------------------- OFD

OFD_NS = "http://www.ofdspec.org/2016"


def make_ofd(
    path: Path, pages: Sequence[PrintedPage], *, title: str, author: str = "", scanned: Sequence[int] = ()
) -> Path:
    """An OFD package (GB/T 33190) with a real text layer: every printed line a ``TextObject``
    placed in millimetres on an A4 page with its glyph advances (``DeltaX``), as 公文 systems
    write them.  The page number footer (``— 1 —``) is written first on each page, before the
    body, so reading order must come from positions, not from the order of objects.

    The pages whose 0-based positions are in ``scanned`` are stored as a scanner stores them:
    one 200-dpi picture of the page (a ``MultiMedia`` resource drawn by an ``ImageObject``),
    no text."""
    from xml.sax.saxutils import escape

    size = 4.2  # 12 pt in millimetres
    left, top, width = 28.0, 30.0, 156.0
    per_line = int(width // size)
    entries: dict[str, str | bytes] = {}
    next_id = 10
    page_refs = []
    media = []
    for index, page in enumerate(pages):
        objects = []
        if index in scanned:
            picture = io.BytesIO()
            render_page(page, dpi=200).save(picture, "PNG")
            entries[f"Doc_0/Res/page_{index}.png"] = picture.getvalue()
            next_id += 2
            media.append(
                f'<ofd:MultiMedia ID="{next_id - 1}" Type="Image"><ofd:MediaFile>page_{index}.png</ofd:MediaFile>'
                "</ofd:MultiMedia>"
            )
            objects.append(
                f'<ofd:ImageObject ID="{next_id}" ResourceID="{next_id - 1}" Boundary="0 0 {A4_MM[0]:g} {A4_MM[1]:g}" '
                f'CTM="{A4_MM[0]:g} 0 0 {A4_MM[1]:g} 0 0"/>'
            )
            next_id += 1
            _add_page(entries, page_refs, index, next_id, objects)
            continue
        lines: list[tuple[float, str]] = []
        y = top
        if page.red_head:
            lines.append(((A4_MM[0] - len(page.red_head) * size * 2) / 2, page.red_head))
            y += size * 3
        for paragraph in page.paragraphs:
            if paragraph in page.centred:
                lines.append(((A4_MM[0] - _advance(paragraph, size)) / 2, paragraph))
            elif paragraph.startswith("→"):
                lines.append((left + width - _advance(paragraph[1:], size) - 2 * size, paragraph[1:]))
            else:
                lines.extend((left, chunk) for chunk in _chunks(paragraph, per_line))
        footer = f"— {index + 1} —"
        placed = [((A4_MM[0] - _advance(footer, size)) / 2, A4_MM[1] - 20.0, footer)]
        for n, (x, text) in enumerate(lines):
            placed.append((x, y + n * size * 1.6, text))
        for x, baseline, text in placed:
            next_id += 1
            deltas = " ".join(f"{size if ord(c) > 0x7F else size / 2:g}" for c in text[:-1])
            objects.append(
                f'<ofd:TextObject ID="{next_id}" Boundary="{x:.2f} {baseline - size:.2f} {_advance(text, size):.2f} '
                f'{size * 1.3:.2f}" Font="1" Size="{size}"><ofd:FillColor Value="0 0 0"/>'
                f'<ofd:TextCode X="0" Y="{size}" DeltaX="{deltas}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
            )
        next_id += 1
        _add_page(entries, page_refs, index, next_id, objects)
    entries["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>{uuid.uuid4().hex}</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title>"
        f"<ofd:Author>{escape(author)}</ofd:Author><ofd:CreationDate>2023-03-15</ofd:CreationDate></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    entries["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{next_id + 2000}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {A4_MM[0]:g} {A4_MM[1]:g}"
        "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        f"{'<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>' if media else ''}</ofd:CommonData>"
        f"<ofd:Pages>{''.join(page_refs)}</ofd:Pages></ofd:Document>"
    )
    if media:
        entries["Doc_0/DocumentRes.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res">'
            f"<ofd:MultiMedias>{''.join(media)}</ofd:MultiMedias></ofd:Res>"
        )
    entries["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in entries.items():
            package.writestr(name, xml)
    return path


def _add_page(entries: dict[str, str | bytes], refs: list[str], index: int, page_id: int, objects: list[str]) -> None:
    entries[f"Doc_0/Pages/Page_{index}/Content.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
        f'<ofd:Layer ID="{page_id + 1000}" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )
    refs.append(f'<ofd:Page ID="{page_id}" BaseLoc="Pages/Page_{index}/Content.xml"/>')


def _advance(text: str, size: float) -> float:
    return sum(size if ord(c) > 0x7F else size / 2 for c in text)


def _chunks(paragraph: str, per_line: int) -> list[str]:
    return [paragraph[i : i + per_line] for i in range(0, len(paragraph), per_line)] or [""]


# --------------------------------------------------------------------------- scans


@dataclass(frozen=True, slots=True)
class PrintedPage:
    """One printed page: its paragraphs (a paragraph starting with ``"　　"`` is indented two
    characters, as body text is in 公文; others are centred when ``centred`` holds them),
    an optional red head (``"江苏省人民政府办公厅文件"``) and whether a red seal is pressed over
    the last lines (the issuer and date of a notice)."""

    paragraphs: Sequence[str]
    red_head: str | None = None
    centred: frozenset[str] = frozenset()
    seal: str | None = None  # the seal's ring text, e.g. 江苏省人民政府办公厅


def render_page(page: PrintedPage, *, dpi: int = 200, font_pt: float = 12.0) -> Image.Image:
    """Draw one A4 page at ``dpi`` with the CJK font, wrapping paragraphs at the text width."""
    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 25.4
    width, height = round(A4_MM[0] * px), round(A4_MM[1] * px)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font_file = str(find_cjk_font())
    size = round(font_pt / 72 * dpi)
    font = ImageFont.truetype(font_file, size)
    left, right, top = round(28 * px), round(26 * px), round(30 * px)
    text_width = width - left - right
    line_height = round(size * 1.6)
    y = top
    if page.red_head:
        head = ImageFont.truetype(font_file, round(size * 2.2))
        w = draw.textlength(page.red_head, font=head)
        draw.text(((width - w) / 2, y), page.red_head, font=head, fill=RED)
        y += round(size * 2.2 * 1.8)
    last_lines: list[tuple[float, float]] = []
    for paragraph in page.paragraphs:
        if paragraph in page.centred:
            w = draw.textlength(paragraph, font=font)
            draw.text(((width - w) / 2, y), paragraph, font=font, fill="black")
            last_lines.append(((width - w) / 2, y))
            y += line_height
            if page.red_head and "号" in paragraph and y < height / 4:  # the red rule under the 文号
                draw.line((left, y, width - right, y), fill=RED, width=max(2, round(px * 0.6)))
                y += round(size * 0.8)
            continue
        if paragraph.startswith("→"):  # right-aligned (issuer and date under a notice)
            text = paragraph[1:]
            w = draw.textlength(text, font=font)
            draw.text((width - right - w - 2 * size, y), text, font=font, fill="black")
            last_lines.append((width - right - w - 2 * size, y))
            y += line_height
            continue
        for line in _wrap(draw, paragraph, font, text_width):
            draw.text((left, y), line, font=font, fill="black")
            last_lines.append((left, y))
            y += line_height
    if page.seal and last_lines:
        y0 = last_lines[-1][1]
        _draw_seal(image, page.seal, centre=(width - right - 5.5 * size, y0 - 0.3 * size), radius=2.3 * size)
    return image


def _wrap(draw: ImageDraw.ImageDraw, paragraph: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines, current = [], ""
    for ch in paragraph:
        if draw.textlength(current + ch, font=font) > width and current:
            # Chinese typesetting keeps closing punctuation on the line it closes.
            if ch in "，。；：、）》”":
                current += ch
                ch = ""
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines


def _draw_seal(image: Image.Image, ring: str, *, centre: tuple[float, float], radius: float) -> None:
    """A red 公章: a ring, the issuer's name along its top arc, a star in the middle, half
    transparent over the text under it, as an inked stamp is."""
    from PIL import Image, ImageDraw, ImageFont

    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    ink = (*RED, 150)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=ink, width=max(3, round(radius / 18)))
    size = round(radius / 3.6)
    font = ImageFont.truetype(str(find_cjk_font()), size)
    span = math.radians(250)
    for i, ch in enumerate(ring):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(ring)
        x = cx + (radius - size * 1.0) * math.cos(angle)
        y = cy + (radius - size * 1.0) * math.sin(angle)
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size / 2, size / 2), ch, font=font, fill=ink)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        layer.alpha_composite(glyph, (round(x - size), round(y - size)))
    star = [
        (
            cx + radius * 0.35 * (1 if k % 2 == 0 else 0.4) * math.cos(-math.pi / 2 + k * math.pi / 5),
            cy + radius * 0.35 * (1 if k % 2 == 0 else 0.4) * math.sin(-math.pi / 2 + k * math.pi / 5),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=ink)
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))


def _save_pdf(images: Sequence[Image.Image], path: Path, dpi: int) -> Path:
    path = Path(path)
    first, *rest = images
    first.save(path, "PDF", save_all=True, append_images=list(rest), resolution=float(dpi))
    return path


def make_scanned_pdf(path: Path, pages: Sequence[PrintedPage], *, dpi: int = 200) -> Path:
    """A PDF of page images only, as a scanner makes it: no text layer at all."""
    return _save_pdf([render_page(p, dpi=dpi) for p in pages], path, dpi)


def make_photo_png(path: Path, page: PrintedPage, *, dpi: int = 200, angle: float = 1.5, seed: int = 15) -> Path:
    """A phone photo of one printed page: turned by ``angle`` degrees, unevenly lit, grainy and
    slightly soft."""
    import numpy as np
    from PIL import Image, ImageFilter

    image = render_page(page, dpi=dpi).rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    pixels = np.asarray(image, dtype=np.float32)
    rng = np.random.default_rng(seed)
    h, w = pixels.shape[:2]
    light = np.linspace(0.97, 0.85, w)[None, :, None] * np.linspace(1.0, 0.92, h)[:, None, None]
    pixels = pixels * light + rng.normal(0, 12, pixels.shape)
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))
    path = Path(path)
    photo.save(path)
    return path


def make_mixed_pdf(path: Path, text_pages: Sequence[str], scanned: dict[int, PrintedPage], *, dpi: int = 200) -> Path:
    """A PDF whose pages are text-layer pages (``text_pages``, one string a page) with scanned
    pages put in at the 0-based positions of ``scanned``, as when a signed page is scanned
    into a file otherwise saved from Word."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", "", str(find_cjk_font()))
    texts = list(text_pages)
    total = len(texts) + len(scanned)
    with tempfile.TemporaryDirectory(prefix="scan-") as work:
        for index in range(total):
            pdf.add_page()
            if index in scanned:
                image_path = Path(work) / f"page{index}.png"
                render_page(scanned[index], dpi=dpi).save(image_path)
                pdf.image(str(image_path), x=0, y=0, w=A4_MM[0], h=A4_MM[1])
            else:
                pdf.set_font("cjk", size=12)
                pdf.set_margins(28, 30, 26)
                pdf.set_xy(28, 30)
                pdf.multi_cell(0, 7.5, texts.pop(0))
        path = Path(path)
        pdf.output(str(path))
    return path
