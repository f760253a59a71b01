"""Authored content is hostile: the shipped course with a script, markup or template injection in
every text an author writes (`tests/hostile_content.py`) builds, and in the real browser nothing
of it runs, on any page, with every test answered so that feedback and explanations show."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from helpers import loopback_server
from hostile_content import SHORT
from hostile_courses import copy_minimal
from playwright.sync_api import BrowserContext, Page

from builder.build import build
from builder.config import BuildConfig

pytestmark = pytest.mark.browser

#: What the page says if anything ran: the flag every payload sets, the dialogs, the links.
EVIDENCE = """() => {
  const kept = /^(#|https?:|mailto:|runtime\\/|assets\\/|[\\w.-]+\\.(html|pdf|png|svg)$)/i;
  const linked = '[href],[src],[action],[formaction],[srcdoc]';
  const active = ['script', 'iframe', 'object', 'embed', 'base', 'meta', 'style', 'svg', 'math',
    'link'].map((t) => 'main ' + t).join(', ') + ', [style]';
  const handlers = (e) => [...e.attributes].filter((a) => /^on/i.test(a.name))
    .map((a) => e.tagName + ' ' + a.name);
  const urls = (e) => ['href', 'src', 'action', 'formaction', 'srcdoc']
    .map((n) => e.getAttribute(n)).filter((v) => v !== null && !kept.test(v.trim()));
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    handlers: [...document.querySelectorAll('*')].flatMap(handlers),
    urls: [...document.body.querySelectorAll(linked)].flatMap(urls),
    tags: [...document.querySelectorAll(active)].map((e) => e.tagName),
  };
}"""

#: Answer every form of the visible page (first choice of each group, "1" in each text field) and
#: submit it; returns how many forms it submitted.
ANSWER_ALL = """() => {
  const forms = [...document.querySelectorAll('section.cp-page:not([hidden]) form')];
  let submitted = 0;
  for (const form of forms) {
    const seen = new Set();
    for (const el of form.querySelectorAll('input, select, textarea')) {
      if (el.type === 'radio' && !seen.has(el.name)) { seen.add(el.name); el.click(); }
      else if (el.type === 'checkbox' && !el.checked) el.click();
      else if (el.tagName === 'SELECT') { el.selectedIndex = el.options.length - 1; }
      else if (['text', 'number', 'textarea'].includes(el.type)) el.value = '1';
      el.dispatchEvent(new Event('input', {bubbles: true}));
      el.dispatchEvent(new Event('change', {bubbles: true}));
    }
    const submit = form.querySelector('button[type=submit]:not([disabled]), button:not([type])');
    if (submit) { submit.click(); submitted += 1; }
  }
  return submitted;
}"""


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile course and its follow-up, web target, unpacked (opened from file://)."""
    from hostile_content import hostile_course

    root = tmp_path_factory.mktemp("hostile")
    source = hostile_course(root / "src")
    built = build(BuildConfig(source_dir=source, out_dir=root / "zips", targets=("web",)))
    found = {"source": source}
    for b in built:
        name = "follow-up" if "follow-up" in b.path.name else "course"
        with zipfile.ZipFile(b.path) as zf:
            zf.extractall(root / "web" / name)
        found[name] = root / "web" / name
    return found


@pytest.fixture
def tab(context: BrowserContext) -> Iterator[tuple[Page, list[str]]]:
    """A page recording every dialog (dismissed) and uncaught error."""
    seen: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (seen.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e.message}"))
    yield page, seen
    page.close()


def assert_nothing_ran(page: Page, seen: list[str]) -> None:
    page.wait_for_timeout(200)  # a <meta refresh> or a timer would have fired by now
    found = page.evaluate(EVIDENCE)
    assert found == {"pwned": None, "handlers": [], "urls": [], "tags": []}
    assert seen == []


@pytest.mark.parametrize("unit", ["course", "follow-up"])
def test_no_authored_text_runs_anywhere_in_the_course(
    tab: tuple[Page, list[str]], unpacked: dict[str, Path], unit: str
) -> None:
    page, seen = tab
    page.goto((unpacked[unit] / "index.html").as_uri())
    assert_nothing_ran(page, seen)
    # Every page visited, every form answered and submitted: the feedback and explanations show.
    # (Answered by position: Playwright's selectors cannot take the payloads as accessible names.)
    answered = 0
    while True:
        answered += page.evaluate(ANSWER_ALL)
        next_button = page.get_by_role("button", name="Next", exact=True)
        if not next_button.is_visible() or not next_button.is_enabled():
            break
        next_button.dispatch_event("click")  # not .click(): no wait for scrolling to settle
    assert answered == page.locator("section.cp-page form").count() > 0
    # Each explanation was taken out of its inert <template> into the page (docs/runtime.md).
    assert page.locator(".cp-answer").count() >= answered
    assert_nothing_ran(page, seen)
    # The text is shown as written: not markup, and no template evaluated it ({{7*7}} is not 49).
    title = page.locator("header .cp-course span").text_content() or ""
    assert title.endswith(SHORT)


@pytest.mark.parametrize("name", ["glossary.html", "bench-cards.html"])
def test_no_authored_text_runs_on_the_glossary_or_the_bench_cards(
    tab: tuple[Page, list[str]], unpacked: dict[str, Path], name: str
) -> None:
    page, seen = tab
    page.goto((unpacked["course"] / name).as_uri())
    assert_nothing_ran(page, seen)
    assert re.search(re.escape(SHORT), page.locator("main").text_content() or "")


def test_an_image_from_elsewhere_never_gets_the_launch_url_with_its_credential(
    tab: tuple[Page, list[str]], tmp_path: Path
) -> None:
    # A Tin Can launch puts `auth` in the page's URL; an author's image on another server would
    # get that URL as the Referer if the LMS served the course with a lax Referrer-Policy.
    page, _ = tab
    referers: list[str | None] = []

    class Tracker(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            referers.append(self.headers.get("Referer"))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with loopback_server(Tracker) as tracker:
        course = copy_minimal(tmp_path / "src")
        welcome = course / "01-basics" / "pages" / "01-welcome.md"
        welcome.write_text(welcome.read_text() + f"\n![A pixel]({tracker}/pixel.png)\n")
        [built] = build(BuildConfig(source_dir=course, out_dir=tmp_path / "zips", targets=("web",)))
        with zipfile.ZipFile(built.path) as zf:
            zf.extractall(tmp_path / "site")

        class Lms(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(tmp_path / "site"), **kwargs)

            def end_headers(self) -> None:
                self.send_header("Referrer-Policy", "unsafe-url")  # the laxest an LMS may send
                super().end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        with loopback_server(Lms) as lms:
            page.goto(f"{lms}/index.html?endpoint=x&auth=Basic%20c2VjcmV0")
            page.wait_for_function("document.readyState === 'complete'")
    assert referers == [None]
