"""A seeded cohort of learners taking a course, as xAPI statements, with what really happened.

`cohort()` walks each learner through the course in the sources (pages, pre-test, post-test with
a retake when failed, the survey, a free-text comment) and optionally the follow-up unit, drawing
every choice from a seeded generator, and records the ground truth beside the statements:
`Truth`. Some learners stop part way. A few statements are sent twice and a few survey answers
are voided by a later statement. Tests compute the expected report from the truth, never from
the report's own code. The statements have the shape the runtime sends (docs/xapi.md).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from builder.ids import activity_iri
from builder.interactions import describe_question
from builder.loader import load_course
from builder.vocabulary import load_profile

ORGS = ("https://lms.court-a.example", "https://lms.court-b.example")
LANGS = ("en", "fr")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@dataclass
class LearnerTruth:
    """What one learner did."""

    key: str
    org: str
    lang: str
    completed: bool = False
    pages: list[str] = field(default_factory=list)  # page IRIs seen, in order
    started: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    attempts: dict[str, int] = field(default_factory=dict)
    pre: dict[str, float] = field(default_factory=dict)
    post: dict[str, float] = field(default_factory=dict)  # first attempt
    answers: dict[str, tuple[bool | None, str]] = field(default_factory=dict)  # first answers
    session_minutes: float = 0.0
    retention: float | None = None


@dataclass
class Truth:
    """The cohort's truth, plus how many duplicates and voided statements were sent."""

    learners: list[LearnerTruth]
    duplicates: int = 0
    voided: int = 0
    comments: int = 0


class _Writer:
    def __init__(self, rng: random.Random, course: Any, who: LearnerTruth, actor: dict[str, Any]):
        self.rng, self.course, self.who, self.actor = rng, course, who, actor
        self.p = load_profile()
        self.registration = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.clock = START + timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
        self.out: list[dict[str, Any]] = []

    def emit(
        self,
        verb: str,
        obj: str,
        otype: str,
        *,
        parent: str | None = None,
        grouping: tuple[str, ...] = (),
        kind: str | None = None,
        result: dict[str, Any] | None = None,
        interaction: str | None = None,
        minutes: float = 1.0,
    ) -> dict[str, Any]:
        self.clock += timedelta(minutes=minutes)
        ext = {self.p.extension("course-version"): self.course.spec.version}
        if kind:
            ext[self.p.extension("assessment-kind")] = kind
        ca: dict[str, Any] = {}
        if parent:
            ca["parent"] = [{"id": parent, "objectType": "Activity"}]
        if grouping:
            ca["grouping"] = [{"id": g, "objectType": "Activity"} for g in grouping]
        definition: dict[str, Any] = {"type": otype}
        if interaction:
            definition["interactionType"] = interaction
        s: dict[str, Any] = {
            "id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "actor": self.actor,
            "verb": {"id": self.p.verb(verb) if verb != "voided" else VOIDED},
            "object": {"objectType": "Activity", "id": obj, "definition": definition},
            "context": {
                "registration": self.registration,
                "language": self.who.lang,
                "contextActivities": ca,
                "extensions": ext,
            },
            "timestamp": self.clock.isoformat().replace("+00:00", "Z"),
        }
        if result:
            s["result"] = result
        self.out.append(s)
        return s


def _response(d: dict[str, Any], right: bool, rng: random.Random) -> str:
    if d["type"] == "choice":
        correct = d["correct"]["xapi"][0]
        ids = [c["id"] for c in d["choices"]]
        wrong = [i for i in ids if i not in correct.split("[,]")]
        return correct if right or not wrong else rng.choice(wrong)
    if d["type"] == "true-false":
        truth = d["correct"]["xapi"][0] == "true"
        return "true" if truth == right else "false"
    return "x" if right else "y"


