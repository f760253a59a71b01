"""The follow-up unit (`modules/follow-up.yaml`): its content, its checks and its own package."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builder.build import build
from builder.config import BuildConfig
from builder.errors import CourseError
from builder.loader import load_course
from builder.questions import FreeText, Likert
from builder.render import course_data
from builder.targets import TARGETS
from builder.validate import validate_package

REPO = Path(__file__).resolve().parents[1]
MODULES = REPO / "modules"
MINIMAL = REPO / "tests" / "fixtures" / "courses" / "minimal"
AGREE = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")

FOLLOW_UP = """\
title: Later
retention_test:
  questions:
    - id: sky
      type: single
      parallel: {parallel}
      objective: recall
      prompt: On a clear day, what colour is the sky?
      choices:
        - text: Blue
          correct: true
        - text: Red
      explanation: Rayleigh scattering.
      source: Physics
practice_survey:
  questions:
    - id: changed-practice
      type: likert
      prompt: I changed something.
      scale: [No, Yes]
    - id: what
      type: text
      prompt: What?
"""


def with_follow_up(tmp_path: Path, parallel: str = "basics/colour", text: str = FOLLOW_UP) -> Path:
    """The minimal course with a follow-up.yaml whose one retention question names `parallel`."""
    dest = tmp_path / "modules"
    shutil.copytree(MINIMAL, dest)
    (dest / "follow-up.yaml").write_text(text.format(parallel=parallel), encoding="utf-8")
    return dest


def test_each_module_has_one_retention_item_parallel_to_its_post_test() -> None:
    course = load_course(MODULES)
    assert course.follow_up is not None
    assert course.follow_up.spec.after_months == 3
    retention = course.follow_up.retention_test.spec.questions
    assert [q.parallel.split("/")[0] for q in retention if q.parallel] == [
        m.id for m in course.modules
    ]
    for q in retention:
        assert q.parallel is not None
        module_id, _, question_id = q.parallel.partition("/")
        module = next(m for m in course.modules if m.id == module_id)
        assert module.post_test is not None
        [twin] = [p for p in module.post_test.spec.questions if p.id == question_id]
        assert (twin.objective, twin.type) == (q.objective, q.type), q.id
        assert twin.prompt != q.prompt, f"{q.id}: other wording"
        assert q.source and q.explanation and q.scored


def test_the_practice_survey_asks_about_changed_practice() -> None:
    follow_up = load_course(MODULES).follow_up
    assert follow_up is not None
    questions = {q.id: q for q in follow_up.practice_survey.spec.questions}
    changed = questions["changed-practice"]
    assert isinstance(changed, Likert) and changed.scale == AGREE
    assert " ".join(changed.prompt.split()) == (
        "Since the course I have changed at least one thing in how I handle "
        "trafficking-related cases."
    )
    assert sum(isinstance(q, FreeText) for q in questions.values()) == 1
    assert not any(q.scored for q in questions.values())


def test_the_follow_up_data_carries_the_contracts_ids() -> None:
    course = load_course(MODULES)
    unit = course.follow_up_unit()
    assert unit is not None
    data = course_data(unit, TARGETS["xapi"])
    assert data["course"]["id"] == course.id and data["course"]["version"] == course.spec.version
    assert data["course"]["followUp"] == {
        "id": f"{course.id}/follow-up",
        "courseTitle": course.spec.title,
    }
    assert data["course"]["completion"] == "all-assessments"
    assert [(p["key"], p["kind"]) for p in data["pages"]] == [
        ("follow-up/retention-test", "retention-test"),
        ("follow-up/practice-survey", "practice-survey"),
    ]
    for key, a in data["assessments"].items():
        assert a["module"] == "" and a["attempts"] == 1
        for q in a["questions"]:
            assert q["interaction"]["iri"] == f"{course.id}/{key}/{q['id']}"


@pytest.mark.parametrize(
    ("parallel", "message"),
    [
        ("nowhere/colour", "expected a module with a post-test (basics), found 'nowhere'"),
        (
            "basics/nothing",
            "expected a post-test question of basics (colour, primes, rule), found 'nothing'",
        ),
        (
            "basics/rule",
            "expected a post-test question on objective 'recall', "
            "found 'basics/rule' on objective 'apply'",
        ),
        (
            "colour",
            "expected '<module id>/<post-test question id>' (the post-test question this one "
            "rewords), found 'colour'",
        ),
    ],
)
def test_a_wrong_parallel_names_file_line_and_field(
    tmp_path: Path, parallel: str, message: str
) -> None:
    with pytest.raises(CourseError) as caught:
        load_course(with_follow_up(tmp_path, parallel))
    [problem] = caught.value.problems
    assert problem.path.endswith("modules/follow-up.yaml")
    assert (problem.line, problem.field) == (6, "retention_test.questions[0].parallel")
    assert problem.message == message


def test_the_follow_up_refuses_unscored_retention_and_scored_practice_questions(
    tmp_path: Path,
) -> None:
    text = FOLLOW_UP.replace("      type: likert\n", "      type: true-false\n      answer: true\n")
    text = text.replace("      scale: [No, Yes]\n", "")
    retention = text.index("    - id: sky")
    text = (
        text[:retention]
        + ("    - id: sky\n      type: likert\n      prompt: Fair?\n      scale: [No, Yes]\n")
        + text[text.index("practice_survey:") :]
    )
    with pytest.raises(CourseError) as caught:
        load_course(with_follow_up(tmp_path, text=text))
    found = {(p.field, p.message) for p in caught.value.problems}
    assert found == {
        (
            "retention_test.questions[0].type",
            "expected a scored question in a retention-test, found 'likert' "
            "(opinion questions go in survey.yaml)",
        ),
        (
            "retention_test.questions[0].parallel",
            "expected '<module id>/<post-test question id>' (the post-test question this one "
            "rewords), found nothing",
        ),
        (
            "practice_survey.questions[0].type",
            "expected 'likert' or 'text' in a practice-survey, found 'true-false'",
        ),
    }


def test_the_follow_up_is_a_package_of_its_own_for_every_target(
    tmp_path: Path, shared_dir: Path
) -> None:
    out = tmp_path / "dist"
    built = build(BuildConfig(source_dir=with_follow_up(tmp_path), out_dir=out))
    names = sorted(b.path.name for b in built if "-follow-up-" in b.path.name)
    assert names == sorted(f"minimal-follow-up-{t}-1.0.0.zip" for t in TARGETS)
    tool = shared_dir / "tools" / "validate_manifest.py"
    manifests: dict[str, str] = {}
    for b in built:
        if b.target == "web":
            continue
        assert validate_package(b.path, shared_dir / "schemas").errors == (), b.path.name
        run = subprocess.run(
            [sys.executable, str(tool), str(b.path)], capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr
        with zipfile.ZipFile(b.path) as zf:
            name = {"xapi": "tincan.xml", "cmi5": "cmi5.xml"}.get(b.target, "imsmanifest.xml")
            manifests[b.path.name] = zf.read(name).decode("utf-8")
    course_iri = "https://example.org/coursepack/test/minimal"
    tincan = manifests["minimal-follow-up-xapi-1.0.0.zip"]
    assert f'id="{course_iri}/follow-up"' in tincan
    assert "activity-types/follow-up" in tincan
    for target in ("scorm12", "scorm2004-4th"):
        course = manifests[f"minimal-{target}-1.0.0.zip"]
        follow = manifests[f"minimal-follow-up-{target}-1.0.0.zip"]
        ids = re.compile(r'identifier="([^"]+)"')
        assert set(ids.findall(course)).isdisjoint(ids.findall(follow)), "an LMS tells them apart"
        assert "<adlcp:masteryscore>" not in follow, "never passed or failed"


def test_the_follow_up_package_is_reproducible(tmp_path: Path) -> None:
    source = with_follow_up(tmp_path)
    first = build(BuildConfig(source_dir=source, out_dir=tmp_path / "a", targets=("scorm12",)))
    again = build(BuildConfig(source_dir=source, out_dir=tmp_path / "b", targets=("scorm12",)))
    for one, two in zip(first, again, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes(), one.path.name


def test_a_pre_test_parallel_names_a_question_of_its_own_module_only(tmp_path: Path) -> None:
    dest = tmp_path / "modules"
    shutil.copytree(MINIMAL, dest)
    pre = dest / "01-basics" / "assessments" / "pre-test.yaml"
    key = "    objective: apply\n"
    pre.write_text(pre.read_text().replace(key, key + "    parallel: basics/rule\n", 1))
    with pytest.raises(CourseError) as caught:
        load_course(dest)
    [problem] = caught.value.problems
    assert (problem.field, problem.message) == (
        "questions[0].parallel",
        "expected a post-test question id of this module, found 'basics/rule'",
    )


@pytest.mark.parametrize("command", ["build", "check"])
def test_the_build_says_when_to_schedule_the_follow_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # docs/authoring.md: "the LMS schedules it … after_months after completion: coursepack says
    # when". The admin uploading the packages reads it where the packages are listed.
    from builder.cli import main

    source = with_follow_up(tmp_path, text="after_months: 7\n" + FOLLOW_UP)
    out_dir = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main([command, "-t", "web", "--source", str(source), "--out", str(out_dir)])
    assert exited.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == (
        "follow-up: have the LMS open minimal-follow-up-web-1.0.0.zip 7 months after a learner "
        "completes the course (after_months in follow-up.yaml)"
    )
