"""The build-time xAPI statement check: tincan builds what statements.js builds, and it is valid."""

from __future__ import annotations

import copy
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import node_json
from tincan import Statement

from builder.build import build
from builder.config import BuildConfig, LrsConfig
from builder.errors import CourseError
from builder.ids import course_uuid
from builder.interactions import describe_question
from builder.loader import load_course
from builder.render import course_data
from builder.runtime import PROFILE
from builder.statement_builder import EXAMPLE_HOME_PAGE, EXAMPLE_LEARNER
from builder.statement_checks import is_absolute_iri, is_language_tag
from builder.statements import check_statements, example_calls, example_statements
from builder.targets import TARGETS
from builder.vocabulary import load_profile

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "tests" / "js" / "example-statements.mjs"
VALIDATE = REPO / "tests" / "lrs" / "validate_statements.mjs"
COURSES = {
    "real": REPO / "modules",
    "full": REPO / "tests" / "fixtures" / "courses" / "full",
    "types": REPO / "tests" / "fixtures" / "courses" / "types",
    "minimal": REPO / "tests" / "fixtures" / "courses" / "minimal",
    # The real course's follow-up unit (modules/follow-up.yaml), a package of its own.
    "follow-up": REPO / "modules",
}
MINIMAL = "https://example.org/coursepack/test/minimal"


def data_of(name: str, target: str = "xapi", lrs: dict[str, str] | None = None) -> dict[str, Any]:
    course = load_course(COURSES[name])
    unit = course.follow_up_unit() if name == "follow-up" else course
    assert unit is not None
    return course_data(unit, TARGETS[target], lrs=lrs)


def node(script: Path, payload: Any) -> Any:
    """Run `script` with `payload` as JSON on stdin; its stdout parsed as JSON."""
    return node_json(script, payload)


def seconds(duration: str) -> float:
    """An ISO 8601 `PT…` duration in seconds (tincan writes `PT05S` where the runtime `PT5S`)."""
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", duration)
    assert match, duration
    hours, minutes, secs = (float(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + secs


def comparable(statement: dict[str, Any]) -> dict[str, Any]:
    """The statement without what differs by design: id, timestamp (made on the device) and the
    version tincan adds (the runtime sends it as the X-Experience-API-Version header)."""
    out = {k: v for k, v in statement.items() if k not in {"id", "timestamp", "version"}}
    if "duration" in out.get("result", {}):
        out["result"] = {**out["result"], "duration": seconds(out["result"]["duration"])}
    return out


@pytest.mark.parametrize("target", ["xapi", "scorm12"])
def test_the_real_course_has_no_statement_problems(target: str) -> None:
    lrs = {"endpoint": "https://lrs.example.org/xapi/", "actorHomePage": "https://lms.example.org"}
    data = data_of("real", target, lrs if target != "xapi" else None)
    calls = example_calls(data)
    assert check_statements(data) == []
    questions = sum(len(a["questions"]) for a in data["assessments"].values())
    assert sum(c.builder == "answered" for c in calls) == questions > 0
    pages = [p for p in data["pages"] if p["kind"] == "page"]
    assert sum(c.builder == "experienced" for c in calls) == len(pages) > 0
    assert {c.builder for c in calls} >= {"initialized", "passed", "failed", "terminated"}


@pytest.mark.parametrize("name", list(COURSES))
def test_tincan_builds_what_the_runtime_builds_and_both_are_valid(name: str) -> None:
    data = data_of(name)
    python = [json.loads(text) for _, text in example_statements(data)]
    calls = example_calls(data)
    course = data["course"]
    runtime = node(
        EXAMPLES,
        {
            "course": course,
            "actor": {"account": {"homePage": EXAMPLE_HOME_PAGE, "name": EXAMPLE_LEARNER}},
            "registration": str(course_uuid(course["id"])),
            "calls": [{"builder": c.builder, "args": c.args} for c in calls],
        },
    )
    assert len(runtime) == len(python) == len(calls)
    for call, ours, theirs in zip(calls, python, runtime, strict=True):
        assert comparable(ours) == comparable(theirs), f"{call.where} {call.builder}"
    # Ids so that the validator can name them; no xapi-validation warning, one profile template.
    for i, statement in enumerate(python):
        statement["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{i}"))
    assert node(VALIDATE, python) == {}
    # An independent xAPI library reads each one back to the same statement.
    for statement in python:
        again = json.loads(Statement.from_json(json.dumps(statement)).to_json())
        assert comparable(again) == comparable(statement)
    assert [load_profile().validate(s) for s in python] == [""] * len(python)


def broken(change: str) -> dict[str, Any]:
    """The minimal course's data with its post-test's first question (`colour`) broken."""
    data = copy.deepcopy(data_of("minimal"))
    interaction = data["assessments"]["basics/post-test"]["questions"][0]["interaction"]
    if change == "type":
        interaction["type"] = "multiple-choice"
    elif change == "pattern":
        interaction["correct"]["xapi"] = ["a", ""]
    elif change == "ids":
        interaction["choices"][1]["id"] = interaction["choices"][0]["id"]
    elif change == "iri":
        interaction["iri"] = "basics/post-test/colour"
    return data


WHERE = "question colour (basics/post-test): answered: "


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ("type", "interactionType 'multiple-choice' is not an xAPI interaction type"),
        ("pattern", "object.definition.correctResponsesPattern[1]: empty pattern"),
        ("ids", "object.definition.choices: component ids not unique: a"),
        ("iri", "object.id: 'basics/post-test/colour' is not an absolute IRI"),
    ],
)
def test_a_broken_interaction_gives_one_exact_problem_line(change: str, line: str) -> None:
    assert check_statements(broken(change)) == [WHERE + line]


