"""The follow-up unit of the real course in headless Chromium, as its own package.

Under scorm-again (SCORM 1.2 and 2004) it reports completion and the retention test's score like
a course, never pass or fail. From an xAPI launch into Ralph its statements follow the contract
`report` reads: the course's actor, the course IRI in the grouping, the course version; the
retention test's answers with their success and its `completed` with a score and no success; the
practice survey's answers. Every statement passes npm `xapi-validation` and matches exactly one
template of the profile.
"""

from __future__ import annotations

import json
import zipfile
from typing import Any
from urllib.parse import urlencode

import pytest
from browser_site import Problems, Site, course_source
from browser_walk import Walker, all_right, free_text
from lrs_fixtures import (
    Lrs,
    Sent,
    assert_exactly_once,
    delivered,
    in_sent_order,
    launch_url,
    validation_problems,
    watch,
)
from playwright.sync_api import BrowserContext, Page, expect
from test_accessibility import BLOCKING, RUN_AXE, run_axe
from test_scorm_walk import is2004, wait_finished

from builder.build import build
from builder.config import BuildConfig
from builder.loader import load_course
from builder.questions import FreeText, Question

pytestmark = pytest.mark.browser

COURSE = "https://example.org/coursepack/htp-prosecution"
FOLLOW_UP = f"{COURSE}/follow-up"
RETENTION = f"{FOLLOW_UP}/retention-test"
PRACTICE = f"{FOLLOW_UP}/practice-survey"
PROFILE = "https://example.org/coursepack/profile"
KIND = f"{PROFILE}/extensions/assessment-kind"
VERSION = f"{PROFILE}/extensions/course-version"
ACTOR = {"objectType": "Agent", "name": "Test Learner",
         "account": {"homePage": "https://lms.example.org", "name": "learner-42"}}  # fmt: skip
REGISTRATION = "3c1f0a2b-5d4e-4f6a-8b7c-9d0e1f2a3b4c"
VERBS = "http://adlnet.gov/expapi/verbs/"


def one_wrong(key: str, question: Question) -> bool:
    """Every answer right except the first retention question (7 of 8: 87.5%)."""
    return not (key == "follow-up/retention-test" and question.id == "consent-deception")


def open_follow_up(page: Page, site: Site, target: str) -> Walker:
    """Launch the real course's follow-up package from the test LMS."""
    host = "lms/scorm2004.html" if is2004(target) else "lms/scorm12.html"
    page.goto(
        site.url(
            host + "?" + urlencode({"pkg": "/" + site.package("course", f"{target}@follow-up")})
        )
    )
    return Walker(page.frame_locator("#sco"), course_source("course"))


def build_xapi_follow_up(site: Site) -> str:
    """Build the real course for the xapi target; unzip its follow-up package; its site path."""
    dest = site.root / "xapi-pkg" / "follow-up"
    built = build(BuildConfig(source_dir=course_source("course"), out_dir=dest / "zip",
                              targets=("xapi",)))  # fmt: skip
    [package] = [b.path for b in built if "-follow-up-" in b.path.name]
    with zipfile.ZipFile(package) as zf:
        zf.extractall(dest / "xapi")
    return "xapi-pkg/follow-up/xapi/index.html"


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-3rd", "scorm2004-4th"])
def test_the_follow_up_reports_completion_and_the_retention_score_like_a_course(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    unit = open_follow_up(page, site, target)
    assert [s.key for s in unit.stops] == ["follow-up/retention-test", "follow-up/practice-survey"]
    unit.walk(1, one_wrong, exit=True)
    cmi = wait_finished(page, target)["cmi"]
    if is2004(target):
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "unknown")
        assert float(cmi["score"]["scaled"]) == pytest.approx(0.875)
        assert float(cmi["score"]["raw"]) == pytest.approx(87.5)
    else:
        assert cmi["core"]["lesson_status"] == "completed", "never passed or failed"
        assert float(cmi["core"]["score"]["raw"]) == pytest.approx(87.5)
    # The retention test's answers are LMS interactions (as the course's post-tests are);
    # the practice survey, like the course's survey, goes to the LRS only.
    found = cmi["interactions"]
    items = found.get("childArray", found) if isinstance(found, dict) else found
    entries = list(items.values()) if isinstance(items, dict) else list(items)
    ids = [e["id"] for e in entries if isinstance(e, dict) and "id" in e]
    assert len(ids) == 8 and all(i.startswith("follow-up_retention-test_") for i in ids), ids
    problems.assert_clean()


