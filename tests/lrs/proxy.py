"""A fault-injecting HTTP proxy on 127.0.0.1 in front of the test LRS.

A seeded share of requests fails, the fault kinds taking turns: answered 500 or 503 without
reaching the LRS, or held open past the client's timeout and then dropped, either before or after
the LRS got the request (the "after" case is the lost response of xAPI-Communication §2.1.1:
stored, but the client does not know).
"""

from __future__ import annotations

import http.client
import random
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from lrs import Lrs

FAULTS = ("500", "503", "hang-before", "hang-after")
FORWARDED_HEADERS = ("Authorization", "Content-Type", "X-Experience-API-Version")


class FaultProxy:
    """Forward to `upstream_port`; fail `rate` of the requests, chosen by `random.Random(seed)`."""

    def __init__(
        self, upstream_port: int, *, rate: float, seed: int, hang_seconds: float = 3.0
    ) -> None:
        self.upstream_port = upstream_port
        self.rate = rate
        self.hang_seconds = hang_seconds
        self.stats: Counter[str] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def choose(self) -> str:
        """The fate of the next request: "pass" or the next of FAULTS (thread-safe, seeded)."""
        with self._lock:
            faults = sum(self.stats[f] for f in FAULTS)
            fate = FAULTS[faults % len(FAULTS)] if self._rng.random() < self.rate else "pass"
            self.stats[fate] += 1
            return fate

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        """Send the request to the LRS; return its status, content type and body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            conn.close()

    def hang(self) -> None:
        """Hold the connection open past the client timeout (or until the proxy stops)."""
        self._stopping.wait(self.hang_seconds)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fate = proxy.choose()
                if fate in ("500", "503"):
                    self._answer(int(fate), "application/json", b'{"detail":"injected fault"}')
                    return
                if fate == "hang-before":
                    proxy.hang()
                    self.close_connection = True
                    return
                headers = {h: v for h in FORWARDED_HEADERS if (v := self.headers.get(h))}
                try:
                    status, ctype, data = proxy.forward(self.command, self.path, headers, body)
                except OSError:
                    status, ctype, data = 502, "application/json", b'{"detail":"LRS unreachable"}'
                if fate == "hang-after":
                    proxy.hang()
                    self.close_connection = True
                    return
                self._answer(status, ctype, data)

            def _answer(self, status: int, ctype: str, data: bytes) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _relay

        return Handler

    def start(self) -> FaultProxy:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake hanging requests, stop serving and close the socket."""
        self._stopping.set()
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass(frozen=True)
class FaultyLrs:
    """An LRS and the fault proxy in front of it: send to `endpoint`, count on `lrs`."""

    lrs: Lrs
    proxy: FaultProxy

    @property
    def endpoint(self) -> str:
        """The proxy's xAPI endpoint."""
        return self.proxy.endpoint
