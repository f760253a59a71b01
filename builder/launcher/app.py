"""The launcher's HTTP side: a WSGI application over a `Launcher`, and a threaded server for it.

Routes (all below the base URL):
- `GET /content/<path>`: the package's files (the AU pages, runtime, assets);
- `POST /fetch/<key>`: the one-time auth token (cmi5 §8.2);
- `/xapi/…`, with `Authorization: Basic <token>`: `activities/state` (LMS.LaunchData, §10; other
  state documents kept in memory), `agents/profile` (cmi5LearnerPreferences, §11), `statements`
  (checked and forwarded to the LRS), `about`.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from builder.launcher import records

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from builder.launcher.launcher import Launcher

#: The largest request body the launcher reads (a batch of statements).
MAX_BODY = 4 * 1024**2
Response = tuple[int, bytes, str]
STATUS = {200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
          403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          413: "Content Too Large", 502: "Bad Gateway"}  # fmt: skip


def _json(status: int, value: Any) -> Response:
    return status, json.dumps(value).encode("utf-8"), "application/json"


class _App:
    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher
        #: State documents other than LMS.LaunchData, by (activity, agent, registration, id).
        self.documents: dict[tuple[str, str, str, str], bytes] = {}

    def __call__(self, environ: WSGIEnvironment, start: StartResponse) -> Iterable[bytes]:
        try:
            status, body, kind = self.route(environ)
        except ValueError as exc:
            status, body, kind = _json(400, {"error": str(exc)})
        except RecursionError:  # JSON nested past Python's limit
            status, body, kind = _json(
                400, {"error": "JSON nested more deeply than a statement is"}
            )
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Experience-API-Version", "1.0.3"),
        ]
        start(f"{status} {STATUS.get(status, 'Error')}", headers)
        return [body]

    def route(self, environ: WSGIEnvironment) -> Response:
        method = environ["REQUEST_METHOD"]
        path = unquote(environ.get("PATH_INFO", ""))
        if path.startswith("/content/") and method in ("GET", "HEAD"):
            return self.content(path.removeprefix("/content/"))
        if path.startswith("/fetch/"):
            if method != "POST":  # §8.2.1: GET is not allowed.
                return _json(405, {"error": "POST the fetch URL"})
            return _json(200, self.launcher.take_token(path.removeprefix("/fetch/")))
        if path == "/favicon.ico":  # browsers ask on every page; the launcher has none
            return 204, b"", "image/x-icon"
        if path == "/xapi/about":
            return _json(200, {"version": ["1.0.3"]})
        if path.startswith("/xapi/"):
            return self.xapi(method, path.removeprefix("/xapi/"), environ)
        return _json(404, {"error": "not found"})

    def content(self, name: str) -> Response:
        data = self.launcher.package.read(name)
        if data is None:
            return _json(404, {"error": f"{name}: not in the package"})
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith("javascript") or kind.endswith("json"):
            kind += "; charset=utf-8"
        return 200, data, kind

    def xapi(self, method: str, resource: str, environ: WSGIEnvironment) -> Response:
        session = self.launcher.session_for(environ.get("HTTP_AUTHORIZATION", ""))
        if session is None:
            return _json(401, {"error": "no valid token: POST the fetch URL first"})
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if resource == "activities/state":
            return self.state(method, query, environ, session)
        if resource == "agents/profile":
            if method != "GET":
                return _json(403, {"error": "learner preferences are the LMS's"})  # §11
            learner = session.actor["account"]["name"]
            preferences = self.launcher.preferences.get(learner)
            if query.get("profileId") != "cmi5LearnerPreferences" or preferences is None:
                return _json(404, {"error": "no such profile document"})
            return _json(200, preferences)
        if resource == "statements" and method in ("POST", "PUT"):
            body = json.loads(_body(environ) or b"null")
            statements = body if isinstance(body, list) else [body]
            status, answer = self.launcher.take_statements(session, statements)
            return status, answer, "application/json"
        return _json(405, {"error": f"{method} {resource} is not offered"})

    def state(
        self, method: str, query: dict[str, str], environ: WSGIEnvironment, session: records.Session
    ) -> Response:
        agent = json.loads(query.get("agent", "null"))
        if agent != session.actor or query.get("activityId") != session.activity_id:
            return _json(403, {"error": "the token is for another agent or activity"})
        key = (session.activity_id, session.actor["account"]["name"],
               query.get("registration", ""), query.get("stateId", ""))  # fmt: skip
        if key[3] == "LMS.LaunchData":
            if method != "GET":  # §10.2.1: the AU MUST NOT modify or delete it.
                return _json(403, {"error": "LMS.LaunchData is the LMS's"})
            if key[2] != session.registration:
                return _json(404, {"error": "no launch data for this registration"})
            return _json(200, self.launcher.launch_data(session))
        if method == "GET":
            found = self.documents.get(key)
            return (200, found, "application/json") if found is not None else _json(404, {})
        if method in ("PUT", "POST"):
            self.documents[key] = _body(environ)
            return 204, b"", "application/json"
        if method == "DELETE":
            self.documents.pop(key, None)
            return 204, b"", "application/json"
        return _json(405, {"error": method})


def _body(environ: WSGIEnvironment) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        raise ValueError(f"request body of {length} bytes, more than {MAX_BODY}")
    data: bytes = environ["wsgi.input"].read(length)
    return data


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged (the learner's token is in none, but URLs carry the actor)."""


def make_app(launcher: Launcher) -> Callable[..., Iterable[bytes]]:
    """The WSGI application of `launcher` (mountable in another server)."""
    return _App(launcher)


def start_server(launcher: Launcher, host: str, port: int) -> tuple[WSGIServer, threading.Thread]:
    """A threaded server of `launcher` on `host`:`port`, serving in a daemon thread."""
    server = make_server(host, port, make_app(launcher), _Server, _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="cmi5-launcher", daemon=True)
    thread.start()
    return server, thread
