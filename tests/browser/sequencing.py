"""What an LMS reads from a SCORM 2004 manifest to sequence its SCOs, in scorm-again's terms.

scorm-again implements the sequencer, but "this data must be extracted by the LMS from the
package's imsmanifest.xml" (its README, `sequencing` setting). This is that extraction for what
our manifests use: the organization's control mode and constrained choice, each item's primary
objective and rollup rules, and each item's launch page.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

NS = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "ss": "http://www.imsglobal.org/xsd/imsss",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
}


def _flag(element: etree._Element | None, name: str) -> bool | None:
    value = None if element is None else element.get(name)
    return None if value is None else value == "true"


def _controls(sequencing: etree._Element | None) -> dict[str, Any]:
    """sequencingControls of an activity from its `imsss:sequencing`."""
    if sequencing is None:
        return {}
    out: dict[str, Any] = {}
    mode = sequencing.find("ss:controlMode", NS)
    for name in ("choice", "flow", "forwardOnly", "choiceExit"):
        if (flag := _flag(mode, name)) is not None:
            out[name] = flag
    constrained = sequencing.find("adlseq:constrainedChoiceConsiderations", NS)
    for name in ("preventActivation", "constrainChoice"):
        if (flag := _flag(constrained, name)) is not None:
            out[name] = flag
    rollup = sequencing.find("ss:rollupRules", NS)
    for name in ("rollupObjectiveSatisfied", "rollupProgressCompletion"):
        if (flag := _flag(rollup, name)) is not None:
            out[name] = flag
    if rollup is not None and rollup.get("objectiveMeasureWeight") is not None:
        out["objectiveMeasureWeight"] = float(rollup.get("objectiveMeasureWeight", "1"))
    delivery = sequencing.find("ss:deliveryControls", NS)
    for name in ("completionSetByContent", "objectiveSetByContent"):
        if (flag := _flag(delivery, name)) is not None:
            out[name] = flag
    return out


def sequencing_from_manifest(manifest: bytes) -> dict[str, Any]:
    """{sequencing: scorm-again settings, hrefs: {activity id: launch page}, first: id}."""
    root = etree.fromstring(manifest, etree.XMLParser(resolve_entities=False, no_network=True))
    resources = {r.get("identifier"): r.get("href") for r in root.iterfind(".//cp:resource", NS)}
    organization = root.find(".//cp:organization", NS)
    assert organization is not None, "no organization"
    children = []
    hrefs: dict[str, str] = {}
    for item in organization.iterfind("cp:item", NS):
        ident = item.get("identifier", "")
        title = item.findtext("cp:title", default="", namespaces=NS)
        activity: dict[str, Any] = {"id": ident, "title": title}
        sequencing = item.find("ss:sequencing", NS)
        if controls := _controls(sequencing):
            activity["sequencingControls"] = controls
        primary = None if sequencing is None else sequencing.find(".//ss:primaryObjective", NS)
        if primary is not None:
            measure = primary.findtext("ss:minNormalizedMeasure", namespaces=NS)
            activity["primaryObjective"] = {
                "objectiveID": primary.get("objectiveID"),
                "isPrimary": True,
                "satisfiedByMeasure": primary.get("satisfiedByMeasure") == "true",
                "minNormalizedMeasure": float(measure) if measure else None,
            }
        children.append(activity)
        hrefs[ident] = resources[item.get("identifierref")]
    tree = {
        "id": organization.get("identifier"),
        "title": organization.findtext("cp:title", default="", namespaces=NS),
        "sequencingControls": _controls(organization.find("ss:sequencing", NS)),
        "children": children,
    }
    return {"sequencing": {"activityTree": tree}, "hrefs": hrefs, "first": children[0]["id"]}
