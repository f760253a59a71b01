"""A page's image, or the logo, must be an image a browser shows (builder/images.py): what real
encoders write passes; an HTML page, an empty file, a PDF or a video saved under an image's name
is a problem naming the page, the line and what the file is."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from test_cli import run
from test_loader import FIXTURES

from builder.images import not_an_image

SVGS = [
    b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<svg viewBox="0 0 1 1"></svg>',
    b"\n  <!-- Created with a drawing program -->\n<!-- two -->\n<svg>\n</svg>",
    b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg>',
    b"<!---->" * 5000 + b"<svg>",
]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP", "AVIF", "BMP", "ICO"])
def test_what_real_encoders_write_is_an_image(fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (120, 30, 60)).save(out, fmt)
    assert not_an_image(out.getvalue()) is None


@pytest.mark.parametrize("svg", SVGS)
def test_an_svg_document_is_an_image(svg: bytes) -> None:
    assert not_an_image(svg) is None


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "an empty file"),
        (b"<!DOCTYPE html>\n<html><body>403 Forbidden</body></html>", "an HTML page"),
        (b"  <HTML><HEAD><TITLE>Not Found</TITLE>", "an HTML page"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a zip archive (or an Office document)"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "a video or audio file (MP4, MOV…)"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", "a video file (WebM, MKV)"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "an audio file"),
        (b"The figure will go here.\n", "text"),
        (b"\x89PNG", "data of no image format (starting with the bytes 89 50 4e 47)"),
        ("é".encode() * 256 + b"\xc3", "text"),  # a character cut at the end of what is read
        # Read once from the start: a pattern with a repeated group took twice as long for each
        # comment more (20 comments: 0.1 s; 40, about a day).
        (b"<!---->" * 5000 + b"<p>not an SVG</p>", "text"),
        (b"<!-- never closed " + b"-" * 100_000, "text"),
    ],
)
def test_a_file_that_is_no_image_is_named_for_what_it_is(data: bytes, what: str) -> None:
    assert not_an_image(data) == what


def test_the_build_names_the_page_line_and_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "modules"
    shutil.copytree(FIXTURES / "courses" / "minimal", source)
    assets = source / "01-basics" / "assets"
    assets.mkdir()
    (assets / "chart.png").write_bytes(b"<!doctype html><title>Sign in</title>")
    (assets / "fine.png").write_bytes(_png())
    (assets / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    page = source / "01-basics" / "pages" / "02-the-rule.md"
    page.write_text(
        "---\ntitle: The rule\n---\nEvery fact needs a source.\n\n![A chart](../assets/chart.png)"
        "\n\n![A fine chart](../assets/fine.png) and [the notes](../assets/notes.pdf).\n",
        encoding="utf-8",
    )
    (source / "logo.png").write_bytes(b"")
    course = source / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "brand:\n  logo: logo.png\n")
    out = tmp_path / "dist"
    code, _, err = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert code == 1
    assert err.splitlines() == [
        f"{source}/01-basics/pages/02-the-rule.md:6: body: image '../assets/chart.png': expected "
        "an image file (PNG, JPEG, GIF, WebP, AVIF or SVG), found an HTML page; the page would "
        "show a broken image",
        "1 problem",
    ]
    (assets / "chart.png").write_bytes(_png())
    code, _, err = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert code == 1
    assert err.splitlines() == [
        f"{source}/logo.png: image 'logo.png': expected an image file (PNG, JPEG, GIF, WebP, "
        "AVIF or SVG), found an empty file; the page would show a broken image",
        "1 problem",
    ]
    assert not out.exists()
    (source / "logo.png").write_bytes(_png())
    code, _, err = run(capsys, "build", "-q", "--source", str(source), "--out", str(out))
    assert (code, err) == (0, "")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "PNG")
    return out.getvalue()
