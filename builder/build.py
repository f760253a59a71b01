"""The build: read every source, validate, then render and write one zip per target.

Two phases, as in MkDocs: nothing is written to `dist/` until every source has been read and
validated, and every package has been rendered in memory.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from builder.bundle import bundle_runtime
from builder.cache import Cache
from builder.catalogue import load_catalogue, missing_catalogue
from builder.commit import check_commit_budget
from builder.config import BuildConfig
from builder.course_warnings import course_warnings
from builder.errors import CourseError, Problem, StrictError, UsageError
from builder.files import OutputFile
from builder.loader import load_course
from builder.lrs import lrs_data
from builder.model import FOLLOW_UP, Course
from builder.package import Packer, write_bytes, zip_bytes
from builder.package_checks import ScanMemo
from builder.profiles import check_profile
from builder.render import DataParts, Shells, course_data, render_pages
from builder.runtime import runtime_files, sends_statements
from builder.state import plan_state
from builder.statements import statement_problems
from builder.targets import TARGETS
from builder.templates import make_env
from builder.units import Unit, plan_units
from builder.validate import check_entries, check_zip_directory

log = logging.getLogger("coursepack")


@dataclass(slots=True)
class _Memo:
    """What one build makes once and every package of it reuses."""

    #: Pages rendered once per unit and language; each target only puts in its course data.
    shells: Shells = field(default_factory=dict)
    #: The bundled runtime of each target.
    runtimes: dict[str, list[OutputFile]] = field(default_factory=dict)
    #: Each distinct file deflated once for every package that holds it.
    packer: Packer = field(default_factory=Packer)
    #: Each distinct file scanned for credentials once when the packages are checked.
    scans: ScanMemo = field(default_factory=dict)
    #: The course data's reading order and assessments, made once per unit and language.
    parts: DataParts = field(default_factory=dict)
    #: What the build warned about, each logged as it is found (`--strict` fails on any).
    warnings: list[str] = field(default_factory=list)

    def warn(self, warning: str) -> None:
        """Log `warning` and keep it."""
        log.warning("warning: %s", warning)
        self.warnings.append(warning)


@dataclass(frozen=True, slots=True)
class Built:
    """One package written by the build."""

    path: Path
    target: str
    size: int
    milliseconds: float
    #: The part of the course it holds: a module id (`--split modules`), `follow-up`, or None.
    part: str | None = None
    #: The follow-up unit's: months after completing the course when the LMS should open it.
    after_months: int | None = None


def package_name(course: Course, target: str, module: str | None = None) -> str:
    """`<course>-<target>-<version>.zip`, or `<course>-<module>-<target>-<version>.zip`."""
    parts = [course.spec.file_slug, *([module] if module else []), target, course.spec.version]
    return "-".join(parts) + ".zip"


def stale_packages(out_dir: Path, course: Course) -> list[Path]:
    """Packages in `out_dir` of this course (its slug, any module, any target) at another
    version: an admin could upload one by mistake, so the build removes them."""
    if not out_dir.is_dir():
        return []

    def either(names: list[str]) -> str:
        return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))

    # Only this course's module ids: `<slug>-<word>-…` may be another course's package.
    modules, targets = either([m.id for m in course.modules]), either(list(TARGETS))
    pattern = re.compile(
        rf"{re.escape(course.spec.file_slug)}-(?:(?:{modules})-)?(?:{targets})-(.+)\.zip"
    )
    return sorted(
        p
        for p in out_dir.iterdir()
        if (m := pattern.fullmatch(p.name)) and m.group(1) != course.spec.version and p.is_file()
    )


def _label(unit: Course, target: str, module: str | None) -> str:
    """The package's name in messages: `<course>-<target>` (or with the module)."""
    return package_name(unit, target, module).removesuffix(f"-{unit.spec.version}.zip")


def _statement_problems(
    unit: Course, module: str | None, config: BuildConfig, memo: _Memo
) -> list[Problem]:
    """Problems in the statements `unit`'s packages send, checked once (the same in each)."""
    senders = [n for n in config.targets if sends_statements(TARGETS[n], config.lrs is not None)]
    if not senders:
        return []
    # The catalogue the packages are rendered with: assessment titles are part of the statements.
    cat = load_catalogue(unit.spec.language, config.template_dirs)
    lrs = lrs_data(config.lrs)
    data = course_data(unit, TARGETS[senders[0]], lrs=lrs, cat=cat, parts=memo.parts)
    return statement_problems(data, _label(unit, senders[0], module))


