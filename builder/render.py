"""Stage 3 (pure): the learner-facing pages of a package and the course data the runtime reads.

One `index.html` holds the whole course, every page and assessment a `<section>` in reading order,
so it reads top to bottom without JavaScript; the runtime then shows one section at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from builder.errors import TemplateError
from builder.files import OutputFile
from builder.model import (
    Assessment,
    Course,
    FillIn,
    Likert,
    Matching,
    Module,
    MultipleChoice,
    Numeric,
    Question,
    Scenario,
    Sequencing,
    SingleChoice,
    TrueFalse,
)
from builder.targets import Target
from builder.templates import render

#: Default choice ids by position; the same alphabet SCORM 1.2 allows for choice responses.
CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz0123456789"

SectionKind = Literal["page", "pre-test", "post-test"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer option as the templates show it."""

    id: str
    text: str
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question as the templates show it; its inputs' ids derive from the unique `dom_id`.

    `choices` are the options in display order, `slots` the labels of the drop-downs of matching
    and sequencing questions, `correct` the correct ids (per slot for those two) and `answer` the
    correct answer in words (None for unscored and scenario questions).
    """

    dom_id: str
    spec: Question
    choices: tuple[Choice, ...] = ()
    slots: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()
    answer: str | None = None

    @property
    def type(self) -> str:
        """The question type, which names its template `questions/<type>.html`."""
        return self.spec.type


def _num(value: float) -> str:
    return f"{value:g}"


def question_view(dom_id: str, q: Question) -> QuestionView:
    """The view of `q`: options with ids (authored position: a, b, c…) and the answer key."""
    if isinstance(q, SingleChoice | MultipleChoice):
        opts = tuple(
            Choice(c.id or CHOICE_IDS[i], c.text, c.correct, c.feedback)
            for i, c in enumerate(q.choices)
        )
        right = tuple(c for c in opts if c.correct)
        return QuestionView(
            dom_id, q, opts, (), tuple(c.id for c in right), "; ".join(c.text for c in right)
        )
    if isinstance(q, TrueFalse):
        opts = (
            Choice("true", "True", q.answer, q.feedback_true),
            Choice("false", "False", not q.answer, q.feedback_false),
        )
        return QuestionView(dom_id, q, opts, (), (str(q.answer).lower(),), str(q.answer))
    if isinstance(q, Matching | Sequencing):
        texts = [p.target for p in q.pairs] if isinstance(q, Matching) else list(q.steps)
        ids = tuple(CHOICE_IDS[: len(texts)])
        # Options in alphabetical order, so their order never gives the answer away.
        opts = tuple(
            sorted(
                (Choice(i, t) for i, t in zip(ids, texts, strict=True)),
                key=lambda c: (c.text.casefold(), c.id),
            )
        )
        if isinstance(q, Matching):
            slots = tuple(p.source for p in q.pairs)
            answer = "; ".join(f"{p.source}: {p.target}" for p in q.pairs)
        else:
            slots = tuple(f"Step {n}" for n in range(1, len(texts) + 1))
            answer = "; ".join(f"{n}. {t}" for n, t in enumerate(texts, start=1))
        return QuestionView(dom_id, q, opts, slots, ids, answer)
    if isinstance(q, FillIn):
        return QuestionView(dom_id, q, correct=q.answers, answer=" or ".join(q.answers))
    if isinstance(q, Numeric):
        low, high = q.range or (q.answer or 0.0, q.answer or 0.0)
        answer = _num(low) if low == high else f"any number from {_num(low)} to {_num(high)}"
        return QuestionView(dom_id, q, answer=answer)
    if isinstance(q, Likert):
        return QuestionView(
            dom_id, q, tuple(Choice(CHOICE_IDS[i], t) for i, t in enumerate(q.scale))
        )
    return QuestionView(dom_id, q)


def best_points(q: Scenario) -> int:
    """The most points any path through the scenario collects (a step is never counted twice)."""
    steps = {s.id: s for s in q.steps}

    def best(step_id: str, seen: frozenset[str]) -> int:
        options = steps[step_id].options if step_id in steps else ()
        return max(
            (
                o.points + (best(o.next, seen | {step_id}) if o.next and o.next not in seen else 0)
                for o in options
            ),
            default=0,
        )

    return best(q.steps[0].id, frozenset())


@dataclass(frozen=True, slots=True)
class Quiz:
    """A form of questions: an assessment, or one knowledge check at the end of a page."""

    key: str
    kind: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """One `<section class="cp-page">`: a content page, a pre-test or a post-test."""

    key: str
    kind: SectionKind
    title: str
    module: Module
    number: int
    html: Markup | None
    quiz: Quiz | None
    checks: tuple[Quiz, ...]

    @property
    def dom_id(self) -> str:
        """The section's id; internal links in page HTML point at `#page-<key>`."""
        return f"page-{self.key}"


