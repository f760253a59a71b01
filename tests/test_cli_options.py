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
