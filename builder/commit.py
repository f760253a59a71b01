"""The LMS commit budget (pure): the largest CMI payload an LMS receives at Terminate/LMSFinish.

LMSs built on scorm-again (and others of its kind) send the whole CMI tree as JSON at every
commit, and the commit of Terminate/LMSFinish goes by `navigator.sendBeacon`, whose body browsers
cap at 64 KiB: above that the final commit fails (2004 error 391) and the last status, score,
session time and exit never reach the LMS (docs/lms.md). So, like the suspend-data budget
(`builder/state.py`), the build computes the worst case from the course data the runtime reads:
every interaction and objective the package can record, each value at its longest, in the shape
scorm-again 3.x serialises (`renderCommitCMI`), in UTF-8 bytes, and refuses a package whose
worst case is over its target's `limits.commit`.

The tree's shape is the standard's: each SCORM target builds it (`Target.commit_tree`) from the
helpers here. What a package records as interactions is the course's choice (`lms_interactions`
and `lms_interaction_attempts` in course.yaml; `recordsInteractions` in runtime/util/answers.js).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.errors import CourseError, Problem
from builder.interactions import INTERACTION_KINDS
from builder.state import worst_case_size

if TYPE_CHECKING:
    from builder.targets import Target

#: What browsers let a beacon (or keepalive fetch) carry: 64 KiB (Fetch standard, "keepalive").
BEACON_LIMIT = 65536
#: What the SCORM targets allow: an eighth below the cap, for what an LMS adds to the body.
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
#: A weighting as the adapters write it: round(w, 4), at most 8 characters ("-99.9999").
WEIGHTING = "-99.9999"
#: A score at its longest ("33.33", "0.3333").
RAW = "33.33"
SCALED = "0.3333"


@dataclass(frozen=True, slots=True)
class CommitBudget:
    """The worst-case commit of a package, how many interactions it holds, and the budget."""

    size: int
    interactions: int
    budget: int


@dataclass(frozen=True, slots=True)
class ResponseFormat:
    """How a standard writes a learner response (`formatResponse` in util/interactions.js)."""

    #: Between list items and between the two halves of a pair.
    sep: str
    pair: str
    #: The longest list the standard keeps (characters), None for no cap.
    cap: int | None
    #: The longest typed text it keeps, and how it writes false.
    text: int
    false: str
    #: The longest free text (long-fill-in) it keeps; None: as `text` (SCORM 1.2 fill-in).
    long_text: int | None = None


def blank(n: int) -> str:
    """A placeholder value of `n` ASCII characters."""
    return "x" * n


def _text(chars: int) -> str:
    """Free text of `chars` characters at its worst in UTF-8 (see `TEXT_BYTES`)."""
    return "\U0001f600" * chars


def _joined(ids: list[str], sep: str, cap: int | None) -> str:
    text = sep.join(ids)
    return text[:cap] if cap is not None else text


def longest_response(question: Mapping[str, Any], fmt: ResponseFormat) -> str:
    """The longest learner response to `question` in the format `fmt`."""
    interaction = question["interaction"]
    kind = interaction["type"]
    if kind in ("choice", "sequencing"):
        return _joined([c["id"] for c in interaction.get("choices", [])], fmt.sep, fmt.cap)
    if kind == "true-false":
        return fmt.false
    if kind == "likert":
        return max((s["id"] for s in interaction.get("scale", [])), key=len, default="")
    if kind == "numeric":
        return NUMBER
    if kind == "matching":
        targets = max((t["id"] for t in interaction.get("target", [])), key=len, default="")
        pairs = [f"{s['id']}{fmt.pair}{targets}" for s in interaction.get("source", [])]
        return _joined(pairs, fmt.sep, fmt.cap)
    if kind == "performance":
        steps = interaction.get("steps", [])
        widest = max((len(s.get("options", [])) for s in steps), default=1)
        pairs = [f"{s['id']}{fmt.pair}{widest - 1}" for s in steps]
        return _joined(pairs, fmt.sep, fmt.cap)
    # Typed text: as long as the input allows, within the standard's limit.
    limit = fmt.long_text if kind == "long-fill-in" and fmt.long_text else fmt.text
    return _text(min(int(question.get("maxLength", limit)), limit))


def _recorded(policy: Mapping[str, Any], assessment: Mapping[str, Any]) -> int:
    """How many attempts of `assessment` become interactions (`recordedAttempts` in JS)."""
    if assessment["kind"] not in policy["kinds"]:
        return 0
    if assessment["kind"] != "post-test":
        return 1
    allowed = int(assessment.get("attempts") or 0)
    return min(allowed, policy["attempts"]) if allowed else int(policy["attempts"])


def indexed(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A CMI array as scorm-again renders it: an object keyed "0", "1", …."""
    return {str(n): item for n, item in enumerate(items)}


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def recorded_interactions(
    course_data: Mapping[str, Any], entry: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every interaction the package can record, the costliest questions of each draw."""
    policy = course_data["course"]["interactions"]
    out: list[dict[str, Any]] = []
    for assessment in course_data["assessments"].values():
        attempts = _recorded(policy, assessment)
        if attempts == 0:
            continue
        entries = [entry(q) for q in assessment["questions"]]
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
        if q["type"] in ("fill-in", "numeric", "text")
    )


def suspend_data(course_data: Mapping[str, Any]) -> str:
    """A placeholder as long, in UTF-8 bytes, as the package's largest learner state."""
    state = worst_case_size(course_data, int(course_data.get("stateLevel", 0)))
    return blank(state + (TEXT_BYTES - 1) * _typed_chars(course_data))


def location(course_data: Mapping[str, Any]) -> str:
    """The longest bookmark: the longest page key."""
    return max((p["key"] for p in course_data["pages"]), key=len, default="")


def objectives(
    course_data: Mapping[str, Any], entry: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every module objective the package writes, as `entry` renders one."""
    return [
        entry(a["objective"]) for a in course_data["assessments"].values() if a.get("objective")
    ]


def worst_case_commit(course_data: Mapping[str, Any], target: Target) -> CommitBudget | None:
    """The largest CMI JSON (UTF-8 bytes) a package's LMS can receive; None without a CMI tree."""
    tree = target.commit_tree(course_data)
    if tree is None or target.limits.commit is None:
        return None
    count = len(tree["cmi"].get("interactions", {}))
    return CommitBudget(_size(tree), count, target.limits.commit)


def check_commit_budget(
    course_data: Mapping[str, Any], target: Target, package: str
) -> CommitBudget | None:
    """The worst-case commit of a package, or a `CourseError` naming the figure.

    `package` names the package in messages (`<course>-<target>`). None for targets whose LMS
    receives no CMI tree.
    """
    budget = worst_case_commit(course_data, target)
    if budget is None or budget.size <= budget.budget:
        return budget
    policy = course_data["course"]["interactions"]
    message = (
        f"the {target.title} commit at Terminate can reach {budget.size:,} bytes "
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
