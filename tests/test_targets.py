"""The SCORM targets' manifests: content, identifiers, editions and schema validity."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import IRI, make_course, package_files
from lxml import etree
from pydantic import ValidationError

from builder.ids import xml_id
from builder.package import write_zip
from builder.targets import TARGETS, Target
from builder.targets.scorm12 import learning_time as timespan_12
from builder.targets.scorm2004 import learning_time as duration_2004
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.xsd import schema_errors

SCORM = [t for t in TARGETS.values() if t.standard.startswith("scorm")]
NS_ADLCP = {
    "scorm12": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "scorm2004": "http://www.adlnet.org/xsd/adlcp_v1p3",
}
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
SCHEMAVERSION = {
    "scorm12": "1.2",
    "scorm2004-3rd": "2004 3rd Edition",
    "scorm2004-4th": "2004 4th Edition",
}
# CAM 4th Edition additions (standards.md 5.2): shared data, adlseq objectives/mapInfo,
# completionThreshold attributes.
FOURTH_EDITION_ONLY = re.compile(
    "adlcp:data|adlcp:map|sharedDataGlobalToSystem|adlseq:objectives|mapInfo|completedByMeasure|"
    "minProgressMeasure|progressWeight|completionThreshold|readRawScore|readCompletionStatus"
)

targets = pytest.mark.parametrize("target", SCORM, ids=[t.name for t in SCORM])


def manifest_bytes(target: Target, **course_changes: Any) -> bytes:
    out = target.manifest(
        make_course(**course_changes), package_files(), make_env([DEFAULT_TEMPLATES])
    )
    assert [f.arcname for f in out] == ["imsmanifest.xml"]
    return out[0].data


def parse(target: Target, **course_changes: Any) -> etree._Element:
    return etree.fromstring(manifest_bytes(target, **course_changes))


def cp(root: etree._Element, path: str) -> list[etree._Element]:
    """Elements at `path` (slash-separated local names) in the manifest's own namespace."""
    ns = etree.QName(root).namespace
    return root.findall("/".join(f"{{{ns}}}{p}" for p in path.split("/")))


def identifiers(root: etree._Element) -> list[str]:
    return [e.get("identifier") or "" for e in root.iter() if e.get("identifier") is not None]


@targets
def test_identifiers_come_from_the_course_iri(target: Target) -> None:
    root = parse(target)
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
    old, new = parse(target, version="1.0.0"), parse(target, version="2.3.1")
    assert identifiers(old) == identifiers(new)
    assert manifest_bytes(target) == manifest_bytes(target)
    other = parse(target, id="https://courses.example.org/another-course")
    assert not set(identifiers(old)) & set(identifiers(other))


@targets
def test_schemaversion_and_title(target: Target) -> None:
    root = parse(target)
    assert [e.text for e in cp(root, "metadata/schema")] == ["ADL SCORM"]
    assert [e.text for e in cp(root, "metadata/schemaversion")] == [SCHEMAVERSION[target.name]]
    title = "Prosecuting trafficking & forced labour <in practice>"
    assert [e.text for e in cp(root, "organizations/organization/title")] == [title]
    assert b"&amp; forced labour &lt;in practice&gt;" in manifest_bytes(target)


@targets
def test_one_sco_lists_every_file_sorted(target: Target) -> None:
    root = parse(target)
    [res] = cp(root, "resources/resource")
    assert res.get("href") == "index.html"
    assert res.get("type") == "webcontent"
    hrefs = [f.get("href") for f in cp(root, "resources/resource/file")]
    assert hrefs == sorted(f.arcname for f in package_files())
    assert "imsmanifest.xml" not in hrefs


@targets
def test_scormtype_spelling(target: Target) -> None:
    [res] = cp(parse(target), "resources/resource")
    adlcp = NS_ADLCP[target.standard]
    right, wrong = (
        ("scormtype", "scormType") if target.name == "scorm12" else ("scormType", "scormtype")
    )
    assert res.get(f"{{{adlcp}}}{right}") == "sco"
    assert res.get(f"{{{adlcp}}}{wrong}") is None


