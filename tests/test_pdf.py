"""The PDF writer (`builder/pdf.py`): line breaking by the fonts' widths, pages, and a file pypdf
reads strictly, its text and metadata back."""

from __future__ import annotations

import io
import itertools
import logging
import re
from datetime import UTC, datetime

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import pdf

BODY = pdf.Style(pdf.Font.REGULAR, 10, 5)
INFO = pdf.Info(
    title="Cards", language="en", creator="coursepack", created=datetime(1980, 1, 1, tzinfo=UTC)
)
#: Printable Windows-1252 characters (the five codes it leaves undefined are not characters).
CP1252 = "".join(
    ch for ch in bytes(range(32, 256)).decode("cp1252", errors="ignore") if ch.isprintable()
)


def read(data: bytes) -> pypdf.PdfReader:
    """The file as pypdf reads it, strictly (a wrong offset or length is an error)."""
    return pypdf.PdfReader(io.BytesIO(data), strict=True)


def test_widths_are_the_afm_advance_widths() -> None:
    # Helvetica.afm / Helvetica-Bold.afm: space 278, quotesingle 191/238, i 222/278, m 833/889,
    # W 944, section 556, endash 556, emdash 1000, eacute 556, bullet 350.
    regular = [pdf.text_width(ch, pdf.Font.REGULAR, 1000) for ch in " 'imW§–—é•"]
    bold = [pdf.text_width(ch, pdf.Font.BOLD, 1000) for ch in " 'imW§–—é•"]
    assert regular == [278, 191, 222, 833, 944, 556, 556, 1000, 556, 350]
    assert bold == [278, 238, 278, 889, 944, 556, 556, 1000, 556, 350]
    assert pdf.text_width("Oblique (slanted)", pdf.Font.OBLIQUE, 9) == pdf.text_width(
        "Oblique (slanted)", pdf.Font.REGULAR, 9
    )
    assert pdf.text_width("mm", pdf.Font.REGULAR, 10) == pytest.approx(16.66)


@given(
    words=st.lists(st.text(CP1252.replace(" ", ""), min_size=1, max_size=40), max_size=60),
    measure=st.floats(min_value=30, max_value=500),
)
def test_no_line_is_wider_than_the_measure_and_no_character_is_lost(
    words: list[str], measure: float
) -> None:
    text = " ".join(words)
    lines = pdf.wrap(text, pdf.Font.BOLD, 11.5, measure)
    for line in lines:
        assert pdf.text_width(line, pdf.Font.BOLD, 11.5) <= measure, line
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_text_breaks_at_spaces_where_the_next_word_would_not_fit() -> None:
    text = "The certainty of being caught deters far more than the severity of punishment."
    measure = pdf.text_width("The certainty of being caught deters", pdf.Font.REGULAR, 10)
    lines = pdf.wrap(text, pdf.Font.REGULAR, 10, measure)
    assert lines == [
        "The certainty of being caught deters",
        "far more than the severity of",
        "punishment.",
    ]


def test_a_word_longer_than_the_line_is_split_between_characters() -> None:
    word = "Menschenhandelsbekämpfungsübereinkommen" * 3
    measure = 150.0
    lines = pdf.wrap(f"see {word} now", pdf.Font.REGULAR, 10, measure)
    assert lines[0] == "see"
    assert "".join(lines[1:-1]) + lines[-1].removesuffix(" now") == word
    for line, following in itertools.pairwise(lines[1:]):
        assert pdf.text_width(line, pdf.Font.REGULAR, 10) <= measure
        # As full as it can be: one more character would not fit.
        assert pdf.text_width(line + following[0], pdf.Font.REGULAR, 10) > measure
    assert len(lines) > 3


def test_text_outside_windows_1252_or_a_control_character_is_refused() -> None:
    with pytest.raises(ValueError):
        pdf.wrap("an arrow \u2192", pdf.Font.REGULAR, 10, 100)
    for control in ("bell\x07", "nul\x00"):
        with pytest.raises(ValueError, match="printable"):
            pdf.text_width(control, pdf.Font.REGULAR, 10)


