"""Loading the official manifest XSDs from a local folder, never from the network.

The folder holds `scorm12/`, `scorm2004_3rd/`, `scorm2004_4th/`, `tincan/` and `cmi5/` as published
(we never ship or copy them). Two quirks of the official files are handled without editing them:
IMS's `ims_xml.xsd` binds the xml namespace as the default namespace, which libxml2 rejects, and
the 4th-Edition `imscp_v1p1.xsd` imports `http://www.w3.org/2001/xml.xsd` by absolute URL. A
generated root schema therefore imports the xml namespace from the local W3C `xml.xsd` first
(libxml2 then skips later imports of that namespace); a resolver maps the W3C URL to that file.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
W3C_XML_XSD = ("http://www.w3.org/2001/xml.xsd", "http://www.w3.org/2001/03/xml.xsd")

#: namespace -> schema file, per standard (folder names as in the official distributions).
SCHEMAS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "scorm12": (
        "scorm12",
        (
            ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        ),
    ),
    "xapi": ("tincan", (("http://projecttincan.com/tincan.xsd", "tincan.xsd"),)),
    "cmi5": (
        "cmi5",
        (("https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd", "CourseStructure.xsd"),),
    ),
}
for _edition in ("3rd", "4th"):
    SCHEMAS[f"scorm2004-{_edition}"] = (
        f"scorm2004_{_edition}",
        (
            ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
            ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
            ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
            ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
            ("http://ltsc.ieee.org/xsd/LOM", "lom.xsd"),
        ),
    )


class SchemaError(Exception):
    """Raised when the schema folder lacks a file or its schemas do not compile."""


class _LocalOnly(etree.Resolver):
    """Maps the W3C xml.xsd URLs to a local copy and refuses every other remote URL."""

    def __init__(self, xml_xsd: Path) -> None:
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(  # type: ignore[override]
        self, system_url: str, public_id: str, context: object
    ) -> object:
        if system_url in W3C_XML_XSD:
            return self.resolve_filename(str(self.xml_xsd), context)  # type: ignore[attr-defined]
        if "://" in system_url and not system_url.startswith("file:"):
            raise SchemaError(f"schema import from the network refused: {system_url}")
        return None


def _xml_xsd(schemas_dir: Path) -> Path:
    """The W3C `xml.xsd`; SCORM 1.2 ships only IMS's unparsable `ims_xml.xsd`, so borrow 2004's."""
    for folder in ("scorm2004_4th", "scorm2004_3rd"):
        candidate = schemas_dir / folder / "xml.xsd"
        if candidate.is_file():
            return candidate
    raise SchemaError(f"{schemas_dir}: no scorm2004_4th/xml.xsd or scorm2004_3rd/xml.xsd")


@functools.lru_cache(maxsize=16)
def load_schema(schemas_dir: Path, standard: str) -> etree.XMLSchema:
    """The compiled schema for `standard` ("scorm12", "scorm2004-3rd", …) from `schemas_dir`."""
    folder, imports = SCHEMAS[standard]
    root = schemas_dir.resolve()
    xml_xsd = _xml_xsd(root)
    lines = [f'<xs:import namespace="{XML_NS}" schemaLocation="{xml_xsd.as_uri()}"/>']
    for namespace, name in imports:
        path = root / folder / name
        if not path.is_file():
            raise SchemaError(f"{path}: schema file missing")
        lines.append(f'<xs:import namespace="{namespace}" schemaLocation="{path.as_uri()}"/>')
    text = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:coursepack:{standard}">{"".join(lines)}</xs:schema>'
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalOnly(xml_xsd))
    try:
        doc = etree.fromstring(text.encode(), parser, base_url=(root / folder).as_uri() + "/")
        return etree.XMLSchema(doc)
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise SchemaError(f"{root / folder}: the schemas do not compile: {exc}") from exc


def schema_errors(
    schemas_dir: Path, standard: str, doc: etree._ElementTree
) -> list[tuple[int, str]]:
    """(line, message) for every schema violation of `doc`; empty if it is valid."""
    schema = load_schema(schemas_dir, standard)
    if schema.validate(doc):
        return []
    return [(e.line, e.message) for e in cast(Iterable[Any], schema.error_log)]
