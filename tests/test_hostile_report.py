"""Hostile statement files for `report --from`: each is one clear line and exit status 1, never a
traceback, and a file is never read whole (`bench/bench_hostile.py` measures time and memory)."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from helpers import loopback_server

from builder.cli import main
from builder.errors import ReportError
from builder.report.read import FileSource, LrsSource

DEEP = "[" * 100_000
DEEP_PYTHON = "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
#: name -> (file content, the error after "<file>"), for JSON lines and for a JSON array.
CASES = {
    "deep-line": (
        '{"a": ' + DEEP + "\n",
        ":1: expected a JSON statement, found values nested too deep",
    ),
    "deep-object-line": (
        '{"a":' * 100_000 + "1" + "}" * 100_000 + "\n",
        ":1: expected a JSON statement, found values nested too deep",
    ),
    "deep-in-array": (
        "[" + DEEP + "]" * 100_001,
        ": statement 1: expected a JSON statement, found values nested too deep",
    ),
    "long-number-in-array": (
        '[{"id": ' + "9" * 5000 + "}]",
        ": statement 1: expected a JSON statement, found a number of 5000 digits",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_statement_file_is_one_clear_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, error = CASES[case]
    path = tmp_path / f"{case}.json"
    path.write_text(text)
    with pytest.raises(SystemExit) as info:
        main(["report", "--source", "tests/fixtures/courses/minimal", "--from", str(path)])
    assert info.value.code == 1
    assert capsys.readouterr().err == f"Error: {path}{error}\n"


def test_a_line_longer_than_a_statement_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.report.read

    monkeypatch.setattr(builder.report.read, "MAX_STATEMENT", 1000)
    path = tmp_path / "one-line.json"
    path.write_text('{"id": "x"}\n{"a": "' + "a" * 5000 + '"}\n')
    source = FileSource(path)
    with pytest.raises(ReportError) as info:
        list(source())
    assert str(info.value) == (
        f"{path}:2: expected a JSON statement of at most 1000 bytes on a line, found a longer line"
    )


@pytest.fixture
def lrs() -> Iterator[tuple[str, list[bytes]]]:
    """A server on 127.0.0.1 answering every GET with the next of its `pages` (raw bytes)."""
    pages: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.pop(0) if pages else b"{}"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with loopback_server(Handler) as url:
        yield f"{url}/xapi", pages


def test_a_hostile_lrs_page_is_one_clear_line(lrs: tuple[str, list[bytes]]) -> None:
    endpoint, pages = lrs
    url = f"{endpoint}/statements?limit=500&ascending=true"
    answers = {
        b'{"statements": ' + DEEP.encode() + b"}": (
            f"{url}: expected JSON from the LRS: {DEEP_PYTHON}"
        ),
        b'{"statements": [1, "x"]}': (f"{url}: statement 1: expected a JSON object, found int"),
    }
    for body, error in answers.items():
        pages.append(body)
        with pytest.raises(ReportError) as info:
            list(LrsSource(endpoint, None, timeout=5)())
        assert str(info.value) == error


def test_statements_with_parts_of_the_wrong_type_are_counted_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Anyone holding the LRS credential a package carries can post statements: each part the
    # report reads may be of any JSON type. Found by mutating a cohort's statements at random.
    import json

    from report_cohort import cohort

    statements, _ = cohort(Path("tests/fixtures/courses/minimal"), learners=2, seed=3)
    parts = [
        ("verb", []),
        ("object", "x"),
        ("object", {"id": statements[0]["object"]["id"], "definition": 1}),
        ("result", 1.5),
        ("result", {"score": [], "success": "yes"}),
        ("context", []),
        ("context", {"contextActivities": "x", "extensions": []}),
        ("actor", {"account": []}),
        ("timestamp", {}),
    ]
    hostile = [
        {**statements[i % len(statements)], "id": f"00000000-0000-4000-8000-{i:012}", key: value}
        for i, (key, value) in enumerate(parts)
    ]
    path = tmp_path / "statements.json"
    path.write_text(json.dumps(statements + hostile))
    out = tmp_path / "report.json"
    source = "tests/fixtures/courses/minimal"
    with pytest.raises(SystemExit) as info:
        main(["report", "-q", "--source", source, "--from", str(path), "--json", str(out)])
    assert (info.value.code, capsys.readouterr().err) == (0, "")
    counts = json.loads(out.read_text())["statements"]
    assert counts["read"] == len(statements) + len(parts)
    assert counts["malformed"] == 8  # an odd timestamp is only left out of date filters
