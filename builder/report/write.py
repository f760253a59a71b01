"""Stage 4 of the report: the writers. Terminal summary, HTML, one CSV per table, JSON.

Each writer takes the finished `Report` and writes one thing; a file is written whole or not at
all (`builder.package.write_bytes`: a temporary file renamed into place). Free-text comments never
go to CSV or JSON; they appear in the HTML only when the report was made with
`--include-comments`.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from builder import __version__
from builder.package import write_bytes
from builder.report.run import Report
from builder.report.tables import Table, Value, format_value
from builder.templates import DEFAULT_TEMPLATES, make_env, render

#: Which column of which table each chart draws (a share 0-1), labelled by which columns (a
#: module by its number and title, `tables.with_titles`).
CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "participation": ("completion", ("group", "scope_title")),
    "learning": ("gain", ("scope_title", "basis")),
    "items": ("difficulty", ("module_title", "test", "question")),
    "likert": ("share", ("question", "answer")),
    "dropoff": ("reached_share", ("position", "page")),
    "follow_up": ("follow_up", ("measure",)),
}
BAR_HEIGHT = 18
LABEL_WIDTH = 380
BAR_WIDTH = 320
#: Characters of a bar's label (about 6.5 px each at 12 px) before it is cut with "…".
LABEL_CHARS = 54


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: its label, length in pixels, y position and the shown value."""

    label: str
    width: float
    y: int
    text: str


def _label(parts: list[str]) -> str:
    """The parts joined with " · " in at most LABEL_CHARS: the longest part (a module's title) is
    cut first with "…", so the parts that tell bars apart stay whole."""
    over = len(" · ".join(parts)) - LABEL_CHARS
    if over > 0 and len(parts) > 1:
        i = max(range(len(parts)), key=lambda j: len(parts[j]))
        keep = len(parts[i]) - over - 1
        if keep >= 12:  # a cut title still says which module it is ("Module 3: Victi…")
            parts = [*parts[:i], parts[i][:keep].rstrip() + "…", *parts[i + 1 :]]
    label = " · ".join(parts)
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def chart(table: Table) -> list[Bar]:
    """The bars of `table`'s chart (values clamped to 0-1; rows without a value left out)."""
    if table.name not in CHARTS:
        return []
    key, labels = CHARTS[table.name]
    keys = [c.key for c in table.columns]
    at, unit = keys.index(key), table.columns[keys.index(key)].unit
    bars: list[Bar] = []
    for row in table.rows:
        cell = dict(zip(keys, row, strict=True))
        if table.name == "participation" and cell["group"] != "all":
            continue  # the chart shows everyone; the table has every group
        if table.name == "learning" and str(cell["basis"]).startswith("objective "):
            continue  # the chart shows matched items and whole tests; the table every objective
        value = row[at]
        if not isinstance(value, int | float):
            continue
        label = _label([str(cell[k]) for k in labels if cell[k]])
        width = max(0.0, min(1.0, float(value))) * BAR_WIDTH
        shown = format_value(value, unit)
        bars.append(Bar(label, round(width, 1), len(bars) * BAR_HEIGHT, shown))
    return bars


def _unit(table: Table) -> str:
    key = CHARTS.get(table.name, ("", ()))[0]
    return next((c.unit for c in table.columns if c.key == key), "")


def html(report: Report) -> str:
    """The self-contained HTML report (inline CSS and SVG, no script, no network)."""
    env = make_env([DEFAULT_TEMPLATES])
    env.filters["shown"] = lambda v, unit: format_value(v, unit)
    return render(
        env,
        "report/report.html",
        report=report,
        charts={t.name: chart(t) for t in report.tables},
        bar_height=BAR_HEIGHT,
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        chart_keys={name: key for name, (key, _) in CHARTS.items()},
        chart_units={t.name: _unit(t) for t in report.tables},
        not_used=not_used(report.counts),
        version=__version__,
    )


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


def as_json(report: Report) -> dict[str, object]:
    """Every table as records, with the course and the reading counts (no free text)."""
    tables: dict[str, list[dict[str, Value]]] = {t.name: t.as_dicts() for t in report.tables}
    return {
        "course": report.course_iri,
        "learners": report.learners,
        "statements": report.counts,
        "comments": report.comment_count,
        "notes": list(report.notes),
        "tables": tables,
    }


def write_outputs(
    report: Report, html_path: Path | None, csv_dir: Path | None, json_path: Path | None
) -> list[Path]:
    """Write the outputs asked for; the paths written."""
    written = []
    if html_path is not None:
        write_bytes(html(report).encode("utf-8"), html_path)
        written.append(html_path)
    if csv_dir is not None:
        for table in report.tables:
            dest = csv_dir / f"{table.name}.csv"
            write_bytes(_csv(table), dest)
            written.append(dest)
    if json_path is not None:
        text = json.dumps(as_json(report), indent=1, ensure_ascii=False, sort_keys=True)
        write_bytes((text + "\n").encode("utf-8"), json_path)
        written.append(json_path)
    return written


#: Why a statement read was not used: its key in `report.counts` and how it reads.
NOT_USED = {
    "about other activities": "about other activities",
    "of other versions": "of other versions",
    "outside the dates": "outside the dates",
    "without id": "without an id",
    "malformed": "malformed (a verb, object, actor, context or result that is not a JSON object)",
}


def not_used(counts: dict[str, int]) -> list[str]:
    """The statements read but not used, by reason (`12 about other activities`)."""
    return [f"{counts[key]} {words}" for key, words in NOT_USED.items() if counts.get(key)]


def summary(report: Report) -> list[str]:
    """The terminal summary: a few lines a course manager can read at a glance."""
    c = report.counts
    lines = [
        f"{report.course}",
        f"statements: {c.get('read', 0)} read, {c.get('used', 0)} used, "
        f"{c.get('duplicates', 0)} duplicates, {c.get('voided', 0)} voided; "
        f"learners: {report.learners}",
    ]
    unused = not_used(c)
    if unused:
        lines.append(f"not used: {', '.join(unused)}")
    if not c.get("read", 0):
        lines.append(
            "note: no statements were read; check that the export (--from) or the LRS (--lrs) "
            "holds the course's statements"
        )
    elif not c.get("used", 0):
        lines.append(
            "note: no statement read is about this course; check that the statements are this "
            "course's (--source), and give the activity id an LMS launched it with "
            "(--course-activity) or widen --version, --since and --until"
        )
    part = report.table("participation")
    if part is not None:
        course = next((r for r in part.as_dicts() if r["group"] == "all"), None)
        if course:
            lines.append(
                f"completion {format_value(course['completion'], 'share')}, "
                f"pass rate {format_value(course['pass_rate'], 'share')}, "
                f"median time {format_value(course['median_minutes'], 'minutes')}"
            )
    learning = report.table("learning")
    if learning is not None:
        for r in learning.as_dicts():
            if r["scope"] == "course":
                lines.append(
                    f"learning gain on matched items: {format_value(r['gain'], 'number')} "
                    f"(95 % {format_value(r['gain_low'], 'number')} to "
                    f"{format_value(r['gain_high'], 'number')}, {r['learners']} learners)"
                )
    items = report.table("items")
    if items is not None:
        flags = [str(r["flags"]) for r in items.as_dicts() if r["flags"]]
        kinds = Counter(f for each in flags for f in each.split(", "))
        why = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
        lines.append(
            f"questions flagged: {len(flags)} of {len(items.rows)}" + (f" ({why})" if why else "")
        )
    lines += [f"note: {n}" for n in report.notes]
    return lines
