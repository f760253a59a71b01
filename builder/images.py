"""Whether a file a page shows as an image (or the course's logo) is one a browser can show.

A page's image whose file is not an image at all (an HTML error page saved as `.png` by a
download, an empty or cut file, a PDF or a video put in `![…](…)`) builds into a broken image:
the build says so instead. A browser reads an image by its first bytes, not by its name, so a
PNG named `.jpg` shows and is no problem. The first bytes are the signatures each format puts at
its start: PNG's eight-byte signature, JPEG's start-of-image marker, GIF's header, the RIFF
(WebP) and ISO base media (`ftyp`, AVIF) containers, and BMP's and ICO's headers.
"""

from __future__ import annotations

import re

#: The start of each image format browsers show (`.` any byte).
_RASTER = re.compile(
    rb"\x89PNG\r\n\x1a\n"  # PNG
    rb"|\xff\xd8\xff"  # JPEG
    rb"|GIF8[79]a"  # GIF
    rb"|RIFF....WEBP"  # WebP
    rb"|....ftyp(?:avif|avis|mif1|msf1)"  # AVIF (HEIF brands: which one, only decoding tells)
    rb"|BM"  # BMP
    rb"|\x00\x00\x01\x00",  # ICO
    re.DOTALL,
)
_SPACE = re.compile(rb"\s*")
_SVG_ELEMENT = re.compile(rb"<svg[\s>/]")
#: What may come before an SVG document's `<svg` element, each with how it ends.
_PROLOGUE = ((b"<?xml", b"?>"), (b"<!--", b"-->"), (b"<!DOCTYPE", b">"), (b"<!doctype", b">"))


def _after_space(data: bytes, pos: int) -> int:
    """The first position from `pos` on that is not white space."""
    found = _SPACE.match(data, pos)
    return pos if found is None else found.end()


def _svg(data: bytes) -> bool:
    """Whether `data` is an SVG document: an `<svg` element after a BOM, an XML declaration,
    comments, a DOCTYPE and white space. Read once from the start (a pattern with a repeated
    group would backtrack for ever over a file of many comments)."""
    pos = _after_space(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
    while True:
        part = next(((a, z) for a, z in _PROLOGUE if data.startswith(a, pos)), None)
        if part is None:
            return _SVG_ELEMENT.match(data, pos) is not None
        close = data.find(part[1], pos + len(part[0]))
        if close < 0:
            return False
        pos = _after_space(data, close + len(part[1]))


#: What a file that is not an image may be, by its first bytes, as an author would name it.
_OTHER = (
    (re.compile(rb"\s*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE), "an HTML page"),
    (re.compile(rb"%PDF-"), "a PDF document"),
    (re.compile(rb"PK\x03\x04"), "a zip archive (or an Office document)"),
    (re.compile(rb"....ftyp", re.DOTALL), "a video or audio file (MP4, MOV…)"),
    (re.compile(rb"\x1a\x45\xdf\xa3"), "a video file (WebM, MKV)"),
    (re.compile(rb"ID3|OggS|fLaC|RIFF....WAVE", re.DOTALL), "an audio file"),
)


def not_an_image(data: bytes) -> str | None:
    """What `data` is, said for an author, if it is not an image a browser shows; else None."""
    if _RASTER.match(data) or _svg(data):
        return None
    if not data:
        return "an empty file"
    for pattern, what in _OTHER:
        if pattern.match(data):
            return what
    head = data[:512]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not a character cut at the end of the head
            shown = " ".join(f"{b:02x}" for b in data[:4])
            return f"data of no image format (starting with the bytes {shown})"
    return "text"


def image_problem(shown: str, data: bytes) -> str | None:
    """The problem with `data` as the image `shown` (how the page or course.yaml names it)."""
    what = not_an_image(data)
    if what is None:
        return None
    return (
        f"image '{shown}': expected an image file (PNG, JPEG, GIF, WebP, AVIF or SVG), found "
        f"{what}; the page would show a broken image"
    )
