"""Golden manifests: each SCORM target's manifest for each fixture course, compared as text.

Regenerate with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import whole

from builder.files import OutputFile
from builder.loader import load_course
from builder.model import Course
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env

GOLDEN = Path(__file__).resolve().parent / "golden"
SCORM = [name for name, t in TARGETS.items() if t.standard.startswith("scorm")]


def package_files(course: Course) -> list[OutputFile]:
    """A fixed stand-in for the rendered package: the page, one runtime file and the assets.

    The golden files pin the manifest, not the pages or the runtime, which have tests of their own.
    """
    assets = [OutputFile(a.arcname, a.data) for m in course.modules for a in m.assets]
    return [OutputFile("index.html", b""), OutputFile("runtime/main.js", b""), *assets]


@pytest.mark.parametrize("target", SCORM)
@pytest.mark.parametrize("fixture", ["minimal", "full"])
def test_manifest_matches_golden(
    fixture: str, target: str, fixtures_dir: Path, update_golden: bool
) -> None:
    course = load_course(fixtures_dir / "courses" / fixture)
    [manifest] = TARGETS[target].manifest(
        course, whole(course), package_files(course), make_env([DEFAULT_TEMPLATES])
    )
    golden = GOLDEN / fixture / target / manifest.arcname
    text = manifest.data.decode("utf-8")
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"{golden} missing: run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden} differs: review, then run pytest --update-golden"
    )
