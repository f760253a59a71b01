from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from builder.errors import ValidationError
from builder.interactions import (
    decimal,
    describe_question,
    description_2004,
    objective_ids,
    scenario_best,
)
from builder.model import CourseSpec
from builder.questions import Question, Scenario
from builder.typed import validate

IRI = "https://courses.example.org/htp"
ID12 = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
ONE_CHAR = re.compile(r"^[0-9a-z]$")


def question(**fields: Any) -> Question:
    base = {
        "id": "q1",
        "prompt": "Which one?",
        "objective": "o1",
        "explanation": "x",
        "source": "s",
    }
    return validate(Question, json.loads(json.dumps({**base, **fields})), lists=True)


def describe(q: Question, module: str = "m1", kind: str = "post-test") -> dict[str, Any]:
    data = describe_question(IRI, module, kind, q)
    assert json.loads(json.dumps(data)) == data
    assert ID12.match(data["scormId"])
    return data


SINGLE = question(
    type="single",
    choices=[{"text": "A"}, {"text": "B", "correct": True}, {"text": "C"}],
)


def test_single_choice_ids_and_patterns() -> None:
    d = describe(SINGLE)
    assert d["type"] == "choice"
    assert d["choices"] == [
        {"id": "a", "text": "A"},
        {"id": "b", "text": "B"},
        {"id": "c", "text": "C"},
    ]
    assert d["correct"] == {"scorm12": ["b"], "scorm2004": ["b"], "xapi": ["b"]}
    assert d["weighting"] == 1.0


def test_multiple_choice_keeps_authored_ids_and_uses_each_delimiter() -> None:
    d = describe(
        question(
            type="multiple",
            choices=[
                {"text": "A", "correct": True},
                {"text": "B", "id": "x"},
                {"text": "C", "correct": True},
            ],
        )
    )
    assert [c["id"] for c in d["choices"]] == ["a", "x", "c"]
    assert d["correct"] == {"scorm12": ["a,c"], "scorm2004": ["a[,]c"], "xapi": ["a[,]c"]}


def test_thirty_six_choices_get_single_characters() -> None:
    choices = [{"text": f"c{i}", "correct": i == 35} for i in range(36)]
    d = describe(question(type="single", choices=choices))
    ids = [c["id"] for c in d["choices"]]
    assert all(ONE_CHAR.match(i) for i in ids)
    assert len(set(ids)) == 36
    assert ids[:3] == ["a", "b", "c"]
    assert d["correct"]["scorm12"] == ["9"]


@pytest.mark.parametrize(("answer", "p12", "p2004"), [(True, "t", "true"), (False, "f", "false")])
def test_true_false(answer: bool, p12: str, p2004: str) -> None:
    d = describe(question(type="true-false", answer=answer))
    assert d["type"] == "true-false"
    assert d["correct"] == {"scorm12": [p12], "scorm2004": [p2004], "xapi": [p2004]}


def test_matching_sources_and_targets_by_position() -> None:
    pairs = [
        {"source": "locked barn", "target": "Act"},
        {"source": "false promise", "target": "Means"},
        {"source": "transport", "target": "Act "},
    ]
    d = describe(question(type="matching", pairs=pairs))
    assert d["type"] == "matching"
    assert d["source"][1] == {"id": "1", "text": "false promise"}
    assert [s["id"] for s in d["source"]] == ["0", "1", "2"]
    assert [t["id"] for t in d["target"]] == ["a", "b", "c"]
    assert d["target"][2] == {"id": "c", "text": "Act"}
    assert d["correct"]["scorm12"] == ["0.a,1.b,2.c"]
    assert d["correct"]["scorm2004"] == ["0[.]a[,]1[.]b[,]2[.]c"]
    assert d["correct"]["xapi"] == d["correct"]["scorm2004"]


def test_sequencing_in_authored_order() -> None:
    d = describe(question(type="sequencing", steps=["first", "second", "third"]))
    assert d["type"] == "sequencing"
    assert [c["id"] for c in d["choices"]] == ["a", "b", "c"]
    assert d["correct"] == {"scorm12": ["a,b,c"], "scorm2004": ["a[,]b[,]c"], "xapi": ["a[,]b[,]c"]}


def test_fill_in_one_pattern_per_answer_with_case_flag() -> None:
    d = describe(question(type="fill-in", answers=["Palermo", "Palermo  Protocol"]))
    assert d["type"] == "fill-in"
    assert d["correct"]["scorm12"] == ["Palermo", "Palermo Protocol"]
    assert d["correct"]["scorm2004"] == [
        "{case_matters=false}Palermo",
        "{case_matters=false}Palermo Protocol",
    ]
    sensitive = describe(question(type="fill-in", answers=["DNA"], case_sensitive=True))
    assert sensitive["correct"]["xapi"] == ["{case_matters=true}DNA"]
    assert sensitive["caseSensitive"] is True


