"""The checks `validate` runs on a package it has opened: file types, credentials, the manifest.

The manifest is found at the root, parsed without DTDs or entities, its standard detected, then
schema-checked (with the official XSDs, if given) and checked for what the XSDs cannot say
(`manifest_checks`). Every problem is one line on the package, naming the file (and the line).
"""

from __future__ import annotations

import copy
import hashlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from builder.limits import MAX_MANIFEST, MAX_SCAN_TEXT, MAX_WEB_LAUNCH, refused_type
from builder.manifest_checks import WEB_LAUNCH, check_ims, check_launch_urls, check_web
from builder.package_reader import Package
from builder.secrets import MAX_FINDINGS, OVERLAP, Finding, describe, scan, scan_stream
from builder.xsd import SchemaError, schema_errors

MANIFESTS = ("imsmanifest.xml", "tincan.xml", "cmi5.xml")
#: Credential scans by the BLAKE2b digest of an entry's bytes: the bytes scanned and every finding.
#: One build checks a dozen packages that share most of their files; each is scanned once.
ScanMemo = dict[bytes, tuple[int, tuple[Finding, ...]]]
NS_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
EDITIONS = {
    "2004 3rd Edition": "scorm2004-3rd",
    "2004 4th Edition": "scorm2004-4th",
    "CAM 1.3": "scorm2004-3rd",
    "2004 2nd Edition": "scorm2004-3rd",
}


def _find_manifest(pkg: Package) -> str | None:
    """The manifest at the package root, or None with an error saying where one was found."""
    for name in MANIFESTS:
        if name in pkg.names:
            return name
    by_lower = {n.lower(): n for n in pkg.names}
    for name in MANIFESTS:
        if name in by_lower:
            pkg.errors.append(f"{by_lower[name]}: manifest must be named exactly '{name}'")
            return by_lower[name]
    nested = sorted(n for n in pkg.names if posixpath.basename(n).lower() in MANIFESTS)
    if nested:
        pkg.errors.append(
            f"{nested[0]}: manifest found in a subfolder; an LMS only reads "
            f"{posixpath.basename(nested[0])} at the package root"
        )
    else:
        pkg.errors.append(
            f"{pkg.path.name}: no manifest ({', '.join(MANIFESTS)}) at the package root, "
            f"nor the {WEB_LAUNCH} of a web package"
        )
    return None


def _standard(pkg: Package, manifest: str, root: etree._Element) -> str:
    """Detect the standard from the manifest's name, root namespace and schemaversion."""
    if manifest.lower() != "imsmanifest.xml":
        return "xapi" if manifest.lower() == "tincan.xml" else "cmi5"
    namespace = etree.QName(root).namespace
    version = root.find(f"{{{namespace}}}metadata/{{{namespace}}}schemaversion")
    text = (version.text or "").strip() if version is not None else None
    line = version.sourceline if version is not None else root.sourceline
    if namespace == NS_CP12:
        if text != "1.2":
            pkg.errors.append(
                f"{manifest}:{line}: schemaversion must be exactly '1.2' for "
                f"SCORM 1.2 (found {text!r})"
            )
        return "scorm12"
    if namespace == NS_CP2004:
        if text in ("CAM 1.3", "2004 2nd Edition"):
            pkg.warnings.append(
                f"{manifest}:{line}: schemaversion {text!r} is SCORM 2004 2nd "
                "Edition; checked as 3rd Edition"
            )
        elif text not in EDITIONS:
            pkg.errors.append(
                f"{manifest}:{line}: schemaversion must be '2004 3rd Edition' or "
                f"'2004 4th Edition' (found {text!r})"
            )
        return EDITIONS.get(text or "", "scorm2004-4th")
    pkg.errors.append(
        f"{manifest}:{root.sourceline}: root element {root.tag} is not an IMS "
        "content packaging manifest"
    )
    return "unknown"


