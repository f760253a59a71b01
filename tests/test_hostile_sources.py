"""Hostile course sources through `coursepack build`: a clear error or a package that validates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hostile_courses import HOSTILE_SOURCES, copy_minimal

from builder.cli import main
from builder.targets import TARGETS
from builder.validate import validate_package

#: case -> the problem line it must give (after the course folder), exit status 1.
REFUSED = {
    "alias-bomb": "glossary.yaml:2: invalid YAML: expected a value written out, found the alias "
    "'*a0' (anchors and aliases are not supported)",
    "deep-nesting": "course.yaml:8: invalid YAML: expected at most 32 levels of nested lists and "
    "mappings, found more",
    "5000-digit-int": "course.yaml:9: duration_minutes: expected a whole number of at most 32 "
    "characters, found one of 5000 (put it in quotes if it is text)",
    "float-tag": "course.yaml:10: mastery_score: expected a number, found 'x'",
    "nan-mastery": "course.yaml:10: mastery_score: expected a finite number, found '.nan' "
    "(put it in quotes if it is text)",
    "inf-weight": "01-basics/assessments/post-test.yaml:15: questions[0].weight: expected a "
    "finite number, found '.inf' (put it in quotes if it is text)",
    "huge-weight": "01-basics/assessments/post-test.yaml:15: questions[0].weight: expected a "
    "number at most 1000, found 1e+308",
    "form-feed-title": "course.yaml:2: title: expected text XML can carry, found the character "
    "#x0C at position 8",
    "nul-description": "course.yaml:3: description: expected text XML can carry, found the "
    "character #x00 at position 1",
    "esc-title": "course.yaml:2: title: expected text XML can carry, found the character #x1B "
    "at position 1",
    "ufffe-title": "course.yaml:2: title: expected text XML can carry, found the character "
    "#xFFFE at position 1",
    "surrogate-title": "course.yaml:2: title: expected text XML can carry, found the character "
    "#xD800 at position 1",
    "course-id-quotes": "course.yaml:1: id: expected an http(s) IRI (e.g. "
    "'https://example.org/courses/my-course'), found "
    "'https://example.org/coursepack/test/minimal\"<script>'",
    "page-name-space": '01-basics/pages/03-the rule\'s "page".md: id: expected a file name that '
    "gives a page id of at most 64 letters, digits, '-', '_' or '.' (or an 'id' in the front "
    "matter), found 'the rule's \"page\"'",
    "non-utf8-file-name": "01-basics/pages/03-caf\\xe9\\xff.md: expected a file name in UTF-8, "
    "found the byte #xE9",
    "scenario-cycle": "01-basics/assessments/pre-test.yaml:8: questions[0].steps: expected steps "
    "that never lead back to an earlier step, found the cycle s0 -> s1 -> s0",
    "scenario-unreachable": "01-basics/assessments/pre-test.yaml:8: questions[0].steps: step "
    "'s1': expected a step the options lead to from the first step, found no way to it (learners "
    "never see it)",
    "php-asset": "01-basics/assets/x.php: expected a file type LMSs accept, found '.php'",
    "sh-asset": "01-basics/assets/run.sh: expected a file type LMSs accept, found '.sh'",
    "html-asset": "01-basics/assets/sim.html: expected a file that runs no script in the "
    "learner's browser, found a '.html' file (pages are Markdown, and their HTML is cleaned)",
    "js-asset": "01-basics/assets/lib.js: expected a file that runs no script in the learner's "
    "browser, found a '.js' file (pages are Markdown, and their HTML is cleaned)",
    "xml-asset": "01-basics/assets/data.xml: expected a file that runs no script in the "
    "learner's browser, found a '.xml' file (pages are Markdown, and their HTML is cleaned)",
    "svg-script": "01-basics/assets/fig.svg: expected an SVG image without script, found '<script'",
    "svg-handler": "01-basics/assets/fig.svg: expected an SVG image without script, found "
    "'OnLoad='",
    "svg-js-link": "01-basics/assets/fig.svg: expected an SVG image without script, found "
    "'JavaScript:'",
    "svg-foreign": "01-basics/assets/fig.svg: expected an SVG image without script, found "
    "'<foreignObject'",
    "svg-logo": "logo.svg: expected an SVG image without script, found 'onload='",
    "svg-entity": "01-basics/assets/fig.svg: expected an SVG image without script, found "
    "'<!DOCTYPE'",
    "post-test-a-folder": "01-basics/assessments/post-test.yaml: expected a file, found a folder",
    "post-test-broken-link": "01-basics/assessments/post-test.yaml: expected a file, found a "
    "link to gone.yaml, which leads to no file",
    "post-test-link-loop": "01-basics/assessments/post-test.yaml: expected a file, found a link "
    "to post-test.yaml, which leads to no file",
    "survey-a-pipe": "survey.yaml: expected a file, found a pipe, socket or device",
    "course-yaml-a-folder": "course.yaml: expected a file, found a folder",
    "module-yaml-a-folder": "01-basics/module.yaml: expected a file, found a folder",
    "page-a-folder": "01-basics/pages/03-more.md: expected a file, found a folder",
    "asset-broken-link": "01-basics/assets/figure.png: expected a file, found a link to "
    "gone.yaml, which leads to no file",
    "page-not-md": "01-basics/pages/03-more.MD: expected a page (a file ending in .md), found "
    "'03-more.MD' (keep other files outside pages/)",
    "assessments-a-file": "01-basics/assessments: expected a folder, found a file",
    "pages-a-file": "01-basics/pages: expected a folder, found a file",
}
#: Cases whose one problem is all the build says (no other problem follows from it).
ALONE = {case for case in REFUSED if "-a-" in case or "link" in case or case == "page-not-md"}
assert {"assessments-a-file", "pages-a-file"} <= ALONE
#: Cases that are large or odd but valid: they build, and every package validates.
BUILT = {"scenario-exponential", "scenario-1000-chain", "compressible-asset", "20-big-pages"}


def test_every_case_is_covered() -> None:
    assert set(HOSTILE_SOURCES) == set(REFUSED) | BUILT


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    code = info.value.code if isinstance(info.value.code, int) else 1
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_source_is_one_clear_problem_and_nothing_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    HOSTILE_SOURCES[case](copy_minimal(tmp_path / "course"))
    code, lines = run(capsys, "build", "--source", "course", "--out", "dist")
    assert code == 1
    assert re.fullmatch(r"\d+ problems?", lines[-1])
    assert f"course/{REFUSED[case]}" in lines
    if case in ALONE:
        assert lines == [f"course/{REFUSED[case]}", "1 problem"]
    assert all(line.startswith("course/") for line in lines[:-1]), lines
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("case", sorted(BUILT))
def test_large_but_valid_sources_build_and_validate(
    case: str, tmp_path: Path, shared_dir: Path
) -> None:
    HOSTILE_SOURCES[case](copy_minimal(tmp_path / "course"))
    with pytest.raises(SystemExit) as info:
        main(["build", "-q", "--source", str(tmp_path / "course"), "--out", str(tmp_path / "d")])
    assert info.value.code == 0
    zips = sorted((tmp_path / "d").glob("*.zip"))
    assert len(zips) == len(TARGETS)
    for path in zips:  # a web package too: validate checks the files its index.html names
        report = validate_package(path, shared_dir / "schemas")
        assert report.errors == (), path.name


def test_oversized_sources_are_refused_before_they_are_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40,000 nested <div>s take sanitising quadratic time; the page is refused by its size first.
    monkeypatch.chdir(tmp_path)
    course = copy_minimal(tmp_path / "course")
    page = course / "01-basics" / "pages" / "03-deep.md"
    page.write_text("---\ntitle: Deep\n---\n" + "<div>" * 40_000)
    yaml_file = course / "glossary.yaml"
    yaml_file.write_text("- term: x\n  definition: " + "y" * 1024**2 + "\n")
    code, lines = run(capsys, "build", "--source", "course", "--out", "dist")
    assert code == 1
    assert lines == [
        "course/01-basics/pages/03-deep.md: expected at most 131072 bytes, found 200020",
        f"course/glossary.yaml: expected at most 1048576 bytes, found {yaml_file.stat().st_size}",
        "2 problems",
    ]


def test_control_characters_in_a_page_body_are_refused_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    course = copy_minimal(tmp_path / "course")
    page = course / "01-basics" / "pages" / "02-the-rule.md"
    page.write_text(page.read_text() + "A form\x0cfeed.\n")
    code, lines = run(capsys, "build", "--source", "course", "--out", "dist")
    assert (code, lines) == (
        1,
        [
            "course/01-basics/pages/02-the-rule.md:7: body: expected text XML can carry, "
            "found the character #x0C",
            "1 problem",
        ],
    )


def test_all_assets_together_are_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.sources

    monkeypatch.setattr(builder.sources, "MAX_TOTAL", 10)
    monkeypatch.chdir(tmp_path)
    course = copy_minimal(tmp_path / "course")
    (course / "01-basics" / "assets").mkdir()
    for name in ("a.png", "b.png"):
        (course / "01-basics" / "assets" / name).write_bytes(b"x" * 6)
    code, lines = run(capsys, "build", "--source", "course", "--out", "dist")
    assert (code, lines) == (
        1,
        [
            "course/01-basics/assets/b.png: expected at most 4 bytes (all assets together at "
            "most 10), found 6",
            "1 problem",
        ],
    )


def test_a_version_too_long_for_a_file_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    course = copy_minimal(tmp_path / "course")
    text = (course / "course.yaml").read_text()
    (course / "course.yaml").write_text(
        text.replace("version: 1.0.0", "version: 1.0.0-" + "a" * 300)
    )
    code, lines = run(capsys, "build", "--source", "course", "--out", "dist")
    assert (code, lines) == (
        1,
        ["course/course.yaml:4: version: expected at most 64 characters, found 306", "1 problem"],
    )


def test_files_left_by_editors_and_file_managers_are_ignored(tmp_path: Path) -> None:
    # Finder, Explorer and editors leave these in any folder; they are not course content.
    course = copy_minimal(tmp_path / "course")
    left = [".DS_Store", "Thumbs.db", "desktop.ini", "01-welcome.md~", "#01-welcome.md#"]
    (course / "01-basics" / "assets").mkdir()
    (course / "01-basics" / "assets" / "figure.png").write_bytes(b"\x89PNG")
    for folder in ("pages", "assessments", "assets"):
        for name in left:
            (course / "01-basics" / folder / name).write_bytes(b"\x00junk")
    (course / "01-basics" / "assets" / ".thumbnails").mkdir()
    (course / "01-basics" / "assets" / ".thumbnails" / "figure.png").write_bytes(b"x")
    with pytest.raises(SystemExit) as info:
        main(["build", "-q", "--source", str(course), "--out", str(tmp_path / "d"), "-t", "web"])
    assert info.value.code == 0
    (package,) = (tmp_path / "d").glob("*.zip")
    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
    assert not [n for n in names if any(junk in n for junk in [*left, ".thumbnails"])], names


def test_a_file_that_may_be_meant_as_a_page_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = copy_minimal(tmp_path / "course")
    (course / "01-basics" / "pages" / "03-notes.txt").write_text("# notes\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["check", "--source", str(course)])
    assert info.value.code == 1
    assert "03-notes.txt: expected a page (a file ending in .md), found '03-notes.txt' (keep " in (
        capsys.readouterr().err
    )
