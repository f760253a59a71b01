"""Stage 5, the one writer: deterministic zips, written atomically."""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterable
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


def zip_bytes_entries(files: Iterable[OutputFile]) -> list[zipfile.ZipInfo]:
    """ZipInfo headers for `files`, sorted by name, with fixed time, mode, system and method."""
    stamp = zip_date_time()
    infos = []
    for f in sorted(files, key=lambda f: f.arcname):
        info = zipfile.ZipInfo(f.arcname, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, so external_attr holds POSIX permissions
        info.external_attr = (0o100644 & 0xFFFF) << 16
        infos.append(info)
    return infos


#: Entries smaller than this are deflated without measuring their ratio first.
RATIO_CHECK_FROM = 64 * 1024


def _method(data: bytes) -> int:
    """Deflate, unless the entry would compress more than `validate` accepts (it is stored then).

    A page of very repetitive text is not a zip bomb, but an unpacker cannot tell it from one.
    """
    if len(data) < RATIO_CHECK_FROM:
        return zipfile.ZIP_DEFLATED
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = len(packer.compress(data)) + len(packer.flush())
    return zipfile.ZIP_STORED if len(data) > MAX_RATIO * packed else zipfile.ZIP_DEFLATED


def zip_bytes(files: list[OutputFile], name: str = "package.zip") -> bytes:
    """The deterministic zip of `files`; a `PackageError` (naming `name`) if a name repeats."""
    names = [f.arcname for f in files]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise PackageError(f"{name}: the same file twice in the package: {', '.join(dupes)}")
    by_name = {f.arcname: f for f in files}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in zip_bytes_entries(files):
            data = by_name[info.filename].data
            info.compress_type = _method(data)
            zf.writestr(info, data, compresslevel=9)
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
