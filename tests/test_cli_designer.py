"""The designer's command line: `new`, stale packages, web packages in `validate`, notes."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from test_cli import run

from builder.cli import _Bar, main
from builder.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent


def test_new_gives_a_course_that_builds_and_validates_as_it_is(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shared_dir: Path,
) -> None:
    code, out, err = run(capsys, "new", str(tmp_path / "course"))
    assert (code, err) == (0, "")
    assert "cd " in out and "coursepack build" in out
    monkeypatch.chdir(tmp_path / "course")  # the default --source and --out fit the new folder
    code, out, err = run(capsys, "build")
    assert (code, err) == (0, "")
    zips = sorted(Path("dist").glob("*.zip"))
    assert [z.name for z in zips] == sorted(f"my-first-course-{t}-0.1.0.zip" for t in TARGETS)
    for z in zips:
        code, out, err = run(capsys, "validate", str(z), "--schemas", str(shared_dir / "schemas"))
        assert (code, err) == (0, ""), z
    assert (Path(".gitignore").read_text()) == "dist/\n"


def test_new_uses_every_question_type_and_an_image(tmp_path: Path) -> None:
    from builder.loader import load_course
    from builder.questions import QUESTION_TYPES
    from builder.scaffold import new_course

    new_course(tmp_path / "c")
    course = load_course(tmp_path / "c" / "modules")
    assert len(course.modules) == 2
    assessments = [a for m in course.modules for a in (m.pre_test, m.checks, m.post_test) if a]
    assessments += [course.survey] if course.survey else []
    found = [q.type for a in assessments for q in a.spec.questions]
    assert sorted(found) == sorted(QUESTION_TYPES)  # each type once
    assert any(a.arcname.endswith(".png") for m in course.modules for a in m.assets)


def test_new_refuses_a_folder_with_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "new", str(tmp_path))
    assert code == 2
    assert (
        err
        == f"Error: {tmp_path}: expected a new or empty folder, found a folder with files in it\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_build_removes_other_versions_of_the_course_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run(capsys, "new", str(tmp_path / "c"))
    monkeypatch.chdir(tmp_path / "c")
    dist = Path("dist")
    dist.mkdir()
    stale = ["my-first-course-scorm12-0.0.9.zip", "my-first-course-getting-started-web-0.0.1.zip"]
    kept = ["my-first-course-extra-scorm12-0.0.9.zip", "other-course-scorm12-0.0.9.zip", "x.zip"]
    for name in stale + kept:
        (dist / name).write_bytes(b"old")
    code, out, err = run(capsys, "build", "-t", "scorm12")
    assert (code, err) == (0, "")
    for name in stale:
        assert f"removed dist/{name} (another version of this course)" in out
    assert sorted(p.name for p in dist.iterdir()) == sorted(
        [*kept, "my-first-course-scorm12-0.1.0.zip"]
    )


def test_check_removes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run(capsys, "new", str(tmp_path / "c"))
    monkeypatch.chdir(tmp_path / "c")
    Path("dist").mkdir()
    (Path("dist") / "my-first-course-web-0.0.1.zip").write_bytes(b"old")
    assert run(capsys, "check", "-t", "web")[0] == 0
    assert [p.name for p in Path("dist").iterdir()] == ["my-first-course-web-0.0.1.zip"]


def test_the_progress_bar_counts_packages_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = io.StringIO()
    screen.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdout", screen)
    bar = _Bar()
    bar(3, "")
    for name in ("a.zip", "b.zip", "c.zip"):
        bar(0, name)
    bar.close()
    assert "packaging" in screen.getvalue() and "3/3" in screen.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stdout", pipe)
    quiet = _Bar()
    quiet(3, "")
    quiet(0, "a.zip")
    quiet.close()
    assert pipe.getvalue() == ""


def _zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return path


def test_validate_checks_a_web_package_as_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = '<script type="module" src="runtime/main.js"></script><img src="Fig.png"><a href="#x">'
    good = _zip(tmp_path / "good.zip", {"index.html": page, "runtime/main.js": "", "Fig.png": ""})
    code, out, err = run(capsys, "validate", str(good))
    assert (code, out, err) == (0, f"{good}: valid web package\n", "")
    bad = _zip(tmp_path / "bad.zip", {"index.html": page, "fig.png": ""})
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert "index.html:1: 'runtime/main.js' names a file the package lacks" in err
    assert (
        "index.html:1: 'Fig.png' names a file the package lacks "
        "(found 'fig.png': letter case differs)" in err
    )


def test_the_inline_metadata_note_shows_once_and_only_with_v(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, shared_dir: Path
) -> None:
    run(capsys, "new", str(tmp_path / "c"))
    source, out_dir = str(tmp_path / "c" / "modules"), str(tmp_path / "dist")
    run(capsys, "build", "-q", "-t", "scorm12", "--source", source, "--out", out_dir)
    package = str(tmp_path / "dist" / "my-first-course-scorm12-0.1.0.zip")
    schemas = str(shared_dir / "schemas")
    code, out, err = run(capsys, "validate", package, "--schemas", schemas)
    assert (code, err, out) == (0, "", f"{package}: valid scorm12 package\n")
    code, out, err = run(capsys, "validate", "-v", package, "--schemas", schemas)
    assert code == 0
    assert out.count("inline IMS MD 1.2 metadata") == 1


def test_a_page_that_is_not_utf8_is_reported_once_with_line_and_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Made here, not a fixture file: linters refuse to read a file that is not UTF-8.
    run(capsys, "new", str(tmp_path / "c"))
    monkeypatch.chdir(tmp_path / "c")
    page = Path("modules/01-getting-started/pages/02-parts.md")
    page.write_bytes(page.read_bytes().replace(b"| Folder |", b"| Fold\xe9r |"))
    code, _, err = run(capsys, "check")
    assert code == 1
    assert err == (
        f"{page.as_posix()}:5: expected UTF-8 text, found the byte #xE9 at line 5, column 7 "
        "(save the file as UTF-8)\n1 problem\n"
    )  # and nothing about the links to it or the check it places


def test_new_says_how_to_build_in_words_a_shell_takes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "court training (2027)"
    code, out, err = run(capsys, "new", str(folder))
    assert code == 0
    said = (out + err).strip()
    assert said.endswith(f"build it with: cd '{folder}' && coursepack build"), said


@pytest.mark.parametrize(
    ("dest", "why"),
    [
        ("afile/course", "Not a directory"),  # a folder inside a file
        ("x" * 300, "File name too long"),
    ],
)
def test_new_where_nothing_can_be_written_says_so_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dest: str,
    why: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("mine")
    code, out, err = run(capsys, "new", dest)
    assert (code, out) == (1, "")
    assert err == f"Error: {dest}: cannot write here: {why}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_new_on_a_broken_link_names_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("course").symlink_to(tmp_path / "gone")
    code, _, err = run(capsys, "new", "course")
    assert code == 2
    assert err == (
        f"Error: course: expected a new or empty folder, found a link to {tmp_path / 'gone'}, "
        "which does not exist\n"
    )


def test_new_that_fails_half_way_leaves_no_half_made_course(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A folder whose path is so long that the first files fit under PATH_MAX (4096 bytes on
    # Linux) and the deeper ones do not: the copy fails after it has begun.
    monkeypatch.chdir(tmp_path)
    deep = Path(*(["d" * 200] * 20), "course")
    assert 4000 < len(str(deep)) < 4096 - len("/.gitignore") - 40
    code, out, err = run(capsys, "new", str(deep))
    assert (code, out) == (1, "")
    assert err.startswith("Error: ") and ": cannot write here: File name too long\n" in err
    assert list(tmp_path.iterdir()) == []  # not the course, nor the folders above it


@pytest.mark.parametrize("broken", ["a folder", "not UTF-8"])
def test_a_checks_file_that_cannot_be_read_is_reported_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, broken: str
) -> None:
    # Was also "checks: expected a question id of …checks.yaml" on each page placing a check.
    run(capsys, "new", str(tmp_path / "c"))
    monkeypatch.chdir(tmp_path / "c")
    checks = Path("modules/01-getting-started/assessments/checks.yaml")
    if broken == "a folder":
        checks.unlink()
        checks.mkdir()
        expected = f"{checks.as_posix()}: expected a file, found a folder"
    else:
        checks.write_bytes(checks.read_bytes() + b"# caf\xe9\n")
        expected = (
            f"{checks.as_posix()}:9: expected UTF-8 text, found the byte #xE9 at line 9, "
            "column 6 (save the file as UTF-8)"
        )
    code, _, err = run(capsys, "check")
    assert code == 1
    assert err == f"{expected}\n1 problem\n"


@pytest.mark.parametrize("rule", ["post-test", "all-pages-and-post-test"])
def test_a_completion_rule_naming_a_missing_post_test_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str
) -> None:
    course = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "fixtures" / "courses" / "minimal", course)
    spec = course / "course.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(re.sub(r"(?m)^completion: .*$", f"completion: {rule}", text), "utf-8")
    with pytest.raises(SystemExit) as info:
        main(["check", "--source", str(course), "-t", "web"])
    assert info.value.code == 0
    assert "no module has a post-test" not in capsys.readouterr().err
    (course / "01-basics" / "assessments" / "post-test.yaml").unlink()
    with pytest.raises(SystemExit) as info:
        main(["check", "--source", str(course), "-t", "web"])
    assert info.value.code == 0  # it builds: a warning, not an error
    assert f"warning: completion: {rule}, but no module has a post-test" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "check"])
def test_strict_fails_on_a_warning_and_writes_nothing(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The `full` fixture warns: raw HTML the sanitiser removes, and German without a catalogue.
    full = ROOT / "tests" / "fixtures" / "courses" / "full"
    out = tmp_path / "dist"
    args = [command, "-q", "--source", str(full), "--out", str(out), "-t", "web"]
    code, stdout, err = run(capsys, *args, "--strict")
    warned = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert code == 1 and stdout == ""
    assert len(warned) >= 2 and any("body: HTML <script>" in w for w in warned)
    assert err.splitlines()[-1] == (
        f"Error: --strict: the build warned {len(warned) + _catalogue_said_before(warned)} "
        "times (above), so nothing was written; fix what the warnings say, or build without "
        "--strict"
    )
    assert not out.exists()
    # Without --strict the same warnings, and the packages.
    code, _, err = run(capsys, *args)
    assert code == 0 and "Error" not in err
    assert (command == "build") == out.is_dir()


def _catalogue_said_before(warned: list[str]) -> int:
    """1 if the catalogue's warning was left out (logged once a process), which still counts."""
    return 0 if any("no message catalogue" in w for w in warned) else 1


def test_strict_passes_a_course_without_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    minimal = ROOT / "tests" / "fixtures" / "courses" / "minimal"
    code, _, err = run(capsys, "build", "-q", "--strict", "--source", str(minimal),
                       "--out", str(tmp_path), "-t", "scorm12")  # fmt: skip
    assert (code, err) == (0, "")
    assert [p.name for p in tmp_path.iterdir()] == ["minimal-scorm12-1.0.0.zip"]
