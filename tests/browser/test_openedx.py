"""The real course in the real Open edX SCORM XBlock (openedx-scorm-xblock in the xblock-sdk
workbench, `tests/openedx/`), driven in headless Chromium.

Per package (SCORM 1.2 and SCORM 2004 4th Edition), one workbench with the package uploaded as
Studio uploads it. A learner takes the whole course with every answer right and exits; the XBlock
must then hold completed + passed, grade 1.0, and every interaction at its own index. The same
learner relaunches: the course opens at the bookmark and nothing the package writes downgrades
status or score. Another learner leaves mid-course by closing the tab: the course resumes at least
where the learner was a few seconds before.

Every call the package makes on the XBlock's SCORM API is recorded in the page
(`tests/openedx/api_recorder.js`), so the number of interactions written is measured, not assumed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_site import REPO, Problems
from browser_walk import Walker, all_right, answer_survey
from openedx.workbench import HERE as OPENEDX_TESTS
from openedx.workbench import Workbench, run_workbench
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from builder.build import build
from builder.config import BuildConfig

pytestmark = pytest.mark.browser

MODULES = REPO / "modules"
TARGETS = ("scorm12", "scorm2004-4th")
API_RECORDER = OPENEDX_TESTS / "api_recorder.js"
IFRAME = "iframe.scorm-embedded"
#: Any URL not on the loopback workbench: such requests are refused and reported.
FOREIGN = re.compile(r"^(?!http://127\.0\.0\.1:\d+/)")
INTERACTION_ID = re.compile(r"^cmi\.interactions\.(\d+)\.id$")
#: Values that, written after the course was passed, would take status back.
DOWNGRADES = {
    "cmi.core.lesson_status": {"incomplete", "failed", "browsed", "not attempted"},
    "cmi.completion_status": {"incomplete", "not attempted", "unknown"},
    "cmi.success_status": {"failed", "unknown"},
}
SCORES = ("cmi.core.score.raw", "cmi.score.raw", "cmi.score.scaled")


@dataclass
class Target:
    """One package uploaded into its own running workbench."""

    name: str
    bench: Workbench

    @property
    def is2004(self) -> bool:
        """Whether the package speaks SCORM 2004."""
        return self.name.startswith("scorm2004")

    @property
    def location(self) -> str:
        """The bookmark element."""
        return "cmi.location" if self.is2004 else "cmi.core.lesson_location"


@dataclass
class Launch:
    """One open student view: the page, the course in its iframe, what the browser reported."""

    page: Page
    course: Walker
    problems: Problems = field(default_factory=Problems)

    def calls(self) -> list[dict[str, Any]]:
        """Every SCORM API call the package made in this page so far."""
        found: list[dict[str, Any]] = self.page.evaluate("window.__scormCalls || []")
        return found


def set_values(calls: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(element, value) of every SetValue / LMSSetValue, in order."""
    return [(c["args"][0], c["args"][1]) for c in calls if c["fn"] in ("SetValue", "LMSSetValue")]


def interaction_indexes(pairs: list[tuple[str, str]]) -> list[int]:
    """The `n` of every `cmi.interactions.n.id` written, in order."""
    return [int(m.group(1)) for name, _ in pairs if (m := INTERACTION_ID.match(name))]


def wait_until(what: str, check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll `check` until it holds, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


def handler_count(bench: Workbench, student: str, handler: str) -> int:
    """How many requests to `handler` the workbench served for `student`."""
    return sum(1 for c in bench.state(student)["calls"] if c["handler"] == handler)


def new_context(browser: Browser) -> BrowserContext:
    """A browser context that records the SCORM API calls of every page opened in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(API_RECORDER))
    return context


def launch(context: BrowserContext, target: Target, student: str) -> Launch:
    """Open the XBlock's student view for `student`; return the course running in its iframe."""
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)

    def refuse(route: Route) -> None:
        problems.errors.append(f"request leaving 127.0.0.1: {route.request.url}")
        route.abort()

    page.route(FOREIGN, refuse)
    page.goto(target.bench.student_url(student))
    expect(page.locator(IFRAME)).to_have_attribute("src", re.compile(r"^/media/scorm/"))
    course = Walker(page.frame_locator(IFRAME), MODULES)
    course.current()  # the runtime has shown its first page
    return Launch(page, course, problems)


def exit_and_wait(target: Target, student: str, run: Launch) -> None:
    """Choose Exit and wait until the XBlock has sent everything (its terminate comes last)."""
    before = handler_count(target.bench, student, "scorm_terminate")
    run.course.exit()
    wait_until(
        "the XBlock's scorm_terminate (sent once its SetValue queue is empty)",
        lambda: handler_count(target.bench, student, "scorm_terminate") > before,
    )


def shorten(values: dict[str, str], width: int = 24) -> dict[str, str]:
    """Long values cut (suspend data), for printing."""
    return {k: v if len(v) <= width else v[:width] + "…" for k, v in values.items()}


