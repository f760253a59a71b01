"""LRS credentials: the scanner, `validate` flagging them, and builds that must not carry them."""

from __future__ import annotations

import base64
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from helpers import make_course, package_files, whole

import builder.package_checks
import builder.package_reader
import builder.secrets
from builder.cli import main
from builder.files import OutputFile
from builder.package import write_zip
from builder.package_checks import ScanMemo
from builder.secrets import Finding, describe, scan
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.validate import validate_package, validate_zip_bytes

PAIR = b"key-7f3a:s3cr3t-Value-91"
BASIC = b"Basic " + base64.b64encode(PAIR)
ENV = "COURSEPACK_TEST_LRS_SECRET"
KINDS = {
    "basic": "Authorization Basic …",
    "auth": '"auth" with a value',
    "param": "auth=, token= or password= in a URL",
    "userinfo": "user:password@ in a URL",
    "secret": "<secret>",
}


def kinds(data: bytes) -> list[tuple[int, str]]:
    return [(f.line, f.kind) for f in scan(data)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'fetch(url, {headers: {Authorization: "' + BASIC + b'"}})', [(1, KINDS["basic"])]),
        (b"Basic " + base64.b64encode(b":only-a-password"), [(1, KINDS["basic"])]),
        (b"Basic " + base64.b64encode("jürgen:pässwort".encode()), [(1, KINDS["basic"])]),
        (
            b"x\n\n?endpoint=https%3A%2F%2Flrs&auth=Basic%20" + base64.b64encode(PAIR),
            [
                (3, KINDS["basic"]),
                (3, KINDS["param"]),
            ],
        ),
        (b'{"lrs": {"auth": "' + BASIC + b'"}}', [(1, KINDS["auth"]), (1, KINDS["basic"])]),
        (b"{\n  'auth': 'token-123'\n}", [(2, KINDS["auth"])]),
        (b'const lrs = "https://key:secret@lrs.example.org/xapi/";', [(1, KINDS["userinfo"])]),
        (b"<provider>\n<secret>abc</secret></provider>", [(2, KINDS["secret"])]),
        (b'<a href="index.html?amp;auth=xyz">', [(1, KINDS["param"])]),
        (b'fetch("https://lrs.example/x?Token=abc")', [(1, KINDS["param"])]),
        (b"u = 'https://lrs.example/x?a=1&password=pw'", [(1, KINDS["param"])]),
        (b"see https://a.b/\n\ngit+ssh://me:pw@host/x", [(3, KINDS["userinfo"])]),
        (b"x?API_KEY=k1", [(1, KINDS["param"])]),
    ],
    ids=[
        "header",
        "password-only",
        "utf-8",
        "launch-url",
        "course-data",
        "single-quotes",
        "userinfo",
        "tincan",
        "param",
        "token",
        "password",
        "userinfo-scheme",
        "api-key",
    ],
)
def test_scanner_finds_credentials_with_their_line(
    text: bytes, expected: list[tuple[int, str]]
) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        b'WWW-Authenticate: Basic realm="LRS"',
        b"Basic " + base64.b64encode(b"no colon here"),
        b"Basic " + base64.b64encode(b":"),
        b"Basic " + base64.b64encode(b"\x00\xff:\x01binary"),
        b"// Basic auth is issued per launch; packages never carry credentials.",
        b'{"auth": "", "auth2": "x", "lrs": {"auth": null}}',
        b"headers.Authorization = auth; const url = `${endpoint}?auth=${auth}`;",
        b'<a href="https://lrs.example.org/xapi/">git@github.com:org/repo.git</a>',
        b"<secret/><secret> </secret>",
        b"?auth=&endpoint=x",
        b"x_http://user:pw@host",  # no scheme starts inside a word
        b'<li data-key="a">author</li>',
    ],
)
def test_scanner_ignores_what_is_not_a_credential(text: bytes) -> None:
    assert scan(text) == []


def test_the_error_line_names_file_and_line_and_never_repeats_the_secret() -> None:
    [finding] = scan(b"\n" + BASIC)
    line = describe("runtime/config.js", finding)
    assert line == (
        "runtime/config.js:2: carries an LRS credential (Authorization Basic …); "
        "anyone with the package can read it"
    )
    assert PAIR.decode() not in line and base64.b64encode(PAIR).decode() not in line
    assert finding == Finding(2, "Authorization Basic …")


