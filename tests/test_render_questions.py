"""Rendering of every question type, its interaction description, attempts and the survey."""

from __future__ import annotations

import pytest

from builder.interactions import describe_question, objective_ids
from builder.model import AssessmentSpec, Course, Module, ModuleSpec
from builder.render import SURVEY_KEY, course_data
from builder.targets import TARGETS
from builder.typed import validate
from tests.helpers import course_spec
from tests.render_support import (
    MATCHING,
    OTHERS,
    SCENARIO,
    SINGLE,
    assessment,
    module,
    render,
    sample_course,
)


@pytest.fixture
def course() -> Course:
    return sample_course()


def test_every_question_type_renders_with_its_key() -> None:
    mod = Module(
        spec=validate(
            ModuleSpec,
            {"id": "m", "title": "M", "minutes": 1, "objectives": ({"id": "o", "text": "x"},)},
        ),
        pages=(),
        pre_test=None,
        assets=(),
        post_test=assessment("post-test", MATCHING, SCENARIO, *OTHERS, shuffle=True),
    )
    tree, data = render(Course(spec=course_spec(), modules=(mod,)), "web")
    by_id = {q["id"]: q for q in data["assessments"]["m/post-test"]["questions"]}
    assert by_id["pairs"]["correct"] == ["a", "b", "c"]
    # Options are listed alphabetically so their order does not give the answer away.
    options = tree.xpath("//select[@id='q-m--post-test--pairs-1']/option/text()")
    assert options == ["Choose…", "alpha", "one", "Two"]
    assert by_id["fill"]["answers"] == ["two", "2"] and by_id["fill"]["caseSensitive"] is False
    assert by_id["num"]["range"] == [9000.0, 9100.0]
    assert by_id["view"]["scored"] is False and by_id["view"]["choices"] == ["a", "b", "c"]
    assert by_id["bail"]["best"] == 4
    assert by_id["bail"]["steps"][0]["options"][0] == {"points": 2, "next": "screen"}
    assert tree.xpath("//fieldset[@data-qid='seq']//label/text()") == ["Step 1", "Step 2", "Step 3"]
    assert (
        "any number from 9000 to 9100"
        in tree.get_element_by_id("q-m--post-test--num").text_content()
    )
    assert not tree.xpath("//fieldset[@data-qid='view']//details")


def test_best_points_follows_the_best_path_without_looping() -> None:
    mod = module("m", 1, pre=False, post=False, checks=True)
    _, data = render(Course(spec=course_spec(), modules=(mod,)), "web")
    assert data["assessments"]["m/check/bail"]["questions"][0]["best"] == 4


def test_every_question_carries_its_interaction_description(course: Course) -> None:
    data = course_data(course, TARGETS["scorm12"])
    assert data["stateLevel"] == 0
    m1 = course.modules[0]
    assert m1.pre_test is not None and m1.post_test is not None and m1.checks is not None
    for key, kind, questions in (
        ("m1/pre-test", "pre-test", m1.pre_test.spec.questions),
        ("m1/post-test", "post-test", m1.post_test.spec.questions),
        ("m1/check/bail", "check", m1.checks.spec.questions[1:]),
    ):
        found = [q["interaction"] for q in data["assessments"][key]["questions"]]
        described = [describe_question(course.id, "m1", kind, q) for q in questions]
        # A SCORM 1.2 package carries only the 1.2 patterns its adapter reads.
        for d in described:
            d["correct"] = {"scorm12": d["correct"]["scorm12"]}
        assert found == described
    # Pre- and post-test answers to the same question id are told apart by their ids.
    pre = data["assessments"]["m1/pre-test"]["questions"][0]["interaction"]
    post = data["assessments"]["m1/post-test"]["questions"][0]["interaction"]
    assert (pre["scormId"], post["scormId"]) == ("m1_pre-test_three", "m1_post-test_three")
    post_data = data["assessments"]["m1/post-test"]
    # Dual-track and xAPI packages also carry the xAPI patterns; plain web carries none.
    for name, lrs, formats in (("xapi", None, {"xapi"}), ("web", None, set())):
        other = course_data(course, TARGETS[name], lrs=lrs)
        first = other["assessments"]["m1/post-test"]["questions"][0]["interaction"]
        assert set(first["correct"]) == formats, name
    assert post_data["objective"] == {**objective_ids(course.id, "m1"), "index": 0}
    assert post_data["attempts"] == 0
    assert data["assessments"]["m1/pre-test"]["attempts"] == 1
    assert "objective" not in data["assessments"]["m1/pre-test"]


