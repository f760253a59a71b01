"""The CLI: wiring, exit codes and messages (build logic is tested elsewhere)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from test_loader import FIXTURES, make_invalid

import builder.build
from builder.cli import main
from builder.config import BuildConfig
from builder.targets import TARGETS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `coursepack ARGS`; return exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("coursepack, version ")


def test_targets_lists_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "targets")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == list(TARGETS)


def test_build_passes_options_to_the_core(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[BuildConfig] = []
    monkeypatch.setattr(builder.build, "build", lambda config, **_: seen.append(config) or [])
    code, out, err = run(
        capsys, "build", "--source", "src", "--out", str(tmp_path), "-t", "scorm12",
        "-t", "web", "--split", "modules", "--templates", str(tmp_path),
    )  # fmt: skip
    assert (code, err) == (0, "")
    [config] = seen
    assert config.source_dir == Path("src")
    assert config.out_dir == tmp_path
    assert config.targets == ("scorm12", "web")
    assert config.split == "modules"
    assert config.template_dirs[0] == tmp_path
    assert config.template_dirs[1:] == BuildConfig().template_dirs
    assert out == "built 0 packages, 0.0 KiB in all\n"


def test_build_defaults_to_every_target(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[BuildConfig] = []
    monkeypatch.setattr(builder.build, "build", lambda config, **_: seen.append(config) or [])
    assert run(capsys, "build")[0] == 0
    assert seen[0].targets == tuple(TARGETS)
    assert seen[0].split == "course"


def test_unknown_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", "-t", "scorm3000")
    assert code == 2
    assert "Invalid value for '-t' / '--target': 'scorm3000' is not one of" in err


def test_invalid_course_exits_1_with_every_problem_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_invalid("path-escape", tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "build")
    assert code == 1
    assert out == ""
    assert err == (FIXTURES / "invalid" / "path-escape" / "expected.txt").read_text()
    assert "Traceback" not in err
    assert not (tmp_path / "dist").exists()


def test_missing_source_folder_is_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "--source", "nowhere")
    assert code == 1
    assert err == (
        "nowhere: expected a folder with course.yaml and module folders, found nothing\n1 problem\n"
    )


def test_out_folder_inside_the_source_folder_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Packages written there would be read back as a module folder by the next build.
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "courses" / "minimal", tmp_path / "modules")
    code, _, err = run(capsys, "build", "--source", "modules", "--out", "modules/dist")
    assert code == 1
    assert err == (
        "modules/dist: expected an output folder outside the source folder modules, "
        "found one inside it\n1 problem\n"
    )
    assert not (tmp_path / "modules" / "dist").exists()


def test_build_reports_each_package_with_its_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = str(FIXTURES / "courses" / "minimal")
    code, out, err = run(capsys, "build", "--source", source, "--out", str(tmp_path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(TARGETS) + 1
    for line, name in zip(lines, TARGETS, strict=False):
        assert line.startswith(f"{tmp_path}/minimal-{name}-1.0.0.zip  ")
        assert " KiB  " in line and line.endswith(" ms")
    assert lines[-1].startswith(f"built {len(TARGETS)} packages, ")
    for name in TARGETS:
        assert zipfile.is_zipfile(tmp_path / f"minimal-{name}-1.0.0.zip")


def test_quiet_prints_nothing_on_success(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = str(FIXTURES / "courses" / "minimal")
    code, out, err = run(capsys, "build", "-q", "--source", source, "--out", str(tmp_path))
    assert (code, out, err) == (0, "", "")


def test_validate_a_built_package(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = str(FIXTURES / "courses" / "minimal")
    assert (
        run(capsys, "build", "-q", "-t", "scorm12", "--source", source, "--out", str(tmp_path))[0]
        == 0
    )
    package = tmp_path / "minimal-scorm12-1.0.0.zip"
    code, out, err = run(capsys, "validate", str(package))
    assert (code, err) == (0, "")
    assert out == f"{package}: valid scorm12 package\n"


def test_validate_reports_problems_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("start.html", "<p>no manifest, no index.html</p>")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert err.strip().splitlines()[-1].endswith("problem") or "problems" in err
    assert "Traceback" not in err


def test_validate_checks_every_package_given_and_fails_if_one_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = str(FIXTURES / "courses" / "minimal")
    args = ("build", "-q", "-t", "scorm12", "-t", "web", "--source", source, "--out", str(tmp_path))
    assert run(capsys, *args)[0] == 0
    good = sorted(tmp_path.glob("*.zip"))
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("start.html", "<p>no manifest, no index.html</p>")
    code, out, err = run(capsys, "validate", str(good[0]), str(bad), str(good[1]))
    assert code == 1
    # Every package is checked, the bad one in the middle does not stop the others.
    assert out.splitlines() == [
        f"{p}: valid {t} package" for p, t in zip(good, ("scorm12", "web"), strict=True)
    ]
    assert err.splitlines() == [
        f"{bad}: no manifest (imsmanifest.xml, tincan.xml, cmi5.xml) at the package root, "
        "nor the index.html of a web package",
        "1 problem",
    ]
    assert run(capsys, "validate", *map(str, good))[0] == 0


def test_validate_names_the_package_of_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Two packages with the same defect in the same file: each line must say which package.
    page = '<script src="runtime/main.js"></script>'
    bad = [tmp_path / "a" / "course.zip", tmp_path / "b" / "course.zip"]
    for path in bad:
        path.parent.mkdir()
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("index.html", page)
    code, _, err = run(capsys, "validate", *map(str, bad))
    assert code == 1
    problem = "index.html:1: 'runtime/main.js' names a file the package lacks"
    assert err.splitlines() == [f"{bad[0]}: {problem}", f"{bad[1]}: {problem}", "2 problems"]


def test_a_broken_template_names_its_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "tpl" / "pages" / "page.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("<section>\n{% block %}\n")
    source = str(FIXTURES / "courses" / "minimal")
    out = tmp_path / "out"
    args = (
        "build",
        "-q",
        "--source",
        source,
        "--out",
        str(out),
        "--templates",
        str(tmp_path / "tpl"),
    )
    code, _, err = run(capsys, *args)
    assert code == 1
    assert err.startswith(f"Error: {broken}:2: template syntax: ")
    assert "Traceback" not in err
    assert not out.exists()


def test_a_template_cannot_reach_python_internals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A template folder from elsewhere (a translation, a look) renders pages; it runs no code.
    page = tmp_path / "tpl" / "pages" / "welcome.html"
    page.parent.mkdir(parents=True)
    page.write_text("{{ cycler.__init__.__globals__.os.getcwd() }}\n")
    out = tmp_path / "out"
    source = str(FIXTURES / "courses" / "minimal")
    templates = str(tmp_path / "tpl")
    code, _, err = run(
        capsys, "build", "-q", "--source", source, "--out", str(out), "--templates", templates
    )
    assert code == 1
    assert err == (
        f"Error: {page}:1: template: access to attribute '__init__' of 'type' object is unsafe.\n"
    )
    assert not out.exists()


def test_a_template_folder_link_to_outside_it_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A course repository can hold symbolic links (git keeps them): one in its template folder
    # would put whatever file it names (a key, a credential) into every package.
    secret = tmp_path / "secret.txt"
    secret.write_text("aws_secret_access_key = not-a-secret-test-only\n")
    pages = tmp_path / "tpl" / "pages"
    pages.mkdir(parents=True)
    (pages / "welcome.html").symlink_to(secret)
    (tmp_path / "tpl" / "messages").symlink_to(tmp_path)
    out = tmp_path / "out"
    source = str(FIXTURES / "courses" / "minimal")
    templates = str(tmp_path / "tpl")
    code, _, err = run(
        capsys, "build", "-q", "--source", source, "--out", str(out), "--templates", templates
    )
    assert code == 1
    assert err == (
        f"{tmp_path / 'tpl' / 'messages'}: expected a template inside {tmp_path / 'tpl'}, "
        f"found a link to {tmp_path}\n"
        f"{pages / 'welcome.html'}: expected a template inside {tmp_path / 'tpl'}, "
        f"found a link to {secret}\n2 problems\n"
    )
    assert not out.exists()


def test_check_passes_the_build_options_and_asks_for_no_write(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[BuildConfig, bool]] = []
    monkeypatch.setattr(
        builder.build, "build", lambda config, write=True: seen.append((config, write)) or []
    )
    code, out, err = run(capsys, "check", "-t", "scorm2004-4th", "--units", "module")
    assert (code, err) == (0, "")
    [(config, write)] = seen
    assert (config.targets, config.units, write) == (("scorm2004-4th",), "module", False)
    assert out == "checked: would build 0 packages, 0.0 KiB in all\n"


def test_check_reports_what_build_reports_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_invalid("path-escape", tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check")
    assert (code, out) == (1, "")
    assert err == (FIXTURES / "invalid" / "path-escape" / "expected.txt").read_text()
    assert not (tmp_path / "dist").exists()


def test_check_of_a_good_course_lists_the_packages_it_would_build(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "dist"
    source = str(FIXTURES / "courses" / "minimal")
    code, out, _ = run(capsys, "check", "--source", source, "--out", str(out_dir), "-t", "web")
    assert code == 0
    assert f"{out_dir}/minimal-web-1.0.0.zip" in out
    assert out.endswith("checked: would build 1 package, " + out.split(", ")[-1])
    assert not out_dir.exists()
