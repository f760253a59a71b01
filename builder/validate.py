"""`coursepack validate`: check a package (zip or folder, ours or anyone's) without extracting it.

Zip entries are read in memory, and only after the archive's sizes and ratios are known to be safe.
Every problem is one line naming the file (and the line, for XML).
"""

from __future__ import annotations

import codecs
import copy
import io
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lxml import etree

from builder.errors import ValidationFailed, printable
from builder.limits import (
    MAX_CENTRAL_DIRECTORY,
    MAX_ENTRIES,
    MAX_MANIFEST,
    MAX_RATIO,
    MAX_SCAN_TEXT,
    MAX_TOTAL,
    METHODS,
    RATIO_FLOOR,
    refused_type,
)
from builder.manifest_checks import WEB_LAUNCH, check_ims, check_launch_urls, check_web
from builder.secrets import MAX_FINDINGS, describe, scan_stream
from builder.xsd import SchemaError, schema_errors

MANIFESTS = ("imsmanifest.xml", "tincan.xml", "cmi5.xml")
#: Bytes read at a time when scanning an entry for credentials.
CHUNK = 1024**2
#: Byte-order marks of UTF-16 and UTF-32 text (which holds NUL bytes, unlike other text).
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
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
    #: What was not checked, said once and only when asked (`validate -v`).
    notes: tuple[str, ...] = ()

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
    notes: list[str] = field(default_factory=list)
    #: Entries that are listed but never read (unknown method, encrypted, links).
    unreadable: set[str] = field(default_factory=set)

    def size(self, name: str) -> int:
        """The uncompressed size of entry `name`, as the zip header or the file system says."""
        if self.zf is None:
            return (self.path / name).lstat().st_size
        return self.zf.getinfo(name).file_size

    def open(self, name: str) -> IO[bytes]:
        """A binary stream of entry `name` (a regular file of the folder, never a link)."""
        if self.zf is None:
            fd = os.open(self.path / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            return os.fdopen(fd, "rb")
        return self.zf.open(name)

    def read(self, name: str, limit: int = MAX_MANIFEST) -> bytes:
        """The bytes of entry `name`, refusing more than `limit` (whatever the header claims)."""
        with self.open(name) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"{name}: larger than {limit} bytes")
        return data

    def text_chunks(self, name: str) -> Iterator[bytes]:
        """Entry `name` as UTF-8 chunks if it is text (no NUL unless UTF-16/32), else nothing."""
        with self.open(name) as fh:
            first = fh.read(8192)
            bom = next((b for b in _BOMS if first.startswith(b)), None)
            if bom is None and b"\0" in first:
                return
            if bom is None:
                chunk = first
                while chunk:
                    yield chunk
                    chunk = fh.read(CHUNK)
                return
            encoding = "utf-32" if len(bom) == 4 else "utf-16"
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            chunk = first
            while chunk:
                yield decoder.decode(chunk).encode("utf-8", "replace")
                chunk = fh.read(CHUNK)


def _unsafe(name: str) -> str | None:
    """Why the entry name could escape the extraction folder (zip-slip), or None."""
    if "\\" in name:
        return "uses backslashes"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if ".." in name.split("/"):
        return "has a '..' segment"
    return None


