"""Bench cards (`modules/bench-cards.yaml`): a printable page and a PDF in every package."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import html as lxml_html

from builder import pdf
from builder.bench_cards import HTML_NAME, PDF_NAME, card_paragraphs, pdf_bytes
from builder.build import build
from builder.config import BuildConfig
from builder.errors import CourseError
from builder.loader import load_course
from builder.targets import TARGETS

REPO = Path(__file__).resolve().parents[1]
MODULES = REPO / "modules"
MINIMAL = REPO / "tests" / "fixtures" / "courses" / "minimal"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("cards")
    return [b.path for b in build(BuildConfig(source_dir=MODULES, out_dir=out))]


def test_the_course_has_one_card_per_role() -> None:
    cards = load_course(MODULES).bench_cards
    assert cards is not None
    assert [c.role for c in cards.cards] == ["judge", "prosecutor", "court-staff"]
    for card in cards.cards:
        assert all(item.source for s in card.sections for item in s.items)


def test_every_package_carries_the_cards_as_a_page_and_a_pdf(packages: list[Path]) -> None:
    cards = load_course(MODULES).bench_cards
    assert cards is not None
    assert len(packages) == 2 * len(TARGETS), "the course's and the follow-up's packages"
    pdfs = set()
    for package in packages:
        with zipfile.ZipFile(package) as zf:
            pdf = zf.read(PDF_NAME)
            page = lxml_html.document_fromstring(zf.read(HTML_NAME).decode("utf-8"))
            index = zf.read("index.html").decode("utf-8")
            manifest = next((n for n in ("imsmanifest.xml",) if n in zf.namelist()), None)
            if manifest:
                listed = zf.read(manifest).decode("utf-8")
                assert f'href="{PDF_NAME}"' in listed, package.name
        pdfs.add(pdf)
        assert f'href="{HTML_NAME}"' in index and f'href="{PDF_NAME}"' in index
        assert page.xpath("//h2/text()") == [c.title for c in cards.cards]
        assert page.xpath(f"//a[@href='{PDF_NAME}']"), "the page offers the PDF"
    assert len(pdfs) == 1, "the same PDF in every package"


def test_the_pdf_opens_has_a_page_per_card_and_each_cards_text_in_order(
    packages: list[Path],
) -> None:
    course = load_course(MODULES)
    cards = course.bench_cards
    assert cards is not None
    with zipfile.ZipFile(packages[0]) as zf:
        # Strict: a wrong cross-reference offset or stream length is an error, not a repair.
        reader = pypdf.PdfReader(io.BytesIO(zf.read(PDF_NAME)), strict=True)
    assert len(reader.pages) == len(cards.cards), "one page per card"
    for page, card in zip(reader.pages, cards.cards, strict=True):
        text = " ".join(page.extract_text().split())
        expected = [course.spec.title, card.title]
        for section in card.sections:
            expected.append(section.heading)
            for item in section.items:
                expected += ["- " + item.text, item.source]
        at = 0
        for part in expected:
            found = text.find(" ".join(part.split()), at)
            assert found >= at, f"{part!r} after position {at} on {card.role}'s page"
            at = found + len(" ".join(part.split()))
    assert reader.metadata is not None
    assert reader.metadata.title == f"{cards.title}: {course.spec.title}"
    assert reader.metadata.creator == "coursepack"
    assert reader.trailer["/Root"]["/Lang"] == course.spec.language


def test_a_card_is_set_as_its_titles_headings_items_and_sources() -> None:
    course = load_course(MODULES)
    assert course.bench_cards is not None
    card = course.bench_cards.cards[0]
    paras = card_paragraphs(card, "Course\u2011wide  title")
    assert [p.text for p in paras[:3]] == [
        "Course-wide title",
        card.title,
        card.sections[0].heading,
    ]
    assert paras[3].text == "- " + " ".join(card.sections[0].items[0].text.split())
    assert [p.style.font for p in paras[:5]] == [
        pdf.Font.REGULAR,
        pdf.Font.BOLD,
        pdf.Font.BOLD,
        pdf.Font.REGULAR,
        pdf.Font.OBLIQUE,
    ]
    assert len(paras) == 2 + sum(1 + 2 * len(s.items) for s in card.sections)


def test_the_pdf_is_reproducible_and_dated_by_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = load_course(MODULES)
    assert course.bench_cards is not None
    args = (course.bench_cards, course.spec.title, course.spec.language)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf_bytes.cache_clear()
    first = pdf_bytes(*args)
    pdf_bytes.cache_clear()
    assert pdf_bytes(*args) == first, "byte-identical across builds"
    assert b"D:19800101000000" in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf_bytes.cache_clear()
    dated = pdf_bytes(*args)
    pdf_bytes.cache_clear()
    assert dated != first and b"D:20231114221320" in dated


def test_two_builds_give_byte_identical_cards(tmp_path: Path) -> None:
    zips = []
    for name in ("a", "b"):
        pdf_bytes.cache_clear()
        [built] = build(BuildConfig(MINIMAL, tmp_path / name, ("web",)))
        zips.append(built.path.read_bytes())
    assert zips[0] == zips[1]


CARD = """\
title: Cards
cards:
  - role: judge
    title: For judges
    sections:
      - heading: Facts
        items:
          - text: {text}
            source: {source}
