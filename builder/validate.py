"""`coursepack validate`: check a package (zip or folder, ours or anyone's) without extracting it.

Zip entries are read in memory, and only after the archive's sizes and ratios are known to be safe
(`package_reader`); the checks (`package_checks`) then report every problem as one line naming the
file (and the line, for XML).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from builder.errors import ValidationFailed, printable
from builder.package_checks import CheckOptions, ScanMemo, check_package
from builder.package_reader import Package, open_entries, open_folder, open_zip


@dataclass(frozen=True, slots=True)
class Report:
    """What `validate_package` found: the standard detected, errors and warnings."""

    standard: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: What was not checked, said once and only when asked (`validate -v`).
    notes: tuple[str, ...] = ()

    def raise_for_errors(self) -> None:
        """Raise `ValidationFailed` listing every error, if there is any."""
        if self.errors:
            raise ValidationFailed(list(self.errors))


#: What reading a hostile package can raise; each becomes one "cannot read" line.
READ_ERRORS = (
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    struct.error,
    etree.Error,
)


def _validate(path: Path, open_package: Callable[[], Package], options: CheckOptions) -> Report:
    try:
        pkg = open_package()
    except READ_ERRORS as exc:
        return Report("unknown", (printable(f"{path.name}: cannot read the package: {exc}"),))
    if pkg.bomb:
        # Report and stop before decompressing anything.
        if pkg.zf is not None:
            pkg.zf.close()
        return Report("unknown", tuple(printable(e) for e in pkg.errors))
    try:
        standard = check_package(pkg, options)
    except READ_ERRORS as exc:
        # Corrupt data, lying sizes or CRCs.
        pkg.errors.append(f"{path.name}: cannot read the package: {exc}")
        standard = "unknown"
    finally:
        if pkg.zf is not None:
            pkg.zf.close()
    return Report(
        standard,
        tuple(printable(e) for e in pkg.errors),
        tuple(printable(w) for w in pkg.warnings),
        tuple(printable(n) for n in pkg.notes),
    )


def validate_package(path: Path, schemas_dir: Path | None) -> Report:
    """Check the package at `path` (a .zip or a folder); schema-check it if `schemas_dir` is set."""
    options = CheckOptions(schemas_dir)
    if path.is_dir() and not path.is_symlink():
        return _validate(path, lambda: open_folder(path), options)
    if not path.is_file():  # a pipe or device would block the read
        found = "a special file" if path.exists() else "nothing"
        return Report(
            "unknown", (printable(f"{path}: expected a zip file or a folder, found {found}"),)
        )
    with ExitStack() as stack:

        def open_file() -> Package:
            return open_zip(path, stack.enter_context(path.open("rb")))

        return _validate(path, open_file, options)


def validate_zip_bytes(
    name: str,
    data: bytes,
    *,
    manifest_optional: bool = False,
    credentials_allowed: bool = False,
    scan_memo: ScanMemo | None = None,
) -> Report:
    """`validate_package` of a zip in memory: what the build is about to write as `name`.

    `manifest_optional`: a package without a manifest is fine (the `web` target);
    `credentials_allowed`: the build was explicitly asked to embed an LRS credential;
    `scan_memo`: credential scans kept from the build's other packages (`ScanMemo`).
    """
    path = Path(name)
    options = CheckOptions(None, manifest_optional, credentials_allowed, scan_memo)
    return _validate(path, lambda: open_zip(path, io.BytesIO(data)), options)


def check_entries(
    name: str,
    contents: Mapping[str, bytes],
    *,
    manifest_optional: bool = False,
    credentials_allowed: bool = False,
    scan_memo: ScanMemo | None = None,
    shared: Mapping[str, int] | None = None,
) -> Report:
    """The checks `validate_zip_bytes` runs on a package's entries (file types, credentials,
    the manifest or the web page's links), run on the entries themselves, by name, before they
    are zipped: the build checks each package this way while the zip is being deflated, and
    its zip's directory with `check_zip_directory` (the two together are `validate_zip_bytes`
    of that zip, without inflating it again). Options as for `validate_zip_bytes`; `shared`:
    the bytes at the start of an entry that other packages begin with (`OutputFile.shared`),
    scanned for credentials once with `scan_memo`.
    """
    path = Path(name)
    options = CheckOptions(None, manifest_optional, credentials_allowed, scan_memo)
    return _validate(path, lambda: open_entries(path, contents, shared), options)


def check_zip_directory(name: str, data: bytes) -> tuple[str, ...]:
    """The errors `validate_zip_bytes` finds in the zip `data`'s end record and directory
    (entry names, kinds, methods, sizes and ratios), without reading any entry."""
    try:
        pkg = open_zip(Path(name), io.BytesIO(data))
    except READ_ERRORS as exc:
        return (printable(f"{name}: cannot read the package: {exc}"),)
    if pkg.zf is not None:
        pkg.zf.close()
    return tuple(printable(e) for e in pkg.errors)
