"""xAPI in the browser: a real LRS the page may call, packages built for it, and what was sent.

The LRS helpers live in `tests/lrs/` (Ralph from `.venv-ralph`, the fault proxy); that folder's
conftest fixtures are not visible here, so this module puts it on `sys.path` the way pytest does
for its own tests and builds on its modules. The test files define their fixtures from these
helpers; every server started here is stopped by the context manager that started it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from browser_site import FIXTURE_COURSES, REPO, Problems, Site
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request

from builder.build import build
from builder.config import BuildConfig, LrsConfig
from builder.vocabulary import load_profile

LRS_TESTS = REPO / "tests" / "lrs"
if str(LRS_TESTS) not in sys.path:
    sys.path.insert(0, str(LRS_TESTS))

from cors_proxy import CorsFaultProxy  # noqa: E402
from lrs import PASSWORD, USERNAME, Lrs  # noqa: E402

VALIDATOR = LRS_TESTS / "validate_statements.mjs"
VERBS = "http://adlnet.gov/expapi/verbs/"
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
Statement = dict[str, Any]

__all__ = ["PASSWORD", "USERNAME", "CorsFaultProxy", "Lrs"]


@contextmanager
def cors_lrs(data_dir: Path, origin: str) -> Iterator[Lrs]:
    """A running Ralph that admits pages from `origin`, stopped on exit.

    Ralph's own CORS setting (`RUNSERVER_CORS_ALLOW_ORIGINS`) is read at start from the `.env`
    file in its working directory, which `Lrs` makes the data directory.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / ".env").write_text(
        f"RALPH_RUNSERVER_CORS_ALLOW_ORIGINS={json.dumps([origin])}\n", encoding="utf-8"
    )
    server = Lrs(data_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def build_package(
    site: Site, course: str, target: str, name: str, lrs: LrsConfig | None = None
) -> str:
    """Build a fixture course for one target (dual-track with `lrs`); its site path."""
    dest = site.root / "xapi-pkg" / name
    [built] = build(
        BuildConfig(
            source_dir=FIXTURE_COURSES / course, out_dir=dest / "zip", targets=(target,), lrs=lrs
        )
    )
    with zipfile.ZipFile(built.path) as zf:
        zf.extractall(dest / target)
    return f"xapi-pkg/{name}/{target}/index.html"


def launch_url(site: Site, path: str, **params: str) -> str:
    """The package URL with the Tin Can launch parameters an LMS would add."""
    return site.url(path) + "?" + urlencode(params)


@dataclass
class Sent:
    """What the browser POSTed to `/statements`: each id once, in the order first sent."""

    order: list[str] = field(default_factory=list)
    posts: int = 0
    failures: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        """Record the statement requests of every page of `context`."""
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_failed)

    def _on_request(self, request: Request) -> None:
        if request.method != "POST" or not request.url.endswith("/statements"):
            return
        self.posts += 1
        for statement in json.loads(request.post_data or "[]"):
            if statement["id"] not in self.order:
                self.order.append(statement["id"])

    def _on_failed(self, request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/statements"):
            self.failures.append(request.failure or "failed")


class LrsProblems(Problems):
    """Console errors except the LRS's failed requests, which the fault tests cause on purpose."""

    def __init__(self, lrs_base: str) -> None:
        super().__init__()
        self.lrs_base = lrs_base
        self.expected: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        """Keep "Failed to load resource" of the LRS apart; record every other error."""
        where = message.location.get("url", "")
        failed_load = message.text.startswith("Failed to load resource")
        if message.type == "error" and failed_load and where.startswith(self.lrs_base):
            self.expected.append(message.text)
            return
        super().on_console(message)


def watch(page: Page, problems: Problems) -> Page:
    """Report the console errors and page errors of `page` to `problems`."""
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    return page


def outbox_size(page: Page) -> int:
    """Statements waiting in the page origin's xAPI outboxes (`coursepack:xapi:…:outbox`)."""
    size: int = page.evaluate(
        """() => Object.keys(localStorage).filter((k) => k.startsWith("coursepack:xapi:")
            && k.endsWith(":outbox")).reduce((n, k) => n + JSON.parse(localStorage[k]).length, 0)"""
    )
    return size


def wait_until(page: Page, check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `check` every 0.25 s until it holds; fail naming `what` after `timeout` seconds.

    It waits with `page.wait_for_timeout`: the sync API only delivers events (requests, console
    messages) while it runs, so a plain sleep would never see them.
    """
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        page.wait_for_timeout(250)


def delivered(lrs: Lrs, page: Page, expected: int, timeout: float = 60) -> list[Statement]:
    """Wait until the outbox is empty and the LRS holds `expected` statements; return them."""
    stored: list[Statement] = []

    def done() -> bool:
        nonlocal stored
        if outbox_size(page) > 0:
            return False
        stored = lrs.statements()
        return len(stored) >= expected

    wait_until(page, done, timeout, f"{expected} statements in the LRS")
    # Nothing is in flight once the outbox is empty; read again to catch a late duplicate.
    page.wait_for_timeout(500)
    return lrs.statements()


def assert_exactly_once(stored: list[Statement], sent: Sent) -> None:
    """Every id the browser sent is stored once, and nothing else is stored."""
    counts = Counter(s["id"] for s in stored)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    assert duplicates == [], f"stored more than once: {duplicates}"
    assert set(counts) == set(sent.order), (
        f"never arrived: {sorted(set(sent.order) - set(counts))}; "
        f"not sent by this browser: {sorted(set(counts) - set(sent.order))}"
    )


def validation_problems(statements: list[Statement]) -> dict[str, list[str]]:
    """Problems `xapi-validation` (warnings included) and the profile find, by statement id."""
    result = subprocess.run(
        ["node", str(VALIDATOR)],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=REPO,
    )
    problems: dict[str, list[str]] = json.loads(result.stdout)
    profile = load_profile()
    for statement in statements:
        if problem := profile.validate(statement):
            problems.setdefault(statement["id"], []).append(f"profile: {problem}")
    return problems


def summary(statement: Statement, course_iri: str) -> tuple[str, str]:
    """(verb, what): the object relative to the course IRI; an answer by its parent assessment.

    A `progressed` statement's "what" is its progress percentage, the course's "course".
    """
    verb = statement["verb"]["id"].removeprefix(VERBS)
    if verb == "progressed":
        return verb, str(statement["result"]["extensions"][PROGRESS])
    target = statement["object"]["id"]
    if verb == "answered":
        target = statement["context"]["contextActivities"]["parent"][0]["id"]
    if statement["object"]["definition"]["type"].endswith("/course"):
        return verb, "course"
    return verb, target.removeprefix(course_iri + "/")


def in_sent_order(stored: list[Statement], sent: Sent) -> list[Statement]:
    """The stored statements in the order the browser first sent them."""
    by_id = {s["id"]: s for s in stored}
    return [by_id[i] for i in sent.order if i in by_id]