def _check_schema(
    pkg: Package, manifest: str, doc: etree._ElementTree, standard: str, schemas_dir: Path
) -> None:
    if standard == "scorm12":
        # imsmd_rootv1p2p1.xsd breaks Unique Particle Attribution, so libxml2 cannot compile
        # it: check the rest of the manifest and say the inline metadata went unchecked.
        doc = copy.deepcopy(doc)  # keeps source lines
        inline = [
            e
            for e in doc.getroot().iter(f"{{{NS_IMSMD12}}}*")
            if etree.QName(e.getparent()).namespace != NS_IMSMD12
        ]
        if inline:
            pkg.notes.append(
                f"{manifest}:{inline[0].sourceline}: inline IMS MD 1.2 metadata "
                f"({len(inline)} element{'s' if len(inline) > 1 else ''}) not schema-checked "
                "(libxml2 cannot compile imsmd_rootv1p2p1.xsd)"
            )
        for element in inline:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    try:
        for line, message in schema_errors(schemas_dir, standard, doc):
            pkg.errors.append(f"{manifest}:{line}: schema: {message}")
    except SchemaError as exc:
        pkg.errors.append(f"{schemas_dir}: {exc}")
    except etree.Error as exc:  # libxml2's "Internal error in XML Schema validation"
        pkg.errors.append(f"{manifest}: schema: cannot validate: {exc}")


def _check_secrets(pkg: Package, memo: ScanMemo | None) -> None:
    """An error for every LRS credential in a text entry, whatever its name (Part B 3.6).

    At most MAX_SCAN_TEXT bytes of text are scanned and MAX_FINDINGS reported, so that a hostile
    package costs seconds, not minutes; a package with more text is refused. With a `memo`, an
    entry whose bytes were scanned before (in another package of the same build) is not scanned
    again: its findings and its count of scanned bytes are taken from the memo.
    """
    scanned, reported = 0, 0

    def counted(name: str) -> Iterator[bytes]:
        nonlocal scanned
        for chunk in pkg.text_chunks(name):
            scanned += len(chunk)
            if scanned > MAX_SCAN_TEXT:
                return
            yield chunk

    for name in pkg.names:
        if name in pkg.unreadable:
            continue
        limit = MAX_FINDINGS - reported
        head = pkg.shared.get(name, 0)
        data = pkg.plain_text(name) if memo is not None and head > OVERLAP else None
        key = _digest(pkg, name) if memo is not None and data is None else None
        known = memo.get(key) if memo is not None and key is not None else None
        if data is not None and memo is not None and scanned + len(data) <= MAX_SCAN_TEXT:
            scanned += len(data)
            findings = _scan_in_two(data, head, memo)[:limit]
        elif known is not None and scanned + known[0] <= MAX_SCAN_TEXT:
            scanned += known[0]
            findings = list(known[1][:limit])
        else:
            before = scanned
            findings = scan_stream(counted(name), limit)
            # Kept only when complete: neither limit cut the scan short.
            complete = scanned <= MAX_SCAN_TEXT and len(findings) < limit
            if memo is not None and key is not None and complete:
                memo[key] = (scanned - before, tuple(findings))
        pkg.errors.extend(describe(name, f) for f in findings)
        reported += len(findings)
        if scanned > MAX_SCAN_TEXT:
            pkg.errors.append(
                f"{pkg.path.name}: more than {MAX_SCAN_TEXT} bytes of text, the most scanned "
                "for credentials; not all scanned"
            )
            return
        if reported >= MAX_FINDINGS:
            pkg.errors.append(f"{pkg.path.name}: {MAX_FINDINGS} credentials found; stopped there")
            return


def _scan_in_two(data: bytes, head: int, memo: ScanMemo) -> list[Finding]:
    """`scan(data)` of text whose first `head` bytes other entries begin with too: those are
    scanned once (`memo`, by their digest), the rest from `OVERLAP` bytes before it, as
    `scan_stream` carries that much from one chunk to the next."""
    key = hashlib.blake2b(memoryview(data)[:head]).digest()
    if (known := memo.get(key)) is None:
        first = data[:head]
        known = memo[key] = (len(first), tuple(scan(first)))
    keep = head - OVERLAP
    lines = data.count(b"\n", 0, keep)
    rest = (Finding(f.line + lines, f.kind) for f in scan(data[keep:]))
    return sorted({*known[1], *rest}, key=lambda f: (f.line, f.kind))


