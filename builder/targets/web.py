"""Plain web: the course runs without an LMS and keeps its state in the browser."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jinja2

from builder.files import OutputFile
from builder.model import Course
from builder.targets import ADAPTERS, Limits
from builder.units import Unit, UnitsMode


class Web:
    """No manifest; `index.html` is the entry point."""

    name = "web"
    standard = "web"
    title = "plain web"
    #: State stays in the browser: no LMS limit applies.
    limits = Limits()
    pattern_format: str | None = None
    statements = False
    units: tuple[UnitsMode, ...] = ("course",)
    adapter = ADAPTERS / "web.js"

    def manifest(
        self,
        course: Course,
        units: Sequence[Unit],
        files: Sequence[OutputFile],
        env: jinja2.Environment,
    ) -> list[OutputFile]:
        """Plain web packages carry no manifest."""
        return []

    def commit_tree(self, course_data: Mapping[str, Any]) -> dict[str, Any] | None:
        """No LMS receives a CMI tree from this target."""
        return None
