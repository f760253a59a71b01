"""`coursepack preview` of the SCORM targets in Chromium: the package runs in the preview's LMS,
the panel shows its calls and the suspend-data limit, Relaunch resumes, Reset forgets, and a
failing commit shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_site import course_source
from browser_walk import all_right
from playwright.sync_api import Browser, Page, expect
from preview_fixtures import copy_course, preview
from preview_panel import FaultProblems, fault_page, launch, panel, state

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("target", "initialize", "limit"),
    [
        ("scorm12", "LMSInitialize", "of 4096 characters"),
        ("scorm2004-3rd", "Initialize", "of 64000 characters"),
        ("scorm2004-4th", "Initialize", "of 64000 characters"),
    ],
)
def test_a_scorm_package_runs_in_the_preview_lms_and_the_panel_shows_its_calls(
    page: Page, tmp_path: Path, target: str, initialize: str, limit: str
) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path) as running:
        course = launch(page, running, target, source)
        course.walk(course.index("basics/the-rule"), all_right)
        calls = page.locator("#calls")
        expect(calls).to_contain_text(f'{initialize}("") → "true"')
        location = "cmi.location" if "2004" in target else "cmi.core.lesson_location"
        expect(calls).to_contain_text(f'("{location}", "basics/the-rule") → "true"')
        expect(page.locator("#status-suspend")).to_contain_text(limit)
        expect(page.locator("#status-completion")).to_have_text("incomplete")
        expect(page.locator("#cmi")).to_contain_text('"basics/the-rule"')
        # The target's suspend-data limit is enforced as the LMS would: refused, with its code.
        limit_number = int(limit.split()[1])
        api, set_value, code = (
            ("API_1484_11", "SetValue", "406")
            if "2004" in target
            else ("API", "LMSSetValue", "405")
        )
        refused = page.evaluate(
            f"() => [window.{api}.{set_value}('cmi.suspend_data', 'x'.repeat({limit_number + 1})),"
            f" window.{api}.{set_value.replace('SetValue', 'GetLastError')}()]"
        )
        assert refused == ["false", code]
        expect(calls).to_contain_text(f'→ "false" error {code}')
        # Relaunch: the LMS hands back what was committed, and the course resumes there.
        course.exit()
        page.get_by_role("button", name="Relaunch (resume)").click()
        course.expect_at(course.index("basics/the-rule"))
        entry = "cmi.entry" if "2004" in target else "cmi.core.entry"
        expect(calls).to_contain_text(f'("{entry}") → "resume"')
        panel(page, tmp_path, target)
        # Reset learner: the LMS forgets the attempt; the course starts from its first page.
        page.get_by_role("button", name="Reset learner").click()
        course.expect_at(0)
        expect(calls).not_to_contain_text('→ "resume"')
        assert state(running)["registration"]
        page.goto("about:blank")  # before the server stops, or the page's polling fails
    assert running.process.returncode == 0


def test_a_failing_lms_commit_shows_in_the_panel(browser: Browser, tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    # The browser logs the refused commits: expected here.
    problems = FaultProblems("status of 500")
    context, page = fault_page(browser, problems)
    with preview(source, tmp_path) as running:
        course = launch(page, running, "scorm12", source)
        page.get_by_role("button", name="LMS commit fails").click()
        expect(page.get_by_role("button", name="LMS commit fails")).to_have_attribute(
            "aria-pressed", "true"
        )
        course.walk(course.index("basics/welcome"), all_right)
        failed = page.locator("#calls li.failed")
        expect(failed.filter(has_text="LMSCommit")).not_to_have_count(0)
        panel(page, tmp_path, "commit-fails")
        context.close()
    problems.assert_clean()


def test_a_course_and_its_follow_up_of_one_target_relaunch_and_reset_apart(
    page: Page, tmp_path: Path
) -> None:
    """The real course for SCORM 1.2: the course and its follow-up unit are two packages of one
    target, each launched, resumed and reset with its own learner state."""
    source = tmp_path / "modules"
    shutil.copytree(course_source("course"), source)
    with preview(source, tmp_path, "-t", "scorm12") as running:
        course = launch(page, running, "scorm12", source)
        course.walk(2, all_right)
        course.exit()
        follow_up = launch(page, running, "scorm12 (follow-up)", source)
        assert follow_up.stops[0].key == "follow-up/retention-test"
        follow_up.expect_at(0)  # its own first page, not the course's place
        expect(page.locator("#status-package")).to_contain_text("follow-up")
        follow_up.walk(1, all_right, answer_last=False)
        follow_up.exit()
        relaunch = page.get_by_role("button", name="Relaunch (resume)")
        relaunch.click()
        follow_up.expect_at(1)  # the follow-up's own bookmark
        # The course again: it resumes where its learner left it, not at the follow-up's place.
        course = launch(page, running, "scorm12", source)
        course.expect_at(2)
        # Reset of the course forgets the course's attempt only.
        page.get_by_role("button", name="Reset learner").click()
        course.expect_at(0)
        follow_up = launch(page, running, "scorm12 (follow-up)", source)
        follow_up.expect_at(1)
        calls = page.locator("#calls")
        expect(calls).to_contain_text('("cmi.core.entry") → "resume"')
        page.goto("about:blank")
    assert running.process.returncode == 0
