"""Stage 3 (pure): the learner-facing pages of a package and the course data the runtime reads.

One `index.html` holds the whole course, every page and assessment a `<section>` in reading order,
so it reads top to bottom without JavaScript; the runtime then shows one section at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from builder.catalogue import Catalogue, english
from builder.course_data import checked
from builder.errors import TemplateError
from builder.files import OutputFile
from builder.interactions import (
    CHOICE_IDS,
    INTERACTION_KINDS,
    choice_ids,
    describe_question,
    objective_ids,
    scenario_best,
)
from builder.model import Assessment, Course, Module
from builder.questions import (
    FillIn,
    Likert,
    Matching,
    MultipleChoice,
    Numeric,
    Question,
    Scenario,
    Sequencing,
    SingleChoice,
    TrueFalse,
)
from builder.targets import Target
from builder.templates import render, tojson_compact

#: Characters a numeric answer may have (the learner state keeps them; docs/runtime.md).
NUMERIC_MAX_LENGTH = 32
#: The key of the course-end survey's section: no module, so no "/" (module keys have one).
SURVEY_KEY = "survey"
#: The page listing `glossary.yaml`, linked from the contents (docs/authoring.md).
GLOSSARY_PAGE = "glossary.html"

SectionKind = Literal["page", "pre-test", "post-test", "survey"]


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

    @property
    def max_length(self) -> int | None:
        """The most characters a typed answer may have (fill-in and numeric), else None."""
        if isinstance(self.spec, FillIn):
            return self.spec.max_length
        return NUMERIC_MAX_LENGTH if isinstance(self.spec, Numeric) else None


def _num(value: float) -> str:
    return f"{value:g}"


def question_view(dom_id: str, q: Question, cat: Catalogue | None = None) -> QuestionView:
    """The view of `q`: options with ids (authored position: a, b, c…) and the answer key.

    Labels the runtime adds (True/False, Step n, the answer line) come from `cat` (English).
    """
    t = (cat or english()).text
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
            Choice("true", t("page.true"), q.answer, q.feedback_true),
            Choice("false", t("page.false"), not q.answer, q.feedback_false),
        )
        label = t("page.true") if q.answer else t("page.false")
        return QuestionView(dom_id, q, opts, (), (str(q.answer).lower(),), label)
    if isinstance(q, Matching | Sequencing):
        texts = [p.target for p in q.pairs] if isinstance(q, Matching) else list(q.steps)
        ids = tuple(choice_ids(len(texts)))
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
            slots = tuple(t("page.step", number=n) for n in range(1, len(texts) + 1))
            answer = "; ".join(f"{n}. {t}" for n, t in enumerate(texts, start=1))
        return QuestionView(dom_id, q, opts, slots, ids, answer)
    if isinstance(q, FillIn):
        # The expected answer; other accepted spellings are for scoring, not for showing.
        return QuestionView(dom_id, q, correct=q.answers, answer=q.answers[0])
    if isinstance(q, Numeric):
        low, high = q.range or (q.answer or 0.0, q.answer or 0.0)
        answer = _num(low) if low == high else t("page.range", low=_num(low), high=_num(high))
        return QuestionView(dom_id, q, answer=answer)
    if isinstance(q, Likert):
        scale = choice_ids(len(q.scale))
        return QuestionView(
            dom_id, q, tuple(Choice(i, t) for i, t in zip(scale, q.scale, strict=True))
        )
    return QuestionView(dom_id, q)


@dataclass(frozen=True, slots=True)
class Quiz:
    """A form of questions: an assessment, or one knowledge check at the end of a page."""

    key: str
    kind: str
    questions: tuple[QuestionView, ...]
    #: The module whose interactions these are ("" for the course-end survey).
    module: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """One `<section class="cp-page">`: a content page, a pre-test or a post-test."""

    key: str
    kind: SectionKind
    title: str
    #: None for the course-end survey, which belongs to no module.
    module: Module | None
    number: int
    html: Markup | None
    quiz: Quiz | None
    checks: tuple[Quiz, ...]

    @property
    def dom_id(self) -> str:
        """The section's id; internal links in page HTML point at `#page-<key>`."""
        return f"page-{self.key}"