def scorm_package(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    files = package_files() + [OutputFile(n, d) for n, d in extra.items()]
    files += TARGETS["scorm12"].manifest(
        make_course(), whole(make_course()), files, make_env([DEFAULT_TEMPLATES])
    )
    return write_zip(files, tmp_path / "pkg.zip")


def test_validate_flags_a_package_that_carries_a_credential(tmp_path: Path) -> None:
    data = b'<script type="application/json">\n{"lrs": {"auth": "' + BASIC + b'"}}\n</script>'
    path = scorm_package(tmp_path, {"runtime/lrs.json": data, "notes.md": BASIC})
    report = validate_package(path, None)
    assert report.standard == "scorm12"
    # Every text entry is scanned, whatever its name ends with.
    assert report.errors == (
        "notes.md:1: carries an LRS credential (Authorization Basic …); "
        "anyone with the package can read it",
        'runtime/lrs.json:2: carries an LRS credential ("auth" with a value); '
        "anyone with the package can read it",
        "runtime/lrs.json:2: carries an LRS credential (Authorization Basic …); "
        "anyone with the package can read it",
    )


def test_validate_scans_folders_too(tmp_path: Path) -> None:
    (tmp_path / "tincan.xml").write_text(
        '<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities><activity id="x:y">'
        "<name>n</name><description>d</description><launch>index.html</launch></activity>"
        "<provider><name>p</name><id>i</id><secret>hunter2</secret></provider>"
        "</activities></tincan>",
        encoding="utf-8",
    )
    (tmp_path / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    report = validate_package(tmp_path, None)
    assert [e.split(" (")[0] for e in report.errors] == ["tincan.xml:1: carries an LRS credential"]


@pytest.mark.parametrize("chunk", [7, 64, 1024**2])
def test_big_text_entries_are_scanned_in_chunks_with_the_right_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(builder.package_reader, "CHUNK", chunk)
    monkeypatch.setattr(builder.secrets, "OVERLAP", 48)
    path = scorm_package(tmp_path, {"big.js": b"// padding\n" * 1000 + BASIC + b"\n"})
    report = validate_package(path, None)
    assert report.errors == (
        "big.js:1001: carries an LRS credential (Authorization Basic …); "
        "anyone with the package can read it",
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.svg", b'<svg><desc>"auth": "x"</desc></svg>'),
        ("src/a.jsx", b'const c = {"auth": "x"};'),
        ("cfg.json5", b"{auth: 'x', 'auth': 'y'}"),
        ("notes", b'"auth": "x"'),
        ("utf16.txt", '"auth": "x"'.encode("utf-16")),
    ],
)
def test_every_text_entry_is_scanned_whatever_its_name(
    tmp_path: Path, name: str, data: bytes
) -> None:
    report = validate_package(scorm_package(tmp_path, {name: data}), None)
    assert [e.split(":")[0] for e in report.errors] == [name]


def test_binary_entries_are_not_scanned(tmp_path: Path) -> None:
    report = validate_package(scorm_package(tmp_path, {"a.png": b"\x89PNG\0\0" + BASIC}), None)
    assert report.errors == ()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return info.value.code if isinstance(info.value.code, int) else 1, capsys.readouterr().err


LRS = ("--lrs-endpoint", "https://lrs.example.org/xapi", "--actor-homepage", "https://lms.example")


@pytest.mark.parametrize("lrs", [False, True], ids=["plain", "lrs-endpoint"])
def test_a_build_without_the_flag_carries_no_credential(
    lrs: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fixtures_dir: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(ENV, PAIR.decode())
    source = str(fixtures_dir / "courses" / "full")
    code, err = run(capsys, "build", "-q", "--source", source, "--out", str(tmp_path),
                    *(LRS if lrs else ()))  # fmt: skip
    # Only warnings of the course itself: the fixture is in German, which has no catalogue
    # (logged once per process, so present or not depending on the tests run before), and its
    # first page has raw HTML for the sanitiser to remove.
    assert code == 0
    own = ("message catalogue", "01-einführung.md:14: body: HTML <")
    assert [line for line in err.splitlines() if not any(o in line for o in own)] == []
    zips = sorted(tmp_path.glob("*.zip"))
    assert len(zips) == len(TARGETS)
    for path in zips:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                data = zf.read(name)
                for needle in (PAIR, base64.b64encode(PAIR), b"s3cr3t", b"Basic "):
                    assert needle not in data, f"{path.name}:{name} contains {needle!r}"
        report = validate_package(path, None)
        assert not [e for e in report.errors if "credential" in e], path.name


def test_a_build_with_the_flag_warns_who_can_read_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fixtures_dir: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(ENV, PAIR.decode())
    source = str(fixtures_dir / "courses" / "minimal")
    code, err = run(capsys, "build", "-q", "-t", "scorm12", "--source", source, "--out",
                    str(tmp_path), *LRS, "--embed-lrs-credential-from-env", ENV)  # fmt: skip
    assert code == 0
    assert err == (
        f"warning: embedding the LRS credential from ${ENV}: every learner who opens the "
        "package, and anyone who gets the zip, can read this LRS credential and use it to write "
        "(and, if the LRS allows it, read) statements; prefer launch parameters or a token "
        "broker\n"
    )
    assert PAIR.decode() not in err


def test_a_build_with_the_flag_carries_it_and_validate_flags_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fixtures_dir: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(ENV, PAIR.decode())
    source = str(fixtures_dir / "courses" / "minimal")
    code, _ = run(capsys, "build", "-q", "-t", "scorm12", "--source", source, "--out",
                  str(tmp_path), *LRS, "--embed-lrs-credential-from-env", ENV)  # fmt: skip
    assert code == 0
    [path] = tmp_path.glob("*.zip")
    with zipfile.ZipFile(path) as zf:
        assert BASIC in zf.read("index.html")
    report = validate_package(path, None)
    assert any(e.startswith("index.html:") and "LRS credential" in e for e in report.errors)


def test_a_build_scans_each_distinct_file_once_and_reports_it_in_every_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build checks a dozen packages that share most files: one memo across them.
    shared = b"// shared\n" + BASIC + b"\n"
    first = scorm_package(tmp_path / "a", {"runtime/lrs.js": shared}).read_bytes()
    second = scorm_package(tmp_path / "b", {"runtime/lrs.js": shared, "b.txt": b"b"}).read_bytes()
    scanned: list[int] = []
    real = builder.package_checks.scan_stream

    def counting(chunks: Iterable[bytes], limit: int) -> list[Finding]:
        scanned.append(1)
        return real(chunks, limit)

    monkeypatch.setattr(builder.package_checks, "scan_stream", counting)
    alone = validate_zip_bytes("b.zip", second)
    memo: ScanMemo = {}
    validate_zip_bytes("a.zip", first, scan_memo=memo)
    scans_of_first = len(scanned)
    scanned.clear()
    with_memo = validate_zip_bytes("b.zip", second, scan_memo=memo)
    # The same report as without the memo; only what the first package lacked is scanned: b.txt
    # and the manifest (which lists b.txt).
    assert with_memo == alone
    assert [e.split(" (")[0] for e in with_memo.errors] == [
        "runtime/lrs.js:2: carries an LRS credential"
    ]
    assert len(scanned) == 2 and scans_of_first > 2


def test_a_remembered_scan_still_counts_towards_the_text_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = scorm_package(tmp_path, {"big.txt": b"x" * 4000}).read_bytes()
    memo: ScanMemo = {}
    assert validate_zip_bytes("a.zip", data, scan_memo=memo).errors == ()
    monkeypatch.setattr(builder.package_checks, "MAX_SCAN_TEXT", 3000)
    errors = validate_zip_bytes("b.zip", data, scan_memo=memo).errors
    assert errors == ("b.zip: more than 3000 bytes of text, the most scanned for credentials; "
                      "not all scanned",)  # fmt: skip


#: LRS URLs carrying a credential, each in another place (the secret is `s3cr3t`); on
#: 127.0.0.1 port 9, so that a URL wrongly let through fails at once, reaching nothing.
URLS_WITH_A_CREDENTIAL = [
    "http://key:s3cr3t@127.0.0.1:9/xapi/",
    "http://key:s3cr3t@127.0.0.1:99999/xapi/",
    "http://127.0.0.1:9/xapi/?token=s3cr3t",
    "http://127.0.0.1:9/xapi/?x-api-key=s3cr3t",
    "http://127.0.0.1:9/xapi/#access_token=s3cr3t",
]


@pytest.mark.parametrize("command", ["report", "preview"])
@pytest.mark.parametrize("url", URLS_WITH_A_CREDENTIAL)
def test_an_lrs_url_with_a_credential_is_refused_without_showing_it(
    command: str,
    url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fixtures_dir: Path,
) -> None:
    # As the build's --lrs-endpoint (test_cli_lrs.py): refused before anything is read or served,
    # and the error never repeats the secret (terminals and CI logs keep it).
    import builder.preview

    def no_server(*_: object) -> None:
        raise builder.preview.UsageError("the preview would have started")

    monkeypatch.setattr(builder.preview, "_bind", no_server)
    source = str(fixtures_dir / "courses" / "minimal")
    targets = ("-t", "web") if command == "preview" else ()
    code, err = run(capsys, command, "--source", source, *targets, "--lrs", url)
    assert code == 2
    assert err.startswith("Error: --lrs: ")
    assert "s3cr3t" not in err
