"""The course model: frozen, validated objects that every later stage reads.

`*Spec` classes mirror the authored YAML one to one (frozen dataclasses that `builder.typed`
validates: unknown keys are errors, types are strict), so validation errors carry the key path
that `builder.loader` turns into `file:line: field`.
`Course`, `Module`, `Page` and `Asset` are the assembled result of `builder.loader.parse_course`.
The question models are in `builder.questions`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from builder.bench_cards import BenchCards
from builder.contrast import AA_TEXT, WHITE, darker, ratio, text_on
from builder.markdown import Parsed
from builder.questions import Question
from builder.spec import HEX, IMAGE_FILE, IRI, LANG, SEMVER, Minutes, Slug, Text
from builder.typed import Rule

__all__ = [
    "Assessment",
    "AssessmentKind",
    "AssessmentSpec",
    "Asset",
    "BrandSpec",
    "CompletionRule",
    "Course",
    "CourseSpec",
    "FollowUp",
    "FollowUpSpec",
    "GlossaryEntry",
    "LmsInteractions",
    "Module",
    "ModuleSpec",
    "ObjectiveSpec",
    "Page",
    "PageMeta",
    "Question",
]

CompletionRule = Literal["all-pages", "post-test", "all-pages-and-post-test"]
#: Which assessments a SCORM package records as cmi.interactions (builder/commit.py).
LmsInteractions = Literal["all", "assessed", "post-test", "none"]


def _readable_on_white(value: str) -> None:
    found = ratio(value, WHITE)
    if found < AA_TEXT:
        raise ValueError(
            f"contrast of {value} with white is {found:.2f}:1, expected at least "
            f"{AA_TEXT}:1 (WCAG 2.1 AA); choose a darker colour"
        )


def _readable_header(value: str) -> None:
    found = ratio(value, text_on(value))
    if found < AA_TEXT:
        raise ValueError(
            f"contrast of {value} with its text is {found:.2f}:1 at best, expected at least "
            f"{AA_TEXT}:1 (WCAG 2.1 AA); choose a darker or a lighter colour"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BrandSpec:
    """`brand` in course.yaml: a logo and two colours, each readable by WCAG 2.1 AA (4.5:1)."""

    #: A file in the course folder, shown in the header beside the title.
    logo: Annotated[str, Rule(pattern=IMAGE_FILE, max_length=200)] | None = None
    #: Links, buttons and the progress bar: white text on it, and it as text on white.
    colour: Annotated[str, Rule(pattern=HEX, check=_readable_on_white)] | None = None
    #: The header's background; its text is white or the ink, whichever reads better.
    header: Annotated[str, Rule(pattern=HEX, check=_readable_header)] | None = None

    @property
    def style(self) -> str:
        """The CSS custom properties these choices set (coursepack.css reads them)."""
        rules = []
        if self.colour:
            rules += [f"--cp-accent:{self.colour}", f"--cp-accent-dark:{darker(self.colour)}"]
            rules.append(f"--cp-focus:{self.colour}")
        if self.header:
            rules += [f"--cp-header:{self.header}", f"--cp-header-ink:{text_on(self.header)}"]
        return ":root{" + ";".join(rules) + "}" if rules else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseSpec:
    """`modules/course.yaml`."""

    id: Annotated[str, Rule(pattern=IRI, max_length=2000)]
    slug: Slug | None = None
    title: Annotated[str, Rule(min_length=1, max_length=200)]  # SCORM 1.2 caps titles at 200
    description: Text
    version: Annotated[str, Rule(pattern=SEMVER, max_length=64)]  # part of file names
    language: Annotated[str, Rule(pattern=LANG)]
    publisher: Text
    audience: Annotated[tuple[Text, ...], Rule(min_length=1)]
    keywords: Annotated[tuple[Text, ...], Rule(min_length=1)]
    duration_minutes: Minutes
    credit_hours: Annotated[float, Rule(ge=0, le=1000, finite=True)] | None = None
    mastery_score: Annotated[float, Rule(ge=0, le=100, finite=True)]
    completion: CompletionRule
    #: Which assessments become LMS interactions: every kind, pre- and post-tests, post-tests.
    lms_interactions: LmsInteractions = "all"
    #: How many attempts of each post-test are recorded as LMS interactions (later attempts
    #: still count for the score and go to xAPI); bounds what the LMS receives at Terminate.
    lms_interaction_attempts: Annotated[int, Rule(ge=1, le=20)] = 1
    #: Optional branding: a logo and two colours (docs/authoring.md).
    brand: BrandSpec | None = None

    @property
    def file_slug(self) -> str:
        """The slug used in package file names."""
        if self.slug:
            return self.slug
        tail = self.id.rstrip("/").rsplit("/", 1)[-1].lower()
        return re.sub(r"[^a-z0-9]+", "-", tail).strip("-") or "course"


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectiveSpec:
    """One learning objective of a module."""

    id: Slug
    text: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class ModuleSpec:
    """`modules/NN-slug/module.yaml`."""

    id: Slug
    title: Annotated[str, Rule(min_length=1, max_length=200)]
    minutes: Minutes
    objectives: Annotated[tuple[ObjectiveSpec, ...], Rule(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageMeta:
    """The front matter of a page."""

    title: Text
    id: Slug | None = None
    checks: tuple[Slug, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentSpec:
    """`assessments/pre-test.yaml`, `assessments/post-test.yaml` or `survey.yaml`."""

    title: Text | None = None
    draw: Annotated[int, Rule(gt=0, le=10_000)] | None = None
    shuffle: bool = False
    #: Post-tests: how many attempts a learner has (0 = unlimited); each retake draws anew.
    attempts: Annotated[int, Rule(ge=0, le=1295)] = 0
    questions: Annotated[tuple[Question, ...], Rule(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpSpec:
    """`modules/follow-up.yaml`: the unit a learner takes some months after the course.

    A delayed retention test, each question parallel to a post-test question of the course
    (`parallel: <module id>/<question id>`), and a self-report of changed practice.
    """

    title: Annotated[str, Rule(min_length=1, max_length=80)]
    #: When an LMS should schedule it, in months after the course (docs/authoring.md).
    after_months: Annotated[int, Rule(ge=1, le=60)] = 3
    retention_test: AssessmentSpec
    practice_survey: AssessmentSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryEntry:
    """One term of `glossary.yaml`."""

    term: Text
    definition: Text
    source: str | None = None


AssessmentKind = Literal[
    "pre-test", "check", "post-test", "survey", "retention-test", "practice-survey"
]
#: The unit id, package name part and IRI segment of the follow-up (`<course IRI>/follow-up`).
FOLLOW_UP = "follow-up"


@dataclass(frozen=True, slots=True)
class Asset:
    """A file copied into the package as-is."""

    arcname: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Page:
    """A content page: its Markdown body, and its parse once the loader has checked the links.

    `checks` are ids of questions of the module's `checks.yaml`, shown at the end of the page.
    The render stage turns the body into HTML (`builder.markdown.body_html`).
    """

    id: str
    title: str
    body: str
    source: str
    checks: tuple[str, ...] = ()
    #: The checked parse (links resolved); None for a page made in code, parsed when rendered.
    parsed: Parsed | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Assessment:
    """A pre-test, post-test or survey, with its questions in authored order."""

    kind: AssessmentKind
    #: The authored title; None when the YAML has none (the pages then name it by its kind,
    #: in the course's language: `page.title.<kind>` of builder/catalogue.py).
    title: str | None
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
class FollowUp:
    """The follow-up unit: its spec and its two assessments (kinds retention-test and
    practice-survey), built as a package of its own (`Course.follow_up_unit`)."""

    spec: FollowUpSpec
    retention_test: Assessment
    practice_survey: Assessment
    source: str
    #: The course's own title (set in the follow-up unit, whose spec title names both).
    course_title: str = ""


@dataclass(frozen=True, slots=True)
class Course:
    """The whole course, validated and ready to render."""

    spec: CourseSpec
    modules: tuple[Module, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    survey: Assessment | None = None
    #: The module id when this is one module of a `--split modules` build, else None.
    unit: str | None = None
    follow_up: FollowUp | None = None
    #: `bench-cards.yaml`: the one-page cards per role every package carries.
    bench_cards: BenchCards | None = None
    #: The logo `brand.logo` names, shipped as `assets/<file name>`.
    logo: Asset | None = None
    #: The module ids of the whole course in order, kept when it is cut down to one module
    #: (`only`), so module 5 stays "Module 5"; empty: the order of `modules`.
    numbering: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The course IRI."""
        return self.spec.id

    def number(self, module_id: str) -> int:
        """The module's number in the whole course, from 1."""
        return (self.numbering or tuple(m.id for m in self.modules)).index(module_id) + 1

    def only(self, module_id: str) -> Course:
        """The same course cut down to one module (for `--split modules`)."""
        modules = tuple(m for m in self.modules if m.id == module_id)
        return Course(
            self.spec,
            modules,
            self.glossary,
            None,
            module_id,
            bench_cards=self.bench_cards,
            logo=self.logo,
            numbering=self.numbering or tuple(m.id for m in self.modules),
        )

    @property
    def is_follow_up(self) -> bool:
        """Whether this is the follow-up unit (`follow_up_unit`), not the course."""
        return self.unit == FOLLOW_UP and self.follow_up is not None

    def follow_up_unit(self) -> Course | None:
        """The follow-up as a course of its own (its own package), or None without one.

        It keeps the course IRI and version, so its statements join the course's; its title
        names both.
        """
        if self.follow_up is None:
            return None
        title = f"{self.follow_up.spec.title}: {self.spec.title}"[:200]
        spec = dataclasses.replace(self.spec, title=title)
        follow_up = dataclasses.replace(self.follow_up, course_title=self.spec.title)
        return Course(spec, (), (), None, FOLLOW_UP, follow_up, self.bench_cards, self.logo)
