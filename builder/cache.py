"""A per-user cache of what a build computes from its inputs alone (the minified runtime).

A value is stored under the SHA-256 of everything it is made from, so a change of any input is a
new key and a stale value is never read; an old value is only ever a file nobody asks for again.
The folder is private: `default_folder()` is `coursepack-cache-<uid>` in the temporary folder,
made with mode 0700, and refused (no caching) unless it is a real folder of this user that nobody
else can write. Every failure to read or write is a miss: the build then does the work itself.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path


def key(*parts: str | bytes) -> str:
    """The SHA-256 of `parts`, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _private(folder: Path) -> bool:
    """Whether `folder` is a folder (not a link) of this user that only this user can use."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and mine and stat.S_IMODE(info.st_mode) & 0o077 == 0


def default_folder() -> Path | None:
    """This user's cache folder in the temporary folder (made if missing), or None if unsafe."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"coursepack-cache-{uid}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    return folder if _private(folder) else None


class Cache:
    """Values by key in `folder`; reads and writes that fail are misses, never errors."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, name: str) -> bytes | None:
        """The value stored under `name`, or None."""
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def put(self, name: str, value: bytes) -> None:
        """Store `value` under `name`, whole or not at all (written aside, then renamed)."""
        try:
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(value)
            Path(temporary).replace(self.folder / name)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
