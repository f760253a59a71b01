"""The report's orchestrator: the course index, one or two folds of the statements, the tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.loader import load_course
from builder.model import FOLLOW_UP
from builder.report.aggregate import Aggregator, Filters
from builder.report.items import course_index
from builder.report.learning import learning_table
from builder.report.metrics import (
    dropoff_table,
    follow_up_table,
    item_tables,
    likert_table,
    participation_table,
)
from builder.report.read import Progress
from builder.report.tables import Table, with_titles
from builder.vocabulary import load_profile

#: The seed of the bootstrap unless `--seed` says otherwise: the same data give the same report.
DEFAULT_SEED = 14

Source = Callable[[Progress], Iterator[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class ReportConfig:
    """What `coursepack report` was asked for."""

    source: Source
    source_dir: Path = Path("modules")
    filters: Filters = field(default_factory=Filters)
    seed: int = DEFAULT_SEED
    include_comments: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the writers show."""

    course: str
    course_iri: str
    counts: dict[str, int]
    learners: int
    tables: tuple[Table, ...]
    comment_count: int
    comments: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def table(self, name: str) -> Table | None:
        """The table called `name`, if the report has it."""
        return next((t for t in self.tables if t.name == name), None)


def _quiet(done: int, total: int | None) -> None:
    """No progress shown."""


def run_report(config: ReportConfig, progress: Progress = _quiet) -> Report:
    """Read the course sources and the statements; compute every table."""
    course = load_course(config.source_dir)
    index = course_index(course)
    profile = load_profile()

    def fold(skip: frozenset[bytes]) -> Aggregator:
        agg = Aggregator(index, profile, config.filters, skip, config.include_comments)
        for statement in config.source(progress):
            agg.add(statement)
        return agg

    agg = fold(frozenset())
    notes = []
    if agg.late_voids:
        # Some statements were voided after they had been counted: read again, skipping them.
        late, voided = agg.late_voids, frozenset(agg.voided)
        del agg  # its id set goes before the second read makes another
        plural = "s were" if late != 1 else " was"
        notes.append(
            f"{late} statement{plural} voided by a later statement; the source was "
            "read a second time to leave them out."
        )
        agg = fold(voided)
    learners = list(agg.learners.values())
    notes += [
        f"{index.module_labels.get(m, m)} ({m}): its pre-test cannot be matched to its post-test "
        "(no parallel questions, no objective in common), so it has no learning-gain figure."
        for m in index.unmatched
    ]
    items, options = item_tables(index, learners)
    follow = follow_up_table(index, learners)
    tables = [
        participation_table(index, learners),
        learning_table(index, learners, config.seed),
        items,
        options,
        likert_table(index, learners),
        dropoff_table(index, learners),
        *([follow] if follow else []),
    ]
    titles = {**index.module_labels, "course": "Whole course", FOLLOW_UP: "Follow-up unit"}
    tables = [with_titles(t, titles) for t in tables]
    return Report(
        course=index.title,
        course_iri=index.iri,
        counts=dict(agg.counts),
        learners=len(learners),
        tables=tuple(tables),
        comment_count=agg.comment_count,
        comments=tuple(agg.comments),
        notes=tuple(notes),
    )
