"""The SCORM 1.2 manifest: IMS metadata (LOM 1.2.1), mastery score and length limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import IMSMD, NS_ADLCP, cp, parse_manifest, texts_at
from lxml import etree

from builder.errors import ValidationError
from builder.targets import TARGETS


def test_scorm12_metadata_is_imsmd_lom() -> None:
    root = parse_manifest(TARGETS["scorm12"])
    [lom] = cp(root, "metadata")[0].findall(f"{{{IMSMD}}}lom")

    assert texts_at(lom, "general/title/langstring") == [
        "Prosecuting trafficking & forced labour <in practice>"
    ]
    assert texts_at(lom, "general/language") == ["en-GB"]
    assert texts_at(lom, "general/description/langstring") == [
        "Apply the Palermo test to cases before the court."
    ]
    assert texts_at(lom, "general/keyword/langstring") == ["trafficking", "Palermo Protocol"]
    assert texts_at(lom, "lifecycle/version/langstring") == ["1.0.0"]
    assert texts_at(lom, "educational/typicallearningtime/datetime") == ["01:30:00"]


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
    root = parse_manifest(TARGETS["scorm12"], **changes)
    item = cp(root, "organizations/organization/item")[0]
    assert [e.text for e in item.findall(f"{{{NS_ADLCP['scorm12']}}}masteryscore")] == expected


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
    [lom] = parse_manifest(TARGETS["scorm12"]).iter(f"{{{IMSMD}}}lom")
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


def test_scorm12_length_limits() -> None:
    long_version = "1.0.0-release-candidate.12"  # 26 characters; the 1.2 attribute allows 20
    root = parse_manifest(TARGETS["scorm12"], version=long_version)
    assert root.get("version") is None
    assert [e.text for e in root.iter(f"{{{IMSMD}}}langstring")].count(long_version) == 1
    assert parse_manifest(TARGETS["scorm12"]).get("version") == "1.0.0"
    assert (
        parse_manifest(TARGETS["scorm2004-4th"], version=long_version).get("version")
        == long_version
    )
    # Titles over SCORM 1.2's 200 characters are refused by the loader, for every target.
    with pytest.raises(ValidationError, match="at most 200 characters"):
        parse_manifest(TARGETS["scorm2004-3rd"], title="x" * 201)