def test_scorm12_metadata_is_imsmd_lom() -> None:
    root = parse(TARGETS["scorm12"])
    [lom] = cp(root, "metadata")[0].findall(f"{{{IMSMD}}}lom")

    def texts(path: str) -> list[str | None]:
        return [e.text for e in lom.findall("/".join(f"{{{IMSMD}}}{p}" for p in path.split("/")))]

    assert texts("general/title/langstring") == [
        "Prosecuting trafficking & forced labour <in practice>"
    ]
    assert texts("general/language") == ["en-GB"]
    assert texts("general/description/langstring") == [
        "Apply the Palermo test to cases before the court."
    ]
    assert texts("general/keyword/langstring") == ["trafficking", "Palermo Protocol"]
    assert texts("lifecycle/version/langstring") == ["1.0.0"]
    assert texts("educational/typicallearningtime/datetime") == ["01:30:00"]


@pytest.mark.parametrize("name", ["scorm2004-3rd", "scorm2004-4th"])
def test_scorm2004_metadata_is_ieee_lom(name: str) -> None:
    [lom] = cp(parse(TARGETS[name]), "metadata")[0].findall(f"{{{LOM}}}lom")

    def texts(path: str) -> list[str | None]:
        return [e.text for e in lom.findall("/".join(f"{{{LOM}}}{p}" for p in path.split("/")))]

    assert texts("general/title/string") == [
        "Prosecuting trafficking & forced labour <in practice>"
    ]
    assert texts("general/language") == ["en-GB"]
    assert texts("general/keyword/string") == ["trafficking", "Palermo Protocol"]
    assert texts("general/description/string") == [
        "Apply the Palermo test to cases before the court."
    ]
    assert texts("lifeCycle/version/string") == ["1.0.0"]
    assert texts("educational/typicalLearningTime/duration") == ["PT1H30M"]


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


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["80"]),
        ({"mastery_score": 72.5}, ["72.5"]),
        ({"mastery_score": 100.0}, ["100"]),
        ({"with_post_test": False}, []),
        ({"scored": False}, []),  # a post-test of Likert items only scores nothing
    ],
)
def test_scorm12_masteryscore_only_with_a_scored_post_test(
    changes: dict[str, object], expected: list[str]
) -> None:
    root = parse(TARGETS["scorm12"], **changes)
    item = cp(root, "organizations/organization/item")[0]
    assert [e.text for e in item.findall(f"{{{NS_ADLCP['scorm12']}}}masteryscore")] == expected


@pytest.mark.parametrize("name", ["scorm2004-3rd", "scorm2004-4th"])
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["0.8"]),
        ({"mastery_score": 72.5}, ["0.725"]),
        ({"mastery_score": 0.0}, ["0"]),
        ({"with_post_test": False}, []),
        ({"scored": False}, []),
    ],
)
def test_scorm2004_primary_objective_from_mastery(
    name: str, changes: dict[str, object], expected: list[str]
) -> None:
    item = cp(parse(TARGETS[name], **changes), "organizations/organization/item")[0]
    objectives = f"{{{IMSSS}}}sequencing/{{{IMSSS}}}objectives"
    primary = item.findall(f"{objectives}/{{{IMSSS}}}primaryObjective")
    assert [p.findtext(f"{{{IMSSS}}}minNormalizedMeasure") for p in primary] == expected
    assert all(p.get("satisfiedByMeasure") == "true" for p in primary)
    if primary:
        assert primary[0].get("objectiveID") == xml_id(IRI, "objective", "primary")


@pytest.mark.parametrize("name", ["scorm2004-3rd", "scorm2004-4th"])
def test_scorm2004_single_sco_sequencing_and_navigation(name: str) -> None:
    root = parse(TARGETS[name])
    [org] = cp(root, "organizations/organization")
    [mode] = org.findall(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}controlMode")
    assert (mode.get("choice"), mode.get("flow")) == ("true", "true")
    [item] = cp(root, "organizations/organization/item")
    [delivery] = item.findall(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}deliveryControls")
    assert delivery.get("completionSetByContent") == "true"
    assert delivery.get("objectiveSetByContent") == "true"
    hidden = item.findall(
        f"{{{ADLNAV}}}presentation/{{{ADLNAV}}}navigationInterface/{{{ADLNAV}}}hideLMSUI"
    )
    assert [h.text for h in hidden] == ["previous", "continue"]


