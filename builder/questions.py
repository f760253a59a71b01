"""The question models: one frozen dataclass per question type (`builder.typed`), and their union.

`Question` is the discriminated union (on `type`) that assessments hold; `QUESTION_TYPES` maps
each `type` value to its model, derived from that union so a new type is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from builder.spec import SLUG, Number, Slug, Text
from builder.typed import Rule, Tagged, tag_of

#: A `parallel` reference: a question id (pre-tests) or `<module id>/<question id>` (follow-up).
PARALLEL = "^" + SLUG.strip("^$") + "(?:/" + SLUG.strip("^$") + ")?$"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceSpec:
    """One option of a single or multiple choice question."""

    id: Annotated[str, Rule(pattern=r"^[a-z0-9]$")] | None = None
    text: Text
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionBase:
    """Keys shared by every question type."""

    id: Slug
    prompt: Text
    objective: Slug | None = None
    explanation: str | None = None
    source: str | None = None
    weight: Annotated[float, Rule(gt=0, le=1000, finite=True)] = 1.0
    #: Pre-test questions: the id of the post-test question of the same module that assesses the
    #: same objective in other words, so that gain can be computed on matched items. Follow-up
    #: retention questions: `<module id>/<post-test question id>`, likewise.
    parallel: Annotated[str, Rule(pattern=PARALLEL, max_length=129)] | None = None

    @property
    def scored(self) -> bool:
        """Whether the question counts towards a score."""
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class SingleChoice(QuestionBase):
    """Exactly one correct choice."""

    type: Literal["single"]
    choices: Annotated[tuple[ChoiceSpec, ...], Rule(min_length=2, max_length=36)]


@dataclass(frozen=True, slots=True, kw_only=True)
class MultipleChoice(QuestionBase):
    """One or more correct choices; the learner must select exactly those."""

    type: Literal["multiple"]
    choices: Annotated[tuple[ChoiceSpec, ...], Rule(min_length=2, max_length=36)]


@dataclass(frozen=True, slots=True, kw_only=True)
class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true-false"]
    answer: bool
    feedback_true: str | None = None
    feedback_false: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PairSpec:
    """One source-target pair of a matching question."""

    source: Text
    target: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class Matching(QuestionBase):
    """Match each source to its target."""

    type: Literal["matching"]
    pairs: Annotated[tuple[PairSpec, ...], Rule(min_length=2, max_length=36)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sequencing(QuestionBase):
    """Put the steps in the correct order (as authored)."""

    type: Literal["sequencing"]
    steps: Annotated[tuple[Text, ...], Rule(min_length=2, max_length=36)]


#: Characters a fill-in answer may have unless `max_length` says otherwise (learner state budget).
FILL_IN_MAX_LENGTH = 60


@dataclass(frozen=True, slots=True, kw_only=True)
class FillIn(QuestionBase):
    """Type an answer; any of `answers` is accepted; at most `max_length` characters are typed."""

    type: Literal["fill-in"]
    answers: Annotated[tuple[Text, ...], Rule(min_length=1)]
    case_sensitive: bool = False
    max_length: Annotated[int, Rule(gt=0, le=250)] = FILL_IN_MAX_LENGTH

    def __post_init__(self) -> None:
        longest = max(len(a.encode("utf-16-le")) // 2 for a in self.answers)
        if longest > self.max_length:
            raise ValueError(
                f"expected every answer to fit in max_length {self.max_length}, "
                f"found one of {longest} characters"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Numeric(QuestionBase):
    """Type a number: exactly `answer`, or within `range`."""

    type: Literal["numeric"]
    answer: Number | None = None
    range: tuple[Number, Number] | None = None

    def __post_init__(self) -> None:
        if (self.answer is None) == (self.range is None):
            raise ValueError("expected exactly one of 'answer' or 'range'")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("expected range [low, high] with low <= high")


@dataclass(frozen=True, slots=True, kw_only=True)
class Likert(QuestionBase):
    """An unscored opinion scale, for reaction surveys."""

    type: Literal["likert"]
    scale: Annotated[tuple[Text, ...], Rule(min_length=2, max_length=11)]

    @property
    def scored(self) -> bool:
        """Likert items are never scored."""
        return False


#: Characters a free-text answer may have unless `max_length` says otherwise.
TEXT_MAX_LENGTH = 500
#: The most a free-text answer may have: SCORM 2004 keeps 4,000 (long-fill-in learner_response).
TEXT_MAX_LIMIT = 4000


@dataclass(frozen=True, slots=True, kw_only=True)
class FreeText(QuestionBase):
    """An open question answered in the learner's own words: never scored, never "correct".

    SCORM 1.2 has no long-fill-in: its LMS record (student_response) keeps the first 255
    characters; SCORM 2004 keeps 4,000 and xAPI the whole answer (docs/authoring.md).
    """

    type: Literal["text"]
    max_length: Annotated[int, Rule(gt=0, le=TEXT_MAX_LIMIT)] = TEXT_MAX_LENGTH

    @property
    def scored(self) -> bool:
        """Free-text answers are never scored."""
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioOption:
    """A choice at one step of a scenario."""

    text: Text
    feedback: Text
    points: Annotated[int, Rule(ge=0, le=1000)] = 0
    next: Slug | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioStep:
    """One decision point of a scenario."""

    id: Slug
    text: Text
    options: Annotated[tuple[ScenarioOption, ...], Rule(min_length=1, max_length=9)]


#: Most steps a scenario may have (docs/authoring.md); its best score is linear in them.
MAX_SCENARIO_STEPS = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario(QuestionBase):
    """A branching case: the learner chooses at each step; the path is scored.

    The steps form a directed acyclic graph (`checks` reports a cycle as an error).
    """

    type: Literal["scenario"]
    steps: Annotated[tuple[ScenarioStep, ...], Rule(min_length=1, max_length=MAX_SCENARIO_STEPS)]


def scenario_order(q: Scenario) -> tuple[list[str], list[str] | None]:
    """Step ids, each after every step it leads to; or, if the steps loop, one cycle of ids.

    Iterative depth-first search (a chain of 1,000 steps must not recurse 1,000 deep).
    """
    nexts = {s.id: [o.next for o in s.options if o.next is not None] for s in q.steps}
    state: dict[str, int] = {}  # 1: on the current path; 2: done
    order: list[str] = []
    for root in nexts:
        if root in state:
            continue
        state[root] = 1
        path, stack = [root], [iter(nexts[root])]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                done = path.pop()
                state[done] = 2
                order.append(done)
            elif child in nexts and state.get(child) == 1:
                return order, [*path[path.index(child) :], child]
            elif child in nexts and child not in state:
                state[child] = 1
                path.append(child)
                stack.append(iter(nexts[child]))
    return order, None


Question = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | Matching
    | Sequencing
    | FillIn
    | Numeric
    | Likert
    | FreeText
    | Scenario,
    Tagged("type"),
]


#: Each question model by the value of its `type` key.
QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    tag_of(model, "type"): model for model in get_args(get_args(Question)[0])
}