def _digest(pkg: Package, name: str) -> bytes:
    """The BLAKE2b digest of entry `name`'s bytes (read in chunks)."""
    digest = hashlib.blake2b()
    with pkg.open(name) as fh:
        while chunk := fh.read(1024**2):
            digest.update(chunk)
    return digest.digest()


def _doctype(data: bytes, doc: etree._ElementTree) -> int | None:
    """The line of a DOCTYPE (DTD, entity declarations) in the manifest, or None."""
    doctype: str = getattr(doc.docinfo, "doctype", "")  # lxml-stubs lacks it
    if not doctype and doc.docinfo.internalDTD is None:
        return None
    at = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 1


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What the caller of `check_package` allows."""

    schemas_dir: Path | None = None
    #: A package without a manifest is fine (the `web` target, or a target plugin's own format):
    #: the build checks every package this way, and the manifests validate knows.
    manifest_optional: bool = False
    #: The build was asked to embed an LRS credential (and warned about it).
    credentials_allowed: bool = False
    #: Scans shared by the packages of one build (`ScanMemo`); None: scan every entry.
    scan_memo: ScanMemo | None = field(default=None, compare=False)


def check_package(pkg: Package, options: CheckOptions) -> str:
    """Add every problem of `pkg` to its lists; return the standard detected (or 'unknown')."""
    if not options.credentials_allowed:
        _check_secrets(pkg, options.scan_memo)
    for name in pkg.names:
        if (suffix := refused_type(name)) is not None:
            pkg.errors.append(f"{name}: file type {suffix!r} is refused by strict LMSs")
    if WEB_LAUNCH in pkg.names and not any(
        posixpath.basename(n).lower() in MANIFESTS for n in pkg.names
    ):
        # A web package (the build's too: what it writes, validate accepts).
        if (size := pkg.size(WEB_LAUNCH)) > MAX_WEB_LAUNCH:
            pkg.errors.append(
                f"{WEB_LAUNCH}: {size} bytes, more than the {MAX_WEB_LAUNCH} a web package's "
                "launch page may have; not read"
            )
        else:
            pkg.errors.extend(check_web(pkg.read(WEB_LAUNCH, MAX_WEB_LAUNCH), pkg.names))
        return "web"
    if options.manifest_optional and not any(n in pkg.names for n in MANIFESTS):
        return "none"
    schemas_dir = options.schemas_dir
    manifest = _find_manifest(pkg)
    if manifest is None:
        return "unknown"
    if manifest in pkg.unreadable:
        return "unknown"
    if (size := pkg.size(manifest)) > MAX_MANIFEST:
        pkg.errors.append(
            f"{manifest}: {size} bytes, more than the {MAX_MANIFEST} a manifest may have; not read"
        )
        return "unknown"
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    data = pkg.read(manifest)
    try:
        doc = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        pkg.errors.append(f"{manifest}:{exc.lineno}: not well-formed XML: {exc.msg}")
        return "unknown"
    if (line := _doctype(data, doc)) is not None:
        # Never resolved here, but LMSs with weaker parsers may resolve them (XXE, XML bombs).
        pkg.errors.append(
            f"{manifest}:{line}: expected no DOCTYPE, found a document type declaration "
            "(DTD or entities, which LMS parsers may resolve); not checked further"
        )
        return "unknown"
    standard = _standard(pkg, manifest, doc.getroot())
    if standard == "unknown":
        return standard
    if schemas_dir is not None:
        _check_schema(pkg, manifest, doc, standard, schemas_dir)
    if standard.startswith("scorm"):
        errors, warnings = check_ims(manifest, doc.getroot(), standard, pkg.names)
    else:
        errors, warnings = check_launch_urls(manifest, doc.getroot(), pkg.names)
    pkg.errors.extend(errors)
    pkg.warnings.extend(warnings)
    return standard
