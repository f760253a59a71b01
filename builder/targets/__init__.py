"""Package targets: one module per standard, each holding only that standard's rules.

The XML shape of each manifest lives in `templates/manifests/<name>/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import jinja2

from builder.files import OutputFile
from builder.model import Course


class Target(Protocol):
    """What the build needs from a target."""

    #: The `--target` value, the dist suffix and the manifest template folder.
    name: str
    #: Which runtime adapter the package loads: "web", "scorm12", "scorm2004" or "xapi".
    standard: str

    def manifest(
        self, course: Course, files: Sequence[OutputFile], env: jinja2.Environment
    ) -> list[OutputFile]:
        """Return the manifest file(s) describing `files` (empty for plain web)."""
        ...


def _registry() -> dict[str, Target]:
    from builder.targets.scorm12 import Scorm12
    from builder.targets.scorm2004 import Scorm2004
    from builder.targets.web import Web
    from builder.targets.xapi import XApi

    targets: tuple[Target, ...] = (
        Web(),
        Scorm12(),
        Scorm2004(edition=3),
        Scorm2004(edition=4),
        XApi(),
    )
    return {t.name: t for t in targets}


TARGETS: dict[str, Target] = _registry()
