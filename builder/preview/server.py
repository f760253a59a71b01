"""The preview's HTTP server on 127.0.0.1: the LMS page, the packages, the store, the panel's API.

Routes:
  GET  /                       the preview page (templates/preview/index.html)
  GET  /preview/<file>         its scripts and styles
  GET  /vendor/scorm-again/<f> scorm-again (found or fetched by `builder.preview.vendor`)
  GET  /pkg/<generation>/<key>/<path>   the unzipped packages
  GET  /api/state?since=N      packages, build error, faults, statements from N, launches
  GET  /api/learner?package=K  the CMI tree the LMS last committed for package K (resume)
  POST /api/fault              {"name": …, "on": true|false}
  POST /api/reset              {"package": K}: forget K's learner data, new registration
  POST /lms/commit?package=K   scorm-again's commits (`lmsCommitUrl`)
  GET|POST|PUT /xapi/statements, GET /xapi/about   the statement store (or proxy to --lrs)
  GET  /cmi5/launch?package=K&au=ID   a cmi5 AU's launch: 303 to the launcher (`cmi5.py`)

A package is known by its key (`Package.key`: `<target>`, or `<target>-<part>` for the follow-up
unit and a split's modules), never by its target, which a course and its follow-up share.
plus any route a launcher adds (`Session.routes`).
"""

from __future__ import annotations

import json
import logging
import mimetypes
import posixpath
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from builder.origin import OPENER
from builder.preview.builds import Builds
from builder.preview.launchers import LAUNCHERS, Session
from builder.preview.store import SLOW_SECONDS, Store
from builder.templates import DEFAULT_TEMPLATES

log = logging.getLogger("coursepack")

PAGE_DIR = DEFAULT_TEMPLATES / "preview"
#: Bytes of a request body read at most (a commit of a large CMI tree, a batch of statements).
MAX_BODY = 8 * 1024 * 1024
XAPI_VERSION = "1.0.3"


class Preview:
    """Everything the handler serves: builds, store, session, learner data, where files are."""

    def __init__(
        self, builds: Builds, store: Store, session: Session, vendor: Path | None, lrs: str | None,
        lrs_auth: str | None,
    ) -> None:  # fmt: skip
        self.builds, self.store, self.session = builds, store, session
        self.vendor, self.lrs, self.lrs_auth = vendor, lrs, lrs_auth
        #: The last CMI tree committed per package key (what the LMS hands back on relaunch).
        self.learner: dict[str, dict[str, Any]] = {}

    def state(self, since: int) -> dict[str, Any]:
        """What the page polls: packages with their launches, error, faults, new statements."""
        with self.builds.lock:
            packages, error = list(self.builds.packages), self.builds.error
            generation = self.builds.generation
        listed = []
        for p in packages:
            launcher = LAUNCHERS.get(p.standard)
            launch = asdict(launcher(p, self.session)) if launcher else None
            listed.append({**asdict(p), "key": p.key, "launchWith": launch})
        return {
            "generation": generation,
            "packages": listed,
            "error": error,
            "faults": sorted(self.store.faults),
            "statements": self.store.since(since),
            "registration": self.session.registration,
            "lrs": self.lrs or "the preview's own statement store (not a production LRS)",
        }