"""


@pytest.mark.parametrize(
    ("text", "source", "line", "field", "message"),
    [
        (
            "The sky is blue.",
            "Physics",
            9,
            "cards[0].sections[0].items[0].source",
            "expected a reference the course cites, like [R15a], found none",
        ),
        (
            "The sky is blue.",
            "Physics [R999]",
            9,
            "cards[0].sections[0].items[0].source",
            "expected references the course cites, found [R999] in no page",
        ),
        (
            "The sky is \u2192 blue.",
            "Physics [R1]",
            8,
            "cards[0].sections[0].items[0].text",
            "expected characters the PDF's font has (Windows-1252), found '\u2192'",
        ),
    ],
)
def test_a_card_citing_what_the_course_does_not_is_refused(
    tmp_path: Path, text: str, source: str, line: int, field: str, message: str
) -> None:
    dest = tmp_path / "modules"
    shutil.copytree(MINIMAL, dest)
    page = next((dest / "01-basics" / "pages").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nAs the physics text says [R1].\n")
    (dest / "bench-cards.yaml").write_text(CARD.format(text=text, source=source), "utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(dest)
    [problem] = caught.value.problems
    assert (problem.line, problem.field, problem.message) == (line, field, message)
    assert problem.path.endswith("modules/bench-cards.yaml")


@pytest.mark.parametrize(
    ("where", "old", "new", "path", "line", "field"),
    [
        # Were tracebacks from the PDF writer (UnicodeEncodeError), not problems.
        ("bench-cards.yaml", "title: Cards", "title: Cards \u2192", "bench-cards", 1, "title"),
        (
            "bench-cards.yaml",
            "title: For judges",
            "title: For \u2192",
            "bench-cards",
            4,
            "cards[0].title",
        ),
        (
            "bench-cards.yaml",
            "heading: Facts",
            "heading: Facts \u2192",
            "bench-cards",
            6,
            "cards[0].sections[0].heading",
        ),
        (
            "course.yaml",
            "title: Minimal test course",
            "title: Minimal \u2192",
            "course",
            2,
            "title",
        ),
    ],
)
def test_a_title_or_heading_the_pdf_cannot_write_is_refused(
    tmp_path: Path, where: str, old: str, new: str, path: str, line: int, field: str
) -> None:
    dest = tmp_path / "modules"
    shutil.copytree(MINIMAL, dest)
    page = next((dest / "01-basics" / "pages").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nAs the physics text says [R1].\n")
    text = CARD.format(text="The sky is blue.", source="Physics [R1]")
    (dest / "bench-cards.yaml").write_text(text, "utf-8")
    edited = dest / where
    edited.write_text(edited.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(dest)
    [problem] = caught.value.problems
    message = "expected characters the PDF's font has (Windows-1252), found '\u2192'"
    if path == "course":
        message += " (the course title is on every bench card)"
    assert (problem.line, problem.field, problem.message) == (line, field, message)
    assert problem.path.endswith(f"modules/{path}.yaml")
