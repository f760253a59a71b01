"""The preview's statement store and the faults a designer can switch on.

NOT a production LRS: it keeps statements in memory for one preview session, checks each against
the course's xAPI profile (`builder.vocabulary`; a cmi5 LMS's own statements, which no course
profile describes, against cmi5 §9.3) and shows the result in the panel. It answers the
xAPI Statement Resource far enough for a course to send to it (POST, PUT, GET by id or all),
stamps `stored` and keeps the first statement of each id: the same statement again changes
nothing, another one under a known id is a 409, a batch naming an id twice a 400
(xAPI-Communication §2.1.1, §2.1.2).
With `--lrs URL` statements are forwarded to a real LRS and still shown here.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from builder.launcher.records import CATEGORY, LMS_VERBS
from builder.statement_shape import not_an_object
from builder.vocabulary import load_profile

#: Fault names, as the panel's buttons send them.
FAULTS = ("commit-fails", "lrs-down", "lrs-slow", "offline")
#: Seconds the store waits before answering while `lrs-slow` is on.
SLOW_SECONDS = 4.0


@dataclass(slots=True)
class Received:
    """One statement as the store received it, with its number and its profile warnings."""

    number: int
    statement: dict[str, Any]
    warnings: list[str]


def malformed(statement: dict[str, Any]) -> str | None:
    """Which part of `statement` is not the JSON object it must be (an LRS refuses it), or None."""
    path = not_an_object(statement)
    return None if path is None else f"{path}: expected a JSON object"


def warnings_of(statement: Any) -> list[str]:
    """Why `statement` does not follow the course's xAPI profile (empty when it does)."""
    if not isinstance(statement, dict):
        return ["expected a JSON object"]
    problems = [f"missing {k}" for k in ("actor", "verb", "object") if k not in statement]
    if problems:
        return problems
    if (statement.get("verb") or {}).get("id") in LMS_VERBS:
        return _lms_warnings(statement)
    try:
        problem = load_profile().validate(statement)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"cannot be checked against the profile: {exc}"
    return [problem] if problem else []


def _lms_warnings(statement: dict[str, Any]) -> list[str]:
    """A cmi5 LMS's own statement (launched, satisfied, abandoned, waived: cmi5 §9.3), which the
    course's profile does not describe: it must be a cmi5 defined statement of a registration."""
    context = statement.get("context") or {}
    categories = (context.get("contextActivities") or {}).get("category") or []
    problems = []
    if not any(isinstance(c, dict) and c.get("id") == CATEGORY for c in categories):
        problems.append("an LMS verb without the cmi5 category (cmi5 §9.6.2.1)")
    if not context.get("registration"):
        problems.append("an LMS statement without a registration (cmi5 §9.6.1)")
    return problems


@dataclass
class Store:
    """Statements and faults of one preview session; safe across the server's threads."""

    received: list[Received] = field(default_factory=list)
    faults: set[str] = field(default_factory=set)
    #: Each statement as sent, by id (a resent one must be the same).
    _sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, statements: list[Any], statement_id: str | None = None) -> tuple[int, list[str]]:
        """Store `statements` (PUT: one, `statement_id`): (200|204, ids) or (400|409, why)."""
        if statement_id is not None:
            if len(statements) != 1 or not isinstance(statements[0], dict):
                return 400, ["PUT takes one statement"]
            statements = [{**statements[0], "id": statements[0].get("id", statement_id)}]
            if statements[0]["id"] != statement_id:
                return 400, ["statementId differs from the statement's id"]
        if not all(isinstance(s, dict) for s in statements):
            return 400, ["expected statements as JSON objects"]
        if (why := next(filter(None, map(malformed, statements)), None)) is not None:
            return 400, [why]
        given = [str(s["id"]) for s in statements if s.get("id")]
        if len(given) != len(set(given)):
            return 400, ["a batch names the same statement id twice"]
        ids = []
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        with self._lock:
            conflicts = [
                str(s["id"])
                for s in statements
                if s.get("id") and str(s["id"]) in self._sent and self._sent[str(s["id"])] != s
            ]
            if conflicts:
                return 409, [f"another statement has the id {conflicts[0]}"]
            for statement in statements:
                sid = str(statement.get("id") or uuid.uuid4())
                ids.append(sid)
                if sid in self._sent:
                    continue  # the same statement again: nothing changes
                self._sent[sid] = statement
                stored = {**statement, "id": sid, "stored": now}
                stored.setdefault("timestamp", now)
                number = len(self.received)
                self.received.append(Received(number, stored, warnings_of(statement)))
        return (204 if statement_id else 200), ids

    def get(self, statement_id: str | None = None) -> dict[str, Any] | None:
        """One statement by id (None if unknown), or every one as a StatementResult."""
        with self._lock:
            if statement_id is not None:
                found = [r.statement for r in self.received if r.statement["id"] == statement_id]
                return found[0] if found else None
            return {"statements": [r.statement for r in reversed(self.received)], "more": ""}

    def since(self, number: int) -> list[dict[str, Any]]:
        """Statements received from `number` on, for the panel."""
        with self._lock:
            return [
                {"number": r.number, "statement": r.statement, "warnings": r.warnings}
                for r in self.received[number:]
            ]

    def set_fault(self, name: str, on: bool) -> None:
        """Switch a fault on or off."""
        if name not in FAULTS:
            raise ValueError(name)
        with self._lock:
            (self.faults.add if on else self.faults.discard)(name)

    def has(self, name: str) -> bool:
        """Whether fault `name` is on."""
        with self._lock:
            return name in self.faults
