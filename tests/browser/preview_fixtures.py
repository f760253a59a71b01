"""`coursepack preview` as a subprocess on a free port, for the browser tests of the preview."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from browser_site import FIXTURE_COURSES

COURSEPACK = Path(sys.executable).parent / "coursepack"
STARTED = re.compile(r"preview at (http://127\.0\.0\.1:\d+/)")


@dataclass
class Running:
    """A running preview: its URL, its process and everything it printed so far."""

    url: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    def stop(self) -> int:
        """Ctrl-C, as a designer stops it; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)


def copy_course(course: str, into: Path) -> Path:
    """A copy of fixture course `course` that a test may edit."""
    dest = into / "modules"
    shutil.copytree(FIXTURE_COURSES / course, dest)
    return dest


@contextmanager
def preview(
    source: Path, workdir: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[Running]:
    """Start `coursepack preview --port 0` on `source`; Ctrl-C it (then kill) on exit."""
    env = {
        **os.environ,
        "TMPDIR": str(workdir / "tmp"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
        **(env or {}),
    }
    (workdir / "tmp").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [str(COURSEPACK), "preview", "--port", "0", "--source", str(source), *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    url = None
    for line in process.stdout:
        output.append(line)
        if found := STARTED.search(line):
            url = found.group(1)
            break
    if url is None:
        process.wait(timeout=20)
        raise AssertionError("preview did not start:\n" + "".join(output))
    running = Running(url, process, output)
    # Keep reading its output so it never blocks on a full pipe.
    reader = threading.Thread(
        target=lambda: output.extend(process.stdout or []), name="preview-output", daemon=True
    )
    reader.start()
    try:
        yield running
    finally:
        try:
            running.stop()
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        reader.join(timeout=5)
        process.stdout.close()
