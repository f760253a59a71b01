"""HTTP requests that carry a credential stay on the server they were sent to.

Python's urllib follows a redirect with every header of the request but the content ones, so an
`Authorization` header would reach whatever server a redirect names (and a POST answered 301, 302
or 303 is re-sent as a GET). `OPENER` follows a redirect only within the origin (scheme, host,
port) of the request it answers; a redirect elsewhere is an `HTTPError` naming it.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import IO, Any


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of `url` (the port its scheme implies when none is written)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:  # a port that is not a number
        port = None
    return scheme, (parts.hostname or "").lower(), port


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the origin of the request it answers."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if origin(newurl) != origin(req.full_url):
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirect to another server ({newurl}) refused", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


#: The opener for every request that carries a credential.
OPENER = urllib.request.build_opener(SameOriginRedirects)