def test_fill_in_patterns_over_the_limits_are_left_out() -> None:
    # Answers fit max_length (at most 250), so only the 2004 flag can push a pattern past 250.
    answers = ["ok", "y" * 230, "z" * 250]
    d = describe(question(type="fill-in", answers=answers, max_length=250))
    assert d["correct"]["scorm12"] == answers
    flag = "{case_matters=false}"
    assert d["correct"]["scorm2004"] == [flag + "ok", flag + "y" * 230]
    assert len(d["correct"]["xapi"]) == 3


def test_numeric_exact_and_range() -> None:
    exact = describe(question(type="numeric", answer=9071.0))
    assert exact["type"] == "numeric"
    assert exact["correct"] == {"scorm12": ["9071"], "scorm2004": ["9071[:]9071"], "xapi": ["9071"]}
    ranged = describe(question(type="numeric", range=[-2.5, 0.125]))
    assert ranged["correct"] == {
        "scorm12": [],
        "scorm2004": ["-2.5[:]0.125"],
        "xapi": ["-2.5[:]0.125"],
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [(5.0, "5"), (0.1, "0.1"), (-0.0, "0"), (1e-7, "0.0000001"), (1e12, "1000000000000")],
)
def test_decimal_never_uses_an_exponent(value: float, text: str) -> None:
    assert decimal(value) == text


def test_likert_is_unscored_with_a_scale_and_no_correct_response() -> None:
    likert = {
        "id": "relevance",
        "type": "likert",
        "prompt": "Relevant?",
        "scale": ["No", "Yes", "?"],
    }
    q = validate(Question, likert, lists=True)
    d = describe(q, module="", kind="survey")
    assert d["type"] == "likert"
    assert d["scale"] == [
        {"id": "a", "text": "No"},
        {"id": "b", "text": "Yes"},
        {"id": "c", "text": "?"},
    ]
    assert d["correct"] == {"scorm12": [], "scorm2004": [], "xapi": []}
    assert d["weighting"] == 0
    assert d["objective"] is None
    assert d["scormId"] == "survey_relevance"
    assert d["iri"] == f"{IRI}/survey/relevance"


def test_free_text_is_long_fill_in_unscored_and_fill_in_for_scorm12() -> None:
    q = validate(Question, {"id": "next", "type": "text", "prompt": "What will you change?"})
    assert not q.scored
    d = describe(q, module="", kind="survey")
    assert (d["type"], d["scorm12Type"]) == ("long-fill-in", "fill-in")
    assert d["correct"] == {"scorm12": [], "scorm2004": [], "xapi": []}
    assert (d["weighting"], d["objective"]) == (0, None)
    assert d["iri"] == f"{IRI}/survey/next"
    assert "choices" not in d and "scale" not in d


@pytest.mark.parametrize("max_length", [0, 4001])
def test_free_text_max_length_stays_within_what_scorm_2004_keeps(max_length: int) -> None:
    text = {"id": "next", "type": "text", "prompt": "?", "max_length": max_length}
    with pytest.raises(ValidationError):
        validate(Question, json.loads(json.dumps(text)), lists=True)


SCENARIO: dict[str, Any] = {
    "type": "scenario",
    "steps": [
        {
            "id": "start",
            "text": "Passport kept?",
            "options": [
                {"text": "Screen", "feedback": "Good", "points": 2, "next": "screening"},
                {"text": "Ignore", "feedback": "Missed", "points": 0},
                {"text": "Refer", "feedback": "Fine", "points": 1, "next": "screening"},
            ],
        },
        {
            "id": "screening",
            "text": "Next?",
            "options": [
                {"text": "Adjourn", "feedback": "Yes", "points": 1},
                {"text": "Stop", "feedback": "Done", "points": 5},
            ],
        },
    ],
}


def test_scenario_is_a_performance_with_its_best_paths() -> None:
    d = describe(question(**SCENARIO))
    assert d["type"] == "performance"
    assert [s["id"] for s in d["steps"]] == ["start", "screening"]
    assert d["steps"][0]["options"][0] == {"id": "0", "text": "Screen", "next": "screening"}
    assert d["best"] == 7
    assert d["correct"] == {
        "scorm12": ["start.0,screening.1"],
        "scorm2004": ["start[.]0[,]screening[.]1"],
        "xapi": ["start[.]0[,]screening[.]1"],
    }


