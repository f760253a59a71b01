"""The SCORM 2004 manifests: IEEE LOM, the primary objective, sequencing and the editions."""

from __future__ import annotations

import re

import pytest
from helpers import IRI, cp, manifest_bytes, parse_manifest, texts_at
from lxml import etree

from builder.ids import xml_id
from builder.targets import TARGETS

LOM = "http://ltsc.ieee.org/xsd/LOM"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
# CAM 4th Edition additions (standards.md 5.2): shared data, adlseq objectives/mapInfo,
# completionThreshold attributes.
FOURTH_EDITION_ONLY = re.compile(
    "adlcp:data|adlcp:map|sharedDataGlobalToSystem|adlseq:objectives|mapInfo|completedByMeasure|"
    "minProgressMeasure|progressWeight|completionThreshold|readRawScore|readCompletionStatus"
)


@pytest.mark.parametrize("name", ["scorm2004-3rd", "scorm2004-4th"])
def test_scorm2004_metadata_is_ieee_lom(name: str) -> None:
    [lom] = cp(parse_manifest(TARGETS[name]), "metadata")[0].findall(f"{{{LOM}}}lom")

    assert texts_at(lom, "general/title/string") == [
        "Prosecuting trafficking & forced labour <in practice>"
    ]
    assert texts_at(lom, "general/language") == ["en-GB"]
    assert texts_at(lom, "general/keyword/string") == ["trafficking", "Palermo Protocol"]
    assert texts_at(lom, "general/description/string") == [
        "Apply the Palermo test to cases before the court."
    ]
    assert texts_at(lom, "lifeCycle/version/string") == ["1.0.0"]
    assert texts_at(lom, "educational/typicalLearningTime/duration") == ["PT1H30M"]


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
    item = cp(parse_manifest(TARGETS[name], **changes), "organizations/organization/item")[0]
    objectives = f"{{{IMSSS}}}sequencing/{{{IMSSS}}}objectives"
    primary = item.findall(f"{objectives}/{{{IMSSS}}}primaryObjective")
    assert [p.findtext(f"{{{IMSSS}}}minNormalizedMeasure") for p in primary] == expected
    assert all(p.get("satisfiedByMeasure") == "true" for p in primary)
    if primary:
        assert primary[0].get("objectiveID") == xml_id(IRI, "objective", "primary")


@pytest.mark.parametrize("name", ["scorm2004-3rd", "scorm2004-4th"])
def test_scorm2004_single_sco_sequencing_and_navigation(name: str) -> None:
    root = parse_manifest(TARGETS[name])
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
