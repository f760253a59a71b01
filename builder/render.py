"""Stage 3 (pure): the learner-facing pages of a package and the course data the runtime reads.

One `index.html` holds the whole course, every page and assessment a `<section>` in reading order
(`builder/sections.py`), so it reads top to bottom without JavaScript; the runtime then shows one
section at a time.
"""

from __future__ import annotations

from typing import Any

import jinja2

from builder import bench_cards
from builder.catalogue import Catalogue, english
from builder.course_data import checked
from builder.files import OutputFile
from builder.ids import activity_iri
from builder.interactions import (
    INTERACTION_KINDS,
    describe_question,
    objective_ids,
    scenario_best,
)
from builder.model import FOLLOW_UP, Assessment, Course
from builder.questions import (
    FillIn,
    Numeric,
    Scenario,
)
from builder.sections import SURVEY_KEY, QuestionView, Quiz, Section, sections
from builder.targets import Target
from builder.templates import render, tojson_compact

__all__ = [
    "GLOSSARY_PAGE",
    "SURVEY_KEY",
    "DataParts",
    "Shells",
    "course_data",
    "render_pages",
    "sections",
]

#: The page listing `glossary.yaml`, linked from the contents (docs/authoring.md).
GLOSSARY_PAGE = "glossary.html"


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
    # The survey's and the follow-up's questions belong to no module: their key names the scope
    # ("" for the survey, `follow-up` below which the follow-up's IRIs are).
    scope = quiz.module or quiz.key.rpartition("/")[0]
    data["interaction"] = describe_question(course_iri, scope, quiz.kind, q)
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
    if course.follow_up is not None and section.kind == "retention-test":
        return course.follow_up.retention_test
    if course.follow_up is not None and section.kind == "practice-survey":
        return course.follow_up.practice_survey
    if section.module is None:
        return course.survey
    module = section.module
    return module.pre_test if section.kind == "pre-test" else module.post_test


#: What `course_data` keeps for one build: per (unit, language) the reading order and the
#: assessments with every correct-response format, the same for every target.
DataParts = dict[tuple[str, str], tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]]


