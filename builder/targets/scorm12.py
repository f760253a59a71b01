"""SCORM 1.2: one SCO, `imsmanifest.xml` at the package root (IMS CP 1.1.2 + ADL CP 1.2)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

import jinja2

from builder.files import OutputFile
from builder.ids import manifest_ids
from builder.model import Course
from builder.templates import render

#: The one launchable file; Moodle and Open edX launch the first resource href.
LAUNCH = "index.html"

#: Length limits of imscp_rootv1p1p2.xsd (titleType, attr.version); SCORM 2004 dropped them.
MAX_VERSION = 20


def has_scored_post_test(course: Course) -> bool:
    """Whether any module has a post-test with at least one scored question."""
    return any(
        m.post_test is not None and any(q.scored for q in m.post_test.spec.questions)
        for m in course.modules
    )


def mastery_score(course: Course) -> str | None:
    """`adlcp:masteryscore` on the 0-100 scale, or None when nothing is scored.

    Saba and eSuite mark a course without quizzes as failed when a mastery score is present
    (standards.md Part B 3.3), so it is left out unless a post-test is scored.
    """
    if not has_scored_post_test(course):
        return None
    return f"{course.spec.mastery_score:g}"


def learning_time(minutes: int) -> str:
    """Typical learning time in the SCORM 1.2 CMITimespan shape `HH:MM:SS`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


class Scorm12:
    """SCORM 1.2 manifest: lowercase `adlcp:scormtype`, schemaversion exactly "1.2"."""

    name = "scorm12"
    standard = "scorm12"

    def manifest(
        self, course: Course, files: Sequence[OutputFile], env: jinja2.Environment
    ) -> list[OutputFile]:
        """Render `imsmanifest.xml` listing every file of the package in one SCO resource."""
        version = course.spec.version
        ids = manifest_ids(course.id, course.unit)
        text = render(
            env,
            f"manifests/{self.name}/imsmanifest.xml",
            course=course.spec,
            ids=ids,
            # A longer (pre-release) version stays in the metadata only.
            manifest_version=version if len(version) <= MAX_VERSION else None,
            launch=LAUNCH,
            # <file href> is an xsd:anyURI (imscp attr.href), so names are percent-encoded.
            files=[quote(name) for name in sorted(f.arcname for f in files)],
            mastery_score=mastery_score(course),
            learning_time=learning_time(course.spec.duration_minutes),
        )
        return [OutputFile("imsmanifest.xml", text.encode("utf-8"))]
