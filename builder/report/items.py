"""What the report knows from the course sources: items, objectives, parallel pairs, pages.

Everything is derived from the loaded `Course` (with its follow-up unit, if any) with the
same functions the build uses (`builder.interactions.describe_question`, `builder.ids`), so the
activity ids are exactly those the packages send. Pure: no statement is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builder.course_warnings import unmatched_pre_tests
from builder.ids import activity_iri
from builder.interactions import describe_question
from builder.model import FOLLOW_UP, Assessment, Course
from builder.targets.cmi5 import au_id
from builder.units import UnitsMode, plan_units

#: The follow-up unit's assessment kinds (its activities are `<course IRI>/follow-up/<kind>`).
RETENTION = "retention-test"
PRACTICE = "practice-survey"
#: The practice-survey question whose top two scale points count as "changed practice".
CHANGED_PRACTICE = "changed-practice"
#: What the `completed` of a cmi5 AU of the whole course completes (`CourseIndex.aus`).
COURSE_SCOPE = "course"


@dataclass(frozen=True, slots=True)
class Item:
    """One question as the statements name it."""

    iri: str
    module: str  # "" for the course survey, "follow-up" for the follow-up unit
    kind: str  # pre-test, check, post-test, survey, retention-test, practice-survey
    id: str
    objective: str | None
    interaction: str  # the xAPI interactionType
    prompt: str
    #: choice ids (choice, sequencing) or scale ids (likert), in authored order
    options: tuple[str, ...] = ()
    #: the option texts, same order
    labels: tuple[str, ...] = ()
    #: pre-test: the id of its parallel post-test question; retention: `<module>/<post id>`
    parallel: str | None = None
    #: the ids of the right options (choice items), from the answer key
    correct: tuple[str, ...] = ()
    #: its weight in its test's score (`weight` in the sources, default 1)
    weight: float = 1.0

    @property
    def scored(self) -> bool:
        """Whether answers to the item are right or wrong."""
        return self.interaction not in ("likert", "long-fill-in") and self.kind not in (
            "survey",
            PRACTICE,
        )


@dataclass(frozen=True, slots=True)
class CourseIndex:
    """The course's items by activity IRI, its pages in order and its module ids."""

    iri: str
    title: str
    modules: tuple[str, ...]
    module_titles: dict[str, str]
    items: dict[str, Item]
    #: content page IRIs in course order, with (module id, page title)
    pages: tuple[tuple[str, str, str], ...]
    #: modules that have a post-test
    post_tests: tuple[str, ...] = ()
    #: modules whose pre-test cannot be matched to their post-test
    unmatched: tuple[str, ...] = field(default=())
    #: each module as learners meet it, "Module <number>: <title>", by module id
    module_labels: dict[str, str] = field(default_factory=dict)
    #: every cmi5 AU publisher id a package of the course can have, with what its `completed`
    #: completes: `COURSE_SCOPE`, a module id, or "" (the survey's AU: nothing)
    aus: dict[str, str] = field(default_factory=dict)

    def module_of(self, iri: str) -> str | None:
        """The module id an activity IRI below the course belongs to, if any."""
        head = iri[len(self.iri) + 1 :].split("/", 1)[0] if iri.startswith(self.iri + "/") else ""
        return head if head in self.module_titles else None


def _item(course_iri: str, module: str, a_kind: str, q: Any) -> Item:
    d = describe_question(course_iri, module, a_kind, q)
    comps = d.get("choices") or d.get("scale") or []
    return Item(
        iri=d["iri"],
        module=module,
        kind=a_kind,
        id=q.id,
        objective=q.objective,
        interaction=d["type"],
        prompt=d["description"],
        options=tuple(c["id"] for c in comps),
        labels=tuple(c["text"] for c in comps),
        parallel=q.parallel,
        correct=tuple(p for pat in d["correct"]["xapi"][:1] for p in pat.split("[,]"))
        if d["type"] == "choice"
        else (),
        weight=float(q.weight),
    )


def _assessment_items(course_iri: str, module: str, a: Assessment | None) -> list[Item]:
    if a is None:
        return []
    return [_item(course_iri, module, a.kind, q) for q in a.spec.questions]


def cmi5_aus(course: Course) -> dict[str, str]:
    """The publisher ids of the AUs of every cmi5 package of `course` (`--units course`,
    `--units module`, `--split modules`), as `builder.targets.cmi5` makes them, with the scope
    each AU's completion completes: the course, its module, or nothing (the survey's AU, whose
    moveOn is NotApplicable)."""
    modules = {m.id for m in course.modules}
    packages: list[tuple[Course, UnitsMode]] = [(course, "course"), (course, "module")]
    packages += [(course.only(m.id), "course") for m in course.modules]
    aus: dict[str, str] = {}
    for package, mode in packages:
        for unit in plan_units(package, mode):
            scope = unit.id if unit.id in modules else COURSE_SCOPE if unit.counts else ""
            aus[au_id(package, unit)] = scope
    return aus


def course_index(course: Course) -> CourseIndex:
    """The index of `course`'s items, pages and modules, and its follow-up unit's items."""
    iri = course.id.rstrip("/")
    items: list[Item] = []
    pages: list[tuple[str, str, str]] = []
    for m in course.modules:
        for a in (m.pre_test, m.checks, m.post_test):
            items += _assessment_items(iri, m.id, a)
        pages += [(activity_iri(iri, m.id, p.id), m.id, p.title) for p in m.pages]
    items += _assessment_items(iri, "", course.survey)
    if course.follow_up is not None:
        for a in (course.follow_up.retention_test, course.follow_up.practice_survey):
            items += _assessment_items(iri, FOLLOW_UP, a)
    return CourseIndex(
        iri=iri,
        title=course.spec.title,
        modules=tuple(m.id for m in course.modules),
        module_titles={m.id: m.spec.title for m in course.modules},
        items={i.iri: i for i in items},
        pages=tuple(pages),
        post_tests=tuple(m.id for m in course.modules if m.post_test is not None),
        unmatched=unmatched_pre_tests(course),
        module_labels={
            m.id: f"Module {course.number(m.id)}: {m.spec.title}" for m in course.modules
        },
        aus=cmi5_aus(course),
    )
