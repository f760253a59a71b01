"""What the training achieved, under cmi5: a module AU of the real course, launched by the
launcher into Ralph, read back by `coursepack report`'s reader and fold.

The real course built for cmi5 with one AU per module. The learner takes the first module: the
pre-test all wrong, the checks and the post-test all right, Exit. The AU sends the pre-test's
`completed` and the post-test's result (`completed` with score and success) as cmi5 allowed
statements about the tests (docs/cmi5.md); every statement passes the cmi5 rule checker, npm
`xapi-validation` and the profile (`check_all`), and the report finds the learner's pre-test and
post-test scores and a learning-gain row for the module. The learner then takes every other
module's AU (every page, the tests right, Exit), and `coursepack report --lrs` finds the course
completed (every module AU completed, their moveOn) and each module completed, with time.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from browser_site import Problems, course_source
from browser_walk import Walker, all_right
from lrs_fixtures import Lrs, watch
from playwright.sync_api import BrowserContext, expect
from test_cmi5_run import check_all, defined, stored

from builder.build import build
from builder.cli import main
from builder.config import BuildConfig
from builder.launcher import Launcher
from builder.loader import load_course
from builder.questions import Question
from builder.report.aggregate import Aggregator, Filters
from builder.report.items import course_index
from builder.report.learning import learning_table
from builder.report.read import LrsSource
from builder.vocabulary import load_profile

pytestmark = pytest.mark.browser

VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real course built for cmi5, one AU per module: the course's package."""
    out = tmp_path_factory.mktemp("cmi5-learning")
    config = BuildConfig(
        source_dir=course_source("course"), out_dir=out, targets=("cmi5",), units="module"
    )
    [main] = [b.path for b in build(config) if "-follow-up-" not in b.path.name]
    return main


def pre_wrong(key: str, question: Question) -> bool:
    """The pre-test all wrong, everything else right."""
    return not key.endswith("/pre-test") and all_right(key, question)