def test_xapi_follow_up_statements_follow_the_contract(
    context: BrowserContext, site: Site, lrs: Lrs, problems: Problems
) -> None:
    sent = Sent()
    sent.watch(context)
    page = watch(context.new_page(), problems)
    path = build_xapi_follow_up(site)
    page.goto(launch_url(site, path, endpoint=lrs.endpoint, auth=lrs.auth,
                         actor=json.dumps(ACTOR), registration=REGISTRATION,
                         activity_id=FOLLOW_UP))  # fmt: skip
    unit = Walker(page, course_source("course"))
    unit.walk(1, one_wrong, exit=True)
    follow_up = load_course(course_source("course")).follow_up
    assert follow_up is not None
    retention_ids = [q.id for q in follow_up.retention_test.spec.questions]
    practice = follow_up.practice_survey.spec.questions
    stored = delivered(lrs, page, expected=8 + 1 + len(practice) + 5)
    ordered = in_sent_order(stored, sent)
    assert_exactly_once(stored, sent)
    assert validation_problems(stored) == {}

    def ids(s: dict[str, Any], where: str) -> list[str]:
        return [a["id"] for a in s["context"]["contextActivities"].get(where, [])]

    for s in stored:
        assert s["actor"] == ACTOR, "the same actor account as the course's"
        assert COURSE in ids(s, "grouping"), "the course IRI in the grouping"
        assert s["context"]["extensions"][VERSION] == "1.1.1"
        assert s["context"]["registration"] == REGISTRATION
    said = [(s["verb"]["id"].removeprefix(VERBS), s["object"]["id"]) for s in ordered]
    answered = [s for s in ordered if s["verb"]["id"] == VERBS + "answered"]
    retention = [s for s in answered if ids(s, "parent") == [RETENTION]]
    assert [s["object"]["id"] for s in retention] == [f"{RETENTION}/{q}" for q in retention_ids]
    assert [s["result"]["success"] for s in retention] == [False] + [True] * 7
    assert all(s["context"]["extensions"][KIND] == "retention-test" for s in retention)
    [done] = [s for s in ordered if s["object"]["id"] == RETENTION]
    assert done["verb"]["id"] == VERBS + "completed"
    assert done["context"]["extensions"][KIND] == "retention-test"
    assert done["result"]["score"] == {"scaled": 0.875, "raw": 7, "min": 0, "max": 8}
    assert "success" not in done["result"] and done["result"]["completion"] is True
    survey = [s for s in answered if ids(s, "parent") == [PRACTICE]]
    assert [s["object"]["id"] for s in survey] == [f"{PRACTICE}/{q.id}" for q in practice]
    assert all(s["context"]["extensions"][KIND] == "practice-survey" for s in survey)
    assert all("success" not in s["result"] for s in survey), "a self-report is never scored"
    by_id = {s["object"]["id"].rsplit("/", 1)[1]: s for s in survey}
    changed = by_id["changed-practice"]["object"]["definition"]
    assert changed["interactionType"] == "likert" and len(changed["scale"]) == 5
    [text] = [q for q in practice if isinstance(q, FreeText)]
    assert by_id[text.id]["object"]["definition"]["interactionType"] == "long-fill-in"
    assert by_id[text.id]["result"]["response"] == " ".join(free_text(text).split())
    assert len(answered) == len(retention) + len(survey)
    # The unit's own lifecycle is about the follow-up activity, never the course itself.
    assert said[0] == ("initialized", FOLLOW_UP) and said[-1] == ("terminated", FOLLOW_UP)
    assert ("completed", FOLLOW_UP) in said
    assert not any(obj == COURSE for _, obj in said), "the course is never completed again"
    problems.assert_clean()


def test_the_follow_up_pages_have_no_serious_axe_violation(
    page: Page, site: Site, problems: Problems
) -> None:
    unit = open_follow_up(page, site, "scorm2004-4th")
    for i, stop in enumerate(unit.stops):
        unit.walk(i, all_right, answer_last=False)
        assert run_axe(page, site) == [], stop.key
        unit.answer(stop.key, all_right)
        assert run_axe(page, site) == [], f"{stop.key} submitted"
        if i < len(unit.stops) - 1:
            unit.next()
    problems.assert_clean()


def test_the_bench_cards_page_prints_a_card_a_page_and_offers_the_pdf(
    page: Page, site: Site, problems: Problems
) -> None:
    launch = site.package("course", "scorm2004-4th")
    cards_page = launch.replace("index.html", "bench-cards.html")
    page.goto(site.url(cards_page))
    page.add_script_tag(url=site.url("vendor/axe.min.js"))
    violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
    assert violations == []
    cards = page.locator("section.cp-card")
    expect(cards).to_have_count(3)
    expect(page.get_by_role("heading", level=2)).to_have_text(
        ["Bench card: judges", "Bench card: prosecutors", "Bench card: court staff"]
    )
    href = page.get_by_role("link", name="Download the bench cards as a PDF").get_attribute("href")
    page.emulate_media(media="print")
    breaks = cards.evaluate_all("els => els.map((e) => getComputedStyle(e).breakAfter)")
    assert breaks == ["page", "page", "auto"]
    pdf = page.request.get(site.url(cards_page.replace("bench-cards.html", href or "")))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    problems.assert_clean()
