"""Build configuration: what the CLI (or a test) asks the build to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from builder.templates import DEFAULT_TEMPLATES


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Everything `builder.build.build` needs; nothing else is read from the environment."""

    source_dir: Path = Path("modules")
    out_dir: Path = Path("dist")
    targets: tuple[str, ...] = ("web", "scorm12", "scorm2004-3rd", "scorm2004-4th")
    split: Literal["course", "modules"] = "course"
    template_dirs: tuple[Path, ...] = field(default=(DEFAULT_TEMPLATES,))
