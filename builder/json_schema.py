"""The JSON Schema (draft 2020-12) of a `builder.typed` model, as `docs/` publishes it.

Each model is a `$defs` entry (its docstring the description, its fields the properties, the
fields without a default required, no other keys allowed) and each field's `Rule` its keywords.
The layout is that of pydantic's generator, which wrote the schema before: a property is titled
after its name unless it is a model, and a default is written out.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from builder.typed import Rule, field_types

_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def json_schema(model: type) -> dict[str, Any]:
    """The schema of `model`, with every model it holds in `$defs`."""
    defs: dict[str, Any] = {}
    root = _model(model, defs)
    del defs[model.__name__]
    return {"$defs": dict(sorted(defs.items())), **root} if defs else root


def _model(model: type, defs: dict[str, Any]) -> dict[str, Any]:
    defs[model.__name__] = {}  # taken, before the fields (which may hold other models)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(model):
        tp = field_types(model)[f.name]
        prop = _schema(tp, defs)
        if not _is_model(tp):
            prop["title"] = f.name.replace("_", " ").title()
        if f.default is not dataclasses.MISSING:
            prop["default"] = f.default
        elif f.default_factory is dataclasses.MISSING:
            required.append(f.name)
        properties[f.name] = prop
    schema: dict[str, Any] = {"additionalProperties": False}
    if model.__doc__:
        schema["description"] = inspect.cleandoc(model.__doc__)
    schema["properties"] = properties
    if required:
        schema["required"] = required
    schema |= {"title": model.__name__, "type": "object"}
    defs[model.__name__] = schema
    return schema


def _is_model(tp: Any) -> bool:
    """Whether `tp` is a model or an optional one (pydantic titles neither)."""
    if get_origin(tp) in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        return len(members) == 1 and _is_model(members[0])
    return dataclasses.is_dataclass(tp)


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        rule = next((m for m in tp.__metadata__ if isinstance(m, Rule)), None)
        if rule is None:  # a tagged union: each model's `Literal` tells them apart
            return {"oneOf": [_schema(a, defs) for a in get_args(args[0])]}
        return {**_schema(args[0], defs), **_keywords(rule, args[0])}
    if tp in _SCALARS:
        return {"type": _SCALARS[tp]}
    if origin is Literal:
        kind = _SCALARS[type(args[0])]
        return (
            {"const": args[0], "type": kind}
            if len(args) == 1
            else {"enum": list(args), "type": kind}
        )
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema(a, defs) for a in args]}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"items": _schema(args[0], defs), "type": "array"}
    if origin is tuple:
        items = [_schema(a, defs) for a in args]
        return {"maxItems": len(args), "minItems": len(args), "prefixItems": items, "type": "array"}
    if origin is dict:
        return {"additionalProperties": _schema(args[1], defs), "type": "object"}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if tp.__name__ not in defs:
            _model(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no JSON Schema for {tp!r}")


def _keywords(rule: Rule, tp: Any) -> dict[str, Any]:
    """A rule's JSON Schema keywords (lengths of text or of arrays, bounds of numbers)."""
    text = tp is str
    names = {
        "pattern": "pattern",
        "min_length": "minLength" if text else "minItems",
        "max_length": "maxLength" if text else "maxItems",
        "gt": "exclusiveMinimum",
        "ge": "minimum",
        "lt": "exclusiveMaximum",
        "le": "maximum",
    }
    return {
        keyword: getattr(rule, name)
        for name, keyword in names.items()
        if getattr(rule, name) is not None
    }