def _quiz(
    key: str,
    kind: str,
    questions: tuple[Question, ...],
    module: str = "",
    cat: Catalogue | None = None,
) -> Quiz:
    # Slugs never contain "--", so it separates the parts of a DOM id unambiguously.
    base = key.replace("/", "--")
    views = tuple(question_view(f"q-{base}--{q.id}", q, cat) for q in questions)
    return Quiz(key, kind, views, module)


def _checks(
    module: Module, ids: tuple[str, ...], page_key: str, cat: Catalogue | None = None
) -> tuple[Quiz, ...]:
    pool = {q.id: q for q in module.checks.spec.questions} if module.checks else {}
    missing = [i for i in ids if i not in pool]
    if missing:
        raise TemplateError(f"{page_key}: no knowledge check with id {', '.join(missing)}")
    return tuple(_quiz(f"{module.id}/check/{i}", "check", (pool[i],), module.id, cat) for i in ids)


#: A link the loader made to another page of the course (`#page-<module>/<page>`).
PAGE_LINK = re.compile(r'<a href="#page-([^"]+)"[^>]*>(.*?)</a>', re.S)


def _unlink_absent(html: str, keys: set[str]) -> str:
    """Keep the text of links to pages this package does not hold (one module of a split)."""
    return PAGE_LINK.sub(lambda m: m.group(0) if m.group(1) in keys else m.group(2), html)


def sections(course: Course, cat: Catalogue | None = None) -> list[Section]:
    """Every section in reading order: per module its pre-test, its pages, its post-test."""
    t = (cat or english()).text
    out: list[Section] = []
    keys = {f"{m.id}/{p.id}" for m in course.modules for p in m.pages}
    for number, module in enumerate(course.modules, start=1):
        pre, post = module.pre_test, module.post_test
        if pre is not None:
            key = f"{module.id}/pre-test"
            out.append(
                Section(
                    key,
                    "pre-test",
                    pre.title or t(f"page.title.{pre.kind}"),
                    module,
                    number,
                    None,
                    _quiz(key, "pre-test", pre.spec.questions, module.id, cat),
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
                    Markup(_unlink_absent(page.html, keys)),
                    None,
                    _checks(module, page.checks, key, cat),
                )
            )
        if post is not None:
            key = f"{module.id}/post-test"
            out.append(
                Section(
                    key,
                    "post-test",
                    post.title or t(f"page.title.{post.kind}"),
                    module,
                    number,
                    None,
                    _quiz(key, "post-test", post.spec.questions, module.id, cat),
                    (),
                )
            )
    if course.survey is not None:
        quiz = _quiz(SURVEY_KEY, "survey", course.survey.spec.questions, "", cat)
        number = len(course.modules) + 1
        title = course.survey.title or t("page.title.survey")
        out.append(Section(SURVEY_KEY, "survey", title, None, number, None, quiz, ()))
    return out


def _question_data(view: QuestionView, course_iri: str, quiz: Quiz) -> dict[str, Any]:
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
        data["best"] = scenario_best(q)[0]
    if view.max_length is not None:
        data["maxLength"] = view.max_length
    data["interaction"] = describe_question(course_iri, quiz.module, quiz.kind, q)
    return data


def _assessment_data(
    quiz: Quiz,
    course_iri: str,
    spec: Assessment | None,
    page: str | None,
    objective_index: int = 0,
) -> dict[str, Any]:
    """One assessment of the course data; `objective_index` places a post-test's objective."""
    data: dict[str, Any] = {
        "kind": quiz.kind,
        "module": quiz.module,
        "draw": spec.spec.draw if spec else None,
        "shuffle": spec.spec.shuffle if spec else False,
        # Only post-tests are retaken; pre-tests, checks and the survey are answered once.
        "attempts": spec.spec.attempts if spec and quiz.kind == "post-test" else 1,
        "questions": [_question_data(v, course_iri, quiz) for v in quiz.questions],
    }
    if quiz.kind == "post-test":
        data["objective"] = {**objective_ids(course_iri, quiz.module), "index": objective_index}
    if page is not None:
        data["page"] = page
    return data


def _spec_of(course: Course, section: Section) -> Assessment | None:
    if section.module is None:
        return course.survey
    module = section.module
    return module.pre_test if section.kind == "pre-test" else module.post_test


