"""The xAPI vocabulary, read from its one source: the xAPI Profile the packages ship.

`templates/xapi/profile.jsonld` (xAPI Profiles 1.0) names every verb, activity type, extension
and statement template coursepack uses. Everything else derives from it: the runtime's IRIs
(`templates/runtime/xapi/vocabulary.js`, written by `javascript()`; regenerate with
`python -m builder.vocabulary > templates/runtime/xapi/vocabulary.js`), the build-time statement
check (`builder.statement_builder`) and whoever reads statements back (`Profile.validate`).
The only vocabulary not in the profile is xAPI-Data's own: the interaction types and which
component lists each carries (`INTERACTION_TYPES`, `COMPONENTS`), shipped to the runtime too.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from builder.errors import TemplateError
from builder.runtime import PROFILE

#: xAPI-Data §2.4.4.1 "Interaction Activities": the interactionType values.
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
#: xAPI-Data §2.4.4.1: the component lists each interactionType may carry.
COMPONENTS: Mapping[str, tuple[str, ...]] = {
    "choice": ("choices",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "matching": ("source", "target"),
    "performance": ("steps",),
}
#: The template properties that decide whether a statement is one of the template's (xAPI
#: Profiles Part 2 §8 "Determining Properties"), with the statement's context activity list.
_CONTEXT_TYPES = {
    "contextParentActivityType": "parent",
    "contextGroupingActivityType": "grouping",
    "contextCategoryActivityType": "category",
    "contextOtherActivityType": "other",
}
#: What this reader does not implement; a profile using it is refused rather than misread.
_UNSUPPORTED = frozenset(
    {"attachmentUsageType", "objectStatementRefTemplate", "contextStatementRefTemplate"}
)
#: Where a rule names the category activities a statement carries.
_CATEGORY_IDS = "$.context.contextActivities.category[*].id"
_EXTENSION = re.compile(r"\.extensions\['([^']+)'\]")
_STEP = re.compile(r"\.([A-Za-z]+)|\['([^']+)'\]|\[(\*)\]")
_PATH = re.compile(r"\$(?:\.[A-Za-z]+|\['[^']+'\]|\[\*\])*")


def _name(iri: str) -> str:
    """The last path segment of an IRI: the name coursepack gives its concept."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _by_name(iris: list[Any]) -> dict[str, str]:
    """`{name: iri}` of distinct IRIs, sorted by name; ValueError when two share a name."""
    named: dict[str, str] = {}
    for iri in sorted({str(i) for i in iris if i}, key=_name):
        if named.setdefault(_name(iri), iri) != iri:
            raise ValueError(f"{iri} and {named[_name(iri)]} share the name {_name(iri)!r}")
    return named


def _steps(location: str) -> tuple[str | None, ...]:
    """The keys of a JSONPath of the subset the profile uses (`$.a.b`, `['key']`); None: `[*]`."""
    if not _PATH.fullmatch(location):
        raise ValueError(f"JSONPath {location!r} is beyond the subset coursepack reads")
    return tuple(None if star else name or quoted for name, quoted, star in _STEP.findall(location))


def _at(value: Any, steps: tuple[str | None, ...]) -> list[Any]:
    """The values at the path `steps` (see `_steps`) in a JSON value."""
    values = [value]
    for key in steps:
        found: list[Any] = []
        for v in values:
            if key is None and isinstance(v, list):
                found += v
            elif key is not None and isinstance(v, Mapping) and key in v:
                found.append(v[key])
        values = found
    return values


