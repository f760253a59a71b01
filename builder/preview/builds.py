"""The preview's builds: the course built into a temporary folder, rebuilt when a source changes.

Each build goes to its own generation folder (`<tmp>/<n>/<target>/`, unzipped), so a page still
loading the previous one never sees half a package. A build that fails keeps the last good
packages and records the error (file and line, as `coursepack build` prints it) for the page.
"""

from __future__ import annotations

import logging
import shutil
import stat
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from builder.build import build
from builder.config import BuildConfig
from builder.errors import BuilderError, counted
from builder.loader import load_course
from builder.preview.launchers import Package
from builder.targets import TARGETS

log = logging.getLogger("coursepack")

#: How many times the time one look at the sources takes the watcher waits before the next.
LOOKING_SHARE = 20
#: Files a source snapshot compares: (modification time in ns, size) by path.
Snapshot = dict[str, tuple[int, int]]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Every file below `folders` with its modification time and size (no links followed)."""
    seen: Snapshot = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                seen[str(path)] = (info.st_mtime_ns, info.st_size)
    return seen


class Builds:
    """The current packages, the last build error and the generation the page polls."""

    def __init__(self, config: BuildConfig, root: Path) -> None:
        self.config = config
        self.root = root
        self.generation = 0
        self.packages: list[Package] = []
        #: The last build's error as `coursepack build` prints it, or None when it built.
        self.error: str | None = None
        self.lock = threading.Lock()
        self.watched = (config.source_dir, *config.template_dirs)

    def rebuild(self) -> bool:
        """Build again into a new generation folder; False (and `error` set) if it failed."""
        generation = self.generation + 1
        dest = self.root / str(generation)
        try:
            course = load_course(self.config.source_dir)
            built = build(replace(self.config, out_dir=dest / "zips"), course=course)
        except BuilderError as exc:
            with self.lock:
                self.error = str(exc)
                self.generation = generation
            log.warning("preview: the build failed; the page shows why:\n%s", exc)
            return False
        packages = []
        for b in built:
            # A split's modules and the follow-up unit are packages of their own: own folders,
            # named by the package's key.
            target = TARGETS[b.target]
            package = Package(
                target=b.target,
                standard=target.standard,
                title=f"{target.title} ({b.part})" if b.part else target.title,
                launch="",
                suspend_limit=target.limits.suspend_data,
                commit_limit=target.limits.commit,
                course_iri=course.spec.id,
                mastery=course.spec.mastery_score,
                zip_path=str(b.path),
                part=b.part or "",
            )
            with zipfile.ZipFile(b.path) as zf:
                zf.extractall(dest / package.key)
            packages.append(replace(package, launch=f"/pkg/{generation}/{package.key}/index.html"))
        with self.lock:
            self.packages, self.error, self.generation = packages, None, generation
        # Keep this generation and the one before (a page may still be loading from it).
        for old in self.root.iterdir():
            if old.name.isdigit() and int(old.name) < generation - 1:
                shutil.rmtree(old, ignore_errors=True)
        log.info("preview: built generation %d (%s)", generation, counted(len(packages), "package"))
        return True

    def watch(self, stop: threading.Event, interval: float = 0.2) -> None:
        """Rebuild whenever a file under the sources or templates changes, until `stop`.

        Looks every `interval` seconds, or less often when looking takes long (a course of
        thousands of files): at most a twentieth of the time goes to looking."""
        last = snapshot(self.watched)
        pause = interval
        while not stop.wait(pause):
            started = time.monotonic()
            now = snapshot(self.watched)
            pause = max(interval, LOOKING_SHARE * (time.monotonic() - started))
            if now != last:
                last = now
                try:
                    self.rebuild()
                except Exception as exc:  # keep serving: the page shows the error
                    log.exception("preview: rebuild failed")
                    with self.lock:
                        self.error = f"internal error while building: {exc}"
                        self.generation += 1