def cohort(
    source: Path, learners: int = 200, seed: int = 7, follow_up: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], Truth]:
    """Statements of `learners` learners of the course in `source`, and the truth."""
    rng = random.Random(seed)
    course = load_course(source)
    iri = course.id.rstrip("/")
    p = load_profile()
    types = {n: p.activity_type(n) for n in p.activity_types}
    truth = Truth([])
    statements: list[dict[str, Any]] = []
    for n in range(learners):
        org, lang = ORGS[n % 2], rng.choice(LANGS)
        name = f"learner-{n:05d}"
        who = LearnerTruth(f"{org}|{name}", org, lang)
        actor = {"objectType": "Agent", "account": {"homePage": org, "name": name}}
        w = _Writer(rng, course, who, actor)
        ability = rng.uniform(0.2, 0.9)
        # Where this learner stops: None = goes through; else (module index, page index).
        stop = None if rng.random() < 0.7 else (rng.randrange(len(course.modules)), 0)
        w.emit("initialized", iri, types["course"])
        all_done = True
        for mi, m in enumerate(course.modules):
            mod = activity_iri(iri, m.id)
            if m.pre_test:
                _test(w, rng, iri, m, m.pre_test, ability - 0.15, types, who)
            for pi, page in enumerate(m.pages):
                piri = activity_iri(iri, m.id, page.id)
                w.emit("experienced", piri, types["lesson"], parent=mod, grouping=(iri,))
                who.pages.append(piri)
                who.started.add(m.id)
                if stop is not None and stop[0] == mi and pi >= min(stop[1], len(m.pages) - 1):
                    break
            if stop is not None and stop[0] == mi:
                all_done = False
                break
            if m.post_test:
                for attempt in (1, 2):
                    boost = 0.2 + 0.15 * (attempt - 1)
                    ok = _test(w, rng, iri, m, m.post_test, ability + boost, types, who, attempt)
                    who.attempts[m.id] = attempt
                    if ok:
                        who.passed.add(m.id)
                        break
            if m.post_test and m.id not in who.passed:
                all_done = False
                continue
            w.emit("completed", mod, types["module"], parent=iri, result={"completion": True})
            who.done.add(m.id)
        if all_done:
            w.emit("completed", iri, types["course"], result={"completion": True})
            who.completed = True
            if course.survey:
                _survey(w, rng, iri, course.survey, types, who, truth)
        minutes = round(rng.uniform(20, 200), 1)
        who.session_minutes = minutes
        w.emit("terminated", iri, types["course"], result={"duration": f"PT{int(minutes * 60)}S"})
        if follow_up and who.completed and rng.random() < 0.6:
            _follow_up(w, rng, iri, follow_up, ability, types, who)
        truth.learners.append(who)
        statements += w.out
    _duplicate_and_void(rng, statements, truth)
    return statements, truth


def _test(
    w: _Writer,
    rng: random.Random,
    iri: str,
    m: Any,
    a: Any,
    ability: float,
    types: dict[str, str],
    who: LearnerTruth,
    attempt: int = 1,
) -> bool:
    """Answer every question of `a`; the score; True when a post-test is passed."""
    key = activity_iri(iri, m.id, a.kind)
    mod = activity_iri(iri, m.id)
    got = total = 0.0
    for q in a.spec.questions:
        d = describe_question(iri, m.id, a.kind, q)
        # One question a learner gets right more often the weaker they are: negative discrimination.
        chance = (1.1 - ability) if q.id.endswith("-trap") else ability
        right = rng.random() < max(0.02, min(0.98, chance))
        response = _response(d, right, rng)
        w.emit(
            "answered",
            d["iri"],
            types["cmi.interaction"],
            parent=key,
            grouping=(mod, iri),
            kind=a.kind,
            interaction=d["type"],
            result={"success": right, "response": response},
            minutes=0.5,
        )
        who.answers.setdefault(d["iri"], (right, response))
        got += q.weight * right
        total += q.weight
    scaled = round(got / total, 4)
    score = {"scaled": scaled, "raw": got, "min": 0, "max": total}
    if a.kind == "pre-test":
        w.emit("completed", key, types["assessment"], parent=mod, grouping=(iri,), kind=a.kind,
               result={"score": score, "completion": True})  # fmt: skip
        who.pre[m.id] = scaled
        return True
    passed = scaled >= 0.8
    w.emit("passed" if passed else "failed", key, types["assessment"], parent=mod,
           grouping=(iri,), kind=a.kind, result={"score": score, "success": passed})  # fmt: skip
    who.post.setdefault(m.id, scaled)
    return passed


