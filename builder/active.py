"""Authored files that would run script in the learner's browser, past the page sanitiser.

A module asset is served from the LMS's origin beside the course: an HTML, JavaScript or XML
file (XML can name an XSLT stylesheet that writes HTML), opened from a link, runs its script
there, and so does an SVG image opened on its own (inside `<img>` it never runs script). These
are refused with a clear problem, as the sanitiser removes the same from pages.
"""

from __future__ import annotations

import re

#: File types that are documents with script, not media: refused as assets.
ACTIVE_SUFFIXES = (
    ".html",
    ".htm",
    ".xhtml",
    ".xht",
    ".shtml",
    ".mht",
    ".mhtml",
    ".js",
    ".mjs",
    ".xml",
    ".xsl",
    ".xslt",
    ".svgz",  # compressed: its content cannot be checked
)
#: What in an SVG can run script or load a document: script elements, event handler attributes,
#: script URLs (entity-encoded forms are caught by the DOCTYPE that declares them), embedded
#: HTML, and DTDs (entities can spell any of these).
_SVG_ACTIVE = re.compile(
    rb"<script|<foreignObject|<iframe|<embed|<object|<handler|<!DOCTYPE|<!ENTITY"
    rb"|\son[a-z]+\s*=|(?:java|vb)script\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)


def active_type(name: str) -> str | None:
    """The suffix of `name` if it is a document type that runs script, else None."""
    lower = name.lower()
    return next((s for s in ACTIVE_SUFFIXES if lower.endswith(s)), None)


def svg_script(data: bytes) -> str | None:
    """The first thing in SVG `data` that can run script (as written, stripped), else None."""
    found = _SVG_ACTIVE.search(data)
    return None if found is None else found.group(0).decode("utf-8", "replace").strip()


def active_problem(name: str, data: bytes) -> str | None:
    """Why the authored file `name` would run script in the learner's browser, or None."""
    if (suffix := active_type(name)) is not None:
        return (
            "expected a file that runs no script in the learner's browser, found a "
            f"'{suffix}' file (pages are Markdown, and their HTML is cleaned)"
        )
    if name.lower().endswith(".svg") and (found := svg_script(data)) is not None:
        return f"expected an SVG image without script, found '{found}'"
    return None
