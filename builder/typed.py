"""Plain data (parsed YAML or JSON) validated into frozen dataclasses, every problem kept.

A model is a `@dataclass(frozen=True, slots=True, kw_only=True)` with fields of str, int (never a
bool), float (an int is taken), bool, `X | None`, `Literal`, `tuple[X, ...]`, `tuple[X, Y]`,
`dict[str, X]`, models, `int | float`, or models told apart by a key
(`Annotated[A | B, Tagged("type")]`). Constraints are a `Rule` in `Annotated`; a field without a
default is required; unknown keys are errors. `Rule.check` checks a field's valid value, and
`__post_init__` the model once all its fields are valid: a `ValueError` is that place's error.

`validate` compiles a validator per type once and reports ALL problems (`ErrorDetails`), in field
order then unknown keys, with pydantic 2's error types, locations and contexts, which
`builder.messages` words (a union member's errors sit under its tag:
`("questions", 0, "single", "choices")`). A sequence must be a tuple (as `builder.yamlfile` makes
them) unless `lists=True`. `to_json` checks data without building objects.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from builder.errors import ErrorDetails, ValidationError, error_details
from builder.typed_scalars import (
    Bad,
    Rule,
    Validator,
    bounded,
    bounds_of,
    literal_validator,
    number_validator,
    one,
    text_validator,
    under,
)

__all__ = ["Rule", "Tagged", "field_types", "tag_of", "to_json", "validate"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Tagged:
    """Marks a union of models chosen by the value of one key (`Literal` in each model)."""

    key: str


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """A model's fields and their types (with their `Annotated` rules), in field order."""
    hints = get_type_hints(cls, include_extras=True)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def tag_of(cls: type, key: str) -> str:
    """The value of `key` that chooses `cls` in a tagged union (its `Literal`)."""
    (tag,) = get_args(field_types(cls)[key])
    return str(tag)


