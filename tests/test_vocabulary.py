"""One vocabulary: the xAPI Profile is its source, and every statement the runtime sends fits it.

The drift test drives the real runtime (tracking hooks, attempt report, statement builders) in
Node over whole courses and matches every statement it sends with the profile's templates.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers import node_json
from test_cmi5_runtime import run as cmi5_run

from builder.errors import TemplateError
from builder.loader import load_course
from builder.render import course_data
from builder.runtime import PROFILE
from builder.statements import example_response
from builder.targets import TARGETS
from builder.targets import xapi as xapi_target
from builder.vocabulary import Profile, javascript, load_profile, parse_profile

REPO = Path(__file__).resolve().parents[1]
GENERATED = REPO / "templates" / "runtime" / "xapi" / "vocabulary.js"
DRIVER = REPO / "tests" / "js" / "runtime-statements.mjs"
COURSES = {
    "real": REPO / "modules",
    "full": REPO / "tests" / "fixtures" / "courses" / "full",
    "types": REPO / "tests" / "fixtures" / "courses" / "types",
    "minimal": REPO / "tests" / "fixtures" / "courses" / "minimal",
}
#: The real course's follow-up unit (modules/follow-up.yaml), a package of its own.
FOLLOW_UP_WALK = {**COURSES, "follow-up": REPO / "modules"}
LRS = {"endpoint": "https://lrs.example.org/xapi/", "actorHomePage": "https://lms.example.org"}
#: How the runtime learns where to send and whom the statements are about.
LAUNCHES: dict[str, dict[str, Any] | None] = {
    # The xapi target: an account actor, and the launch names the course activity.
    "xapi-account": {
        "endpoint": LRS["endpoint"],
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": LRS["actorHomePage"], "name": "u"},
        },
        "registration": "0b9f2a4e-6c1d-4f3a-9e2b-7d5c8a1f0e36",
        "activityId": "https://lms.example.org/activities/77",
    },
    # The xapi target launched with an mbox actor and no registration.
    "xapi-mbox": {"endpoint": LRS["endpoint"], "actor": {"mbox": "mailto:learner@example.org"}},
    # Dual-track SCORM 1.2: the build's LRS, the LMS learner id.
    "scorm12-lrs": None,
}
ADL = "http://adlnet.gov/expapi/"
OURS = "https://example.org/coursepack/profile"


@cache
def sent(course: str, launch: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The course data and every statement the runtime sends for a walk through the course
    (`follow-up`: through the real course's follow-up unit)."""
    lrs = LRS if LAUNCHES[launch] is None else None
    target = "scorm12" if lrs else "xapi"
    loaded = load_course(FOLLOW_UP_WALK[course])
    unit = loaded.follow_up_unit() if course == "follow-up" else loaded
    assert unit is not None
    data = course_data(unit, TARGETS[target], lrs=lrs)
    interactions = [q["interaction"] for a in data["assessments"].values() for q in a["questions"]]
    payload = {
        "data": data,
        "launch": LAUNCHES[launch],
        "responses": {i["iri"]: example_response(i) for i in interactions},
        "mastery": data["course"]["masteryScore"],
    }
    return data, node_json(DRIVER, payload)


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].removeprefix(ADL + "verbs/") for s in statements]


def test_the_runtime_vocabulary_is_generated_from_the_profile() -> None:
    assert GENERATED.read_text(encoding="utf-8") == javascript(load_profile()), (
        "templates/runtime/xapi/vocabulary.js is stale: "
        "python -m builder.vocabulary > templates/runtime/xapi/vocabulary.js"
    )


def test_the_vocabulary_is_the_one_statements_have_always_carried() -> None:
    profile = load_profile()
    assert (profile.id, profile.version) == (OURS, OURS + "/v1")
    names = "answered completed experienced failed initialized passed progressed resumed"
    assert profile.verbs == {
        n: f"{ADL}verbs/{n}" for n in [*names.split(), "suspended", "terminated"]
    }
    types = ["assessment", "cmi.interaction", "course", "lesson", "module", "profile"]
    assert profile.activity_types == {
        **{n: f"{ADL}activities/{n}" for n in types},
        "au": OURS + "/activity-types/au",  # the cmi5 AU (docs/cmi5.md)
        "follow-up": OURS + "/activity-types/follow-up",  # the follow-up unit (docs/xapi.md)
    }
    cmi5 = "https://w3id.org/xapi/cmi5/"
    assert profile.extensions == {
        "assessment-kind": OURS + "/extensions/assessment-kind",
        "course-version": OURS + "/extensions/course-version",
        "masteryscore": cmi5 + "context/extensions/masteryscore",
        "progress": cmi5 + "result/extensions/progress",
        "sessionid": cmi5 + "context/extensions/sessionid",
    }
    assert profile.categories == {
        "cmi5": cmi5 + "context/categories/cmi5",
        "moveon": cmi5 + "context/categories/moveon",
    }
    assert profile.verb("answered") == ADL + "verbs/answered"
    assert profile.template("passed-post-test").verb == ADL + "verbs/passed"


