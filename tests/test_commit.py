"""The LMS commit budget (builder/commit.py): what an LMS receives at Terminate fits a beacon."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_state import write_course

from builder.build import build
from builder.commit import BEACON_BUDGET, BEACON_LIMIT, check_commit_budget, worst_case_commit
from builder.config import BuildConfig
from builder.errors import CourseError
from builder.loader import load_course
from builder.render import course_data
from builder.state import worst_case_size
from builder.targets import TARGETS

REPO = Path(__file__).resolve().parents[1]
WORST = REPO / "tests" / "js" / "worst-commit.mjs"
FIXTURES = REPO / "tests" / "fixtures" / "courses"
SCORM = ("scorm12", "scorm2004-3rd", "scorm2004-4th")


def js_commit(data: dict[str, Any]) -> int:
    """Bytes of the largest CMI tree scorm-again commits when the runtime writes into it."""
    node = shutil.which("node")
    assert node, "node is needed to run the runtime's adapters"
    done = subprocess.run(
        [node, str(WORST), str(worst_case_size(data))],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stderr == "", f"the adapter logged errors: {done.stderr}"
    return int(done.stdout)


@pytest.mark.parametrize("target", SCORM)
@pytest.mark.parametrize("course", ["minimal", "full", "course"])
def test_worst_case_is_never_below_what_scorm_again_commits(course: str, target: str) -> None:
    source = REPO / "modules" if course == "course" else FIXTURES / course
    data = course_data(load_course(source), TARGETS[target])
    budget = worst_case_commit(data, TARGETS[target])
    assert budget is not None
    worst = budget.size
    measured = js_commit(data)
    # An upper bound, and a close one: within a quarter of the real tree's size.
    assert measured <= worst <= measured * 1.25 + 4096, (measured, worst)


@pytest.mark.parametrize("target", SCORM)
def test_the_shipped_course_fits_under_the_budget(target: str) -> None:
    data = course_data(load_course(REPO / "modules"), TARGETS[target])
    budget = check_commit_budget(data, TARGETS[target], f"course-{target}")
    assert budget is not None and budget.size <= BEACON_BUDGET < BEACON_LIMIT
    # Each post-test's 8 drawn answers of the first attempt: 8 modules.
    assert budget.interactions == 64


def test_web_and_xapi_send_no_cmi_tree() -> None:
    course = load_course(FIXTURES / "full")
    for name in ("web", "xapi"):
        assert check_commit_budget(course_data(course, TARGETS[name]), TARGETS[name], name) is None


def test_too_many_interactions_are_refused_with_the_figure(tmp_path: Path) -> None:
    source = write_course(tmp_path / "big", choices=2, max_length=60, true_false=400)
    out = tmp_path / "out"
    with pytest.raises(CourseError) as caught:
        build(BuildConfig(source_dir=source, out_dir=out, targets=("scorm2004-4th",)))
    [problem] = caught.value.problems
    assert problem.path == "limit-scorm2004-4th"
    assert "the SCORM 2004 commit at Terminate can reach" in problem.message
    assert "417 interactions" in problem.message
    assert "lms_interactions (now all: assessed, post-test or none)" in problem.message
    assert not out.exists(), "nothing may be written when a package is refused"


def test_the_policy_sets_what_is_counted(tmp_path: Path) -> None:
    source = write_course(tmp_path / "c", choices=2, max_length=10, true_false=3)
    yaml = source / "course.yaml"
    base = yaml.read_text()
    counts = {}
    for choice, attempts in (("all", 1), ("all", 3), ("post-test", 2), ("none", 1)):
        policy = f"lms_interactions: {choice}\nlms_interaction_attempts: {attempts}\n"
        yaml.write_text(base + policy)
        data = course_data(load_course(source), TARGETS["scorm12"])
        budget = worst_case_commit(data, TARGETS["scorm12"])
        assert budget is not None
        counts[choice, attempts] = budget.interactions
    # 20 post-test questions (1 multiple, 16 fill-in, 3 true-false) and 3 attempts allowed.
    assert counts == {("all", 1): 20, ("all", 3): 60, ("post-test", 2): 40, ("none", 1): 0}


@pytest.mark.parametrize("target", SCORM)
def test_free_text_is_budgeted_at_four_bytes_a_character_up_to_what_the_standard_keeps(
    target: str,
) -> None:
    # The types fixture records every assessment, its survey's free text (400) included.
    data = course_data(load_course(FIXTURES / "types"), TARGETS[target])
    [text] = [q for q in data["assessments"]["survey"]["questions"] if q["type"] == "text"]
    assert text["maxLength"] == 400
    budget = worst_case_commit(data, TARGETS[target])
    assert budget is not None
    measured = js_commit(data)
    assert measured <= budget.size <= measured * 1.25 + 4096, (measured, budget.size)
    # Without the free-text question the worst case shrinks by at least its response: 1.2 keeps
    # 255 characters, 2004 (long-fill-in) all 400, at 4 bytes each.
    survey = data["assessments"]["survey"]
    others = [q for q in survey["questions"] if q["type"] != "text"]
    smaller = {
        **data,
        "assessments": {**data["assessments"], "survey": {**survey, "questions": others}},
    }
    less = worst_case_commit(smaller, TARGETS[target])
    assert less is not None
    kept = 255 if target == "scorm12" else 400
    assert budget.size - less.size >= 4 * kept


def test_the_course_surveys_free_text_is_no_lms_interaction_under_its_post_test_policy() -> None:
    data = course_data(load_course(REPO / "modules"), TARGETS["scorm2004-4th"])
    assert data["course"]["interactions"]["kinds"] == ["post-test"]
    survey = data["assessments"]["survey"]
    assert [q["type"] for q in survey["questions"]].count("text") == 1
    tree = TARGETS["scorm2004-4th"].commit_tree(data)
    assert tree is not None
    ids = {i["id"] for i in tree["cmi"]["interactions"].values()}
    assert not any(i.startswith("survey_") for i in ids)
    # Its typed characters still count in the learner state (4 bytes each in the commit).
    assert worst_case_size(data) > 2 * 140
