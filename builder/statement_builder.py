"""The `tincan` twin of `templates/runtime/xapi/statements.js`: the same statements, in Python.

`StatementBuilder.build(call)` makes, with `tincan` objects, the statement the runtime's
`createStatements(...)[call.builder](...call.args)` makes, for one course and an example learner.
Verbs, activity types and extension IRIs come from the shipped xAPI Profile (`load_vocabulary`).
tests/test_statements.py checks that both sides build structurally equal statements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
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

from builder.errors import TemplateError
from builder.ids import activity_iri, course_uuid
from builder.runtime import PROFILE
from builder.statement_checks import COMPONENTS, INTERACTION_TYPES

#: is only an example; a build with an LRS uses its `--actor-homepage`.
EXAMPLE_HOME_PAGE = "https://lms.example.org"
EXAMPLE_LEARNER = "learner-1"
#: Which profile template (`…/templates/<name>`) each statements.js builder follows.
TEMPLATES = {
    "initialized": "initialized",
    "resumed": "resumed",
    "experienced": "experienced-page",
    "answered": "answered-question",
    "passed": "passed-post-test",
    "failed": "failed-post-test",
    "completedAssessment": "completed-pre-test",
    "completedModule": "completed-module",
    "completedCourse": "completed-course",
    "progressed": "progressed",
    "suspended": "suspended",
    "terminated": "terminated",
}
_EXTENSION_RULE = re.compile(r"^\$\.result\.extensions\['([^']+)'\]$")
_CAMEL = re.compile(r"[A-Z]")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The profile's IRIs: its version, each builder's verb, the activity types, extensions."""

    version: str
    verbs: Mapping[str, str]
    types: Mapping[str, str]
    course_version: str
    assessment_kind: str
    progress: str


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = PROFILE) -> Vocabulary:
    """Read the vocabulary from the xAPI Profile (JSON-LD) the packages ship."""
    try:
        profile = json.loads(path.read_text(encoding="utf-8"))
        named = {t["id"].rsplit("/", 1)[-1]: t for t in profile["templates"]}
        concepts = {c["id"].rsplit("/", 1)[-1]: c["id"] for c in profile["concepts"]}
        kind = named[TEMPLATES["progressed"]]
        progress = [m[1] for r in kind["rules"] if (m := _EXTENSION_RULE.match(r["location"]))]
        obj = {name: str(t["objectActivityType"]) for name, t in named.items()}
        return Vocabulary(
            version=_latest(profile["versions"]),
            verbs={b: str(named[t]["verb"]) for b, t in TEMPLATES.items()},
            types={
                "course": obj["initialized"],
                "module": obj["completed-module"],
                "page": obj["experienced-page"],
                "assessment": obj["passed-post-test"],
                "question": obj["answered-question"],
                "category": str(named["initialized"]["contextCategoryActivityType"][0]),
            },
            course_version=str(concepts["course-version"]),
            assessment_kind=str(concepts["assessment-kind"]),
            progress=progress[0],
        )
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise TemplateError(f"xAPI profile {path} is unusable: {exc!r}") from exc


