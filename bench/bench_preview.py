"""Preview benchmark: from `coursepack preview` to serving, and from a saved edit to rebuilt.

Run by hand: `.venv/bin/python bench/bench_preview.py [-t scorm12 ...]`. Starts the preview on a
free port on a copy of the shipped course, times the first build (until it prints its URL), then
appends a line to a page and times until the page would reload (a new generation in /api/state),
three times. Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSEPACK = Path(sys.executable).parent / "coursepack"


def generation(url: str) -> int:
    with urllib.request.urlopen(url + "api/state", timeout=30) as response:
        found: int = json.loads(response.read())["generation"]
        return found


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    source = work / "modules"
    shutil.copytree(ROOT / "modules", source)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(COURSEPACK), "preview", "--port", "0", "--source", str(source), *sys.argv[1:]],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            if found := re.search(r"preview at (\S+)", line):
                url = found.group(1)
                break
        serving = time.perf_counter() - started
        page = next(source.glob("01-*/pages/*.md"))
        rebuilds = []
        for i in range(3):
            before = generation(url)
            page.write_text(page.read_text() + f"\nEdit {i}.\n")
            edited = time.perf_counter()
            while generation(url) == before:
                time.sleep(0.05)
            rebuilds.append(time.perf_counter() - edited)
        targets = " ".join(sys.argv[1:]) or "every target"
        each = [round(r, 2) for r in rebuilds]
        median = statistics.median(rebuilds)
        print(f"{targets}: serving after {serving:.2f} s; edit to rebuilt: {median:.2f} s {each}")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
