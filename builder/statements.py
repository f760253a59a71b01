"""Build-time check of the xAPI statements a package sends (docs/xapi.md "Build-time check").

One example of every kind of statement the runtime sends is built from the inputs the runtime
uses (the course data, each question's interaction description), the way
`templates/runtime/xapi/statements.js` builds it (`builder.statement_builder`), and checked
(`builder.statement_checks`): IRIs, language tags, interaction types, patterns, components and
scores. The tests also pass every example through `tincan` and npm `xapi-validation`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from builder.errors import Problem
from builder.statement_builder import Call, StatementBuilder
from builder.statement_checks import problems_in
from builder.vocabulary import Profile, load_profile

#: Example durations (ms) of an answer, an assessment and a session.
ANSWER_MS = 5_000
ASSESSMENT_MS = 90_000
SESSION_MS = 600_000
_CASE_FLAG = re.compile(r"^\{case_matters=(?:true|false)\}")


def example_response(interaction: Mapping[str, Any]) -> str:
    """The `result.response` of a right answer: the first correct pattern as a response."""
    patterns = (interaction.get("correct") or {}).get("xapi") or []
    if not patterns:
        scale = interaction.get("scale") or []
        return str(scale[0]["id"]) if scale else ""
    first = str(patterns[0])
    if interaction.get("type") == "fill-in":
        return _CASE_FLAG.sub("", first)
    if interaction.get("type") == "numeric":
        low, _, high = first.partition("[:]")
        return low or high
    return first


def example_calls(data: Mapping[str, Any]) -> list[Call]:
    """Every builder call the runtime makes for this package, once per page, question, test."""
    titles = {p["key"]: p["title"] for p in data["pages"]}
    calls = [Call("course", "initialized"), Call("course", "resumed")]
    calls += [
        Call(f"page {p['key']}", "experienced", (p,)) for p in data["pages"] if p["kind"] == "page"
    ]
    for key, a in data["assessments"].items():
        about = {"key": key, "kind": a["kind"], "module": a.get("module") or ""}
        if titles.get(key):
            about["title"] = titles[key]
        for q in a["questions"]:
            answer = {
                "interaction": q["interaction"],
                "response": example_response(q["interaction"]),
                "correct": True if q.get("scored") else None,
                "durationMs": ANSWER_MS,
                "assessment": about,
            }
            calls.append(Call(f"question {q['id']} ({key})", "answered", (answer,)))
        most = sum(q.get("weight", 1) for q in a["questions"] if q.get("scored"))
        best = {"scaled": 1, "raw": most, "min": 0, "max": most}
        worst = {"scaled": 0, "raw": 0, "min": 0, "max": most}
        timed = {"durationMs": ASSESSMENT_MS}
        if a["kind"] == "post-test":
            calls.append(Call(f"assessment {key}", "passed", (about, best, timed)))
            calls.append(Call(f"assessment {key}", "failed", (about, worst, timed)))
        elif a["kind"] in ("pre-test", "retention-test"):
            calls.append(Call(f"assessment {key}", "completedAssessment", (about, best, timed)))
    modules = dict.fromkeys(p["module"] for p in data["pages"] if p["module"])
    calls += [Call(f"module {m}", "completedModule", ({"id": m},)) for m in modules]
    session = {"durationMs": SESSION_MS}
    calls += [
        Call("course", "completedCourse", (session,)),
        Call("course", "progressed", (0.5,)),
        Call("course", "suspended", (session,)),
        Call("course", "terminated", (session,)),
    ]
    return calls


def example_statements(
    data: Mapping[str, Any], profile: Profile | None = None
) -> Iterator[tuple[Call, str]]:
    """Each example call with its statement as JSON text; the builder's exceptions propagate."""
    builder = StatementBuilder(profile or load_profile(), data)
    for call in example_calls(data):
        yield call, json.dumps(builder.build(call))


def check_statements(course_data: Mapping[str, Any], profile: Profile | None = None) -> list[str]:
    """One line per problem in the statements this package would send; empty when all is well."""
    builder = StatementBuilder(profile or load_profile(), course_data)
    problems = []
    for call in example_calls(course_data):
        try:
            statement = builder.build(call)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"{call.where}: {call.builder}: {exc}".replace("\n", " "))
            continue
        problems += [f"{call.where}: {call.builder}: {p}" for p in problems_in(statement)]
    return problems


def statement_problems(course_data: Mapping[str, Any], package: str) -> list[Problem]:
    """`check_statements` as build problems of `package` (`<course>-<target>`)."""
    return [Problem(package, None, "xAPI", line) for line in check_statements(course_data)]
