"""Learning gain: pre-test against post-test, paired per learner, on comparable items only.

A gain figure means something only if pre and post measure the same thing. Each row says which
comparison it rests on:

- `matched items`: the pre-test questions that name a `parallel` post-test question, against
  those post-test questions (share correct on the pairs a learner answered both sides of);
- `objective <id>`: the items of one objective on each side;
- `whole tests`: the two test scores, only when every pre-test question's objective is also
  assessed by the post-test.

Answers are each learner's first answer to an item; scores the first pre-test and the first
post-test attempt. The normalised gain is Hake's class-average gain
(mean post - mean pre) / (1 - mean pre), on shares 0-1, with a 95 % percentile bootstrap interval
over learners (resampled with a seeded generator: the same data, seed and numpy version give
the same interval).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from builder.report.aggregate import Learner
from builder.report.items import CourseIndex, Item
from builder.report.tables import Column, Table, Value, mean, share

#: Bootstrap resamples per figure.
RESAMPLES = 2000
#: Below this many paired learners no interval is given.
MIN_PAIRED = 5

Pair = tuple[float, float]


def normalised_gain(pairs: Iterable[Pair]) -> float | None:
    """Hake's class-average gain of (pre, post) shares; None when pre is already perfect."""
    pairs = list(pairs)
    if not pairs:
        return None
    pre = sum(p for p, _ in pairs) / len(pairs)
    post = sum(q for _, q in pairs) / len(pairs)
    return None if pre >= 1 else (post - pre) / (1 - pre)


def bootstrap_gain(pairs: list[Pair], seed: int, resamples: int = RESAMPLES) -> Pair | None:
    """The 2.5th and 97.5th percentiles of the normalised gain over learner resamples.

    A resample draws n learners with replacement; how many of each distinct (pre, post) pair it
    holds is one multinomial draw (numpy), so the cost grows with distinct pairs, not learners.
    A resample whose pre mean is perfect has no gain and is left out (more than half: no
    interval); of the B left, the ends are the B*0.025-th and B*0.975-th ordered gains.
    """
    if len(pairs) < MIN_PAIRED:
        return None
    counts = sorted(Counter(pairs).items())
    values = np.array([v for v, _ in counts], dtype=float)
    n = len(pairs)
    rng = np.random.default_rng(seed)
    drawn = rng.multinomial(n, np.array([c for _, c in counts], dtype=float) / n, size=resamples)
    pre, post = drawn @ values[:, 0], drawn @ values[:, 1]
    keep = pre < n
    if keep.sum() < resamples // 2:
        return None
    gains = np.sort((post[keep] - pre[keep]) / (n - pre[keep]))
    return round(float(gains[_rank(len(gains), 25)]), 4), round(
        float(gains[_rank(len(gains), 975)]), 4
    )


