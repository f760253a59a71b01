"""`coursepack report` on cmi5 packages: course and module completion and time from the AUs.

The statements are a real run (tests/fixtures/report-cmi5/, read back from Ralph): the real course
built `-t cmi5 --units module`, its first module's AU and the survey's AU taken through the
launcher (`module-aus.jsonl`), and the course built `-t cmi5` (one AU) launched and left at once
(`course-au.jsonl`). More learners and AUs are made from them by changing only names and ids (the
learner, statement ids, the LMS's activityId, the publisher id in the grouping), so every
statement keeps the shape our runtime and launcher give it. Expected figures are computed here
from the statements' own durations, not from the report's code.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.loader import load_course

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "report-cmi5"
COURSE = load_course(ROOT / "modules")
IRI = COURSE.id.rstrip("/")
MODULES = [m.id for m in COURSE.modules]
FIRST = MODULES[0]
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
VERBS = "http://adlnet.gov/expapi/verbs/"
Statement = dict[str, Any]


def load(name: str) -> list[Statement]:
    lines = (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def defined(s: Statement) -> bool:
    """A cmi5 defined statement (the cmi5 category, cmi5 §9.6.2.1), the AU's or the LMS's."""
    categories = s["context"]["contextActivities"].get("category", [])
    return CMI5 in [a["id"] for a in categories]


def publisher(s: Statement) -> str:
    [au] = s["context"]["contextActivities"]["grouping"]
    return str(au["id"])


def verb(s: Statement) -> str:
    return str(s["verb"]["id"]).rsplit("/", 1)[-1]


def seconds(duration: str) -> float:
    """`PT11.29S` (what the runtime sends for a short session) in seconds."""
    assert duration.startswith("PT") and duration.endswith("S") and "M" not in duration
    return float(duration[2:-1])


def copy(statements: list[Statement], tag: str, **replace: str) -> list[Statement]:
    """The statements with new ids (stable per `tag`) and each `old=new` text replaced."""
    out = []
    for s in statements:
        text = json.dumps(s)
        for old, new in replace.items():
            text = text.replace(old, new)
        again = json.loads(text)
        again["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}|{s['id']}"))
        out.append(again)
    return out


def as_learner(statements: list[Statement], name: str) -> list[Statement]:
    old = statements[0]["actor"]["account"]["name"]
    return copy(statements, name, **{f'"name": "{old}"': f'"name": "{name}"'})


MODULE_SESSION = load("module-aus")
COURSE_SESSION = load("course-au")
#: The first module's AU: its LMS activityId and its cmi5 defined statements (launcher's and AU's).
FIRST_AU = [s for s in MODULE_SESSION if defined(s) and publisher(s) == f"{IRI}/{FIRST}"]
FIRST_ID = FIRST_AU[0]["object"]["id"]
SURVEY_AU = [s for s in MODULE_SESSION if defined(s) and publisher(s) == f"{IRI}/survey"]
COURSE_ID = COURSE_SESSION[0]["object"]["id"]


def module_au(module: str) -> list[Statement]:
    """A session of `module`'s AU: the first module's cmi5 defined statements, as the launcher
    and the AU send them for another AU (its publisher id, its own LMS activityId)."""
    lms_id = f"https://lms.example.org/au/{uuid.uuid5(uuid.NAMESPACE_URL, module)}"
    return copy(
        FIRST_AU,
        module,
        **{f'"{IRI}/{FIRST}"': f'"{IRI}/{module}"', f'"{FIRST_ID}"': f'"{lms_id}"'},
    )


def duration_of(statements: list[Statement], au: str | None = None) -> float:
    """Seconds in the `terminated` of the statements (of publisher id `au` only, if given)."""
    return sum(
        seconds(s["result"]["duration"])
        for s in statements
        if verb(s) == "terminated" and defined(s) and au in (None, publisher(s))
    )


def course_completed() -> Statement:
    """The course AU's `completed`: the module AU's, as the AU sends it, for the course AU."""
    [done] = [s for s in FIRST_AU if verb(s) == "completed"]
    [done] = copy([done], "course", **{f'"{IRI}/{FIRST}"': f'"{IRI}/course"', FIRST_ID: COURSE_ID})
    done["actor"] = COURSE_SESSION[0]["actor"]
    done["context"]["registration"] = COURSE_SESSION[0]["context"]["registration"]
    done["timestamp"] = COURSE_SESSION[-1]["timestamp"]
    return done


def report(tmp: Path, statements: list[Statement], *args: str) -> dict[str, Any]:
    src = tmp / "statements.jsonl"
    src.write_text("".join(json.dumps(s) + "\n" for s in statements), encoding="utf-8")
    out = tmp / "report.json"
    with pytest.raises(SystemExit) as exc:
        main(["report", "--from", str(src), "--json", str(out), *args])
    assert (exc.value.code or 0) == 0
    return dict(json.loads(out.read_text(encoding="utf-8")))


def row(data: dict[str, Any], scope: str) -> dict[str, Any]:
    [found] = [
        r for r in data["tables"]["participation"] if r["group"] == "all" and r["scope"] == scope
    ]
    return dict(found)


def minutes(value: float) -> Any:
    return pytest.approx(value / 60, abs=0.006)  # the JSON keeps 2 decimals


# A learner who took every module's AU and the survey's, one who took the first module's only.
EVERY = as_learner(MODULE_SESSION + [s for m in MODULES[1:] for s in module_au(m)], "learner-every")
ONE = as_learner(MODULE_SESSION, "learner-one")


def test_the_fixtures_are_what_the_runtime_and_launcher_send() -> None:
    """The first module's AU session: launched, initialized, completed, passed, terminated, each
    with the cmi5 category and the AU's publisher id alone in the grouping (cmi5 §9.6.2.3)."""
    assert [verb(s) for s in FIRST_AU] == [
        "launched", "initialized", "completed", "passed", "terminated",
    ]  # fmt: skip
    assert {s["object"]["id"] for s in FIRST_AU} == {FIRST_ID}
    assert not FIRST_ID.startswith(IRI), "the AU's statements are about the LMS's activityId"
    assert [verb(s) for s in SURVEY_AU] == ["launched", "initialized", "completed", "terminated"]
    assert [(verb(s), publisher(s)) for s in COURSE_SESSION] == [
        ("launched", f"{IRI}/course"), ("initialized", f"{IRI}/course"),
        ("terminated", f"{IRI}/course"),
    ]  # fmt: skip


