"""The loader: valid fixture courses load; each invalid fixture gives exactly its expected message.

Each folder of `tests/fixtures/invalid/` holds one defect: files laid over the `minimal` course
(and `_delete.txt` naming files to remove), plus `expected.txt`, the exact report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.errors import CourseError
from builder.loader import load_course
from builder.markdown import body_html
from builder.questions import Likert, Scenario, SingleChoice

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def make_invalid(case: str, into: Path) -> Path:
    """Lay the defect `case` over a copy of the minimal course in `into/modules`."""
    src = FIXTURES / "invalid" / case
    dest = into / "modules"
    shutil.copytree(FIXTURES / "courses" / "minimal", dest)
    for f in src.rglob("*"):
        if f.is_file() and f.name not in ("_delete.txt", "expected.txt"):
            target = dest / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
    deletions = src / "_delete.txt"
    if deletions.exists():
        for name in deletions.read_text().split():
            (dest / name).unlink()
    return dest


@pytest.mark.parametrize("case", INVALID)
def test_invalid_fixture_reports_exactly_its_problems(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_invalid(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError) as info:
        load_course(Path("modules"))
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text().rstrip("\n")
    assert str(info.value) == expected


def test_every_defect_named_by_the_issue_has_a_fixture() -> None:
    wanted = {
        "bad-yaml",
        "unknown-key",
        "missing-key",
        "duplicate-ids",
        "missing-asset",
        "broken-link",
        "no-correct-answer",
        "mastery-out-of-range",
        "path-escape",
    }
    assert wanted <= set(INVALID)


def test_minimal_course_loads() -> None:
    course = load_course(FIXTURES / "courses" / "minimal")
    assert course.spec.file_slug == "minimal"
    [module] = course.modules
    assert [p.id for p in module.pages] == ["welcome", "the-rule"]
    # No authored title: the pages name it in the course's language (builder/catalogue.py).
    assert module.pre_test is not None and module.pre_test.title is None
    assert module.post_test is not None and module.post_test.title == "Final check"
    assert '<a href="#page-basics/the-rule"' in body_html(module.pages[0])


def test_full_course_resolves_links_assets_and_sanitises() -> None:
    course = load_course(FIXTURES / "courses" / "full")
    first, second = course.modules
    intro = first.pages[0]
    assert intro.id == "intro"  # front matter id wins over the file name
    assert '<img src="assets/grundlagen/img/dot.png" alt="A single dot' in body_html(intro)
    assert "<script" not in body_html(intro) and "onclick" not in body_html(intro)
    assert "Kept text." in body_html(intro)
    assert '<a href="#page-second/only"' in body_html(intro)
    assert '<a href="#page-grundlagen/intro"' in body_html(second.pages[0])
    assert [a.arcname for a in first.assets] == ["assets/grundlagen/img/dot.png"]
    assert first.assets[0].data.startswith(b"\x89PNG")
    assert first.pages[1].checks == ("bail-case", "order-steps")
    assert first.checks is not None
    assert isinstance(first.checks.spec.questions[0], Scenario)
    assert course.survey is not None and isinstance(course.survey.spec.questions[0], Likert)
    assert course.glossary[0].term == "Fixture"


def test_many_problems_are_reported_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = make_invalid("no-correct-answer", tmp_path)
    (dest / "course.yaml").write_text(
        (dest / "course.yaml").read_text().replace("mastery_score: 80", "mastery_score: -1")
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError) as info:
        load_course(Path("modules"))
    lines = str(info.value).splitlines()
    assert lines[-1] == "2 problems"
    assert lines[0].startswith(
        "modules/01-basics/assessments/post-test.yaml:7: questions[0].choices"
    )
    assert (
        lines[1] == "modules/course.yaml:10: mastery_score: expected a number at least 0, found -1"
    )


def test_asset_link_leaving_the_folder_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = make_invalid("missing-asset", tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (dest / "01-basics" / "assets").mkdir()
    (dest / "01-basics" / "assets" / "chart.png").symlink_to(outside)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError) as info:
        load_course(Path("modules"))
    report = str(info.value)
    assert (
        "modules/01-basics/assets/chart.png: expected a file inside modules/01-basics/, " in report
    )
    assert "found a link to" in report


def test_unknown_question_type_lists_the_types(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = make_invalid("no-correct-answer", tmp_path)
    post = dest / "01-basics" / "assessments" / "post-test.yaml"
    post.write_text(post.read_text().replace("type: single", "type: singel"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError) as info:
        load_course(Path("modules"))
    shown = "post-test.yaml:4: questions[0].type: expected one of 'single', 'multiple'"
    assert shown in str(info.value)
    assert "found 'singel'" in str(info.value)


def test_an_unknown_question_key_is_matched_against_the_keys_of_its_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = make_invalid("no-correct-answer", tmp_path)
    post = dest / "01-basics" / "assessments" / "post-test.yaml"
    post.write_text(
        post.read_text().replace("answer: false\n", "answer: false\n    feedback_ture: Yes.\n")
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError) as info:
        load_course(Path("modules"))
    # `feedback_true` exists on true-false questions only, not on the keys all types share.
    assert "unknown key 'feedback_ture' (did you mean 'feedback_true'?)" in str(info.value)


def test_choice_questions_keep_their_correct_flags() -> None:
    course = load_course(FIXTURES / "courses" / "minimal")
    post = course.modules[0].post_test
    assert post is not None
    first = post.spec.questions[0]
    assert isinstance(first, SingleChoice)
    assert [c.correct for c in first.choices] == [True, False]


def test_a_pre_test_question_names_its_parallel_post_test_question(tmp_path: Path) -> None:
    dest = tmp_path / "modules"
    shutil.copytree(FIXTURES / "courses" / "minimal", dest)
    pre = dest / "01-basics" / "assessments" / "pre-test.yaml"
    key = "    objective: apply\n"
    text = pre.read_text().replace(key, key + "    parallel: rule\n")
    pre.write_text(text)
    [module] = load_course(dest).modules
    assert module.pre_test is not None
    assert [q.parallel for q in module.pre_test.spec.questions] == ["rule"]


def test_a_course_without_module_folders_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Was built: packages of a course with no page and no question.
    shutil.copytree(FIXTURES / "courses" / "minimal", tmp_path / "modules")
    shutil.rmtree(tmp_path / "modules" / "01-basics")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError) as info:
        load_course(Path("modules"))
    assert str(info.value) == (
        "modules: expected at least one module folder (with module.yaml and pages/), found none\n"
        "1 problem"
    )
