"""The hostile course (`hostile_content.py`: injections in every authored text) builds for every
target, each package is schema-valid, and every text arrives as written: in the manifests, in the
course data island, in the pages' text (the browser half is `browser/test_hostile_pages.py`)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hostile_content import SHORT, TEXT, hostile_course

from builder.build import build
from builder.config import BuildConfig
from builder.targets import TARGETS
from builder.validate import validate_package

MANIFESTS = ("imsmanifest.xml", "cmi5.xml", "tincan.xml")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("hostile")
    source = hostile_course(root / "src")
    return [
        b.path for b in build(BuildConfig(source, out_dir=root / "zips", targets=tuple(TARGETS)))
    ]


def test_every_package_of_the_hostile_course_validates(built: list[Path], shared_dir: Path) -> None:
    assert len(built) == 2 * len(TARGETS)  # the course and its follow-up
    for path in built:
        report = validate_package(path, shared_dir / "schemas")
        assert report.errors == (), path.name


def test_manifests_carry_the_titles_as_written(built: list[Path]) -> None:
    seen = 0
    for path in built:
        with zipfile.ZipFile(path) as zf:
            for name in set(MANIFESTS) & set(zf.namelist()):
                tree = ElementTree.fromstring(zf.read(name))
                texts = [e.text or "" for e in tree.iter() if e.text and SHORT in e.text]
                assert texts, f"{path.name}/{name}: no title with the payload"
                assert not any("&lt;" in t or "&amp;" in t for t in texts)  # escaped once only
                seen += 1
    assert seen == 2 * (len(TARGETS) - 1)  # every target but web has one manifest


def test_the_course_data_island_holds_the_texts_as_written(built: list[Path]) -> None:
    web = next(p for p in built if "-web-" in p.name and "follow-up" not in p.name)
    with zipfile.ZipFile(web) as zf:
        page = zf.read("index.html").decode("utf-8")
    # One data island, closed once: the payloads' </script> and <!-- are escaped inside it.
    islands = re.findall(
        r'<script type="application/json" id="coursepack-data">(.*?)</script>', page, re.S
    )
    assert len(islands) == 1
    data = json.loads(islands[0])
    assert data["course"]["title"].endswith(SHORT)
    assert TEXT in json.dumps(data, ensure_ascii=False).replace('\\"', '"')
    assert page.count("<script") == 2  # the island and the runtime: no authored script survives
