"""The problem collector of stage 2: YAML text -> located data -> a model, every problem kept.

`ModelParser` never raises for bad input: it records a `Problem` (file, line, field, message)
and returns None, so that the loader can go on and report every problem at once.
"""

from __future__ import annotations

from typing import TypeVar

from builder.errors import Problem, ValidationError
from builder.messages import errors_of, field_path, message, problem_loc
from builder.sources import TextFile
from builder.typed import validate
from builder.yamlfile import Located, YamlError, parse_yaml

M = TypeVar("M")


class ModelParser:
    """Collects problems while turning source files into models."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, line: int | None, field: str, msg: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(path, line, field, msg))

    def yaml(self, src: TextFile, first_line: int = 1, text: str | None = None) -> Located | None:
        """The YAML of `src` (or `text`, starting at `first_line`) with its lines, or None."""
        parsed = parse_yaml(src.text if text is None else text, first_line)
        if isinstance(parsed, YamlError):
            self.problem(src.path, parsed.line, "", parsed.message)
            return None
        for key_path, line in parsed.duplicates:
            _, dotted = field_path(key_path, parsed.data)
            self.problem(src.path, line, dotted, "duplicate key, found it a second time here")
        for key_path, line, msg in parsed.problems:
            _, dotted = field_path(key_path, parsed.data)
            self.problem(src.path, line, dotted, msg)
        return None if parsed.problems else parsed

    def model(self, cls: type[M], src: TextFile, located: Located, prefix: str = "") -> M | None:
        """`located` validated as `cls`, or None and a problem per error (fields `prefix`ed)."""
        data = located.data
        if data is None and not prefix:
            self.problem(src.path, None, "", "expected content, found an empty file")
            return None
        try:
            return validate(cls, data)
        except ValidationError as exc:
            for err in errors_of(exc):
                path, dotted = field_path(problem_loc(err), data)
                field = (prefix + dotted).rstrip(".")
                self.problem(src.path, located.line_of(path), field, message(err, cls))
            return None
