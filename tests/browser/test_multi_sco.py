"""`--units module`: one SCORM 2004 package, one SCO per module, sequenced by the LMS.

The test LMS reads the sequencing from the package's manifest as an LMS does
(`sequencing.py`), gives it to scorm-again's sequencer, and launches each SCO the sequencer
delivers. Every SCO is walked to its end; Exit asks the LMS to continue (exitAll after the last),
and the course activity rolls up completed and passed once every module SCO is, the survey not
counting.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
from browser_site import FIXTURE_COURSES, REAL_COURSE, Problems, Site
from browser_walk import Walker, all_right, answer_survey
from playwright.sync_api import Page, expect
from sequencing import sequencing_from_manifest

from builder.build import build
from builder.config import BuildConfig
from builder.loader import load_course

pytestmark = pytest.mark.browser


def build_units(site: Site, course: str, target: str) -> tuple[str, dict[str, object]]:
    """Build `course` with one SCO per module; unzip it; return its folder and sequencing."""
    dest = site.root / "units" / course / target
    [built] = build(
        BuildConfig(
            source_dir=FIXTURE_COURSES / course,
            out_dir=dest / "zip",
            targets=(target,),
            units="module",
        )
    )
    with zipfile.ZipFile(built.path) as zf:
        zf.extractall(dest / "pkg")
        manifest = zf.read("imsmanifest.xml")
    seq = sequencing_from_manifest(manifest)
    (dest / "pkg" / "sequencing.json").write_text(json.dumps(seq), encoding="utf-8")
    return f"units/{course}/{target}/pkg", seq


@pytest.mark.parametrize("target", ["scorm2004-3rd", "scorm2004-4th"])
def test_every_module_sco_in_order_then_the_course_rolls_up(
    page: Page, site: Site, problems: Problems, target: str
) -> None:
    folder, seq = build_units(site, "full", target)
    hrefs: dict[str, str] = seq["hrefs"]  # type: ignore[assignment]
    assert list(hrefs.values()) == ["grundlagen.html", "second.html", "survey.html"]
    query = {"pkg": f"/{folder}/index.html", "seq": f"/{folder}/sequencing.json"}
    page.goto(site.url("lms/scorm2004.html?" + urlencode(query)))
    source = FIXTURE_COURSES / "full"
    for n, href in enumerate(hrefs.values()):
        page.wait_for_function(
            f"document.getElementById('sco').src.endsWith('/{href}')"
            f" && window.__lmsLog.calls.filter(c => c.fn === 'Initialize').length === {n + 1}"
        )
        course = Walker(page.frame_locator("#sco"), source)
        if href == "survey.html":
            answer_survey(course)
            course.exit()
        else:
            course.walk(len(course.stops) - 1, all_right, exit=True)
    page.wait_for_function("window.__lmsLog.calls.filter(c => c.fn === 'Terminate').length === 3")
    log = page.evaluate("window.__lmsLog")
    requests = [c["args"][1] for c in log["calls"] if c["args"][:1] == ["adl.nav.request"]]
    assert requests == ["continue", "continue", "exitAll"]
    finals = [c for c in log["commits"] if c["event"] == "Terminate"]
    assert [c["activity"] for c in finals] == list(hrefs)
    for commit in finals[:2]:
        cmi = commit["cmi"]["cmi"] if "cmi" in commit["cmi"] else commit["cmi"]
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
    # The sequencer's view (scorm-again keeps its activity tree on `_sequencing`).
    root = page.evaluate(
        "(() => { const r = window.lmsApi._sequencing.activityTree.root;"
        " return {completion: r.completionStatus, success: r.successStatus,"
        " children: r.children.map(c => [c.id, c.completionStatus])}; })()"
    )
    assert (root["completion"], root["success"]) == ("completed", "passed"), root
    assert [c[1] for c in root["children"]] == ["completed", "completed", "completed"]
    problems.assert_clean()


def test_choice_cannot_start_a_module_not_yet_attempted(
    page: Page, site: Site, problems: Problems
) -> None:
    """Forward-only choice: the sequencer refuses to jump to module 2 from module 1."""
    folder, seq = build_units(site, "full", "scorm2004-4th")
    query = {"pkg": f"/{folder}/index.html", "seq": f"/{folder}/sequencing.json"}
    page.goto(site.url("lms/scorm2004.html?" + urlencode(query)))
    page.wait_for_function("window.__lmsLog.calls.some(c => c.fn === 'Initialize')")
    second = list(seq["hrefs"])[1]  # type: ignore[call-overload]
    valid = page.evaluate(
        f"window.lmsApi.GetValue('adl.nav.request_valid.choice.{{target={second}}}')"
    )
    assert valid == "false"
    assert page.evaluate("window.lmsApi.GetValue('adl.nav.request_valid.continue')") == "true"
    problems.assert_clean()


def test_the_survey_unit_does_not_count(tmp_path: Path) -> None:
    [built] = build(
        BuildConfig(
            source_dir=FIXTURE_COURSES / "full",
            out_dir=tmp_path,
            targets=("scorm2004-4th",),
            units="module",
        )
    )
    with zipfile.ZipFile(built.path) as zf:
        seq = sequencing_from_manifest(zf.read("imsmanifest.xml"))
    children = seq["sequencing"]["activityTree"]["children"]
    survey = children[-1]["sequencingControls"]
    assert survey["rollupObjectiveSatisfied"] is False
    assert survey["rollupProgressCompletion"] is False
    assert all(
        "rollupObjectiveSatisfied" not in c.get("sequencingControls", {}) for c in children[:-1]
    )


def test_a_module_sco_of_the_real_course_keeps_its_number_and_counts_its_own_progress(
    page: Page, site: Site, problems: Problems
) -> None:
    """Module 5's SCO says "Module 5" and "of this module"; a failed post-test is not 100%."""
    dest = site.root / "units" / "course-real"
    config = BuildConfig(
        source_dir=REAL_COURSE, out_dir=dest / "zip", targets=("scorm2004-4th",), units="module"
    )
    [built] = [b for b in build(config) if b.part is None]  # not the follow-up unit
    with zipfile.ZipFile(built.path) as zf:
        zf.extractall(dest / "pkg")
    fifth = load_course(REAL_COURSE).modules[4]
    pkg = f"/units/course-real/pkg/{fifth.id}.html"
    page.goto(site.url("lms/scorm2004.html?" + urlencode({"pkg": pkg})))
    course = Walker(page.frame_locator("#sco"), REAL_COURSE)
    first = course.stops[0]
    eyebrow = course.section(first.key).locator(".cp-eyebrow")
    expect(eyebrow).to_have_text(f"Module 5: {fifth.spec.title}")
    post = f"{fifth.id}/post-test"
    course.walk(course.index(post), lambda key, _q: key != post)
    box = course.root.locator("#cp-progress")
    expect(box).to_have_text(
        re.compile(
            r"^\d+% of this module done\. All pages seen; "
            r"to finish, pass the post-test of Module 5\.\s*$"
        )
    )
    assert float(box.locator("progress").get_attribute("value") or 100) < 100
    course.button("Retake").click()
    course.answer(post, all_right)
    expect(box).to_have_text(re.compile(r"^100% of this module done\s*$"))
    problems.assert_clean()