def _render_unit(
    unit: Unit,
    position: tuple[int, int],
    label: str,
    name: str,
    env: jinja2.Environment,
    config: BuildConfig,
    memo: _Memo,
) -> list[OutputFile]:
    """One unit's launch page and assets; `CourseError` if its state or commit cannot fit."""
    target = TARGETS[name]
    course = unit.course
    # The course data, made once: every check below reads the same data the runtime will.
    cat = load_catalogue(course.spec.language, config.template_dirs)
    data = course_data(course, target, 0, lrs_data(config.lrs), position, cat, memo.parts)
    # The learner state must fit the target's suspend-data limit (builder/state.py).
    others = TARGETS.values()
    budget = plan_state(data, target, label, config.allow_state_degrade, others)
    for warning in budget.warnings:
        memo.warn(warning)
    data = {**data, "stateLevel": budget.level}
    # What the LMS receives at Terminate must fit a beacon (builder/commit.py).
    check_commit_budget(data, target, label)
    files = render_pages(course, env, target, data, cat, memo.shells)
    return [replace(f, arcname=unit.launch) if f.arcname == "index.html" else f for f in files]


def _render(
    package: Course,
    module_id: str | None,
    name: str,
    env: jinja2.Environment,
    config: BuildConfig,
    memo: _Memo,
) -> list[OutputFile]:
    """One package in memory: its units' pages, the runtime once, the manifest."""
    target = TARGETS[name]
    label = _label(package, name, module_id)
    title = load_catalogue(package.spec.language, config.template_dirs).text("page.title.survey")
    units = plan_units(package, config.units, title)
    files: dict[str, OutputFile] = {}
    for index, unit in enumerate(units):
        where = label if len(units) == 1 else f"{label} ({unit.launch})"
        for f in _render_unit(unit, (index, len(units)), where, name, env, config, memo):
            files[f.arcname] = f  # assets shared by units are written once
    # SCORM packages built with an LRS also ship the xAPI client (dual-track).
    xapi = config.lrs is not None
    if (runtime := memo.runtimes.get(name)) is None:
        cache = Cache(config.cache_dir) if config.cache_dir else None
        runtime = memo.runtimes[name] = bundle_runtime(runtime_files(target, xapi=xapi), cache)
    shipped = [*files.values(), *runtime]
    return shipped + target.manifest(package, units, shipped, env)


def check_options(config: BuildConfig) -> None:
    """A `UsageError` when the LMS named with --lms cannot take these targets or units
    (builder/profiles.py), or a target cannot cut its packages into the units asked for; checked
    before anything is read, by `build` and by the preview before it serves."""
    check_profile(config.lms, config.targets, config.units == "module")
    refused = [n for n in config.targets if config.units not in TARGETS[n].units]
    if refused:
        reasons = "; ".join(
            f"{n} offers only --units {'|'.join(TARGETS[n].units)}" for n in refused
        )
        why = (
            " SCORM 1.2 has no sequencing to keep several SCOs in order and roll them up."
            if "scorm12" in refused
            else ""
        )
        offered = " -t ".join(n for n in TARGETS if config.units in TARGETS[n].units)
        raise UsageError(
            f"--units {config.units}: {reasons}.{why} Take -t {offered}, or build one package "
            "per module with 'coursepack build --split modules'"
        )


def _check(files: list[OutputFile], dest: Path, config: BuildConfig, memo: _Memo) -> None:
    """`CourseError` if the package's entries would fail `validate` (its zip's directory is
    checked once it is deflated: `check_zip_directory`)."""
    embed = config.lrs is not None and config.lrs.embed_credential
    # The manifest itself is the target's own output: checked when validate knows its kind.
    report = check_entries(
        dest.name,
        {f.arcname: f.data for f in files},
        manifest_optional=True,
        credentials_allowed=embed,
        scan_memo=memo.scans,
        shared={f.arcname: f.shared for f in files if f.shared},
    )
    if report.errors:
        raise CourseError([Problem(dest.name, None, "", e) for e in report.errors])


#: `progress(total, "")` once, then `progress(0, package file name)` after each package.
Progress = Callable[[int, str], None]


def _not_a_folder(out_dir: Path) -> Path | None:
    """`out_dir` or the nearest path above it that is there, if that is not a folder."""
    for path in (out_dir, *out_dir.parents):
        if path.exists():
            return None if path.is_dir() else path
    return None


