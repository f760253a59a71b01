"""The `coursepack` command line: options in, one core call, a report out. No build logic here."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from shlex import quote
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from builder import __version__
from builder.build_options import build_config, build_options, source_option, templates_option
from builder.errors import BuilderError, ValidationFailed, counted
from builder.report.options import report_options
from builder.targets import TARGETS

if TYPE_CHECKING:
    from builder.build import Built

#: A click command function (what an option decorates).
_F = TypeVar("_F", bound=Callable[..., Any])

log = logging.getLogger("coursepack")


def _human(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1048576:.2f} MiB"


def _set_level(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        logging.getLogger("coursepack").setLevel(
            logging.DEBUG if param.name == "verbose" else logging.WARNING
        )


verbosity = [
    click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Say what each stage does.",
    ),
    click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Print only warnings and errors.",
    ),
]


def with_options(options: Sequence[Callable[[Any], Any]]) -> Callable[[_F], _F]:
    """A decorator applying `options` (a list of click options) in the order they are listed."""

    def apply(f: _F) -> _F:
        for option in reversed(options):
            f = option(f)
        return f

    return apply


with_verbosity = with_options(verbosity)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursepack")
def cli() -> None:
    """Compile a course into SCORM 1.2, SCORM 2004, cmi5, xAPI and web packages (docs/cli.md)."""


with_build_options = with_options(build_options)


def _report(built: list[Built], verb: str) -> None:
    """One line per package, then the total."""
    for b in built:
        log.info("%s  %s  %.0f ms", b.path, _human(b.size), b.milliseconds)
    total = sum(b.size for b in built)
    log.info("%s %s, %s in all", verb, counted(len(built), "package"), _human(total))
    if later := [b for b in built if b.after_months]:
        log.info(
            "follow-up: have the LMS open %s %d months after a learner completes the course "
            "(after_months in follow-up.yaml)",
            ", ".join(b.path.name for b in later),
            later[0].after_months,
        )


class _Bar:
    """A progress bar while packaging, on a terminal only (never in logs or pipes)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, total: int, label: str) -> None:
        if self.bar is None:
            shown = sys.stdout.isatty() and log.getEffectiveLevel() <= logging.INFO
            if not shown:
                return
            self.bar = click.progressbar(length=total, label="packaging", show_pos=True)
            self.bar.__enter__()
        else:
            self.bar.update(1, label)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command("build")
@with_build_options
@with_verbosity
def build_command(**options: Any) -> None:
    """Build packages from the course sources.

    Removes this course's packages of other versions from the output folder.
    """
    from builder.build import build

    bar = _Bar()
    try:
        built = build(build_config(options), progress=bar)
    finally:
        bar.close()
    _report(built, "built")


@cli.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@with_verbosity
def new_command(path: Path) -> None:
    """Start a small working course in PATH.

    Two modules, every question type once, an image; `cd PATH && coursepack build` builds it.
    """
    from builder.scaffold import new_course

    for written in new_course(path):
        log.debug("wrote %s", written)
    # The command as it can be pasted into a shell, whatever the folder is called.
    log.info(
        "created a course in %s; build it with: cd %s && coursepack build", path, quote(str(path))
    )


@cli.command("check")
@with_build_options
@click.option(
    "--links",
    is_flag=True,
    help="Also ask every web address the pages link to whether it still answers (network).",
)
@with_verbosity
def check_command(**options: Any) -> None:
    """Read and check the sources as `build` does, and write nothing.

    With --links, a link to an address that is gone or does not answer is a warning.
    """
    from builder.build import build

    _report(build(build_config(options), write=False), "checked: would build")


@cli.command("preview")
@source_option
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    type=click.Choice(list(TARGETS)),
    help="Package target to preview (repeatable). Default: all.",
)
@templates_option
@click.option(
    "--units",
    type=click.Choice(["course", "module"]),
    default="course",
    show_default=True,
    help="One launchable unit for the course, or one per module (cmi5: one AU per module).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option(
    "--lrs",
    metavar="URL",
    help="Send statements on to this LRS (Authorization from $COURSEPACK_LRS_AUTH) "
    "instead of only the preview's own store.",
)
@with_verbosity
def preview_command(
    source_dir: Path,
    targets: tuple[str, ...],
    template_dirs: tuple[Path, ...],
    units: Literal["course", "module"],
    port: int,
    open_browser: bool,
    lrs: str | None,
) -> None:
    """Serve the course in a local LMS and show what it reports.

    Builds into a temporary folder, serves on 127.0.0.1 and rebuilds on every edit.
    """
    from builder.cache import default_folder
    from builder.config import BuildConfig
    from builder.errors import CourseError
    from builder.preview import PreviewOptions, run_preview
    from builder.sources import source_folder_problem

    if (problem := source_folder_problem(source_dir)) is not None:
        raise CourseError([problem])  # before serving: nothing to watch
    config = BuildConfig(
        source_dir=source_dir,
        targets=tuple(dict.fromkeys(targets)) or tuple(TARGETS),
        template_dirs=(*template_dirs, *BuildConfig().template_dirs),
        units=units,
        cache_dir=default_folder(),
    )
    run_preview(config, PreviewOptions(port, open_browser, lrs))


def _about(path: Path, line: str) -> str:
    """A line of `validate` that names its package, so several packages' lines stay apart."""
    return f"{path}: {line.removeprefix(f'{path.name}: ')}"


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--schemas",
    "schemas_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder with the official XSDs, to check schema validity.",
)
@with_verbosity
def validate_command(paths: tuple[Path, ...], schemas_dir: Path | None) -> None:
    """Check packages (zips or folders), ours or anyone's: SCORM 1.2 and 2004, xAPI
    (tincan.xml), cmi5 (cmi5.xml) or web (index.html). Exits 1 if any has a problem."""
    from builder.validate import validate_package

    problems: list[str] = []
    for path in paths:
        report = validate_package(path, schemas_dir)
        for warning in report.warnings:
            log.warning("warning: %s", _about(path, warning))
        for note in report.notes:
            log.debug("note: %s", _about(path, note))
        problems += [_about(path, error) for error in report.errors]
        if not report.errors:
            log.info("%s: valid %s package", path, report.standard)
    if problems:
        raise ValidationFailed(problems)


@cli.command("report")
@with_options(report_options)
@with_verbosity
def report_command(**options: Any) -> None:
    """Report completion, learning gain and question quality from xAPI statements."""
    from builder.report.config import ProgressBar, report_config
    from builder.report.run import run_report
    from builder.report.write import summary, write_outputs

    bar = ProgressBar()
    try:
        report = run_report(report_config(options, os.environ), bar)
    finally:
        bar.close()
    written = write_outputs(report, options["html_path"], options["csv_dir"], options["json_path"])
    for line in [*summary(report), *(f"wrote {p}" for p in written)]:
        log.info("%s", line)


@cli.command("targets")
def targets_command() -> None:
    """List the package targets."""
    for name, target in TARGETS.items():
        click.echo(f"{name}\t{target.standard}")


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        stream = sys.stderr if record.levelno >= logging.WARNING else sys.stdout
        click.echo(self.format(record), file=stream)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place where domain errors become messages and exit codes."""
    logger = logging.getLogger("coursepack")
    if not logger.handlers:
        logger.addHandler(_Handler())
        logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        cli.main(args=argv, prog_name="coursepack", standalone_mode=False)
    except BuilderError as exc:
        click.echo(f"Error: {exc}" if "\n" not in str(exc) else str(exc), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(0)
