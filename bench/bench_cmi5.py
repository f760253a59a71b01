"""cmi5 benchmark: statements per AU session for the real course, and launch-to-first-page time.

Run by hand: `.venv/bin/python bench/bench_cmi5.py [--repeat 5]` (needs Chromium, node_modules and
`.venv-ralph`, as `bash scripts/test.sh` installs them). It builds the real course as `cmi5
--units module` and `xapi`, starts Ralph on a free port, then in headless Chromium:
- takes every AU through the launcher (builder/launcher) as a learner who reads every page and
  answers every check and test right, and counts the statements each session sent;
- times launch to first page (the first page's heading shown) through the launcher (fetch URL,
  LMS.LaunchData and preferences before the page shows) against the xapi target opened with its
  launch parameters from a plain file server. Median and spread over `--repeat` fresh browsers.
Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests", ROOT / "tests" / "browser", ROOT / "tests" / "lrs"):
    sys.path.insert(0, str(folder))

from browser_site import CHROMIUM_ARGS, chromium_path  # noqa: E402
from browser_walk import Walker, all_right, answer_survey  # noqa: E402
from lrs import PASSWORD, USERNAME, Lrs  # noqa: E402
from lrs_fixtures import cors_lrs, wait_until  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from builder.build import Built, build  # noqa: E402
from builder.config import BuildConfig  # noqa: E402
from builder.launcher import Launcher, LrsAccount  # noqa: E402

COURSE = ROOT / "modules"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
ACTOR = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "b"}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No request log."""


def first_page(page: Page, url: str) -> float:
    """Milliseconds from navigation to the first page's heading shown."""
    started = time.perf_counter()
    page.goto(url)
    expect(page.locator("html.cp-js section.cp-page:visible")).to_have_count(1, timeout=30_000)
    expect(page.locator("section.cp-page:visible h1")).to_be_visible()
    return (time.perf_counter() - started) * 1000


def take_au(page: Page, course: Walker) -> None:
    """Every page of the unit: tests and checks answered right, the survey answered, Exit."""
    checks = {k: a["page"] for k, a in course.data["assessments"].items() if a.get("page")}
    for i, stop in enumerate(course.stops):
        course.expect_at(i)
        if stop.kind in ("pre-test", "post-test"):
            course.answer(stop.key, all_right)
        elif stop.kind == "survey":
            answer_survey(course)
        for key in (k for k, where in checks.items() if where == stop.key):
            course.answer(key, all_right, submit="Check answer")
        if i < len(course.stops) - 1:
            course.next()
    course.exit()


def per_session(browser: Browser, launcher: Launcher, lrs: Lrs) -> dict[str, Counter[str]]:
    """The verbs each AU session sent, by AU id, for one learner taking every AU."""
    registration = launcher.register("bench-learner")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sessions: dict[str, str] = {}
    for au in launcher.course.aus():
        url = launcher.launch_url(au.id, registration)
        first_page(page, url)
        take_au(page, Walker(page, COURSE))
        sessions[[s.id for s in launcher.sessions.values() if s.au.id == au.id][-1]] = au.id
    expected = len(sessions)

    def all_terminated() -> bool:
        return sum(s["verb"]["id"].endswith("/terminated") for s in lrs.statements()) >= expected

    wait_until(page, all_terminated, 120, "every session's terminated")
    counts: dict[str, Counter[str]] = {au: Counter() for au in sessions.values()}
    for s in lrs.statements():
        sid = s["context"]["extensions"].get(SESSION)
        if sid in sessions:
            counts[sessions[sid]][s["verb"]["id"].rsplit("/", 1)[-1]] += 1
    context.close()
    return counts


def timings(browser: Browser, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        context = browser.new_context()
        out.append(first_page(context.new_page(), url))
        context.close()
    return out


def describe(name: str, values: list[float]) -> str:
    spread = f"{min(values):.0f}-{max(values):.0f}"
    return f"{name}: median {statistics.median(values):.0f} ms ({spread} ms, n={len(values)})"


def course_only(config: BuildConfig) -> list[Built]:
    """The course's packages of `config`, without the follow-up unit's."""
    return [b for b in build(config) if b.part is None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        [cmi5] = course_only(BuildConfig(source_dir=COURSE, out_dir=work / "cmi5",
                                         targets=("cmi5",), units="module"))  # fmt: skip
        [whole] = course_only(
            BuildConfig(source_dir=COURSE, out_dir=work / "whole", targets=("cmi5",))
        )
        [xapi] = course_only(
            BuildConfig(source_dir=COURSE, out_dir=work / "xapi", targets=("xapi",))
        )
        with zipfile.ZipFile(xapi.path) as zf:
            zf.extractall(work / "site")
        handler = partial(_Quiet, directory=str(work / "site"))
        site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{site.server_address[1]}"
        with cors_lrs(work / "lrs", origin) as lrs, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            launcher = Launcher(cmi5.path, LrsAccount(lrs.endpoint, USERNAME, PASSWORD))
            with launcher.serve("127.0.0.1", 0):
                counts = per_session(browser, launcher, lrs)
                first = next(launcher.course.aus()).id
                cmi5_urls = [
                    launcher.launch_url(first, launcher.register(f"t{i}"))
                    for i in range(args.repeat)
                ]
                cmi5_ms = timings(browser, cmi5_urls)
            # The whole course as one AU: the same page as the xapi target's index.html.
            launcher = Launcher(whole.path, LrsAccount(lrs.endpoint, USERNAME, PASSWORD))
            with launcher.serve("127.0.0.1", 0):
                au = next(launcher.course.aus()).id
                urls = [
                    launcher.launch_url(au, launcher.register(f"w{i}")) for i in range(args.repeat)
                ]
                whole_ms = timings(browser, urls)
            query = {"endpoint": lrs.endpoint, "auth": lrs.auth, "actor": json.dumps(ACTOR)}
            xapi_urls = [f"{origin}/index.html?{urlencode(query)}"] * args.repeat
            xapi_ms = timings(browser, xapi_urls)
            browser.close()
        site.shutdown()
        site.server_close()
    print("statements per AU session (real course, every page, checks and tests right, Exit);")
    print("the AU's, then the launcher's (launched, satisfied):")
    lms = ("launched", "satisfied", "abandoned")
    for au, verbs in counts.items():
        mine = {v: n for v, n in sorted(verbs.items()) if v not in lms}
        theirs = {v: n for v, n in sorted(verbs.items()) if v in lms}
        print(f"  {au.rsplit('/', 1)[-1]}: {sum(mine.values())} {mine}; {theirs}")
    totals = [sum(n for v, n in c.items() if v not in lms) for c in counts.values()]
    print(f"  AU statements, all {len(totals)} sessions: {sum(totals)}, "
          f"median {statistics.median(totals)}")  # fmt: skip
    print("launch to first page:")
    print("  " + describe("cmi5 module AU through the launcher", cmi5_ms))
    print("  " + describe("cmi5 whole-course AU through the launcher", whole_ms))
    print("  " + describe("xapi whole course with launch parameters", xapi_ms))


if __name__ == "__main__":
    main()
