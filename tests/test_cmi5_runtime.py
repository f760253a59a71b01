"""The cmi5 AU runtime (lms/cmi5.js, cmi5/*.js) in node against an in-memory cmi5 LMS
(tests/js/cmi5-world.mjs): every statement of every scenario follows the cmi5 rules
(tests/cmi5_rules.py) and matches exactly one template of the profile (the drift test)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from cmi5_rules import Session, is_defined, problems, verb
from helpers import REPO, node_json

from builder.loader import load_course
from builder.render import course_data
from builder.statements import example_response
from builder.targets import TARGETS
from builder.vocabulary import load_profile

DRIVER = REPO / "tests" / "js" / "cmi5-statements.mjs"
ACTIVITY = "https://lms.example.org/au/41"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
REGISTRATION = "0b9f2a4e-6c1d-4f3a-9e2b-7d5c8a1f0e36"
COURSES = {
    "real": REPO / "modules",
    "full": REPO / "tests" / "fixtures" / "courses" / "full",
}
SCENARIOS = ["pass", "fail-then-pass", "browse", "review", "reload", "mastery", "refused", "closed"]


@cache
def unit_data(course: str) -> dict[str, Any]:
    """The course data of the course's first module as its own AU (`--units module`)."""
    loaded = load_course(COURSES[course])
    return course_data(loaded.only(loaded.modules[0].id), TARGETS["cmi5"], unit=(0, 2))


@cache
def run(course: str, scenario: str) -> dict[str, Any]:
    data = unit_data(course)
    questions = [q["interaction"] for a in data["assessments"].values() for q in a["questions"]]
    payload = {
        "data": data,
        "responses": {i["iri"]: example_response(i) for i in questions},
        "scenario": scenario,
    }
    return dict(node_json(DRIVER, payload))


def sessions_of(out: dict[str, Any], course: str) -> dict[str, Session]:
    mastery = unit_data(course)["course"]["masteryScore"] / 100
    return {
        sid: Session(
            s["launchMode"], s["masteryScore"] if s["masteryScore"] is not None else mastery
        )
        for sid, s in out["sessions"].items()
    }


def said(out: dict[str, Any], defined: bool = True) -> list[str]:
    return [verb(s) for s in out["statements"] if is_defined(s) or not defined]


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("course", list(COURSES))
def test_every_statement_follows_the_cmi5_rules_and_the_profile(course: str, scenario: str) -> None:
    out = run(course, scenario)
    assert out["statements"], "the scenario sent nothing"
    found = problems(
        out["statements"],
        activity_id=ACTIVITY,
        registration=REGISTRATION,
        sessions=sessions_of(out, course),
        ended=scenario != "closed",
    )
    assert found == []
    profile = load_profile()
    mismatches = {
        f"{i} {verb(s)} {s['object']['id']}": p
        for i, s in enumerate(out["statements"])
        if (p := profile.validate(s))
    }
    assert mismatches == {}


def test_a_normal_launch_passes_completes_and_returns_to_the_lms() -> None:
    out = run("real", "pass")
    assert said(out) == ["initialized", "completed", "passed", "terminated"]
    assert said(out, defined=False).count("experienced") > 0
    assert out["posts"] == [{"method": "POST", "url": "https://lms.example.org/fetch?k=1"}]
    assert out["redirects"] == ["https://lms.example.org/back"]
    passed = next(s for s in out["statements"] if verb(s) == "passed")
    assert passed["result"]["score"]["scaled"] == 1
    # The LMS's contextTemplate: its grouping (publisher id) and session id on every statement.
    for s in out["statements"]:
        ctx = s["context"]
        assert "https://courses.example.org/htp/m1" in [
            a["id"] for a in ctx["contextActivities"]["grouping"]
        ]
        assert ctx["extensions"][SESSION] == "session-1"


def test_a_failing_session_then_a_passing_one() -> None:
    out = run("real", "fail-then-pass")
    assert said(out) == [
        "initialized", "failed", "terminated", "initialized", "completed", "passed", "terminated",
    ]  # fmt: skip
    assert len(out["posts"]) == 2


