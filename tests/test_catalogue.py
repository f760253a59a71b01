"""Learner-facing strings come from a message catalogue by language (builder/catalogue.py)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from builder.build import build
from builder.catalogue import english, load_catalogue
from builder.config import BuildConfig
from builder.errors import TemplateError
from builder.templates import DEFAULT_TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
EN = json.loads((DEFAULT_TEMPLATES / "messages" / "en.json").read_text(encoding="utf-8"))


def used_keys() -> set[str]:
    """Every message key the templates, the runtime and the builder ask for."""
    pattern = re.compile(r"""["']((?:page|runtime)\.[\w.-]+)["']""")
    found: set[str] = set()
    roots = [DEFAULT_TEMPLATES / "pages", DEFAULT_TEMPLATES / "runtime", ROOT / "builder"]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in {".html", ".js", ".py"}:
                found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_key_asked_for_exists_and_every_message_is_used() -> None:
    used = used_keys()
    assert used - set(EN) == set(), "keys asked for but missing from en.json"
    # Keys named from a kind: page.title.<kind> (render.py, build.py).
    dynamic = {k for k in EN if k.startswith("page.title.")}
    assert set(EN) - used - dynamic == set(), "messages no template or module uses"


def german(tmp_path: Path, **changes: str) -> Path:
    """A template folder with a German catalogue (every key, marked) plus `changes`."""
    folder = tmp_path / "tpl"
    (folder / "messages").mkdir(parents=True)
    messages = {k: "DE " + v for k, v in EN.items()} | changes
    (folder / "messages" / "de.json").write_text(json.dumps(messages), encoding="utf-8")
    return folder


def course_in(tmp_path: Path, language: str) -> Path:
    """The minimal fixture course, its language set to `language`."""
    source = tmp_path / "course"
    for path in MINIMAL.rglob("*"):
        if path.is_file():
            dest = source / path.relative_to(MINIMAL)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
    yaml = source / "course.yaml"
    yaml.write_text(re.sub(r"(?m)^language: .*$", f"language: {language}", yaml.read_text()))
    return source


def page_of(built_zip: Path) -> str:
    with zipfile.ZipFile(built_zip) as zf:
        return zf.read("index.html").decode("utf-8")


def test_the_course_language_picks_the_catalogue(tmp_path: Path) -> None:
    templates = german(tmp_path)
    [built] = build(
        BuildConfig(
            source_dir=course_in(tmp_path, "de-AT"),
            out_dir=tmp_path / "out",
            targets=("web",),
            template_dirs=(templates, DEFAULT_TEMPLATES),
        )
    )
    page = page_of(built.path)
    assert ">DE Next</button>" in page and ">DE Skip to content</a>" in page
    # An assessment without an authored title is named in the course's language.
    assert ">DE Pre-test</h1>" in page
    data = json.loads(re.search(r'id="coursepack-data">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert data["messages"]["runtime.saved"].startswith("DE ")
    # The course data names the assessments as the pages do (statements and navigation use it).
    titles = {p["key"]: p["title"] for p in data["pages"]}
    assert titles["basics/pre-test"] == "DE Pre-test"


def test_a_language_without_a_catalogue_gets_english_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    [built] = build(
        BuildConfig(source_dir=course_in(tmp_path, "fr"), out_dir=tmp_path / "o", targets=("web",))
    )
    assert ">Next</button>" in page_of(built.path)
    assert "no message catalogue for language 'fr'" in caplog.text


def test_a_catalogue_must_have_every_key_and_the_same_placeholders(tmp_path: Path) -> None:
    folder = german(tmp_path)
    path = folder / "messages" / "de.json"
    messages = json.loads(path.read_text(encoding="utf-8"))
    del messages["page.next"]
    path.write_text(json.dumps(messages), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"de\.json: expected the keys of en\.json.*page\.next"):
        load_catalogue("de", (folder, DEFAULT_TEMPLATES))
    other = german(tmp_path / "b", **{"runtime.progress": "Seite {seite} von {pages}"})
    with pytest.raises(TemplateError, match=r"same \{placeholders\}.*runtime\.progress"):
        load_catalogue("de", (other, DEFAULT_TEMPLATES))


def test_an_unknown_key_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match=r"page\.nope"):
        english().text("page.nope")
    assert english().text("page.module", number=2, title="Evidence") == "Module 2: Evidence"
