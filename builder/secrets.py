"""Finding LRS credentials in package files (pure: bytes in, findings out).

A credential inside a package can be read by every learner and by anyone who gets the zip
(standards.md Part B 3.6; adlnet/xAPIWrapper#66, adlnet/xAPI-Spec#548). The scanner looks for
the shapes credentials take in xAPI content: an Authorization `Basic` value, a non-empty `"auth"`
key (course data, launch settings), an `auth=` launch parameter, `user:password@` in a URL, and a
non-empty Tin Can `<secret>`. Findings never repeat the secret.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

#: Bytes kept from one chunk to the next, so that a credential split between them is found.
OVERLAP = 4096

#: `Basic` then base64, also URL-encoded (`Basic%20…`, `Basic+…`) as in a launch query string.
BASIC = re.compile(rb"\bBasic(?:\s+|%20|\+)([A-Za-z0-9+/_-]{4,}(?:=|%3D){0,2})")
AUTH_KEY = re.compile(rb"""["']auth["']\s*:\s*(["'])(?!\1)""")
AUTH_PARAM = re.compile(
    rb"[?&](?:amp;)?(?:auth|token|access_token|password|passwd|secret|api_?key)=(?![&#$\s\"'<])",
    re.IGNORECASE,
)
USERINFO = re.compile(rb"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/@:\"'<>]+:[^\s/@\"'<>]+@[^\s/@\"'<>]")
SECRET_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?secret\b[^>]*>\s*[^<\s]")


@dataclass(frozen=True, slots=True)
class Finding:
    """One credential found: the 1-based line and what kind of credential it is."""

    line: int
    kind: str


def _is_basic_pair(token: bytes) -> bool:
    """Whether `token` is base64 of `key:secret`, as an Authorization Basic value is (RFC 7617)."""
    text = token.replace(b"%3D", b"=").replace(b"-", b"+").replace(b"_", b"/")
    try:
        decoded = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    return ":" in decoded and decoded.isprintable()


#: Findings reported at most (per entry and per package); past that the package is refused anyway.
MAX_FINDINGS = 100

#: The part of `USERINFO` from `://` on: found first, since a scheme can start at any word.
_USERINFO_TAIL = re.compile(rb"://[^\s/@:\"'<>]+:[^\s/@\"'<>]+@[^\s/@\"'<>]")
_SCHEME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def _basic(data: bytes) -> Iterator[int]:
    for match in BASIC.finditer(data):
        if _is_basic_pair(match.group(1)):
            yield match.start()


def _userinfo(data: bytes) -> Iterator[int]:
    """Where `USERINFO` matches: each `://…@` with the scheme before it checked."""
    for tail in _USERINFO_TAIL.finditer(data):
        begin = tail.start()
        while begin > 0 and data[begin - 1] in _SCHEME_CHARS:
            begin -= 1
        if match := USERINFO.search(data, begin, tail.end()):
            yield match.start()


def _finder(pattern: re.Pattern[bytes]) -> Callable[[bytes], Iterator[int]]:
    return lambda data: (match.start() for match in pattern.finditer(data))


_KINDS = (
    # where it matches, kind, literals one of which it needs (cheap to look for first), and
    # whether those are looked for case-insensitively
    (_basic, "Authorization Basic …", (b"Basic",), False),
    (_finder(AUTH_KEY), '"auth" with a value', (b'auth"', b"auth'"), False),
    (
        _finder(AUTH_PARAM),
        "auth=, token= or password= in a URL",
        (b"auth=", b"token=", b"passw", b"secret=", b"apikey=", b"api_key="),
        True,
    ),
    (_userinfo, "user:password@ in a URL", (b"://",), False),
    (_finder(SECRET_ELEMENT), "<secret>", (b"secret",), False),
)


def scan(data: bytes, limit: int = MAX_FINDINGS) -> list[Finding]:
    """Every credential in `data` (at most `limit`), one finding per line and kind, in order."""
    found: set[Finding] = set()
    lowered: bytes | None = None
    for matches, kind, literals, fold in _KINDS:
        if fold:
            lowered = data.lower() if lowered is None else lowered
        haystack = lowered if fold and lowered is not None else data
        if not any(literal in haystack for literal in literals):
            continue  # the regular expressions are slow; most text holds none of the literals
        line, last = 1, 0
        for start in matches(data):
            line += data.count(b"\n", last, start)
            last = start
            found.add(Finding(line, kind))
            if len(found) >= limit:
                break
    return sorted(found, key=lambda f: (f.line, f.kind))[:limit]


def scan_stream(chunks: Iterable[bytes], limit: int = MAX_FINDINGS) -> list[Finding]:
    """`scan` of the concatenation of `chunks`, holding one chunk (plus an overlap) at a time."""
    found: set[Finding] = set()
    carry, first_line = b"", 1  # `carry` starts on line `first_line`
    for chunk in chunks:
        data = carry + chunk
        found.update(Finding(f.line + first_line - 1, f.kind) for f in scan(data, limit))
        if len(found) >= limit:
            break
        keep = max(len(data) - OVERLAP, 0)
        first_line += data.count(b"\n", 0, keep)
        carry = data[keep:]
    return sorted(found, key=lambda f: (f.line, f.kind))[:limit]


def describe(name: str, finding: Finding) -> str:
    """The validate error line for `finding` in entry `name`."""
    return (
        f"{name}:{finding.line}: carries an LRS credential ({finding.kind}); "
        "anyone with the package can read it"
    )
