"""The `tincan` twin of `templates/runtime/xapi/statements.js`: the same statements, in Python.

`StatementBuilder.build(call)` makes, with `tincan` objects, the statement the runtime's
`createStatements(...)[call.builder](...call.args)` makes, for one course and an example learner.
Verbs, activity types and extension IRIs come from the shipped xAPI Profile (`builder.vocabulary`).
tests/test_statements.py checks that both sides build structurally equal statements.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    AgentAccount,
    Context,
    ContextActivities,
    Extensions,
    InteractionComponent,
    LanguageMap,
    Result,
    Score,
    Statement,
    Verb,
)

from builder.ids import activity_iri, course_uuid
from builder.vocabulary import COMPONENTS, INTERACTION_TYPES, Profile

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


class StatementBuilder:
    """The tincan twin of statements.js `createStatements` for one course and example actor."""

    def __init__(self, profile: Profile, data: Mapping[str, Any]) -> None:
        self.profile = profile
        self.course: Mapping[str, Any] = data["course"]
        self.language = str(self.course.get("language") or "en-US")
        home = (data.get("lrs") or {}).get("actorHomePage") or EXAMPLE_HOME_PAGE
        self.actor = Agent(account=AgentAccount(home_page=home, name=EXAMPLE_LEARNER))
        self.registration = str(course_uuid(str(self.course["id"])))

    def build(self, call: Call) -> Statement:
        """The statement `call` makes."""
        method = _CAMEL.sub(lambda m: "_" + m[0].lower(), call.builder)
        statement: Statement = getattr(self, f"_{method}")(*call.args)
        return statement

    def _text(self, value: Any) -> LanguageMap | None:
        return LanguageMap({self.language: value}) if isinstance(value, str) and value else None

    def _activity(self, iri: str, kind: str, title: Any = None) -> Activity:
        definition = ActivityDefinition(
            type=self.profile.activity_type(kind), name=self._text(title)
        )
        return Activity(id=iri, definition=definition)

    def _course_activity(self) -> Activity:
        follow_up = self.course.get("followUp")
        if follow_up:
            return self._activity(self.course["id"], "course", follow_up["courseTitle"])
        return self._activity(self.course["id"], "course", self.course.get("title"))

    def _follow_up(self) -> list[Activity]:
        """The follow-up unit's activity, in a follow-up package (see statements.js)."""
        follow_up = self.course.get("followUp")
        if not follow_up:
            return []
        return [self._activity(follow_up["id"], "follow-up", self.course.get("title"))]

    def _unit_activity(self) -> Activity:
        """What the session's statements are about: the course, or the follow-up unit."""
        return (self._follow_up() or [self._course_activity()])[0]

    def _unit_context(self) -> Context:
        return self._context(grouping=[self._course_activity()] if self._follow_up() else None)

    def _modules(self, module: str) -> list[Activity]:
        return [self._activity(activity_iri(self.course["id"], module), "module")] if module else []

    def _assessment(self, a: Mapping[str, Any]) -> Activity:
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
        parent: list[Activity] | None = None,
        grouping: list[Activity] | None = None,
        kind: str | None = None,
    ) -> Context:
        category = Activity(
            id=self.profile.version,
            definition=ActivityDefinition(type=self.profile.activity_type("profile")),
        )
        extensions = {
            self.profile.extension("course-version"): str(self.course.get("version") or "")
        }
        if kind:
            extensions[self.profile.extension("assessment-kind")] = kind
        return Context(
            registration=self.registration,
            context_activities=ContextActivities(
                category=[category], parent=parent or None, grouping=grouping or None
            ),
            language=self.language,
            platform="coursepack",
            extensions=Extensions(extensions),
        )

    def _statement(self, verb: str, obj: Activity, ctx: Context, result: Any = None) -> Statement:
        return Statement(
            actor=self.actor,
            verb=Verb(id=self.profile.verb(verb), display=LanguageMap({"en-US": verb})),
            object=obj,
            context=ctx,
            result=result,
        )

    def _under_module(self, a: Mapping[str, Any], kind: str | None = None) -> Context:
        grouping = [*self._follow_up(), self._course_activity()]
        return self._context(self._modules(a.get("module", "")), grouping, kind)

    def _initialized(self) -> Statement:
        return self._statement("initialized", self._unit_activity(), self._unit_context())

    def _resumed(self) -> Statement:
        return self._statement("resumed", self._unit_activity(), self._unit_context())

    def _experienced(self, page: Mapping[str, Any]) -> Statement:
        iri = activity_iri(self.course["id"], page["key"])
        obj = self._activity(iri, "lesson", page.get("title"))
        return self._statement("experienced", obj, self._under_module(page))

    def _answered(self, answer: Mapping[str, Any]) -> Statement:
        interaction, a = answer["interaction"], answer["assessment"]
        obj = Activity(id=interaction["iri"], definition=self._interaction(interaction))
        result = Result(response=answer["response"], duration=_ms(answer.get("durationMs")))
        if isinstance(answer.get("correct"), bool):
            result.success = answer["correct"]
        grouping = [
            *self._modules(a.get("module", "")),
            *self._follow_up(),
            self._course_activity(),
        ]
        ctx = self._context([self._assessment(a)], grouping, a["kind"])
        return self._statement("answered", obj, ctx, result)

    def _interaction(self, i: Mapping[str, Any]) -> ActivityDefinition:
        kind = i.get("type")
        if kind not in INTERACTION_TYPES:
            raise ValueError(f"interactionType {kind!r} is not an xAPI interaction type")
        short = i.get("description2004")
        definition = ActivityDefinition(
            type=self.profile.activity_type("cmi.interaction"),
            interaction_type=kind,
            name=self._text(i.get("description") if short is None else short),
            description=self._text(i.get("description")),
        )
        patterns = (i.get("correct") or {}).get("xapi") or []
        if patterns:
            definition.correct_responses_pattern = list(patterns)
        for name in COMPONENTS.get(kind, ()):
            items = [
                InteractionComponent(id=c["id"], description=self._text(c.get("text")))
                for c in i.get(name) or []
            ]
            setattr(definition, name, items)
        return definition

    def _assessed(
        self,
        verb: str,
        a: Mapping[str, Any],
        s: Mapping[str, Any],
        options: Mapping[str, Any],
        success: bool | None = None,
    ) -> Statement:
        scaled = s.get("scaled")
        score = Score(
            scaled=None if scaled is None else max(-1, min(1, scaled)),
            raw=s.get("raw"),
            min=s.get("min"),
            max=s.get("max"),
        )
        result = Result(score=score, duration=_ms(options.get("durationMs")), success=success)
        if verb == "completed":
            result.completion = True
        return self._statement(verb, self._assessment(a), self._under_module(a, a["kind"]), result)

    def _passed(
        self, a: Mapping[str, Any], s: Mapping[str, Any], o: Mapping[str, Any]
    ) -> Statement:
        return self._assessed("passed", a, s, o, True)

    def _failed(
        self, a: Mapping[str, Any], s: Mapping[str, Any], o: Mapping[str, Any]
    ) -> Statement:
        return self._assessed("failed", a, s, o, False)

    def _completed_assessment(
        self, a: Mapping[str, Any], s: Mapping[str, Any], o: Mapping[str, Any]
    ) -> Statement:
        return self._assessed("completed", a, s, o)

    def _completed_module(self, m: Mapping[str, Any]) -> Statement:
        obj = self._activity(activity_iri(self.course["id"], m["id"]), "module", m.get("title"))
        ctx = self._context([self._course_activity()])
        return self._statement("completed", obj, ctx, Result(completion=True))

    def _completed_course(self, o: Mapping[str, Any]) -> Statement:
        result = Result(completion=True, duration=_ms(o.get("durationMs")))
        return self._statement("completed", self._unit_activity(), self._unit_context(), result)

    def _progressed(self, fraction: float) -> Statement:
        percent = int(max(0.0, min(1.0, fraction)) * 100 + 0.5)
        result = Result(extensions=Extensions({self.profile.extension("progress"): percent}))
        return self._statement("progressed", self._unit_activity(), self._unit_context(), result)

    def _suspended(self, o: Mapping[str, Any]) -> Statement:
        result = Result(duration=_ms(o.get("durationMs")))
        return self._statement("suspended", self._unit_activity(), self._unit_context(), result)

    def _terminated(self, o: Mapping[str, Any]) -> Statement:
        result = Result(duration=_ms(o.get("durationMs")))
        return self._statement("terminated", self._unit_activity(), self._unit_context(), result)


def _ms(value: Any) -> timedelta | None:
    return timedelta(milliseconds=value) if isinstance(value, int | float) else None
