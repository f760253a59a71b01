"""xAPI (Tin Can) package: `tincan.xml` at the root naming one launchable activity.

The LMS launches `index.html` with the launch parameters (`endpoint`, `auth`, `actor`,
`registration`, `activity_id`; standards.md 5.5), which `runtime/lms/xapi.js` reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jinja2

from builder.files import OutputFile
from builder.ids import activity_iri
from builder.model import Course
from builder.targets import ADAPTERS, Limits
from builder.templates import render
from builder.units import Unit, UnitsMode
from builder.vocabulary import load_profile

#: Activity types from the xAPI Profile (the one vocabulary): a course, or a module of a split.
COURSE_TYPE = load_profile().activity_type("course")
MODULE_TYPE = load_profile().activity_type("module")
FOLLOW_UP_TYPE = load_profile().activity_type("follow-up")


def activity_id(course: Course) -> str:
    """The package's activity IRI: the course IRI, or the module's IRI below it for a split build.

    It never contains the version, so an LRS keeps one history across versions of the course.
    """
    return activity_iri(course.id, course.unit) if course.unit else course.id


class XApi:
    """`tincan.xml` with exactly one activity, the only one carrying `<launch>`."""

    name = "xapi"
    standard = "xapi"
    title = "xAPI"
    #: State stays in the browser (and statements go to the LRS): no LMS limit applies.
    limits = Limits()
    pattern_format: str | None = "xapi"
    statements = True
    units: tuple[UnitsMode, ...] = ("course",)
    adapter = ADAPTERS / "xapi.js"

    def manifest(
        self,
        course: Course,
        units: Sequence[Unit],
        files: Sequence[OutputFile],
        env: jinja2.Environment,
    ) -> list[OutputFile]:
        """Render `tincan.xml`; `files` are not listed (tincan.xml has no file inventory)."""
        module = course.modules[0] if course.unit and course.modules else None
        text = render(
            env,
            f"manifests/{self.name}/tincan.xml",
            course=course.spec,
            activity_id=activity_id(course),
            activity_type=(
                MODULE_TYPE if module else FOLLOW_UP_TYPE if course.is_follow_up else COURSE_TYPE
            ),
            title=f"{course.spec.title}: {module.spec.title}" if module else course.spec.title,
            launch=units[0].launch,
        )
        return [OutputFile("tincan.xml", text.encode("utf-8"))]

    def commit_tree(self, course_data: Mapping[str, Any]) -> dict[str, Any] | None:
        """No LMS receives a CMI tree from this target."""
        return None
