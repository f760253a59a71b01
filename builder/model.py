"""The course model: frozen, validated objects that every later stage reads.

`*Spec` classes mirror the authored YAML one to one (pydantic, `extra="forbid"`, strict types), so
validation errors carry the key path that `builder.loader` turns into `file:line: field`.
`Course`, `Module`, `Page` and `Asset` are the assembled result of `builder.loader.parse_course`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEMVER = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$"
IRI = r"^https?://[^\s/$.?#][^\s]*$"
LANG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"

Slug = Annotated[str, Field(pattern=SLUG, max_length=64)]
Text = Annotated[str, Field(min_length=1)]
CompletionRule = Literal["all-pages", "post-test", "all-pages-and-post-test"]


class Spec(BaseModel):
    """Base of every authored-YAML model: unknown keys and type coercion are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CourseSpec(Spec):
    """`modules/course.yaml`."""

    id: Annotated[str, Field(pattern=IRI)]
    slug: Slug | None = None
    title: Annotated[str, Field(min_length=1, max_length=200)]  # SCORM 1.2 caps titles at 200
    description: Text
    version: Annotated[str, Field(pattern=SEMVER)]
    language: Annotated[str, Field(pattern=LANG)]
    publisher: Text
    audience: tuple[Text, ...] = Field(min_length=1)
    keywords: tuple[Text, ...] = Field(min_length=1)
    duration_minutes: Annotated[int, Field(gt=0)]
    credit_hours: Annotated[float, Field(ge=0)] | None = None
    mastery_score: Annotated[float, Field(ge=0, le=100)]
    completion: CompletionRule

    @property
    def file_slug(self) -> str:
        """The slug used in package file names."""
        if self.slug:
            return self.slug
        tail = self.id.rstrip("/").rsplit("/", 1)[-1].lower()
        return re.sub(r"[^a-z0-9]+", "-", tail).strip("-") or "course"


class ObjectiveSpec(Spec):
    """One learning objective of a module."""

    id: Slug
    text: Text


class ModuleSpec(Spec):
    """`modules/NN-slug/module.yaml`."""

    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    minutes: Annotated[int, Field(gt=0)]
    objectives: tuple[ObjectiveSpec, ...] = Field(min_length=1)


class PageMeta(Spec):
    """The front matter of a page."""

    title: Text
    id: Slug | None = None
    checks: tuple[Slug, ...] = ()


