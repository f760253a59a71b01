"""The cmi5 AU in headless Chromium, launched by the launcher (builder/launcher) into Ralph.

A package of the `full` fixture with one AU per module (`--units module`). Each test launches an
AU as an LMS would, walks it as a learner, and checks every statement Ralph stored: the cmi5 rule
checker (tests/cmi5_rules.py, from the spec) over the AU's and the launcher's statements, npm
`xapi-validation` over all, the profile's templates over the AU's.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from browser_site import FIXTURE_COURSES, REPO, Problems
from browser_walk import Policy, Walker, all_right, all_wrong
from lrs_fixtures import Lrs, validation_problems, wait_until, watch
from playwright.sync_api import BrowserContext, Page, expect

from builder.build import build
from builder.config import BuildConfig
from builder.launcher import Launcher
from builder.questions import Question

if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from cmi5_rules import LMS_VERBS, Session, lms_problems, problems, verb

pytestmark = pytest.mark.browser

FULL = "https://example.org/coursepack/test/full"
MODULE = f"{FULL}/grundlagen"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
Statement = dict[str, Any]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cmi5-pkg")
    config = BuildConfig(
        source_dir=FIXTURE_COURSES / "full", out_dir=out, targets=("cmi5",), units="module"
    )
    [built] = build(config)
    return built.path


class Fetches:
    """The POSTs the pages of a context make to the launcher's fetch URL."""

    def __init__(self, context: BrowserContext) -> None:
        self.count = 0
        context.on("request", self.on_request)

    def on_request(self, request: Any) -> None:
        if "/fetch/" in request.url:
            assert request.method == "POST", "cmi5 §8.2.1: the fetch URL is POSTed"
            self.count += 1


def open_au(page: Page, url: str) -> tuple[Walker, float]:
    """Go to the launch URL; the walker once the first page shows, and how long that took."""
    started = time.perf_counter()
    page.goto(url)
    expect(page.locator("html.cp-js section.cp-page:visible")).to_have_count(1)
    expect(page.locator("section.cp-page:visible h1")).to_be_visible()
    seconds = time.perf_counter() - started
    return Walker(page, FIXTURE_COURSES / "full"), seconds


def walk_module(course: Walker, policy: Policy) -> None:
    """Every page of the grundlagen module, its checks and post-test answered by `policy`."""
    course.walk(course.index("grundlagen/case"))
    for check in ("grundlagen/check/bail-case", "grundlagen/check/order-steps"):
        course.answer(check, all_right, submit="Check answer")
    course.next()
    course.walk(course.index("grundlagen/post-test"), policy)


def take_module(page: Page, lrs: Lrs, url: str, policy: Policy, sessions: int = 1) -> None:
    """One session of the grundlagen AU: every page, the post-test by `policy`, Exit, stored."""
    course, _ = open_au(page, url)
    walk_module(course, policy)
    course.exit()
    stored(lrs, page, "terminated", sessions)


def stored(lrs: Lrs, page: Page, until: str, count: int = 1) -> list[Statement]:
    """Ralph's statements once `count` AU statements with verb `until` are there."""
    found: list[Statement] = []

    def done() -> bool:
        nonlocal found
        found = lrs.statements()
        return sum(verb(s) == until and s["verb"]["id"] not in LMS_VERBS for s in found) >= count

    wait_until(page, done, 60, f"{count} {until} in the LRS")
    page.wait_for_timeout(500)
    return lrs_sorted(lrs)


def lrs_sorted(lrs: Lrs) -> list[Statement]:
    """Every statement in the LRS, in the order it stored them."""
    return sorted(lrs.statements(), key=lambda s: s["stored"])


def check_all(
    launcher: Launcher, statements: list[Statement], masteries: dict[str, float | None]
) -> list[Statement]:
    """Every rule over every statement; the AU's statements (without the LMS's) returned."""
    mine = [s for s in statements if s["verb"]["id"] not in LMS_VERBS]
    sessions = {
        sid: Session(s.launch_mode, masteries.get(sid, s.mastery_score))
        for sid, s in launcher.sessions.items()
    }
    by_au: dict[str, list[Statement]] = {}
    for s in mine:
        session = launcher.sessions[s["context"]["extensions"][SESSION]]
        by_au.setdefault(session.activity_id, []).append(s)
    for activity_id, items in by_au.items():
        registration = items[0]["context"]["registration"]
        open_sessions = any(s.open for s in launcher.sessions.values())
        found = problems(
            items, activity_id=activity_id, registration=registration, sessions=sessions,
            ended=not open_sessions,
        )  # fmt: skip
        assert found == []
    publisher = [launcher.course.id, *(a.id for a in launcher.course.aus())]
    assert lms_problems(statements, publisher) == []
    found = validation_problems(statements)
    lms_ids = {s["id"] for s in statements if s["verb"]["id"] in LMS_VERBS}
    # The LMS's statements follow cmi5, not coursepack's profile: only xapi-validation for them.
    found = {
        k: [p for p in v if not (k in lms_ids and p.startswith("profile:"))]
        for k, v in found.items()
    }
    assert {k: v for k, v in found.items() if v} == {}
    return mine