def test_module_aus_complete_their_modules_and_together_the_course(tmp_path: Path) -> None:
    data = report(tmp_path, EVERY + ONE)
    course = row(data, "course")
    assert (course["launched"], course["completed"]) == (2, 1), "every module AU: the course"
    every, one = duration_of(EVERY), duration_of(ONE)
    assert every > one > 0
    assert course["median_minutes"] == minutes((every + one) / 2), "sum of each learner's AUs"
    first = row(data, FIRST)
    assert (first["launched"], first["completed"]) == (2, 2)
    assert first["median_minutes"] == minutes(duration_of(ONE, f"{IRI}/{FIRST}"))
    for module in MODULES[1:]:
        r = row(data, module)
        assert (r["launched"], r["completed"]) == (1, 1), module
        assert r["median_minutes"] == minutes(duration_of(EVERY, f"{IRI}/{module}")), module


def test_a_course_au_completes_the_course_without_course_activity(tmp_path: Path) -> None:
    statements = [*COURSE_SESSION[:-1], course_completed(), COURSE_SESSION[-1]]
    data = report(tmp_path, statements)
    course = row(data, "course")
    assert (course["launched"], course["completed"]) == (1, 1)
    assert course["median_minutes"] == minutes(duration_of(COURSE_SESSION))
    # The course AU is no module's: no module completed.
    assert all(row(data, m)["completed"] == 0 for m in MODULES)