def print_traffic(target: Target, calls: list[dict[str, Any]], state: dict[str, Any]) -> None:
    """One line on how the package's calls reached the XBlock (shown with `pytest -s`)."""
    batches = [len(c["elements"]) for c in state["calls"] if c["handler"] == "scorm_set_values"]
    reads = [c for c in calls if c["fn"] in ("GetValue", "LMSGetValue")]
    empty = sum(1 for c in reads if c["result"] == "")
    print(
        f"\nopenedx {target.name}: {len(set_values(calls))} SetValue calls reached the XBlock "
        f"in {len(batches)} scorm_set_values requests (largest {max(batches, default=0)}); "
        f'{len(reads)} GetValue calls, {empty} answered ""; '
        f"grades published {[g['value'] for g in state['published_grades']]}"
    )


# --- Fixtures: built once, one workbench per package ------------------------------------------


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real course built for both SCORM targets."""
    out = tmp_path_factory.mktemp("openedx-dist")
    built = build(BuildConfig(source_dir=MODULES, out_dir=out, targets=TARGETS))
    # The course's own packages (the follow-up unit is a package of its own).
    return {b.target: b.path for b in built if "-follow-up-" not in b.path.name}


@pytest.fixture(scope="module", params=TARGETS)
def target(
    request: pytest.FixtureRequest,
    packages: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Target]:
    """A workbench with the package uploaded through the XBlock's `studio_submit`."""
    name: str = request.param
    with run_workbench(tmp_path_factory.mktemp(f"openedx-{name}")) as bench:
        bench.upload(packages[name])
        yield Target(name, bench)


@dataclass
class CompletedRun:
    """A learner who took the whole course with every answer right, then chose Exit."""

    student: str
    calls: list[dict[str, Any]]
    state: dict[str, Any]
    problems: Problems
    expected_interactions: int


@pytest.fixture(scope="module")
def completed(target: Target, browser: Browser) -> Iterator[CompletedRun]:
    """Walk the real course to the end, all right, answer the survey, Exit."""
    student = f"complete-{target.name}"
    context = new_context(browser)
    try:
        run = launch(context, target, student)
        course = run.course
        # The survey, then the completion page (not a page of the course data).
        assert [s.kind for s in course.stops[-2:]] == ["survey", "completion"]
        survey = len(course.stops) - 2
        # One interaction per question shown in each assessment the course records in the LMS
        # (course.yaml lms_interactions: its `course.interactions` kinds; one attempt each here).
        recorded = course.data["course"]["interactions"]["kinds"]
        shown = 0
        for stop in course.stops:
            if stop.kind in recorded and stop.kind in ("pre-test", "post-test"):
                shown += course.questions(stop.key)[1]
        assert course.course.survey is not None
        if "survey" in recorded:
            shown += len(course.course.survey.spec.questions)
        assert shown > 0, "the course records some answers in the LMS"
        course.walk(survey, all_right)
        answer_survey(course)
        exit_and_wait(target, student, run)
        calls = run.calls()
        state = target.bench.state(student)
        print_traffic(target, calls, state)
        yield CompletedRun(student, calls, state, run.problems, shown)
    finally:
        context.close()


@dataclass
class Relaunch:
    """The same learner opening the course again."""

    opened_at: str
    bookmark: str
    writes: list[tuple[str, str]]
    state: dict[str, Any]


@pytest.fixture(scope="module")
def relaunched(target: Target, completed: CompletedRun, browser: Browser) -> Iterator[Relaunch]:
    """Open the student view again for the learner who completed, look around, Exit."""
    bookmark = str(completed.state["scorm_data"].get(target.location, ""))
    context = new_context(browser)
    try:
        run = launch(context, target, completed.student)
        opened_at = run.course.current()
        exit_and_wait(target, completed.student, run)
        reads = {c["args"][0]: c["result"] for c in run.calls() if c["fn"].endswith("GetValue")}
        print(f"\nopenedx {target.name} relaunch, GetValue answers: {shorten(reads)}")
        yield Relaunch(
            opened_at, bookmark, set_values(run.calls()), target.bench.state(completed.student)
        )
    finally:
        context.close()


# --- Tests ------------------------------------------------------------------------------------


def test_student_view_runs_the_package(target: Target, browser: Browser, tmp_path: Path) -> None:
    """The XBlock shows the package in its iframe and the course starts (screenshot saved)."""
    context = new_context(browser)
    try:
        run = launch(context, target, f"viewer-{target.name}")
        run.course.expect_at(0)
        wait_until(
            "the package's Initialize to reach the XBlock",
            lambda: handler_count(target.bench, f"viewer-{target.name}", "scorm_initialize") > 0,
        )
        expect(run.page.locator(".scorm-xblock")).to_contain_text("points")
        run.page.screenshot(path=tmp_path / f"openedx-{target.name}.png", full_page=True)
        calls = run.calls()
        initialize = "Initialize" if target.is2004 else "LMSInitialize"
        assert [c["fn"] for c in calls][:1] == [initialize], "the package found the XBlock's API"
        state = target.bench.state(f"viewer-{target.name}")
        assert state["scorm_version"] == ("SCORM_2004" if target.is2004 else "SCORM_12")
        assert state["index_page_path"] == "index.html"
        run.problems.assert_clean()
    finally:
        context.close()