def test_the_tincan_manifest_names_activities_with_the_profiles_types() -> None:
    # builder/targets/xapi.py spells the two types tincan.xml needs; held to the profile here
    # until it reads them from builder.vocabulary (the targets are being reworked separately).
    profile = load_profile()
    assert profile.activity_type("course") == xapi_target.COURSE_TYPE
    assert profile.activity_type("module") == xapi_target.MODULE_TYPE


def test_the_profile_keeps_its_concepts_and_templates_in_its_own_scheme() -> None:
    document = json.loads(PROFILE.read_text("utf-8"))
    assert document["type"] == "Profile"
    for item in [*document["concepts"], *document["templates"]]:
        assert item["inScheme"] == OURS + "/v1", item["id"]
        assert item["id"].startswith(OURS + "/"), item["id"]
    names = [t.name for t in load_profile().templates]
    assert len(set(names)) == len(names) == 19 + len(FOLLOW_UP_TEMPLATES)


def test_the_latest_profile_version_is_used_and_a_broken_profile_is_a_template_error(
    tmp_path: Path,
) -> None:
    document = json.loads(PROFILE.read_text("utf-8"))
    v1 = document["versions"][0]["id"]
    v2 = {"id": v1.replace("/v1", "/v2"), "wasRevisionOf": [v1], "generatedAtTime": "2025"}
    document["versions"].append(v2)
    assert parse_profile(document).version == v2["id"]
    document["templates"][0]["verb"] = "https://example.org/other/resumed"
    with pytest.raises(ValueError, match="share the name 'resumed'"):
        parse_profile(document)
    (tmp_path / "broken.jsonld").write_text('{"id": "x"}', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.jsonld is unusable: KeyError\('templates'\)"):
        load_profile(tmp_path / "broken.jsonld")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"attachmentUsageType": ["https://example.org/a"]}, "uses ['attachmentUsageType']"),
        ({"rules": [{"location": "$.result", "selector": "$.score"}]}, "uses ['selector']"),
        ({"rules": [{"location": "$.context.contextActivities.parent[0]"}]}, "beyond the subset"),
        ({"rules": [{"location": "$.verb.id | $.object.id"}]}, "beyond the subset"),
    ],
)
def test_what_the_reader_cannot_check_is_refused_not_misread(
    change: dict[str, Any], message: str
) -> None:
    document = json.loads(PROFILE.read_text("utf-8"))
    document["templates"][0].update(change)
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_profile(document)


@pytest.mark.parametrize("launch", list(LAUNCHES))
@pytest.mark.parametrize("course", list(COURSES))
def test_every_statement_the_runtime_sends_matches_exactly_one_template(
    course: str, launch: str
) -> None:
    data, statements = sent(course, launch)
    profile = load_profile()
    problems = {
        f"{i} {verbs([s])[0]} {s['object']['id']}": problem
        for i, s in enumerate(statements)
        if (problem := profile.validate(s))
    }
    assert problems == {}
    # The walk reached every page, question and assessment of the course.
    said = verbs(statements)
    pages = [p for p in data["pages"] if p["kind"] == "page"]
    assert said.count("experienced") == len(pages) > 0
    kinds = [a["kind"] for a in data["assessments"].values()]
    questions = [
        len(a["questions"]) * (2 if a["kind"] == "post-test" else 1)
        for a in data["assessments"].values()
    ]
    assert said.count("answered") == sum(questions)
    assert said.count("passed") == said.count("failed") == kinds.count("post-test")
    modules = {p["module"] for p in data["pages"] if p["module"]}
    assert said.count("completed") == kinds.count("pre-test") + len(modules) + 1
    assert said[0] == "initialized" and said.count("resumed") == 1
    assert said.count("suspended") == 1 and said.count("terminated") == 2


#: The templates of the follow-up unit's statements (its lifecycle and its retention test).
FOLLOW_UP_TEMPLATES = {
    "initialized-follow-up",
    "resumed-follow-up",
    "completed-follow-up",
    "progressed-follow-up",
    "suspended-follow-up",
    "terminated-follow-up",
    "completed-retention-test",
}


