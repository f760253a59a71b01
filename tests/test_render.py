"""The learner-facing pages: one index.html in reading order, accessible markup, course data."""

from __future__ import annotations

import json
from html import escape as html_escape
from pathlib import Path

import pytest

from builder.errors import TemplateError
from builder.loader import load_course
from builder.model import Course, Module, Page
from builder.render import DataParts, course_data, render_pages, sections
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env
from tests.helpers import REPO, course_spec
from tests.render_support import (
    module,
    render,
    sample_course,
)


@pytest.fixture
def course() -> Course:
    return sample_course()


def test_files_are_index_and_every_asset(course: Course) -> None:
    files = render_pages(course, make_env([DEFAULT_TEMPLATES]), TARGETS["web"])
    assert [f.arcname for f in files] == ["index.html", "assets/m1/a.png", "assets/m2/a.png"]
    assert files[2].data == b"\x89PNG-m2"


def test_sections_follow_reading_order_and_match_the_data(course: Course) -> None:
    tree, data = render(course)
    want = ["m1/pre-test", "m1/p1", "m1/p2", "m1/post-test", "m2/p1", "m2/post-test"]
    found = tree.xpath("//main/section[contains(@class,'cp-page')]")
    # The welcome and completion pages open and close the page; they are not course data.
    shown = ["welcome", *want, "completion"]
    assert [s.get("data-key") for s in found] == shown
    assert [s.get("id") for s in found] == [f"page-{k}" for k in shown]
    assert [p["key"] for p in data["pages"]] == want
    assert [p["kind"] for p in data["pages"]] == [
        "pre-test",
        "page",
        "page",
        "post-test",
        "page",
        "post-test",
    ]
    # Loader-rewritten links point at a section that exists.
    targets = {h[1:] for h in tree.xpath("//main//a/@href") if h.startswith("#page-")}
    assert targets == {"page-m1/p1", "page-m2/p1"}


def test_page_skeleton_is_accessible(course: Course) -> None:
    tree, _ = render(course)
    assert tree.get("lang") == "de-DE"
    assert tree.xpath("//meta[@name='viewport']")
    skip = tree.xpath("//body/a[1]")[0]
    assert skip.get("href") == "#main" and tree.get_element_by_id("main").tag == "main"
    assert tree.xpath("//header") and not tree.xpath("//header//h1")
    # The six sections, the welcome and the completion page.
    assert len(tree.xpath("//nav[@aria-label='Contents']//a")) == 8
    # One h1 per section, focusable from script (sections stay unnamed: no duplicate landmarks).
    for section in tree.xpath("//section[contains(@class,'cp-page')]"):
        (h1,) = section.xpath(".//h1")
        assert h1.get("tabindex") == "-1" and section.get("aria-labelledby") is None
    names = [b.text_content().strip() for b in tree.xpath("//nav[@aria-label]//button")]
    assert names == ["Previous", "Next", "Exit"]
    # One classic script (works from file://, builder/bundle.py), no module script.
    assert tree.xpath("//script[@src]/@src") == ["runtime/coursepack.js"]
    assert not tree.xpath("//script[@type='module']")
    assert tree.xpath("//*[@role='status']")


def test_no_external_resources(course: Course) -> None:
    tree, _ = render(course)
    urls = tree.xpath("//@src | //@href")
    assert urls and not [u for u in urls if "//" in u or u.startswith("http")]


def test_every_input_has_a_label_and_every_question_a_legend(course: Course) -> None:
    tree, _ = render(course)
    controls = tree.xpath("//main//input | //main//select")
    assert len(controls) > 20
    for control in controls:
        assert len(tree.xpath(f"//label[@for='{control.get('id')}']")) == 1, control.get("id")
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    for fs in tree.xpath("//fieldset[contains(@class,'cp-q')]"):
        assert fs.xpath("./legend")[0].text_content().strip()
    assert tree.xpath("//legend[starts-with(., 'Which three <elements>?')]")


def test_assessments_submit_and_checks_stay_on_their_page(course: Course) -> None:
    tree, data = render(course)
    post = tree.get_element_by_id("page-m1/post-test")
    assert post.xpath(".//form[@data-quiz='m1/post-test']//button[@type='submit']/text()") == [
        "Submit"
    ]
    page = tree.get_element_by_id("page-m1/p1")
    assert page.xpath(".//form/@data-quiz") == ["m1/check/child", "m1/check/bail"]
    assert data["assessments"]["m1/check/bail"]["page"] == "m1/p1"
    assert data["assessments"]["m1/check/bail"]["kind"] == "check"


