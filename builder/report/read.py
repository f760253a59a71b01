"""Stage 1 of the report: statements, one at a time, from a file or from an LRS.

Nothing is kept: each source is a generator, so a file of a million statements is never in
memory. A file is a JSON array (decoded one item at a time, see `_array`) or JSON lines; an LRS
is read page by page through `GET <endpoint>/statements`, following each page's `more` link
(xAPI Communication §2.1.3) in ascending stored order. `progress(done, total)` is called as it
goes: bytes of the file, or statements read from the LRS (total None). The credential goes to the
endpoint's own server only: a `more` link or an HTTP redirect to another origin (scheme, host,
port) is refused, since Python's urllib would send the Authorization header along.
"""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from builder.errors import ReportError
from builder.origin import OPENER, origin

Statement = dict[str, Any]
Progress = Callable[[int, int | None], None]
XAPI_VERSION = "1.0.3"


def _quiet(done: int, total: int | None) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True, slots=True)
class FileSource:
    """A file of statements: a JSON array, or one JSON object per line."""

    path: Path

    def __call__(self, progress: Progress = _quiet) -> Iterator[Statement]:
        try:
            with self.path.open("rb") as f:
                array = _first_byte(f) == b"["
            total = self.path.stat().st_size
            f = self.path.open("rb")
        except OSError as exc:
            raise ReportError(f"{self.path}: cannot read: {exc.strerror}") from exc
        with f:
            if array:
                with io.TextIOWrapper(f, encoding="utf-8-sig") as text:
                    bytes_read: Progress = lambda done, _: progress(done, total)  # noqa: E731
                    try:
                        yield from _array(text, f, self.path, bytes_read)
                    except UnicodeDecodeError as exc:
                        raise ReportError(f"{self.path}: {_not_utf8(exc)}") from exc
            else:
                yield from _lines(f, self.path, total, progress)
            progress(total, total)


def _not_utf8(exc: UnicodeDecodeError) -> str:
    return f"expected UTF-8 text, found the byte #x{exc.object[exc.start]:02X} (save it as UTF-8)"


def _json_kind(value: Any) -> str:
    """How a JSON value reads in a message: as JSON names it."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else "an array"


def _unreadable(exc: RecursionError | ValueError) -> str:
    """`expected …, found …` for JSON that Python's reader gives up on (not a syntax error)."""
    if isinstance(exc, RecursionError):
        return "expected a JSON statement, found values nested too deep"
    digits = re.search(r"value has (\d+) digits", str(exc))
    found = f"a number of {digits.group(1)} digits" if digits else f"invalid JSON: {exc}"
    return f"expected a JSON statement, found {found}"


def _first_byte(f: IO[bytes]) -> bytes:
    while True:
        b = f.read(1)
        if b not in (b" ", b"\n", b"\r", b"\t", b"\xef", b"\xbb", b"\xbf"):
            f.seek(f.tell() - len(b))
            return b


#: Bytes read at a time from a JSON array; a statement longer than this is read in more chunks.
CHUNK = 1 << 20
#: A statement that does not decode within this many characters is refused (xAPI statements
#: are small; this bounds memory on a broken file).
MAX_STATEMENT = 64 << 20
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


def _array(
    reader: io.TextIOWrapper, raw: IO[bytes], path: Path, progress: Progress
) -> Iterator[Statement]:
    """The items of a top-level JSON array, decoded one at a time from a sliding buffer.

    The standard library's C decoder (`raw_decode`) reads each item where it starts; an item cut
    by the end of the buffer fails to decode and is tried again with the next chunk appended, so
    memory holds one chunk and one statement, never the array.
    """
    buf, n, eof = reader.read(CHUNK), 0, False
    pos = buf.index("[") + 1
    expect_item = True
    while True:
        while pos < len(buf) and buf[pos] in _SPACE:
            pos += 1
        if pos >= len(buf) or (not eof and len(buf) - pos < 64):
            more = "" if eof else reader.read(CHUNK)
            eof = eof or not more
            if pos >= len(buf) and eof:
                raise ReportError(f"{path}: after statement {n}: the JSON array never ends")
            buf, pos = buf[pos:] + more, 0
            continue
        ch = buf[pos]
        if ch == "]" and (expect_item is False or n == 0):
            progress(raw.tell(), None)
            return
        if ch == "," and not expect_item:
            pos, expect_item = pos + 1, True
            continue
        if not expect_item:
            raise ReportError(f"{path}: after statement {n}: expected ',' or ']', found {ch!r}")
        try:
            item, end = _DECODER.raw_decode(buf, pos)
        except (RecursionError, ValueError) as exc:
            if not isinstance(exc, json.JSONDecodeError):
                raise ReportError(f"{path}: statement {n + 1}: {_unreadable(exc)}") from exc
            if eof:
                raise ReportError(f"{path}: statement {n + 1}: not valid JSON: {exc.msg}") from exc
            if len(buf) - pos > MAX_STATEMENT:
                raise ReportError(
                    f"{path}: statement {n + 1}: not valid JSON within {MAX_STATEMENT} bytes: "
                    f"{exc.msg}"
                ) from exc
            more = reader.read(CHUNK)
            eof = not more
            buf, pos = buf[pos:] + more, 0
            continue
        n += 1
        if not isinstance(item, dict):
            raise ReportError(
                f"{path}: statement {n}: expected a JSON object, found {_json_kind(item)}"
            )
        pos, expect_item = end, False
        if n % 4096 == 0:
            progress(raw.tell(), None)
        yield item


