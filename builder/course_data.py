"""The contract between build and runtime: the course data each launch page carries.

`builder.render.course_data` assembles it once per unit and checks it against `CourseData`, a
frozen dataclass (`builder.typed`: unknown keys, wrong types and missing fields are errors, never
shipped).
Every check of the build (learner state, commit budget, statements) and the runtime read this one
shape. Its JSON Schema is `docs/course-data.schema.json`, generated from these models
(`schema_text`) and checked current by a test; the runtime's own test fixtures are validated
against it, so neither side can drift from the other. docs/runtime.md describes each field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from builder import typed
from builder.typed import Rule


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A choice, source, target or scale entry of an interaction (xAPI-style)."""

    id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StepOption:
    """One option of a scenario step in the interaction description."""

    id: str
    text: str
    next: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of a scenario in the interaction description."""

    id: str
    text: str
    options: tuple[StepOption, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectiveIds:
    """A module objective's ids: in cmi.objectives (SCORM) and in xAPI."""

    scormId: str
    iri: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostTestObjective(ObjectiveIds):
    """A post-test's module objective and its fixed place in cmi.objectives."""

    index: Annotated[int, Rule(ge=0)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Patterns:
    """Correct-response patterns, only in the formats the package's runtime reads."""

    scorm12: tuple[str, ...] | None = None
    scorm2004: tuple[str, ...] | None = None
    xapi: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Interaction:
    """How a question is reported: `builder/interactions.py::describe_question`."""

    scormId: str
    iri: str
    type: Literal[
        "choice", "true-false", "matching", "sequencing", "fill-in", "long-fill-in", "numeric",
        "likert", "performance",
    ]  # fmt: skip
    #: The SCORM 1.2 type where 1.2 has no such type (free text: "fill-in", cut to 255).
    scorm12Type: Literal["fill-in"] | None = None
    description: str
    description2004: Annotated[str, Rule(max_length=250)]
    weighting: int | float
    objective: ObjectiveIds | None
    correct: Patterns
    choices: tuple[Component, ...] | None = None
    source: tuple[Component, ...] | None = None
    target: tuple[Component, ...] | None = None
    scale: tuple[Component, ...] | None = None
    steps: tuple[Step, ...] | None = None
    best: int | float | None = None
    caseSensitive: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioOption:
    """An option of a scenario step, as the runtime scores it."""

    points: int | float
    next: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioStep:
    """A scenario step, as the runtime walks it."""

    id: str
    options: tuple[ScenarioOption, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One question: its answer key for the runtime and its interaction description."""

    id: str
    type: Literal[
        "single", "multiple", "true-false", "matching", "sequencing", "fill-in", "numeric",
        "likert", "text", "scenario",
    ]  # fmt: skip
    weight: Annotated[int | float, Rule(gt=0)]
    objective: str | None
    scored: bool
    choices: tuple[str, ...] | None = None
    correct: tuple[str, ...] | None = None
    answers: tuple[str, ...] | None = None
    caseSensitive: bool | None = None
    answer: int | float | None = None
    range: tuple[int | float, int | float] | None = None
    steps: tuple[ScenarioStep, ...] | None = None
    best: int | float | None = None
    maxLength: Annotated[int, Rule(ge=1)] | None = None
    interaction: Interaction


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentData:
    """A pre-test, post-test, knowledge check or the survey."""

    kind: Literal["pre-test", "check", "post-test", "survey", "retention-test", "practice-survey"]
    module: str
    draw: Annotated[int, Rule(ge=1)] | None
    shuffle: bool
    attempts: Annotated[int, Rule(ge=0)]
    questions: Annotated[tuple[Question, ...], Rule(min_length=1)]
    objective: PostTestObjective | None = None
    page: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageData:
    """One entry of the reading order."""

    key: str
    module: str
    kind: Literal["page", "pre-test", "post-test", "survey", "retention-test", "practice-survey"]
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InteractionPolicy:
    """Which assessments become LMS interactions, and how many post-test attempts."""

    kinds: tuple[
        Literal["pre-test", "check", "post-test", "survey", "retention-test", "practice-survey"],
        ...,
    ]
    attempts: Annotated[int, Rule(ge=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpInfo:
    """The follow-up unit (a package of its own): its activity and the course's own title."""

    id: str
    courseTitle: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseInfo:
    """The course as the runtime needs it."""

    id: str
    #: The launch unit this page is (`builder.units.Unit.id`: a module id, `survey`, or `course`
    #: for the whole course), in a package of several units or of one (`--split modules`).
    #: `<course id>/<unit>` is its AU id in cmi5.xml, on which the cmi5 runtime keys what it
    #: keeps in the browser (docs/lms.md, Open edX cmi5 XBlock).
    unit: Annotated[str, Rule(min_length=1)]
    title: str
    version: str
    language: str
    masteryScore: Annotated[int | float, Rule(ge=0, le=100)]
    #: "all-assessments": the follow-up unit, complete when every assessment is submitted.
    completion: Literal["all-pages", "post-test", "all-pages-and-post-test", "all-assessments"]
    interactions: InteractionPolicy
    followUp: FollowUpInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LrsData:
    """Where a dual-track package sends statements; `auth` only when embedding was asked for."""

    endpoint: str
    actorHomePage: str
    auth: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitPlace:
    """This launch page's place among the units of a package of several."""

    index: Annotated[int, Rule(ge=0)]
    count: Annotated[int, Rule(ge=2)]


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseData:
    """Everything the runtime reads from `#coursepack-data` of a launch page."""

    course: CourseInfo
    standard: str
    stateLevel: Annotated[int, Rule(ge=0)]
    #: The runtime's strings in the course's language (`runtime.*` of builder/catalogue.py).
    messages: dict[str, str]
    pages: tuple[PageData, ...]
    assessments: dict[str, AssessmentData]
    lrs: LrsData | None = None
    unit: UnitPlace | None = None


def checked(data: dict[str, Any]) -> dict[str, Any]:
    """`data` through the model: the same JSON, or a `typed.ValidationError` naming the field."""
    out: dict[str, Any] = typed.to_json(CourseData, data)
    return out


def schema_text() -> str:
    """The JSON Schema of the course data, as `docs/course-data.schema.json` holds it."""
    from builder.json_schema import json_schema  # only for the docs and their test

    schema = json_schema(CourseData)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://coursepack.invalid/schemas/course-data.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
