"""An LMS that stops saving: the learner is told, and nothing says "saved" that was not.

scorm-again hosted as LMSs host it, in its default synchronous mode, commits to the test site's
endpoint; the endpoint answers 503 while the test says so, as an LMS whose session expired or
whose server is down does. scorm-again then answers the package's commit `false` with an error
(1.2: 101, 2004: 391). The learner must see the notice while the LMS refuses, see it go once a
commit goes through again, and at Exit read that the LMS did not confirm the save when it did
not. The course's result must still reach the LMS once it saves again.
"""

from __future__ import annotations

import json

import pytest
from browser_site import Problems, Site
from browser_walk import Walker, all_right
from playwright.sync_api import Locator, Page, expect
from test_scorm_walk import is2004, open_in_lms, resume_state

pytestmark = pytest.mark.browser

NOT_SAVING = "Your learning platform did not save your progress just now"
SAVED = "Your progress is saved. You can now close this window."
NOT_SAVED = "Your learning platform did not confirm that it saved your progress."


def notice(course: Walker) -> Locator:
    return course.root.locator("#cp-notice")


def refused_errors(problems: Problems) -> list[str]:
    """Take out of `problems` the console errors of the refused commits (the browser's 503, which
    it attributes to scorm-again's script, and scorm-again's own error log), returning them: the
    test expects them."""
    expected = [
        e
        for e in problems.errors
        if "the server responded with a status of 503" in e or "/lms/host.js" in e
    ]
    problems.errors = [e for e in problems.errors if e not in expected]
    return expected


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
def test_the_learner_is_told_while_the_lms_refuses_and_the_result_arrives_after(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    run = f"refusing-{target}"
    course = open_in_lms(page, site, target, commit="sync", run=run)
    expect(notice(course)).to_be_hidden()

    site.commits.refusing.add(run)
    course.next()
    expect(notice(course)).to_be_visible()
    expect(notice(course)).to_contain_text(NOT_SAVING)

    site.commits.refusing.discard(run)
    course.next()
    expect(notice(course)).to_be_hidden()

    course.walk(len(course.stops) - 1, all_right)
    course.exit()
    expect(course.root.locator('[data-cp="saved"]')).to_have_text(SAVED)
    expect(course.root.locator('[data-cp="saved"]')).to_have_class("cp-saved")
    final = next(c for c in site.commits.wait_terminate(run) if c.terminate).cmi()
    status = final["success_status"] if target != "scorm12" else final["core"]["lesson_status"]
    assert status == "passed"
    assert refused_errors(problems), "the LMS never refused a commit"
    problems.assert_clean()


def test_exit_does_not_say_saved_when_the_lms_refused_the_last_commit(
    page: Page, site: Site, problems: Problems
) -> None:
    # SCORM 1.2 ends with LMSCommit, answered synchronously, then LMSFinish. (2004 ends with
    # Terminate alone, which scorm-again sends as a beacon: its fate is not the page's to know;
    # the notice of the commits before it is what the learner sees then.)
    run = "refusing-at-exit"
    course = open_in_lms(page, site, "scorm12", commit="sync", run=run)
    course.walk(len(course.stops) - 1, all_right)
    expect(notice(course)).to_be_hidden()
    site.commits.refusing.add(run)
    course.exit()
    said = course.root.locator('[data-cp="saved"]')
    expect(said).to_contain_text(NOT_SAVED)
    # Shown as a warning, in the colour of a wrong answer, not a success's.
    expect(said).to_have_class("cp-saved cp-unsaved")
    expect(course.root.locator("#cp-announce")).to_contain_text(NOT_SAVED)
    assert refused_errors(problems)
    problems.assert_clean()


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
def test_what_the_lms_refused_reaches_it_at_the_next_launch(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    """Pages read while the LMS refused, then the window closed: the next launch in the same
    browser, with the LMS holding what it last took, resumes where the learner was, and the
    LMS takes it (util/unsaved.js)."""
    who = {"learner_id": "learner-7"} if is2004(target) else {"core": {"student_id": "learner-7"}}
    run = f"kept-{target}"
    course = open_in_lms(page, site, target, commit="sync", run=run, state=json.dumps(who))
    course.walk(course.index("basics/welcome"), all_right)
    taken = site.commits.of(run)[-1].cmi()
    site.commits.refusing.add(run)
    course.walk(course.index("basics/the-rule"), all_right)
    expect(notice(course)).to_be_visible()
    page.goto("about:blank")  # the window closes: pagehide, the end of the session, refused
    assert site.commits.of(run)[-1].cmi() == taken, "the LMS took something after all"
    assert refused_errors(problems)

    # The LMS hands back what it last took; the browser has the rest.
    state = resume_state(taken, target)
    if is2004(target):
        state["learner_id"] = "learner-7"
    else:
        state["core"]["student_id"] = "learner-7"
    again = f"{run}-again"
    course = open_in_lms(page, site, target, commit="sync", run=again, state=json.dumps(state))
    course.expect_at(course.index("basics/the-rule"))
    page.wait_for_function(
        "() => !document.getElementById('sco').contentWindow.localStorage"
        ".getItem('coursepack:unsaved:https://example.org/coursepack/test/minimal')"
    )
    first = site.commits.of(again)[0].cmi()
    location = first["location"] if is2004(target) else first["core"]["lesson_location"]
    assert location == "basics/the-rule"
    course.walk(len(course.stops) - 1, all_right, exit=True)
    final = next(c for c in site.commits.wait_terminate(again) if c.terminate).cmi()
    status = final["success_status"] if is2004(target) else final["core"]["lesson_status"]
    assert status == "passed"
    problems.assert_clean()
