"""Faults between the browser and a real LRS (Ralph): every statement still arrives exactly once.

Each test launches the `xapi` target in headless Chromium, breaks the way to the LRS mid-course,
and then asserts that the ids the LRS stores are exactly the ids the page sent, each once, and
that the expected statements (verb and object, counted) are all there: the LRS stopped and
restarted; a fault proxy answering 500/503 and hanging past the request timeout; the browser
offline then online; the tab closed with a full outbox and the course launched again.
"""

from __future__ import annotations

import base64
import json
import time
from collections import Counter

import pytest
from browser_site import FIXTURE_COURSES, Site
from browser_walk import Walker, walk_full
from lrs_fixtures import (
    CorsFaultProxy,
    Lrs,
    LrsProblems,
    Sent,
    assert_exactly_once,
    build_package,
    delivered,
    launch_url,
    outbox_size,
    summary,
    wait_until,
    watch,
)
from playwright.sync_api import BrowserContext, Page, expect
from test_xapi_run import ACTOR, FULL, FULL_RUN, MINIMAL, REGISTRATION

pytestmark = pytest.mark.browser

#: What a whole run of the minimal course sends, in order (see test_xapi_run).
MINIMAL_RUN = [
    ("initialized", "course"),
    ("progressed", "25"),
    ("answered", "basics/pre-test"),
    ("completed", "basics/pre-test"),
    ("experienced", "basics/welcome"),
    ("progressed", "50"),
    ("experienced", "basics/the-rule"),
    ("progressed", "75"),
    *[("answered", "basics/post-test")] * 3,
    ("passed", "basics/post-test"),
    ("progressed", "100"),
    ("completed", "basics"),
    ("completed", "course"),
    ("terminated", "course"),
]


def launch(
    context: BrowserContext,
    site: Site,
    course: str,
    endpoint: str,
    auth: str,
    problems: LrsProblems,
) -> tuple[Page, Walker]:
    """Open the `xapi` package of `course` as an LMS would launch it."""
    path = build_package(site, course, "xapi", f"faults-{course}")
    page = watch(context.new_page(), problems)
    page.goto(launch_url(site, path, endpoint=endpoint, auth=auth, actor=json.dumps(ACTOR),
                         registration=REGISTRATION))  # fmt: skip
    return page, Walker(page, FIXTURE_COURSES / course)


def counted(stored: list[dict[str, object]], course_iri: str) -> Counter[tuple[str, str]]:
    """How often each (verb, object) was stored."""
    return Counter(summary(s, course_iri) for s in stored)  # type: ignore[arg-type]


def test_lrs_stopped_mid_course_and_restarted(
    context: BrowserContext, site: Site, lrs: Lrs
) -> None:
    """Statements made while the LRS is down wait in the outbox and arrive once it is back."""
    problems = LrsProblems(lrs.base)
    sent = Sent()
    sent.watch(context)
    page, course = launch(context, site, "minimal", lrs.endpoint, lrs.auth, problems)
    course.walk(course.index("basics/welcome"))
    wait_until(page, lambda: outbox_size(page) == 0, 10, "the first statements to be delivered")
    lrs.stop()
    course.walk(course.index("basics/post-test"))
    wait_until(page, lambda: len(sent.failures) > 0, 10, "a send to the stopped LRS")
    assert outbox_size(page) > 0
    time.sleep(1.5)
    lrs.start()
    course.exit()
    stored = delivered(lrs, page, expected=len(MINIMAL_RUN))
    assert_exactly_once(stored, sent)
    assert counted(stored, MINIMAL) == Counter(MINIMAL_RUN)
    print(f"LRS restart: {len(stored)} statements, {sent.posts} POSTs, "
          f"{len(sent.failures)} failed while it was down")  # fmt: skip
    problems.assert_clean()


def test_fault_proxy_500_503_and_timeouts(context: BrowserContext, site: Site, lrs: Lrs) -> None:
    """A seeded proxy failing the first four requests in turn: 500, 503, then hanging past the
    runtime's 15 s request timeout before and after the LRS stored the batch (a lost answer)."""
    # Seed 39 fails the first four draws at rate 0.5; max_faults keeps the test's time bounded.
    with CorsFaultProxy(
        lrs.port, origin=site.base_url, rate=0.5, seed=39, hang_seconds=16, max_faults=4
    ) as proxy:
        problems = LrsProblems(f"http://127.0.0.1:{proxy.port}")
        sent = Sent()
        sent.watch(context)
        page, course = launch(context, site, "full", proxy.endpoint, lrs.auth, problems)
        walk_full(course)
        stored = delivered(lrs, page, expected=len(FULL_RUN), timeout=120)
        stats = dict(proxy.stats)
    assert {k: stats.get(k, 0) for k in ("500", "503", "hang-before", "hang-after")} == {
        "500": 1, "503": 1, "hang-before": 1, "hang-after": 1,
    }  # fmt: skip
    assert_exactly_once(stored, sent)
    full = counted(stored, FULL)
    assert sum(full.values()) == len(FULL_RUN)
    assert full[("answered", "grundlagen/post-test")] == 2 and full[("completed", "course")] == 1
    print(f"fault proxy: {len(stored)} statements, {sent.posts} POSTs, faults {stats}, "
          f"{proxy.preflights} preflights")  # fmt: skip
    problems.assert_clean()


