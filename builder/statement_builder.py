"""The Python twin of `templates/runtime/xapi/statements.js`: the same statements, as JSON.

`StatementBuilder.build(call)` makes, as plain JSON values, the statement the runtime's
`createStatements(...)[call.builder](...call.args)` makes, for one course and an example learner.
Verbs, activity types and extension IRIs come from the shipped xAPI Profile (`builder.vocabulary`).
tests/test_statements.py checks that both sides build equal statements, and that the `tincan`
library and npm `xapi-validation` accept them; the build checks them with
`builder.statement_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from builder.ids import activity_iri, course_uuid
from builder.vocabulary import COMPONENTS, INTERACTION_TYPES, Profile

#: A JSON object of a statement.
Json = dict[str, Any]

#: The account of the example learner whose statements are checked; its homePage
#: is only an example; a build with an LRS uses its `--actor-homepage`.
EXAMPLE_HOME_PAGE = "https://lms.example.org"
EXAMPLE_LEARNER = "learner-1"
_CAMEL = re.compile(r"[A-Z]")


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a statements.js builder: `where` names the page, question or assessment."""

    where: str
    builder: str
    args: tuple[Any, ...] = ()


def _some(**values: Any) -> Json:
    """`values` without the None ones (absent properties are left out, not null)."""
    return {k: v for k, v in values.items() if v is not None}


