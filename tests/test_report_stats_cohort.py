"""The report's statistics on the seeded cohort (`tests/report_cohort.py`), each computed again
here from the cohort's recorded truth with the definitions of `tests/stats_reference.py`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from report_cohort import Truth, cohort
from stats_reference import SEED, correlation_by_hand, hake, percentile_interval, wilson_by_hand

from builder.cli import main
from builder.interactions import describe_question
from builder.loader import load_course

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "modules"
COURSE = load_course(SOURCE)
IRI = COURSE.id.rstrip("/")


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return int(exc.value.code or 0)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Truth]:
    assert COURSE.follow_up is not None
    follow = {
        a.kind: [{"id": q.id, "parallel": q.parallel} for q in a.spec.questions]
        for a in (COURSE.follow_up.retention_test, COURSE.follow_up.practice_survey)
    }
    statements, truth = cohort(SOURCE, learners=80, seed=21, follow_up=follow)
    tmp = tmp_path_factory.mktemp("stats")
    (tmp / "s.json").write_text(json.dumps(statements))
    assert _cli(["report", "--from", str(tmp / "s.json"), "--json", str(tmp / "r.json")]) == 0
    return json.loads((tmp / "r.json").read_text()), truth


def _iri(module: Any, kind: str, q: Any) -> str:
    return str(describe_question(IRI, module.id, kind, q)["iri"])


def test_seeded_intervals(seeded: tuple[dict[str, Any], Truth]) -> None:
    report, truth = seeded
    for row in report["tables"]["participation"]:
        if row["group"] != "all":
            continue
        n = row["launched"]
        assert (row["completion_low"], row["completion_high"]) == pytest.approx(
            wilson_by_hand(row["completed"], n), abs=1e-4
        )
        assert (row["pass_low"], row["pass_high"]) == pytest.approx(
            wilson_by_hand(row["passed"], n), abs=1e-4
        )
    course = next(r for r in report["tables"]["participation"] if r["scope"] == "course")
    assert course["launched"] == len(truth.learners)


def _truth_pairs(truth: Truth, pairs: list[tuple[str, str]]) -> list[tuple[float, float]]:
    out = []
    for x in truth.learners:
        both = [(a, b) for a, b in pairs if a in x.answers and b in x.answers]
        if both:
            out.append(
                (
                    sum(bool(x.answers[a][0]) for a, _ in both) / len(both),
                    sum(bool(x.answers[b][0]) for _, b in both) / len(both),
                )
            )
    return out


def test_seeded_gain_and_its_interval(seeded: tuple[dict[str, Any], Truth]) -> None:
    report, truth = seeded
    every: list[tuple[str, str]] = []
    for m in COURSE.modules:
        assert m.pre_test is not None and m.post_test is not None
        post = {q.id: q for q in m.post_test.spec.questions}
        every += [
            (_iri(m, "pre-test", q), _iri(m, "post-test", post[q.parallel]))
            for q in m.pre_test.spec.questions
            if q.parallel in post
        ]
    pairs = _truth_pairs(truth, every)
    [row] = [r for r in report["tables"]["learning"] if r["scope"] == "course"]
    assert row["learners"] == len(pairs) >= 5
    assert row["gain"] == pytest.approx(hake(pairs), abs=1e-4)
    own = [(b - a) / (1 - a) for a, b in pairs if a < 1]
    assert abs(row["gain"] - sum(own) / len(own)) > 1e-3, "class average, not mean of own gains"
    low, high = percentile_interval(pairs, SEED)
    assert (row["gain_low"], row["gain_high"]) == (
        pytest.approx(low, abs=1e-4),
        pytest.approx(high, abs=1e-4),
    )
    assert row["gain_low"] <= row["gain"] <= row["gain_high"]


def test_seeded_items(seeded: tuple[dict[str, Any], Truth]) -> None:
    report, truth = seeded
    rows = {(r["module"], r["test"], r["question"]): r for r in report["tables"]["items"]}
    for m in COURSE.modules:
        for a in (m.pre_test, m.post_test):
            assert a is not None
            iris = {q.id: _iri(m, a.kind, q) for q in a.spec.questions}
            weight = {q.id: q.weight for q in a.spec.questions}
            for qid, iri in iris.items():
                xs, rest = [], []
                for x in truth.learners:
                    if iri in x.answers:
                        xs.append(float(bool(x.answers[iri][0])))
                        rest.append(
                            sum(
                                weight[o] * bool(x.answers[i][0])
                                for o, i in iris.items()
                                if o != qid and i in x.answers
                            )
                        )
                row = rows[(m.id, a.kind, qid)]
                p = sum(xs) / len(xs)
                r = correlation_by_hand(xs, rest)
                assert (row["answered"], row["difficulty"]) == (len(xs), pytest.approx(p, abs=1e-4))
                assert row["discrimination"] == pytest.approx(r, abs=1e-4)
                want = [
                    f
                    for f, on in [
                        ("too easy", p > 0.9),
                        ("too hard", p < 0.3),
                        ("negative discrimination", round(r, 4) < 0),
                        ("few answers", len(xs) < 10),
                    ]
                    if on
                ]
                assert row["flags"] == ", ".join(want)


def test_seeded_likert_dropoff_and_follow_up(seeded: tuple[dict[str, Any], Truth]) -> None:
    report, truth = seeded
    n = len(truth.learners)
    order = [f"{IRI}/{m.id}/{p.id}" for m in COURSE.modules for p in m.pages]
    for iri, row in zip(order, report["tables"]["dropoff"], strict=True):
        assert row["reached_share"] == pytest.approx(
            sum(iri in x.pages for x in truth.learners) / n, abs=1e-4
        )
    assert COURSE.survey is not None
    for q in COURSE.survey.spec.questions:
        d = describe_question(IRI, "", "survey", q)
        if d["type"] != "likert":
            continue
        said = [x.answers[d["iri"]][1] for x in truth.learners if d["iri"] in x.answers]
        rows = [r for r in report["tables"]["likert"] if r["question"] == q.id]
        for point, row in zip(d["scale"], rows, strict=True):
            assert row["share"] == pytest.approx(said.count(point["id"]) / len(said), abs=1e-4)
    # Retention on parallel items: each learner's post-test answers (first attempt) against
    # their retention answers, on the pairs answered on both sides.
    assert COURSE.follow_up is not None
    posts = {
        f"{m.id}/{q.id}": _iri(m, "post-test", q)
        for m in COURSE.modules
        if m.post_test
        for q in m.post_test.spec.questions
    }
    pairs = [
        (posts[q.parallel], f"{IRI}/follow-up/retention-test/{q.id}")
        for q in COURSE.follow_up.retention_test.spec.questions
        if q.parallel in posts
    ]
    values = _truth_pairs(truth, pairs)
    [row] = [r for r in report["tables"]["follow_up"] if r["measure"].startswith("matched")]
    assert row["learners"] == len(values) > 0
    assert row["post"] == pytest.approx(sum(a for a, _ in values) / len(values), abs=1e-4)
    assert row["follow_up"] == pytest.approx(sum(b for _, b in values) / len(values), abs=1e-4)
