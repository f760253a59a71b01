"""The one check that a statement's parts are JSON objects (builder/statement_shape.py), used by
the preview's store, the cmi5 launcher and report."""

from __future__ import annotations

from typing import Any

import pytest

from builder.statement_shape import OBJECT_PARTS, not_an_object

GOOD: dict[str, Any] = {
    "actor": {"account": {"homePage": "https://lms.example.org", "name": "1"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": "https://example.org/c", "definition": {"type": "x"}},
    "result": {"score": {"scaled": 1}, "extensions": {}},
    "context": {"contextActivities": {}, "extensions": {}},
}


def test_a_statement_of_objects_passes() -> None:
    assert not_an_object(GOOD, required=("verb", "object")) is None
    assert not_an_object({"verb": {}, "object": {}}, required=("verb", "object")) is None


@pytest.mark.parametrize("path", OBJECT_PARTS, ids=".".join)
@pytest.mark.parametrize("bad", [[], "text", 3, True])
def test_each_part_that_is_not_an_object_is_named(path: tuple[str, ...], bad: Any) -> None:
    statement = {key: dict(value) for key, value in GOOD.items()}
    if len(path) == 1:
        statement[path[0]] = bad
    else:
        statement[path[0]][path[1]] = bad
    assert not_an_object(statement) == ".".join(path)


def test_a_missing_part_counts_only_when_required() -> None:
    assert not_an_object({"object": {}}) is None
    assert not_an_object({"object": {}}, required=("verb", "object")) == "verb"
    # JSON null is "absent" for an optional part, not an object for a required one.
    assert not_an_object({"verb": {}, "object": None}, required=("verb", "object")) == "object"
    assert not_an_object({"verb": {}, "object": {}, "result": None}) is None