class StatementBuilder:
    """The twin of statements.js `createStatements` for one course and example actor."""

    def __init__(self, profile: Profile, data: Mapping[str, Any]) -> None:
        self.profile = profile
        self.course: Mapping[str, Any] = data["course"]
        self.language = str(self.course.get("language") or "en-US")
        home = (data.get("lrs") or {}).get("actorHomePage") or EXAMPLE_HOME_PAGE
        self.actor: Json = {
            "objectType": "Agent",
            "account": {"homePage": home, "name": EXAMPLE_LEARNER},
        }
        self.registration = str(course_uuid(str(self.course["id"])))

    def build(self, call: Call) -> Json:
        """The statement `call` makes."""
        method = _CAMEL.sub(lambda m: "_" + m[0].lower(), call.builder)
        statement: Json = getattr(self, f"_{method}")(*call.args)
        return statement

    def _text(self, value: Any) -> Json | None:
        return {self.language: value} if isinstance(value, str) and value else None

    def _activity(self, iri: str, kind: str, title: Any = None) -> Json:
        definition = _some(name=self._text(title), type=self.profile.activity_type(kind))
        return {"id": iri, "objectType": "Activity", "definition": definition}

    def _course_activity(self) -> Json:
        follow_up = self.course.get("followUp")
        if follow_up:
            return self._activity(self.course["id"], "course", follow_up["courseTitle"])
        return self._activity(self.course["id"], "course", self.course.get("title"))

    def _follow_up(self) -> list[Json]:
        """The follow-up unit's activity, in a follow-up package (see statements.js)."""
        follow_up = self.course.get("followUp")
        if not follow_up:
            return []
        return [self._activity(follow_up["id"], "follow-up", self.course.get("title"))]

    def _unit_activity(self) -> Json:
        """What the session's statements are about: the course, or the follow-up unit."""
        return (self._follow_up() or [self._course_activity()])[0]

    def _unit_context(self) -> Json:
        return self._context(grouping=[self._course_activity()] if self._follow_up() else None)

    def _modules(self, module: str) -> list[Json]:
        return [self._activity(activity_iri(self.course["id"], module), "module")] if module else []

    def _assessment(self, a: Mapping[str, Any]) -> Json:
        # A module's knowledge checks are one assessment (see statements.js).
        if a["kind"] == "check":
            return self._activity(
                activity_iri(self.course["id"], a["module"], "check"), "assessment"
            )
        return self._activity(
            activity_iri(self.course["id"], a["key"]), "assessment", a.get("title")
        )

    def _context(
        self,
        parent: list[Json] | None = None,
        grouping: list[Json] | None = None,
        kind: str | None = None,
    ) -> Json:
        category = {
            "id": self.profile.version,
            "objectType": "Activity",
            "definition": {"type": self.profile.activity_type("profile")},
        }
        extensions = {
            self.profile.extension("course-version"): str(self.course.get("version") or "")
        }
        if kind:
            extensions[self.profile.extension("assessment-kind")] = kind
        activities = _some(category=[category], parent=parent or None, grouping=grouping or None)
        return {
            "registration": self.registration,
            "contextActivities": activities,
            "platform": "coursepack",
            "language": self.language,
            "extensions": extensions,
        }

    def _statement(self, verb: str, obj: Json, ctx: Json, result: Json | None = None) -> Json:
        return _some(
            actor=self.actor,
            verb={"id": self.profile.verb(verb), "display": {"en-US": verb}},
            object=obj,
            context=ctx,
            result=result,
        )

    def _under_module(self, a: Mapping[str, Any], kind: str | None = None) -> Json:
        grouping = [*self._follow_up(), self._course_activity()]
        return self._context(self._modules(a.get("module", "")), grouping, kind)

    def _initialized(self) -> Json:
        return self._statement("initialized", self._unit_activity(), self._unit_context())

    def _resumed(self) -> Json:
        return self._statement("resumed", self._unit_activity(), self._unit_context())

    def _experienced(self, page: Mapping[str, Any]) -> Json:
        iri = activity_iri(self.course["id"], page["key"])
        obj = self._activity(iri, "lesson", page.get("title"))
        return self._statement("experienced", obj, self._under_module(page))

    def _answered(self, answer: Mapping[str, Any]) -> Json:
        interaction, a = answer["interaction"], answer["assessment"]
        obj = {
            "id": interaction["iri"],
            "objectType": "Activity",
            "definition": self._interaction(interaction),
        }
        correct = answer.get("correct")
        result = _some(
            success=correct if isinstance(correct, bool) else None,
            duration=_duration(answer.get("durationMs")),
            response=answer["response"],
        )
        grouping = [
            *self._modules(a.get("module", "")),
            *self._follow_up(),
            self._course_activity(),
        ]
        ctx = self._context([self._assessment(a)], grouping, a["kind"])
        return self._statement("answered", obj, ctx, result)

    def _interaction(self, i: Mapping[str, Any]) -> Json:
        kind = i.get("type")
        if kind not in INTERACTION_TYPES:
            raise ValueError(f"interactionType {kind!r} is not an xAPI interaction type")
        short = i.get("description2004")
        definition = _some(
            name=self._text(i.get("description") if short is None else short),
            description=self._text(i.get("description")),
            type=self.profile.activity_type("cmi.interaction"),
            interactionType=kind,
            correctResponsesPattern=list((i.get("correct") or {}).get("xapi") or []) or None,
        )
        for name in COMPONENTS.get(kind, ()):
            definition[name] = [
                _some(id=c["id"], description=self._text(c.get("text"))) for c in i.get(name) or []
            ]
        return definition

    def _assessed(
        self,
        verb: str,
        a: Mapping[str, Any],
        s: Mapping[str, Any],
        options: Mapping[str, Any],
        success: bool | None = None,
    ) -> Json:
        scaled = s.get("scaled")
        score = _some(
            scaled=None if scaled is None else max(-1, min(1, scaled)),
            raw=s.get("raw"),
            min=s.get("min"),
            max=s.get("max"),
        )
        result = _some(
            score=score,
            success=success,
            completion=True if verb == "completed" else None,
            duration=_duration(options.get("durationMs")),
        )
        return self._statement(verb, self._assessment(a), self._under_module(a, a["kind"]), result)

    def _passed(self, a: Mapping[str, Any], s: Mapping[str, Any], o: Mapping[str, Any]) -> Json:
        return self._assessed("passed", a, s, o, True)

    def _failed(self, a: Mapping[str, Any], s: Mapping[str, Any], o: Mapping[str, Any]) -> Json:
        return self._assessed("failed", a, s, o, False)

    def _completed_assessment(
        self, a: Mapping[str, Any], s: Mapping[str, Any], o: Mapping[str, Any]
    ) -> Json:
        return self._assessed("completed", a, s, o)

    def _completed_module(self, m: Mapping[str, Any]) -> Json:
        obj = self._activity(activity_iri(self.course["id"], m["id"]), "module", m.get("title"))
        ctx = self._context([self._course_activity()])
        return self._statement("completed", obj, ctx, {"completion": True})

    def _completed_course(self, o: Mapping[str, Any]) -> Json:
        result = _some(completion=True, duration=_duration(o.get("durationMs")))
        return self._statement("completed", self._unit_activity(), self._unit_context(), result)

    def _progressed(self, fraction: float) -> Json:
        percent = int(max(0.0, min(1.0, fraction)) * 100 + 0.5)
        result = {"extensions": {self.profile.extension("progress"): percent}}
        return self._statement("progressed", self._unit_activity(), self._unit_context(), result)

    def _suspended(self, o: Mapping[str, Any]) -> Json:
        result = _some(duration=_duration(o.get("durationMs")))
        return self._statement("suspended", self._unit_activity(), self._unit_context(), result)

    def _terminated(self, o: Mapping[str, Any]) -> Json:
        result = _some(duration=_duration(o.get("durationMs")))
        return self._statement("terminated", self._unit_activity(), self._unit_context(), result)


def _duration(ms: Any) -> str | None:
    """An ISO 8601 duration in seconds (`PT90S`, `PT1.5S`), or None without a number."""
    if not isinstance(ms, int | float) or isinstance(ms, bool):
        return None
    return f"PT{round(ms / 1000, 3):g}S"
