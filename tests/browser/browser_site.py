"""The local test site: where things are, the static server, built packages, error capture.

Every package is served from 127.0.0.1 next to a test LMS (`lms/*.html`: scorm-again in the page
that launches the course in an iframe) and axe-core. Missing tools fail the tests with the install
step to run: these tests are part of CI and must never be skipped silently.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Error

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NODE_MODULES = REPO / "node_modules"
FIXTURE_COURSES = REPO / "tests" / "fixtures" / "courses"
#: The course coursepack ships: `Site.package("course", …)` builds it instead of a fixture.
REAL_COURSE = REPO / "modules"
TARGETS = ("web", "scorm12", "scorm2004-3rd", "scorm2004-4th")

#: The files the test site needs from `npm ci`, by the path the pages load them from.
VENDOR_FILES = {
    "vendor/scorm-again/scorm12.js": NODE_MODULES / "scorm-again/dist/scorm12.js",
    "vendor/scorm-again/scorm2004.js": NODE_MODULES / "scorm-again/dist/scorm2004.js",
    "vendor/axe.min.js": NODE_MODULES / "axe-core/axe.min.js",
}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The Debian Chromium executable, or fail with the install step that is missing."""
    found = shutil.which("chromium")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        pytest.fail(
            "Chromium is not installed: run `apt-get install -y chromium` "
            "(scripts/test.sh does this on a new machine).",
            pytrace=False,
        )
    return found


def check_node_modules() -> None:
    """Fail naming the missing files and `npm ci` unless the JavaScript test tools are there."""
    missing = [str(p.relative_to(REPO)) for p in VENDOR_FILES.values() if not p.is_file()]
    if missing:
        pytest.fail(
            f"missing {', '.join(missing)}: run `npm ci` in {REPO} "
            "(scripts/test.sh does this on a new machine).",
            pytrace=False,
        )


def course_source(course: str) -> Path:
    """The source folder of a test course: `course` is the real one, else a fixture's name."""
    return REAL_COURSE if course == "course" else FIXTURE_COURSES / course


@dataclass(frozen=True)
class Commit:
    """One commit the test LMS (scorm-again) sent to the commit endpoint."""

    body: bytes
    content_type: str
    terminate: bool

    def cmi(self) -> dict[str, Any]:
        """The CMI tree it carried (scorm-again's `json` commit format)."""
        tree: dict[str, Any] = json.loads(self.body.decode("utf-8"))["cmi"]
        return tree


class CommitLog:
    """Commits received at `/lms/commit?run=<id>`, by run; safe across the server's threads."""

    def __init__(self) -> None:
        """An empty log."""
        self._runs: dict[str, list[Commit]] = {}
        self._lock = threading.Lock()
        #: Runs whose commits the LMS refuses now (its session expired): answered 503.
        self.refusing: set[str] = set()

    def add(self, run: str, commit: Commit) -> None:
        """Record a commit of `run`."""
        with self._lock:
            self._runs.setdefault(run, []).append(commit)

    def of(self, run: str) -> list[Commit]:
        """Every commit of `run` so far, in the order received."""
        with self._lock:
            return list(self._runs.get(run, []))

    def wait_terminate(self, run: str, timeout: float = 15.0) -> list[Commit]:
        """Every commit of `run` once its Terminate/LMSFinish commit has arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            commits = self.of(run)
            if any(c.terminate for c in commits):
                return commits
            time.sleep(0.05)
        raise AssertionError(f"no terminate commit for {run} within {timeout} s: {self.of(run)}")


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr; takes the LMS's commits."""

    def __init__(self, *args: Any, commits: CommitLog, **kwargs: Any) -> None:
        """A handler that records POSTs to `/lms/commit` in `commits`."""
        self.commits = commits
        super().__init__(*args, **kwargs)

    def do_POST(self) -> None:
        """The LMS commit endpoint: scorm-again posts the CMI tree, as JSON, to `lmsCommitUrl`;
        a run the test made `refusing` is answered 503, as an LMS whose session expired."""
        url = urlsplit(self.path)
        if url.path != "/lms/commit":
            self.send_error(404)
            return
        query = parse_qs(url.query)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        run = query.get("run", [""])[0]
        status, answer = 503, b'{"result": false, "errorCode": 101}'
        if run not in self.commits.refusing:
            commit = Commit(body, self.headers.get("Content-Type", ""), "terminate" in query)
            self.commits.add(run, commit)
            status, answer = 200, b'{"result": true, "errorCode": 0}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access log."""

    def end_headers(self) -> None:
        """Forbid caching, so a rebuilt package is never served stale."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@dataclass
class Site:
    """The folder served on 127.0.0.1 and its base URL."""

    root: Path
    base_url: str
    commits: CommitLog = field(default_factory=CommitLog)
    _built: dict[str, dict[str, str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        """The absolute URL of a path inside the site."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def package(self, course: str, target: str, source: Path | None = None) -> str:
        """Site path of `index.html` of `course` built for `target` (all targets built once),
        from the fixture course of that name or from `source`."""
        if course not in self._built:
            folder = source or course_source(course)
            self._built[course] = build_course(folder, self.root / "pkg" / course)
        return self._built[course][target]


def build_course(source: Path, dest: Path) -> dict[str, str]:
    """Build a course for every target with the real build; unzip each package."""
    from builder.build import build
    from builder.config import BuildConfig

    if not (source / "course.yaml").is_file():
        pytest.fail(f"fixture course {source} is missing", pytrace=False)
    built = build(BuildConfig(source_dir=source, out_dir=dest / "zips", targets=TARGETS))
    paths: dict[str, str] = {}
    for b in built:
        # A course with follow-up.yaml also builds its follow-up package: `<target>@follow-up`.
        key = f"{b.target}@follow-up" if "-follow-up-" in b.path.name else b.target
        folder = key.replace("@", "-")
        with zipfile.ZipFile(b.path) as zf:
            zf.extractall(dest / folder)
        paths[key] = f"pkg/{dest.name}/{folder}/index.html"
    return paths


@contextmanager
def serve(root: Path) -> Iterator[Site]:
    """Serve `root` on an ephemeral 127.0.0.1 port in a thread; stop it on exit."""
    check_node_modules()
    shutil.copytree(HERE / "lms", root / "lms")
    for name, source in VENDOR_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / name)
    # Browsers ask every origin for /favicon.ico; a 404 would be a console error.
    (root / "favicon.ico").write_bytes(b"")
    commits = CommitLog()
    handler = partial(_QuietHandler, directory=str(root), commits=commits)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="test-site", daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}", commits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Problems:
    """Console errors and uncaught exceptions seen in a page and its frames."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        """Record console errors of the page or of any frame in it."""
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console.error: {message.text} ({where})")

    def on_page_error(self, error: Error) -> None:
        """Record an uncaught exception."""
        self.errors.append(f"pageerror: {error.message}\n{error.stack or ''}")

    def assert_clean(self) -> None:
        """Fail listing every console error and page error seen so far."""
        assert not self.errors, "browser reported errors:\n" + "\n".join(self.errors)
