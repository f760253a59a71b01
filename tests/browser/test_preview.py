"""`coursepack preview` driven in Chromium: every target launches, the panel shows what the LMS
and the store receive, faults can be injected without losing statements, edits reload the course
and source errors show in the page; Ctrl-C stops it and removes its files.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser_site import Problems, course_source
from browser_walk import Walker, all_right
from lrs import running_lrs  # tests/lrs, on the path by conftest (lrs_fixtures)
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from preview_fixtures import COURSEPACK, Running, copy_course, preview

pytestmark = pytest.mark.browser

MINIMAL = "https://example.org/coursepack/test/minimal"
#: The verbs of cmi5's defined statements, the AU's and the LMS's (cmi5 §9.3).
CMI5_VERBS = {"launched", "initialized", "completed", "passed", "failed", "terminated",
              "abandoned", "satisfied", "waived"}  # fmt: skip


def state(running: Running) -> dict[str, Any]:
    """The preview's /api/state, as the page polls it."""
    with urllib.request.urlopen(running.url + "api/state", timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def stored_statements(running: Running) -> list[dict[str, Any]]:
    """Every statement in the preview's store, oldest first (as the panel gets them; the
    Statement Resource itself answers 503 while the LRS-down fault is on)."""
    received: list[dict[str, Any]] = state(running)["statements"]
    return [r["statement"] for r in received]


def launch(page: Page, running: Running, target: str, source: Path) -> Walker:
    """Open the preview page and launch `target` with its button."""
    page.goto(running.url)
    page.get_by_role("button", name=f"Launch {target}", exact=True).click()
    frame = page.frame_locator("#course")
    expect(frame.locator("#coursepack-data")).to_be_attached()
    return Walker(frame, source)


def panel(page: Page, tmp_path: Path, name: str) -> Path:
    """A screenshot of the page with its panel, kept as the test's artifact."""
    shot = tmp_path / f"preview-{name}.png"
    page.screenshot(path=str(shot))
    return shot


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


def test_the_xapi_package_sends_to_the_preview_store_and_the_panel_lists_statements(
    page: Page, tmp_path: Path
) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path) as running:
        course = launch(page, running, "xapi", source)
        course.walk(course.index("basics/the-rule"), all_right)
        rows = page.locator("#statements li")
        expect(
            rows.filter(has_text="experienced /coursepack/test/minimal/basics/the-rule")
        ).to_have_count(1)
        expect(rows.filter(has_text="initialized")).to_have_count(1)
        expect(page.locator("#statements .warning")).to_have_count(0)  # each follows the profile
        expect(page.locator("#status-package")).to_contain_text("xapi")
        stored = stored_statements(running)
        assert {s["verb"]["id"].rsplit("/", 1)[1] for s in stored} >= {  # type: ignore[index]
            "initialized",
            "answered",
            "completed",
            "experienced",
            "progressed",
        }
        shot = panel(page, tmp_path, "xapi")
        page.goto("about:blank")
    assert shot.stat().st_size > 10_000


def test_the_web_package_runs_as_it_is(page: Page, tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path) as running:
        course = launch(page, running, "web", source)
        course.walk(course.index("basics/welcome"), all_right)
        expect(page.locator("#status-completion")).to_have_text("kept in the browser")
        expect(page.locator("#calls li")).to_have_count(0)
        assert stored_statements(running) == []
        page.goto("about:blank")


def verbs(running: Running) -> list[str]:
    """The last segment of each stored statement's verb, oldest first."""
    return [str(s["verb"]["id"]).rsplit("/", 1)[1] for s in stored_statements(running)]  # type: ignore[index]


def launch_au(page: Page, title: str, source: Path) -> Walker:
    """Launch the cmi5 AU `title` with its button; the walker once its first page shows."""
    page.get_by_role("button", name=f"Launch cmi5: {title}", exact=True).click()
    frame = page.frame_locator("#course")
    expect(frame.locator("html.cp-js section.cp-page:visible")).to_have_count(1)
    expect(frame.locator("section.cp-page:visible h1")).to_be_visible()
    return Walker(frame, source)


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
        cmi5 = [v for v in verbs(running) if v in CMI5_VERBS]
        # completed before passed (cmi5 §9.3 allows either order; docs/lms.md, Open edX cmi5 XBlock)
        assert cmi5 == ["launched", "initialized", "completed", "passed", "terminated"]
        stored = stored_statements(running)
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


class _FaultProblems(Problems):
    """Console errors, except those a fault causes on purpose (`expected` substrings)."""

    def __init__(self, *expected: str) -> None:
        super().__init__()
        self.expected = expected

    def on_console(self, message: ConsoleMessage) -> None:
        """Drop the expected messages; record every other error."""
        if not any(e in message.text for e in self.expected):
            super().on_console(message)


