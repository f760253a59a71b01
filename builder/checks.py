"""Checks that span keys or files (ids, answers, placement), run after the schema checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from builder.model import (
    Assessment,
    AssessmentKind,
    AssessmentSpec,
    ModuleSpec,
    Page,
)
from builder.questions import (
    FreeText,
    Likert,
    Matching,
    MultipleChoice,
    Scenario,
    Sequencing,
    SingleChoice,
    scenario_order,
)
from builder.sources import ModuleSource, TextFile
from builder.yamlfile import Located


class Reporter(Protocol):
    """Where problems go."""

    def problem(self, path: str, line: int | None, field: str, msg: str) -> None:
        """Record one problem."""


def duplicate_ids(out: Reporter, modules: Iterable[tuple[str, ModuleSpec]]) -> None:
    """Module ids are unique in the course."""
    seen: dict[str, str] = {}
    for path, spec in modules:
        if spec.id in seen:
            out.problem(
                f"{path}/module.yaml",
                1,
                "id",
                (
                    f"expected an id unique in the course, found '{spec.id}' "
                    f"also used by {seen[spec.id]}"
                ),
            )
        else:
            seen[spec.id] = f"{path}/module.yaml"


def page_ids(out: Reporter, m: ModuleSource, pages: list[Page]) -> None:
    """Page ids are unique in their module."""
    seen: dict[str, str] = {}
    for page in pages:
        if page.id in seen:
            out.problem(
                page.source,
                2,
                "id",
                (
                    f"expected a page id unique in the module, found '{page.id}' "
                    f"also used by {seen[page.id]}"
                ),
            )
        seen.setdefault(page.id, page.source)


def placement(
    out: Reporter,
    m: ModuleSource,
    pages: list[Page],
    checks: Assessment | None,
    checks_file: TextFile | None,
) -> None:
    """Every knowledge check sits on exactly one page; pages place only checks that exist."""
    ids = [q.id for q in checks.spec.questions] if checks is not None else []
    placed: dict[str, str] = {}
    for page in pages:
        for qid in page.checks:
            if qid not in ids:
                where = checks_file.path if checks_file else f"{m.path}/assessments/checks.yaml"
                out.problem(
                    page.source, 2, "checks", f"expected a question id of {where}, found '{qid}'"
                )
            elif qid in placed:
                out.problem(
                    page.source,
                    2,
                    "checks",
                    (f"expected each check on one page, found '{qid}' also on {placed[qid]}"),
                )
            else:
                placed[qid] = page.source
    if checks_file:
        for qid in ids:
            if qid not in placed:
                out.problem(
                    checks_file.path,
                    None,
                    qid,
                    (
                        "expected this check on a page (front matter 'checks: [...]'), "
                        "found it on none"
                    ),
                )


def questions(
    out: Reporter,
    f: TextFile,
    located: Located,
    a: AssessmentSpec,
    kind: AssessmentKind,
    objectives: set[str] | None,
    prefix: str = "",
) -> None:
    """Answer keys make sense, objectives exist, scored questions explain themselves.

    `prefix` is the key path of the assessment within its file (`retention_test.`), if any.
    """
    seen: set[str] = set()
    if kind != "post-test" and isinstance(located.data, dict) and "attempts" in located.data:
        # Only a post-test is retaken; elsewhere the key would be read and do nothing.
        out.problem(
            f.path,
            located.line_of(("attempts",)),
            prefix + "attempts",
            f"expected 'attempts' only in a post-test (a {kind} is taken once), "
            f"found attempts: {a.attempts}",
        )
    if a.draw is not None and a.draw > len(a.questions):
        out.problem(
            f.path,
            located.line_of(("draw",)),
            prefix + "draw",
            f"expected at most {len(a.questions)} (the number of questions), found {a.draw}",
        )
    for i, q in enumerate(a.questions):
        at = ("questions", i)

        def bad(key: str, msg: str, at: tuple[str | int, ...] = at, i: int = i) -> None:
            line = located.line_of((*at, key)) if key else located.line_of(at)
            out.problem(f.path, line, f"{prefix}questions[{i}]" + (f".{key}" if key else ""), msg)

        if q.id in seen:
            bad("id", f"expected a question id unique in the file, found '{q.id}' again")
        seen.add(q.id)
        if kind in ("survey", "practice-survey") and not isinstance(q, Likert | FreeText):
            bad("type", f"expected 'likert' or 'text' in a {kind}, found '{q.type}'")
        if kind in ("post-test", "retention-test") and not q.scored:
            # An unscored draw would leave pass/fail undecided and the course never complete.
            bad(
                "type",
                f"expected a scored question in a {kind}, found '{q.type}' "
                "(opinion questions go in survey.yaml)",
            )
        if q.scored and kind not in ("survey", "practice-survey"):
            for key in ("objective", "explanation", "source"):
                if not getattr(q, key):
                    bad(key, "required for a scored question, found nothing")
        if q.parallel and kind not in ("pre-test", "retention-test"):
            bad(
                "parallel",
                "expected 'parallel' only on pre-test and retention-test questions, "
                f"found it in a {kind}",
            )
        elif kind == "pre-test" and q.parallel and "/" in q.parallel:
            bad(
                "parallel", f"expected a post-test question id of this module, found '{q.parallel}'"
            )
        elif kind == "retention-test" and (not q.parallel or "/" not in q.parallel):
            bad(
                "parallel",
                "expected '<module id>/<post-test question id>' (the post-test question this one "
                f"rewords), found {repr(q.parallel) if q.parallel else 'nothing'}",
            )
        if q.objective and objectives is not None and q.objective not in objectives:
            known = ", ".join(sorted(objectives))
            bad(
                "objective",
                f"expected an objective of module.yaml ({known}), found '{q.objective}'",
            )
        if isinstance(q, SingleChoice | MultipleChoice):
            correct = sum(c.correct for c in q.choices)
            if isinstance(q, SingleChoice) and correct != 1:
                bad("choices", f"expected exactly one choice with 'correct: true', found {correct}")
            if isinstance(q, MultipleChoice) and correct < 1:
                bad("choices", "expected at least one choice with 'correct: true', found none")
            if isinstance(q, MultipleChoice) and correct == len(q.choices):
                bad(
                    "choices",
                    "expected at least one choice without 'correct: true' (a wrong answer to "
                    "leave out), found every choice correct",
                )
            texts = [c.text for c in q.choices]
            if len(set(texts)) != len(texts):
                bad(
                    "choices",
                    "expected different texts for every choice, found the same text twice",
                )
            ids = [c.id for c in q.choices if c.id]
            if len(set(ids)) != len(ids):
                bad("choices", "expected unique choice ids, found one twice")
        if isinstance(q, Matching) and len({p.source for p in q.pairs}) != len(q.pairs):
            bad("pairs", "expected a different source in every pair, found one twice")
        if isinstance(q, Sequencing) and len(set(q.steps)) != len(q.steps):
            bad("steps", "expected different steps, found the same step twice")
        if isinstance(q, Scenario):
            _scenario(q, bad)


def _unreachable(q: Scenario) -> list[str]:
    """The ids of the steps no path of options leads to from the first step, in order."""
    steps = {s.id: s for s in q.steps}
    reached, todo = {q.steps[0].id}, [q.steps[0].id]
    while todo:
        for o in steps[todo.pop()].options:
            if o.next in steps and o.next not in reached:
                reached.add(o.next)
                todo.append(o.next)
    return [s.id for s in q.steps if s.id not in reached]


def _scenario(q: Scenario, bad: Callable[[str, str], None]) -> None:
    step_ids = [s.id for s in q.steps]
    if len(set(step_ids)) != len(step_ids):
        bad("steps", "expected unique step ids, found one twice")
    for s in q.steps:
        for o in s.options:
            if o.next is not None and o.next not in step_ids:
                bad(
                    "steps",
                    (
                        f"step '{s.id}': expected 'next' to name a step "
                        f"({', '.join(step_ids)}), found '{o.next}'"
                    ),
                )
    if not any(o.points > 0 for s in q.steps for o in s.options):
        bad("steps", "expected at least one option with points, found none")
    _, cycle = scenario_order(q)
    if len(set(step_ids)) == len(step_ids):
        for lost in _unreachable(q):
            bad(
                "steps",
                f"step '{lost}': expected a step the options lead to from the first step, "
                "found no way to it (learners never see it)",
            )
    if cycle is not None:
        bad(
            "steps",
            "expected steps that never lead back to an earlier step, "
            f"found the cycle {' -> '.join(cycle)}",
        )


def question_ids_across(
    out: Reporter, files: list[tuple[TextFile, Located, AssessmentSpec]]
) -> None:
    """Question ids are unique across a module's pre-test, checks and post-test."""
    seen: dict[str, str] = {}
    for f, located, a in files:
        for i, q in enumerate(a.questions):
            if q.id in seen and seen[q.id] != f.path:
                out.problem(
                    f.path,
                    located.line_of(("questions", i, "id")),
                    f"questions[{i}].id",
                    (
                        f"expected a question id unique in the module, found '{q.id}' "
                        f"also in {seen[q.id]}"
                    ),
                )
            seen.setdefault(q.id, f.path)