def test_the_tests_results_go_as_allowed_statements_about_the_tests() -> None:
    """What `coursepack report` reads: the pre-test's `completed` with its score, each post-test
    attempt's `completed` with its score and success, about the test, never with the cmi5
    category; never passed/failed about anything but the AU (an LMS takes those for the AU's)."""
    out = run("real", "fail-then-pass")
    module = unit_data("real")["course"]["id"] + "/" + unit_data("real")["course"]["unit"]
    tests = [s for s in out["statements"] if s["object"]["id"].endswith(("pre-test", "post-test"))]
    assert [(verb(s), s["object"]["id"].removeprefix(module + "/")) for s in tests] == [
        ("completed", "pre-test"), ("completed", "post-test"),
        ("completed", "pre-test"), ("completed", "post-test"),
    ]  # fmt: skip
    assert not any(is_defined(s) for s in tests)
    pre, failed, _, passed = (s["result"] for s in tests)
    assert "success" not in pre and pre["score"]["max"] > 0
    assert failed["success"] is False and failed["score"]["scaled"] == 0
    assert passed["success"] is True and passed["score"]["scaled"] == 1
    post = tests[-1]["context"]["contextActivities"]
    assert [a["id"] for a in post["parent"]] == [ACTIVITY], "inside the AU, by its activityId"
    assert module in [a["id"] for a in post["grouping"]]
    judged = {s["object"]["id"] for s in out["statements"] if verb(s) in ("passed", "failed")}
    assert judged == {ACTIVITY}


@pytest.mark.parametrize("scenario", ["browse", "review"])
def test_browse_and_review_send_only_initialized_and_terminated(scenario: str) -> None:
    out = run("real", scenario)
    last = f"session-{len(out['posts'])}"
    last_session = [s for s in out["statements"] if s["context"]["extensions"][SESSION] == last]
    assert [verb(s) for s in last_session] == ["initialized", "terminated"]


def test_a_reload_neither_fetches_nor_initializes_again() -> None:
    out = run("real", "reload")
    assert len(out["posts"]) == 1
    assert out["gets"].count("LMS.LaunchData") == 2
    assert said(out).count("initialized") == 1
    assert said(out) == ["initialized", "completed", "passed", "terminated"]


def test_the_lms_mastery_score_overrides_the_courses() -> None:
    out = run("real", "mastery")
    [judged] = [s for s in out["statements"] if verb(s) in ("passed", "failed")]
    scaled = judged["result"]["score"]["scaled"]
    assert unit_data("real")["course"]["masteryScore"] / 100 <= scaled < 0.95
    assert verb(judged) == "failed"
    assert (
        judged["context"]["extensions"][
            "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
        ]
        == 0.95
    )


def test_a_refused_token_is_told_to_the_learner() -> None:
    out = run("real", "refused")
    assert out["notices"] == ["runtime.cmi5.refused"]
    assert [p["method"] for p in out["posts"]] == ["POST", "POST"]
    # The first tab's session goes on; the second tab sent nothing.
    assert said(out) == ["initialized", "completed", "passed", "terminated"]


def test_a_closed_window_leaves_the_session_open_for_the_lms_to_abandon() -> None:
    out = run("real", "closed")
    assert "terminated" not in said(out)
    assert out["redirects"] == []


def test_the_rule_checker_can_fail() -> None:
    out = run("real", "fail-then-pass")
    statements = [dict(s) for s in out["statements"]]
    kwargs = {"activity_id": ACTIVITY, "registration": REGISTRATION,
              "sessions": sessions_of(out, "real")}  # fmt: skip
    assert problems(statements, **kwargs) == []
    # A failed after the passed, in the passing session, before its terminated.
    failed = next(s for s in statements if verb(s) == "failed")
    before_end = statements[-2]["context"]
    extensions = {**before_end["extensions"], MASTERY: 0.8}
    late = {
        **failed,
        "id": "00000000-0000-4000-8000-999999999999",
        "timestamp": statements[-2]["timestamp"],
        "context": {**before_end, "extensions": extensions},
    }
    found = problems([*statements[:-1], late, statements[-1]], **kwargs)
    assert "registration: §9.3: failed after passed" in found
    assert any("more than one of passed/failed" in p for p in found)
    # A score on terminated, an object other than the AU.
    bad = {**statements[-1], "result": {"duration": "PT1S", "score": {"scaled": 1}}}
    bad["object"] = {"id": "https://elsewhere.example.org/a"}
    found = problems([*statements[:-1], bad], **kwargs)
    assert any("§9.5.1: score on terminated" in p for p in found)
    assert any("§9.4" in p for p in found)
