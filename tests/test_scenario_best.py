"""Scenario best score: dynamic programming over the step graph, cycles refused, no recursion."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from builder.interactions import scenario_best
from builder.questions import MAX_SCENARIO_STEPS, Scenario, scenario_order
from builder.typed import validate


def scenario(steps: list[tuple[str, list[tuple[int, str | None]]]]) -> Scenario:
    """A scenario from (step id, [(points, next)]) pairs."""
    data: dict[str, Any] = {
        "id": "case",
        "type": "scenario",
        "prompt": "A case.",
        "steps": tuple(
            {
                "id": sid,
                "text": "t",
                "options": tuple(
                    {"text": f"o{i}", "feedback": "f", "points": p, "next": n}
                    for i, (p, n) in enumerate(options)
                ),
            }
            for sid, options in steps
        ),
    }
    return validate(Scenario, data)


def brute_force(q: Scenario) -> int:
    steps = {s.id: s for s in q.steps}

    def walk(sid: str) -> int:
        return max(o.points + (walk(o.next) if o.next else 0) for o in steps[sid].options)

    return walk(q.steps[0].id)


def test_best_is_the_best_path_and_lists_equal_paths_in_option_order() -> None:
    q = scenario(
        [
            ("a", [(1, "b"), (3, None), (0, "c")]),
            ("b", [(2, None), (0, None)]),
            ("c", [(3, None)]),
        ]
    )
    assert scenario_best(q) == (3, [[("a", 0), ("b", 0)], [("a", 1)], [("a", 2), ("c", 0)]])


@pytest.mark.parametrize("seed", range(30))
def test_best_matches_a_brute_force_walk_on_small_dags(seed: int) -> None:
    # Each step i leads only to later steps, so the graph is acyclic.
    n = 2 + seed % 6
    steps = []
    for i in range(n):
        later = [f"s{j}" for j in range(i + 1, n)] + [None]
        options = [((seed * 7 + i * 3 + k) % 5, later[(seed + k) % len(later)]) for k in range(3)]
        steps.append((f"s{i}", options))
    q = scenario(steps)
    best, paths = scenario_best(q)
    assert best == brute_force(q)
    by_id = {s.id: s for s in q.steps}
    for path in paths:  # every listed path earns the best
        assert sum(by_id[s].options[i].points for s, i in path) == best
        last = by_id[path[-1][0]].options[path[-1][1]]
        assert last.next is None


def test_an_exponential_number_of_paths_is_fast() -> None:
    # 40 steps of 9 options, each to one of the next steps: far more than 9**12 paths.
    n = 40
    steps = [
        (f"s{i}", [(k % 3, f"s{i + 1 + k}" if i + 1 + k < n else None) for k in range(9)])
        for i in range(n)
    ]
    q = scenario(steps)
    started = time.perf_counter()
    best, paths = scenario_best(q)
    assert time.perf_counter() - started < 5  # generous: 12 steps took more than 25 s
    assert best > 0 and 1 <= len(paths) <= 5


def test_a_chain_of_the_most_steps_does_not_recurse() -> None:
    n = MAX_SCENARIO_STEPS
    q = scenario([(f"s{i}", [(1, f"s{i + 1}" if i < n - 1 else None)]) for i in range(n)])
    best, paths = scenario_best(q)
    assert best == n
    assert len(paths) == 1 and len(paths[0]) == n


def test_more_steps_than_the_limit_are_refused() -> None:
    n = MAX_SCENARIO_STEPS + 1
    with pytest.raises(ValueError, match="at most 1000 items"):
        scenario([(f"s{i}", [(1, None)]) for i in range(n)])


def test_a_cycle_is_found_and_named() -> None:
    q = scenario([("a", [(1, "b")]), ("b", [(1, "c"), (0, None)]), ("c", [(2, "b")])])
    assert scenario_order(q)[1] == ["b", "c", "b"]
    with pytest.raises(ValueError, match="steps loop"):
        scenario_best(q)


def test_order_puts_every_step_after_the_steps_it_leads_to() -> None:
    q = scenario([("a", [(1, "c"), (1, "b")]), ("b", [(1, "c")]), ("c", [(1, None)])])
    order, cycle = scenario_order(q)
    assert cycle is None
    for before, after in itertools.combinations(order, 2):
        assert after not in [o.next for s in q.steps if s.id == before for o in s.options]
