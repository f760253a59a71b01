"""The real course in scorm-again hosted as LMSs host it: a commit endpoint, sync and async.

In its default synchronous mode scorm-again sends every commit with a synchronous request and
the Terminate/LMSFinish commit with `navigator.sendBeacon`, whose body browsers cap at 64 KiB:
the whole CMI tree of the real course must arrive there with the final status, score and session
time (builder/commit.py budgets it). The asynchronous mode sends with fetch.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from browser_site import REAL_COURSE, Commit, Problems, Site
from browser_walk import Walker, all_right, answer_survey
from playwright.sync_api import Page
from test_scorm_walk import DURATION_2004, SCORM_TARGETS, TIMESPAN_12, is2004, open_in_lms

from builder.commit import BEACON_LIMIT, worst_case_commit
from builder.loader import load_course
from builder.render import course_data
from builder.targets import TARGETS

pytestmark = pytest.mark.browser

#: Measured payloads, printed at the end of the session for the closing note (pytest -s).
MEASURED: dict[str, int] = {}


def status_of(cmi: dict[str, Any], target: str) -> dict[str, str]:
    """Status, score, session time and exit as the LMS received them."""
    if is2004(target):
        return {
            "completion": cmi["completion_status"], "success": cmi["success_status"],
            "scaled": cmi["score"]["scaled"], "raw": cmi["score"]["raw"],
            "session_time": cmi["session_time"], "exit": cmi["exit"],
        }  # fmt: skip
    core = cmi["core"]
    return {
        "status": core["lesson_status"], "raw": core["score"]["raw"],
        "session_time": core["session_time"], "exit": core["exit"],
    }  # fmt: skip


def walk_whole_course(course: Walker) -> None:
    """Every page, every pre- and post-test right, the survey, then Exit."""
    course.walk(course.index("survey"), all_right)
    answer_survey(course)
    course.exit()


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("target", SCORM_TARGETS)
def test_real_course_final_commit_reaches_the_lms(
    page: Page, site: Site, problems: Problems, target: str, mode: str
) -> None:
    """The Terminate commit of a whole walk carries passed, 100 and the session time."""
    run = f"whole-{target}-{mode}"
    course = open_in_lms(page, site, target, course="course", commit=mode, run=run)
    walk_whole_course(course)
    commits = site.commits.wait_terminate(run)
    final = next(c for c in commits if c.terminate)
    # Asynchronous, the commit the package makes just before LMSFinish/Terminate and the
    # Terminate one travel side by side and may arrive in either order (seen once in CI, for
    # scorm12): what arrives after the Terminate commit must hold the same state, so that an LMS
    # that keeps the last one keeps the final status. Synchronous, nothing comes after it.
    after = commits[commits.index(final) + 1 :]
    assert not after if mode == "sync" else len(after) <= 1, [c.terminate for c in commits]
    for late in after:
        assert status_of(late.cmi(), target) == status_of(final.cmi(), target)
    got = status_of(final.cmi(), target)
    if is2004(target):
        assert (got["completion"], got["success"], got["exit"]) == ("completed", "passed", "normal")
        assert float(got["scaled"]) == 1.0 and float(got["raw"]) == 100.0
        assert DURATION_2004.match(got["session_time"]) and got["session_time"] != "PT0H0M0S"
    else:
        assert (got["status"], got["exit"]) == ("passed", "")
        assert float(got["raw"]) == 100.0
        assert TIMESPAN_12.match(got["session_time"]) and got["session_time"] != "00:00:00"
    # Saved as it goes: one commit per page change at least.
    assert len(commits) >= len(course.stops)
    # What arrived is within the build's worst case, and under the beacon's cap.
    data = course_data(load_course(REAL_COURSE), TARGETS[target])
    budget = worst_case_commit(data, TARGETS[target])
    assert budget is not None
    worst = budget.size
    size = max(len(c.body) for c in commits)
    MEASURED[f"{target} {mode}"] = size
    assert size <= worst < BEACON_LIMIT, (size, worst)
    assert_no_partial_score([c for c in commits if not c.terminate], target, final_scored=True)
    problems.assert_clean()


def assert_no_partial_score(commits: list[Commit], target: str, final_scored: bool) -> None:
    """No commit before the last post-test carries a score or a failed status."""
    for commit in commits:
        got = status_of(commit.cmi(), target)
        scored = got["raw"] != "" or got.get("scaled", "") != ""
        failed = "failed" in (got.get("status"), got.get("success"))
        decided = "passed" in (got.get("status"), got.get("success"))
        # A score may appear only together with the decision it belongs to.
        assert not failed, got
        assert not scored or (final_scored and decided), got


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
def test_leaving_after_one_module_reports_no_score(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    """After module 1's post-test, Exit: the LMS holds no score and no failed status.

    Moodle (and others) apply the manifest's mastery score to any score.raw at LMSFinish: a
    running score of one module (12.5 of 100) would turn the attempt into failed.
    """
    run = f"leave-{target}"
    course = open_in_lms(page, site, target, course="course", commit="sync", run=run)
    first_post = next(s.key for s in course.stops if s.kind == "post-test")
    course.walk(course.index(first_post), all_right)
    course.exit()
    commits = site.commits.wait_terminate(run)
    assert_no_partial_score(commits, target, final_scored=False)
    final = status_of(commits[-1].cmi(), target)
    if is2004(target):
        assert (final["completion"], final["success"], final["exit"]) == (
            "incomplete",
            "unknown",
            "suspend",
        )
    else:
        assert (final["status"], final["exit"]) == ("incomplete", "suspend")
    # The module's own objective does carry its result.
    objectives = commits[-1].cmi()["objectives"]
    assert len(objectives) == 1, json.dumps(objectives)
    problems.assert_clean()


def test_report_measured_payloads() -> None:
    """Print what the walks measured (run with -s); nothing to assert when run alone."""
    for name, size in sorted(MEASURED.items()):
        print(f"measured commit payload {name}: {size:,} bytes")
