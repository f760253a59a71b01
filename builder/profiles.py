"""LMS profiles: what one LMS needs differently, chosen with `coursepack build --lms NAME`.

The default package works in every LMS (docs/lms.md), so a profile never changes what a package
does; it holds what the build must know about one LMS: which targets it takes, and whether it can
launch more than one unit (SCO) per package. Building for an LMS a target it does not take is an
error before anything is written, naming the targets it does take. Facts per LMS are cited in
docs/lms.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.errors import UsageError


@dataclass(frozen=True, slots=True)
class LmsProfile:
    """One LMS: the targets it takes (best first) and whether it launches many SCOs."""

    name: str
    title: str
    targets: tuple[str, ...]
    many_units: bool
    #: The section of docs/lms.md about it.
    doc: str


PROFILES: dict[str, LmsProfile] = {
    p.name: p
    for p in (
        # MoodleDocs SCORM FAQ: "SCORM 2004 is not supported in Moodle".
        LmsProfile("moodle", "Moodle", ("scorm12", "web"), False, "#moodle-mod_scorm"),
        # openedx-scorm-xblock launches the first resource only (scormxblock.py).
        LmsProfile(
            "openedx",
            "Open edX (openedx-scorm-xblock)",
            ("scorm12", "scorm2004-4th", "scorm2004-3rd"),
            False,
            "#open-edx-openedx-scorm-xblock",
        ),
        # csod.dev Course Asset Connector: SCORM 1.2, 2004 3rd Edition, AICC 3.5, xAPI 1.0.3.
        LmsProfile(
            "cornerstone",
            "Cornerstone",
            ("scorm2004-3rd", "scorm12", "xapi"),
            True,
            "#cornerstone-csod",
        ),
        # help.docebo.com 360020128479: SCORM 1.2 and 2004 3rd Edition, no sequencing.
        LmsProfile("docebo", "Docebo", ("scorm12", "scorm2004-3rd"), False, "#docebo"),
        LmsProfile("canvas", "Canvas (with a SCORM integration)", ("scorm12",), False, "#canvas"),
        LmsProfile(
            "scormcloud",
            "SCORM Cloud",
            ("scorm2004-4th", "scorm2004-3rd", "scorm12", "xapi"),
            True,
            "#scorm-cloud",
        ),
    )
}


def check_profile(name: str | None, targets: tuple[str, ...], many_units: bool) -> None:
    """Raise a `UsageError` if the LMS `name` cannot take these targets or many units."""
    if name is None:
        return
    profile = PROFILES.get(name)
    if profile is None:
        raise UsageError(f"--lms: expected one of {', '.join(PROFILES)}, found {name!r}")
    refused = [t for t in targets if t not in profile.targets]
    if refused:
        raise UsageError(
            f"--lms {name}: {profile.title} does not take {', '.join(refused)}; "
            f"build -t {' -t '.join(profile.targets)} (docs/lms.md{profile.doc})"
        )
    if many_units and not profile.many_units:
        raise UsageError(
            f"--lms {name}: {profile.title} launches one SCO per package; "
            f"build with --units course (docs/lms.md{profile.doc})"
        )
