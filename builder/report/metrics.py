"""Stage 3 of the report: the tables, computed from the learners' states (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from builder.report.aggregate import Learner
from builder.report.items import CHANGED_PRACTICE, PRACTICE, RETENTION, CourseIndex, Item
from builder.report.learning import matched_pairs
from builder.report.tables import Column, Table, Value, mean, median, pearson, share, wilson

#: Item flags: share correct above / below these, or a negative point-biserial.
TOO_EASY = 0.9
TOO_HARD = 0.3
FEW_ANSWERS = 10

Group = tuple[str, Callable[[Learner], bool]]


def groups(learners: Iterable[Learner]) -> list[Group]:
    """All learners, then each language, then each organisation (account homePage)."""
    learners = list(learners)
    out: list[Group] = [("all", lambda _: True)]
    for lang in sorted({x.language for x in learners}):
        out.append((f"language {lang or '(none)'}", _has("language", lang)))
    for org in sorted({x.organisation for x in learners}):
        out.append((f"organisation {org}", _has("organisation", org)))
    return out


def _has(attribute: str, value: str) -> Callable[[Learner], bool]:
    return lambda x: bool(getattr(x, attribute) == value)


PARTICIPATION = (
    Column("group", "Who", "text", "All learners, or those of one language or organisation."),
    Column("scope", "Part", "text", "The whole course or one module."),
    Column("launched", "Started", "count", "Learners with any record of this part."),
    Column("completed", "Completed", "count", "Learners the course recorded as completing it."),
    Column("completion", "Completion rate", "share", "Completed, out of those who started."),
    Column(
        "passed",
        "Passed",
        "count",
        "Learners who passed the post-test (for the course: every module's post-test).",
    ),
    Column("pass_rate", "Pass rate", "share", "Passed, out of those who started."),
    Column(
        "attempts",
        "Attempts",
        "number",
        "Course: average LMS attempts (registrations) per learner; module: average post-test "
        "attempts of those who took it.",
    ),
    Column(
        "median_minutes",
        "Median time",
        "minutes",
        "Course: half of the learners spent less than this in it (sum of sessions); module: "
        "from its first page to its completion, or the sessions of its cmi5 AU, completers "
        "only.",
    ),
    Column(
        "completion_low",
        "Completion: 95 % low",
        "share",
        "Lower end of the range the completion rate plausibly lies in for learners like these "
        "(Wilson interval): the fewer learners, the wider the range.",
    ),
    Column("completion_high", "Completion: 95 % high", "share", "Upper end of that range."),
    Column("pass_low", "Pass rate: 95 % low", "share", "The same range for the pass rate."),
    Column("pass_high", "Pass rate: 95 % high", "share", "Its upper end."),
)


def _with_ranges(row: tuple[Value, ...]) -> tuple[Value, ...]:
    """The row with the Wilson intervals of its completion and pass rates appended."""
    n, done, passed = row[2], row[3], row[5]
    assert isinstance(n, int) and isinstance(done, int)
    return row + wilson(done, n) + wilson(passed if isinstance(passed, int) else None, n)


def _course_row(index: CourseIndex, name: str, people: list[Learner]) -> tuple[Value, ...]:
    # Who took the course: a learner seen only in the follow-up unit did not start it here.
    people = [x for x in people if x.in_course]
    passed = [x for x in people if all(x.post.get(m, _NO).passed for m in index.post_tests)]
    regs = [len(x.registrations) for x in people if x.registrations]
    times = [x.course_seconds / 60 for x in people if x.course_seconds > 0]
    done = sum(x.completed for x in people)
    n = len(people)
    passes = len(passed) if index.post_tests else None
    rate = share(len(passed), n) if index.post_tests else None
    return (name, "course", n, done, share(done, n), passes, rate, mean(regs), median(times))


def _module_row(module: str, name: str, people: list[Learner]) -> tuple[Value, ...]:
    started = [x for x in people if module in x.module_start or module in x.module_done]
    done = [x for x in started if module in x.module_done]
    passed = sum(1 for x in started if x.post.get(module, _NO).passed)
    tries = [x.post[module].attempts for x in started if module in x.post]
    times = [t / 60 for x in done if (t := _module_seconds(x, module)) is not None]
    n = len(started)
    return (
        name,
        module,
        n,
        len(done),
        share(len(done), n),
        passed if tries else None,
        share(passed, n) if tries else None,
        mean(tries),
        median(times),
    )


def _module_seconds(learner: Learner, module: str) -> float | None:
    """A completer's time in a module: its cmi5 AU's sessions, else first page to completion."""
    if module in learner.module_seconds:
        return learner.module_seconds[module]
    start, done = learner.module_start.get(module), learner.module_done[module]
    return done - start if start is not None and done >= start else None


class _NoPost:
    passed = False
    attempts = 0


_NO = _NoPost()


def participation_table(index: CourseIndex, learners: list[Learner]) -> Table:
    """Started, completed, passed, attempts and time: course and modules, for every group."""
    rows = []
    for name, member in groups(learners):
        people = [x for x in learners if member(x)]
        rows.append(_with_ranges(_course_row(index, name, people)))
        rows += [_with_ranges(_module_row(m, name, people)) for m in index.modules]
    return Table(
        "participation",
        "Who started, completed and passed",
        "Counts of learners, each learner counted once however many times they took part.",
        PARTICIPATION,
        tuple(rows),
    )


def _assessment_answers(
    learners: list[Learner], items: list[Item]
) -> dict[str, list[tuple[bool, float | None]]]:
    """Per item: (correct, rest score) for every learner who answered it (first answers). The
    rest score is the share (by weight) of the test's other questions the learner answered that
    they got right, None if none: one scale for learners who answered other questions (a test
    that draws its questions) or fewer of them; one total for all leaves the correlation."""
    out: dict[str, list[tuple[bool, float | None]]] = {i.iri: [] for i in items}
    for learner in learners:
        marks = {
            i.iri: (bool(learner.answers[i.iri][1]), i.weight)
            for i in items
            if i.iri in learner.answers and learner.answers[i.iri][1] is not None
        }
        total = sum(weight for right, weight in marks.values() if right)
        answered = sum(weight for _, weight in marks.values())
        for iri, (right, weight) in marks.items():
            rest = answered - weight
            out[iri].append((right, (total - weight * right) / rest if rest > 0 else None))
    return out


ITEMS = (
    Column("module", "Module", "text", "The module the question is in."),
    Column("test", "Test", "text", "Pre-test, knowledge check, post-test or retention test."),
    Column("question", "Question", "text", "The question's id in the sources."),
    Column("objective", "Objective", "text", "The learning objective it assesses."),
    Column("answered", "Answered", "count", "Learners who answered it (their first answer)."),
    Column("difficulty", "Share correct", "share", "Share of those learners who got it right."),
    Column(
        "discrimination",
        "Discrimination",
        "number",
        "Point-biserial correlation of this question with the share the learner got right of "
        "the rest of the same test (weighted as the test is): near 0 or negative means it does "
        "not tell stronger from weaker learners (unreliable below 10 answers).",
    ),
    Column(
        "flags",
        "Flags",
        "text",
        f"too easy (over {TOO_EASY:.0%} right), too hard (under {TOO_HARD:.0%}), negative "
        f"discrimination, few answers (under {FEW_ANSWERS}).",
    ),
)


def _flags(n: int, p: float | None, r: float | None) -> str:
    out = []
    if p is not None and p > TOO_EASY:
        out.append("too easy")
    if p is not None and p < TOO_HARD:
        out.append("too hard")
    if r is not None and r < 0:
        out.append("negative discrimination")
    if n < FEW_ANSWERS:
        out.append("few answers")
    return ", ".join(out)


def item_tables(index: CourseIndex, learners: list[Learner]) -> tuple[Table, Table]:
    """Difficulty, discrimination and flags of every scored item; the share of each option."""
    scored = [i for i in index.items.values() if i.scored]
    by_test: dict[tuple[str, str], list[Item]] = {}
    for i in scored:
        by_test.setdefault((i.module, i.kind), []).append(i)
    rows, options = [], []
    for (module, kind), items in by_test.items():
        answers = _assessment_answers(learners, items)
        for i in items:
            got = answers[i.iri]
            p = share(sum(c for c, _ in got), len(got))
            ranked = [(float(c), s) for c, s in got if s is not None]
            r = pearson([c for c, _ in ranked], [s for _, s in ranked])
            rows.append((module, kind, i.id, i.objective, len(got), p, r, _flags(len(got), p, r)))
            options += _option_rows(i, learners)
    distractors = Table(
        "options",
        "Which options learners chose",
        "For each choice question, the share of learners who ticked each option on their first "
        "answer; a wrong option nobody picks does no work, one most pick may be misleading.",
        (
            Column("module", "Module", "text"),
            Column("test", "Test", "text"),
            Column("question", "Question", "text"),
            Column("option", "Option", "text", "The option as the learner saw it."),
            Column("right", "Right answer", "text", "Whether the answer key marks it right."),
            Column("share", "Chosen by", "share", "Share of those who answered the question."),
        ),
        tuple(options),
    )
    about = (
        "How each scored question performed, from each learner's first answer; flagged "
        "questions are worth a second look."
    )
    return Table("items", "Question quality", about, ITEMS, tuple(rows)), distractors


def _option_rows(item: Item, learners: list[Learner]) -> list[tuple[Value, ...]]:
    if item.interaction != "choice" or not item.options:
        return []
    chosen: Counter[str] = Counter()
    n = 0
    for learner in learners:
        answer = learner.answers.get(item.iri)
        if answer is not None:
            n += 1
            chosen.update(set(answer[2].split("[,]")))
    return [
        (
            item.module,
            item.kind,
            item.id,
            label,
            "yes" if oid in item.correct else "no",
            share(chosen[oid], n),
        )
        for oid, label in zip(item.options, item.labels, strict=True)
    ]


def likert_table(index: CourseIndex, learners: list[Learner]) -> Table:
    """How many learners chose each point of each Likert question (survey and follow-up)."""
    rows: list[tuple[Value, ...]] = []
    for item in index.items.values():
        if item.interaction != "likert":
            continue
        picks = Counter(x.answers[item.iri][2] for x in learners if item.iri in x.answers)
        n = sum(picks.values())
        for oid, label in zip(item.options, item.labels, strict=True):
            rows.append((item.kind, item.id, item.prompt, label, picks[oid], share(picks[oid], n)))
    return Table(
        "likert",
        "What learners said",
        "Answers to each opinion question, one row per point of its scale; each learner's first "
        "answer counts once.",
        (
            Column("survey", "Survey", "text", "The course-end survey or the follow-up survey."),
            Column("question", "Question", "text"),
            Column("prompt", "Statement", "text"),
            Column("answer", "Answer", "text"),
            Column("learners", "Learners", "count", "Learners who gave this answer."),
            Column("share", "Share", "share", "Out of those who answered the question."),
        ),
        tuple(rows),
    )


def dropoff_table(index: CourseIndex, learners: list[Learner]) -> Table:
    """Per page in course order: who reached it, and who stopped there without completing."""
    learners = [x for x in learners if x.in_course]  # not those seen only in the follow-up
    reached = Counter(p for x in learners for p in x.pages)
    stopped = Counter(max(x.pages) for x in learners if x.pages and not x.completed)
    n = len(learners)
    rows = tuple(
        (i + 1, module, title, reached[i], share(reached[i], n), stopped[i])
        for i, (_, module, title) in enumerate(index.pages)
    )
    return Table(
        "dropoff",
        "Where learners stop",
        "Each content page in course order: how many learners saw it, and how many have not "
        "completed the course and got no further than it.",
        (
            Column("position", "Page", "count", "Its position in the course."),
            Column("module", "Module", "text"),
            Column("page", "Title", "text"),
            Column("reached", "Saw it", "count", "Learners who opened the page."),
            Column("reached_share", "Share", "share", "Out of all learners who started."),
            Column(
                "stopped",
                "Stopped here",
                "count",
                "Learners not (yet) complete whose furthest page is this one.",
            ),
        ),
        rows,
    )


def follow_up_table(index: CourseIndex, learners: list[Learner]) -> Table | None:
    """Retention against the post-test and self-reported changed practice; None without data."""
    retention_items = [i for i in index.items.values() if i.kind == RETENTION]
    practice = [i for i in index.items.values() if i.kind == PRACTICE and i.id == CHANGED_PRACTICE]
    people = [
        x
        for x in learners
        if x.retention is not None
        or any(i.iri in x.answers for i in index.items.values() if i.module == "follow-up")
    ]
    if not people:
        return None
    rows: list[tuple[Value, ...]] = []
    took = [x for x in people if x.retention is not None]
    scores = [x.retention[1] for x in took if x.retention is not None]
    post = [_post_mean(index, x) for x in took]
    paired = [(p, r) for p, r in zip(post, scores, strict=True) if p is not None]
    rows.append(
        (
            "retention test score against first post-test scores",
            len(paired),
            mean([p for p, _ in paired]),
            mean([r for _, r in paired]),
        )
    )
    post_iri = {f"{i.module}/{i.id}": i.iri for i in index.items.values() if i.kind == "post-test"}
    pairs = [(post_iri[i.parallel], i.iri) for i in retention_items if i.parallel in post_iri]
    if pairs:
        matched = matched_pairs(people, pairs)
        rows.append(
            (
                "matched items: post-test answer against retention answer",
                len(matched),
                mean([a for a, _ in matched]),
                mean([b for _, b in matched]),
            )
        )
    for item in practice:
        answers = [x.answers[item.iri][2] for x in people if item.iri in x.answers]
        top = set(item.options[-2:])
        rows.append(
            (
                "reporting changed practice (agree or strongly agree)",
                len(answers),
                None,
                share(sum(a in top for a in answers), len(answers)),
            )
        )
    return Table(
        "follow_up",
        "Months later: retention and practice",
        "From the follow-up unit, joined to the same learners' course records.",
        (
            Column("measure", "Measure", "text"),
            Column("learners", "Learners", "count", "Learners the row rests on."),
            Column("post", "Post-test", "share", "Their share correct at the end of the course."),
            Column(
                "follow_up",
                "Follow-up",
                "share",
                "Their share correct in the retention test, or the share reporting changed "
                "practice (self-report, not observed practice).",
            ),
        ),
        tuple(rows),
    )


def _post_mean(index: CourseIndex, learner: Learner) -> float | None:
    firsts = [learner.post[m].first for m in index.post_tests if m in learner.post]
    values = [f[1] for f in firsts if f is not None]
    return sum(values) / len(values) if values else None
