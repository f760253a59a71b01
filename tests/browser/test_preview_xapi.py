"""`coursepack preview` of the xAPI target in Chromium: statements go to the preview's store and
show in the panel, a fault on the way loses none once it clears, and `--lrs` forwards them to a
real LRS.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_walk import all_right
from lrs import running_lrs  # tests/lrs, on the path by conftest (lrs_fixtures)
from playwright.sync_api import Browser, Page, expect
from preview_fixtures import copy_course, preview
from preview_panel import (
    FaultProblems,
    all_stored_once,
    fault_page,
    launch,
    panel,
    stored_statements,
)

pytestmark = pytest.mark.browser


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


@pytest.mark.parametrize(
    ("fault", "expected_error"),
    [("LRS down", "status of 503"), ("Browser offline", "ERR_EMPTY_RESPONSE")],
)
def test_a_fault_on_the_way_to_the_lrs_loses_no_statement_once_it_clears(
    browser: Browser, tmp_path: Path, fault: str, expected_error: str
) -> None:
    source = copy_course("minimal", tmp_path)
    problems = FaultProblems(expected_error)  # the requests the fault breaks, as asked
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
            stored = all_stored_once(running, sent)
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
