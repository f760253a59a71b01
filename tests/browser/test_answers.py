"""Every question type answered in Chromium under scorm-again: the interactions and objectives the
LMS recorded, Retake, and an unsubmitted post-test resumed with the same draw and answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from browser_site import FIXTURE_COURSES, Problems, Site
from browser_walk import Walker, all_right, all_wrong, answer_survey, free_text
from playwright.sync_api import Page, expect
from test_scorm_walk import (
    DURATION_2004,
    TIMESPAN_12,
    is2004,
    open_in_lms,
    resume_state,
    wait_finished,
)

from builder.interactions import describe_question, objective_ids
from builder.questions import (
    FillIn,
    FreeText,
    Likert,
    Matching,
    MultipleChoice,
    Numeric,
    Question,
    Scenario,
    Sequencing,
    SingleChoice,
    TrueFalse,
)

pytestmark = pytest.mark.browser

TYPES = FIXTURE_COURSES / "types"
SCORM_TARGETS = ("scorm12", "scorm2004-3rd", "scorm2004-4th")


def mostly_right(key: str, question: Question) -> bool:
    """Every answer right except the sequencing question of the post-test."""
    return not (key == "all/post-test" and question.id == "order")


def expected_response(q: Question, right: bool, target: str) -> str:
    """What the LMS must hold as the learner's response to `q` answered by `answer_question`."""
    v12 = not is2004(target)
    sep, dot = ("," if v12 else "[,]"), ("." if v12 else "[.]")
    if isinstance(q, SingleChoice):
        return next(chr(97 + i) for i, c in enumerate(q.choices) if c.correct == right)
    if isinstance(q, MultipleChoice):
        return sep.join(chr(97 + i) for i, c in enumerate(q.choices) if c.correct)
    if isinstance(q, TrueFalse):
        value = q.answer == right
        return ("t" if value else "f") if v12 else str(value).lower()
    if isinstance(q, Matching):
        return sep.join(f"{i}{dot}{chr(97 + i)}" for i in range(len(q.pairs)))
    if isinstance(q, Sequencing):
        ids = [chr(97 + i) for i in range(len(q.steps))]
        return sep.join(ids if right else list(reversed(ids)))
    if isinstance(q, FillIn):
        return q.answers[0]
    if isinstance(q, Numeric):
        return f"{q.answer:g}"
    if isinstance(q, Likert):
        return chr(97 + len(q.scale) - 1)
    if isinstance(q, FreeText):
        # One line; 1.2 keeps the first 255 characters (UTF-16 units, as scorm-again counts),
        # 2004 long-fill-in 4,000 with no leading "{" (a {lang=} delimiter).
        text = " ".join(free_text(q).split())
        if not v12:
            return "(" + text[1:]
        cut = text.encode("utf-16-le")[: 2 * 255].decode("utf-16-le", errors="ignore")
        assert len(cut) < len(text)
        return cut
    assert isinstance(q, Scenario)
    return f"start{dot}0{sep}next{dot}0"


