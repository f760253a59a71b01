"""A whole course in headless Chromium reporting to a real LRS (Ralph): the statements stored.

Two launches: the `xapi` target opened with Tin Can launch parameters, and a dual-track SCORM 1.2
package under the test LMS. Each asserts the verbs in order, results and context of what Ralph
stored, that every statement passes npm `xapi-validation` with no warnings and matches exactly
one template of templates/xapi/profile.jsonld, and that each id is stored exactly once.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode

import pytest
from browser_site import FIXTURE_COURSES, Problems, Site
from browser_walk import Walker, all_right, walk_full
from lrs_fixtures import (
    Lrs,
    Sent,
    assert_exactly_once,
    build_package,
    delivered,
    in_sent_order,
    launch_url,
    summary,
    validation_problems,
    watch,
)
from playwright.sync_api import BrowserContext

from builder.config import LrsConfig

pytestmark = pytest.mark.browser

FULL = "https://example.org/coursepack/test/full"
MINIMAL = "https://example.org/coursepack/test/minimal"
REGISTRATION = "5f0e7c1a-3b2d-4e8f-9a6b-1c2d3e4f5a6b"
ACTIVITY_ID = "https://lms.example.org/activities/full-course"
ACTOR = {"objectType": "Agent", "name": "Test Learner",
         "account": {"homePage": "https://lms.example.org", "name": "learner-42"}}  # fmt: skip
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
COURSE_VERSION = "https://example.org/coursepack/profile/extensions/course-version"
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")


#: What a whole run of the `full` course (`walk_full`) sends, in order. Progress counts the
#: course's steps: a post-test is one once passed (util/steps.js).
FULL_RUN = [
    ("initialized", "course"),
    ("experienced", "grundlagen/intro"),
    ("progressed", "17"),
    ("experienced", "grundlagen/case"),
    ("progressed", "33"),
    ("answered", "grundlagen/check"),
    ("answered", "grundlagen/check"),
    ("answered", "grundlagen/post-test"),
    ("answered", "grundlagen/post-test"),
    ("passed", "grundlagen/post-test"),
    ("progressed", "50"),
    ("completed", "grundlagen"),
    ("experienced", "second/only"),
    ("progressed", "67"),
    ("answered", "second/post-test"),
    ("passed", "second/post-test"),
    ("progressed", "100"),
    ("completed", "second"),
    ("completed", "course"),
    ("answered", "survey"),
    ("terminated", "course"),
]


def assert_valid(stored: list[dict[str, object]]) -> None:
    """No `xapi-validation` warning or error, and one profile template each."""
    assert validation_problems(stored) == {}


def test_xapi_launch_full_course(
    context: BrowserContext, site: Site, lrs: Lrs, problems: Problems
) -> None:
    """The `xapi` target from a launch: two modules, checks, drawn post-tests, survey, Exit."""
    sent = Sent()
    sent.watch(context)
    page = watch(context.new_page(), problems)
    path = build_package(site, "full", "xapi", "run-full")
    started = time.monotonic()
    page.goto(launch_url(site, path, endpoint=lrs.endpoint, auth=lrs.auth,
                         actor=json.dumps(ACTOR), registration=REGISTRATION,
                         activity_id=ACTIVITY_ID))  # fmt: skip
    course = Walker(page, FIXTURE_COURSES / "full")
    walk_full(course)
    stored = delivered(lrs, page, expected=len(FULL_RUN))
    ordered = in_sent_order(stored, sent)
    assert_exactly_once(stored, sent)
    assert [summary(s, FULL) for s in ordered] == FULL_RUN
    for s in stored:
        assert s["actor"] == ACTOR
        context_ = s["context"]
        assert context_["registration"] == REGISTRATION
        assert (context_["language"], context_["platform"]) == ("de-DE", "coursepack")
        assert context_["extensions"][COURSE_VERSION] == "2.1.0"
        if s["object"]["definition"]["type"].endswith("/course"):
            assert s["object"]["id"] == ACTIVITY_ID, "the launch's activity_id names the course"
        else:
            assert s["object"]["id"].startswith(FULL + "/"), "parts keep the course IRI"
    passed = [s for s in ordered if summary(s, FULL)[0] == "passed"]
    assert [p["result"]["score"] for p in passed] == [
        {"scaled": 1, "raw": 2, "min": 0, "max": 2},
        {"scaled": 1, "raw": 1, "min": 0, "max": 1},
    ]
    assert all(p["result"]["success"] is True and DURATION.match(p["result"]["duration"])
               for p in passed)  # fmt: skip
    answers = [s for s in ordered if summary(s, FULL)[0] == "answered"]
    assert [a["result"].get("success") for a in answers] == [True] * 5 + [None]
    assert answers[-1]["object"]["definition"]["interactionType"] == "likert"
    assert answers[-1]["result"]["response"] == "e", "the survey's last point of the scale"
    check = answers[0]["context"]["contextActivities"]
    assert check["parent"][0]["id"] == f"{FULL}/grundlagen/check"
    assert [a["id"] for a in check["grouping"]] == [f"{FULL}/grundlagen", ACTIVITY_ID]
    course_done = ordered[18]["result"]
    assert course_done["completion"] is True and DURATION.match(course_done["duration"])
    assert DURATION.match(ordered[-1]["result"]["duration"])
    assert_valid(stored)
    print(f"xapi full run: {len(stored)} statements, {sent.posts} POSTs, "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip
    problems.assert_clean()


def test_dual_track_scorm12_minimal_course(
    context: BrowserContext, site: Site, lrs: Lrs, problems: Problems
) -> None:
    """SCORM 1.2 under scorm-again, also reporting to the LRS built in (dual-track).

    Dual-track has no launch to hand over a credential, and Ralph accepts no anonymous writes
    (Basic or OIDC only), so this package is built with the explicit, test-only embedding
    (`LrsConfig(embed_credential=True)`, the CLI's `--embed-lrs-credential-from-env`).
    """
    sent = Sent()
    sent.watch(context)
    page = watch(context.new_page(), problems)
    config = LrsConfig(endpoint=lrs.endpoint, actor_homepage="https://lms.example.org",
                       embed_credential=True, credential=lrs.auth)  # fmt: skip
    path = build_package(site, "minimal", "scorm12", "run-dual", config)
    state = {"core": {"student_id": "student-7", "student_name": "Learner, Test"}}
    page.goto(site.url("lms/scorm12.html?" + urlencode({"pkg": "/" + path,
                                                        "state": json.dumps(state)})))  # fmt: skip
    course = Walker(page.frame_locator("#sco"), FIXTURE_COURSES / "minimal")
    course.walk(len(course.stops) - 1, all_right, exit=True)
    page.wait_for_function("window.__lmsLog.calls.some(c => c.fn === 'LMSFinish')")
    cmi = page.evaluate("window.lmsApi.renderCMIToJSONObject()")["cmi"]
    assert cmi["core"]["lesson_status"] == "passed", "the LMS still gets its SCORM data"
    stored = delivered(lrs, page, expected=16)
    ordered = in_sent_order(stored, sent)
    assert_exactly_once(stored, sent)
    assert [summary(s, MINIMAL) for s in ordered] == [
        ("initialized", "course"),
        ("progressed", "25"),
        ("answered", "basics/pre-test"),
        ("completed", "basics/pre-test"),
        ("experienced", "basics/welcome"),
        ("progressed", "50"),
        ("experienced", "basics/the-rule"),
        ("progressed", "75"),
        ("answered", "basics/post-test"),
        ("answered", "basics/post-test"),
        ("answered", "basics/post-test"),
        ("passed", "basics/post-test"),
        ("progressed", "100"),
        ("completed", "basics"),
        ("completed", "course"),
        ("terminated", "course"),
    ]
    actor = {"objectType": "Agent",
             "account": {"homePage": "https://lms.example.org", "name": "student-7"}}  # fmt: skip
    registrations = {s["context"]["registration"] for s in stored}
    assert len(registrations) == 1 and UUID.match(registrations.pop()), "made on the device"
    assert all(s["actor"] == actor for s in stored), "the LMS learner id on the actor homepage"
    assert all(s["object"]["id"].startswith(MINIMAL) for s in stored)
    pre = ordered[3]["result"]
    assert "success" not in pre and pre["completion"] is True, "a pre-test never passes"
    assert_valid(stored)
    problems.assert_clean()
