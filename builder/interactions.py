"""How each question is reported to an LMS or LRS: one standard-neutral interaction description.

The build embeds the description in the course data, and it is the only place that decides how a
question is reported: the runtime turns it and the learner's response into SCORM 1.2 / SCORM 2004
`cmi.interactions.n.*` values (`util/interactions.js`) and into the xAPI `cmi.interaction` activity
definition (`xapi/interactions.js`) with `result.response` from `formatResponse("xapi", …)`.
Everything here is pure and deterministic.

Ids: xAPI uses an IRI below the course IRI (`iri`, `builder.ids.activity_iri`), the same in every
build and version. SCORM 1.2 and 2004 both use `scormId`, a CMIIdentifier (`[A-Za-z0-9_-]`, at
most 255): the readable `<module>_<kind>_<question>`, unique within the SCO that reports it. It is
short on purpose: an LMS like scorm-again sends the whole CMI tree at every commit, and the
Terminate commit goes by `sendBeacon`, capped at 64 KiB (builder/commit.py budgets it).
"""

from __future__ import annotations

import functools
import re
import uuid
from decimal import Decimal
from typing import Any, TypeAlias

from builder.ids import activity_iri
from builder.questions import (
    FillIn,
    FreeText,
    Likert,
    Matching,
    MultipleChoice,
    Numeric,
    Question,
    Scenario,
    Sequencing,
    SingleChoice,
    TrueFalse,
    scenario_order,
)

#: Component ids by position: the single characters SCORM 1.2 allows in choice responses.
CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz0123456789"
#: Matching sources count from 0 so that a pair reads "0.a", never "a.a".
SOURCE_IDS = "0123456789abcdefghijklmnopqrstuvwxyz"
#: SCORM 2004 RTE: description SPM 250; long_identifier_type SPM 4000; 1.2 CMIIdentifier 255.
DESCRIPTION_2004 = 250
LONG_ID = 4000
PATTERN_12 = 255
#: scorm-again 3.4.3 checks a whole fill-in pattern, `{case_matters=…}` included, against 250.
PATTERN_2004 = 250
#: How many best paths of a scenario are listed as correct responses.
MAX_PATHS = 5

#: The assessment kinds each `lms_interactions` choice of course.yaml records in the LMS.
INTERACTION_KINDS: dict[str, tuple[str, ...]] = {
    "all": ("pre-test", "check", "post-test", "survey"),
    "assessed": ("pre-test", "post-test"),
    "post-test": ("post-test",),
    "none": (),
}

_NOT_ID12 = re.compile(r"[^A-Za-z0-9_-]+")

Pattern = dict[str, list[str]]


def plain(text: str) -> str:
    """Text on one line: every run of whitespace (newlines included) becomes one space."""
    return " ".join(text.split())


def description_2004(text: str) -> str:
    """A cmi.interactions.n.description value: plain, at most 250 characters, no leading `{`."""
    out = plain(text)
    # A leading "{" would be read as a {lang=…} delimiter (RTE characterstring rules).
    if out.startswith("{"):
        out = "(" + out[1:]
    if len(out) > DESCRIPTION_2004:
        out = out[: DESCRIPTION_2004 - 1].rstrip() + "…"
    return out


def decimal(value: float) -> str:
    """A number as SCORM's decimal type writes it: no exponent, no trailing zeros."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def objective_ids(course_iri: str, module_id: str) -> dict[str, str]:
    """The ids of a module's objective: in cmi.objectives (1.2 and 2004) and in xAPI."""
    return {
        "scormId": _id12(module_id),
        "iri": _long_id(f"{activity_iri(course_iri, module_id)}#objective"),
    }


def interaction_ids(
    course_iri: str, module_id: str, assessment_kind: str, question_id: str
) -> dict[str, str]:
    """The ids of a question's interactions: in cmi.interactions (1.2 and 2004) and in xAPI."""
    parts = [p for p in (module_id, assessment_kind, question_id) if p]
    return {
        "scormId": _id12("_".join(parts)),
        "iri": _long_id(activity_iri(course_iri, *parts)),
    }