def test_scenario_lists_every_equally_good_path() -> None:
    options = [
        {"text": "A", "feedback": "f", "points": 2},
        {"text": "B", "feedback": "f", "points": 1},
        {"text": "C", "feedback": "f", "points": 2},
    ]
    q = question(**{**SCENARIO, "steps": [{**SCENARIO["steps"][0], "options": options}]})
    assert isinstance(q, Scenario)
    assert scenario_best(q) == (2, [[("start", 0)], [("start", 2)]])
    assert describe(q)["correct"]["scorm2004"] == ["start[.]0", "start[.]2"]


def test_ids_are_stable_and_depend_only_on_iri_module_kind_and_question() -> None:
    first = describe_question(IRI, "m1", "post-test", SINGLE)
    assert describe_question(IRI, "m1", "post-test", SINGLE) == first
    assert first["scormId"] == "m1_post-test_q1"
    assert first["iri"] == f"{IRI}/m1/post-test/q1"
    assert first["objective"] == {"scormId": "m1", "iri": f"{IRI}/m1#objective"}
    assert describe_question(IRI, "m1", "pre-test", SINGLE)["iri"] != first["iri"]
    assert describe_question(IRI + "-2", "m1", "post-test", SINGLE)["iri"] != first["iri"]


def test_a_new_course_version_keeps_every_id() -> None:
    spec = {
        "id": IRI,
        "title": "T",
        "description": "D",
        "version": "1.0.0",
        "language": "en",
        "publisher": "P",
        "audience": ["a"],
        "keywords": ["k"],
        "duration_minutes": 5,
        "mastery_score": 80.0,
        "completion": "post-test",
    }
    old = validate(CourseSpec, json.loads(json.dumps(spec)), lists=True)
    new = validate(CourseSpec, json.loads(json.dumps({**spec, "version": "2.3.1"})), lists=True)
    assert describe_question(old.id, "m1", "check", SINGLE) == describe_question(
        new.id, "m1", "check", SINGLE
    )
    assert objective_ids(old.id, "m1") == objective_ids(new.id, "m1")


def test_ids_fit_each_standard_even_for_long_or_odd_inputs() -> None:
    long_iri = "https://example.org/" + "x" * 4000
    d = describe_question(
        long_iri, "m" * 64, "post-test", question(id="q" * 64, type="true-false", answer=True)
    )
    assert ID12.match(d["scormId"])
    assert d["iri"].startswith("urn:uuid:")
    assert (
        d["iri"]
        == describe_question(
            long_iri, "m" * 64, "post-test", question(id="q" * 64, type="true-false", answer=True)
        )["iri"]
    )
    assert objective_ids(long_iri, "m1")["iri"].startswith("urn:uuid:")
    assert objective_ids(IRI, "odd module.id")["scormId"] == "odd-module-id"


def test_description_is_plain_and_cut_to_250_for_2004() -> None:
    prompt = "word " * 80 + "\n\nend"
    d = describe(question(type="true-false", answer=True, prompt=prompt))
    assert d["description"] == ("word " * 80).strip() + " end"
    assert len(d["description2004"]) == 250
    assert d["description2004"].endswith("…")
    assert "\n" not in d["description2004"]
    assert description_2004("{lang} tricks") == "(lang} tricks"
    assert description_2004("short") == "short"


FIXTURE = Path(__file__).parent / "js" / "interactions.fixture.json"


def fixture_data() -> dict[str, Any]:
    """One description of every question type, for tests/js/interactions.test.js."""
    questions = {
        "single": SINGLE,
        "multiple": question(
            type="multiple",
            choices=[{"text": "A", "correct": True}, {"text": "B"}, {"text": "C", "correct": True}],
        ),
        "true-false": question(type="true-false", answer=False),
        "matching": question(
            type="matching",
            pairs=[{"source": "barn", "target": "Act"}, {"source": "lie", "target": "Means"}],
        ),
        "sequencing": question(type="sequencing", steps=["one", "two", "three"]),
        "fill-in": question(type="fill-in", answers=["Palermo", "Palermo Protocol"]),
        "numeric": question(type="numeric", range=[9000.0, 9100.0]),
        "likert": question(type="likert", scale=["No", "Unsure", "Yes"], objective=None),
        "text": question(type="text", objective=None, max_length=400),
        "scenario": question(**SCENARIO),
    }
    return {
        "course": IRI,
        "objective": objective_ids(IRI, "m1"),
        "interactions": {
            name: describe_question(IRI, "m1", "post-test", dataclasses.replace(q, id=name))
            for name, q in questions.items()
        },
    }


def test_js_fixture_is_what_the_builder_describes(update_golden: bool) -> None:
    text = json.dumps(fixture_data(), indent=2, ensure_ascii=False) + "\n"
    if update_golden:
        FIXTURE.write_text(text, encoding="utf-8")
    assert FIXTURE.read_text(encoding="utf-8") == text, "rerun pytest with --update-golden"
