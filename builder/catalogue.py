"""Every learner-facing string of the pages and the runtime, from a message catalogue by language.

The catalogue of a language is `templates/messages/<language>.json` (searched in the template
folders, `--templates` first, so a course can bring its own): a flat object of keys to strings
with `{name}` placeholders. The course's `language` picks it by its primary subtag (`de-AT` reads
`de.json`); a language without a catalogue gets English and the build says so once. Keys
`page.*` are rendered into the pages (`t` in the templates, and `builder/render.py`); keys
`runtime.*` travel in the course data (`messages`) for `runtime/util/messages.js`. Localisation
is data: a new language is one file with the same keys, which `load_catalogue` checks.
"""

from __future__ import annotations

import json
import logging
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from builder.errors import TemplateError
from builder.templates import DEFAULT_TEMPLATES

log = logging.getLogger("coursepack")

#: The language every other catalogue is checked against, and the fallback.
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The strings of one language."""

    language: str
    messages: Mapping[str, str]

    def text(self, key: str, /, **params: object) -> str:
        """The message `key` with its placeholders filled; a `TemplateError` for an unknown key."""
        try:
            return self.messages[key].format_map(params)
        except KeyError as exc:
            raise TemplateError(
                f"message catalogue '{self.language}': expected a message {key!r} with "
                f"placeholders {sorted(params)}, found none for {exc.args[0]!r}"
            ) from exc

    def runtime(self) -> dict[str, str]:
        """The runtime's messages (keys `runtime.*`), as the course data carries them."""
        return {k: v for k, v in sorted(self.messages.items()) if k.startswith("runtime.")}


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateError(f"{path}: expected a JSON message catalogue, found {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise TemplateError(f"{path}: expected an object of strings, found something else")
    return data


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


_MISSING = "no message catalogue for language {language!r}; the pages are in English"


def _path(language: str, dirs: Sequence[Path]) -> Path | None:
    """The catalogue file of `language` (by its primary subtag) in the first of `dirs` with one."""
    primary = language.split("-")[0].lower()
    return next((d / "messages" / f"{primary}.json" for d in dirs
                 if (d / "messages" / f"{primary}.json").is_file()), None)  # fmt: skip


def missing_catalogue(language: str, dirs: Sequence[Path]) -> str | None:
    """The warning that `language` has no catalogue (its pages are in English), or None. The
    catalogue logs it when it is first loaded; a strict build counts it."""
    return _MISSING.format(language=language) if _path(language, dirs) is None else None


@cache
def _load(language: str, dirs: tuple[Path, ...]) -> Catalogue:
    found = next((d / "messages" for d in dirs if (d / "messages" / "en.json").is_file()), None)
    if found is None:
        raise TemplateError("message catalogue not found: templates/messages/en.json")
    source = _read(found / f"{SOURCE_LANGUAGE}.json")
    primary, path = language.split("-")[0].lower(), _path(language, dirs)
    if path is None:
        log.warning("warning: %s", _MISSING.format(language=language))
        return Catalogue(SOURCE_LANGUAGE, source)
    messages = _read(path)
    missing = sorted(set(source) - set(messages))
    extra = sorted(set(messages) - set(source))
    if missing or extra:
        raise TemplateError(
            f"{path}: expected the keys of {SOURCE_LANGUAGE}.json, found "
            f"{len(missing)} missing ({', '.join(missing[:5])}) and {len(extra)} unknown "
            f"({', '.join(extra[:5])})"
        )
    wrong = [k for k in source if _fields(source[k]) != _fields(messages[k])]
    if wrong:
        raise TemplateError(
            f"{path}: expected the same {{placeholders}} as {SOURCE_LANGUAGE}.json, found others "
            f"in {', '.join(wrong[:5])}"
        )
    return Catalogue(primary, messages)


def load_catalogue(language: str, dirs: Sequence[Path] = (DEFAULT_TEMPLATES,)) -> Catalogue:
    """The catalogue for `language` (BCP 47) from the template folders `dirs`."""
    return _load(language, tuple(dirs))


def english() -> Catalogue:
    """The built-in English catalogue."""
    return load_catalogue(SOURCE_LANGUAGE)