def parallels(
    out: Reporter,
    pre: tuple[TextFile, Located, AssessmentSpec] | None,
    post: tuple[TextFile, Located, AssessmentSpec] | None,
    post_path: str,
) -> None:
    """Each pre-test `parallel` names a post-test question of the module on the same objective."""
    if pre is None:
        return
    f, located, a = pre
    by_id = {q.id: q for q in post[2].questions} if post is not None else {}
    paired: dict[str, int] = {}
    for i, q in enumerate(a.questions):
        if not q.parallel or "/" in q.parallel:
            continue  # a `<module>/<id>` reference is reported by `questions`
        line = located.line_of(("questions", i, "parallel"))
        field = f"questions[{i}].parallel"
        target = by_id.get(q.parallel)
        if target is None:
            known = ", ".join(sorted(by_id)) or "none"
            out.problem(
                f.path,
                line,
                field,
                f"expected a question id of {post_path} ({known}), found '{q.parallel}'",
            )
        elif target.objective != q.objective:
            out.problem(
                f.path,
                line,
                field,
                (
                    f"expected a post-test question on objective '{q.objective}', "
                    f"found '{q.parallel}' on objective '{target.objective}'"
                ),
            )
        elif q.parallel in paired:
            out.problem(
                f.path,
                line,
                field,
                (
                    f"expected each post-test question paired once, found '{q.parallel}' "
                    f"also named by questions[{paired[q.parallel]}]"
                ),
            )
        paired.setdefault(q.parallel, i)


