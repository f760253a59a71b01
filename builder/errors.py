"""All exceptions raised by coursepack live here.

The core raises them; `builder.cli` is the one place that turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict


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


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless it is one: `1 problem`, `3 problems`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
        lines.append(counted(count, "problem"))
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
        super().__init__("\n".join([*self.lines, counted(count, "problem")]))


class StrictError(BuilderError):
    """Raised by a build with `--strict` that warned: the warnings are the problems."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"--strict: the build warned {counted(count, 'time')} (above), so "
            "nothing was written; fix what the warnings say, or build without --strict"
        )


class UsageError(BuilderError):
    """Raised when options given on the command line do not fit together."""

    exit_code = 2


class ReportError(BuilderError):
    """Raised when `coursepack report` cannot read its statements or options."""


# Data that does not fit a model (`builder.typed`): records shaped as pydantic 2 shapes them, so
# that `builder.messages` words them as `expected …, found …`.


class ErrorDetails(TypedDict):
    """One problem: its kind, where it is (keys and indexes), its wording, the value found."""

    type: str
    loc: tuple[str | int, ...]
    msg: str
    input: Any
    ctx: NotRequired[dict[str, Any]]


_MESSAGES = {
    "missing": "Field required",
    "extra_forbidden": "Extra inputs are not permitted",
    "invalid_key": "Keys should be strings",
    "model_type": "Input should be a valid dictionary or instance of {class_name}",
    "model_attributes_type": "Input should be a valid dictionary or object to extract fields from",
    "dict_type": "Input should be a valid dictionary",
    "tuple_type": "Input should be a valid tuple",
    "string_type": "Input should be a valid string",
    "int_type": "Input should be a valid integer",
    "float_type": "Input should be a valid number",
    "bool_type": "Input should be a valid boolean",
    "finite_number": "Input should be a finite number",
    "string_too_short": "String should have at least {min_length} character{s}",
    "string_too_long": "String should have at most {max_length} character{s}",
    "string_pattern_mismatch": "String should match pattern '{pattern}'",
    "greater_than": "Input should be greater than {gt}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than": "Input should be less than {lt}",
    "less_than_equal": "Input should be less than or equal to {le}",
    "too_short": "{field_type} should have at least {min_length} item{s} after validation, "
    "not {actual_length}",
    "too_long": "{field_type} should have at most {max_length} item{s} after validation, "
    "not {actual_length}",
    "literal_error": "Input should be {expected}",
    "union_tag_invalid": "Input tag '{tag}' found using {discriminator} does not match any of "
    "the expected tags: {expected_tags}",
    "union_tag_not_found": "Unable to extract tag using discriminator {discriminator}",
    "value_error": "Value error, {error}",
}


def error_details(
    kind: str, found: Any, ctx: dict[str, Any] | None = None, loc: tuple[str | int, ...] = ()
) -> ErrorDetails:
    """The record of one problem, worded as pydantic words it."""
    words = dict(ctx or {})
    limit = words.get("min_length", words.get("max_length"))
    words["s"] = "" if limit == 1 else "s"
    for key in ("gt", "ge", "lt", "le"):
        if isinstance(words.get(key), float) and words[key].is_integer():
            words[key] = int(words[key])
    err = ErrorDetails(type=kind, loc=loc, msg=_MESSAGES[kind].format(**words), input=found)
    if ctx is not None:
        err["ctx"] = ctx
    return err


class ValidationError(ValueError):
    """Data that does not fit its type; `errors()` lists every problem."""

    def __init__(self, title: str, errors: list[ErrorDetails]) -> None:
        self.title, self._errors = title, errors
        lines = [f"{counted(len(errors), 'validation error')} for {title}"]
        for e in errors:
            shown = repr(e["input"])
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            lines.append(".".join(str(part) for part in e["loc"]))
            lines.append(f"  {e['msg']} [type={e['type']}, input_value={shown}]")
        super().__init__("\n".join(lines))

    def errors(self) -> list[ErrorDetails]:
        """Every problem, in the order of the fields."""
        return list(self._errors)