class _Compiler:
    """Builds the validator of a type once; `lists`: accept lists as tuples; `data`: build no
    objects, return the data as JSON holds it."""

    def __init__(self, *, lists: bool, data: bool) -> None:
        self.lists, self.data = lists, data
        self.cache: dict[Any, Validator] = {}

    def of(self, tp: Any) -> Validator:
        found = self.cache.get(tp)
        if found is None:
            found = self.cache[tp] = self._compile(tp)
        return found

    def plain(self, tp: Any) -> tuple[type, ...] | None:
        """The types a valid value of `tp` has when only its type matters and is kept as it is
        (text, whole numbers, yes/no, `int | float`, each optional): checked in line, no call."""
        args = get_args(tp)
        if get_origin(tp) in (Union, types.UnionType):
            inner = [self.plain(a) for a in args]
            return None if None in inner else sum((i for i in inner if i is not None), ())
        return (tp,) if tp in (str, int, bool, type(None)) else None

    def _compile(self, tp: Any) -> Validator:
        origin, args = get_origin(tp), get_args(tp)
        if origin is Annotated:
            meta = tp.__metadata__
            tagged = next((m for m in meta if isinstance(m, Tagged)), None)
            if tagged is not None:
                return self._tagged(args[0], tagged.key)
            return self._ruled(args[0], next(m for m in meta if isinstance(m, Rule)))
        if origin in (Union, types.UnionType):
            return self._union(args)
        return self._ruled(tp, Rule())

    def _ruled(self, tp: Any, rule: Rule) -> Validator:
        origin, args = get_origin(tp), get_args(tp)
        if tp is str:
            return text_validator(rule)
        if tp in (int, float):
            return number_validator(tp, rule)
        if tp is bool:
            return lambda value: value if type(value) is bool else one("bool_type", value)
        if origin is Literal:
            return literal_validator(args)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return self._sequence(self.of(args[0]), rule, self.plain(args[0]) or ())
        if origin is tuple:
            return self._fixed([self.of(a) for a in args])
        if origin is dict:
            return self._mapping(self.of(args[1]), self.plain(args[1]) or ())
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._model(tp)
        if origin in (Union, types.UnionType):
            return bounded(self._union(args), bounds_of(rule, float))
        raise TypeError(f"no validator for {tp!r}")

    def _union(self, args: tuple[Any, ...]) -> Validator:
        others = [a for a in args if a is not type(None)]
        if len(others) < len(args):
            inner = self.of(others[0] if len(others) == 1 else Union[tuple(others)])  # noqa: UP007
            return lambda value: None if value is None else inner(value)
        members = [(getattr(a, "__name__", str(a)), self.of(a)) for a in args]
        #: The member an exact type chooses (as pydantic's smart union first tries).
        exact = {a: v for a, (_, v) in zip(args, members, strict=True) if a in (str, int, float)}

        def union(value: Any) -> Any:
            member = exact.get(type(value))
            if member is not None:
                return member(value)
            errors: list[ErrorDetails] = []
            for name, member in members:
                out = member(value)
                if type(out) is not Bad:
                    return out
                errors += under(name, out)
            return Bad(errors)

        return union

    def _sequence(self, item: Validator, rule: Rule, plain: tuple[type, ...]) -> Validator:
        lists, data, lo, hi = self.lists, self.data, rule.min_length, rule.max_length

        def sequence(value: Any) -> Any:
            if type(value) is not tuple and not (lists and type(value) is list):
                return one("tuple_type", value)
            if plain and all(type(x) in plain for x in value) and lo is hi is None:
                return list(value) if data else tuple(value)
            out: list[Any] = []
            errors: list[ErrorDetails] = []
            for i, x in enumerate(value):
                got = item(x)
                if type(got) is Bad:
                    errors += under(i, got)
                    continue
                out.append(got)
                if hi is not None and len(out) > hi:  # pydantic stops here, other errors dropped
                    ctx = {"field_type": "Tuple", "max_length": hi, "actual_length": len(value)}
                    return one("too_long", value, ctx)
            if lo is not None and len(out) < lo:
                ctx = {"field_type": "Tuple", "min_length": lo, "actual_length": len(out)}
                errors.append(error_details("too_short", value, ctx))
            if errors:
                return Bad(errors)
            return out if data else tuple(out)

        return sequence

    def _fixed(self, items: list[Validator]) -> Validator:
        lists, data, count = self.lists, self.data, len(items)

        def fixed(value: Any) -> Any:
            if type(value) is not tuple and not (lists and type(value) is list):
                return one("tuple_type", value)
            if len(value) > count:
                ctx = {"field_type": "Tuple", "max_length": count, "actual_length": len(value)}
                return one("too_long", value, ctx)
            out: list[Any] = []
            errors: list[ErrorDetails] = []
            for i, item in enumerate(items):
                if i >= len(value):
                    errors.append(error_details("missing", value, loc=(i,)))
                    continue
                got = item(value[i])
                if type(got) is Bad:
                    errors += under(i, got)
                else:
                    out.append(got)
            if errors:
                return Bad(errors)
            return out if data else tuple(out)

        return fixed

    def _mapping(self, item: Validator, plain: tuple[type, ...]) -> Validator:
        def mapping(value: Any) -> Any:
            if type(value) is not dict:
                return one("dict_type", value)
            if plain and all(type(k) is str and type(x) in plain for k, x in value.items()):
                return dict(value)
            out: dict[str, Any] = {}
            errors: list[ErrorDetails] = []
            for key, x in value.items():
                if type(key) is not str:
                    errors.append(error_details("string_type", key, loc=(key, "[key]")))
                got = item(x)
                if type(got) is Bad:
                    errors += under(key, got)
                else:
                    out[key] = got
            return Bad(errors) if errors else out

        return mapping

    def _model(self, cls: type) -> Validator:
        fields = [
            (f.name, self.of(tp), self.plain(tp) or (), f.default is f.default_factory)
            for f in dataclasses.fields(cls)  # neither default: both are MISSING
            for tp in [field_types(cls)[f.name]]
        ]
        names = frozenset(name for name, _, _, _ in fields)
        data, ctx = self.data, {"class_name": cls.__name__}

        def model(value: Any) -> Any:
            if type(value) is not dict:
                return value if type(value) is cls and not data else one("model_type", value, ctx)
            out: dict[str, Any] = {}
            errors: list[ErrorDetails] = []
            for name, field, plain, required in fields:
                if name in value:
                    got = value[name]
                    if type(got) in plain:
                        out[name] = got
                        continue
                    got = field(got)
                    if type(got) is Bad:
                        errors += under(name, got)
                    else:
                        out[name] = got
                elif required:
                    errors.append(error_details("missing", value, loc=(name,)))
            if not names.issuperset(value):
                errors += _unknown(value, names)
            if errors:
                return Bad(errors)
            if data:
                return out
            try:
                return cls(**out)
            except ValueError as exc:
                return one("value_error", value, {"error": exc})

        return model

    def _tagged(self, union: Any, key: str) -> Validator:
        classes = get_args(union)
        members = {tag_of(cls, key): self.of(cls) for cls in classes}
        expected = ", ".join(repr(tag) for tag in members)
        discriminator = repr(key)
        data = self.data

        def tagged(value: Any) -> Any:
            if type(value) is not dict:
                if isinstance(value, classes) and not data:
                    return value
                return one("model_attributes_type", value)
            if key not in value:
                return one("union_tag_not_found", value, {"discriminator": discriminator})
            tag = value[key]
            member = members.get(tag) if type(tag) is str else None
            if member is None:
                ctx = {"discriminator": discriminator, "tag": str(tag), "expected_tags": expected}
                return one("union_tag_invalid", value, ctx)
            got = member(value)
            if type(got) is Bad:
                under(tag, got)
            return got

        return tagged


def _unknown(value: dict[Any, Any], names: frozenset[str]) -> list[ErrorDetails]:
    errors = []
    for key, x in value.items():
        if type(key) is not str:
            loc: str | int = key if type(key) is int else str(key)
            errors.append(error_details("invalid_key", key, loc=(loc,)))
        elif key not in names:
            errors.append(error_details("extra_forbidden", x, loc=(key,)))
    return errors


_OBJECTS = {lists: _Compiler(lists=lists, data=False) for lists in (False, True)}
_JSON = _Compiler(lists=True, data=True)


def validate(tp: type[T], data: object, *, lists: bool = False) -> T:
    """`data` as a `tp` (a model, or a tagged union), or `ValidationError` with every problem.

    `lists`: a list is taken where a tuple is expected (data read from JSON)."""
    out = _OBJECTS[lists].of(tp)(data)
    if type(out) is Bad:
        raise ValidationError(getattr(tp, "__name__", "value"), out.errors)
    return out  # type: ignore[no-any-return]


def to_json(tp: type, data: object) -> Any:
    """`data` checked as a `tp` without building it, as JSON holds it (only the keys it has, lists
    for tuples), or `ValidationError` with every problem."""
    out = _JSON.of(tp)(data)
    if type(out) is Bad:
        raise ValidationError(tp.__name__, out.errors)
    return out
