"""The LMS commit budget (pure): the largest CMI payload an LMS receives at Terminate/LMSFinish.

LMSs built on scorm-again (and others of its kind) send the whole CMI tree as JSON at every
commit, and the commit of Terminate/LMSFinish goes by `navigator.sendBeacon`, whose body browsers
cap at 64 KiB: above that the final commit fails (2004 error 391) and the last status, score,
session time and exit never reach the LMS (docs/lms.md). So, like the suspend-data budget
(`builder/state.py`), the build computes the worst case from the course data the runtime reads:
every interaction and objective the package can record, each value at its longest, in the shape
scorm-again 3.x serialises (`renderCommitCMI`), in UTF-8 bytes, and refuses a package whose
worst case is over `BUDGET`.

What a package records as interactions is the course's choice (`lms_interactions` and
`lms_interaction_attempts` in course.yaml; `recordsInteractions` in runtime/util/answers.js).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from builder.errors import CourseError, Problem
from builder.interactions import INTERACTION_KINDS
from builder.state import worst_case_size

#: What browsers let a beacon (or keepalive fetch) carry: 64 KiB (Fetch standard, "keepalive").
BEACON_LIMIT = 65536
#: What the build allows: an eighth below the cap, for what an LMS adds to the body.
BEACON_BUDGET = 57344
#: Values the LMS itself fills in (learner id and name, launch data…): a generous allowance each.
LMS_VALUE = 255
#: The longest values the runtime writes (RTE 4.1.1.7 timeinterval, 1.2 CMITimespan, …).
DURATION_2004 = "PT9999H59M59.99S"
TIMESPAN_12 = "9999:59:59.99"
TIMESTAMP_2004 = "2000-01-01T00:00:00"
TIME_12 = "00:00:00"
#: A typed number as util/interactions.js writes it: sign, 10 digits, point, 18 decimals.
NUMBER = "-" + "9" * 10 + "." + "9" * 18
#: A character of free text at its worst in UTF-8 (a code point outside the BMP).
TEXT_BYTES = 4
#: SCORM 1.2 CMIString255 / 2004 learner_response for fill-in (SPM 250).
TEXT_12 = 255
TEXT_2004 = 250
STANDARD_NAMES = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004"}


@dataclass(frozen=True, slots=True)
class CommitBudget:
    """The worst-case commit of a package, how many interactions it holds, and the budget."""

    size: int
    interactions: int
    budget: int


def _blank(n: int) -> str:
    """A placeholder value of `n` ASCII characters."""
    return "x" * n


def _text(chars: int) -> str:
    """Free text of `chars` characters at its worst in UTF-8 (see `TEXT_BYTES`)."""
    return "\U0001f600" * chars


def _joined(ids: list[str], sep: str, cap: int | None = None) -> str:
    text = sep.join(ids)
    return text[:cap] if cap is not None else text


def _response(standard: str, question: Mapping[str, Any]) -> str:
    """The longest learner response to `question` (`formatResponse` in util/interactions.js)."""
    interaction = question["interaction"]
    kind = interaction["type"]
    v12 = standard == "scorm12"
    sep, pair = (",", ".") if v12 else ("[,]", "[.]")
    cap = TEXT_12 if v12 else None
    if kind in ("choice", "sequencing"):
        return _joined([c["id"] for c in interaction.get("choices", [])], sep, cap)
    if kind == "true-false":
        return "f" if v12 else "false"
    if kind == "likert":
        return max((s["id"] for s in interaction.get("scale", [])), key=len, default="")
    if kind == "numeric":
        return NUMBER
    if kind == "matching":
        targets = max((t["id"] for t in interaction.get("target", [])), key=len, default="")
        pairs = [f"{s['id']}{pair}{targets}" for s in interaction.get("source", [])]
        return _joined(pairs, sep, cap)
    if kind == "performance":
        steps = interaction.get("steps", [])
        widest = max((len(s.get("options", [])) for s in steps), default=1)
        pairs = [f"{s['id']}{pair}{widest - 1}" for s in steps]
        return _joined(pairs, sep, cap)
    # Typed text: as long as the input allows, within the standard's limit.
    limit = TEXT_12 if v12 else TEXT_2004
    return _text(min(int(question.get("maxLength", limit)), limit))


def _interaction(standard: str, question: Mapping[str, Any]) -> dict[str, Any]:
    """One `cmi.interactions.n` entry at its longest, keyed as scorm-again renders it."""
    i = question["interaction"]
    objectives = {"0": {"id": i["objective"]["scormId"]}} if i.get("objective") else {}
    patterns = i["correct"]["scorm12" if standard == "scorm12" else "scorm2004"]
    correct = {str(n): {"pattern": p} for n, p in enumerate(patterns)}
    weighting = _blank(8)
    if standard == "scorm12":
        return {
            "id": i["scormId"], "time": TIME_12, "type": i["type"], "weighting": weighting,
            "student_response": _response(standard, question), "result": "correct",
            "latency": TIMESPAN_12, "objectives": objectives, "correct_responses": correct,
        }  # fmt: skip
    return {
        "id": i["scormId"], "type": i["type"], "objectives": objectives,
        "timestamp": TIMESTAMP_2004, "weighting": weighting,
        "learner_response": _response(standard, question), "result": "incorrect",
        "latency": DURATION_2004, "description": i["description2004"],
        "correct_responses": correct,
    }  # fmt: skip


def _objective(standard: str, objective: Mapping[str, Any]) -> dict[str, Any]:
    """One `cmi.objectives.n` entry at its longest."""
    if standard == "scorm12":
        return {"id": objective["scormId"], "status": "incomplete",
                "score": {"raw": "33.33", "min": "0", "max": "100"}}  # fmt: skip
    return {
        "id": objective["scormId"], "success_status": "unknown",
        "completion_status": "incomplete", "progress_measure": "", "description": "",
        "score": {"scaled": "0.3333", "raw": "33.33", "min": "0", "max": "100"},
    }  # fmt: skip


def _recorded(policy: Mapping[str, Any], assessment: Mapping[str, Any]) -> int:
    """How many attempts of `assessment` become interactions (`recordedAttempts` in JS)."""
    if assessment["kind"] not in policy["kinds"]:
        return 0
    if assessment["kind"] != "post-test":
        return 1
    allowed = int(assessment.get("attempts") or 0)
    return min(allowed, policy["attempts"]) if allowed else int(policy["attempts"])


def _indexed(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A CMI array as scorm-again renders it: an object keyed "0", "1", …."""
    return {str(n): item for n, item in enumerate(items)}


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _interactions(standard: str, course_data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every interaction the package can record, the costliest questions of each draw."""
    policy = course_data["course"]["interactions"]
    out: list[dict[str, Any]] = []
    for assessment in course_data["assessments"].values():
        attempts = _recorded(policy, assessment)
        if attempts == 0:
            continue
        entries = [_interaction(standard, q) for q in assessment["questions"]]
        entries.sort(key=_size, reverse=True)
        draw = assessment.get("draw")
        shown = min(draw, len(entries)) if draw else len(entries)
        out += entries[:shown] * attempts
    return out


def _typed_chars(course_data: Mapping[str, Any]) -> int:
    """Characters of typed answers the learner state can hold (each may take 4 bytes)."""
    return sum(
        int(q.get("maxLength", 0))
        for a in course_data["assessments"].values()
        for q in a["questions"]
        if q["type"] in ("fill-in", "numeric")
    )


def worst_case_commit(course_data: Mapping[str, Any]) -> CommitBudget:
    """The largest CMI JSON (UTF-8 bytes) the package's LMS can receive, and its interactions."""
    standard = str(course_data["standard"])
    state = worst_case_size(course_data, int(course_data.get("stateLevel", 0)))
    state_bytes = state + (TEXT_BYTES - 1) * _typed_chars(course_data)
    suspend = _blank(state_bytes)
    location = max((p["key"] for p in course_data["pages"]), key=len, default="")
    objectives = [
        _objective(standard, a["objective"])
        for a in course_data["assessments"].values()
        if a.get("objective")
    ]
    interactions = _interactions(standard, course_data)
    lms = _blank(LMS_VALUE)
    cmi: dict[str, Any]
    if standard == "scorm12":
        cmi = {
            "suspend_data": suspend, "launch_data": lms, "comments": "", "comments_from_lms": "",
            "core": {
                "student_id": lms, "student_name": lms, "lesson_location": location[:255],
                "credit": "no-credit", "lesson_status": "incomplete", "entry": "ab-initio",
                "lesson_mode": "normal", "exit": "suspend", "session_time": TIMESPAN_12,
                "score": {"raw": "33.33", "min": "0", "max": "100"}, "total_time": TIMESPAN_12,
            },
            "objectives": _indexed(objectives),
            "student_data": {"mastery_score": "100", "max_time_allowed": lms,
                             "time_limit_action": "continue,no message"},
            "student_preference": {"audio": "100", "language": lms, "speed": "100", "text": "1"},
            "interactions": _indexed(interactions),
        }  # fmt: skip
    else:
        cmi = {
            "comments_from_learner": {}, "comments_from_lms": {},
            "completion_status": "incomplete", "completion_threshold": "1", "credit": "no-credit",
            "entry": "ab-initio", "exit": "suspend", "interactions": _indexed(interactions),
            "launch_data": lms, "learner_id": lms, "learner_name": lms,
            "learner_preference": {"audio_level": "1", "language": lms, "delivery_speed": "1",
                                   "audio_captioning": "0"},
            "location": location[:1000], "max_time_allowed": lms, "mode": "normal",
            "objectives": _indexed(objectives), "progress_measure": "0.3333",
            "scaled_passing_score": "0.3333",
            "score": {"scaled": "0.3333", "raw": "33.33", "min": "0", "max": "100"},
            "session_time": DURATION_2004, "success_status": "unknown", "suspend_data": suspend,
            "time_limit_action": "continue,no message", "total_time": DURATION_2004,
        }  # fmt: skip
    return CommitBudget(_size({"cmi": cmi}), len(interactions), BEACON_BUDGET)


def check_commit_budget(course_data: Mapping[str, Any], package: str) -> CommitBudget | None:
    """The worst-case commit of a SCORM package, or a `CourseError` naming the figure.

    `package` names the package in messages (`<course>-<target>`). Packages of other standards
    send no CMI tree: None.
    """
    standard = str(course_data["standard"])
    if standard not in STANDARD_NAMES:
        return None
    budget = worst_case_commit(course_data)
    if budget.size <= budget.budget:
        return budget
    policy = course_data["course"]["interactions"]
    message = (
        f"the {STANDARD_NAMES[standard]} commit at Terminate can reach {budget.size:,} bytes "
        f"({budget.interactions} interactions); LMSs that send the whole CMI tree (scorm-again) "
        f"send it by sendBeacon, capped at {BEACON_LIMIT:,} bytes, and this build keeps it under "
        f"{budget.budget:,}. Record fewer interactions in course.yaml: lms_interactions "
        f"(now {_choice(policy)}: assessed, post-test or none) or lms_interaction_attempts "
        f"(now {policy['attempts']}), or use shorter prompts and fewer accepted answers"
    )
    raise CourseError([Problem(package, None, "", message)])


def _choice(policy: Mapping[str, Any]) -> str:
    """The course.yaml name of the `lms_interactions` choice behind `policy`."""
    kinds = tuple(policy["kinds"])
    return next((name for name, k in INTERACTION_KINDS.items() if k == kinds), str(kinds))
