"""Fixtures for the real-browser tests: Chromium, the local test site, a watched page, an LRS,
and the cmi5 launcher of a module's `package`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_site import CHROMIUM_ARGS, Problems, Site, chromium_path, serve
from lrs_fixtures import Lrs, cors_lrs
from playwright.sync_api import Browser, BrowserContext, Error, Page, sync_playwright

from builder.launcher import Launcher, LrsAccount


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The LMS pages, scorm-again, axe-core and the built packages on 127.0.0.1."""
    with serve(tmp_path_factory.mktemp("site")) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session."""
    executable = chromium_path()
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except Error as exc:
            pytest.fail(f"Chromium at {executable} did not start: {exc}", pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def problems() -> Problems:
    """The console errors and page errors of the test's page."""
    return Problems()


@pytest.fixture
def page(browser: Browser, problems: Problems) -> Iterator[Page]:
    """A fresh page in its own context (own localStorage), watched for errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("console", problems.on_console)
    tab.on("pageerror", problems.on_page_error)
    yield tab
    context.close()
    problems.assert_clean()


@pytest.fixture
def lrs(tmp_path: Path, site: Site) -> Iterator[Lrs]:
    """Ralph admitting the test site's origin (its own CORS setting)."""
    with cors_lrs(tmp_path / "lrs", site.base_url) as server:
        yield server


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (own localStorage), closed in teardown."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def launcher(package: Path, lrs: Lrs) -> Iterator[Launcher]:
    """The cmi5 launcher (builder/launcher) of the test module's `package` fixture, storing into
    Ralph, served on a free port; it must end without a failure to forward."""
    account = LrsAccount(lrs.endpoint, "coursepack-test", "not-a-secret-test-only")
    server = Launcher(package, account, homepage="https://lms.example.org")
    with server.serve("127.0.0.1", 0):
        yield server
    assert server.failures == []