def build(
    config: BuildConfig,
    write: bool = True,
    progress: Progress | None = None,
    course: Course | None = None,
) -> list[Built]:
    """Build every requested package; raise a `BuilderError` before writing anything if invalid.

    With `write` false nothing is written: every check runs as for a build (`coursepack check`)
    and the packages are reported with the size they would have. `progress(total, "")` is
    called once the course is read, then `progress(0, label)` after each package is packed.
    `course`: the course as `load_course(config.source_dir)` has just read it, if the caller
    needs it too (the preview), so that it is read once.
    """
    out, source = config.out_dir.resolve(), config.source_dir.resolve()
    if source.is_dir() and out.is_relative_to(source):
        # The next build would read the output folder as a module folder.
        raise CourseError(
            [
                Problem(
                    config.out_dir.as_posix(),
                    None,
                    "",
                    f"expected an output folder outside the source folder "
                    f"{config.source_dir.as_posix()}, found one inside it",
                )
            ]
        )
    if (blocker := _not_a_folder(config.out_dir)) is not None:
        found = (
            "a file" if blocker == config.out_dir else f"the file {blocker.as_posix()} in its path"
        )
        raise CourseError(
            [
                Problem(
                    config.out_dir.as_posix(),
                    None,
                    "",
                    f"expected a folder for the packages, found {found}",
                )
            ]
        )
    check_options(config)
    # Phase 1: read and validate every source (raises CourseError listing every problem).
    if course is None:
        course = load_course(config.source_dir)
    log.debug("loaded %d modules from %s", len(course.modules), config.source_dir)
    # A completion rule naming a missing post-test, or a pre-test that measures something else
    # than its post-test (no gain figure): the course builds, with a warning.
    memo = _Memo()
    for warning in course_warnings(course):
        memo.warn(warning)
    if (missing := missing_catalogue(course.spec.language, config.template_dirs)) is not None:
        memo.warnings.append(missing)  # logged by the catalogue, once a process
    if config.check_links:
        from builder.linkcheck import check_links  # urllib and ssl: only when asked

        for warning in check_links(course):
            memo.warn(warning)

    # Templates from --templates first, then the built-in ones.
    env = make_env(config.template_dirs, config.cache_dir)

    # Which courses to package: the whole course, or one per module.
    units: list[tuple[Course, str | None]] = [(course, None)]
    if config.split == "modules":
        units = [(course.only(m.id), m.id) for m in course.modules]
    # The follow-up unit, taken months later, is a small package of its own (follow-up.yaml).
    follow_up = course.follow_up_unit()
    if follow_up is not None:
        units.append((follow_up, FOLLOW_UP))

    # Phase 2a: render and zip every package in memory, checked as `validate` checks it;
    # collect every problem before any write. Each zip is deflated in a thread of its own while
    # its entries are checked and the next package rendered here: zlib lets go of the GIL, and
    # deflating is a fifth of a build. One thread, so the packer's memo needs no lock.
    pending: list[tuple[str, Future[bytes], Path, float, str | None]] = []
    problems: list[Problem] = []
    if progress:
        progress(len(units) * len(config.targets), "")
    packing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coursepack-zip")
    try:
        for unit, module_id in units:
            # What the runtime will send must be valid xAPI (builder/statements.py).
            problems += _statement_problems(unit, module_id, config, memo)
            for name in config.targets:
                started = time.perf_counter()
                dest = config.out_dir / package_name(unit, name, module_id)
                try:
                    files = _render(unit, module_id, name, env, config, memo)
                    if pending:  # one zip at a time: queued packages would each hold a page
                        wait([pending[-1][1]])
                    zipped = packing.submit(zip_bytes, files, dest.name, memo.packer)
                    # Exit 0 means `validate` passes: the package is checked as it is written.
                    _check(files, dest, config, memo)
                except CourseError as exc:
                    problems += exc.problems
                    continue
                pending.append((name, zipped, dest, time.perf_counter() - started, module_id))
                if progress:
                    progress(0, dest.name)
        rendered: list[tuple[str, bytes, Path, float, str | None]] = []
        for name, zipped, dest, seconds, part in pending if not problems else []:
            waited = time.perf_counter()
            data = zipped.result()
            errors = check_zip_directory(dest.name, data)
            problems += [Problem(dest.name, None, "", e) for e in errors]
            rendered.append((name, data, dest, seconds + time.perf_counter() - waited, part))
    finally:
        packing.shutdown(cancel_futures=True)
    if problems:
        raise CourseError(problems)
    if config.strict and memo.warnings:
        raise StrictError(len(memo.warnings))
    # The follow-up unit's packages say when the LMS should open them (follow-up.yaml).
    later = course.follow_up.spec.after_months if course.follow_up else None
    if not write:
        return [
            Built(dest, name, len(data), ms * 1000, part, later if part == FOLLOW_UP else None)
            for name, data, dest, ms, part in rendered
        ]

    # Phase 2b: write them, each atomically.
    built = []
    for name, data, dest, render_seconds, part in rendered:
        started = time.perf_counter()
        write_bytes(data, dest)
        ms = (render_seconds + time.perf_counter() - started) * 1000
        months = later if part == FOLLOW_UP else None
        built.append(Built(dest, name, dest.stat().st_size, ms, part, months))
        log.debug("wrote %s", dest)
    for stale in stale_packages(config.out_dir, course):
        stale.unlink()
        log.info("removed %s (another version of this course)", stale)
    return built
