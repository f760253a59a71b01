"""A real LRS for the delivery tests: Ralph with its file-system backend on 127.0.0.1.

Ralph runs from its own virtualenv (`.venv-ralph/`, made by `scripts/setup-ralph.sh`) because it
pins its own FastAPI. Each `Lrs` has a fresh data directory and basic-auth credentials, and can be
stopped and started again on the same port and data directory to simulate an outage.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RALPH_VENV = Path(os.environ.get("RALPH_VENV", ROOT / ".venv-ralph"))
SETUP_SCRIPT = ROOT / "scripts" / "setup-ralph.sh"
APP_DIR = Path(__file__).resolve().parent
XAPI_VERSION = "1.0.3"
USERNAME = "coursepack-test"
PASSWORD = "not-a-secret-test-only"


def ensure_ralph() -> Path:
    """The Ralph virtualenv's bin directory, created by scripts/setup-ralph.sh when missing."""
    bin_dir = RALPH_VENV / "bin"
    if not (bin_dir / "ralph").exists():
        subprocess.run(["sh", str(SETUP_SCRIPT)], check=True, capture_output=True)
    return bin_dir


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def basic_auth(username: str = USERNAME, password: str = PASSWORD) -> str:
    """The `Authorization` header value for HTTP basic auth."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


class Lrs:
    """One Ralph process serving `http://127.0.0.1:<port>/xAPI` from `data_dir`."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/xAPI"
        self.auth = basic_auth()
        self.log_path = data_dir / "ralph.log"
        self._bin = ensure_ralph()
        self._proc: subprocess.Popen[bytes] | None = None
        self._env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(data_dir),
            "RALPH_APP_DIR": str(data_dir),
            "RALPH_AUTH_FILE": str(data_dir / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data_dir / "statements"),
        }
        (data_dir / "statements").mkdir(parents=True, exist_ok=True)
        self._write_credentials()

    def _write_credentials(self) -> None:
        # `ralph auth` bcrypt-hashes the password into auth.json, the file Ralph's Basic auth reads.
        account = ["coursepack-test", "https://lrs.example.org"]
        subprocess.run(
            [
                str(self._bin / "ralph"),
                "auth",
                "-u",
                USERNAME,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-A",
                *account,
                "-w",
            ],
            check=True,
            capture_output=True,
            env=self._env,
            cwd=self.data_dir,
        )

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until its heartbeat answers."""
        if self.running:
            return
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [
                    str(self._bin / "python"),
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    str(APP_DIR),
                    "ralph_app:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                env=self._env,
                cwd=self.data_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/__heartbeat__", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Ralph did not start on {self.base}:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server (terminate, then kill); the data directory stays."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port and data directory."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server log, for failure messages."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _get(self, path_and_query: str) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.base}{path_and_query}",
            headers={"Authorization": self.auth, "X-Experience-API-Version": XAPI_VERSION},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            result: dict[str, Any] = json.load(response)
            return result

    def statements(self) -> list[dict[str, Any]]:
        """Every stored statement, following the `more` links page by page."""
        found: list[dict[str, Any]] = []
        link: str | None = "/xAPI/statements?limit=100"
        while link:
            page = self._get(link)
            found.extend(page["statements"])
            link = page.get("more") or None
        return found

    def statement_ids(self) -> list[str]:
        """The id of every stored statement, duplicates included."""
        return [s["id"] for s in self.statements()]


@contextmanager
def running_lrs(data_dir: Path) -> Iterator[Lrs]:
    """An `Lrs` started in `data_dir`, stopped on exit (also when the body fails)."""
    lrs = Lrs(data_dir)
    try:
        lrs.start()
        yield lrs
    finally:
        lrs.stop()
