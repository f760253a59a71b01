"""`coursepack preview` of the cmi5 target in Chromium: each AU runs through the preview's
launcher, its statements show in the panel, Relaunch and Reset, and with the store down the AU
keeps its statements and sends them again once it clears (without a browser:
`tests/test_preview_cmi5.py`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browser_walk import Walker, all_right
from playwright.sync_api import Browser, Page, expect
from preview_fixtures import copy_course, preview
from preview_panel import (
    FaultProblems,
    all_stored_once,
    fault_page,
    launch_au,
    panel,
    stored_statements,
    verbs,
)

pytestmark = pytest.mark.browser

#: The verbs of cmi5's defined statements, the AU's and the LMS's (cmi5 §9.3).
CMI5_VERBS = {"launched", "initialized", "completed", "passed", "failed", "terminated",
              "abandoned", "satisfied", "waived"}  # fmt: skip


def test_the_cmi5_package_runs_through_the_launcher_and_the_panel_lists_its_statements(
    page: Page, tmp_path: Path
) -> None:
    source = copy_course("full", tmp_path)
    with preview(source, tmp_path, "-t", "cmi5", "--units", "module") as running:
        page.goto(running.url)
        # One launch per AU (one per module, and the survey's).
        expect(page.get_by_role("button", name=re.compile("^Launch cmi5: "))).to_have_count(3)
        course = launch_au(page, "Grundlagen — Übersicht", source)
        course.walk(course.index("grundlagen/case"))
        for check in ("grundlagen/check/bail-case", "grundlagen/check/order-steps"):
            course.answer(check, all_right, submit="Check answer")
        course.next()
        course.walk(course.index("grundlagen/post-test"), all_right)
        course.exit()
        rows = page.locator("#statements li")
        expect(rows.filter(has_text="terminated")).to_have_count(1)
        for verb in ("launched", "initialized", "passed", "completed"):
            expect(rows.filter(has_text=verb)).not_to_have_count(0)
        expect(page.locator("#status-completion")).to_have_text("completed")
        expect(page.locator("#status-success")).to_have_text("passed")
        stored = stored_statements(running)
        category = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
        defined = [
            s for s in stored
            if category in [a["id"] for a in s["context"]["contextActivities"]["category"]]  # type: ignore[index]
        ]  # fmt: skip
        cmi5 = [v for v in verbs(running) if v in CMI5_VERBS]
        # The cmi5 defined ones: completed before passed (cmi5 §9.3 allows either order;
        # docs/lms.md, Open edX cmi5 XBlock). The tests' results are cmi5 allowed `completed`
        # about the tests (docs/cmi5.md), never passed/failed.
        assert [str(s["verb"]["id"]).rsplit("/", 1)[1] for s in defined] == [  # type: ignore[index]
            "launched", "initialized", "completed", "passed", "terminated"
        ]  # fmt: skip
        allowed = [
            s for s in stored if s not in defined and str(s["verb"]["id"]).endswith("/completed")
        ]  # type: ignore[index]
        assert [str(s["object"]["id"]).rsplit("/", 1)[1] for s in allowed] == ["post-test"]  # type: ignore[index]
        assert cmi5.count("passed") == 1 and "failed" not in cmi5
        [registration] = {s["context"]["registration"] for s in stored}  # type: ignore[index]
        assert {s["actor"]["account"]["homePage"] for s in stored} == {running.url.rstrip("/")}  # type: ignore[index]
        # The second module passed as well: the launcher writes the course satisfied (the survey
        # AU is NotApplicable), into the same store.
        course = launch_au(page, "Second module", source)
        course.walk(course.index("second/post-test"), all_right)
        course.exit()
        expect(rows.filter(has_text="terminated")).to_have_count(2)
        expect(rows.filter(has_text="satisfied")).to_have_count(1)
        expect(page.locator("#status-completion")).to_have_text("completed (course satisfied)")
        expect(page.locator("#statements .warning")).to_have_count(0)  # all follow the rules
        expect(page.locator("#calls li")).to_have_count(0)  # no SCORM API here
        shot = panel(page, tmp_path, "cmi5")
        # Relaunch: a new session of the same AU and registration (launched again).
        page.get_by_role("button", name="Relaunch (resume)").click()
        expect(rows.filter(has_text="launched")).to_have_count(3)
        expect(rows.filter(has_text="initialized")).to_have_count(3)
        assert {s["context"]["registration"] for s in stored_statements(running)} == {  # type: ignore[index]
            registration
        }
        # Reset learner: a new registration; the AU starts afresh, nothing completed yet.
        page.get_by_role("button", name="Reset learner").click()
        expect(rows.filter(has_text="launched")).to_have_count(4)
        expect(page.locator("#status-completion")).to_have_text("not completed")
        launched = [s for s in stored_statements(running) if "launched" in str(s["verb"])]
        assert launched[-1]["context"]["registration"] != registration  # type: ignore[index]
        Walker(page.frame_locator("#course"), source).expect_at(0)
        page.goto("about:blank")
    assert running.process.returncode == 0
    assert not any("Traceback" in line for line in running.output)
    assert shot.stat().st_size > 10_000


def test_lrs_down_under_cmi5_the_launcher_refuses_and_the_au_sends_again_once_it_clears(
    browser: Browser, tmp_path: Path
) -> None:
    """The launcher forwards the AU's statements to the store: with the store down, the AU gets
    the store's 503 through the launcher, keeps them in its outbox and sends them again."""
    source = copy_course("full", tmp_path)
    problems = FaultProblems("status of 503")
    context, page = fault_page(browser, problems)
    sent: list[str] = []

    def on_request(request: Any) -> None:
        if request.method in ("POST", "PUT") and "/xapi/statements" in request.url:
            body = json.loads(request.post_data or "[]")
            sent.extend(s["id"] for s in (body if isinstance(body, list) else [body]))

    context.on("request", on_request)
    try:
        with preview(source, tmp_path, "-t", "cmi5", "--units", "module") as running:
            page.goto(running.url)
            course = launch_au(page, "Grundlagen — Übersicht", source)
            rows = page.locator("#statements li")
            expect(rows.filter(has_text="initialized")).to_have_count(1)
            down = page.get_by_role("button", name="LRS down")
            down.click()
            expect(down).to_have_attribute("aria-pressed", "true")
            before = len(stored_statements(running))
            course.walk(course.index("grundlagen/case"))
            page.wait_for_timeout(1500)
            assert len(stored_statements(running)) == before, "the store took statements while down"
            assert set(sent) - {s["id"] for s in stored_statements(running)}, "nothing was refused"
            panel(page, tmp_path, "cmi5-lrs-down")
            down.click()
            expect(down).to_have_attribute("aria-pressed", "false")
            all_stored_once(running, sent)
            expect(page.locator("#statements .warning")).to_have_count(0)
            page.goto("about:blank")
    finally:
        context.close()
    problems.assert_clean()
