"""The scalar checks of `builder.typed`: a `Rule`'s constraints on text and numbers, literals,
and `Bad`, what every validator returns for invalid input (pydantic 2's error records).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from builder.errors import ErrorDetails, error_details

#: A compiled check: the valid value (as it is kept), or `Bad`.
Validator = Callable[[Any], Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """Constraints of a value, checked in this order: length, pattern, bounds, then `check`."""

    pattern: str | None = None
    #: Characters of text, items of a tuple.
    min_length: int | None = None
    max_length: int | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    #: Numbers: refuse infinity and NaN.
    finite: bool = False
    #: A check of the otherwise valid value; a `ValueError` it raises is a `value_error`.
    check: Callable[[Any], None] | None = None


class Bad:
    """What a validator returns for invalid input: its errors, located below the value."""

    __slots__ = ("errors",)

    def __init__(self, errors: list[ErrorDetails]) -> None:
        self.errors = errors


def one(kind: str, found: Any, ctx: dict[str, Any] | None = None) -> Bad:
    return Bad([error_details(kind, found, ctx)])


def under(part: str | int, bad: Bad) -> list[ErrorDetails]:
    for e in bad.errors:
        e["loc"] = (part, *e["loc"])
    return bad.errors


def checked(rule: Rule, value: Any) -> Any:
    if rule.check is not None:
        try:
            rule.check(value)
        except ValueError as exc:
            return one("value_error", value, {"error": exc})
    return value


def text_validator(rule: Rule) -> Validator:
    lo, hi = rule.min_length, rule.max_length
    pattern = rule.pattern
    # `$` ends the text (as in pydantic's regex engine), not a last line before a newline.
    rx = re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern)) if pattern is not None else None

    def text(value: Any) -> Any:
        if type(value) is not str:
            return one("string_type", value)
        if lo is not None and len(value) < lo:
            return one("string_too_short", value, {"min_length": lo})
        if hi is not None and len(value) > hi:
            return one("string_too_long", value, {"max_length": hi})
        if rx is not None and not rx.search(value):
            return one("string_pattern_mismatch", value, {"pattern": pattern})
        return checked(rule, value)

    return text


#: Each bound's test and error type, in the order pydantic checks them.
BOUNDS = (
    ("le", operator.le, "less_than_equal"),
    ("lt", operator.lt, "less_than"),
    ("ge", operator.ge, "greater_than_equal"),
    ("gt", operator.gt, "greater_than"),
)


def bounds_of(rule: Rule, kind: type) -> Callable[[Any], Bad | None]:
    limits = [
        (name, kind(getattr(rule, name)), test, error)
        for name, test, error in BOUNDS
        if getattr(rule, name) is not None
    ]

    def bounds(value: Any) -> Bad | None:
        for name, limit, test, error in limits:
            if not test(value, limit):
                return one(error, value, {name: limit})
        return None

    return bounds


def bounded(inner: Validator, bounds: Callable[[Any], Bad | None]) -> Validator:
    def bounded(value: Any) -> Any:
        out = inner(value)
        return out if type(out) is Bad else bounds(out) or out

    return bounded


def number_validator(kind: type, rule: Rule) -> Validator:
    bounds, finite = bounds_of(rule, kind), rule.finite
    plain = rule == Rule()

    def number(found: Any) -> Any:
        value = found
        if kind is float and type(found) in (int, float):
            if type(found) is int:
                value = float(found) if abs(found) < 1e308 else math.copysign(math.inf, found)
            if finite and not math.isfinite(value):
                return one("finite_number", found)
        elif type(found) is not int or kind is not int:
            return one("int_type" if kind is int else "float_type", found)
        if plain:
            return value
        bad = bounds(value)
        if bad is not None:
            bad.errors[0]["input"] = found  # errors show the value as written
            return bad
        return checked(rule, value)

    return number


def literal_validator(allowed: tuple[Any, ...]) -> Validator:
    words = [repr(a) for a in allowed]
    ctx = {"expected": words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]}

    def literal(value: Any) -> Any:
        for a in allowed:
            if value == a and type(value) is type(a):
                return a
        return one("literal_error", value, ctx)

    return literal
