"""The report's statistics against their textbook definitions (docs/report.md, "The figures"),
on small hand-made cohorts whose answers are known by hand. The definitions and their sources:
`tests/stats_reference.py`; the same checks on the seeded cohort: `test_report_stats_cohort.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from stats_reference import (
    SEED,
    Z,
    correlation_by_hand,
    hake,
    median_by_hand,
    percentile_interval,
    wilson_by_hand,
)

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
    """A learner who took the course (seen in it, not only in its follow-up)."""
    return Learner("https://lms.example", **{"in_course": True, **kw})


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


def test_discrimination_puts_learners_of_a_drawn_test_on_one_scale() -> None:
    """A test that draws its questions: learners answered other questions, and other numbers of
    them; the rest score is the share of those they got right."""
    items = [_item(q) for q in "abcd"]
    marks = [
        {"a": 1, "b": 1},
        {"a": 1, "c": 1, "d": 0},
        {"a": 0, "b": 0, "d": 1},
        {"a": 0, "c": 0},
        {"a": 1, "d": 1},
        {"b": 1},  # answered b alone: no rest score, so not in b's correlation
    ]
    by_id = {i.id: i for i in items}
    people = [
        _learner(answers={by_id[q].iri: (0.0, bool(v), "t") for q, v in row.items()})
        for row in marks
    ]
    rows = {r["question"]: r for r in _rows(item_tables(_index(items), people)[0])}
    xs, shares = [1.0, 1.0, 0.0, 0.0, 1.0], [1.0, 0.5, 0.5, 0.0, 1.0]
    assert rows["a"]["discrimination"] == pytest.approx(correlation_by_hand(xs, shares), abs=1e-4)
    sums = [1.0, 1.0, 1.0, 0.0, 1.0]  # counted, 1 right of 2 reads as 1 right of 1
    assert correlation_by_hand(xs, sums) != pytest.approx(rows["a"]["discrimination"], abs=1e-3)
    assert (rows["b"]["answered"], rows["b"]["difficulty"]) == (3, pytest.approx(2 / 3, abs=1e-4))
    assert rows["b"]["discrimination"] == 1.0  # (1, rest 1.0) and (0, rest 0.5)


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