def course_data(
    course: Course,
    target: Target,
    state_level: int = 0,
    lrs: dict[str, str] | None = None,
    unit: tuple[int, int] | None = None,
    cat: Catalogue | None = None,
) -> dict[str, Any]:
    """The JSON the runtime reads from `#coursepack-data` (see docs/runtime.md).

    `state_level` is how much learner state the runtime keeps (`builder.state.LEVELS`); `lrs` is
    `builder.lrs.lrs_data` of a dual-track build, left out when None; `unit` is (index, count)
    of this launch page among a package's units, left out when the package has one.
    """
    spec = course.spec
    pages = []
    assessments: dict[str, Any] = {}
    objectives = 0  # post-test objectives so far: each one's fixed place in cmi.objectives
    for s in sections(course):
        module = s.module.id if s.module else ""
        pages.append({"key": s.key, "module": module, "kind": s.kind, "title": s.title})
        if s.quiz is not None:
            assessments[s.key] = _assessment_data(
                s.quiz, spec.id, _spec_of(course, s), None, objectives
            )
            if s.kind == "post-test":
                objectives += 1
        for check in s.checks:
            assessments[check.key] = _assessment_data(check, spec.id, None, s.key)
    # Each question carries only the correct-response formats this package's runtime reads.
    formats = {target.pattern_format, "xapi" if lrs is not None or target.statements else None}
    for assessment in assessments.values():
        for question in assessment["questions"]:
            described = question["interaction"]
            described["correct"] = {k: v for k, v in described["correct"].items() if k in formats}
    data: dict[str, Any] = {
        "course": {
            "id": spec.id,
            "title": spec.title,
            "version": spec.version,
            "language": spec.language,
            "masteryScore": spec.mastery_score,
            "completion": spec.completion,
            "interactions": {
                "kinds": list(INTERACTION_KINDS[spec.lms_interactions]),
                "attempts": spec.lms_interaction_attempts,
            },
        },
        "standard": target.standard,
        "stateLevel": state_level,
        # The runtime's strings in the course's language (builder/catalogue.py).
        "messages": (cat or english()).runtime(),
        "pages": pages,
        "assessments": assessments,
    }
    if lrs is not None:
        data["lrs"] = lrs
    if unit is not None and unit[1] > 1:
        data["unit"] = {"index": unit[0], "count": unit[1]}
    # The contract with the runtime (builder/course_data.py): what does not fit is never shipped.
    return checked(data)


#: What the page holds where the course data goes while its shell is rendered once per course.
_SLOT = {"coursepack": "data-slot"}


def render_pages(
    course: Course,
    env: jinja2.Environment,
    target: Target,
    data: dict[str, Any] | None = None,
    cat: Catalogue | None = None,
    shells: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> list[OutputFile]:
    """`index.html` holding the whole course, `glossary.html` if there is a glossary, and every
    module asset at its `arcname`.

    `data` is the course data the build has already made for this package (`course_data`);
    without it, the course data of `target` at state level 0. Only the course data differs
    between targets, so with `shells` (a dict the build keeps for one build) the pages of a
    course are rendered once and each target's data is put into them.
    """
    t = (cat or english()).text
    # One build reads one course: its part (the unit, or "" for the whole) names the pages.
    key = (course.unit or "", cat.language if cat else "en")
    if shells is None or key not in shells:
        page = render(
            env,
            "pages/index.html",
            course=course,
            sections=sections(course, cat),
            data=_SLOT,
            t=t,
            mastery=course.spec.mastery_score,
            glossary_href=GLOSSARY_PAGE,
        )
        glossary = ""
        if course.glossary:
            # A page of its own, opened beside the course so the LMS session is never left.
            entries = sorted(course.glossary, key=lambda e: (e.term.casefold(), e.term))
            glossary = render(env, "pages/glossary.html", course=course, entries=entries, t=t)
        if shells is not None:
            shells[key] = (page, glossary)
    else:
        page, glossary = shells[key]
    data = course_data(course, target, cat=cat) if data is None else data
    html = page.replace(tojson_compact(_SLOT), tojson_compact(data), 1)
    files = [OutputFile("index.html", html.encode("utf-8"))]
    if glossary:
        files.append(OutputFile(GLOSSARY_PAGE, glossary.encode("utf-8")))
    files += [OutputFile(a.arcname, a.data) for m in course.modules for a in m.assets]
    return files
