"""What the launcher knows of each learner and launch, and the statements it writes itself.

Pure: sessions and registrations are plain records; the statement builders take the clock and the
ids as arguments. The launcher's verbs are the LMS's (cmi5 §9.3): launched, satisfied, abandoned.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from builder.launcher.structure import Au, Block
from builder.statement_shape import not_an_object

ADL = "http://adlnet.gov/expapi/verbs/"
W3ID = "https://w3id.org/xapi/adl/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/"
CATEGORY = CMI5 + "context/categories/cmi5"
SESSION_ID = CMI5 + "context/extensions/sessionid"
#: §9.4: the activity types of the LMS's block and course objects.
BLOCK_TYPE = CMI5 + "activitytype/block"
COURSE_TYPE = CMI5 + "activitytype/course"
LAUNCH_MODES = ("Normal", "Browse", "Review")


@dataclass(slots=True)
class Session:
    """One AU launch session (§9.6.3.1): its token, what it sent and how it ended."""

    id: str
    au: Au
    activity_id: str
    registration: str
    actor: dict[str, Any]
    launch_mode: str
    mastery_score: float | None
    return_url: str | None
    fetch_key: str
    token: str
    launched_at: datetime
    token_given: bool = False
    last_seen: datetime | None = None
    terminated_at: datetime | None = None
    abandoned: bool = False

    @property
    def open(self) -> bool:
        """Neither terminated nor abandoned."""
        return self.terminated_at is None and not self.abandoned

    def launch_data(self, publisher_grouping: list[dict[str, Any]]) -> dict[str, Any]:
        """The LMS.LaunchData state document (§10.2) of this session."""
        data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": publisher_grouping},
                "extensions": {SESSION_ID: self.id},
            },
            "launchMode": self.launch_mode,
            "moveOn": self.au.move_on,
        }
        if self.mastery_score is not None:
            data["masteryScore"] = self.mastery_score
        if self.au.launch_parameters is not None:
            data["launchParameters"] = self.au.launch_parameters
        if self.return_url:
            data["returnURL"] = self.return_url
        return data


@dataclass(slots=True)
class Registration:
    """A learner's enrollment in the course (§9.6.1) and what its AUs have achieved."""

    id: str
    actor: dict[str, Any]
    completed: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    satisfied: set[str] = field(default_factory=set)


def timestamp(moment: datetime) -> str:
    """An xAPI timestamp in UTC (cmi5 §9.7)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """An ISO 8601 duration of `seconds`, to hundredths."""
    return f"PT{max(0.0, seconds):.2f}S"


def publisher(activity_id: str) -> dict[str, Any]:
    """The publisher id grouping activity (§9.6.2.3)."""
    return {"objectType": "Activity", "id": activity_id}


def _statement(
    verb: str,
    actor: dict[str, Any],
    obj: dict[str, Any],
    registration: str,
    session_id: str,
    grouping: str,
    moment: datetime,
    extensions: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": obj,
        "context": {
            "registration": registration,
            "contextActivities": {
                "category": [{"objectType": "Activity", "id": CATEGORY}],
                "grouping": [publisher(grouping)],
            },
            "extensions": {SESSION_ID: session_id, **(extensions or {})},
        },
        "timestamp": timestamp(moment),
    }
    if result:
        statement["result"] = result
    return statement


def launched(session: Session, launch_url: str) -> dict[str, Any]:
    """§9.3.1 launched, written before the AU opens; context extensions §9.6.3.2-7."""
    extensions: dict[str, Any] = {
        CMI5 + "context/extensions/launchmode": session.launch_mode,
        CMI5 + "context/extensions/launchurl": launch_url,
        CMI5 + "context/extensions/moveon": session.au.move_on,
    }
    if session.mastery_score is not None:
        extensions[CMI5 + "context/extensions/masteryscore"] = session.mastery_score
    if session.au.launch_parameters is not None:
        extensions[CMI5 + "context/extensions/launchparameters"] = session.au.launch_parameters
    obj = {"objectType": "Activity", "id": session.activity_id}
    return _statement(
        ADL + "launched", session.actor, obj, session.registration, session.id, session.au.id,
        session.launched_at, extensions,
    )  # fmt: skip


def abandoned(session: Session, moment: datetime) -> dict[str, Any]:
    """§9.3.6 abandoned; duration from launched to the AU's last statement (§9.5.4.2)."""
    last = session.last_seen or session.launched_at
    obj = {"objectType": "Activity", "id": session.activity_id}
    result = {"duration": duration((last - session.launched_at).total_seconds())}
    return _statement(
        W3ID + "abandoned", session.actor, obj, session.registration, session.id, session.au.id,
        moment, result=result,
    )  # fmt: skip


def satisfied(
    block: Block, object_id: str, course: bool, registration: Registration, session_id: str,
    moment: datetime,
) -> dict[str, Any]:  # fmt: skip
    """§9.3.9 satisfied about a block or the course, by the LMS's own object id (§9.4)."""
    obj = {
        "objectType": "Activity",
        "id": object_id,
        "definition": {"type": COURSE_TYPE if course else BLOCK_TYPE},
    }
    return _statement(
        W3ID + "satisfied", registration.actor, obj, registration.id, session_id, block.id, moment
    )


def json_text(value: Any) -> str:
    """Compact JSON, as launch parameters and error bodies carry it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def is_defined(statement: dict[str, Any]) -> bool:
    """§7.1.3: a cmi5 defined statement carries the cmi5 category."""
    context = statement.get("context") or {}
    categories = (context.get("contextActivities") or {}).get("category") or []
    return any(isinstance(a, dict) and a.get("id") == CATEGORY for a in categories)


#: The LMS's verbs (§9.3.1, §9.3.6, §9.3.7, §9.3.9): an AU never sends them.
LMS_VERBS = {ADL + "launched", W3ID + "abandoned", W3ID + "waived", W3ID + "satisfied"}


def conflict(statement: Any, session: Session) -> str:
    """Why `statement` conflicts with `session` (§6.3: the LMS SHOULD reject it), or ""."""
    if not isinstance(statement, dict):
        return "a statement is not a JSON object"
    if (part := not_an_object(statement)) is not None:
        return f"{part} is not a JSON object"
    if statement.get("actor") != session.actor:
        return "actor is not the launch's (§8.1.3)"
    context = statement.get("context") or {}
    if context.get("registration") != session.registration:
        return "registration is not the launch's (§9.6.1)"
    if (context.get("extensions") or {}).get(SESSION_ID) != session.id:
        return "session id is not the session's (§9.6.3.1)"
    if (statement.get("verb") or {}).get("id") in LMS_VERBS:
        return "the verb is the LMS's (§9.3)"
    if (statement.get("verb") or {}).get("id") == ADL + "voided":
        return "an AU may not void statements (§6.3)"
    if session.launch_mode != "Normal" and is_defined(statement):
        verb = str(statement["verb"]["id"]).rsplit("/", 1)[-1]
        if verb not in ("initialized", "terminated"):
            return f"{verb} in a {session.launch_mode} launch (§10.2.2)"
    if is_defined(statement) and (statement.get("object") or {}).get("id") != session.activity_id:
        return "object is not the launch's activityId (§9.4)"
    return ""
