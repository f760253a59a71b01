"""The course as a learner meets it: a welcome page first, a completion page last with a printable
certificate once the course is complete (the learner's name from the LMS), and screenshots of
each at desktop and phone size, saved under the test's tmp folder for a person to look at."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_site import FIXTURE_COURSES, REAL_COURSE, Problems, Site
from browser_walk import Walker, all_right, all_wrong
from playwright.sync_api import Page, expect
from test_accessibility import format_violations, run_axe
from test_scorm_walk import open_in_lms, wait_finished

from builder.loader import load_course

pytestmark = pytest.mark.browser

FULL = FIXTURE_COURSES / "full"
REAL = REAL_COURSE
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go (printed, so a person can find and look at them)."""
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots in {folder}")
    return folder


def snap(page: Page, shots: Path, name: str, size: str) -> Path:
    """A full-page screenshot of the course frame's page as it is now."""
    path = shots / f"{name}-{size}.png"
    frame = page.frame(name="sco")
    assert frame is not None
    # The LMS host is a frame around the course: picture the course's own document.
    height = int(frame.evaluate("document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": SIZES[size][0], "height": max(SIZES[size][1], height)})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": SIZES[size][0], "height": SIZES[size][1]})
    assert path.stat().st_size > 1000
    return path


def learner(name: str, target: str) -> dict[str, str]:
    """The LMS query that gives the learner a name (SCORM keeps "Last, First")."""
    state = (
        {"learner_name": name}
        if target.startswith("scorm2004")
        else {"core": {"student_name": name}}
    )
    return {"state": json.dumps(state)}


@pytest.mark.parametrize("size", SIZES)
def test_the_course_opens_on_its_welcome_page(
    page: Page, site: Site, problems: Problems, shots: Path, size: str
) -> None:
    page.set_viewport_size({"width": SIZES[size][0], "height": SIZES[size][1]})
    course = open_in_lms(page, site, "scorm2004-4th", course="full")
    spec = load_course(FULL).spec
    assert course.current() == "welcome"
    welcome = course.section("welcome")
    expect(welcome.get_by_role("heading", level=1)).to_have_text(spec.title)
    text = welcome.inner_text()
    for fact in (spec.audience[0], "0.5 credit hours", f"{spec.mastery_score:g}%", "About"):
        assert fact in text
    for module in load_course(FULL).modules:
        assert module.spec.objectives[0].text in text
    snap(page, shots, "welcome", size)
    course.next()
    assert course.current() == course.stops[1].key
    problems.assert_clean()


@pytest.mark.parametrize("size", SIZES)
def test_a_question_page_after_submit(
    page: Page, site: Site, problems: Problems, shots: Path, size: str
) -> None:
    page.set_viewport_size({"width": SIZES[size][0], "height": SIZES[size][1]})
    course = open_in_lms(page, site, "scorm2004-4th", course="minimal")
    post = course.index("basics/post-test")
    course.walk(post, all_wrong)
    expect(course.section("basics/post-test").locator(".cp-answer").first).to_be_visible()
    snap(page, shots, "question-submitted", size)
    problems.assert_clean()


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
@pytest.mark.parametrize("size", SIZES)
def test_a_complete_course_ends_on_a_certificate_with_the_lms_name(
    page: Page, site: Site, problems: Problems, shots: Path, size: str, target: str
) -> None:
    page.set_viewport_size({"width": SIZES[size][0], "height": SIZES[size][1]})
    course = open_in_lms(page, site, target, course="full", **learner("Doe, Jane", target))
    course.walk(len(course.stops) - 1, all_right)
    assert course.current() == "completion"
    done = course.section("completion")
    expect(done.locator(".cp-status")).to_contain_text("You have completed the course")
    certificate = done.get_by_role("article", name="Certificate of completion")
    expect(certificate).to_be_visible()
    text = certificate.inner_text()
    spec = load_course(FULL).spec
    assert "Jane Doe" in text and spec.title in text and "100%" in text
    assert "0.5 credit hours" in text and spec.publisher in text
    assert re.search(r"\b20\d\d\b", text), "the date"
    # The LMS gave the name: nothing to type.
    expect(done.get_by_label(re.compile("Your name"))).to_be_hidden()
    expect(done.get_by_role("button", name="Print the certificate")).to_be_visible()
    if target == "scorm2004-4th":
        snap(page, shots, "completion", size)
        frame = page.frame(name="sco")
        assert frame is not None
        page.emulate_media(media="print")
        frame.evaluate("document.body.classList.add('cp-printing')")
        snap(page, shots, "certificate", size)
        # Printed: the certificate alone, no header, contents or buttons.
        assert (
            frame.evaluate("getComputedStyle(document.querySelector('.cp-header')).display")
            == "none"
        )
        page.emulate_media(media="screen")
    problems.assert_clean()


