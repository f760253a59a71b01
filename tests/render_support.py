"""Courses built in code for the render tests: one question of every type, small modules."""

from __future__ import annotations

import json
from typing import Any

from lxml import html as lxml_html

from builder.model import Assessment, AssessmentSpec, Asset, Course, Module, ModuleSpec, Page
from builder.render import render_pages
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.typed import validate
from tests.helpers import course_spec

SINGLE = {
    "id": "three",
    "type": "single",
    "objective": "o",
    "prompt": "Which three <elements>?",
    "explanation": "Art. 3(a).",
    "source": "Palermo",
    "choices": (
        {"text": "Act, means, purpose", "correct": True, "feedback": "Right."},
        {"text": "Sale"},
    ),
}
MULTIPLE = {
    "id": "means",
    "type": "multiple",
    "objective": "o",
    "prompt": "Which are means?",
    "explanation": "x",
    "source": "y",
    "weight": 2.0,
    "choices": (
        {"text": "Force", "correct": True, "id": "f"},
        {"text": "Harbour"},
        {"text": "Fraud", "correct": True},
    ),
}
TRUE_FALSE = {
    "id": "child",
    "type": "true-false",
    "objective": "o",
    "prompt": "Means needed?",
    "explanation": "x",
    "source": "y",
    "answer": False,
}
MATCHING = {
    "id": "pairs",
    "type": "matching",
    "objective": "o",
    "prompt": "Match.",
    "explanation": "x",
    "source": "y",
    "pairs": (
        {"source": "US", "target": "one"},
        {"source": "EU", "target": "Two"},
        {"source": "UK", "target": "alpha"},
    ),
}
SCENARIO = {
    "id": "bail",
    "type": "scenario",
    "objective": "o",
    "prompt": "A hearing.",
    "explanation": "x",
    "source": "y",
    "steps": (
        {
            "id": "start",
            "text": "Passport held.",
            "options": (
                {"text": "Ask", "feedback": "Good.", "points": 2, "next": "screen"},
                {"text": "Skip", "feedback": "Missed.", "points": 3},
            ),
        },
        {
            "id": "screen",
            "text": "Indicators.",
            "options": (
                {"text": "Refer", "feedback": "Right.", "points": 2},
                {"text": "Close", "feedback": "Closed.", "points": 1},
            ),
        },
    ),
}
OTHERS = (
    {
        "id": "fill",
        "type": "fill-in",
        "objective": "o",
        "prompt": "Rule?",
        "explanation": "x",
        "source": "y",
        "answers": ("two", "2"),
    },
    {
        "id": "num",
        "type": "numeric",
        "objective": "o",
        "prompt": "How many?",
        "explanation": "x",
        "source": "y",
        "range": (9000.0, 9100.0),
    },
    {
        "id": "seq",
        "type": "sequencing",
        "objective": "o",
        "prompt": "Order.",
        "explanation": "x",
        "source": "y",
        "steps": ("Identify", "Refer", "Protect"),
    },
    {"id": "view", "type": "likert", "prompt": "Useful?", "scale": ("No", "Maybe", "Yes")},
)


def assessment(kind: Any, *questions: dict[str, Any], **extra: Any) -> Assessment:
    spec = validate(AssessmentSpec, {"questions": questions, **extra})
    return Assessment(kind=kind, title=f"{kind} title", spec=spec, source=f"{kind}.yaml")


def module(mid: str, pages: int, *, pre: bool, post: bool, checks: bool = False) -> Module:
    spec = validate(
        ModuleSpec,
        {
            "id": mid,
            "title": f"Module {mid}",
            "minutes": 5,
            "objectives": ({"id": "o", "text": "Objective"},),
        },
    )
    page_list = tuple(
        Page(
            id=f"p{i}",
            title=f"{mid} page {i}",
            source=f"0{i}-p{i}.md",
            body=f'<p>Text {i}. <a href="#page-{mid}/p1">First</a></p>',
            checks=("child", "bail") if checks and i == 1 else (),
        )
        for i in range(1, pages + 1)
    )
    return Module(
        spec=spec,
        pages=page_list,
        pre_test=assessment("pre-test", SINGLE) if pre else None,
        post_test=assessment("post-test", SINGLE, MULTIPLE, TRUE_FALSE, draw=2) if post else None,
        assets=(Asset(f"assets/{mid}/a.png", b"\x89PNG-" + mid.encode()),),
        checks=assessment("check", TRUE_FALSE, SCENARIO) if checks else None,
    )


def sample_course() -> Course:
    """Two modules: pre-test, pages, checks and post-test; then pages and a post-test."""
    return Course(
        spec=course_spec(language="de-DE"),
        modules=(
            module("m1", 2, pre=True, post=True, checks=True),
            module("m2", 1, pre=False, post=True),
        ),
    )


def render(course: Course, target: str = "scorm12") -> tuple[Any, dict[str, Any]]:
    """Render `course` for `target`: the parsed index.html and its course data."""
    files = render_pages(course, make_env([DEFAULT_TEMPLATES]), TARGETS[target])
    page = {f.arcname: f.data for f in files}["index.html"].decode("utf-8")
    tree = lxml_html.document_fromstring(page)
    return tree, json.loads(tree.get_element_by_id("coursepack-data").text)