def describe_question(
    course_iri: str, module_id: str, assessment_kind: str, question: Question
) -> dict[str, Any]:
    """The JSON-ready interaction description of `question` (see docs/runtime.md)."""
    ids = interaction_ids(course_iri, module_id, assessment_kind, question.id)
    data: dict[str, Any] = {
        **ids,
        "type": _TYPES[question.type],
        "description": plain(question.prompt),
        "description2004": description_2004(question.prompt),
        "weighting": question.weight if question.scored else 0,
        "objective": objective_ids(course_iri, module_id) if question.scored else None,
    }
    components, correct = _components(question)
    data.update(components)
    data["correct"] = correct
    if isinstance(question, FreeText):
        # SCORM 1.2 has no long-fill-in: its fill-in keeps 255 characters of the answer
        # (util/interactions.js cuts the LMS record only; xAPI and 2004 keep more).
        data["scorm12Type"] = "fill-in"
    return data


def choice_ids(count: int) -> list[str]:
    """Ids of `count` components in authored order: a, b, c… then 0-9."""
    if count > len(CHOICE_IDS):
        raise ValueError(f"expected at most {len(CHOICE_IDS)} components, found {count}")
    return list(CHOICE_IDS[:count])


def scenario_best(question: Scenario) -> tuple[int, list[list[tuple[str, int]]]]:
    """The best points of a scenario and up to 5 paths that earn them, as (step, option index).

    Dynamic programming over the steps (a DAG; a cycle is a `ValueError`), computed once per
    scenario: linear in its options, however many paths there are.
    """
    best, paths = _scenario_best(question)
    return best, [list(p) for p in paths]


_Prefix: TypeAlias = "tuple[tuple[str, int], _Prefix] | None"


@functools.lru_cache(maxsize=1024)
def _scenario_best(q: Scenario) -> tuple[int, tuple[tuple[tuple[str, int], ...], ...]]:
    order, cycle = scenario_order(q)
    if cycle is not None:
        raise ValueError(f"scenario {q.id}: steps loop ({' -> '.join(cycle)})")
    steps = {s.id: s for s in q.steps}
    best: dict[str, int] = {}

    def gain(option_points: int, next_id: str | None) -> int:
        return option_points + (best[next_id] if next_id and next_id in steps else 0)

    for sid in order:  # every step after the steps it leads to
        best[sid] = max(gain(o.points, o.next) for o in steps[sid].options)
    # The first MAX_PATHS best paths in option order, depth first; a prefix is a linked list.
    paths: list[tuple[tuple[str, int], ...]] = []
    stack: list[tuple[str | None, _Prefix]] = [(q.steps[0].id, None)]
    while stack and len(paths) < MAX_PATHS:
        at, prefix = stack.pop()
        if at is None:  # a whole path
            path: list[tuple[str, int]] = []
            while prefix is not None:
                path.append(prefix[0])
                prefix = prefix[1]
            paths.append(tuple(reversed(path)))
            continue
        for i, o in reversed(list(enumerate(steps[at].options))):
            if gain(o.points, o.next) == best[at]:
                ends = not (o.next and o.next in steps)
                stack.append((None if ends else o.next, ((at, i), prefix)))
    return best[q.steps[0].id], tuple(paths[:MAX_PATHS])


_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "true-false": "true-false",
    "matching": "matching",
    "sequencing": "sequencing",
    "fill-in": "fill-in",
    "numeric": "numeric",
    "likert": "likert",
    # An open answer, never correct or wrong: no correct response (xAPI-Data 2.4.4.1).
    "text": "long-fill-in",
    # A branching case is a series of steps each answered in turn: SCORM/xAPI "performance",
    # whose `steps` component and step[.]answer pattern fit it (RTE 4.2.9, xAPI-Data 2.4.4.1).
    "scenario": "performance",
}


def _id12(text: str) -> str:
    return _NOT_ID12.sub("-", text)[:PATTERN_12] or "-"