def test_attempts_limit_and_retake_button() -> None:
    mod = module("m", 1, pre=True, post=True)
    limited = Module(
        spec=mod.spec,
        pages=mod.pages,
        pre_test=mod.pre_test,
        post_test=assessment("post-test", SINGLE, attempts=3),
        assets=(),
    )
    tree, data = render(Course(spec=course_spec(), modules=(limited,)))
    assert data["assessments"]["m/post-test"]["attempts"] == 3
    retake = tree.xpath("//form[@data-quiz='m/post-test']//button[@data-cp='retake']")
    assert [b.text_content() for b in retake] == ["Retake"] and retake[0].get("hidden") is not None
    assert not tree.xpath("//form[@data-quiz='m/pre-test']//button[@data-cp='retake']")


def test_typed_answers_have_a_maximum_length() -> None:
    mod = module("m", 1, pre=False, post=False)
    post = assessment("post-test", *OTHERS[:2])
    short = {**OTHERS[0], "id": "short", "max_length": 5}
    course = Course(
        spec=course_spec(),
        modules=(Module(mod.spec, mod.pages, None, post, (), assessment("check", short)),),
    )
    tree, data = render(course)
    questions = {q["id"]: q for q in data["assessments"]["m/post-test"]["questions"]}
    assert (questions["fill"]["maxLength"], questions["num"]["maxLength"]) == (60, 32)
    assert tree.xpath("//input[@id='q-m--post-test--fill-answer']/@maxlength") == ["60"]
    assert tree.xpath("//input[@id='q-m--post-test--num-answer']/@maxlength") == ["32"]
    with pytest.raises(ValueError, match="fit in max_length 2"):
        validate(AssessmentSpec, {"questions": ({**OTHERS[0], "max_length": 2},)})


def test_the_survey_is_the_last_section_and_reports_likert_interactions() -> None:
    survey = assessment("survey", OTHERS[3], {**OTHERS[3], "id": "again"})
    mod = module("m", 1, pre=False, post=True)
    course = Course(spec=course_spec(), modules=(mod,), survey=survey)
    tree, data = render(course)
    assert data["pages"][-1] == {
        "key": SURVEY_KEY,
        "module": "",
        "kind": "survey",
        "title": "survey title",
    }
    # The last section of the course data's; the completion page follows it.
    *_, section, completion = tree.xpath("//main/section[contains(@class,'cp-page')]")
    assert completion.get("id") == "page-completion"
    assert section.get("id") == "page-survey" and section.get("data-kind") == "survey"
    assert section.xpath(".//form[@data-quiz='survey']//button[@type='submit']/text()") == [
        "Submit"
    ]
    assert "not scored" in section.text_content()
    assert tree.xpath("//nav[@aria-label='Contents']//a[@data-key='survey']/text()") == [
        "survey title"
    ]
    data_survey = data["assessments"][SURVEY_KEY]
    assert (data_survey["kind"], data_survey["attempts"]) == ("survey", 1)
    first = data_survey["questions"][0]["interaction"]
    assert (first["type"], first["weighting"], first["objective"]) == ("likert", 0, None)
    assert first["scormId"] == "survey_view"
    assert first["iri"] == f"{course.id}/survey/view"
    # A split build (one module per package) has no survey.
    assert SURVEY_KEY not in course_data(course.only("m"), TARGETS["web"])["assessments"]


def test_an_open_question_is_a_text_area_with_no_answer_and_is_never_scored() -> None:
    text = {"id": "next", "type": "text", "prompt": "What will you change?", "max_length": 300}
    survey = assessment("survey", OTHERS[3], text)
    course = Course(
        spec=course_spec(), modules=(module("m", 1, pre=False, post=True),), survey=survey
    )
    tree, data = render(course)
    [fieldset] = tree.xpath("//fieldset[@data-qid='next']")
    assert fieldset.get("data-type") == "text"
    [area] = fieldset.xpath(".//textarea")
    assert area.get("maxlength") == "300"
    assert fieldset.xpath(".//label/text()") == ["Your answer"]
    assert "at most 300 characters" in fieldset.xpath("string(.//legend)")
    assert not fieldset.xpath(".//details"), "no answer, explanation or 'Correct' to show"
    [q] = [q for q in data["assessments"][SURVEY_KEY]["questions"] if q["id"] == "next"]
    assert (q["type"], q["scored"], q["maxLength"]) == ("text", False, 300)
    assert "answers" not in q and "correct" not in q
    assert q["interaction"]["type"] == "long-fill-in"
    assert q["interaction"]["scorm12Type"] == "fill-in"
