"""The preview page and its panel as the browser tests of `coursepack preview` read them: the
state the page polls, the statements stored, the launch buttons, screenshots and fault pages.
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

from browser_site import Problems
from browser_walk import Walker
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from preview_fixtures import Running


def state(running: Running) -> dict[str, Any]:
    """The preview's /api/state, as the page polls it."""
    with urllib.request.urlopen(running.url + "api/state", timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def stored_statements(running: Running) -> list[dict[str, Any]]:
    """Every statement in the preview's store, oldest first (as the panel gets them; the
    Statement Resource itself answers 503 while the LRS-down fault is on)."""
    received: list[dict[str, Any]] = state(running)["statements"]
    return [r["statement"] for r in received]


def all_stored_once(running: Running, sent: list[str], seconds: float = 60) -> list[str]:
    """The ids in the preview's store once every id in `sent` is there (waiting up to
    `seconds`): each statement the page made arrived, and none twice."""
    deadline = time.monotonic() + seconds
    stored = [s["id"] for s in stored_statements(running)]
    while not set(sent) <= set(stored) and time.monotonic() < deadline:
        time.sleep(0.5)
        stored = [s["id"] for s in stored_statements(running)]
    assert set(sent) <= set(stored), f"lost: {set(sent) - set(stored)}"
    assert len(stored) == len(set(stored))
    return stored


def verbs(running: Running) -> list[str]:
    """The last segment of each stored statement's verb, oldest first."""
    return [str(s["verb"]["id"]).rsplit("/", 1)[1] for s in stored_statements(running)]  # type: ignore[index]


def launch(page: Page, running: Running, target: str, source: Path) -> Walker:
    """Open the preview page and launch `target` with its button."""
    page.goto(running.url)
    page.get_by_role("button", name=f"Launch {target}", exact=True).click()
    frame = page.frame_locator("#course")
    expect(frame.locator("#coursepack-data")).to_be_attached()
    return Walker(frame, source)


def launch_au(page: Page, title: str, source: Path) -> Walker:
    """Launch the cmi5 AU `title` with its button; the walker once its first page shows."""
    page.get_by_role("button", name=f"Launch cmi5: {title}", exact=True).click()
    frame = page.frame_locator("#course")
    expect(frame.locator("html.cp-js section.cp-page:visible")).to_have_count(1)
    expect(frame.locator("section.cp-page:visible h1")).to_be_visible()
    return Walker(frame, source)


def panel(page: Page, tmp_path: Path, name: str) -> Path:
    """A screenshot of the page with its panel, kept as the test's artifact."""
    shot = tmp_path / f"preview-{name}.png"
    page.screenshot(path=str(shot))
    return shot


class FaultProblems(Problems):
    """Console errors, except those a fault causes on purpose (`expected` substrings)."""

    def __init__(self, *expected: str) -> None:
        super().__init__()
        self.expected = expected

    def on_console(self, message: ConsoleMessage) -> None:
        """Drop the expected messages; record every other error."""
        if not any(e in message.text for e in self.expected):
            super().on_console(message)


def fault_page(browser: Browser, problems: Problems) -> tuple[BrowserContext, Page]:
    """A page in its own context whose errors go to `problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    return context, page