def test_every_template_is_used_by_a_statement_the_runtime_sends() -> None:
    profile = load_profile()
    course_templates = {t.name for t in profile.templates} - FOLLOW_UP_TEMPLATES
    # The cmi5 AU's statements (tests/test_cmi5_runtime.py) use the cmi5 templates.
    cmi5 = [s for scenario in ("fail-then-pass",) for s in cmi5_run("real", scenario)["statements"]]
    for course in ("types", "real"):
        statements = [*sent(course, "xapi-account")[1], *cmi5]
        used = {t.name for s in statements for t in profile.matching(s)}
        assert used == course_templates, course
    used = {t.name for s in sent("follow-up", "xapi-account")[1] for t in profile.matching(s)}
    assert used == FOLLOW_UP_TEMPLATES | {"answered-question"}


@pytest.mark.parametrize("launch", list(LAUNCHES))
def test_every_statement_of_the_follow_up_matches_one_template_and_joins_the_course(
    launch: str,
) -> None:
    data, statements = sent("follow-up", launch)
    profile = load_profile()
    problems = {
        f"{i} {verbs([s])[0]} {s['object']['id']}": problem
        for i, s in enumerate(statements)
        if (problem := profile.validate(s))
    }
    assert problems == {}
    course = data["course"]["id"]
    version = OURS + "/extensions/course-version"
    for s in statements:
        grouping = [a["id"] for a in s["context"]["contextActivities"]["grouping"]]
        assert course in grouping, s["verb"]["id"]
        assert s["context"]["extensions"][version] == data["course"]["version"]
        assert s["object"]["id"] != course, "the follow-up never reports about the course itself"
    retention = data["assessments"]["follow-up/retention-test"]["questions"]
    answered = [s["object"]["id"] for s in statements if verbs([s])[0] == "answered"]
    for q in retention:
        assert f"{course}/follow-up/retention-test/{q['id']}" in answered
    done = [s for s in statements if s["object"]["id"] == f"{course}/follow-up/retention-test"]
    assert [verbs([s])[0] for s in done] == ["completed"]
    assert "success" not in done[0]["result"] and set(done[0]["result"]["score"]) == {
        "scaled",
        "raw",
        "min",
        "max",
    }


def one_of_each(profile: Profile) -> dict[str, dict[str, Any]]:
    """A statement the runtime sends for each template, by template name."""
    found: dict[str, dict[str, Any]] = {}
    for s in sent("types", "xapi-account")[1]:
        [template] = profile.matching(s)
        found.setdefault(template.name, s)
    return found


def test_the_drift_test_can_fail() -> None:
    profile = load_profile()
    sample = one_of_each(profile)
    # A verb, an object type or a missing context activity the profile does not know: no match.
    changed = copy.deepcopy(sample["initialized"])
    changed["verb"]["id"] = ADL + "verbs/launched"
    assert profile.validate(changed) == "matches 0 templates: []"
    changed = copy.deepcopy(sample["experienced-page"])
    changed["object"]["definition"]["type"] = ADL + "activities/media"
    assert profile.validate(changed) == "matches 0 templates: []"
    changed = copy.deepcopy(sample["answered-question"])
    del changed["context"]["contextActivities"]["parent"]
    assert profile.validate(changed) == "matches 0 templates: []"
    # Two templates a statement cannot tell apart.
    document = json.loads(PROFILE.read_text("utf-8"))
    twin = {**document["templates"][0], "id": OURS + "/templates/started"}
    document["templates"].append(twin)
    assert parse_profile(document).validate(sample["initialized"]) == (
        "matches 2 templates: ['initialized', 'started']"
    )
    # The one matching template's rules: included, excluded, all, any.
    changed = copy.deepcopy(sample["passed-post-test"])
    del changed["result"]["score"]["raw"]
    changed["result"]["success"] = False
    kind = OURS + "/extensions/assessment-kind"
    changed["context"]["extensions"][kind] = "pre-test"
    assert profile.validate(changed) == (
        "passed-post-test: $.result.score.raw: missing; "
        "$.result.success: [False] not all in [True]; "
        f"$.context.extensions['{kind}']: ['pre-test'] has none of ['post-test']"
    )
    changed = copy.deepcopy(sample["completed-pre-test"])
    changed["result"]["success"] = True
    assert profile.validate(changed) == "completed-pre-test: $.result.success: present"
