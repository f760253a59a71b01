"""Importing a cmi5 package (cmi5 §14): checked as `coursepack validate` checks it, then read.

The zip is never unpacked: its entries are read on demand, and only those the check listed (no
unsafe names, links, bombs or unknown compression; `builder/validate.py` and `builder/limits.py`
hold those limits). The course structure comes from `cmi5.xml` at the root.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from builder.errors import PackageError
from builder.launcher.structure import Block, parse_structure
from builder.limits import MAX_MANIFEST
from builder.validate import validate_package


@dataclass(frozen=True, slots=True)
class Cmi5Package:
    """A checked cmi5 zip: its path, the entries that may be served and its course structure."""

    path: Path
    names: frozenset[str]
    structure: Block

    def read(self, name: str) -> bytes | None:
        """The bytes of entry `name`, or None when the package has no such (servable) entry."""
        if name not in self.names:
            return None
        with zipfile.ZipFile(self.path) as zf:
            return zf.read(name)


def open_package(path: Path, schemas_dir: Path | None = None) -> Cmi5Package:
    """Check and open the cmi5 zip at `path`; PackageError naming every problem if unusable.

    With `schemas_dir` (the official XSDs) cmi5.xml is also schema-checked.
    """
    if not path.is_file():
        raise PackageError(
            f"{path}: expected a cmi5 zip file, found {'a folder' if path.exists() else 'nothing'}"
        )
    report = validate_package(path, schemas_dir)
    if report.errors:
        raise PackageError(f"{path}: not a usable package:\n  " + "\n  ".join(report.errors))
    if report.standard != "cmi5":
        raise PackageError(
            f"{path}: expected a cmi5 package (cmi5.xml at the root), found {report.standard}"
        )
    with zipfile.ZipFile(path) as zf:
        names = frozenset(i.filename for i in zf.infolist() if not i.is_dir())
        with zf.open("cmi5.xml") as fh:
            data = fh.read(MAX_MANIFEST + 1)
    try:
        structure = parse_structure(data)
    except ValueError as exc:
        raise PackageError(f"{path}: {exc}") from exc
    missing = [au.url for au in structure.aus() if au.url.split("?")[0] not in names]
    if missing:
        raise PackageError(f"{path}: cmi5.xml launches files the zip lacks: {', '.join(missing)}")
    return Cmi5Package(path, names, structure)
