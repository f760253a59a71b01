"""A small PDF writer for text in the standard Helvetica fonts: what the bench cards need.

Two pure steps. `layout` sets paragraphs on A4 pages: each paragraph is wrapped at word
boundaries to the measure by the fonts' advance widths (`builder.pdf_widths`, from Adobe's AFM
files), a word longer than the measure is broken between characters, and a line that would cross
the bottom margin starts the next page. `document` writes the pages as a PDF 1.4 file: the
standard Type 1 fonts Helvetica, Helvetica-Bold and Helvetica-Oblique in WinAnsiEncoding (nothing
embedded, so text is Windows-1252), a catalog with /Lang, an information dictionary (/Title,
/Creator, /CreationDate) and a cross-reference table of exact byte offsets. Content streams are
left uncompressed: the package's zip deflates the file anyway, and the bytes then depend on no
zlib build. The same input gives the same bytes; the file identifier (/ID) is a hash of the body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import NamedTuple

from builder.pdf_widths import HELVETICA, HELVETICA_BOLD

#: Points per millimetre (a point is 1/72 inch).
PT_PER_MM = 72 / 25.4


class Font(Enum):
    """A standard Type 1 font: its PostScript name, resource name and advance widths."""

    REGULAR = ("Helvetica", "F1", HELVETICA)
    BOLD = ("Helvetica-Bold", "F2", HELVETICA_BOLD)
    OBLIQUE = ("Helvetica-Oblique", "F3", HELVETICA)

    def __init__(self, base: str, resource: str, widths: tuple[int, ...]) -> None:
        self.base = base
        self.resource = resource
        self.widths = widths


class Style(NamedTuple):
    """How a paragraph is set: font, size (pt) and line height (mm)."""

    font: Font
    size: float
    leading: float


class Para(NamedTuple):
    """A paragraph of one style; `space_before` (mm) is added above it."""

    text: str
    style: Style
    space_before: float = 0.0


class Line(NamedTuple):
    """A line set on a page: `x`, `y` (pt) the start of its baseline from the bottom left."""

    x: float
    y: float
    font: Font
    size: float
    text: str


class Geometry(NamedTuple):
    """The page and its margins (mm); `inset` more on each side of the text, as a cell's padding."""

    width: float = 210.0
    height: float = 297.0
    left: float = 16.0
    top: float = 14.0
    right: float = 16.0
    bottom: float = 14.0
    inset: float = 1.0

    @property
    def measure(self) -> float:
        """The width a line may take (pt)."""
        return (self.width - self.left - self.right - 2 * self.inset) * PT_PER_MM


A4 = Geometry()


class Info(NamedTuple):
    """The document's information dictionary and catalog language."""

    title: str
    language: str
    creator: str
    created: datetime


def encode(text: str) -> bytes:
    """`text` in Windows-1252 (WinAnsiEncoding); a character outside it, or a control
    character, is a `ValueError` naming it."""
    data = text.encode("cp1252")
    if (bad := next((b for b in data if b < 32), None)) is not None:
        raise ValueError(f"expected printable text, found {chr(bad)!r} in {text!r}")
    return data


def text_width(text: str, font: Font, size: float) -> float:
    """The advance width of `text` (pt) in `font` at `size` (pt)."""
    return sum(font.widths[b - 32] for b in encode(text)) * size / 1000


