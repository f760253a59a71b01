"""Which part of an xAPI statement is not the JSON object it must be (pure, no imports).

xAPI-Data §2.4 makes the actor, verb, object, result and context JSON objects, and so the parts
inside them that coursepack reads (an object's definition, an account, a score, context
activities, extensions). An LRS refuses a statement where one is not; the preview's store, the
cmi5 launcher and `report` all check them here before reading into them.
"""

from __future__ import annotations

from typing import Any

#: The parts that, where present, must be JSON objects.
OBJECT_PARTS: tuple[tuple[str, ...], ...] = (
    ("actor",),
    ("actor", "account"),
    ("verb",),
    ("object",),
    ("object", "definition"),
    ("result",),
    ("result", "score"),
    ("result", "extensions"),
    ("context",),
    ("context", "contextActivities"),
    ("context", "extensions"),
)


def not_an_object(statement: dict[str, Any], required: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first part of `statement` that is not a JSON object, or None.

    A part in `required` (top-level keys, e.g. `("verb", "object")`) counts when it is missing.
    """
    for path in OBJECT_PARTS:
        node: Any = statement
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        needed = len(path) == 1 and path[0] in required
        if (node is not None or needed) and not isinstance(node, dict):
            return ".".join(path)
    return None
