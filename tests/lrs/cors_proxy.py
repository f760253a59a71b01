"""The fault proxy for browsers: the same seeded faults, plus the CORS a browser needs.

A page served from one 127.0.0.1 port may only read the answers of an LRS on another port when
they carry CORS headers (Fetch standard, "CORS protocol"), and its POSTs with `Authorization` and
`X-Experience-API-Version` are preflighted. The proxy answers the preflight itself (never faulted:
a lost preflight is only one more network error) and adds the headers to every answer, the
injected 500 and 503 included, so the page sees those statuses rather than a network error.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from proxy import FAULTS, FaultProxy

ALLOWED_HEADERS = "Authorization, Content-Type, X-Experience-API-Version"


class CorsFaultProxy(FaultProxy):
    """A `FaultProxy` that lets pages from `origin` read its answers.

    After `max_faults` faults every request passes, which bounds a browser test's time: each
    hang lasts past the runtime's 15 s request timeout.
    """

    def __init__(
        self,
        upstream_port: int,
        *,
        origin: str,
        rate: float,
        seed: int,
        hang_seconds: float = 3.0,
        max_faults: int | None = None,
    ) -> None:
        # Set before the base class builds the handler class, which reads it.
        self.origin = origin
        self.max_faults = max_faults
        self.preflights = 0
        super().__init__(upstream_port, rate=rate, seed=seed, hang_seconds=hang_seconds)

    @property
    def faults(self) -> int:
        """How many requests were failed so far."""
        return sum(self.stats[f] for f in FAULTS)

    def choose(self) -> str:
        """As `FaultProxy.choose`, until `max_faults` is reached; then "pass"."""
        # The runtime sends one batch at a time, so no two requests race past this check.
        if self.max_faults is not None and self.faults >= self.max_faults:
            self.rate = 0.0
        return super().choose()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self
        base = super()._handler_class()

        class CorsHandler(base):  # type: ignore[valid-type,misc]
            def end_headers(self) -> None:
                self.send_header("Access-Control-Allow-Origin", proxy.origin)
                self.send_header("Vary", "Origin")
                super().end_headers()

            def do_OPTIONS(self) -> None:
                proxy.preflights += 1
                self.send_response(204)
                self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT")
                self.send_header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                self.send_header("Access-Control-Max-Age", "600")
                self.send_header("Content-Length", "0")
                self.end_headers()

        return CorsHandler
