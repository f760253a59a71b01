"""`coursepack report` with real components: statements from Chromium in Ralph, HTML in Chromium.

1. The `full` fixture course walked in headless Chromium as an xAPI launch reporting to Ralph,
   plus a seeded cohort of the same course POSTed to that Ralph: the report read back through
   `--lrs` in pages of 7 (following `more`) equals the report of the same statements exported
   to a file.
2. The HTML report opens in Chromium with no console error, loads nothing from anywhere, and
   axe-core finds nothing serious or critical.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser_site import FIXTURE_COURSES, Problems, Site
from browser_walk import Walker, walk_full
from lrs_fixtures import Lrs, build_package, delivered, launch_url, watch
from playwright.sync_api import BrowserContext, Page
from report_cohort import cohort
from test_accessibility import BLOCKING, RUN_AXE, format_violations
from test_xapi_run import FULL_RUN

from builder.cli import main

pytestmark = pytest.mark.browser

FULL = FIXTURE_COURSES / "full"
ACTIVITY_ID = "https://lms.example.org/activities/full-course"
ACTOR = {"objectType": "Agent", "name": "Test Learner",
         "account": {"homePage": "https://lms.example.org", "name": "learner-42"}}  # fmt: skip


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return int(exc.value.code or 0)


def _post(lrs: Lrs, statements: list[dict[str, Any]]) -> None:
    """POST statements to Ralph in batches of 50 (each id once: the LRS refuses repeats)."""
    seen: set[str] = set()
    unique = [s for s in statements if not (s["id"] in seen or seen.add(s["id"]))]
    for start in range(0, len(unique), 50):
        request = urllib.request.Request(
            f"{lrs.endpoint}/statements",
            data=json.dumps(unique[start : start + 50]).encode(),
            headers={
                "Authorization": lrs.auth,
                "X-Experience-API-Version": "1.0.3",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200


def _walk_full_course(context: BrowserContext, site: Site, lrs: Lrs, problems: Problems) -> int:
    """The `full` course in Chromium as an xAPI launch, as tests/browser/test_xapi_run.py does."""
    page = watch(context.new_page(), problems)
    path = build_package(site, "full", "xapi", "report-run")
    page.goto(launch_url(site, path, endpoint=lrs.endpoint, auth=lrs.auth,
                         actor=json.dumps(ACTOR), activity_id=ACTIVITY_ID,
                         registration="6f0e7c1a-3b2d-4e8f-9a6b-1c2d3e4f5a6b"))  # fmt: skip
    course = Walker(page, FULL)
    walk_full(course)
    return len(delivered(lrs, page, expected=len(FULL_RUN)))


def test_report_from_lrs_pages_equals_report_from_file(
    context: BrowserContext, site: Site, lrs: Lrs, problems: Problems, tmp_path: Path
) -> None:
    from_browser = _walk_full_course(context, site, lrs, problems)
    statements, truth = cohort(FULL, learners=25, seed=21)
    _post(lrs, statements)
    export = lrs.statements()
    assert len(export) >= from_browser + 25 * 10
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export))
    common = ["report", "--source", str(FULL), "--course-activity", ACTIVITY_ID]
    from_file, from_lrs = tmp_path / "file.json", tmp_path / "lrs.json"
    assert _cli([*common, "--from", str(exported), "--json", str(from_file)]) == 0
    env = "COURSEPACK_TEST_LRS_AUTH"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(env, lrs.auth)
        args = ["--lrs", lrs.endpoint, "--lrs-auth-env", env, "--page-size", "7"]
        assert _cli([*common, *args, "--json", str(from_lrs)]) == 0
    by_file, by_lrs = json.loads(from_file.read_text()), json.loads(from_lrs.read_text())
    assert by_lrs == by_file
    assert by_lrs["learners"] == len(truth.learners) + 1, "the browser's learner joins the cohort"
    rows = {(r["group"], r["scope"]): r for r in by_lrs["tables"]["participation"]}
    browser_org = rows[("organisation https://lms.example.org", "course")]
    assert (browser_org["launched"], browser_org["completed"]) == (1, 1)
    assert browser_org["passed"] == 1, "the browser's learner passed both post-tests"
    assert rows[("all", "course")]["completed"] == sum(x.completed for x in truth.learners) + 1


def test_html_report_in_chromium_is_clean_and_accessible(
    page: Page, site: Site, problems: Problems, tmp_path: Path
) -> None:
    statements, _ = cohort(FULL, learners=30, seed=5)
    source = tmp_path / "statements.jsonl"
    source.write_text("".join(json.dumps(s) + "\n" for s in statements))
    html = site.root / "report" / "index.html"
    args = ["--source", str(FULL), "--from", str(source), "--html", str(html)]
    assert _cli(["report", *args, "--include-comments"]) == 0
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site.url("report/index.html"))
    assert requests == [site.url("report/index.html")], "the report loads nothing else"
    assert page.get_by_role("heading", level=1).inner_text() == "Did the training work?"
    assert page.locator("svg[role=img]").count() >= 4
    assert page.get_by_text("My name is").count() > 0, "--include-comments lists the comments"
    page.add_script_tag(url=site.url("vendor/axe.min.js"))
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on the report:\n{format_violations(blocking)}"
    page.screenshot(path="/tmp/report-shot.png", full_page=False)
    page.emulate_media(media="print")
    assert page.locator("table").count() >= 6