def test_without_a_name_from_the_lms_the_learner_types_it(
    page: Page, site: Site, problems: Problems
) -> None:
    page.goto(site.url(site.package("minimal", "web")))
    course = Walker(page, FIXTURE_COURSES / "minimal")
    course.walk(len(course.stops) - 1, all_right)
    done = course.section("completion")
    field = done.get_by_label(re.compile("Your name"))
    field.fill("Ana Müller")
    expect(done.locator(".cp-cert-name")).to_have_text("Ana Müller")
    problems.assert_clean()


def test_a_failed_course_shows_what_to_retake_and_no_certificate(
    page: Page, site: Site, problems: Problems
) -> None:
    course = open_in_lms(page, site, "scorm12", course="minimal")
    course.walk(len(course.stops) - 1, all_wrong)
    done = course.section("completion")
    expect(done.locator(".cp-status")).to_contain_text("the pass mark is 80%")
    expect(done.locator(".cp-todo")).to_contain_text("post-test score 0%")
    expect(done.get_by_role("article")).to_have_count(0)
    problems.assert_clean()


def test_progress_bar_module_lists_and_marks(
    page: Page, site: Site, problems: Problems, shots: Path
) -> None:
    """The bar grows, only the current module's list is open, a failed post-test is no tick."""
    course = open_in_lms(page, site, "scorm12", course="full")
    bar = course.root.locator("#cp-progress progress")
    course.next()
    start = float(bar.get_attribute("value") or 0)
    toc = course.root.get_by_role("navigation", name="Contents")
    groups = toc.locator(".cp-toc-group details")
    expect(groups.nth(0)).to_have_attribute("open", "")
    expect(groups.nth(1)).not_to_have_attribute("open", "")
    post = course.index("grundlagen/post-test")
    course.walk(post, all_wrong)
    assert float(bar.get_attribute("value") or 0) > start
    expect(course.root.locator("#cp-progress")).to_contain_text("% of the course done")
    link = toc.locator('a[data-key="grundlagen/post-test"]')
    expect(link).to_have_text(re.compile(r"not passed$"))
    expect(link.locator(".cp-mark")).to_have_attribute("data-mark", "failed")
    seen = toc.locator('a[data-key="grundlagen/intro"] .cp-mark')
    expect(seen).to_have_attribute("data-mark", "seen")
    # The result of the test sits above its Retake button.
    section = course.section("grundlagen/post-test")
    result = section.locator(".cp-result").bounding_box()
    retake = section.get_by_role("button", name="Retake").bounding_box()
    assert result and retake and result["y"] + result["height"] <= retake["y"]
    course.button("Retake").click()
    course.answer("grundlagen/post-test", all_right)
    expect(link.locator(".cp-mark")).to_have_attribute("data-mark", "passed")
    expect(toc.locator('.cp-toc-group[data-module="grundlagen"] .cp-toc-count')).to_have_text(
        "done"
    )
    snap(page, shots, "contents-after-retake", "desktop")
    problems.assert_clean()


def test_exit_shows_that_progress_is_saved(page: Page, site: Site, problems: Problems) -> None:
    course = open_in_lms(page, site, "scorm2004-4th", course="minimal")
    course.next()
    course.exit()
    note = course.root.locator(".cp-pager .cp-saved")
    expect(note).to_be_visible()
    expect(note).to_have_text("Your progress is saved. You can now close this window.")
    problems.assert_clean()


