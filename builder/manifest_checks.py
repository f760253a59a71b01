"""Structural checks of a parsed manifest: identifiers, references and the files they name.

These run with or without the official XSDs. Each returns (errors, warnings), one line per problem.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from lxml import etree

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
NS_ADLCP = {
    "scorm12": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "scorm2004": "http://www.adlnet.org/xsd/adlcp_v1p3",
}
Found = tuple[list[str], list[str]]


def line(element: etree._Element) -> int:
    """The element's line in its source (0 if unknown)."""
    number = element.sourceline
    return number if isinstance(number, int) else 0


def _resolve(base: str, ref: str) -> str | None:
    """The package path of relative URL `ref` below `base`; None for absolute URLs."""
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc:
        return None
    path = unquote(posixpath.join(base, parts.path)) if base else unquote(parts.path)
    # RFC 3986 5.2.4: '.' segments name the folder they are in, so drop them before matching.
    return "/".join(s for s in path.split("/") if s != ".")


def _check_path(
    where: str, what: str, ref: str, path: str, names: set[str], lower: dict[str, str]
) -> str | None:
    """An error line if `path` escapes the package or is not in it (exactly, with case)."""
    if path.startswith("/") or "\\" in path or ".." in path.split("/"):
        return f"{where}: {what} {ref!r} points outside the package"
    if path in names:
        return None
    if path.lower() in lower:
        return (
            f"{where}: {what} {path!r} not in package (found {lower[path.lower()]!r}: case differs)"
        )
    return f"{where}: {what} {path!r} not in package"


def check_ims(manifest: str, root: etree._Element, standard: str, files: Iterable[str]) -> Found:
    """Check a SCORM `imsmanifest.xml`: ids, identifierrefs, scormType spelling, files listed."""
    errors: list[str] = []
    names = set(files)
    lower = {n.lower(): n for n in names}
    cp = etree.QName(root).namespace
    family = "scorm12" if standard == "scorm12" else "scorm2004"
    adlcp = NS_ADLCP[family]
    right, wrong = ("scormtype", "scormType") if family == "scorm12" else ("scormType", "scormtype")

    # `identifier` is xsd:ID in imscp (attr.identifier.req): unique in the whole manifest.
    first: dict[str, int] = {}
    for element in root.iter(f"{{{cp}}}*"):
        ident = element.get("identifier")
        if ident is None:
            continue
        if ident in first:
            errors.append(
                f"{manifest}:{element.sourceline}: identifier {ident!r} is used twice "
                f"(first on line {first[ident]})"
            )
        first.setdefault(ident, line(element))
    resources = {r.get("identifier"): r for r in root.iter(f"{{{cp}}}resource")}
    organizations = {o.get("identifier") for o in root.iter(f"{{{cp}}}organization")}

    orgs = root.find(f"{{{cp}}}organizations")
    default = orgs.get("default") if orgs is not None else None
    if orgs is not None and default is not None and default not in organizations:
        errors.append(
            f"{manifest}:{orgs.sourceline}: organizations default {default!r} "
            "matches no organization"
        )
    for label in ("item", "dependency"):
        for element in root.iter(f"{{{cp}}}{label}"):
            ref = element.get("identifierref")
            if ref is not None and ref not in resources:
                name = " ".join((label, element.get("identifier") or "")).strip()
                errors.append(
                    f"{manifest}:{element.sourceline}: {name}: identifierref {ref!r} "
                    "matches no resource"
                )

    listed: set[str] = set()
    manifest_base = root.get(XML_BASE, "")
    resources_el = root.find(f"{{{cp}}}resources")
    section_base = resources_el.get(XML_BASE, "") if resources_el is not None else ""
    for resource in resources.values():
        rid = resource.get("identifier")
        where = f"{manifest}:{resource.sourceline}: resource {rid}"
        if resource.get(f"{{{adlcp}}}{wrong}") is not None:
            errors.append(
                f"{where}: adlcp:{wrong} is the wrong spelling for {standard}; use adlcp:{right}"
            )
        elif resource.get(f"{{{adlcp}}}{right}") is None:
            errors.append(f"{where}: adlcp:{right} is missing")
        base = posixpath.join(manifest_base, section_base, resource.get(XML_BASE, ""))
        refs = [("href", resource, resource.get("href"))]
        refs += [("file", f, f.get("href")) for f in resource.findall(f"{{{cp}}}file")]
        for what, element, ref in refs:
            path = _resolve(base, ref) if ref is not None else None
            if path is None:
                continue
            listed.add(path)
            where = f"{manifest}:{element.sourceline}: resource {rid}"
            if (problem := _check_path(where, what, ref or "", path, names, lower)) is not None:
                errors.append(problem)

    warnings = [
        f"{name}: not listed in any resource of {manifest}"
        for name in sorted(names)
        if name not in listed
        and name != manifest
        and not name.startswith("__MACOSX/")
        and not name.lower().endswith((".xsd", ".dtd"))
    ]
    return errors, warnings


def check_launch_urls(manifest: str, root: etree._Element, files: Iterable[str]) -> Found:
    """Check that every relative `<launch>` (tincan.xml) or `<url>` (cmi5.xml) is in the package."""
    errors: list[str] = []
    names = set(files)
    lower = {n.lower(): n for n in names}
    launches = list(root.iter("{*}launch", "{*}url"))
    if not launches:
        wanted = (
            "an <au> with a <url>"
            if manifest.lower().endswith("cmi5.xml")
            else ("an activity with a <launch>")
        )
        errors.append(f"{manifest}: expected {wanted} (the page an LMS opens), found none")
    for element in launches:
        ref = (element.text or "").strip()
        where = f"{manifest}:{element.sourceline}: {etree.QName(element).localname}"
        if not ref:
            errors.append(f"{where}: expected the path or URL of a page, found nothing")
            continue
        path = _resolve("", ref)
        if path is None:
            continue
        if (problem := _check_path(where, "file", ref, path, names, lower)) is not None:
            errors.append(problem)
    return errors, []


#: The page a web package starts at (the `web` target's launch page).
WEB_LAUNCH = "index.html"
#: `src` and `href` attributes of a page, quoted either way.
_REFERENCE = re.compile(rb"""\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def check_web(data: bytes, entries: list[str]) -> list[str]:
    """The errors of a web package whose `index.html` is `data`: every local file it names
    must be one of `entries` (exact case)."""
    errors = []
    names = set(entries)
    lower = {n.lower(): n for n in entries}
    for match in _REFERENCE.finditer(data):
        ref = (match.group(1) or match.group(2) or b"").decode("utf-8", "replace")
        target = unquote(ref.split("#", 1)[0].split("?", 1)[0])
        if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^/", ref):
            continue  # in-page anchors, URLs and absolute paths are not files of the package
        name = posixpath.normpath(target)
        if name in names:
            continue
        line = data.count(b"\n", 0, match.start()) + 1
        case = lower.get(name.lower())
        hint = f" (found '{case}': letter case differs)" if case else ""
        errors.append(f"{WEB_LAUNCH}:{line}: '{ref}' names a file the package lacks{hint}")
    return errors
