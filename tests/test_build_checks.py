"""The build's check of each package before it is written: its entries, checked while its zip
is deflated, and then its zip's directory; together, what `validate` finds in the zip."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers import make_course, package_files, whole

from builder.build import build
from builder.config import BuildConfig
from builder.errors import BuilderError
from builder.files import OutputFile
from builder.package import Packer, zip_bytes
from builder.package_checks import ScanMemo
from builder.secrets import OVERLAP, Finding, scan, scan_stream
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.validate import check_entries, check_zip_directory, validate_zip_bytes

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "courses" / "minimal"
CREDENTIAL = b"https://key:s3cr3t@lrs.example.org/xapi/"
#: The shared beginning of the course page: long enough to be scanned once for all packages.
HEAD = b"<!doctype html>\n" + b"<p>A page of the course.</p>\n" * 400


def page(head: bytes, data: bytes) -> OutputFile:
    """A course page whose first len(head) bytes every target's page begins with."""
    return OutputFile("index.html", head + data + b"\n</html>\n", len(head))


def package(extra: list[OutputFile]) -> list[OutputFile]:
    names = {f.arcname for f in extra}
    files = [f for f in package_files() if f.arcname not in names] + extra
    env = make_env([DEFAULT_TEMPLATES])
    return files + TARGETS["scorm12"].manifest(make_course(), whole(make_course()), files, env)


def as_built(files: list[OutputFile], memo: ScanMemo, packer: Packer) -> list[str]:
    """The errors the build finds in `files`: the entries, then the zip's directory."""
    report = check_entries(
        "p.zip",
        {f.arcname: f.data for f in files},
        scan_memo=memo,
        shared={f.arcname: f.shared for f in files if f.shared},
    )
    return [*report.errors, *check_zip_directory("p.zip", zip_bytes(files, "p.zip", packer))]


def as_validated(files: list[OutputFile]) -> list[str]:
    return list(validate_zip_bytes("p.zip", zip_bytes(files, "p.zip")).errors)


@pytest.mark.parametrize(
    "where",
    ["none", "head", "across the end of the head", "after the head", "head and after"],
)
def test_the_build_finds_in_each_package_what_validate_finds_in_its_zip(where: str) -> None:
    memo: ScanMemo = {}
    packer = Packer()
    cut = len(HEAD) - len(CREDENTIAL) // 2
    head = {
        "head": HEAD[:100] + CREDENTIAL + HEAD[100:],
        "across the end of the head": HEAD[:cut] + CREDENTIAL,
        "head and after": HEAD + CREDENTIAL,
    }.get(where, HEAD)
    # Two targets' pages: the same beginning, their own data.
    for target in ("scorm12", "xapi"):
        data = b'{"standard": "%s"}\n' % target.encode()
        if where in ("after the head", "head and after"):
            data += b'<a href="' + CREDENTIAL + b'">LRS</a>\n'
        # Names a case-insensitive disk would merge, and a type strict LMSs refuse.
        others = [OutputFile("notes.txt", b"n"), OutputFile("NOTES.txt", b"N")]
        others.append(OutputFile("setup.exe", b"MZ"))
        files = package([page(head, data), *others])
        built, validated = as_built(files, memo, packer), as_validated(files)
        assert sorted(built) == sorted(validated)
        assert any("NOTES.txt" in e for e in built) and any("setup.exe" in e for e in built)
        found = [e for e in built if "LRS credential" in e]
        assert len(found) == {"none": 0, "head and after": 2}.get(where, 1)


def test_the_shared_beginning_is_scanned_once_for_every_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builder.package_checks

    scanned: list[int] = []

    def counting(data: bytes, limit: int = 1000) -> list[Finding]:
        scanned.append(len(data))
        return scan(data, limit)

    monkeypatch.setattr(builder.package_checks, "scan", counting)
    memo: ScanMemo = {}
    for target in ("scorm12", "cmi5", "xapi"):
        files = [page(HEAD, b'{"standard": "%s"}' % target.encode())]
        assert check_entries("p.zip", {"index.html": files[0].data}, scan_memo=memo,
                             shared={"index.html": len(HEAD)}).errors == ()  # fmt: skip
    # The beginning once, then each page from OVERLAP bytes before its end.
    assert scanned[0] == len(HEAD)
    assert all(n < OVERLAP + 100 for n in scanned[1:]) and len(scanned) == 4


def test_scanning_in_two_finds_what_one_scan_finds_wherever_the_credentials_are() -> None:
    from builder.package_checks import _scan_in_two

    rng = random.Random(7)
    pieces = [CREDENTIAL, b'"auth": "x"', b"<secret>abc</secret>", b"?token=abc", b"x" * 50]
    for _ in range(300):
        text = bytearray(b"line of text\n" * rng.randint(400, 800))
        for _ in range(rng.randint(0, 4)):
            at = rng.randrange(len(text))
            text[at:at] = rng.choice(pieces) + rng.choice([b"", b"\n"])
        data = bytes(text)
        head = rng.randint(OVERLAP + 1, len(data))
        assert _scan_in_two(data, head, {}) == scan(data) == scan_stream([data])


class _Adding:
    """A target as another one, whose manifest also adds `extra` to the package."""

    def __init__(self, target: object, extra: OutputFile) -> None:
        self._target, self._extra = target, extra

    def __getattr__(self, name: str) -> object:
        return getattr(self._target, name)

    def manifest(self, *args: object) -> list[OutputFile]:
        return [*self._target.manifest(*args), self._extra]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # Deflated in the build's thread: its error still stops the build.
        ("index.html", r"the same file twice in the package: index\.html"),
        # Found in the zip's directory, after deflating.
        ("INDEX.HTML", r"index\.html: the name of INDEX\.HTML but for letter case"),
    ],
)
def test_a_package_that_cannot_be_written_stops_the_build_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, expected: str
) -> None:
    monkeypatch.setitem(TARGETS, "scorm12", _Adding(TARGETS["scorm12"], OutputFile(extra, b"x")))
    out = tmp_path / "out"
    config = BuildConfig(source_dir=MINIMAL, out_dir=out, targets=("web", "scorm12"))
    with pytest.raises(BuilderError, match=expected):
        build(config)
    assert not out.exists()


def test_one_zip_at_a_time_however_slow_deflating_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Packages rendered while the zips lag behind would each hold their page in memory."""
    import time

    import builder.build

    rendered: list[int] = []
    ahead: list[int] = []
    real_render, real_zip = builder.build._render, builder.build.zip_bytes

    def render(*args: object) -> list[OutputFile]:
        rendered.append(1)
        return real_render(*args)  # type: ignore[arg-type]

    def slow_zip(files: list[OutputFile], *args: object) -> bytes:
        ahead.append(len(rendered) - len(ahead))  # packages rendered and not yet zipped
        time.sleep(0.02)
        return real_zip(files, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(builder.build, "_render", render)
    monkeypatch.setattr(builder.build, "zip_bytes", slow_zip)
    build(BuildConfig(source_dir=MINIMAL, out_dir=tmp_path / "out"))
    assert len(ahead) == len(rendered) > 4 and max(ahead) <= 2
