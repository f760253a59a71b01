"""`coursepack new`: a small working course to start from, copied from `templates/new/`."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.errors import UsageError
from builder.templates import DEFAULT_TEMPLATES

#: The starter course: two modules, every question type once, an image, a glossary and a survey.
STARTER = DEFAULT_TEMPLATES / "new"


def new_course(dest: Path) -> list[Path]:
    """Copy the starter course into `dest` (absent or empty); the files written, in order.

    `dest/modules` is the default `--source` and `dest/dist` the default `--out`, so
    `cd dest && coursepack build` builds it as it is.
    """
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        found = "a file" if not dest.is_dir() else "a folder with files in it"
        raise UsageError(f"{dest}: expected a new or empty folder, found {found}")
    written = []
    for src in sorted(STARTER.rglob("*")):
        if not src.is_file():
            continue
        rel = src.relative_to(STARTER)
        # A file named .gitignore would be ignored by packaging tools: it travels as gitignore.
        target = dest / (".gitignore" if rel.as_posix() == "gitignore" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)
    return written