def test_third_edition_has_no_fourth_edition_constructs() -> None:
    text = manifest_bytes(TARGETS["scorm2004-3rd"]).decode()
    assert FOURTH_EDITION_ONLY.findall(text) == []
    root = etree.fromstring(text.encode())
    used = {etree.QName(e).namespace for e in root.iter()}
    assert "http://www.adlnet.org/xsd/adlseq_v1p3" not in used


def test_no_xsd_is_shipped_or_referenced_as_a_file() -> None:
    for target in SCORM:
        root = parse(target)
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
    root = parse(target)
    assert schema_errors(shared_dir / "schemas", target.name, _without_imsmd(root)) == []


@targets
def test_schema_check_would_catch_a_defect(target: Target, shared_dir: Path) -> None:
    root = parse(target)
    cp(root, "organizations/organization/item")[0].set("isvisible", "sometimes")
    errors = schema_errors(shared_dir / "schemas", target.name, _without_imsmd(root))
    assert len(errors) == 1 and "isvisible" in errors[0][1]


def _imsmd_sequences(xsd: Path) -> tuple[dict[str, str], dict[str, list[tuple[str, bool]]]]:
    """Element name -> type, and complex type -> [(child element, repeatable)] in order."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    schema = etree.parse(str(xsd)).getroot()
    types = {e.get("name") or "": e.get("type") or "" for e in schema.findall(f"{xs}element")}
    sequences = {
        t.get("name") or "": [
            (r.get("ref") or "", r.get("maxOccurs") == "unbounded")
            for r in t.findall(f"{xs}sequence/{xs}element")
        ]
        for t in schema.findall(f"{xs}complexType")
    }
    return types, sequences


def test_scorm12_imsmd_follows_the_imsmd_schema_order(shared_dir: Path) -> None:
    # libxml2 cannot compile imsmd_rootv1p2p1.xsd (UPA violations), so check our LOM's element
    # names and order against the sequences that schema declares.
    types, sequences = _imsmd_sequences(shared_dir / "schemas/scorm12/imsmd_rootv1p2p1.xsd")
    [lom] = parse(TARGETS["scorm12"]).iter(f"{{{IMSMD}}}lom")
    checked = 0
    for element in lom.iter(f"{{{IMSMD}}}*"):
        sequence = sequences.get(types[etree.QName(element).localname])
        if not sequence:
            continue
        names = [n for n, _ in sequence]
        position = -1
        for child in element:
            name = etree.QName(child).localname
            assert name in names, f"{name} not allowed in {etree.QName(element).localname}"
            index = names.index(name)
            assert index > position or (index == position and sequence[index][1]), name
            position = index
            checked += 1
    assert checked >= 10


@targets
def test_shared_validator_accepts_the_package(
    target: Target, shared_dir: Path, tmp_path: Path
) -> None:
    files = package_files()
    files += target.manifest(make_course(), files, make_env([DEFAULT_TEMPLATES]))
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


def test_scorm12_length_limits() -> None:
    long_version = "1.0.0-release-candidate.12"  # 26 characters; the 1.2 attribute allows 20
    root = parse(TARGETS["scorm12"], version=long_version)
    assert root.get("version") is None
    assert [e.text for e in root.iter(f"{{{IMSMD}}}langstring")].count(long_version) == 1
    assert parse(TARGETS["scorm12"]).get("version") == "1.0.0"
    assert parse(TARGETS["scorm2004-4th"], version=long_version).get("version") == long_version
    # Titles over SCORM 1.2's 200 characters are refused by the loader, for every target.
    with pytest.raises(ValidationError, match="at most 200 characters"):
        parse(TARGETS["scorm2004-3rd"], title="x" * 201)
