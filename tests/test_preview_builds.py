"""The preview's builds without a server: each rebuild reads the course once, a failed build
keeps the last packages, and the watcher looks for changes at a bounded cost
(builder/preview/builds.py)."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.loader import load_course
from builder.model import Course
from builder.preview.builds import Builds

REPO = Path(__file__).resolve().parents[1]
MINIMAL = REPO / "tests" / "fixtures" / "courses" / "minimal"


def test_a_rebuild_reads_the_course_once_and_says_how_many_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import builder.build
    import builder.preview.builds

    reads: list[Path] = []

    def counted(source: Path) -> Course:
        reads.append(source)
        return load_course(source)

    monkeypatch.setattr(builder.build, "load_course", counted)
    monkeypatch.setattr(builder.preview.builds, "load_course", counted)
    caplog.set_level(logging.INFO, logger="coursepack")
    builds = Builds(BuildConfig(source_dir=MINIMAL, targets=("web",)), tmp_path)
    assert builds.rebuild() and reads == [MINIMAL]
    assert caplog.messages[-1] == "preview: built generation 1 (1 package)"
    two = Builds(BuildConfig(source_dir=MINIMAL, targets=("web", "scorm12")), tmp_path / "2")
    assert two.rebuild() and caplog.messages[-1] == "preview: built generation 1 (2 packages)"


def test_a_build_that_fails_keeps_the_last_packages_and_says_why(tmp_path: Path) -> None:
    source = tmp_path / "modules"
    shutil.copytree(MINIMAL, source)
    builds = Builds(BuildConfig(source_dir=source, targets=("web",)), tmp_path / "site")
    (tmp_path / "site").mkdir()
    assert builds.rebuild()
    good = builds.packages
    (source / "course.yaml").write_text("title: [unclosed\n")
    assert not builds.rebuild()
    assert builds.packages == good and builds.generation == 2
    assert builds.error is not None and "course.yaml:" in builds.error
    (source / "course.yaml").write_text((MINIMAL / "course.yaml").read_text())
    assert builds.rebuild() and builds.error is None
    assert builds.packages[0].launch == "/pkg/3/web/index.html"
    # The failed build wrote nothing; generation 1 is gone once 3 is built.
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["3"]


def test_the_watcher_spends_at_most_a_twentieth_of_its_time_looking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.preview.builds

    class Stop:
        def __init__(self) -> None:
            self.waits: list[float] = []

        def wait(self, seconds: float) -> bool:
            self.waits.append(seconds)
            return len(self.waits) > 3

    slow = [0.0, 0.001, 0.03, 0.001]  # seconds each look takes: the third one is slow

    def looking(folders: object) -> dict[str, tuple[int, int]]:
        time.sleep(slow.pop(0))
        return {}

    monkeypatch.setattr(builder.preview.builds, "snapshot", looking)
    builds = Builds(BuildConfig(source_dir=MINIMAL, targets=("web",)), tmp_path)
    stop = Stop()
    builds.watch(stop, interval=0.2)  # type: ignore[arg-type]
    assert stop.waits[:2] == [0.2, 0.2] and stop.waits[2] >= 0.6 and stop.waits[3] == 0.2