def wrap(text: str, font: Font, size: float, measure: float) -> list[str]:
    """`text` broken into lines no wider than `measure` (pt): at spaces, and a word wider than
    the measure between characters. Runs of whitespace count as one space."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font, size) <= measure:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while text_width(line, font, size) > measure:
            cut = _fit(line, font, size, measure)
            lines.append(line[:cut])
            line = line[cut:]
    if line or not lines:
        lines.append(line)
    return lines


def _fit(word: str, font: Font, size: float, measure: float) -> int:
    """How many leading characters of `word` fit in `measure` (at least one)."""
    width = 0.0
    for i, ch in enumerate(word):
        width += text_width(ch, font, size)
        if width > measure:
            return max(i, 1)
    return len(word)


def layout(groups: Iterable[Sequence[Para]], page: Geometry = A4) -> list[tuple[Line, ...]]:
    """The lines of each page: every group starts a page, and runs onto more when it overflows.

    A line's box is `leading` high; its baseline sits half the leading plus 0.3 of the font
    size below the box's top. A box that would cross the bottom margin goes to a new page.
    """
    pages: list[tuple[Line, ...]] = []
    x = (page.left + page.inset) * PT_PER_MM
    for group in groups:
        lines: list[Line] = []
        y = page.top  # the next line box's top, mm from the page's top
        for para in group:
            style = para.style
            y += para.space_before
            for text in wrap(para.text, style.font, style.size, page.measure):
                if y + style.leading > page.height - page.bottom and lines:
                    pages.append(tuple(lines))
                    lines, y = [], page.top
                baseline = y + style.leading / 2 + 0.3 * style.size / PT_PER_MM
                lines.append(
                    Line(x, (page.height - baseline) * PT_PER_MM, style.font, style.size, text)
                )
                y += style.leading
        pages.append(tuple(lines))
    return pages


def document(pages: Sequence[Sequence[Line]], info: Info, page: Geometry = A4) -> bytes:
    """The pages as a PDF file (bytes)."""
    fonts = (Font.REGULAR, Font.BOLD, Font.OBLIQUE)
    # Objects: 1 catalog, 2 page tree, 3 information, 4-6 fonts, then a page and its content each.
    first = 4 + len(fonts)
    kids = " ".join(f"{first + 2 * i} 0 R" for i in range(len(pages)))
    resources = " ".join(f"/{f.resource} {4 + i} 0 R" for i, f in enumerate(fonts))
    box = f"[0 0 {_num(page.width * PT_PER_MM)} {_num(page.height * PT_PER_MM)}]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang " + _string(info.language) + b" >>",
        (
            f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} /MediaBox {box}"
            f" /Resources << /Font << {resources} >> >> >>"
        ).encode("ascii"),
        b"<< /Title "
        + _string(info.title)
        + b" /Creator "
        + _string(info.creator)
        + b" /CreationDate "
        + _string(_date(info.created))
        + b" >>",
    ]
    objects += [
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{f.base} /Encoding /WinAnsiEncoding >>".encode(
            "ascii"
        )
        for f in fonts
    ]
    for i, lines in enumerate(pages):
        content = _content(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /Contents {first + 2 * i + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    return _file(objects)


def _content(lines: Iterable[Line]) -> bytes:
    """A page's content stream: each line a text object of its font, place and string."""
    return b"\n".join(
        b"BT /%s %s Tf %s %s Td %s Tj ET"
        % (
            line.font.resource.encode(),
            _num(line.size).encode(),
            _num(line.x).encode(),
            _num(line.y).encode(),
            _literal(encode(line.text)),
        )
        for line in lines
    )


def _file(objects: Sequence[bytes]) -> bytes:
    """Header, numbered objects, cross-reference table of their offsets and trailer."""
    # The comment of four bytes above 127 tells a transfer program the file is binary.
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    file_id = hashlib.md5(out, usedforsecurity=False).hexdigest().upper().encode()
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
    # Each entry is exactly 20 bytes, its end of line two characters.
    out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id,
        file_id,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _num(value: float) -> str:
    """A PDF number: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _literal(data: bytes) -> bytes:
    """A literal string: backslash and both parentheses escaped."""
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _string(text: str) -> bytes:
    """A text string of the information dictionary: ASCII as a literal, anything else as
    UTF-16BE with its byte order mark (PDFDocEncoding is not Windows-1252 above 127)."""
    if text.isascii() and text.isprintable():
        return _literal(text.encode("ascii"))
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _date(moment: datetime) -> str:
    """A PDF date in UTC: `D:YYYYMMDDHHmmSSZ`."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")