def _rank(b: int, per_mille: int) -> int:
    """The index of the B*alpha-th of B ordered replications (rounded up when not whole): the
    percentile interval's ends (Efron & Tibshirani 1993, An Introduction to the Bootstrap,
    §13.3), the inverse of the empirical distribution function (Hyndman & Fan 1996, def. 1)."""
    return max(0, -(-b * per_mille // 1000) - 1)


def _share_correct(learner: Learner, iris: Iterable[str]) -> float | None:
    marks = [m for i in iris if i in learner.answers if (m := learner.answers[i][1]) is not None]
    return sum(marks) / len(marks) if marks else None


def matched_pairs(learners: Iterable[Learner], pairs: list[tuple[str, str]]) -> list[Pair]:
    """Per learner: share correct on the pre items and on their parallels, on the pairs answered
    right or wrong on both sides (an answer without `result.success` leaves its pair out)."""
    out = []
    for learner in learners:
        both = [(a, b) for a, b in pairs if _marked(learner, a) and _marked(learner, b)]
        pre = _share_correct(learner, [a for a, _ in both])
        post = _share_correct(learner, [b for _, b in both])
        if pre is not None and post is not None:
            out.append((pre, post))
    return out


def _marked(learner: Learner, iri: str) -> bool:
    return iri in learner.answers and learner.answers[iri][1] is not None


def side_pairs(learners: Iterable[Learner], pre: list[str], post: list[str]) -> list[Pair]:
    """Per learner: share correct on `pre` items and on `post` items (each side answered)."""
    out = []
    for learner in learners:
        a, b = _share_correct(learner, pre), _share_correct(learner, post)
        if a is not None and b is not None:
            out.append((a, b))
    return out


def score_pairs(learners: Iterable[Learner], module: str) -> list[Pair]:
    """Per learner: the first pre-test score and the first post-test attempt's score."""
    out = []
    for learner in learners:
        post = learner.post.get(module)
        if module in learner.pre and post is not None and post.first is not None:
            out.append((learner.pre[module][1], post.first[1]))
    return out


def _row(scope: str, basis: str, pairs: list[Pair], seed: int) -> tuple[Value, ...]:
    gain = normalised_gain(pairs)
    ci = bootstrap_gain(pairs, seed) if gain is not None else None
    improved = sum(1 for a, b in pairs if b > a)
    return (
        scope,
        basis,
        len(pairs),
        mean([a for a, _ in pairs]),
        mean([b for _, b in pairs]),
        None if gain is None else round(gain, 4),
        ci[0] if ci else None,
        ci[1] if ci else None,
        share(improved, len(pairs)),
    )


def _module_rows(
    index: CourseIndex, module: str, learners: list[Learner], seed: int
) -> list[tuple[Value, ...]]:
    items = [i for i in index.items.values() if i.module == module]
    pre = [i for i in items if i.kind == "pre-test"]
    post = [i for i in items if i.kind == "post-test"]
    if not pre or not post:
        return []
    if module in index.unmatched:
        return [(module, "none: pre-test and post-test share no item or objective") + (None,) * 7]
    rows = []
    by_id = {i.id: i for i in post}
    pairs = [(i.iri, by_id[i.parallel].iri) for i in pre if i.parallel in by_id]
    if pairs:
        rows.append(_row(module, "matched items", matched_pairs(learners, pairs), seed))
    for objective in sorted(_objectives(pre) & _objectives(post)):
        a = [i.iri for i in pre if i.objective == objective]
        b = [i.iri for i in post if i.objective == objective]
        rows.append(_row(module, f"objective {objective}", side_pairs(learners, a, b), seed))
    if _objectives(pre) and all(i.objective in _objectives(post) for i in pre):
        rows.append(_row(module, "whole tests", score_pairs(learners, module), seed))
    return rows


def _objectives(items: list[Item]) -> set[str]:
    return {i.objective for i in items if i.objective}


COLUMNS = (
    Column("scope", "Module", "text", "The module, or the whole course."),
    Column(
        "basis",
        "Compared on",
        "text",
        "What pre and post are compared on: parallel item pairs, one objective's items, or the "
        "whole tests (only when every pre-test objective is also on the post-test).",
    ),
    Column(
        "learners",
        "Learners paired",
        "count",
        "Learners with answers on both sides; everything in the row rests on them alone.",
    ),
    Column(
        "pre", "Pre-test mean", "share", "Average share correct before the module (first answer)."
    ),
    Column(
        "post", "Post-test mean", "share", "Average share correct after it (first post-test try)."
    ),
    Column(
        "gain",
        "Normalised gain",
        "number",
        "How much of the possible improvement was achieved: (post - pre) / (1 - pre), from 0 "
        "(none) to 1 (all); negative means scores fell.",
    ),
    Column(
        "gain_low",
        "Gain: 95 % low",
        "number",
        "Lower end of the range the gain plausibly lies in, from 2,000 bootstrap resamples of "
        "the learners (none below 5 learners).",
    ),
    Column("gain_high", "Gain: 95 % high", "number", "Upper end of that range."),
    Column(
        "improved",
        "Improved",
        "share",
        "Share of paired learners who scored higher after than before.",
    ),
)


def learning_table(index: CourseIndex, learners: list[Learner], seed: int) -> Table:
    """Pre against post per module and objective, and on every matched pair of the course."""
    rows: list[tuple[Value, ...]] = []
    for module in index.modules:
        rows += _module_rows(index, module, learners, seed)
    post: dict[tuple[str, str | None], Item] = {
        (i.module, i.id): i for i in index.items.values() if i.kind == "post-test"
    }
    pairs = [
        (i.iri, post[(i.module, i.parallel)].iri)
        for i in index.items.values()
        if i.kind == "pre-test" and i.parallel and (i.module, i.parallel) in post
    ]
    if pairs:
        rows.append(_row("course", "matched items", matched_pairs(learners, pairs), seed))
    return Table(
        "learning",
        "Learning: before and after",
        "Each learner's pre-test answers against their own post-test answers on comparable "
        "questions; a row says what it compares.",
        COLUMNS,
        tuple(rows),
    )
