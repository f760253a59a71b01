"""Stage 5, the one writer: deterministic zips, written atomically."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from builder.errors import PackageError
from builder.files import OutputFile
from builder.limits import MAX_RATIO

#: 1980-01-01 00:00:00, the earliest time a zip entry can hold.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: 2107-12-31 23:59:59 UTC: a DOS date counts years from 1980 in 7 bits.
ZIP_LATEST = 4354819199


def zip_date_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp for every entry: SOURCE_DATE_EPOCH (UTC) if set, else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    try:
        seconds = int(epoch)
    except ValueError:
        seconds = ZIP_LATEST + 1
    if seconds > ZIP_LATEST:
        raise PackageError(
            f"SOURCE_DATE_EPOCH: expected whole seconds up to {ZIP_LATEST} (2107-12-31, the "
            f"latest time a zip entry can hold), found {epoch!r}"
        )
    t = time.gmtime(max(seconds, 315532800))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


#: The deflate level of every entry (the best; packing is a small part of a build).
LEVEL = 9
#: Entries smaller than this are deflated without measuring their ratio first.
RATIO_CHECK_FROM = 64 * 1024
#: What a zip without Zip64 holds at most: entries, and bytes per entry and in the archive.
MAX_ENTRIES = 0xFFFF
MAX_SIZE = 0xFFFFFFFF
_DEFLATED, _STORED = 8, 0
#: General-purpose flag bit 11: the name is UTF-8 (APPNOTE 4.4.4).
_UTF8 = 0x800
#: Version made by: Unix (3) and 2.0, so the external attributes hold POSIX permissions.
_MADE_BY = (3 << 8) | 20
_MODE = (0o100644 & 0xFFFF) << 16


@dataclass(frozen=True, slots=True)
class Packed:
    """One entry's bytes as the zip holds them: method, CRC-32, sizes and (deflated) data."""

    method: int
    crc: int
    size: int
    data: bytes


class Packer:
    """Packs entries, each distinct content once: the same runtime, stylesheet, PDF and assets
    go into every package of a build, and deflating them again would give the same bytes. A
    shared beginning (`OutputFile.shared`: the course page before its data) is deflated once and
    the compressor's state copied for the rest of each file, which gives the same bytes as
    deflating the whole file."""

    def __init__(self) -> None:
        self._packed: dict[bytes, Packed] = {}
        self._begun: dict[bytes, tuple[zlib._Compress, bytes, int]] = {}

    def pack(self, data: bytes, shared: int = 0) -> Packed:
        """`data` deflated, or stored if it would compress more than `validate` accepts
        (a page of very repetitive text is not a zip bomb, but an unpacker cannot tell)."""
        key = _digest(data)
        if (packed := self._packed.get(key)) is None:
            deflated, crc = self._deflate(data, shared)
            stored = len(data) >= RATIO_CHECK_FROM and len(data) > MAX_RATIO * len(deflated)
            packed = Packed(
                _STORED if stored else _DEFLATED,
                crc,
                len(data),
                data if stored else deflated,
            )
            self._packed[key] = packed
        return packed

    def _deflate(self, data: bytes, shared: int) -> tuple[bytes, int]:
        """(raw deflate stream, CRC-32) of `data`, its first `shared` bytes deflated once."""
        if shared < RATIO_CHECK_FROM:
            packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
            return packer.compress(data) + packer.flush(), zlib.crc32(data)
        head = data[:shared]
        key = _digest(head)
        if (begun := self._begun.get(key)) is None:
            packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
            begun = self._begun[key] = (packer, packer.compress(head), zlib.crc32(head))
        packer, start, crc = begun
        rest, packer = data[shared:], packer.copy()
        return start + packer.compress(rest) + packer.flush(), zlib.crc32(rest, crc)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def _dos_stamp() -> tuple[int, int]:
    """(time, date) in MS-DOS form of `zip_date_time()`."""
    year, month, day, hour, minute, second = zip_date_time()
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def zip_bytes(
    files: list[OutputFile], name: str = "package.zip", packer: Packer | None = None
) -> bytes:
    """The deterministic zip of `files`: entries sorted by name, each with a fixed time
    (`zip_date_time`), mode 0644 and system Unix; a `PackageError` (naming `name`) if a name
    repeats or the zip would need Zip64. `packer` carries packed entries across the packages of
    one build.
    """
    names = [f.arcname for f in files]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise PackageError(f"{name}: the same file twice in the package: {', '.join(dupes)}")
    if len(files) > MAX_ENTRIES:
        raise PackageError(f"{name}: expected at most {MAX_ENTRIES} files, found {len(files)}")
    packer = packer or Packer()
    dos_time, dos_date = _dos_stamp()
    out = io.BytesIO()
    central = io.BytesIO()
    for f in sorted(files, key=lambda f: f.arcname):
        packed = packer.pack(f.data, f.shared)
        raw = f.arcname.encode("utf-8")
        flags = 0 if raw.isascii() else _UTF8
        offset = out.tell()
        if max(packed.size, offset) > MAX_SIZE:
            raise PackageError(f"{name}: expected under 4 GiB, found more at {f.arcname}")
        common = struct.pack(
            "<HHHHHIIIHH",
            20,
            flags,
            packed.method,
            dos_time,
            dos_date,
            packed.crc,
            len(packed.data),
            packed.size,
            len(raw),
            0,
        )
        out.write(b"PK\x03\x04" + common + raw)
        out.write(packed.data)
        central.write(b"PK\x01\x02" + struct.pack("<H", _MADE_BY) + common)
        central.write(struct.pack("<HHHII", 0, 0, 0, _MODE, offset) + raw)
    start, directory = out.tell(), central.getvalue()
    if start + len(directory) > MAX_SIZE:
        raise PackageError(f"{name}: expected under 4 GiB, found more")
    out.write(directory)
    out.write(
        b"PK\x05\x06"
        + struct.pack("<HHHHIIH", 0, 0, len(files), len(files), len(directory), start, 0)
    )
    return out.getvalue()


def write_zip(files: list[OutputFile], dest: Path) -> Path:
    """Write `files` to the zip `dest` atomically (temp file in the same folder, then rename)."""
    return write_bytes(zip_bytes(files, dest.name), dest)


def write_bytes(data: bytes, dest: Path) -> Path:
    """Write `data` (a zip made by `zip_bytes`) to `dest` atomically."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise PackageError(f"{dest.parent}: cannot write here: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as raw:
            raw.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(dest)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PackageError(f"{dest}: cannot write the package: {exc.strerror}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest
