"""The options of `coursepack report` (kept here so that builder/cli.py stays short)."""

from __future__ import annotations

from pathlib import Path

import click

from builder.build_options import source_option

#: Every option of `report`, in the order `--help` lists them.
report_options = [
    source_option,
    click.option("--lrs", metavar="URL", help="Read the statements from this LRS endpoint."),
    click.option(
        "--lrs-auth-env",
        "auth_env",
        metavar="NAME",
        help="Environment variable holding the LRS Authorization value.",
    ),
    click.option(
        "--page-size",
        type=click.IntRange(1, 10_000),
        default=500,
        show_default=True,
        help="Statements per LRS page.",
    ),
    click.option(
        "--from",
        "from_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Read the statements from a file (JSON array or JSON lines).",
    ),
    click.option(
        "--course-activity",
        "course_ids",
        multiple=True,
        metavar="IRI",
        help="Another activity id that names the course (an xAPI launch's activity_id).",
    ),
    click.option("--version", "course_version", metavar="X.Y.Z", help="Only this course version."),
    click.option("--since", metavar="DATE", help="Only statements at or after this time."),
    click.option("--until", metavar="DATE", help="Only statements before this time."),
    click.option(
        "--html",
        "html_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write the HTML report (self-contained, printable) here.",
    ),
    click.option(
        "--csv",
        "csv_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Write one CSV file per table into this folder.",
    ),
    click.option(
        "--json",
        "json_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write every table as JSON here.",
    ),
    click.option("--seed", type=int, default=14, show_default=True, help="Bootstrap seed."),
    click.option(
        "--include-comments",
        is_flag=True,
        help="List the survey's free-text comments in the HTML (never in CSV/JSON).",
    ),
]
