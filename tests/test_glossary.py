"""The glossary ships as `glossary.html`, linked from the contents of every package."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
from helpers import make_course

from builder.build import build
from builder.config import BuildConfig
from builder.model import Course, GlossaryEntry
from builder.render import render_pages
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "courses"


def pages(course: Course) -> dict[str, bytes]:
    files = render_pages(course, make_env([DEFAULT_TEMPLATES]), TARGETS["web"])
    return {f.arcname: f.data for f in files}


def test_glossary_page_lists_terms_in_order_escaped() -> None:
    base = make_course()
    entries = (
        GlossaryEntry(term="Zeta <b>", definition="Last & least.", source="Src <i>"),
        GlossaryEntry(term="alpha", definition="First."),
    )
    out = pages(Course(base.spec, base.modules, glossary=entries))
    page = lxml.html.fromstring(out["glossary.html"])
    assert [dt.text_content() for dt in page.iter("dt")] == ["alpha", "Zeta <b>"]
    assert " ".join(page.xpath("//dd")[1].text_content().split()) == "Last & least. Source: Src <i>"
    assert not page.xpath("//b | //i | //script")
    index = lxml.html.fromstring(out["index.html"])
    [link] = index.xpath("//nav//a[@href='glossary.html']")
    assert link.get("target") == "_blank"


def test_no_glossary_no_page_and_no_link() -> None:
    out = pages(make_course())
    assert "glossary.html" not in out
    assert b"glossary.html" not in out["index.html"]


def test_every_package_of_a_course_with_a_glossary_carries_and_lists_it(tmp_path: Path) -> None:
    built = build(BuildConfig(source_dir=FIXTURES / "full", out_dir=tmp_path))
    assert len(built) == len(TARGETS)
    for b in built:
        with zipfile.ZipFile(b.path) as zf:
            assert b"Fixture" in zf.read("glossary.html")
            if b.target.startswith("scorm"):
                assert b'href="glossary.html"' in zf.read("imsmanifest.xml")
