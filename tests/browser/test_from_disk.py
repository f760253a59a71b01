"""Every target opened from disk (`file://`), as offline players and shared drives open packages:
the one classic runtime script loads, the pages navigate, Submit scores. Without JavaScript the
course is readable but no correct answer or feedback shows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from browser_site import FIXTURE_COURSES, Problems
from browser_walk import Walker, all_right, all_wrong
from playwright.sync_api import Browser, Page, expect

from builder.build import build
from builder.config import BuildConfig
from builder.loader import load_course
from builder.questions import FillIn, Numeric
from builder.targets import TARGETS

pytestmark = pytest.mark.browser

MINIMAL = FIXTURE_COURSES / "minimal"
TYPES = FIXTURE_COURSES / "types"


def unzip_all(source: Path, dest: Path) -> dict[str, Path]:
    """Build `source` for every target into `dest`; the `index.html` of each, unzipped."""
    built = build(BuildConfig(source_dir=source, out_dir=dest / "zips", targets=tuple(TARGETS)))
    found = {}
    for b in built:
        with zipfile.ZipFile(b.path) as zf:
            zf.extractall(dest / b.target)
        found[b.target] = dest / b.target / "index.html"
    return found


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    root = tmp_path_factory.mktemp("disk")
    return {
        "minimal": unzip_all(MINIMAL, root / "minimal"),
        "types": unzip_all(TYPES, root / "types"),
    }


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_target_works_from_file_urls(
    page: Page, problems: Problems, on_disk: dict[str, dict[str, Path]], target: str
) -> None:
    index = on_disk["minimal"][target]
    page.goto(index.as_uri())
    assert page.evaluate("location.protocol") == "file:"
    # No module scripts: one request for the runtime.
    assert page.evaluate("document.querySelectorAll('script[type=module]').length") == 0
    course = Walker(page, MINIMAL)
    expect(page.get_by_role("navigation", name="Page navigation")).to_be_visible()
    post = course.index("basics/post-test")
    course.walk(post, all_wrong)
    result = course.section("basics/post-test").locator(".cp-result")
    expect(result).to_contain_text("0%")
    expect(course.section("basics/post-test").locator(".cp-answer").first).to_be_visible()
    course.button("Retake").click()
    course.answer("basics/post-test", all_right)
    expect(result).to_contain_text("100%")
    if target == "web":
        # The web target keeps the learner's place in the browser, from disk too.
        page.reload()
        Walker(page, MINIMAL).expect_at(post)
        assert page.evaluate("window.localStorage.length") > 0
    problems.assert_clean()


def hidden_texts(source: Path) -> list[str]:
    """Every correct-answer and feedback text the sources hold for `source`'s questions."""
    course = load_course(source)
    texts: list[str] = []
    for m in course.modules:
        for test in (m.pre_test, m.post_test, m.checks):
            for q in test.spec.questions if test else ():
                if q.explanation:
                    texts.append(q.explanation)
                if isinstance(q, FillIn):
                    texts.append(f"Correct answer: {q.answers[0]}")
                if isinstance(q, Numeric):
                    texts.append(f"Correct answer: {q.answer:g}")
                for choice in getattr(q, "choices", ()) or ():
                    if getattr(choice, "feedback", None):
                        texts.append(choice.feedback)
                for step in getattr(q, "steps", ()) or ():
                    texts += [o.feedback for o in getattr(step, "options", ())]
    return texts


@pytest.mark.parametrize("target", ["web", "scorm2004-4th"])
def test_without_javascript_no_answer_or_feedback_shows(
    browser: Browser, on_disk: dict[str, dict[str, Path]], target: str
) -> None:
    viewport = {"width": 1280, "height": 800}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(on_disk["types"][target].as_uri())
        shown = page.locator("body").inner_text()
        # Readable: every page's heading shows, one after another; nothing to submit.
        for title in page.locator("section.cp-page h1").all_inner_texts():
            assert title.strip() and title in shown
        assert page.locator("section.cp-page h1:visible").count() > 3
        expect(page.get_by_role("button", name="Submit")).to_have_count(0)
        secret = hidden_texts(TYPES)
        assert secret, "the fixture course has answers and feedback to hide"
        leaked = [text for text in secret if text in shown]
        assert leaked == []
        # Not behind a click either: no expander holds them.
        assert page.locator("details.cp-answer").count() == 0
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")
        opened = page.locator("body").inner_text()
        assert [text for text in secret if text in opened] == []
    finally:
        context.close()