def _survey(
    w: _Writer, rng: random.Random, iri: str, survey: Any, types: dict[str, str],
    who: LearnerTruth, truth: Truth,
) -> None:  # fmt: skip
    key = activity_iri(iri, "survey")
    for q in survey.spec.questions:
        d = describe_question(iri, "", "survey", q)
        if d["type"] == "long-fill-in":  # the open question: answered by about half
            if rng.random() < 0.5:
                w.emit("answered", d["iri"], types["cmi.interaction"], parent=key,
                       grouping=(iri,), kind="survey", interaction="long-fill-in",
                       result={"response": f"My name is {who.key}; useful course."})  # fmt: skip
                truth.comments += 1
            continue
        point = rng.choice([c["id"] for c in d["scale"]])
        s = w.emit("answered", d["iri"], types["cmi.interaction"], parent=key, grouping=(iri,),
                   kind="survey", interaction="likert", result={"response": point})  # fmt: skip
        who.answers[d["iri"]] = (None, point)
        if rng.random() < 0.05:  # withdrawn later: a voiding statement (xAPI-Data §2.3.2)
            w.out.append({**s, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                          "verb": {"id": VOIDED},
                          "object": {"objectType": "StatementRef", "id": s["id"]},
                          "result": None})  # fmt: skip
            del w.out[-1]["result"]
            del who.answers[d["iri"]]
            truth.voided += 1
    if not any(q.type == "text" for q in survey.spec.questions) and rng.random() < 0.5:
        # A course without an open question: a comment all the same, as a long-fill-in answer.
        w.emit("answered", activity_iri(key, "comments"), types["cmi.interaction"], parent=key,
               grouping=(iri,), kind="survey", interaction="long-fill-in",
               result={"response": f"My name is {who.key}; useful course."})  # fmt: skip
        truth.comments += 1


def _follow_up(
    w: _Writer, rng: random.Random, iri: str, follow_up: dict[str, Any], ability: float,
    types: dict[str, str], who: LearnerTruth,
) -> None:  # fmt: skip
    w.clock += timedelta(days=90)
    test = activity_iri(iri, "follow-up", "retention-test")
    got = 0
    questions = follow_up["retention-test"]
    for q in questions:
        right = rng.random() < ability
        qiri = activity_iri(test, q["id"])
        w.emit("answered", qiri, types["cmi.interaction"], parent=test, grouping=(iri,),
               kind="retention-test", interaction="true-false",
               result={"success": right, "response": "true"})  # fmt: skip
        who.answers[qiri] = (right, "true")
        got += right
    scaled = round(got / len(questions), 4)
    w.emit("completed", test, types["assessment"], grouping=(iri,), kind="retention-test",
           result={"score": {"scaled": scaled, "raw": got, "min": 0, "max": len(questions)},
                   "completion": True})  # fmt: skip
    who.retention = scaled
    survey = activity_iri(iri, "follow-up", "practice-survey")
    point = rng.choice("abcde")
    qiri = activity_iri(survey, "changed-practice")
    w.emit("answered", qiri, types["cmi.interaction"], parent=survey, grouping=(iri,),
           kind="practice-survey", interaction="likert", result={"response": point})  # fmt: skip
    who.answers[qiri] = (None, point)


def _duplicate_and_void(rng: random.Random, statements: list[dict[str, Any]], truth: Truth) -> None:
    """Send about 1 % of the statements a second time (same id), somewhere later."""
    extra = [s for s in statements if rng.random() < 0.01]
    for s in extra:
        statements.insert(rng.randrange(len(statements) + 1), s)
    truth.duplicates = len(extra)


def statements_stream(source: Path, total: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    """At least `total` statements, cohort after cohort (for the benchmark)."""
    made, batch = 0, 0
    while made < total:
        statements, _ = cohort(source, learners=200, seed=seed + batch)
        batch += 1
        for s in statements:
            s["actor"] = {**s["actor"], "account": {**s["actor"]["account"],
                          "name": f"{s['actor']['account']['name']}-{batch}"}}  # fmt: skip
            yield s
        made += len(statements)
