"""The course data contract (builder/course_data.py): one shape, its schema, both sides checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.course_data import checked, schema_text
from builder.errors import ValidationError
from builder.loader import load_course
from builder.render import course_data
from builder.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "course-data.schema.json"
#: Real course data of a fixture course, which tests/js/course-data.test.js validates with the
#: schema in JavaScript and feeds to the runtime.
JS_SAMPLE = ROOT / "tests" / "js" / "course-data.sample.json"
COURSES = ROOT / "tests" / "fixtures" / "courses"


def sample() -> dict[str, Any]:
    """The `types` fixture (every question type, a draw, a check, the survey), dual-track 2004."""
    lrs = {"endpoint": "https://lrs.example.org/xapi/", "actorHomePage": "https://lms.example.org"}
    return course_data(load_course(COURSES / "types"), TARGETS["scorm2004-4th"], lrs=lrs)


def test_the_schema_in_docs_is_the_models(update_golden: bool) -> None:
    if update_golden:
        SCHEMA.write_text(schema_text(), encoding="utf-8")
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), "rerun with --update-golden"


def test_the_js_sample_is_what_the_build_makes(update_golden: bool) -> None:
    text = json.dumps(sample(), indent=2, ensure_ascii=False) + "\n"
    if update_golden:
        JS_SAMPLE.write_text(text, encoding="utf-8")
    assert JS_SAMPLE.read_text(encoding="utf-8") == text, "rerun with --update-golden"


@pytest.mark.parametrize("name", ["minimal", "full", "types", "course"])
@pytest.mark.parametrize("target", list(TARGETS))
def test_every_course_and_target_fits_the_contract(name: str, target: str) -> None:
    source = ROOT / "modules" if name == "course" else COURSES / name
    data = course_data(load_course(source), TARGETS[target])
    assert checked(data) == data


def test_what_does_not_fit_is_refused_naming_the_field() -> None:
    data = sample()
    extra = json.loads(json.dumps(data))
    extra["assessments"]["all/post-test"]["questions"][0]["hint"] = "x"
    with pytest.raises(ValidationError, match=r"assessments\.all/post-test\.questions\.0\.hint"):
        checked(extra)
    wrong = json.loads(json.dumps(data))
    wrong["course"]["masteryScore"] = 180
    with pytest.raises(ValidationError, match=r"course\.masteryScore"):
        checked(wrong)
    missing = json.loads(json.dumps(data))
    del missing["pages"][0]["title"]
    with pytest.raises(ValidationError, match=r"pages\.0\.title"):
        checked(missing)
