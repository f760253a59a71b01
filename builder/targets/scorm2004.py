"""SCORM 2004 3rd and 4th Edition: one SCO with its own navigation (IMS CP 1.1.4, ADL CAM 1.3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import jinja2

from builder import commit
from builder.files import OutputFile
from builder.ids import manifest_ids, xml_id
from builder.model import Course
from builder.targets import ADAPTERS, Limits
from builder.templates import render
from builder.units import Unit, UnitsMode

#: The SCO draws its own Previous/Next, so the LMS hides its own (adlnav_v1p3.xsd hideLMSUI).
HIDE_LMS_UI = ("previous", "continue")
#: cmi.suspend_data SPM 64000 (RTE 4.2.23); fill-in learner_response and description SPM 250.
SUSPEND_DATA = 64000
TEXT = 250
#: long-fill-in learner_response: localized_string_type SPM 4000 (RTE 4.2.9.2).
LONG_TEXT = 4000
#: How 2004 writes a response: `[,]` lists and `[.]` pairs (RTE 4.2.9.2).
RESPONSES = commit.ResponseFormat(
    sep="[,]", pair="[.]", cap=None, text=TEXT, false="false", long_text=LONG_TEXT
)


def _interaction(question: Mapping[str, Any]) -> dict[str, Any]:
    """One `cmi.interactions.n` entry at its longest, keyed as scorm-again renders it."""
    i = question["interaction"]
    patterns = i["correct"]["scorm2004"]
    return {
        "id": i["scormId"], "type": i["type"],
        "objectives": {"0": {"id": i["objective"]["scormId"]}} if i.get("objective") else {},
        "timestamp": commit.TIMESTAMP_2004, "weighting": commit.WEIGHTING,
        "learner_response": commit.longest_response(question, RESPONSES), "result": "incorrect",
        "latency": commit.DURATION_2004, "description": i["description2004"],
        "correct_responses": {str(n): {"pattern": p} for n, p in enumerate(patterns)},
    }  # fmt: skip


def _objective(objective: Mapping[str, Any]) -> dict[str, Any]:
    """One `cmi.objectives.n` entry at its longest."""
    return {
        "id": objective["scormId"], "success_status": "unknown",
        "completion_status": "incomplete", "progress_measure": "", "description": "",
        "score": {"scaled": commit.SCALED, "raw": commit.RAW, "min": "0", "max": "100"},
    }  # fmt: skip


def has_scored_post_test(course: Course) -> bool:
    """Whether any module has a post-test with at least one scored question."""
    return any(
        m.post_test is not None and any(q.scored for q in m.post_test.spec.questions)
        for m in course.modules
    )


def mastery_measure(course: Course) -> str | None:
    """`imsss:minNormalizedMeasure` (-1..1, here 0..1) from the 0-100 mastery score, or None."""
    if not has_scored_post_test(course):
        return None
    text = f"{course.spec.mastery_score / 100:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def learning_time(minutes: int) -> str:
    """Typical learning time as an ISO 8601 duration (LOM DurationValue), e.g. `PT1H30M`."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


