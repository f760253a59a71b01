"""A request with an LRS credential goes to the LRS's own server only (builder/origin.py).

Two servers on 127.0.0.1 (two ports, so two origins): the LRS and another one that records what
reaches it. For `coursepack report --lrs`, a `more` link or a redirect to the other server is
refused, and within the LRS's own origin both are followed; the cmi5 launcher's statement POST is
not re-sent to another server either.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from builder.errors import ReportError
from builder.launcher.lrs import LrsAccount
from builder.report.read import LrsSource

AUTH = "Basic dGVzdDpzZWNyZXQ="
STATEMENT = {"id": "6a1e4c41-1f7c-4b47-9c4c-1d2b3a4c5d6e"}


class Server:
    """A server on 127.0.0.1 answering each path from `routes`, recording every request."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], Any]] = {}
        self.seen: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.seen.append((self.path, self.headers.get("Authorization")))
                self.answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.seen.append((self.path, self.headers.get("Authorization")))
                self.answer()

            def answer(self) -> None:
                status, headers, body = server.routes.get(self.path.split("?")[0], (404, {}, {}))
                data = json.dumps(body).encode()
                self.send_response(status)
                for key, value in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    lrs, other = Server(), Server()
    yield lrs, other
    lrs.stop()
    other.stop()


def read_all(lrs: Server) -> list[dict[str, Any]]:
    return list(LrsSource(lrs.url + "/xapi", AUTH, page_size=1, timeout=5)())


def test_pages_and_redirects_within_the_lrs_are_followed(servers: tuple[Server, Server]) -> None:
    lrs, _ = servers
    lrs.routes["/xapi/statements"] = (200, {}, {"statements": [STATEMENT], "more": "/xapi/p2"})
    lrs.routes["/xapi/p2"] = (302, {"Location": lrs.url + "/xapi/p3"}, {})
    lrs.routes["/xapi/p3"] = (200, {}, {"statements": [STATEMENT], "more": ""})
    assert read_all(lrs) == [STATEMENT, STATEMENT]
    assert [auth for _, auth in lrs.seen] == [AUTH, AUTH, AUTH]


def test_a_next_page_on_another_server_is_refused(servers: tuple[Server, Server]) -> None:
    lrs, other = servers
    more = other.url + "/steal"
    lrs.routes["/xapi/statements"] = (200, {}, {"statements": [STATEMENT], "more": more})
    with pytest.raises(ReportError, match="next page is on another server") as info:
        read_all(lrs)
    assert "credential is not sent there" in str(info.value)
    assert other.seen == []


def test_a_redirect_to_another_server_is_refused(servers: tuple[Server, Server]) -> None:
    lrs, other = servers
    lrs.routes["/xapi/statements"] = (302, {"Location": other.url + "/steal"}, {})
    with pytest.raises(ReportError, match=r"answered 302 redirect to another server .* refused"):
        read_all(lrs)
    assert other.seen == []


def test_the_launchers_statements_are_not_re_sent_to_another_server(
    servers: tuple[Server, Server],
) -> None:
    lrs, other = servers
    # urllib re-sends a POST answered 302 as a GET, with the Authorization header.
    lrs.routes["/xapi/statements"] = (302, {"Location": other.url + "/steal"}, {})
    status, _ = LrsAccount(lrs.url + "/xapi/", "launcher", "secret").post_statements([STATEMENT])
    assert status == 302
    assert [path for path, _ in lrs.seen] == ["/xapi/statements"]
    assert other.seen == []
