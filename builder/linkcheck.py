"""`coursepack check --links`: does every address the pages link to still answer?

Sources move: the state.gov pages of the 2017 TIP Report, a judgment's old address. Each
distinct http(s) address of the pages (Markdown links and autolinks, raw HTML links, images from
the web; `Parsed.addresses`) is asked once, a few at a time (two at most of one server),
following redirects: HEAD first, then GET when the server refuses HEAD (many do). The answer is
one of:

- fine: 2xx or 3xx once redirects are followed;
- broken: another 4xx or 5xx, no such host, no connection, no answer within the timeout, a
  certificate that does not verify. A warning names the address, what came back, and every
  page and line that links to it, so `check --strict --links` fails on it;
- not checked: 401, 403 or 429. The server will not answer a program (a login, a robot check,
  a rate limit), which says nothing of whether a learner's browser gets the page. Said once, as
  information: open those addresses yourself.

Nothing is sent but the request line and a User-Agent naming coursepack: no cookie, no
credential. A redirect is followed only to another http(s) address, at most `MAX_REDIRECTS`
times. No body is read.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any

from builder import __version__
from builder.errors import counted
from builder.model import Course

log = logging.getLogger("coursepack")

#: Seconds to wait for a server's answer (connecting, then each read).
TIMEOUT = 10.0
#: Addresses asked at the same time.
WORKERS = 8
#: Addresses of one server asked at the same time.
PER_HOST = 2
#: Redirects followed for one address.
MAX_REDIRECTS = 10
#: Answers that say the server refuses programs, not that the page is gone.
REFUSED = {401: "a login", 403: "refused to a program", 429: "too many requests"}
USER_AGENT = f"coursepack/{__version__} (link check; +https://example.org/coursepack)"


@dataclass(frozen=True, slots=True)
class Answer:
    """What asking one address came to: `broken` and `refused` say why; neither: fine."""

    broken: str | None = None
    refused: str | None = None


Ask = Callable[[str], Answer]


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address, `MAX_REDIRECTS` at most."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith(("http://", "https://")):
            scheme = newurl.split(":", 1)[0] if ":" in newurl else newurl
            raise urllib.error.HTTPError(
                newurl, code, f"a redirect to a {scheme}: address, not followed", headers, fp
            )
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()  # urllib re-asks with GET; HEAD stays HEAD
        return new


_OPENER = urllib.request.build_opener(_WebRedirects())


def as_uri(url: str) -> str:
    """`url` as a browser sends it: a host in IDNA, other characters beyond ASCII and spaces
    percent-encoded (UTF-8); what is already encoded stays so."""
    parts = urllib.parse.urlsplit(url.strip())
    netloc, host = parts.netloc, parts.hostname or ""
    if not host.isascii():
        try:
            userinfo = netloc.rpartition("@")[0]
            port = f":{parts.port}" if parts.port else ""
            netloc = (f"{userinfo}@" if userinfo else "") + host.encode("idna").decode() + port
        except (UnicodeError, ValueError):
            pass  # left as written: the request then fails and says why
    safe = "/:@!$&'()*+,;=%~-._?#[]"
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe),
            urllib.parse.quote(parts.fragment, safe=safe),
        )
    )


def _request(url: str, method: str, timeout: float) -> int:
    """The status `url` answers `method` with, redirects followed; `HTTPError` for 4xx/5xx."""
    req = urllib.request.Request(as_uri(url), method=method, headers={"User-Agent": USER_AGENT})
    with _OPENER.open(req, timeout=timeout) as response:
        return int(response.status)


def ask(url: str, timeout: float = TIMEOUT) -> Answer:
    """Ask `url` (HEAD, then GET if HEAD is refused) and say what came back."""
    try:
        try:
            _request(url, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code not in (400, 403, 404, 405, 429, 500, 501, 503):
                raise
            # Servers that will not do HEAD answer these to it; GET is what a browser sends.
            _request(url, "GET", timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code in REFUSED:
            return Answer(refused=f"HTTP {exc.code}, {REFUSED[exc.code]}")
        if exc.code < 400:  # a redirect that was not followed (see _WebRedirects)
            return Answer(broken=f"{exc.msg} (HTTP {exc.code})")
        return Answer(broken=f"HTTP {exc.code} ({exc.msg or 'no reason given'})")
    except urllib.error.URLError as exc:
        return Answer(broken=_reason(exc.reason, timeout))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Answer(broken=_reason(exc, timeout))
    return Answer()


def _reason(reason: object, timeout: float) -> str:
    """Why an address could not be reached, in words."""
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"its certificate does not verify ({reason.verify_message})"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot be reached ({reason.strerror})"
    return f"cannot be reached ({reason})"


def _host(url: str) -> str:
    """The server an address names (its host and port, lower case)."""
    return urllib.parse.urlsplit(url).netloc.rpartition("@")[2].lower()


def page_addresses(course: Course) -> dict[str, list[str]]:
    """Each http(s) address of the course's pages, in order of first use, with where it is
    written (`path:line`)."""
    found: dict[str, list[str]] = {}
    for page in (p for m in course.modules for p in m.pages):
        for line, url in page.parsed.addresses if page.parsed is not None else ():
            found.setdefault(url, []).append(f"{page.source}:{line}" if line else page.source)
    return found


def link_report(
    addresses: dict[str, list[str]], ask: Ask = ask, workers: int = WORKERS
) -> tuple[list[str], list[str]]:
    """Ask every address (`workers` at a time): the warnings for the broken ones, and the
    addresses that could not be checked, each with why, in the order of `addresses`."""
    urls = list(addresses)
    if not urls:
        return [], []
    # Politeness: at most PER_HOST requests to one server at a time (a references page often
    # lists several documents of one site, and a busy site answers 429 to a burst).
    hosts = {host: threading.BoundedSemaphore(PER_HOST) for host in map(_host, urls)}

    def polite(url: str) -> Answer:
        with hosts[_host(url)]:
            return ask(url)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="coursepack-link") as pool:
        answers = list(pool.map(polite, urls))
    warnings, unchecked = [], []
    for url, answer in zip(urls, answers, strict=True):
        where = addresses[url]
        if answer.broken is not None:
            also = f" (also {', '.join(where[1:])})" if len(where) > 1 else ""
            warnings.append(f"{where[0]}: link {url}: {answer.broken}{also}")
        elif answer.refused is not None:
            unchecked.append(f"{url} ({answer.refused}; in {where[0]})")
    return warnings, unchecked


def check_links(course: Course, ask: Ask = ask) -> list[str]:
    """Ask every address of the course's pages; log what could not be checked and a count;
    return the warnings for the broken ones."""
    addresses = page_addresses(course)
    warnings, unchecked = link_report(addresses, ask)
    for line in unchecked:
        log.info("link not checked, open it yourself: %s", line)
    log.info(
        "checked %s: %d broken%s",
        counted(len(addresses), "link"),
        len(warnings),
        f", {len(unchecked)} not checked" if unchecked else "",
    )
    return warnings