def test_course_activity_gives_the_same_figures_and_counts_nothing_twice(tmp_path: Path) -> None:
    statements = [*COURSE_SESSION[:-1], course_completed(), COURSE_SESSION[-1]]
    plain = report(tmp_path, statements)
    named = report(tmp_path, statements, "--course-activity", COURSE_ID)
    assert named["tables"]["participation"] == plain["tables"]["participation"]
    # The same package also sending the xapi target's completed and terminated about the course:
    # each learner's completion and time once.
    xapi_style = copy(
        [s for s in statements if verb(s) in ("completed", "terminated")],
        "xapi",
        **{COURSE_ID: IRI, CMI5: "https://example.org/not-cmi5"},
    )
    both = report(tmp_path, statements + xapi_style, "--course-activity", COURSE_ID)
    assert both["tables"]["participation"] == plain["tables"]["participation"]
    # A module package read with a module AU's activityId as --course-activity: that AU is still
    # its module's (its publisher id says so), and time is not counted twice.
    assert (
        report(tmp_path, EVERY + ONE, "--course-activity", FIRST_ID)["tables"]["participation"]
        == report(tmp_path, EVERY + ONE)["tables"]["participation"]
    )


def test_another_courses_aus_do_not_count(tmp_path: Path) -> None:
    other = "https://example.org/coursepack/another-course"
    theirs = copy(as_learner(EVERY, "learner-elsewhere"), "other", **{IRI: other})
    mine = report(tmp_path, ONE)
    mixed = report(tmp_path, ONE + theirs, "--course-activity", COURSE_ID)
    assert mixed["learners"] == 1
    assert mixed["tables"]["participation"] == mine["tables"]["participation"]
    assert mixed["statements"]["about other activities"] == len(theirs)


def test_only_cmi5_defined_statements_complete_a_unit(tmp_path: Path) -> None:
    """Without the AU's own `completed`, the module is not completed: the tests' `completed`
    (cmi5 allowed, the module in their grouping) and the launcher's statements do not count."""
    without = [s for s in ONE if not (defined(s) and verb(s) == "completed")]
    assert any(verb(s) == "completed" for s in without)
    data = report(tmp_path, without)
    assert row(data, FIRST)["completed"] == 0
    assert row(data, "course")["median_minutes"] == minutes(duration_of(ONE))


def test_every_other_figure_is_unchanged(tmp_path: Path) -> None:
    """The learning gain, items, options, surveys are the same whether or not the AUs' own
    completed and terminated are there; so are the pass rates."""
    full = report(tmp_path, EVERY + ONE)
    sessions = ("completed", "terminated")
    bare = [s for s in EVERY + ONE if not (defined(s) and verb(s) in sessions)]
    stripped = report(tmp_path, bare)
    for table in ("learning", "items", "options", "likert"):
        assert full["tables"][table] == stripped["tables"][table], table
    for scope in ("course", *MODULES):
        for key in ("passed", "pass_rate", "attempts"):
            assert row(full, scope)[key] == row(stripped, scope)[key], (scope, key)


def as_open_edx(statements: list[Statement]) -> list[Statement]:
    """The statements as the Open edX cmi5 XBlock passes them on (docs/lms.md): no `launched`,
    the course id as every AU's activityId, so every cmi5 defined statement has that object; the
    AU's publisher id in the grouping is the one the runtime adds, the template giving none."""
    lms_ids = {s["object"]["id"] for s in statements if defined(s)}
    kept = [s for s in statements if verb(s) != "launched"]
    return copy(kept, "open-edx", **{f'"{old}"': f'"{IRI}"' for old in lms_ids})


def test_under_the_open_edx_xblock_each_au_completes_its_own_module(tmp_path: Path) -> None:
    """One object for every AU: the publisher id the runtime adds tells them apart, so the learner
    who took the first module only has not completed the course."""
    every, one = as_open_edx(EVERY), as_open_edx(ONE)
    assert {s["object"]["id"] for s in every + one if defined(s)} == {IRI}
    data = report(tmp_path, every + one)
    assert (row(data, "course")["launched"], row(data, "course")["completed"]) == (2, 1)
    assert (row(data, FIRST)["launched"], row(data, FIRST)["completed"]) == (2, 2)
    for module in MODULES[1:]:
        assert (row(data, module)["launched"], row(data, module)["completed"]) == (1, 1), module
