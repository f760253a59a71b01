"""`coursepack new`: a small working course to start from, copied from `templates/new/`."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from builder.errors import PackageError, UsageError
from builder.templates import DEFAULT_TEMPLATES

#: The starter course: two modules, every question type once, an image, a glossary and a survey.
STARTER = DEFAULT_TEMPLATES / "new"


def new_course(dest: Path) -> list[Path]:
    """Copy the starter course into `dest` (absent or empty); the files written, in order.

    `dest/modules` is the default `--source` and `dest/dist` the default `--out`, so
    `cd dest && coursepack build` builds it as it is. The course is made in a hidden folder
    beside `dest` and renamed into place, so a copy that fails half-way leaves nothing behind
    (nor the folders made above `dest`).
    """
    try:
        _check_free(dest)
        made = _make_parents(dest.parent)
    except OSError as exc:
        raise PackageError(f"{dest}: cannot write here: {exc.strerror}") from exc
    staging = dest.parent / f".coursepack-new-{secrets.token_hex(4)}"
    try:
        written = _copy_starter(staging, dest)
        staging.replace(dest)  # over an empty folder too
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(made):
            folder.rmdir()
        raise PackageError(f"{dest}: cannot write here: {exc.strerror}") from exc
    return written


def _check_free(dest: Path) -> None:
    """Refuse a `dest` that is not absent or an empty folder."""
    if dest.is_symlink() and not dest.exists():
        raise UsageError(
            f"{dest}: expected a new or empty folder, found a link to {dest.readlink()}, "
            "which does not exist"
        )
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        found = "a file" if not dest.is_dir() else "a folder with files in it"
        raise UsageError(f"{dest}: expected a new or empty folder, found {found}")


def _make_parents(folder: Path) -> list[Path]:
    """Make `folder` and the folders above it that are missing; those made, outermost first."""
    missing = []
    while not folder.exists() and not folder.is_symlink():
        missing.append(folder)
        folder = folder.parent
    made = []
    try:
        for f in reversed(missing):
            f.mkdir()  # under a file: 'Not a directory'
            made.append(f)
    except OSError:
        for f in reversed(made):
            f.rmdir()
        raise
    return made


def _copy_starter(into: Path, dest: Path) -> list[Path]:
    """Copy the starter course into the new folder `into`; the files as they will be in `dest`."""
    into.mkdir()
    written = []
    for src in sorted(STARTER.rglob("*")):
        if not src.is_file():
            continue
        rel = src.relative_to(STARTER)
        # A file named .gitignore would be ignored by packaging tools: it travels as gitignore.
        rel = Path(".gitignore") if rel.as_posix() == "gitignore" else rel
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, into / rel)
        written.append(dest / rel)
    return written
