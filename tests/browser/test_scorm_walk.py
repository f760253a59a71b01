"""Walk each package to the end in Chromium and check what a real LMS (scorm-again) recorded."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from browser_site import FIXTURE_COURSES, Problems, Site, course_source
from browser_walk import Walker, all_right, all_wrong
from playwright.sync_api import Page

from builder.questions import Question

pytestmark = pytest.mark.browser

SCORM_TARGETS = ("scorm12", "scorm2004-3rd", "scorm2004-4th")
MINIMAL = FIXTURE_COURSES / "minimal"
#: SCORM 1.2 RTE 3.4.2: CMITimespan HHHH:MM:SS.SS (hours 2-4 digits, optional 1-2 decimals).
TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
#: SCORM 2004 RTE 4.1.1.7 timeinterval (second, 10,2): ISO 8601 duration with at least one part.
DURATION_2004 = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"
)
ERROR_QUERIES = {"GetLastError", "GetErrorString", "GetDiagnostic"}


def is2004(target: str) -> bool:
    """Whether the target speaks SCORM 2004."""
    return target.startswith("scorm2004")


def open_in_lms(
    page: Page, site: Site, target: str, course: str = "minimal", **query: str
) -> Walker:
    """Launch a package from the test LMS and return a walker inside its iframe."""
    host = "lms/scorm2004.html" if is2004(target) else "lms/scorm12.html"
    params = {"pkg": "/" + site.package(course, target), **query}
    page.goto(site.url(host + "?" + urlencode(params)))
    return Walker(page.frame_locator("#sco"), course_source(course))


def wait_finished(page: Page, target: str) -> dict[str, Any]:
    """Wait for LMSFinish/Terminate; return the call log and the CMI the LMS now holds."""
    finish = "Terminate" if is2004(target) else "LMSFinish"
    page.wait_for_function(f"window.__lmsLog.calls.some(c => c.fn === '{finish}')")
    log: dict[str, Any] = page.evaluate("window.__lmsLog")
    log["cmi"] = page.evaluate("window.lmsApi.renderCMIToJSONObject()")["cmi"]
    return log


def set_values(log: dict[str, Any], element: str) -> list[str]:
    """Every value the SCO set on `element`, in order."""
    fns = ("SetValue", "LMSSetValue")
    return [c["args"][1] for c in log["calls"] if c["fn"] in fns and c["args"][0] == element]


def assert_clean_calls(log: dict[str, Any], target: str) -> None:
    """One Initialize, one Terminate last, and no call the LMS answered with an error."""
    calls = [c for c in log["calls"] if c["fn"].removeprefix("LMS") not in ERROR_QUERIES]
    names = [c["fn"].removeprefix("LMS") for c in calls]
    assert names.count("Initialize") == 1 and names[0] == "Initialize", names
    end = "Terminate" if is2004(target) else "Finish"
    assert names.count(end) == 1 and names[-1] == end, names
    # 2004 RTE 3.1.4.2: GetValue on an element the LMS has no value for yet answers 403.
    bad = [
        c
        for c in calls
        if c["error"] != "0" and not (c["fn"] == "GetValue" and c["error"] == "403")
    ]
    assert not bad, f"calls the LMS rejected: {bad}"


def assert_recorded(
    log: dict[str, Any], target: str, *, passed: bool, complete: bool, scaled: float
) -> None:
    """Check status, score, location, session time and exit as the LMS stored them."""
    cmi = log["cmi"]
    assert_clean_calls(log, target)
    if is2004(target):
        assert cmi["success_status"] == ("passed" if passed else "failed")
        assert cmi["completion_status"] == ("completed" if complete else "incomplete")
        assert float(cmi["score"]["scaled"]) == pytest.approx(scaled, abs=0.005)
        assert cmi["location"], "no bookmark in cmi.location"
        assert DURATION_2004.match(set_values(log, "cmi.session_time")[-1])
        assert cmi["exit"] == ("normal" if complete else "suspend")
        # Cornerstone rejects a Commit right before Terminate (docs/runtime.md).
        names = [c["fn"] for c in log["calls"] if c["fn"] not in ERROR_QUERIES]
        assert names[-2] != "Commit", names[-5:]
    else:
        core = cmi["core"]
        assert core["lesson_status"] == ("passed" if passed else "failed")
        raw, low, high = (
            float(core["score"][k] or d) for k, d in (("raw", "nan"), ("min", "0"), ("max", "100"))
        )
        assert (raw - low) / (high - low) == pytest.approx(scaled, abs=0.005)
        assert core["lesson_location"], "no bookmark in cmi.core.lesson_location"
        assert TIMESPAN_12.match(set_values(log, "cmi.core.session_time")[-1])
        assert core["exit"] == ("" if complete else "suspend")


@pytest.mark.parametrize("target", SCORM_TARGETS)
def test_passing_run(page: Page, site: Site, problems: Problems, target: str) -> None:
    """All answers right: passed, completed, full score, normal exit."""
    course = open_in_lms(page, site, target)
    course.walk(len(course.stops) - 1, all_right, exit=True)
    log = wait_finished(page, target)
    assert_recorded(log, target, passed=True, complete=True, scaled=1.0)
    problems.assert_clean()


@pytest.mark.parametrize("target", SCORM_TARGETS)
def test_failing_run(page: Page, site: Site, problems: Problems, target: str) -> None:
    """All post-test answers wrong: failed, and not complete under all-pages-and-post-test."""
    course = open_in_lms(page, site, target)
    course.walk(len(course.stops) - 1, all_wrong, exit=True)
    log = wait_finished(page, target)
    assert_recorded(log, target, passed=False, complete=False, scaled=0.0)
    problems.assert_clean()


@pytest.mark.parametrize("target", SCORM_TARGETS)
def test_lms_mastery_wins(page: Page, site: Site, problems: Problems, target: str) -> None:
    """2 of 3 right (67%) fails the course's 80% but passes the LMS's own 50%."""

    def two_of_three(key: str, question: Question) -> bool:
        return question.id != "rule"

    course = open_in_lms(page, site, target, mastery="50")
    assert course.course.spec.mastery_score == 80
    course.walk(len(course.stops) - 1, two_of_three, exit=True)
    log = wait_finished(page, target)
    status = "cmi.success_status" if is2004(target) else "cmi.core.lesson_status"
    # What the SCO itself decided (scorm-again 2004 would also re-evaluate it, RTE 4.2.22).
    assert set_values(log, status)[-1] == "passed", set_values(log, status)
    assert_recorded(log, target, passed=True, complete=True, scaled=2 / 3)
    problems.assert_clean()


def test_full_course_passes(page: Page, site: Site, problems: Problems) -> None:
    """Two modules, drawn and shuffled questions of every scored type, then Exit: passed."""
    course = open_in_lms(page, site, "scorm2004-4th", course="full")
    assert course.course.spec.completion == "post-test"
    course.walk(len(course.stops) - 1, all_right, exit=True)
    log = wait_finished(page, "scorm2004-4th")
    assert_recorded(log, "scorm2004-4th", passed=True, complete=True, scaled=1.0)
    problems.assert_clean()


def resume_state(cmi: dict[str, Any], target: str) -> dict[str, Any]:
    """The CMI an LMS hands back on the next launch of a suspended attempt."""
    if is2004(target):
        keep = ("location", "suspend_data", "completion_status", "success_status")
        state = {k: cmi[k] for k in keep if cmi[k]}
        score = {k: v for k, v in cmi["score"].items() if v != ""}
        return {**state, **({"score": score} if score else {}), "entry": "resume"}
    core = cmi["core"]
    score = {k: v for k, v in core["score"].items() if v != ""}
    return {
        "suspend_data": cmi["suspend_data"],
        "core": {
            "lesson_location": core["lesson_location"],
            "lesson_status": core["lesson_status"],
            "entry": "resume",
            **({"score": score} if score else {}),
        },
    }


@pytest.mark.parametrize("target", SCORM_TARGETS)
def test_resume_at_bookmark(page: Page, site: Site, problems: Problems, target: str) -> None:
    """Half way, hidden tab commits, Exit suspends; the next launch opens at the bookmark."""
    course = open_in_lms(page, site, target)
    middle = course.index("basics/the-rule")
    course.walk(middle, all_right)
    # The tab going to the background must commit the bookmark (docs/runtime.md).
    course.root.locator("body").evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden'});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    commit = "Commit" if is2004(target) else "LMSCommit"
    page.wait_for_function(f"window.__lmsLog.calls.some(c => c.fn === '{commit}')")
    location = "cmi.location" if is2004(target) else "cmi.core.lesson_location"
    assert set_values(page.evaluate("window.__lmsLog"), location), "commit without a bookmark"
    course.exit()
    first = wait_finished(page, target)
    exit_value = first["cmi"]["exit"] if is2004(target) else first["cmi"]["core"]["exit"]
    assert exit_value == "suspend"
    state = json.dumps(resume_state(first["cmi"], target))

    course = open_in_lms(page, site, target, state=state)
    course.expect_at(middle)
    entry = "cmi.entry" if is2004(target) else "cmi.core.entry"
    gets = [c for c in page.evaluate("window.__lmsLog.calls") if c["args"][:1] == [entry]]
    assert gets and gets[0]["result"] == "resume", gets
    # The rest of the course, with the pages seen before the break counting towards completion.
    course.walk(len(course.stops) - 1, all_right, exit=True)
    second = wait_finished(page, target)
    assert_recorded(second, target, passed=True, complete=True, scaled=1.0)
    problems.assert_clean()


def test_web_standalone_resumes(page: Page, site: Site, problems: Problems) -> None:
    """The plain web package runs with no LMS and resumes from localStorage after a reload."""
    page.goto(site.url(site.package("minimal", "web")))
    course = Walker(page, MINIMAL)
    middle = course.index("basics/the-rule")
    course.walk(middle, all_right)
    page.reload()
    course = Walker(page, MINIMAL)
    course.expect_at(middle)
    assert page.evaluate("window.localStorage.length") > 0
    course.walk(len(course.stops) - 1, all_right, exit=True)
    problems.assert_clean()


def test_focus_moves_to_the_result_after_submit(page: Page, site: Site, problems: Problems) -> None:
    """Submit hides itself; keyboard focus lands on the result line, not on the page body."""
    page.goto(site.url(site.package("minimal", "web")))
    course = Walker(page, MINIMAL)
    post = course.index("basics/post-test")
    course.walk(post, all_right, answer_last=False)
    course.answer("basics/post-test", all_right)
    assert page.evaluate("document.activeElement.classList.contains('cp-result')")
    assert page.evaluate("document.activeElement.textContent.length") > 0
    problems.assert_clean()