def _lines(f: IO[bytes], path: Path, total: int, progress: Progress) -> Iterator[Statement]:
    done = 0
    # Each line read up to MAX_STATEMENT bytes: a file without line breaks is not read whole.
    for number, line in enumerate(iter(lambda: f.readline(MAX_STATEMENT + 1), b""), 1):
        done += len(line)
        if len(line) > MAX_STATEMENT:
            raise ReportError(
                f"{path}:{number}: expected a JSON statement of at most {MAX_STATEMENT} bytes "
                "on a line, found a longer line"
            )
        if not line.strip():
            continue
        try:
            item = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            raise ReportError(f"{path}:{number}: {_not_utf8(exc)}") from exc
        except RecursionError as exc:
            raise ReportError(f"{path}:{number}: {_unreadable(exc)}") from exc
        except json.JSONDecodeError as exc:
            raise ReportError(
                f"{path}:{number}: expected a JSON statement (JSON lines or one JSON array), "
                f"found invalid JSON: {exc}"
            ) from exc
        except ValueError as exc:
            raise ReportError(f"{path}:{number}: {_unreadable(exc)}") from exc
        if not isinstance(item, dict):
            raise ReportError(f"{path}:{number}: expected a JSON object, found {_json_kind(item)}")
        if number % 2048 == 0:
            progress(done, total)
        yield item


@dataclass(frozen=True, slots=True)
class LrsSource:
    """The statements of an LRS, page by page (`limit` per page, `since`/`until` passed on)."""

    endpoint: str
    authorization: str | None
    page_size: int = 500
    since: str | None = None
    until: str | None = None
    timeout: float = 60.0

    def __call__(self, progress: Progress = _quiet) -> Iterator[Statement]:
        base = self.endpoint.rstrip("/")
        query = {"limit": str(self.page_size), "ascending": "true"}
        query.update({k: v for k, v in (("since", self.since), ("until", self.until)) if v})
        url: str | None = f"{base}/statements?{urllib.parse.urlencode(query)}"
        done = 0
        while url:
            page = self._get(url)
            statements = page.get("statements")
            if not isinstance(statements, list):
                raise ReportError(f"{url}: expected a StatementResult, found no 'statements' list")
            for i, item in enumerate(statements, done + 1):
                if not isinstance(item, dict):
                    kind = type(item).__name__
                    raise ReportError(f"{url}: statement {i}: expected a JSON object, found {kind}")
                yield item
            done += len(statements)
            progress(done, None)
            more = page.get("more") or None
            # `more` is an IRL relative to the LRS's host (xAPI Communication §2.1.3).
            url = urllib.parse.urljoin(base + "/", more) if isinstance(more, str) else None
            if url is not None and origin(url) != origin(base):
                raise ReportError(
                    f"{base}: the LRS's next page is on another server ({url}); not followed, "
                    "so that the credential is not sent there"
                )

    def _get(self, url: str) -> dict[str, Any]:
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
        if self.authorization:
            headers["Authorization"] = self.authorization
        request = urllib.request.Request(url, headers=headers)
        try:
            with OPENER.open(request, timeout=self.timeout) as response:
                data = json.load(response)
        except urllib.error.HTTPError as exc:
            exc.close()  # the error carries the open response
            hint = (
                " (check the credential named with --lrs-auth-env)"
                if exc.code in (401, 403)
                else ""
            )
            raise ReportError(f"{url}: the LRS answered {exc.code} {exc.reason}{hint}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ReportError(f"{url}: cannot reach the LRS: {exc}") from exc
        except (ValueError, RecursionError) as exc:
            raise ReportError(f"{url}: expected JSON from the LRS: {exc}") from exc
        if not isinstance(data, dict):
            raise ReportError(f"{url}: expected a StatementResult object from the LRS")
        return data
