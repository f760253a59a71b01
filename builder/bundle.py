"""Stage 3c: the runtime as one classic script and one style sheet (`runtime/coursepack.*`).

Browsers refuse ES modules from `file://` (offline players, a web package on a shared drive), and
twenty-odd files are twenty-odd requests per launch. This stage turns the runtime files a target
ships (`builder.runtime.runtime_files`, whatever adapters and folders those are) into
`runtime/coursepack.js`, one strict IIFE, and `runtime/coursepack.css`; other files (the xAPI
profile) pass through. Pure: files in, files out.

Each module becomes a factory in a table keyed by its path under `runtime/`, run once on first
use. The runtime is written in a small subset of module syntax, and anything else is a
`TemplateError` naming the file and line (so a new form is noticed at build time, not in a
learner's browser):

- `import { a, b as c } from "./x.js";` becomes `const { a, b: c } = require("x.js");`
- `import * as ns from "./x.js";` becomes `const ns = require("x.js");`
- `export { a, b } from "./x.js";` re-exports, `export { a, b };` exports local names
- `export function|async function|const|class name` exports `name`
- `import(spec)` (dynamic, possibly a template string) loads a module of the table, or rejects
  when the package does not ship it (main.js guards those imports)

The result is minified by `tdewolff-minify` (declared dependency; local names shortened, comments
and spaces dropped). With a `builder.cache.Cache`, a minified result is kept under the digest of
its input and of the minifier's library file, and the minifier (a Go library, megabytes of memory
once loaded) is loaded only when something new must be minified.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from builder.cache import Cache, key
from builder.errors import TemplateError
from builder.files import OutputFile

#: The entry module, relative to `runtime/`.
ENTRY = "main.js"
#: What the stage writes.
SCRIPT = "runtime/coursepack.js"
STYLE = "runtime/coursepack.css"

_NAME = r"[A-Za-z_$][\w$]*"
_IMPORT = re.compile(r"""^import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["'];?[ \t]*$""", re.M)
_IMPORT_ALL = re.compile(
    rf"""^import\s*\*\s*as\s+({_NAME})\s+from\s*["']([^"']+)["'];?[ \t]*$""", re.M
)
_REEXPORT = re.compile(r"""^export\s*\{([^}]*)\}\s*from\s*["']([^"']+)["'];?[ \t]*$""", re.M)
_EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\};?[ \t]*$", re.M)
_EXPORT_DECL = re.compile(rf"^export\s+((?:async\s+)?function\*?|const|class)\s+({_NAME})", re.M)
_LEFT = re.compile(r"^[ \t]*(import|export)\b(?!\()", re.M)
_DYNAMIC = re.compile(r"(?<![\w$.])import\s*\(")

_PRELUDE = """(function () {
"use strict";
var defs = {}, done = {};
function need(name) {
  if (!Object.prototype.hasOwnProperty.call(done, name)) {
    if (!Object.prototype.hasOwnProperty.call(defs, name)) {
      throw new Error("coursepack: module not in this package: " + name);
    }
    done[name] = defs[name](need, load);
  }
  return done[name];
}
function load(dir, spec) {
  var parts = dir ? dir.split("/") : [];
  spec.split("/").forEach(function (p) {
    if (p === "..") parts.pop(); else if (p !== ".") parts.push(p);
  });
  return new Promise(function (ok) { ok(need(parts.join("/"))); });
}
"""


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _names(group: str, where: str) -> list[tuple[str, str]]:
    """`a, b as c` as [(a, a), (b, c)] (imported or local name, then the name it goes by)."""
    pairs = []
    for part in (p.strip() for p in group.split(",")):
        if not part:
            continue
        m = re.fullmatch(rf"({_NAME})(?:\s+as\s+({_NAME}))?", part)
        if not m:
            raise TemplateError(f"{where}: cannot bundle the import or export of {part!r}")
        pairs.append((m.group(1), m.group(2) or m.group(1)))
    return pairs


def _resolve(name: str, spec: str, where: str) -> str:
    if not spec.startswith(("./", "../")):
        raise TemplateError(f"{where}: only relative imports can be bundled, found {spec!r}")
    return posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))


