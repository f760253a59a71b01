"""The options of `coursepack build` and `check`, and the `BuildConfig` they make (kept here so
that builder/cli.py stays short, as builder/report/options.py is for `report`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from builder.profiles import PROFILES
from builder.targets import TARGETS

if TYPE_CHECKING:
    from builder.config import BuildConfig


#: `--source`, the same for every command that reads the course (build, check, preview, report).
source_option = click.option(
    "--source",
    "source_dir",
    type=click.Path(path_type=Path),
    default=Path("modules"),
    show_default=True,
    help="Folder with course.yaml and the module folders.",
)
#: `--templates`, for every command that renders the course (build, check, preview).
templates_option = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Template folder searched before the built-in templates (repeatable).",
)

#: The options of `build`, shared by `check` (which reads and checks but writes nothing).
build_options = [
    source_option,
    click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=Path("dist"),
        show_default=True,
        help="Where the zips go.",
    ),
    click.option(
        "-t",
        "--target",
        "targets",
        multiple=True,
        type=click.Choice(list(TARGETS)),
        help="Package target (repeatable). Default: all.",
    ),
    click.option(
        "--split",
        type=click.Choice(["course", "modules"]),
        default="course",
        show_default=True,
        help="One package for the course, or one per module.",
    ),
    click.option(
        "--units",
        type=click.Choice(["course", "module"]),
        default="course",
        show_default=True,
        help="One launchable unit (SCO) for the course, or one per module in the same package.",
    ),
    click.option(
        "--lms",
        type=click.Choice(sorted(PROFILES)),
        help="The LMS the packages are for: refuses targets it does not take (docs/lms.md).",
    ),
    templates_option,
    click.option(
        "--lrs-endpoint",
        metavar="URL",
        help="SCORM packages also send xAPI statements to this LRS (needs --actor-homepage).",
    ),
    click.option(
        "--actor-homepage",
        metavar="URL",
        help="The account homePage of the xAPI actor; its name is the LMS learner id.",
    ),
    click.option(
        "--embed-lrs-credential-from-env",
        "credential_env",
        metavar="NAME",
        help="Embed the LRS credential read from environment variable NAME (readable by learners).",
    ),
    click.option(
        "--allow-state-degrade",
        is_flag=True,
        help="If the learner state can outgrow the LMS limit, resume less instead of failing.",
    ),
    click.option(
        "--strict",
        is_flag=True,
        help="Fail, writing nothing, if the build warns (for a course's CI).",
    ),
]


def build_config(options: dict[str, Any]) -> BuildConfig:
    """The build options of the command line as a `BuildConfig` (the environment for secrets)."""
    from builder.cache import default_folder
    from builder.config import BuildConfig, lrs_config

    return BuildConfig(
        source_dir=options["source_dir"],
        out_dir=options["out_dir"],
        split=options["split"],
        units=options["units"],
        lms=options["lms"],
        targets=tuple(dict.fromkeys(options["targets"])) or tuple(TARGETS),  # each once
        template_dirs=(*options["template_dirs"], *BuildConfig().template_dirs),
        lrs=lrs_config(
            options["lrs_endpoint"],
            options["actor_homepage"],
            options["credential_env"],
            os.environ,
        ),
        allow_state_degrade=options["allow_state_degrade"],
        cache_dir=default_folder(),
        strict=options["strict"],
        check_links=options.get("links", False),
    )
