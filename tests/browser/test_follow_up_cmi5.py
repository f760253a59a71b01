"""The real course's follow-up unit as a cmi5 AU: launched by the launcher, stored in Ralph.

The follow-up package (`<course>-follow-up-cmi5-<version>.zip`) is built from the real course and
imported by the project's own LMS side (builder/launcher), which launches its one AU into Ralph.
The learner answers the retention test (one answer wrong) and the practice self-report, then
exits. Every statement Ralph stored passes the cmi5 rule checker (tests/cmi5_rules.py, the AU's
and the launcher's), npm `xapi-validation` and the profile (the AU's); the AU's carry what
`coursepack report` needs to join them to the course (docs/report.md, "The follow-up unit"), and
the report's own reader and fold (builder/report) count them as the follow-up's.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from browser_site import Problems, course_source
from browser_walk import Walker
from lrs_fixtures import Lrs, watch
from playwright.sync_api import BrowserContext, expect
from test_cmi5_run import SESSION, check_all, defined, stored
from test_follow_up_browser import COURSE, FOLLOW_UP, KIND, PRACTICE, RETENTION, VERSION, one_wrong

from builder.build import build
from builder.config import BuildConfig
from builder.launcher import Launcher
from builder.loader import load_course
from builder.report.aggregate import Aggregator, Filters
from builder.report.items import course_index
from builder.report.metrics import follow_up_table
from builder.report.read import LrsSource
from builder.vocabulary import load_profile

pytestmark = pytest.mark.browser

VERBS = "http://adlnet.gov/expapi/verbs/"
Statement = dict[str, Any]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real course built for cmi5: its package and its follow-up package."""
    out = tmp_path_factory.mktemp("follow-up-cmi5")
    built = build(BuildConfig(source_dir=course_source("course"), out_dir=out, targets=("cmi5",)))
    [follow_up] = [b.path for b in built if "-follow-up-" in b.path.name]
    [main] = [b.path for b in built if "-follow-up-" not in b.path.name]
    return main, follow_up


@pytest.fixture(scope="module")
def package(packages: tuple[Path, Path]) -> Path:
    return packages[1]


def ids(s: Statement, where: str) -> list[str]:
    return [a["id"] for a in s["context"]["contextActivities"].get(where, [])]


def test_the_follow_up_au_reports_what_the_course_report_joins(
    context: BrowserContext,
    launcher: Launcher,
    lrs: Lrs,
    problems: Problems,
    packages: tuple[Path, Path],
) -> None:
    [au] = launcher.course.aus()
    assert au.id == f"{FOLLOW_UP}/au" and au.move_on == "Completed"
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-42", name="Test Learner")
    back = f"{launcher.base_url}/xapi/about"
    page.goto(launcher.launch_url(au.id, registration, return_url=back))
    expect(page.locator("html.cp-js section.cp-page:visible")).to_have_count(1)
    unit = Walker(page, course_source("course"))
    assert [s.key for s in unit.stops] == ["follow-up/retention-test", "follow-up/practice-survey"]
    unit.walk(1, one_wrong, exit=True)
    page.wait_for_url(back)
    statements = stored(lrs, page, "terminated")
    mine = check_all(launcher, statements, {})
    assert defined(mine) == ["initialized", "completed", "terminated"], "moveOn Completed"
    [session] = launcher.sessions.values()
    actor = launcher.registrations[registration].actor

    for s in mine:
        assert s["actor"] == actor, "the launch's actor, as the course's own AU has"
        assert COURSE in ids(s, "grouping"), "the course IRI in the grouping"
        assert FOLLOW_UP in ids(s, "grouping") or s["object"]["id"] == session.activity_id
        assert s["context"]["extensions"][VERSION] == "1.1.1"
        assert s["context"]["extensions"][SESSION] == session.id
        assert s["context"]["registration"] == registration
    follow_up = load_course(course_source("course")).follow_up
    assert follow_up is not None
    answered = [s for s in mine if s["verb"]["id"] == VERBS + "answered"]
    retention = [s for s in answered if ids(s, "parent") == [RETENTION]]
    questions = [q.id for q in follow_up.retention_test.spec.questions]
    assert [s["object"]["id"] for s in retention] == [f"{RETENTION}/{q}" for q in questions]
    assert [s["result"]["success"] for s in retention] == [False] + [True] * 7
    assert all(s["context"]["extensions"][KIND] == "retention-test" for s in retention)
    survey = [s for s in answered if ids(s, "parent") == [PRACTICE]]
    practice = follow_up.practice_survey.spec.questions
    assert [s["object"]["id"] for s in survey] == [f"{PRACTICE}/{q.id}" for q in practice]
    assert all(s["context"]["extensions"][KIND] == "practice-survey" for s in survey)
    assert all("success" not in s["result"] for s in survey), "a self-report is never scored"
    # The retention test's score: `completed` about the retention test, a cmi5 allowed statement
    # (no cmi5 category, so no LMS takes it for the AU's completion), as the xapi target sends it.
    [done] = [s for s in mine if s["object"]["id"] == RETENTION]
    assert done["verb"]["id"] == VERBS + "completed"
    assert done["context"]["extensions"][KIND] == "retention-test"
    assert done["result"]["score"] == {"scaled": 0.875, "raw": 7, "min": 0, "max": 8}
    assert "success" not in done["result"] and done["result"]["completion"] is True
    assert not any(s["object"]["id"] == COURSE for s in statements), "never the course itself"

    # The report's reader (from Ralph, as `coursepack report --lrs` reads) and its fold.
    index = course_index(load_course(course_source("course")))
    fold = Aggregator(index, load_profile(), Filters(version="1.1.1"))
    for s in LrsSource(lrs.endpoint, lrs.auth, page_size=7)():
        fold.add(s)
    [learner] = fold.learners.values()
    assert learner.retention is not None and learner.retention[1] == 0.875
    kinds = Counter(index.items[iri].kind for iri in learner.answers)
    assert kinds == {"retention-test": 8, "practice-survey": len(practice) - 1}  # + 1 free text
    assert fold.comment_count == 1
    table = follow_up_table(index, [learner])
    assert table is not None
    # A course of its own to the LMS: its own course id, so the launcher's course object (the
    # object of satisfied, §9.3.9) is not the course's, and finishing it satisfies only itself.
    course_lms = Launcher(packages[0], launcher.lrs, homepage=launcher.homepage)
    assert (course_lms.course.id, launcher.course.id) == (COURSE, FOLLOW_UP)
    [satisfied] = [s for s in statements if s["verb"]["id"].endswith("/satisfied")]
    assert ids(satisfied, "grouping") == [FOLLOW_UP], "the follow-up's course, by its own id"
    assert satisfied["object"]["id"] == launcher._generated("course", FOLLOW_UP)
    assert satisfied["object"]["id"] != course_lms._generated("course", COURSE)
    counts = sorted(Counter(s["verb"]["id"].rsplit("/", 1)[-1] for s in statements).items())
    print(f"cmi5 follow-up session: {len(mine)} AU statements; all by verb: {dict(counts)}")
    problems.assert_clean()
