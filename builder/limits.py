"""Limits shared by the build and `validate`, so that what the build writes `validate` accepts.

A package is refused when it could hurt whoever unpacks it (a zip bomb, too many entries) or when
strict LMSs refuse its files. The build checks what it is about to write against the same limits.
"""

from __future__ import annotations

#: File types strict LMSs refuse in a package (server-side code and executables).
REFUSED_SUFFIXES = (
    ".php",
    ".sh",
    ".py",
    ".exe",
    ".bat",
    ".cmd",
    ".asp",
    ".aspx",
    ".jsp",
    ".cgi",
    ".pl",
)
#: Bytes of all entries uncompressed.
MAX_TOTAL = 1024**3
#: Entries in one zip; checked in the end-of-central-directory record before anything else.
MAX_ENTRIES = 20_000
#: Bytes of the central directory (names of MAX_ENTRIES entries at ~1.6 KiB each).
MAX_CENTRAL_DIRECTORY = 32 * 1024**2
#: Uncompressed/compressed, for an entry over RATIO_FLOOR bytes and for the whole zip.
MAX_RATIO = 100
RATIO_FLOOR = 1024**2
#: Bytes of a manifest (ours are a few KiB; a parsed tree takes far more memory than its text).
MAX_MANIFEST = 2 * 1024**2
#: Bytes of a web package's index.html, which holds every page of the course (the shipped
#: course's is 1.3 MB); read whole to check the files it names, never parsed as a tree.
MAX_WEB_LAUNCH = 64 * 1024**2
#: Bytes of text scanned for credentials in one package (every text entry is scanned; a package
#: with more text is refused, so that `validate` stays within seconds on any input).
MAX_SCAN_TEXT = 128 * 1024**2
#: Zip compression methods every LMS reads: stored (0) and deflate (8).
METHODS = {0: "stored", 8: "deflate"}


def refused_type(name: str) -> str | None:
    """The suffix of `name` if strict LMSs refuse that file type, else None."""
    lower = name.lower()
    return next((s for s in REFUSED_SUFFIXES if lower.endswith(s)), None)