def _long_id(iri: str) -> str:
    if len(iri) <= LONG_ID:
        return iri
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, iri)}"


def _listed(texts: list[str], alphabet: str = CHOICE_IDS) -> list[dict[str, str]]:
    ids = [alphabet[i] for i in range(len(texts))]
    return [{"id": i, "text": plain(t)} for i, t in zip(ids, texts, strict=True)]


def _patterns(p12: list[str], p2004: list[str], xapi: list[str]) -> Pattern:
    return {
        "scorm12": [p for p in p12 if len(p) <= PATTERN_12],
        "scorm2004": [p for p in p2004 if len(p) <= PATTERN_2004],
        "xapi": xapi,
    }


def _same(patterns12: list[str], patterns: list[str]) -> Pattern:
    return _patterns(patterns12, patterns, patterns)


def _components(q: Question) -> tuple[dict[str, Any], Pattern]:
    """The xAPI-style components of `q` and its correct-response patterns per standard."""
    if isinstance(q, SingleChoice | MultipleChoice):
        ids = [c.id or CHOICE_IDS[i] for i, c in enumerate(q.choices)]
        choices = [{"id": i, "text": plain(c.text)} for i, c in zip(ids, q.choices, strict=True)]
        right = [i for i, c in zip(ids, q.choices, strict=True) if c.correct]
        return {"choices": choices}, _same([",".join(right)], ["[,]".join(right)])
    if isinstance(q, TrueFalse):
        return {}, _same(["t" if q.answer else "f"], ["true" if q.answer else "false"])
    if isinstance(q, Matching):
        return _matching(q)
    if isinstance(q, Sequencing):
        ids = choice_ids(len(q.steps))
        return {"choices": _listed(list(q.steps))}, _same([",".join(ids)], ["[,]".join(ids)])
    if isinstance(q, FillIn):
        flag = f"{{case_matters={'true' if q.case_sensitive else 'false'}}}"
        answers = [plain(a) for a in q.answers]
        return {"caseSensitive": q.case_sensitive}, _same(answers, [flag + a for a in answers])
    if isinstance(q, Numeric):
        if q.range is not None:
            span = f"{decimal(q.range[0])}[:]{decimal(q.range[1])}"
            # SCORM 1.2 numeric patterns are one CMIDecimal: a range has no 1.2 form.
            return {}, _patterns([], [span], [span])
        exact = decimal(q.answer if q.answer is not None else 0)
        return {}, _patterns([exact], [f"{exact}[:]{exact}"], [exact])
    if isinstance(q, Likert):
        return {"scale": _listed(list(q.scale))}, _patterns([], [], [])
    if isinstance(q, FreeText):
        return {}, _patterns([], [], [])
    return _scenario(q)


def _matching(q: Matching) -> tuple[dict[str, Any], Pattern]:
    # One target per pair, by position, as the page's drop-downs list them (builder/render.py).
    source = _listed([p.source for p in q.pairs], SOURCE_IDS)
    target = _listed([p.target for p in q.pairs])
    pairs = [(s["id"], t["id"]) for s, t in zip(source, target, strict=True)]
    return {"source": source, "target": target}, _same(
        [",".join(f"{s}.{t}" for s, t in pairs)], ["[,]".join(f"{s}[.]{t}" for s, t in pairs)]
    )


def _scenario(q: Scenario) -> tuple[dict[str, Any], Pattern]:
    steps = [
        {
            "id": s.id,
            "text": plain(s.text),
            "options": [
                {"id": str(i), "text": plain(o.text), "next": o.next}
                for i, o in enumerate(s.options)
            ],
        }
        for s in q.steps
    ]
    best, paths = scenario_best(q)
    p12 = [",".join(f"{s}.{o}" for s, o in path) for path in paths]
    p2004 = ["[,]".join(f"{s}[.]{o}" for s, o in path) for path in paths]
    return {"steps": steps, "best": best}, _same(p12, p2004)
