"""Validation errors (`builder.typed`) as `expected …, found …` messages with a did-you-mean."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
from typing import Any

from builder.errors import ErrorDetails, ValidationError
from builder.model import AssessmentSpec
from builder.questions import QUESTION_TYPES, QuestionBase
from builder.spec import HEX, IMAGE_FILE, IRI, LANG, SEMVER, SLUG
from builder.typed import field_types

#: How a colour is written (brand.colour, brand.header).
HEX_WORDS = "a colour as #rrggbb in quotes (e.g. '#0b57a4')"

_PATTERNS = {
    SLUG: "lowercase letters, digits and single hyphens (e.g. 'what-is-trafficking')",
    SEMVER: "a semantic version MAJOR.MINOR.PATCH (e.g. '1.0.0')",
    IRI: "an http(s) IRI (e.g. 'https://example.org/courses/my-course')",
    LANG: "a BCP 47 language tag (e.g. 'en' or 'en-US')",
    r"^[a-z0-9]$": "one lowercase letter or digit",
    HEX: HEX_WORDS,
    IMAGE_FILE: "the name of a png, svg, jpg or webp file at the top of the course folder",
}

_TYPES = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "model_type": "a mapping of keys to values",
    "dict_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}


#: How a value YAML read as a number, yes/no or date becomes text.
_QUOTE = "put it in quotes to write it as text"


def describe(value: Any) -> str:
    """How a found value reads in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, tuple | list):
        return f"a list of {len(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if isinstance(value, datetime.date):  # YAML reads 2024-01-01 unquoted as a date
        return f"the date {value.isoformat()} ({_QUOTE})"
    if isinstance(value, bytes):  # YAML's `!!binary`
        return f"binary data (a !!binary value of {len(value)} bytes)"
    return repr(value)


def _allowed_keys(model: type, loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc` (the location of an unknown key) in `model`."""
    fields = field_types(model)
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if current is AssessmentSpec and part == "questions":
            current = "questions"
            continue
        if current == "questions":
            # A question's location holds its union tag: the `type` names the model.
            current = QUESTION_TYPES.get(str(part), QuestionBase)
            fields = field_types(current)
            continue
        annotation = fields.get(str(part))
        sub = _model_in(annotation) if annotation else None
        if sub is None:
            return []
        current, fields = sub, field_types(sub)
    return list(fields)


def _model_in(annotation: Any) -> type | None:
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found:
            return found
    return None


def message(err: ErrorDetails, model: type) -> str:
    """One error as `expected …, found …`."""
    kind, ctx, found = err["type"], err.get("ctx", {}), err.get("input")
    if kind == "missing":
        return "required, found nothing"
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        allowed = _allowed_keys(model, err["loc"])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        known = f"; expected one of: {', '.join(allowed)}" if allowed and not close else ""
        return f"unknown key '{key}'{hint}{known}"
    if kind in _TYPES:
        # YAML reads `title: 2026` or `title: true` unquoted as a number or a yes/no value.
        if kind == "string_type" and isinstance(found, bool):
            return f"expected text, found {str(found).lower()} (a yes/no value: {_QUOTE})"
        hint = f" ({_QUOTE})" if kind == "string_type" and isinstance(found, int | float) else ""
        return f"expected {_TYPES[kind]}, found {describe(found)}{hint}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        wanted = _PATTERNS.get(pattern, "text matching " + pattern)
        return f"expected {wanted}, found {describe(found)}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": "more than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }
        limit = next(iter(ctx.values()))
        return f"expected a number {words[kind]} {limit:g}, found {describe(found)}"
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length", ctx.get("max_length"))
        word = "at least" if kind == "too_short" else "at most"
        unit = "item" if not isinstance(found, str) else "character"
        count = ctx.get("actual_length", len(found) if found is not None else 0)
        return f"expected {word} {limit} {unit}{'s' if limit != 1 else ''}, found {count}"
    if kind == "string_too_short":
        return "expected text, found an empty value"
    if kind == "string_too_long":
        length = len(found) if isinstance(found, str) else "more"
        return f"expected at most {ctx.get('max_length')} characters, found {length}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, found {describe(found)}"
    if kind == "union_tag_invalid":
        tag = found.get(_tag_key(err)) if isinstance(found, dict) else ctx.get("tag")
        return f"expected one of {ctx.get('expected_tags')}, found {describe(tag)}"
    if kind == "union_tag_not_found":
        return "required, found nothing"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"{err['msg'].rstrip('.')}, found {describe(found)}"


def _tag_key(err: ErrorDetails) -> str:
    """The key that chooses the model of a tagged union (`type` of a question)."""
    return str(err.get("ctx", {}).get("discriminator", "")).strip("'")


def problem_loc(err: ErrorDetails) -> tuple[str | int, ...]:
    """Where the problem of `err` is: a union's tag problem is at the tag's key itself."""
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return (*err["loc"], _tag_key(err))
    return err["loc"]


def field_path(loc: tuple[str | int, ...], data: Any) -> tuple[tuple[str | int, ...], str]:
    """The real key path of `loc` in `data` (dropping union tags) and its dotted form."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, tuple) and isinstance(part, int) and part < len(current):
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and current.get("type") == part:
            continue  # a discriminated-union tag, not a key
        else:
            current = None
        path.append(part)
    dotted = ""
    for part in path:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
    return tuple(path), dotted


def errors_of(exc: ValidationError) -> list[ErrorDetails]:
    """The errors of `exc`, without a list's length error when an item of it failed too."""
    errors = exc.errors()
    return [
        e
        for e in errors
        if not (
            e["type"] == "too_short"
            and any(
                len(o["loc"]) > len(e["loc"]) and o["loc"][: len(e["loc"])] == e["loc"]
                for o in errors
            )
        )
    ]