def follow_up_parallels(
    out: Reporter,
    f: TextFile,
    located: Located,
    a: AssessmentSpec,
    posts: dict[str, AssessmentSpec],
    prefix: str,
) -> None:
    """Each retention question names a post-test question (`<module>/<id>`) on its objective."""
    paired: dict[str, int] = {}
    for i, q in enumerate(a.questions):
        if not q.parallel or "/" not in q.parallel:
            continue  # reported by `questions`
        line = located.line_of(("questions", i, "parallel"))
        field = f"{prefix}questions[{i}].parallel"
        module_id, _, question_id = q.parallel.partition("/")
        post = posts.get(module_id)
        target = next((p for p in post.questions if p.id == question_id), None) if post else None
        if post is None:
            known = ", ".join(sorted(posts)) or "none"
            msg = f"expected a module with a post-test ({known}), found '{module_id}'"
        elif target is None:
            known = ", ".join(p.id for p in post.questions)
            msg = f"expected a post-test question of {module_id} ({known}), found '{question_id}'"
        elif target.objective != q.objective:
            msg = (
                f"expected a post-test question on objective '{q.objective}', "
                f"found '{q.parallel}' on objective '{target.objective}'"
            )
        elif q.parallel in paired:
            msg = (
                f"expected each post-test question paired once, found '{q.parallel}' "
                f"also named by {prefix}questions[{paired[q.parallel]}]"
            )
        else:
            paired[q.parallel] = i
            continue
        out.problem(f.path, line, field, msg)