class Handler(BaseHTTPRequestHandler):
    """One request to the preview server."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged (the panel shows what matters)."""

    def _body(self) -> bytes | None:
        """The request body (at most MAX_BODY bytes), or None, answered 400, if its length is
        not a number."""
        length = self.headers.get("Content-Length") or "0"
        if not (length.isascii() and length.isdigit()):
            self._json(400, {"error": f"Content-Length: expected a number, found {length[:40]!r}"})
            return None
        return self.rfile.read(min(int(length), MAX_BODY))

    def _object(self, body: bytes) -> dict[str, Any] | None:
        """The JSON object of a panel's request, or None, answered 400, if it is not one."""
        try:
            found = json.loads(body or b"{}")
        except (ValueError, RecursionError):
            found = None
        if not isinstance(found, dict):
            self._json(400, {"error": "expected a JSON object"})
            return None
        return found

    def _send(
        self, status: int, kind: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, "application/json", json.dumps(value).encode("utf-8"), headers)

    def _file(self, root: Path, relative: str) -> None:
        path = posixpath.normpath(unquote(relative)).lstrip("/")
        try:  # a NUL byte or a name too long for the file system is no file either
            target = (root / path).resolve()
            found = (
                not path.startswith("..")
                and target.is_relative_to(root.resolve())
                and target.is_file()
            )
            data = target.read_bytes() if found else b""
        except (OSError, ValueError):
            found = False
        if not found:
            self._send(404, "text/plain", b"not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix in (".js", ".mjs"):
            kind = "text/javascript"
        self._send(200, kind, data)

    def _offline(self) -> bool:
        """With the `offline` fault on, course traffic gets no answer at all, as offline."""
        if self.server.preview.store.has("offline"):
            self.close_connection = True
            return True
        return False

    def _wrong_host(self) -> bool:
        """A request for another host name (a page elsewhere whose name was made to point at
        127.0.0.1, DNS rebinding) is refused with 403: the preview answers its own address."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").lower()
        if host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return False
        self._json(403, {"error": f"the preview answers 127.0.0.1:{port} only, not {host!r}"})
        return True

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        self.do_GET()

    def do_GET(self) -> None:
        """Pages, files, the panel's state and the store."""
        if self._wrong_host():
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        preview = self.server.preview
        if url.path in preview.session.routes:
            self._send(*preview.session.routes[url.path](self.command, query, b""))
        elif url.path == "/":
            self._file(PAGE_DIR, "index.html")
        elif url.path.startswith("/preview/"):
            self._file(PAGE_DIR, url.path.removeprefix("/preview/"))
        elif url.path.startswith("/vendor/scorm-again/") and preview.vendor is not None:
            self._file(preview.vendor, url.path.removeprefix("/vendor/scorm-again/"))
        elif url.path.startswith("/pkg/"):
            self._file(preview.builds.root, url.path.removeprefix("/pkg/"))
        elif url.path == "/api/state":
            since = (query.get("since") or ["0"])[0] or "0"
            if not (since.isascii() and since.isdigit()) or len(since) > 18:
                self._json(400, {"error": f"since: expected a whole number, found {since[:40]!r}"})
                return
            self._json(200, preview.state(int(since)))
        elif url.path == "/api/learner":
            key = (query.get("package") or [""])[0]
            self._json(200, {"cmi": preview.learner.get(key)})
        elif url.path.startswith("/xapi/"):
            self._xapi(url.path.removeprefix("/xapi/"), query, b"")
        elif url.path == "/favicon.ico":
            self._send(204, "image/x-icon", b"")
        else:
            self._send(404, "text/plain", b"not found")

    def _foreign(self) -> bool:
        """A write from another site's page (a browser sends its Origin): refused with 403."""
        origin = self.headers.get("Origin")
        if origin is None or origin == self.server.preview.session.base_url:
            return False
        self._json(403, {"error": f"the preview takes writes from its own page only, not {origin}"})
        return True

    def do_PUT(self) -> None:
        """The store's PUT statements."""
        if self._wrong_host() or self._foreign():
            return
        url = urlsplit(self.path)
        body = self._body()
        if body is None:
            return
        if url.path.startswith("/xapi/"):
            self._xapi(url.path.removeprefix("/xapi/"), parse_qs(url.query), body)
        else:
            self._send(404, "text/plain", b"not found")

    def do_POST(self) -> None:
        """Commits, statements and the panel's buttons."""
        if self._wrong_host() or self._foreign():
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        body = self._body()
        if body is None:
            return
        preview = self.server.preview
        if url.path in preview.session.routes:
            self._send(*preview.session.routes[url.path]("POST", query, body))
        elif url.path == "/lms/commit":
            registration = (query.get("registration") or [""])[0]
            self._commit((query.get("package") or [""])[0], registration, body)
        elif url.path.startswith("/xapi/"):
            self._xapi(url.path.removeprefix("/xapi/"), query, body)
        elif url.path == "/api/fault":
            if (request := self._object(body)) is None:
                return
            try:
                preview.store.set_fault(str(request.get("name")), bool(request.get("on")))
            except ValueError:
                self._json(400, {"error": f"unknown fault {request.get('name')!r}"})
                return
            self._json(200, {"faults": sorted(preview.store.faults)})
        elif url.path == "/api/reset":
            if (request := self._object(body)) is None:
                return
            key = str(request.get("package", ""))
            preview.learner.pop(key, None)
            preview.session.registration = str(uuid.uuid4())
            self._json(200, {"registration": preview.session.registration})
        else:
            self._send(404, "text/plain", b"not found")

    def _commit(self, key: str, registration: str, body: bytes) -> None:
        """scorm-again posts `{"cmi": …}`; with `commit-fails` on, the LMS refuses it. A commit
        of an attempt before the last reset (another registration) is answered but not kept."""
        if self._offline():
            return
        preview = self.server.preview
        if preview.store.has("commit-fails"):
            self._json(500, {"result": False, "errorCode": 101})
            return
        try:
            tree = json.loads(body)["cmi"]
        except (ValueError, KeyError, TypeError, RecursionError):
            self._json(400, {"result": False, "errorCode": 101})
            return
        if registration == preview.session.registration:
            preview.learner[key] = tree
        self._json(200, {"result": True, "errorCode": 0})

    def _xapi(self, resource: str, query: dict[str, list[str]], body: bytes) -> None:
        """The Statement Resource of the store, with the LRS faults; or the proxy to --lrs."""
        if self._offline():
            return
        preview = self.server.preview
        headers = {"X-Experience-API-Version": XAPI_VERSION}
        if resource == "about":
            self._json(200, {"version": [XAPI_VERSION]}, headers)
            return
        if resource != "statements":
            self._json(404, {"error": f"the preview store has no /{resource} resource"}, headers)
            return
        if preview.store.has("lrs-down"):
            self._json(503, {"error": "LRS down (a fault switched on in the preview)"}, headers)
            return
        if preview.store.has("lrs-slow"):
            time.sleep(SLOW_SECONDS)
        statement_id = query["statementId"][0] if query.get("statementId") else None
        if self.command == "GET":
            found = preview.store.get(statement_id)
            self._json(200 if found is not None else 404, found or {}, headers)
            return
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            self._json(400, {"error": "expected JSON statements"}, headers)
            return
        if self.command == "PUT" and statement_id is None:
            self._json(400, {"error": "PUT statements takes a statementId"}, headers)
            return
        statements = parsed if isinstance(parsed, list) else [parsed]
        if preview.lrs is not None:
            status, answer = self._forward(body)
            if status >= 300:
                self._send(status, "application/json", answer, headers)
                return
        status, ids = preview.store.add(statements, statement_id if self.command == "PUT" else None)
        if status == 204:
            self._send(204, "application/json", b"", headers)
        else:
            self._json(status, ids if status == 200 else {"error": "; ".join(ids)}, headers)
        if status >= 400:
            log.warning("preview store: %s answered %d: %s", self.command, status, "; ".join(ids))

    def _forward(self, body: bytes) -> tuple[int, bytes]:
        """POST/PUT the statements to the real LRS given with --lrs; its status and answer."""
        preview = self.server.preview
        url = f"{str(preview.lrs).rstrip('/')}/statements"
        query = urlsplit(self.path).query
        request = urllib.request.Request(
            f"{url}?{query}" if query else url, data=body, method=self.command
        )
        request.add_header("Content-Type", "application/json")
        request.add_header("X-Experience-API-Version", XAPI_VERSION)
        if preview.lrs_auth:
            request.add_header("Authorization", preview.lrs_auth)
        try:
            with OPENER.open(request, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            return 502, json.dumps({"error": f"--lrs {preview.lrs}: {exc}"}).encode("utf-8")


class PreviewServer(ThreadingHTTPServer):
    """The server, holding the preview it serves."""

    daemon_threads = True

    def __init__(self, port: int, preview: Preview) -> None:
        self.preview = preview
        super().__init__(("127.0.0.1", port), Handler)
