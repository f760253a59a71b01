"""All exceptions raised by coursepack live here.

The core raises them; `builder.cli` is the one place that turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass


def printable(text: str) -> str:
    """`text` on one line, safe for a terminal: other characters as escapes (\\n, \\x1b, \\ud800).

    File names and zip entry names can hold newlines and terminal escapes; a message never does.
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


class BuilderError(Exception):
    """Base class of every error a user can cause; never shown with a traceback."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the sources: where it is and what is wrong."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )
        return printable(text)


class CourseError(BuilderError):
    """Raised when the course sources have problems; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field, p.message))
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''}")
        super().__init__("\n".join(lines))


class TemplateError(BuilderError):
    """Raised when a template is missing or fails to render."""


class PackageError(BuilderError):
    """Raised when a package cannot be written or read."""


class ValidationFailed(BuilderError):
    """Raised when `coursepack validate` finds errors in a package."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = [printable(line) for line in lines]
        count = len(lines)
        super().__init__("\n".join([*self.lines, f"{count} problem{'s' if count != 1 else ''}"]))


class UsageError(BuilderError):
    """Raised when options given on the command line do not fit together."""

    exit_code = 2


class ReportError(BuilderError):
    """Raised when `coursepack report` cannot read its statements or options."""