def _quiz(key: str, kind: str, questions: tuple[Question, ...]) -> Quiz:
    # Slugs never contain "--", so it separates the parts of a DOM id unambiguously.
    base = key.replace("/", "--")
    views = tuple(question_view(f"q-{base}--{q.id}", q) for q in questions)
    return Quiz(key, kind, views)


def _checks(module: Module, ids: tuple[str, ...], page_key: str) -> tuple[Quiz, ...]:
    pool = {q.id: q for q in module.checks.spec.questions} if module.checks else {}
    missing = [i for i in ids if i not in pool]
    if missing:
        raise TemplateError(f"{page_key}: no knowledge check with id {', '.join(missing)}")
    return tuple(_quiz(f"{module.id}/check/{i}", "check", (pool[i],)) for i in ids)


def sections(course: Course) -> list[Section]:
    """Every section in reading order: per module its pre-test, its pages, its post-test."""
    out: list[Section] = []
    for number, module in enumerate(course.modules, start=1):
        pre, post = module.pre_test, module.post_test
        if pre is not None:
            key = f"{module.id}/pre-test"
            out.append(
                Section(
                    key,
                    "pre-test",
                    pre.title,
                    module,
                    number,
                    None,
                    _quiz(key, "pre-test", pre.spec.questions),
                    (),
                )
            )
        for page in module.pages:
            key = f"{module.id}/{page.id}"
            out.append(
                Section(
                    key,
                    "page",
                    page.title,
                    module,
                    number,
                    Markup(page.html),
                    None,
                    _checks(module, page.checks, key),
                )
            )
        if post is not None:
            key = f"{module.id}/post-test"
            out.append(
                Section(
                    key,
                    "post-test",
                    post.title,
                    module,
                    number,
                    None,
                    _quiz(key, "post-test", post.spec.questions),
                    (),
                )
            )
    return out


def _question_data(view: QuestionView) -> dict[str, Any]:
    q = view.spec
    data: dict[str, Any] = {
        "id": q.id,
        "type": q.type,
        "weight": q.weight,
        "objective": q.objective,
        "scored": q.scored,
    }
    if view.choices:
        # Authored order (display order differs for matching and sequencing).
        data["choices"] = list(view.correct) if view.slots else [c.id for c in view.choices]
        data["correct"] = list(view.correct)
    if isinstance(q, FillIn):
        data.update(answers=list(q.answers), caseSensitive=q.case_sensitive)
    elif isinstance(q, Numeric):
        data.update(answer=q.answer, range=list(q.range) if q.range else None)
    elif isinstance(q, Scenario):
        data["steps"] = [
            {"id": s.id, "options": [{"points": o.points, "next": o.next} for o in s.options]}
            for s in q.steps
        ]
        data["best"] = best_points(q)
    return data


def _assessment_data(
    quiz: Quiz, module: str, spec: Assessment | None, page: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": quiz.kind,
        "module": module,
        "draw": spec.spec.draw if spec else None,
        "shuffle": spec.spec.shuffle if spec else False,
        "questions": [_question_data(v) for v in quiz.questions],
    }
    if page is not None:
        data["page"] = page
    return data


def course_data(course: Course, target: Target) -> dict[str, Any]:
    """The JSON the runtime reads from `#coursepack-data` (see docs/runtime.md)."""
    spec = course.spec
    pages = []
    assessments: dict[str, Any] = {}
    for s in sections(course):
        pages.append({"key": s.key, "module": s.module.id, "kind": s.kind, "title": s.title})
        if s.quiz is not None:
            test = s.module.pre_test if s.kind == "pre-test" else s.module.post_test
            assessments[s.key] = _assessment_data(s.quiz, s.module.id, test, None)
        for check in s.checks:
            assessments[check.key] = _assessment_data(check, s.module.id, None, s.key)
    return {
        "course": {
            "id": spec.id,
            "title": spec.title,
            "version": spec.version,
            "language": spec.language,
            "masteryScore": spec.mastery_score,
            "completion": spec.completion,
        },
        "standard": target.standard,
        "pages": pages,
        "assessments": assessments,
    }


def render_pages(course: Course, env: jinja2.Environment, target: Target) -> list[OutputFile]:
    """`index.html` holding the whole course, plus every module asset at its `arcname`."""
    html = render(
        env,
        "pages/index.html",
        course=course,
        sections=sections(course),
        data=course_data(course, target),
        mastery=course.spec.mastery_score,
    )
    files = [OutputFile("index.html", html.encode("utf-8"))]
    files += [OutputFile(a.arcname, a.data) for m in course.modules for a in m.assets]
    return files
