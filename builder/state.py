"""The learner-state budget (pure): the longest suspend data a package can write, per target.

`worst_case_size` mirrors the encoding of `templates/runtime/util/state.js` character for
character, from the same course data the runtime reads (`builder.render.course_data`), so a
package whose state could outgrow its standard's limit is refused at build time instead of
losing a learner's progress in the LMS. The format is the table in docs/runtime.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.errors import CourseError, Problem

if TYPE_CHECKING:
    from builder.targets import Target

# Each target declares how many characters of cmi.suspend_data its LMS keeps
# (`Target.limits.suspend_data`); web and xAPI keep state in the browser or the LRS: no limit.

#: What each level of `stateLevel` leaves out, as the build tells it to the author.
LEVELS: tuple[str, ...] = (
    "",
    "answers to knowledge checks are not resumed",
    "answers are not resumed: neither the answers given so far in an unsubmitted assessment "
    "nor those of submitted ones (scores, attempt counts and the questions drawn are)",
)
#: Attempt counts are kept up to "zz" in base 36 when attempts are unlimited.
COUNT_CAP = 1295
SEED_WIDTH = 4
#: The longest best-score field: 10000 ("7ps", a share of 1 in ten-thousandths).
SCORE_WIDTH = 3


def b36_len(n: int) -> int:
    """How many base-36 digits `n` (>= 0) has."""
    digits = 1
    while n >= 36:
        n //= 36
        digits += 1
    return digits


def response_size(question: Mapping[str, Any]) -> int:
    """The longest encoded response to `question` (see `encodeResponse` in util/state.js)."""
    kind = question["type"]
    if kind in ("single", "likert", "true-false"):
        return 1
    if kind == "multiple":
        return len(question["choices"])
    if kind in ("matching", "sequencing"):
        return len(question["correct"])
    if kind == "scenario":
        return len(question["steps"])
    # Typed text: every character may need an escape ("\\", "~" and "|" take two).
    return 2 * int(question["maxLength"])


def entry_size(index: int, assessment: Mapping[str, Any], level: int) -> int:
    """The longest `~<entry>` of the assessment at position `index` of the course data."""
    questions = assessment["questions"]
    count = len(questions)
    draw = assessment.get("draw")
    shown = min(draw, count) if draw else count
    # Each question shown costs its index in the order and its response: the worst draw takes
    # the costliest ones.
    costs = sorted(
        (b36_len(i) + (response_size(q) if level < 2 else 0) for i, q in enumerate(questions)),
        reverse=True,
    )
    attempts = int(assessment.get("attempts", 1)) or COUNT_CAP
    scored = any(q.get("scored", True) for q in questions)
    size = 1 + b36_len(index)  # "~" and the index
    size += 1 + b36_len(min(attempts, COUNT_CAP))
    size += 1 + (SCORE_WIDTH if scored else 0)
    size += 1 + 1 + SEED_WIDTH  # "." status seed
    size += 1 + sum(costs[:shown]) + (shown - 1)  # "." order (commas)
    if level < 2:
        size += 1 + (shown - 1)  # ":" and the "|" between responses
    return size


def worst_case_size(course_data: Mapping[str, Any], level: int = 0) -> int:
    """The most characters the runtime's encoded learner state can have at `level`."""
    sections = len(course_data["pages"])
    size = 1 + b36_len(sections) + 1 + math.ceil(sections / 4)
    for index, assessment in enumerate(course_data["assessments"].values()):
        if level >= 1 and assessment["kind"] == "check":
            continue
        size += entry_size(index, assessment, level)
    return size


@dataclass(frozen=True, slots=True)
class StateBudget:
    """The state level a package uses and what it costs: its worst case and the limit."""

    level: int
    size: int
    limit: int | None
    warnings: tuple[str, ...] = ()


def plan_state(
    course_data: Mapping[str, Any],
    target: Target,
    package: str,
    allow_degrade: bool = False,
    others: Iterable[Target] = (),
) -> StateBudget:
    """The lowest state level whose worst case fits the target's limit, or a `CourseError`.

    `package` names the package in messages (`<course>-<target>`). Without `allow_degrade` only
    level 0 (everything resumed) is allowed. `others` are the targets a message may suggest
    instead (those that keep more state).
    """
    limit = target.limits.suspend_data
    full = worst_case_size(course_data)
    if limit is None or full <= limit:
        return StateBudget(0, full, limit)
    name = target.title
    roomier = [t.name for t in others if (t.limits.suspend_data or 0) > limit]
    sizes = [worst_case_size(course_data, level) for level in range(len(LEVELS))]
    if allow_degrade and sizes[-1] <= limit:
        level = next(level for level, size in enumerate(sizes) if size <= limit)
        warning = (
            f"{package}: learner state can reach {full:,} characters; {name} keeps at "
            f"most {limit:,}, so {LEVELS[level]} (state at most {sizes[level]:,} characters)"
        )
        return StateBudget(level, sizes[level], limit, (warning,))
    if sizes[-1] > limit:
        # No level fits, so the message must not offer --allow-state-degrade as a way out.
        other = f"--target {roomier[-1]}, " if roomier else ""
        hint = (
            f"Even degraded state (even without answers) can reach {sizes[-1]:,} characters. "
            f"Use {other}fewer questions per assessment (or a smaller draw), fewer assessments "
            "or fewer sections"
        )
    else:
        other = f"--target {roomier[-1]}, " if roomier else ""
        hint = (
            f"Use {other}fewer/shorter questions, or --allow-state-degrade "
            f"(then {LEVELS[1]}, or if that is not enough, {LEVELS[2]})"
        )
    message = f"learner state can reach {full:,} characters; {name} keeps at most {limit:,}. {hint}"
    raise CourseError([Problem(package, None, "", message)])


def check_state_budget(
    course_data: Mapping[str, Any], target: Target, package: str, allow_degrade: bool = False
) -> list[str]:
    """The warnings of `plan_state` (raises `CourseError` when the state cannot fit)."""
    return list(plan_state(course_data, target, package, allow_degrade).warnings)