def defined(statements: list[Statement]) -> list[str]:
    cmi5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
    return [
        verb(s)
        for s in statements
        if cmi5 in [a["id"] for a in s["context"]["contextActivities"].get("category", [])]
    ]


def test_normal_launch_taken_to_pass_then_back_to_the_lms(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    fetches = Fetches(context)
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-1", languages="de-DE")
    back = f"{launcher.base_url}/xapi/about"
    url = launcher.launch_url(MODULE, registration, return_url=back)
    course, seconds = open_au(page, url)
    walk_module(course, all_right)
    course.exit()
    page.wait_for_url(back)
    statements = stored(lrs, page, "terminated")
    mine = check_all(launcher, statements, {})
    assert defined(mine) == ["initialized", "completed", "passed", "terminated"]
    assert fetches.count == 1
    kinds = [verb(s).rsplit("/", 1)[-1] for s in statements]
    assert kinds[0] == "launched" and "satisfied" not in kinds  # one AU of two
    print(f"cmi5 launch to first page: {seconds * 1000:.0f} ms; {len(mine)} AU statements")
    problems.assert_clean()


def test_a_failing_session_then_a_passing_one(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-2")
    take_module(page, lrs, launcher.launch_url(MODULE, registration), all_wrong)
    # The next launch resumes at the failed post-test; Retake, all right, Exit.
    course, _ = open_au(page, launcher.launch_url(MODULE, registration))
    assert course.current() == "grundlagen/post-test"
    course.button("Retake").click()
    course.answer("grundlagen/post-test", all_right)
    expect(course.section("grundlagen/post-test").get_by_role("status").first).not_to_be_empty()
    course.exit()
    mine = check_all(launcher, stored(lrs, page, "terminated", 2), {})
    assert defined(mine) == [
        "initialized", "failed", "terminated", "initialized", "completed", "passed", "terminated",
    ]  # fmt: skip
    problems.assert_clean()


def test_browse_mode_sends_only_initialized_and_terminated(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-3")
    take_module(page, lrs, launcher.launch_url(MODULE, registration, "Browse"), all_right)
    mine = check_all(launcher, lrs_sorted(lrs), {})
    assert [verb(s) for s in mine] == ["initialized", "terminated"]
    problems.assert_clean()


def test_a_reload_mid_session_fetches_and_initializes_once(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    fetches = Fetches(context)
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-4")
    course, _ = open_au(page, launcher.launch_url(MODULE, registration))
    course.next()
    page.reload()
    course, _ = open_au(page, page.url)
    assert course.current() == "grundlagen/case", "the reload resumes where the learner was"
    walk_module(course, all_right)
    course.exit()
    mine = check_all(launcher, stored(lrs, page, "terminated"), {})
    assert fetches.count == 1
    assert defined(mine) == ["initialized", "completed", "passed", "terminated"]
    problems.assert_clean()


def test_the_lms_mastery_score_overrides_the_courses(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    """One of the two drawn questions right: 50 %, a fail at the course's 75, a pass at 0.5."""
    answered: list[str] = []

    def first_right(key: str, question: Question) -> bool:
        answered.append(question.id)
        return len(answered) == 1

    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-5")
    url = launcher.launch_url(MODULE, registration, mastery_score=0.5)
    course, _ = open_au(page, url)
    walk_module(course, first_right)
    status = course.section("grundlagen/post-test").get_by_role("status").first
    expect(status).to_have_text(re.compile("passed", re.I))
    course.exit()
    mine = check_all(launcher, stored(lrs, page, "terminated"), {})
    [passed] = [s for s in mine if verb(s) == "passed"]
    assert passed["result"]["score"]["scaled"] == 0.5
    mastery = passed["context"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    ]
    assert mastery == 0.5
    problems.assert_clean()


def test_a_refused_token_is_told_to_the_learner(
    browser: Any, context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-6")
    url = launcher.launch_url(MODULE, registration)
    open_au(page, url)
    # The same launch URL in another browser (no sessionStorage): the fetch URL answers error 1.
    other = browser.new_context()
    try:
        second = other.new_page()
        second.goto(url)
        notice = second.locator("#cp-notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("did not accept this launch")
        assert "auth-token" not in (second.evaluate("JSON.stringify(sessionStorage)") or "")
    finally:
        other.close()
    problems.assert_clean()


def test_both_modules_passed_satisfy_the_course_once(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems
) -> None:
    """The survey AU is NotApplicable: two module AUs passed make the course satisfied (§9.3.9)."""
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-7")
    take_module(page, lrs, launcher.launch_url(MODULE, registration), all_right)
    course, _ = open_au(page, launcher.launch_url(f"{FULL}/second", registration))
    course.walk(course.index("second/post-test"), all_right)
    course.exit()
    statements = stored(lrs, page, "terminated", 2)
    check_all(launcher, statements, {})
    satisfied = [s for s in statements if verb(s).endswith("/satisfied")]
    assert len(satisfied) == 1
    assert satisfied[0]["object"]["definition"]["type"] == (
        "https://w3id.org/xapi/cmi5/activitytype/course"
    )
    second = next(s for s in launcher.sessions.values() if s.au.id == f"{FULL}/second")
    assert satisfied[0]["context"]["extensions"][SESSION] == second.id
    problems.assert_clean()