def _parts(
    course: Course, cat: Catalogue | None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The reading order and the assessments of the course data, in every pattern format."""
    spec = course.spec
    pages = []
    assessments: dict[str, dict[str, Any]] = {}
    objectives = 0  # post-test objectives so far: each one's fixed place in cmi.objectives
    for s in sections(course, cat, html=False):
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
    return pages, assessments


def _in_formats(assessment: dict[str, Any], formats: set[str | None]) -> dict[str, Any]:
    """`assessment` (not changed) with only the correct-response patterns in `formats`."""
    questions = []
    for question in assessment["questions"]:
        described = question["interaction"]
        correct = {k: v for k, v in described["correct"].items() if k in formats}
        questions.append({**question, "interaction": {**described, "correct": correct}})
    return {**assessment, "questions": questions}


def course_data(
    course: Course,
    target: Target,
    state_level: int = 0,
    lrs: dict[str, str] | None = None,
    unit: tuple[int, int] | None = None,
    cat: Catalogue | None = None,
    parts: DataParts | None = None,
) -> dict[str, Any]:
    """The JSON the runtime reads from `#coursepack-data` (see docs/runtime.md).

    `state_level` is how much learner state the runtime keeps (`builder.state.LEVELS`); `lrs` is
    `builder.lrs.lrs_data` of a dual-track build, left out when None; `unit` is (index, count)
    of this launch page among a package's units, left out when the package has one. With
    `parts` (a dict the build keeps for one build), what every target shares is made once.
    """
    spec = course.spec
    key = (course.unit or "", cat.language if cat else "en")
    if parts is not None and key in parts:
        pages, every_format = parts[key]
    else:
        pages, every_format = _parts(course, cat)
        if parts is not None:
            parts[key] = (pages, every_format)
    # Each question carries only the correct-response formats this package's runtime reads.
    formats = {target.pattern_format, "xapi" if lrs is not None or target.statements else None}
    assessments = {k: _in_formats(a, formats) for k, a in every_format.items()}
    data: dict[str, Any] = {
        "course": {
            "id": spec.id,
            "unit": course.unit or "course",
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
        "pages": [dict(p) for p in pages],
        "assessments": assessments,
    }
    if course.is_follow_up and course.follow_up is not None:
        data["course"].update(_follow_up_info(course, data["course"]["interactions"]["kinds"]))
    if lrs is not None:
        data["lrs"] = lrs
    if unit is not None and unit[1] > 1:
        data["unit"] = {"index": unit[0], "count": unit[1]}
    # The contract with the runtime (builder/course_data.py): what does not fit is never shipped.
    return checked(data)


#: The follow-up's assessments are recorded in an LMS when their course counterparts are.
_FOLLOW_UP_KINDS = {"post-test": "retention-test", "survey": "practice-survey"}


def _follow_up_info(course: Course, kinds: list[str]) -> dict[str, Any]:
    """What the follow-up unit changes in `course` of the course data (docs/runtime.md)."""
    assert course.follow_up is not None
    return {
        # Complete when both parts are submitted; the retention test's score is the unit's.
        "completion": "all-assessments",
        "interactions": {
            "kinds": [_FOLLOW_UP_KINDS[k] for k in kinds if k in _FOLLOW_UP_KINDS],
            "attempts": 1,
        },
        "followUp": {
            "id": activity_iri(course.id, FOLLOW_UP),
            "courseTitle": course.follow_up.course_title or course.spec.title,
        },
    }


#: What the page holds where the course data goes while its shell is rendered once per course.
_SLOT = {"coursepack": "data-slot"}


#: What `render_pages` keeps for one build: per (unit, language) the page's UTF-8 bytes before
#: and after its course data (None: the template has no data slot), and the files every target
#: of that unit ships the same.
Shells = dict[tuple[str, str], tuple[bytes, bytes | None, list[OutputFile]]]


def render_pages(
    course: Course,
    env: jinja2.Environment,
    target: Target,
    data: dict[str, Any] | None = None,
    cat: Catalogue | None = None,
    shells: Shells | None = None,
) -> list[OutputFile]:
    """`index.html` holding the whole course, `glossary.html` if there is a glossary, the bench
    cards (page and PDF) if there are any, and every module asset at its `arcname`.

    `data` is the course data the build has already made for this package (`course_data`);
    without it, the course data of `target` at state level 0. Only the course data differs
    between targets, so with `shells` (a dict the build keeps for one build) the pages of a
    course are rendered once and each target's data is put into them.
    """
    # One build reads one course: its part (the unit, or "" for the whole) names the pages.
    key = (course.unit or "", cat.language if cat else "en")
    if shells is not None and key in shells:
        head, tail, same = shells[key]
    else:
        page, same = _shell(course, env, cat)
        before, slot, after = page.partition(tojson_compact(_SLOT))
        head, tail = before.encode("utf-8"), after.encode("utf-8") if slot else None
        del page, before, after  # a page is megabytes; only its bytes are kept
        if shells is not None:
            shells[key] = (head, tail, same)
    data = course_data(course, target, cat=cat) if data is None else data
    if tail is None:  # no slot (a template of one's own): the page as rendered
        return [OutputFile("index.html", head), *same]
    # Every target's page begins the same, up to its course data.
    html = b"".join((head, tojson_compact(data).encode("utf-8"), tail))
    return [OutputFile("index.html", html, len(head)), *same]


def _shell(
    course: Course, env: jinja2.Environment, cat: Catalogue | None
) -> tuple[str, list[OutputFile]]:
    """The course page with a slot for the course data, and the files that need no data."""
    t = (cat or english()).text
    page = render(
        env,
        "pages/index.html",
        course=course,
        sections=sections(course, cat),
        data=_SLOT,
        t=t,
        mastery=course.spec.mastery_score,
        glossary_href=GLOSSARY_PAGE,
        bench_cards_href=bench_cards.HTML_NAME,
        bench_cards_pdf=bench_cards.PDF_NAME,
    )
    files = []
    if course.glossary:
        # A page of its own, opened beside the course so the LMS session is never left.
        entries = sorted(course.glossary, key=lambda e: (e.term.casefold(), e.term))
        glossary = render(env, "pages/glossary.html", course=course, entries=entries, t=t)
        files.append(OutputFile(GLOSSARY_PAGE, glossary.encode("utf-8")))
    if course.bench_cards:
        # The cards' printable page beside the glossary, and their PDF (builder/bench_cards.py).
        cards = render(
            env,
            "pages/bench_cards.html",
            course=course,
            cards=course.bench_cards,
            pdf_href=bench_cards.PDF_NAME,
            t=t,
        )
        # The course's own title, also in the follow-up's package: one PDF for every package.
        title = (course.follow_up.course_title if course.follow_up else "") or course.spec.title
        pdf = bench_cards.pdf_bytes(course.bench_cards, title, course.spec.language)
        files.append(OutputFile(bench_cards.HTML_NAME, cards.encode("utf-8")))
        files.append(OutputFile(bench_cards.PDF_NAME, pdf))
    files += [OutputFile(a.arcname, a.data) for m in course.modules for a in m.assets]
    if course.logo is not None:
        files.append(OutputFile(course.logo.arcname, course.logo.data))
    return page, files
