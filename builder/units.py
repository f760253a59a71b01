"""Launchable units: what an LMS launches (a SCO, an AU, an xAPI activity, a web page).

A package holds one unit or many. `--units course` (the default) makes the whole course one unit,
launched from `index.html`. `--units module` makes one unit per module, launched from
`<module id>.html`, and, when the course has a survey, a last unit for it (`survey.html`); the
target maps the units to its manifest (SCORM 2004: one SCO per unit with sequencing). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from builder.model import Course

UnitsMode = Literal["course", "module"]
#: The unit id of the course-end survey in a package of module units.
SURVEY_UNIT = "survey"


@dataclass(frozen=True, slots=True)
class Unit:
    """One launchable unit: its id, title, the part of the course it holds, its launch file."""

    id: str
    title: str
    course: Course
    launch: str
    #: Whether the unit counts towards the course's completion and success (the survey does not).
    counts: bool = True


def plan_units(course: Course, mode: UnitsMode, survey_title: str = "Survey") -> tuple[Unit, ...]:
    """The units of a package of `course` (the whole course, or one module of a split build).

    `survey_title` names the survey's unit when the survey has no title of its own (the
    catalogue's `page.title.survey` in the course's language).
    """
    if mode == "course" or len(course.modules) + (course.survey is not None) <= 1:
        return (Unit(course.unit or "course", course.spec.title, course, "index.html"),)
    units = [Unit(m.id, m.spec.title, course.only(m.id), f"{m.id}.html") for m in course.modules]
    if course.survey is not None:
        survey = Course(course.spec, (), course.glossary, course.survey, unit=SURVEY_UNIT)
        title = course.survey.title or survey_title
        units.append(Unit(SURVEY_UNIT, title, survey, f"{SURVEY_UNIT}.html", False))
    return tuple(units)