def test_a_bad_language_tag_and_actor_home_page_are_named() -> None:
    data = copy.deepcopy(data_of("minimal", "scorm12", {"endpoint": "x", "actorHomePage": "lms"}))
    problems = check_statements(data)
    assert (
        problems[0] == "course: initialized: actor.account.homePage: 'lms' is not an absolute IRI"
    )
    assert len(problems) == len(example_calls(data))
    data["lrs"]["actorHomePage"] = "https://lms.example.org"
    data["course"]["title"] = "Title"
    data["course"]["language"] = "en_GB"
    # Every statement carries the course language, so every statement is refused.
    problems = check_statements(data)
    assert problems[0] == (
        "course: initialized: object.definition.name: 'en_GB' is not a BCP 47 language tag"
    )
    for c in example_calls(data):
        assert (
            f"{c.where}: {c.builder}: context.language: 'en_GB' is not a BCP 47 language tag"
            in problems
        )


@pytest.mark.parametrize(
    ("text", "ok"),
    [("en", True), ("de-DE", True), ("zh-Hant-TW", True), ("en_GB", False), ("", False)],
)
def test_language_tags(text: str, ok: bool) -> None:
    assert is_language_tag(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (MINIMAL, True),
        ("urn:uuid:6b40ff52-bb71-5467-9c0c-f6690fb67a5c", True),
        ("https:/x", False),
        ("a/b", False),
        ("https://x.org/a b", False),
    ],
)
def test_absolute_iris(text: str, ok: bool) -> None:
    assert is_absolute_iri(text) is ok


def test_the_build_refuses_before_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    def bad_choice(*args: Any) -> dict[str, Any]:
        described = describe_question(*args)
        if described["type"] == "choice":
            described["choices"][-1]["id"] = described["choices"][0]["id"]
        return described

    # builder.render embeds each description in the course data the check reads.
    monkeypatch.setattr("builder.render.describe_question", bad_choice)
    out = tmp_path / "dist"
    lrs = LrsConfig(
        endpoint="https://lrs.example.org/xapi/", actor_homepage="https://lms.example.org"
    )
    config = BuildConfig(COURSES["minimal"], out, ("web", "scorm12"), lrs=lrs)
    with pytest.raises(CourseError) as caught:
        build(config)
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        "minimal-web: xAPI: question colour (basics/post-test): answered: "
        "object.definition.choices: component ids not unique: a"
    )
    assert len(lines) == 3 and lines[-1] == "2 problems"
    assert not out.exists(), "nothing is written when a statement would be invalid"
    # Without an LRS (and no xapi target) nothing sends statements, so nothing is checked.
    built = build(BuildConfig(COURSES["minimal"], out, ("web",)))
    assert [b.target for b in built] == ["web"]


def test_packages_that_send_statements_ship_and_list_the_profile(tmp_path: Path) -> None:
    lrs = LrsConfig(
        endpoint="https://lrs.example.org/xapi/", actor_homepage="https://lms.example.org"
    )
    targets = ("scorm12", "scorm2004-4th", "xapi")
    profile = PROFILE.read_bytes()
    for config, ships in [
        (BuildConfig(COURSES["minimal"], tmp_path / "lrs", targets, lrs=lrs), True),
        (BuildConfig(COURSES["minimal"], tmp_path / "plain", targets), False),
    ]:
        for built in build(config):
            with zipfile.ZipFile(built.path) as package:
                names = package.namelist()
                sends = ships or built.target == "xapi"
                assert ("xapi/profile.jsonld" in names) is sends, built.path.name
                if sends:
                    assert package.read("xapi/profile.jsonld") == profile
                if "imsmanifest.xml" in names:
                    listed = (
                        'href="xapi/profile.jsonld"' in package.read("imsmanifest.xml").decode()
                    )
                    assert listed is sends, built.path.name
