"""SCORM 1.2: one SCO, `imsmanifest.xml` at the package root (IMS CP 1.1.2 + ADL CP 1.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import jinja2

from builder import commit
from builder.files import OutputFile
from builder.ids import manifest_ids
from builder.model import Course
from builder.targets import ADAPTERS, Limits
from builder.templates import render
from builder.units import Unit, UnitsMode

#: Length limits of imscp_rootv1p1p2.xsd (titleType, attr.version); SCORM 2004 dropped them.
MAX_VERSION = 20
#: cmi.suspend_data is CMIString4096 (RTE 3.4.2.1.9); student_response CMIString255.
SUSPEND_DATA = 4096
TEXT = 255
#: How 1.2 writes a response: `,` lists, `.` pairs, at most 255 characters (RTE 3.4.2.7).
RESPONSES = commit.ResponseFormat(sep=",", pair=".", cap=TEXT, text=TEXT, false="f")


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


def _interaction(question: Mapping[str, Any]) -> dict[str, Any]:
    """One `cmi.interactions.n` entry at its longest, keyed as scorm-again renders it."""
    i = question["interaction"]
    patterns = i["correct"]["scorm12"]
    return {
        "id": i["scormId"], "time": commit.TIME_12,
        "type": i.get("scorm12Type") or i["type"],
        "weighting": commit.WEIGHTING,
        "student_response": commit.longest_response(question, RESPONSES), "result": "correct",
        "latency": commit.TIMESPAN_12,
        "objectives": {"0": {"id": i["objective"]["scormId"]}} if i.get("objective") else {},
        "correct_responses": {str(n): {"pattern": p} for n, p in enumerate(patterns)},
    }  # fmt: skip


def _objective(objective: Mapping[str, Any]) -> dict[str, Any]:
    """One `cmi.objectives.n` entry at its longest."""
    return {"id": objective["scormId"], "status": "incomplete",
            "score": {"raw": commit.RAW, "min": "0", "max": "100"}}  # fmt: skip


class Scorm12:
    """SCORM 1.2 manifest: lowercase `adlcp:scormtype`, schemaversion exactly "1.2"."""

    name = "scorm12"
    standard = "scorm12"
    title = "SCORM 1.2"
    limits = Limits(suspend_data=SUSPEND_DATA, commit=commit.BEACON_BUDGET)
    pattern_format: str | None = "scorm12"
    statements = False
    #: SCORM 1.2 has no sequencing: several SCOs could be taken in any order and the LMS could
    #: not roll them up into one course result (use --split modules or a SCORM 2004 target).
    units: tuple[UnitsMode, ...] = ("course",)
    adapter = ADAPTERS / "scorm12.js"

    def commit_tree(self, course_data: Mapping[str, Any]) -> dict[str, Any]:
        """The whole CMI tree scorm-again commits, every value at its longest."""
        lms = commit.blank(commit.LMS_VALUE)
        cmi = {
            "suspend_data": commit.suspend_data(course_data), "launch_data": lms,
            "comments": "", "comments_from_lms": "",
            "core": {
                "student_id": lms, "student_name": lms,
                "lesson_location": commit.location(course_data)[:TEXT], "credit": "no-credit",
                "lesson_status": "incomplete", "entry": "ab-initio", "lesson_mode": "normal",
                "exit": "suspend", "session_time": commit.TIMESPAN_12,
                "score": {"raw": commit.RAW, "min": "0", "max": "100"},
                "total_time": commit.TIMESPAN_12,
            },
            "objectives": commit.indexed(commit.objectives(course_data, _objective)),
            "student_data": {"mastery_score": "100", "max_time_allowed": lms,
                             "time_limit_action": "continue,no message"},
            "student_preference": {"audio": "100", "language": lms, "speed": "100", "text": "1"},
            "interactions": commit.indexed(commit.recorded_interactions(course_data, _interaction)),
        }  # fmt: skip
        return {"cmi": cmi}

    def manifest(
        self,
        course: Course,
        units: Sequence[Unit],
        files: Sequence[OutputFile],
        env: jinja2.Environment,
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
            launch=units[0].launch,
            # <file href> is an xsd:anyURI (imscp attr.href), so names are percent-encoded.
            files=[quote(name) for name in sorted(f.arcname for f in files)],
            mastery_score=mastery_score(course),
            learning_time=learning_time(course.spec.duration_minutes),
        )
        return [OutputFile("imsmanifest.xml", text.encode("utf-8"))]
