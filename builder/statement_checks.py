"""The xAPI-Data rules a serialised statement must follow where `tincan` does not check them.

Pure: each function takes JSON values and returns problem strings naming the property path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from builder.vocabulary import COMPONENTS, INTERACTION_TYPES

COMPONENT_LISTS = frozenset(name for names in COMPONENTS.values() for name in names)
#: Properties holding language maps (xAPI-Data §4.2.2): keys are RFC 5646 language tags.
LANGUAGE_MAPS = frozenset({"display", "name", "description"})

# RFC 5646 §2.1 langtag (grandfathered tags aside): language, script, region, variants,
# extensions, private use; or a private-use tag alone.
_LANGTAG = re.compile(
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?|x(?:-[A-Za-z0-9]{1,8})+)$"
)
# RFC 3987 absolute IRI: a scheme, then no spaces or characters IRIs exclude.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")


def is_language_tag(text: str) -> bool:
    """Whether `text` is a well-formed BCP 47 language tag."""
    return bool(_LANGTAG.match(text))


def is_absolute_iri(text: str) -> bool:
    """Whether `text` is an absolute IRI (an http(s) one with a host)."""
    if not isinstance(text, str) or not _IRI.match(text):
        return False
    scheme, _, rest = text.partition(":")
    return scheme.lower() not in {"http", "https"} or (len(rest) > 2 and rest.startswith("//"))


Entry = tuple[str, Mapping[str, Any], str, Any]


def _entries(value: Any, path: str = "", out: list[Entry] | None = None) -> list[Entry]:
    """Every (path, owning object, key, value) in a JSON value, depth first (a list filled by
    plain recursion: nested generators pass each item up through every level)."""
    out = [] if out is None else out
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, list | Mapping):
                _entries(item, f"{path}[{i}]", out)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            out.append((where, value, str(key), item))
            if isinstance(item, list | Mapping):
                _entries(item, where, out)
    return out


def _components(where: str, items: Any) -> list[str]:
    ids = [c.get("id") for c in items if isinstance(c, Mapping)] if isinstance(items, list) else []
    if len(ids) != (len(items) if isinstance(items, list) else -1):
        return [f"{where}: not a list of components"]
    problems = [f"{where}: component {i + 1} has no id" for i, c in enumerate(ids) if not c]
    repeated = sorted({str(c) for c in ids if c and ids.count(c) > 1})
    if repeated:
        problems.append(f"{where}: component ids not unique: {', '.join(repeated)}")
    return problems


def _score(where: str, score: Mapping[str, Any]) -> list[str]:
    # xAPI-Data §2.4.5.1: scaled in [-1, 1]; min < max; min <= raw <= max.
    low, high, raw, scaled = (score.get(k) for k in ("min", "max", "raw", "scaled"))
    problems = []
    if scaled is not None and not -1 <= scaled <= 1:
        problems.append(f"{where}.scaled: {scaled} is outside -1..1")
    if low is not None and high is not None and not low < high:
        problems.append(f"{where}: max {high} is not greater than min {low}")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        problems.append(f"{where}.raw: {raw} is outside min..max")
    return problems


def _holds_iri(where: str, owner: Mapping[str, Any], key: str) -> bool:
    """Whether the value at `where` must be an IRI: activity, verb and type ids, home pages."""
    if key == "id":
        return owner.get("objectType") == "Activity" or where == "verb.id"
    return key == "homePage" or (key == "type" and where.endswith("definition.type"))


def problems_in(statement: Mapping[str, Any]) -> list[str]:
    """What is wrong with a serialised statement, one line per problem."""
    problems: list[str] = []
    for where, owner, key, value in _entries(statement):
        if key in LANGUAGE_MAPS and isinstance(value, Mapping):
            problems += [
                f"{where}: {t!r} is not a BCP 47 language tag"
                for t in value
                if not is_language_tag(str(t))
            ]
        elif key == "language" and not is_language_tag(str(value)):
            problems.append(f"{where}: {value!r} is not a BCP 47 language tag")
        elif _holds_iri(where, owner, key):
            if not is_absolute_iri(value):
                problems.append(f"{where}: {value!r} is not an absolute IRI")
        elif key == "extensions" and isinstance(value, Mapping):
            problems += [
                f"{where}: key {k!r} is not an absolute IRI"
                for k in value
                if not is_absolute_iri(k)
            ]
        elif key == "interactionType" and value not in INTERACTION_TYPES:
            problems.append(f"{where}: {value!r} is not an xAPI interaction type")
        elif key == "correctResponsesPattern":
            items = value if isinstance(value, list) else [None]
            problems += [
                f"{where}[{i}]: empty pattern"
                for i, p in enumerate(items)
                if not isinstance(p, str) or not p
            ]
        elif key in COMPONENT_LISTS and where.startswith("object.definition."):
            problems += _components(where, value)
        elif key == "score" and isinstance(value, Mapping):
            problems += _score(where, value)
    return problems
