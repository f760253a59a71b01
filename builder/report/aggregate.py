"""Stage 2 of the report: fold a stream of statements into one small state per learner.

Memory does not grow with the number of statements, only with learners (one `Learner` each,
bounded by the course's size: pages, modules, items) and with two sets of statement ids:

- every id seen, as 16 raw bytes, to count a duplicate once (about 80 bytes a statement in a
  Python set: some 80 MB for a million statements);
- the ids named by voiding statements (xAPI-Data §2.3.2), usually few.

A voiding statement may come after the statement it voids (a file export in any order). The
aggregator then cannot take that statement's contribution back; it says so (`late_voids`), and
the report reads the source a second time with the voided ids known from the start
(`builder.report.run`), so every voided statement is left out whatever the order.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from builder.model import FOLLOW_UP
from builder.report.items import COURSE_SCOPE, PRACTICE, RETENTION, CourseIndex
from builder.statement_shape import not_an_object
from builder.vocabulary import Profile

#: xAPI-Data §2.3.2 "Voided": the verb of a voiding statement (not part of coursepack's profile,
#: which only names what courses send; the spec reserves this one).
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

#: (timestamp, success, response) of a learner's first answer to an item.
Answer = tuple[float, bool | None, str]


@dataclass(frozen=True, slots=True)
class Filters:
    """Which statements count: the course (and other ids naming it), version, time range."""

    course_ids: frozenset[str] = frozenset()
    version: str | None = None
    since: float | None = None  # epoch seconds, inclusive
    until: float | None = None  # epoch seconds, exclusive


@dataclass(slots=True)
class PostTest:
    """A learner's post-test of one module: attempts, passed, first attempt's score."""

    attempts: int = 0
    passed: bool = False
    first: tuple[float, float] | None = None  # (timestamp, scaled)


@dataclass(slots=True)
class Learner:
    """What the report needs of one learner (an actor: account homePage + name, or mbox)."""

    organisation: str
    language: str = ""
    registrations: set[str] = field(default_factory=set)
    completed: bool = False
    session_seconds: float = 0.0  # `terminated` about the course (the xapi target's)
    au_seconds: float = 0.0  # the `terminated` of this course's cmi5 AUs
    au_done: set[str] = field(default_factory=set)  # modules completed by their cmi5 AU
    module_seconds: dict[str, float] = field(default_factory=dict)  # module AUs' sessions
    pages: set[int] = field(default_factory=set)
    module_start: dict[str, float] = field(default_factory=dict)
    module_done: dict[str, float] = field(default_factory=dict)
    pre: dict[str, tuple[float, float]] = field(default_factory=dict)  # module -> (ts, scaled)
    post: dict[str, PostTest] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)  # item IRI -> first answer
    retention: tuple[float, float] | None = None  # the retention test's first (ts, scaled)
    in_course: bool = False  # seen in the course itself, not only in its follow-up unit

    @property
    def course_seconds(self) -> float:
        """Time in the course: the xapi target's sessions or the cmi5 AUs', whichever is more,
        so a package that sent both is not counted twice."""
        return max(self.session_seconds, self.au_seconds)


def _earlier(old: tuple[float, Any] | tuple[float, Any, Any] | None, ts: float) -> bool:
    return old is None or ts < old[0]


def timestamp(value: Any) -> float:
    """Epoch seconds of an ISO 8601 timestamp; 0.0 when it is missing or unreadable."""
    if not isinstance(value, str):
        return 0.0
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return 0.0


_SECONDS = {"H": 3600.0, "M": 60.0, "S": 1.0}


def duration_seconds(value: Any) -> float:
    """Seconds of an ISO 8601 duration `PT1H2M3.5S` (days as 24 h); 0.0 if unreadable."""
    if not isinstance(value, str) or not value.startswith("P"):
        return 0.0
    total, number = 0.0, ""
    in_time = False
    for ch in value[1:]:
        if ch == "T":
            in_time = True
        elif ch.isdigit() or ch == ".":
            number += ch
        else:
            try:
                n = float(number)
            except ValueError:
                return 0.0
            total += n * (86400.0 if ch == "D" else _SECONDS.get(ch, 0.0) if in_time else 0.0)
            number = ""
    return total


def scaled_score(score: Any) -> float | None:
    """`score.scaled`, or (raw - min) / (max - min) when only those are given; else None."""
    if not isinstance(score, dict):
        return None
    scaled = score.get("scaled")
    if isinstance(scaled, int | float):
        return float(scaled)
    raw, low, high = score.get("raw"), score.get("min", 0), score.get("max")
    numbers = all(isinstance(v, int | float) for v in (raw, low, high))
    return (raw - low) / (high - low) if numbers and high > low else None


def _ids(value: Any) -> list[str]:
    """The ids of a context activities list (or of the one activity given without a list)."""
    listed = value if isinstance(value, list) else [value] if value else []
    return [str(a.get("id", "")) for a in listed if isinstance(a, dict)]


def _activities(s: dict[str, Any]) -> list[str]:
    ca = (s.get("context") or {}).get("contextActivities") or {}
    return [
        str((s.get("object") or {}).get("id", "")),
        *_ids(ca.get("parent")),
        *_ids(ca.get("grouping")),
    ]


def actor_key(actor: Any) -> tuple[str, str] | None:
    """(learner key, organisation): account homePage|name, or the mbox (organisation "email")."""
    if not isinstance(actor, dict):
        return None
    account = actor.get("account")
    if isinstance(account, dict) and account.get("homePage") and account.get("name"):
        home = str(account["homePage"])
        return f"{home}|{account['name']}", home
    if actor.get("mbox"):
        return str(actor["mbox"]), "email"
    if actor.get("mbox_sha1sum"):
        return str(actor["mbox_sha1sum"]), "email"
    return None


class Aggregator:
    """Feed statements with `add`; read `learners` and the counters when done."""

    def __init__(
        self,
        index: CourseIndex,
        profile: Profile,
        filters: Filters,
        skip: frozenset[bytes] = frozenset(),
        keep_comments: bool = False,
    ) -> None:
        self.index = index
        self.filters = filters
        self.skip = skip
        self.keep_comments = keep_comments
        self.course_ids = {index.iri, *filters.course_ids}
        self.prefix = index.iri + "/"
        self.v = {n: profile.verb(n) for n in profile.verbs}
        self.version_key = profile.extension("course-version")
        self.kind_key = profile.extension("assessment-kind")
        self.page_index = {iri: i for i, (iri, _, _) in enumerate(index.pages)}
        self.modules = {f"{self.prefix}{m}": m for m in index.modules}
        self.assessments = {
            f"{self.prefix}{m}/{k}": (m, k)
            for m in index.modules
            for k in ("pre-test", "post-test")
        }
        self.cmi5 = profile.categories["cmi5"]
        self.au_verbs = (self.v["completed"], self.v["terminated"])
        self.every_module = frozenset(index.modules)
        self.follow_up_iri = f"{self.prefix}{FOLLOW_UP}"
        self.retention_iri = f"{self.prefix}follow-up/{RETENTION}"
        self.practice_prefix = f"{self.prefix}follow-up/{PRACTICE}/"
        self.learners: dict[str, Learner] = {}
        self.seen: set[bytes] = set()
        self.voided: set[bytes] = set()
        self.late_voids = 0
        self.counts: Counter[str] = Counter()
        self.comments: list[str] = []
        self.comment_count = 0

    def add(self, s: dict[str, Any]) -> None:
        """Count one statement (duplicates once, voided and voiding statements never)."""
        self.counts["read"] += 1
        try:
            key = bytes.fromhex(str(s["id"]).replace("-", ""))
        except (KeyError, ValueError):
            self.counts["without id"] += 1
            return
        if not_an_object(s, required=("verb", "object")) is not None:
            self.counts["malformed"] += 1
            return
        if key in self.seen:
            self.counts["duplicates"] += 1
            return
        self.seen.add(key)
        verb = str((s.get("verb") or {}).get("id", ""))
        if verb == VOIDED:
            self._void(s)
            return
        if key in self.skip or key in self.voided:
            self.counts["voided"] += 1
            return
        if self._wanted(s):
            self.counts["used"] += 1
            self._apply(s, verb)

    def _void(self, s: dict[str, Any]) -> None:
        self.counts["voiding"] += 1
        target = s.get("object") or {}
        if target.get("objectType") != "StatementRef":
            return
        try:
            key = bytes.fromhex(str(target.get("id", "")).replace("-", ""))
        except ValueError:
            return
        if key in self.seen and key not in self.voided and key not in self.skip:
            self.late_voids += 1
        self.voided.add(key)

    def _wanted(self, s: dict[str, Any]) -> bool:
        f = self.filters
        obj = str((s.get("object") or {}).get("id", ""))
        ours = obj.startswith(self.prefix) or obj in self.course_ids
        if not ours and not any(
            i in self.course_ids or i.startswith(self.prefix) for i in _activities(s)
        ):
            self.counts["about other activities"] += 1
            return False
        if f.version is not None:
            ext = (s.get("context") or {}).get("extensions") or {}
            if ext.get(self.version_key) != f.version:
                self.counts["of other versions"] += 1
                return False
        if f.since is not None or f.until is not None:
            ts = timestamp(s.get("timestamp"))
            if (f.since is not None and ts < f.since) or (f.until is not None and ts >= f.until):
                self.counts["outside the dates"] += 1
                return False
        return True

    def _learner(self, s: dict[str, Any]) -> Learner | None:
        found = actor_key(s.get("actor"))
        if found is None:
            self.counts["without actor"] += 1
            return None
        key, organisation = found
        learner = self.learners.get(key)
        if learner is None:
            learner = self.learners[key] = Learner(organisation)
        if not learner.language:
            learner.language = str((s.get("context") or {}).get("language") or "")
        return learner

    def _apply(self, s: dict[str, Any], verb: str) -> None:
        learner = self._learner(s)
        if learner is None:
            return
        v = self.v
        obj = str((s.get("object") or {}).get("id", ""))
        result = s.get("result") or {}
        ctx = s.get("context") or {}
        if ctx.get("registration"):
            learner.registrations.add(str(ctx["registration"]))
        ts = timestamp(s.get("timestamp"))
        if obj != self.follow_up_iri and not obj.startswith(self.follow_up_iri + "/"):
            learner.in_course = True
        if verb == v["answered"]:
            self._answer(learner, s, obj, ts, result)
        elif verb in self.au_verbs and (scope := self._au_scope(ctx)) is not None:
            self._au_session(learner, verb, scope, ts, result)
        elif obj in self.course_ids:
            if verb == v["completed"]:
                learner.completed = True
            elif verb == v["terminated"]:
                learner.session_seconds += duration_seconds(result.get("duration"))
        elif obj in self.page_index:
            learner.pages.add(self.page_index[obj])
            module = self.index.pages[self.page_index[obj]][1]
            if _earlier(_pair(learner.module_start.get(module)), ts):
                learner.module_start[module] = ts
        elif obj in self.modules and verb == v["completed"]:
            module = self.modules[obj]
            if _earlier(_pair(learner.module_done.get(module)), ts):
                learner.module_done[module] = ts
        elif obj in self.assessments:
            self._scored(learner, verb, *self.assessments[obj], ts, result)
        elif obj == self.retention_iri and verb == v["completed"]:
            scaled = scaled_score(result.get("score"))
            if isinstance(scaled, int | float) and _earlier(learner.retention, ts):
                learner.retention = (ts, float(scaled))

    def _au_scope(self, ctx: dict[str, Any]) -> str | None:
        """What this course's AU completes (`CourseIndex.aus`) when the context is a cmi5 defined
        statement's (the cmi5 category, cmi5 §9.6.2.1) whose grouping holds one of its publisher
        ids (the LMS's contextTemplate puts it there, §9.6.2.3, §10.2.1); else None."""
        ca = ctx.get("contextActivities") or {}
        if self.cmi5 not in _ids(ca.get("category")):
            return None
        return next(
            (self.index.aus[i] for i in _ids(ca.get("grouping")) if i in self.index.aus), None
        )

    def _au_session(self, learner: Learner, verb: str, scope: str, ts: float, result: Any) -> None:
        """An AU's `completed` completes its module or the course (a course of module AUs once
        every module's AU is completed: their moveOn); its `terminated` adds the session."""
        if verb == self.v["terminated"]:
            seconds = duration_seconds(result.get("duration"))
            learner.au_seconds += seconds
            if scope in self.every_module:
                learner.module_seconds[scope] = learner.module_seconds.get(scope, 0.0) + seconds
        elif scope == COURSE_SCOPE:
            learner.completed = True
        elif scope in self.every_module:
            if _earlier(_pair(learner.module_done.get(scope)), ts):
                learner.module_done[scope] = ts
            learner.au_done.add(scope)
            learner.completed = learner.completed or self.every_module <= learner.au_done

    def _scored(
        self, learner: Learner, verb: str, module: str, kind: str, ts: float, result: Any
    ) -> None:
        scaled = scaled_score(result.get("score"))
        if not isinstance(scaled, int | float):
            return
        if kind == "pre-test" and verb == self.v["completed"]:
            if _earlier(learner.pre.get(module), ts):
                learner.pre[module] = (ts, float(scaled))
        elif kind == "post-test" and (passed := self._verdict(verb, result)) is not None:
            post = learner.post.setdefault(module, PostTest())
            post.attempts += 1
            post.passed = post.passed or passed
            if _earlier(post.first, ts):
                post.first = (ts, float(scaled))
            if _earlier(_pair(learner.module_start.get(module)), ts):
                learner.module_start[module] = ts

    def _verdict(self, verb: str, result: Any) -> bool | None:
        """A post-test attempt's pass: `passed`/`failed` (the xapi target), or `completed` with
        `result.success` (a cmi5 AU's allowed statement, docs/cmi5.md); None when neither."""
        if verb in (self.v["passed"], self.v["failed"]):
            return verb == self.v["passed"]
        success = result.get("success")
        return success if verb == self.v["completed"] and isinstance(success, bool) else None

    def _answer(
        self, learner: Learner, s: dict[str, Any], iri: str, ts: float, result: Any
    ) -> None:
        item = self.index.items.get(iri)
        interaction = ((s.get("object") or {}).get("definition") or {}).get("interactionType")
        response = result.get("response")
        response = response if isinstance(response, str) else ""
        if len(response) <= 64:  # the same few short responses ("a", "true"): stored once
            response = sys.intern(response)
        if interaction == "long-fill-in" or (
            item is not None and item.interaction == "long-fill-in"
        ):
            self.comment_count += bool(response.strip())
            if self.keep_comments and response.strip():
                self.comments.append(response)
            return
        if item is None:
            self.counts["answers to unknown items"] += 1
            return
        success = result.get("success")
        answer: Answer = (ts, success if isinstance(success, bool) else None, response)
        if _earlier(learner.answers.get(iri), ts):
            learner.answers[iri] = answer
        module = item.module
        if module in self.index.module_titles and _earlier(
            _pair(learner.module_start.get(module)), ts
        ):
            learner.module_start[module] = ts


def _pair(ts: float | None) -> tuple[float, None] | None:
    return None if ts is None else (ts, None)
