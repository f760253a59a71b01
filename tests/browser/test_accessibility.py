"""axe-core on every page type, in Chromium inside the LMS iframe: nothing serious or critical."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from browser_site import Problems, Site
from browser_walk import Walker, all_right, all_wrong, answer_survey
from playwright.sync_api import Page, expect
from test_scorm_walk import open_in_lms

pytestmark = pytest.mark.browser

TARGET = "scorm2004-4th"
BLOCKING = {"serious", "critical"}

#: Runs in the package's frame; keeps what a reader of the failure needs.
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


def _submit_post_test(course: Walker) -> None:
    key = course.current()
    course.answer(key, all_wrong)
    expect(course.section(key).get_by_role("status").first).not_to_be_empty()


def _fail_with_retake_offered(course: Walker) -> None:
    _submit_post_test(course)
    expect(course.button("Retake")).to_be_visible()


def _answer_checks(course: Walker) -> None:
    key = course.current()
    checks = [k for k, a in course.data["assessments"].items() if a.get("page") == key]
    assert checks, f"{key} has no knowledge check"
    for check in checks:
        course.answer(check, all_right, submit="Check answer")


def _open_contents(course: Walker) -> None:
    nav = course.root.get_by_role("navigation", name="Contents")
    # A native <summary> has no ARIA role to find it by; it is the disclosure's own toggle.
    nav.locator("summary").first.click()
    expect(nav.get_by_role("link").first).to_be_visible()


def _certificate(course: Walker) -> None:
    """Every test passed on the way (the walk answers them right): the certificate shows."""
    expect(course.section("completion").get_by_role("article")).to_be_visible()


@dataclass(frozen=True)
class Case:
    """A page type: which course, which page, what to do there before checking."""

    course: str
    key: str
    action: Callable[[Walker], None] | None = None
    narrow: bool = False


CASES = {
    "pre-test": Case("minimal", "basics/pre-test"),
    "content-page": Case("minimal", "basics/the-rule"),
    "post-test": Case("minimal", "basics/post-test"),
    "post-test-submitted": Case("minimal", "basics/post-test", _submit_post_test),
    "contents-open-narrow": Case("minimal", "basics/welcome", _open_contents, narrow=True),
    "page-with-figure-and-table": Case("full", "grundlagen/intro"),
    "knowledge-checks": Case("full", "grundlagen/case"),
    "knowledge-checks-answered": Case("full", "grundlagen/case", _answer_checks),
    "survey": Case("types", "survey"),
    "survey-submitted": Case("types", "survey", answer_survey),
    "post-test-failed-with-retake": Case("types", "all/post-test", _fail_with_retake_offered),
    "welcome": Case("full", "welcome"),
    "completion-incomplete": Case("minimal", "completion"),
    "certificate": Case("full", "completion", _certificate),
    # The real course's sources, each a link out that opens a new window (ui/links.js).
    "references-with-links-out": Case("course", "what-is-trafficking/references"),
}
#: Each page type at desktop and phone size; `narrow` cases only where their action needs it.
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
RUNS = [
    (name, size)
    for name, case in CASES.items()
    for size in (("phone",) if case.narrow else ("desktop", "phone"))
]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation: rule, impact, help and the first offending nodes."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


def run_axe(page: Page, site: Site) -> list[dict[str, Any]]:
    """The serious and critical axe violations in the package's frame, as it is now."""
    frame = page.frame(name="sco")
    assert frame is not None, "the LMS page has no course frame"
    if not frame.evaluate("typeof window.axe !== 'undefined'"):
        frame.add_script_tag(url=site.url("vendor/axe.min.js"))
    violations: list[dict[str, Any]] = frame.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.mark.parametrize(("name", "size"), RUNS, ids=[f"{n}-{s}" for n, s in RUNS])
def test_no_serious_violations(
    page: Page, site: Site, problems: Problems, name: str, size: str
) -> None:
    """axe finds nothing serious or critical on this page type at this size."""
    case = CASES[name]
    # The sizes of the screenshots in test_learner_pages.py.
    page.set_viewport_size(SIZES[size])
    course = open_in_lms(page, site, TARGET, course=case.course)
    course.walk(course.index(case.key), all_right, answer_last=False)
    if case.action is not None:
        case.action(course)
    blocking = run_axe(page, site)
    assert not blocking, f"axe on {name}:\n{format_violations(blocking)}"
    problems.assert_clean()


def test_every_page_of_the_full_course(page: Page, site: Site, problems: Problems) -> None:
    """Every page in reading order, whatever its kind (glossary, survey…), before answering."""
    course = open_in_lms(page, site, TARGET, course="full")
    found = {}
    for i, stop in enumerate(course.stops):
        course.walk(i, all_right, answer_last=False)
        found[stop.key] = run_axe(page, site)
        if stop.kind in ("pre-test", "post-test"):
            course.answer(stop.key, all_right)
        if i < len(course.stops) - 1:
            course.next()
    report = "\n".join(f"{k}:\n{format_violations(v)}" for k, v in found.items() if v)
    assert not report, f"axe:\n{report}"
    problems.assert_clean()
