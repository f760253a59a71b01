"""The sections of a course's pages, in reading order, and how each question is shown (pure).

`sections` turns the course into what the templates render: per module its pre-test, its pages
(with their knowledge checks) and its post-test, then the survey; `question_view` gives each
question its options (ids in authored order), slots and answer line, with the words the pages add
from the course's message catalogue. `builder/render.py` renders them and builds the course data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from builder.catalogue import Catalogue, english
from builder.citations import CitedPage, link_citations
from builder.errors import TemplateError
from builder.interactions import CHOICE_IDS, choice_ids
from builder.markdown import body_html
from builder.model import FOLLOW_UP, Assessment, Course, Module
from builder.questions import (
    FillIn,
    FreeText,
    Likert,
    Matching,
    MultipleChoice,
    Numeric,
    Question,
    Sequencing,
    SingleChoice,
    TrueFalse,
)

#: Characters a numeric answer may have (the learner state keeps them; docs/runtime.md).
NUMERIC_MAX_LENGTH = 32
#: The key of the course-end survey's section: no module, so no "/" (module keys have one).
SURVEY_KEY = "survey"

SectionKind = Literal[
    "page", "pre-test", "post-test", "survey", "retention-test", "practice-survey"
]


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
        """The most characters a typed answer may have (fill-in, numeric, text), else None."""
        if isinstance(self.spec, FillIn | FreeText):
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


def _follow_up_sections(course: Course, cat: Catalogue | None = None) -> list[Section]:
    """The follow-up unit: its retention test, then its practice self-report."""
    t = (cat or english()).text
    follow_up = course.follow_up
    assert follow_up is not None
    out: list[Section] = []
    parts: tuple[tuple[SectionKind, Assessment], ...] = (
        ("retention-test", follow_up.retention_test),
        ("practice-survey", follow_up.practice_survey),
    )
    for number, (kind, a) in enumerate(parts, start=1):
        key = f"{FOLLOW_UP}/{kind}"
        quiz = _quiz(key, kind, a.spec.questions, "", cat)
        title = a.title or t(f"page.title.{kind}")
        out.append(Section(key, kind, title, None, number, None, quiz, ()))
    return out


def sections(course: Course, cat: Catalogue | None = None, html: bool = True) -> list[Section]:
    """Every section in reading order: per module its pre-test, its pages, its post-test.

    With `html` false the pages' bodies are left out (None): the course data needs only the
    structure, and rendering Markdown is most of the cost.
    """
    if course.is_follow_up:
        return _follow_up_sections(course, cat)
    t = (cat or english()).text
    out: list[Section] = []
    keys = {f"{m.id}/{p.id}" for m in course.modules for p in m.pages}
    for module in course.modules:
        number = course.number(module.id)
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
        # Citation markers link to the module's references and back (builder/citations.py).
        htmls: list[str | None] = [None] * len(module.pages)
        if html:
            cited = [
                CitedPage(p.id, p.title, _unlink_absent(body_html(p), keys)) for p in module.pages
            ]
            htmls = list(link_citations(module.id, cited, t("page.cited_in")))
        for page, body in zip(module.pages, htmls, strict=True):
            key = f"{module.id}/{page.id}"
            out.append(
                Section(
                    key,
                    "page",
                    page.title,
                    module,
                    number,
                    None if body is None else Markup(body),
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
