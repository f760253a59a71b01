"""A target is one module plus one runtime adapter: a new one is added without touching others.

The fake standard below lives in a temporary folder (its Python module and its JavaScript
adapter), is registered, and built like the built-in ones; its own limits apply.
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import runtime_entries

from builder.build import build
from builder.config import BuildConfig
from builder.errors import CourseError
from builder.targets import TARGETS, register

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "courses" / "minimal"

TARGET_MODULE = '''
"""A made-up standard: a JSON manifest listing the files, and its own adapter."""

import json
from pathlib import Path

from builder.files import OutputFile
from builder.targets import Limits


class FakeStandard:
    name = "fake"
    standard = "fakestd"
    title = "Fake Standard 1.0"
    limits = Limits(suspend_data=SUSPEND_LIMIT)
    pattern_format = "xapi"
    statements = False
    adapter = Path(__file__).with_name("fakestd.js")
    units = ("course",)

    def manifest(self, course, units, files, env):
        names = sorted(f.arcname for f in files)
        body = json.dumps({"course": course.id, "launch": "index.html", "files": names})
        return [OutputFile("fake-manifest.json", body.encode("utf-8"))]

    def commit_tree(self, course_data):
        return None
'''

ADAPTER = """// The fake standard's adapter: the interface of docs/runtime.md, remembering nothing.
export function createAdapter() {
  const noop = () => {};
  return {
    errors: [],
    start: () => ({ connected: true, entry: "", bookmark: "", state: "", masteryScore: null,
      learnerId: null }),
    setBookmark: noop, setProgress: noop, setScore: noop, complete: noop, pass: noop,
    fail: noop, incomplete: noop, saveState: noop, recordInteraction: noop, setObjective: noop,
    seedInteractions: noop, commit: noop, finish: noop,
  };
}
"""


@pytest.fixture(autouse=True)
def _restore_targets() -> Iterator[None]:
    """Every test leaves the target registry as it found it."""
    before = dict(TARGETS)
    yield
    TARGETS.clear()
    TARGETS.update(before)


def fake_target(folder: Path, suspend_limit: int) -> object:
    """Write the fake standard's module and adapter into `folder`; return its target."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "fakestd_target.py"
    source.write_text(TARGET_MODULE.replace("SUSPEND_LIMIT", str(suspend_limit)), "utf-8")
    (folder / "fakestd.js").write_text(ADAPTER, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("fakestd_target", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FakeStandard()


def test_a_target_from_a_temporary_folder_builds(tmp_path: Path) -> None:
    register(fake_target(tmp_path / "plugin", 4096))  # type: ignore[arg-type]
    [built] = build(BuildConfig(source_dir=MINIMAL, out_dir=tmp_path / "out", targets=("fake",)))
    assert built.path.name == "minimal-fake-1.0.0.zip"
    with zipfile.ZipFile(built.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("fake-manifest.json"))
        entries = runtime_entries(zf)
        page = zf.read("index.html").decode("utf-8")
    # The adapter from the temporary folder is bundled into the package's one script.
    assert "runtime/lms/fakestd.js" in entries
    assert manifest["files"] == sorted(names - {"fake-manifest.json"})
    # No other standard's adapter is shipped; the course data names the fake standard, and
    # carries the correct-response format the target asked for.
    assert not {"runtime/lms/scorm12.js", "runtime/lms/scorm2004.js"} & entries
    assert '"standard":"fakestd"' in page
    assert '"correct":{"xapi":' in page and '"scorm12":' not in page


def test_the_targets_own_limits_apply(tmp_path: Path) -> None:
    register(fake_target(tmp_path / "plugin", 10))  # type: ignore[arg-type]
    with pytest.raises(CourseError) as caught:
        build(BuildConfig(source_dir=MINIMAL, out_dir=tmp_path / "out", targets=("fake",)))
    [problem] = caught.value.problems
    assert problem.path == "minimal-fake"
    assert "Fake Standard 1.0 keeps at most 10." in problem.message
    assert not (tmp_path / "out").exists()
