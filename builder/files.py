"""The one currency between the pure stages and the writer: a file in a package."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file to be written into a package at `arcname` (POSIX path, no leading slash).

    `shared` says that the first `shared` bytes are the same in other packages of the build (a
    page before its course data), so the writer deflates them once (`builder.package.Packer`).
    """

    arcname: str
    data: bytes
    shared: int = field(default=0, compare=False)
