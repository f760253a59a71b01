"""The Open edX cmi5 XBlock as the LMS side of a cmi5 package, for the browser tests.

`running_cmi5_lms` starts Ralph (`.venv-ralph`) and the xblock-sdk workbench (`.venv-openedx`, the
block's side in `tests/openedx/server/coursepack_workbench/cmi5.py`) with the block's
`LRS_ENDPOINT` pointing at that Ralph, uploads the package as Studio does, and stops both on exit.
`launch_au` opens the learner's student view, clicks the n-th AU link (the XBlock opens every AU in
a window of its own) and returns that window.
"""

from __future__ import annotations

import dataclasses
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser_site import Problems
from lrs_fixtures import PASSWORD, USERNAME, Lrs
from openedx.workbench import Workbench, run_workbench
from playwright.sync_api import BrowserContext, Page, Route

#: The student view's list of AU links (openedx_cmi5_xblock.html).
AU_LINKS = ".openedx_cmi5_xblock_block ol a"
#: Any URL not on 127.0.0.1: such requests are refused and reported.
FOREIGN = re.compile(r"^(?!http://127\.0\.0\.1:\d+/)(?!data:)")


@dataclass
class Cmi5Lms:
    """A workbench with the cmi5 block holding one package, and the Ralph it forwards to."""

    bench: Workbench
    lrs: Lrs

    def student_url(self, student: str) -> str:
        """The block's student view for `student` (the AU links)."""
        return self.bench.url(f"coursepack/cmi5/student/?student={quote(student)}")

    def state(self, student: str) -> dict[str, Any]:
        """What the block holds for `student`: `lesson_status`, `lesson_score`, `grade`,
        `published_grades`, `completions`, `au_urls`, `launch_urls`, `course_data`, and `calls`
        (every handler request: handler, method, query, statement verb, status, response)."""
        found: dict[str, Any] = self.bench.get_json(
            f"coursepack/cmi5/state/?student={quote(student)}"
        )
        return found

    def statement_calls(self, student: str) -> list[dict[str, Any]]:
        """The `lrs_endpoint` requests that carried a statement, in order."""
        return [
            c
            for c in self.state(student)["calls"]
            if c["handler"] == "lrs_endpoint" and c["suffix"].rstrip("/") == "statements"
        ]


def zip_folder(folder: Path, dest: Path) -> Path:
    """The files of `folder` as a zip at `dest` (sorted, fixed times: the same bytes each time)."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), (2020, 1, 1, 0, 0, 0))
            zf.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return dest


@contextmanager
def running_cmi5_lms(tmp_dir: Path, package: Path) -> Iterator[Cmi5Lms]:
    """Ralph, then the workbench forwarding to it, `package` uploaded; both stopped on exit."""
    lrs = Lrs(tmp_dir / "lrs")
    try:
        lrs.start()
        env = {
            "COURSEPACK_CMI5_LRS_ENDPOINT": lrs.endpoint,
            "COURSEPACK_CMI5_LRS_KEY": USERNAME,
            "COURSEPACK_CMI5_LRS_SECRET": PASSWORD,
        }
        with run_workbench(tmp_dir, env) as bench:
            usage_id = bench.get_json("coursepack/cmi5/ping/")["usage_id"]
            block = dataclasses.replace(bench, usage_id=usage_id)
            block.upload(package)
            yield Cmi5Lms(block, lrs)
    finally:
        lrs.stop()


def watched_context(context: BrowserContext, problems: Problems) -> None:
    """Report the errors of every page of `context`; refuse requests leaving 127.0.0.1."""

    def refuse(route: Route) -> None:
        problems.errors.append(f"request leaving 127.0.0.1: {route.request.url}")
        route.abort()

    def watch(page: Page) -> None:
        page.on("console", problems.on_console)
        page.on("pageerror", problems.on_page_error)

    context.route(FOREIGN, refuse)
    context.on("page", watch)


def student_page(context: BrowserContext, lms: Cmi5Lms, student: str) -> Page:
    """The learner's student view, open."""
    page = context.new_page()
    page.goto(lms.student_url(student))
    return page


def launch_au(view: Page, index: int) -> Page:
    """Click the `index`-th AU link of the student view; the AU's window, loaded."""
    with view.context.expect_page() as opened:
        view.locator(AU_LINKS).nth(index).click()
    window = opened.value
    window.wait_for_load_state()
    return window


def wait_until(what: str, check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll `check` until it holds, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)