def _latest(versions: list[dict[str, Any]]) -> str:
    """The profile version no other one revises (xAPI Profiles, "Profile Version Objects")."""
    revised = {iri for v in versions for iri in v.get("wasRevisionOf", [])}
    [latest] = [str(v["id"]) for v in versions if v["id"] not in revised]
    return latest


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a statements.js builder: `where` names the page, question or assessment."""

    where: str
    builder: str
    args: tuple[Any, ...] = ()


class StatementBuilder:
    """The tincan twin of statements.js `createStatements` for one course and example actor."""

    def __init__(self, vocab: Vocabulary, data: Mapping[str, Any]) -> None:
        self.vocab = vocab
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
        definition = ActivityDefinition(type=self.vocab.types[kind], name=self._text(title))
        return Activity(id=iri, definition=definition)

    def _course_activity(self) -> Activity:
        return self._activity(self.course["id"], "course", self.course.get("title"))

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
            id=self.vocab.version, definition=ActivityDefinition(type=self.vocab.types["category"])
        )
        extensions = {self.vocab.course_version: str(self.course.get("version") or "")}
        if kind:
            extensions[self.vocab.assessment_kind] = kind
        return Context(
            registration=self.registration,
            context_activities=ContextActivities(
                category=[category], parent=parent or None, grouping=grouping or None
            ),
            language=self.language,
            platform="coursepack",
            extensions=Extensions(extensions),
        )

    def _statement(
        self, builder: str, obj: Activity, ctx: Context, result: Any = None
    ) -> Statement:
        verb = self.vocab.verbs[builder]
        display = LanguageMap({"en-US": verb.rsplit("/", 1)[-1]})
        return Statement(
            actor=self.actor,
            verb=Verb(id=verb, display=display),
            object=obj,
            context=ctx,
            result=result,
        )

    def _under_module(self, a: Mapping[str, Any], kind: str | None = None) -> Context:
        return self._context(self._modules(a.get("module", "")), [self._course_activity()], kind)

    def _initialized(self) -> Statement:
        return self._statement("initialized", self._course_activity(), self._context())

    def _resumed(self) -> Statement:
        return self._statement("resumed", self._course_activity(), self._context())

    def _experienced(self, page: Mapping[str, Any]) -> Statement:
        iri = activity_iri(self.course["id"], page["key"])
        obj = self._activity(iri, "page", page.get("title"))
        return self._statement("experienced", obj, self._under_module(page))

    def _answered(self, answer: Mapping[str, Any]) -> Statement:
        interaction, a = answer["interaction"], answer["assessment"]
        obj = Activity(id=interaction["iri"], definition=self._interaction(interaction))
        result = Result(response=answer["response"], duration=_ms(answer.get("durationMs")))
        if isinstance(answer.get("correct"), bool):
            result.success = answer["correct"]
        grouping = [*self._modules(a.get("module", "")), self._course_activity()]
        ctx = self._context([self._assessment(a)], grouping, a["kind"])
        return self._statement("answered", obj, ctx, result)

    def _interaction(self, i: Mapping[str, Any]) -> ActivityDefinition:
        kind = i.get("type")
        if kind not in INTERACTION_TYPES:
            raise ValueError(f"interactionType {kind!r} is not an xAPI interaction type")
        short = i.get("description2004")
        definition = ActivityDefinition(
            type=self.vocab.types["question"],
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
        builder: str,
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
        if builder == "completedAssessment":
            result.completion = True
        return self._statement(
            builder, self._assessment(a), self._under_module(a, a["kind"]), result
        )

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
        return self._assessed("completedAssessment", a, s, o)

    def _completed_module(self, m: Mapping[str, Any]) -> Statement:
        obj = self._activity(activity_iri(self.course["id"], m["id"]), "module", m.get("title"))
        ctx = self._context([self._course_activity()])
        return self._statement("completedModule", obj, ctx, Result(completion=True))

    def _completed_course(self, o: Mapping[str, Any]) -> Statement:
        result = Result(completion=True, duration=_ms(o.get("durationMs")))
        return self._statement("completedCourse", self._course_activity(), self._context(), result)

    def _progressed(self, fraction: float) -> Statement:
        percent = int(max(0.0, min(1.0, fraction)) * 100 + 0.5)
        result = Result(extensions=Extensions({self.vocab.progress: percent}))
        return self._statement("progressed", self._course_activity(), self._context(), result)

    def _suspended(self, o: Mapping[str, Any]) -> Statement:
        result = Result(duration=_ms(o.get("durationMs")))
        return self._statement("suspended", self._course_activity(), self._context(), result)

    def _terminated(self, o: Mapping[str, Any]) -> Statement:
        result = Result(duration=_ms(o.get("durationMs")))
        return self._statement("terminated", self._course_activity(), self._context(), result)


def _ms(value: Any) -> timedelta | None:
    return timedelta(milliseconds=value) if isinstance(value, int | float) else None
