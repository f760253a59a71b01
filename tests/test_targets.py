"""The SCORM targets' manifests, every edition: identifiers, files, schema validity."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    IMSMD,
    IRI,
    NS_ADLCP,
    SCORM,
    cp,
    make_course,
    manifest_bytes,
    package_files,
    parse_manifest,
    whole,
)
from lxml import etree

from builder.ids import xml_id
from builder.package import write_zip
from builder.targets import Target
from builder.targets.scorm12 import learning_time as timespan_12
from builder.targets.scorm2004 import learning_time as duration_2004
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.xsd import schema_errors

SCHEMAVERSION = {
    "scorm12": "1.2",
    "scorm2004-3rd": "2004 3rd Edition",
    "scorm2004-4th": "2004 4th Edition",
}

targets = pytest.mark.parametrize("target", SCORM, ids=[t.name for t in SCORM])


def identifiers(root: etree._Element) -> list[str]:
    return [e.get("identifier") or "" for e in root.iter() if e.get("identifier") is not None]


@targets
def test_identifiers_come_from_the_course_iri(target: Target) -> None:
    root = parse_manifest(target)
    [org] = cp(root, "organizations/organization")
    [item] = cp(root, "organizations/organization/item")
    [res] = cp(root, "resources/resource")
    assert root.get("identifier") == xml_id(IRI, "manifest")
    assert cp(root, "organizations")[0].get("default") == org.get("identifier")
    assert org.get("identifier") == xml_id(IRI, "organization")
    assert res.get("identifier") == xml_id(IRI, "resource", "sco")
    assert item.get("identifierref") == res.get("identifier")
    assert len(set(identifiers(root))) == len(identifiers(root)) == 4


@targets
def test_identifiers_are_the_same_for_every_version(target: Target) -> None:
    old, new = parse_manifest(target, version="1.0.0"), parse_manifest(target, version="2.3.1")
    assert identifiers(old) == identifiers(new)
    assert manifest_bytes(target) == manifest_bytes(target)
    other = parse_manifest(target, id="https://courses.example.org/another-course")
    assert not set(identifiers(old)) & set(identifiers(other))


@targets
def test_schemaversion_and_title(target: Target) -> None:
    root = parse_manifest(target)
    assert [e.text for e in cp(root, "metadata/schema")] == ["ADL SCORM"]
    assert [e.text for e in cp(root, "metadata/schemaversion")] == [SCHEMAVERSION[target.name]]
    title = "Prosecuting trafficking & forced labour <in practice>"
    assert [e.text for e in cp(root, "organizations/organization/title")] == [title]
    assert b"&amp; forced labour &lt;in practice&gt;" in manifest_bytes(target)


@targets
def test_one_sco_lists_every_file_sorted(target: Target) -> None:
    root = parse_manifest(target)
    [res] = cp(root, "resources/resource")
    assert res.get("href") == "index.html"
    assert res.get("type") == "webcontent"
    hrefs = [f.get("href") for f in cp(root, "resources/resource/file")]
    assert hrefs == sorted(f.arcname for f in package_files())
    assert "imsmanifest.xml" not in hrefs


@targets
def test_scormtype_spelling(target: Target) -> None:
    [res] = cp(parse_manifest(target), "resources/resource")
    adlcp = NS_ADLCP[target.standard]
    right, wrong = (
        ("scormtype", "scormType") if target.name == "scorm12" else ("scormType", "scormtype")
    )
    assert res.get(f"{{{adlcp}}}{right}") == "sco"
    assert res.get(f"{{{adlcp}}}{wrong}") is None


@pytest.mark.parametrize(
    ("minutes", "v12", "v2004"),
    [
        (90, "01:30:00", "PT1H30M"),
        (45, "00:45:00", "PT45M"),
        (120, "02:00:00", "PT2H"),
        (1, "00:01:00", "PT1M"),
        (6000, "100:00:00", "PT100H"),
    ],
)
def test_learning_time_forms(minutes: int, v12: str, v2004: str) -> None:
    assert timespan_12(minutes) == v12
    assert duration_2004(minutes) == v2004


def test_no_xsd_is_shipped_or_referenced_as_a_file() -> None:
    for target in SCORM:
        root = parse_manifest(target)
        hrefs = [f.get("href") or "" for f in root.iter("{*}file")]
        assert not [h for h in hrefs if h.endswith(".xsd")]


def _without_imsmd(root: etree._Element) -> etree._ElementTree:
    tree = etree.ElementTree(copy.deepcopy(root))
    for lom in list(tree.getroot().iter(f"{{{IMSMD}}}lom")):
        parent = lom.getparent()
        assert parent is not None
        parent.remove(lom)
    return tree


@targets
def test_manifest_is_valid_against_the_official_xsds(target: Target, shared_dir: Path) -> None:
    root = parse_manifest(target)
    assert schema_errors(shared_dir / "schemas", target.name, _without_imsmd(root)) == []


@targets
def test_schema_check_would_catch_a_defect(target: Target, shared_dir: Path) -> None:
    root = parse_manifest(target)
    cp(root, "organizations/organization/item")[0].set("isvisible", "sometimes")
    errors = schema_errors(shared_dir / "schemas", target.name, _without_imsmd(root))
    assert len(errors) == 1 and "isvisible" in errors[0][1]


@targets
def test_shared_validator_accepts_the_package(
    target: Target, shared_dir: Path, tmp_path: Path
) -> None:
    files = package_files()
    files += target.manifest(
        make_course(), whole(make_course()), files, make_env([DEFAULT_TEMPLATES])
    )
    package = write_zip(files, tmp_path / f"{target.name}.zip")
    result = subprocess.run(
        [sys.executable, str(shared_dir / "tools/validate_manifest.py"), str(package)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout
    assert f"OK {package}: imsmanifest.xml is" in result.stdout