def fault_page(browser: Browser, problems: Problems) -> tuple[BrowserContext, Page]:
    """A page in its own context whose errors go to `problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    return context, page


@pytest.mark.parametrize(
    ("fault", "expected_error"),
    [("LRS down", "status of 503"), ("Browser offline", "ERR_EMPTY_RESPONSE")],
)
def test_a_fault_on_the_way_to_the_lrs_loses_no_statement_once_it_clears(
    browser: Browser, tmp_path: Path, fault: str, expected_error: str
) -> None:
    source = copy_course("minimal", tmp_path)
    problems = _FaultProblems(expected_error)  # the requests the fault breaks, as asked
    context, page = fault_page(browser, problems)
    sent: list[str] = []
    context.on(
        "request",
        lambda r: (
            sent.extend(s["id"] for s in json.loads(r.post_data or "[]"))
            if r.method == "POST" and r.url.endswith("/xapi/statements")
            else None
        ),
    )
    try:
        with preview(source, tmp_path) as running:
            course = launch(page, running, "xapi", source)
            expect(page.locator("#statements li")).not_to_have_count(0)
            before = len(stored_statements(running))
            down = page.get_by_role("button", name=fault)
            down.click()
            expect(down).to_have_attribute("aria-pressed", "true")
            course.walk(course.index("basics/the-rule"), all_right)
            page.wait_for_timeout(1500)
            assert len(stored_statements(running)) == before, "the store took statements while down"
            assert page.evaluate("Object.keys(localStorage).some(k => k.endsWith(':outbox') "
                                 "&& JSON.parse(localStorage[k]).length > 0)")  # fmt: skip
            expect(page.locator("#status-outbox")).to_contain_text("waiting in the browser")
            expect(page.locator("#status-outbox")).not_to_have_text(
                "0 statements waiting in the browser"
            )
            panel(page, tmp_path, fault.replace(" ", "-").lower())
            down.click()
            expect(down).to_have_attribute("aria-pressed", "false")
            # The outbox retries on its own; every statement the page made arrives, once.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                stored = [s["id"] for s in stored_statements(running)]
                if set(sent) <= set(stored):
                    break
                time.sleep(0.5)
            assert set(sent) <= set(stored), f"lost: {set(sent) - set(stored)}"
            assert len(stored) == len(set(stored))
            pages = [s for s in stored_statements(running) if "experienced" in str(s["verb"])]
            assert [str(s["object"]["id"]).rsplit("/", 1)[1] for s in pages] == [  # type: ignore[index]
                "welcome",
                "the-rule",
            ]
            expect(page.locator("#statements-count")).to_have_text(str(len(stored)))
            expect(page.locator("#status-outbox")).to_have_text(
                "0 statements waiting in the browser"
            )
            page.goto("about:blank")
    finally:
        context.close()
    problems.assert_clean()


def test_lrs_down_under_cmi5_the_launcher_refuses_and_the_au_sends_again_once_it_clears(
    browser: Browser, tmp_path: Path
) -> None:
    """The launcher forwards the AU's statements to the store: with the store down, the AU gets
    the store's 503 through the launcher, keeps them in its outbox and sends them again."""
    source = copy_course("full", tmp_path)
    problems = _FaultProblems("status of 503")
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
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                stored = [s["id"] for s in stored_statements(running)]
                if set(sent) <= set(stored):
                    break
                time.sleep(0.5)
            assert set(sent) <= set(stored), f"lost: {set(sent) - set(stored)}"
            assert len(stored) == len(set(stored))
            expect(page.locator("#statements .warning")).to_have_count(0)
            page.goto("about:blank")
    finally:
        context.close()
    problems.assert_clean()


def test_with_lrs_statements_go_on_to_a_real_lrs_and_still_show_in_the_panel(
    page: Page, tmp_path: Path
) -> None:
    source = copy_course("minimal", tmp_path)
    with running_lrs(tmp_path / "ralph") as lrs:
        env = {"COURSEPACK_LRS_AUTH": lrs.auth}
        with preview(source, tmp_path, "-t", "xapi", "--lrs", lrs.endpoint, env=env) as running:
            course = launch(page, running, "xapi", source)
            course.walk(course.index("basics/welcome"), all_right)
            expect(page.locator("#where")).to_contain_text(lrs.endpoint)
            rows = page.locator("#statements li")
            expect(rows.filter(has_text="experienced")).to_have_count(1)
            shown = [s["id"] for s in stored_statements(running)]
            page.goto("about:blank")
        assert shown and set(shown) <= set(lrs.statement_ids())


def test_a_failing_lms_commit_shows_in_the_panel(browser: Browser, tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    # The browser logs the refused commits: expected here.
    problems = _FaultProblems("status of 500")
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


def test_an_edit_rebuilds_and_reloads_and_a_source_error_shows_in_the_page(
    page: Page, tmp_path: Path
) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path) as running:
        course = launch(page, running, "scorm12", source)
        course.walk(course.index("basics/welcome"), all_right)
        welcome = source / "01-basics" / "pages" / "01-welcome.md"
        welcome.write_text(welcome.read_text() + "\nEdited while the preview ran.\n")
        frame = page.frame_locator("#course")
        expect(frame.get_by_text("Edited while the preview ran.")).to_be_visible(timeout=20_000)
        # Resumed at the page the learner was on.
        course.expect_at(course.index("basics/welcome"))
        module = source / "01-basics" / "module.yaml"
        good = module.read_text()
        module.write_text(good.replace("  - id: apply", "\t- id: apply"))
        error = page.get_by_role("alert")
        expect(error).to_contain_text("module.yaml:7: invalid YAML: expected spaces, found a tab",
                                      timeout=20_000)  # fmt: skip
        panel(page, tmp_path, "source-error")
        module.write_text(good)
        expect(error).to_be_hidden(timeout=20_000)
        assert running.process.poll() is None, "the server died on a source error"
        assert any("the build failed" in line for line in running.output)
        page.goto("about:blank")


def test_ctrl_c_stops_it_cleanly_and_removes_its_files(tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path, "-t", "web") as running:
        assert state(running)["packages"]
        assert list((tmp_path / "tmp").iterdir()), "no build folder while running"
        code = running.stop()
    assert code == 0
    assert any("preview stopped" in line for line in running.output)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_busy_port_gets_a_clear_message(tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(COURSEPACK), "preview", "-t", "web", "--port", str(port), "--source", str(source)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 2
    assert re.search(
        rf"--port {port}: expected a free port on 127.0.0.1, found it in use", done.stderr
    )
    assert "Traceback" not in done.stderr
