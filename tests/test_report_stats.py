"""The report's statistics against their textbook definitions (docs/report.md, "The figures").

Each expected value is computed here, by hand or straight from the definition, never with the
report's own helpers: on small hand-made cohorts whose answers are known, and on the seeded cohort
(`tests/report_cohort.py`) from its recorded truth.

- Wilson score interval: Wilson (1927), JASA 22:209; published values from Newcombe (1998),
  Statistics in Medicine 17:857, Table II ("score method").
- Normalised gain: Hake (1998), Am. J. Phys. 66:64, the class-average gain
  <g> = (<post> - <pre>) / (1 - <pre>) on shares 0-1 (not the mean of learners' own gains).
- Percentile bootstrap interval: Efron & Tibshirani (1993), An Introduction to the Bootstrap,
  §13.3: the B*alpha-th and B*(1 - alpha)-th of the B ordered replications.
- Item discrimination: the point-biserial (Pearson) correlation of the item with the rest of the
  test, the item itself left out ("corrected item-total correlation", e.g. Crocker & Algina 1986,
  Introduction to Classical and Modern Test Theory, ch. 14).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from report_cohort import Truth, cohort

from builder.cli import main
from builder.interactions import describe_question
from builder.loader import load_course
from builder.report.aggregate import Learner, PostTest
from builder.report.items import CourseIndex, Item
from builder.report.learning import bootstrap_gain, learning_table, normalised_gain
from builder.report.metrics import (
    dropoff_table,
    follow_up_table,
    item_tables,
    likert_table,
    participation_table,
)
from builder.report.tables import wilson

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "modules"
COURSE = load_course(SOURCE)
IRI = COURSE.id.rstrip("/")
Z = 1.959964  # the 0.975 quantile of the standard normal
SEED = 14  # the report's default --seed


# --- definitions, written here from the sources ------------------------------------------------


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    """The rates p with |p_hat - p| = z sqrt(p (1 - p) / n): the roots of a quadratic."""
    p_hat = k / n
    a, b, c = 1 + Z * Z / n, -(2 * p_hat + Z * Z / n), p_hat * p_hat
    root = math.sqrt(b * b - 4 * a * c)
    return max(0.0, (-b - root) / (2 * a)), min(1.0, (-b + root) / (2 * a))


def median_by_hand(values: list[float]) -> float:
    ordered, n = sorted(values), len(values)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def correlation_by_hand(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))


def hake(pairs: list[tuple[float, float]]) -> float:
    pre = sum(a for a, _ in pairs) / len(pairs)
    post = sum(b for _, b in pairs) / len(pairs)
    return (post - pre) / (1 - pre)


def percentile_interval(pairs: list[tuple[float, float]], seed: int) -> tuple[float, float]:
    """Efron & Tibshirani's percentile interval of Hake's gain, 2,000 resamples of learners.

    Resamples are drawn as docs/report.md says (one multinomial draw of the count of each
    distinct (pre, post) pair, in sorted order, numpy's generator seeded with --seed); a
    resample whose pre-test mean is perfect has no gain and is left out."""
    distinct = sorted(set(pairs))
    n = len(pairs)
    probs = np.array([pairs.count(v) for v in distinct], dtype=float) / n
    draws = np.random.default_rng(seed).multinomial(n, probs, size=2000)
    gains = []
    for counts in draws:
        sample = [v for v, c in zip(distinct, counts, strict=True) for _ in range(int(c))]
        if sum(a for a, _ in sample) < n:
            gains.append(hake(sample))
    gains.sort()
    b = len(gains)
    # The B*alpha-th and B*(1 - alpha)-th values (1-based), rounded up when not whole.
    return gains[-(-b * 25 // 1000) - 1], gains[-(-b * 975 // 1000) - 1]


# --- small hand-made cohorts -------------------------------------------------------------------


def _index(items: list[Item], pages: int = 0, post_tests: tuple[str, ...] = ()) -> CourseIndex:
    return CourseIndex(
        iri="https://c.example/course",
        title="Hand-made",
        modules=("m",),
        module_titles={"m": "M"},
        items={i.iri: i for i in items},
        pages=tuple((f"https://c.example/course/m/p{k}", "m", f"P{k}") for k in range(pages)),
        post_tests=post_tests,
    )


def _item(qid: str, kind: str = "post-test", **kw: Any) -> Item:
    base = "https://c.example/course" + ("/m" if kind != "survey" else "")
    return Item(
        f"{base}/{kind}/{qid}",
        "m" if kind != "survey" else "",
        kind,
        qid,
        "o",
        kw.pop("interaction", "true-false"),
        qid,
        **kw,
    )


def _learner(**kw: Any) -> Learner:
    return Learner("https://lms.example", **kw)


def _rows(table: Any) -> list[dict[str, Any]]:
    return list(table.as_dicts())


def test_wilson_edges_and_published_values() -> None:
    assert wilson(0, 0) == (None, None), "n = 0: no interval"
    assert wilson(None, 5) == (None, None)
    for n in (1, 2, 10, 60):
        # 0 of n: [0, z^2 / (n + z^2)]; n of n: [n / (n + z^2), 1] (solving the quadratic).
        assert wilson(0, n) == (0.0, pytest.approx(Z * Z / (n + Z * Z), abs=1e-4))
        assert wilson(n, n) == (pytest.approx(n / (n + Z * Z), abs=1e-4), 1.0)
    assert wilson(0, 1) == (0.0, 0.7935) and wilson(1, 1) == (0.2065, 1.0)
    # Newcombe (1998), Table II, score method.
    for (k, n), published in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }.items():
        assert wilson(k, n) == pytest.approx(published, abs=1e-4)
    for n in range(1, 31):
        for k in range(n + 1):
            assert wilson(k, n) == pytest.approx(wilson_by_hand(k, n), abs=1e-4)


def test_participation_rates_intervals_and_medians_by_hand() -> None:
    """Five learners: rates out of those who started; medians over those with a time only."""
    people = [
        _learner(completed=True, session_seconds=600.0, post={"m": PostTest(1, True)}),
        _learner(completed=True, session_seconds=1800.0, post={"m": PostTest(2, True)}),
        _learner(completed=True, session_seconds=1200.0, post={"m": PostTest(1, False)}),
        _learner(session_seconds=3000.0, module_start={"m": 0.0}),
        _learner(module_start={"m": 0.0}),  # no `terminated`: no time, left out (not 0)
    ]
    for x, (start, done) in zip(people[:3], [(0, 300), (10, 910), (0, 600)], strict=True):
        x.module_start["m"], x.module_done["m"] = float(start), float(done)
    rows = _rows(participation_table(_index([], post_tests=("m",)), people))
    course = next(r for r in rows if r["group"] == "all" and r["scope"] == "course")
    assert (course["launched"], course["completed"], course["passed"]) == (5, 3, 2)
    assert (course["completion"], course["pass_rate"]) == (0.6, 0.4)
    assert (course["completion_low"], course["completion_high"]) == pytest.approx(
        wilson_by_hand(3, 5), abs=1e-4
    )
    assert (course["pass_low"], course["pass_high"]) == pytest.approx(
        wilson_by_hand(2, 5), abs=1e-4
    )
    # Even count (10, 20, 30, 50 min): the mean of the middle two, 25 min; not 20 (with a 0).
    assert course["median_minutes"] == median_by_hand([10, 20, 30, 50]) == 25.0
    module = next(r for r in rows if r["group"] == "all" and r["scope"] == "m")
    assert (module["launched"], module["completed"], module["passed"]) == (5, 3, 2)
    # Completers only, odd count (5, 15, 10 min): 10 min.
    assert module["median_minutes"] == median_by_hand([5, 15, 10]) == 10.0
    assert module["attempts"] == pytest.approx(4 / 3, abs=1e-4)
    nobody = _rows(participation_table(_index([]), []))
    assert nobody[0]["completion"] is None and nobody[0]["completion_low"] is None


def test_normalised_gain_is_hakes_class_average() -> None:
    # Class average: pre 0.4, post 0.6 -> 0.2 / 0.6; the mean of own gains would be 0.25.
    assert normalised_gain([(0.2, 0.6), (0.6, 0.6)]) == pytest.approx(1 / 3)
    # A learner already at the maximum is kept in the class means (own gain undefined).
    assert normalised_gain([(0.5, 1.0), (1.0, 1.0)]) == pytest.approx(1.0)
    assert normalised_gain([(1.0, 1.0), (1.0, 0.5)]) is None, "class pre at the maximum"
    assert normalised_gain([(0.5, 0.25)]) == pytest.approx(-0.5), "scores fell: negative"
    assert normalised_gain([]) is None


def test_matched_items_use_the_pairs_scored_on_both_sides() -> None:
    """Pre and post rest on the same pairs: a pair whose one side has no right/wrong is left
    out on both sides, so the learner is compared on the same items before and after."""
    pre = [_item("p1", "pre-test", parallel="q1"), _item("p2", "pre-test", parallel="q2")]
    post = [_item("q1"), _item("q2")]
    answers = {
        pre[0].iri: (0.0, None, "true"),  # sent without result.success
        post[0].iri: (1.0, True, "true"),
        pre[1].iri: (0.0, False, "false"),
        post[1].iri: (1.0, False, "false"),
    }
    people = [_learner(answers=answers)]
    [row] = [r for r in _rows(learning_table(_index([*pre, *post]), people, SEED))
             if r["basis"] == "matched items" and r["scope"] == "m"]  # fmt: skip
    assert (row["learners"], row["pre"], row["post"]) == (1, 0.0, 0.0)


def test_bootstrap_interval_definition() -> None:
    four = [(0.2, 0.6), (0.4, 0.8), (0.0, 0.5), (0.6, 0.6)]
    assert bootstrap_gain(four, SEED) is None, "fewer than 5 paired learners: no interval"
    pairs = [*four, (0.4, 1.0), (0.2, 0.4), (0.8, 0.6), (0.0, 0.2), (0.6, 1.0), (0.4, 0.4)]
    got = bootstrap_gain(pairs, SEED)
    assert got is not None and got == bootstrap_gain(pairs, SEED), "seeded: reproducible"
    assert got != bootstrap_gain(pairs, SEED + 1)
    assert got == pytest.approx(percentile_interval(pairs, SEED), abs=1e-4)
    assert got[0] <= hake(pairs) <= got[1]
    assert bootstrap_gain(pairs[:5], SEED) is not None, "5 paired learners: an interval"


def test_item_difficulty_discrimination_and_flags_by_hand() -> None:
    """Four learners, three items of one post-test: p and the corrected item-total r."""
    items = [_item("a"), _item("b"), _item("c")]
    marks = [(1, 1, 0), (1, 0, 0), (0, 1, 1), (1, 1, 1)]
    people = [
        _learner(answers={i.iri: (0.0, bool(v), "true") for i, v in zip(items, row, strict=True)})
        for row in marks
    ]
    rows = {r["question"]: r for r in _rows(item_tables(_index(items), people)[0])}
    for col, item in enumerate(items):
        xs = [float(row[col]) for row in marks]
        rest = [float(sum(row) - row[col]) for row in marks]  # the item itself left out
        r = rows[item.id]
        assert (r["answered"], r["difficulty"]) == (4, sum(xs) / 4)
        assert r["discrimination"] == pytest.approx(correlation_by_hand(xs, rest), abs=1e-4)
    # Worked by hand: a against b + c = (1, 0, 2, 2): cov -0.75 / sqrt(0.75 * 2.75) = -0.5222;
    # b against a + c = (1, 1, 1, 2): 0.25 / 0.75; c against a + b = (2, 1, 1, 2): cov 0.
    assert [rows[q]["discrimination"] for q in "abc"] == [-0.5222, 0.3333, 0.0]
    assert [rows[q]["difficulty"] for q in "abc"] == [0.75, 0.75, 0.5]
    assert rows["a"]["flags"] == "negative discrimination, few answers"


def test_discrimination_rests_on_the_weighted_rest_score() -> None:
    """The rest of the test is scored as the test is: with each question's `weight`."""
    items = [_item("a"), _item("b"), _item("c", weight=3.0)]
    marks = [(1, 1, 0), (1, 0, 0), (0, 1, 1), (1, 1, 1), (0, 0, 1)]
    people = [
        _learner(answers={i.iri: (0.0, bool(v), "true") for i, v in zip(items, row, strict=True)})
        for row in marks
    ]
    rows = {r["question"]: r for r in _rows(item_tables(_index(items), people)[0])}
    # a against b + 3c = (1, 0, 4, 4, 3): unweighted (b + c) it would be (1, 0, 2, 2, 1).
    xs, rest = [1.0, 1.0, 0.0, 1.0, 0.0], [1.0, 0.0, 4.0, 4.0, 3.0]
    assert rows["a"]["discrimination"] == pytest.approx(correlation_by_hand(xs, rest), abs=1e-4)
    assert correlation_by_hand(xs, [1.0, 0.0, 2.0, 2.0, 1.0]) != pytest.approx(
        correlation_by_hand(xs, rest), abs=1e-3
    )


def test_item_flag_thresholds() -> None:
    """Over 90 % right: too easy; under 30 %: too hard; r below 0; under 10 answers."""
    item, other = _item("x"), _item("y")

    def flags(rights: list[int], others: list[int]) -> str:
        people = [
            _learner(answers={item.iri: (0.0, bool(a), "t"), other.iri: (0.0, bool(b), "t")})
            for a, b in zip(rights, others, strict=True)
        ]
        rows = {r["question"]: r for r in _rows(item_tables(_index([item, other]), people)[0])}
        return str(rows["x"]["flags"])

    assert flags([1] * 9 + [0], [1] * 9 + [0]) == "", "exactly 90 %: not over"
    assert flags([1] * 10 + [0], [1] * 10 + [0]) == "too easy"
    assert flags([1] * 3 + [0] * 7, [1] * 3 + [0] * 7) == "", "exactly 30 %: not under"
    assert flags([1] * 2 + [0] * 8, [1] * 2 + [0] * 8) == "too hard"
    assert flags([1] * 5 + [0] * 5, [0] * 5 + [1] * 5) == "negative discrimination"
    assert flags([1] * 4 + [0] * 5, [1] * 4 + [0] * 5) == "few answers"


def test_likert_is_a_distribution_and_dropoff_a_share_of_starters() -> None:
    q = _item(
        "mood",
        "survey",
        interaction="likert",
        options=("a", "b", "c"),
        labels=("Low", "Mid", "High"),
    )
    people = [
        _learner(answers={q.iri: (0.0, None, p)}, pages=s)
        for p, s in [("a", {0}), ("c", {0, 1}), ("c", {0, 1, 2}), ("c", set())]
    ]
    people.append(_learner(pages={0, 1}, completed=True))
    index = _index([q], pages=3)
    likert = _rows(likert_table(index, people))
    assert [(r["answer"], r["learners"], r["share"]) for r in likert] == [
        ("Low", 1, 0.25),
        ("Mid", 0, 0.0),
        ("High", 3, 0.75),
    ]
    assert not any("mean" in k for k in likert[0]), "no mean of ordinal labels"
    drop = _rows(dropoff_table(index, people))
    assert [(r["reached"], r["reached_share"], r["stopped"]) for r in drop] == [
        (4, 0.8, 1),  # 4 of the 5 who started saw page 1; one stopped there
        (3, 0.6, 1),  # the completer who skipped page 3 did not stop
        (1, 0.2, 1),
    ]


# --- the seeded cohort --------------------------------------------------------------------------


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


def test_follow_up_by_hand() -> None:
    """Retention against the same learners' first post-test; parallel items; top two points."""
    q1 = _item("q1")
    base = "https://c.example/course/follow-up"
    r1 = Item(f"{base}/retention-test/r1", "follow-up", "retention-test", "r1", "o",
              "true-false", "r1", parallel="m/q1")  # fmt: skip
    said = Item(f"{base}/practice-survey/changed-practice", "follow-up", "practice-survey",
                "changed-practice", None, "likert", "changed", options=tuple("abcde"),
                labels=("SD", "D", "N", "A", "SA"))  # fmt: skip
    index = _index([q1, r1, said], post_tests=("m",))

    def person(post: float | None, kept: float | None, a: bool, b: bool, point: str) -> Learner:
        answers = {said.iri: (0.0, None, point)}
        if post is not None:
            answers |= {q1.iri: (0.0, a, "t"), r1.iri: (9.0, b, "t")}
        return _learner(
            answers=answers,
            post={"m": PostTest(1, post >= 0.8, (0.0, post))} if post is not None else {},
            retention=(9.0, kept) if kept is not None else None,
        )

    people = [
        person(0.8, 0.5, True, False, "d"),
        person(0.6, 1.0, False, True, "b"),
        person(None, None, False, False, "e"),  # the practice survey only
        _learner(),  # no follow-up at all: not in the table
    ]
    table = follow_up_table(index, people)
    assert table is not None
    assert [(r["learners"], r["post"], r["follow_up"]) for r in _rows(table)] == [
        (2, 0.7, 0.75),  # scores: post (0.8 + 0.6) / 2, retention (0.5 + 1.0) / 2
        (2, 0.5, 0.5),  # parallel items: q1 right/wrong, r1 wrong/right
        (3, None, round(2 / 3, 4)),  # "Agree" or "Strongly agree": d and e of d, b, e
    ]
    assert follow_up_table(index, [_learner()]) is None, "no follow-up data: no table"
    assert learning_table(_index([]), [], SEED).rows == ()
