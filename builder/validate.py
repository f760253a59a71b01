"""`coursepack validate`: check a package (zip or folder, ours or anyone's) without extracting it.

Zip entries are read in memory, and only after the archive's sizes and ratios are known to be safe.
Every problem is one line naming the file (and the line, for XML).
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from builder.errors import ValidationFailed
from builder.manifest_checks import check_ims, check_launch_urls
from builder.secrets import MAX_SCAN, describe, scan, scannable
from builder.xsd import SchemaError, schema_errors

MANIFESTS = ("imsmanifest.xml", "tincan.xml", "cmi5.xml")
MAX_TOTAL = 2 * 1024**3  # bytes uncompressed
MAX_ENTRIES = 20_000
MAX_RATIO = 100  # uncompressed/compressed, for entries over RATIO_FLOOR bytes
RATIO_FLOOR = 1024**2
MAX_MANIFEST = 16 * 1024**2
NS_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
EDITIONS = {
    "2004 3rd Edition": "scorm2004-3rd",
    "2004 4th Edition": "scorm2004-4th",
    "CAM 1.3": "scorm2004-3rd",
    "2004 2nd Edition": "scorm2004-3rd",
}


@dataclass(frozen=True, slots=True)
class Report:
    """What `validate_package` found: the standard detected, errors and warnings."""

    standard: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def raise_for_errors(self) -> None:
        """Raise `ValidationFailed` listing every error, if there is any."""
        if self.errors:
            raise ValidationFailed(list(self.errors))


@dataclass(slots=True)
class Package:
    """A read-only view of a zip or folder: entry names and a bounded reader."""

    path: Path
    names: list[str]
    zf: zipfile.ZipFile | None = None
    #: Set when decompressing the archive could exhaust memory: nothing is read then.
    bomb: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def size(self, name: str) -> int:
        """The uncompressed size of entry `name`, as the zip header or the file system says."""
        if self.zf is None:
            return (self.path / name).stat().st_size
        return self.zf.getinfo(name).file_size

    def read(self, name: str, limit: int = MAX_MANIFEST) -> bytes:
        """The bytes of entry `name`, refusing more than `limit` (whatever the header claims)."""
        if self.zf is None:
            with (self.path / name).open("rb") as fh:
                data = fh.read(limit + 1)
        else:
            with self.zf.open(name) as fh:
                data = fh.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"{name}: larger than {limit} bytes")
        return data


def _unsafe(name: str) -> str | None:
    """Why the entry name could escape the extraction folder (zip-slip), or None."""
    if "\\" in name:
        return "uses backslashes"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if ".." in name.split("/"):
        return "has a '..' segment"
    return None


def _open_zip(path: Path, zf: zipfile.ZipFile) -> Package:
    """Check entry names, counts and sizes from the central directory; read nothing yet."""
    pkg = Package(path, [], zf)
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        pkg.errors.append(f"{path.name}: {len(infos)} entries, more than {MAX_ENTRIES}; not read")
        pkg.bomb = True
        return pkg
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        pkg.errors.append(
            f"{path.name}: {total} bytes uncompressed, more than {MAX_TOTAL}; not read"
        )
        pkg.bomb = True
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            pkg.errors.append(
                f"{name}: compression ratio {ratio:.0f}:1 exceeds {MAX_RATIO}:1 "
                "(zip bomb?); not read"
            )
            pkg.bomb = True
        if (why := _unsafe(name)) is not None:
            pkg.errors.append(f"{name}: unsafe zip entry name: {why}")
            continue
        if name in seen:
            pkg.errors.append(f"{name}: duplicate zip entry")
        seen.add(name)
        if not name.endswith("/"):
            pkg.names.append(name)
    return pkg


def _open(path: Path) -> Package:
    if path.is_dir():
        names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
        return Package(path, names)
    return _open_zip(path, zipfile.ZipFile(path))


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
            f"{pkg.path.name}: no manifest ({', '.join(MANIFESTS)}) at the package root"
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
        for element in inline:
            pkg.warnings.append(
                f"{manifest}:{element.sourceline}: inline IMS MD 1.2 metadata "
                "not schema-checked (libxml2 cannot compile imsmd_rootv1p2p1.xsd)"
            )
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    try:
        for line, message in schema_errors(schemas_dir, standard, doc):
            pkg.errors.append(f"{manifest}:{line}: schema: {message}")
    except SchemaError as exc:
        pkg.errors.append(f"{schemas_dir}: {exc}")


def _check_secrets(pkg: Package) -> None:
    """An error for every LRS credential in a text entry (standards.md Part B 3.6)."""
    for name in pkg.names:
        if not scannable(name):
            continue
        if pkg.size(name) > MAX_SCAN:
            pkg.warnings.append(
                f"{name}: larger than {MAX_SCAN} bytes; not scanned for credentials"
            )
            continue
        pkg.errors.extend(describe(name, f) for f in scan(pkg.read(name, MAX_SCAN)))


def _check(pkg: Package, schemas_dir: Path | None) -> str:
    _check_secrets(pkg)
    refused = (".php", ".sh", ".py", ".exe", ".bat", ".cmd", ".asp", ".aspx", ".jsp", ".cgi", ".pl")
    for name in pkg.names:
        if name.lower().endswith(refused):
            pkg.errors.append(
                f"{name}: file type {posixpath.splitext(name)[1]!r} is refused by strict LMSs"
            )
    manifest = _find_manifest(pkg)
    if manifest is None:
        return "unknown"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        doc = etree.fromstring(pkg.read(manifest), parser).getroottree()
    except etree.XMLSyntaxError as exc:
        pkg.errors.append(f"{manifest}:{exc.lineno}: not well-formed XML: {exc.msg}")
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


def validate_package(path: Path, schemas_dir: Path | None) -> Report:
    """Check the package at `path` (a .zip or a folder); schema-check it if `schemas_dir` is set."""
    try:
        pkg = _open(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return Report("unknown", (f"{path.name}: cannot read the package: {exc}",))
    if pkg.bomb and pkg.zf is not None:
        # Report and stop before decompressing anything.
        pkg.zf.close()
        return Report("unknown", tuple(pkg.errors))
    try:
        standard = _check(pkg, schemas_dir)
    except (
        OSError,
        ValueError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
        zipfile.BadZipFile,
    ) as exc:
        # Encrypted entries, unknown compression methods or corrupt data.
        pkg.errors.append(f"{path.name}: cannot read the package: {exc}")
        standard = "unknown"
    finally:
        if pkg.zf is not None:
            pkg.zf.close()
    return Report(standard, tuple(pkg.errors), tuple(pkg.warnings))
