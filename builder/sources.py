"""Stage 1, the one reader: the course folder on disk -> `CourseSource` (text and bytes only).

Nothing here interprets content; `builder.loader` does that without touching the disk. Problems
that only the disk can show (unreadable files, links that leave their folder) are collected too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem
from builder.limits import MAX_TOTAL
from builder.yamlfile import xml_char_problem

ASSESSMENT_FILES = ("pre-test.yaml", "checks.yaml", "post-test.yaml")
#: The files at the top of the course folder: never module folders, even when folders.
COURSE_FILES = ("course.yaml", "glossary.yaml", "survey.yaml", "follow-up.yaml", "bench-cards.yaml")

#: Files an operating system or editor leaves in any folder; never course content.
_LEFT_BY_TOOLS = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})


def ignored(name: str) -> bool:
    """Whether a file named `name` is left out of the course without a word: hidden files
    (`.DS_Store`, `.page.md.swp`), editor backups (`page.md~`, `#page.md#`) and the thumbnail
    and settings files of Windows Explorer and macOS Finder."""
    return (
        name.startswith(".")
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or name.lower() in _LEFT_BY_TOOLS
    )


#: Bytes a source file may have (docs/authoring.md). Rendering Markdown and sanitising HTML take
#: tens of microseconds a character, and nested raw HTML takes quadratic time: bounded pages
#: keep any page to seconds. The largest files of the shipped course are about 12 KB.
MAX_PAGE_BYTES = 128 * 1024
MAX_YAML_BYTES = 1024 * 1024
MAX_ASSET_BYTES = 256 * 1024**2
#: An image at the top of the course folder (the logo) is small.
MAX_LOGO_BYTES = 1024**2


@dataclass(frozen=True, slots=True)
class TextFile:
    """A text source: `path` as shown to the user, `name` relative to its module folder."""

    path: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class AssetFile:
    """A binary asset: `name` relative to its module folder (e.g. `assets/fig.png`)."""

    path: str
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ModuleSource:
    """Everything read from one module folder."""

    path: str
    dir_name: str
    module_yaml: TextFile | None
    pages: tuple[TextFile, ...]
    assessments: tuple[TextFile, ...]
    assets: tuple[AssetFile, ...]


@dataclass(frozen=True, slots=True)
class CourseSource:
    """Everything read from the course folder, plus the problems reading it."""

    path: str
    course_yaml: TextFile | None
    glossary: TextFile | None
    survey: TextFile | None
    modules: tuple[ModuleSource, ...]
    problems: tuple[Problem, ...]
    #: `follow-up.yaml`: the follow-up unit (delayed retention test, practice self-report).
    follow_up: TextFile | None = None
    #: `bench-cards.yaml`: one-page cards per role (builder/bench_cards.py).
    bench_cards: TextFile | None = None
    #: Files found but not read (not UTF-8, too big…), as shown: already reported, so nothing
    #: else may say they are missing.
    unreadable: frozenset[str] = frozenset()
    #: Images at the top of the course folder, one of which `brand.logo` may name.
    images: tuple[AssetFile, ...] = ()
    #: Without course.yaml: ` (found course.yml: name it course.yaml)`, or "".
    course_yaml_hint: str = ""


#: What a logo may be (`brand.logo` in course.yaml).
IMAGE_SUFFIXES = frozenset({".png", ".svg", ".jpg", ".jpeg", ".webp"})


def _show(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when below it."""
    try:
        shown = path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = path.as_posix()
    # Bytes of a name that is not UTF-8 are shown as \xNN (they would not print).
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _not_utf8(shown: str, data: bytes, start: int) -> Problem:
    """The first byte of `data` that is not UTF-8, by line and column (in characters)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8-sig", "replace")) + 1
    return Problem(
        shown,
        line,
        "",
        f"expected UTF-8 text, found the byte #x{data[start]:02X} at line {line}, column "
        f"{column} (save the file as UTF-8)",
    )


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.asset_bytes = 0  # read so far, in every module
        self.unreadable: set[str] = set()

    def named(self, path: Path, root: Path) -> bool:
        """Whether the name of `path` below `root` is UTF-8 that XML can carry; else a problem."""
        raw = os.fsencode(path.relative_to(root))
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            found = f"the byte #x{raw[exc.start]:02X}"
            self.problems.append(
                Problem(_show(path), None, "", f"expected a file name in UTF-8, found {found}")
            )
            return False
        if (problem := xml_char_problem(name)) is not None:
            self.problems.append(Problem(_show(path), None, "", f"file name: {problem}"))
            return False
        return True

    def inside(self, path: Path, root: Path) -> bool:
        """Whether `path` (following links) stays inside `root`; records a problem if not."""
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            self.problems.append(
                Problem(
                    _show(path),
                    None,
                    "",
                    (f"expected a file inside {_show(root)}/, found a link to {path.resolve()}"),
                )
            )
            return False
        return True

    def too_big(self, path: Path, limit: int, why: str = "") -> bool:
        """Whether `path` has more than `limit` bytes; records a problem if so."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.problems.append(Problem(_show(path), None, "", f"cannot read: {exc.strerror}"))
            return True
        if size > limit:
            self.problems.append(
                Problem(_show(path), None, "", f"expected at most {limit} bytes{why}, found {size}")
            )
            return True
        return False

    def regular(self, path: Path) -> bool:
        """Whether `path` is a file (after links); a problem if it is there but not a file."""
        if path.is_file():
            return True
        if path.is_symlink() and not path.exists():  # broken, or a loop
            found = f"a link to {_show(path.readlink())}, which leads to no file"
        elif path.is_dir():
            found = "a folder"
        elif path.exists():
            found = "a pipe, socket or device"
        else:
            return False
        self.problems.append(Problem(_show(path), None, "", f"expected a file, found {found}"))
        self.unreadable.add(_show(path))
        return False

    def text(self, path: Path, root: Path) -> TextFile | None:
        if not self.regular(path):
            return None
        read = self._text(path, root)
        if read is None:
            self.unreadable.add(_show(path))
        return read

    def _text(self, path: Path, root: Path) -> TextFile | None:
        if not self.named(path, root) or not self.inside(path, root):
            return None
        if self.too_big(path, MAX_PAGE_BYTES if path.suffix == ".md" else MAX_YAML_BYTES):
            return None
        try:
            data = path.read_bytes()
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problems.append(_not_utf8(_show(path), data, exc.start))
            return None
        except OSError as exc:
            self.problems.append(Problem(_show(path), None, "", f"cannot read: {exc.strerror}"))
            return None
        return TextFile(_show(path), path.relative_to(root).as_posix(), text.replace("\r\n", "\n"))

    def images(self, root: Path) -> tuple[AssetFile, ...]:
        """The image files at the top of the course folder (a logo), within the asset limits."""
        found = []
        for p in sorted(root.iterdir()):
            if p.suffix.lower() not in IMAGE_SUFFIXES or not p.is_file():
                continue
            if not self.named(p, root) or not self.inside(p, root):
                continue
            if self.too_big(p, MAX_LOGO_BYTES, " (a logo)"):
                continue
            try:
                data = p.read_bytes()
            except OSError as exc:
                self.problems.append(Problem(_show(p), None, "", f"cannot read: {exc.strerror}"))
                continue
            found.append(AssetFile(_show(p), p.name, data))
        return tuple(found)

    def module(self, folder: Path) -> ModuleSource:
        pages_dir, assess_dir, assets_dir = (folder / n for n in ("pages", "assessments", "assets"))
        for sub in (pages_dir, assess_dir, assets_dir):
            if (sub.exists() or sub.is_symlink()) and not sub.is_dir():
                found = "a file" if sub.exists() else f"a link to {_show(sub.readlink())}"
                problem = Problem(_show(sub), None, "", f"expected a folder, found {found}")
                self.problems.append(problem)
                self.unreadable.add(_show(sub))
        pages = []
        if pages_dir.is_dir():
            for p in sorted(pages_dir.iterdir()):
                if p.suffix == ".md":
                    pages.append(self.text(p, folder))
                elif not ignored(p.name) and self.named(p, folder):
                    found = f"'{_show(Path(p.name))}'"
                    self.problems.append(
                        Problem(
                            _show(p),
                            None,
                            "",
                            f"expected a page (a file ending in .md), found {found} (keep "
                            "other files outside pages/)",
                        )
                    )
        assessments = []
        if assess_dir.is_dir():
            for p in sorted(assess_dir.iterdir()):
                if p.name in ASSESSMENT_FILES:
                    assessments.append(self.text(p, folder))
                elif not ignored(p.name):
                    expected = ", ".join(ASSESSMENT_FILES)
                    self.problems.append(
                        Problem(
                            _show(p),
                            None,
                            "",
                            f"expected one of {expected}, found '{_show(Path(p.name))}'",
                        )
                    )
        assets = []
        if assets_dir.is_dir():
            for p in sorted(assets_dir.rglob("*")):
                hidden = any(ignored(part) for part in p.relative_to(assets_dir).parts)
                if hidden or p.is_dir() or not self.regular(p):
                    continue
                if not self.named(p, folder) or not self.inside(p, folder):
                    continue
                if self.too_big(p, MAX_ASSET_BYTES):
                    continue
                left = MAX_TOTAL - self.asset_bytes
                if self.too_big(p, left, f" (all assets together at most {MAX_TOTAL})"):
                    continue
                try:
                    data = p.read_bytes()
                except OSError as exc:
                    self.problems.append(
                        Problem(_show(p), None, "", f"cannot read: {exc.strerror}")
                    )
                    continue
                self.asset_bytes += len(data)
                assets.append(AssetFile(_show(p), p.relative_to(folder).as_posix(), data))
        return ModuleSource(
            path=_show(folder),
            dir_name=folder.name,
            module_yaml=self.text(folder / "module.yaml", folder),
            pages=tuple(p for p in pages if p),
            assessments=tuple(a for a in assessments if a),
            assets=tuple(assets),
        )


