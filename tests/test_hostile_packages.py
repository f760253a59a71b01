"""A corpus of hostile packages, generated here: each gives one clear line and exit status 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_zips import HOSTILE_ZIPS, hostile_folder

from builder.cli import main
from builder.validate import validate_package


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    code = info.value.code if isinstance(info.value.code, int) else 1
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("case", sorted(HOSTILE_ZIPS))
def test_hostile_zip_gives_one_clear_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, phrase = HOSTILE_ZIPS[case]
    path = tmp_path / f"{case}.zip"
    path.write_bytes(make())
    code, lines = run(capsys, "validate", str(path))
    lines = [line for line in lines if not line.startswith("warning: ")]
    assert code == 1
    assert lines[-1] == "1 problem", lines[:3]
    assert phrase in lines[0]
    assert "Traceback" not in lines[0]


@pytest.mark.parametrize(
    "case", ["external-entity", "parameter-entity", "external-dtd", "billion-laughs"]
)
def test_doctype_with_schemas_is_one_line_not_a_traceback(
    case: str, tmp_path: Path, shared_dir: Path
) -> None:
    path = tmp_path / "p.zip"
    path.write_bytes(HOSTILE_ZIPS[case][0]())
    report = validate_package(path, shared_dir / "schemas")
    assert report.errors == (
        "imsmanifest.xml:2: expected no DOCTYPE, found a document type declaration "
        "(DTD or entities, which LMS parsers may resolve); not checked further",
    )


def test_the_base_of_the_corpus_is_valid(tmp_path: Path, shared_dir: Path) -> None:
    # Each hostile zip is this valid package plus one defect, so the defect is what is reported.
    from hostile_zips import base, raw_zip

    path = tmp_path / "ok.zip"
    path.write_bytes(raw_zip(base()))
    report = validate_package(path, shared_dir / "schemas")
    assert (report.errors, report.standard) == ((), "scorm12")


def test_a_folder_link_to_outside_is_refused_not_followed(tmp_path: Path) -> None:
    pkg = hostile_folder(tmp_path / "in", tmp_path / "outside")
    report = validate_package(pkg, None)
    # The credential in the file the link points to is not read: the link itself is the error.
    assert report.errors == (
        "runtime/leak.js: a symbolic link; refused (not followed: it can point anywhere)",
    )


def test_a_folder_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    pkg = hostile_folder(tmp_path / "in", tmp_path / "outside")
    (pkg / "runtime" / "leak.js").unlink()
    os.mkfifo(pkg / "runtime" / "pipe.js")
    report = validate_package(pkg, None)
    assert report.errors == ("runtime/pipe.js: a special file (device, pipe or socket); refused",)


def test_a_folder_name_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    import os

    pkg = hostile_folder(tmp_path / "in", tmp_path / "outside")
    (pkg / "runtime" / "leak.js").unlink()
    (pkg / os.fsdecode(b"caf\xe9.js")).write_text("x")
    report = validate_package(pkg, None)
    assert report.errors == ("caf\\xe9.js: file name is not valid UTF-8; not read",)


def test_a_folder_with_too_many_entries_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.package_reader

    monkeypatch.setattr(builder.package_reader, "MAX_ENTRIES", 3)
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text("x")
    report = validate_package(tmp_path, None)
    assert report.errors == (f"{tmp_path.name}: more than 3 entries; not read",)


def test_a_pipe_given_as_the_package_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "p.zip"
    os.mkfifo(pipe)
    report = validate_package(pipe, None)
    assert report.errors == (f"{pipe}: expected a zip file or a folder, found a special file",)


def test_a_web_launch_page_over_its_limit_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its own limit, not a manifest's: the shipped course's index.html is over half of 2 MiB.
    from hostile_zips import raw_zip, stored

    import builder.package_checks

    page = b"<!doctype html><title>x</title>" + b"<p>A page.</p>\n" * 200_000
    path = tmp_path / "web.zip"
    path.write_bytes(raw_zip([stored("index.html", page)]))
    assert validate_package(path, None).errors == ()
    monkeypatch.setattr(builder.package_checks, "MAX_WEB_LAUNCH", 1000)
    assert validate_package(path, None).errors == (
        f"index.html: {len(page)} bytes, more than the 1000 a web package's launch page may "
        "have; not read",
    )
