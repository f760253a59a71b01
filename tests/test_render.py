"""The learner-facing pages: one index.html in reading order, accessible markup, course data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lxml import html as lxml_html

from builder.errors import TemplateError
from builder.interactions import describe_question, objective_ids
from builder.model import Assessment, AssessmentSpec, Asset, Course, Module, ModuleSpec, Page
from builder.render import SURVEY_KEY, course_data, render_pages, sections
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env
from tests.helpers import course_spec

SINGLE = {
    "id": "three",
    "type": "single",
    "objective": "o",
    "prompt": "Which three <elements>?",
    "explanation": "Art. 3(a).",
    "source": "Palermo",
    "choices": (
        {"text": "Act, means, purpose", "correct": True, "feedback": "Right."},
        {"text": "Sale"},
    ),
}
MULTIPLE = {
    "id": "means",
    "type": "multiple",
    "objective": "o",
    "prompt": "Which are means?",
    "explanation": "x",
    "source": "y",
    "weight": 2.0,
    "choices": (
        {"text": "Force", "correct": True, "id": "f"},
        {"text": "Harbour"},
        {"text": "Fraud", "correct": True},
    ),
}
TRUE_FALSE = {
    "id": "child",
    "type": "true-false",
    "objective": "o",
    "prompt": "Means needed?",
    "explanation": "x",
    "source": "y",
    "answer": False,
}
MATCHING = {
    "id": "pairs",
    "type": "matching",
    "objective": "o",
    "prompt": "Match.",
    "explanation": "x",
    "source": "y",
    "pairs": (
        {"source": "US", "target": "one"},
        {"source": "EU", "target": "Two"},
        {"source": "UK", "target": "alpha"},
    ),
}
SCENARIO = {
    "id": "bail",
    "type": "scenario",
    "objective": "o",
    "prompt": "A hearing.",
    "explanation": "x",
    "source": "y",
    "steps": (
        {
            "id": "start",
            "text": "Passport held.",
            "options": (
                {"text": "Ask", "feedback": "Good.", "points": 2, "next": "screen"},
                {"text": "Skip", "feedback": "Missed.", "points": 3},
            ),
        },
        {
            "id": "screen",
            "text": "Indicators.",
            "options": (
                {"text": "Refer", "feedback": "Right.", "points": 2},
                {"text": "Back", "feedback": "Loop.", "points": 1, "next": "start"},
            ),
        },
    ),
}
OTHERS = (
    {
        "id": "fill",
        "type": "fill-in",
        "objective": "o",
        "prompt": "Rule?",
        "explanation": "x",
        "source": "y",
        "answers": ("two", "2"),
    },
    {
        "id": "num",
        "type": "numeric",
        "objective": "o",
        "prompt": "How many?",
        "explanation": "x",
        "source": "y",
        "range": (9000.0, 9100.0),
    },
    {
        "id": "seq",
        "type": "sequencing",
        "objective": "o",
        "prompt": "Order.",
        "explanation": "x",
        "source": "y",
        "steps": ("Identify", "Refer", "Protect"),
    },
    {"id": "view", "type": "likert", "prompt": "Useful?", "scale": ("No", "Maybe", "Yes")},
)


def assessment(kind: Any, *questions: dict[str, Any], **extra: Any) -> Assessment:
    spec = AssessmentSpec.model_validate({"questions": questions, **extra})
    return Assessment(kind=kind, title=f"{kind} title", spec=spec, source=f"{kind}.yaml")


def module(mid: str, pages: int, *, pre: bool, post: bool, checks: bool = False) -> Module:
    spec = ModuleSpec.model_validate(
        {
            "id": mid,
            "title": f"Module {mid}",
            "minutes": 5,
            "objectives": ({"id": "o", "text": "Objective"},),
        }
    )
    page_list = tuple(
        Page(
            id=f"p{i}",
            title=f"{mid} page {i}",
            source=f"0{i}-p{i}.md",
            html=f'<p>Text {i}. <a href="#page-{mid}/p1">First</a></p>',
            checks=("child", "bail") if checks and i == 1 else (),
        )
        for i in range(1, pages + 1)
    )
    return Module(
        spec=spec,
        pages=page_list,
        pre_test=assessment("pre-test", SINGLE) if pre else None,
        post_test=assessment("post-test", SINGLE, MULTIPLE, TRUE_FALSE, draw=2) if post else None,
        assets=(Asset(f"assets/{mid}/a.png", b"\x89PNG-" + mid.encode()),),
        checks=assessment("check", TRUE_FALSE, SCENARIO) if checks else None,
    )


@pytest.fixture
def course() -> Course:
    return Course(
        spec=course_spec(language="de-DE"),
        modules=(
            module("m1", 2, pre=True, post=True, checks=True),
            module("m2", 1, pre=False, post=True),
        ),
    )


def render(course: Course, target: str = "scorm12") -> tuple[Any, dict[str, Any]]:
    files = render_pages(course, make_env([DEFAULT_TEMPLATES]), TARGETS[target])
    page = {f.arcname: f.data for f in files}["index.html"].decode("utf-8")
    tree = lxml_html.document_fromstring(page)
    return tree, json.loads(tree.get_element_by_id("coursepack-data").text)


def test_files_are_index_and_every_asset(course: Course) -> None:
    files = render_pages(course, make_env([DEFAULT_TEMPLATES]), TARGETS["web"])
    assert [f.arcname for f in files] == ["index.html", "assets/m1/a.png", "assets/m2/a.png"]
    assert files[2].data == b"\x89PNG-m2"


def test_sections_follow_reading_order_and_match_the_data(course: Course) -> None:
    tree, data = render(course)
    want = ["m1/pre-test", "m1/p1", "m1/p2", "m1/post-test", "m2/p1", "m2/post-test"]
    found = tree.xpath("//main/section[contains(@class,'cp-page')]")
    assert [s.get("data-key") for s in found] == want
    assert [s.get("id") for s in found] == [f"page-{k}" for k in want]
    assert [p["key"] for p in data["pages"]] == want
    assert [p["kind"] for p in data["pages"]] == [
        "pre-test",
        "page",
        "page",
        "post-test",
        "page",
        "post-test",
    ]
    # Loader-rewritten links point at a section that exists.
    targets = {h[1:] for h in tree.xpath("//main//a/@href") if h.startswith("#page-")}
    assert targets == {"page-m1/p1", "page-m2/p1"}


def test_page_skeleton_is_accessible(course: Course) -> None:
    tree, _ = render(course)
    assert tree.get("lang") == "de-DE"
    assert tree.xpath("//meta[@name='viewport']")
    skip = tree.xpath("//body/a[1]")[0]
    assert skip.get("href") == "#main" and tree.get_element_by_id("main").tag == "main"
    assert tree.xpath("//header") and not tree.xpath("//header//h1")
    assert len(tree.xpath("//nav[@aria-label='Contents']//a")) == 6
    # One h1 per section, focusable from script (sections stay unnamed: no duplicate landmarks).
    for section in tree.xpath("//section[contains(@class,'cp-page')]"):
        (h1,) = section.xpath(".//h1")
        assert h1.get("tabindex") == "-1" and section.get("aria-labelledby") is None
    names = [b.text_content().strip() for b in tree.xpath("//nav[@aria-label]//button")]
    assert names == ["Previous", "Next", "Exit"]
    assert tree.xpath("//script[@type='module']/@src") == ["runtime/main.js"]
    assert tree.xpath("//*[@role='status']")


def test_no_external_resources(course: Course) -> None:
    tree, _ = render(course)
    urls = tree.xpath("//@src | //@href")
    assert urls and not [u for u in urls if "//" in u or u.startswith("http")]


def test_every_input_has_a_label_and_every_question_a_legend(course: Course) -> None:
    tree, _ = render(course)
    controls = tree.xpath("//main//input | //main//select")
    assert len(controls) > 20
    for control in controls:
        assert len(tree.xpath(f"//label[@for='{control.get('id')}']")) == 1, control.get("id")
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    for fs in tree.xpath("//fieldset[contains(@class,'cp-q')]"):
        assert fs.xpath("./legend")[0].text_content().strip()
    assert tree.xpath("//legend[starts-with(., 'Which three <elements>?')]")


def test_assessments_submit_and_checks_stay_on_their_page(course: Course) -> None:
    tree, data = render(course)
    post = tree.get_element_by_id("page-m1/post-test")
    assert post.xpath(".//form[@data-quiz='m1/post-test']//button[@type='submit']/text()") == [
        "Submit"
    ]
    page = tree.get_element_by_id("page-m1/p1")
    assert page.xpath(".//form/@data-quiz") == ["m1/check/child", "m1/check/bail"]
    assert data["assessments"]["m1/check/bail"]["page"] == "m1/p1"
    assert data["assessments"]["m1/check/bail"]["kind"] == "check"


def test_course_data_carries_rules_and_answer_keys(course: Course) -> None:
    data = course_data(course, TARGETS["scorm2004-4th"])
    assert data["standard"] == "scorm2004"
    assert data["course"] == {
        "id": course.id,
        "title": course.spec.title,
        "version": "1.0.0",
        "language": "de-DE",
        "masteryScore": 80.0,
        "completion": "all-pages-and-post-test",
    }
    post = data["assessments"]["m1/post-test"]
    assert (post["kind"], post["draw"], post["shuffle"]) == ("post-test", 2, False)
    single, multiple, truth = post["questions"]
    assert (single["choices"], single["correct"], single["weight"]) == (["a", "b"], ["a"], 1.0)
    assert (multiple["choices"], multiple["correct"]) == (["f", "b", "c"], ["f", "c"])
    assert (truth["choices"], truth["correct"]) == (["true", "false"], ["false"])
    assert "m2/pre-test" not in data["assessments"]


def test_every_question_type_renders_with_its_key() -> None:
    mod = Module(
        spec=ModuleSpec.model_validate(
            {"id": "m", "title": "M", "minutes": 1, "objectives": ({"id": "o", "text": "x"},)}
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
        assert found == [describe_question(course.id, "m1", kind, q) for q in questions]
    # Pre- and post-test answers to the same question id are told apart by their ids.
    pre = data["assessments"]["m1/pre-test"]["questions"][0]["interaction"]
    post = data["assessments"]["m1/post-test"]["questions"][0]["interaction"]
    assert (pre["id12"], post["id12"]) == ("m1_pre-test_three", "m1_post-test_three")
    post_data = data["assessments"]["m1/post-test"]
    assert post_data["objective"] == objective_ids(course.id, "m1")
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
        AssessmentSpec.model_validate({"questions": ({**OTHERS[0], "max_length": 2},)})


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
    section = tree.xpath("//main/section[contains(@class,'cp-page')]")[-1]
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
    assert first["id12"] == "survey_view"
    assert first["id2004"] == f"{course.id}/survey/view"
    # A split build (one module per package) has no survey.
    assert SURVEY_KEY not in course_data(course.only("m"), TARGETS["web"])["assessments"]


def test_sections_without_tests_or_with_unknown_checks() -> None:
    plain = Course(spec=course_spec(), modules=(module("m", 1, pre=False, post=False),))
    assert [s.key for s in sections(plain)] == ["m/p1"]
    broken = module("m", 1, pre=False, post=False)
    page = Page(id="p1", title="P", html="<p>x</p>", source="p.md", checks=("nope",))
    bad = Course(
        spec=course_spec(),
        modules=(
            Module(spec=broken.spec, pages=(page,), pre_test=None, post_test=None, assets=()),
        ),
    )
    with pytest.raises(TemplateError, match="m/p1: no knowledge check with id nope"):
        sections(bad)


def test_rendering_is_deterministic(course: Course) -> None:
    env = make_env([DEFAULT_TEMPLATES])
    assert render_pages(course, env, TARGETS["web"]) == render_pages(course, env, TARGETS["web"])


def test_course_data_cannot_close_the_script_element() -> None:
    spec = course_spec(title="</script><script>alert(1)</script>")
    tree, data = render(Course(spec=spec, modules=(module("m", 1, pre=False, post=False),)))
    assert data["course"]["title"] == "</script><script>alert(1)</script>"
    assert len(tree.xpath("//script")) == 2
