"""cmi5: `cmi5.xml` at the zip root (cmi5 §13, §14), one AU per launchable unit.

`--units module` makes one AU per module (and one for the course-end survey); `--units course`
makes the whole course one AU. Each AU launches its own page (`<module id>.html`, or
`index.html`), which `runtime/lms/cmi5.js` runs as the AU (docs/cmi5.md). Every AU states its
`moveOn` (never the schema's NotApplicable default, cmi5 §13.1.4): a unit with a scored post-test
must be completed and passed, with `masteryScore` the course's mastery score as a 0-1 decimal
(§13.1.4 masteryScore, up to 4 decimal places); a unit without one must be completed. The survey
does not count towards the course, which cmi5 says with an explicit `NotApplicable` (the LMS
treats the AU as satisfied at registration, §9.6.1), as SCORM 2004 says it with rollup off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2

from builder.files import OutputFile
from builder.ids import activity_iri
from builder.model import FOLLOW_UP, Course
from builder.targets import ADAPTERS, Limits
from builder.targets.scorm2004 import mastery_measure
from builder.templates import render
from builder.units import Unit, UnitsMode

#: cmi5 §8.1: AnyWindow lets the LMS choose the window (frame, new window or redirect); the AU
#: redirects whichever window it was given to `returnURL` at exit (§10.2.6). Stated, not left to
#: the schema default, so every LMS reads the same.
LAUNCH_METHOD = "AnyWindow"
#: The last segment of the follow-up package's AU id (the runtime's main.js keys on it too).
FOLLOW_UP_AU = "au"


@dataclass(frozen=True, slots=True)
class Objective:
    """One course objective, declared at the course level and referenced by its module's AU."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class AssignableUnit:
    """One `<au>` of cmi5.xml (cmi5 §13.1.4)."""

    id: str
    title: str
    description: str
    url: str
    move_on: str
    mastery_score: str | None
    objectives: tuple[str, ...]


def course_id(course: Course) -> str:
    """The `<course id>` of cmi5.xml (§13.1.1): the course IRI, or for the follow-up package
    (a package of its own) `<course IRI>/follow-up`, so an LMS never takes the two packages for
    one course (nor writes the course's satisfied when the follow-up is done). Its statements
    still carry the course IRI in their grouping, which `coursepack report` joins on."""
    return activity_iri(course.id, FOLLOW_UP) if course.is_follow_up else course.id


def au_id(course: Course, unit: Unit) -> str:
    """The AU's publisher id, `<course IRI>/<unit id>` (docs/xapi.md Identifiers): the module's
    IRI for a module's AU, `<course IRI>/survey`, or `<course IRI>/course` for the whole course;
    the follow-up's `<course IRI>/follow-up/au`, distinct from its course id (§13.1.4: unique)."""
    if course.is_follow_up:
        return activity_iri(course_id(course), FOLLOW_UP_AU)
    return activity_iri(course.id, unit.id)


def objectives_of(course: Course) -> tuple[Objective, ...]:
    """Every module objective as `<course IRI>/<module id>/objective/<objective id>`."""
    return tuple(
        Objective(activity_iri(course.id, m.id, "objective", o.id), o.text)
        for m in course.modules
        for o in m.spec.objectives
    )


def move_on(unit: Unit) -> tuple[str, str | None]:
    """`moveOn` and `masteryScore` of `unit` (cmi5 §13.1.4)."""
    if not unit.counts:
        return "NotApplicable", None
    mastery = mastery_measure(unit.course)
    return ("CompletedAndPassed", mastery) if mastery is not None else ("Completed", None)


def assignable_units(course: Course, units: Sequence[Unit]) -> tuple[AssignableUnit, ...]:
    """The AUs of a package of `course` cut into `units`, in course order."""
    aus = []
    for unit in units:
        move, mastery = move_on(unit)
        own = objectives_of(unit.course) if unit.counts else ()
        description = " ".join(o.text for o in own) or course.spec.description
        aus.append(
            AssignableUnit(
                id=au_id(course, unit),
                title=unit.title,
                description=description,
                url=quote(unit.launch),
                move_on=move,
                mastery_score=mastery,
                objectives=tuple(o.id for o in own),
            )
        )
    return tuple(aus)


class Cmi5:
    """`cmi5.xml`: the course, its objectives, and one AU per unit."""

    name = "cmi5"
    standard = "cmi5"
    title = "cmi5"
    #: State stays in the browser and statements go to the LMS's LRS: no LMS limit applies.
    limits = Limits()
    pattern_format: str | None = "xapi"
    statements = True
    adapter = ADAPTERS / "cmi5.js"
    #: One AU for the whole course, or one per module (cmi5 courses hold many AUs, §13.1).
    units: tuple[UnitsMode, ...] = ("course", "module")

    def manifest(
        self,
        course: Course,
        units: Sequence[Unit],
        files: Sequence[OutputFile],
        env: jinja2.Environment,
    ) -> list[OutputFile]:
        """Render `cmi5.xml`; `files` are not listed (a cmi5 package has no file inventory)."""
        text = render(
            env,
            f"manifests/{self.name}/cmi5.xml",
            course=course.spec,
            course_id=course_id(course),
            objectives=objectives_of(course),
            aus=assignable_units(course, units),
            launch_method=LAUNCH_METHOD,
        )
        return [OutputFile("cmi5.xml", text.encode("utf-8"))]

    def commit_tree(self, course_data: Mapping[str, Any]) -> dict[str, Any] | None:
        """No LMS receives a CMI tree from this target."""
        return None