class Scorm2004:
    """SCORM 2004 manifest for one edition; camelCase `adlcp:scormType`.

    Only elements common to both editions are emitted: the 4th-Edition additions (`adlcp:data`,
    `adlseq:objectives`, completionThreshold attributes) would not validate in a 3rd-Edition LMS.
    """

    standard = "scorm2004"
    title = "SCORM 2004"
    limits = Limits(suspend_data=SUSPEND_DATA, commit=commit.BEACON_BUDGET)
    pattern_format: str | None = "scorm2004"
    statements = False
    adapter = ADAPTERS / "scorm2004.js"
    #: One SCO per module, in order, with sequencing (SN book): see `manifest`.
    units: tuple[UnitsMode, ...] = ("course", "module")

    def __init__(self, edition: int) -> None:
        if edition not in (3, 4):
            raise ValueError(f"SCORM 2004 edition: expected 3 or 4, found {edition!r}")
        self.edition = edition
        self.name = f"scorm2004-{'3rd' if edition == 3 else '4th'}"

    @property
    def schemaversion(self) -> str:
        """The exact `<schemaversion>` text of this edition, as LMSs compare it."""
        return f"2004 {'3rd' if self.edition == 3 else '4th'} Edition"

    def manifest(
        self,
        course: Course,
        units: Sequence[Unit],
        files: Sequence[OutputFile],
        env: jinja2.Environment,
    ) -> list[OutputFile]:
        """Render `imsmanifest.xml`: one SCO with every file, or one SCO per unit.

        Several units become items in course order, each SCO launching its own page and
        depending on one shared resource (runtime and assets). The organization lets the learner
        move on by flow and choose only activities already attempted (`preventActivation`,
        adlseq constrainedChoiceConsiderations), so modules are taken in order; default rollup
        makes the course complete and satisfied when every module SCO is. The survey unit does
        not count towards either (rollupObjectiveSatisfied/rollupProgressCompletion false).
        """
        ids = manifest_ids(course.id, course.unit)
        # <file href> is an xsd:anyURI (imscp attr.href), so names are percent-encoded.
        names = sorted(f.arcname for f in files)
        launches = {u.launch for u in units}
        items = [
            {
                "item": ids["item"] if len(units) == 1 else xml_id(course.id, "unit", u.id, "item"),
                "resource": (
                    ids["resource"] if len(units) == 1 else xml_id(course.id, "unit", u.id, "sco")
                ),
                "objective": (
                    ids["objective"]
                    if len(units) == 1
                    else xml_id(course.id, "unit", u.id, "objective")
                ),
                "title": u.title,
                "launch": u.launch,
                "mastery_measure": mastery_measure(u.course),
                "counts": u.counts,
                "files": [quote(u.launch)] if len(units) > 1 else [quote(n) for n in names],
            }
            for u in units
        ]
        text = render(
            env,
            "manifests/scorm2004/imsmanifest.xml",
            course=course.spec,
            ids=ids,
            schemaversion=self.schemaversion,
            items=items,
            shared=xml_id(course.id, "resource", "shared") if len(units) > 1 else None,
            shared_files=[quote(n) for n in names if n not in launches],
            learning_time=learning_time(course.spec.duration_minutes),
            hide_lms_ui=HIDE_LMS_UI,
        )
        return [OutputFile("imsmanifest.xml", text.encode("utf-8"))]

    def commit_tree(self, course_data: Mapping[str, Any]) -> dict[str, Any]:
        """The whole CMI tree scorm-again commits, every value at its longest."""
        lms = commit.blank(commit.LMS_VALUE)
        scaled = commit.SCALED
        cmi = {
            "comments_from_learner": {}, "comments_from_lms": {},
            "completion_status": "incomplete", "completion_threshold": "1", "credit": "no-credit",
            "entry": "ab-initio", "exit": "suspend",
            "interactions": commit.indexed(commit.recorded_interactions(course_data, _interaction)),
            "launch_data": lms, "learner_id": lms, "learner_name": lms,
            "learner_preference": {"audio_level": "1", "language": lms, "delivery_speed": "1",
                                   "audio_captioning": "0"},
            "location": commit.location(course_data)[:1000], "max_time_allowed": lms,
            "mode": "normal",
            "objectives": commit.indexed(commit.objectives(course_data, _objective)),
            "progress_measure": scaled, "scaled_passing_score": scaled,
            "score": {"scaled": scaled, "raw": commit.RAW, "min": "0", "max": "100"},
            "session_time": commit.DURATION_2004, "success_status": "unknown",
            "suspend_data": commit.suspend_data(course_data),
            "time_limit_action": "continue,no message", "total_time": commit.DURATION_2004,
        }  # fmt: skip
        return {"cmi": cmi}