def test_a_citation_leads_to_its_reference_and_back(
    page: Page, site: Site, problems: Problems
) -> None:
    """The shipped course: [R1] on a page opens the module's references at R1, and back."""
    page.goto(site.url(site.package("course", "web")))
    course = Walker(page, REAL)
    intro = next(s for s in course.stops if s.kind == "page")
    course.walk(course.index(intro.key))
    cite = course.section(intro.key).locator("a.cp-cite").first
    code = (cite.text_content() or "").strip("[]")
    cite.click()
    entry = page.locator(f"li#ref-{intro.key.split('/')[0]}-{code}")
    expect(entry).to_be_visible()
    expect(entry).to_be_focused()
    assert course.current().endswith("/references")
    entry.locator("a.cp-back").first.click()
    assert course.current() == intro.key
    expect(course.section(intro.key).locator(f"a.cp-cite[id$='-{code}']")).to_be_focused()
    problems.assert_clean()


def test_a_failed_post_test_keeps_the_bar_under_100_and_names_the_module(
    page: Page, site: Site, problems: Problems, shots: Path
) -> None:
    """The shipped course, every page seen, the post-tests of modules 3 and 5 failed: the course
    is not complete, so the header must not say "100% of the course done"."""
    course = open_in_lms(page, site, "scorm2004-4th", course="course")
    ids = [m.id for m in course.course.modules]
    failing = {f"{ids[2]}/post-test", f"{ids[4]}/post-test"}
    course.walk(len(course.stops) - 1, lambda key, _q: key not in failing)
    done = course.section("completion")
    expect(done.locator(".cp-status")).to_contain_text("the pass mark is 80%")
    box = course.root.locator("#cp-progress")
    expect(box).to_contain_text(
        "% of the course done. All pages seen; "
        "to finish, pass the post-test of Module 3 and Module 5."
    )
    assert float(box.locator("progress").get_attribute("value") or 100) < 100
    for failed in failing:
        mark = course.root.locator(f'.cp-toc a[data-key="{failed}"] .cp-mark')
        expect(mark).to_have_attribute("data-mark", "failed")
    snap(page, shots, "progress-post-test-failed", "desktop")
    blocking = run_axe(page, site)
    assert not blocking, f"axe:\n{format_violations(blocking)}"
    problems.assert_clean()


#: The browser's back/forward cache gives a page back after pagehide (Playwright's Chromium keeps
#: no such cache, so the two events it sends are sent here, in the same order).
BACK_FORWARD = (
    "() => { window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}));"
    " window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true})); }"
)
SESSION_ENDED = (
    "This session has ended, so nothing you do on this page now is saved. To go on, close this "
    "window and open the course again from your learning platform."
)


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
def test_back_in_an_lms_after_the_session_ended_says_so(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    course = open_in_lms(page, site, target, course="minimal")
    course.next()
    frame = page.frame(name="sco")
    assert frame is not None
    frame.evaluate(BACK_FORWARD)
    wait_finished(page, target)
    # The LMS session cannot be reopened from the page: the learner is told, not left to lose work.
    expect(course.root.locator("#cp-notice")).to_have_text(SESSION_ENDED)
    expect(course.root.locator("#cp-notice")).to_be_visible()
    problems.assert_clean()


def test_back_to_a_web_package_after_leaving_reloads_and_resumes(
    page: Page, site: Site, problems: Problems
) -> None:
    page.goto(site.url(site.package("minimal", "web")))
    course = Walker(page, FIXTURE_COURSES / "minimal")
    course.next()
    course.next()
    where = course.current()
    page.evaluate("window.__before = true")
    with page.expect_navigation():
        page.evaluate(BACK_FORWARD)
    # A new page (the reload) that resumed at the same place from the browser storage.
    assert page.evaluate("window.__before === undefined")
    expect(course.section(where)).to_be_visible()
    expect(page.locator("#cp-notice")).to_be_hidden()
    problems.assert_clean()
