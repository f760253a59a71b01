"""Run the real openedx-scorm-xblock in the real xblock-sdk workbench, from the tests.

The workbench lives in its own virtualenv (`.venv-openedx`, made by `scripts/setup-openedx.sh`:
xblock-sdk pins its own Django); each `run_workbench()` starts it as a subprocess on 127.0.0.1 with
a fresh database and media folder, and stops its whole process group on exit. Our side of the
workbench (settings, runtime shims, the pages used here) is in `server/coursepack_workbench/`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import HTTPCookieProcessor, OpenerDirector, ProxyHandler, Request, build_opener

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
#: Holds only our Django package (this folder would shadow the SDK's `workbench` package).
SERVER_PATH = HERE / "server"
VENV = REPO / ".venv-openedx"
PYTHON = VENV / "bin" / "python"
SETUP = "bash scripts/setup-openedx.sh"
#: The Django settings of our side of the workbench (`tests/openedx/server/coursepack_workbench/`).
SETTINGS = "coursepack_workbench.settings"
START_TIMEOUT = 60.0


def require_venv() -> Path:
    """The workbench's Python, or fail (never skip: CI runs these) with the command to run."""
    if not PYTHON.is_file():
        pytest.fail(
            f"{VENV} is missing: run `{SETUP}` in {REPO} "
            "(scripts/test.sh does this on a new machine).",
            pytrace=False,
        )
    return PYTHON


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def multipart(fields: dict[str, str], files: dict[str, Path]) -> tuple[bytes, str]:
    """A `multipart/form-data` body and its content type."""
    boundary = f"----coursepack{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, path in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{path.name}"\r\nContent-Type: application/zip\r\n\r\n'
        )
        parts.append(head.encode() + path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Workbench:
    """One running workbench with one SCORM block (`<scorm/>`) in it."""

    base_url: str
    run_dir: Path
    usage_id: str
    _opener: OpenerDirector
    _jar: CookieJar
    uploads: list[Path] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The absolute URL of a path on the workbench."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def _request(self, request: Request) -> tuple[int, bytes]:
        try:
            with self._opener.open(request, timeout=60) as response:
                return int(response.status), bytes(response.read())
        except HTTPError as exc:
            return exc.code, exc.read()

    def get_json(self, path: str) -> Any:
        """GET a JSON page of the workbench; fail with the server log on an error status."""
        status, body = self._request(Request(self.url(path)))
        assert status == 200, f"GET {path}: {status}\n{body[:2000]!r}\n{self.log_tail()}"
        return json.loads(body)

    def upload(self, zip_path: Path, *, height: int = 720) -> None:
        """Upload a package as Studio does: `studio_submit` with the file, CSRF-protected."""
        self.get_json("coursepack/ping/")  # sets the csrftoken cookie
        token = next((c.value for c in self._jar if c.name == "csrftoken"), None)
        assert token, "the workbench set no csrftoken cookie"
        fields = {
            "display_name": zip_path.stem,
            "width": "",
            "height": str(height),
            "has_score": "1",
            "weight": "1",
            "enable_navigation_menu": "0",
            "enable_fullscreen_button": "1",
            "navigation_menu_width": "",
            "popup_on_launch": "0",
        }
        body, content_type = multipart(fields, {"file": zip_path})
        request = Request(
            self.url(f"handler/{self.usage_id}/studio_submit/?student=author"),
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "X-CSRFToken": token},
        )
        status, answer = self._request(request)
        assert status == 200, f"studio_submit: {status}\n{answer[:2000]!r}\n{self.log_tail()}"
        result = json.loads(answer)
        assert result == {"result": "success", "errors": []}, f"studio_submit answered {result}"
        self.uploads.append(zip_path)

    def student_url(self, student_id: str) -> str:
        """The page showing the block to `student_id`; the package runs in its iframe."""
        return self.url(f"coursepack/student/?student={quote(student_id)}")

    def state(self, student_id: str) -> dict[str, Any]:
        """What the XBlock stored for `student_id`.

        Keys: `lesson_status`, `success_status`, `lesson_score` (0..1), `grade` (the XBlock's
        `get_grade()`), `scorm_data` (every element the package set, as the XBlock keeps them),
        `published_grades` (the `grade` events it published, oldest first), `events`, and `calls`
        (every handler request for this student: handler, status, the elements it carried).
        """
        found: dict[str, Any] = self.get_json(f"coursepack/state/?student={quote(student_id)}")
        return found

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's output, for failure messages."""
        log = self.run_dir / "server.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "--- workbench server.log (end) ---\n" + "\n".join(text.splitlines()[-lines:])


def _environment(run_dir: Path, base_url: str, extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        PYTHONPATH=str(SERVER_PATH),
        COURSEPACK_WORKBENCH_DIR=str(run_dir),
        COURSEPACK_WORKBENCH_URL=base_url,
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and anything it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@contextmanager
def run_workbench(tmp_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[Workbench]:
    """Start a fresh workbench under `tmp_dir` on 127.0.0.1 and stop it on exit.

    `env` adds to the server's environment (settings.py reads the cmi5 XBlock's LRS from it).
    """
    python = require_venv()
    run_dir = tmp_dir / "workbench"
    (run_dir / "media").mkdir(parents=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server_env = _environment(run_dir, base_url, env or {})
    migrate = subprocess.run(
        [str(python), "-m", "django", "migrate", "--run-syncdb", "-v0"],
        cwd=run_dir,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrate.returncode == 0, f"workbench migrate failed:\n{migrate.stdout}{migrate.stderr}"
    with (run_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [str(python), "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=run_dir,
            env=server_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            jar = CookieJar()
            # No proxy, whatever the environment says: all traffic stays on 127.0.0.1.
            opener = build_opener(ProxyHandler({}), HTTPCookieProcessor(jar))
            bench = Workbench(base_url, run_dir, "", opener, jar)
            bench.usage_id = _wait_ready(bench, process)
            yield bench
        finally:
            _stop(process)


def _wait_ready(bench: Workbench, process: subprocess.Popen[bytes]) -> str:
    """Wait until the server answers its ping; return the block's usage id."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the workbench server exited ({process.returncode})\n{bench.log_tail()}")
        try:
            with bench._opener.open(bench.url("coursepack/ping/"), timeout=5) as response:
                usage_id: str = json.loads(response.read())["usage_id"]
                return usage_id
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"the workbench did not answer in {START_TIMEOUT:.0f} s\n{bench.log_tail()}")
