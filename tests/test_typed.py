"""builder/typed.py: plain data into frozen dataclasses, every problem reported in field order."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pytest

from builder.errors import ValidationError
from builder.json_schema import json_schema
from builder.typed import Rule, Tagged, to_json, validate


def _no_zero(value: str) -> None:
    if value == "0":
        raise ValueError("expected no zero, found one")


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf:
    """A leaf."""

    name: Annotated[str, Rule(pattern=r"^[a-z]+$", min_length=1, max_length=5)]
    code: Annotated[str, Rule(check=_no_zero)] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Base:
    id: str
    weight: Annotated[float, Rule(gt=0, le=10, finite=True)] = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class One(Base):
    kind: Literal["one"]
    count: Annotated[int, Rule(ge=1, lt=5)] = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Two(Base):
    kind: Literal["two"]
    pair: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.pair is not None and self.pair[0] > self.pair[1]:
            raise ValueError("expected low <= high")


@dataclass(frozen=True, slots=True, kw_only=True)
class Root:
    title: str
    flag: bool = False
    mode: Literal["a", "b", "c"] = "a"
    leaves: Annotated[tuple[Leaf, ...], Rule(min_length=2, max_length=3)] = ()
    items: tuple[Annotated[One | Two, Tagged("kind")], ...] = ()
    leaf: Leaf | None = None


def errors(data: Any, tp: Any = Root, **kw: Any) -> list[tuple[str, tuple[str | int, ...]]]:
    with pytest.raises(ValidationError) as info:
        validate(tp, data, **kw)
    return [(e["type"], e["loc"]) for e in info.value.errors()]


def test_valid_data_becomes_frozen_objects_with_defaults() -> None:
    data = {"title": "t", "leaves": ({"name": "ab"}, {"name": "c", "code": "1"})}
    root = validate(Root, data)
    assert root == Root(title="t", leaves=(Leaf(name="ab"), Leaf(name="c", code="1")))
    assert (root.flag, root.mode, root.items, root.leaf) == (False, "a", (), None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        root.title = "x"  # type: ignore[misc]
    assert hash(root) == hash(validate(Root, data))


def test_an_int_is_taken_as_a_float_and_a_bool_is_neither() -> None:
    one = validate(One, {"id": "x", "kind": "one", "weight": 2})
    assert one.weight == 2.0 and type(one.weight) is float
    assert errors({"id": "x", "kind": "one", "weight": True, "count": False}, One) == [
        ("float_type", ("weight",)),
        ("int_type", ("count",)),
    ]
    assert errors({"id": "x", "kind": "one", "count": 2.0}, One) == [("int_type", ("count",))]


def test_every_problem_in_field_order_then_unknown_keys_in_their_order() -> None:
    data = {"zz": 1, "flag": "yes", "mode": "d", "leaves": ({"name": ""}, 3), "yy": 2}
    assert errors(data) == [
        ("missing", ("title",)),
        ("bool_type", ("flag",)),
        ("literal_error", ("mode",)),
        ("string_too_short", ("leaves", 0, "name")),
        ("model_type", ("leaves", 1)),
        ("too_short", ("leaves",)),
        ("extra_forbidden", ("zz",)),
        ("extra_forbidden", ("yy",)),
    ]


def test_text_rules_length_before_pattern_and_the_end_is_the_end() -> None:
    assert errors({"name": "toolong"}, Leaf) == [("string_too_long", ("name",))]
    assert errors({"name": "A"}, Leaf) == [("string_pattern_mismatch", ("name",))]
    assert errors({"name": "ab\n"}, Leaf) == [("string_pattern_mismatch", ("name",))]
    assert errors({"name": 5}, Leaf) == [("string_type", ("name",))]


def test_bounds_and_finite_numbers() -> None:
    base = {"id": "x", "kind": "one"}
    cases = {
        ("weight", 0): "greater_than",
        ("weight", 11): "less_than_equal",
        ("weight", math.inf): "finite_number",
        ("weight", math.nan): "finite_number",
        ("count", 0): "greater_than_equal",
        ("count", 5): "less_than",
    }
    for (key, value), kind in cases.items():
        with pytest.raises(ValidationError) as info:
            validate(One, {**base, key: value})
        (err,) = info.value.errors()
        assert (err["type"], err["loc"], repr(err["input"])) == (kind, (key,), repr(value))
    with pytest.raises(ValidationError) as info:
        validate(One, {**base, "weight": 20})
    (err,) = info.value.errors()
    assert err.get("ctx") == {"le": 10.0} and err["input"] == 20
    assert "less than or equal to 10" in err["msg"]


def test_a_tagged_union_locates_errors_under_the_tag() -> None:
    items = (
        {"id": 1, "kind": "one"},
        {"kind": "two", "id": "x", "pair": (1,)},
        {"kind": "three"},
        {"id": "x"},
        "text",
        {"kind": "two", "id": "x", "pair": (2, 1)},
    )
    assert errors({"title": "t", "items": items}) == [
        ("string_type", ("items", 0, "one", "id")),
        ("missing", ("items", 1, "two", "pair", 1)),
        ("union_tag_invalid", ("items", 2)),
        ("union_tag_not_found", ("items", 3)),
        ("model_attributes_type", ("items", 4)),
        ("value_error", ("items", 5, "two")),
    ]
    with pytest.raises(ValidationError) as info:
        validate(Root, {"title": "t", "items": ({"kind": "three"},)})
    ctx = info.value.errors()[0].get("ctx", {})
    assert ctx == {"discriminator": "'kind'", "tag": "three", "expected_tags": "'one', 'two'"}
    two = validate(Root, {"title": "t", "items": ({"kind": "two", "id": "x", "pair": (1, 2)},)})
    assert two.items == (Two(id="x", kind="two", pair=(1.0, 2.0)),)


def test_a_check_runs_on_a_valid_field_and_post_init_only_when_all_fields_are() -> None:
    with pytest.raises(ValidationError) as info:
        validate(Leaf, {"name": "a", "code": "0"})
    (err,) = info.value.errors()
    assert (err["type"], err["loc"], err["msg"]) == (
        "value_error",
        ("code",),
        "Value error, expected no zero, found one",
    )
    bad_pair = {"kind": "two", "id": 1, "pair": (2, 1)}
    assert errors(bad_pair, Two) == [("string_type", ("id",))]


def test_tuples_too_long_stop_there_and_fixed_ones_count_their_items() -> None:
    leaves = ({"name": 5},) + ({"name": "a"},) * 4
    assert errors({"title": "t", "leaves": leaves}) == [("too_long", ("leaves",))]
    assert errors({"title": "t", "leaves": [{"name": "a"}] * 2}) == [("tuple_type", ("leaves",))]
    pair = {"kind": "two", "id": "x"}
    assert errors({**pair, "pair": (1, 2, 3)}, Two) == [("too_long", ("pair",))]
    assert errors({**pair, "pair": ()}, Two) == [("missing", ("pair", 0)), ("missing", ("pair", 1))]


def test_lists_are_tuples_when_asked_for_json() -> None:
    root = validate(
        Root, json.loads('{"title": "t", "leaves": [{"name": "a"}, {"name": "b"}]}'), lists=True
    )
    assert root.leaves == (Leaf(name="a"), Leaf(name="b"))


def test_to_json_keeps_only_the_given_keys_and_makes_lists() -> None:
    data = {"title": "t", "leaves": ({"name": "a"}, {"name": "b"}), "items": []}
    assert to_json(Root, data) == {
        "title": "t",
        "leaves": [{"name": "a"}, {"name": "b"}],
        "items": [],
    }
    with pytest.raises(ValidationError, match=r"leaves\.1\.name"):
        to_json(Root, {"title": "t", "leaves": [{"name": "a"}, {"name": "B"}]})


def test_the_error_names_every_place() -> None:
    with pytest.raises(ValidationError) as info:
        validate(Root, {"title": 1, "x": 2})
    text = str(info.value)
    assert text.startswith("2 validation errors for Root\ntitle\n  Input should be a valid string")
    assert "\nx\n  Extra inputs are not permitted" in text


def test_the_json_schema_of_a_model() -> None:
    schema = json_schema(Root)
    assert schema["required"] == ["title"] and schema["additionalProperties"] is False
    leaves = schema["properties"]["leaves"]
    assert (leaves["minItems"], leaves["maxItems"], leaves["default"]) == (2, 3, ())
    assert leaves["items"] == {"$ref": "#/$defs/Leaf"}
    name = schema["$defs"]["Leaf"]["properties"]["name"]
    assert name == {
        "maxLength": 5,
        "minLength": 1,
        "pattern": "^[a-z]+$",
        "title": "Name",
        "type": "string",
    }
    assert schema["properties"]["leaf"] == {
        "anyOf": [{"$ref": "#/$defs/Leaf"}, {"type": "null"}],
        "default": None,
    }
    assert schema["properties"]["mode"]["enum"] == ["a", "b", "c"]
    assert schema["$defs"]["Leaf"]["description"] == "A leaf."
    assert schema["properties"]["items"]["items"] == {
        "oneOf": [{"$ref": "#/$defs/One"}, {"$ref": "#/$defs/Two"}]
    }
    weight = schema["$defs"]["One"]["properties"]["weight"]
    assert (weight["exclusiveMinimum"], weight["maximum"], weight["default"]) == (0, 10, 1.0)
