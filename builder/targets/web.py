"""Plain web: the course runs without an LMS and keeps its state in the browser."""

from __future__ import annotations

from collections.abc import Sequence

import jinja2

from builder.files import OutputFile
from builder.model import Course


class Web:
    """No manifest; `index.html` is the entry point."""

    name = "web"
    standard = "web"

    def manifest(
        self, course: Course, files: Sequence[OutputFile], env: jinja2.Environment
    ) -> list[OutputFile]:
        """Plain web packages carry no manifest."""
        return []
