"""The one place that makes the Jinja environment."""

from __future__ import annotations

import json
import traceback
from collections.abc import Sequence
from pathlib import Path

import jinja2
import jinja2.sandbox

from builder.errors import BuilderError, CourseError, Problem, TemplateError

_HERE = Path(__file__).resolve().parent
#: The templates shipped with coursepack (pages, manifests, runtime): inside the installed wheel,
#: or `templates/` beside the package in a checkout.
DEFAULT_TEMPLATES = (
    _HERE / "_templates" if (_HERE / "_templates").is_dir() else _HERE.parent / "templates"
)


def tojson_compact(value: object) -> str:
    """JSON for embedding in HTML: sorted keys, no spaces, `<` escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _links_out(folder: Path) -> list[Problem]:
    """Every link below `folder` that leads outside it (links inside it are fine): Jinja and
    the catalogue would follow them and put what they name into packages."""
    root = folder.resolve()
    return [
        Problem(
            str(path),
            None,
            "",
            f"expected a template inside {folder}, found a link to {path.resolve()}",
        )
        for path in sorted(folder.rglob("*"))
        if path.is_symlink() and not path.resolve().is_relative_to(root)
    ]


def make_env(dirs: Sequence[Path], cache_dir: Path | None = None) -> jinja2.Environment:
    """Return the Jinja environment searching `dirs` in order (strict, autoescaping html/xml).

    Sandboxed: a template (from `--templates`, which may come with a course from elsewhere)
    renders with what it is given and cannot reach Python's internals (`__globals__`, `os`);
    a link in a template folder to a file outside it is a problem (`CourseError`).

    Compiled templates are kept in `cache_dir` (coursepack's private cache, builder/cache.py),
    nowhere if it is None: compiling the pages' templates is a tenth of a build, the same each
    time until a template changes. Not in Jinja's default folder, which every program of the
    user's that uses Jinja shares, keyed by template path and source alone: code compiled
    there by an environment without the sandbox (which compiles calls differently) would be
    loaded here for the same file.
    """
    problems = [p for d in dirs if d.is_dir() for p in _links_out(d)]
    if problems:
        raise CourseError(problems)
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=(
            None
            if cache_dir is None
            else jinja2.FileSystemBytecodeCache(str(cache_dir), "jinja-sandboxed-%s.cache")
        ),
    )
    env.filters["tojson_compact"] = tojson_compact
    return env


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render template `name`, turning Jinja failures into `TemplateError`."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from exc
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        raise TemplateError(f"{where}: template syntax: {exc.message}") from exc
    except BuilderError:
        raise  # raised by the code a template calls, with its own message
    except Exception as exc:  # a template's own code failing as it renders
        line = _template_line(env, exc)
        if line is None:
            if isinstance(exc, jinja2.TemplateError):
                raise TemplateError(f"template {name}: {exc}") from exc
            raise
        raise TemplateError(f"{line}: template: {exc}") from exc


def _template_line(env: jinja2.Environment, exc: BaseException) -> str | None:
    """`file:line` of the template line that raised `exc` (Jinja puts template frames into
    the traceback with the template's file and line), as the user sees it, or None."""
    loader = env.loader
    roots = [Path(p) for p in getattr(loader, "searchpath", [])]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".py", "") or not any(path.is_relative_to(r) for r in roots):
            continue
        try:
            shown = path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            shown = path.as_posix()
        return f"{shown}:{frame.lineno}"
    return None
