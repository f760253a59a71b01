"""Package targets: one module per standard, each holding only that standard's rules.

A standard is one module here plus one runtime adapter (`templates/runtime/lms/<standard>.js`).
The target declares everything the build needs to know about it: its manifest, its limits
(suspend data, what the LMS receives at Terminate), the correct-response pattern format its
adapter reads, whether it sends xAPI statements, and the CMI tree its LMS commits. Nothing
outside a target and its adapter switches on a standard's name. The XML shape of each manifest
lives in `templates/manifests/<name>/`.

New targets are added with `register` (a test adds one from a temporary folder).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2

from builder.files import OutputFile
from builder.model import Course
from builder.templates import DEFAULT_TEMPLATES
from builder.units import Unit, UnitsMode

#: Where the built-in runtime adapters are: `lms/<standard>.js`.
ADAPTERS = DEFAULT_TEMPLATES / "runtime" / "lms"


@dataclass(frozen=True, slots=True)
class Limits:
    """What a standard's LMS keeps and receives; None where the standard sets no limit."""

    #: Characters of learner state (cmi.suspend_data) the LMS keeps.
    suspend_data: int | None = None
    #: Bytes of the CMI tree the LMS may receive in one commit (a beacon at Terminate).
    commit: int | None = None


class Target(Protocol):
    """What the build needs from a target."""

    #: The `--target` value, the dist suffix and the manifest template folder.
    name: str
    #: The runtime adapter the package loads: `runtime/lms/<standard>.js`.
    standard: str
    #: The standard's name in messages ("SCORM 1.2").
    title: str
    #: What the standard's LMS keeps and receives.
    limits: Limits
    #: Which correct-response format of an interaction description its adapter reads
    #: (`builder/interactions.py`: "scorm12", "scorm2004" or "xapi"); None if it reads none.
    pattern_format: str | None
    #: Whether every package of this target sends xAPI statements (ships the xAPI client).
    statements: bool
    #: The adapter file shipped as `runtime/lms/<standard>.js`.
    adapter: Path
    #: How its packages may be cut into launchable units (`builder/units.py`): "course" always,
    #: "module" where the standard can launch and order several units in one package.
    units: tuple[UnitsMode, ...]

    def manifest(
        self,
        course: Course,
        units: Sequence[Unit],
        files: Sequence[OutputFile],
        env: jinja2.Environment,
    ) -> list[OutputFile]:
        """Return the manifest file(s) describing `units` and `files` (empty for plain web)."""
        ...

    def commit_tree(self, course_data: Mapping[str, Any]) -> dict[str, Any] | None:
        """The largest CMI tree its LMS can receive in a commit (`builder/commit.py`), or None."""
        ...


def _builtins() -> tuple[Target, ...]:
    from builder.targets.cmi5 import Cmi5
    from builder.targets.scorm12 import Scorm12
    from builder.targets.scorm2004 import Scorm2004
    from builder.targets.web import Web
    from builder.targets.xapi import XApi

    return (Web(), Scorm12(), Scorm2004(edition=3), Scorm2004(edition=4), Cmi5(), XApi())


#: Every target by name, the built-in ones first.
TARGETS: dict[str, Target] = {t.name: t for t in _builtins()}
#: What `coursepack build` builds when no `--target` is given.
DEFAULT_TARGETS: tuple[str, ...] = tuple(TARGETS)


def register(target: Target) -> None:
    """Add a target (or replace one of the same name) for every later build."""
    TARGETS[target.name] = target
