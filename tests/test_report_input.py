"""`coursepack report` on bad input: an error naming the file or option, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.cli import main

SOURCE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "courses" / "minimal"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(["report", "--source", str(SOURCE), *args])
    return int(exc.value.code or 0), capsys.readouterr().err


DEEP = "[" * 100_000 + "]" * 100_000
BIG = "9" * 5000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # Not UTF-8 (an export saved as Latin-1), as an array and as JSON lines.
        (b'[{"id": "caf\xe9"}]', "expected UTF-8 text, found the byte #xE9 (save it as UTF-8)"),
        (b'{"id": "caf\xe9"}\n', "expected UTF-8 text, found the byte #xE9 (save it as UTF-8)"),
        # Nested deeper than Python's JSON reader goes.
        (
            f"[{DEEP}]".encode(),
            "statement 1: expected a JSON statement, found values nested too deep",
        ),
        (f'{{"a": {DEEP}}}\n'.encode(), "expected a JSON statement, found values nested too deep"),
        # A number longer than Python converts (4,300 digits).
        (
            f'[{{"result": {{"score": {{"raw": {BIG}}}}}}}]'.encode(),
            "statement 1: expected a JSON statement, found a number of 5000 digits",
        ),
        (
            f'{{"result": {{"score": {{"raw": {BIG}}}}}}}\n'.encode(),
            "expected a JSON statement, found a number of 5000 digits",
        ),
        # Items that are not statements, named as JSON names them.
        (b"[null]", "statement 1: expected a JSON object, found null"),
        (b"[1, 2]", "statement 1: expected a JSON object, found a number"),
        (b'["x"]', "statement 1: expected a JSON object, found a string"),
        (b"[[]]", "statement 1: expected a JSON object, found an array"),
        (b"[true]", "statement 1: expected a JSON object, found true"),
        (b"42\n", "expected a JSON object, found a number"),
    ],
)
def test_a_statement_file_that_cannot_be_read_is_an_error_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, expected: str
) -> None:
    export = tmp_path / "export.json"
    export.write_bytes(content)
    code, err = _run(capsys, "--from", str(export))
    assert code == 1
    where = f"{export}:1: " if not content.startswith(b"[") else f"{export}: "
    assert err == f"Error: {where}{expected}\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--lrs", "not a url"],
            "--lrs: expected the http(s) URL of an LRS (e.g. https://lrs.example.org/xapi/), "
            "found 'not a url'",
        ),
        (
            ["--lrs", "ftp://127.0.0.1/xapi/"],
            "--lrs: expected the http(s) URL of an LRS (e.g. https://lrs.example.org/xapi/), "
            "found 'ftp://127.0.0.1/xapi/'",
        ),
        (
            ["--lrs", "http://127.0.0.1:99999/xapi/"],
            "--lrs: expected the http(s) URL of an LRS (e.g. https://lrs.example.org/xapi/), "
            "found 'http://127.0.0.1:99999/xapi/'",
        ),
        # Were accepted: every statement then left out as "of other versions" or "other activities".
        (
            ["--from", "x.json", "--version", "v1.1"],
            "--version: expected a course version MAJOR.MINOR.PATCH as in course.yaml "
            "(e.g. 1.1.0), found 'v1.1'",
        ),
        (
            ["--from", "x.json", "--course-activity", "my course"],
            "--course-activity: expected an absolute IRI (an activity id such as https://… or "
            "urn:…), found 'my course'",
        ),
        (
            ["--from", "x.json", "--since", "2026-05-01", "--until", "2026-01-01"],
            "--since 2026-05-01 is after --until 2026-01-01: expected the start of the period "
            "before its end",
        ),
    ],
)
def test_options_that_cannot_work_exit_2_naming_the_option(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, err = _run(capsys, *args)
    assert (code, err) == (2, f"Error: {expected}\n")


@pytest.mark.parametrize("content", ["", "[]", "\n\n"])
def test_an_export_without_statements_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str
) -> None:
    export = tmp_path / "export.json"
    export.write_text(content)
    with pytest.raises(SystemExit) as exc:
        main(["report", "--source", str(SOURCE), "--from", str(export)])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "statements: 0 read" in out
    assert (
        "note: no statements were read; check that the export (--from) or the LRS (--lrs) "
        "holds the course's statements"
    ) in out


def test_statements_with_parts_that_are_not_objects_are_counted_not_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Each was an AttributeError traceback ('int' object has no attribute 'get').
    base = {
        "actor": {"account": {"homePage": "https://lms.example", "name": "u1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/initialized"},
        "object": {"id": "https://example.org/coursepack/test/minimal"},
        "timestamp": "2026-01-01T00:00:00Z",
    }
    broken = [
        {"verb": 5},
        {"object": "x"},
        {"context": [1]},
        {"result": True},
        {"object": None},
        {"object": {"id": "https://example.org/coursepack/test/minimal", "definition": 1.5}},
    ]
    export = tmp_path / "export.json"
    export.write_text(
        json.dumps(
            [
                {**base, **part, "id": f"00000000-0000-4000-8000-{i:012d}"}
                for i, part in enumerate(broken)
            ]
        )
    )
    with pytest.raises(SystemExit) as exc:
        main(["report", "--source", str(SOURCE), "--from", str(export)])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "statements: 6 read, 0 used" in out
    assert (
        "not used: 6 malformed (a verb, object, actor, context or result that is not a JSON object)"
        in out
    )