def test_completed_course_is_completed_and_passed(target: Target, completed: CompletedRun) -> None:
    """After the whole course, all right, the XBlock holds completed + passed."""
    state = completed.state
    assert (state["lesson_status"], state["success_status"]) == ("completed", "passed")
    data = state["scorm_data"]
    if target.is2004:
        assert (data["cmi.completion_status"], data["cmi.success_status"]) == (
            "completed",
            "passed",
        )
    else:
        assert data["cmi.core.lesson_status"] == "passed"
    completed.problems.assert_clean()


def test_completed_course_grade_published(target: Target, completed: CompletedRun) -> None:
    """The grade is the course score: 100 % → 1.0 of weight 1, and it was published."""
    state = completed.state
    assert state["lesson_score"] == pytest.approx(1.0)
    assert state["grade"] == pytest.approx(1.0)
    grades = state["published_grades"]
    assert grades, "the XBlock published no grade"
    assert grades[-1] == {"value": pytest.approx(1.0), "max_value": 1.0}


def test_every_interaction_stored_at_its_own_index(target: Target, completed: CompletedRun) -> None:
    """Each answer the package reported is its own `cmi.interactions.n` in the XBlock."""
    written = interaction_indexes(set_values(completed.calls))
    assert len(written) == completed.expected_interactions, (
        "one interaction per question shown in each assessment the course records in the LMS"
    )
    stored = {
        m.group(1) for name in completed.state["scorm_data"] if (m := INTERACTION_ID.match(name))
    }
    assert written == list(range(len(written))), (
        f"the package wrote {len(written)} interactions at indexes "
        f"{sorted(set(written))[:10]}…, not 0…{len(written) - 1}"
    )
    assert len(stored) == len(written), (
        f"the XBlock holds {len(stored)} distinct cmi.interactions.n.id of {len(written)} written"
    )


def test_relaunch_opens_at_the_bookmark(target: Target, relaunched: Relaunch) -> None:
    """The second launch opens where the learner left (the bookmark the XBlock holds)."""
    assert relaunched.bookmark, f"the XBlock holds no {target.location}"
    assert relaunched.opened_at == relaunched.bookmark


def test_relaunch_never_downgrades(
    target: Target, completed: CompletedRun, relaunched: Relaunch
) -> None:
    """Nothing the package writes on relaunch takes status or score back; the XBlock agrees."""
    before = completed.state["scorm_data"]
    downgrades = [
        (name, value) for name, value in relaunched.writes if value in DOWNGRADES.get(name, ())
    ]
    lower = [
        (name, value, before[name])
        for name, value in relaunched.writes
        if name in SCORES and name in before and float(value) < float(before[name])
    ]
    after = relaunched.state
    held = (after["lesson_status"], after["success_status"], after["grade"])
    expected = ("completed", "passed", pytest.approx(completed.state["grade"]))
    problems = [
        *(f"the relaunch wrote {name} = {value!r}" for name, value in downgrades),
        *(f"the relaunch wrote {n} = {v} (was {was})" for n, v, was in lower),
        *([f"the XBlock now holds (status, success, grade) {held}"] if held != expected else []),
    ]
    assert not problems, "\n".join(problems)


def test_mid_course_close_resumes(target: Target, browser: Browser) -> None:
    """Close the tab inside module 1, without Exit: the relaunch resumes at least where the
    learner was a few seconds before closing (the page change right before may be lost)."""
    student = f"leaver-{target.name}"
    context = new_context(browser)
    try:
        run = launch(context, target, student)
        course = run.course
        post_test = next(s.key for s in course.stops if s.kind == "post-test")
        settled = course.index(post_test) - 2  # module 1's last page but one
        course.walk(settled, all_right)
        # The learner reads until the XBlock holds this page as the bookmark (its handler queue
        # is asynchronous: a fixed pause flaked on a loaded machine); what it holds must survive.
        wait_until(
            f"the XBlock to hold {course.stops[settled].key} as {target.location}",
            lambda: (
                target.bench.state(student)["scorm_data"].get(target.location)
                == course.stops[settled].key
            ),
        )
        course.next()
        course.expect_at(settled + 1)
        run.page.close()  # no Exit, no wait for the XBlock's queue

        stored = target.bench.state(student)["scorm_data"]
        again = launch(context, target, student)
        resumed = again.course.index(again.course.current())
        assert resumed >= settled, (
            f"resumed at page {resumed} ({again.course.current()}), expected ≥ {settled} "
            f"({course.stops[settled].key}); the XBlock holds {target.location}="
            f"{stored.get(target.location)!r}"
        )
    finally:
        context.close()