@dataclass(frozen=True, slots=True)
class Rule:
    """A statement template rule (xAPI Profiles Part 2 §8.1); no `selector` is used."""

    location: str
    presence: str | None = None
    any: tuple[Any, ...] | None = None
    all: tuple[Any, ...] | None = None
    none: tuple[Any, ...] | None = None
    steps: tuple[str | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", _steps(self.location))

    def problem(self, statement: Mapping[str, Any]) -> str:
        """How `statement` breaks this rule ("" when it follows it), per Part 3 §2.1."""
        values = _at(statement, self.steps)
        if self.presence == "included" and not values:
            return f"{self.location}: missing"
        if self.presence == "excluded" and values:
            return f"{self.location}: present"
        if self.presence == "recommended" and not values:
            return ""
        if self.any is not None and not any(v in self.any for v in values):
            return f"{self.location}: {values} has none of {list(self.any)}"
        if self.all is not None and not all(v in self.all for v in values):
            return f"{self.location}: {values} not all in {list(self.all)}"
        if self.none is not None and any(v in self.none for v in values):
            return f"{self.location}: {values} has one of {list(self.none)}"
        return ""


@dataclass(frozen=True, slots=True)
class Template:
    """A statement template: what determines it (verb, activity types) and its rules."""

    id: str
    verb: str | None
    object_type: str | None
    #: Required activity types by context activity list (`parent`, `grouping`, …).
    context_types: Mapping[str, tuple[str, ...]]
    rules: tuple[Rule, ...]

    @property
    def name(self) -> str:
        """The template's short name, the last segment of its id (`passed-post-test`)."""
        return _name(self.id)

    def determines(self, statement: Mapping[str, Any]) -> bool:
        """Whether `statement` has this template's determining properties (Part 3 §2.1)."""
        verb = statement.get("verb") or {}
        obj = statement.get("object") or {}
        if self.verb is not None and verb.get("id") != self.verb:
            return False
        if self.object_type is not None and _type(obj) != self.object_type:
            return False
        lists = (statement.get("context") or {}).get("contextActivities") or {}
        return all(
            set(wanted) <= {_type(a) for a in lists.get(key) or []}
            for key, wanted in self.context_types.items()
        )

    def problems(self, statement: Mapping[str, Any]) -> list[str]:
        """The rules of this template that `statement` breaks."""
        return [p for rule in self.rules if (p := rule.problem(statement))]


def _type(activity: Any) -> Any:
    return ((activity or {}).get("definition") or {}).get("type")


@dataclass(frozen=True, slots=True)
class Profile:
    """The xAPI Profile: its ids, the vocabulary by short name, and its statement templates."""

    id: str
    version: str
    #: Verb IRIs by name (`answered`), from the templates' verbs.
    verbs: Mapping[str, str]
    #: Activity type IRIs by name (`course`, `lesson`, `cmi.interaction`, `profile`).
    activity_types: Mapping[str, str]
    #: Extension IRIs by name: the profile's own concepts and those its rules name (`progress`).
    extensions: Mapping[str, str]
    templates: tuple[Template, ...]
    #: Category activity ids the rules require, other than the profile version (`cmi5`, `moveon`).
    categories: Mapping[str, str] = field(default_factory=dict)

    def verb(self, name: str) -> str:
        """The IRI of the verb called `name`."""
        return self.verbs[name]

    def activity_type(self, name: str) -> str:
        """The IRI of the activity type called `name`."""
        return self.activity_types[name]

    def extension(self, name: str) -> str:
        """The IRI of the extension called `name`."""
        return self.extensions[name]

    def template(self, name: str) -> Template:
        """The template called `name` (the last segment of its id)."""
        [found] = [t for t in self.templates if t.name == name]
        return found

    def matching(self, statement: Mapping[str, Any]) -> list[Template]:
        """The templates whose determining properties `statement` has."""
        return [t for t in self.templates if t.determines(statement)]

    def validate(self, statement: Mapping[str, Any]) -> str:
        """ "" when `statement` matches exactly one template and follows its rules, else why not.

        The spec's `validates` (Part 3 §2.1) accepts several matches; coursepack asks for one,
        so that every statement says unambiguously what it reports.
        """
        found = self.matching(statement)
        if len(found) != 1:
            return f"matches {len(found)} templates: {[t.name for t in found]}"
        problems = found[0].problems(statement)
        return f"{found[0].name}: {'; '.join(problems)}" if problems else ""


def _template(item: Mapping[str, Any]) -> Template:
    unsupported = sorted(_UNSUPPORTED.intersection(item))
    unsupported += ["selector"] * any("selector" in r for r in item.get("rules", []))
    if unsupported:
        raise ValueError(f"template {item['id']} uses {unsupported}, which coursepack cannot check")
    rules = tuple(
        Rule(
            location=str(r["location"]),
            presence=r.get("presence"),
            **{k: tuple(r[k]) for k in ("any", "all", "none") if k in r},
        )
        for r in item.get("rules", [])
    )
    return Template(
        id=str(item["id"]),
        verb=item.get("verb"),
        object_type=item.get("objectActivityType"),
        context_types={v: tuple(item[k]) for k, v in _CONTEXT_TYPES.items() if k in item},
        rules=rules,
    )


def _latest(versions: Sequence[Mapping[str, Any]]) -> str:
    """The profile version no other one revises (xAPI Profiles, "Profile Version Objects")."""
    revised = {iri for v in versions for iri in v.get("wasRevisionOf", [])}
    [latest] = [str(v["id"]) for v in versions if v["id"] not in revised]
    return latest


def parse_profile(document: Mapping[str, Any]) -> Profile:
    """The `Profile` of a parsed profile document; KeyError/ValueError when it is unusable."""
    templates = tuple(_template(t) for t in document["templates"])
    types = [t.object_type for t in templates]
    types += [iri for t in templates for iris in t.context_types.values() for iri in iris]
    extensions = [str(c["id"]) for c in document.get("concepts", []) if "Extension" in c["type"]]
    extensions += [m for t in templates for r in t.rules for m in _EXTENSION.findall(r.location)]
    version = _latest(document["versions"])
    categories = [
        iri
        for t in templates
        for r in t.rules
        if r.location == _CATEGORY_IDS
        for iri in (r.any or ())
        if iri != version
    ]
    return Profile(
        id=str(document["id"]),
        version=version,
        verbs=_by_name([t.verb for t in templates]),
        activity_types=_by_name(types),
        extensions=_by_name(extensions),
        templates=templates,
        categories=_by_name(categories),
    )


@lru_cache(maxsize=4)
def load_profile(path: Path = PROFILE) -> Profile:
    """Read the xAPI Profile (JSON-LD) the packages ship; TemplateError when it is unusable."""
    try:
        return parse_profile(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise TemplateError(f"xAPI profile {path} is unusable: {exc!r}") from exc


def _frozen(mapping: Mapping[str, Any]) -> str:
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in mapping.items()]
    return "Object.freeze({\n" + "\n".join(lines) + "\n})"


def javascript(profile: Profile) -> str:
    """The runtime's vocabulary module, `runtime/xapi/vocabulary.js`, for `profile`."""
    components = {k: list(v) for k, v in COMPONENTS.items()}
    return f"""\
// Generated from templates/xapi/profile.jsonld by `python -m builder.vocabulary`; do not edit.
// The IRIs of the statements the runtime sends (docs/xapi.md "Vocabulary"). The profile is the
// one source: tests/test_vocabulary.py fails when this file is not what it generates.

export const PROFILE_ID = {json.dumps(profile.id)};
/** The profile version, sent as a category context activity (xAPI Profiles Part 2 §5). */
export const PROFILE_VERSION = {json.dumps(profile.version)};

/** Verb IRIs by name. */
export const VERBS = {_frozen(profile.verbs)};

/** Activity type IRIs by name. */
export const ACTIVITY_TYPES = {_frozen(profile.activity_types)};

/** Extension IRIs by name. */
export const EXTENSIONS = {_frozen(profile.extensions)};

/** Category activity ids by name, besides the profile version (cmi5 §9.6.2). */
export const CATEGORIES = {_frozen(profile.categories)};

/** xAPI-Data §2.4.4.1: the component lists each interactionType may carry. */
export const COMPONENTS = {_frozen(components)};
"""


if __name__ == "__main__":
    sys.stdout.write(javascript(load_profile()))