def test_browser_offline_then_online(context: BrowserContext, site: Site, lrs: Lrs) -> None:
    """Offline, statements wait; coming online flushes them with no learner action."""
    problems = LrsProblems(lrs.base)
    sent = Sent()
    sent.watch(context)
    page, course = launch(context, site, "minimal", lrs.endpoint, lrs.auth, problems)
    course.walk(course.index("basics/welcome"))
    wait_until(page, lambda: outbox_size(page) == 0, 10, "the first statements to be delivered")
    context.set_offline(True)
    course.walk(course.index("basics/post-test"))
    wait_until(page, lambda: len(sent.failures) > 0, 10, "a send while offline")
    waiting = outbox_size(page)
    assert waiting > 0 and page.evaluate("navigator.onLine") is False
    context.set_offline(False)
    # Delivered with no learner action: the `online` event flushes, ignoring the back-off.
    wait_until(page, lambda: outbox_size(page) == 0, 5, "the flush when the browser is online")
    course.exit()
    stored = delivered(lrs, page, expected=len(MINIMAL_RUN))
    assert_exactly_once(stored, sent)
    assert counted(stored, MINIMAL) == Counter(MINIMAL_RUN)
    print(f"offline: {len(stored)} statements, {waiting} waited offline, "
          f"{len(sent.failures)} failed sends")  # fmt: skip
    problems.assert_clean()


def test_tab_closed_with_a_full_outbox_then_launched_again(
    context: BrowserContext, site: Site, lrs: Lrs
) -> None:
    """The outbox outlives the tab: the next launch sends what the closed one could not."""
    problems = LrsProblems(lrs.base)
    sent = Sent()
    sent.watch(context)
    page, course = launch(context, site, "minimal", lrs.endpoint, lrs.auth, problems)
    course.walk(course.index("basics/welcome"))
    wait_until(page, lambda: outbox_size(page) == 0, 10, "the first statements to be delivered")
    lrs.stop()
    course.walk(course.index("basics/the-rule"))
    wait_until(page, lambda: len(sent.failures) > 0, 10, "a send to the stopped LRS")
    page.close(run_before_unload=True)
    # Same context, so the same localStorage: look at it from a page that sends nothing.
    peek = watch(context.new_page(), problems)
    peek.goto(site.url("lms/host.css"))
    left = outbox_size(peek)
    peek.close()
    # experienced and progressed of the last page, then suspended and terminated on pagehide.
    assert left == 4, f"{left} statements were left in the outbox"
    lrs.start()
    page, course = launch(context, site, "minimal", lrs.endpoint, lrs.auth, problems)
    course.expect_at(course.index("basics/the-rule"))
    course.walk(course.index("basics/post-test"), exit=True)
    expected = [
        *MINIMAL_RUN[:8],
        ("suspended", "course"),
        ("terminated", "course"),
        ("resumed", "course"),
        *MINIMAL_RUN[8:],
    ]
    stored = delivered(lrs, page, expected=len(expected))
    assert_exactly_once(stored, sent)
    assert counted(stored, MINIMAL) == Counter(expected)
    print(f"tab closed: {len(stored)} statements, {left} left in the outbox at close")
    problems.assert_clean()


def test_refused_credentials_pause_delivery_and_tell_the_learner(
    context: BrowserContext, site: Site, lrs: Lrs
) -> None:
    """A 401 pauses the outbox and shows a notice; the next launch with good credentials sends."""
    problems = LrsProblems(lrs.base)
    sent = Sent()
    sent.watch(context)
    user = base64.b64decode(lrs.auth.removeprefix("Basic ")).decode().split(":")[0]
    wrong = "Basic " + base64.b64encode(f"{user}:not-the-password".encode()).decode()
    page, course = launch(context, site, "minimal", lrs.endpoint, wrong, problems)
    course.walk(course.index("basics/welcome"))
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text("refused this course's sign-in")
    expect(notice).to_contain_text("tell your course administrator")
    posts = sent.posts
    course.walk(course.index("basics/the-rule"))
    page.wait_for_timeout(1500)
    assert sent.posts == posts, "the paused outbox sent again after a 401"
    assert lrs.statements() == []
    left = outbox_size(page)
    assert left > 0
    page.close(run_before_unload=True)
    page, course = launch(context, site, "minimal", lrs.endpoint, lrs.auth, problems)
    expect(page.get_by_role("alert")).to_be_hidden()
    course.walk(course.index("basics/post-test"), exit=True)
    stored = delivered(lrs, page, expected=len(sent.order))
    assert_exactly_once(stored, sent)
    print(f"refused credentials: {left} statements held, {len(stored)} delivered after relaunch")
    problems.assert_clean()