def source_folder_problem(source_dir: Path) -> Problem | None:
    """The problem of a `--source` that is not a folder, or None."""
    if source_dir.is_dir():
        return None
    found = "a file" if source_dir.exists() else "nothing"
    return Problem(
        _show(source_dir),
        None,
        "",
        f"expected a folder with course.yaml and module folders, found {found}",
    )


def read_course(source_dir: Path) -> CourseSource:
    """Read every source file of the course in `source_dir`."""
    reader = _Reader()
    if (problem := source_folder_problem(source_dir)) is not None:
        return CourseSource(_show(source_dir), None, None, None, (), (problem,))
    inner = source_dir / "modules"
    if not (source_dir / "course.yaml").exists() and (inner / "course.yaml").is_file():
        # `coursepack new c` makes c/modules: `--source c` is the usual slip.
        shown = _show(source_dir / "course.yaml")
        hint = f"{_show(inner / 'course.yaml')} is there: use --source {_show(inner)}"
        problem = Problem(shown, None, "", f"required file, found nothing ({hint})")
        return CourseSource(_show(source_dir), None, None, None, (), (problem,))
    folders = sorted(
        p
        for p in source_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in COURSE_FILES
    )
    modules = []
    for folder in folders:
        if not reader.named(folder, source_dir) or not reader.inside(folder, source_dir):
            continue
        modules.append(reader.module(folder))
    return CourseSource(
        path=_show(source_dir),
        course_yaml=reader.text(source_dir / "course.yaml", source_dir),
        glossary=reader.text(source_dir / "glossary.yaml", source_dir),
        survey=reader.text(source_dir / "survey.yaml", source_dir),
        modules=tuple(modules),
        images=reader.images(source_dir),
        problems=tuple(reader.problems),
        follow_up=reader.text(source_dir / "follow-up.yaml", source_dir),
        bench_cards=reader.text(source_dir / "bench-cards.yaml", source_dir),
        unreadable=frozenset(reader.unreadable),
        course_yaml_hint=_course_yaml_hint(source_dir),
    )


def _course_yaml_hint(source_dir: Path) -> str:
    """` (found Course.yml: name it course.yaml)` when only a near miss is there, or ""."""
    if (source_dir / "course.yaml").exists():
        return ""
    for p in sorted(source_dir.iterdir()):
        if p.name.lower() in ("course.yaml", "course.yml") and p.is_file():
            return f" (found {_show(Path(p.name))}: name it course.yaml)"
    return ""
