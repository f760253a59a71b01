"""Warnings about the course: it builds, but a figure, a rule or a page will not do what the
author expects (a pre-test no gain can be computed from; a completion rule naming a post-test
the course lacks; raw HTML the sanitiser removes; a heading level skipped). Pure: a `Course` in,
the build's warning lines out."""

from __future__ import annotations

from builder.model import Course


def course_warnings(course: Course) -> list[str]:
    """Every warning the build prints for `course`, in order."""
    return [*completion_warnings(course), *unmatched_warnings(course), *page_warnings(course)]


def page_warnings(course: Course) -> list[str]:
    """The build's warning for each thing in a page that builds but not as the author may
    expect (builder/markdown.py): raw HTML the sanitiser removes, a heading level skipped. The
    same warning on other lines of a page is said once, with those lines (HTML pasted from a
    word processor can carry the same `style` on every paragraph)."""
    out = []
    for page in (p for m in course.modules for p in m.pages):
        lines: dict[str, list[int | None]] = {}
        for line, message in page.parsed.warnings if page.parsed is not None else ():
            lines.setdefault(message, []).append(line)
        for message, where in lines.items():
            first, more = where[0], [str(n) for n in where[1:] if n is not None]
            at = f"{page.source}:{first}" if first else page.source
            also = ", ".join(more[:5]) + (f" and {len(more) - 5} more" if len(more) > 5 else "")
            out.append(f"{at}: body: {message}" + (f" (also on lines {also})" if more else ""))
    return out


def unmatched_pre_tests(course: Course) -> tuple[str, ...]:
    """Modules with a pre-test that has neither a parallel pair nor an objective in common
    with the post-test: their gain could not say whether learners learned what was tested."""
    out = []
    for m in course.modules:
        if m.pre_test is None:
            continue
        pre = m.pre_test.spec.questions
        post = m.post_test.spec.questions if m.post_test else ()
        post_objectives = {q.objective for q in post if q.objective}
        if not any(q.parallel for q in pre) and not any(
            q.objective in post_objectives for q in pre if q.objective
        ):
            out.append(m.id)
    return tuple(out)


def unmatched_warnings(course: Course) -> list[str]:
    """The build's warning for each module whose pre-test cannot be matched to its post-test."""
    return [
        f"module {m}: the pre-test cannot be matched to its post-test (no question names a "
        "'parallel' post-test question and no objective is assessed by both), so "
        "`coursepack report` gives no learning gain for it; add 'parallel' or objectives"
        for m in unmatched_pre_tests(course)
    ]


def completion_warnings(course: Course) -> list[str]:
    """The build's warning when the completion rule names a post-test the course does not have:
    the runtime then completes the course on its pages alone (templates/runtime/tracker.js)."""
    rule = course.spec.completion
    if rule == "all-pages" or any(m.post_test for m in course.modules):
        return []
    return [
        f"completion: {rule}, but no module has a post-test (assessments/post-test.yaml), so a "
        "learner completes the course by seeing every page; write 'completion: all-pages' to "
        "say so, or add a post-test"
    ]