class ChoiceSpec(Spec):
    """One option of a single or multiple choice question."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9]$")] | None = None
    text: Text
    correct: bool = False
    feedback: str | None = None


class QuestionBase(Spec):
    """Keys shared by every question type."""

    id: Slug
    prompt: Text
    objective: Slug | None = None
    explanation: str | None = None
    source: str | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0

    @property
    def scored(self) -> bool:
        """Whether the question counts towards a score."""
        return True


class SingleChoice(QuestionBase):
    """Exactly one correct choice."""

    type: Literal["single"]
    choices: tuple[ChoiceSpec, ...] = Field(min_length=2, max_length=36)


class MultipleChoice(QuestionBase):
    """One or more correct choices; the learner must select exactly those."""

    type: Literal["multiple"]
    choices: tuple[ChoiceSpec, ...] = Field(min_length=2, max_length=36)


class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true-false"]
    answer: bool
    feedback_true: str | None = None
    feedback_false: str | None = None


class PairSpec(Spec):
    """One source-target pair of a matching question."""

    source: Text
    target: Text


class Matching(QuestionBase):
    """Match each source to its target."""

    type: Literal["matching"]
    pairs: tuple[PairSpec, ...] = Field(min_length=2, max_length=36)


class Sequencing(QuestionBase):
    """Put the steps in the correct order (as authored)."""

    type: Literal["sequencing"]
    steps: tuple[Text, ...] = Field(min_length=2, max_length=36)


#: Characters a fill-in answer may have unless `max_length` says otherwise (learner state budget).
FILL_IN_MAX_LENGTH = 60


class FillIn(QuestionBase):
    """Type an answer; any of `answers` is accepted; at most `max_length` characters are typed."""

    type: Literal["fill-in"]
    answers: tuple[Text, ...] = Field(min_length=1)
    case_sensitive: bool = False
    max_length: Annotated[int, Field(gt=0, le=250)] = FILL_IN_MAX_LENGTH

    @model_validator(mode="after")
    def _answers_fit(self) -> FillIn:
        longest = max(len(a.encode("utf-16-le")) // 2 for a in self.answers)
        if longest > self.max_length:
            raise ValueError(
                f"expected every answer to fit in max_length {self.max_length}, "
                f"found one of {longest} characters"
            )
        return self


class Numeric(QuestionBase):
    """Type a number: exactly `answer`, or within `range`."""

    type: Literal["numeric"]
    answer: float | None = None
    range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Numeric:
        if (self.answer is None) == (self.range is None):
            raise ValueError("expected exactly one of 'answer' or 'range'")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("expected range [low, high] with low <= high")
        return self


class Likert(QuestionBase):
    """An unscored opinion scale, for reaction surveys."""

    type: Literal["likert"]
    scale: tuple[Text, ...] = Field(min_length=2, max_length=11)

    @property
    def scored(self) -> bool:
        """Likert items are never scored."""
        return False


class ScenarioOption(Spec):
    """A choice at one step of a scenario."""

    text: Text
    feedback: Text
    points: Annotated[int, Field(ge=0)] = 0
    next: Slug | None = None


class ScenarioStep(Spec):
    """One decision point of a scenario."""

    id: Slug
    text: Text
    options: tuple[ScenarioOption, ...] = Field(min_length=1, max_length=9)


class Scenario(QuestionBase):
    """A branching case: the learner chooses at each step; the path is scored."""

    type: Literal["scenario"]
    steps: tuple[ScenarioStep, ...] = Field(min_length=1)


Question = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | Matching
    | Sequencing
    | FillIn
    | Numeric
    | Likert
    | Scenario,
    Field(discriminator="type"),
]


class AssessmentSpec(Spec):
    """`assessments/pre-test.yaml`, `assessments/post-test.yaml` or `survey.yaml`."""

    title: Text | None = None
    draw: Annotated[int, Field(gt=0)] | None = None
    shuffle: bool = False
    #: Post-tests: how many attempts a learner has (0 = unlimited); each retake draws anew.
    attempts: Annotated[int, Field(ge=0, le=1295)] = 0
    questions: tuple[Question, ...] = Field(min_length=1)


class GlossaryEntry(Spec):
    """One term of `glossary.yaml`."""

    term: Text
    definition: Text
    source: str | None = None


AssessmentKind = Literal["pre-test", "check", "post-test", "survey"]


@dataclass(frozen=True, slots=True)
class Asset:
    """A file copied into the package as-is."""

    arcname: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Page:
    """A content page, its body already rendered to sanitised HTML.

    `checks` are ids of questions of the module's `checks.yaml`, shown at the end of the page.
    """

    id: str
    title: str
    html: str
    source: str
    checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assessment:
    """A pre-test, post-test or survey, with its questions in authored order."""

    kind: AssessmentKind
    title: str
    spec: AssessmentSpec
    source: str

    @property
    def id(self) -> str:
        """The assessment's id within its module (its kind)."""
        return self.kind


@dataclass(frozen=True, slots=True)
class Module:
    """One module: its spec, pages in order, optional pre-/post-test and its assets."""

    spec: ModuleSpec
    pages: tuple[Page, ...]
    pre_test: Assessment | None
    post_test: Assessment | None
    assets: tuple[Asset, ...]
    checks: Assessment | None = None

    @property
    def id(self) -> str:
        """The module's stable id."""
        return self.spec.id


@dataclass(frozen=True, slots=True)
class Course:
    """The whole course, validated and ready to render."""

    spec: CourseSpec
    modules: tuple[Module, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    survey: Assessment | None = None
    #: The module id when this is one module of a `--split modules` build, else None.
    unit: str | None = None

    @property
    def id(self) -> str:
        """The course IRI."""
        return self.spec.id

    def only(self, module_id: str) -> Course:
        """The same course cut down to one module (for `--split modules`)."""
        modules = tuple(m for m in self.modules if m.id == module_id)
        return Course(self.spec, modules, self.glossary, survey=None, unit=module_id)
