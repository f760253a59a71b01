"""Walk a built course in a browser as a learner would: by role and accessible name only.

The answer key comes from the course sources (`builder.loader.load_course`), never from the
package, so a package that shows the wrong choices or scores them wrongly fails the walk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from playwright.sync_api import FrameLocator, Locator, Page, expect

from builder.loader import load_course
from builder.model import Course
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
)

Root = Page | FrameLocator
#: Decides, per assessment key and question, whether the learner answers correctly.
Policy = Callable[[str, Question], bool]


#: What the learner types into an open question: a leading "{", commas, a line break, a
#: character outside the BMP, and more than SCORM 1.2's 255 characters.
_FREE_TEXT = (
    "{Ask} for a trafficking assessment before accepting a plea, check the victim's status, "
    "and note it in the file.\nTalk to the court clerk about interpreters \U0001f600. "
)


def free_text(q: FreeText) -> str:
    """The answer typed into `q`: `_FREE_TEXT` repeated up to its `max_length` (UTF-16 units)."""
    units = (_FREE_TEXT * 30).encode("utf-16-le")[: 2 * q.max_length]
    return units.decode("utf-16-le", errors="ignore").strip()


def all_right(key: str, question: Question) -> bool:
    """Answer every question correctly."""
    return True


def all_wrong(key: str, question: Question) -> bool:
    """Answer every question wrongly."""
    return False


@dataclass(frozen=True, slots=True)
class Stop:
    """One entry of the course data's reading order."""

    key: str
    kind: str
    title: str


class Walker:
    """Drives one open course: where it is, answering its questions, Next, Exit."""

    def __init__(self, root: Root, source_dir: Path) -> None:
        """Read the course data from the package and the answer key from the sources."""
        self.root = root
        self.course: Course = load_course(source_dir)
        raw = root.locator("#coursepack-data").text_content() or "{}"
        self.data = json.loads(raw)
        stops = [Stop(p["key"], p["kind"], p["title"]) for p in self.data["pages"]]
        # The welcome and completion pages, where the page holds the whole course (not data).
        for key in ("welcome", "completion"):
            found = root.locator(f'section.cp-page[data-key="{key}"] h1')
            if found.count():
                end = Stop(key, key, (found.text_content() or "").strip())
                stops = [end, *stops] if key == "welcome" else [*stops, end]
        self.stops = stops

    def index(self, key: str) -> int:
        """The position of a page key in the reading order."""
        return [s.key for s in self.stops].index(key)

    def section(self, key: str) -> Locator:
        """The `<section>` of a page (the runtime contract in docs/runtime.md)."""
        return self.root.locator(f'section.cp-page[data-key="{key}"]')

    def heading(self, stop: Stop) -> Locator:
        """The page's one top-level heading."""
        return self.section(stop.key).get_by_role("heading", level=1, name=stop.title, exact=True)

    def current(self) -> str:
        """The key of the one visible page."""
        visible = self.root.locator("section.cp-page:visible")
        expect(visible).to_have_count(1)
        return visible.get_attribute("data-key") or ""

    def expect_at(self, index: int, focused: bool = False) -> None:
        """Assert that page `index` is the one shown (and its heading has focus)."""
        stop = self.stops[index]
        expect(self.heading(stop)).to_be_visible()
        assert self.current() == stop.key
        if focused:
            expect(self.heading(stop)).to_be_focused()

    def button(self, name: str) -> Locator:
        """A button of the course by its accessible name."""
        return self.root.get_by_role("button", name=name, exact=True)

    def next(self) -> None:
        """Choose Next."""
        self.button("Next").click()

    def exit(self) -> None:
        """Choose Exit."""
        self.button("Exit").click()

    def questions(self, key: str) -> tuple[tuple[Question, ...], int]:
        """The authored questions of an assessment or check, by its data key, and how many show."""
        module_id, _, rest = key.partition("/")
        follow_up = self.course.follow_up
        if module_id == "follow-up" and follow_up is not None:
            part = (
                follow_up.retention_test if rest == "retention-test" else follow_up.practice_survey
            )
            return part.spec.questions, len(part.spec.questions)
        module = next(m for m in self.course.modules if m.id == module_id)
        if rest in ("pre-test", "post-test"):
            test = module.pre_test if rest == "pre-test" else module.post_test
            assert test is not None, f"{key}: no such assessment in the sources"
            questions = test.spec.questions
            return questions, min(test.spec.draw or len(questions), len(questions))
        assert module.checks is not None, f"{key}: module has no checks"
        check_id = rest.removeprefix("check/")
        return tuple(q for q in module.checks.spec.questions if q.id == check_id), 1

    def answer(self, key: str, policy: Policy, submit: str = "Submit") -> None:
        """Answer the questions of assessment `key` shown in this attempt, then submit."""
        scope = self.section(key) if key in {s.key for s in self.stops} else self.root
        questions, expected = self.questions(key)
        forms: list[Locator] = []
        for q in questions:
            group = scope.get_by_role("group", name=prompt_pattern(q.prompt))
            if group.count() == 0:
                continue  # not drawn for this attempt
            answer_question(group.first, q, policy(key, q))
            forms.append(group.first.locator("xpath=ancestor::form[1]"))
        assert len(forms) == expected, f"{key}: {len(forms)} questions shown, expected {expected}"
        forms[0].get_by_role("button", name=submit, exact=True).click()

    def walk(
        self,
        until: int,
        policy: Policy = all_right,
        *,
        answer_last: bool = True,
        exit: bool = False,
    ) -> None:
        """From the page shown now, answer tests and go Next up to page `until`; maybe Exit."""
        start = self.index(self.current())
        for i in range(start, until + 1):
            self.expect_at(i, focused=i > start)
            stop = self.stops[i]
            tests = ("pre-test", "post-test", "retention-test", "practice-survey")
            if stop.kind in tests and (answer_last or i < until):
                self.answer(stop.key, policy)
                expect(self.section(stop.key).get_by_role("status").first).not_to_be_empty()
            if i < until:
                self.next()
        if exit:
            self.exit()


