"""The Python side of driver.mjs: start the real runtime outbox in Node and read its reports."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).resolve().parent / "driver.mjs"


class Drivers:
    """Starts tests/lrs/driver.mjs processes (the real runtime outbox in Node) and reaps them."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox
        self._procs: list[subprocess.Popen[str]] = []

    def start(self, **options: Any) -> subprocess.Popen[str]:
        """Start a driver with `options` (see driver.mjs) without waiting for it."""
        options.setdefault("storage", str(self.outbox))
        node = shutil.which("node") or "/usr/bin/node"
        proc = subprocess.Popen(
            [node, str(DRIVER), json.dumps(options)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._procs.append(proc)
        return proc

    def finish(self, proc: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
        """Wait for a driver and return its JSON report."""
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err
        report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return report

    def run(self, **options: Any) -> dict[str, Any]:
        """Run a driver to completion and return its report."""
        return self.finish(self.start(**options))

    def reap(self) -> None:
        """Kill every driver still running."""
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
            if proc.stdout is not None and not proc.stdout.closed:
                proc.communicate()
