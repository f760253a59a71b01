"""The bounded reader of a package (zip or folder) for `validate`: entry names first, bytes later.

A zip's end record and directory are checked (counts, sizes, ratios, names, entry types) before
anything is decompressed; a folder is walked without following links. Entries are then read in
memory, never more than a limit, and never extracted.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import struct
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from builder.limits import (
    MAX_CENTRAL_DIRECTORY,
    MAX_ENTRIES,
    MAX_MANIFEST,
    MAX_RATIO,
    MAX_TOTAL,
    METHODS,
    RATIO_FLOOR,
)

#: Bytes read at a time when scanning an entry for credentials.
CHUNK = 1024**2
#: Byte-order marks of UTF-16 and UTF-32 text (which holds NUL bytes, unlike other text).
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(slots=True)
class Package:
    """A read-only view of a zip or folder: entry names and a bounded reader."""

    path: Path
    names: list[str]
    zf: zipfile.ZipFile | None = None
    #: Set when decompressing the archive could exhaust memory: nothing is read then.
    bomb: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Entries that are listed but never read (unknown method, encrypted, links).
    unreadable: set[str] = field(default_factory=set)
    #: The entries' bytes, when the package is the one the build is packing (`open_entries`).
    contents: Mapping[str, bytes] | None = None
    #: Of `contents`: how many bytes at the start of an entry other packages of the build begin
    #: with too (`OutputFile.shared`: the course page before its data), checked once for them.
    shared: Mapping[str, int] = field(default_factory=dict)

    def size(self, name: str) -> int:
        """The uncompressed size of entry `name`, as the zip header or the file system says."""
        if self.contents is not None:
            return len(self.contents[name])
        if self.zf is None:
            return (self.path / name).lstat().st_size
        return self.zf.getinfo(name).file_size

    def open(self, name: str) -> IO[bytes]:
        """A binary stream of entry `name` (a regular file of the folder, never a link)."""
        if self.contents is not None:
            return io.BytesIO(self.contents[name])
        if self.zf is None:
            fd = os.open(self.path / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            return os.fdopen(fd, "rb")
        return self.zf.open(name)

    def read(self, name: str, limit: int = MAX_MANIFEST) -> bytes:
        """The bytes of entry `name`, refusing more than `limit` (whatever the header claims)."""
        with self.open(name) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"{name}: larger than {limit} bytes")
        return data

    def plain_text(self, name: str) -> bytes | None:
        """Entry `name`'s bytes if they are in `contents` and are text that `text_chunks` would
        give unchanged (no byte-order mark of UTF-16/32, no NUL), else None."""
        data = self.contents.get(name) if self.contents is not None else None
        if data is None or any(data.startswith(b) for b in _BOMS) or b"\0" in data[:8192]:
            return None
        return data

    def text_chunks(self, name: str) -> Iterator[bytes]:
        """Entry `name` as UTF-8 chunks if it is text (no NUL unless UTF-16/32), else nothing."""
        with self.open(name) as fh:
            first = fh.read(8192)
            bom = next((b for b in _BOMS if first.startswith(b)), None)
            if bom is None and b"\0" in first:
                return
            if bom is None:
                chunk = first
                while chunk:
                    yield chunk
                    chunk = fh.read(CHUNK)
                return
            encoding = "utf-32" if len(bom) == 4 else "utf-16"
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            chunk = first
            while chunk:
                yield decoder.decode(chunk).encode("utf-8", "replace")
                chunk = fh.read(CHUNK)


def _unsafe(name: str) -> str | None:
    """Why the entry name could escape the extraction folder (zip-slip), or None."""
    if "\\" in name:
        return "uses backslashes"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if ".." in name.split("/"):
        return "has a '..' segment"
    return None


def _twin(name: str, other: str) -> str:
    """The problem of two entries that unpack to the same path somewhere."""
    if name.rstrip("/") == other.rstrip("/"):
        return f"{name}: both a folder and a file; one cannot be unpacked"
    return (
        f"{name}: the name of {other} but for letter case; unpacked on a case-insensitive file "
        "system (Windows, macOS), one overwrites the other"
    )


def _end_record(fh: IO[bytes]) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end-of-central-directory record (or zip64's).

    Read before `zipfile` reads the central directory, so that its size bounds the memory used.
    """
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    tail_size = min(size, 22 + 0xFFFF + 20)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries, cd_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07":
        _, _, offset64, _ = struct.unpack("<IIQI", locator)
        if offset64 < size:
            fh.seek(offset64)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def _entry_kind(info: zipfile.ZipInfo) -> str | None:
    """'a symbolic link' or 'a special file' if the Unix mode of `info` says so, else None."""
    if info.create_system != 3:  # only Unix zips carry a file type in external_attr
        return None
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a special file (device, pipe or socket)"
    return None


