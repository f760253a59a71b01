"""Stage 3b: the JavaScript runtime a package ships (`templates/runtime/`).

This stage reads from disk: it copies the static runtime files shipped with coursepack. It is the
only stage besides the loader that reads. Every package gets the shared modules, the API discovery,
the web adapter (SCORM packages fall back to it when no LMS is found) and its target's adapter
(`Target.adapter`, shipped as `lms/<standard>.js`); the adapters of the other standards are left
out. Packages that send statements (`Target.statements`, or an LRS given to the build) also get
the xAPI client (`xapi/`) and the xAPI Profile describing them.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from builder.errors import TemplateError
from builder.files import OutputFile
from builder.templates import DEFAULT_TEMPLATES

if TYPE_CHECKING:
    from builder.targets import Target

#: The runtime shipped with coursepack.
RUNTIME_DIR = DEFAULT_TEMPLATES / "runtime"
#: Only these file types are runtime code; anything else in the folder is not shipped.
SUFFIXES = frozenset({".js", ".css"})
#: `lms/` modules every package needs, whatever its standard.
SHARED_LMS = frozenset({"connect", "discover", "session", "web"})
#: Runtime folders of one standard's adapter: `cmi5/` (the AU session) ships with cmi5 only.
STANDARD_FOLDERS = frozenset({"cmi5"})
#: The xAPI Profile (JSON-LD) of the statements the runtime sends (docs/xapi.md).
PROFILE = DEFAULT_TEMPLATES / "xapi" / "profile.jsonld"
#: Where the profile goes in a package that sends statements.
PROFILE_ARCNAME = "xapi/profile.jsonld"


def _ships(rel: PurePosixPath, statements: bool, standard: str) -> bool:
    """Whether the shared runtime file at `rel` belongs in a package (adapters come apart)."""
    if rel.suffix not in SUFFIXES:
        return False
    if rel.parent == PurePosixPath("lms"):
        return rel.stem in SHARED_LMS
    if rel.parts[0] == "xapi":
        return statements
    # A folder named after a standard (`cmi5/`) is its adapter's and ships with it alone.
    if rel.parts[0] in STANDARD_FOLDERS:
        return rel.parts[0] == standard
    return True


def sends_statements(target: Target, xapi: bool = False) -> bool:
    """Whether a package for `target` sends xAPI statements (`xapi`: built with an LRS)."""
    return xapi or target.statements


def runtime_files(
    target: Target, root: Path = RUNTIME_DIR, xapi: bool = False, profile: Path = PROFILE
) -> list[OutputFile]:
    """Return the runtime files `target` ships, as `runtime/<relative path>`, sorted.

    The xAPI client (`xapi/`) ships with the `xapi` target, and with any target when `xapi` is
    true (SCORM packages built with an LRS endpoint); so does the profile, as `PROFILE_ARCNAME`.
    """
    if not root.is_dir():
        raise TemplateError(f"runtime folder not found: {root}")
    statements = sends_statements(target, xapi)
    files = []
    for path in root.rglob("*"):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        if path.is_file() and _ships(rel, statements, target.standard):
            files.append(OutputFile(f"runtime/{rel}", path.read_bytes()))
    # The target's own adapter, wherever the target keeps it (`Target.adapter`).
    adapter = target.adapter
    if target.standard not in SHARED_LMS:
        if not adapter.is_file():
            raise TemplateError(
                f"runtime adapter not found for target {target.name!r}: {adapter.as_posix()}"
            )
        files.append(OutputFile(f"runtime/lms/{target.standard}.js", adapter.read_bytes()))
    if statements:
        if not profile.is_file():
            raise TemplateError(f"xAPI profile not found: {profile}")
        files.append(OutputFile(PROFILE_ARCNAME, profile.read_bytes()))
    return sorted(files, key=lambda f: f.arcname)