def test_a_page_breaks_when_the_next_line_does_not_fit() -> None:
    # 269 mm between the margins holds 53 lines of 5 mm; the 54th starts a page.
    paras = [pdf.Para(f"Line {n}", BODY) for n in range(60)]
    pages = pdf.layout([paras, [pdf.Para("Next group", BODY)]])
    assert [len(p) for p in pages] == [53, 7, 1], "the overflow, then the next group's page"
    bottom = 14 * pdf.PT_PER_MM
    assert all(line.y > bottom for page in pages for line in page)
    assert pages[1][0].y == pages[2][0].y == pages[0][0].y, "each page starts at the top margin"
    assert [line.text for page in pages[:2] for line in page] == [p.text for p in paras]
    reader = read(pdf.document(pages, INFO))
    assert len(reader.pages) == 3
    assert reader.pages[1].extract_text().split("\n")[0] == "Line 53"


def test_layout_keeps_the_margins() -> None:
    long = "word " * 400
    [page, *_] = pdf.layout([[pdf.Para(long, BODY, space_before=2)]])
    left = 17 * pdf.PT_PER_MM
    right = (210 - 17) * pdf.PT_PER_MM
    assert all(line.x == pytest.approx(left) for line in page)
    assert all(line.x + pdf.text_width(line.text, line.font, line.size) <= right for line in page)
    # The first box: 14 mm margin + 2 mm space, baseline half the 5 mm leading + 0.3 x 10 pt down.
    assert page[0].y == pytest.approx(297 * pdf.PT_PER_MM - (16 + 2.5) * pdf.PT_PER_MM - 3)


def test_special_characters_come_back_out_of_the_pdf() -> None:
    text = r"Art. 3(a) \ (b) — café, § 1593 – “consent” ’s €5 ½"
    pages = pdf.layout([[pdf.Para(text, BODY), pdf.Para("(", BODY), pdf.Para("\\", BODY)]])
    data = pdf.document(pages, INFO)
    assert rb"3\(a\) \\ \(b\)" in data, "escaped in the stream"
    assert read(data).pages[0].extract_text().split("\n") == [text, "(", "\\"]


def test_the_file_has_exact_offsets_its_metadata_and_language(
    caplog: pytest.LogCaptureFixture,
) -> None:
    info = pdf.Info(
        title="Fiches – audience: procès",
        language="fr-CA",
        creator="coursepack",
        created=datetime.fromtimestamp(1700000000, UTC),
    )
    data = pdf.document(pdf.layout([[pdf.Para("Une page", BODY)]]), info)
    assert data.startswith(b"%PDF-1.4\n")
    start = int(re.findall(rb"startxref\n(\d+)\n%%EOF\n$", data)[0])
    assert data[start:].startswith(b"xref\n0 9\n"), (
        "catalog, pages, info, 3 fonts, a page, its content"
    )
    entries = re.findall(rb"(\d{10}) 00000 n\r\n", data[start:])
    assert len(entries) == 8
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)
    with caplog.at_level(logging.DEBUG, logger="pypdf"):
        reader = read(data)
        reader.pages[0].extract_text()
    assert not caplog.records, "pypdf repaired nothing (it logs a wrong offset as repaired)"
    assert reader.metadata is not None
    assert reader.metadata.title == "Fiches – audience: procès"
    assert reader.metadata.creator == "coursepack"
    assert reader.metadata.creation_date == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert reader.trailer["/Root"]["/Lang"] == "fr-CA"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert {str(f.get_object()["/BaseFont"]) for f in fonts.values()} == {
        "/Helvetica",
        "/Helvetica-Bold",
        "/Helvetica-Oblique",
    }
    assert all(f.get_object()["/Encoding"] == "/WinAnsiEncoding" for f in fonts.values())


def test_the_same_input_gives_the_same_bytes_and_its_id_follows_the_content() -> None:
    one = pdf.document(pdf.layout([[pdf.Para("Same", BODY)]]), INFO)
    assert pdf.document(pdf.layout([[pdf.Para("Same", BODY)]]), INFO) == one
    other = pdf.document(pdf.layout([[pdf.Para("Other", BODY)]]), INFO)
    ids = [read(d).trailer["/ID"][0] for d in (one, other)]
    assert ids[0] != ids[1]
