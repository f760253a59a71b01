"""The one currency between the pure stages and the writer: a file in a package."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file to be written into a package at `arcname` (POSIX path, no leading slash)."""

    arcname: str
    data: bytes
