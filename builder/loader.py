"""Stage 2 (pure): `CourseSource` -> validated `Course`, or one `CourseError` with every problem.

`load_course` is the convenience that reads (stage 1) and parses in one call.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, unquote

from builder import checks, course_extras
from builder.active import active_problem
from builder.bench_cards import course_title_problem
from builder.errors import CourseError
from builder.images import image_problem
from builder.limits import refused_type
from builder.markdown import URL_SCHEMES, Ref, RefError, parse_markdown
from builder.messages import HEX_WORDS
from builder.model import (
    Assessment,
    AssessmentKind,
    AssessmentSpec,
    Asset,
    Course,
    CourseSpec,
    Module,
    ModuleSpec,
    Page,
    PageMeta,
)
from builder.model_parser import ModelParser
from builder.sources import CourseSource, ModuleSource, TextFile, read_course
from builder.yamlfile import NOT_XML, Located

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
#: A page id taken from a file name: it goes into DOM ids, links and xAPI activity IRIs.
PAGE_ID = re.compile(r"[\w.-]{1,64}")


def _page_id(name: str) -> str:
    stem = posixpath.basename(name).removesuffix(".md")
    return re.sub(r"^\d+[-_ ]*", "", stem) or stem


class _Course:
    """The parse of one whole course; holds the index that cross-file checks need."""

    def __init__(self, src: CourseSource) -> None:
        self.src = src
        self.p = ModelParser()
        self.p.problems.extend(src.problems)
        self.module_ids: dict[str, str] = {}  # module dir name -> module id
        self.page_keys: dict[str, str] = {}  # "<dir>/pages/<file>.md" -> "<module-id>/<page-id>"
        self.metas: dict[str, PageMeta | None] = {}  # page path -> its front matter
        self.course_located: Located | None = None  # course.yaml, for the lines of its keys

    def parse(self) -> Course:
        if self.src.problems and self.src.course_yaml is None and not self.src.modules:
            raise CourseError(self.p.problems)  # no course folder: nothing else to say
        spec = self._course_spec()
        if not self.src.modules:
            self.p.problem(
                self.src.path,
                None,
                "",
                "expected at least one module folder (with module.yaml and pages/), found none",
            )
        specs = [self._module_spec(m) for m in self.src.modules]
        # Front matter of every page first: links between pages need every page's id.
        for m in self.src.modules:
            for page in m.pages:
                meta = self._meta(page)
                page_id = (meta.id if meta and meta.id else None) or _page_id(page.name)
                module_id = self.module_ids.get(m.dir_name, m.dir_name)
                self.page_keys[f"{m.dir_name}/{page.name}"] = f"{module_id}/{page_id}"
                self.metas[page.path] = meta
        modules = [self._module(m, s) for m, s in zip(self.src.modules, specs, strict=True)]
        glossary = course_extras.glossary(self.p, self.src.glossary)
        parsed_survey = (
            self._assessment(self.src.survey, "survey", None) if self.src.survey else None
        )
        survey = parsed_survey[0] if parsed_survey else None
        follow_up = course_extras.follow_up(self.p, self.src.follow_up, modules)
        bench_cards = course_extras.bench_cards(self.p, self.src.bench_cards, modules)
        if bench_cards and spec and (wrong := course_title_problem(spec.title)):
            line = self.course_located.line_of(("title",)) if self.course_located else None
            self.p.problem(f"{self.src.path}/course.yaml", line, "title", wrong)
        checks.duplicate_ids(
            self.p, [(m.path, s) for m, s in zip(self.src.modules, specs, strict=True) if s]
        )
        if self.p.problems or spec is None:
            raise CourseError(self.p.problems)
        logo = course_extras.logo(self.p, self.src, spec)
        if self.p.problems:
            raise CourseError(self.p.problems)
        kept = tuple(m for m in modules if m)
        return Course(
            spec,
            kept,
            glossary,
            survey,
            follow_up=follow_up,
            bench_cards=bench_cards,
            logo=logo,
        )

    def _course_spec(self) -> CourseSpec | None:
        src = self.src.course_yaml
        if src is None and not self._unread(f"{self.src.path}/course.yaml"):
            found = "required file, found nothing" + self.src.course_yaml_hint
            self.p.problem(f"{self.src.path}/course.yaml", None, "", found)
            return None
        if src is None:
            return None
        located = self.course_located = self.p.yaml(src)
        if located is None:
            return None
        brand = located.data.get("brand") if isinstance(located.data, dict) else None
        for key in ("colour", "header"):
            if isinstance(brand, dict) and key in brand and brand[key] is None:
                self.p.problem(
                    src.path,
                    located.line_of(("brand", key)),
                    f"brand.{key}",
                    f"expected {HEX_WORDS}, found nothing (a # not in quotes starts a comment)",
                )
        spec = self.p.model(CourseSpec, src, located)
        if spec is not None and 0 < spec.mastery_score <= 1:
            # A fraction (SCORM 2004's scaled score): as a percentage it would pass everyone.
            given, percent = f"{spec.mastery_score:g}", f"{round(spec.mastery_score * 100, 6):g}"
            self.p.problem(
                src.path,
                located.line_of(("mastery_score",)),
                "mastery_score",
                f"expected a percentage (80 means 80 %), found {given} (a pass mark of {given} %); "
                f"write {percent} for {percent} %",
            )
            return None
        return spec

    def _unread(self, shown: str) -> bool:
        """Whether the file shown as `shown` (or any below it) was found but not read."""
        shown = posixpath.normpath(shown)
        return any(u == shown or u.startswith(shown + "/") for u in self.src.unreadable)

    def _near(self, wanted: str, names: Iterable[str]) -> str:
        """` (did you mean 'x'?)` for the name of `names` closest to `wanted`, or ``."""
        close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def _module_spec(self, m: ModuleSource) -> ModuleSpec | None:
        if m.module_yaml is None:
            if self._unread(f"{m.path}/module.yaml"):
                return None
            self.p.problem(
                f"{m.path}/module.yaml",
                None,
                "",
                ("required file, found nothing (every folder of the course is a module)"),
            )
            return None
        located = self.p.yaml(m.module_yaml)
        spec = self.p.model(ModuleSpec, m.module_yaml, located) if located else None
        if spec:
            self.module_ids[m.dir_name] = spec.id
        return spec

    def _module(self, m: ModuleSource, spec: ModuleSpec | None) -> Module | None:
        unread_pages = self._unread(f"{m.path}/pages")
        if not m.pages and not unread_pages:
            self.p.problem(
                f"{m.path}/pages", None, "", "expected at least one page (*.md), found none"
            )
        for a in m.assets:
            if (suffix := refused_type(a.name)) is not None:
                self.p.problem(
                    a.path, None, "", f"expected a file type LMSs accept, found '{suffix}'"
                )
            elif (why := active_problem(a.name, a.data)) is not None:
                self.p.problem(a.path, None, "", why)
        assets = tuple(
            Asset(
                f"assets/{spec.id if spec else m.dir_name}/{a.name.removeprefix('assets/')}", a.data
            )
            for a in m.assets
        )
        pages = [self._page(m, spec, f) for f in m.pages]
        by_kind = {
            f.name.removeprefix("assessments/").removesuffix(".yaml"): f for f in m.assessments
        }
        parsed = {k: self._assessment(f, k, spec) for k, f in by_kind.items()}
        found = {a.kind: a for a, _ in filter(None, parsed.values())}
        checks.question_ids_across(
            self.p,
            [(by_kind[k], located, a.spec) for k, v in parsed.items() if v for a, located in [v]],
        )
        located_specs = {
            k: (by_kind[k], located, a.spec) for k, v in parsed.items() if v for a, located in [v]
        }
        checks.parallels(
            self.p,
            located_specs.get("pre-test"),
            located_specs.get("post-test"),
            by_kind["post-test"].path
            if "post-test" in by_kind
            else f"{m.path}/assessments/post-test.yaml",
        )
        if spec is None:
            return None
        built = [p for p in pages if p]
        checks.page_ids(self.p, m, built)
        unread_checks = self._unread(f"{m.path}/assessments/checks.yaml")
        # A check may sit on the page that could not be read, or come from such a checks.yaml.
        if not unread_pages and not unread_checks:
            checks.placement(self.p, m, built, found.get("check"), by_kind.get("checks"))
        return Module(
            spec,
            tuple(built),
            found.get("pre-test"),
            found.get("post-test"),
            assets,
            found.get("check"),
        )

    def _meta(self, f: TextFile) -> PageMeta | None:
        match = FRONT_MATTER.match(f.text)
        if not match:
            self.p.problem(
                f.path, 1, "", "expected front matter between '---' lines with a title, found none"
            )
            return None
        located = self.p.yaml(f, 2, match.group(1) or "")
        if located is not None and located.data is None:  # nothing, or only comments
            self.p.problem(
                f.path, 2, "title", "expected the page's title, found empty front matter"
            )
            return None
        return self.p.model(PageMeta, f, located) if located else None

    def _page(self, m: ModuleSource, spec: ModuleSpec | None, f: TextFile) -> Page | None:
        match = FRONT_MATTER.match(f.text)
        meta = self.metas.get(f.path)
        if not match:
            return None
        body_line = f.text[: match.end()].count("\n") + 1
        module_id = spec.id if spec else m.dir_name
        body = f.text[match.end() :]
        # Parsed here, where every link and image is checked with its line; rendered in render.
        parsed, problems = parse_markdown(
            body, body_line, lambda r: self._resolve(m, module_id, f, r)
        )
        for line, msg in problems:
            self.p.problem(f.path, line, "body", msg)
        if (bad := NOT_XML.search(f.text, match.end())) is not None:
            line = f.text.count("\n", 0, bad.start()) + 1
            found = f"#x{ord(bad.group()):02X}"
            self.p.problem(
                f.path, line, "body", f"expected text XML can carry, found the character {found}"
            )
        if meta is None:
            return None
        page_id = meta.id or _page_id(f.name)
        if not meta.id and not PAGE_ID.fullmatch(page_id):
            self.p.problem(
                f.path,
                None,
                "id",
                "expected a file name that gives a page id of at most 64 letters, digits, '-', "
                f"'_' or '.' (or an 'id' in the front matter), found '{page_id}'",
            )
            return None
        return Page(page_id, meta.title, body, f.path, meta.checks, parsed)

    def _resolve(self, m: ModuleSource, module_id: str, f: TextFile, ref: Ref) -> str:
        target = ref.target
        scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]+):", target)
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            # The sanitiser would silently drop the href/src and leave a dead link or image.
            raise RefError(
                f"{ref.kind} '{target}': expected a path or an http, https or mailto URL, "
                f"found a '{scheme.group(1)}:' URL (removed from the page)"
            )
        if not target:
            raise RefError(
                f"{ref.kind} with an empty target: expected a page or file of the course or a "
                "URL, found nothing to link to"
            )
        if target.startswith("#"):
            # Headings carry no anchors and every page is a section of one document, so a link
            # within the page leads nowhere a learner can see.
            raise RefError(
                f"{ref.kind} '{target}': expected a page or file of the course or a URL, found a "
                "link within the page (headings have no anchors: link to the page, e.g. 02-x.md)"
            )
        if scheme or target.startswith("//"):
            return target
        path_part, _, fragment = target.partition("#")
        path_part = unquote(path_part)
        joined = posixpath.normpath(
            posixpath.join(m.dir_name, posixpath.dirname(f.name), path_part)
        )
        drive = re.match(r"^[a-zA-Z]:", path_part)  # a Windows absolute path (C:\...)
        if target.startswith("/") or joined.startswith("..") or drive:
            raise RefError(
                f"{ref.kind} '{target}': expected a path inside the course folder, "
                "found one that leaves it"
            )
        if path_part.endswith(".md"):
            key = self.page_keys.get(joined)
            if key is None:
                if self._unread(f"{self.src.path}/{joined}"):
                    return "#"  # reported as unreadable already
                near = [
                    posixpath.relpath(k, posixpath.join(m.dir_name, posixpath.dirname(f.name)))
                    for k in self.page_keys
                ]
                raise RefError(
                    f"link '{target}': expected an existing page, "
                    f"found no file {self.src.path}/{joined}{self._near(path_part, near)}"
                )
            # `#top` is the start of the page, where the link lands anyway (HTML's "top" of
            # the indicated part); any other part is as dead as a link within a page.
            if fragment and fragment.lower() != "top":
                raise RefError(
                    f"link '{target}': expected a link to the page alone, found '#{fragment}' "
                    f"after it (headings have no anchors: link to {path_part})"
                )
            return f"#page-{key}"
        if not joined.startswith(f"{m.dir_name}/"):
            raise RefError(
                f"{ref.kind} '{target}': expected a file inside this module's folder, "
                "found one outside it"
            )
        inner = joined.removeprefix(f"{m.dir_name}/")
        if not inner.startswith("assets/"):
            raise RefError(
                f"{ref.kind} '{target}': expected a file in the module's assets/ folder, "
                f"found {inner}"
            )
        names = {a.name for a in m.assets}
        if inner not in names:
            if self._unread(f"{m.path}/{inner}"):
                return "#"
            case = next((n for n in names if n.lower() == inner.lower()), None)
            rel = posixpath.join(m.dir_name, posixpath.dirname(f.name))
            near = [posixpath.relpath(posixpath.join(m.dir_name, n), rel) for n in names]
            hint = (
                f" (found '{case}': letter case differs)" if case else self._near(path_part, near)
            )
            raise RefError(
                f"{ref.kind} '{target}': expected an existing file, "
                f"found no file {m.path}/{inner}{hint}"
            )
        if ref.kind == "image":
            data = next(a.data for a in m.assets if a.name == inner)
            if (why := image_problem(target, data)) is not None:
                raise RefError(why)
        return quote(f"assets/{module_id}/{inner.removeprefix('assets/')}") + (
            f"#{fragment}" if fragment else ""
        )

    def _assessment(
        self, f: TextFile, kind: str, spec: ModuleSpec | None
    ) -> tuple[Assessment, Located] | None:
        kind_name: AssessmentKind = "check" if kind == "checks" else kind  # type: ignore[assignment]
        located = self.p.yaml(f)
        a = self.p.model(AssessmentSpec, f, located) if located else None
        if a is None or located is None:
            return None
        objectives = {o.id for o in spec.objectives} if spec else None
        checks.questions(self.p, f, located, a, kind_name, objectives)
        # Without an authored title the pages give one in the course's language (render.py).
        return Assessment(kind_name, a.title, a, f.path), located


def parse_course(src: CourseSource) -> Course:
    """Validate the course read from disk; raise `CourseError` listing every problem."""
    return _Course(src).parse()


def load_course(source_dir: Path) -> Course:
    """Read and validate the course in `source_dir`."""
    return parse_course(read_course(source_dir))