def _end_record(fh: IO[bytes]) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end-of-central-directory record (or zip64's).

    Read before `zipfile` reads the central directory, so that its size bounds the memory used.
    """
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    tail_size = min(size, 22 + 0xFFFF + 20)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries, cd_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07":
        _, _, offset64, _ = struct.unpack("<IIQI", locator)
        if offset64 < size:
            fh.seek(offset64)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def _entry_kind(info: zipfile.ZipInfo) -> str | None:
    """'a symbolic link' or 'a special file' if the Unix mode of `info` says so, else None."""
    if info.create_system != 3:  # only Unix zips carry a file type in external_attr
        return None
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a special file (device, pipe or socket)"
    return None


def _open_zip(path: Path, fh: IO[bytes]) -> Package:
    """Check counts, sizes, names and entry types from the zip's directory; read nothing yet."""
    pkg = Package(path, [])
    end = _end_record(fh)
    if end is None:
        pkg.errors.append(f"{path.name}: cannot read the package: not a zip file (no end record)")
        pkg.bomb = True
        return pkg
    entries, cd_size = end
    if entries > MAX_ENTRIES or cd_size > MAX_CENTRAL_DIRECTORY:
        found = f"{entries} entries" if entries > MAX_ENTRIES else f"{cd_size} bytes of names"
        limit = f"{MAX_ENTRIES} entries" if entries > MAX_ENTRIES else f"{MAX_CENTRAL_DIRECTORY}"
        pkg.errors.append(f"{path.name}: {found}, more than {limit}; not read")
        pkg.bomb = True
        return pkg
    fh.seek(0)
    try:
        pkg.zf = zipfile.ZipFile(fh)
    except UnicodeDecodeError as exc:
        pkg.errors.append(
            f"{path.name}: an entry name flagged as UTF-8 is not valid UTF-8 "
            f"(found the byte #x{exc.object[exc.start]:02X}); not read"
        )
        pkg.bomb = True
        return pkg
    infos = pkg.zf.infolist()
    if len(infos) > MAX_ENTRIES:
        pkg.errors.append(f"{path.name}: {len(infos)} entries, more than {MAX_ENTRIES}; not read")
        pkg.bomb = True
        return pkg
    total = sum(i.file_size for i in infos)
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
        if (kind := _entry_kind(info)) is not None:
            pkg.errors.append(
                f"{name}: {kind}; refused (unzipping it can reach outside the package)"
            )
            pkg.unreadable.add(name)
        elif info.compress_type not in METHODS:
            methods = " or ".join(f"{m} ({n})" for n, m in METHODS.items())
            pkg.errors.append(
                f"{name}: compression method {info.compress_type}, expected {methods} "
                "(what every LMS can read); not read"
            )
            pkg.unreadable.add(name)
        elif info.flag_bits & 0x1:
            pkg.errors.append(f"{name}: encrypted, which no LMS can read; not read")
            pkg.unreadable.add(name)
        if not name.endswith("/"):
            pkg.names.append(name)
    compressed = sum(i.compress_size for i in infos)
    if total > MAX_TOTAL:
        pkg.errors.append(
            f"{path.name}: {total} bytes uncompressed, more than {MAX_TOTAL}; not read"
        )
        pkg.bomb = True
    elif not pkg.bomb and total >= RATIO_FLOOR and total / max(compressed, 1) > MAX_RATIO:
        pkg.errors.append(
            f"{path.name}: {total} bytes uncompressed from {compressed}, ratio "
            f"{total / max(compressed, 1):.0f}:1 exceeds {MAX_RATIO}:1 (zip bomb?); not read"
        )
        pkg.bomb = True
    return pkg


def _open_folder(path: Path) -> Package:
    """The regular files below `path`; links and special files are errors, never followed."""
    pkg = Package(path, [])
    count = 0
    for folder, dirs, files in os.walk(path, followlinks=False):
        here = Path(folder)
        count += len(dirs) + len(files)
        if count > MAX_ENTRIES:
            pkg.errors.append(f"{path.name}: more than {MAX_ENTRIES} entries; not read")
            pkg.bomb = True
            return pkg
        for name in sorted(dirs + files):
            entry = here / name
            rel = entry.relative_to(path).as_posix()
            mode = entry.lstat().st_mode
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                pkg.errors.append(f"{shown}: file name is not valid UTF-8; not read")
                continue
            if stat.S_ISLNK(mode):
                pkg.errors.append(
                    f"{rel}: a symbolic link; refused (not followed: it can point anywhere)"
                )
            elif stat.S_ISREG(mode):
                pkg.names.append(rel)
            elif not stat.S_ISDIR(mode):
                pkg.errors.append(f"{rel}: a special file (device, pipe or socket); refused")
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    pkg.names.sort()
    return pkg


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


def _check_secrets(pkg: Package) -> None:
    """An error for every LRS credential in a text entry, whatever its name (Part B 3.6).

    At most MAX_SCAN_TEXT bytes of text are scanned and MAX_FINDINGS reported, so that a hostile
    package costs seconds, not minutes; a package with more text is refused.
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
        findings = scan_stream(counted(name), MAX_FINDINGS - reported)
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


def _doctype(data: bytes, doc: etree._ElementTree) -> int | None:
    """The line of a DOCTYPE (DTD, entity declarations) in the manifest, or None."""
    doctype: str = getattr(doc.docinfo, "doctype", "")  # lxml-stubs lacks it
    if not doctype and doc.docinfo.internalDTD is None:
        return None
    at = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 1


@dataclass(frozen=True, slots=True)
class _Options:
    schemas_dir: Path | None = None
    #: A package without a manifest is fine (the `web` target, or a target plugin's own format):
    #: the build checks every package this way, and the manifests validate knows.
    manifest_optional: bool = False
    #: The build was asked to embed an LRS credential (and warned about it).
    credentials_allowed: bool = False


def _check(pkg: Package, options: _Options) -> str:
    if not options.credentials_allowed:
        _check_secrets(pkg)
    for name in pkg.names:
        if (suffix := refused_type(name)) is not None:
            pkg.errors.append(f"{name}: file type {suffix!r} is refused by strict LMSs")
    if options.manifest_optional and not any(n in pkg.names for n in MANIFESTS):
        return "none"
    schemas_dir = options.schemas_dir
    if WEB_LAUNCH in pkg.names and not any(
        posixpath.basename(n).lower() in MANIFESTS for n in pkg.names
    ):
        pkg.errors.extend(check_web(pkg.read(WEB_LAUNCH), pkg.names))
        return "web"
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


#: What reading a hostile package can raise; each becomes one "cannot read" line.
READ_ERRORS = (
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    struct.error,
    etree.Error,
)


def _validate(path: Path, open_package: Callable[[], Package], options: _Options) -> Report:
    try:
        pkg = open_package()
    except READ_ERRORS as exc:
        return Report("unknown", (printable(f"{path.name}: cannot read the package: {exc}"),))
    if pkg.bomb:
        # Report and stop before decompressing anything.
        if pkg.zf is not None:
            pkg.zf.close()
        return Report("unknown", tuple(printable(e) for e in pkg.errors))
    try:
        standard = _check(pkg, options)
    except READ_ERRORS as exc:
        # Corrupt data, lying sizes or CRCs.
        pkg.errors.append(f"{path.name}: cannot read the package: {exc}")
        standard = "unknown"
    finally:
        if pkg.zf is not None:
            pkg.zf.close()
    return Report(
        standard,
        tuple(printable(e) for e in pkg.errors),
        tuple(printable(w) for w in pkg.warnings),
        tuple(printable(n) for n in pkg.notes),
    )


def validate_package(path: Path, schemas_dir: Path | None) -> Report:
    """Check the package at `path` (a .zip or a folder); schema-check it if `schemas_dir` is set."""
    options = _Options(schemas_dir)
    if path.is_dir() and not path.is_symlink():
        return _validate(path, lambda: _open_folder(path), options)
    if not path.is_file():  # a pipe or device would block the read
        found = "a special file" if path.exists() else "nothing"
        return Report(
            "unknown", (printable(f"{path}: expected a zip file or a folder, found {found}"),)
        )
    with ExitStack() as stack:

        def open_zip() -> Package:
            return _open_zip(path, stack.enter_context(path.open("rb")))

        return _validate(path, open_zip, options)


def validate_zip_bytes(
    name: str, data: bytes, *, manifest_optional: bool = False, credentials_allowed: bool = False
) -> Report:
    """`validate_package` of a zip in memory: what the build is about to write as `name`.

    `manifest_optional`: a package without a manifest is fine (the `web` target);
    `credentials_allowed`: the build was explicitly asked to embed an LRS credential.
    """
    path = Path(name)
    options = _Options(None, manifest_optional, credentials_allowed)
    return _validate(path, lambda: _open_zip(path, io.BytesIO(data)), options)
