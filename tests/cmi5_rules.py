"""A cmi5 rule checker, written from the cmi5 specification (AICC/CMI-5_Spec_Current,
cmi5_spec.md) for the tests: what an AU's statements must satisfy, statement by statement, per
session and per registration. Every browser and runtime test of cmi5 runs it over every statement
the AU sent. It knows nothing of coursepack's runtime: only the spec's rules, cited by section.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ADL = "http://adlnet.gov/expapi/verbs/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
#: §9.3: the verbs an AU may use in cmi5 defined statements.
AU_VERBS = {f"{ADL}{v}" for v in ("initialized", "completed", "passed", "failed", "terminated")}
#: §9.3.1, §9.3.6, §9.3.7, §9.3.9: the LMS's verbs; an AU never sends them.
LMS_VERBS = {
    f"{ADL}launched",
    "https://w3id.org/xapi/adl/verbs/abandoned",
    "https://w3id.org/xapi/adl/verbs/waived",
    "https://w3id.org/xapi/adl/verbs/satisfied",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
UTC = re.compile(r"(Z|[+-]00:?00)$")


@dataclass(frozen=True)
class Session:
    """What the LMS gave one AU session in LMS.LaunchData (§10.2)."""

    launch_mode: str
    #: §10.2.4: the LMS's masteryScore (0..1), or the course structure's, or None.
    mastery_score: float | None


def verb(s: Mapping[str, Any]) -> str:
    return str(s["verb"]["id"]).removeprefix(ADL)


def _categories(s: Mapping[str, Any]) -> set[str]:
    ctx = s.get("context") or {}
    return {a.get("id") for a in (ctx.get("contextActivities") or {}).get("category") or []}


def is_defined(s: Mapping[str, Any]) -> bool:
    """§7.1.3: a cmi5 defined statement carries the cmi5 category; the rest are "allowed"."""
    return CMI5_CATEGORY in _categories(s)


def _statement(s: Mapping[str, Any], activity_id: str, registration: str) -> list[str]:
    """The rules every statement of the AU follows on its own."""
    out: list[str] = []
    name = verb(s)
    ctx = s.get("context") or {}
    result = s.get("result") or {}
    if not UUID.match(str(s.get("id", ""))):
        out.append("§9.1: id is not a UUID")
    if not UTC.search(str(s.get("timestamp", ""))):
        out.append("§9.7: timestamp is not in UTC")
    if ctx.get("registration") != registration:
        out.append("§9.6.1: registration is not the launch's")
    if not (ctx.get("extensions") or {}).get(SESSION_ID):
        out.append("§9.6.3.1: no session id")
    if s["verb"]["id"] in LMS_VERBS:
        out.append(f"§9.3: {name} is the LMS's verb")
    progress = (result.get("extensions") or {}).get(PROGRESS)
    if progress is not None and not (isinstance(progress, int) and 0 <= progress <= 100):
        out.append("§9.5.5.1: progress is not an integer 0-100")
    if not is_defined(s):
        if MOVEON_CATEGORY in _categories(s):
            out.append("§9.6.2.2: moveon category on an allowed statement")
        return out
    actor = s.get("actor") or {}
    if actor.get("objectType", "Agent") != "Agent" or "account" not in actor:
        out.append("§9.2: actor is not an Agent with an account")
    if s["verb"]["id"] not in AU_VERBS:
        out.append(f"§9.3: {name} is no cmi5 defined verb")
    if (s.get("object") or {}).get("id") != activity_id:
        out.append("§9.4: object is not the launch's activityId")
    if "score" in result and name not in ("passed", "failed"):
        out.append(f"§9.5.1: score on {name}")
    score = result.get("score") or {}
    if "scaled" in score and not 0 <= score["scaled"] <= 1:
        out.append("§9.5.1: scaled outside 0..1")
    if "raw" in score and ("min" not in score or "max" not in score):
        out.append("§9.5.1: raw without min and max")
    for key in ("raw", "min", "max"):
        if key in score and not isinstance(score[key], int):
            out.append(f"§9.5.1: {key} is not an integer")
    wanted_success = {"passed": True, "failed": False}.get(name)
    if result.get("success") != wanted_success:
        out.append(f"§9.5.2: success {result.get('success')!r} on {name}")
    if result.get("completion") != (True if name == "completed" else None):
        out.append(f"§9.5.3: completion {result.get('completion')!r} on {name}")
    if name in ("completed", "passed", "failed", "terminated") and not result.get("duration"):
        out.append(f"§9.5.4.1: no duration on {name}")
    if name == "completed" and progress is not None:
        out.append("§9.5.5.1: progress on completed")
    judged = "success" in result or "completion" in result
    if judged != (MOVEON_CATEGORY in _categories(s)):
        out.append(f"§9.6.2.2: moveon category {'missing' if judged else 'present'} on {name}")
    return out


def _judgement(s: Mapping[str, Any], session: Session) -> list[str]:
    """§9.3.4, §9.3.5, §9.5.1, §9.6.3.2: passed/failed agree with the masteryScore."""
    mastery = session.mastery_score
    if mastery is None:
        return []
    name = verb(s)
    out = []
    extension = ((s.get("context") or {}).get("extensions") or {}).get(MASTERY)
    if extension != mastery:
        out.append(f"§9.6.3.2: masteryscore {extension!r} on {name}, the LMS's is {mastery}")
    scaled = ((s.get("result") or {}).get("score") or {}).get("scaled")
    if scaled is not None and (scaled >= mastery) != (name == "passed"):
        out.append(f"§9.3.4/§9.3.5: {name} with scaled {scaled} against masteryScore {mastery}")
    return out


def problems(
    statements: Sequence[Mapping[str, Any]],
    *,
    activity_id: str,
    registration: str,
    sessions: Mapping[str, Session],
    ended: bool = True,
) -> list[str]:
    """Every rule the statements of one AU and registration break, in the order they were sent.

    `sessions` gives each session id's launch data; `ended` whether every session ended by the
    learner's Exit (so terminated must be last in each).
    """
    out: list[str] = []
    by_session: dict[str, list[Mapping[str, Any]]] = {}
    for i, s in enumerate(statements):
        where = f"#{i} {verb(s)}"
        out += [f"{where}: {p}" for p in _statement(s, activity_id, registration)]
        sid = ((s.get("context") or {}).get("extensions") or {}).get(SESSION_ID)
        if sid not in sessions:
            out.append(f"{where}: §9.6.3.1: session id {sid!r} is no session the LMS launched")
            continue
        by_session.setdefault(sid, []).append(s)
        if is_defined(s) and verb(s) in ("passed", "failed"):
            out += [f"{where}: {p}" for p in _judgement(s, sessions[sid])]
    # §9.3: order within a session is by timestamp (a stable sort keeps equal ones as sent).
    for sid, items in by_session.items():
        items = sorted(items, key=lambda s: str(s["timestamp"]))
        names = [verb(s) for s in items]
        defined = [verb(s) for s in items if is_defined(s)]
        if not items or names[0] != "initialized" or not is_defined(items[0]):
            out.append(f"{sid}: §9.3.2/§7.1.1: the first statement is not initialized")
        if ended and (names[-1] != "terminated" or not is_defined(items[-1])):
            out.append(f"{sid}: §9.3.8/§7.1.2: the last statement is not terminated")
        if "terminated" in names and names.index("terminated") != len(names) - 1:
            out.append(f"{sid}: §9.3.8/§7.1.3: a statement after terminated")
        for name in set(defined):
            if defined.count(name) > 1:
                out.append(f"{sid}: §9.3: {name} sent {defined.count(name)} times in a session")
        if defined.count("passed") + defined.count("failed") > 1:
            out.append(f"{sid}: §9.3: more than one of passed/failed in a session")
        if sessions[sid].launch_mode != "Normal":
            extra = sorted(set(names) - {"initialized", "terminated"})
            if extra:
                out.append(f"{sid}: §10.2.2: {sessions[sid].launch_mode} launch sent {extra}")
    # §9.3: per registration (per AU), across its sessions, by timestamp.
    ordered = sorted((s for s in statements if is_defined(s)), key=lambda s: str(s["timestamp"]))
    names = [verb(s) for s in ordered]
    for once in ("completed", "passed"):
        if names.count(once) > 1:
            out.append(f"registration: §9.3: {once} sent {names.count(once)} times")
    if "passed" in names and "failed" in names[names.index("passed") :]:
        out.append("registration: §9.3: failed after passed")
    return out


def lms_problems(
    statements: Sequence[Mapping[str, Any]], publisher_ids: Sequence[str]
) -> list[str]:
    """The rules the LMS's own statements break (§9.3.1, §9.3.6, §9.3.9, §9.4, §9.6.2.3).

    `statements` are every statement of one registration, the LMS's and the AUs'; `publisher_ids`
    the ids of the course structure (course, blocks, AUs).
    """
    out: list[str] = []
    launched: dict[str, str] = {}
    abandoned: dict[str, int] = {}
    satisfied: dict[str, int] = {}
    for s in sorted(statements, key=lambda s: str(s.get("stored") or s["timestamp"])):
        name = verb(s)
        ctx = s.get("context") or {}
        sid = (ctx.get("extensions") or {}).get(SESSION_ID)
        if s["verb"]["id"] not in LMS_VERBS:
            if sid not in launched:
                out.append(f"{name}: §9.3.1: no launched before the session's first statement")
            if abandoned.get(sid):
                out.append(f"{name}: §9.3.6: a statement after the session was abandoned")
            continue
        if not is_defined(s):
            out.append(f"{name}: §9.6.2.1: the LMS's statement lacks the cmi5 category")
        grouping = [a.get("id") for a in (ctx.get("contextActivities") or {}).get("grouping") or []]
        if not set(grouping) & set(publisher_ids):
            out.append(f"{name}: §9.6.2.3: no publisher id in grouping")
        if not sid:
            out.append(f"{name}: §9.6.3.1: no session id")
        if name == "launched":
            launched[sid] = s["object"]["id"]
            if s["object"]["id"] in publisher_ids:
                out.append("launched: §8.1.5: the activityId is the AU's publisher id")
        elif name.endswith("abandoned"):
            abandoned[sid] = abandoned.get(sid, 0) + 1
            if abandoned[sid] > 1:
                out.append("abandoned: §9.3.1: more than once for a session")
            if not (s.get("result") or {}).get("duration"):
                out.append("abandoned: §9.5.4.2: no duration")
        elif name.endswith("satisfied"):
            obj = s.get("object") or {}
            kind = (obj.get("definition") or {}).get("type", "")
            if kind not in (CMI5_TYPES["block"], CMI5_TYPES["course"]):
                out.append(f"satisfied: §9.4: object type {kind!r}")
            if obj.get("id") in publisher_ids:
                out.append("satisfied: §9.4: the object id is the publisher's")
            satisfied[obj.get("id")] = satisfied.get(obj.get("id"), 0) + 1
            if satisfied[obj.get("id")] > 1:
                out.append("satisfied: §9.3: more than once for the same object")
    return out


#: §9.4: the activity types of the LMS's block and course objects.
CMI5_TYPES = {
    "block": "https://w3id.org/xapi/cmi5/activitytype/block",
    "course": "https://w3id.org/xapi/cmi5/activitytype/course",
}
