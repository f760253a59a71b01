"""Options of `build`, `check` and `preview` that cannot work: refused before anything is built,
served or written, with the option or folder named."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import run
from test_loader import FIXTURES

MINIMAL = str(FIXTURES / "courses" / "minimal")


@pytest.mark.parametrize("command", ["build", "check", "preview"])
def test_a_templates_folder_that_does_not_exist_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
) -> None:
    # Was ignored: a typo in --templates built the course with the built-in templates.
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "my-templats"
    args = [command, "--source", MINIMAL, "--templates", str(missing), "--port", "0"]
    code, out, err = run(capsys, *(args if command == "preview" else args[:-2]))
    assert (code, out) == (2, "")
    assert err.endswith(
        f"Error: Invalid value for '--templates': Directory '{missing}' does not exist.\n"
    )
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize(
    ("out_dir", "found"),
    [
        ("afile", "a file"),
        ("afile/packages", "the file afile in its path"),
    ],
)
def test_an_out_folder_that_is_a_file_is_refused_before_building(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
    out_dir: str,
    found: str,
) -> None:
    # `check` said it would build into afile/…; `build` said "cannot write here: File exists".
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("mine")
    code, out, err = run(capsys, command, "--source", MINIMAL, "--out", out_dir)
    assert (code, out) == (1, "")
    assert err == f"{out_dir}: expected a folder for the packages, found {found}\n1 problem\n"
    assert Path("afile").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize(("source", "found"), [("nope", "nothing"), ("afile", "a file")])
def test_preview_of_a_source_folder_that_is_not_one_stops_before_serving(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    source: str,
    found: str,
) -> None:
    # Was a server on 127.0.0.1 showing the error until Ctrl-C.
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("mine")
    code, out, err = run(capsys, "preview", "--source", source, "--port", "0")
    assert (code, out) == (1, "")
    assert err == (
        f"{source}: expected a folder with course.yaml and module folders, found {found}\n"
        "1 problem\n"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Was named as pages/index.html (the template that includes it), without a line.
        ("{{ nope }}", "'nope' is undefined"),
        # Were tracebacks.
        ("{{ 1 / 0 }}", "division by zero"),
        ("{% for x in 5 %}{% endfor %}", "'int' object is not iterable"),
    ],
)
def test_a_template_that_fails_as_it_renders_names_its_file_and_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    line: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    page = Path("tpl/pages/page.html")
    page.parent.mkdir(parents=True)
    page.write_text(f"<section>\n{line}\n</section>\n")
    code, out, err = run(capsys, "build", "--source", MINIMAL, "-t", "web", "--templates", "tpl")
    assert (code, out) == (1, "")
    assert err == f"Error: {page.as_posix()}:2: template: {expected}\n"
    assert not Path("dist").exists()


def test_a_target_named_twice_is_built_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Was "built 2 packages", the same zip written twice.
    monkeypatch.chdir(tmp_path)
    code, out, err = run(
        capsys, "build", "--source", MINIMAL, "-t", "web", "-t", "xapi", "-t", "web"
    )
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[:-1]] == [
        "dist/minimal-web-1.0.0.zip",
        "dist/minimal-xapi-1.0.0.zip",
    ]
    assert out.splitlines()[-1].startswith("built 2 packages, ")


@pytest.mark.parametrize(
    ("layout", "hint"),
    [
        # `coursepack new c` then `coursepack build --source c`: the course is in c/modules.
        ("c/modules/course.yaml", " (c/modules/course.yaml is there: use --source c/modules)"),
        ("c/course.yml", " (found course.yml: name it course.yaml)"),
        ("c/Course.yaml", " (found Course.yaml: name it course.yaml)"),
    ],
)
def test_a_course_yaml_in_the_wrong_place_is_pointed_to(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    layout: str,
    hint: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(layout).parent.mkdir(parents=True)
    Path(layout).write_text((FIXTURES / "courses" / "minimal" / "course.yaml").read_text())
    code, out, err = run(capsys, "check", "--source", "c")
    assert (code, out) == (1, "")
    assert f"c/course.yaml: required file, found nothing{hint}" in err.splitlines()
    if "--source" in hint:  # and nothing about c/modules as if it were a module folder
        assert err.splitlines() == [
            f"c/course.yaml: required file, found nothing{hint}",
            "1 problem",
        ]