def prompt_pattern(prompt: str) -> re.Pattern[str]:
    """A pattern for a question group's name starting with `prompt`.

    Playwright hands the pattern to the browser as a JavaScript literal `/…/`, so a `/` in the
    prompt ("Directive 2011/36/EU") must be escaped too, which `re.escape` does not do.
    """
    return re.compile("^" + re.escape(" ".join(prompt.split())).replace("/", "\\/"))


def answer_survey(course: Walker) -> None:
    """Answer the course-end survey (Likert) and submit it."""
    assert course.course.survey is not None
    section = course.section("survey")
    for q in course.course.survey.spec.questions:
        answer_question(section.get_by_role("group", name=q.prompt), q, True)
    section.get_by_role("button", name="Submit", exact=True).click()
    expect(section.get_by_role("status").first).to_have_text(re.compile("Thank you"))


def walk_full(course: Walker) -> None:
    """The `full` fixture course as the xAPI runs take it: its pages to the case, both knowledge
    checks answered, on to the survey with every test right, the survey answered, Exit."""
    course.walk(course.index("grundlagen/case"))
    for check in ("grundlagen/check/bail-case", "grundlagen/check/order-steps"):
        course.answer(check, all_right, submit="Check answer")
    course.next()
    course.walk(course.index("survey"), all_right)
    answer_survey(course)
    course.exit()


def _pick(group: Locator, role: Literal["radio", "checkbox"], label: str) -> None:
    group.get_by_role(role, name=label, exact=True).check()


def answer_question(group: Locator, q: Question, right: bool) -> None:
    """Answer one question inside its fieldset, correctly or not."""
    if isinstance(q, SingleChoice):
        _pick(group, "radio", next(c.text for c in q.choices if c.correct == right))
    elif isinstance(q, MultipleChoice):
        picks = (
            [c.text for c in q.choices if c.correct]
            if right
            else [next(c.text for c in q.choices if not c.correct)]
        )
        for text in picks:
            _pick(group, "checkbox", text)
    elif isinstance(q, TrueFalse):
        _pick(group, "radio", "True" if q.answer == right else "False")
    elif isinstance(q, Likert):
        _pick(group, "radio", q.scale[-1])
    elif isinstance(q, FillIn):
        group.get_by_role("textbox").fill(q.answers[0] if right else "no such answer")
    elif isinstance(q, Numeric):
        value = q.answer if q.answer is not None else (q.range or (0.0, 0.0))[0]
        group.get_by_role("textbox").fill(f"{value if right else value + 1000:g}")
    elif isinstance(q, Matching):
        targets = [p.target for p in q.pairs]
        chosen = targets if right else targets[1:] + targets[:1]
        for pair, target in zip(q.pairs, chosen, strict=True):
            _select(group, pair.source, target)
    elif isinstance(q, Sequencing):
        order = list(q.steps) if right else list(reversed(q.steps))
        for position, step in enumerate(order, start=1):
            _select(group, f"Step {position}", step)
    elif isinstance(q, Scenario):
        _walk_scenario(group, q, right)
    elif isinstance(q, FreeText):
        group.get_by_role("textbox").fill(free_text(q))


def _select(group: Locator, slot: str, option: str) -> None:
    group.get_by_role("combobox", name=slot, exact=True).select_option(label=option)


def _walk_scenario(group: Locator, q: Scenario, right: bool) -> None:
    steps = {s.id: s for s in q.steps}
    step = q.steps[0]
    while True:
        # The best option when answering right, the one worth least otherwise.
        choice = sorted(step.options, key=lambda o: o.points, reverse=right)[0]
        at = group.get_by_role("group", name=step.text, exact=True)
        at.get_by_role("radio", name=choice.text, exact=True).check()
        if choice.next is None:
            return
        step = steps[choice.next]