def _destructure(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(a if a == b else f"{a}: {b}" for a, b in pairs)


@functools.lru_cache(maxsize=256)
def _module(name: str, text: str) -> tuple[str, tuple[str, ...]]:
    """The factory body of module `name` and the modules it needs statically (kept: every
    target of a build bundles most of the same modules)."""
    where = f"templates/runtime/{name}"
    needs: list[str] = []
    exports: list[tuple[str, str]] = []  # (local name, exported name)

    def imported(m: re.Match[str]) -> str:
        target = _resolve(name, m.group(2), f"{where}:{_line(text, m.start())}")
        needs.append(target)
        pairs = _names(m.group(1), f"{where}:{_line(text, m.start())}")
        return f"const {{ {_destructure(pairs)} }} = need({json.dumps(target)});"

    def imported_all(m: re.Match[str]) -> str:
        target = _resolve(name, m.group(2), f"{where}:{_line(text, m.start())}")
        needs.append(target)
        return f"const {m.group(1)} = need({json.dumps(target)});"

    def reexported(m: re.Match[str]) -> str:
        target = _resolve(name, m.group(2), f"{where}:{_line(text, m.start())}")
        needs.append(target)
        pairs = _names(m.group(1), f"{where}:{_line(text, m.start())}")
        exports.extend((b, b) for _, b in pairs)
        return f"const {{ {_destructure(pairs)} }} = need({json.dumps(target)});"

    def listed(m: re.Match[str]) -> str:
        exports.extend(_names(m.group(1), f"{where}:{_line(text, m.start())}"))
        return ""

    def declared(m: re.Match[str]) -> str:
        exports.append((m.group(2), m.group(2)))
        return f"{m.group(1)} {m.group(2)}"

    body = _IMPORT.sub(imported, text)
    body = _IMPORT_ALL.sub(imported_all, body)
    body = _REEXPORT.sub(reexported, body)
    body = _EXPORT_LIST.sub(listed, body)
    body = _EXPORT_DECL.sub(declared, body)
    left = _LEFT.search(_strip_comments(body))
    if left:
        found = _strip_comments(body)[left.start() :].splitlines()[0].strip()
        raise TemplateError(f"{where}: cannot bundle this module syntax: {found!r}")
    if "import.meta" in body:
        raise TemplateError(f"{where}: cannot bundle import.meta")
    body = _DYNAMIC.sub(f"load({json.dumps(posixpath.dirname(name))}, ", body)
    returned = ", ".join(f"{b}: {a}" for a, b in exports)
    head = f"defs[{json.dumps(name)}] = function (need, load) {{\n"
    factory = f"{head}{body}\nreturn {{ {returned} }};\n}};\n"
    return factory, tuple(needs)


def _strip_comments(text: str) -> str:
    """`text` with comment lines blanked, so a comment mentioning `import` is no error."""
    return re.sub(r"^[ \t]*(//.*|/?\*.*)$", "", text, flags=re.M)


def _check_acyclic(graph: dict[str, tuple[str, ...]]) -> None:
    """A `TemplateError` naming the loop when static imports go round (bindings are copied)."""
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                loop = [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
                raise TemplateError(f"runtime modules import each other: {' -> '.join(loop)}")
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


@functools.cache
def _minifier_identity() -> str:
    """The minifier's library file with its size and time (a new install is a new identity)."""
    spec = importlib.util.find_spec("minify")
    library = Path(spec.origin).with_name("minify.so") if spec and spec.origin else Path("?")
    try:
        info = library.stat()
    except OSError:
        return f"{library}:unknown"
    return f"{library}:{info.st_size}:{info.st_mtime_ns}"


def _minify(mediatype: str, text: str, cache: Cache | None = None) -> str:
    name = key("minify", _minifier_identity(), mediatype, text) if cache else ""
    kept = cache.get(name) if cache else None
    if kept is not None:
        try:
            return kept.decode("utf-8")
        except UnicodeDecodeError:
            pass  # not what was stored: minify again
    import minify  # type: ignore[import-untyped]  # PyPI tdewolff-minify, loaded when needed

    try:
        minified = str(minify.string(mediatype, text))
    except minify.MinifyError as exc:
        raise TemplateError(f"the runtime could not be minified ({mediatype}): {exc}") from exc
    if cache:
        cache.put(name, minified.encode("utf-8"))
    return minified


def bundle_script(modules: dict[str, str], cache: Cache | None = None) -> str:
    """One classic script running `ENTRY` of `modules` (path under runtime/ -> source)."""
    if ENTRY not in modules:
        raise TemplateError(f"runtime entry module not found: templates/runtime/{ENTRY}")
    graph: dict[str, tuple[str, ...]] = {}
    parts = [_PRELUDE]
    for name in sorted(modules):
        factory, needs = _module(name, modules[name])
        missing = [n for n in needs if n not in modules]
        if missing:
            raise TemplateError(
                f"templates/runtime/{name} imports {missing[0]}, which this package does not ship"
            )
        graph[name] = needs
        parts.append(factory)
    _check_acyclic(graph)
    parts.append(f"need({json.dumps(ENTRY)});\n}})();\n")
    minified: str = _minify("application/javascript", "".join(parts), cache)
    return minified + "\n"


def bundle_style(sheets: Iterable[str], cache: Cache | None = None) -> str:
    """The style sheets, in the order given, as one minified sheet."""
    minified: str = _minify("text/css", "\n".join(sheets), cache)
    return minified + "\n"


def bundle_runtime(files: list[OutputFile], cache: Cache | None = None) -> list[OutputFile]:
    """`files` with every `runtime/*.js` in one script and every `runtime/*.css` in one sheet."""
    modules: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []
    others: list[OutputFile] = []
    for f in files:
        rel = f.arcname.removeprefix("runtime/")
        if rel != f.arcname and rel.endswith(".js"):
            modules[rel] = f.data.decode("utf-8")
        elif rel != f.arcname and rel.endswith(".css"):
            sheets.append((rel, f.data.decode("utf-8")))
        else:
            others.append(f)
    out = [OutputFile(SCRIPT, bundle_script(modules, cache).encode("utf-8"))]
    if sheets:
        style = bundle_style((s for _, s in sorted(sheets)), cache)
        out.append(OutputFile(STYLE, style.encode("utf-8")))
    return sorted([*out, *others], key=lambda f: f.arcname)