def test_a_module_au_reports_its_pre_and_post_test_and_the_gain(
    context: BrowserContext, launcher: Launcher, lrs: Lrs, problems: Problems, tmp_path: Path
) -> None:
    index = course_index(load_course(course_source("course")))
    module = index.modules[0]
    au = launcher.au(f"{index.iri}/{module}")
    page = watch(context.new_page(), problems)
    registration = launcher.register("learner-31")
    page.goto(launcher.launch_url(au.id, registration))
    expect(page.locator("html.cp-js section.cp-page:visible")).to_have_count(1)
    unit = Walker(page, course_source("course"))
    checks = {k: a["page"] for k, a in unit.data["assessments"].items() if a.get("page")}
    for i, stop in enumerate(unit.stops):
        unit.expect_at(i)
        if stop.kind in ("pre-test", "post-test"):
            unit.answer(stop.key, pre_wrong)
            expect(unit.section(stop.key).get_by_role("status").first).not_to_be_empty()
        for key in (k for k, where in checks.items() if where == stop.key):
            unit.answer(key, all_right, submit="Check answer")
        if i < len(unit.stops) - 1:
            unit.next()
    unit.exit()
    statements = stored(lrs, page, "terminated")
    mine = check_all(launcher, statements, {})
    assert defined(mine) == ["initialized", "completed", "passed", "terminated"]

    # The tests' results: cmi5 allowed statements about the tests, never about the AU.
    [session] = launcher.sessions.values()
    tests = [s for s in mine if s["object"]["id"].endswith(("/pre-test", "/post-test"))]
    tests = [s for s in tests if s["verb"]["id"] != VERBS + "answered"]
    assert [(s["verb"]["id"], s["object"]["id"]) for s in tests] == [
        (VERBS + "completed", f"{index.iri}/{module}/pre-test"),
        (VERBS + "completed", f"{index.iri}/{module}/post-test"),
    ]
    pre, post = tests
    for s in tests:
        assert CMI5 not in [a["id"] for a in s["context"]["contextActivities"]["category"]]
    assert pre["result"]["score"]["scaled"] == 0 and "success" not in pre["result"]
    assert post["result"]["score"]["scaled"] == 1 and post["result"]["success"] is True
    assert [a["id"] for a in post["context"]["contextActivities"]["parent"]] == [
        session.activity_id
    ]
    judged = {
        s["object"]["id"] for s in mine if s["verb"]["id"] in (VERBS + "passed", VERBS + "failed")
    }
    assert judged == {session.activity_id}, "passed/failed only ever about the AU"

    # The report's reader (from Ralph, pages of 7) and its fold: scores and the gain.
    fold = Aggregator(index, load_profile(), Filters(version="1.1.1"))
    for s in LrsSource(lrs.endpoint, lrs.auth, page_size=7)():
        fold.add(s)
    [learner] = fold.learners.values()
    assert learner.pre[module][1] == 0.0
    result = learner.post[module]
    assert (result.attempts, result.passed, result.first and result.first[1]) == (1, True, 1.0)
    rows = [r for r in learning_table(index, [learner], seed=14).as_dicts() if r["scope"] == module]
    paired = {r["basis"]: r for r in rows if r["learners"]}
    # The post-test draws 8 of its questions: the matched-items row has the learner only when the
    # draw held a pre-test question's parallel (it may not: 5 parallels among 19 questions).
    items = [i for i in index.items.values() if i.module == module]
    drawn = {i.id for i in items if i.kind == "post-test" and i.iri in learner.answers}
    assert len(drawn) == 8, drawn
    parallels = {i.parallel for i in items if i.kind == "pre-test" and i.parallel}
    expected = {"whole tests"} | ({"matched items"} if drawn & parallels else set())
    assert expected <= set(paired), rows
    if not drawn & parallels:
        assert "matched items" not in paired, rows
    for r in paired.values():
        assert (r["learners"], r["pre"], r["post"], r["gain"]) == (1, 0, 1, 1), r
    counts = Counter(s["verb"]["id"].rsplit("/", 1)[-1] for s in mine)
    by_verb = dict(sorted(counts.items()))
    print(f"cmi5 module AU session: {len(mine)} AU statements; by verb: {by_verb}")

    # Every other module's AU, then the report from Ralph: the course and each module completed.
    for n, other in enumerate(index.modules[1:], start=2):
        page.goto(launcher.launch_url(f"{index.iri}/{other}", registration))
        expect(page.locator("html.cp-js section.cp-page:visible")).to_have_count(1)
        walk = Walker(page, course_source("course"))
        walk.walk(len(walk.stops) - 1, all_right, exit=True)
        stored(lrs, page, "terminated", n)  # this session's statements all sent
    report = course_report(lrs, tmp_path)
    rows = {r["scope"]: r for r in report["tables"]["participation"] if r["group"] == "all"}
    assert (rows["course"]["launched"], rows["course"]["completed"]) == (1, 1)
    assert rows["course"]["median_minutes"] > 0
    for m in index.modules:
        assert (rows[m]["completed"], rows[m]["passed"]) == (1, 1), m
    print(f"report of the real course's {len(index.modules)} module AUs: {rows['course']}")
    problems.assert_clean()


def course_report(lrs: Lrs, tmp_path: Path) -> dict[str, object]:
    """`coursepack report --lrs` (the credential from the environment) of the real course."""
    out = tmp_path / "report.json"
    args = ["report", "--source", str(course_source("course")), "--lrs", lrs.endpoint]
    args += ["--lrs-auth-env", "CMI5_REPORT_AUTH", "--page-size", "50", "--json", str(out)]
    with (
        mock.patch.dict(os.environ, {"CMI5_REPORT_AUTH": lrs.auth}),
        pytest.raises(SystemExit) as ex,
    ):
        main(args)
    assert (ex.value.code or 0) == 0
    return dict(json.loads(out.read_text(encoding="utf-8")))
