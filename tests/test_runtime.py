from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.errors import TemplateError
from builder.files import OutputFile
from builder.runtime import PROFILE, PROFILE_ARCNAME, RUNTIME_DIR, runtime_files
from builder.targets import TARGETS, Target


@dataclass(frozen=True)
class FakeTarget:
    name: str
    standard: str
    adapter: Path = RUNTIME_DIR / "lms" / "web.js"
    statements: bool = False

    def at(self, tree: Path) -> FakeTarget:
        """The same target with its adapter in the runtime folder `tree`."""
        adapter = tree / "lms" / f"{self.standard}.js"
        return FakeTarget(self.name, self.standard, adapter, self.statements)


WEB = FakeTarget("web", "web")
SCORM12 = FakeTarget("scorm12", "scorm12", RUNTIME_DIR / "lms" / "scorm12.js")
SCORM2004 = FakeTarget("scorm2004-4th", "scorm2004", RUNTIME_DIR / "lms" / "scorm2004.js")


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path / "runtime",
        {
            "main.js": "main",
            "tracker.js": "tracker",
            "ui/nav.js": "nav",
            "ui/theme.css": "css",
            "ui/README.md": "not shipped",
            "util/time.js": "time",
            "lms/discover.js": "discover",
            "lms/web.js": "web",
            "lms/scorm12.js": "s12",
            "lms/scorm2004.js": "s2004",
            "lms/notes.txt": "not shipped",
            ".DS_Store": "junk",
        },
    )


def names(files: list[OutputFile]) -> list[str]:
    return [f.arcname for f in files]


def test_scorm12_ships_its_adapter_discovery_and_the_web_fallback(tree: Path) -> None:
    files = runtime_files(SCORM12.at(tree), tree)
    assert names(files) == [
        "runtime/lms/discover.js",
        "runtime/lms/scorm12.js",
        "runtime/lms/web.js",
        "runtime/main.js",
        "runtime/tracker.js",
        "runtime/ui/nav.js",
        "runtime/ui/theme.css",
        "runtime/util/time.js",
    ]
    assert {f.arcname: f.data for f in files}["runtime/lms/scorm12.js"] == b"s12"


@pytest.mark.parametrize(
    ("target", "adapter", "left_out"),
    [
        (SCORM2004, "runtime/lms/scorm2004.js", {"runtime/lms/scorm12.js"}),
        (WEB, "runtime/lms/web.js", {"runtime/lms/scorm12.js", "runtime/lms/scorm2004.js"}),
    ],
)
def test_other_standards_adapters_are_left_out(
    tree: Path, target: FakeTarget, adapter: str, left_out: set[str]
) -> None:
    shipped = set(names(runtime_files(target.at(tree), tree)))
    assert adapter in shipped
    assert "runtime/lms/discover.js" in shipped
    assert not shipped & left_out


def test_only_js_and_css_are_shipped(tree: Path) -> None:
    shipped = names(runtime_files(WEB.at(tree), tree))
    assert all(n.endswith((".js", ".css")) for n in shipped)
    assert "runtime/ui/README.md" not in shipped


def test_output_is_sorted_and_repeatable(tree: Path) -> None:
    first = runtime_files(SCORM2004.at(tree), tree)
    assert names(first) == sorted(names(first))
    assert first == runtime_files(SCORM2004.at(tree), tree)


def test_missing_adapter_is_a_template_error(tree: Path) -> None:
    with pytest.raises(TemplateError, match=r"'cmi5'.*runtime/lms/cmi5\.js"):
        runtime_files(FakeTarget("cmi5", "cmi5").at(tree), tree)


def test_missing_folder_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="runtime folder not found"):
        runtime_files(WEB, tmp_path / "nope")


@pytest.mark.parametrize("target", [WEB, SCORM12, SCORM2004])
def test_shipped_runtime_has_the_adapter_files(target: FakeTarget) -> None:
    files = runtime_files(target)
    shipped = names(files)
    assert f"runtime/lms/{target.standard}.js" in shipped
    assert {"runtime/lms/discover.js", "runtime/util/time.js", "runtime/util/state.js"} <= set(
        shipped
    )
    for f in files:
        assert f.data == (RUNTIME_DIR / f.arcname.removeprefix("runtime/")).read_bytes()


XAPI = FakeTarget("xapi", "xapi", RUNTIME_DIR / "lms" / "xapi.js", statements=True)


def test_xapi_ships_its_adapter_the_web_fallback_and_discovery_only(tree: Path) -> None:
    (tree / "lms" / "xapi.js").write_text("xapi", encoding="utf-8")
    lms = {n for n in names(runtime_files(XAPI.at(tree), tree)) if n.startswith("runtime/lms/")}
    assert lms == {"runtime/lms/discover.js", "runtime/lms/web.js", "runtime/lms/xapi.js"}
    assert "runtime/lms/xapi.js" not in names(runtime_files(SCORM12.at(tree), tree))


@pytest.mark.parametrize(
    ("target", "xapi", "ships"),
    [(XAPI, False, True), (SCORM12, True, True), (SCORM2004, True, True)]
    + [(t, False, False) for t in (WEB, SCORM12, SCORM2004)],
)
def test_the_profile_ships_exactly_with_the_xapi_client(
    target: FakeTarget, xapi: bool, ships: bool
) -> None:
    files = {f.arcname: f.data for f in runtime_files(target, xapi=xapi)}
    assert PROFILE_ARCNAME == "xapi/profile.jsonld"
    assert (PROFILE_ARCNAME in files) is ships
    assert any(n.startswith("runtime/xapi/") for n in files) is ships
    if ships:
        assert files[PROFILE_ARCNAME] == PROFILE.read_bytes()
        assert json.loads(files[PROFILE_ARCNAME])["type"] == "Profile"


def test_a_missing_profile_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="xAPI profile not found"):
        runtime_files(XAPI, profile=tmp_path / "profile.jsonld")
    assert PROFILE_ARCNAME not in {f.arcname for f in runtime_files(WEB, profile=tmp_path / "x")}


IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']""", re.M)
DYNAMIC = re.compile(r"""\bimport\(\s*["'](\.{1,2}/[^"'`$]+)["']\s*\)""")
#: Guarded imports of what only xAPI and dual-track packages ship (main.js, docs/xapi.md).
OPTIONAL = {("runtime/main.js", "./xapi/tracking.js")}


@pytest.mark.parametrize("xapi", [False, True], ids=["plain", "with-xapi"])
@pytest.mark.parametrize("target", list(TARGETS.values()), ids=list(TARGETS))
def test_every_relative_import_of_a_shipped_module_is_shipped(target: Target, xapi: bool) -> None:
    files = {f.arcname: f.data.decode("utf-8") for f in runtime_files(target, xapi=xapi)}
    missing = []
    for name, text in files.items():
        if not name.endswith(".js"):
            continue
        for spec in IMPORT.findall(text) + DYNAMIC.findall(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))
            if resolved not in files and (xapi or (name, spec) not in OPTIONAL):
                missing.append(f"{name} imports {spec}")
    assert missing == []