def entries(cmi: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """`cmi.interactions` or `cmi.objectives` as scorm-again renders them, in index order."""
    found = cmi.get(name, {})
    items = found.get("childArray", found) if isinstance(found, dict) else found
    if isinstance(items, dict):
        return [items[k] for k in sorted(items, key=int) if k.isdigit()]
    return list(items)


def walk_types(course: Walker) -> None:
    """Answer the pre-test, the check, both post-tests (mostly right) and the survey, then Exit."""
    course.walk(course.index("all/read"), all_right)
    course.answer("all/check/warm-up", all_right, submit="Check answer")
    course.next()
    course.walk(course.index("survey"), mostly_right, answer_last=False)
    answer_survey(course)
    course.exit()


@pytest.mark.parametrize("target", SCORM_TARGETS)
def test_every_answer_is_an_interaction_and_each_module_an_objective(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    """Each answer: id, type, correct patterns, response, result, latency; per module its score."""
    course = open_in_lms(page, site, target, course="types")
    walk_types(course)
    cmi = wait_finished(page, target)["cmi"]
    std = "scorm2004" if is2004(target) else "scorm12"
    key_id = "scormId"  # both SCORM standards: the short id (builder/interactions.py)
    recorded = {e["id"]: e for e in entries(cmi, "interactions")}
    iri = course.course.id
    expected: list[tuple[str, str, Question]] = []
    for m in course.course.modules:
        for kind, test in (("pre-test", m.pre_test), ("post-test", m.post_test)):
            if test is not None:
                expected += [(m.id, kind, q) for q in test.spec.questions]
        if m.checks is not None:
            expected += [(m.id, "check", q) for q in m.checks.spec.questions]
    assert course.course.survey is not None
    expected += [("", "survey", q) for q in course.course.survey.spec.questions]
    drawn = 0
    for module_id, kind, q in expected:
        described = describe_question(iri, module_id, kind, q)
        entry = recorded.get(described[key_id])
        if module_id == "bank":
            drawn += entry is not None
            continue  # drawn: checked by count below
        assert entry is not None, f"no interaction {described[key_id]} in {sorted(recorded)}"
        right = mostly_right(f"{module_id}/{kind}", q)
        assert entry["type"] == (
            described["type"] if is2004(target) else described.get("scorm12Type", described["type"])
        )
        patterns = [p["pattern"] for p in entries(entry, "correct_responses")]
        assert patterns == described["correct"][std], q.id
        response = entry["learner_response" if is2004(target) else "student_response"]
        assert response == expected_response(q, right, target), q.id
        result = "neutral" if not q.scored else "correct" if right else "incorrect"
        assert entry["result"] == (result if is2004(target) or right else "wrong"), q.id
        assert (DURATION_2004 if is2004(target) else TIMESPAN_12).match(entry["latency"])
        objective = entries(entry, "objectives")
        if q.scored:
            assert [o["id"] for o in objective] == [objective_ids(iri, module_id)[key_id]]
    assert drawn == 3, "three questions drawn from the bank, each recorded"

    objectives = {o["id"]: o for o in entries(cmi, "objectives")}
    for module_id, share in (("all", 0.875), ("bank", 1.0)):
        o = objectives[objective_ids(iri, module_id)[key_id]]
        if is2004(target):
            assert float(o["score"]["scaled"]) == pytest.approx(share)
            assert (o["success_status"], o["completion_status"]) == ("passed", "completed")
        else:
            assert float(o["score"]["raw"]) == pytest.approx(share * 100)
            assert o["status"] == "passed"
    problems.assert_clean()


@pytest.mark.parametrize("target", ("scorm12", "scorm2004-4th"))
def test_an_unsubmitted_post_test_resumes_with_its_draw_and_answers(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    """Leave half way through a drawn, shuffled post-test; the next launch shows the same."""
    course = open_in_lms(page, site, target, course="types")
    at = course.index("bank/post-test")
    course.walk(at, all_right, answer_last=False)
    boxes = course.section("bank/post-test").get_by_role("textbox")
    visible = course.section("bank/post-test").locator("fieldset.cp-q:visible legend")
    prompts = visible.all_text_contents()
    assert len(prompts) == 3
    shown = course.section("bank/post-test").locator("fieldset.cp-q:visible").get_by_role("textbox")
    shown.nth(0).fill("first | answer ~ \\ ü")
    shown.nth(1).fill("second")
    shown.nth(1).press("Tab")
    course.exit()
    first = wait_finished(page, target)
    assert len(first["cmi"]["suspend_data"]) < 4096

    course = open_in_lms(
        page, site, target, course="types", state=json.dumps(resume_state(first["cmi"], target))
    )
    course.expect_at(at)
    assert visible.all_text_contents() == prompts
    assert [shown.nth(i).input_value() for i in range(3)] == ["first | answer ~ \\ ü", "second", ""]
    assert boxes.count() == 3, "the questions not drawn stay hidden"
    questions = {q.prompt: q for q in course.questions("bank/post-test")[0]}
    for i, prompt in enumerate(prompts):
        q = questions[prompt]
        assert isinstance(q, FillIn)
        shown.nth(i).fill(q.answers[0])
    course.button("Submit").click()
    status = course.section("bank/post-test").get_by_role("status").first
    expect(status).to_have_text(re.compile("3 of 3"))
    problems.assert_clean()


def test_retake_after_a_failed_attempt_until_attempts_run_out(
    page: Page, site: Site, problems: Problems
) -> None:
    """Explanation and source after Submit; Retake clears the form; 2 attempts, then no Retake."""
    course = open_in_lms(page, site, "scorm2004-4th", course="types")
    course.walk(course.index("all/post-test"), all_right, answer_last=False)
    course.answer("all/post-test", all_wrong)
    section = course.section("all/post-test")
    expect(section.get_by_text("Rayleigh scattering makes it blue.")).to_be_visible()
    expect(section.get_by_text("Source: Physics [P1]")).to_be_visible()
    retake = course.button("Retake")
    expect(retake).to_be_visible()
    retake.click()
    expect(course.button("Submit")).to_be_visible()
    expect(section.get_by_text("Rayleigh scattering makes it blue.")).to_be_hidden()
    radio = section.get_by_role("radio", name="Blue", exact=True)
    expect(radio).to_be_enabled()
    expect(radio).not_to_be_checked()
    # Keyboard only: a matching drop-down and a scenario step.
    france = section.get_by_role("combobox", name="France", exact=True)
    france.focus()
    page.keyboard.type("P")  # type-ahead picks "Paris" without opening the list
    expect(france).to_have_value("a")
    scenario = section.get_by_role("group", name="What do you do first?", exact=True)
    scenario.get_by_role("radio", name="Ask about support", exact=True).focus()
    page.keyboard.press("Space")
    expect(section.get_by_role("group", name="She asks for an interpreter.")).to_be_visible()
    course.answer("all/post-test", all_right)
    expect(section.get_by_role("status").first).to_have_text(re.compile("8 of 8"))
    expect(retake).to_be_hidden()
    course.next()
    course.walk(len(course.stops) - 1, all_right, exit=True)
    cmi = wait_finished(page, "scorm2004-4th")["cmi"]
    ids = [e["id"] for e in entries(cmi, "interactions")]
    sky = describe_question(
        course.course.id, "all", "post-test", course.questions("all/post-test")[0][0]
    )
    assert ids.count(sky["scormId"]) == 2, "each attempt's answer is journaled"
    assert cmi["success_status"] == "passed"
    problems.assert_clean()
