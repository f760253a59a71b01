"""Links out of the course, in an LMS's frame: a learner who follows one keeps the course.

A link to another site, or to a file of the package (a PDF handout), opens in a new window
(`templates/runtime/ui/links.js`). Followed in the LMS's frame it would unload the SCO, which
finishes the session (page-exit.js): whatever the learner did after coming back, or in a course
they reopened from the frame's history, would reach no LMS. The test course is the minimal one
with a page of such links, Markdown and raw HTML; the learner follows one, then takes the course
to its end, and the LMS must have one session with the result.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser_site import Problems, Site, course_source
from browser_walk import Walker, all_right
from playwright.sync_api import Page, Route, expect
from test_scorm_walk import assert_recorded, is2004, wait_finished

pytestmark = pytest.mark.browser

LINKS = """
Read [the rule's text](https://example.org/rule) or the [handout](../assets/handout.pdf), or
<a href="https://example.org/raw" title="Raw HTML">the same in HTML</a>. Questions go to
[the author](mailto:author@example.org); the first page is [the welcome](01-welcome.md).
"""
#: A PDF with no pages: what a handout is, as far as the link is concerned.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0>>endobj\n"
)
PAGE = "basics/the-rule"
NEW_WINDOW = "(opens in a new window)"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course, its second page ending with the links."""
    course = tmp_path_factory.mktemp("links") / "course"
    shutil.copytree(course_source("minimal"), course)
    page = course / "01-basics" / "pages" / "02-the-rule.md"
    page.write_text(page.read_text(encoding="utf-8") + LINKS, encoding="utf-8")
    (course / "01-basics" / "assets").mkdir()
    (course / "01-basics" / "assets" / "handout.pdf").write_bytes(PDF)
    return course


def links_of(walker: Walker) -> list[dict[str, str | None]]:
    """Each link of the page: its text as heard (accessible name), href, target and rel."""
    links = walker.section(PAGE).locator("a[href]")
    return [
        {
            "name": " ".join((link.text_content() or "").split()),
            "href": link.get_attribute("href"),
            "target": link.get_attribute("target"),
            "rel": link.get_attribute("rel"),
        }
        for link in links.all()
    ]


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
def test_a_link_out_opens_a_window_and_the_lms_session_goes_on(
    page: Page, site: Site, problems: Problems, source: Path, target: str
) -> None:
    fetched: list[str] = []

    def elsewhere(route: Route) -> None:
        """The other site, answered inside the browser: no traffic leaves 127.0.0.1."""
        fetched.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Elsewhere</title>")

    page.context.route("https://example.org/**", elsewhere)
    host = "lms/scorm2004.html" if is2004(target) else "lms/scorm12.html"
    page.goto(site.url(f"{host}?pkg=/{site.package('links', target, source)}"))
    course = Walker(page.frame_locator("#sco"), source)
    course.walk(course.index(PAGE), all_right)

    links = {link["name"]: link for link in links_of(course)}
    for name, href in [
        ("the rule's text", "https://example.org/rule"),
        ("the same in HTML", "https://example.org/raw"),
    ]:
        assert links[f"{name} {NEW_WINDOW}"] == {
            "name": f"{name} {NEW_WINDOW}", "href": href,
            "target": "_blank", "rel": "noopener noreferrer",
        }  # fmt: skip
    handout = links[f"handout {NEW_WINDOW}"]
    assert handout["href"] and handout["href"].endswith("/handout.pdf"), handout
    assert (handout["target"], handout["rel"]) == ("_blank", "noopener noreferrer")
    # A mail link opens the mail program, a link inside the course moves inside it: as written.
    assert links["the author"]["target"] is None
    assert (links["the welcome"]["href"], links["the welcome"]["target"]) == (
        "#page-basics/welcome",
        None,
    )
    section = course.section(PAGE)
    expect(section.get_by_role("link", name=f"the rule's text {NEW_WINDOW}")).to_be_visible()

    with page.context.expect_page() as opened:
        section.get_by_role("link", name=f"the rule's text {NEW_WINDOW}").click()
    other = opened.value
    other.wait_for_load_state()
    assert other.url == "https://example.org/rule" and fetched == [other.url]
    other.close()

    # The course is still there, its session open: the learner goes on to the end.
    assert course.current() == PAGE
    log = page.evaluate("window.__lmsLog")
    finish = "Terminate" if is2004(target) else "LMSFinish"
    assert finish not in [c["fn"] for c in log["calls"]], "following the link ended the session"
    course.walk(len(course.stops) - 1, all_right, exit=True)
    assert_recorded(wait_finished(page, target), target, passed=True, complete=True, scaled=1.0)
    problems.assert_clean()


def test_the_real_course_references_open_their_sources_in_a_new_window(
    page: Page, site: Site, problems: Problems
) -> None:
    """Each module's references page links its sources (`<https://…>` in the sources): in the
    SCORM 1.2 package in the LMS, every one opens a new window, and following one keeps the
    course and its session."""
    opened_urls: list[str] = []

    def elsewhere(route: Route) -> None:
        opened_urls.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>A source</title>")

    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), elsewhere)
    page.goto(site.url(f"lms/scorm12.html?pkg=/{site.package('course', 'scorm12')}"))
    course = Walker(page.frame_locator("#sco"), course_source("course"))
    references = [s.key for s in course.stops if s.key.endswith("/references")]
    assert len(references) == len(course.course.modules) == 8
    total = 0
    for key in references:
        module = next(m for m in course.course.modules if key.startswith(f"{m.id}/"))
        source = next(p for p in module.pages if p.id == "references")
        written = re.findall(r"<(https?://[^>\s]+)>", source.body)
        links = course.section(key).locator("a[href^='http']")
        found = links.evaluate_all(
            "links => links.map(a => [a.getAttribute('href'), a.target, a.rel, a.textContent])"
        )
        assert [href for href, *_ in found] == written, key
        for href, target, rel, text in found:
            assert (target, rel) == ("_blank", "noopener noreferrer"), href
            # The address is its own text, decoded for reading (`§` for `%C2%A7`, " " for `%20`).
            assert re.fullmatch(rf"https?://.+ {re.escape(NEW_WINDOW)}", text), (href, text)
        total += len(found)
    assert total > 300, total

    # Follow the first source of module 1 from its page: a new window; the course stays.
    course.walk(course.index(references[0]), all_right)
    first = course.section(references[0]).locator("a[href^='http']").first
    with page.context.expect_page() as opened:
        first.click()
    opened.value.wait_for_load_state()
    assert opened_urls == [first.get_attribute("href")]
    opened.value.close()
    assert course.current() == references[0]
    calls = [c["fn"] for c in page.evaluate("window.__lmsLog")["calls"]]
    assert "LMSFinish" not in calls
    problems.assert_clean()
