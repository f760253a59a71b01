"""Stage 2 (pure), the course-level extras: the logo, the glossary, the follow-up, the bench cards.

Each is optional, read from the top of the course folder, and checked against the modules
already parsed where it refers to them. Problems go to the loader's `ModelParser`.
"""

from __future__ import annotations

from builder import checks
from builder.active import active_problem
from builder.bench_cards import BenchCards, cited_tags, source_problems
from builder.images import image_problem
from builder.messages import describe, field_path
from builder.model import (
    Assessment,
    AssessmentKind,
    AssessmentSpec,
    Asset,
    CourseSpec,
    FollowUp,
    FollowUpSpec,
    GlossaryEntry,
    Module,
)
from builder.model_parser import ModelParser
from builder.sources import CourseSource, TextFile
from builder.yamlfile import Located


def logo(p: ModelParser, src: CourseSource, spec: CourseSpec) -> Asset | None:
    """The image `brand.logo` names, from the top of the course folder."""
    name = spec.brand.logo if spec.brand else None
    if name is None:
        return None
    found = next((f for f in src.images if f.name == name), None)
    if found is None:
        have = ", ".join(f.name for f in src.images) or "no image"
        p.problem(
            f"{src.path}/course.yaml",
            None,
            "brand.logo",
            f"expected the image {name!r} at the top of the course folder, found {have}",
        )
        return None
    if (why := active_problem(found.name, found.data)) is not None:
        p.problem(found.path, None, "", why)  # an SVG logo opened on its own runs its script
        return None
    if (why := image_problem(found.name, found.data)) is not None:
        p.problem(found.path, None, "", why)
        return None
    return Asset(f"assets/{found.name}", found.data)


def follow_up(p: ModelParser, f: TextFile | None, modules: list[Module | None]) -> FollowUp | None:
    """`follow-up.yaml`: its two assessments checked like the course's, and every retention
    question's `parallel` against the post-tests of `modules`."""
    located = p.yaml(f) if f else None
    spec = p.model(FollowUpSpec, f, located) if f and located else None
    if f is None or located is None or spec is None:
        return None
    posts = {m.id: m.post_test.spec for m in modules if m and m.post_test}
    parts: list[Assessment] = []
    kinds: tuple[tuple[str, AssessmentKind], ...] = (
        ("retention_test", "retention-test"),
        ("practice_survey", "practice-survey"),
    )
    for key, kind in kinds:
        a: AssessmentSpec = getattr(spec, key)
        sub = Located(None, {k[1:]: v for k, v in located.lines.items() if k[:1] == (key,)})
        checks.questions(p, f, sub, a, kind, None, prefix=f"{key}.")
        if kind == "retention-test":
            checks.follow_up_parallels(p, f, sub, a, posts, f"{key}.")
        parts.append(Assessment(kind, a.title, a, f.path))
    return FollowUp(spec, parts[0], parts[1], f.path)


def bench_cards(
    p: ModelParser, f: TextFile | None, modules: list[Module | None]
) -> BenchCards | None:
    """`bench-cards.yaml`, each item citing only references the course cites."""
    located = p.yaml(f) if f else None
    cards = p.model(BenchCards, f, located) if f and located else None
    if f is None or located is None or cards is None:
        return None
    texts = [page.body for m in modules if m for page in m.pages]
    texts += [
        q.source or ""
        for m in modules
        if m
        for a in (m.pre_test, m.checks, m.post_test)
        if a
        for q in a.spec.questions
    ]
    for path, msg in source_problems(cards, cited_tags(texts)):
        _, dotted = field_path(path, located.data)
        p.problem(f.path, located.line_of(path), dotted, msg)
    return cards


def glossary(p: ModelParser, f: TextFile | None) -> tuple[GlossaryEntry, ...]:
    """`glossary.yaml`: a list of terms, each checked on its own."""
    if f is None:
        return ()
    located = p.yaml(f)
    if located is None:
        return ()
    if not isinstance(located.data, tuple):
        p.problem(f.path, 1, "", "expected a list of terms, found " + describe(located.data))
        return ()
    entries = []
    first: dict[str, int | None] = {}  # term (in any case) -> the line it is first defined on
    for i, item in enumerate(located.data):
        sub = Located(item, {k[1:]: v for k, v in located.lines.items() if k[:1] == (i,)})
        entry = p.model(GlossaryEntry, f, sub, prefix=f"[{i}].")
        if entry is None:
            continue
        key, line = entry.term.casefold(), sub.line_of(("term",))
        if key in first:
            msg = f"expected each term once, found '{entry.term}' again (line {first[key]})"
            p.problem(f.path, line, f"[{i}].term", msg)
        first.setdefault(key, line)
        entries.append(entry)
    return tuple(entries)
