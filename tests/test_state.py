"""The learner-state budget: Python's worst case equals the runtime encoder's, limits hold."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from builder.build import build
from builder.cli import main
from builder.config import BuildConfig
from builder.errors import CourseError
from builder.loader import load_course
from builder.render import course_data
from builder.state import LEVELS, check_state_budget, plan_state, worst_case_size
from builder.targets import TARGETS, Limits

REPO = Path(__file__).resolve().parents[1]
WORST = REPO / "tests" / "js" / "worst-state.mjs"
COURSES = {
    "real": REPO / "modules",
    "full": REPO / "tests" / "fixtures" / "courses" / "full",
    "minimal": REPO / "tests" / "fixtures" / "courses" / "minimal",
}


def js_worst(data: dict[str, Any], level: int) -> int:
    """The length of the largest state the runtime's own encoder writes for `data`."""
    node = shutil.which("node")
    assert node, "node is needed to run the runtime's encoder"
    done = subprocess.run(
        [node, str(WORST), str(level)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(done.stdout)


@pytest.mark.parametrize("name", list(COURSES))
def test_python_worst_case_equals_the_runtime_encoder(name: str) -> None:
    data = course_data(load_course(COURSES[name]), TARGETS["scorm12"])
    sizes = [worst_case_size(data, level) for level in range(len(LEVELS))]
    assert sizes == [js_worst(data, level) for level in range(len(LEVELS))]
    assert sizes[0] >= sizes[1] > sizes[2] > 0


def write_course(root: Path, *, choices: int, max_length: int, true_false: int = 0) -> Path:
    """A one-module course whose state is dominated by a fill-in and a multiple choice.

    `true_false` more questions (one character of answer each) make the order long instead.
    """
    (root / "01-m" / "pages").mkdir(parents=True)
    (root / "01-m" / "assessments").mkdir()
    (root / "course.yaml").write_text(
        "id: https://example.org/coursepack/test/limit\ntitle: Limit\ndescription: d\n"
        "version: 1.0.0\nlanguage: en\npublisher: p\naudience: [a]\nkeywords: [k]\n"
        "duration_minutes: 5\nmastery_score: 80\ncompletion: all-pages\n"
    )
    (root / "01-m" / "module.yaml").write_text(
        "id: m\ntitle: M\nminutes: 5\nobjectives:\n  - {id: o, text: Recall it.}\n"
    )
    (root / "01-m" / "pages" / "01-p.md").write_text("---\ntitle: P\n---\nText.\n")
    options = "\n".join(
        f"      - text: Option {i}\n        correct: {'true' if i == 0 else 'false'}"
        for i in range(choices)
    )
    fill = "\n".join(
        f"  - id: fill{i}\n    type: fill-in\n    objective: o\n    prompt: Type {i}.\n"
        f"    answers: [x]\n    max_length: {max_length}\n    explanation: e\n    source: s"
        for i in range(16)
    )
    fill += "".join(
        f"\n  - {{id: tf{i}, type: true-false, objective: o, prompt: Statement {i}., answer: true, "
        "explanation: e, source: s}"
        for i in range(true_false)
    )
    (root / "01-m" / "assessments" / "post-test.yaml").write_text(
        f"attempts: 3\nquestions:\n  - id: pick\n    type: multiple\n    objective: o\n"
        f"    prompt: Pick.\n    explanation: e\n    source: s\n    choices:\n{options}\n{fill}\n"
    )
    return root


def limit_course(tmp_path: Path, over: int) -> Path:
    """A course whose worst-case state is exactly 4096 characters plus `over`."""
    base = write_course(tmp_path / f"probe{over}", choices=2, max_length=100)
    size = worst_case_size(course_data(load_course(base), TARGETS["scorm12"]))
    # Each max_length step adds 2 characters to each of 16 fill-ins; each choice adds 1.
    steps, rest = divmod(4096 + over - size, 32)
    return write_course(tmp_path / f"course{over}", choices=2 + rest, max_length=100 + steps)


def test_a_course_at_the_scorm12_limit_builds_and_one_character_more_fails(
    tmp_path: Path,
) -> None:
    exact = limit_course(tmp_path, 0)
    data = course_data(load_course(exact), TARGETS["scorm12"])
    assert worst_case_size(data) == 4096 == js_worst(data, 0)
    built = build(BuildConfig(source_dir=exact, out_dir=tmp_path / "ok", targets=("scorm12",)))
    assert [b.target for b in built] == ["scorm12"]

    over = limit_course(tmp_path, 1)
    assert worst_case_size(course_data(load_course(over), TARGETS["scorm12"])) == 4097
    out = tmp_path / "fail"
    with pytest.raises(CourseError) as caught:
        build(BuildConfig(source_dir=over, out_dir=out, targets=("scorm2004-4th", "scorm12")))
    assert str(caught.value).startswith(
        "limit-scorm12: learner state can reach 4,097 characters; SCORM 1.2 keeps at most 4,096. "
        "Use --target scorm2004-4th, fewer/shorter questions, or --allow-state-degrade"
    )
    assert not out.exists(), "nothing is written when a package cannot keep its state"


def test_degrading_names_what_is_not_resumed_and_the_runtime_gets_the_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    over = limit_course(tmp_path, 1)
    args = ["build", "--source", str(over), "--out", str(tmp_path / "d"), "-t", "scorm12"]
    with pytest.raises(SystemExit) as refused:
        main(args)
    assert refused.value.code == 1 and "4,097 characters" in capsys.readouterr().err
    with pytest.raises(SystemExit) as degraded:
        main([*args, "--allow-state-degrade"])
    assert degraded.value.code in (0, None)
    err = capsys.readouterr().err
    assert "warning: limit-scorm12: learner state can reach 4,097 characters" in err
    assert "answers are not resumed" in err
    data = course_data(load_course(over), TARGETS["scorm12"])
    budget = plan_state(data, TARGETS["scorm12"], "limit-scorm12", allow_degrade=True)
    assert budget.level == 2 and budget.size == worst_case_size(data, 2) <= 4096
    (zip_path,) = list((tmp_path / "d").glob("*.zip"))
    with zipfile.ZipFile(zip_path) as zf:
        page = zf.read("index.html").decode("utf-8")
    assert '"stateLevel":2' in page
    # Resuming less is a warning: --strict refuses it, and writes nothing.
    strict = ["build", "--source", str(over), "--out", str(tmp_path / "s"), "-t", "scorm12"]
    with pytest.raises(SystemExit) as refused_strict:
        main([*strict, "--allow-state-degrade", "--strict"])
    assert refused_strict.value.code == 1 and not (tmp_path / "s").exists()
    assert "Error: --strict: the build warned 1 time (above)" in capsys.readouterr().err


def test_checks_are_dropped_first_and_other_targets_keep_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = course_data(load_course(COURSES["real"]), TARGETS["scorm12"])
    full, no_checks = worst_case_size(data, 0), worst_case_size(data, 1)
    scorm12 = TARGETS["scorm12"]
    assert check_state_budget(data, scorm12, "real-scorm12") == []
    # With a limit just below the full state, level 1 is chosen and what it drops is named.
    monkeypatch.setattr(scorm12, "limits", Limits(suspend_data=full - 1))
    with pytest.raises(CourseError, match=f"can reach {full:,} characters"):
        plan_state(data, scorm12, "real-scorm12")
    budget = plan_state(data, scorm12, "real-scorm12", allow_degrade=True)
    assert budget.level == 1 and budget.size == no_checks
    assert "answers to knowledge checks are not resumed" in budget.warnings[0]
    monkeypatch.setattr(scorm12, "limits", Limits(suspend_data=worst_case_size(data, 2) - 1))
    with pytest.raises(CourseError, match="even without answers"):
        plan_state(data, scorm12, "real-scorm12", allow_degrade=True)
    for name in ("web", "xapi"):
        other = course_data(load_course(COURSES["real"]), TARGETS[name])
        assert plan_state(other, TARGETS[name], f"real-{name}").limit is None


def test_when_no_level_fits_degrading_is_not_offered(tmp_path: Path) -> None:
    # 1,500 questions: even their order alone, with no answers kept, outgrows SCORM 1.2.
    course = write_course(tmp_path / "long", choices=2, max_length=1, true_false=1500)
    data = course_data(load_course(course), TARGETS["scorm12"])
    least = worst_case_size(data, len(LEVELS) - 1)
    assert least > 4096 and least == js_worst(data, len(LEVELS) - 1)
    for allow in (False, True):
        config = BuildConfig(
            source_dir=course,
            out_dir=tmp_path / f"out-{allow}",
            targets=("scorm12",),
            allow_state_degrade=allow,
        )
        with pytest.raises(CourseError) as caught:
            build(config)
        text = str(caught.value)
        assert "--allow-state-degrade" not in text
        assert text.startswith(
            f"limit-scorm12: learner state can reach {worst_case_size(data):,} characters; "
            f"SCORM 1.2 keeps at most 4,096. Even degraded state (even without answers) can "
            f"reach {least:,} characters. Use --target scorm2004-4th, fewer questions per "
            "assessment (or a smaller draw), fewer assessments or fewer sections"
        )
    # The first option named works: SCORM 2004 keeps all of it, once 1,500 answers are not
    # also sent to the LMS at every commit (builder/commit.py refuses that first).
    config = BuildConfig(source_dir=course, out_dir=tmp_path / "ok", targets=("scorm2004-4th",))
    with pytest.raises(CourseError, match="commit at Terminate can reach"):
        build(config)
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text() + "lms_interactions: none\n")
    assert [b.target for b in build(config)] == ["scorm2004-4th"]