def test_course_data_carries_rules_and_answer_keys(course: Course) -> None:
    data = course_data(course, TARGETS["scorm2004-4th"])
    assert data["standard"] == "scorm2004"
    assert data["course"] == {
        "id": course.id,
        "unit": "course",
        "title": course.spec.title,
        "version": "1.0.0",
        "language": "de-DE",
        "masteryScore": 80.0,
        "completion": "all-pages-and-post-test",
        "interactions": {"kinds": ["pre-test", "check", "post-test", "survey"], "attempts": 1},
    }
    post = data["assessments"]["m1/post-test"]
    # Its module objective's fixed place in cmi.objectives: the first post-test of the course.
    assert post["objective"]["index"] == 0
    assert (post["kind"], post["draw"], post["shuffle"]) == ("post-test", 2, False)
    single, multiple, truth = post["questions"]
    assert (single["choices"], single["correct"], single["weight"]) == (["a", "b"], ["a"], 1.0)
    assert (multiple["choices"], multiple["correct"]) == (["f", "b", "c"], ["f", "c"])
    assert (truth["choices"], truth["correct"]) == (["true", "false"], ["false"])
    assert "m2/pre-test" not in data["assessments"]


def test_sections_without_tests_or_with_unknown_checks() -> None:
    plain = Course(spec=course_spec(), modules=(module("m", 1, pre=False, post=False),))
    assert [s.key for s in sections(plain)] == ["m/p1"]
    broken = module("m", 1, pre=False, post=False)
    page = Page(id="p1", title="P", body="x", source="p.md", checks=("nope",))
    bad = Course(
        spec=course_spec(),
        modules=(
            Module(spec=broken.spec, pages=(page,), pre_test=None, post_test=None, assets=()),
        ),
    )
    with pytest.raises(TemplateError, match="m/p1: no knowledge check with id nope"):
        sections(bad)


def test_rendering_is_deterministic(course: Course) -> None:
    env = make_env([DEFAULT_TEMPLATES])
    assert render_pages(course, env, TARGETS["web"]) == render_pages(course, env, TARGETS["web"])


def test_course_data_cannot_close_the_script_element() -> None:
    spec = course_spec(title="</script><script>alert(1)</script>")
    tree, data = render(Course(spec=spec, modules=(module("m", 1, pre=False, post=False),)))
    assert data["course"]["title"] == "</script><script>alert(1)</script>"
    assert len(tree.xpath("//script")) == 2


def test_course_data_shared_across_targets_is_each_targets_own() -> None:
    # A build makes the reading order and assessments once (`parts`) and each target's data
    # from them: the same data as made alone, in any order, and nothing leaks between targets.
    real = load_course(REPO / "modules")
    lrs = {"endpoint": "https://lrs.example.org/xapi/", "actorHomePage": "https://lms.example.org"}
    parts: DataParts = {}
    for name in [*TARGETS, *reversed(TARGETS)]:
        for with_lrs in (None, lrs):
            shared = course_data(real, TARGETS[name], lrs=with_lrs, parts=parts)
            assert shared == course_data(real, TARGETS[name], lrs=with_lrs), name
    assert len(parts) == 1
    formats = {f for a in course_data(real, TARGETS["scorm12"])["assessments"].values()
               for q in a["questions"] for f in q["interaction"]["correct"]}  # fmt: skip
    assert formats == {"scorm12"}


def test_a_page_template_of_ones_own_gets_the_data_in_its_slot_or_none(
    course: Course, tmp_path: Path
) -> None:
    # The course data goes where the template puts `data`; a template without it is left as is.
    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "index.html"
    page.write_text('<p>{{ course.spec.title }}</p><script>{{ data | tojson_compact | safe }}'
                    "</script><p>end</p>", encoding="utf-8")  # fmt: skip
    env = make_env([tmp_path, DEFAULT_TEMPLATES])
    html = render_pages(course, env, TARGETS["web"], shells={})[0]
    script, _, tail = html.data.decode("utf-8").partition("<script>")[2].partition("</script>")
    assert json.loads(script)["standard"] == "web" and tail == "<p>end</p>"
    assert html.shared == html.data.index(b"<script>") + len(b"<script>")
    page.write_text("<p>{{ course.spec.title }}</p>", encoding="utf-8")
    bare = render_pages(course, make_env([tmp_path, DEFAULT_TEMPLATES]), TARGETS["web"], shells={})
    assert bare[0].data == f"<p>{html_escape(course.spec.title)}</p>".encode()