def open_zip(path: Path, fh: IO[bytes]) -> Package:
    """Check counts, sizes, names and entry types from the zip's directory; read nothing yet."""
    pkg = Package(path, [])
    end = _end_record(fh)
    if end is None:
        pkg.errors.append(f"{path.name}: cannot read the package: not a zip file (no end record)")
        pkg.bomb = True
        return pkg
    entries, cd_size = end
    if entries > MAX_ENTRIES or cd_size > MAX_CENTRAL_DIRECTORY:
        found = f"{entries} entries" if entries > MAX_ENTRIES else f"{cd_size} bytes of names"
        limit = f"{MAX_ENTRIES} entries" if entries > MAX_ENTRIES else f"{MAX_CENTRAL_DIRECTORY}"
        pkg.errors.append(f"{path.name}: {found}, more than {limit}; not read")
        pkg.bomb = True
        return pkg
    fh.seek(0)
    try:
        pkg.zf = zipfile.ZipFile(fh)
    except UnicodeDecodeError as exc:
        pkg.errors.append(
            f"{path.name}: an entry name flagged as UTF-8 is not valid UTF-8 "
            f"(found the byte #x{exc.object[exc.start]:02X}); not read"
        )
        pkg.bomb = True
        return pkg
    infos = pkg.zf.infolist()
    if len(infos) > MAX_ENTRIES:
        pkg.errors.append(f"{path.name}: {len(infos)} entries, more than {MAX_ENTRIES}; not read")
        pkg.bomb = True
        return pkg
    total = sum(i.file_size for i in infos)
    seen: set[str] = set()
    folded: dict[str, str] = {}  # names as a case-insensitive file system sees them
    for info in infos:
        name = info.filename
        if "\x00" in info.orig_filename:
            # zipfile cuts the name there; other unzip tools may not ("a.js\0.php").
            shown = info.orig_filename.encode("utf-8", "replace").decode(
                "ascii", "backslashreplace"
            )
            pkg.errors.append(
                f"{shown}: a NUL character in the name; unzip tools disagree on where it ends"
            )
            continue  # not listed, so never read (its cut name may be another entry's)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            pkg.errors.append(
                f"{name}: compression ratio {ratio:.0f}:1 exceeds {MAX_RATIO}:1 "
                "(zip bomb?); not read"
            )
            pkg.bomb = True
        if (why := _unsafe(name)) is not None:
            pkg.errors.append(f"{name}: unsafe zip entry name: {why}")
            continue
        if name in seen:
            pkg.errors.append(f"{name}: duplicate zip entry")
        elif (twin := folded.get(name.rstrip("/").casefold())) is not None:
            pkg.errors.append(_twin(name, twin))
        seen.add(name)
        folded.setdefault(name.rstrip("/").casefold(), name)
        if (kind := _entry_kind(info)) is not None:
            pkg.errors.append(
                f"{name}: {kind}; refused (unzipping it can reach outside the package)"
            )
            pkg.unreadable.add(name)
        elif info.compress_type not in METHODS:
            methods = " or ".join(f"{m} ({n})" for n, m in METHODS.items())
            pkg.errors.append(
                f"{name}: compression method {info.compress_type}, expected {methods} "
                "(what every LMS can read); not read"
            )
            pkg.unreadable.add(name)
        elif info.flag_bits & 0x1:
            pkg.errors.append(f"{name}: encrypted, which no LMS can read; not read")
            pkg.unreadable.add(name)
        if not name.endswith("/"):
            pkg.names.append(name)
    compressed = sum(i.compress_size for i in infos)
    if total > MAX_TOTAL:
        pkg.errors.append(
            f"{path.name}: {total} bytes uncompressed, more than {MAX_TOTAL}; not read"
        )
        pkg.bomb = True
    elif not pkg.bomb and total >= RATIO_FLOOR and total / max(compressed, 1) > MAX_RATIO:
        pkg.errors.append(
            f"{path.name}: {total} bytes uncompressed from {compressed}, ratio "
            f"{total / max(compressed, 1):.0f}:1 exceeds {MAX_RATIO}:1 (zip bomb?); not read"
        )
        pkg.bomb = True
    return pkg


def open_entries(
    path: Path, contents: Mapping[str, bytes], shared: Mapping[str, int] | None = None
) -> Package:
    """The entries the build is about to zip as `path`, by name (what `open_zip` of that zip
    reads back: the zip's own directory is checked by `open_zip`); `shared` as `Package.shared`."""
    return Package(path, sorted(contents), contents=contents, shared=shared or {})


def open_folder(path: Path) -> Package:
    """The regular files below `path`; links and special files are errors, never followed."""
    pkg = Package(path, [])
    count = 0
    for folder, dirs, files in os.walk(path, followlinks=False):
        here = Path(folder)
        count += len(dirs) + len(files)
        if count > MAX_ENTRIES:
            pkg.errors.append(f"{path.name}: more than {MAX_ENTRIES} entries; not read")
            pkg.bomb = True
            return pkg
        for name in sorted(dirs + files):
            entry = here / name
            rel = entry.relative_to(path).as_posix()
            mode = entry.lstat().st_mode
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                pkg.errors.append(f"{shown}: file name is not valid UTF-8; not read")
                continue
            if stat.S_ISLNK(mode):
                pkg.errors.append(
                    f"{rel}: a symbolic link; refused (not followed: it can point anywhere)"
                )
            elif stat.S_ISREG(mode):
                pkg.names.append(rel)
            elif not stat.S_ISDIR(mode):
                pkg.errors.append(f"{rel}: a special file (device, pipe or socket); refused")
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    pkg.names.sort()
    return pkg
