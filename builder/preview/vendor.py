"""Where `coursepack preview` finds scorm-again, the LMS-side SCORM runtime it hosts packages in.

scorm-again is a declared npm dependency (package.json), never committed or vendored. Preview
looks for its pinned version in a `node_modules` folder (the working folder, its parents, the
coursepack checkout), then in the user cache; failing both it fetches the pinned tarball once from
the npm registry (`npm_config_registry`, as npm reads it; default registry.npmjs.org), checks it
against the lock file's integrity hash and keeps the two files it needs in the cache.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from builder.errors import UsageError

log = logging.getLogger("coursepack")

#: The pinned scorm-again, as package-lock.json has it (tests/test_preview_parts.py checks).
VERSION = "3.4.3"
INTEGRITY = (
    "sha512-Zbe+7ArMUbT1lVnqYxsbGRfI9JD9JVqEPzZLQdk0nfNmcDYJ404rMO9nbkQ0Hz"
    "wux5uACF9zKsvc29Q/ZzMOdg=="
)
#: The files preview serves, from the package's `dist/`.
FILES = ("scorm12.js", "scorm2004.js")
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
#: Bytes of tarball read at most (3.4.3 is about 2 MB).
MAX_TARBALL = 64 * 1024 * 1024


def cache_dir() -> Path:
    """The user cache folder for scorm-again (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coursepack" / f"scorm-again-{VERSION}"


def _version_of(package_dir: Path) -> str | None:
    import json

    try:
        return str(json.loads((package_dir / "package.json").read_text("utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _node_modules(start: Path) -> list[Path]:
    """`node_modules/scorm-again` in `start` and its parents, then in the coursepack checkout."""
    places = [start, *start.parents, Path(__file__).resolve().parents[2]]
    return [p / "node_modules" / "scorm-again" for p in places]


def find_runtime(start: Path) -> Path | None:
    """The `dist/` folder of the pinned scorm-again in a node_modules or the cache, or None."""
    for package_dir in _node_modules(start.resolve()):
        dist = package_dir / "dist"
        if all((dist / f).is_file() for f in FILES):
            if _version_of(package_dir) == VERSION:
                return dist
            log.debug(
                "%s is scorm-again %s, not %s", package_dir, _version_of(package_dir), VERSION
            )
    cached = cache_dir()
    return cached if all((cached / f).is_file() for f in FILES) else None


def tarball_url(registry: str) -> str:
    """The registry's URL of the pinned tarball (the npm registry's layout)."""
    return f"{registry.rstrip('/')}/scorm-again/-/scorm-again-{VERSION}.tgz"


def check_integrity(data: bytes, integrity: str = INTEGRITY) -> bool:
    """Whether `data` has the Subresource Integrity hash `integrity` (`sha512-<base64>`)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256"):
        return False
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    return digest == expected


def _missing(reason: str) -> UsageError:
    return UsageError(
        f"preview needs scorm-again {VERSION} (the LMS runtime that hosts SCORM packages): "
        f"{reason}. Get it with `npm install scorm-again@{VERSION}` in the course folder "
        f"(or `npm ci` in a coursepack checkout), or let preview fetch it once into "
        f"{cache_dir()} from the npm registry (network access to it needed); "
        "or preview only web and xapi targets with -t"
    )


def fetch_runtime(registry: str | None = None, integrity: str = INTEGRITY) -> Path:
    """Download the pinned tarball once, check it, keep `dist/{FILES}` in the cache."""
    from_env = os.environ.get("npm_config_registry")  # noqa: SIM112 (npm spells it so)
    registry = registry or from_env or DEFAULT_REGISTRY
    url = tarball_url(registry)
    log.info("fetching scorm-again %s from %s into %s", VERSION, url, cache_dir())
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = response.read(MAX_TARBALL + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()
        raise _missing(
            f"not in any node_modules nor in the cache, and {url} failed: {exc}"
        ) from None
    if len(data) > MAX_TARBALL or not check_integrity(data, integrity):
        raise _missing(f"{url} did not match the integrity hash of package-lock.json")
    wanted = {f"package/dist/{f}": f for f in FILES}
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.name in wanted and member.isfile():
                extracted = tar.extractfile(member)
                if extracted is not None:
                    found[wanted[member.name]] = extracted.read()
    if set(found) != set(FILES):
        raise _missing(f"{url} lacks {', '.join(sorted(set(FILES) - set(found)))}")
    dest = cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    for name, content in found.items():
        partial = dest / f".{name}.partial"
        partial.write_bytes(content)
        partial.replace(dest / name)
    return dest


def runtime_dir(start: Path, fetch: bool = True) -> Path:
    """The scorm-again `dist/` folder to serve: found, or fetched once; `UsageError` if neither."""
    found = find_runtime(start)
    if found is not None:
        return found
    if not fetch:
        raise _missing("not in any node_modules nor in the cache")
    return fetch_runtime()
